package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

var catalogCreated = time.Date(2026, 2, 10, 1, 30, 0, 0, time.UTC)

func catalogTestAgency() models.Agency {
	return models.Agency{ID: 1, Code: "TLMZ", Name: "铁岭市民政局", OfficeName: "铁岭市民政局办公室",
		OfficeAddress: "辽宁省铁岭市银州区示例路1号", OfficeHours: "周一至周五", Phone: "024-72000000",
		ReconsiderationBody: "铁岭市人民政府", Court: "铁岭市银州区人民法院", LetterPrefix: "铁民公开"}
}

func catalogTestCats() models.CatalogCategories {
	return append(models.CatalogCategories(models.BuiltinCategories()),
		models.CatalogCategory{Code: "c1", Label: "社会救助", Custom: true})
}

// catalogTestEntries are entries as the store returns them: resolved
// categories, files, links.
func catalogTestEntries() []*models.CatalogEntry {
	d := models.MustParseDate
	cats := catalogTestCats()
	es := []*models.CatalogEntry{
		{ID: 1, IndexNo: "TLMZ/2025-00001", Title: "铁岭市最低生活保障审核确认办法", Summary: "规定最低生活保障的申请、审核和确认程序。\n第二段。",
			GeneratedOn: d("2025-03-01"), Publisher: "铁岭市民政局", Category: models.CategoryNormative, DocNumber: "铁民发〔2025〕3号",
			EffectiveOn: d("2025-04-01"), AmendedOn: d("2025-09-01"), URL: "https://mzj.tieling.gov.cn/a.html", Status: models.CatalogPublished,
			Files: []models.CatalogFile{{Filename: "办法.pdf"}, {Filename: "附表.xlsx"}}},
		{ID: 2, IndexNo: "TLMZ/2025-00002", Title: "《铁岭市最低生活保障审核确认办法》解读", Summary: "图文解读。",
			GeneratedOn: d("2025-03-01"), Publisher: "铁岭市民政局", Category: models.CategoryNormative, InterpretsID: 1,
			Interprets: &models.CatalogEntryLink{ID: 1, IndexNo: "TLMZ/2025-00001"}, Status: models.CatalogPublished},
		{ID: 3, IndexNo: "TLMZ/2024-00007", Title: "关于印发临时救助实施细则的通知", Summary: "已被新细则替代。",
			GeneratedOn: d("2024-06-01"), Publisher: "铁岭市民政局 铁岭市财政局", Category: models.CategoryNormative,
			DocNumber: "铁民发〔2024〕9号", RepealedOn: d("2025-12-31"), Status: models.CatalogPublished},
		{ID: 4, IndexNo: "TLMZ/2026-00001", Title: "2025年12月城乡低保统计数据", Summary: "各县（市、区）低保人数和资金。",
			GeneratedOn: d("2026-01-15"), Publisher: "铁岭市民政局", Category: "c1", Status: models.CatalogPublished},
	}
	for _, e := range es {
		cats.Resolve(e)
	}
	return es
}

func rowsOf(es []*models.CatalogEntry) CatalogRows {
	return func(yield func(*models.CatalogEntry) error) error {
		for _, e := range es {
			if err := yield(e); err != nil {
				return err
			}
		}
		return nil
	}
}

func catalogTestDoc() CatalogDoc {
	return CatalogDoc{Agency: catalogTestAgency(), Today: models.MustParseDate("2026-02-10"), CreatedAt: catalogCreated}
}

func mustCatalogXLSX(t *testing.T, es []*models.CatalogEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := WriteCatalogXLSX(&buf, catalogTestDoc(), rowsOf(es))
	if err != nil {
		t.Fatal(err)
	}
	if n != len(es) {
		t.Fatalf("wrote %d rows, want %d", n, len(es))
	}
	return buf.Bytes()
}

