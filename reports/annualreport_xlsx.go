package reports

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// Sheet names of the annual report workbook.
const (
	SheetNarrative = "正文"
	SheetTable2    = "表二 主动公开"
	SheetTable3    = "表三 依申请公开"
	SheetTable4    = "表四 复议诉讼"
)

// xlsxTitleRows is how many rows (the report title and the section
// heading) stand above each table.
const xlsxTitleRows = 2

// xlsxSheets names the sheet of each table.
var xlsxSheets = map[int]string{2: SheetTable2, 3: SheetTable3, 4: SheetTable4}

// xlsxColumnWidths are the column widths of each table sheet, in Excel's
// units (about one Latin character; a Chinese character takes two).
var xlsxColumnWidths = map[int][]float64{
	2: {24, 18, 18, 18},
	3: {8, 16, 34, 9, 9, 9, 9, 9, 9, 9},
	4: {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9},
}

const (
	xlsxFont        = "宋体" // SimSun: what Chinese government offices' Excel shows
	xlsxFontSize    = 11.0
	xlsxLinePt      = 15.0 // row height per line of text, points
	xlsxNarrativeW  = 75.0 // width of the 正文 column: fits a portrait A4 page unscaled
	xlsxNarrativeCh = 1.1  // Excel width units a Latin character really takes
)

// WriteAnnualReportXLSX writes r as an XLSX workbook: a 正文 sheet with the
// title and sections 一 to 六 (the table sections point to their sheets),
// and one sheet per table (表二 主动公开, 表三 依申请公开, 表四 复议诉讼)
// with the same merged heading cells as the official format (rules.md
// §3.3–3.5), borders, column widths, frozen headings and a title row.
// Numbers are stored as numbers and every cell holds its value (no
// formulas, whose value a reader without recalculation would not see).
func WriteAnnualReportXLSX(out io.Writer, agency models.Agency, r models.AnnualReport) error {
	f := excelize.NewFile()
	defer f.Close()
	title := models.ReportTitle(agency.Name, r.Year)
	st, err := newXLSXStyles(f)
	if err != nil {
		return fmt.Errorf("reports: annual report xlsx styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", SheetNarrative); err != nil {
		return fmt.Errorf("reports: annual report xlsx: %w", err)
	}
	if err := writeAnnualNarrativeSheet(f, st, title, r); err != nil {
		return fmt.Errorf("reports: annual report xlsx %s: %w", SheetNarrative, err)
	}
	for _, g := range r.Grids() {
		sheet := xlsxSheets[g.Number]
		if _, err := f.NewSheet(sheet); err != nil {
			return fmt.Errorf("reports: annual report xlsx: %w", err)
		}
		if err := writeAnnualTableSheet(f, st, sheet, title, g); err != nil {
			return fmt.Errorf("reports: annual report xlsx %s: %w", sheet, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   title,
		Subject: "政府信息公开工作年度报告（" + models.ReportFormat2021 + "）",
		Creator: agency.Name,
	}); err != nil {
		return fmt.Errorf("reports: annual report xlsx properties: %w", err)
	}
	if _, err := f.WriteTo(out); err != nil {
		return fmt.Errorf("reports: write annual report xlsx: %w", err)
	}
	return nil
}

// xlsxStyles are the cell style ids of the workbook.
type xlsxStyles struct {
	title, heading, paragraph                  int
	header, labelLeft, labelCentre, count, fee int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: xlsxFont, Size: size, Bold: bold}
	}
	centre := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
	body := font(xlsxFontSize, false)
	var s xlsxStyles
	for _, spec := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: font(16, true), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.heading, excelize.Style{Font: font(12, true), Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.paragraph, excelize.Style{Font: body, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.header, excelize.Style{Font: body, Border: border, Fill: grey, Alignment: centre}},
		{&s.labelLeft, excelize.Style{Font: body, Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}}},
		{&s.labelCentre, excelize.Style{Font: body, Border: border, Alignment: centre}},
		{&s.count, excelize.Style{Font: body, Border: border, Alignment: centre, NumFmt: 1}}, // 0
		{&s.fee, excelize.Style{Font: body, Border: border, Alignment: centre}},              // General: every decimal the amount has
	} {
		id, err := f.NewStyle(&spec.style)
		if err != nil {
			return s, err
		}
		*spec.id = id
	}
	return s, nil
}

// gridCellRef returns the A1 reference of a 0-based grid position on a table
// sheet, below the title rows.
func gridCellRef(row, col int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row+1+xlsxTitleRows)
	return name
}

