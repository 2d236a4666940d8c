package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"gongkai/models"
)

// Clock-rule setting names (agency_settings). Each maps to a field of
// models.ClockRules; unset names keep the default.
var clockSettings = map[string]func(r *models.ClockRules, v string) error{
	"clock.answer_days":             intSetting(func(r *models.ClockRules) *int { return &r.AnswerDays }),
	"clock.extension_max_days":      intSetting(func(r *models.ClockRules) *int { return &r.ExtensionMaxDays }),
	"clock.correction_notice_days":  intSetting(func(r *models.ClockRules) *int { return &r.CorrectionNoticeDays }),
	"clock.consultation_days":       intSetting(func(r *models.ClockRules) *int { return &r.ConsultationDays }),
	"clock.fee_payment_days":        intSetting(func(r *models.ClockRules) *int { return &r.FeePaymentDays }),
	"clock.internal_due_offset":     intSetting(func(r *models.ClockRules) *int { return &r.InternalDueOffset }),
	"clock.due_soon_days":           intSetting(func(r *models.ClockRules) *int { return &r.DueSoonDays }),
	"clock.exclude_fee_wait":        boolSetting(func(r *models.ClockRules) *bool { return &r.ExcludeFeeWait }),
	"clock.allow_second_correction": boolSetting(func(r *models.ClockRules) *bool { return &r.AllowSecondCorrection }),
}

func intSetting(field func(*models.ClockRules) *int) func(*models.ClockRules, string) error {
	return func(r *models.ClockRules, v string) error {
		n, err := strconv.Atoi(v)
		*field(r) = n
		return err
	}
}

func boolSetting(field func(*models.ClockRules) *bool) func(*models.ClockRules, string) error {
	return func(r *models.ClockRules, v string) error {
		b, err := strconv.ParseBool(v)
		*field(r) = b
		return err
	}
}

// ClockRules returns an agency's clock settings: the defaults, overridden
// by the agency's clock.* settings.
func (s *Store) ClockRules(ctx context.Context, agencyID int64) (models.ClockRules, error) {
	r := models.DefaultClockRules()
	settings, err := s.AgencySettings(ctx, agencyID)
	if err != nil {
		return r, err
	}
	for name, set := range clockSettings {
		if v, ok := settings[name]; ok {
			if err := set(&r, v); err != nil {
				return r, fmt.Errorf("agency setting %s=%q: %w", name, v, err)
			}
		}
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("agency %d clock settings: %w", agencyID, err)
	}
	return r, nil
}

// derived is what the application row stores from its ledger.
type derived struct {
	status          models.Status
	receivedOn      models.Date
	dueOn           models.Date
	internalDueOn   models.Date
	clockState      models.ClockState
	calendarWarning bool
	sectionID       int64
	outcome         models.Outcome
	closedOn        models.Date
	// sections are the current assignments with each section's internal
	// due date (application_sections).
	sections []sectionDue
}

// sectionDue is one row of application_sections.
type sectionDue struct {
	models.Assignment
	dueOn models.Date
}

// derive folds a ledger into the stored columns. A due date that needs a
// calendar year not loaded yet is stored as unknown (NULL) with the
// calendar warning set, never guessed.
func derive(events []models.Event, cal *models.Calendar, rules models.ClockRules, today models.Date) (derived, error) {
	life, err := models.Lifecycle(events)
	if err != nil {
		return derived{}, err
	}
	d := derived{status: life.Status, receivedOn: life.ReceivedOn, sectionID: life.SectionID,
		outcome: life.Outcome, closedOn: life.ClosedOn}
	clock, err := models.ComputeClock(events, cal, rules, today)
	for _, a := range life.Assignments {
		// Without a clock (a missing calendar year) a section keeps the
		// date the office gave, if any.
		d.sections = append(d.sections, sectionDue{Assignment: a, dueOn: clock.SectionDueOn(a)})
	}
	switch {
	case err == nil:
		d.dueOn, d.internalDueOn, d.clockState = clock.DueOn, clock.InternalDueOn, clock.State
		d.calendarWarning = clock.Unconfirmed
	case errors.Is(err, models.ErrBeyondCalendar):
		d.calendarWarning = true
		switch life.Status {
		case models.StatusPending:
			d.clockState = models.ClockNotStarted
		case models.StatusCorrecting, models.StatusConsulting, models.StatusAwaitingFee:
			d.clockState = models.ClockPaused
		default:
			if life.Status.Open() {
				d.clockState = models.ClockRunning
			} else {
				d.clockState = models.ClockStopped
			}
		}
	default:
		return derived{}, err
	}
	return d, nil
}