func TestWriteCatalogXLSX(t *testing.T) {
	es := catalogTestEntries()
	f, err := excelize.OpenReader(bytes.NewReader(mustCatalogXLSX(t, es)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != CatalogSheet {
		t.Fatalf("sheets = %v", got)
	}
	rows, err := f.GetRows(CatalogSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(es)+1 {
		t.Fatalf("rows = %d, want %d", len(rows), len(es)+1)
	}
	for i, c := range models.CatalogColumns {
		if rows[0][i] != c.Title {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], c.Title)
		}
	}
	today := models.MustParseDate("2026-02-10")
	for r, e := range es {
		values, dates := models.CatalogRowValues(e, today), models.CatalogRowDates(e)
		for i, c := range models.CatalogColumns {
			want := values[c.Key]
			if d, ok := dates[c.Key]; ok {
				want = d.String()
			}
			got := ""
			if i < len(rows[r+1]) {
				got = rows[r+1][i]
			}
			if got != want {
				t.Errorf("row %d %s = %q, want %q", r+2, c.Title, got, want)
			}
		}
	}
	// Spot checks of what the row values hold.
	if got := rows[1][10]; got != "现行有效（已修改）" {
		t.Errorf("效力状态 = %q", got)
	}
	if got := rows[2][12]; got != "TLMZ/2025-00001" {
		t.Errorf("解读 = %q", got)
	}
	if got := rows[3][10]; got != "已废止" {
		t.Errorf("repealed 效力状态 = %q", got)
	}
	if got := rows[1][13]; got != "办法.pdf；附表.xlsx" {
		t.Errorf("附件 = %q", got)
	}
	if got := rows[4][5]; got != "社会救助" {
		t.Errorf("类别 = %q", got)
	}
	// Dates are real dates, not text.
	if typ, _ := f.GetCellType(CatalogSheet, "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("生成日期 stored as text (%v)", typ)
	}
	props, _ := f.GetDocProps()
	if props.Title != "铁岭市民政局政府信息公开目录" {
		t.Errorf("title = %q", props.Title)
	}
}

// TestCatalogXLSXRoundTrip: what the export writes, the import reads back.
func TestCatalogXLSXRoundTrip(t *testing.T) {
	es := catalogTestEntries()
	got, err := ReadCatalogXLSX(bytes.NewReader(mustCatalogXLSX(t, es)), catalogTestCats())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(es) {
		t.Fatalf("read %d rows, want %d", len(got), len(es))
	}
	for i, e := range es {
		r := got[i]
		g := r.Entry
		if r.Row != i+2 {
			t.Errorf("row number = %d, want %d", r.Row, i+2)
		}
		if g.IndexNo != e.IndexNo || g.Title != e.Title || g.Summary != e.Summary || g.GeneratedOn != e.GeneratedOn ||
			g.Publisher != e.Publisher || g.Category != e.Category || g.DocNumber != e.DocNumber ||
			g.EffectiveOn != e.EffectiveOn || g.AmendedOn != e.AmendedOn || g.RepealedOn != e.RepealedOn || g.URL != e.URL {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+2, g, *e)
		}
		want := ""
		if e.Interprets != nil {
			want = e.Interprets.IndexNo
		}
		if r.InterpretsIndexNo != want {
			t.Errorf("row %d interprets = %q, want %q", i+2, r.InterpretsIndexNo, want)
		}
	}
}

