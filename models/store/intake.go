package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/models"
)

// Registration is an application staff register from paper, post, fax,
// e-mail or an oral request (条例第二十九条): the application as for
// SubmitApplication, and, unless it still waits for confirmation with the
// applicant, its receipt in the same transaction.
type Registration struct {
	New NewApplication
	// StagingToken names the staged scans the application takes over; it is
	// also the idempotency key, so a form posted twice registers once.
	StagingToken string
	// Confirm is the receipt (models.EventConfirmed with the 接收回执); its
	// ApplicationID is filled in. Nil leaves the application pending: an
	// ordinary letter, fax or e-mail whose receipt is not yet confirmed
	// with the applicant (条例第三十一条).
	Confirm *Step
}

// Registered is the result of RegisterApplication.
type Registered struct {
	Submitted
	// Step is the receipt written with it, nil when pending or Duplicate.
	Step *StepResult
}

// RegisterApplication stores a registered application, its scans and, when
// r.Confirm is set, its confirmed receipt and 接收回执, in one transaction:
// the number, the query code, the receipt date and the notice exist
// together or not at all. A repeated post of the same form (the same
// token) returns the first registration, Duplicate set.
func (s *Store) RegisterApplication(ctx context.Context, r *Registration) (*Registered, error) {
	n := &r.New
	if r.StagingToken != "" {
		n.IdempotencyKey = r.StagingToken
		if prev, err := s.bySubmissionKey(ctx, r.StagingToken); err == nil {
			return &Registered{Submitted: *prev}, nil
		} else if models.ErrorCode(err) != models.ENOTFOUND {
			return nil, err
		}
		files, err := s.staged(ctx, s.db, r.StagingToken, true)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			a := *f
			a.ID = 0
			n.Attachments = append(n.Attachments, a)
		}
		n.stagedToken = r.StagingToken
	}
	agency, err := s.Agency(ctx, n.AgencyID)
	if err != nil {
		return nil, err
	}
	var cal *models.Calendar
	var rules models.ClockRules
	if r.Confirm != nil {
		if cal, rules, err = s.clockInputs(ctx, n.AgencyID); err != nil {
			return nil, err
		}
	}
	code := models.NewQueryCode()
	out := &Registered{}
	var app models.Application
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.submitTx(ctx, tx, n, agency, code, s.nowUTC(), &app); err != nil {
			return err
		}
		if r.Confirm == nil {
			return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: n.AgencyID, Action: models.AuditApplicationRegistered,
				ObjectType: models.AuditObjectApplication, ObjectID: app.Number,
				After: models.AuditData(map[string]any{"channel": app.Channel, "pending": true})})
		}
		st := *r.Confirm
		st.AgencyID, st.ApplicationID = n.AgencyID, app.ID
		if st.Audit == "" {
			st.Audit = models.AuditApplicationRegistered
		}
		res, err := s.recordStepTx(ctx, tx, &st, cal, rules, agency, &n.Applicant)
		out.Step = res
		return err
	})
	if errors.Is(err, errDuplicateSubmission) {
		prev, err := s.bySubmissionKey(ctx, n.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		return &Registered{Submitted: *prev}, nil
	}
	if err != nil {
		return nil, err
	}
	if out.Step != nil {
		app = *out.Step.App
	}
	out.Submitted = Submitted{Application: &app, QueryCode: code}
	return out, nil
}

// PendingApplications lists an agency's applications awaiting confirmation
// of receipt (条例第三十一条), oldest first: the intake inbox.
func (s *Store) PendingApplications(ctx context.Context, agencyID int64) ([]*models.Application, error) {
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND status = ? ORDER BY submitted_at, id`, agencyID, string(models.StatusPending))
}

// UnroutedApplications lists an agency's received, open applications that
// have no lead section (never routed, or returned by a section), received
// first first. The unary plus keeps SQLite (which has no statistics) from
// walking the whole receipt-date index to avoid a sort: it reads the open
// statuses' range and sorts the few it finds.
func (s *Store) UnroutedApplications(ctx context.Context, agencyID int64) ([]*models.Application, error) {
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND section_id IS NULL AND status IN (`+openReceived+`)
		ORDER BY +received_on, id`, agencyID)
}

