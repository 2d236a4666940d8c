package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
)

// Row is an application written straight into the database with its
// stored columns (status, clock, sections, outcome) as given, without a
// ledger: for tests of lists and counts that need applications in exact
// states, and for benchmarks that need many. Pages that replay the ledger
// (the application's own page, its clock) do not work on such rows.
type Row struct {
	ApplicantName string
	ApplicantKind models.ApplicantKind // default 自然人
	Channel       models.Channel       // default online
	Status        models.Status
	Clock         models.ClockState // default from Status
	SubmittedAt   time.Time         // default: the day before ReceivedOn, else the store's now
	ReceivedOn    models.Date
	DueOn         models.Date
	ClosedOn      models.Date
	Outcome       models.Outcome
	Warning       bool // calendar_warning
	Title         string
	Description   string
	Lead          int64   // the 主办 section, 0 for none
	Assist        []int64 // 协办 sections
}

// insertBatch is how many rows one INSERT statement carries.
const insertBatch = 250

// InsertRows writes rows as applications of the agency in one transaction
// and returns their numbers, in order. Numbers continue after the highest
// sequence of their year, from 500001 on, so that they never meet the
// numbers SubmitApplication hands out in a test.
func InsertRows(tb testing.TB, s *store.Store, agencyID int64, rows []Row) []string {
	tb.Helper()
	numbers, err := insertRows(context.Background(), s, agencyID, rows)
	if err != nil {
		tb.Fatalf("insert %d applications: %v", len(rows), err)
	}
	return numbers
}

func insertRows(ctx context.Context, s *store.Store, agencyID int64, rows []Row) ([]string, error) {
	agency, err := s.Agency(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := s.Now().UTC().Truncate(time.Microsecond)

	// One applicant per name and kind.
	applicants := map[string]int64{}
	for _, r := range rows {
		key := string(kindOf(r)) + "\x00" + r.ApplicantName
		if _, ok := applicants[key]; ok {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO applicants (agency_id, kind, name, created_at) VALUES (?, ?, ?, ?)`,
			agencyID, string(kindOf(r)), r.ApplicantName, now)
		if err != nil {
			return nil, fmt.Errorf("applicant: %w", err)
		}
		if applicants[key], err = res.LastInsertId(); err != nil {
			return nil, err
		}
	}

	// Sequences continue per year.
	next := map[int]int{}
	numbers := make([]string, len(rows))
	years := make([]int, len(rows))
	seqs := make([]int, len(rows))
	for i, r := range rows {
		sub := submittedAt(s, r)
		y := models.DateOf(sub, s.Location()).Year()
		if _, ok := next[y]; !ok {
			var max sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM applications WHERE agency_id = ? AND year = ?`, agencyID, y).Scan(&max); err != nil {
				return nil, err
			}
			next[y] = int(max.Int64)
			if next[y] < 500000 {
				next[y] = 500000
			}
		}
		next[y]++
		years[i], seqs[i] = y, next[y]
		numbers[i] = models.ApplicationNumber(agency.Code, y, next[y])
	}

	const cols = `(agency_id, number, year, seq, applicant_id, applicant_kind, channel, source, status, submitted_at, received_on,
		title, description, purpose, form_wanted, delivery, query_code_hash, due_on, internal_due_on, clock_state,
		calendar_warning, section_id, outcome, closed_on, version, created_at, updated_at)`
	const marks = `(?, ?, ?, ?, ?, ?, ?, 'test', ?, ?, ?, ?, ?, '', 'electronic', 'online', 'x', ?, NULL, ?, ?, ?, ?, ?, 1, ?, ?)`
	for start := 0; start < len(rows); start += insertBatch {
		end := min(start+insertBatch, len(rows))
		var args []any
		for i := start; i < end; i++ {
			r := rows[i]
			var lead any
			if r.Lead != 0 {
				lead = r.Lead
			}
			ch := r.Channel
			if ch == "" {
				ch = models.ChannelOnline
			}
			args = append(args, agencyID, numbers[i], years[i], seqs[i], applicants[string(kindOf(r))+"\x00"+r.ApplicantName],
				string(kindOf(r)), string(ch), string(r.Status), submittedAt(s, r), r.ReceivedOn, r.Title, r.Description, r.DueOn,
				string(clockOf(r)), r.Warning, lead, string(r.Outcome), r.ClosedOn, now, now)
		}
		q := `INSERT INTO applications ` + cols + ` VALUES ` + strings.TrimSuffix(strings.Repeat(marks+", ", end-start), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return nil, fmt.Errorf("applications: %w", err)
		}
	}

	// The sections: the lead and the assisting ones, as the ledger would
	// have them.
	ids := map[string]int64{}
	idRows, err := tx.QueryContext(ctx, `SELECT id, number FROM applications WHERE agency_id = ? AND seq > 500000`, agencyID)
	if err != nil {
		return nil, err
	}
	for idRows.Next() {
		var id int64
		var number string
		if err := idRows.Scan(&id, &number); err != nil {
			idRows.Close()
			return nil, err
		}
		ids[number] = id
	}
	idRows.Close()
	if err := idRows.Err(); err != nil {
		return nil, err
	}
	var secArgs []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := `INSERT INTO application_sections (application_id, agency_id, section_id, role, assigned_on) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
		_, err := tx.ExecContext(ctx, q, secArgs...)
		secArgs, n = secArgs[:0], 0
		return err
	}
	for i, r := range rows {
		if r.Lead == 0 && len(r.Assist) == 0 {
			continue
		}
		id := ids[numbers[i]]
		on := r.ReceivedOn
		if on.IsZero() {
			on = models.DateOf(submittedAt(s, r), s.Location())
		}
		if r.Lead != 0 {
			secArgs = append(secArgs, id, agencyID, r.Lead, string(models.RoleLead), on)
			n++
		}
		for _, a := range r.Assist {
			secArgs = append(secArgs, id, agencyID, a, string(models.RoleAssist), on)
			n++
		}
		if n >= insertBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return numbers, tx.Commit()
}

func kindOf(r Row) models.ApplicantKind {
	if r.ApplicantKind == "" {
		return models.ApplicantPerson
	}
	return r.ApplicantKind
}

func clockOf(r Row) models.ClockState {
	switch {
	case r.Clock != "":
		return r.Clock
	case r.Status == models.StatusPending:
		return models.ClockNotStarted
	case !r.Status.Open():
		return models.ClockStopped
	case r.Status == models.StatusConsulting || r.Status == models.StatusCorrecting:
		return models.ClockPaused
	}
	return models.ClockRunning
}

func submittedAt(s *store.Store, r Row) time.Time {
	switch {
	case !r.SubmittedAt.IsZero():
		return r.SubmittedAt.UTC()
	case !r.ReceivedOn.IsZero():
		return r.ReceivedOn.AddDays(-1).Time(s.Location()).Add(10 * time.Hour).UTC()
	}
	return s.Now().UTC().Truncate(time.Microsecond)
}
