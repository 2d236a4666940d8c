package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

var ymd = models.MustParseDate

// Column indexes of table 三, for readability.
const (
	cPerson = iota
	cCommercial
	cResearch
	cNonprofit
	cLegal
	cOther
	cTotal
)

// t3 is an expected non-zero cell of table 三.
type t3 struct{ row, col, n int }

// table3 builds the expected table from its non-zero cells, totals
// included: every cell not listed must be zero.
func table3(cells ...t3) models.ApplicationTable {
	var t models.ApplicationTable
	for _, c := range cells {
		t[c.row][c.col] = c.n
	}
	return t
}

func diffTable3(t *testing.T, what string, got, want models.ApplicationTable) {
	t.Helper()
	for i := range models.Table3Rows {
		for c := range models.Table3Cols {
			if got[i][c] != want[i][c] {
				t.Errorf("%s: %s = %d, want %d", what, models.Table3CellName(i, c), got[i][c], want[i][c])
			}
		}
	}
}

// rawCases writes applications straight into the tables the report reads
// (an applicant of the case's kind; the receipt date, closing date and
// outcome on the application row), as the store's derive leaves them, so
// that a test can build any dataset, broken data included. A case with a
// zero ReceivedOn is an application never received. It returns the ids.
func rawCases(t testing.TB, s *store.Store, agencyID int64, cases []models.ReportCase) []int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var seq int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM applications WHERE agency_id = ? AND year = 1`, agencyID).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]int64, len(cases))
	for i, c := range cases {
		res, err := tx.ExecContext(ctx, `INSERT INTO applicants (agency_id, kind, name, created_at) VALUES (?, ?, ?, ?)`,
			agencyID, string(c.Applicant), "测试申请人", now)
		if err != nil {
			t.Fatal(err)
		}
		applicant, _ := res.LastInsertId()
		status := models.StatusProcessing
		switch {
		case c.ReceivedOn.IsZero():
			status = models.StatusPending
		case !c.ClosedOn.IsZero():
			status = models.StatusAnswered
		}
		seq++
		res, err = tx.ExecContext(ctx, `INSERT INTO applications (agency_id, number, year, seq, applicant_id, applicant_kind, channel, source,
			status, submitted_at, received_on, title, description, purpose, query_code_hash, outcome, closed_on, created_at, updated_at)
			VALUES (?, ?, 1, ?, ?, ?, 'online', 'portal', ?, ?, ?, '测试', '', '', 'x', ?, ?, ?, ?)`,
			agencyID, c.Ref, seq, applicant, string(c.Applicant), string(status), now, c.ReceivedOn, string(c.Outcome), c.ClosedOn, now, now)
		if err != nil {
			t.Fatal(err)
		}
		ids[i], _ = res.LastInsertId()
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// rawRemedy writes a reconsideration or lawsuit onto an application's
// ledger (seq from 10 on, so it does not clash with other events).
func rawRemedy(t testing.TB, s *store.Store, agencyID, appID int64, seq int, r models.RemedyCase) {
	t.Helper()
	kind, data := models.EventReconsiderationRecorded, fmt.Sprintf(`{"case_ref":%q}`, r.Ref)
	switch r.Kind {
	case models.RemedyLitigation:
		kind = models.EventLitigationRecorded
	case models.RemedyLitigationAfterReconsideration:
		kind, data = models.EventLitigationRecorded, fmt.Sprintf(`{"case_ref":%q,"after_reconsideration":true}`, r.Ref)
	}
	insert := `INSERT INTO application_events (application_id, agency_id, seq, kind, occurred_on, recorded_at, actor_kind, actor_id, data)
		VALUES (?, ?, ?, ?, ?, ?, 'staff', 0, ?)`
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.DB().Exec(insert, appID, agencyID, seq, string(kind), r.FiledOn, now, data); err != nil {
		t.Fatal(err)
	}
	if r.Result != "" {
		if _, err := s.DB().Exec(insert, appID, agencyID, seq+1, string(models.EventRemedyConcluded), r.ConcludedOn, now,
			fmt.Sprintf(`{"ref":%d,"result":%q}`, seq, r.Result)); err != nil {
			t.Fatal(err)
		}
	}
}

func mustCompute(t *testing.T, s *store.Store, agencyID int64, year int, path store.CountPath) models.AnnualReport {
	t.Helper()
	rs, err := s.ComputeAnnualReports(context.Background(), agencyID, year, year, path)
	if err != nil {
		t.Fatalf("compute %d (%s): %v", year, path, err)
	}
	return rs[0]
}

var paths = []store.CountPath{store.CountAggregated, store.CountStreamed}

// threeYears is a dataset over 2024–2026 whose every cell is known: carry
// over across all three years, December applications answered in January,
// a withdrawal on 31 December, a case from 2023 answered in 2024, one
// received and answered on 1 January, one received on 31 December and left
// open, one never received, and one closed before 2024.
var threeYears = []models.ReportCase{
	{Ref: "A1", ReceivedOn: ymd("2024-03-01"), ClosedOn: ymd("2024-03-20"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson},
	{Ref: "A2", ReceivedOn: ymd("2024-12-20"), ClosedOn: ymd("2025-01-10"), Outcome: models.OutcomePartial, Applicant: models.ApplicantCommercial},
	{Ref: "A3", ReceivedOn: ymd("2024-11-01"), ClosedOn: ymd("2026-02-01"), Outcome: models.OutcomeNotHeld, Applicant: models.ApplicantResearch},
	{Ref: "A4", ReceivedOn: ymd("2025-06-01"), Applicant: models.ApplicantNonprofit},
	{Ref: "A5", ReceivedOn: ymd("2025-12-31"), ClosedOn: ymd("2025-12-31"), Outcome: models.OutcomeWithdrawn, Applicant: models.ApplicantLegal},
	{Ref: "A6", ReceivedOn: ymd("2026-01-05"), ClosedOn: ymd("2026-12-31"), Outcome: models.OutcomeFeeUnpaid, Applicant: models.ApplicantOtherOrg},
	{Ref: "A7", ReceivedOn: ymd("2023-12-15"), ClosedOn: ymd("2024-01-02"), Outcome: models.OutcomeWithholdSecret, Applicant: models.ApplicantPerson},
	{Ref: "A8", ReceivedOn: ymd("2026-12-31"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson}, // a drafted outcome on an open case is ignored
	{Ref: "A9", ReceivedOn: ymd("2026-01-01"), ClosedOn: ymd("2026-01-01"), Outcome: models.OutcomeRepeat, Applicant: models.ApplicantPerson},
	{Ref: "A0", ReceivedOn: ymd("2022-05-05"), ClosedOn: ymd("2023-01-05"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson},
	{Ref: "AP", ClosedOn: ymd("2025-03-01"), Outcome: models.OutcomeWithdrawn, Applicant: models.ApplicantPerson}, // withdrawn before receipt: not a case
}

var threeYearsWant = map[int]models.ApplicationTable{
	2024: table3(
		t3{models.Table3New, cPerson, 1}, t3{models.Table3New, cCommercial, 1}, t3{models.Table3New, cResearch, 1}, t3{models.Table3New, cTotal, 3},
		t3{models.Table3CarriedOver, cPerson, 1}, t3{models.Table3CarriedOver, cTotal, 1},
		t3{models.Table3Index(models.RowDisclosed), cPerson, 1}, t3{models.Table3Index(models.RowDisclosed), cTotal, 1},
		t3{models.Table3Index(models.RowWithheldSecret), cPerson, 1}, t3{models.Table3Index(models.RowWithheldSecret), cTotal, 1},
		t3{models.Table3Total, cPerson, 2}, t3{models.Table3Total, cTotal, 2},
		t3{models.Table3CarriedForward, cCommercial, 1}, t3{models.Table3CarriedForward, cResearch, 1}, t3{models.Table3CarriedForward, cTotal, 2},
	),
	2025: table3(
		t3{models.Table3New, cNonprofit, 1}, t3{models.Table3New, cLegal, 1}, t3{models.Table3New, cTotal, 2},
		t3{models.Table3CarriedOver, cCommercial, 1}, t3{models.Table3CarriedOver, cResearch, 1}, t3{models.Table3CarriedOver, cTotal, 2},
		t3{models.Table3Index(models.RowPartial), cCommercial, 1}, t3{models.Table3Index(models.RowPartial), cTotal, 1},
		t3{models.Table3Index(models.RowOtherOther), cLegal, 1}, t3{models.Table3Index(models.RowOtherOther), cTotal, 1},
		t3{models.Table3Total, cCommercial, 1}, t3{models.Table3Total, cLegal, 1}, t3{models.Table3Total, cTotal, 2},
		t3{models.Table3CarriedForward, cResearch, 1}, t3{models.Table3CarriedForward, cNonprofit, 1}, t3{models.Table3CarriedForward, cTotal, 2},
	),
	2026: table3(
		t3{models.Table3New, cPerson, 2}, t3{models.Table3New, cOther, 1}, t3{models.Table3New, cTotal, 3},
		t3{models.Table3CarriedOver, cResearch, 1}, t3{models.Table3CarriedOver, cNonprofit, 1}, t3{models.Table3CarriedOver, cTotal, 2},
		t3{models.Table3Index(models.RowUnavailableNotHeld), cResearch, 1}, t3{models.Table3Index(models.RowUnavailableNotHeld), cTotal, 1},
		t3{models.Table3Index(models.RowNotProcessedRepeat), cPerson, 1}, t3{models.Table3Index(models.RowNotProcessedRepeat), cTotal, 1},
		t3{models.Table3Index(models.RowOtherFeeUnpaid), cOther, 1}, t3{models.Table3Index(models.RowOtherFeeUnpaid), cTotal, 1},
		t3{models.Table3Total, cPerson, 1}, t3{models.Table3Total, cResearch, 1}, t3{models.Table3Total, cOther, 1}, t3{models.Table3Total, cTotal, 3},
		t3{models.Table3CarriedForward, cPerson, 1}, t3{models.Table3CarriedForward, cNonprofit, 1}, t3{models.Table3CarriedForward, cTotal, 2},
	),
}

// narrative is text for sections 一 and 五, which Check requires.
var narrative = models.Narrative{Overview: "总体情况。", Problems: "存在的主要问题及改进情况。"}

// TestAnnualReportThreeYears counts a dataset whose every cell is known,
// by both paths and over a range of years, and checks the continuity from
// year to year.
func TestAnnualReportThreeYears(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		rawCases(t, s, agency.ID, threeYears)
		for _, path := range paths {
			for year, want := range threeYearsWant {
				r := mustCompute(t, s, agency.ID, year, path)
				diffTable3(t, fmt.Sprintf("%d %s", year, path), r.Table3, want)
				if r.ProblemCount != 0 {
					t.Errorf("%d %s: problems %+v", year, path, r.Problems)
				}
			}
			var refs []string
			if err := s.EachReportCase(context.Background(), agency.ID, 2024, 2026, func(c models.ReportCase) error {
				refs = append(refs, c.Ref)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			slices.Sort(refs)
			if want := []string{"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"}; !slices.Equal(refs, want) {
				t.Errorf("cases streamed for 2024–2026: %v, want %v", refs, want)
			}
			rs, err := s.ComputeAnnualReports(context.Background(), agency.ID, 2024, 2026, path)
			if err != nil {
				t.Fatal(err)
			}
			var previous *models.AnnualReport
			for i, r := range rs {
				diffTable3(t, fmt.Sprintf("range %d %s", 2024+i, path), r.Table3, threeYearsWant[2024+i])
				r.Narrative = narrative
				for _, v := range r.Check(previous) {
					t.Errorf("%d %s: %s", r.Year, path, v.Message)
				}
				previous = &r
			}
		}
	})
}

// TestAnnualReportEveryRowAndColumn puts one case in every outcome and
// every applicant column, received in December 2025 and answered in
// January 2026, and one withdrawn in 2025.
func TestAnnualReportEveryRowAndColumn(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		var cases []models.ReportCase
		rows := map[[2]int]int{}
		for i, o := range models.Outcomes {
			kind := models.ApplicantKinds[i%len(models.ApplicantKinds)]
			cases = append(cases, models.ReportCase{Ref: fmt.Sprintf("E%02d", i), ReceivedOn: ymd("2025-12-01").AddDays(i),
				ClosedOn: ymd("2026-01-05").AddDays(i), Outcome: o.Outcome, Applicant: kind})
			rows[[2]int{models.Table3Index(o.Row), kind.Column()}]++
		}
		cases = append(cases, models.ReportCase{Ref: "W1", ReceivedOn: ymd("2025-04-01"), ClosedOn: ymd("2025-04-03"),
			Outcome: models.OutcomeWithdrawn, Applicant: models.ApplicantLegal})
		rawCases(t, s, agency.ID, cases)
		n := len(models.Outcomes)
		for _, path := range paths {
			r25 := mustCompute(t, s, agency.ID, 2025, path)
			want25 := table3(
				t3{models.Table3Index(models.RowOtherOther), cLegal, 1}, t3{models.Table3Index(models.RowOtherOther), cTotal, 1},
				t3{models.Table3Total, cLegal, 1}, t3{models.Table3Total, cTotal, 1},
			)
			for c := range models.ApplicantColumns {
				k := 0
				for i := range n {
					if i%models.ApplicantColumns == c {
						k++
					}
				}
				want25[models.Table3New][c] = k
				want25[models.Table3CarriedForward][c] = k
			}
			want25[models.Table3New][cLegal]++
			want25[models.Table3New][cTotal] = n + 1
			want25[models.Table3CarriedForward][cTotal] = n
			diffTable3(t, "2025 "+path.String(), r25.Table3, want25)

			r26 := mustCompute(t, s, agency.ID, 2026, path)
			var want26 models.ApplicationTable
			want26[models.Table3CarriedOver] = want25[models.Table3CarriedForward]
			for cell, k := range rows {
				want26[cell[0]][cell[1]] += k
				want26[cell[0]][cTotal] += k
				want26[models.Table3Total][cell[1]] += k
				want26[models.Table3Total][cTotal] += k
			}
			diffTable3(t, "2026 "+path.String(), r26.Table3, want26)
			for _, info := range models.ReportRows {
				if r26.Table3[models.Table3Index(info.Row)][cTotal] == 0 {
					t.Errorf("%s: row %s%s is empty", path, info.Group, info.Label)
				}
			}
			r26.Narrative = narrative
			for _, v := range r26.Check(&r25) {
				t.Errorf("%s: %s", path, v.Message)
			}
		}
	})
}

// TestAnnualReportThroughTheLedger files applications through the store
// (submission, receipt, answer, withdrawal, remedy, fee) with the clock
// moved across New Year, so that the report counts the row columns the
// store itself derives from the ledger.
func TestAnnualReportThroughTheLedger(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sections, err := s.Sections(ctx, agency.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := func(day string) { clock.Set(ymd(day).Time(storetest.Shanghai).Add(10 * time.Hour)) }
		appendEvent := func(id int64, day string, e models.Event) {
			t.Helper()
			at(day)
			e.On = ymd(day)
			if _, err := s.AppendEvent(ctx, agency.ID, id, e, 0); err != nil {
				t.Fatalf("%s on %s: %v", e.Kind, day, err)
			}
		}
		receive := func(day string) int64 {
			t.Helper()
			at(day)
			sub := storetest.MustSubmit(t, s, agency.ID, "测试"+day)
			id := sub.Application.ID
			appendEvent(id, day, models.Event{Kind: models.EventConfirmed, Data: models.EventData{Channel: models.ChannelOnline}})
			appendEvent(id, day, models.Event{Kind: models.EventAssigned, Data: models.EventData{SectionID: sections[0].ID, Role: models.RoleLead}})
			return id
		}
		answer := func(id int64, day string, o models.Outcome) {
			t.Helper()
			appendEvent(id, day, models.Event{Kind: models.EventAnswerDrafted, Data: models.EventData{Outcome: o}})
			appendEvent(id, day, models.Event{Kind: models.EventAnswerIssued, Data: models.EventData{Outcome: o}})
		}

		a := receive("2025-12-22") // answered in January: 2025 四, 2026 二 and 三
		b := receive("2025-12-23") // withdrawn in December: 2025 三（六）3
		c := receive("2026-03-02") // answered in 2026 with a fee, then reconsidered
		at("2026-04-01")
		pending := storetest.MustSubmit(t, s, agency.ID, "未确认") // never received: not counted
		_ = pending
		appendEvent(b, "2025-12-29", models.Event{Kind: models.EventWithdrawn, Data: models.EventData{Reason: "撤回"}})
		answer(a, "2026-01-08", models.OutcomeDisclose)
		appendEvent(c, "2026-03-05", models.Event{Kind: models.EventFeeNoticeSent, Data: models.EventData{FeeMethod: models.FeePerItem, Units: 1, AmountFen: 5000}})
		appendEvent(c, "2026-03-06", models.Event{Kind: models.EventFeeNoticeDelivered})
		appendEvent(c, "2026-03-09", models.Event{Kind: models.EventFeePaid, Data: models.EventData{AmountFen: 5000}})
		answer(c, "2026-03-20", models.OutcomeNotHeld)
		appendEvent(c, "2026-04-10", models.Event{Kind: models.EventReconsiderationRecorded, Data: models.EventData{CaseRef: "铁政复〔2026〕1号"}})
		appendEvent(c, "2026-06-10", models.Event{Kind: models.EventRemedyConcluded, Data: models.EventData{Ref: 9, Result: models.ResultUpheld}})

		remedies, err := s.RemedyCases(ctx, agency.ID, 2026, 2026)
		if err != nil || len(remedies) != 1 || remedies[0].Ref != "铁政复〔2026〕1号" || remedies[0].Result != models.ResultUpheld {
			t.Errorf("remedies = %+v, %v", remedies, err)
		}
		for _, path := range paths {
			r25 := mustCompute(t, s, agency.ID, 2025, path)
			diffTable3(t, "2025 "+path.String(), r25.Table3, table3(
				t3{models.Table3New, cPerson, 2}, t3{models.Table3New, cTotal, 2},
				t3{models.Table3Index(models.RowOtherOther), cPerson, 1}, t3{models.Table3Index(models.RowOtherOther), cTotal, 1},
				t3{models.Table3Total, cPerson, 1}, t3{models.Table3Total, cTotal, 1},
				t3{models.Table3CarriedForward, cPerson, 1}, t3{models.Table3CarriedForward, cTotal, 1},
			))
			r26 := mustCompute(t, s, agency.ID, 2026, path)
			diffTable3(t, "2026 "+path.String(), r26.Table3, table3(
				t3{models.Table3New, cPerson, 1}, t3{models.Table3New, cTotal, 1},
				t3{models.Table3CarriedOver, cPerson, 1}, t3{models.Table3CarriedOver, cTotal, 1},
				t3{models.Table3Index(models.RowDisclosed), cPerson, 1}, t3{models.Table3Index(models.RowDisclosed), cTotal, 1},
				t3{models.Table3Index(models.RowUnavailableNotHeld), cPerson, 1}, t3{models.Table3Index(models.RowUnavailableNotHeld), cTotal, 1},
				t3{models.Table3Total, cPerson, 2}, t3{models.Table3Total, cTotal, 2},
			))
			if want := (models.RemedyTable{models.Table4Upheld: 1, models.Table4Total: 1}); r26.Table4 != want {
				t.Errorf("2026 %s: table 四 = %v, want %v", path, r26.Table4, want)
			}
			if want := (models.FeeFigures{Notices: 1, BilledFen: 5000, CollectedFen: 5000}); r26.Fees != want {
				t.Errorf("2026 %s: fees = %+v, want %+v", path, r26.Fees, want)
			}
		}
	})
}

// randomCases returns n cases received 2022–2027, a fifth still open, a
// tenth withdrawn soon, the rest answered within a year (often across New
// Year), and, if broken, about one in twenty with broken data: no receipt
// date (an application never received), an unknown or differently cased
// applicant kind, a closing date before the receipt date, an unknown
// outcome.
func randomCases(rng *rand.Rand, n int, broken bool, prefix string) []models.ReportCase {
	first := ymd("2022-01-01")
	cases := make([]models.ReportCase, n)
	for i := range cases {
		recv := first.AddDays(rng.IntN(6 * 365))
		c := models.ReportCase{Ref: fmt.Sprintf("%s%05d", prefix, i), ReceivedOn: recv,
			Applicant: models.ApplicantKinds[rng.IntN(len(models.ApplicantKinds))]}
		switch p := rng.IntN(10); {
		case p < 2:
			if rng.IntN(3) == 0 {
				c.Outcome = models.OutcomeDisclose // drafted, not issued
			}
		case p < 3:
			c.ClosedOn, c.Outcome = recv.AddDays(rng.IntN(10)), models.OutcomeWithdrawn
		default:
			c.ClosedOn = recv.AddDays(rng.IntN(365))
			c.Outcome = models.Outcomes[rng.IntN(len(models.Outcomes))].Outcome
		}
		if broken && rng.IntN(20) == 0 {
			switch rng.IntN(5) {
			case 0:
				c.ReceivedOn = models.Date{}
			case 1:
				c.Applicant = "unknown"
			case 2:
				c.Applicant = "Person"
			case 3:
				c.ClosedOn, c.Outcome = recv.AddDays(-1-rng.IntN(400)), models.OutcomeDisclose
			case 4:
				c.ClosedOn, c.Outcome = recv.AddDays(rng.IntN(30)), "nonsense"
			}
		}
		cases[i] = c
	}
	return cases
}

func randomRemedies(rng *rand.Rand, n int) []models.RemedyCase {
	results := []models.RemedyResult{models.ResultUpheld, models.ResultCorrected, models.ResultOther}
	rs := make([]models.RemedyCase, n)
	for i := range rs {
		filed := ymd("2022-01-01").AddDays(rng.IntN(6 * 365))
		r := models.RemedyCase{Ref: fmt.Sprintf("复%d", i), Kind: models.RemedyKinds[rng.IntN(3)], FiledOn: filed}
		if rng.IntN(4) > 0 {
			r.Result, r.ConcludedOn = results[rng.IntN(3)], filed.AddDays(rng.IntN(400))
		}
		rs[i] = r
	}
	return rs
}

func problemSet(ps []models.CaseProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Ref + ": " + p.Message
	}
	slices.Sort(out)
	return out
}

// TestAnnualReportMatchesReference is the property test of the two count
// paths: on random datasets (some with broken data), written to the
// database as applications, imported legacy cases and ledger remedies,
// each year's report by either path equals models.ComputeAnnualReport over
// the same cases, cell by cell, with the same problems.
func TestAnnualReportMatchesReference(t *testing.T) {
	seeds := uint64(12)
	if testing.Short() {
		seeds = 4
	}
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		clock.Set(time.Date(2029, 6, 1, 9, 0, 0, 0, storetest.Shanghai)) // every random date is past
		for seed := uint64(1); seed <= seeds; seed++ {
			// A fresh agency per dataset, so datasets do not add up.
			agency := &models.Agency{Code: fmt.Sprintf("P%d", seed), Name: fmt.Sprintf("测试机关%d", seed), OfficeName: "办公室",
				OfficeAddress: "地址", OfficeHours: "工作日", Phone: "024-12345678", ReconsiderationBody: "市政府", Court: "法院",
				LetterPrefix: "测公开"}
			if err := s.CreateAgency(ctx, agency); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(seed, 7))
			broken := seed%3 == 0
			apps := randomCases(rng, 100+rng.IntN(400), broken, fmt.Sprintf("S%d-", seed))
			legacy := randomCases(rng, rng.IntN(30), false, fmt.Sprintf("L%d-", seed))
			for i := range legacy {
				if legacy[i].ClosedOn.IsZero() {
					legacy[i].Outcome = "" // an open imported case has no outcome
				}
			}
			ids := rawCases(t, s, agency.ID, apps)
			if _, err := s.ImportLegacyCases(ctx, agency.ID, legacy); err != nil {
				t.Fatalf("seed %d: import: %v", seed, err)
			}
			remedies := randomRemedies(rng, rng.IntN(20))
			for i, r := range remedies {
				rawRemedy(t, s, agency.ID, ids[i%len(ids)], 10+10*(i/len(ids))+2*i, r)
			}
			var reference []models.ReportCase
			for _, c := range append(slices.Clone(apps), legacy...) {
				if !c.ReceivedOn.IsZero() { // never received: not a case (条例第三十一条)
					reference = append(reference, c)
				}
			}
			for year := 2022; year <= 2026; year++ {
				want := models.ComputeAnnualReport(year, reference, remedies, nil, models.CatalogCounts{}, models.ProactiveFigures{}, models.FeeFigures{})
				for _, path := range paths {
					got := mustCompute(t, s, agency.ID, year, path)
					what := fmt.Sprintf("seed %d %d %s", seed, year, path)
					diffTable3(t, what, got.Table3, want.Table3)
					if got.Table4 != want.Table4 {
						t.Errorf("%s: table 四 = %v, want %v", what, got.Table4, want.Table4)
					}
					if got.ProblemCount != want.ProblemCount || !slices.Equal(problemSet(got.Problems), problemSet(want.Problems)) {
						t.Errorf("%s: problems %d %v, want %d %v", what, got.ProblemCount, problemSet(got.Problems), want.ProblemCount, problemSet(want.Problems))
					}
				}
			}
			rs, err := s.ComputeAnnualReports(ctx, agency.ID, 2022, 2026, store.CountAggregated)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rs {
				if single := mustCompute(t, s, agency.ID, 2022+i, store.CountAggregated); r.Table3 != single.Table3 {
					t.Errorf("seed %d: %d counted over 2022–2026 differs from the year alone", seed, r.Year)
				}
			}
		}
	})
}

// TestAnnualReportCaseVariants checks values that MySQL's default
// collation would group with valid ones (other case, trailing space): the
// rules do not count them, so neither may the aggregation.
func TestAnnualReportCaseVariants(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		cases := []models.ReportCase{
			{Ref: "V1", ReceivedOn: ymd("2025-03-01"), ClosedOn: ymd("2025-03-09"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson},
			{Ref: "V2", ReceivedOn: ymd("2025-03-02"), ClosedOn: ymd("2025-03-09"), Outcome: models.OutcomeDisclose, Applicant: "Person"},
			{Ref: "V3", ReceivedOn: ymd("2025-03-03"), ClosedOn: ymd("2025-03-09"), Outcome: models.OutcomeDisclose, Applicant: "person "},
			{Ref: "V4", ReceivedOn: ymd("2025-03-04"), ClosedOn: ymd("2025-03-09"), Outcome: "Disclose", Applicant: models.ApplicantPerson},
		}
		rawCases(t, s, agency.ID, cases)
		want := models.ComputeAnnualReport(2025, cases, nil, nil, models.CatalogCounts{}, models.ProactiveFigures{}, models.FeeFigures{})
		if want.ProblemCount != 3 {
			t.Fatalf("reference problems = %d, want 3", want.ProblemCount)
		}
		for _, path := range paths {
			got := mustCompute(t, s, agency.ID, 2025, path)
			diffTable3(t, path.String(), got.Table3, want.Table3)
			if !slices.Equal(problemSet(got.Problems), problemSet(want.Problems)) {
				t.Errorf("%s: problems %v, want %v", path, problemSet(got.Problems), problemSet(want.Problems))
			}
		}
	})
}

// TestAnnualReportInputs covers what the office enters: the table 二
// figures, the narrative, and their audit entries.
func TestAnnualReportInputs(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		in, err := s.ReportInputs(ctx, agency.ID, 2025)
		if err != nil || in.FiguresSet || in.NarrativeSet {
			t.Fatalf("fresh inputs = %+v, %v", in, err)
		}
		charges, err := models.ParseWanYuan("12.3456")
		if err != nil {
			t.Fatal(err)
		}
		figures := models.ProactiveFigures{Licensing: 120, Penalties: 3, Enforcement: 1, ChargesFen: charges}
		if err := s.SaveReportFigures(ctx, agency.ID, 2025, figures); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveReportNarrative(ctx, agency.ID, 2025, models.Narrative{Overview: " 一 ", Problems: "五", Other: "六"}); err != nil {
			t.Fatal(err)
		}
		figures.Penalties = 4
		if err := s.SaveReportFigures(ctx, agency.ID, 2025, figures); err != nil {
			t.Fatal(err)
		}
		in, err = s.ReportInputs(ctx, agency.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if !in.FiguresSet || in.Figures != figures || !in.NarrativeSet || in.Narrative != (models.Narrative{Overview: "一", Problems: "五", Other: "六"}) {
			t.Errorf("inputs = %+v", in)
		}
		if err := s.SaveReportFigures(ctx, agency.ID, 2025, models.ProactiveFigures{Licensing: -1}); models.FieldErrors(err)[store.ReportFieldLicensing] == "" {
			t.Errorf("negative figure: %v", err)
		}
		if err := s.SaveReportFigures(ctx, agency.ID, 2031, figures); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("future year: %v", err)
		}
		r, _, err := s.CompileAnnualReport(ctx, agency.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if r.Table2.Figures != figures || r.Narrative.Problems != "五" {
			t.Errorf("compiled table 二 %+v, narrative %+v", r.Table2.Figures, r.Narrative)
		}
		// Without a saved narrative the report starts from the draft.
		r24, v24, err := s.CompileAnnualReport(ctx, agency.ID, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r24.Narrative.Overview, "第四十九条") || !hasViolation(v24, "五、存在的主要问题及改进情况") {
			t.Errorf("draft narrative %q, violations %v", r24.Narrative.Overview, v24)
		}
		got := auditCount(t, s, models.AuditReportFiguresSaved, models.AuditReportNarrativeSaved)
		if got[models.AuditReportFiguresSaved] != 2 || got[models.AuditReportNarrativeSaved] != 1 {
			t.Errorf("audit = %v", got)
		}
	})
}

func hasViolation(v []models.Violation, part string) bool {
	for _, x := range v {
		if strings.Contains(x.Message, part) {
			return true
		}
	}
	return false
}

func auditCount(t *testing.T, s *store.Store, actions ...models.AuditAction) map[models.AuditAction]int {
	t.Helper()
	out := map[models.AuditAction]int{}
	for _, a := range actions {
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ?`, string(a)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[a] = n
	}
	return out
}

