package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongkai/models"
)

// Encryption contexts: where each ciphertext lives. They are bound into the
// ciphertext, so a value copied into another column does not decrypt.
const (
	ctxIDNumber      = "applicants.id_number"
	ctxPhone         = "applicants.phone"
	ctxEmail         = "applicants.email"
	ctxAddress       = "applicants.address"
	ctxPostCode      = "applicants.post_code"
	ctxAgentIDNumber = "applicants.agent_id_number"
	ctxAgentPhone    = "applicants.agent_phone"
	ctxQueryCode     = "applications.query_code"
	ctxAttachment    = "attachments.content"
)

// NewApplication is what SubmitApplication stores: the applicant's details,
// the request, its files, and how it arrived.
type NewApplication struct {
	AgencyID    int64
	Applicant   models.Applicant
	Application models.Application // Channel, Source, Title, Description, Purpose, FormWanted, Delivery
	Attachments []models.Attachment
	// IdempotencyKey is the form's one-time token: a second submission with
	// the same key returns the first application instead of a new one.
	IdempotencyKey string
	ActorKind      models.ActorKind
	ActorID        int64
	// SubmittedOn is the day the application was filed, for its submitted
	// event: today when zero. Staff registering a letter that arrived
	// earlier give the day it arrived.
	SubmittedOn models.Date

	// stagedToken, set by SubmitStaged, names the staged uploads the
	// application takes over; they are deleted in the same transaction.
	stagedToken string
}

// Submitted is the result of SubmitApplication.
type Submitted struct {
	Application *models.Application
	QueryCode   string // in clear, to show once and send to the applicant
	// Duplicate is true when the idempotency key had been used: nothing new
	// was stored.
	Duplicate bool
}

// SubmitApplication stores a new application with its applicant, files and
// "submitted" ledger event in one transaction, and assigns its number. The
// number exists only if the transaction committed (with synchronous=FULL or
// InnoDB's flush at commit, on disk), so a number shown to the applicant is
// never lost. On SQLite, concurrent submissions share one commit (see
// groupCommitter).
func (s *Store) SubmitApplication(ctx context.Context, n *NewApplication) (*Submitted, error) {
	if n.IdempotencyKey != "" {
		if prev, err := s.bySubmissionKey(ctx, n.IdempotencyKey); err == nil {
			return prev, nil
		} else if models.ErrorCode(err) != models.ENOTFOUND {
			return nil, err
		}
	}
	agency, err := s.Agency(ctx, n.AgencyID)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	code := models.NewQueryCode()
	var app models.Application
	err = s.inSubmissionTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.submitTx(ctx, tx, n, agency, code, now, &app)
	})
	if errors.Is(err, errDuplicateSubmission) {
		return s.bySubmissionKey(ctx, n.IdempotencyKey)
	}
	if err != nil {
		return nil, err
	}
	return &Submitted{Application: &app, QueryCode: code}, nil
}

