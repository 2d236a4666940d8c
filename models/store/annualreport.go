package store

// The 政府信息公开工作年度报告 (条例第四十九条、第五十条; 国办公开办函〔2021〕30号):
// the counting rules are in models/annualreport.go; this file feeds them
// from the database, keeps what the office enters for a year, the first
// year's opening balance and the cases from before go-live, and publishes
// locked versions (snapshot, PDF and XLSX) with their correction history.

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/models"
)

// CountPath is how the store counts table 三's cases.
type CountPath int

// Count paths. Both feed models.AnnualTally, so the counting rules are
// written once, and both read the same cases: the covering indexes
// applications_report_kind (with the applicant's kind copied onto the
// application), never the wide application and applicant rows. A property test (annualreport_test.go) checks on random
// datasets, on SQLite and MariaDB, that each gives the same report as
// models.ComputeAnnualReport over the same cases, cell by cell.
//
// CountAggregated has the database count: one GROUP BY per year and part
// returns, for each outcome and applicant kind, how many cases were
// received before or in the year and closed in it or after, a few hundred
// rows whatever the number of applications. When a group holds a case the
// rules cannot count (unknown applicant kind or outcome, closed before
// received), the cases are counted again by streaming, so that the report
// names each such case exactly as the reference does.
//
// CountStreamed reads every case that touches the years through one
// cursor into the tally, in flat memory.
//
// The portal uses ProductionCountPath: CountAggregated on SQLite and
// CountStreamed on MySQL. Measured with 1,000,000 applications, 265,848 of
// them in the year (BENCHMARKS.md, "Annual report (issue 10)"): on SQLite
// everything runs in the portal's process, and letting SQLite group the
// rows costs less CPU than handing each row through database/sql to Go
// (median 0.8–0.9 s against 0.85–1.1 s of CPU; 0.73 s against 0.84 s in
// the Go benchmark). On MariaDB the GROUP BY's temporary table makes the
// server's one thread slower than the join alone, while streaming lets
// the server join and the portal count at the same time on two cores
// (median 2.0 s against 2.4 s with a 128 MB buffer pool; best 0.70 s
// against 0.90 s with a 4 GB one).
const (
	CountAggregated CountPath = iota
	CountStreamed
)

// ProductionCountPath returns the count path the portal uses on the
// store's engine (see CountAggregated).
func (s *Store) ProductionCountPath() CountPath {
	if s.dialect == MySQL {
		return CountStreamed
	}
	return CountAggregated
}

// String names the path for benchmarks and the report command.
func (p CountPath) String() string {
	if p == CountStreamed {
		return "stream"
	}
	return "sql"
}

// maxNarrativeRunes caps each narrative section.
const maxNarrativeRunes = 20000

// firstReportYear is the first year a report can be kept for: the 2019
// revision of the 条例 is in force from 15 May 2019.
const firstReportYear = 2019

// checkReportYear refuses a year the portal cannot report on: before the
// 2019 条例, or after the current one.
func (s *Store) checkReportYear(year int) error {
	if year < firstReportYear || year > s.Today().Year() {
		return models.Errorf(models.EINVALID, "年度应在%d年至%d年之间。", firstReportYear, s.Today().Year())
	}
	return nil
}

// ---------------------------------------------------------------------
// Counting.

// reportCaseParts are the two disjoint parts of the cases that touch the
// years from start to end (1 January of the first, 31 December of the
// last), under models.AnnualTally's rules: those still open and received
// by end; and those closed on or after start that were received by end or
// closed by end (the latter only catches a case closed before it was
// received, which the tally must see to report it). Both read the index
// applications_report_kind (agency_id, closed_on, received_on, outcome,
// applicant_kind) by closed_on, so the cost follows the years asked for, not
// the whole history. Applications never received (待确认, or withdrawn
// before receipt) have no receipt date and are not cases (条例第三十一条).
var reportCaseParts = [2]struct {
	where string
	args  func(start, end models.Date) []any
}{
	{`closed_on IS NULL AND received_on IS NOT NULL AND received_on <= ?`,
		func(_, end models.Date) []any { return []any{end} }},
	{`closed_on >= ? AND received_on IS NOT NULL AND (received_on <= ? OR closed_on <= ?)`,
		func(start, end models.Date) []any { return []any{start, end, end} }},
}

// binaryText makes a text column compare byte for byte. MySQL's
// utf8mb4_unicode_ci ignores case and trailing spaces, so "Person" would
// group with "person", while the tally (and SQLite) tells them apart.
func (s *Store) binaryText(col string) string {
	if s.dialect == MySQL {
		return col + " COLLATE utf8mb4_bin"
	}
	return col
}

// reportSource reads the cases from the covering index
// applications_report_kind, which holds the applicant's kind copied onto
// the application (migration 00010): no join with the applicants, whose
// look-ups cost about half of the count.
func (s *Store) reportSource() string {
	if s.dialect == SQLite {
		return "applications a INDEXED BY applications_report_kind"
	}
	return "applications a FORCE INDEX (applications_report_kind)"
}

// appRefPrefix marks an application's id used as a case's Ref inside the
// count; it is replaced by the application's number when a problem names
// the case.
const appRefPrefix = "\x00id:"

// EachReportCase streams every case of an agency that touches the years
// from..to (applications received under 条例第三十一条 and imported cases
// from before go-live) to fn, one at a time, with the application number
// (or the imported case's own number) as Ref. It stops at fn's first error.
func (s *Store) EachReportCase(ctx context.Context, agencyID int64, from, to int, fn func(models.ReportCase) error) error {
	return s.eachReportCase(ctx, s.db, agencyID, from, to, true, fn)
}

// eachReportCase streams the cases. Without numbers the application's Ref
// is appRefPrefix and its id, so that the cursor reads only the covering
// index; refs are resolved for the few cases a report names.
func (s *Store) eachReportCase(ctx context.Context, q rowQueryer, agencyID int64, from, to int, numbers bool, fn func(models.ReportCase) error) error {
	start, end := models.NewDate(from, 1, 1), models.NewDate(to, 12, 31)
	ref := "a.id"
	if numbers {
		ref = "a.number"
	}
	for _, part := range reportCaseParts {
		query := `SELECT ` + ref + `, a.received_on, a.closed_on, a.outcome, a.applicant_kind FROM ` + s.reportSource() + `
			WHERE a.agency_id = ? AND ` + prefixColumns(part.where, "a.")
		if err := streamCases(ctx, q, query, append([]any{agencyID}, part.args(start, end)...), !numbers, fn); err != nil {
			return err
		}
		query = `SELECT ref, received_on, closed_on, outcome, applicant_kind FROM legacy_cases WHERE agency_id = ? AND ` + part.where
		if err := streamCases(ctx, q, query, append([]any{agencyID}, part.args(start, end)...), false, fn); err != nil {
			return err
		}
	}
	return nil
}

