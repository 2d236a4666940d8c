package reports

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

var today = models.MustParseDate("2026-11-20")

// TestLegacyCasesRoundTrip writes cases (every outcome, open and closed)
// and reads them back.
func TestLegacyCasesRoundTrip(t *testing.T) {
	var cases []models.ReportCase
	for i, o := range models.Outcomes {
		cases = append(cases, models.ReportCase{Ref: "旧" + string(rune('A'+i)), Applicant: models.ApplicantKinds[i%6],
			ReceivedOn: models.MustParseDate("2025-11-01").AddDays(i), ClosedOn: models.MustParseDate("2026-01-05").AddDays(i), Outcome: o.Outcome})
	}
	cases = append(cases, models.ReportCase{Ref: "旧-open", Applicant: models.ApplicantLegal, ReceivedOn: models.MustParseDate("2025-12-31")})
	var buf bytes.Buffer
	if err := WriteLegacyCasesXLSX(&buf, cases); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLegacyCasesXLSX(bytes.NewReader(buf.Bytes()), today)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cases) {
		t.Fatalf("read %d cases, want %d", len(got), len(cases))
	}
	for i := range cases {
		w, g := cases[i], got[i]
		// The sheet keeps the outcome's row; the outcome read back is
		// the row's plainest outcome.
		if g.Ref != w.Ref || g.Applicant != w.Applicant || g.ReceivedOn != w.ReceivedOn || g.ClosedOn != w.ClosedOn || g.Outcome.Row() != w.Outcome.Row() {
			t.Errorf("row %d: got %+v, want %+v", i+2, g, w)
		}
	}

	// An empty list is the template: a header and the guide.
	buf.Reset()
	if err := WriteLegacyCasesXLSX(&buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !slices.Equal(f.GetSheetList(), []string{LegacySheet, legacyGuideSheet}) {
		t.Errorf("sheets = %v", f.GetSheetList())
	}
	if v, _ := f.GetCellValue(LegacySheet, "E1"); v != "办理结果" {
		t.Errorf("E1 = %q", v)
	}
}

// legacyWorkbook builds a workbook from rows of text cells (a title row
// above the header, as people add).
func legacyWorkbook(t *testing.T, rows ...[]any) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "历史申请登记表")
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

// TestReadLegacyCasesForms reads the ways people write dates, kinds and
// outcomes.
func TestReadLegacyCasesForms(t *testing.T) {
	header := []any{"收到申请日期", "编号", "申请人类型", "办结日期", "办理结果", "备注"}
	got, err := ReadLegacyCasesXLSX(legacyWorkbook(t, header,
		[]any{"2025/12/30", "L1", "自然人", "2026年1月8日", "（三）不予公开 1.属于国家秘密", "x"},
		[]any{time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), "L2", "法律服务机构", "2025-12-20", "(三)不予公开1、属于国家秘密"},
		[]any{"2025-11-03", "L3", "其他", "2025.12.01", "部分公开"},
		[]any{"2025-11-04", "L4", "商业企业", "2025-11-30", "申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请"},
		[]any{"2025-11-05", "L5", "科研机构", "2025-11-30", "不予处理（重复申请）"},
		[]any{"2025-11-06", "L6", "社会公益组织", "2025-11-30", "disclose"},
		[]any{"2025-11-07", "L7", "自然人", "", ""},
		[]any{},
		[]any{"2025-11-08", "L8", "自然人", "2025-11-30", "（六）其他处理 3.其他"},
	), today)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ref     string
		kind    models.ApplicantKind
		recv    string
		closed  string
		outcome models.ReportRow
	}{
		{"L1", models.ApplicantPerson, "2025-12-30", "2026-01-08", models.RowWithheldSecret},
		{"L2", models.ApplicantLegal, "2025-12-01", "2025-12-20", models.RowWithheldSecret},
		{"L3", models.ApplicantOtherOrg, "2025-11-03", "2025-12-01", models.RowPartial},
		{"L4", models.ApplicantCommercial, "2025-11-04", "2025-11-30", models.RowOtherNoCorrection},
		{"L5", models.ApplicantResearch, "2025-11-05", "2025-11-30", models.RowNotProcessedRepeat},
		{"L6", models.ApplicantNonprofit, "2025-11-06", "2025-11-30", models.RowDisclosed},
		{"L7", models.ApplicantPerson, "2025-11-07", "", 0},
		{"L8", models.ApplicantPerson, "2025-11-08", "2025-11-30", models.RowOtherOther},
	}
	if len(got) != len(want) {
		t.Fatalf("read %d cases, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		closed := ""
		if !g.ClosedOn.IsZero() {
			closed = g.ClosedOn.String()
		}
		if g.Ref != w.ref || g.Applicant != w.kind || g.ReceivedOn.String() != w.recv || closed != w.closed || g.Outcome.Row() != w.outcome {
			t.Errorf("%s: got %+v (row %d)", w.ref, g, g.Outcome.Row())
		}
	}
}