// AppendEvent records an event on an application and, in the same
// transaction, recomputes its status and clock columns. The event is
// checked against the whole ledger first (models.CanAppend): an invalid
// sequence is refused with a message staff can read. expectVersion, when
// not zero, is the version the user's form was built from; a newer
// version means someone else acted meanwhile (ECONFLICT).
func (s *Store) AppendEvent(ctx context.Context, agencyID, applicationID int64, e models.Event, expectVersion int) (*models.Application, error) {
	cal, rules, err := s.clockInputs(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	var app *models.Application
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		app, err = s.appendEventTx(ctx, tx, agencyID, applicationID, &e, expectVersion, cal, rules)
		return err
	})
	return app, err
}

func (s *Store) clockInputs(ctx context.Context, agencyID int64) (*models.Calendar, models.ClockRules, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, models.ClockRules{}, err
	}
	rules, err := s.ClockRules(ctx, agencyID)
	return cal, rules, err
}

// appendEventTx is AppendEvent inside a caller's transaction, for store
// methods that write a notice or files together with the event.
func (s *Store) appendEventTx(ctx context.Context, tx *sql.Tx, agencyID, applicationID int64, e *models.Event,
	expectVersion int, cal *models.Calendar, rules models.ClockRules) (*models.Application, error) {
	app, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`+s.forUpdate(), agencyID, applicationID))
	if err != nil {
		return nil, err
	}
	if expectVersion != 0 && app.Version != expectVersion {
		return nil, models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。")
	}
	events, err := s.loadEvents(ctx, tx, applicationID)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	today := models.DateOf(now, s.loc)
	e.ApplicationID = applicationID
	e.Seq = len(events) + 1
	e.RecordedAt = now
	if e.On.IsZero() {
		e.On = today
	}
	if err := e.Validate(); err != nil {
		return nil, models.WrapError(models.EINVALID, err, "记录的信息不完整，请检查后重试。")
	}
	if err := models.CanAppend(events, *e, cal, rules, today); err != nil {
		return nil, err
	}
	if err := s.insertEvent(ctx, tx, agencyID, e); err != nil {
		return nil, err
	}
	events = append(events, *e)
	d, err := derive(events, cal, rules, today)
	if err != nil {
		return nil, err
	}
	if err := s.storeDerived(ctx, tx, app, d, now); err != nil {
		return nil, err
	}
	return app, nil
}

// storeDerived writes the derived columns and bumps the version.
func (s *Store) storeDerived(ctx context.Context, tx *sql.Tx, app *models.Application, d derived, now any) error {
	var section any
	if d.sectionID != 0 {
		section = d.sectionID
	}
	_, err := tx.ExecContext(ctx, `UPDATE applications SET status = ?, received_on = ?, due_on = ?,
		internal_due_on = ?, clock_state = ?, calendar_warning = ?, section_id = ?, outcome = ?, closed_on = ?,
		version = version + 1, updated_at = ? WHERE id = ?`,
		string(d.status), d.receivedOn, d.dueOn, d.internalDueOn, string(d.clockState), d.calendarWarning,
		section, string(d.outcome), d.closedOn, now, app.ID)
	if err != nil {
		return fmt.Errorf("update application %s: %w", app.Number, err)
	}
	app.Status, app.ReceivedOn, app.DueOn, app.InternalDueOn = d.status, d.receivedOn, d.dueOn, d.internalDueOn
	app.ClockState, app.CalendarWarning, app.SectionID = string(d.clockState), d.calendarWarning, d.sectionID
	app.Outcome, app.ClosedOn = d.outcome, d.closedOn
	app.Version++
	return s.storeSections(ctx, tx, app, d.sections)
}

// storeSections rewrites an application's rows of application_sections.
func (s *Store) storeSections(ctx context.Context, tx *sql.Tx, app *models.Application, sections []sectionDue) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM application_sections WHERE application_id = ?`, app.ID); err != nil {
		return fmt.Errorf("update sections of %s: %w", app.Number, err)
	}
	for _, sd := range sections {
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_sections (application_id, agency_id, section_id, role,
			assigned_on, internal_due_on) VALUES (?, ?, ?, ?, ?, ?)`,
			app.ID, app.AgencyID, sd.SectionID, string(sd.Role), sd.Since, sd.dueOn); err != nil {
			return fmt.Errorf("update sections of %s: %w", app.Number, err)
		}
	}
	return nil
}

// Clock computes an application's clock from its ledger for display: the
// due date with its working in words, pauses, days left.
func (s *Store) Clock(ctx context.Context, app *models.Application) (models.Clock, error) {
	cal, rules, err := s.clockInputs(ctx, app.AgencyID)
	if err != nil {
		return models.Clock{}, err
	}
	events, err := s.Events(ctx, app.ID)
	if err != nil {
		return models.Clock{}, err
	}
	return models.ComputeClock(events, cal, rules, s.Today())
}

// RecomputeOpen recomputes the stored clock of every open application of
// every agency, after a calendar change. Where the due date moved, it
// records a calendar_change_applied event with the old and new dates, so
// the applicant's timeline and the case file show why. It returns how many
// due dates moved.
func (s *Store) RecomputeOpen(ctx context.Context, comment string) (int, error) {
	return s.recomputeOpen(ctx, comment, true)
}

// RecomputeOpenClocks recomputes the stored clock of every open
// application for today, as the daily job does: while a consultation or a
// fee wait is open the due date is provisional and moves later day by day
// (models.Clock.DueOn), and the lists and reminders read the stored one.
// Nothing is recorded on the ledgers: no rule changed. It returns how many
// stored due dates moved.
func (s *Store) RecomputeOpenClocks(ctx context.Context) (int, error) {
	return s.recomputeOpen(ctx, "", false)
}

func (s *Store) recomputeOpen(ctx context.Context, comment string, record bool) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, agency_id FROM applications
		WHERE status NOT IN ('answered', 'terminated', 'withdrawn', 'archived') ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("list open applications: %w", err)
	}
	type ref struct{ id, agency int64 }
	var open []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.agency); err != nil {
			rows.Close()
			return 0, err
		}
		open = append(open, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	moved := 0
	inputs := map[int64]models.ClockRules{}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	for _, r := range open {
		rules, ok := inputs[r.agency]
		if !ok {
			if rules, err = s.ClockRules(ctx, r.agency); err != nil {
				return moved, err
			}
			inputs[r.agency] = rules
		}
		var changed bool
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			changed, err = s.recomputeTx(ctx, tx, r.agency, r.id, cal, rules, comment, record)
			return err
		})
		if err != nil {
			return moved, err
		}
		if changed {
			moved++
		}
	}
	return moved, nil
}

func (s *Store) recomputeTx(ctx context.Context, tx *sql.Tx, agencyID, id int64, cal *models.Calendar,
	rules models.ClockRules, comment string, record bool) (bool, error) {
	app, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`+s.forUpdate(), agencyID, id))
	if err != nil {
		return false, err
	}
	events, err := s.loadEvents(ctx, tx, id)
	if err != nil {
		return false, err
	}
	now := s.nowUTC()
	today := models.DateOf(now, s.loc)
	d, err := derive(events, cal, rules, today)
	if err != nil {
		return false, fmt.Errorf("recompute %s: %w", app.Number, err)
	}
	moved := d.dueOn != app.DueOn
	if record && moved && !app.DueOn.IsZero() && !d.dueOn.IsZero() {
		e := models.Event{ApplicationID: id, Seq: len(events) + 1, Kind: models.EventCalendarChangeApplied,
			On: today, RecordedAt: now, ActorKind: models.ActorSystem,
			Data: models.EventData{OldDueOn: app.DueOn, NewDueOn: d.dueOn, Comment: comment}}
		if err := s.insertEvent(ctx, tx, agencyID, &e); err != nil {
			return false, err
		}
	}
	if !moved && d.calendarWarning == app.CalendarWarning && string(d.clockState) == app.ClockState &&
		d.internalDueOn == app.InternalDueOn && d.status == app.Status {
		return false, nil
	}
	return moved, s.storeDerived(ctx, tx, app, d, now)
}