// prefixColumns qualifies the columns of a reportCaseParts condition.
func prefixColumns(where, alias string) string {
	for _, col := range []string{"closed_on", "received_on"} {
		where = strings.ReplaceAll(where, col, alias+col)
	}
	return where
}

func streamCases(ctx context.Context, q rowQueryer, query string, args []any, ids bool, fn func(models.ReportCase) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read report cases: %w", err)
	}
	defer rows.Close()
	var c models.ReportCase
	var outcome, kind string
	for rows.Next() {
		c.ClosedOn = models.Date{}
		if err := rows.Scan(&c.Ref, &c.ReceivedOn, &c.ClosedOn, &outcome, &kind); err != nil {
			return fmt.Errorf("read report cases: %w", err)
		}
		if ids {
			c.Ref = appRefPrefix + c.Ref
		}
		c.Outcome, c.Applicant = models.Outcome(outcome), models.ApplicantKind(kind)
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read report cases: %w", err)
	}
	return nil
}

// caseGroup is one row of the aggregated count of a year: the cases that
// touch the year and share an outcome and an applicant kind, split by
// whether they were received before the year (二) or in it (一), and
// closed in it (三) or still open on 31 December (四), and how many were
// closed before they were received.
type caseGroup struct {
	outcome    models.Outcome
	kind       models.ApplicantKind
	closed     bool // the part of closed cases (else: still open today)
	n          int
	carried    int // received before the year
	closedIn   int // closed in the year
	both       int // received before the year and closed in it
	misordered int
}

// countable reports whether the tally can count the group's cases without
// naming any of them as a problem (models.AnnualTally.AddCase): a known
// applicant kind, a known outcome once closed, never closed before
// received.
func (g caseGroup) countable() bool {
	return g.kind.Column() >= 0 && g.misordered == 0 && (!g.closed || g.outcome.Row() != 0)
}

// aggregateCases counts the cases that touch year in the database,
// grouped by outcome and applicant kind, each group split by receipt
// before or in the year and closing in or after it. These four sums are
// all the counting rules need, so a year is a few hundred rows, whatever
// the number of applications; grouping by one key with sums measured
// faster than grouping by receipt and closing years, because SQLite sorts
// every row for a GROUP BY and compares fewer, shorter keys. The
// statement is plain SQL for both engines (CONCAT exists in SQLite since
// 3.44).
func (s *Store) aggregateCases(ctx context.Context, q rowQueryer, agencyID int64, year int) ([]caseGroup, error) {
	start, end := models.NewDate(year, 1, 1), models.NewDate(year, 12, 31)
	var out []caseGroup
	for pi, part := range reportCaseParts {
		for _, src := range []struct{ from, kind string }{
			{s.reportSource(), "a.applicant_kind"},
			{"legacy_cases a", "a.applicant_kind"},
		} {
			key := s.binaryText(`CONCAT(a.outcome, '|', ` + src.kind + `)`)
			query := `SELECT ` + key + `, COUNT(*),
				SUM(CASE WHEN a.received_on < ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN a.closed_on <= ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN a.received_on < ? AND a.closed_on <= ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN a.closed_on < a.received_on THEN 1 ELSE 0 END)
				FROM ` + src.from + ` WHERE a.agency_id = ? AND ` + prefixColumns(part.where, "a.") + ` GROUP BY ` + key
			args := append([]any{start, end, start, end, agencyID}, part.args(start, end)...)
			rows, err := q.QueryContext(ctx, query, args...)
			if err != nil {
				return nil, fmt.Errorf("count report cases: %w", err)
			}
			for rows.Next() {
				g := caseGroup{closed: pi == 1}
				var k string
				if err := rows.Scan(&k, &g.n, &g.carried, &g.closedIn, &g.both, &g.misordered); err != nil {
					rows.Close()
					return nil, fmt.Errorf("count report cases: %w", err)
				}
				// A "|" inside a broken outcome lands in the kind, which
				// is then unknown and the group not countable.
				outcome, kind, _ := strings.Cut(k, "|")
				g.outcome, g.kind = models.Outcome(outcome), models.ApplicantKind(kind)
				out = append(out, g)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("count report cases: %w", err)
			}
		}
	}
	return out, nil
}

// tallyCases counts the cases touching from..to into one tally per year.
func (s *Store) tallyCases(ctx context.Context, q rowQueryer, agencyID int64, from, to int, path CountPath) (map[int]*models.AnnualTally, error) {
	tallies := make(map[int]*models.AnnualTally, to-from+1)
	for y := from; y <= to; y++ {
		tallies[y] = models.NewAnnualTally(y)
	}
	stream := func() error {
		return s.eachReportCase(ctx, q, agencyID, from, to, false, func(c models.ReportCase) error {
			for _, t := range tallies {
				t.AddCase(c)
			}
			return nil
		})
	}
	if path == CountStreamed {
		return tallies, stream()
	}
	years := make(map[int][]caseGroup, to-from+1)
	for y := from; y <= to; y++ {
		groups, err := s.aggregateCases(ctx, q, agencyID, y)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if !g.countable() {
				// Count case by case, so that each case the rules cannot
				// count is named as the reference names it.
				for y := from; y <= to; y++ {
					tallies[y] = models.NewAnnualTally(y)
				}
				return tallies, stream()
			}
		}
		years[y] = groups
	}
	// A group's cases fall into four cells; one case dated like each
	// quadrant (received on 31 December before or 1 January of the year;
	// closed on 31 December of it or on 1 January after it, or open)
	// lands where each of them does under the tally's rules.
	for y, groups := range years {
		t := tallies[y]
		start, end := models.NewDate(y, 1, 1), models.NewDate(y, 12, 31)
		for _, g := range groups {
			after := models.Date{} // closed after the year, or still open
			if g.closed {
				after = end.AddDays(1)
			}
			for _, quadrant := range []struct {
				received, closed models.Date
				n                int
			}{
				{start.AddDays(-1), end, g.both},                      // 二 and 三
				{start.AddDays(-1), after, g.carried - g.both},        // 二 and 四
				{start, end, g.closedIn - g.both},                     // 一 and 三
				{start, after, g.n - g.carried - g.closedIn + g.both}, // 一 and 四
			} {
				c := models.ReportCase{ReceivedOn: quadrant.received, ClosedOn: quadrant.closed, Outcome: g.outcome, Applicant: g.kind}
				for range quadrant.n {
					t.AddCase(c)
				}
			}
		}
	}
	return tallies, nil
}