// TestReadLegacyCasesErrors lists every problem by row and column, in
// Chinese, and returns nothing.
func TestReadLegacyCasesErrors(t *testing.T) {
	header := []any{"编号", "申请人类型", "收到申请日期", "办结日期", "办理结果"}
	cases, err := ReadLegacyCasesXLSX(legacyWorkbook(t, header,
		[]any{"", "自然人", "2025-12-01", "", ""},
		[]any{"X2", "个人", "2025-12-01", "", ""},
		[]any{"X3", "自然人", "", "", ""},
		[]any{"X4", "自然人", "2025-13-01", "", ""},
		[]any{"X5", "自然人", "2025-12-10", "2025-12-01", "予以公开"},
		[]any{"X6", "自然人", "2025-12-10", "", "予以公开"},
		[]any{"X7", "自然人", "2025-12-10", "2025-12-20", ""},
		[]any{"X8", "自然人", "2025-12-10", "2025-12-20", "差不多公开了"},
		[]any{"X2", "自然人", "2025-12-10", "", ""},
		[]any{"X10", "自然人", "2027-01-01", "", ""},
		[]any{"X11", "自然人", "2025-12-10", "2025-12-12", "予以公开"}, // fine, but nothing is imported
	), today)
	if cases != nil {
		t.Errorf("cases returned despite errors: %d", len(cases))
	}
	if models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("err = %v", err)
	}
	var ie *models.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("no ImportError in %v", err)
	}
	var got []string
	for _, p := range ie.Problems {
		got = append(got, p.String())
	}
	wantParts := []string{
		"第3行“编号”：请填写编号",
		"第4行“申请人类型”：应为“自然人”",
		"第5行“收到申请日期”：请填写收到申请之日",
		"第6行“收到申请日期”：日期格式不正确",
		"第7行“办结日期”：办结日期（2025年12月1日）早于收到申请日期（2025年12月10日）",
		"第8行“办理结果”：尚未办结的申请",
		"第9行“办理结果”：已办结的申请请填写办理结果",
		"第10行“办理结果”：无法识别",
		"第11行“编号”：与第4行的编号相同",
		"第12行“收到申请日期”：日期（2027年1月1日）晚于今天",
	}
	if len(got) != len(wantParts) {
		t.Errorf("got %d problems:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, w := range wantParts {
		if i >= len(got) || !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i, at(got, i), w)
		}
	}

	for _, tc := range []struct {
		name string
		r    *bytes.Reader
		want string
	}{
		{"not xlsx", bytes.NewReader([]byte("hello")), "无法读取该文件"},
		{"no header", legacyWorkbook(t, []any{"a", "b"}), "没有找到表头"},
		{"missing column", legacyWorkbook(t, []any{"编号", "收到申请日期"}), "表头缺少“申请人类型”、“办结日期”、“办理结果”列"},
		{"no rows", legacyWorkbook(t, header), "没有可导入的数据行"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadLegacyCasesXLSX(tc.r, today)
			var ie *models.ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || !strings.Contains(ie.Problems[0].String(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// TestRenderAnnualReport renders both files and refuses a character the
// font lacks with a message the office can act on.
func TestRenderAnnualReport(t *testing.T) {
	agency := models.Agency{Name: "铁岭市民政局"}
	r := models.ComputeAnnualReport(2025, nil, nil, nil, models.CatalogCounts{}, models.ProactiveFigures{}, models.FeeFigures{})
	r.Narrative = models.Narrative{Overview: "总体情况。", Problems: "问题。"}
	pdf, xlsx, err := RenderAnnualReport(agency, r, time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) || !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("render: %d %d %v", len(pdf), len(xlsx), err)
	}
	r.Narrative.Problems = "问题\U0001F600。"
	if _, _, err := RenderAnnualReport(agency, r, time.Now()); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("missing glyph: %v", err)
	}
}
