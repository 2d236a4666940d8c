package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"gongkai/models"
)

// NoticeWithBody returns one of an application's notices with the body it
// was rendered from. A notice of another application is not found.
func (s *Store) NoticeWithBody(ctx context.Context, applicationID, noticeID int64) (*Notice, models.NoticeBody, error) {
	var raw string
	var body models.NoticeBody
	n, err := scanNotice(s.db.QueryRowContext(ctx, `SELECT `+noticeColumns+`, body FROM notices
		WHERE application_id = ? AND id = ?`, applicationID, noticeID), &raw)
	if err != nil {
		return nil, body, err
	}
	if err := json.Unmarshal([]byte(raw), &body); err != nil {
		return nil, body, fmt.Errorf("notice %s: body: %w", n.Number, err)
	}
	return n, body, nil
}

// NoticeDeliveryRecord is the delivery of one notice, as staff record it.
type NoticeDeliveryRecord struct {
	AgencyID      int64
	ApplicationID int64
	NoticeID      int64
	Delivery      models.NoticeDelivery
	ActorID       int64
}

// RecordNoticeDelivery records how and when a notice was served
// (国办公开办函〔2016〕235号). A notice whose receipt starts a period the clock
// counts (models.NoticeKind.StartsPeriod) also puts that day on the ledger
// in the same transaction: a fee notice's delivery (the 20 working days to
// pay run from the next day), a 征求意见书's receipt by the consulted party
// (its 15 working days run from the next day), and the answer letter's
// service (answer_delivered). A delivery is recorded once.
func (s *Store) RecordNoticeDelivery(ctx context.Context, d NoticeDeliveryRecord) (*Notice, error) {
	cal, rules, err := s.clockInputs(ctx, d.AgencyID)
	if err != nil {
		return nil, err
	}
	var n *Notice
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		n, err = scanNotice(tx.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices
			WHERE agency_id = ? AND application_id = ? AND id = ?`+s.forUpdate(), d.AgencyID, d.ApplicationID, d.NoticeID))
		if err != nil {
			return err
		}
		if n.Delivered() {
			return models.Errorf(models.ECONFLICT, "《%s》（%s）已登记于%s送达。", n.Title, n.Number, n.DeliveredOn.Chinese())
		}
		del := d.Delivery
		if err := del.Validate(n.IssuedOn, s.Today()); err != nil {
			return err
		}
		audit := map[string]any{"notice": n.Number, "method": del.Method, "on": del.On.String()}
		if del.Ref != "" {
			audit["ref"] = del.Ref
		}
		var e *models.Event
		switch n.NoticeKind() {
		case models.NoticeFee:
			e = &models.Event{Kind: models.EventFeeNoticeDelivered}
		case models.NoticeConsultThirdParty, models.NoticeConsultCoProducer:
			e = &models.Event{Kind: models.EventConsultationDelivered, Data: models.EventData{Ref: n.EventSeq}}
		case models.NoticeAnswer:
			// The answer letter's service is on the ledger too
			// (answer_delivered), for the applicant's timeline and the case
			// file.
			e = &models.Event{Kind: models.EventAnswerDelivered, Data: models.EventData{DeliveryMethod: del.Method}}
		}
		if e != nil && n.EventSeq != 0 {
			e.On, e.ActorKind, e.ActorID = del.On, models.ActorStaff, d.ActorID
			if _, err := s.recordStepTx(ctx, tx, &Step{AgencyID: d.AgencyID, ApplicationID: d.ApplicationID, Event: *e,
				Audit: models.AuditNoticeDelivered}, cal, rules, nil, nil); err != nil {
				return err
			}
		} else {
			var number string
			if err := tx.QueryRowContext(ctx, `SELECT number FROM applications WHERE id = ?`, d.ApplicationID).Scan(&number); err != nil {
				return fmt.Errorf("notice delivery: %w", err)
			}
			if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: d.AgencyID, Action: models.AuditNoticeDelivered,
				ObjectType: models.AuditObjectApplication, ObjectID: number, After: models.AuditData(audit)}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET delivery_method = ?, delivered_on = ?, delivery_ref = ? WHERE id = ?`,
			string(del.Method), del.On, del.Ref, n.ID); err != nil {
			return fmt.Errorf("record delivery of %s: %w", n.Number, err)
		}
		n.DeliveryMethod, n.DeliveredOn, n.DeliveryRef = del.Method, del.On, del.Ref
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}
