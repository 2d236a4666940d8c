package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gongkai/models"
)

// Steps: what staff do to an application (confirm it, route it, send a
// correction notice, record a reply …) is one ledger event, often with one
// or two notices. A step is written in one transaction: the event checked
// against the ledger (models.CanAppend), its notices numbered in the
// agency's yearly series, their bodies and PDFs, the recomputed clock and
// the audit entry. Either all of it is on record or none of it.

// Sequence of the letter numbers: one series per agency and year for
// every notice and answer letter (e.g. 铁民公开〔2026〕第12号).
const (
	seqNotices    = "notices"
	noticesSeries = "notices"
)

// NoticeRenderer renders a notice's body as a PDF with the agency's seal
// image (nil when none). The store does not lay out PDFs (store imports
// only models); the web layer passes reports.WriteNotice.
type NoticeRenderer func(body models.NoticeBody, seal []byte, createdAt time.Time) ([]byte, error)

// Step is one action on an application.
type Step struct {
	AgencyID      int64
	ApplicationID int64
	// Event is appended to the ledger; On defaults to today, NoticeID is
	// set by the store for kinds that carry it.
	Event models.Event
	// ExpectVersion, when not zero, is the version the form was built from.
	ExpectVersion int
	// Notices are issued with the event, in order: each with its Kind and
	// the fields staff typed; the store fills the number, the agency, the
	// application and the figures from the event (NoticeBody.Prepare,
	// Complete). The first is the one the event names.
	Notices []models.NoticeBody
	// Render lays out the notices; required when there are notices.
	Render NoticeRenderer
	// Files are stored with the event (their Kind set by the caller).
	Files []models.Attachment
	// Audit is the trail entry's action (default AuditApplicationStep).
	Audit models.AuditAction
}

// StepResult is what a step wrote.
type StepResult struct {
	App     *models.Application
	Event   models.Event
	Notices []*Notice
	// Clock is the clock after the step, zero when a calendar year it
	// needs is not loaded.
	Clock models.Clock
}

// RecordStep writes a step in one transaction and returns what it wrote.
func (s *Store) RecordStep(ctx context.Context, st *Step) (*StepResult, error) {
	cal, rules, err := s.clockInputs(ctx, st.AgencyID)
	if err != nil {
		return nil, err
	}
	agency, err := s.Agency(ctx, st.AgencyID)
	if err != nil {
		return nil, err
	}
	app, err := s.Application(ctx, st.AgencyID, st.ApplicationID)
	if err != nil {
		return nil, err
	}
	applicant, err := s.Applicant(ctx, st.AgencyID, app.ApplicantID)
	if err != nil {
		return nil, err
	}
	var res *StepResult
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		res, err = s.recordStepTx(ctx, tx, st, cal, rules, agency, applicant)
		return err
	})
	return res, err
}

