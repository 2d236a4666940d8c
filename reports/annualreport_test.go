package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// testAnnualReport is a consistent 2026 report built by hand, with a
// different number in almost every cell of table 三 so that a number in the
// wrong cell shows.
func testAnnualReport(t testing.TB) models.AnnualReport {
	t.Helper()
	r := models.AnnualReport{Format: models.ReportFormat2021, Year: 2026}
	t3 := &r.Table3
	for row := models.RowDisclosed; row <= models.RowOtherOther; row++ {
		if row == models.RowWithheldSecret {
			continue // a row of zeros, as most agencies have
		}
		for c := range models.ApplicantColumns {
			t3[models.Table3Index(row)][c] = int(row)*10 + c
		}
	}
	for c := range models.ApplicantColumns {
		for i := models.Table3Index(models.RowDisclosed); i <= models.Table3Index(models.RowOtherOther); i++ {
			t3[models.Table3Total][c] += t3[i][c]
		}
		t3[models.Table3CarriedOver][c] = 3 + c
		t3[models.Table3CarriedForward][c] = 5 + 2*c
		t3[models.Table3New][c] = t3[models.Table3Total][c] + t3[models.Table3CarriedForward][c] - t3[models.Table3CarriedOver][c]
	}
	for i := range models.Table3Rows {
		for c := range models.ApplicantColumns {
			t3[i][models.Table3TotalCol] += t3[i][c]
		}
	}
	r.Table4 = models.RemedyTable{3, 1, 2, 4, 10, 1, 0, 1, 2, 4, 0, 2, 0, 1, 3}
	r.Table2 = models.ProactiveTable{
		Catalog: models.CatalogCounts{Normative: models.CatalogLine{Issued: 5, Repealed: 2, InForce: 38}},
		Figures: models.ProactiveFigures{Licensing: 1234, Penalties: 56, Enforcement: 7, ChargesFen: 12_345_600},
	}
	r.Fees = models.FeeFigures{Notices: 3, BilledFen: 45000, CollectedFen: 30050}
	r.Narrative = models.DraftNarrative(testAgency(t), r)
	r.Narrative.Problems = "2026年，本机关政府信息公开工作仍存在一些不足：一是依申请公开答复的规范性有待提高；二是主动公开内容的更新还不够及时。\n" +
		"2027年，本机关将加强业务培训，规范答复文书，并建立主动公开信息定期更新机制。"
	if v := r.Check(nil); len(v) > 0 {
		t.Fatalf("test report is inconsistent: %v", v)
	}
	return r
}

// pinnedReport is the creation time written into test reports.
var pinnedReport = time.Date(2027, 1, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func mustWriteAnnualPDF(t testing.TB, r models.AnnualReport) ([]byte, []placedCell) {
	t.Helper()
	var buf bytes.Buffer
	placed, err := writeAnnualReportPDF(&buf, testAgency(t), r, pinnedReport)
	if err != nil {
		t.Fatalf("WriteAnnualReportPDF: %v", err)
	}
	return buf.Bytes(), placed
}

func TestWriteAnnualReportPDFText(t *testing.T) {
	r := testAnnualReport(t)
	pdf, placed := mustWriteAnnualPDF(t, r)
	path := mustSaveTemp(t, pdf)

	info := strings.Join(strings.Fields(mustRun(t, "pdfinfo", "-isodates", path)), " ")
	for _, want := range []string{"Pages: 3", "(A4)", "Title: 铁岭市民政局2026年政府信息公开工作年度报告", "CreationDate: 2027-01-20T02:00:00Z"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}

	text := squeeze(mustRun(t, "pdftotext", "-layout", path, "-"), nil)
	var want []string
	want = append(want, "铁岭市民政局2026年政府信息公开工作年度报告")
	want = append(want, models.ReportSectionHeadings[:]...)
	for p := 1; p <= 3; p++ {
		want = append(want, fmt.Sprintf("第%d页/共%d页", p, 3))
	}
	for _, s := range strings.Split(r.Narrative.Overview+"\n"+r.Narrative.Problems+"\n"+r.FeeStatement()+"\n"+r.Narrative.Other, "\n") {
		want = append(want, squeeze(s, nil))
	}
	// Every label of tables 二, 三 and 四, line by line as wrapped in its
	// cell, and every number.
	labels := 0
	for _, pc := range placed {
		for _, line := range pc.lines {
			want = append(want, squeeze(line, nil))
		}
		if pc.cell.Kind != models.CellCount && pc.cell.Kind != models.CellAmount {
			labels++
		}
	}
	if labels != 20+40+19 {
		t.Errorf("%d label cells drawn, want 79 (20 in table 二, 40 in 三, 19 in 四)", labels)
	}
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("pdftotext: %q missing", s)
		}
	}
	// Spot checks of whole rows as pdftotext -layout lays them out.
	for _, row := range []string{
		"一、本年新收政府信息公开申请数量" + concatInts(r.Table3[models.Table3New][:]),
		"（七）总计" + concatInts(r.Table3[models.Table3Total][:]),
		"四、结转下年度继续办理" + concatInts(r.Table3[models.Table3CarriedForward][:]),
		concatInts(r.Table4[:]),
		"行政许可1234", "行政事业性收费12.3456", "行政规范性文件5238",
	} {
		if !strings.Contains(text, row) {
			t.Errorf("pdftotext: row %q missing", row)
		}
	}
}