// RemedyCases returns the reconsiderations and lawsuits recorded on the
// agency's applications (models.RemedyCasesOf over each ledger) that were
// filed from 1 January of from to 31 December of to, each with its result
// if it was concluded by that 31 December (table 四 counts a later result
// as 尚未审结). A case is named by its case number (案号), or else by its
// application's number.
func (s *Store) RemedyCases(ctx context.Context, agencyID int64, from, to int) ([]models.RemedyCase, error) {
	out, err := s.remedyCases(ctx, s.db, agencyID, from, to)
	if err != nil {
		return nil, err
	}
	problems := make([]models.CaseProblem, len(out))
	for i, r := range out {
		problems[i].Ref = r.Ref
	}
	if err := s.nameProblems(ctx, s.db, agencyID, problems); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Ref = problems[i].Ref
	}
	return out, nil
}

// remedyCases is RemedyCases with appRefPrefix and the application's id
// for a case without a case number. It reads only the ledger's remedy
// events of the years (index application_events_kind), never the
// application rows.
func (s *Store) remedyCases(ctx context.Context, q rowQueryer, agencyID int64, from, to int) ([]models.RemedyCase, error) {
	start, end := models.NewDate(from, 1, 1), models.NewDate(to, 12, 31)
	type appEvent struct {
		app int64
		models.Event
	}
	var events []appEvent
	read := func(where string, args ...any) error {
		rows, err := q.QueryContext(ctx, `SELECT application_id, seq, kind, occurred_on, data FROM application_events
			WHERE `+where, args...)
		if err != nil {
			return fmt.Errorf("read remedies: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e appEvent
			var data string
			if err := rows.Scan(&e.app, &e.Seq, &e.Kind, &e.On, &data); err != nil {
				return fmt.Errorf("read remedies: %w", err)
			}
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return fmt.Errorf("read remedies: event %d of application %d: %w", e.Seq, e.app, err)
			}
			events = append(events, e)
		}
		return rows.Err()
	}
	// The filings of the years (index application_events_kind), then the
	// conclusions on those applications up to the last 31 December
	// (index application_events_seq): never the ledger's other events.
	if err := read(`agency_id = ? AND kind IN (?, ?) AND occurred_on >= ? AND occurred_on <= ?`, agencyID,
		string(models.EventReconsiderationRecorded), string(models.EventLitigationRecorded), start, end); err != nil {
		return nil, err
	}
	var apps []any
	for i, e := range events {
		if i == 0 || e.app != events[i-1].app {
			apps = append(apps, e.app)
		}
	}
	slices.SortFunc(apps, func(a, b any) int { return cmp.Compare(a.(int64), b.(int64)) })
	apps = slices.Compact(apps)
	for len(apps) > 0 {
		n := min(len(apps), 500)
		if err := read(`application_id IN (`+placeholders(n)+`) AND kind = ? AND occurred_on <= ?`,
			append(apps[:n:n], string(models.EventRemedyConcluded), end)...); err != nil {
			return nil, err
		}
		apps = apps[n:]
	}
	slices.SortFunc(events, func(a, b appEvent) int {
		if a.app != b.app {
			return cmp.Compare(a.app, b.app)
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	var out []models.RemedyCase
	ledger := make([]models.Event, 0, 8)
	for i, e := range events {
		ledger = append(ledger, e.Event)
		if i == len(events)-1 || events[i+1].app != e.app {
			out = append(out, models.RemedyCasesOf(appRefPrefix+strconv.FormatInt(e.app, 10), ledger)...)
			ledger = ledger[:0]
		}
	}
	return out, nil
}

// feeEvents returns the fee notices and payments recorded from..to, for
// models.TallyFees.
func (s *Store) feeEvents(ctx context.Context, q rowQueryer, agencyID int64, from, to int) ([]models.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, occurred_on, data FROM application_events
		WHERE agency_id = ? AND kind IN (?, ?) AND occurred_on >= ? AND occurred_on <= ?`,
		agencyID, string(models.EventFeeNoticeSent), string(models.EventFeePaid),
		models.NewDate(from, 1, 1), models.NewDate(to, 12, 31))
	if err != nil {
		return nil, fmt.Errorf("read fees: %w", err)
	}
	defer rows.Close()
	var out []models.Event
	for rows.Next() {
		var e models.Event
		var data string
		if err := rows.Scan(&e.Kind, &e.On, &data); err != nil {
			return nil, fmt.Errorf("read fees: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("read fees: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ComputeAnnualReports computes the tables of each year from..to (at most
// 20 years) for an agency, in order, counting table 三 by path: cases from
// applications and imported legacy cases, table 四 from the ledger's
// remedies, table 二 from the catalog (CatalogCounts) and the figures the
// office entered, section 六's fees from the fee events, and the opening
// balance in its year. The narrative is left empty (see
// CompileAnnualReport). Cases whose data breaks a rule are left out and
// listed in Problems, named by their numbers.
func (s *Store) ComputeAnnualReports(ctx context.Context, agencyID int64, from, to int, path CountPath) (out []models.AnnualReport, err error) {
	if from > to || to-from >= 20 {
		return nil, fmt.Errorf("compute annual reports: years %d to %d", from, to)
	}
	opening, err := s.OpeningBalance(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	out = make([]models.AnnualReport, 0, to-from+1)
	for y := from; y <= to; y++ {
		catalog, err := s.CatalogCounts(ctx, agencyID, y)
		if err != nil {
			return nil, err
		}
		in, err := s.ReportInputs(ctx, agencyID, y)
		if err != nil {
			return nil, err
		}
		out = append(out, models.AnnualReport{Year: y, Table2: models.ProactiveTable{Catalog: catalog, Figures: in.Figures}})
	}
	// Tables 三 and 四 and the fees from one read-only transaction: one
	// consistent snapshot of the applications and their ledgers.
	err = s.readReport(ctx, func(q rowQueryer) error {
		tallies, err := s.tallyCases(ctx, q, agencyID, from, to, path)
		if err != nil {
			return err
		}
		remedies, err := s.remedyCases(ctx, q, agencyID, from, to)
		if err != nil {
			return err
		}
		fees, err := s.feeEvents(ctx, q, agencyID, from, to)
		if err != nil {
			return err
		}
		for i := range out {
			y := out[i].Year
			t := tallies[y]
			for _, r := range remedies {
				t.AddRemedy(r)
			}
			out[i] = t.Report(opening, out[i].Table2.Catalog, out[i].Table2.Figures, models.TallyFees(y, fees))
			if err := s.nameProblems(ctx, q, agencyID, out[i].Problems); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readReport runs fn in a read-only transaction: one consistent snapshot
// on both engines (on SQLite a deferred BEGIN, which takes no write lock).
func (s *Store) readReport(ctx context.Context, fn func(q rowQueryer) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("compute annual report: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// nameProblems replaces the application ids the stream counted with by
// the applications' numbers.
func (s *Store) nameProblems(ctx context.Context, q rowQueryer, agencyID int64, problems []models.CaseProblem) error {
	var ids []any
	for _, p := range problems {
		if id, ok := strings.CutPrefix(p.Ref, appRefPrefix); ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, number FROM applications WHERE agency_id = ? AND id IN (`+placeholders(len(ids))+`)`,
		append([]any{agencyID}, ids...)...)
	if err != nil {
		return fmt.Errorf("name report problems: %w", err)
	}
	defer rows.Close()
	numbers := map[string]string{}
	for rows.Next() {
		var id, number string
		if err := rows.Scan(&id, &number); err != nil {
			return fmt.Errorf("name report problems: %w", err)
		}
		numbers[appRefPrefix+id] = number
	}
	for i := range problems {
		if n, ok := numbers[problems[i].Ref]; ok {
			problems[i].Ref = n
		}
	}
	return rows.Err()
}

// CompileAnnualReport computes an agency's report of year as it would be
// published now (ProductionCountPath): the tables, the narrative the office
// saved or else the generated draft (models.DraftNarrative), and every
// violation of models.AnnualReport.Check against the current version of
// the previous year's published report (nil when none was published: the
// first year, whose carry-over is checked against the opening balance).
// No violations means the report may be published.
func (s *Store) CompileAnnualReport(ctx context.Context, agencyID int64, year int) (models.AnnualReport, []models.Violation, error) {
	if err := s.checkReportYear(year); err != nil {
		return models.AnnualReport{}, nil, err
	}
	agency, err := s.Agency(ctx, agencyID)
	if err != nil {
		return models.AnnualReport{}, nil, err
	}
	rs, err := s.ComputeAnnualReports(ctx, agencyID, year, year, s.ProductionCountPath())
	if err != nil {
		return models.AnnualReport{}, nil, err
	}
	r := rs[0]
	in, err := s.ReportInputs(ctx, agencyID, year)
	if err != nil {
		return r, nil, err
	}
	if in.NarrativeSet {
		r.Narrative = in.Narrative
	} else {
		r.Narrative = models.DraftNarrative(*agency, r)
	}
	var previous *models.AnnualReport
	prev, err := s.PublishedAnnualReport(ctx, agencyID, year-1, 0)
	switch {
	case err == nil:
		previous = prev.Report
	case models.ErrorCode(err) != models.ENOTFOUND:
		return r, nil, err
	}
	return r, r.Check(previous), nil
}

// ---------------------------------------------------------------------
// What the office enters.

// ReportInputs is what the office has entered for one year's report.
type ReportInputs struct {
	AgencyID int64
	Year     int
	// Figures are table 二's figures from other systems; FiguresSet is
	// false until the office saves them (they are then all zero).
	Figures    models.ProactiveFigures
	FiguresSet bool
	// Narrative is sections 一、五、六 as the office saved them;
	// NarrativeSet is false until then, and the report uses the draft.
	Narrative    models.Narrative
	NarrativeSet bool
	UpdatedBy    int64
	UpdatedAt    time.Time // zero when nothing was saved
}

// ReportInputs returns what the office entered for year (the zero inputs
// when nothing was saved yet).
func (s *Store) ReportInputs(ctx context.Context, agencyID int64, year int) (ReportInputs, error) {
	return s.reportInputs(ctx, s.db, agencyID, year, false)
}

func (s *Store) reportInputs(ctx context.Context, q rowQueryer, agencyID int64, year int, lock bool) (ReportInputs, error) {
	in := ReportInputs{AgencyID: agencyID, Year: year}
	suffix := ""
	if lock {
		suffix = s.forUpdate()
	}
	err := q.QueryRowContext(ctx, `SELECT figures_set, licensing, penalties, enforcement, charges_fen, narrative_set,
		narrative_overview, narrative_problems, narrative_other, updated_by, updated_at
		FROM annual_report_inputs WHERE agency_id = ? AND year = ?`+suffix, agencyID, year).Scan(
		&in.FiguresSet, &in.Figures.Licensing, &in.Figures.Penalties, &in.Figures.Enforcement, &in.Figures.ChargesFen,
		&in.NarrativeSet, &in.Narrative.Overview, &in.Narrative.Problems, &in.Narrative.Other, &in.UpdatedBy,
		scanTime{&in.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return in, nil
	}
	if err != nil {
		return in, fmt.Errorf("read annual report inputs %d: %w", year, err)
	}
	return in, nil
}

// Report input form field names, as FieldError.Field names them.
const (
	ReportFieldLicensing   = "licensing"
	ReportFieldPenalties   = "penalties"
	ReportFieldEnforcement = "enforcement"
	ReportFieldCharges     = "charges"
	ReportFieldOverview    = "overview"
	ReportFieldProblems    = "problems"
	ReportFieldOther       = "other"
	ReportFieldYear        = "year"
	ReportFieldReason      = "reason"
)

// SaveReportFigures stores the table 二 figures the office enters for year
// (行政许可, 行政处罚, 行政强制 decisions; 行政事业性收费 in 分, typed in 万元
// and read with models.ParseWanYuan), audited with the figures before and
// after.
func (s *Store) SaveReportFigures(ctx context.Context, agencyID int64, year int, f models.ProactiveFigures) error {
	if err := s.checkReportYear(year); err != nil {
		return err
	}
	var fe []models.FieldError
	for _, c := range []struct {
		field string
		n     int64
	}{
		{ReportFieldLicensing, int64(f.Licensing)}, {ReportFieldPenalties, int64(f.Penalties)},
		{ReportFieldEnforcement, int64(f.Enforcement)}, {ReportFieldCharges, f.ChargesFen},
	} {
		if c.n < 0 {
			fe = append(fe, models.FieldError{Field: c.field, Message: "请填写非负数。"})
		}
	}
	if len(fe) > 0 {
		return models.Invalid(fe...)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.reportInputs(ctx, tx, agencyID, year, true)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		if err := s.upsertInputs(ctx, tx, agencyID, year, now,
			`figures_set = 1, licensing = ?, penalties = ?, enforcement = ?, charges_fen = ?`,
			f.Licensing, f.Penalties, f.Enforcement, f.ChargesFen); err != nil {
			return err
		}
		var before any
		if old.FiguresSet {
			before = figuresAudit(old.Figures)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditReportFiguresSaved,
			ObjectType: models.AuditObjectAnnualReport, ObjectID: strconv.Itoa(year),
			Before: models.AuditData(before), After: models.AuditData(figuresAudit(f))})
	})
}

func figuresAudit(f models.ProactiveFigures) map[string]any {
	return map[string]any{"licensing": f.Licensing, "penalties": f.Penalties, "enforcement": f.Enforcement,
		"charges_wan_yuan": models.FormatWanYuan(f.ChargesFen)}
}

// SaveReportNarrative stores sections 一、五、六 of year's report as the
// office edited them, audited with the text before and after.
func (s *Store) SaveReportNarrative(ctx context.Context, agencyID int64, year int, n models.Narrative) error {
	if err := s.checkReportYear(year); err != nil {
		return err
	}
	n.Overview, n.Problems, n.Other = strings.TrimSpace(n.Overview), strings.TrimSpace(n.Problems), strings.TrimSpace(n.Other)
	var fe []models.FieldError
	for _, c := range []struct{ field, text string }{
		{ReportFieldOverview, n.Overview}, {ReportFieldProblems, n.Problems}, {ReportFieldOther, n.Other},
	} {
		if utf8.RuneCountInString(c.text) > maxNarrativeRunes {
			fe = append(fe, models.FieldError{Field: c.field, Message: fmt.Sprintf("内容过长，请不超过%d个字。", maxNarrativeRunes)})
		}
	}
	if len(fe) > 0 {
		return models.Invalid(fe...)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.reportInputs(ctx, tx, agencyID, year, true)
		if err != nil {
			return err
		}
		if err := s.upsertInputs(ctx, tx, agencyID, year, s.nowUTC(),
			`narrative_set = 1, narrative_overview = ?, narrative_problems = ?, narrative_other = ?`,
			n.Overview, n.Problems, n.Other); err != nil {
			return err
		}
		var before any
		if old.NarrativeSet {
			before = old.Narrative
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditReportNarrativeSaved,
			ObjectType: models.AuditObjectAnnualReport, ObjectID: strconv.Itoa(year),
			Before: models.AuditData(before), After: models.AuditData(n)})
	})
}

