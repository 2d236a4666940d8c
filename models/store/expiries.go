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

// Expiries are what ApplyExpiries appended.
type Expiries struct {
	Corrections   int // 补正期限届满: ended as 其他处理-1
	Fees          int // 缴费期限届满: ended as 其他处理-2
	Consultations int // 征求意见期限届满: the clock resumes
	// NoCalendar counts applications whose periods need a calendar year
	// that is not loaded: nothing is decided for them until it is.
	NoCalendar int
}

// ApplyExpiries appends, for every open application of every agency that
// waits for a correction, a reply or a payment, the expiry events its
// ledger calls for today (models.DueExpiries), each application in its own
// transaction with its clock recomputed. The events are the system's
// (models.ActorSystem). An application that cannot be handled does not
// stop the others; their numbers are in the error.
func (s *Store) ApplyExpiries(ctx context.Context) (Expiries, error) {
	var out Expiries
	rows, err := s.db.QueryContext(ctx, `SELECT id, agency_id, number FROM applications WHERE status IN (?, ?, ?) ORDER BY id`,
		string(models.StatusCorrecting), string(models.StatusConsulting), string(models.StatusAwaitingFee))
	if err != nil {
		return out, fmt.Errorf("expiries: list: %w", err)
	}
	type ref struct {
		id, agency int64
		number     string
	}
	var todo []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.agency, &r.number); err != nil {
			rows.Close()
			return out, err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return out, err
	}
	rules := map[int64]models.ClockRules{}
	var failed []string
	var errs []error
	for _, r := range todo {
		rr, ok := rules[r.agency]
		if !ok {
			if rr, err = s.ClockRules(ctx, r.agency); err != nil {
				return out, err
			}
			rules[r.agency] = rr
		}
		var applied []models.Event
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			applied, err = s.expireTx(ctx, tx, r.agency, r.id, cal, rr)
			return err
		})
		switch {
		case errors.Is(err, models.ErrBeyondCalendar):
			out.NoCalendar++
			continue
		case err != nil:
			failed = append(failed, r.number)
			errs = append(errs, fmt.Errorf("%s: %w", r.number, err))
			continue
		}
		for _, e := range applied {
			switch e.Kind {
			case models.EventCorrectionExpired:
				out.Corrections++
			case models.EventFeeExpired:
				out.Fees++
			case models.EventConsultationExpired:
				out.Consultations++
			}
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("expiries failed for %s: %w", strings.Join(failed, ", "), errors.Join(errs...))
	}
	return out, nil
}

// expireTx applies one application's expiries inside tx.
func (s *Store) expireTx(ctx context.Context, tx *sql.Tx, agencyID, id int64, cal *models.Calendar, rules models.ClockRules) ([]models.Event, error) {
	app, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`+s.forUpdate(), agencyID, id))
	if err != nil {
		return nil, err
	}
	events, err := s.loadEvents(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	today := models.DateOf(now, s.loc)
	due, err := models.DueExpiries(events, cal, rules, today)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	for i := range due {
		e := &due[i]
		e.ApplicationID, e.Seq, e.RecordedAt = id, len(events)+1, now
		if err := models.CanAppend(events, *e, cal, rules, today); err != nil {
			return nil, err
		}
		if err := s.insertEvent(ctx, tx, agencyID, e); err != nil {
			return nil, err
		}
		events = append(events, *e)
	}
	d, err := derive(events, cal, rules, today)
	if err != nil {
		return nil, err
	}
	return due, s.storeDerived(ctx, tx, app, d, now)
}

// DailyJobName is the name of the daily clock job in job_runs.
const DailyJobName = "daily"

// DailyJob is the daily clock job: it applies the day's expiries
// (ApplyExpiries), recomputes every open clock (RecomputeOpenClocks: open
// pauses make due dates provisional), and purges expired staged uploads,
// old rate-limit rows and the records of signed-out tracking sessions that
// have ended. It returns a summary in Chinese; an error in one part does
// not stop the others.
func (s *Store) DailyJob(ctx context.Context) (string, error) {
	var parts []string
	var errs []error
	exp, err := s.ApplyExpiries(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	parts = append(parts, fmt.Sprintf("期限届满：补正%d件、缴费%d件、征求意见%d件", exp.Corrections, exp.Fees, exp.Consultations))
	if exp.NoCalendar > 0 {
		parts = append(parts, fmt.Sprintf("%d件因所涉年份节假日安排未载入未作判断", exp.NoCalendar))
	}
	moved, err := s.RecomputeOpenClocks(ctx)
	if err != nil {
		errs = append(errs, fmt.Errorf("recompute clocks: %w", err))
	}
	parts = append(parts, fmt.Sprintf("重新计算答复期限，%d件的期限有变化", moved))
	staged, err := s.PurgeStagedUploads(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	limits, err := s.PurgeRateLimits(ctx, 24*time.Hour)
	if err != nil {
		errs = append(errs, err)
	}
	revoked, err := s.PurgeTrackRevocations(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	parts = append(parts, fmt.Sprintf("清理过期暂存文件%d个、访问计数%d条、已退出的查询会话%d条", staged, limits, revoked))
	return strings.Join(parts, "；") + "。", errors.Join(errs...)
}