func concatInts(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// bboxWord is a word pdftotext -bbox found, in points from the top left of
// its page.
type bboxWord struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	bboxPage   = regexp.MustCompile(`<page width=`)
	bboxWordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

func parseBBox(t *testing.T, out string) []bboxWord {
	t.Helper()
	var words []bboxWord
	pages := bboxPage.Split(out, -1)
	for p, chunk := range pages[1:] {
		for _, m := range bboxWordRE.FindAllStringSubmatch(chunk, -1) {
			w := bboxWord{page: p + 1, text: html.UnescapeString(m[5])}
			for i, dst := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
				v, err := strconv.ParseFloat(m[i+1], 64)
				if err != nil {
					t.Fatalf("bbox: %v", err)
				}
				*dst = v
			}
			words = append(words, w)
		}
	}
	return words
}

// TestWriteAnnualReportPDFCells reads the words back with their positions
// and checks, cell for cell, that the text inside each drawn box of tables
// 二, 三 and 四 is exactly the cell's label or number, that every cell of
// every grid was drawn, and that no other text lies inside a table.
func TestWriteAnnualReportPDFCells(t *testing.T) {
	r := testAnnualReport(t)
	pdf, placed := mustWriteAnnualPDF(t, r)
	path := mustSaveTemp(t, pdf)
	words := parseBBox(t, mustRun(t, "pdftotext", "-bbox", path, "-"))
	const pt = 72 / 25.4

	drawn := map[[3]int]bool{} // table, row, col
	used := make([]bool, len(words))
	for _, pc := range placed {
		drawn[[3]int{pc.table, pc.cell.Row, pc.cell.Col}] = true
		var in []int
		for i, w := range words {
			cx, cy := (w.xMin+w.xMax)/2/pt, (w.yMin+w.yMax)/2/pt
			if w.page == pc.page && cx > pc.x && cx < pc.x+pc.w && cy > pc.y && cy < pc.y+pc.h {
				in = append(in, i)
				used[i] = true
			}
		}
		sort.Slice(in, func(a, b int) bool {
			wa, wb := words[in[a]], words[in[b]]
			if d := wa.yMin - wb.yMin; d < -1 || d > 1 {
				return d < 0
			}
			return wa.xMin < wb.xMin
		})
		var got strings.Builder
		for _, i := range in {
			got.WriteString(words[i].text)
		}
		if want := squeeze(pc.cell.Text, nil); squeeze(got.String(), nil) != want {
			t.Errorf("table %d cell (%d,%d) on page %d reads %q, want %q", pc.table, pc.cell.Row, pc.cell.Col, pc.page, got.String(), want)
		}
	}
	for _, g := range r.Grids() {
		for _, c := range g.Cells {
			if !drawn[[3]int{g.Number, c.Row, c.Col}] {
				t.Errorf("table %d cell (%d,%d) %q not drawn", g.Number, c.Row, c.Col, c.Text)
			}
		}
	}
	// Tables are boxes: any word inside a table's outline must belong to a
	// cell.
	type box struct {
		page           int
		x0, y0, x1, y1 float64
	}
	outline := map[[2]int]*box{}
	for _, pc := range placed {
		k := [2]int{pc.table, pc.page}
		b := outline[k]
		if b == nil {
			b = &box{pc.page, pc.x, pc.y, pc.x + pc.w, pc.y + pc.h}
			outline[k] = b
		}
		b.x0, b.y0 = min(b.x0, pc.x), min(b.y0, pc.y)
		b.x1, b.y1 = max(b.x1, pc.x+pc.w), max(b.y1, pc.y+pc.h)
	}
	for i, w := range words {
		cx, cy := (w.xMin+w.xMax)/2/pt, (w.yMin+w.yMax)/2/pt
		for _, b := range outline {
			if !used[i] && w.page == b.page && cx > b.x0 && cx < b.x1 && cy > b.y0 && cy < b.y1 {
				t.Errorf("page %d: stray word %q inside a table", w.page, w.text)
			}
		}
	}
	mustFitGrid(t, placed)
}

