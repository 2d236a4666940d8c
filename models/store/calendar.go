package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"

	"gongkai/models"
)

// calendarCache keeps the built models.Calendar between requests. Every
// calendar write bumps a version counter in the database (the sequences
// row calendarVersionName), and readers compare it with one primary-key
// read, so an edit made through any portal process is seen by all.
type calendarCache struct {
	mu      sync.Mutex
	version int
	cal     *models.Calendar
}

const calendarVersionName = "calendar_version"

func (s *Store) calendarVersion(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT last_value FROM sequences WHERE agency_id = 0 AND name = ? AND year = 0`,
		calendarVersionName).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

// Calendar returns the working-day calendar built from the loaded years.
func (s *Store) Calendar(ctx context.Context) (*models.Calendar, error) {
	v, err := s.calendarVersion(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("calendar version: %w", err)
	}
	s.cal.mu.Lock()
	defer s.cal.mu.Unlock()
	if s.cal.cal != nil && s.cal.version == v {
		return s.cal.cal, nil
	}
	cal, err := s.loadCalendar(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.cal.cal, s.cal.version = cal, v
	return cal, nil
}

func (s *Store) loadCalendar(ctx context.Context, q queryer) (*models.Calendar, error) {
	years, err := s.calendarYears(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(years) == 0 {
		return nil, models.Errorf(models.EUNAVAILABLE, "尚未载入任何年度的节假日安排，无法计算工作日。")
	}
	rows, err := q.QueryContext(ctx, `SELECT day, kind, name FROM calendar_days ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("load calendar days: %w", err)
	}
	defer rows.Close()
	var days []models.CalendarDay
	for rows.Next() {
		var d models.CalendarDay
		if err := rows.Scan(&d.Day, &d.Kind, &d.Name); err != nil {
			return nil, fmt.Errorf("load calendar days: %w", err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return models.NewCalendar(years, days)
}

// CalendarYears lists the loaded years.
func (s *Store) CalendarYears(ctx context.Context) ([]models.CalendarYear, error) {
	return s.calendarYears(ctx, s.db)
}

func (s *Store) calendarYears(ctx context.Context, q queryer) ([]models.CalendarYear, error) {
	rows, err := q.QueryContext(ctx, `SELECT year, status, source, notice_ref FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("load calendar years: %w", err)
	}
	defer rows.Close()
	var out []models.CalendarYear
	for rows.Next() {
		var y models.CalendarYear
		if err := rows.Scan(&y.Year, &y.Status, &y.Source, &y.NoticeRef); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// EnsureCalendar loads, on first run, the built-in 2024–2026 schedules
// (confirmed) and the later years lunar-go carries (未核对, to be confirmed
// by an administrator against the State Council notice). Years already in
// the database are left alone: an administrator's edits win. It returns the
// years it loaded.
func (s *Store) EnsureCalendar(ctx context.Context) ([]int, error) {
	have, err := s.calendarYears(ctx, s.db)
	if err != nil {
		return nil, err
	}
	loaded := map[int]bool{}
	last := 0
	for _, y := range have {
		loaded[y.Year] = true
	}
	builtYears, builtDays := models.BuiltinCalendar()
	byYear := map[int][]models.CalendarDay{}
	for _, d := range builtDays {
		byYear[d.Day.Year()] = append(byYear[d.Day.Year()], d)
	}
	var added []int
	for _, y := range builtYears {
		last = max(last, y.Year)
		if loaded[y.Year] {
			continue
		}
		if err := s.putCalendarYear(ctx, y, byYear[y.Year], false); err != nil {
			return added, err
		}
		added = append(added, y.Year)
	}
	// lunar-go carries the next year's schedule as soon as the State Council
	// publishes it (2027 in v1.4.7). Load what it has beyond the built-in
	// years, marked unconfirmed.
	for y := last + 1; y <= last+3; y++ {
		if loaded[y] {
			continue
		}
		year, days, err := LunarYear(y)
		if err != nil || len(days) == 0 {
			break
		}
		if err := s.putCalendarYear(ctx, year, days, false); err != nil {
			return added, err
		}
		added = append(added, y)
	}
	return added, nil
}

// putCalendarYear stores a year's days, replacing any it had, and bumps the
// calendar version. It does not recompute deadlines; SaveCalendarYear does.
func (s *Store) putCalendarYear(ctx context.Context, y models.CalendarYear, days []models.CalendarDay, replace bool) error {
	if _, err := models.NewCalendar([]models.CalendarYear{y}, days); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		return s.putCalendarYearTx(ctx, tx, y, days, replace, now)
	})
}

func (s *Store) putCalendarYearTx(ctx context.Context, tx *sql.Tx, y models.CalendarYear, days []models.CalendarDay, replace bool, now any) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_years WHERE year = ?`, y.Year).Scan(&n); err != nil {
		return err
	}
	switch {
	case n > 0 && !replace:
		return nil // another process loaded it first
	case n > 0:
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE year = ?`, y.Year); err != nil {
			return fmt.Errorf("replace calendar %d: %w", y.Year, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calendar_years SET status = ?, source = ?, notice_ref = ?,
			confirmed_by = NULL, confirmed_at = NULL, updated_at = ? WHERE year = ?`,
			string(y.Status), y.Source, y.NoticeRef, now, y.Year); err != nil {
			return fmt.Errorf("replace calendar %d: %w", y.Year, err)
		}
	default:
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_years (year, status, source, notice_ref, updated_at)
			VALUES (?, ?, ?, ?, ?)`, y.Year, string(y.Status), y.Source, y.NoticeRef, now); err != nil {
			if isUniqueViolation(err) {
				return nil
			}
			return fmt.Errorf("load calendar %d: %w", y.Year, err)
		}
	}
	sorted := append([]models.CalendarDay(nil), days...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Day.Before(sorted[j].Day) })
	for _, d := range sorted {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)`,
			d.Day, y.Year, string(d.Kind), d.Name); err != nil {
			return fmt.Errorf("load calendar day %s: %w", d.Day, err)
		}
	}
	_, err := s.nextValue(ctx, tx, 0, calendarVersionName, 0)
	return err
}
