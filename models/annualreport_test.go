package models

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

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

// t3Cell is an expected non-zero cell of table 三.
type t3Cell struct{ row, col, n int }

// wantTable3 builds the expected table from its non-zero cells, totals
// included: every cell not listed must be zero.
func wantTable3(cells ...t3Cell) ApplicationTable {
	var t ApplicationTable
	for _, c := range cells {
		t[c.row][c.col] = c.n
	}
	return t
}

// diffTable3 reports every cell where got and want differ, by name.
func diffTable3(t *testing.T, got, want ApplicationTable) {
	t.Helper()
	for i := range Table3Rows {
		for c := range Table3Cols {
			if got[i][c] != want[i][c] {
				t.Errorf("%s = %d, want %d", Table3CellName(i, c), got[i][c], want[i][c])
			}
		}
	}
}

// withNarrative fills in the narrative sections Check requires.
func withNarrative(r AnnualReport) AnnualReport {
	r.Narrative = Narrative{Overview: "总体情况。", Problems: "存在的问题及改进情况。"}
	return r
}

func mustNoViolations(t *testing.T, r AnnualReport, previous *AnnualReport) {
	t.Helper()
	for _, v := range r.Check(previous) {
		t.Errorf("%d: unexpected violation: %s", r.Year, v.Message)
	}
}

var ymd = MustParseDate

// threeYears is a dataset over 2024–2026 whose every cell is known: carry
// over across all three years, December applications answered in January,
// a withdrawal on 31 December, one case from 2023 answered in 2024, one case
// received and answered on 1 January, one on 31 December left open.
var threeYears = []ReportCase{
	{"A1", ymd("2024-03-01"), ymd("2024-03-20"), OutcomeDisclose, ApplicantPerson},
	{"A2", ymd("2024-12-20"), ymd("2025-01-10"), OutcomePartial, ApplicantCommercial},
	{"A3", ymd("2024-11-01"), ymd("2026-02-01"), OutcomeNotHeld, ApplicantResearch},
	{"A4", ymd("2025-06-01"), Date{}, "", ApplicantNonprofit},
	{"A5", ymd("2025-12-31"), ymd("2025-12-31"), OutcomeWithdrawn, ApplicantLegal},
	{"A6", ymd("2026-01-05"), ymd("2026-12-31"), OutcomeFeeUnpaid, ApplicantOtherOrg},
	{"A7", ymd("2023-12-15"), ymd("2024-01-02"), OutcomeWithholdSecret, ApplicantPerson},
	{"A8", ymd("2026-12-31"), Date{}, OutcomeDisclose, ApplicantPerson}, // a drafted outcome on an open case is ignored
	{"A9", ymd("2026-01-01"), ymd("2026-01-01"), OutcomeRepeat, ApplicantPerson},
	{"A0", ymd("2022-05-05"), ymd("2023-01-05"), OutcomeDisclose, ApplicantPerson}, // closed before 2024: never counted
}

func TestComputeAnnualReportThreeYears(t *testing.T) {
	tests := []struct {
		year int
		want ApplicationTable
	}{
		{2024, wantTable3(
			t3Cell{Table3New, cPerson, 1}, t3Cell{Table3New, cCommercial, 1}, t3Cell{Table3New, cResearch, 1}, t3Cell{Table3New, cTotal, 3},
			t3Cell{Table3CarriedOver, cPerson, 1}, t3Cell{Table3CarriedOver, cTotal, 1},
			t3Cell{Table3Index(RowDisclosed), cPerson, 1}, t3Cell{Table3Index(RowDisclosed), cTotal, 1},
			t3Cell{Table3Index(RowWithheldSecret), cPerson, 1}, t3Cell{Table3Index(RowWithheldSecret), cTotal, 1},
			t3Cell{Table3Total, cPerson, 2}, t3Cell{Table3Total, cTotal, 2},
			t3Cell{Table3CarriedForward, cCommercial, 1}, t3Cell{Table3CarriedForward, cResearch, 1}, t3Cell{Table3CarriedForward, cTotal, 2},
		)},
		{2025, wantTable3(
			t3Cell{Table3New, cNonprofit, 1}, t3Cell{Table3New, cLegal, 1}, t3Cell{Table3New, cTotal, 2},
			t3Cell{Table3CarriedOver, cCommercial, 1}, t3Cell{Table3CarriedOver, cResearch, 1}, t3Cell{Table3CarriedOver, cTotal, 2},
			t3Cell{Table3Index(RowPartial), cCommercial, 1}, t3Cell{Table3Index(RowPartial), cTotal, 1},
			t3Cell{Table3Index(RowOtherOther), cLegal, 1}, t3Cell{Table3Index(RowOtherOther), cTotal, 1},
			t3Cell{Table3Total, cCommercial, 1}, t3Cell{Table3Total, cLegal, 1}, t3Cell{Table3Total, cTotal, 2},
			t3Cell{Table3CarriedForward, cResearch, 1}, t3Cell{Table3CarriedForward, cNonprofit, 1}, t3Cell{Table3CarriedForward, cTotal, 2},
		)},
		{2026, wantTable3(
			t3Cell{Table3New, cPerson, 2}, t3Cell{Table3New, cOther, 1}, t3Cell{Table3New, cTotal, 3},
			t3Cell{Table3CarriedOver, cResearch, 1}, t3Cell{Table3CarriedOver, cNonprofit, 1}, t3Cell{Table3CarriedOver, cTotal, 2},
			t3Cell{Table3Index(RowUnavailableNotHeld), cResearch, 1}, t3Cell{Table3Index(RowUnavailableNotHeld), cTotal, 1},
			t3Cell{Table3Index(RowNotProcessedRepeat), cPerson, 1}, t3Cell{Table3Index(RowNotProcessedRepeat), cTotal, 1},
			t3Cell{Table3Index(RowOtherFeeUnpaid), cOther, 1}, t3Cell{Table3Index(RowOtherFeeUnpaid), cTotal, 1},
			t3Cell{Table3Total, cPerson, 1}, t3Cell{Table3Total, cResearch, 1}, t3Cell{Table3Total, cOther, 1}, t3Cell{Table3Total, cTotal, 3},
			t3Cell{Table3CarriedForward, cPerson, 1}, t3Cell{Table3CarriedForward, cNonprofit, 1}, t3Cell{Table3CarriedForward, cTotal, 2},
		)},
	}
	var previous *AnnualReport
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			got := withNarrative(ComputeAnnualReport(tt.year, threeYears, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
			diffTable3(t, got.Table3, tt.want)
			if got.ProblemCount != 0 {
				t.Errorf("problems: %+v", got.Problems)
			}
			mustNoViolations(t, got, previous)
			previous = &got
		})
	}
}