// mustFitGrid checks that the drawn boxes form each table's grid: every
// box starting in grid column c has the same left edge, every box ending
// in it the same right edge, one column's right edge is the next one's
// left edge, and likewise for rows on a page. So a merged cell covers
// exactly the cells of its span, and a cell drawn in the wrong place shows.
func mustFitGrid(t *testing.T, placed []placedCell) {
	t.Helper()
	type key struct{ table, page, i int }
	edges := func(name string, lo, hi func(pc placedCell) (int, float64)) {
		start, end := map[key]float64{}, map[key]float64{}
		check := func(m map[key]float64, k key, v float64, what string) {
			if old, ok := m[k]; ok && (old-v > 0.01 || v-old > 0.01) {
				t.Errorf("table %d page %d: %s %d %s at %.2f and %.2f mm", k.table, k.page, name, k.i, what, old, v)
			}
			m[k] = v
		}
		for _, pc := range placed {
			i, v := lo(pc)
			check(start, key{pc.table, pc.page, i}, v, "starts")
			j, w := hi(pc)
			check(end, key{pc.table, pc.page, j}, w, "ends")
		}
		for k, v := range end {
			if next, ok := start[key{k.table, k.page, k.i + 1}]; ok && (next-v > 0.01 || v-next > 0.01) {
				t.Errorf("table %d page %d: %s %d ends at %.2f mm, %s %d starts at %.2f mm", k.table, k.page, name, k.i, v, name, k.i+1, next)
			}
			if s, ok := start[k]; !ok || v <= s {
				t.Errorf("table %d page %d: %s %d has no width", k.table, k.page, name, k.i)
			}
		}
	}
	edges("column",
		func(pc placedCell) (int, float64) { return pc.cell.Col, pc.x },
		func(pc placedCell) (int, float64) { return pc.cell.Col + pc.cell.ColSpan - 1, pc.x + pc.w })
	edges("row",
		func(pc placedCell) (int, float64) { return pc.cell.Row, pc.y },
		func(pc placedCell) (int, float64) { return pc.cell.Row + pc.cell.RowSpan - 1, pc.y + pc.h })
}

func TestWriteAnnualReportPDFReproducible(t *testing.T) {
	r := testAnnualReport(t)
	a, _ := mustWriteAnnualPDF(t, r)
	b, _ := mustWriteAnnualPDF(t, r)
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same report differ")
	}
}

