package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// reportDesk is a portal with the people of the annual report signed in:
// a 公开办经办 who compiles it, a 信息发布员 who publishes it, an 审计员
// who may do neither, and a visitor without a session.
type reportDesk struct {
	app     *staffApp
	s       *store.Store
	agency  int64
	clerk   *staffBrowser
	pub     *staffBrowser
	auditor *staffBrowser
	public  *staffBrowser
}

func newReportDesk(t *testing.T, s *store.Store, clock *storetest.Clock) *reportDesk {
	t.Helper()
	app := newStaffApp(t, s, clock)
	clerk := mkStaffUser(t, s, "jingban", []models.Role{models.RoleOfficeClerk}, nil, false)
	pub := mkStaffUser(t, s, "fabu", []models.Role{models.RolePublisher}, nil, false)
	auditor := mkStaffUser(t, s, "shenji", []models.Role{models.RoleAuditor}, nil, false)
	return &reportDesk{app: app, s: s, agency: clerk.AgencyID, clerk: app.signIn(t, clerk), pub: app.signIn(t, pub),
		auditor: app.signIn(t, auditor), public: &staffBrowser{app: app}}
}

func ymdDate(t *testing.T, s string) models.Date {
	t.Helper()
	d, err := models.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// insertReportRows writes the small dataset whose 2025 cells are known:
//
//	R1 自然人, received 2024-12-20, answered 2025-01-10, 予以公开: 二 and 三（一）
//	R2 商业企业, received 2025-03-01, answered 2025-03-15, 不掌握: 一 and 三（四）1
//	R3 自然人, received 2025-05-01, withdrawn 2025-05-10: 一 and 三（六）3
//	R4 自然人, received 2025-12-30, still open: 一 and 四
//
// so that table 三 of 2025 reads, by column 自然人 / 商业企业 / 总计:
// 一 2/1/3, 二 1/0/1, （一） 1/0/1, （四）1 0/1/1, （六）3 1/0/1, （七） 2/1/3,
// 四 1/0/1.
func insertReportRows(t *testing.T, s *store.Store, agencyID int64) {
	t.Helper()
	storetest.InsertRows(t, s, agencyID, []storetest.Row{
		{ApplicantName: "甲", Status: models.StatusAnswered, ReceivedOn: ymdDate(t, "2024-12-20"), ClosedOn: ymdDate(t, "2025-01-10"),
			Outcome: models.OutcomeDisclose, Title: "R1"},
		{ApplicantName: "乙公司", ApplicantKind: models.ApplicantCommercial, Status: models.StatusAnswered,
			ReceivedOn: ymdDate(t, "2025-03-01"), ClosedOn: ymdDate(t, "2025-03-15"), Outcome: models.OutcomeNotHeld, Title: "R2"},
		{ApplicantName: "丙", Status: models.StatusWithdrawn, ReceivedOn: ymdDate(t, "2025-05-01"), ClosedOn: ymdDate(t, "2025-05-10"),
			Outcome: models.OutcomeWithdrawn, Title: "R3"},
		{ApplicantName: "丁", Status: models.StatusProcessing, ReceivedOn: ymdDate(t, "2025-12-30"), Title: "R4"},
	})
}

// t3 names a number of table 三 by its row and column in the report's
// numbers (models.Table3*), as the page's cell ids place it in the grid.
type t3 struct{ row, col int }

var t3Grid = models.AnnualReport{}.Table3Grid()

func (c t3) id(prefix string) string {
	return fmt.Sprintf("%s-t3-r%d-c%d", prefix, t3Grid.HeaderRows+c.row, t3Grid.LabelCols+c.col)
}

const (
	colPerson     = 0
	colCommercial = 1
	colTotal      = models.Table3TotalCol
)

// report2025Cells are the non-zero cells of the dataset's 2025 table 三.
var report2025Cells = map[t3]string{
	{models.Table3New, colPerson}: "2", {models.Table3New, colCommercial}: "1", {models.Table3New, colTotal}: "3",
	{models.Table3CarriedOver, colPerson}: "1", {models.Table3CarriedOver, colTotal}: "1",
	{models.Table3Index(models.RowDisclosed), colPerson}: "1", {models.Table3Index(models.RowDisclosed), colTotal}: "1",
	{models.Table3Index(models.RowUnavailableNotHeld), colCommercial}: "1", {models.Table3Index(models.RowUnavailableNotHeld), colTotal}: "1",
	{models.Table3Index(models.RowOtherOther), colPerson}: "1", {models.Table3Index(models.RowOtherOther), colTotal}: "1",
	{models.Table3Total, colPerson}: "2", {models.Table3Total, colCommercial}: "1", {models.Table3Total, colTotal}: "3",
	{models.Table3CarriedForward, colPerson}: "1", {models.Table3CarriedForward, colTotal}: "1",
}

// wantTable3 checks every number of table 三 on a page: the known cells,
// and 0 everywhere else.
func wantTable3(t *testing.T, what, body, prefix string, cells map[t3]string) {
	t.Helper()
	for row := range models.Table3Rows {
		for col := range models.Table3Cols {
			c := t3{row, col}
			want, ok := cells[c]
			if !ok {
				want = "0"
			}
			if got := cellValue(body, c.id(prefix)); got != want {
				t.Errorf("%s: %s = %q, want %q", what, models.Table3CellName(row, col), got, want)
			}
		}
	}
}

// cellTag returns the opening td tag and the value of the number with id.
func cellTag(body, id string) (tag, value string) {
	m := regexp.MustCompile(`(<td id="` + regexp.QuoteMeta(id) + `"[^>]*>)<span class="report-value">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return "", "<missing>"
	}
	return m[1], m[2]
}

// identityResult returns the result column of the identity rule on the
// report page, tags removed.
func identityResult(body string, rule models.ReportRule) string {
	for _, r := range models.ReportRules {
		if r.Rule != rule {
			continue
		}
		m := regexp.MustCompile(`<th scope="row">` + regexp.QuoteMeta(r.Text) + `</th>\s*<td>(.*?)</td>`).FindStringSubmatch(body)
		if m == nil {
			return "<missing>"
		}
		return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")
	}
	return "<no such rule>"
}

func cellValue(body, id string) string { _, v := cellTag(body, id); return v }

func cellFlagged(body, id string) bool {
	tag, _ := cellTag(body, id)
	return strings.Contains(tag, "report-flagged")
}

// table2ID returns the id of the number in table 二's row labelled label.
func table2ID(prefix, label string) string {
	g := models.AnnualReport{}.Table2Grid()
	row := -1
	for _, c := range g.Cells {
		if c.Kind == models.CellLabel && c.Text == label {
			row = c.Row
		}
	}
	for _, c := range g.Cells {
		if c.Row == row && (c.Kind == models.CellCount || c.Kind == models.CellAmount) {
			return fmt.Sprintf("%s-t2-r%d-c%d", prefix, c.Row, c.Col)
		}
	}
	return "no-such-row-" + label
}

// xlsxTable3 reads table 三 back out of a report workbook: the value cells
// of the row whose first column is label, as text.
func xlsxTable3Row(t *testing.T, content []byte, label string) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(reports.SheetTable3)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == label {
			if len(r) < t3Grid.LabelCols {
				return nil
			}
			return r[t3Grid.LabelCols:]
		}
	}
	t.Fatalf("xlsx: no row %q in %s", label, reports.SheetTable3)
	return nil
}

const (
	labelNew     = "一、本年新收政府信息公开申请数量"
	reportPath25 = "/staff/reports?year=2025"
)

func (d *reportDesk) page(t *testing.T, b *staffBrowser, path string) string {
	t.Helper()
	r := b.get(t, path)
	if r.status != 200 {
		t.Fatalf("GET %s: %d\n%s", path, r.status, staffExcerpt(r.body))
	}
	return htmlUnescape(r.body)
}

func (d *reportDesk) saveNarrative(t *testing.T, year, problems string) {
	t.Helper()
	r := d.clerk.post(t, "/staff/reports/narrative", url.Values{"year": {year}, "overview": {"本年度总体情况。\n第二段。"},
		"problems": {problems}, "other": {""}})
	wantStaff(t, "save narrative", r, 303, "/staff/reports?year="+year)
}

func (d *reportDesk) saveOpening(t *testing.T, person string) staffResp {
	t.Helper()
	v := url.Values{"year": {"2025"}}
	for _, k := range models.ApplicantKinds {
		v.Set(string(k), "0")
	}
	v.Set(string(models.ApplicantPerson), person)
	return d.clerk.post(t, "/staff/reports/opening", v)
}

// TestAnnualReportCompilePublishCorrect walks the year's report through
// the office on both databases: the compile page shows the known cells and
// the counting rules; an opening balance that disagrees with the cases
// fails a check, marked on its cell, and publishing is refused with the
// message; once it agrees the 信息发布员 publishes; later edits to the
// applications leave the published PDF and XLSX unchanged; a correction
// needs a reason and becomes version 2; and the public list shows and
// serves both versions.
func TestAnnualReportCompilePublishCorrect(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newReportDesk(t, s, clock)
		insertReportRows(t, s, d.agency)

		// The compile view: every cell of table 三, the rules, the checks.
		body := d.page(t, d.clerk, reportPath25)
		wantTable3(t, "compile page", body, "report", report2025Cells)
		wantIn(t, "compile page", body, "统计规则", models.ReportCountingRules[0].Rule, models.ReportCountingRules[2].Rule,
			"“五、存在的主要问题及改进情况”尚未填写", "尚未发布", "暂不能发布", "已超过发布期限")
		wantNotIn(t, "clerk's compile page", body, `action="/staff/reports/publish"`)
		// Without a year the page opens the report due now (2025).
		if got := d.page(t, d.clerk, "/staff/reports"); !strings.Contains(got, `id="report-t3-r3-c3"`) || !strings.Contains(got, "2025年政府信息公开工作年度报告") {
			t.Errorf("default year is not 2025:\n%s", staffExcerpt(got))
		}
		// A year out of range is a field error on the chooser.
		r := d.clerk.get(t, "/staff/reports?year=1999")
		wantStaff(t, "year 1999", r, 422, "")
		wantIn(t, "year 1999", htmlUnescape(r.body), `id="e-year"`, "请选择2019年至2026年之间的年度。")

		// Table 二's figures and the narrative.
		r = d.clerk.post(t, "/staff/reports/figures", url.Values{"year": {"2025"}, "licensing": {"12"}, "penalties": {"3"},
			"enforcement": {"0"}, "charges": {"12.5"}})
		wantStaff(t, "save figures", r, 303, reportPath25)
		d.saveNarrative(t, "2025", "第一版的问题和改进。")

		// An opening balance of 2 自然人 where the cases say 1: the check
		// fails on 二's cell and publishing is refused.
		wantStaff(t, "opening 2", d.saveOpening(t, "2"), 303, reportPath25)
		body = d.page(t, d.pub, reportPath25)
		opening := t3{models.Table3CarriedOver, colPerson}
		if got := cellValue(body, opening.id("report")); got != "2" {
			t.Errorf("二 自然人 with the opening balance = %q, want 2", got)
		}
		if !cellFlagged(body, opening.id("report")) {
			t.Errorf("二 自然人 is not marked as failing a check")
		}
		if cellFlagged(body, t3{models.Table3New, colCommercial}.id("report")) {
			t.Errorf("一 商业企业 is marked though no check is about it")
		}
		wantIn(t, "page with a failing opening balance", body, "手工录入的期初结转数为2件", "暂不能发布")
		for rule, want := range map[models.ReportRule]string{
			models.RuleOpening: "未通过", models.RuleBalance: "未通过", models.RuleLeafSum: "通过", models.RuleColumnSum: "通过",
			models.RuleRemedySum: "通过", models.RuleNonNegative: "通过", models.RuleComplete: "通过",
			models.RuleContinuity: "不适用：2024年度报告未在本平台发布，本项不核对。",
		} {
			if got := identityResult(body, rule); !strings.HasPrefix(got, want) {
				t.Errorf("identity %s: %q, want %q", rule, got, want)
			}
		}
		r = d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}})
		wantStaff(t, "publish with a failing check", r, 422, "")
		wantIn(t, "refused publication", htmlUnescape(r.body), "处未通过核对，不能发布", "手工录入的期初结转数为2件", `href="#f-publish"`)
		if _, err := s.PublishedAnnualReport(context.Background(), d.agency, 2025, 0); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("a refused report was stored: %v", err)
		}

		// Access: the clerk may not publish, the auditor may not even look.
		wantStaff(t, "clerk publishes", d.clerk.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}}), 403, "")
		wantStaff(t, "clerk corrects", d.clerk.post(t, "/staff/reports/correct", url.Values{"year": {"2025"}, "reason": {"x"}}), 403, "")
		for _, p := range []string{"/staff/reports", "/staff/reports/figures", "/staff/reports/narrative", "/staff/reports/opening",
			"/staff/reports/legacy", "/staff/reports/preview.pdf?year=2025"} {
			wantStaff(t, "auditor GET "+p, d.auditor.get(t, p), 403, "")
		}
		wantStaff(t, "auditor publishes", d.auditor.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}}), 403, "")
		wantStaff(t, "anonymous", d.public.get(t, "/staff/reports"), 303, "/staff/login")

		// The opening balance agrees: every check passes and it publishes.
		wantStaff(t, "opening 1", d.saveOpening(t, "1"), 303, reportPath25)
		body = d.page(t, d.pub, reportPath25)
		wantIn(t, "page ready to publish", body, "全部核对通过", `action="/staff/reports/publish"`)
		wantIn(t, "clerk's page ready to publish", d.page(t, d.clerk, reportPath25), "全部核对通过", "请通知信息发布员")
		r = d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}})
		wantStaff(t, "publish", r, 303, reportPath25)
		wantIn(t, "publish flash", flashOf(r), "已发布2025年度")
		pdf1 := d.download(t, "/annual-reports/2025/v1.pdf", "application/pdf")
		xlsx1 := d.download(t, "/annual-reports/2025/v1.xlsx", models.TypeXLSX)
		if got := xlsxTable3Row(t, xlsx1, labelNew); strings.Join(got, " ") != "2 1 0 0 0 0 3" {
			t.Errorf("v1 xlsx 一 = %v, want 2 1 0 0 0 0 3", got)
		}
		wantIn(t, "v1 pdf", pdfText(t, pdf1), "2025年政府信息公开工作年度报告", "第一版的问题和改进。")
		// Publishing twice is refused; the opening balance is now locked.
		r = d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}})
		wantStaff(t, "publish again", r, 409, "")
		wantIn(t, "publish again", htmlUnescape(r.body), "如需修改请发布更正版本")
		r = d.saveOpening(t, "1")
		wantStaff(t, "opening after publishing", r, 409, "")
		wantIn(t, "opening after publishing", htmlUnescape(r.body), "年度报告已经发布，不能再录入")

		// Later edits: a 2025 application filed late, the narrative
		// rewritten. The compiled report changes, the published one not.
		storetest.InsertRows(t, s, d.agency, []storetest.Row{{ApplicantName: "戊", Status: models.StatusAnswered,
			ReceivedOn: ymdDate(t, "2025-06-01"), ClosedOn: ymdDate(t, "2025-06-10"), Outcome: models.OutcomeDisclose, Title: "R5"}})
		d.saveNarrative(t, "2025", "第二版的问题和改进。")
		body = d.page(t, d.pub, reportPath25)
		if got := cellValue(body, t3{models.Table3New, colPerson}.id("report")); got != "3" {
			t.Errorf("compiled 一 自然人 after the late application = %q, want 3", got)
		}
		if got := d.download(t, "/annual-reports/2025/v1.pdf", "application/pdf"); !bytes.Equal(got, pdf1) {
			t.Error("the published PDF changed after the applications did")
		}
		xlsxLater := d.download(t, "/annual-reports/2025/v1.xlsx", models.TypeXLSX)
		if !bytes.Equal(xlsxLater, xlsx1) {
			t.Error("the published XLSX changed after the applications did")
		}
		if got := xlsxTable3Row(t, xlsxLater, labelNew); strings.Join(got, " ") != "2 1 0 0 0 0 3" {
			t.Errorf("v1 xlsx 一 after the edit = %v, want the published 2 1 0 0 0 0 3", got)
		}
		pub := d.page(t, d.public, "/annual-reports/2025/v1")
		if got := cellValue(pub, t3{models.Table3New, colPerson}.id("v1")); got != "2" {
			t.Errorf("public v1 page 一 自然人 = %q, want the published 2", got)
		}

		// A correction needs a reason, kept with the message beside it.
		r = d.pub.post(t, "/staff/reports/correct", url.Values{"year": {"2025"}, "reason": {"   "}})
		wantStaff(t, "correct without a reason", r, 422, "")
		wantIn(t, "correct without a reason", htmlUnescape(r.body), `id="e-reason"`, "请填写更正理由。", `href="#f-reason"`)
		r = d.pub.post(t, "/staff/reports/correct", url.Values{"year": {"2025"}, "reason": {"补录一件2025年6月收到的申请。"}})
		wantStaff(t, "correct", r, 303, reportPath25)
		wantIn(t, "correct flash", flashOf(r), "第2版")
		body = d.page(t, d.pub, reportPath25+"#versions")
		wantIn(t, "versions", section(body, "versions"), "第2版", "第1版", "补录一件2025年6月收到的申请。", "现行版本", "已被第2版更正")

		// Version 2 has the new figures and text, version 1 keeps its own.
		xlsx2 := d.download(t, "/annual-reports/2025/v2.xlsx", models.TypeXLSX)
		if got := xlsxTable3Row(t, xlsx2, labelNew); strings.Join(got, " ") != "3 1 0 0 0 0 4" {
			t.Errorf("v2 xlsx 一 = %v, want 3 1 0 0 0 0 4", got)
		}
		pdf2 := pdfText(t, d.download(t, "/annual-reports/2025/v2.pdf", "application/pdf"))
		wantIn(t, "v2 pdf", pdf2, "第二版的问题和改进。")
		wantNotIn(t, "v2 pdf", pdf2, "第一版的问题和改进。")
		if got := d.download(t, "/annual-reports/2025/v1.pdf", "application/pdf"); !bytes.Equal(got, pdf1) {
			t.Error("version 1's PDF changed with the correction")
		}
	})
}

// download fetches a public file and checks its type.
func (d *reportDesk) download(t *testing.T, path, contentType string) []byte {
	t.Helper()
	req := d.public.get(t, path)
	if req.status != 200 {
		t.Fatalf("GET %s: %d\n%s", path, req.status, staffExcerpt(req.body))
	}
	if !strings.HasPrefix(req.body, "%PDF") && contentType == "application/pdf" {
		t.Fatalf("GET %s is not a PDF", path)
	}
	if !strings.HasPrefix(req.body, "PK") && contentType == models.TypeXLSX {
		t.Fatalf("GET %s is not an XLSX file", path)
	}
	return []byte(req.body)
}

// TestAnnualReportContinuity: with the previous year published, 二 of the
// year must equal that report's 四; a case added to the earlier year
// afterwards breaks the continuity, and the page names the cell.
func TestAnnualReportContinuity(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newReportDesk(t, s, clock)
		insertReportRows(t, s, d.agency)
		d.saveNarrative(t, "2024", "2024年的问题。")
		wantStaff(t, "publish 2024", d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2024"}}), 303, "/staff/reports?year=2024")
		d.saveNarrative(t, "2025", "2025年的问题。")
		body := d.page(t, d.pub, reportPath25)
		wantIn(t, "continuous report", body, "全部核对通过")
		if got := identityResult(body, models.RuleContinuity); got != "通过" {
			t.Errorf("continuity identity: %q, want 通过", got)
		}
		if got := identityResult(body, models.RuleOpening); !strings.HasPrefix(got, "不适用") {
			t.Errorf("opening identity without an opening balance: %q", got)
		}

		// An application received in 2024 and still open, registered after
		// the 2024 report was published: 2025's 二 is now 2, the
		// published 四 of 2024 says 1.
		storetest.InsertRows(t, s, d.agency, []storetest.Row{{ApplicantName: "己", Status: models.StatusProcessing,
			ReceivedOn: ymdDate(t, "2024-11-01"), Title: "late"}})
		body = d.page(t, d.pub, reportPath25)
		carried := t3{models.Table3CarriedOver, colPerson}
		if got := cellValue(body, carried.id("report")); got != "2" {
			t.Errorf("二 自然人 = %q, want 2", got)
		}
		if !cellFlagged(body, carried.id("report")) || !cellFlagged(body, t3{models.Table3CarriedOver, colTotal}.id("report")) {
			t.Error("二 is not marked as breaking the continuity")
		}
		if got := identityResult(body, models.RuleContinuity); !strings.HasPrefix(got, "未通过（第") {
			t.Errorf("continuity identity: %q, want 未通过", got)
		}
		wantIn(t, "broken continuity", section(body, "checks"), "与2024年度报告“四、结转下年度继续办理”的1不一致", `href="#`+carried.id("report")+`"`)
		r := d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}})
		wantStaff(t, "publish a discontinuous report", r, 422, "")
		wantIn(t, "publish a discontinuous report", htmlUnescape(r.body), "与2024年度报告“四、结转下年度继续办理”的1不一致")
	})
}

// TestAnnualReportFormsKeepInput: the figures and opening balance forms
// refuse bad numbers with a message next to each field, keep what was
// typed, and store nothing.
func TestAnnualReportFormsKeepInput(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newReportDesk(t, s, clock)
		ctx := context.Background()

		r := d.clerk.post(t, "/staff/reports/figures", url.Values{"year": {"2025"}, "licensing": {"1.5"}, "penalties": {"-3"},
			"enforcement": {""}, "charges": {"十二万"}})
		wantStaff(t, "bad figures", r, 422, "")
		body := htmlUnescape(r.body)
		wantIn(t, "bad figures", body, `id="e-licensing"`, `id="e-penalties"`, `id="e-enforcement"`, `id="e-charges"`,
			"请填写非负整数，例如0或125。", "请填写数量，没有的填0。", `value="1.5"`, `value="-3"`, `value="十二万"`,
			`href="#f-licensing"`, `aria-invalid="true"`)
		if in, _ := s.ReportInputs(ctx, d.agency, 2025); in.FiguresSet {
			t.Error("bad figures were stored")
		}
		r = d.clerk.post(t, "/staff/reports/figures", url.Values{"year": {"2025"}, "licensing": {"7"}, "penalties": {"0"},
			"enforcement": {"0"}, "charges": {"0.1234567"}})
		wantStaff(t, "too many decimals", r, 422, "")
		wantIn(t, "too many decimals", htmlUnescape(r.body), `id="e-charges"`, `value="0.1234567"`, `value="7"`)

		r = d.clerk.post(t, "/staff/reports/figures", url.Values{"year": {"2025"}, "licensing": {"7"}, "penalties": {"2"},
			"enforcement": {"1"}, "charges": {"0.05"}})
		wantStaff(t, "good figures", r, 303, reportPath25)
		body = d.page(t, d.clerk, reportPath25)
		for label, want := range map[string]string{"行政许可": "7", "行政处罚": "2", "行政强制": "1", "行政事业性收费": "0.05"} {
			if got := cellValue(body, table2ID("report", label)); got != want {
				t.Errorf("table 二 %s = %q, want %q", label, got, want)
			}
		}
		wantIn(t, "figures form", d.page(t, d.clerk, "/staff/reports/figures?year=2025"), `value="7"`, `value="0.05"`)

		v := url.Values{"year": {"2025"}, "person": {"abc"}, "commercial": {"-1"}, "research": {""}, "nonprofit": {"0"},
			"legal": {"0"}, "other_org": {"0"}}
		r = d.clerk.post(t, "/staff/reports/opening", v)
		wantStaff(t, "bad opening", r, 422, "")
		body = htmlUnescape(r.body)
		wantIn(t, "bad opening", body, `id="e-person"`, `id="e-commercial"`, `id="e-research"`, `value="abc"`, `value="-1"`,
			"请填写非负整数，例如0或125。", "请填写数量，没有的填0。", `<option value="2025" selected>`)
		if o, _ := s.OpeningBalance(ctx, d.agency); o != nil {
			t.Errorf("a bad opening balance was stored: %+v", o)
		}
		v.Set("year", "")
		v.Set("person", "1")
		r = d.clerk.post(t, "/staff/reports/opening", v)
		wantStaff(t, "opening without a year", r, 422, "")
		wantIn(t, "opening without a year", htmlUnescape(r.body), `id="e-year"`, `value="1"`)

		// The narrative keeps its text too when it is too long.
		long := strings.Repeat("长", 20001)
		r = d.clerk.post(t, "/staff/reports/narrative", url.Values{"year": {"2025"}, "overview": {"总体。"}, "problems": {long}})
		wantStaff(t, "long narrative", r, 422, "")
		wantIn(t, "long narrative", htmlUnescape(r.body), `id="e-problems"`, "内容过长", ">总体。</textarea>")
	})
}

// TestAnnualReportLegacyImport: a workbook with bad rows is refused with
// every problem by row, and nothing of it is stored, not even its good
// rows; the previous import stays.
func TestAnnualReportLegacyImport(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newReportDesk(t, s, clock)
		ctx := context.Background()
		good := []models.ReportCase{{Ref: "旧-1", ReceivedOn: ymdDate(t, "2024-10-08"), Applicant: models.ApplicantPerson},
			{Ref: "旧-2", ReceivedOn: ymdDate(t, "2024-06-01"), ClosedOn: ymdDate(t, "2024-06-20"), Outcome: models.OutcomeDisclose,
				Applicant: models.ApplicantLegal}}
		var buf bytes.Buffer
		if err := reports.WriteLegacyCasesXLSX(&buf, good); err != nil {
			t.Fatal(err)
		}
		desk := &catalogDesk{app: d.app, s: s, pub: d.clerk}
		r := desk.upload(t, "/staff/reports/legacy", url.Values{}, "历史申请.xlsx", buf.Bytes())
		wantStaff(t, "good import", r, 303, "/staff/reports/legacy")
		wantIn(t, "good import", flashOf(r), "已导入“历史申请.xlsx”中的2件")
		wantIn(t, "legacy page", d.page(t, d.clerk, "/staff/reports/legacy"), "2件，其中尚未办结1件")

		// The same layout with one good row and two bad ones.
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		for cell, value := range map[string]string{"A2": "新-1", "B2": "外星人", "A3": "新-2", "C3": "2024年13月40日", "A4": "新-3", "B4": "自然人",
			"C4": "2023-01-05"} {
			if err := f.SetCellStr(reports.LegacySheet, cell, value); err != nil {
				t.Fatal(err)
			}
		}
		buf.Reset()
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		r = desk.upload(t, "/staff/reports/legacy", url.Values{}, "有误.xlsx", buf.Bytes())
		wantStaff(t, "bad import", r, 422, "")
		body := htmlUnescape(r.body)
		wantIn(t, "bad import", section(body, "f-problems"), "“有误.xlsx”中的问题（没有导入任何内容）", "第2行", "第3行")
		wantNotIn(t, "bad import", section(body, "f-problems"), "第4行")
		cases, err := s.LegacyCases(ctx, d.agency)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, c := range cases {
			refs = append(refs, c.Ref)
		}
		if got := strings.Join(refs, " "); got != "旧-2 旧-1" {
			t.Errorf("after a refused import the cases are %q, want the earlier import 旧-2 旧-1", got)
		}

		// No file at all: a message on the field.
		r = desk.upload(t, "/staff/reports/legacy", url.Values{}, "", nil)
		wantStaff(t, "no file", r, 422, "")
		wantIn(t, "no file", htmlUnescape(r.body), `id="e-file"`, "请选择要导入的Excel文件（.xlsx）。")

		// The template and the export are workbooks.
		for _, p := range []string{"/staff/reports/legacy/template", "/staff/reports/legacy/export"} {
			r := d.clerk.get(t, p)
			if r.status != 200 || !strings.HasPrefix(r.body, "PK") {
				t.Errorf("GET %s: %d, not a workbook", p, r.status)
			}
		}
	})
}

// TestAnnualReportPreview: the unpublished report downloads as the same
// PDF and XLSX the publication would store, from the current data.
func TestAnnualReportPreview(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	d := newReportDesk(t, s, clock)
	insertReportRows(t, s, d.agency)
	r := d.clerk.get(t, "/staff/reports/preview.xlsx?year=2025")
	if r.status != 200 {
		t.Fatalf("preview.xlsx: %d", r.status)
	}
	if got := xlsxTable3Row(t, []byte(r.body), labelNew); strings.Join(got, " ") != "2 1 0 0 0 0 3" {
		t.Errorf("preview xlsx 一 = %v", got)
	}
	r = d.clerk.get(t, "/staff/reports/preview.pdf?year=2025")
	if r.status != 200 || !strings.HasPrefix(r.body, "%PDF") {
		t.Fatalf("preview.pdf: %d", r.status)
	}
	wantIn(t, "preview pdf", pdfText(t, []byte(r.body)), "2025年政府信息公开工作年度报告")
	wantStaff(t, "preview of a year out of range", d.clerk.get(t, "/staff/reports/preview.pdf?year=2040"), 422, "")
}