func TestComputeAnnualReportEveryOutcomeAndColumn(t *testing.T) {
	// Each outcome with the leaf row rules.md §1.7 puts it in.
	tests := []struct {
		outcome Outcome
		row     ReportRow
	}{
		{OutcomeProactive, RowDisclosed},
		{OutcomeDisclose, RowDisclosed},
		{OutcomePartial, RowPartial},
		{OutcomeWithholdSecret, RowWithheldSecret},
		{OutcomeWithholdLaw, RowWithheldLaw},
		{OutcomeWithholdSecurity, RowWithheldSecurity},
		{OutcomeWithholdThirdParty, RowWithheldThirdParty},
		{OutcomeWithholdInternal, RowWithheldInternal},
		{OutcomeWithholdProcess, RowWithheldProcess},
		{OutcomeWithholdCaseFile, RowWithheldEnforcement},
		{OutcomeWithholdQuery, RowWithheldQuery},
		{OutcomeNotHeld, RowUnavailableNotHeld},
		{OutcomeNotThisAgency, RowUnavailableNotHeld},
		{OutcomeNeedsCreation, RowUnavailableCreate},
		{OutcomeStillUnclear, RowUnavailableUnclear},
		{OutcomePetition, RowNotProcessedPetition},
		{OutcomeRepeat, RowNotProcessedRepeat},
		{OutcomePublication, RowNotProcessedPublication},
		{OutcomeMass, RowNotProcessedMass},
		{OutcomeConfirmation, RowNotProcessedConfirm},
		{OutcomeNoCorrection, RowOtherNoCorrection},
		{OutcomeFeeUnpaid, RowOtherFeeUnpaid},
		{OutcomeWithdrawn, RowOtherOther},
		{OutcomeOther, RowOtherOther},
	}
	if len(tests) != len(Outcomes) {
		t.Fatalf("test covers %d outcomes, models has %d", len(tests), len(Outcomes))
	}
	rows := map[ReportRow]bool{}
	for _, tt := range tests {
		rows[tt.row] = true
		for col, kind := range ApplicantKinds {
			t.Run(string(tt.outcome)+"/"+string(kind), func(t *testing.T) {
				c := ReportCase{Ref: "X", ReceivedOn: ymd("2026-03-02"), ClosedOn: ymd("2026-03-30"), Outcome: tt.outcome, Applicant: kind}
				got := ComputeAnnualReport(2026, []ReportCase{c}, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{})
				want := wantTable3(
					t3Cell{Table3New, col, 1}, t3Cell{Table3New, cTotal, 1},
					t3Cell{Table3Index(tt.row), col, 1}, t3Cell{Table3Index(tt.row), cTotal, 1},
					t3Cell{Table3Total, col, 1}, t3Cell{Table3Total, cTotal, 1},
				)
				diffTable3(t, got.Table3, want)
			})
		}
	}
	if len(rows) != ReportRowCount {
		t.Errorf("outcomes reach %d of the %d leaf rows", len(rows), ReportRowCount)
	}

	// All at once: every leaf row and every column in one report.
	var cases []ReportCase
	for _, tt := range tests {
		for _, kind := range ApplicantKinds {
			cases = append(cases, ReportCase{ReceivedOn: ymd("2026-05-06"), ClosedOn: ymd("2026-06-01"), Outcome: tt.outcome, Applicant: kind})
		}
	}
	r := withNarrative(ComputeAnnualReport(2026, cases, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
	mustNoViolations(t, r, nil)
	for _, row := range []struct {
		row  ReportRow
		each int
	}{{RowDisclosed, 2}, {RowUnavailableNotHeld, 2}, {RowOtherOther, 2}, {RowPartial, 1}, {RowNotProcessedConfirm, 1}} {
		for col := range ApplicantColumns {
			if got := r.Table3[Table3Index(row.row)][col]; got != row.each {
				t.Errorf("%s = %d, want %d", Table3CellName(Table3Index(row.row), col), got, row.each)
			}
		}
		if got, want := r.Table3[Table3Index(row.row)][cTotal], 6*row.each; got != want {
			t.Errorf("%s = %d, want %d", Table3CellName(Table3Index(row.row), cTotal), got, want)
		}
	}
	if got, want := r.Table3[Table3Total][cTotal], 6*len(tests); got != want {
		t.Errorf("（七）总计 = %d, want %d", got, want)
	}
}

func TestComputeAnnualReportOpeningBalance(t *testing.T) {
	// Go-live in 2026. The last hand-made report (2025) carried forward two
	// applications by natural persons and one by a law firm; all three were
	// imported and answered in 2026, one natural person's only in 2027.
	imported := []ReportCase{
		{"L1", ymd("2025-12-01"), ymd("2026-01-08"), OutcomeDisclose, ApplicantPerson},
		{"L2", ymd("2025-11-20"), ymd("2027-01-04"), OutcomeNotHeld, ApplicantPerson},
		{"L3", ymd("2025-12-30"), ymd("2026-01-20"), OutcomePartial, ApplicantLegal},
		{"L4", ymd("2025-03-01"), ymd("2025-03-25"), OutcomeDisclose, ApplicantPerson}, // closed in 2025: not carried over
		{"N1", ymd("2026-02-02"), ymd("2026-02-27"), OutcomeDisclose, ApplicantCommercial},
	}
	opening := &OpeningBalance{Year: 2026, Counts: [6]int{2, 0, 0, 0, 1, 0}}

	t.Run("agrees", func(t *testing.T) {
		r := withNarrative(ComputeAnnualReport(2026, imported, nil, opening, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
		diffTable3(t, r.Table3, wantTable3(
			t3Cell{Table3New, cCommercial, 1}, t3Cell{Table3New, cTotal, 1},
			t3Cell{Table3CarriedOver, cPerson, 2}, t3Cell{Table3CarriedOver, cLegal, 1}, t3Cell{Table3CarriedOver, cTotal, 3},
			t3Cell{Table3Index(RowDisclosed), cPerson, 1}, t3Cell{Table3Index(RowDisclosed), cCommercial, 1}, t3Cell{Table3Index(RowDisclosed), cTotal, 2},
			t3Cell{Table3Index(RowPartial), cLegal, 1}, t3Cell{Table3Index(RowPartial), cTotal, 1},
			t3Cell{Table3Total, cPerson, 1}, t3Cell{Table3Total, cCommercial, 1}, t3Cell{Table3Total, cLegal, 1}, t3Cell{Table3Total, cTotal, 3},
			t3Cell{Table3CarriedForward, cPerson, 1}, t3Cell{Table3CarriedForward, cTotal, 1},
		))
		if r.Opening == nil || *r.Opening != *opening {
			t.Errorf("Opening = %+v, want %+v", r.Opening, opening)
		}
		mustNoViolations(t, r, nil)

		next := withNarrative(ComputeAnnualReport(2027, imported, nil, opening, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
		if next.Opening != nil {
			t.Errorf("2027 report applies the 2026 opening balance: %+v", next.Opening)
		}
		if got := next.Table3[Table3CarriedOver][cPerson]; got != 1 {
			t.Errorf("2027 二 自然人 = %d, want 1", got)
		}
		mustNoViolations(t, next, &r)
	})

	t.Run("one not imported", func(t *testing.T) {
		more := &OpeningBalance{Year: 2026, Counts: [6]int{3, 0, 0, 0, 1, 0}}
		r := withNarrative(ComputeAnnualReport(2026, imported, nil, more, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
		if got := r.Table3[Table3CarriedOver][cPerson]; got != 3 {
			t.Errorf("二 自然人 = %d, want the entered 3", got)
		}
		if got := r.CarriedOverFromCases[cPerson]; got != 2 {
			t.Errorf("CarriedOverFromCases 自然人 = %d, want 2", got)
		}
		got := r.Check(nil)
		var msgs []string
		for _, v := range got {
			msgs = append(msgs, v.Message)
		}
		want := []string{
			"表三“自然人”列：一、本年新收（0）加二、上年结转（3）之和为3，不等于三、本年度办理结果（七）总计（1）加四、结转下年度继续办理（1）之和2",
			"表三“总计”列：一、本年新收（1）加二、上年结转（4）之和为5，不等于三、本年度办理结果（七）总计（3）加四、结转下年度继续办理（1）之和4",
			"表三“二、上年结转政府信息公开申请数量”行“自然人”列：手工录入的期初结转数为3件，但系统中2026年以前收到、2026年1月1日仍未办结的申请为2件，请补录历史申请或更正期初结转数",
		}
		if !slices.Equal(msgs, want) {
			t.Errorf("Check:\ngot  %q\nwant %q", msgs, want)
		}
	})
}

func TestComputeAnnualReportRemedies(t *testing.T) {
	remedies := []RemedyCase{
		{"F1", RemedyReconsideration, ymd("2025-02-01"), ResultUpheld, ymd("2025-04-01")},
		{"F2", RemedyReconsideration, ymd("2025-12-01"), ResultCorrected, ymd("2026-01-15")}, // concluded after 31 December: 尚未审结
		{"F3", RemedyReconsideration, ymd("2024-10-01"), ResultUpheld, ymd("2025-01-15")},    // filed in 2024: not in 2025
		{"F4", RemedyLitigation, ymd("2025-05-05"), ResultOther, ymd("2025-12-31")},
		{"F5", RemedyLitigation, ymd("2025-01-01"), "", Date{}},
		{"F6", RemedyLitigationAfterReconsideration, ymd("2025-07-07"), ResultCorrected, ymd("2025-09-09")},
		{"F7", RemedyLitigationAfterReconsideration, ymd("2025-08-08"), ResultUpheld, ymd("2027-03-01")},
		{"F8", RemedyLitigationAfterReconsideration, ymd("2025-12-31"), "", Date{}},
		{"F9", RemedyReconsideration, ymd("2026-01-01"), ResultUpheld, ymd("2026-01-20")}, // filed in 2026
	}
	tests := []struct {
		year int
		want RemedyTable
	}{
		{2024, RemedyTable{0, 0, 0, 1, 1}},                               // F3, concluded on 2025-01-15: pending on 2024-12-31
		{2025, RemedyTable{1, 0, 0, 1, 2, 0, 0, 1, 1, 2, 0, 1, 0, 2, 3}}, // F1, F2 | F4, F5 | F6, F7, F8
		{2026, RemedyTable{1, 0, 0, 0, 1}},                               // F9
		{2027, RemedyTable{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			r := withNarrative(ComputeAnnualReport(tt.year, nil, remedies, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
			for i := range Table4Cols {
				if r.Table4[i] != tt.want[i] {
					t.Errorf("%s = %d, want %d", Table4CellName(i), r.Table4[i], tt.want[i])
				}
			}
			mustNoViolations(t, r, nil)
		})
	}
}

func TestComputeAnnualReportProblems(t *testing.T) {
	cases := []ReportCase{
		{"B1", Date{}, Date{}, "", ApplicantPerson},
		{"B2", ymd("2026-03-01"), Date{}, "", "alien"},
		{"B3", ymd("2026-03-10"), ymd("2026-03-01"), OutcomeDisclose, ApplicantPerson},
		{"B4", ymd("2026-03-10"), ymd("2026-03-20"), "", ApplicantPerson},
		{"B5", ymd("2026-03-10"), ymd("2026-03-20"), "bogus", ApplicantPerson},
		{"B6", ymd("2024-03-10"), ymd("2024-03-01"), OutcomeDisclose, ApplicantPerson}, // broken, but outside 2026: ignored
		{"OK", ymd("2026-03-10"), ymd("2026-03-20"), OutcomeDisclose, ApplicantPerson},
	}
	remedies := []RemedyCase{
		{"R1", "appeal", ymd("2026-01-01"), "", Date{}},
		{"R2", RemedyLitigation, ymd("2026-02-01"), ResultUpheld, Date{}},
		{"R3", RemedyLitigation, ymd("2026-02-01"), "", ymd("2026-03-01")},
		{"R4", RemedyLitigation, ymd("2026-02-01"), "won", ymd("2026-03-01")},
		{"R5", RemedyLitigation, ymd("2026-02-01"), ResultUpheld, ymd("2026-01-01")},
		{"R6", RemedyLitigation, Date{}, "", Date{}},
	}
	r := withNarrative(ComputeAnnualReport(2026, cases, remedies, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
	diffTable3(t, r.Table3, wantTable3(
		t3Cell{Table3New, cPerson, 1}, t3Cell{Table3New, cTotal, 1},
		t3Cell{Table3Index(RowDisclosed), cPerson, 1}, t3Cell{Table3Index(RowDisclosed), cTotal, 1},
		t3Cell{Table3Total, cPerson, 1}, t3Cell{Table3Total, cTotal, 1},
	))
	if r.Table4 != (RemedyTable{}) {
		t.Errorf("Table4 = %v, want zeros", r.Table4)
	}
	want := []string{
		"案件“B1”：没有收到申请日期（条例第三十一条），无法确定统计年度，未计入本报告，请更正后重新生成",
		"案件“B2”：申请人类型“alien”无效，无法计入申请人情况的任何一列，未计入本报告，请更正后重新生成",
		"案件“B3”：办结日期2026年3月1日早于收到申请日期2026年3月10日，未计入本报告，请更正后重新生成",
		"案件“B4”：已于2026年3月20日办结，但办理结果“”无效，无法计入办理结果的任何一行，未计入本报告，请更正后重新生成",
		"案件“B5”：已于2026年3月20日办结，但办理结果“bogus”无效，无法计入办理结果的任何一行，未计入本报告，请更正后重新生成",
		"案件“R1”：行政复议或行政诉讼的类别“appeal”无效，未计入本报告，请更正后重新生成",
		"案件“R2”：有审结结果，但没有审结日期，未计入本报告，请更正后重新生成",
		"案件“R3”：已于2026年3月1日审结，但没有审结结果，未计入本报告，请更正后重新生成",
		"案件“R4”：审结结果“won”无效，未计入本报告，请更正后重新生成",
		"案件“R5”：审结日期2026年1月1日早于申请或起诉日期2026年2月1日，未计入本报告，请更正后重新生成",
		"案件“R6”：行政复议或行政诉讼没有申请或起诉日期，无法确定统计年度，未计入本报告，请更正后重新生成",
	}
	var got []string
	for _, v := range r.Check(nil) {
		got = append(got, v.Message)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Check:\ngot  %q\nwant %q", got, want)
	}

	// Beyond 100 problems only the count is kept.
	many := make([]ReportCase, 150)
	r = withNarrative(ComputeAnnualReport(2026, many, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
	if len(r.Problems) != 100 || r.ProblemCount != 150 {
		t.Errorf("problems kept %d, counted %d; want 100 and 150", len(r.Problems), r.ProblemCount)
	}
	v := r.Check(nil)
	if got, want := v[len(v)-1].Message, "另有50件申请或复议诉讼案件因数据问题未计入本报告"; got != want {
		t.Errorf("last violation = %q, want %q", got, want)
	}
}

// validReport is a consistent 2026 report with something in every table.
func validReport() AnnualReport {
	cases := slices.Clone(threeYears)
	remedies := []RemedyCase{
		{"F1", RemedyReconsideration, ymd("2026-02-01"), ResultUpheld, ymd("2026-04-01")},
		{"F2", RemedyLitigationAfterReconsideration, ymd("2026-12-01"), "", Date{}},
	}
	catalog := CatalogCounts{Normative: CatalogLine{Issued: 3, Repealed: 1, InForce: 17}}
	figures := ProactiveFigures{Licensing: 120, Penalties: 4, Enforcement: 1, ChargesFen: 12_345_600}
	fees := FeeFigures{Notices: 2, BilledFen: 30000, CollectedFen: 10000}
	return withNarrative(ComputeAnnualReport(2026, cases, remedies, nil, catalog, figures, fees))
}

func TestAnnualReportCheck(t *testing.T) {
	previous := withNarrative(ComputeAnnualReport(2025, threeYears, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
	type loc struct{ table, row, col int }
	tests := []struct {
		name     string
		tamper   func(r *AnnualReport, prev *AnnualReport) *AnnualReport
		want     []loc
		wantText string // the first violation's message
	}{
		{"valid", func(r, p *AnnualReport) *AnnualReport { return p }, nil, ""},
		{"new without total", func(r, p *AnnualReport) *AnnualReport { r.Table3[Table3New][cPerson]++; return p },
			[]loc{{3, Table3CarriedForward, cPerson}, {3, Table3New, cTotal}},
			"表三“自然人”列：一、本年新收（3）加二、上年结转（0）之和为3，不等于三、本年度办理结果（七）总计（1）加四、结转下年度继续办理（1）之和2"},
		{"leaf without （七）", func(r, p *AnnualReport) *AnnualReport {
			r.Table3[Table3Index(RowWithheldLaw)][cLegal]++
			r.Table3[Table3Index(RowWithheldLaw)][cTotal]++
			return p
		}, []loc{{3, Table3Total, cLegal}, {3, Table3Total, cTotal}},
			"表三“（七）总计”行“法律服务机构”列为0，不等于本列（一）至（六）各项之和1"},
		{"total column", func(r, p *AnnualReport) *AnnualReport { r.Table3[Table3CarriedForward][cTotal] = 3; return p },
			[]loc{{3, Table3CarriedForward, cTotal}, {3, Table3CarriedForward, cTotal}},
			"表三“总计”列：一、本年新收（3）加二、上年结转（2）之和为5，不等于三、本年度办理结果（七）总计（3）加四、结转下年度继续办理（3）之和6"},
		{"negative", func(r, p *AnnualReport) *AnnualReport {
			r.Table3[Table3Index(RowPartial)][cResearch] = -1
			r.Table3[Table3Index(RowPartial)][cTotal] = -1
			r.Table3[Table3Index(RowUnavailableNotHeld)][cResearch] = 2
			r.Table3[Table3Index(RowUnavailableNotHeld)][cTotal] = 2
			return p
		}, []loc{{3, Table3Index(RowPartial), cResearch}, {3, Table3Index(RowPartial), cTotal}},
			"表三“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行“科研机构”列为-1，应为非负数"},
		{"table 四 total", func(r, p *AnnualReport) *AnnualReport { r.Table4[5+Table4Total] = 1; return p },
			[]loc{{4, -1, 5 + Table4Total}},
			"表四“行政诉讼·未经复议直接起诉·总计”为1，不等于结果维持、结果纠正、其他结果、尚未审结之和0"},
		{"table 四 negative", func(r, p *AnnualReport) *AnnualReport {
			r.Table4[10+Table4Other] = -1
			r.Table4[10+Table4Pending] = 2
			return p
		}, []loc{{4, -1, 10 + Table4Other}},
			"表四“行政诉讼·复议后起诉·其他结果”为-1，应为非负数"},
		{"table 二 negative", func(r, p *AnnualReport) *AnnualReport { r.Table2.Figures.ChargesFen = -1; return p },
			[]loc{{2, -1, -1}}, "表二“行政事业性收费·本年收费金额”为负数，应为非负数"},
		{"continuity", func(r, p *AnnualReport) *AnnualReport {
			q := *p
			q.Table3[Table3CarriedForward][cResearch] = 0
			q.Table3[Table3CarriedForward][cTotal] = 1
			return &q
		}, []loc{{3, Table3CarriedOver, cResearch}, {3, Table3CarriedOver, cTotal}},
			"表三“二、上年结转政府信息公开申请数量”行“科研机构”列为1，与2025年度报告“四、结转下年度继续办理”的0不一致"},
		{"previous of another year", func(r, p *AnnualReport) *AnnualReport { q := *p; q.Year = 2024; return &q },
			[]loc{{3, Table3CarriedOver, -1}}, "用于核对上年结转的报告是2024年度的，应为2025年度"},
		{"no narrative", func(r, p *AnnualReport) *AnnualReport { r.Narrative = Narrative{}; return p },
			[]loc{{0, -1, -1}, {0, -1, -1}}, "“一、总体情况”尚未填写"},
		{"negative fees", func(r, p *AnnualReport) *AnnualReport { r.Fees.CollectedFen = -5; return p },
			[]loc{{0, -1, -1}}, "六、其他需要报告的事项：信息处理费的件数和金额应为非负数"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validReport()
			prev := previous
			got := r.Check(tt.tamper(&r, &prev))
			var locs []loc
			for _, v := range got {
				locs = append(locs, loc{v.Table, v.Row, v.Col})
			}
			if !slices.Equal(locs, tt.want) {
				t.Errorf("violations at %v, want %v; messages:", locs, tt.want)
				for _, v := range got {
					t.Log(v.Message)
				}
			}
			if len(got) > 0 && got[0].Message != tt.wantText {
				t.Errorf("message = %q, want %q", got[0].Message, tt.wantText)
			}
		})
	}
}

func TestAnnualReportJSONRoundTrip(t *testing.T) {
	r := validReport()
	r.Narrative = DraftNarrative(Agency{Name: "铁岭市民政局", OfficeName: "铁岭市民政局办公室", Phone: "024-72826123"}, r)
	r.Narrative.Problems = "一是……；二是……。"
	r.Opening = &OpeningBalance{Year: 2026, Counts: [6]int{0, 0, 1, 1, 0, 0}}
	r.Problems = []CaseProblem{{"B1", "没有收到申请日期"}}
	r.ProblemCount = 3
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"format":"国办公开办函〔2021〕30号"`, `"year":2026`, `"charges_fen":12345600`, `"table4":[1,0,0,0,1,0,0,0,0,0,0,0,0,1,1]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	var got AnnualReport
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, r)
	}
	b2, _ := json.Marshal(got)
	if string(b2) != string(b) {
		t.Errorf("second encoding differs:\n%s\n%s", b2, b)
	}

	// A snapshot of the wrong shape does not load.
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(){
		"table3 short":    func() { m["table3"] = m["table3"].([]any)[:24] },
		"table3 row wide": func() { m["table3"].([]any)[3] = append(m["table3"].([]any)[3].([]any), 1.0) },
		"table4 short":    func() { m["table4"] = m["table4"].([]any)[:14] },
	} {
		t.Run(name, func(t *testing.T) {
			var fresh map[string]any
			_ = json.Unmarshal(b, &fresh)
			m = fresh
			mutate()
			bad, _ := json.Marshal(m)
			var r AnnualReport
			if err := json.Unmarshal(bad, &r); err == nil {
				t.Errorf("Unmarshal accepted a snapshot with %s", name)
			}
		})
	}
}

// wantLabel is a label cell as rules.md §3.3–3.5 describe it.
type wantLabel struct {
	row, col, rowSpan, colSpan int
	text                       string
}

func labelsOf(g TableGrid) []wantLabel {
	var ls []wantLabel
	for _, c := range g.Cells {
		if c.Kind != CellCount && c.Kind != CellAmount {
			ls = append(ls, wantLabel{c.Row, c.Col, c.RowSpan, c.ColSpan, c.Text})
		}
	}
	return ls
}

func TestTableGridLabels(t *testing.T) {
	// Transcribed from rules.md §3.3–3.5, independently of the code.
	table2 := []wantLabel{
		{0, 0, 1, 4, "第二十条第（一）项"},
		{1, 0, 1, 1, "信息内容"}, {1, 1, 1, 1, "本年制发件数"}, {1, 2, 1, 1, "本年废止件数"}, {1, 3, 1, 1, "现行有效件数"},
		{2, 0, 1, 1, "规章"},
		{3, 0, 1, 1, "行政规范性文件"},
		{4, 0, 1, 4, "第二十条第（五）项"},
		{5, 0, 1, 1, "信息内容"}, {5, 1, 1, 3, "本年处理决定数量"},
		{6, 0, 1, 1, "行政许可"},
		{7, 0, 1, 4, "第二十条第（六）项"},
		{8, 0, 1, 1, "信息内容"}, {8, 1, 1, 3, "本年处理决定数量"},
		{9, 0, 1, 1, "行政处罚"},
		{10, 0, 1, 1, "行政强制"},
		{11, 0, 1, 4, "第二十条第（八）项"},
		{12, 0, 1, 1, "信息内容"}, {12, 1, 1, 3, "本年收费金额（单位：万元）"},
		{13, 0, 1, 1, "行政事业性收费"},
	}
	table3 := []wantLabel{
		{0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"},
		{0, 3, 1, 7, "申请人情况"},
		{1, 3, 2, 1, "自然人"}, {1, 4, 1, 5, "法人或其他组织"}, {1, 9, 2, 1, "总计"},
		{2, 4, 1, 1, "商业企业"}, {2, 5, 1, 1, "科研机构"}, {2, 6, 1, 1, "社会公益组织"}, {2, 7, 1, 1, "法律服务机构"}, {2, 8, 1, 1, "其他"},
		{3, 0, 1, 3, "一、本年新收政府信息公开申请数量"},
		{4, 0, 1, 3, "二、上年结转政府信息公开申请数量"},
		{5, 0, 22, 1, "三、本年度办理结果"}, {5, 1, 1, 2, "（一）予以公开"},
		{6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
		{7, 1, 8, 1, "（三）不予公开"}, {7, 2, 1, 1, "1.属于国家秘密"},
		{8, 2, 1, 1, "2.其他法律行政法规禁止公开"},
		{9, 2, 1, 1, "3.危及“三安全一稳定”"},
		{10, 2, 1, 1, "4.保护第三方合法权益"},
		{11, 2, 1, 1, "5.属于三类内部事务信息"},
		{12, 2, 1, 1, "6.属于四类过程性信息"},
		{13, 2, 1, 1, "7.属于行政执法案卷"},
		{14, 2, 1, 1, "8.属于行政查询事项"},
		{15, 1, 3, 1, "（四）无法提供"}, {15, 2, 1, 1, "1.本机关不掌握相关政府信息"},
		{16, 2, 1, 1, "2.没有现成信息需要另行制作"},
		{17, 2, 1, 1, "3.补正后申请内容仍不明确"},
		{18, 1, 5, 1, "（五）不予处理"}, {18, 2, 1, 1, "1.信访举报投诉类申请"},
		{19, 2, 1, 1, "2.重复申请"},
		{20, 2, 1, 1, "3.要求提供公开出版物"},
		{21, 2, 1, 1, "4.无正当理由大量反复申请"},
		{22, 2, 1, 1, "5.要求行政机关确认或重新出具已获取信息"},
		{23, 1, 3, 1, "（六）其他处理"}, {23, 2, 1, 1, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
		{24, 2, 1, 1, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
		{25, 2, 1, 1, "3.其他"},
		{26, 1, 1, 2, "（七）总计"},
		{27, 0, 1, 3, "四、结转下年度继续办理"},
	}
	table4 := []wantLabel{
		{0, 0, 1, 5, "行政复议"}, {0, 5, 1, 10, "行政诉讼"},
		{1, 0, 2, 1, "结果维持"}, {1, 1, 2, 1, "结果纠正"}, {1, 2, 2, 1, "其他结果"}, {1, 3, 2, 1, "尚未审结"}, {1, 4, 2, 1, "总计"},
		{1, 5, 1, 5, "未经复议直接起诉"}, {1, 10, 1, 5, "复议后起诉"},
		{2, 5, 1, 1, "结果维持"}, {2, 6, 1, 1, "结果纠正"}, {2, 7, 1, 1, "其他结果"}, {2, 8, 1, 1, "尚未审结"}, {2, 9, 1, 1, "总计"},
		{2, 10, 1, 1, "结果维持"}, {2, 11, 1, 1, "结果纠正"}, {2, 12, 1, 1, "其他结果"}, {2, 13, 1, 1, "尚未审结"}, {2, 14, 1, 1, "总计"},
	}
	r := validReport()
	tests := []struct {
		grid                         TableGrid
		heading                      string
		rows, cols, headRows, labels int
		want                         []wantLabel
	}{
		{r.Table2Grid(), "二、主动公开政府信息情况", 14, 4, 0, 1, table2},
		{r.Table3Grid(), "三、收到和处理政府信息公开申请情况", 28, 10, 3, 3, table3},
		{r.Table4Grid(), "四、政府信息公开行政复议、行政诉讼情况", 4, 15, 3, 0, table4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.grid.Number), func(t *testing.T) {
			g := tt.grid
			if g.Heading != tt.heading || g.Rows != tt.rows || g.Cols != tt.cols || g.HeaderRows != tt.headRows || g.LabelCols != tt.labels {
				t.Errorf("grid %q %d×%d head %d labels %d, want %q %d×%d head %d labels %d",
					g.Heading, g.Rows, g.Cols, g.HeaderRows, g.LabelCols, tt.heading, tt.rows, tt.cols, tt.headRows, tt.labels)
			}
			got := labelsOf(g)
			if !slices.Equal(got, tt.want) {
				t.Errorf("labels:\ngot  %v\nwant %v", got, tt.want)
			}
			mustCoverGrid(t, g)
		})
	}
}

// mustCoverGrid checks that the cells of g cover its grid exactly once and
// come in row-major order of their top-left corners.
func mustCoverGrid(t *testing.T, g TableGrid) {
	t.Helper()
	owner := make([][]int, g.Rows)
	for i := range owner {
		owner[i] = make([]int, g.Cols)
	}
	for k, c := range g.Cells {
		if k > 0 {
			p := g.Cells[k-1]
			if c.Row < p.Row || (c.Row == p.Row && c.Col <= p.Col) {
				t.Errorf("cell %d (%d,%d) comes after (%d,%d)", k, c.Row, c.Col, p.Row, p.Col)
			}
		}
		if c.RowSpan < 1 || c.ColSpan < 1 || c.Row+c.RowSpan > g.Rows || c.Col+c.ColSpan > g.Cols {
			t.Errorf("cell %q at (%d,%d) span %d×%d leaves the %d×%d grid", c.Text, c.Row, c.Col, c.RowSpan, c.ColSpan, g.Rows, g.Cols)
			continue
		}
		for i := c.Row; i < c.Row+c.RowSpan; i++ {
			for j := c.Col; j < c.Col+c.ColSpan; j++ {
				if owner[i][j] != 0 {
					t.Errorf("grid (%d,%d) covered twice", i, j)
				}
				owner[i][j] = k + 1
			}
		}
	}
	for i := range owner {
		for j, o := range owner[i] {
			if o == 0 {
				t.Errorf("grid (%d,%d) not covered", i, j)
			}
		}
	}
}

func TestTableGridValues(t *testing.T) {
	r := validReport()
	g2 := r.Table2Grid()
	var got2 []string
	for _, c := range g2.Cells {
		if c.Kind == CellCount || c.Kind == CellAmount {
			got2 = append(got2, fmt.Sprintf("%d,%d:%s", c.Row, c.Col, c.Text))
		}
	}
	want2 := []string{"2,1:0", "2,2:0", "2,3:0", "3,1:3", "3,2:1", "3,3:17", "6,1:120", "9,1:4", "10,1:1", "13,1:12.3456"}
	if !slices.Equal(got2, want2) {
		t.Errorf("table 二 values %v, want %v", got2, want2)
	}
	if c := g2.Cells[len(g2.Cells)-1]; c.Kind != CellAmount || c.Fen != 12_345_600 || c.ColSpan != 3 {
		t.Errorf("fee cell %+v", c)
	}

	g3 := r.Table3Grid()
	n := 0
	for _, c := range g3.Cells {
		if c.Kind != CellCount {
			continue
		}
		n++
		i, col := c.Row-3, c.Col-3
		if c.Count != r.Table3[i][col] || c.Text != fmt.Sprint(r.Table3[i][col]) || c.RowSpan != 1 || c.ColSpan != 1 {
			t.Errorf("table 三 cell (%d,%d) = %+v, want %d", c.Row, c.Col, c, r.Table3[i][col])
		}
	}
	if n != Table3Rows*Table3Cols {
		t.Errorf("table 三 has %d number cells, want %d", n, Table3Rows*Table3Cols)
	}

	g4 := r.Table4Grid()
	n = 0
	for _, c := range g4.Cells {
		if c.Kind == CellCount {
			if c.Row != 3 || c.Count != r.Table4[c.Col] {
				t.Errorf("table 四 cell %+v, want row 3 value %d", c, r.Table4[c.Col])
			}
			n++
		}
	}
	if n != Table4Cols {
		t.Errorf("table 四 has %d number cells, want %d", n, Table4Cols)
	}
}

func TestAnnualReportCellNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{Table3CellName(Table3New, cPerson), "表三“一、本年新收政府信息公开申请数量”行“自然人”列"},
		{Table3CellName(Table3Index(RowWithheldSecurity), cNonprofit), "表三“（三）不予公开3.危及“三安全一稳定””行“社会公益组织”列"},
		{Table3CellName(Table3Index(RowDisclosed), cTotal), "表三“（一）予以公开”行“总计”列"},
		{Table3CellName(Table3CarriedForward, cOther), "表三“四、结转下年度继续办理”行“其他”列"},
		{Table4CellName(0), "表四“行政复议·结果维持”"},
		{Table4CellName(8), "表四“行政诉讼·未经复议直接起诉·尚未审结”"},
		{Table4CellName(14), "表四“行政诉讼·复议后起诉·总计”"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestFormatWanYuan(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{
		{0, "0"}, {1, "0.000001"}, {100, "0.0001"}, {1_000_000, "1"}, {12_500_000, "12.5"},
		{12_345_678, "12.345678"}, {350_000, "0.35"}, {-1_500_000, "-1.5"}, {123_456_000_000, "123456"},
	}
	for _, tt := range tests {
		if got := FormatWanYuan(tt.fen); got != tt.want {
			t.Errorf("FormatWanYuan(%d) = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestParseWanYuan(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"0", 0, false}, {"12.5", 12_500_000, false}, {" 0.35 ", 350_000, false}, {"3", 3_000_000, false},
		{"0.000001", 1, false}, {"12.", 12_000_000, false}, {"123456.789012", 123_456_789_012, false},
		{"999999999.999999", 999_999_999_999_999, false}, {"1000000000", 0, true},
		{"", 0, true}, {".5", 0, true}, {"-1", 0, true}, {"1.0000001", 0, true}, {"1,000", 0, true},
		{"一", 0, true}, {"1e3", 0, true}, {"1.2.3", 0, true}, {"9999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseWanYuan(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseWanYuan(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseWanYuan(%q) error code %q, want invalid", tt.in, ErrorCode(err))
		}
		if err == nil {
			if back, err := ParseWanYuan(FormatWanYuan(got)); err != nil || back != got {
				t.Errorf("ParseWanYuan(FormatWanYuan(%d)) = %d, %v", got, back, err)
			}
		}
	}
}

func TestCountCatalog(t *testing.T) {
	docs := []CatalogDocument{
		{DocNormative, ymd("2020-01-01"), Date{}},            // in force
		{DocNormative, ymd("2020-01-01"), ymd("2026-06-30")}, // repealed in 2026
		{DocNormative, ymd("2026-03-01"), Date{}},            // issued 2026, in force
		{DocNormative, ymd("2026-03-01"), ymd("2026-11-30")}, // issued and repealed in 2026
		{DocNormative, ymd("2026-12-31"), ymd("2027-01-01")}, // issued 31 Dec, repealed next year: in force at year end
		{DocNormative, ymd("2027-01-01"), Date{}},            // next year
		{DocNormative, ymd("2019-01-01"), ymd("2025-12-31")}, // repealed last year
		{DocRule, ymd("2026-12-31"), Date{}},                 // a 规章
		{"notice", ymd("2026-05-01"), Date{}},                // not counted
		{DocRule, Date{}, Date{}},                            // no date: not counted
	}
	got := CountCatalog(2026, docs)
	want := CatalogCounts{
		Rules:     CatalogLine{Issued: 1, Repealed: 0, InForce: 1},
		Normative: CatalogLine{Issued: 3, Repealed: 2, InForce: 3},
	}
	if got != want {
		t.Errorf("CountCatalog = %+v, want %+v", got, want)
	}
}

func TestTallyFees(t *testing.T) {
	ev := func(kind EventKind, on string, fen int64) Event {
		return Event{Kind: kind, On: ymd(on), Data: EventData{AmountFen: fen}}
	}
	events := []Event{
		ev(EventFeeNoticeSent, "2025-12-20", 10000),   // notice last year…
		ev(EventFeePaid, "2026-01-10", 10000),         // …paid this year: collected
		ev(EventFeeNoticeSent, "2026-03-01", 20000),   // billed, unpaid
		ev(EventFeeNoticeSent, "2026-12-31", 5050),    // billed on the last day
		ev(EventFeePaid, "2027-01-02", 5050),          // paid next year
		ev(EventFeeNoticeDelivered, "2026-03-03", 0),  // ignored
		ev(EventAnswerIssued, "2026-04-01", 99999999), // ignored
	}
	got := TallyFees(2026, events)
	want := FeeFigures{Notices: 2, BilledFen: 25050, CollectedFen: 10000}
	if got != want {
		t.Errorf("TallyFees = %+v, want %+v", got, want)
	}
	r := AnnualReport{Fees: got}
	if s, want := r.FeeStatement(), "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知的件数为2件、总金额为250.50元，实际收取信息处理费的总金额为100.00元。"; s != want {
		t.Errorf("FeeStatement = %q, want %q", s, want)
	}
}

func TestDraftNarrative(t *testing.T) {
	r := validReport()
	a := Agency{Name: "铁岭市民政局", OfficeName: "铁岭市民政局政府信息公开办公室", OfficeAddress: "铁岭市银州区广裕街28号", PostCode: "112000", Phone: "024-72826123"}
	n := DraftNarrative(a, r)
	for _, want := range []string{
		"统计期限自2026年1月1日起至2026年12月31日止",
		"本年度新收政府信息公开申请3件，上年结转2件，办理完毕3件，结转下年度继续办理2件；因政府信息公开工作被申请行政复议1件、提起行政诉讼1件。",
		"请与铁岭市民政局政府信息公开办公室联系（地址：铁岭市银州区广裕街28号，邮编：112000，电话：024-72826123）。",
	} {
		if !strings.Contains(n.Overview, want) {
			t.Errorf("Overview lacks %q:\n%s", want, n.Overview)
		}
	}
	if n.Problems != "" || n.Other == "" {
		t.Errorf("Problems %q (want empty), Other %q (want text)", n.Problems, n.Other)
	}
	if got, want := ReportTitle(a.Name, 2026), "铁岭市民政局2026年政府信息公开工作年度报告"; got != want {
		t.Errorf("ReportTitle = %q, want %q", got, want)
	}
}

// randomCases returns n applications received between 2022 and 2027, about
// a third of them still open at some point after 2027, and, if broken is
// true, about one in twenty with broken data.
func randomCases(rng *rand.Rand, n int, broken bool) []ReportCase {
	first := ymd("2022-01-01")
	cases := make([]ReportCase, n)
	for i := range cases {
		recv := first.AddDays(rng.IntN(6 * 365))
		c := ReportCase{
			Ref:        fmt.Sprintf("R%d", i),
			ReceivedOn: recv,
			Applicant:  ApplicantKinds[rng.IntN(len(ApplicantKinds))],
		}
		switch p := rng.IntN(10); {
		case p < 2: // open
		case p < 3: // withdrawn soon
			c.ClosedOn, c.Outcome = recv.AddDays(rng.IntN(10)), OutcomeWithdrawn
		default: // answered within a year, often across New Year
			c.ClosedOn = recv.AddDays(rng.IntN(365))
			c.Outcome = Outcomes[rng.IntN(len(Outcomes))].Outcome
		}
		if broken && rng.IntN(20) == 0 {
			switch rng.IntN(4) {
			case 0:
				c.ReceivedOn = Date{}
			case 1:
				c.Applicant = "unknown"
			case 2:
				c.ClosedOn = recv.AddDays(-1 - rng.IntN(30))
				c.Outcome = OutcomeDisclose
			case 3:
				c.ClosedOn, c.Outcome = recv.AddDays(rng.IntN(30)), "nonsense"
			}
		}
		cases[i] = c
	}
	return cases
}

func randomRemedies(rng *rand.Rand, n int) []RemedyCase {
	kinds := []RemedyKind{RemedyReconsideration, RemedyLitigation, RemedyLitigationAfterReconsideration}
	results := []RemedyResult{ResultUpheld, ResultCorrected, ResultOther}
	rs := make([]RemedyCase, n)
	for i := range rs {
		filed := ymd("2022-01-01").AddDays(rng.IntN(6 * 365))
		r := RemedyCase{Kind: kinds[rng.IntN(3)], FiledOn: filed}
		if rng.IntN(4) > 0 {
			r.Result, r.ConcludedOn = results[rng.IntN(3)], filed.AddDays(rng.IntN(400))
		}
		rs[i] = r
	}
	return rs
}

// TestAnnualReportProperties computes consecutive years over random data
// and checks that every identity of rules.md §3.6 holds, that each year's
// 二 is the previous year's 四, and that every cell matches a naive
// recount written independently of AnnualTally.
func TestAnnualReportProperties(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		broken := seed%3 == 0
		cases := randomCases(rng, 50+rng.IntN(1500), broken)
		remedies := randomRemedies(rng, rng.IntN(60))
		var previous *AnnualReport
		for year := 2022; year <= 2028; year++ {
			r := withNarrative(ComputeAnnualReport(year, cases, remedies, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{}))
			// Continuity is only defined from the second year on: in 2022
			// nothing before it is known, and 2022's 二 counts nothing.
			var problems []Violation
			for _, v := range r.Check(previous) {
				if v.Table != 0 {
					problems = append(problems, v)
				}
			}
			for _, v := range problems {
				t.Errorf("seed %d year %d: %s", seed, year, v.Message)
			}
			mustMatchNaive(t, seed, year, cases, remedies, r)
			if !broken && r.ProblemCount != 0 {
				t.Errorf("seed %d year %d: %d problems in clean data", seed, year, r.ProblemCount)
			}
			previous = &r
		}
	}
}

// mustMatchNaive recounts the cells of r straight from the rules' wording.
func mustMatchNaive(t *testing.T, seed uint64, year int, cases []ReportCase, remedies []RemedyCase, r AnnualReport) {
	t.Helper()
	jan1, dec31 := NewDate(year, 1, 1), NewDate(year, 12, 31)
	yearOf := func(x Date) int {
		if x.IsZero() {
			return 0
		}
		return x.Year()
	}
	var want ApplicationTable
	problems := 0
	for _, c := range cases {
		ry, cy := yearOf(c.ReceivedOn), yearOf(c.ClosedOn)
		touches := c.ReceivedOn.IsZero() || cy == year || (ry <= year && (c.ClosedOn.IsZero() || cy >= year))
		if !touches {
			continue
		}
		col := slices.Index(ApplicantKinds, c.Applicant)
		if c.ReceivedOn.IsZero() || col < 0 || (!c.ClosedOn.IsZero() && (c.ClosedOn.Before(c.ReceivedOn) || !c.Outcome.Valid())) {
			problems++
			continue
		}
		if ry == year {
			want[Table3New][col]++
		}
		if c.ReceivedOn.Before(jan1) && (c.ClosedOn.IsZero() || !c.ClosedOn.Before(jan1)) {
			want[Table3CarriedOver][col]++
		}
		if cy == year {
			want[1+int(c.Outcome.Row())][col]++
			want[Table3Total][col]++
		}
		if !c.ReceivedOn.After(dec31) && (c.ClosedOn.IsZero() || c.ClosedOn.After(dec31)) {
			want[Table3CarriedForward][col]++
		}
	}
	for i := range want {
		for c := range ApplicantColumns {
			want[i][Table3TotalCol] += want[i][c]
		}
	}
	if want != r.Table3 {
		t.Errorf("seed %d year %d: table 三 differs from the naive count", seed, year)
		diffTable3(t, r.Table3, want)
	}
	var want4 RemedyTable
	for _, m := range remedies {
		if yearOf(m.FiledOn) != year {
			continue
		}
		g := map[RemedyKind]int{RemedyReconsideration: 0, RemedyLitigation: 5, RemedyLitigationAfterReconsideration: 10}[m.Kind]
		k := 3
		if m.Result != "" && yearOf(m.ConcludedOn) <= year {
			k = map[RemedyResult]int{ResultUpheld: 0, ResultCorrected: 1, ResultOther: 2}[m.Result]
		}
		want4[g+k]++
		want4[g+4]++
	}
	if want4 != r.Table4 {
		t.Errorf("seed %d year %d: table 四 = %v, naive %v", seed, year, r.Table4, want4)
	}
	if problems != r.ProblemCount {
		t.Errorf("seed %d year %d: %d problems, naive %d", seed, year, r.ProblemCount, problems)
	}
}

// TestAnnualTallyStreams checks that feeding the tally one case at a time
// in any order gives the same report as ComputeAnnualReport.
func TestAnnualTallyStreams(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	cases := randomCases(rng, 2000, true)
	want := ComputeAnnualReport(2025, cases, nil, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{})
	tally := NewAnnualTally(2025)
	for _, i := range rng.Perm(len(cases)) {
		tally.AddCase(cases[i])
	}
	got := tally.Report(nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{})
	if got.Table3 != want.Table3 || got.ProblemCount != want.ProblemCount {
		t.Errorf("streamed tally differs: %v / %v", got.Table3, want.Table3)
	}
}

var benchCases = func() func() []ReportCase {
	var cases []ReportCase
	return func() []ReportCase {
		if cases == nil {
			cases = randomCases(rand.New(rand.NewPCG(1, 2)), 1_000_000, false)
		}
		return cases
	}
}()

// BenchmarkComputeAnnualReport counts one year over 1,000,000 applications
// spread over six years.
func BenchmarkComputeAnnualReport(b *testing.B) {
	cases := benchCases()
	remedies := randomRemedies(rand.New(rand.NewPCG(3, 4)), 10_000)
	b.ResetTimer()
	for b.Loop() {
		r := ComputeAnnualReport(2025, cases, remedies, nil, CatalogCounts{}, ProactiveFigures{}, FeeFigures{})
		if r.Table3[Table3New][Table3TotalCol] == 0 {
			b.Fatal("nothing counted")
		}
	}
}