func TestWriteAnnualReportPDFMissingGlyph(t *testing.T) {
	r := testAnnualReport(t)
	r.Narrative.Other = "联系人：王𠀀" // U+20000, beyond the BMP
	var buf bytes.Buffer
	err := WriteAnnualReportPDF(&buf, testAgency(t), r, pinnedReport)
	if _, ok := err.(*MissingGlyphsError); !ok {
		t.Fatalf("err = %v, want *MissingGlyphsError", err)
	}
	if buf.Len() > 0 {
		t.Errorf("wrote %d bytes before refusing", buf.Len())
	}
}

// TestWriteAnnualReportPDFLongNarrative checks that long sections flow
// over pages and that the tables still start whole on a page.
func TestWriteAnnualReportPDFLongNarrative(t *testing.T) {
	r := testAnnualReport(t)
	r.Narrative.Overview = strings.Repeat(r.Narrative.Overview+"\n", 12)
	pdf, placed := mustWriteAnnualPDF(t, r)
	pages := map[int]map[int]bool{} // table → pages
	for _, pc := range placed {
		if pages[pc.table] == nil {
			pages[pc.table] = map[int]bool{}
		}
		pages[pc.table][pc.page] = true
		if pc.y+pc.h > pageNumberTop-4+0.01 {
			t.Errorf("table %d cell (%d,%d) reaches %.1f mm, into the footer", pc.table, pc.cell.Row, pc.cell.Col, pc.y+pc.h)
		}
	}
	for table, ps := range pages {
		if len(ps) != 1 {
			t.Errorf("table %d is split over pages %v", table, ps)
		}
	}
	path := mustSaveTemp(t, pdf)
	info := mustRun(t, "pdfinfo", path)
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count:\n%s", info)
	}
	n, _ := strconv.Atoi(m[1])
	text := squeeze(mustRun(t, "pdftotext", "-layout", path, "-"), nil)
	if want := fmt.Sprintf("第%d页/共%d页", n, n); n < 4 || !strings.Contains(text, want) {
		t.Errorf("%d pages, footer %q present: %v", n, want, strings.Contains(text, want))
	}
}

// TestWriteAnnualReportPDFRender rasterises every page and saves the images
// when ANNUAL_REPORT_PNG names a directory, for looking at by eye; it
// always checks that pdftoppm can render the file.
func TestWriteAnnualReportPDFRender(t *testing.T) {
	pdf, _ := mustWriteAnnualPDF(t, testAnnualReport(t))
	path := mustSaveTemp(t, pdf)
	dir := os.Getenv("ANNUAL_REPORT_PNG")
	if dir == "" {
		dir = t.TempDir()
	}
	mustRun(t, "pdftoppm", "-r", "100", "-png", path, filepath.Join(dir, "annual"))
	for p := 1; p <= 3; p++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("annual-%d.png", p))); err != nil {
			t.Errorf("page %d not rendered: %v", p, err)
		}
	}
}

func mustWriteAnnualXLSX(t testing.TB, r models.AnnualReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteAnnualReportXLSX(&buf, testAgency(t), r); err != nil {
		t.Fatalf("WriteAnnualReportXLSX: %v", err)
	}
	return buf.Bytes()
}

// sheetMatrix is what a table sheet must hold: the title, the heading, and
// each grid cell's text in its top-left corner, the rest of a merged range
// empty.
func sheetMatrix(title string, g models.TableGrid) [][]string {
	m := make([][]string, xlsxTitleRows+g.Rows)
	for i := range m {
		m[i] = make([]string, g.Cols)
	}
	m[0][0], m[1][0] = title, g.Heading
	for _, c := range g.Cells {
		m[xlsxTitleRows+c.Row][c.Col] = c.Text
	}
	return m
}

func sheetMerges(g models.TableGrid) []string {
	last, _ := excelize.ColumnNumberToName(g.Cols)
	merges := []string{"A1:" + last + "1", "A2:" + last + "2"}
	for _, c := range g.Cells {
		if c.RowSpan > 1 || c.ColSpan > 1 {
			merges = append(merges, gridCellRef(c.Row, c.Col)+":"+gridCellRef(c.Row+c.RowSpan-1, c.Col+c.ColSpan-1))
		}
	}
	slices.Sort(merges)
	return merges
}

