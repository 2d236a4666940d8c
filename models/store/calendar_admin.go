package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"gongkai/models"
)

// The administrator's calendar edits: before a year's days are replaced,
// the effect on every open deadline is computed against the edited
// calendar with the same engine that stores the due dates (derive, i.e.
// models.ComputeClock), so the administrator sees which due dates move
// before saving.

// DueDateMove is an open application whose stored due date an edit would
// change.
type DueDateMove struct {
	ApplicationID int64
	Number        string
	Title         string
	Status        models.Status
	From          models.Date // the stored due date; zero when it could not be computed
	To            models.Date // the due date under the edited calendar; zero when it cannot be computed
	// Warning is true when the new due date depends on an unconfirmed year
	// or cannot be computed (a year is missing).
	Warning bool
}

// CalendarPreview is the effect of replacing one year's days.
type CalendarPreview struct {
	Year    models.CalendarYear
	Days    []models.CalendarDay // the edited year's days, in date order
	Changes []models.CalendarDayChange
	Moves   []DueDateMove
	Checked int // open applications of the agency checked
	// Checksum identifies the year's days as they stood when the preview
	// was made; saving with a different checksum is a conflict.
	Checksum string
	// Existing is false when the year is not loaded yet (an import).
	Existing bool
}

// calendarChecksum identifies a year's stored state.
func calendarChecksum(y models.CalendarYear, ok bool, days []models.CalendarDay) string {
	h := sha256.New()
	if ok {
		fmt.Fprintf(h, "%d %s %s %s\n", y.Year, y.Status, y.Source, y.NoticeRef)
	}
	h.Write([]byte(models.FormatCalendarText(days)))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// PreviewCalendarYear computes what replacing year y with days would do:
// the days that change, and the open applications of the agency whose due
// dates move, from → to. Nothing is written. The calendar is national, so a
// deployment serving several agencies moves their dates too; each
// administrator sees their own agency's.
func (s *Store) PreviewCalendarYear(ctx context.Context, agencyID int64, y models.CalendarYear, days []models.CalendarDay) (*CalendarPreview, error) {
	if err := y.Validate(days); err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	cur, existing := cal.Year(y.Year)
	before := cal.Days(y.Year)
	next, err := cal.WithYear(y, days)
	if err != nil {
		return nil, err
	}
	p := &CalendarPreview{Year: y, Days: next.Days(y.Year), Changes: models.DiffCalendarDays(before, days),
		Checksum: calendarChecksum(cur, existing, before), Existing: existing}
	rules, err := s.ClockRules(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	apps, ledgers, err := s.openLedgers(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	for _, app := range apps {
		p.Checked++
		d, err := derive(ledgers[app.ID], next, rules, today)
		if err != nil {
			// A ledger the edited calendar makes invalid (say, an extension
			// now decided after the due date) is shown as a warning.
			p.Moves = append(p.Moves, DueDateMove{ApplicationID: app.ID, Number: app.Number, Title: app.Title,
				Status: app.Status, From: app.DueOn, Warning: true})
			continue
		}
		if d.dueOn != app.DueOn {
			p.Moves = append(p.Moves, DueDateMove{ApplicationID: app.ID, Number: app.Number, Title: app.Title,
				Status: app.Status, From: app.DueOn, To: d.dueOn, Warning: d.calendarWarning})
		}
	}
	return p, nil
}

// openLedgers loads an agency's open applications and their ledgers with
// two queries.
func (s *Store) openLedgers(ctx context.Context, agencyID int64) ([]*models.Application, map[int64][]models.Event, error) {
	const open = `status NOT IN ('answered', 'terminated', 'withdrawn', 'archived')`
	rows, err := s.db.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE agency_id = ? AND `+open+` ORDER BY id`, agencyID)
	if err != nil {
		return nil, nil, fmt.Errorf("list open applications: %w", err)
	}
	var apps []*models.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		apps = append(apps, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	erows, err := s.db.QueryContext(ctx, `SELECT e.id, e.application_id, e.seq, e.kind, e.occurred_on, e.recorded_at,
		e.actor_kind, e.actor_id, e.data FROM application_events e JOIN applications a ON a.id = e.application_id
		WHERE a.agency_id = ? AND a.`+open+` ORDER BY e.application_id, e.seq`, agencyID)
	if err != nil {
		return nil, nil, fmt.Errorf("load open ledgers: %w", err)
	}
	defer erows.Close()
	ledgers := map[int64][]models.Event{}
	for erows.Next() {
		var e models.Event
		var data string
		if err := erows.Scan(&e.ID, &e.ApplicationID, &e.Seq, &e.Kind, &e.On, scanTime{&e.RecordedAt},
			&e.ActorKind, &e.ActorID, &data); err != nil {
			return nil, nil, fmt.Errorf("load open ledgers: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, nil, fmt.Errorf("load open ledgers: event %d: %w", e.ID, err)
		}
		ledgers[e.ApplicationID] = append(ledgers[e.ApplicationID], e)
	}
	return apps, ledgers, erows.Err()
}

// calendarAudit is what the trail records of a year.
func calendarAudit(y models.CalendarYear, days []models.CalendarDay) map[string]any {
	return map[string]any{"status": y.Status, "source": y.Source, "notice_ref": y.NoticeRef,
		"days": strings.Split(strings.TrimSpace(models.FormatCalendarText(days)), "\n")}
}

// ApplyCalendarYear saves an administrator's edit of year y, if the year
// still stands as it did when the preview with checksum was made, then
// recomputes every open deadline (SaveCalendarYear) and records the change
// in the audit trail. It returns how many due dates moved.
func (s *Store) ApplyCalendarYear(ctx context.Context, agencyID int64, y models.CalendarYear, days []models.CalendarDay, checksum string) (int, error) {
	if err := y.Validate(days); err != nil {
		return 0, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	cur, existing := cal.Year(y.Year)
	before := cal.Days(y.Year)
	if calendarChecksum(cur, existing, before) != checksum {
		return 0, models.Errorf(models.ECONFLICT, "%d年的节假日安排刚刚被他人修改，请重新预览后再保存。", y.Year)
	}
	if _, err := cal.WithYear(y, days); err != nil {
		return 0, err
	}
	moved, err := s.SaveCalendarYear(ctx, y, days)
	if err != nil {
		return moved, err
	}
	var old any
	if existing {
		old = calendarAudit(cur, before)
	}
	after := calendarAudit(y, days)
	after["due_dates_moved"] = moved
	err = s.RecordAudit(ctx, models.AuditEntry{AgencyID: agencyID, Action: models.AuditCalendarSaved,
		ObjectType: models.AuditObjectCalendarYear, ObjectID: fmt.Sprint(y.Year),
		Before: models.AuditData(old), After: models.AuditData(after)})
	return moved, err
}

// ApplyConfirmCalendarYear marks a year as checked by userID against the
// State Council notice noticeRef and records it in the audit trail.
func (s *Store) ApplyConfirmCalendarYear(ctx context.Context, agencyID int64, year int, noticeRef string, userID int64) error {
	if err := models.CheckNoticeRef("confirm_notice", noticeRef); err != nil {
		return err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	cur, ok := cal.Year(year)
	if !ok {
		return models.Errorf(models.ENOTFOUND, "%d年的节假日安排尚未载入。", year)
	}
	if err := s.ConfirmCalendarYear(ctx, year, strings.TrimSpace(noticeRef), userID); err != nil {
		return err
	}
	next := cur
	next.Status = models.YearConfirmed
	if n := strings.TrimSpace(noticeRef); n != "" {
		next.NoticeRef = n
	}
	return s.RecordAudit(ctx, models.AuditEntry{AgencyID: agencyID, Action: models.AuditCalendarConfirmed,
		ObjectType: models.AuditObjectCalendarYear, ObjectID: fmt.Sprint(year),
		Before: models.AuditData(map[string]any{"status": cur.Status, "notice_ref": cur.NoticeRef}),
		After:  models.AuditData(map[string]any{"status": next.Status, "notice_ref": next.NoticeRef})})
}
