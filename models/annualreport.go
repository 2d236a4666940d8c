package models

// The 政府信息公开工作年度报告 (annual report on government information
// disclosure) in the format of 《中华人民共和国政府信息公开工作年度报告格式》
// (国办公开办函〔2021〕30号, rules.md §3). 条例第四十九条 requires a
// county-level-or-above department to publish the previous year's report
// before 31 January; 条例第五十条 fixes its content. This file holds the
// report as plain values, the counting rules that fill it from the
// application ledger, the arithmetic checks of rules.md §3.6, and the label
// structure of tables 二, 三 and 四, so that the PDF and XLSX encoders, the
// web page and the checks all print the same verbatim labels from one place.
//
// The counting rules, for the report of year N (all dates are the agency's
// calendar days; "in N" means 1 January N to 31 December N inclusive):
//
//   - 一、本年新收: applications whose receipt date (条例第三十一条) is in N.
//   - 二、上年结转: applications received before N and not answered before N
//     (still open on 1 January N, or closed on or after it). In the first
//     year of use the figure entered by hand (OpeningBalance) is printed
//     instead, and must agree with the imported pre-go-live cases.
//   - 三、本年度办理结果: applications whose answer was issued in N (the day
//     the answer letter is issued, not the day it is delivered) or that were
//     otherwise closed in N (withdrawn, deemed abandoned), in the one leaf
//     row of their outcome (rules.md §1.7) and the column of the applicant.
//     A withdrawal is 「（六）其他处理」「3.其他」.
//   - （七）总计: the sum of the 21 leaf rows.
//   - 四、结转下年度继续办理: applications received in or before N and not
//     answered by 31 December N.
//   - Table 四: reconsiderations and lawsuits filed in N, with their result
//     as of 31 December N; one concluded later, or not yet, is 尚未审结.
//   - Table 二: 规章 and 行政规范性文件 from the dated catalog (本年制发: issued
//     in N; 本年废止: repealed in N; 现行有效: issued by and not repealed by
//     31 December N) plus the figures the office enters (行政许可, 行政处罚,
//     行政强制 decisions; 行政事业性收费 in 万元).
//   - Section 六: the information-processing fees (国办函〔2020〕109号): fee
//     notices issued in N, the total they billed, and the total collected
//     in N.
//
// Because every received application is in exactly one of 一 and 二 and in
// exactly one of 三 and 四, these rules make 一 + 二 = 三（七） + 四 hold in
// every column by construction, and 二 of N equal 四 of N−1.
//
// ReportCountingRules states the same rules in Chinese, as the report page
// shows them to the office: a change to the rules changes both.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ReportFormat2021 names the format a report follows. It is stored with a
// published snapshot so that a later change of the national format cannot
// be mistaken for a change of the figures.
const ReportFormat2021 = "国办公开办函〔2021〕30号"

// ReportTitle returns the report's title, e.g.
// 铁岭市民政局2026年政府信息公开工作年度报告.
func ReportTitle(agencyName string, year int) string {
	return fmt.Sprintf("%s%d年政府信息公开工作年度报告", agencyName, year)
}