func TestWriteAnnualReportXLSX(t *testing.T) {
	r := testAnnualReport(t)
	f, err := excelize.OpenReader(bytes.NewReader(mustWriteAnnualXLSX(t, r)))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer f.Close()
	title := models.ReportTitle("铁岭市民政局", 2026)

	if got, want := f.GetSheetList(), []string{"正文", "表二 主动公开", "表三 依申请公开", "表四 复议诉讼"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != title || props.Creator != "铁岭市民政局" {
		t.Errorf("doc props %+v, %v", props, err)
	}

	for _, g := range r.Grids() {
		sheet := xlsxSheets[g.Number]
		t.Run(sheet, func(t *testing.T) {
			want := sheetMatrix(title, g)
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want) {
				t.Errorf("%d rows, want %d", len(rows), len(want))
			}
			// GetRows reads the cells as stored: a merged range holds its
			// value in the top-left cell only.
			for i := range want {
				for j := range want[i] {
					got := ""
					if i < len(rows) && j < len(rows[i]) {
						got = rows[i][j]
					}
					if got != want[i][j] {
						name, _ := excelize.CoordinatesToCellName(j+1, i+1)
						t.Errorf("%s = %q, want %q", name, got, want[i][j])
					}
				}
				if i < len(rows) && len(rows[i]) > g.Cols {
					t.Errorf("row %d has %d cells, want at most %d", i+1, len(rows[i]), g.Cols)
				}
			}

			// Numbers are numbers; labels are text.
			for _, c := range g.Cells {
				name := gridCellRef(c.Row, c.Col)
				typ, err := f.GetCellType(sheet, name)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := f.GetCellValue(sheet, name, excelize.Options{RawCellValue: true})
				switch c.Kind {
				case models.CellCount, models.CellAmount:
					if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
						t.Errorf("%s %q stored as type %v, want a number", name, c.Text, typ)
					}
					if raw != c.Text {
						t.Errorf("%s raw value %q, want %q", name, raw, c.Text)
					}
				default:
					if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s %q stored as type %v, want text", name, c.Text, typ)
					}
				}
				// Every cell of a merged range carries the style, so the
				// border is drawn all round.
				br := gridCellRef(c.Row+c.RowSpan-1, c.Col+c.ColSpan-1)
				s1, _ := f.GetCellStyle(sheet, name)
				s2, _ := f.GetCellStyle(sheet, br)
				if s1 == 0 || s1 != s2 {
					t.Errorf("%s style %d, %s style %d; want the same non-default style", name, s1, br, s2)
				}
			}

			merged, err := f.GetMergeCells(sheet)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range merged {
				got = append(got, m.GetStartAxis()+":"+m.GetEndAxis())
			}
			slices.Sort(got)
			if want := sheetMerges(g); !slices.Equal(got, want) {
				t.Errorf("merged ranges\ngot  %v\nwant %v", got, want)
			}

			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != xlsxTitleRows+g.HeaderRows || panes.XSplit != g.LabelCols {
				t.Errorf("panes %+v, want frozen at row %d column %d", panes, xlsxTitleRows+g.HeaderRows, g.LabelCols)
			}
			for i, w := range xlsxColumnWidths[g.Number] {
				col, _ := excelize.ColumnNumberToName(i + 1)
				if got, _ := f.GetColWidth(sheet, col); got != w {
					t.Errorf("column %s width %v, want %v", col, got, w)
				}
			}
		})
	}

	t.Run("正文", func(t *testing.T) {
		want, _ := annualNarrativeRows(title, r)
		cols, err := f.GetCols(SheetNarrative)
		if err != nil || len(cols) != 1 {
			t.Fatalf("正文 has %d columns (%v), want 1", len(cols), err)
		}
		if !slices.Equal(cols[0], want) {
			t.Errorf("正文\ngot  %q\nwant %q", cols[0], want)
		}
		for _, s := range []string{r.FeeStatement(), "见“表三 依申请公开”工作表。", models.ReportSectionHeadings[4]} {
			if !slices.Contains(cols[0], s) {
				t.Errorf("正文 lacks %q", s)
			}
		}
	})
}

