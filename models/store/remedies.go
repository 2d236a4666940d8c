package store

import (
	"context"
	"database/sql"

	"gongkai/models"
)

// Reconsideration and litigation (条例第五十一条; models/remedy.go) are ledger
// events, counted in table 四 of the annual report: the filing, and later
// its conclusion referring to it.

// RemedyInput is a reconsideration or lawsuit as staff enter it.
type RemedyInput struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	Record        models.RemedyRecord
}

// RecordRemedy records a filing (and, when its result is already known,
// its conclusion) in one transaction with the audit entry. It returns the
// filing event.
func (s *Store) RecordRemedy(ctx context.Context, in RemedyInput) (*models.Event, error) {
	cal, rules, err := s.clockInputs(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	var filed models.Event
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, in.AgencyID, in.ApplicationID, 0)
		if err != nil {
			return err
		}
		if err := c.authorise(in.User, models.ActionRecordRemedy); err != nil {
			return err
		}
		rec := in.Record
		if err := rec.Validate(c.life.SubmittedOn, s.Today()); err != nil {
			return err
		}
		filed = rec.FiledEvent()
		filed.ActorKind, filed.ActorID = models.ActorStaff, in.User.ID
		if _, err := s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &filed, 0, cal, rules); err != nil {
			return err
		}
		after := map[string]any{"event": filed.Kind, "seq": filed.Seq, "on": filed.On.String(), "case_ref": rec.CaseRef}
		if done, ok := rec.ConcludedEvent(filed.Seq); ok {
			done.ActorKind, done.ActorID = models.ActorStaff, in.User.ID
			if _, err := s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &done, 0, cal, rules); err != nil {
				return err
			}
			after["concluded_seq"], after["result"] = done.Seq, done.Data.Result
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number, After: models.AuditData(after)})
	})
	if err != nil {
		return nil, err
	}
	return &filed, nil
}

// RemedyConclusion is the result of a recorded reconsideration or lawsuit.
type RemedyConclusion struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	// Ref is the Seq of the filing event.
	Ref         int
	Result      models.RemedyResult
	ConcludedOn models.Date
}

// ConcludeRemedy records the result of a pending reconsideration or
// lawsuit. The ledger refuses a second conclusion, a reference that is no
// filing, and a result table 四 does not know.
func (s *Store) ConcludeRemedy(ctx context.Context, in RemedyConclusion) (*models.Event, error) {
	cal, rules, err := s.clockInputs(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	var done models.Event
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, in.AgencyID, in.ApplicationID, 0)
		if err != nil {
			return err
		}
		if err := c.authorise(in.User, models.ActionRecordRemedy); err != nil {
			return err
		}
		var filing *models.Event
		for i := range c.events {
			e := &c.events[i]
			if e.Seq == in.Ref && (e.Kind == models.EventReconsiderationRecorded || e.Kind == models.EventLitigationRecorded) {
				filing = e
			}
		}
		if filing == nil {
			return models.Invalid(models.FieldError{Field: "ref", Message: "请选择要登记结果的行政复议或行政诉讼。"})
		}
		rec := models.RemedyRecord{Kind: models.RemedyReconsideration, FiledOn: filing.On, CaseRef: filing.Data.CaseRef,
			Result: in.Result, ConcludedOn: in.ConcludedOn}
		if filing.Kind == models.EventLitigationRecorded {
			rec.Kind = models.RemedyLitigation
		}
		if rec.Result == "" {
			return models.Invalid(models.FieldError{Field: models.RemedyFieldResult, Message: "请选择审结结果。"})
		}
		if err := rec.Validate(c.life.SubmittedOn, s.Today()); err != nil {
			return err
		}
		done, _ = rec.ConcludedEvent(in.Ref)
		done.ActorKind, done.ActorID = models.ActorStaff, in.User.ID
		if _, err := s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &done, 0, cal, rules); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"event": done.Kind, "seq": done.Seq, "on": done.On.String(),
				"ref": in.Ref, "result": done.Data.Result})})
	})
	if err != nil {
		return nil, err
	}
	return &done, nil
}