// sheetWith writes a workbook with the given rows on one sheet.
func sheetWith(t *testing.T, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadCatalogXLSXErrors(t *testing.T) {
	cats := catalogTestCats()
	head := []any{"说明：本表由某系统导出"}
	header := []any{"名称", "内容概述", "生成日期", "类别", "备注（忽略）", "索引号"}
	t.Run("row problems", func(t *testing.T) {
		b := sheetWith(t, "目录", [][]any{head, {}, header,
			{"办法", "概述", "2025-03-01", "规章", "x", "TLMZ/2025-00001"},
			{"办法二", "概述", "2025年13月1日", "规章"},
			{},
			{"办法三", "概述", "2025-03-02", "没有这个类别"},
			{"办法四", "概述", 45717, "第二十条第（一）项·行政规范性文件"}, // a date serial: 2025-03-01
		})
		_, err := ReadCatalogXLSX(bytes.NewReader(b), cats)
		var ie *models.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v, want *ImportError", err)
		}
		var got []string
		for _, p := range ie.Problems {
			got = append(got, p.String())
		}
		want := []string{
			"第5行“生成日期”：“2025年13月1日”不是日期，请写成2026-02-10的形式。",
			"第7行“类别”：没有名为“没有这个类别”的类别。请使用导出文件中的类别名称，或先在目录设置中添加该类别。",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("header found below notes, serial dates", func(t *testing.T) {
		b := sheetWith(t, "任意", [][]any{head, header,
			{"办法四", "概述", 45717, "第二十条第（一）项·行政规范性文件"}})
		rows, err := ReadCatalogXLSX(bytes.NewReader(b), cats)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Row != 3 || rows[0].Entry.GeneratedOn.String() != "2025-03-01" || rows[0].Entry.Category != models.CategoryNormative {
			t.Errorf("rows = %+v", rows)
		}
	})
	for _, tt := range []struct {
		name string
		file []byte
		msg  string
	}{
		{"not xlsx", []byte("名称,内容概述\n"), "无法读取该文件"},
		{"no header", sheetWith(t, "目录", [][]any{{"a", "b"}, {"c", "d"}}), "没有找到表头"},
		{"missing column", sheetWith(t, "目录", [][]any{{"名称", "生成日期", "类别"}, {"x", "2025-01-01", "规章"}}), "表头缺少“内容概述”列"},
		{"no rows", sheetWith(t, "目录", [][]any{header}), "没有可导入的数据行"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCatalogXLSX(bytes.NewReader(tt.file), cats)
			var ie *models.ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || !strings.Contains(ie.Problems[0].String(), tt.msg) {
				t.Errorf("err = %v, want a problem mentioning %q", err, tt.msg)
			}
		})
	}
}

// TestCatalogXLSXStreamsLargeExports writes 10,000 and then 100,000
// entries and checks that the heap does not grow with the number of rows:
// rows go to the stream writer's temporary file, not to memory.
func TestCatalogXLSXStreamsLargeExports(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 110,000 rows")
	}
	proto := catalogTestEntries()[0]
	peakFor := func(n int) (uint64, int64) {
		var peak uint64
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		rows := func(yield func(*models.CatalogEntry) error) error {
			e := *proto
			for i := 0; i < n; i++ {
				e.ID = int64(i + 1)
				e.IndexNo = fmt.Sprintf("TLMZ/2025-%05d", i+1)
				if err := yield(&e); err != nil {
					return err
				}
				if i%5000 == 4999 {
					runtime.GC() // live memory, not garbage awaiting collection
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc-min(ms.HeapAlloc, base))
				}
			}
			return nil
		}
		cw := &countingWriter{}
		got, err := WriteCatalogXLSX(cw, catalogTestDoc(), rows)
		if err != nil || got != n {
			t.Fatalf("wrote %d rows: %v", got, err)
		}
		return peak, cw.n
	}
	small, _ := peakFor(10000)
	large, size := peakFor(100000)
	t.Logf("heap growth while streaming: 10,000 rows %.1f MB, 100,000 rows %.1f MB (file %.1f MB)",
		float64(small)/(1<<20), float64(large)/(1<<20), float64(size)/(1<<20))
	if large > small+24<<20 {
		t.Errorf("heap grew with the rows: %d MB for 10,000, %d MB for 100,000; want flat", small>>20, large>>20)
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func catalogPDFText(t *testing.T, pdf []byte) (string, int) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found: install poppler-utils to check the PDF text")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	info, _ := exec.Command("pdfinfo", path).Output()
	pages := 0
	for _, line := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(line, "Pages:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "Pages:")), "%d", &pages)
		}
	}
	return strings.Join(strings.Fields(string(out)), ""), pages
}