// ReportSectionHeadings are the six section headings of the report, verbatim
// (国办公开办函〔2021〕30号, rules.md §3.2), in order.
var ReportSectionHeadings = [6]string{
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

// FirstReportYear is the first year a report can be made for: the 2019
// revision of the 条例 is in force from 15 May 2019.
const FirstReportYear = 2019

// CountingRule is one counting rule of the report as the office reads it:
// the item of the report and how the portal fills it.
type CountingRule struct {
	Item string
	Rule string
}

// ReportCountingRules are the counting rules at the top of this file in
// Chinese, in the order of the report. The report page prints them, so the
// office reads the rules the tally follows, not a copy of them.
var ReportCountingRules = []CountingRule{
	{"一、本年新收政府信息公开申请数量", "收到申请之日（条例第三十一条）在本年度内的申请。"},
	{"二、上年结转政府信息公开申请数量", "本年度以前收到、至本年1月1日仍未办结的申请（在本年度或以后办结，或至今仍在办理）。" +
		"使用本平台的第一年，改为填报手工录入的期初结转数，并与补录的上线前申请中当年1月1日仍未办结的件数核对。"},
	{"三、本年度办理结果", "答复书在本年度内出具（以出具日期为准，不以送达日期为准），或在本年度内以其他方式终结（申请人撤回、逾期未补正、逾期未缴费）的申请，" +
		"按办理结果计入唯一的一个明细行，按申请人类型计入一列。申请人撤回申请的，计入“（六）其他处理”的“3.其他”。"},
	{"（七）总计", "本列21个明细行之和。"},
	{"四、结转下年度继续办理", "本年度或以前收到、至12月31日仍未办结的申请。"},
	{"勾稽关系", "每件申请恰好计入一、二中的一项和三、四中的一项，因此每一列“一加二之和等于三（七）总计加四之和”，本年度的二也等于上年度报告的四；系统逐项核对，任何一项不符都不能发布。"},
	{"四、政府信息公开行政复议、行政诉讼情况", "本年度内申请行政复议或提起行政诉讼的案件，按12月31日的审结结果计入“结果维持”“结果纠正”“其他结果”；至12月31日尚未审结的，计入“尚未审结”。"},
	{"二、主动公开政府信息情况", "规章和行政规范性文件取自政府信息公开目录：本年制发件数为本年度内发布的件数，本年废止件数为本年度内废止的件数，现行有效件数为12月31日已发布且尚未废止的件数。" +
		"行政许可、行政处罚、行政强制的本年处理决定数量和行政事业性收费金额（万元）来自其他业务系统，由公开办填报。"},
	{"六、其他需要报告的事项", "信息处理费（国办函〔2020〕109号）：本年度发出收费通知的件数和总金额，以及本年度实际收取的总金额。"},
}

// ReportCase is one application reduced to what the annual report needs.
// Applications that were never received (待确认, or withdrawn before the
// office confirmed receipt) have no receipt date under 条例第三十一条 and
// are not ReportCases.
type ReportCase struct {
	// Ref identifies the application in check messages, e.g. its number.
	Ref string `json:"ref,omitempty"`
	// ReceivedOn is the receipt date (条例第三十一条).
	ReceivedOn Date `json:"received_on"`
	// ClosedOn is the day the answer letter was issued, or the day the
	// application was otherwise closed (withdrawn, correction or fee period
	// expired); zero while it is open.
	ClosedOn Date `json:"closed_on,omitzero"`
	// Outcome decides the leaf row of table 三; it is read only when the
	// case is closed. A withdrawal is OutcomeWithdrawn (其他处理-3).
	Outcome Outcome `json:"outcome,omitempty"`
	// Applicant decides the column of table 三.
	Applicant ApplicantKind `json:"applicant"`
}

// RemedyKind is the kind of a remedy case as table 四 groups them (条例第五十一条).
type RemedyKind string

// Remedy kinds. Stored values; do not change.
const (
	RemedyReconsideration RemedyKind = "reconsideration" // 行政复议
	// RemedyLitigation is 行政诉讼·未经复议直接起诉.
	RemedyLitigation RemedyKind = "litigation"
	// RemedyLitigationAfterReconsideration is 行政诉讼·复议后起诉.
	RemedyLitigationAfterReconsideration RemedyKind = "litigation_after_reconsideration"
)

// Group returns the 0-based group of table 四 the kind is counted in
// (0 行政复议, 1 未经复议直接起诉, 2 复议后起诉), or -1 for an unknown kind.
func (k RemedyKind) Group() int {
	switch k {
	case RemedyReconsideration:
		return 0
	case RemedyLitigation:
		return 1
	case RemedyLitigationAfterReconsideration:
		return 2
	}
	return -1
}

// RemedyCase is one administrative reconsideration or lawsuit about the
// agency's disclosure work, reduced to what table 四 needs.
type RemedyCase struct {
	// Ref identifies the case in check messages, e.g. the court's case
	// number or the application number.
	Ref  string     `json:"ref,omitempty"`
	Kind RemedyKind `json:"kind"`
	// FiledOn is the day the reconsideration was applied for or the suit
	// was filed; it decides the year the case is counted in.
	FiledOn Date `json:"filed_on"`
	// Result and ConcludedOn are empty while the case is pending.
	Result      RemedyResult `json:"result,omitempty"`
	ConcludedOn Date         `json:"concluded_on,omitzero"`
}

// Table 四 column offsets within a group of five.
const (
	Table4Upheld    = 0 // 结果维持
	Table4Corrected = 1 // 结果纠正
	Table4Other     = 2 // 其他结果
	Table4Pending   = 3 // 尚未审结
	Table4Total     = 4 // 总计
	// Table4Cols is the number of numbers in table 四: three groups of five.
	Table4Cols = 15
)

// column returns the column offset of a concluded result in its group of
// table 四, or -1.
func (r RemedyResult) column() int {
	switch r {
	case ResultUpheld:
		return Table4Upheld
	case ResultCorrected:
		return Table4Corrected
	case ResultOther:
		return Table4Other
	}
	return -1
}

// CatalogLine is one row of table 二's first block (第二十条第（一）项).
type CatalogLine struct {
	Issued   int `json:"issued"`   // 本年制发件数
	Repealed int `json:"repealed"` // 本年废止件数
	InForce  int `json:"in_force"` // 现行有效件数 on 31 December
}

// CatalogCounts is the part of table 二 that comes from the dated catalog
// of normative documents (条例第二十条第（一）项).
type CatalogCounts struct {
	Rules     CatalogLine `json:"rules"`     // 规章
	Normative CatalogLine `json:"normative"` // 行政规范性文件
}

// CatalogDocKind is the kind of a catalog document counted in table 二.
type CatalogDocKind string

// Catalog document kinds. Stored values; do not change.
const (
	DocRule      CatalogDocKind = "rule"      // 规章
	DocNormative CatalogDocKind = "normative" // 行政规范性文件
)

// CatalogDocument is a 规章 or 行政规范性文件 of the catalog reduced to its
// dates.
type CatalogDocument struct {
	Kind       CatalogDocKind
	IssuedOn   Date // 成文或发布日期
	RepealedOn Date // zero while in force
}

// CountCatalog counts table 二's first block for year: 本年制发 are the
// documents issued in the year, 本年废止 those repealed in it, 现行有效 those
// issued on or before 31 December and not repealed by then. It is the
// reference the store's query must agree with.
func CountCatalog(year int, docs []CatalogDocument) CatalogCounts {
	start, end := yearBounds(year)
	var c CatalogCounts
	for _, d := range docs {
		line := &c.Rules
		switch d.Kind {
		case DocRule:
		case DocNormative:
			line = &c.Normative
		default:
			continue
		}
		if dateWithin(d.IssuedOn, start, end) {
			line.Issued++
		}
		if dateWithin(d.RepealedOn, start, end) {
			line.Repealed++
		}
		if !d.IssuedOn.IsZero() && !d.IssuedOn.After(end) && (d.RepealedOn.IsZero() || d.RepealedOn.After(end)) {
			line.InForce++
		}
	}
	return c
}

// ProactiveFigures are the table 二 figures the office enters by hand
// (条例第二十条第（五）、（六）、（八）项): they come from other systems, not
// from this portal.
type ProactiveFigures struct {
	Licensing   int `json:"licensing"`   // 行政许可 本年处理决定数量
	Penalties   int `json:"penalties"`   // 行政处罚 本年处理决定数量
	Enforcement int `json:"enforcement"` // 行政强制 本年处理决定数量
	// ChargesFen is 行政事业性收费 本年收费金额 in 分; the report prints it
	// in 万元 (FormatWanYuan), exactly.
	ChargesFen int64 `json:"charges_fen"`
}

// ProactiveTable is table 二 「主动公开政府信息情况」.
type ProactiveTable struct {
	Catalog CatalogCounts    `json:"catalog"`
	Figures ProactiveFigures `json:"figures"`
}

// FeeFigures are the information-processing fee figures reported in
// section 六 (国办函〔2020〕109号; rules.md §2.5, whose wording is
// unverified): fee notices issued in the year, the total they billed, and
// the total actually collected in the year. Money is in 分.
type FeeFigures struct {
	Notices      int   `json:"notices"`
	BilledFen    int64 `json:"billed_fen"`
	CollectedFen int64 `json:"collected_fen"`
}

// TallyFees counts section 六's fee figures for year from application
// events: every 收费通知书 sent in the year (EventFeeNoticeSent, its
// AmountFen billed) and every payment received in it (EventFeePaid, its
// AmountFen collected). Other events are ignored.
func TallyFees(year int, events []Event) FeeFigures {
	start, end := yearBounds(year)
	var f FeeFigures
	for _, e := range events {
		if !dateWithin(e.On, start, end) {
			continue
		}
		switch e.Kind {
		case EventFeeNoticeSent:
			f.Notices++
			f.BilledFen += e.Data.AmountFen
		case EventFeePaid:
			f.CollectedFen += e.Data.AmountFen
		}
	}
	return f
}

// OpeningBalance is the carry-over into the first year of use, entered by
// hand from the last report made before the portal (its 四、结转下年度继续办理),
// per applicant column. It replaces the computed 二、上年结转 of that year's
// report only; the applications it stands for must be imported so that
// their results are counted, and the check compares the two.
type OpeningBalance struct {
	Year   int                   `json:"year"`
	Counts [ApplicantColumns]int `json:"counts"` // 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他
}

// ApplicantColumns is the number of applicant columns of table 三 (without
// 总计).
const ApplicantColumns = 6

// Table 三 dimensions and the indexes of its non-leaf rows. The leaf rows
// are at Table3Index(row).
const (
	Table3Rows           = 25 // numeric rows
	Table3Cols           = 7  // six applicant columns and 总计
	Table3TotalCol       = 6  // 总计
	Table3New            = 0  // 一、本年新收政府信息公开申请数量
	Table3CarriedOver    = 1  // 二、上年结转政府信息公开申请数量
	Table3Total          = 23 // （七）总计
	Table3CarriedForward = 24 // 四、结转下年度继续办理
)

// Table3Index returns the index in ApplicationTable of a leaf row.
func Table3Index(row ReportRow) int { return int(row) + 1 }

// ApplicationTable is table 三 「收到和处理政府信息公开申请情况」: 25 rows
// (一, 二, the 21 leaf rows of 三, （七）总计, 四) by 7 columns (the six
// applicant columns and 总计).
type ApplicationTable [Table3Rows][Table3Cols]int

// UnmarshalJSON decodes the table and refuses any other shape: a stored
// snapshot with a missing row must not load as zeros.
func (t *ApplicationTable) UnmarshalJSON(b []byte) error {
	var rows [][]int
	if err := json.Unmarshal(b, &rows); err != nil {
		return fmt.Errorf("decode table 三: %w", err)
	}
	if len(rows) != Table3Rows {
		return fmt.Errorf("decode table 三: %d rows, want %d", len(rows), Table3Rows)
	}
	for i, row := range rows {
		if len(row) != Table3Cols {
			return fmt.Errorf("decode table 三: row %d has %d columns, want %d", i+1, len(row), Table3Cols)
		}
		copy(t[i][:], row)
	}
	return nil
}

// RemedyTable is table 四 「政府信息公开行政复议、行政诉讼情况」: 行政复议,
// 行政诉讼·未经复议直接起诉 and 行政诉讼·复议后起诉, each 结果维持, 结果纠正,
// 其他结果, 尚未审结, 总计. Index a cell as 5*group + Table4Upheld … Table4Total.
type RemedyTable [Table4Cols]int

// UnmarshalJSON decodes the table and refuses any other length.
func (t *RemedyTable) UnmarshalJSON(b []byte) error {
	var cells []int
	if err := json.Unmarshal(b, &cells); err != nil {
		return fmt.Errorf("decode table 四: %w", err)
	}
	if len(cells) != Table4Cols {
		return fmt.Errorf("decode table 四: %d numbers, want %d", len(cells), Table4Cols)
	}
	copy(t[:], cells)
	return nil
}

// Narrative is the text of the sections that are not tables. The office
// edits it, starting from DraftNarrative.
type Narrative struct {
	Overview string `json:"overview"` // 一、总体情况
	Problems string `json:"problems"` // 五、存在的主要问题及改进情况
	Other    string `json:"other"`    // 六、其他需要报告的事项, after the fee statement
}

// CaseProblem is a case that could not be counted because its data breaks
// a rule (no receipt date, closed before received, no outcome, unknown
// applicant kind or remedy). Such a case is left out of every cell, so the
// identities still hold, and Check reports it: the report must not be
// published until the data is corrected.
type CaseProblem struct {
	Ref     string `json:"ref"`
	Message string `json:"message"`
}

// maxProblems is how many CaseProblems a report keeps in detail; the rest
// are only counted.
const maxProblems = 100

// AnnualReport is one year's report: the figures as computed, the narrative
// as edited, and what went into them. A published report is stored as a
// JSON snapshot of this value and never recomputed.
type AnnualReport struct {
	Format    string           `json:"format"` // ReportFormat2021
	Year      int              `json:"year"`
	Narrative Narrative        `json:"narrative"`
	Table2    ProactiveTable   `json:"table2"`
	Table3    ApplicationTable `json:"table3"`
	Table4    RemedyTable      `json:"table4"`
	Fees      FeeFigures       `json:"fees"`
	// Opening is the opening balance printed as 二 in the first year of
	// use; nil in every other year.
	Opening *OpeningBalance `json:"opening,omitempty"`
	// CarriedOverFromCases is 二 as counted from the cases, per applicant
	// column. It equals Table3's 二 unless Opening replaced it.
	CarriedOverFromCases [ApplicantColumns]int `json:"carried_over_from_cases"`
	// Problems are cases left out of the count (at most 100 in detail);
	// ProblemCount counts them all.
	Problems     []CaseProblem `json:"problems,omitempty"`
	ProblemCount int           `json:"problem_count,omitempty"`
}

// AnnualTally accumulates one year's tables from cases streamed one by
// one, so the store can feed a million rows without holding them all.
// ComputeAnnualReport is a loop over it.
type AnnualTally struct {
	year       int
	start, end Date
	counts     [Table3Rows][ApplicantColumns]int // rows 一, 二, leaves and 四; 二 as counted
	table4     RemedyTable
	problems   []CaseProblem
	nProblems  int
}

// NewAnnualTally starts the tally of year.
func NewAnnualTally(year int) *AnnualTally {
	start, end := yearBounds(year)
	return &AnnualTally{year: year, start: start, end: end}
}

// AddCase counts one application under the counting rules at the top of
// this file. A case that touches the year but whose data is broken is not
// counted and is recorded as a problem; a case that does not touch the
// year is ignored.
func (t *AnnualTally) AddCase(c ReportCase) {
	recv, closed := c.ReceivedOn, c.ClosedOn
	if recv.IsZero() {
		t.problem(c.Ref, "没有收到申请日期（条例第三十一条），无法确定统计年度")
		return
	}
	closedInYear := dateWithin(closed, t.start, t.end)
	openAtStart := !recv.After(t.end) && (closed.IsZero() || !closed.Before(t.start))
	if !openAtStart && !closedInYear {
		return
	}
	col := c.Applicant.Column()
	switch {
	case col < 0:
		t.problem(c.Ref, fmt.Sprintf("申请人类型“%s”无效，无法计入申请人情况的任何一列", c.Applicant))
		return
	case !closed.IsZero() && closed.Before(recv):
		t.problem(c.Ref, fmt.Sprintf("办结日期%s早于收到申请日期%s", closed.Chinese(), recv.Chinese()))
		return
	case !closed.IsZero() && c.Outcome.Row() == 0:
		t.problem(c.Ref, fmt.Sprintf("已于%s办结，但办理结果“%s”无效，无法计入办理结果的任何一行", closed.Chinese(), c.Outcome))
		return
	}
	if !recv.Before(t.start) {
		t.counts[Table3New][col]++
	} else {
		t.counts[Table3CarriedOver][col]++
	}
	if closedInYear {
		t.counts[Table3Index(c.Outcome.Row())][col]++
	} else {
		t.counts[Table3CarriedForward][col]++
	}
}

// AddRemedy counts one reconsideration or lawsuit in table 四 if it was
// filed in the year: in its result's column if it was concluded by 31
// December, otherwise as 尚未审结.
func (t *AnnualTally) AddRemedy(r RemedyCase) {
	if r.FiledOn.IsZero() {
		t.problem(r.Ref, "行政复议或行政诉讼没有申请或起诉日期，无法确定统计年度")
		return
	}
	if !dateWithin(r.FiledOn, t.start, t.end) {
		return
	}
	group := r.Kind.Group()
	switch {
	case group < 0:
		t.problem(r.Ref, fmt.Sprintf("行政复议或行政诉讼的类别“%s”无效", r.Kind))
		return
	case r.Result == "" && !r.ConcludedOn.IsZero():
		t.problem(r.Ref, fmt.Sprintf("已于%s审结，但没有审结结果", r.ConcludedOn.Chinese()))
		return
	case r.Result != "" && r.Result.column() < 0:
		t.problem(r.Ref, fmt.Sprintf("审结结果“%s”无效", r.Result))
		return
	case r.Result != "" && r.ConcludedOn.IsZero():
		t.problem(r.Ref, "有审结结果，但没有审结日期")
		return
	case !r.ConcludedOn.IsZero() && r.ConcludedOn.Before(r.FiledOn):
		t.problem(r.Ref, fmt.Sprintf("审结日期%s早于申请或起诉日期%s", r.ConcludedOn.Chinese(), r.FiledOn.Chinese()))
		return
	}
	col := Table4Pending
	if r.Result != "" && !r.ConcludedOn.After(t.end) {
		col = r.Result.column()
	}
	t.table4[5*group+col]++
}

func (t *AnnualTally) problem(ref, msg string) {
	t.nProblems++
	if len(t.problems) < maxProblems {
		t.problems = append(t.problems, CaseProblem{Ref: ref, Message: msg})
	}
}

// Report completes the tables: it applies the opening balance if it is
// for this year, adds the 总计 column, （七）总计 and table 四's totals, and
// takes table 二 and the fee figures as given. The narrative is left empty.
func (t *AnnualTally) Report(opening *OpeningBalance, catalog CatalogCounts, figures ProactiveFigures, fees FeeFigures) AnnualReport {
	r := AnnualReport{
		Format:       ReportFormat2021,
		Year:         t.year,
		Table2:       ProactiveTable{Catalog: catalog, Figures: figures},
		Fees:         fees,
		Problems:     append([]CaseProblem(nil), t.problems...),
		ProblemCount: t.nProblems,
	}
	r.CarriedOverFromCases = t.counts[Table3CarriedOver]
	for i := range Table3Rows {
		copy(r.Table3[i][:ApplicantColumns], t.counts[i][:])
	}
	if opening != nil && opening.Year == t.year {
		o := *opening
		r.Opening = &o
		copy(r.Table3[Table3CarriedOver][:ApplicantColumns], o.Counts[:])
	}
	for c := range ApplicantColumns {
		sum := 0
		for i := Table3Index(RowDisclosed); i <= Table3Index(RowOtherOther); i++ {
			sum += r.Table3[i][c]
		}
		r.Table3[Table3Total][c] = sum
	}
	for i := range Table3Rows {
		sum := 0
		for c := range ApplicantColumns {
			sum += r.Table3[i][c]
		}
		r.Table3[i][Table3TotalCol] = sum
	}
	r.Table4 = t.table4
	for g := range 3 {
		sum := 0
		for k := Table4Upheld; k <= Table4Pending; k++ {
			sum += r.Table4[5*g+k]
		}
		r.Table4[5*g+Table4Total] = sum
	}
	return r
}

// ComputeAnnualReport computes the report of year from every application
// and remedy case the agency has (cases that do not touch the year are
// ignored), the opening balance (applied only if it is for this year; nil
// if none), the catalog counts, the office's table 二 figures and the fee
// figures. It is the reference implementation of the counting rules at the
// top of this file. The narrative is left empty.
func ComputeAnnualReport(year int, cases []ReportCase, remedies []RemedyCase, opening *OpeningBalance, catalog CatalogCounts, figures ProactiveFigures, fees FeeFigures) AnnualReport {
	t := NewAnnualTally(year)
	for i := range cases {
		t.AddCase(cases[i])
	}
	for i := range remedies {
		t.AddRemedy(remedies[i])
	}
	return t.Report(opening, catalog, figures, fees)
}

// yearBounds returns 1 January and 31 December of year.
func yearBounds(year int) (Date, Date) {
	return NewDate(year, 1, 1), NewDate(year, 12, 31)
}

// dateWithin reports whether d is a date from start to end inclusive.
func dateWithin(d, start, end Date) bool {
	return !d.IsZero() && !d.Before(start) && !d.After(end)
}

// Violation is a failed check of a report: a broken identity of rules.md
// §3.6, a negative figure, a break in continuity with the previous year, a
// case that could not be counted, or a missing narrative section. A report
// with violations must not be published.
type Violation struct {
	// Table is 2, 3 or 4 for a cell of that table, 0 otherwise.
	Table int `json:"table"`
	// Row and Col locate the cell in the table's numbers (ApplicationTable
	// row and column, RemedyTable index in Col), or are -1.
	Row int `json:"row"`
	Col int `json:"col"`
	// Message names the cell and the rule in Chinese, for the office.
	Message string `json:"message"`
	// Rule is the check it fails, one of ReportRules.
	Rule ReportRule `json:"rule,omitempty"`
}

// ReportRule names one of the checks of Check, so that the report page can
// list every check with its result, not only the failures.
type ReportRule string

// The checks of Check: the identities of rules.md §3.6 and the
// completeness of the report.
const (
	RuleBalance     ReportRule = "balance"      // every column: 一 + 二 = 三（七） + 四
	RuleLeafSum     ReportRule = "leaf_sum"     // every column: （七） = the 21 leaf rows
	RuleColumnSum   ReportRule = "column_sum"   // every row: 总计 = the six applicant columns
	RuleRemedySum   ReportRule = "remedy_sum"   // table 四: each 总计 = its four results
	RuleNonNegative ReportRule = "non_negative" // every figure
	RuleContinuity  ReportRule = "continuity"   // 二 = 四 of the previous published report
	RuleOpening     ReportRule = "opening"      // the opening balance = the imported open cases
	RuleComplete    ReportRule = "complete"     // every case counted; sections 一 and 五 written
)

// ReportRules states each check of Check in Chinese, in the order the
// report page lists them.
var ReportRules = []struct {
	Rule ReportRule
	Text string
}{
	{RuleBalance, "表三每一列：一、本年新收加二、上年结转之和，等于三、本年度办理结果（七）总计加四、结转下年度继续办理之和（表内注明的勾稽关系）"},
	{RuleLeafSum, "表三每一列：（七）总计等于（一）至（六）21个明细行之和"},
	{RuleColumnSum, "表三每一行：“总计”列等于六类申请人之和"},
	{RuleRemedySum, "表四：行政复议、未经复议直接起诉、复议后起诉的“总计”各等于结果维持、结果纠正、其他结果、尚未审结之和"},
	{RuleNonNegative, "所有数字均为非负数"},
	{RuleContinuity, "表三二、上年结转等于上一年度已发布报告的四、结转下年度继续办理"},
	{RuleOpening, "手工录入的期初结转数等于补录的上线前申请中当年1月1日仍未办结的件数"},
	{RuleComplete, "所有申请均已计入（没有因数据问题未计入的案件），第一部分和第五部分已填写"},
}

// Check verifies r and returns every violation, in table order; none means
// the report may be published. previous is the published report of the
// year before, or nil when there is none (the first year of use, whose
// carry-over is then checked against the opening balance). The checks:
//
//   - every column of table 三: 一 + 二 = 三（七）总计 + 四 (printed in the
//     table itself, 国办公开办函〔2021〕30号);
//   - every column: （七）总计 = the sum of the 21 leaf rows;
//   - every row: 总计 = the sum of the six applicant columns;
//   - table 四: each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结;
//   - every figure is non-negative;
//   - continuity: 二 of this year = 四 of the previous published report;
//   - the opening balance agrees with the imported carried-over cases;
//   - no case was left out for broken data; sections 一 and 五 are written.
func (r AnnualReport) Check(previous *AnnualReport) []Violation {
	var v []Violation
	add := func(rule ReportRule, table, row, col int, format string, args ...any) {
		v = append(v, Violation{Table: table, Row: row, Col: col, Message: fmt.Sprintf(format, args...), Rule: rule})
	}
	t := &r.Table3

	// Table 二.
	t2 := r.Table2
	for _, c := range []struct {
		name string
		n    int64
	}{
		{"规章·本年制发件数", int64(t2.Catalog.Rules.Issued)},
		{"规章·本年废止件数", int64(t2.Catalog.Rules.Repealed)},
		{"规章·现行有效件数", int64(t2.Catalog.Rules.InForce)},
		{"行政规范性文件·本年制发件数", int64(t2.Catalog.Normative.Issued)},
		{"行政规范性文件·本年废止件数", int64(t2.Catalog.Normative.Repealed)},
		{"行政规范性文件·现行有效件数", int64(t2.Catalog.Normative.InForce)},
		{"行政许可·本年处理决定数量", int64(t2.Figures.Licensing)},
		{"行政处罚·本年处理决定数量", int64(t2.Figures.Penalties)},
		{"行政强制·本年处理决定数量", int64(t2.Figures.Enforcement)},
		{"行政事业性收费·本年收费金额", t2.Figures.ChargesFen},
	} {
		if c.n < 0 {
			add(RuleNonNegative, 2, -1, -1, "表二“%s”为负数，应为非负数", c.name)
		}
	}

	// Table 三.
	for i := range Table3Rows {
		for c := range Table3Cols {
			if t[i][c] < 0 {
				add(RuleNonNegative, 3, i, c, "%s为%d，应为非负数", Table3CellName(i, c), t[i][c])
			}
		}
	}
	for c := range Table3Cols {
		in := t[Table3New][c] + t[Table3CarriedOver][c]
		out := t[Table3Total][c] + t[Table3CarriedForward][c]
		if in != out {
			add(RuleBalance, 3, Table3CarriedForward, c,
				"表三“%s”列：一、本年新收（%d）加二、上年结转（%d）之和为%d，不等于三、本年度办理结果（七）总计（%d）加四、结转下年度继续办理（%d）之和%d",
				table3ColName(c), t[Table3New][c], t[Table3CarriedOver][c], in, t[Table3Total][c], t[Table3CarriedForward][c], out)
		}
		sum := 0
		for i := Table3Index(RowDisclosed); i <= Table3Index(RowOtherOther); i++ {
			sum += t[i][c]
		}
		if sum != t[Table3Total][c] {
			add(RuleLeafSum, 3, Table3Total, c, "%s为%d，不等于本列（一）至（六）各项之和%d", Table3CellName(Table3Total, c), t[Table3Total][c], sum)
		}
	}
	for i := range Table3Rows {
		sum := 0
		for c := range ApplicantColumns {
			sum += t[i][c]
		}
		if sum != t[i][Table3TotalCol] {
			add(RuleColumnSum, 3, i, Table3TotalCol, "%s为%d，不等于本行六类申请人之和%d", Table3CellName(i, Table3TotalCol), t[i][Table3TotalCol], sum)
		}
	}
	if previous != nil {
		if previous.Year != r.Year-1 {
			add(RuleContinuity, 3, Table3CarriedOver, -1, "用于核对上年结转的报告是%d年度的，应为%d年度", previous.Year, r.Year-1)
		} else {
			for c := range Table3Cols {
				if got, want := t[Table3CarriedOver][c], previous.Table3[Table3CarriedForward][c]; got != want {
					add(RuleContinuity, 3, Table3CarriedOver, c, "%s为%d，与%d年度报告“四、结转下年度继续办理”的%d不一致",
						Table3CellName(Table3CarriedOver, c), got, previous.Year, want)
				}
			}
		}
	}
	if r.Opening != nil {
		for c := range ApplicantColumns {
			if got, want := r.Opening.Counts[c], r.CarriedOverFromCases[c]; got != want {
				add(RuleOpening, 3, Table3CarriedOver, c, "%s：手工录入的期初结转数为%d件，但系统中%d年以前收到、%d年1月1日仍未办结的申请为%d件，请补录历史申请或更正期初结转数",
					Table3CellName(Table3CarriedOver, c), got, r.Year, r.Year, want)
			}
		}
	}

	// Table 四.
	for i, n := range r.Table4 {
		if n < 0 {
			add(RuleNonNegative, 4, -1, i, "%s为%d，应为非负数", Table4CellName(i), n)
		}
	}
	for g := range 3 {
		sum := 0
		for k := Table4Upheld; k <= Table4Pending; k++ {
			sum += r.Table4[5*g+k]
		}
		if i := 5*g + Table4Total; sum != r.Table4[i] {
			add(RuleRemedySum, 4, -1, i, "%s为%d，不等于结果维持、结果纠正、其他结果、尚未审结之和%d", Table4CellName(i), r.Table4[i], sum)
		}
	}

	// Section 六, the data and the narrative.
	if r.Fees.Notices < 0 || r.Fees.BilledFen < 0 || r.Fees.CollectedFen < 0 {
		add(RuleNonNegative, 0, -1, -1, "六、其他需要报告的事项：信息处理费的件数和金额应为非负数")
	}
	for _, p := range r.Problems {
		add(RuleComplete, 0, -1, -1, "%s：%s，未计入本报告，请更正后重新生成", reportCaseName(p.Ref), p.Message)
	}
	if extra := r.ProblemCount - len(r.Problems); extra > 0 {
		add(RuleComplete, 0, -1, -1, "另有%d件申请或复议诉讼案件因数据问题未计入本报告", extra)
	}
	if strings.TrimSpace(r.Narrative.Overview) == "" {
		add(RuleComplete, 0, -1, -1, "“%s”尚未填写", ReportSectionHeadings[0])
	}
	if strings.TrimSpace(r.Narrative.Problems) == "" {
		add(RuleComplete, 0, -1, -1, "“%s”尚未填写", ReportSectionHeadings[4])
	}
	return v
}

func reportCaseName(ref string) string {
	if ref == "" {
		return "一件未编号的案件"
	}
	return "案件“" + ref + "”"
}

// Table 三 label text, verbatim (rules.md §3.4).
const (
	table3Note         = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	table3Applicants   = "申请人情况"
	table3Person       = "自然人"
	table3Organisation = "法人或其他组织"
	table3TotalHeader  = "总计"
	table3NewLabel     = "一、本年新收政府信息公开申请数量"
	table3CarriedLabel = "二、上年结转政府信息公开申请数量"
	table3Results      = "三、本年度办理结果"
	table3TotalLabel   = "（七）总计"
	table3ForwardLabel = "四、结转下年度继续办理"
)

// table3RowName returns the label of a row of ApplicationTable as the
// table prints it, the group joined to the leaf for leaf rows.
func table3RowName(i int) string {
	switch {
	case i == Table3New:
		return table3NewLabel
	case i == Table3CarriedOver:
		return table3CarriedLabel
	case i == Table3Total:
		return table3TotalLabel
	case i == Table3CarriedForward:
		return table3ForwardLabel
	case i >= 2 && i < Table3Total:
		info := ReportRow(i - 1).Info()
		return info.Group + info.Label
	}
	return ""
}

func table3ColName(c int) string {
	if c == Table3TotalCol {
		return table3TotalHeader
	}
	if c >= 0 && c < ApplicantColumns {
		return ApplicantKinds[c].Label()
	}
	return ""
}

// Table3CellName names a cell of table 三 for messages, e.g.
// 表三“四、结转下年度继续办理”行“自然人”列.
func Table3CellName(row, col int) string {
	return fmt.Sprintf("表三“%s”行“%s”列", table3RowName(row), table3ColName(col))
}

// Table 四 label text, verbatim (rules.md §3.5).
const (
	table4Reconsideration = "行政复议"
	table4Litigation      = "行政诉讼"
	table4Direct          = "未经复议直接起诉"
	table4After           = "复议后起诉"
)

var table4Results = [5]string{"结果维持", "结果纠正", "其他结果", "尚未审结", table3TotalHeader}

// Table4CellName names a cell of table 四 for messages, e.g.
// 表四“行政诉讼·复议后起诉·尚未审结”.
func Table4CellName(i int) string {
	if i < 0 || i >= Table4Cols {
		return "表四"
	}
	group := [3]string{table4Reconsideration, table4Litigation + "·" + table4Direct, table4Litigation + "·" + table4After}[i/5]
	return "表四“" + group + "·" + table4Results[i%5] + "”"
}

// CellKind says what a cell of an official table holds, which decides how
// an encoder styles and stores it.
type CellKind int

// Cell kinds.
const (
	CellHeader  CellKind = iota + 1 // a column heading
	CellSection                     // a row spanning the table, e.g. 第二十条第（一）项
	CellLabel                       // a row label
	CellCount                       // a count (a number of documents, decisions, applications or cases)
	CellAmount                      // an amount of money in 万元
)

// TableCell is one cell of an official table, placed on the table's grid
// of rows and columns; a merged cell covers RowSpan × ColSpan grid cells
// from its top-left corner. Label cells carry the verbatim text; value
// cells carry the number and Text as printed.
type TableCell struct {
	Row, Col         int
	RowSpan, ColSpan int
	Kind             CellKind
	Text             string
	Count            int   // CellCount
	Fen              int64 // CellAmount, in 分
}

// TableGrid is an official table laid out as merged cells, exactly as
// rules.md §3.3–3.5 describe it. Encoders draw it cell by cell and need no
// label text of their own.
type TableGrid struct {
	Number     int    // 2, 3 or 4
	Heading    string // the section heading above the table
	Rows, Cols int
	// HeaderRows is how many rows at the top form the column headings: an
	// encoder repeats them on a new page and freezes them.
	HeaderRows int
	// LabelCols is how many columns at the left hold row labels.
	LabelCols int
	// Cells cover the grid exactly once, in order of their top-left
	// corner, row by row.
	Cells []TableCell
}

// Grids returns tables 二, 三 and 四 of r.
func (r AnnualReport) Grids() []TableGrid {
	return []TableGrid{r.Table2Grid(), r.Table3Grid(), r.Table4Grid()}
}

func gridLabel(row, col, rowSpan, colSpan int, kind CellKind, text string) TableCell {
	return TableCell{Row: row, Col: col, RowSpan: rowSpan, ColSpan: colSpan, Kind: kind, Text: text}
}

func gridCount(row, col, colSpan, n int) TableCell {
	return TableCell{Row: row, Col: col, RowSpan: 1, ColSpan: colSpan, Kind: CellCount, Text: strconv.Itoa(n), Count: n}
}

// Table2Grid returns table 二 「主动公开政府信息情况」 (rules.md §3.3): four
// columns, each block headed by its 第二十条 item across the whole table.
func (r AnnualReport) Table2Grid() TableGrid {
	c, f := r.Table2.Catalog, r.Table2.Figures
	const item, content, decisions = "第二十条第", "信息内容", "本年处理决定数量"
	cells := []TableCell{
		gridLabel(0, 0, 1, 4, CellSection, item+"（一）项"),
		gridLabel(1, 0, 1, 1, CellHeader, content),
		gridLabel(1, 1, 1, 1, CellHeader, "本年制发件数"),
		gridLabel(1, 2, 1, 1, CellHeader, "本年废止件数"),
		gridLabel(1, 3, 1, 1, CellHeader, "现行有效件数"),
		gridLabel(2, 0, 1, 1, CellLabel, "规章"),
		gridCount(2, 1, 1, c.Rules.Issued), gridCount(2, 2, 1, c.Rules.Repealed), gridCount(2, 3, 1, c.Rules.InForce),
		gridLabel(3, 0, 1, 1, CellLabel, "行政规范性文件"),
		gridCount(3, 1, 1, c.Normative.Issued), gridCount(3, 2, 1, c.Normative.Repealed), gridCount(3, 3, 1, c.Normative.InForce),
		gridLabel(4, 0, 1, 4, CellSection, item+"（五）项"),
		gridLabel(5, 0, 1, 1, CellHeader, content),
		gridLabel(5, 1, 1, 3, CellHeader, decisions),
		gridLabel(6, 0, 1, 1, CellLabel, "行政许可"),
		gridCount(6, 1, 3, f.Licensing),
		gridLabel(7, 0, 1, 4, CellSection, item+"（六）项"),
		gridLabel(8, 0, 1, 1, CellHeader, content),
		gridLabel(8, 1, 1, 3, CellHeader, decisions),
		gridLabel(9, 0, 1, 1, CellLabel, "行政处罚"),
		gridCount(9, 1, 3, f.Penalties),
		gridLabel(10, 0, 1, 1, CellLabel, "行政强制"),
		gridCount(10, 1, 3, f.Enforcement),
		gridLabel(11, 0, 1, 4, CellSection, item+"（八）项"),
		gridLabel(12, 0, 1, 1, CellHeader, content),
		gridLabel(12, 1, 1, 3, CellHeader, "本年收费金额（单位：万元）"),
		gridLabel(13, 0, 1, 1, CellLabel, "行政事业性收费"),
		{Row: 13, Col: 1, RowSpan: 1, ColSpan: 3, Kind: CellAmount, Text: FormatWanYuan(f.ChargesFen), Fen: f.ChargesFen},
	}
	return TableGrid{Number: 2, Heading: ReportSectionHeadings[1], Rows: 14, Cols: 4, LabelCols: 1, Cells: cells}
}

// Table3Grid returns table 三 「收到和处理政府信息公开申请情况」 (rules.md
// §3.4): three label columns and seven number columns under a three-row
// heading whose top-left cell states the identity of every column.
func (r AnnualReport) Table3Grid() TableGrid {
	const head = 3 // heading rows
	cells := []TableCell{
		gridLabel(0, 0, 3, 3, CellHeader, table3Note),
		gridLabel(0, 3, 1, 7, CellHeader, table3Applicants),
		gridLabel(1, 3, 2, 1, CellHeader, table3Person),
		gridLabel(1, 4, 1, 5, CellHeader, table3Organisation),
		gridLabel(1, 9, 2, 1, CellHeader, table3TotalHeader),
	}
	for c := 1; c < ApplicantColumns; c++ {
		cells = append(cells, gridLabel(2, 3+c, 1, 1, CellHeader, ApplicantKinds[c].Label()))
	}
	numbers := func(i int) {
		for c := range Table3Cols {
			cells = append(cells, gridCount(head+i, 3+c, 1, r.Table3[i][c]))
		}
	}
	for _, i := range []int{Table3New, Table3CarriedOver} {
		cells = append(cells, gridLabel(head+i, 0, 1, 3, CellLabel, table3RowName(i)))
		numbers(i)
	}
	first := Table3Index(RowDisclosed)
	for i := first; i <= Table3Total; i++ {
		row := head + i
		if i == first {
			cells = append(cells, gridLabel(row, 0, Table3Total-first+1, 1, CellLabel, table3Results))
		}
		if i == Table3Total {
			cells = append(cells, gridLabel(row, 1, 1, 2, CellLabel, table3TotalLabel))
			numbers(i)
			continue
		}
		info := ReportRow(i - 1).Info()
		if info.Label == "" {
			cells = append(cells, gridLabel(row, 1, 1, 2, CellLabel, info.Group))
		} else {
			if prev := ReportRow(i - 2).Info(); i == first || prev.Group != info.Group {
				span := 0
				for _, ri := range ReportRows {
					if ri.Group == info.Group {
						span++
					}
				}
				cells = append(cells, gridLabel(row, 1, span, 1, CellLabel, info.Group))
			}
			cells = append(cells, gridLabel(row, 2, 1, 1, CellLabel, info.Label))
		}
		numbers(i)
	}
	cells = append(cells, gridLabel(head+Table3CarriedForward, 0, 1, 3, CellLabel, table3ForwardLabel))
	numbers(Table3CarriedForward)
	return TableGrid{Number: 3, Heading: ReportSectionHeadings[2], Rows: head + Table3Rows, Cols: 3 + Table3Cols,
		HeaderRows: head, LabelCols: 3, Cells: cells}
}

// Table4Grid returns table 四 「政府信息公开行政复议、行政诉讼情况」 (rules.md
// §3.5): 行政复议 over five columns whose headings span two rows, 行政诉讼
// over ten in two groups, and one row of numbers.
func (r AnnualReport) Table4Grid() TableGrid {
	cells := []TableCell{
		gridLabel(0, 0, 1, 5, CellHeader, table4Reconsideration),
		gridLabel(0, 5, 1, 10, CellHeader, table4Litigation),
	}
	for k, s := range table4Results {
		cells = append(cells, gridLabel(1, k, 2, 1, CellHeader, s))
	}
	cells = append(cells,
		gridLabel(1, 5, 1, 5, CellHeader, table4Direct),
		gridLabel(1, 10, 1, 5, CellHeader, table4After))
	for g := 1; g <= 2; g++ {
		for k, s := range table4Results {
			cells = append(cells, gridLabel(2, 5*g+k, 1, 1, CellHeader, s))
		}
	}
	for i, n := range r.Table4 {
		cells = append(cells, gridCount(3, i, 1, n))
	}
	return TableGrid{Number: 4, Heading: ReportSectionHeadings[3], Rows: 4, Cols: Table4Cols, HeaderRows: 3, Cells: cells}
}

// ViolationCell returns where in g a violation is: the grid row and column
// of the number it is about, either being -1 when it is about a whole
// column or row of numbers, and ok false when it is not about this table
// or names no place in it (e.g. a missing narrative section).
func (g TableGrid) ViolationCell(v Violation) (row, col int, ok bool) {
	if v.Table != g.Number {
		return -1, -1, false
	}
	switch g.Number {
	case 3:
		row, col = -1, -1
		if v.Row >= 0 && v.Row < Table3Rows {
			row = g.HeaderRows + v.Row
		}
		if v.Col >= 0 && v.Col < Table3Cols {
			col = g.LabelCols + v.Col
		}
		return row, col, row >= 0 || col >= 0
	case 4:
		if v.Col >= 0 && v.Col < Table4Cols {
			return g.HeaderRows, v.Col, true
		}
	}
	return -1, -1, false
}

// FormatWanYuan writes an amount in 分 as 万元 with exactly as many decimals
// as it needs (1 万元 = 1,000,000 分): 12500000 → "12.5", 1 → "0.000001",
// 0 → "0". No rounding: the report prints the exact amount.
func FormatWanYuan(fen int64) string { return formatScaled(fen, 6) }

// formatScaled writes n / 10^decimals in decimal, trailing zeros dropped.
func formatScaled(n int64, decimals int) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-n) // -MinInt64 wraps to itself, which is right as uint64
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// ParseWanYuan reads an amount in 万元 as the office types it ("12.5",
// "0.35", "3") into 分. At most six decimals (1 分) and nine whole digits
// are allowed, and no sign: the report has no negative amounts, and an
// amount of at most 15 significant digits survives the float64 of an
// XLSX number cell unchanged.
func ParseWanYuan(s string) (int64, error) {
	s = strings.TrimSpace(s)
	invalid := Errorf(EINVALID, "金额须为以万元为单位的非负数，整数部分不超过9位，最多保留6位小数（精确到分），例如12.5。")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 6 || len(whole) > 9 {
		return 0, invalid
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, invalid
		}
	}
	frac += strings.Repeat("0", 6-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, invalid
	}
	return n, nil
}