// upsertInputs sets columns of an agency's inputs row for year, creating
// the row first if there is none. set is "col = ?, …" with its values.
func (s *Store) upsertInputs(ctx context.Context, tx *sql.Tx, agencyID int64, year int, now time.Time, set string, values ...any) error {
	by := actorID(ctx)
	res, err := tx.ExecContext(ctx, `UPDATE annual_report_inputs SET `+set+`, updated_by = ?, updated_at = ?
		WHERE agency_id = ? AND year = ?`, append(values, by, now, agencyID, year)...)
	if err != nil {
		return fmt.Errorf("save annual report inputs %d: %w", year, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO annual_report_inputs (agency_id, year, narrative_overview,
		narrative_problems, narrative_other, updated_by, updated_at) VALUES (?, ?, '', '', '', ?, ?)`,
		agencyID, year, by, now); err != nil {
		if isUniqueViolation(err) {
			return models.Errorf(models.ECONFLICT, "年度报告刚刚被其他人修改，请刷新页面后重试。")
		}
		return fmt.Errorf("save annual report inputs %d: %w", year, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE annual_report_inputs SET `+set+` WHERE agency_id = ? AND year = ?`,
		append(values, agencyID, year)...); err != nil {
		return fmt.Errorf("save annual report inputs %d: %w", year, err)
	}
	return nil
}

// OpeningBalance returns the agency's opening balance (the carry-over into
// its first year of use), or nil when none was entered.
func (s *Store) OpeningBalance(ctx context.Context, agencyID int64) (*models.OpeningBalance, error) {
	var o models.OpeningBalance
	c := &o.Counts
	err := s.db.QueryRowContext(ctx, `SELECT year, person, commercial, research, nonprofit, legal, other_org
		FROM annual_report_openings WHERE agency_id = ?`, agencyID).Scan(&o.Year, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5])
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read opening balance: %w", err)
	}
	return &o, nil
}