// TestAnnualReportFirstYear covers the first year of use: cases from
// before go-live imported (open and closed), the opening balance entered
// by hand, the check between the two, and the import's all-or-nothing.
func TestAnnualReportFirstYear(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		legacy := []models.ReportCase{
			// Open on 1 January 2026, answered in 2026.
			{Ref: "旧-1", ReceivedOn: ymd("2025-12-10"), ClosedOn: ymd("2026-01-06"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson},
			{Ref: "旧-2", ReceivedOn: ymd("2025-12-15"), ClosedOn: ymd("2026-01-20"), Outcome: models.OutcomeWithholdThirdParty, Applicant: models.ApplicantLegal},
			// Still open.
			{Ref: "旧-3", ReceivedOn: ymd("2025-12-30"), Applicant: models.ApplicantCommercial},
			// Closed before 2026: in no 2026 cell.
			{Ref: "旧-4", ReceivedOn: ymd("2025-03-01"), ClosedOn: ymd("2025-03-20"), Outcome: models.OutcomeNotHeld, Applicant: models.ApplicantPerson},
		}
		if _, err := s.ImportLegacyCases(ctx, agency.ID, legacy[:2]); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportLegacyCases(ctx, agency.ID, legacy)
		if err != nil || res.Imported != 4 || res.Replaced != 2 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		bad := append(slices.Clone(legacy), models.ReportCase{Ref: "旧-1", ReceivedOn: ymd("2025-01-01"), Applicant: models.ApplicantPerson})
		if _, err := s.ImportLegacyCases(ctx, agency.ID, bad); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("duplicate ref: %v", err)
		}
		got, err := s.LegacyCases(ctx, agency.ID)
		if err != nil || len(got) != 4 {
			t.Fatalf("legacy cases after a refused import = %d, %v", len(got), err)
		}
		rawCases(t, s, agency.ID, []models.ReportCase{
			{Ref: "TLMZ-2026-000001", ReceivedOn: ymd("2026-02-02"), ClosedOn: ymd("2026-02-20"), Outcome: models.OutcomePartial, Applicant: models.ApplicantPerson},
		})

		opening := models.OpeningBalance{Year: 2026, Counts: [6]int{1, 1, 0, 0, 1, 0}}
		if err := s.SaveOpeningBalance(ctx, agency.ID, opening); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveReportNarrative(ctx, agency.ID, 2026, narrative); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2027, 1, 15, 10, 0, 0, 0, storetest.Shanghai))
		want := table3(
			t3{models.Table3New, cPerson, 1}, t3{models.Table3New, cTotal, 1},
			t3{models.Table3CarriedOver, cPerson, 1}, t3{models.Table3CarriedOver, cCommercial, 1}, t3{models.Table3CarriedOver, cLegal, 1}, t3{models.Table3CarriedOver, cTotal, 3},
			t3{models.Table3Index(models.RowDisclosed), cPerson, 1}, t3{models.Table3Index(models.RowDisclosed), cTotal, 1},
			t3{models.Table3Index(models.RowPartial), cPerson, 1}, t3{models.Table3Index(models.RowPartial), cTotal, 1},
			t3{models.Table3Index(models.RowWithheldThirdParty), cLegal, 1}, t3{models.Table3Index(models.RowWithheldThirdParty), cTotal, 1},
			t3{models.Table3Total, cPerson, 2}, t3{models.Table3Total, cLegal, 1}, t3{models.Table3Total, cTotal, 3},
			t3{models.Table3CarriedForward, cCommercial, 1}, t3{models.Table3CarriedForward, cTotal, 1},
		)
		r, v, err := s.CompileAnnualReport(ctx, agency.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		diffTable3(t, "2026", r.Table3, want)
		if r.Opening == nil || len(v) != 0 {
			t.Errorf("opening %v, violations %v", r.Opening, v)
		}

		// An opening balance that disagrees with the imported cases fails
		// the check, and publishing is refused.
		opening.Counts[cPerson] = 2
		if err := s.SaveOpeningBalance(ctx, agency.ID, opening); err != nil {
			t.Fatal(err)
		}
		r, v, err = s.CompileAnnualReport(ctx, agency.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if r.Table3[models.Table3CarriedOver][cPerson] != 2 || !hasViolation(v, "期初结转数") {
			t.Errorf("mismatched opening: 二 = %v, violations %v", r.Table3[models.Table3CarriedOver], v)
		}
		user := mustPublisher(t, s, agency.ID)
		_, err = s.PublishAnnualReport(ctx, agency.ID, 2026, user.ID, reports.RenderAnnualReport)
		var ce *store.ReportCheckError
		if models.ErrorCode(err) != models.EINVALID || !errors.As(err, &ce) || !hasViolation(ce.Violations, "期初结转数") {
			t.Errorf("publish with a failing check: %v", err)
		}
		opening.Counts[cPerson] = 1
		if err := s.SaveOpeningBalance(ctx, agency.ID, opening); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishAnnualReport(ctx, agency.ID, 2026, user.ID, reports.RenderAnnualReport); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveOpeningBalance(ctx, agency.ID, opening); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("opening balance after publishing: %v", err)
		}
		if err := s.DeleteOpeningBalance(ctx, agency.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("delete opening balance after publishing: %v", err)
		}
		got2 := auditCount(t, s, models.AuditReportLegacyImported, models.AuditReportOpeningSaved)
		if got2[models.AuditReportLegacyImported] != 2 || got2[models.AuditReportOpeningSaved] != 3 {
			t.Errorf("audit = %v", got2)
		}
	})
}