// FeeStatement is the sentence section 六 always starts with, built from
// the fee figures so that the figures are never typed by hand
// (国办函〔2020〕109号; the wording follows rules.md §2.5, unverified). Sums
// are written as fee notices write them (FormatYuan).
func (r AnnualReport) FeeStatement() string {
	f := r.Fees
	return fmt.Sprintf("本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知的件数为%d件、总金额为%s，实际收取信息处理费的总金额为%s。",
		f.Notices, FormatYuan(f.BilledFen), FormatYuan(f.CollectedFen))
}

// DraftNarrative returns the text the office starts editing from: section
// 一 with the legal basis, the statistics period, the year's figures and
// where to ask, and section 六 saying there is nothing else. Section 五
// cannot be generated and is left empty for the office to write
// (条例第五十条第（四）项); Check refuses a report without it.
func DraftNarrative(agency Agency, r AnnualReport) Narrative {
	t := r.Table3
	c := Table3TotalCol
	recon := r.Table4[Table4Total]
	lit := r.Table4[5+Table4Total] + r.Table4[10+Table4Total]
	var b strings.Builder
	fmt.Fprintf(&b, "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（%s）的要求编制。本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。", ReportFormat2021, r.Year, r.Year)
	fmt.Fprintf(&b, "\n%d年，%s认真贯彻落实《条例》，做好主动公开和依申请公开工作。本年度新收政府信息公开申请%d件，上年结转%d件，办理完毕%d件，结转下年度继续办理%d件；因政府信息公开工作被申请行政复议%d件、提起行政诉讼%d件。",
		r.Year, agency.Name, t[Table3New][c], t[Table3CarriedOver][c], t[Table3Total][c], t[Table3CarriedForward][c], recon, lit)
	var contact []string
	for _, p := range []struct{ label, value string }{
		{"地址：", agency.OfficeAddress}, {"邮编：", agency.PostCode}, {"电话：", agency.Phone}, {"电子邮箱：", agency.Email},
	} {
		if v := strings.TrimSpace(p.value); v != "" {
			contact = append(contact, p.label+v)
		}
	}
	if office := strings.TrimSpace(agency.OfficeName); office != "" {
		fmt.Fprintf(&b, "\n如对本报告有任何疑问，请与%s联系", office)
		if len(contact) > 0 {
			b.WriteString("（" + strings.Join(contact, "，") + "）")
		}
		b.WriteString("。")
	}
	return Narrative{Overview: b.String(), Other: "本年度无其他需要报告的事项。"}
}