// SaveOpeningBalance stores the carry-over into the first year of use, per
// applicant column, as the last report made before the portal printed it
// under 四、结转下年度继续办理. It replaces 二、上年结转 in that year's
// report only, and Check compares it with the imported cases that were
// open on 1 January. It is refused once a report of that year or an
// earlier one is published: the first year is then behind.
func (s *Store) SaveOpeningBalance(ctx context.Context, agencyID int64, o models.OpeningBalance) error {
	if err := s.checkReportYear(o.Year); err != nil {
		return models.Invalid(models.FieldError{Field: ReportFieldYear, Message: models.ErrorMessage(err)})
	}
	var fe []models.FieldError
	for i, n := range o.Counts {
		if n < 0 {
			fe = append(fe, models.FieldError{Field: string(models.ApplicantKinds[i]), Message: "请填写非负整数。"})
		}
	}
	if len(fe) > 0 {
		return models.Invalid(fe...)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var published int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM annual_reports WHERE agency_id = ? AND year <= ?`,
			agencyID, o.Year).Scan(&published); err != nil {
			return fmt.Errorf("save opening balance: %w", err)
		}
		if published > 0 {
			return models.Errorf(models.ECONFLICT, "%d年或更早年度的年度报告已经发布，不能再录入%d年的期初结转数。", o.Year, o.Year)
		}
		old, err := s.openingTx(ctx, tx, agencyID)
		if err != nil {
			return err
		}
		now, by, c := s.nowUTC(), actorID(ctx), o.Counts
		if old == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO annual_report_openings (agency_id, year, person, commercial, research,
				nonprofit, legal, other_org, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				agencyID, o.Year, c[0], c[1], c[2], c[3], c[4], c[5], by, now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE annual_report_openings SET year = ?, person = ?, commercial = ?, research = ?,
				nonprofit = ?, legal = ?, other_org = ?, updated_by = ?, updated_at = ? WHERE agency_id = ?`,
				o.Year, c[0], c[1], c[2], c[3], c[4], c[5], by, now, agencyID)
		}
		if isUniqueViolation(err) {
			return models.Errorf(models.ECONFLICT, "期初结转数刚刚被其他人修改，请刷新页面后重试。")
		}
		if err != nil {
			return fmt.Errorf("save opening balance: %w", err)
		}
		var before any
		if old != nil {
			before = old
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditReportOpeningSaved,
			ObjectType: models.AuditObjectAnnualReport, ObjectID: strconv.Itoa(o.Year),
			Before: models.AuditData(before), After: models.AuditData(o)})
	})
}