// submitTx stores a new application with its applicant, files and
// submitted event inside tx, numbered in the agency's yearly series, into
// *app. A used idempotency key gives errDuplicateSubmission.
func (s *Store) submitTx(ctx context.Context, tx *sql.Tx, n *NewApplication, agency *models.Agency, code string,
	now time.Time, app *models.Application) error {
	today := models.DateOf(now, s.loc)
	*app = n.Application
	app.AgencyID = n.AgencyID
	app.Status = models.StatusPending
	app.ClockState = "not_started"
	app.SubmittedAt = now
	app.CreatedAt, app.UpdatedAt = now, now
	app.Version = 1
	applicantID, err := s.insertApplicant(ctx, tx, n.AgencyID, &n.Applicant, now)
	if err != nil {
		return err
	}
	app.ApplicantID = applicantID
	seq, err := s.nextValue(ctx, tx, n.AgencyID, seqApplications, today.Year())
	if err != nil {
		return err
	}
	app.Number = models.ApplicationNumber(agency.Code, today.Year(), seq)
	var key any
	if n.IdempotencyKey != "" {
		key = n.IdempotencyKey
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO applications (agency_id, number, year, seq, applicant_id,
		applicant_kind, channel, source, status, submitted_at, title, description, purpose, form_wanted, delivery,
		query_code_hash, query_code_enc, idempotency_key, clock_state, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		app.AgencyID, app.Number, today.Year(), seq, app.ApplicantID, string(n.Applicant.Kind), string(app.Channel), app.Source,
		string(app.Status), now, app.Title, app.Description, app.Purpose, string(app.FormWanted), string(app.Delivery),
		s.keys.QueryCodeHash(app.Number, code), s.keys.EncryptString(code, ctxQueryCode), key,
		app.ClockState, now, now)
	if err != nil {
		if isUniqueViolation(err) && n.IdempotencyKey != "" {
			return errDuplicateSubmission
		}
		return fmt.Errorf("insert application: %w", err)
	}
	if app.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for i := range n.Attachments {
		a := &n.Attachments[i]
		a.AgencyID, a.ApplicationID = app.AgencyID, app.ID
		a.UploaderKind, a.UploaderID = n.ActorKind, n.ActorID
		if err := s.insertAttachment(ctx, tx, a, now); err != nil {
			return err
		}
	}
	if n.stagedToken != "" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staged_uploads WHERE token_hash = ?`, tokenHash(n.stagedToken)); err != nil {
			return fmt.Errorf("take over staged uploads: %w", err)
		}
	}
	on := n.SubmittedOn
	if on.IsZero() {
		on = today
	}
	ev := models.Event{
		ApplicationID: app.ID, Seq: 1, Kind: models.EventSubmitted, On: on, RecordedAt: now,
		ActorKind: n.ActorKind, ActorID: n.ActorID,
		Data: models.EventData{Channel: app.Channel, Source: app.Source},
	}
	return s.insertEvent(ctx, tx, app.AgencyID, &ev)
}

var errDuplicateSubmission = errors.New("duplicate submission")

// bySubmissionKey returns the application an idempotency key created, with
// its query code, for a repeated submission.
func (s *Store) bySubmissionKey(ctx context.Context, key string) (*Submitted, error) {
	var enc []byte
	app, err := scanApplication(s.db.QueryRowContext(ctx,
		`SELECT `+applicationColumns+`, query_code_enc FROM applications WHERE idempotency_key = ?`, key), &enc)
	if err != nil {
		return nil, err
	}
	code, err := s.keys.DecryptString(enc, ctxQueryCode)
	if err != nil {
		return nil, fmt.Errorf("repeat submission %s: %w", app.Number, err)
	}
	return &Submitted{Application: app, QueryCode: code, Duplicate: true}, nil
}

func (s *Store) insertApplicant(ctx context.Context, tx *sql.Tx, agencyID int64, a *models.Applicant, now time.Time) (int64, error) {
	k := s.keys
	if a.MatchHash == "" {
		a.MatchHash = ApplicantMatchHash(k, a)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO applicants (agency_id, kind, name, id_type, id_number_enc,
		id_number_masked, credit_code, legal_rep, contact_person, phone_enc, phone_masked, email_enc, address_enc,
		post_code_enc, agent_name, agent_id_type, agent_id_number_enc, agent_phone_enc, match_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		agencyID, string(a.Kind), a.Name, a.IDType, k.EncryptString(a.IDNumber, ctxIDNumber),
		models.MaskIDNumber(a.IDNumber), a.CreditCode, a.LegalRep, a.ContactPerson,
		k.EncryptString(a.Phone, ctxPhone), models.MaskPhone(a.Phone), k.EncryptString(a.Email, ctxEmail),
		k.EncryptString(a.Address, ctxAddress), k.EncryptString(a.PostCode, ctxPostCode),
		a.AgentName, a.AgentIDType, k.EncryptString(a.AgentIDNumber, ctxAgentIDNumber),
		k.EncryptString(a.AgentPhone, ctxAgentPhone), a.MatchHash, now)
	if err != nil {
		return 0, fmt.Errorf("insert applicant: %w", err)
	}
	a.AgencyID = agencyID
	a.ID, err = res.LastInsertId()
	return a.ID, err
}

// ApplicantMatchHash returns the keyed hash that identifies an applicant
// across applications: the organisation's credit code, else the identity
// document, else (for applicants registered without a document) nothing.
func ApplicantMatchHash(k *models.Keyring, a *models.Applicant) string {
	switch {
	case a.CreditCode != "":
		return k.MatchHash("credit_code", a.CreditCode)
	case a.IDNumber != "":
		return k.MatchHash("id:"+string(a.IDType), a.IDNumber)
	}
	return ""
}

// Applicant returns an applicant with identity and contact fields
// decrypted. Callers decide what to show; lists use the masked columns.
func (s *Store) Applicant(ctx context.Context, agencyID, id int64) (*models.Applicant, error) {
	var a models.Applicant
	var idn, phone, email, addr, post, agentID, agentPhone []byte
	var masked, phoneMasked string
	err := s.db.QueryRowContext(ctx, `SELECT id, agency_id, kind, name, id_type, id_number_enc, id_number_masked,
		credit_code, legal_rep, contact_person, phone_enc, phone_masked, email_enc, address_enc, post_code_enc,
		agent_name, agent_id_type, agent_id_number_enc, agent_phone_enc, match_hash
		FROM applicants WHERE agency_id = ? AND id = ?`, agencyID, id).Scan(
		&a.ID, &a.AgencyID, &a.Kind, &a.Name, &a.IDType, &idn, &masked, &a.CreditCode, &a.LegalRep,
		&a.ContactPerson, &phone, &phoneMasked, &email, &addr, &post, &a.AgentName, &a.AgentIDType,
		&agentID, &agentPhone, &a.MatchHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到申请人信息。")
	}
	if err != nil {
		return nil, fmt.Errorf("get applicant %d: %w", id, err)
	}
	k := s.keys
	for _, f := range []struct {
		dst     *string
		src     []byte
		context string
	}{
		{&a.IDNumber, idn, ctxIDNumber}, {&a.Phone, phone, ctxPhone}, {&a.Email, email, ctxEmail},
		{&a.Address, addr, ctxAddress}, {&a.PostCode, post, ctxPostCode},
		{&a.AgentIDNumber, agentID, ctxAgentIDNumber}, {&a.AgentPhone, agentPhone, ctxAgentPhone},
	} {
		if *f.dst, err = k.DecryptString(f.src, f.context); err != nil {
			return nil, fmt.Errorf("get applicant %d: %s: %w", id, f.context, err)
		}
	}
	return &a, nil
}

const applicationColumns = `id, agency_id, number, applicant_id, channel, source, status, submitted_at, received_on,
	title, description, purpose, form_wanted, delivery, due_on, internal_due_on, clock_state, calendar_warning,
	section_id, outcome, closed_on, version, created_at, updated_at`

// scanApplication reads applicationColumns, then any extra columns into
// extra.
func scanApplication(row interface{ Scan(...any) error }, extra ...any) (*models.Application, error) {
	var a models.Application
	var section sql.NullInt64
	dest := []any{&a.ID, &a.AgencyID, &a.Number, &a.ApplicantID, &a.Channel, &a.Source, &a.Status,
		scanTime{&a.SubmittedAt}, &a.ReceivedOn, &a.Title, &a.Description, &a.Purpose, &a.FormWanted, &a.Delivery,
		&a.DueOn, &a.InternalDueOn, &a.ClockState, &a.CalendarWarning, &section, &a.Outcome, &a.ClosedOn,
		&a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}}
	err := row.Scan(append(dest, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该申请。")
	}
	if err != nil {
		return nil, fmt.Errorf("read application: %w", err)
	}
	a.SectionID = section.Int64
	return &a, nil
}

// ApplicationByNumber returns the application with the given number.
func (s *Store) ApplicationByNumber(ctx context.Context, number string) (*models.Application, error) {
	return scanApplication(s.db.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE number = ?`,
		strings.ToUpper(strings.TrimSpace(number))))
}

