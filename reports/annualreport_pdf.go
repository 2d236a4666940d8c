package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"gongkai/models"
)

// Annual report table geometry. Tables 三 and 四 use 9 pt (小五) so that
// their narrow number columns keep every heading readable on a portrait A4
// page; table 二 has room for 10.5 pt (五号).
const (
	reportTableSize  = 9.0
	reportTable2Size = 10.5
	reportCellPad    = 1.0 // mm, on every side of a cell's text
	reportTitleGap   = 6.0 // mm below the title
)

// reportColumnWeights gives each table's column widths in proportion; they
// are scaled to the text width. Table 三: the 三、本年度办理结果 column, the
// group labels, the leaf labels, then seven number columns.
var reportColumnWeights = map[int][]float64{
	2: {45, 40, 40, 40},
	3: {13, 25, 43, 12, 12, 12, 12, 12, 12, 12},
	4: {11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11},
}

// placedCell is a table cell where it was drawn, in millimetres from the
// top-left corner of its page. Tests read the PDF text back and check that
// each cell's text lies inside its box.
type placedCell struct {
	table      int
	cell       models.TableCell
	lines      []string
	page       int
	x, y, w, h float64
}

// WriteAnnualReportPDF writes r as an A4 PDF in the official layout
// (国办公开办函〔2021〕30号): the title 「{机关}{年度}年政府信息公开工作年度报告」,
// sections 一 to 六 in order with the narrative text, tables 二, 三 and 四
// with their merged heading cells (rules.md §3.3–3.5), and 第 x 页 / 共 n 页
// on every page. Section 六 always starts with the fee statement built from
// r.Fees. createdAt is written as the creation date, so the same report
// gives the same bytes. Text the embedded font cannot draw is refused
// (*MissingGlyphsError) before anything is written.
func WriteAnnualReportPDF(out io.Writer, agency models.Agency, r models.AnnualReport, createdAt time.Time) error {
	_, err := writeAnnualReportPDF(out, agency, r, createdAt)
	return err
}

func writeAnnualReportPDF(out io.Writer, agency models.Agency, r models.AnnualReport, createdAt time.Time) ([]placedCell, error) {
	title := models.ReportTitle(agency.Name, r.Year)
	grids := r.Grids()
	if m := MissingGlyphs(annualReportText(title, r, grids)); len(m) > 0 {
		return nil, &MissingGlyphsError{Runes: m}
	}

	// The letter set-up (font, margins, metadata, pinned dates) with an
	// agency that has only a name: no letterhead contacts in the footer,
	// only the page numbers, which footers() adds once the count is known.
	w := newWriter(Letter{
		Agency:    models.Agency{Name: agency.Name},
		Title:     title,
		CreatedAt: createdAt,
		Subject:   "政府信息公开工作年度报告（" + models.ReportFormat2021 + "）",
	})
	pdf := w.pdf
	w.font(titleSize, black)
	w.bold(black, func() {
		for _, line := range w.wrap(title, w.width, w.width) {
			w.cell(w.left, w.y, w.width, titleLine, line, "C")
			w.y += titleLine
		}
	})
	w.y += reportTitleGap

	var placed []placedCell
	n := r.Narrative
	w.reportSection(models.ReportSectionHeadings[0], n.Overview)
	for _, g := range grids {
		placed = append(placed, w.reportTable(g)...)
	}
	w.reportSection(models.ReportSectionHeadings[4], n.Problems)
	w.reportSection(models.ReportSectionHeadings[5], joinParagraphs(r.FeeStatement(), n.Other))
	w.footers()
	if err := pdf.Output(out); err != nil {
		return nil, fmt.Errorf("reports: write annual report: %w", err)
	}
	return placed, nil
}

// annualReportText returns every string the report prints, for the glyph
// check.
func annualReportText(title string, r models.AnnualReport, grids []models.TableGrid) string {
	parts := []string{title, r.Narrative.Overview, r.Narrative.Problems, r.Narrative.Other, r.FeeStatement()}
	parts = append(parts, models.ReportSectionHeadings[:]...)
	for _, g := range grids {
		for _, c := range g.Cells {
			parts = append(parts, c.Text)
		}
	}
	return strings.Join(parts, "")
}

func joinParagraphs(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n")
}

// reportHeading draws a section heading (一级标题): bold, indented two
// characters like the paragraphs under it.
func (w *writer) reportHeading(heading string) {
	if w.y > marginTop {
		w.y += bodyLine / 3
	}
	w.font(bodySize, black)
	indent := 2 * bodySize * mmPerPt
	w.bold(black, func() { w.cell(w.left+indent, w.y, w.width-indent, bodyLine, heading, "L") })
	w.y += bodyLine
}

// reportSection draws a heading and its paragraphs, keeping the heading
// with the first two lines.
func (w *writer) reportSection(heading, text string) {
	w.ensure(3*bodyLine + bodyLine/3)
	w.reportHeading(heading)
	w.font(bodySize, black)
	w.paragraphs(text, 0)
}

// tableLayout is a TableGrid measured for drawing: column edges, row
// heights and each cell's wrapped lines.
type tableLayout struct {
	grid  models.TableGrid
	size  float64 // font size, pt
	line  float64 // line height, mm
	colX  []float64
	rowH  []float64
	lines [][]string
}