// DeleteOpeningBalance removes the opening balance (entered by mistake),
// under the same condition as SaveOpeningBalance.
func (s *Store) DeleteOpeningBalance(ctx context.Context, agencyID int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.openingTx(ctx, tx, agencyID)
		if err != nil {
			return err
		}
		if old == nil {
			return models.Errorf(models.ENOTFOUND, "尚未录入期初结转数。")
		}
		var published int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM annual_reports WHERE agency_id = ? AND year <= ?`,
			agencyID, old.Year).Scan(&published); err != nil {
			return fmt.Errorf("delete opening balance: %w", err)
		}
		if published > 0 {
			return models.Errorf(models.ECONFLICT, "%d年或更早年度的年度报告已经发布，不能删除期初结转数。", old.Year)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM annual_report_openings WHERE agency_id = ?`, agencyID); err != nil {
			return fmt.Errorf("delete opening balance: %w", err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditReportOpeningDeleted,
			ObjectType: models.AuditObjectAnnualReport, ObjectID: strconv.Itoa(old.Year), Before: models.AuditData(old)})
	})
}

func (s *Store) openingTx(ctx context.Context, tx *sql.Tx, agencyID int64) (*models.OpeningBalance, error) {
	var o models.OpeningBalance
	c := &o.Counts
	err := tx.QueryRowContext(ctx, `SELECT year, person, commercial, research, nonprofit, legal, other_org
		FROM annual_report_openings WHERE agency_id = ?`+s.forUpdate(), agencyID).Scan(&o.Year, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5])
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read opening balance: %w", err)
	}
	return &o, nil
}

// ---------------------------------------------------------------------
// Cases from before go-live.

// MaxLegacyCases caps one import of cases from before go-live.
const MaxLegacyCases = 100000

// LegacyImport is the result of ImportLegacyCases.
type LegacyImport struct {
	Imported int // cases in the file, now stored
	Replaced int // cases of the previous import, removed
}