func writeAnnualTableSheet(f *excelize.File, st xlsxStyles, sheet, title string, g models.TableGrid) error {
	widths := xlsxColumnWidths[g.Number]
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(g.Cols)
	for i, text := range []string{title, g.Heading} {
		row := i + 1
		a, b := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)
		if err := f.MergeCell(sheet, a, b); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, a, text); err != nil {
			return err
		}
		style := st.title
		if i == 1 {
			style = st.heading
		}
		if err := f.SetCellStyle(sheet, a, b, style); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 2, 22); err != nil {
		return err
	}

	for _, c := range g.Cells {
		tl, br := gridCellRef(c.Row, c.Col), gridCellRef(c.Row+c.RowSpan-1, c.Col+c.ColSpan-1)
		if tl != br {
			if err := f.MergeCell(sheet, tl, br); err != nil {
				return err
			}
		}
		var err error
		style := st.labelLeft
		switch c.Kind {
		case models.CellCount:
			err, style = f.SetCellInt(sheet, tl, int64(c.Count)), st.count
		case models.CellAmount:
			// 万元 as a decimal number. The float64 nearest an amount of
			// at most 15 significant digits is written back as exactly
			// that amount (shortest round-trip decimal), and
			// models.ParseWanYuan accepts no more digits than that.
			err, style = f.SetCellFloat(sheet, tl, float64(c.Fen)/1e6, -1, 64), st.fee
		default:
			err = f.SetCellStr(sheet, tl, c.Text)
			switch {
			case c.Kind == models.CellHeader || c.Kind == models.CellSection:
				style = st.header
			case c.RowSpan > 1:
				style = st.labelCentre
			}
		}
		if err != nil {
			return err
		}
		// The style goes on every cell of a merged range, so that its
		// border is drawn all round.
		if err := f.SetCellStyle(sheet, tl, br, style); err != nil {
			return err
		}
	}
	for row, h := range xlsxRowHeights(g, widths) {
		if h > xlsxLinePt {
			if err := f.SetRowHeight(sheet, row+1+xlsxTitleRows, h); err != nil {
				return err
			}
		}
	}

	panes := &excelize.Panes{Freeze: true, YSplit: xlsxTitleRows + g.HeaderRows, XSplit: g.LabelCols}
	panes.TopLeftCell = gridCellRef(g.HeaderRows, g.LabelCols)
	panes.ActivePane = "bottomLeft"
	if g.LabelCols > 0 {
		panes.ActivePane = "bottomRight"
	}
	if err := f.SetPanes(sheet, panes); err != nil {
		return err
	}
	return setA4Layout(f, sheet, g.Number == 4)
}

// setA4Layout prints a sheet on A4, one page wide; table 四's fifteen
// columns go on a landscape page.
func setA4Layout(f *excelize.File, sheet string, landscape bool) error {
	size, one, zero, orientation := 9, 1, 0, "portrait" // 9 = A4
	if landscape {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// xlsxTextUnits estimates the width of s in Excel's column units: two for a
// Chinese character, one for anything narrower.
func xlsxTextUnits(s string) float64 {
	u := 0.0
	for _, r := range s {
		if r >= 0x2E80 || strings.ContainsRune("“”‘’—…", r) {
			u += 2
		} else {
			u++
		}
	}
	return u * xlsxNarrativeCh
}

// xlsxLines estimates how many lines s wraps to in a cell width units wide.
func xlsxLines(s string, width float64) int {
	if s == "" {
		return 1
	}
	return max(1, int(math.Ceil(xlsxTextUnits(s)/max(width-1, 1))))
}

// xlsxRowHeights estimates each grid row's height in points: Excel and
// LibreOffice do not grow rows for wrapped text in merged cells, so the
// rows are given the height their longest label needs.
func xlsxRowHeights(g models.TableGrid, widths []float64) []float64 {
	h := make([]float64, g.Rows)
	for i := range h {
		h[i] = xlsxLinePt
	}
	need := func(c models.TableCell) float64 {
		w := 0.0
		for i := c.Col; i < c.Col+c.ColSpan; i++ {
			w += widths[i]
		}
		return float64(xlsxLines(c.Text, w))*xlsxLinePt + 4
	}
	for _, c := range g.Cells {
		if c.RowSpan == 1 {
			h[c.Row] = max(h[c.Row], need(c))
		}
	}
	for _, c := range g.Cells {
		if c.RowSpan > 1 {
			have := 0.0
			for r := c.Row; r < c.Row+c.RowSpan; r++ {
				have += h[r]
			}
			if short := need(c) - have; short > 0 {
				for r := c.Row; r < c.Row+c.RowSpan; r++ {
					h[r] += short / float64(c.RowSpan)
				}
			}
		}
	}
	return h
}

// annualNarrativeRows returns the 正文 sheet's rows: the title, then each section
// heading followed by its paragraphs, one paragraph a row; a table
// section's paragraph names the sheet holding the table. heading reports
// whether the row is a heading.
func annualNarrativeRows(title string, r models.AnnualReport) (rows []string, heading []bool) {
	add := func(s string, h bool) {
		rows = append(rows, s)
		heading = append(heading, h)
	}
	add(title, true)
	body := []string{
		r.Narrative.Overview,
		"见“" + SheetTable2 + "”工作表。",
		"见“" + SheetTable3 + "”工作表。",
		"见“" + SheetTable4 + "”工作表。",
		r.Narrative.Problems,
		joinParagraphs(r.FeeStatement(), r.Narrative.Other),
	}
	for i, h := range models.ReportSectionHeadings {
		add(h, true)
		for _, p := range strings.Split(body[i], "\n") {
			if p = strings.TrimSpace(p); p != "" {
				add(p, false)
			}
		}
	}
	return rows, heading
}

func writeAnnualNarrativeSheet(f *excelize.File, st xlsxStyles, title string, r models.AnnualReport) error {
	sh := SheetNarrative
	if err := f.SetColWidth(sh, "A", "A", xlsxNarrativeW); err != nil {
		return err
	}
	rows, heading := annualNarrativeRows(title, r)
	for i, text := range rows {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(sh, cell, text); err != nil {
			return err
		}
		style, height := st.paragraph, float64(xlsxLines(text, xlsxNarrativeW))*xlsxLinePt+3
		switch {
		case i == 0:
			style, height = st.title, 30
		case heading[i]:
			style, height = st.heading, 22
		}
		if err := f.SetCellStyle(sh, cell, cell, style); err != nil {
			return err
		}
		if err := f.SetRowHeight(sh, i+1, height); err != nil {
			return err
		}
	}
	return setA4Layout(f, sh, false)
}