// recordStepTx is RecordStep inside a caller's transaction (registration
// submits and confirms in one).
func (s *Store) recordStepTx(ctx context.Context, tx *sql.Tx, st *Step, cal *models.Calendar, rules models.ClockRules,
	agency *models.Agency, applicant *models.Applicant) (*StepResult, error) {
	app, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`+s.forUpdate(), st.AgencyID, st.ApplicationID))
	if err != nil {
		return nil, err
	}
	if st.ExpectVersion != 0 && app.Version != st.ExpectVersion {
		return nil, models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。")
	}
	events, err := s.loadEvents(ctx, tx, app.ID)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	today := models.DateOf(now, s.loc)
	e := st.Event
	e.ApplicationID, e.Seq, e.RecordedAt = app.ID, len(events)+1, now
	if e.On.IsZero() {
		e.On = today
	}
	if err := e.Validate(); err != nil {
		return nil, models.WrapError(models.EINVALID, err, "记录的信息不完整，请检查后重试。")
	}
	if err := models.CanAppend(events, e, cal, rules, today); err != nil {
		return nil, err
	}
	// The clocks before and after, for the figures the notices state. A
	// missing calendar year leaves them zero; the notices then state the
	// period in working days without a date.
	before, _ := models.ComputeClock(events, cal, rules, today)
	after, _ := models.ComputeClock(append(events[:len(events):len(events)], e), cal, rules, today)

	res := &StepResult{}
	type pending struct {
		notice *Notice
		body   models.NoticeBody
	}
	var issued []pending
	for i, body := range st.Notices {
		if st.Render == nil {
			return nil, fmt.Errorf("record step %s: notices without a renderer", e.Kind)
		}
		seq, err := s.nextValue(ctx, tx, st.AgencyID, seqNotices, today.Year())
		if err != nil {
			return nil, err
		}
		number := models.NoticeNumber(agency.LetterPrefix, today.Year(), seq)
		body.Prepare(agency, app, applicant, number, today, s.loc)
		body.Complete(events, e, before, after)
		if len(agency.SealImage) > 0 {
			sum := sha256.Sum256(agency.SealImage)
			body.SealSHA256 = hex.EncodeToString(sum[:])
		}
		n := &Notice{AgencyID: st.AgencyID, ApplicationID: app.ID, Kind: string(body.Kind), Number: number,
			Title: body.Title, IssuedOn: today, EventSeq: e.Seq}
		if err := s.insertNotice(ctx, tx, n, body, seq, e.ActorID, now); err != nil {
			return nil, err
		}
		if i == 0 && e.Kind.CarriesNotice() {
			e.Data.NoticeID = n.ID
		}
		issued = append(issued, pending{n, body})
	}

	if err := s.insertEvent(ctx, tx, st.AgencyID, &e); err != nil {
		return nil, err
	}
	d, err := derive(append(events, e), cal, rules, today)
	if err != nil {
		return nil, err
	}
	if err := s.storeDerived(ctx, tx, app, d, now); err != nil {
		return nil, err
	}

	for _, p := range issued {
		pdf, err := st.Render(p.body, agency.SealImage, now)
		if err != nil {
			return nil, err
		}
		a := models.Attachment{AgencyID: st.AgencyID, ApplicationID: app.ID, Kind: models.AttachNotice,
			Filename: p.notice.Filename(), ContentType: models.TypePDF, Content: pdf,
			UploaderKind: e.ActorKind, UploaderID: e.ActorID}
		if err := s.insertAttachment(ctx, tx, &a, now); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET attachment_id = ? WHERE id = ?`, a.ID, p.notice.ID); err != nil {
			return nil, fmt.Errorf("link notice %s: %w", p.notice.Number, err)
		}
		p.notice.AttachmentID = a.ID
		res.Notices = append(res.Notices, p.notice)
	}
	for i := range st.Files {
		f := st.Files[i]
		f.ID, f.AgencyID, f.ApplicationID = 0, st.AgencyID, app.ID
		f.UploaderKind, f.UploaderID = e.ActorKind, e.ActorID
		if err := s.insertAttachment(ctx, tx, &f, now); err != nil {
			return nil, err
		}
	}

	action := st.Audit
	if action == "" {
		action = models.AuditApplicationStep
	}
	after2 := map[string]any{"event": e.Kind, "seq": e.Seq, "on": e.On.String()}
	var numbers []string
	for _, n := range res.Notices {
		numbers = append(numbers, n.Number)
	}
	if len(numbers) > 0 {
		after2["notices"] = numbers
	}
	if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: st.AgencyID, Action: action,
		ObjectType: models.AuditObjectApplication, ObjectID: app.Number, After: models.AuditData(after2)}); err != nil {
		return nil, err
	}
	res.App, res.Event = app, e
	res.Clock, _ = models.ComputeClock(append(events, e), cal, rules, today)
	return res, nil
}

// insertNotice writes a notice row (without its PDF yet) inside tx: n's
// kind, number (seq in the agency's yearly series, from
// nextValue(seqNotices)), title and date, and body, the JSON the PDF is
// rendered from. Every letter of the series goes through it — the answer
// letters too — so that one series numbers them all without gaps.
func (s *Store) insertNotice(ctx context.Context, tx *sql.Tx, n *Notice, body any, seq int, by int64, now time.Time) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode notice body: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO notices (agency_id, application_id, kind, series, year, seq, number,
		title, issued_on, body, delivery_method, created_by, created_at, event_seq, delivery_ref)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, '')`,
		n.AgencyID, n.ApplicationID, n.Kind, noticesSeries, n.IssuedOn.Year(), seq, n.Number, n.Title, n.IssuedOn,
		string(raw), by, now, n.EventSeq)
	if err != nil {
		return fmt.Errorf("insert notice %s: %w", n.Number, err)
	}
	n.ID, err = res.LastInsertId()
	return err
}