// ImportLegacyCases replaces the agency's cases from before go-live with
// cases (as reports.ReadLegacyCasesXLSX reads them from a workbook) in one
// transaction: the workbook is the whole list, so correcting a case or
// recording that an open one was answered is done by importing the
// corrected workbook again. Reports already published do not change. Each
// case needs a unique number (Ref), a receipt date, an applicant kind, and,
// once closed, a closing date not before the receipt date and an outcome;
// an open case has neither. If any case breaks a rule nothing is imported
// and the EINVALID error names the case.
func (s *Store) ImportLegacyCases(ctx context.Context, agencyID int64, cases []models.ReportCase) (*LegacyImport, error) {
	if len(cases) > MaxLegacyCases {
		return nil, models.Errorf(models.EINVALID, "一次最多导入%d件历史申请。", MaxLegacyCases)
	}
	today := s.Today()
	seen := make(map[string]bool, len(cases))
	for _, c := range cases {
		ref := strings.TrimSpace(c.Ref)
		var problem string
		switch {
		case ref == "" || utf8.RuneCountInString(ref) > 100:
			problem = "编号应为1至100个字"
		case seen[ref]:
			problem = "编号重复"
		case c.Applicant.Column() < 0:
			problem = "申请人类型无效"
		case c.ReceivedOn.IsZero() || c.ReceivedOn.After(today):
			problem = "收到申请日期无效"
		case c.ClosedOn.IsZero() && c.Outcome != "":
			problem = "尚未办结的申请不应有办理结果"
		case !c.ClosedOn.IsZero() && (c.ClosedOn.Before(c.ReceivedOn) || c.ClosedOn.After(today)):
			problem = "办结日期无效"
		case !c.ClosedOn.IsZero() && c.Outcome.Row() == 0:
			problem = "办理结果无效"
		}
		if problem != "" {
			return nil, models.Errorf(models.EINVALID, "历史申请“%s”：%s，没有导入任何内容。", ref, problem)
		}
		seen[ref] = true
	}
	res := &LegacyImport{Imported: len(cases)}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM legacy_cases WHERE agency_id = ?`, agencyID).Scan(&res.Replaced); err != nil {
			return fmt.Errorf("import legacy cases: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM legacy_cases WHERE agency_id = ?`, agencyID); err != nil {
			return fmt.Errorf("import legacy cases: %w", err)
		}
		now, by := s.nowUTC(), actorID(ctx)
		const batch = 500
		for i := 0; i < len(cases); i += batch {
			part := cases[i:min(i+batch, len(cases))]
			args := make([]any, 0, 8*len(part))
			for _, c := range part {
				args = append(args, agencyID, strings.TrimSpace(c.Ref), string(c.Applicant), c.ReceivedOn, c.ClosedOn,
					string(c.Outcome), by, now)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO legacy_cases (agency_id, ref, applicant_kind, received_on, closed_on,
				outcome, imported_by, imported_at) VALUES `+valuesList(len(part), 8), args...); err != nil {
				return fmt.Errorf("import legacy cases: %w", err)
			}
		}
		open := 0
		for _, c := range cases {
			if c.ClosedOn.IsZero() {
				open++
			}
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditReportLegacyImported,
			ObjectType: models.AuditObjectAnnualReport, ObjectID: "legacy",
			Before: models.AuditData(map[string]int{"cases": res.Replaced}),
			After:  models.AuditData(map[string]int{"cases": len(cases), "open": open})})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// valuesList returns "(?, …), (?, …)" for rows rows of cols columns.
func valuesList(rows, cols int) string {
	one := "(" + placeholders(cols) + ")"
	var b strings.Builder
	b.Grow(rows * (len(one) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// LegacyCases returns the agency's imported cases from before go-live, by
// receipt date.
func (s *Store) LegacyCases(ctx context.Context, agencyID int64) ([]models.ReportCase, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ref, received_on, closed_on, outcome, applicant_kind FROM legacy_cases
		WHERE agency_id = ? ORDER BY received_on, id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list legacy cases: %w", err)
	}
	defer rows.Close()
	var out []models.ReportCase
	for rows.Next() {
		var c models.ReportCase
		var outcome, kind string
		if err := rows.Scan(&c.Ref, &c.ReceivedOn, &c.ClosedOn, &outcome, &kind); err != nil {
			return nil, fmt.Errorf("list legacy cases: %w", err)
		}
		c.Outcome, c.Applicant = models.Outcome(outcome), models.ApplicantKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ---------------------------------------------------------------------
// Publishing.

// AnnualReportRenderer renders a report as it is published: the PDF in
// the official layout and the XLSX workbook. The portal passes
// reports.RenderAnnualReport; the store cannot import reports (dependencies
// point from reports and the store to models only). publishedAt is
// written into the files, so a version's files are reproducible.
type AnnualReportRenderer func(agency models.Agency, r models.AnnualReport, publishedAt time.Time) (pdf, xlsx []byte, err error)

// PublishedAnnualReport is one published version of a year's report.
type PublishedAnnualReport struct {
	ID         int64
	AgencyID   int64
	AgencyName string // as published
	Year       int
	Version    int // 1 for the first publication
	// Reason is why this version corrects the one before (更正); "" for
	// version 1.
	Reason          string
	PublishedBy     int64
	PublishedByName string // e.g. 王五（wangwu）
	PublishedAt     time.Time
	// SupersededBy is the version that corrected this one, and
	// SupersededAt when; 0 and zero for the current version.
	SupersededBy int
	SupersededAt time.Time
	// Sizes and SHA-256 of the stored files and of the JSON snapshot (the
	// audit trail holds the same hashes).
	PDFSize, XLSXSize                     int64
	PDFSHA256, XLSXSHA256, SnapshotSHA256 string
	// Report is the snapshot as published; set by PublishedAnnualReport,
	// nil in lists.
	Report *models.AnnualReport

	snapshot string // the stored JSON, to tell whether a correction changes anything
}

// Current reports whether p is the version in force.
func (p *PublishedAnnualReport) Current() bool { return p.SupersededBy == 0 }

// FileName returns the download name of the version's file with extension
// ext ("pdf" or "xlsx"), e.g. 铁岭市民政局2025年政府信息公开工作年度报告（更正第2版）.pdf.
func (p *PublishedAnnualReport) FileName(ext string) string {
	name := models.ReportTitle(p.AgencyName, p.Year)
	if p.Version > 1 {
		name += fmt.Sprintf("（更正第%d版）", p.Version)
	}
	return name + "." + ext
}

// ReportCheckError is wrapped in the EINVALID error with which a report
// that fails Check is refused; errors.As finds it.
type ReportCheckError struct {
	Violations []models.Violation
}

// Error counts the violations, for the logs.
func (e *ReportCheckError) Error() string {
	return fmt.Sprintf("annual report fails %d checks", len(e.Violations))
}

// maxReasonRunes caps a correction's reason.
const maxReasonRunes = 500

// PublishAnnualReport publishes an agency's report of year as version 1
// (条例第四十九条: the 信息发布员 publishes it before 31 January). It compiles
// the report (CompileAnnualReport), refuses while any check fails (an
// EINVALID error wrapping a *ReportCheckError), renders the PDF and XLSX
// with render, and stores the JSON snapshot and both files in one
// transaction with the audit entry. A published version never changes:
// later edits to applications, the catalog or the inputs only reach the
// public through a correction (CorrectAnnualReport). The year must be
// over, and a year is published once.
func (s *Store) PublishAnnualReport(ctx context.Context, agencyID int64, year int, userID int64, render AnnualReportRenderer) (*PublishedAnnualReport, error) {
	return s.publishAnnualReport(ctx, agencyID, year, userID, "", render)
}

// CorrectAnnualReport publishes version n+1 of year's report, superseding
// the current version n, with the reason for the correction (更正). The
// report is compiled and checked as for publishing; a correction that
// changes nothing in the report is refused. Earlier versions stay
// available with their files, as the correction history.
func (s *Store) CorrectAnnualReport(ctx context.Context, agencyID int64, year int, reason string, userID int64, render AnnualReportRenderer) (*PublishedAnnualReport, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return nil, models.Invalid(models.FieldError{Field: ReportFieldReason, Message: "请填写更正理由。"})
	case n > maxReasonRunes:
		return nil, models.Invalid(models.FieldError{Field: ReportFieldReason, Message: fmt.Sprintf("更正理由过长，请不超过%d个字。", maxReasonRunes)})
	}
	return s.publishAnnualReport(ctx, agencyID, year, userID, reason, render)
}

func (s *Store) publishAnnualReport(ctx context.Context, agencyID int64, year int, userID int64, reason string, render AnnualReportRenderer) (*PublishedAnnualReport, error) {
	if render == nil {
		return nil, errors.New("publish annual report: no renderer")
	}
	if err := s.checkReportYear(year); err != nil {
		return nil, err
	}
	if !s.Today().After(models.NewDate(year, 12, 31)) {
		return nil, models.Errorf(models.ECONFLICT, "%d年度尚未结束，年度报告须在次年1月1日以后发布。", year)
	}
	user, err := s.AgencyUser(ctx, agencyID, userID)
	if err != nil {
		return nil, err
	}
	if !user.Active {
		return nil, models.Errorf(models.EFORBIDDEN, "该账号已停用，不能发布年度报告。")
	}
	agency, err := s.Agency(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	// Refuse early what the transaction would refuse, before rendering.
	current, err := s.PublishedAnnualReport(ctx, agencyID, year, 0)
	switch {
	case err == nil && reason == "":
		return nil, models.Errorf(models.ECONFLICT, "%d年度报告已于%s发布，如需修改请发布更正版本。", year,
			models.DateOf(current.PublishedAt, s.loc).Chinese())
	case err != nil && models.ErrorCode(err) != models.ENOTFOUND:
		return nil, err
	case err != nil && reason != "":
		return nil, models.Errorf(models.ECONFLICT, "%d年度报告尚未发布，无需更正。", year)
	}
	r, violations, err := s.CompileAnnualReport(ctx, agencyID, year)
	if err != nil {
		return nil, err
	}
	if len(violations) > 0 {
		return nil, &models.Error{Code: models.EINVALID, Err: &ReportCheckError{Violations: violations},
			Message: fmt.Sprintf("年度报告有%d处未通过核对，不能发布。请按提示更正后重新生成。", len(violations))}
	}
	snapshot, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("publish annual report: encode snapshot: %w", err)
	}
	if current != nil && string(snapshot) == current.snapshot {
		return nil, models.Errorf(models.ECONFLICT, "报告内容与现行第%d版相同，无需更正。", current.Version)
	}
	now := s.nowUTC()
	pdf, xlsx, err := render(*agency, r, now)
	if err != nil {
		return nil, err
	}
	p := &PublishedAnnualReport{AgencyID: agencyID, AgencyName: agency.Name, Year: year, Version: 1, Reason: reason,
		PublishedBy: user.ID, PublishedByName: models.ActorName(user), PublishedAt: now,
		PDFSize: int64(len(pdf)), XLSXSize: int64(len(xlsx)),
		PDFSHA256: sha256Hex(pdf), XLSXSHA256: sha256Hex(xlsx), SnapshotSHA256: sha256Hex(snapshot), Report: &r}
	action := models.AuditReportPublished
	if reason != "" {
		action = models.AuditReportCorrected
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM annual_reports WHERE agency_id = ? AND year = ?`,
			agencyID, year).Scan(&last); err != nil {
			return fmt.Errorf("publish annual report: %w", err)
		}
		want := int64(0)
		if current != nil {
			want = int64(current.Version)
		}
		if last.Int64 != want {
			return models.Errorf(models.ECONFLICT, "%d年度报告刚刚被其他人发布或更正，请刷新页面后重试。", year)
		}
		p.Version = int(want) + 1
		res, err := tx.ExecContext(ctx, `INSERT INTO annual_reports (agency_id, year, version, agency_name, format, snapshot,
			snapshot_sha256, pdf, pdf_sha256, xlsx, xlsx_sha256, reason, published_by, published_by_name, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			agencyID, year, p.Version, p.AgencyName, r.Format, string(snapshot), p.SnapshotSHA256, pdf, p.PDFSHA256,
			xlsx, p.XLSXSHA256, reason, p.PublishedBy, p.PublishedByName, now)
		if isUniqueViolation(err) {
			return models.Errorf(models.ECONFLICT, "%d年度报告刚刚被其他人发布或更正，请刷新页面后重试。", year)
		}
		if err != nil {
			return fmt.Errorf("publish annual report: %w", err)
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		e := &models.AuditEntry{AgencyID: agencyID, Action: action, ObjectType: models.AuditObjectAnnualReport,
			ObjectID: strconv.Itoa(year), After: models.AuditData(map[string]any{
				"version": p.Version, "reason": reason, "snapshot_sha256": p.SnapshotSHA256,
				"pdf_sha256": p.PDFSHA256, "xlsx_sha256": p.XLSXSHA256})}
		if current != nil {
			e.Before = models.AuditData(map[string]any{"version": current.Version, "snapshot_sha256": current.SnapshotSHA256})
		}
		if a, _ := models.ActorFromContext(ctx); a.UserID != user.ID {
			e.ActorID, e.ActorName = user.ID, models.ActorName(user)
		}
		return s.auditTx(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

const publishedColumns = `id, agency_id, agency_name, year, version, reason, published_by, published_by_name, published_at,
	LENGTH(pdf), LENGTH(xlsx), pdf_sha256, xlsx_sha256, snapshot_sha256`

func scanPublished(row interface{ Scan(...any) error }, extra ...any) (*PublishedAnnualReport, error) {
	var p PublishedAnnualReport
	err := row.Scan(append([]any{&p.ID, &p.AgencyID, &p.AgencyName, &p.Year, &p.Version, &p.Reason, &p.PublishedBy,
		&p.PublishedByName, scanTime{&p.PublishedAt}, &p.PDFSize, &p.XLSXSize, &p.PDFSHA256, &p.XLSXSHA256,
		&p.SnapshotSHA256}, extra...)...)
	return &p, err
}

// PublishedAnnualReports lists every published version of the agency's
// reports, newest year first and, within a year, the current version
// first, each with who published it, when, why (for a correction) and
// which version superseded it: the correction history the public page
// shows beside the downloads.
func (s *Store) PublishedAnnualReports(ctx context.Context, agencyID int64) ([]PublishedAnnualReport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+publishedColumns+` FROM annual_reports WHERE agency_id = ?
		ORDER BY year DESC, version DESC`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list annual reports: %w", err)
	}
	defer rows.Close()
	var out []PublishedAnnualReport
	for rows.Next() {
		p, err := scanPublished(rows)
		if err != nil {
			return nil, fmt.Errorf("list annual reports: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Year == p.Year {
			p.SupersededBy, p.SupersededAt = out[n-1].Version, out[n-1].PublishedAt
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// PublishedAnnualReport returns one published version of year's report
// with its snapshot (version 0: the current one). ENOTFOUND when there is
// none.
func (s *Store) PublishedAnnualReport(ctx context.Context, agencyID int64, year, version int) (*PublishedAnnualReport, error) {
	cond, args := "version = ?", []any{agencyID, year, version}
	if version == 0 {
		cond, args = "version = (SELECT MAX(version) FROM annual_reports WHERE agency_id = ? AND year = ?)", []any{agencyID, year, agencyID, year}
	}
	var snapshot string
	p, err := scanPublished(s.db.QueryRowContext(ctx, `SELECT `+publishedColumns+`, snapshot FROM annual_reports
		WHERE agency_id = ? AND year = ? AND `+cond, args...), &snapshot)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到%d年度已发布的年度报告。", year)
	}
	if err != nil {
		return nil, fmt.Errorf("read annual report %d: %w", year, err)
	}
	var r models.AnnualReport
	if err := json.Unmarshal([]byte(snapshot), &r); err != nil {
		return nil, fmt.Errorf("read annual report %d version %d: %w", year, p.Version, err)
	}
	p.Report, p.snapshot = &r, snapshot
	var next sql.NullInt64
	var nextAt time.Time
	err = s.db.QueryRowContext(ctx, `SELECT version, published_at FROM annual_reports WHERE agency_id = ? AND year = ? AND version = ?`,
		agencyID, year, p.Version+1).Scan(&next, scanTime{&nextAt})
	switch {
	case err == nil:
		p.SupersededBy, p.SupersededAt = int(next.Int64), nextAt
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("read annual report %d: %w", year, err)
	}
	return p, nil
}

// Annual report file kinds.
const (
	ReportPDF  = "pdf"
	ReportXLSX = "xlsx"
)

// AnnualReportFile returns a published version's file as it was rendered
// when published (version 0: the current one), with its download name and
// content type. kind is ReportPDF or ReportXLSX.
func (s *Store) AnnualReportFile(ctx context.Context, agencyID int64, year, version int, kind string) (name, contentType string, content []byte, err error) {
	col := ""
	switch kind {
	case ReportPDF:
		col, contentType = "pdf", "application/pdf"
	case ReportXLSX:
		col, contentType = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return "", "", nil, models.Errorf(models.ENOTFOUND, "没有这种格式的年度报告文件。")
	}
	cond, args := "version = ?", []any{agencyID, year, version}
	if version == 0 {
		cond, args = "version = (SELECT MAX(version) FROM annual_reports WHERE agency_id = ? AND year = ?)", []any{agencyID, year, agencyID, year}
	}
	p, err := scanPublished(s.db.QueryRowContext(ctx, `SELECT `+publishedColumns+`, `+col+` FROM annual_reports
		WHERE agency_id = ? AND year = ? AND `+cond, args...), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil, models.Errorf(models.ENOTFOUND, "未找到%d年度已发布的年度报告。", year)
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("read annual report file %d: %w", year, err)
	}
	return p.FileName(kind), contentType, content, nil
}