func (w *writer) layoutTable(g models.TableGrid) *tableLayout {
	size := reportTableSize
	if g.Number == 2 {
		size = reportTable2Size
	}
	w.font(size, black)
	l := &tableLayout{grid: g, size: size, line: size * mmPerPt * 1.35}
	weights := reportColumnWeights[g.Number]
	if len(weights) != g.Cols {
		weights = make([]float64, g.Cols)
		for i := range weights {
			weights[i] = 1
		}
	}
	total := 0.0
	for _, x := range weights {
		total += x
	}
	l.colX = make([]float64, g.Cols+1)
	for i, x := range weights {
		l.colX[i+1] = l.colX[i] + w.width*x/total
	}

	l.rowH = make([]float64, g.Rows)
	for i := range l.rowH {
		l.rowH[i] = l.line + 2*reportCellPad
	}
	l.lines = make([][]string, len(g.Cells))
	for i, c := range g.Cells {
		l.lines[i] = w.balanced(c.Text, l.colX[c.Col+c.ColSpan]-l.colX[c.Col]-2*reportCellPad)
		if c.RowSpan == 1 {
			l.rowH[c.Row] = max(l.rowH[c.Row], l.cellNeed(i))
		}
	}
	// A merged cell taller than its rows gets the missing height spread
	// over them.
	for i, c := range g.Cells {
		if c.RowSpan > 1 {
			if short := l.cellNeed(i) - l.height(c.Row, c.Row+c.RowSpan); short > 0 {
				for r := c.Row; r < c.Row+c.RowSpan; r++ {
					l.rowH[r] += short / float64(c.RowSpan)
				}
			}
		}
	}
	return l
}

func (l *tableLayout) cellNeed(i int) float64 {
	return float64(len(l.lines[i]))*l.line + 2*reportCellPad
}

// height is the height of rows from to to-1.
func (l *tableLayout) height(from, to int) float64 {
	h := 0.0
	for r := from; r < to; r++ {
		h += l.rowH[r]
	}
	return h
}

// blocks splits the rows after the heading into runs that no merged cell
// crosses: a page may only break between them.
func (l *tableLayout) blocks() [][2]int {
	reach := make([]int, l.grid.Rows)
	for r := range reach {
		reach[r] = r
	}
	for _, c := range l.grid.Cells {
		reach[c.Row] = max(reach[c.Row], c.Row+c.RowSpan-1)
	}
	var bs [][2]int
	for start := l.grid.HeaderRows; start < l.grid.Rows; {
		end := reach[start]
		for r := start; r <= end; r++ {
			end = max(end, reach[r])
		}
		bs = append(bs, [2]int{start, end + 1})
		start = end + 1
	}
	return bs
}

// reportTable draws a section heading and its table. The table starts on a
// new page if it would fit on one but not in the room left; if it breaks
// across pages, it breaks between blocks and repeats its heading rows.
func (w *writer) reportTable(g models.TableGrid) []placedCell {
	l := w.layoutTable(g)
	blocks := l.blocks()
	head := l.height(0, g.HeaderRows)
	first := head
	if len(blocks) > 0 {
		first += l.height(blocks[0][0], blocks[0][1])
	}
	gap := bodyLine / 3
	if whole := bodyLine*4/3 + gap + l.height(0, g.Rows); whole <= w.bottom-marginTop {
		w.ensure(whole)
	} else {
		w.ensure(bodyLine*4/3 + gap + first)
	}
	w.reportHeading(g.Heading)
	w.y += gap

	var placed []placedCell
	placed = append(placed, w.drawRows(l, 0, g.HeaderRows)...)
	for _, b := range blocks {
		if h := l.height(b[0], b[1]); w.y+h > w.bottom && w.y > marginTop+head+0.01 {
			w.newPage()
			placed = append(placed, w.drawRows(l, 0, g.HeaderRows)...)
		}
		placed = append(placed, w.drawRows(l, b[0], b[1])...)
	}
	w.y += gap
	return placed
}

// drawRows draws the cells whose top row is in rows from to to-1, starting
// at the cursor, and moves the cursor below them.
func (w *writer) drawRows(l *tableLayout, from, to int) []placedCell {
	p := w.pdf
	p.SetLineWidth(0.2)
	p.SetDrawColor(0, 0, 0)
	w.font(l.size, black)
	top := w.y
	var placed []placedCell
	for i, c := range l.grid.Cells {
		if c.Row < from || c.Row >= to {
			continue
		}
		x := w.left + l.colX[c.Col]
		y := top + l.height(from, c.Row)
		width := l.colX[c.Col+c.ColSpan] - l.colX[c.Col]
		h := l.height(c.Row, c.Row+c.RowSpan)
		style, align := "D", "C"
		switch c.Kind {
		case models.CellHeader, models.CellSection:
			p.SetFillColor(242, 242, 242)
			style = "FD"
		case models.CellLabel:
			if c.RowSpan == 1 {
				align = "L"
			}
		}
		p.Rect(x, y, width, h, style)
		lines := l.lines[i]
		ty := y + (h-float64(len(lines))*l.line)/2
		for _, s := range lines {
			w.cell(x+reportCellPad, ty, width-2*reportCellPad, l.line, s, align)
			ty += l.line
		}
		placed = append(placed, placedCell{table: l.grid.Number, cell: c, lines: lines, page: p.PageNo(), x: x, y: y, w: width, h: h})
	}
	w.y = top + l.height(from, to)
	return placed
}

// balanced wraps s into as few lines as fit in width, then makes the lines
// as even as it can without adding one: 社会公益组织 in a narrow column
// reads 社会公/益组织 rather than 社会公益/组织.
func (w *writer) balanced(s string, width float64) []string {
	lines := w.wrap(s, width, width)
	if len(lines) < 2 {
		return lines
	}
	for x := w.pdf.GetStringWidth(s) / float64(len(lines)); x < width; x += 0.25 {
		if try := w.wrap(s, x, x); len(try) == len(lines) {
			return try
		}
	}
	return lines
}
