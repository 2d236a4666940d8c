package store

// The daily reminders' data (issue 8): for each agency, what is overdue,
// due soon, waiting for confirmation and what the daily job let expire;
// who gets a digest; and the record that makes each digest go out once a
// day. The job itself (sending through the portal's mailer) is in
// handlers/reminders.go; it runs through RunJob like the daily clock job,
// so one process a day runs it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongkai/models"
)

// ReminderJobName is the name of the daily reminder job in job_runs.
const ReminderJobName = "reminders"

// settingPendingDays is the agency setting of models.ReminderRules.PendingDays.
const settingPendingDays = "reminder.pending_days"

// ReminderRules returns an agency's reminder settings: the defaults,
// overridden by its reminder.* settings.
func (s *Store) ReminderRules(ctx context.Context, agencyID int64) (models.ReminderRules, error) {
	r := models.DefaultReminderRules()
	settings, err := s.AgencySettings(ctx, agencyID)
	if err != nil {
		return r, err
	}
	if v, ok := settings[settingPendingDays]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 60 {
			return r, fmt.Errorf("agency setting %s=%q: want 0 to 60 working days", settingPendingDays, v)
		}
		r.PendingDays = n
	}
	return r, nil
}

// ReminderRecipient is a member of staff who gets a digest.
type ReminderRecipient struct {
	User  *models.User
	Email string
	Kind  models.DigestKind
}

// ReminderRecipients lists an agency's active staff who handle
// applications (models.DigestKindOf) and have a notification address.
func (s *Store) ReminderRecipients(ctx context.Context, agencyID int64) ([]ReminderRecipient, error) {
	emails, err := s.UserEmails(ctx, agencyID)
	if err != nil || len(emails) == 0 {
		return nil, err
	}
	users, err := s.Users(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	var out []ReminderRecipient
	for _, u := range users {
		kind := models.DigestKindOf(u)
		if e := emails[u.ID]; e != "" && kind != models.DigestNone {
			out = append(out, ReminderRecipient{User: u, Email: e, Kind: kind})
		}
	}
	return out, nil
}

// AgencyDigest collects the office's digest of an agency for today: every
// open application overdue or due soon (models.DueWindow.Classify) with
// its sections, the applications waiting for confirmation longer than the
// agency's ReminderRules allow, and the expiries recorded after since (the
// start of the last reminder run that completed).
func (s *Store) AgencyDigest(ctx context.Context, agencyID int64, since time.Time) (models.Digest, error) {
	today := s.Today()
	d := models.Digest{Day: today, Kind: models.DigestOffice}
	cal, rules, err := s.clockInputs(ctx, agencyID)
	if err != nil {
		return d, err
	}
	w, err := models.NewDueWindow(cal, rules, today)
	if err != nil {
		return d, err
	}
	rr, err := s.ReminderRules(ctx, agencyID)
	if err != nil {
		return d, err
	}

	// Overdue and due soon: the open received applications due before the
	// window's edge (applications_status), classified like the dashboard.
	apps, err := s.applications(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND status IN (`+openReceived+`) AND due_on < ? ORDER BY due_on, id`, agencyID, w.SoonBefore)
	if err != nil {
		return d, err
	}
	items, err := s.withSections(ctx, apps)
	if err != nil {
		return d, err
	}
	for _, it := range items {
		a := it.App
		di := models.DigestItem{Number: a.Number, Title: a.Title, Status: a.Status, DueOn: a.DueOn}
		for _, sw := range it.Sections {
			di.Sections = append(di.Sections, models.DigestSection{SectionID: sw.SectionID, Role: sw.Role, InternalDueOn: sw.InternalDueOn})
		}
		switch w.Classify(a.Status, models.ClockState(a.ClockState), a.DueOn) {
		case models.Overdue:
			di.Late, _ = cal.WorkingDaysBetween(a.DueOn, today)
			d.Overdue = append(d.Overdue, di)
		case models.DueSoon:
			di.Left, _ = cal.WorkingDaysBetween(today, a.DueOn)
			d.DueSoon = append(d.DueSoon, di)
		}
	}

	// Waiting for confirmation (条例第三十一条), the longest first.
	pending, err := s.PendingApplications(ctx, agencyID)
	if err != nil {
		return d, err
	}
	for _, a := range pending {
		n, ok := models.WaitingDays(cal, models.DateOf(a.SubmittedAt, s.loc), today)
		if ok && n > rr.PendingDays {
			d.Pending = append(d.Pending, models.DigestItem{Number: a.Number, Title: a.Title, Status: a.Status, Waited: n})
		}
	}

	// Expiries the daily job recorded since the last digests. An expiry
	// takes effect on the day after its period (models.DueExpiries), which
	// is before the day it is recorded; a year bounds the index range.
	kinds := []models.EventKind{models.EventCorrectionExpired, models.EventFeeExpired, models.EventConsultationExpired}
	rows, err := s.db.QueryContext(ctx, `SELECT a.number, a.title, a.status, e.kind, e.occurred_on
		FROM application_events e JOIN applications a ON a.id = e.application_id
		WHERE e.agency_id = ? AND e.kind IN (`+sqlList(kinds)+`) AND e.occurred_on >= ? AND e.recorded_at >= ?
		ORDER BY e.occurred_on, a.number`, agencyID, today.AddDays(-366), since.UTC())
	if err != nil {
		return d, fmt.Errorf("digest: expiries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it models.DigestItem
		if err := rows.Scan(&it.Number, &it.Title, &it.Status, &it.Expiry, &it.On); err != nil {
			return d, fmt.Errorf("digest: expiries: %w", err)
		}
		d.Expired = append(d.Expired, it)
	}
	return d, rows.Err()
}

// LastReminderRun returns when the last completed reminder run started,
// or the zero time if none has.
func (s *Store) LastReminderRun(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.db.QueryRowContext(ctx, `SELECT started_at FROM job_runs WHERE name = ? AND result = ?
		ORDER BY started_at DESC LIMIT 1`, ReminderJobName, string(models.JobOK)).Scan(scanTime{&t})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last reminder run: %w", err)
	}
	return t, nil
}

// ClaimDigest records that the digest of user u for day is about to be
// sent. It returns false when it has been already: however many processes
// or retries try, a member of staff gets one digest a day. A failed send
// gives the claim back with ReleaseDigest.
func (s *Store) ClaimDigest(ctx context.Context, day models.Date, u *models.User, d models.Digest) (bool, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO reminder_digests (day, user_id, agency_id, kind, items, sent_at)
		VALUES (?, ?, ?, ?, ?, ?)`, day, u.ID, u.AgencyID, string(d.Kind), d.Size(), s.nowUTC())
	if isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim digest: %w", err)
	}
	return true, nil
}

// ReleaseDigest removes a claim whose mail could not be sent, so that the
// job's retry sends it.
func (s *Store) ReleaseDigest(ctx context.Context, day models.Date, userID int64) error {
	if _, err := s.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM reminder_digests WHERE day = ? AND user_id = ?`, day, userID); err != nil {
		return fmt.Errorf("release digest: %w", err)
	}
	return nil
}

// DigestsSent counts the digests recorded for a day (for tests and the
// job's summary).
func (s *Store) DigestsSent(ctx context.Context, day models.Date) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminder_digests WHERE day = ?`, day).Scan(&n); err != nil {
		return 0, fmt.Errorf("count digests: %w", err)
	}
	return n, nil
}