func TestWriteCatalogPDF(t *testing.T) {
	es := catalogTestEntries()
	// A summary far longer than a page, to be broken across pages.
	long := *es[3]
	long.ID, long.IndexNo, long.Title = 5, "TLMZ/2026-00002", "很长的条目"
	long.Summary = strings.Repeat("各县（市、区）低保人数和资金情况。", 220)
	es = append(es, &long)
	var buf bytes.Buffer
	n, err := WriteCatalogPDF(&buf, catalogTestDoc(), rowsOf(es))
	if err != nil {
		t.Fatal(err)
	}
	if n != len(es) {
		t.Errorf("n = %d", n)
	}
	var again bytes.Buffer
	WriteCatalogPDF(&again, catalogTestDoc(), rowsOf(es))
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same catalog gave different bytes")
	}
	text, pages := catalogPDFText(t, buf.Bytes())
	if pages < 3 {
		t.Errorf("pages = %d, want the long row to run over several pages", pages)
	}
	for _, want := range []string{
		"铁岭市民政局政府信息公开目录", "生成日期：2026年2月10日", "索引号", "名称和内容概述", "效力状态",
		"TLMZ/2025-00001", "铁岭市最低生活保障审核确认办法", "铁民发〔2025〕3号", "2025-03-01", "现行有效（已修改）",
		"已废止", "社会救助", "共5条。", fmt.Sprintf("第1页/共%d页", pages),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if got := strings.Count(text, "名称和内容概述"); got != pages {
		t.Errorf("header printed %d times on %d pages", got, pages)
	}
}

func TestWriteCatalogPDFRareCharacterAndLimit(t *testing.T) {
	if m := MissingGlyphs("〓"); len(m) != 0 {
		t.Fatal("the font lacks 〓, the mark for missing characters")
	}
	e := *catalogTestEntries()[3]
	e.Title = "关于𠀀字的说明" // U+20000, beyond what gofpdf can draw
	var buf bytes.Buffer
	if _, err := WriteCatalogPDF(&buf, catalogTestDoc(), rowsOf([]*models.CatalogEntry{&e})); err != nil {
		t.Fatal(err)
	}
	text, _ := catalogPDFText(t, buf.Bytes())
	if !strings.Contains(text, "关于〓字的说明") {
		t.Errorf("PDF text lacks the substituted title: %s", text)
	}
}

// catalogSoffice converts path with LibreOffice into dir/out, skipping the
// test when LibreOffice is not installed.
func catalogSoffice(t *testing.T, path, to string) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not found: install libreoffice-calc-nogui to check that LibreOffice opens the XLSX")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	outDir := filepath.Join(filepath.Dir(path), "out")
	// A private profile: parallel conversions would fight over a shared one.
	profile := "file://" + filepath.Join(t.TempDir(), "lo-profile")
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation="+profile,
		"--convert-to", to, "--outdir", outDir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
	}
	return outDir
}

func TestCatalogXLSXLibreOffice(t *testing.T) {
	es := catalogTestEntries()
	path := filepath.Join(t.TempDir(), "catalog.xlsx")
	if err := os.WriteFile(path, mustCatalogXLSX(t, es), 0o600); err != nil {
		t.Fatal(err)
	}
	out := catalogSoffice(t, path, "csv:Text - txt - csv (StarCalc):44,34,76,1")
	b, err := os.ReadFile(filepath.Join(out, "catalog.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(es)+1 || rows[0][0] != "索引号" || rows[1][1] != es[0].Title || rows[1][3] != "2025-03-01" || rows[3][9] != "2025-12-31" {
		t.Errorf("LibreOffice read back:\n%q", rows)
	}
	out = catalogSoffice(t, path, "pdf")
	if st, err := os.Stat(filepath.Join(out, "catalog.pdf")); err != nil || st.Size() == 0 {
		t.Errorf("LibreOffice wrote no PDF: %v", err)
	}
}

var _ io.Writer = (*countingWriter)(nil)