// Inbox is the disclosure office's intake inbox: the applications awaiting
// confirmation of receipt, oldest first, and the received ones without a
// lead section.
type Inbox struct {
	Pending  []PendingItem
	Unrouted []UnroutedItem
}

// PendingItem is an application awaiting confirmation, with the working
// days it has waited (Known false when the calendar does not cover them).
type PendingItem struct {
	App         *models.Application
	WaitingDays int
	Known       bool
}

// UnroutedItem is a received application without a lead section, with the
// reason a section gave if it returned it.
type UnroutedItem struct {
	App      *models.Application
	Returned string
}

// Inbox reads the intake inbox of an agency in four queries, whatever its
// length: the waiting days come from one calendar (models.WaitingDays
// counts them as the clock does for an application not yet received), the
// return reasons from one query of the ledger.
func (s *Store) Inbox(ctx context.Context, agencyID int64) (*Inbox, error) {
	pending, err := s.PendingApplications(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	in := &Inbox{}
	for _, a := range pending {
		n, ok := models.WaitingDays(cal, models.DateOf(a.SubmittedAt, s.loc), today)
		in.Pending = append(in.Pending, PendingItem{App: a, WaitingDays: n, Known: ok})
	}
	unrouted, err := s.UnroutedApplications(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(unrouted))
	for i, a := range unrouted {
		ids[i] = a.ID
	}
	reasons, err := s.ReturnReasons(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range unrouted {
		in.Unrouted = append(in.Unrouted, UnroutedItem{App: a, Returned: reasons[a.ID]})
	}
	return in, nil
}

// ReturnReasons returns, for those of the applications ids whose latest
// routing step is a section's return, the reason given
// (models.ReturnedReason), in one query for the whole inbox.
func (s *Store) ReturnReasons(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(ids)+2)
	args = append(args, string(models.EventReturned), string(models.EventAssigned))
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT application_id, seq, kind, data FROM application_events
		WHERE kind IN (?, ?) AND application_id IN (`+placeholders(len(ids))+`)
		ORDER BY application_id, seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("return reasons: %w", err)
	}
	defer rows.Close()
	byApp := map[int64][]models.Event{}
	for rows.Next() {
		var e models.Event
		var data string
		if err := rows.Scan(&e.ApplicationID, &e.Seq, &e.Kind, &data); err != nil {
			return nil, fmt.Errorf("return reasons: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("return reasons: application %d event %d: %w", e.ApplicationID, e.Seq, err)
		}
		byApp[e.ApplicationID] = append(byApp[e.ApplicationID], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("return reasons: %w", err)
	}
	for id, events := range byApp {
		if r := models.ReturnedReason(events); r != "" {
			out[id] = r
		}
	}
	return out, nil
}

// openReceived lists the statuses of received, open applications, for SQL.
var openReceived = func() string {
	var q []models.Status
	for _, st := range models.Statuses {
		if st.Open() && st != models.StatusPending {
			q = append(q, st)
		}
	}
	return sqlList(q)
}()

// WorkItem is an open application in a worklist, with the sections on it.
type WorkItem struct {
	App *models.Application
	// Sections are the sections working on it (the lead first), with their
	// internal due dates.
	Sections []SectionWork
}

// SectionWork is one section's part in a WorkItem.
type SectionWork struct {
	SectionID     int64
	Role          models.AssignmentRole
	InternalDueOn models.Date
}

// Worklist lists the open, received applications a scope reaches: for a
// section scope those assigned (主办 or 协办) to one of its sections, for
// the agency scope all of them; the soonest statutory due date first
// (unknown due dates, such as those awaiting a correction, last). At most
// the first 1,000 (the API's worklist); the page uses WorklistPage.
func (s *Store) Worklist(ctx context.Context, agencyID int64, scope models.AccessScope) ([]WorkItem, error) {
	items, _, err := s.WorklistPage(ctx, agencyID, scope, 0, 1000)
	return items, err
}

// WorklistPage returns limit applications of the worklist from offset on,
// in the order of Worklist, and how many the whole list has.
func (s *Store) WorklistPage(ctx context.Context, agencyID int64, scope models.AccessScope, offset, limit int) ([]WorkItem, int, error) {
	if scope.None() {
		return nil, 0, nil
	}
	// For a section scope, inScope probes application_sections' primary
	// key per open application: the open work is small, a section's whole
	// history is not.
	scopeSQL, scopeArgs := inScope(scope)
	where := ` FROM applications a WHERE a.agency_id = ? AND a.status IN (` + openReceived + `)` + scopeSQL
	args := append([]any{agencyID}, scopeArgs...)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("worklist count: %w", err)
	}
	q := `SELECT ` + applicationColumns + where +
		` ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	apps, err := s.applications(ctx, q, args...)
	if err != nil || len(apps) == 0 {
		return nil, total, err
	}
	items := make([]WorkItem, len(apps))
	index := map[int64]int{}
	var ids []any
	for i, a := range apps {
		items[i].App = a
		index[a.ID] = i
		ids = append(ids, a.ID)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	rows, err := s.db.QueryContext(ctx, `SELECT application_id, section_id, role, internal_due_on FROM application_sections
		WHERE application_id IN (`+marks+`) ORDER BY application_id, CASE WHEN role = 'lead' THEN 0 ELSE 1 END, assigned_on, section_id`, ids...)
	if err != nil {
		return nil, 0, fmt.Errorf("worklist sections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var appID int64
		var w SectionWork
		if err := rows.Scan(&appID, &w.SectionID, &w.Role, &w.InternalDueOn); err != nil {
			return nil, 0, fmt.Errorf("worklist sections: %w", err)
		}
		it := &items[index[appID]]
		it.Sections = append(it.Sections, w)
	}
	return items, total, rows.Err()
}

// ApplicantApplications lists the agency's applications filed by the same
// applicant as the application's, by the matching hash (identity document
// or credit code), oldest first, the application included. An applicant
// registered without a document matches only itself.
func (s *Store) ApplicantApplications(ctx context.Context, app *models.Application) ([]*models.Application, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT match_hash FROM applicants WHERE id = ?`, app.ApplicantID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到申请人信息。")
	}
	if err != nil {
		return nil, fmt.Errorf("applicant of %s: %w", app.Number, err)
	}
	if hash == "" {
		return []*models.Application{app}, nil
	}
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM applications WHERE agency_id = ? AND applicant_id IN
		(SELECT id FROM applicants WHERE agency_id = ? AND match_hash = ?) ORDER BY submitted_at, id`,
		app.AgencyID, app.AgencyID, hash)
}

// RecentApplications lists an agency's applications submitted since the
// given instant, newest first, at most limit: the candidates for the
// similar-request hints.
func (s *Store) RecentApplications(ctx context.Context, agencyID int64, since time.Time, limit int) ([]*models.Application, error) {
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND submitted_at >= ? ORDER BY submitted_at DESC, id DESC LIMIT ?`, agencyID, since.UTC(), limit)
}

// applications runs a query selecting applicationColumns.
func (s *Store) applications(ctx context.Context, q string, args ...any) ([]*models.Application, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	defer rows.Close()
	var out []*models.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddWorkingDays returns the day n working days after from, by the loaded
// calendar: the end of a period counted from the day after from (次日起算).
// A day beyond the loaded years is the calendar's EUNAVAILABLE error.
func (s *Store) AddWorkingDays(ctx context.Context, from models.Date, n int) (models.Date, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return models.Date{}, err
	}
	return cal.AddWorkingDays(from, n)
}

// RegisteredWith returns the application a registration form's token
// created, with its query code: a form posted again is answered with the
// first registration. Not found when the token was not used.
func (s *Store) RegisteredWith(ctx context.Context, token string) (*Submitted, error) {
	if token == "" {
		return nil, models.Errorf(models.ENOTFOUND, "")
	}
	return s.bySubmissionKey(ctx, token)
}
