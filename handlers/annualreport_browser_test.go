package handlers

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/handlers/browsertest"
	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// TestAnnualReportInBrowser: the office compiles the 2025 report, enters
// table 二's figures (a bad number first), edits the text, tries a legacy
// workbook with errors, enters an opening balance that disagrees with the
// cases and sees the failing cell; the 信息发布员 cannot publish until the
// clerk corrects it, then publishes; after a late application the
// publisher corrects the report with a reason; the public downloads both
// versions and reads the history. axe-core (WCAG 2.1 A and AA) and the
// 320 px reflow check every page on the way.
func TestAnnualReportInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	base := app.srv.URL
	mkStaffUser(t, s, "jingban", []models.Role{models.RoleOfficeClerk}, nil, false)
	mkStaffUser(t, s, "fabu", []models.Role{models.RolePublisher}, nil, false)
	agency := storetest.DefaultAgency(t, s).ID
	insertReportRows(t, s, agency)

	// The clerk opens the report due now: 2025's.
	clerk := b.NewTab(t)
	staffLogin(t, clerk, base, "jingban", staffPassword)
	clerk.Visit(t, base+"/staff")
	clerk.Click(t, `.staff-nav a[href="/staff/reports"]`)
	clerk.Text(t, "#h-checks")
	if got := clerk.Location(t); got != base+"/staff/reports" {
		t.Fatalf("the nav link leads to %s", got)
	}
	clerk.CheckAccessible(t, "report page, unedited")
	for id, want := range map[string]string{
		t3{models.Table3New, colPerson}.id("report"):            "2",
		t3{models.Table3New, colTotal}.id("report"):             "3",
		t3{models.Table3CarriedOver, colPerson}.id("report"):    "1",
		t3{models.Table3Total, colTotal}.id("report"):           "3",
		t3{models.Table3CarriedForward, colPerson}.id("report"): "1",
	} {
		if got := clerk.Text(t, "#"+id+" .report-value"); got != want {
			t.Errorf("cell %s shows %q, want %q", id, got, want)
		}
	}
	if got := clerk.Text(t, "#checks"); !strings.Contains(got, "“五、存在的主要问题及改进情况”尚未填写") {
		t.Errorf("checks: %q", got)
	}

	// Table 二's figures: a bad number is refused and kept.
	clerk.Visit(t, base+"/staff/reports/figures?year=2025")
	clerk.CheckAccessible(t, "figures form")
	clerk.TypeInto(t, "#f-licensing", "十二")
	clerk.TypeInto(t, "#f-penalties", "3")
	clerk.TypeInto(t, "#f-enforcement", "0")
	clerk.TypeInto(t, "#f-charges", "12.5")
	submitWith(t, clerk, `form[action="/staff/reports/figures"] button[type=submit]`)
	if got := clerk.Text(t, "#e-licensing"); !strings.Contains(got, "请填写非负整数") {
		t.Errorf("licensing error: %q", got)
	}
	if got := clerk.Value(t, "#f-licensing"); got != "十二" {
		t.Errorf("licensing kept as %q", got)
	}
	if got := clerk.Value(t, "#f-charges"); got != "12.5" {
		t.Errorf("charges kept as %q", got)
	}
	clerk.CheckAccessible(t, "figures form with an error")
	setValue(t, clerk, "#f-licensing", "12")
	submitWith(t, clerk, `form[action="/staff/reports/figures"] button[type=submit]`)
	if got := clerk.Text(t, "#"+table2ID("report", "行政事业性收费")+" .report-value"); got != "12.5" {
		t.Errorf("table 二 fees after saving: %q", got)
	}

	// The narrative starts from the generated draft.
	clerk.Visit(t, base+"/staff/reports/narrative?year=2025")
	clerk.CheckAccessible(t, "narrative form")
	if got := clerk.Value(t, "#f-overview"); !strings.Contains(got, "2025年") {
		t.Errorf("overview draft: %q", got)
	}
	clerk.TypeInto(t, "#f-problems", "第一版的问题和改进。")
	submitWith(t, clerk, `form[action="/staff/reports/narrative"] button[type=submit]`)

	// A legacy workbook with a bad row is refused by row.
	var buf bytes.Buffer
	if err := reports.WriteLegacyCasesXLSX(&buf, []models.ReportCase{{Ref: "旧-1", ReceivedOn: ymdDate(t, "2023-03-01"),
		ClosedOn: ymdDate(t, "2023-03-20"), Outcome: models.OutcomeDisclose, Applicant: models.ApplicantPerson}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellStr(reports.LegacySheet, "B2", "外星人")
	bad := filepath.Join(t.TempDir(), "历史申请.xlsx")
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	f.Close()
	clerk.Visit(t, base+"/staff/reports/legacy")
	clerk.CheckAccessible(t, "legacy import page")
	chooseFile(t, clerk, "#f-file", bad)
	submitWith(t, clerk, `form[action="/staff/reports/legacy"] button[type=submit]`)
	if got := clerk.Text(t, "#f-problems"); !strings.Contains(got, "第2行") {
		t.Errorf("legacy problems: %q", got)
	}
	clerk.CheckAccessible(t, "legacy import refused with problems")

	// An opening balance that disagrees with the cases.
	clerk.Visit(t, base+"/staff/reports/opening")
	clerk.CheckAccessible(t, "opening balance form")
	setValue(t, clerk, "#f-year", "2025")
	for _, k := range models.ApplicantKinds {
		v := "0"
		if k == models.ApplicantPerson {
			v = "2"
		}
		clerk.TypeInto(t, "#f-"+string(k), v)
	}
	submitWith(t, clerk, `form[action="/staff/reports/opening"] button[type=submit]`)
	opening := t3{models.Table3CarriedOver, colPerson}.id("report")
	if got := clerk.Text(t, "#"+opening+".report-flagged .report-flag"); !strings.Contains(got, "未通过核对") {
		t.Errorf("the opening balance's cell is not flagged: %q", got)
	}
	clerk.CheckAccessible(t, "report page with a failing check")

	// The publisher cannot publish while it fails.
	pub := b.NewTab(t)
	staffLogin(t, pub, base, "fabu", staffPassword)
	pub.Visit(t, base+"/staff/reports?year=2025")
	if got := pub.Text(t, ".report-blocked"); !strings.Contains(got, "未通过核对") {
		t.Errorf("publisher's page: %q", got)
	}

	// The clerk corrects the opening balance; the publisher publishes.
	clerk.Visit(t, base+"/staff/reports/opening")
	setValue(t, clerk, "#f-person", "1")
	submitWith(t, clerk, `form[action="/staff/reports/opening"] button[type=submit]`)
	if got := clerk.Text(t, "#checks"); !strings.Contains(got, "全部核对通过") {
		t.Fatalf("after correcting the opening balance: %q", got)
	}
	pub.Visit(t, base+"/staff/reports?year=2025")
	pub.CheckAccessible(t, "report ready to publish")
	submitWith(t, pub, `form[action="/staff/reports/publish"] button`)
	if got := pub.Text(t, "main"); !strings.Contains(got, "已发布2025年度政府信息公开工作年度报告") || !strings.Contains(got, "现行第1版") {
		t.Fatalf("after publishing: %s", got)
	}
	pub.CheckAccessible(t, "published report")

	// A late application; the publisher corrects, the reason required.
	storetest.InsertRows(t, s, agency, []storetest.Row{{ApplicantName: "戊", Status: models.StatusAnswered,
		ReceivedOn: ymdDate(t, "2025-06-01"), ClosedOn: ymdDate(t, "2025-06-10"), Outcome: models.OutcomeDisclose, Title: "R5"}})
	pub.Visit(t, base+"/staff/reports?year=2025")
	submitWith(t, pub, `form[action="/staff/reports/correct"] button`)
	if got := pub.Text(t, "#e-reason"); !strings.Contains(got, "请填写更正理由") {
		t.Errorf("correction without a reason: %q", got)
	}
	pub.CheckAccessible(t, "correction refused without a reason")
	pub.TypeInto(t, "#f-reason", "补录一件2025年6月收到的申请。")
	submitWith(t, pub, `form[action="/staff/reports/correct"] button`)
	if got := pub.Text(t, "#versions"); !strings.Contains(got, "第2版") || !strings.Contains(got, "已被第2版更正") {
		t.Fatalf("versions after the correction: %s", got)
	}
	pub.CheckAccessible(t, "corrected report")

	// The public reads the list and downloads both versions.
	visitor := b.NewTab(t)
	visitor.Visit(t, base+"/annual-reports")
	visitor.CheckAccessible(t, "public list of annual reports")
	if got := visitor.Text(t, "main"); !strings.Contains(got, "补录一件2025年6月收到的申请。") || !strings.Contains(got, "现行版本：第2版") {
		t.Errorf("public list: %s", got)
	}
	for _, c := range []struct {
		link, name, newRow string
	}{
		{`a[href="/annual-reports/2025/v1.xlsx"]`, "铁岭市民政局2025年政府信息公开工作年度报告.xlsx", "2 1 0 0 0 0 3"},
		{`a[href="/annual-reports/2025/v2.xlsx"]`, "铁岭市民政局2025年政府信息公开工作年度报告（更正第2版）.xlsx", "3 1 0 0 0 0 4"},
	} {
		got := visitor.ClickDownload(t, c.link)
		if got.Filename != c.name {
			t.Errorf("%s downloads as %q, want %q", c.link, got.Filename, c.name)
		}
		content, err := os.ReadFile(got.Path)
		if err != nil {
			t.Fatal(err)
		}
		if row := xlsxTable3Row(t, content, labelNew); strings.Join(row, " ") != c.newRow {
			t.Errorf("%s: 一 = %v, want %s", c.name, row, c.newRow)
		}
	}
	for _, c := range []struct{ link, text string }{
		{`a[href="/annual-reports/2025/v1.pdf"]`, "第一版的问题和改进。"},
		{`a[href="/annual-reports/2025/v2.pdf"]`, "第一版的问题和改进。"},
	} {
		got := visitor.ClickDownload(t, c.link)
		content, err := os.ReadFile(got.Path)
		if err != nil {
			t.Fatal(err)
		}
		wantIn(t, c.link, pdfText(t, content), "2025年政府信息公开工作年度报告", c.text)
	}
	visitor.Click(t, `a[href="/annual-reports/2025/v1"]`)
	if got := visitor.Text(t, ".report-superseded"); !strings.Contains(got, "本版本已被更正") {
		t.Errorf("version 1's page: %q", got)
	}
	visitor.CheckAccessible(t, "public page of a corrected version")
	visitor.Visit(t, base+"/annual-reports/2025/v2")
	if got := visitor.Text(t, "#"+t3{models.Table3New, colPerson}.id("v2")+" .report-value"); got != "3" {
		t.Errorf("version 2's page: 一 自然人 = %q", got)
	}
	visitor.CheckAccessible(t, "public page of the current version")
}