// TestWriteAnnualReportXLSXLibreOffice converts the workbook with
// LibreOffice, as CI does: to PDF, and to one UTF-8 CSV per sheet, whose
// cells must be the table cell for cell.
func TestWriteAnnualReportXLSXLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not found: install libreoffice-calc-nogui to check that LibreOffice opens the XLSX")
	}
	r := testAnnualReport(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, mustWriteAnnualXLSX(t, r), 0o600); err != nil {
		t.Fatal(err)
	}
	convert := func(to string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		// Each conversion gets its own profile: parallel runs would
		// otherwise fight over one.
		profile := "file://" + filepath.Join(t.TempDir(), "lo-profile")
		cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation="+profile,
			"--convert-to", to, "--outdir", filepath.Join(dir, "out"), path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
		}
	}

	convert("pdf")
	pdf := filepath.Join(dir, "out", "report.pdf")
	if st, err := os.Stat(pdf); err != nil || st.Size() == 0 {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := squeeze(mustRun(t, "pdftotext", pdf, "-"), nil)
		for _, s := range []string{"三、本年度办理结果", "未经复议直接起诉", "行政事业性收费", "12.3456"} {
			if !strings.Contains(text, s) {
				t.Errorf("LibreOffice PDF lacks %q", s)
			}
		}
	}

	// 44,34,76: comma, double quote, UTF-8; the last token -1 writes every
	// sheet to its own file.
	convert("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
	title := models.ReportTitle("铁岭市民政局", 2026)
	for _, g := range r.Grids() {
		sheet := xlsxSheets[g.Number]
		b, err := os.ReadFile(filepath.Join(dir, "out", "report-"+sheet+".csv"))
		if err != nil {
			t.Fatalf("CSV of %s: %v", sheet, err)
		}
		got, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("CSV of %s: %v", sheet, err)
		}
		want := sheetMatrix(title, g)
		if !equalMatrix(got, want) {
			t.Errorf("%s as LibreOffice reads it:\ngot  %q\nwant %q", sheet, got, want)
		}
	}
}

func equalMatrix(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}

// TestXLSXAmountExact checks that an amount in 万元 stored as an XLSX
// number (a float64 written as its shortest decimal, as excelize's
// SetCellFloat with precision -1 does) prints as the exact amount.
func TestXLSXAmountExact(t *testing.T) {
	for _, fen := range []int64{0, 1, 10, 350_000, 12_345_600, 123_456_789_012, 999_999_999_999_999, 100_000_000_000_001} {
		got := strconv.FormatFloat(float64(fen)/1e6, 'f', -1, 64)
		if want := models.FormatWanYuan(fen); got != want {
			t.Errorf("%d 分 as an XLSX number reads %s, want %s", fen, got, want)
		}
	}
}

func BenchmarkWriteAnnualReportPDF(b *testing.B) {
	r := testAnnualReport(b)
	a := testAgency(b)
	for b.Loop() {
		if err := WriteAnnualReportPDF(&bytes.Buffer{}, a, r, pinnedReport); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteAnnualReportXLSX(b *testing.B) {
	r := testAnnualReport(b)
	a := testAgency(b)
	for b.Loop() {
		if err := WriteAnnualReportXLSX(&bytes.Buffer{}, a, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnnualReportOutputs is what a download of both files costs.
func BenchmarkAnnualReportOutputs(b *testing.B) {
	r := testAnnualReport(b)
	a := testAgency(b)
	for b.Loop() {
		if err := WriteAnnualReportPDF(&bytes.Buffer{}, a, r, pinnedReport); err != nil {
			b.Fatal(err)
		}
		if err := WriteAnnualReportXLSX(&bytes.Buffer{}, a, r); err != nil {
			b.Fatal(err)
		}
	}
}