// Application returns an agency's application by id.
func (s *Store) Application(ctx context.Context, agencyID, id int64) (*models.Application, error) {
	return scanApplication(s.db.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`, agencyID, id))
}

// LookUpApplication returns the application with the given number if code
// is its query code. A wrong code and an unknown number give the same
// not-found error, so the answer does not reveal whether a number exists;
// the code is compared in constant time.
func (s *Store) LookUpApplication(ctx context.Context, number, code string) (*models.Application, error) {
	notFound := models.Errorf(models.ENOTFOUND, "申请编号或查询码不正确。")
	var hash string
	app, err := scanApplication(s.db.QueryRowContext(ctx, `SELECT `+applicationColumns+`, query_code_hash
		FROM applications WHERE number = ?`, strings.ToUpper(strings.TrimSpace(number))), &hash)
	if models.ErrorCode(err) == models.ENOTFOUND {
		// Spend the same work as a real comparison.
		s.keys.CheckQueryCode(s.keys.QueryCodeHash(number, "x"), number, code)
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if !s.keys.CheckQueryCode(hash, app.Number, code) {
		return nil, notFound
	}
	return app, nil
}

// QueryCode returns an application's query code in clear, to re-send it to
// the contact on record. It is never shown on screen.
func (s *Store) QueryCode(ctx context.Context, applicationID int64) (string, error) {
	var enc []byte
	err := s.db.QueryRowContext(ctx, `SELECT query_code_enc FROM applications WHERE id = ?`, applicationID).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", models.Errorf(models.ENOTFOUND, "未找到该申请。")
	}
	if err != nil {
		return "", fmt.Errorf("read query code: %w", err)
	}
	return s.keys.DecryptString(enc, ctxQueryCode)
}