// mustPublisher creates a 信息发布员.
func mustPublisher(t *testing.T, s *store.Store, agencyID int64) *models.User {
	t.Helper()
	u := &models.User{AgencyID: agencyID, Username: storetest.Name("pub"), DisplayName: "发布员", Roles: []models.Role{models.RolePublisher}}
	if err := s.CreateUser(context.Background(), u, "publisher-password-123"); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestPublishAndCorrectAnnualReport publishes a report, shows that later
// edits to applications do not change it, refuses the next year while its
// carry-over breaks continuity, and corrects it keeping the history.
func TestPublishAndCorrectAnnualReport(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		user := mustPublisher(t, s, agency.ID)
		ctx = models.NewContextWithActor(ctx, models.Actor{UserID: user.ID, Name: models.ActorName(user), ClientIP: "10.0.0.9", AgencyID: agency.ID})
		rawCases(t, s, agency.ID, threeYears)
		for y := 2024; y <= 2026; y++ {
			if err := s.SaveReportNarrative(ctx, agency.ID, y, narrative); err != nil {
				t.Fatal(err)
			}
		}
		render := reports.RenderAnnualReport

		// The year must be over.
		if _, err := s.PublishAnnualReport(ctx, agency.ID, 2026, user.ID, render); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("publish the current year: %v", err)
		}
		clock.Set(time.Date(2026, 1, 20, 9, 0, 0, 0, storetest.Shanghai))
		p24, err := s.PublishAnnualReport(ctx, agency.ID, 2024, user.ID, render)
		if err != nil {
			t.Fatal(err)
		}
		p25, err := s.PublishAnnualReport(ctx, agency.ID, 2025, user.ID, render)
		if err != nil {
			t.Fatal(err)
		}
		if p25.Version != 1 || p25.Reason != "" || p25.PublishedByName != models.ActorName(user) || p25.PDFSize == 0 {
			t.Errorf("published = %+v", p25)
		}
		if _, err := s.PublishAnnualReport(ctx, agency.ID, 2025, user.ID, render); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("publish twice: %v", err)
		}
		if _, err := s.CorrectAnnualReport(ctx, agency.ID, 2023, "理由", user.ID, render); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("correct an unpublished year: %v", err)
		}
		_, _, pdf1, err := s.AnnualReportFile(ctx, agency.ID, 2025, 1, store.ReportPDF)
		if err != nil {
			t.Fatal(err)
		}
		pages, _, err := reports.ExtractPDFText(bytes.NewReader(pdf1), int64(len(pdf1)))
		if err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(pages, ""); !strings.Contains(text, "铁岭市民政局2025年政府信息公开工作年度报告") {
			t.Errorf("published PDF text: %.200s", text)
		}

		// A 2025 application found late and entered now: the published
		// 2025 report does not change; the 2026 report now carries it over,
		// which breaks continuity with the published 2025 report.
		rawCases(t, s, agency.ID, []models.ReportCase{
			{Ref: "LATE", ReceivedOn: ymd("2025-11-03"), Applicant: models.ApplicantPerson},
		})
		again, err := s.PublishedAnnualReport(ctx, agency.ID, 2025, 0)
		if err != nil {
			t.Fatal(err)
		}
		if again.Report.Table3 != p25.Report.Table3 || again.SnapshotSHA256 != p25.SnapshotSHA256 {
			t.Errorf("published snapshot changed after an edit")
		}
		if _, _, pdf, _ := s.AnnualReportFile(ctx, agency.ID, 2025, 0, store.ReportPDF); !bytes.Equal(pdf, pdf1) {
			t.Errorf("published PDF changed after an edit")
		}
		clock.Set(time.Date(2027, 1, 10, 9, 0, 0, 0, storetest.Shanghai))
		_, v, err := s.CompileAnnualReport(ctx, agency.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if !hasViolation(v, "2025年度报告") {
			t.Errorf("2026 after the late 2025 case: violations %v", v)
		}
		if _, err := s.PublishAnnualReport(ctx, agency.ID, 2026, user.ID, render); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("publish 2026 with broken continuity: %v", err)
		}

		// Correct 2025 (更正): version 2 supersedes version 1.
		if _, err := s.CorrectAnnualReport(ctx, agency.ID, 2025, "  ", user.ID, render); models.FieldErrors(err)[store.ReportFieldReason] == "" {
			t.Errorf("correction without a reason: %v", err)
		}
		clock.Set(time.Date(2027, 1, 11, 9, 0, 0, 0, storetest.Shanghai))
		p25b, err := s.CorrectAnnualReport(ctx, agency.ID, 2025, "补录一件2025年11月收到的申请", user.ID, render)
		if err != nil {
			t.Fatal(err)
		}
		if p25b.Version != 2 || p25b.Report.Table3[models.Table3New][cTotal] != 3 {
			t.Errorf("correction = version %d, 一 %d", p25b.Version, p25b.Report.Table3[models.Table3New][cTotal])
		}
		if _, err := s.CorrectAnnualReport(ctx, agency.ID, 2025, "再次更正", user.ID, render); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("a correction that changes nothing: %v", err)
		}
		p26, err := s.PublishAnnualReport(ctx, agency.ID, 2026, user.ID, render)
		if err != nil {
			t.Fatalf("publish 2026 after the correction: %v", err)
		}

		list, err := s.PublishedAnnualReports(ctx, agency.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range list {
			got = append(got, fmt.Sprintf("%d v%d superseded by %d %q current=%v", p.Year, p.Version, p.SupersededBy, p.Reason, p.Current()))
		}
		want := []string{
			`2026 v1 superseded by 0 "" current=true`,
			`2025 v2 superseded by 0 "补录一件2025年11月收到的申请" current=true`,
			`2025 v1 superseded by 2 "" current=false`,
			`2024 v1 superseded by 0 "" current=true`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !list[2].SupersededAt.Equal(list[1].PublishedAt) {
			t.Errorf("v1 superseded at %v, v2 published at %v", list[2].SupersededAt, list[1].PublishedAt)
		}
		v1, err := s.PublishedAnnualReport(ctx, agency.ID, 2025, 1)
		if err != nil {
			t.Fatal(err)
		}
		if v1.SupersededBy != 2 || v1.Report.Table3[models.Table3New][cTotal] != 2 {
			t.Errorf("version 1 = superseded by %d, 一 %d", v1.SupersededBy, v1.Report.Table3[models.Table3New][cTotal])
		}
		name, ctype, x1, err := s.AnnualReportFile(ctx, agency.ID, 2025, 1, store.ReportXLSX)
		if err != nil || name != "铁岭市民政局2025年政府信息公开工作年度报告.xlsx" || !strings.Contains(ctype, "spreadsheet") || len(x1) == 0 {
			t.Errorf("v1 xlsx = %q %q %d, %v", name, ctype, len(x1), err)
		}
		name, _, pdf2, err := s.AnnualReportFile(ctx, agency.ID, 2025, 2, store.ReportPDF)
		if err != nil || name != "铁岭市民政局2025年政府信息公开工作年度报告（更正第2版）.pdf" || bytes.Equal(pdf2, pdf1) {
			t.Errorf("v2 pdf = %q, same as v1: %v, %v", name, bytes.Equal(pdf2, pdf1), err)
		}
		if _, _, _, err := s.AnnualReportFile(ctx, agency.ID, 2025, 3, store.ReportPDF); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("missing version: %v", err)
		}
		if _, err := s.PublishedAnnualReport(ctx, agency.ID, 2023, 0); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unpublished year: %v", err)
		}
		_ = p24
		_ = p26

		// The trail: three publications and one correction, with hashes,
		// by the publisher from the request's address.
		entries, _, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: agency.ID, ObjectType: models.AuditObjectAnnualReport, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[models.AuditAction]int{}
		for _, e := range entries {
			counts[e.Action]++
			if (e.Action == models.AuditReportPublished || e.Action == models.AuditReportCorrected) &&
				(e.ActorID != user.ID || e.ClientIP != "10.0.0.9" || !strings.Contains(e.After, "pdf_sha256")) {
				t.Errorf("audit entry %+v", e)
			}
		}
		if counts[models.AuditReportPublished] != 3 || counts[models.AuditReportCorrected] != 1 {
			t.Errorf("audit counts %v", counts)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Errorf("audit trail: %+v, %v", rep, err)
		}
	})
}