// SaveCalendarYear replaces one year's days (an administrator's import or
// correction) and recomputes every open deadline. The year is stored as
// given, confirmed or not. It returns how many due dates moved.
func (s *Store) SaveCalendarYear(ctx context.Context, y models.CalendarYear, days []models.CalendarDay) (int, error) {
	if err := s.putCalendarYear(ctx, y, days, true); err != nil {
		return 0, err
	}
	return s.RecomputeOpen(ctx, fmt.Sprintf("%d年节假日安排已更新", y.Year))
}

// ConfirmCalendarYear marks a year as checked against the State Council
// notice by userID (0 for the command line). Deadlines in it lose their
// warning.
func (s *Store) ConfirmCalendarYear(ctx context.Context, year int, noticeRef string, userID int64) error {
	now := s.nowUTC()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var by any
		if userID != 0 {
			by = userID
		}
		res, err := tx.ExecContext(ctx, `UPDATE calendar_years SET status = ?, notice_ref = CASE WHEN ? = '' THEN notice_ref ELSE ? END,
			confirmed_by = ?, confirmed_at = ?, updated_at = ? WHERE year = ?`,
			string(models.YearConfirmed), noticeRef, noticeRef, by, now, now, year)
		if err != nil {
			return fmt.Errorf("confirm calendar %d: %w", year, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return models.Errorf(models.ENOTFOUND, "%d年的节假日安排尚未载入。", year)
		}
		_, err = s.nextValue(ctx, tx, 0, calendarVersionName, 0)
		return err
	})
	if err != nil {
		return err
	}
	_, err = s.RecomputeOpen(ctx, fmt.Sprintf("%d年节假日安排已核对", year))
	return err
}
