package reports

// The 政府信息公开指南 as a PDF (the letter layout: embedded font, A4,
// page numbers) and as an XLSX workbook. Both print models.Guide as it is:
// the text comes from models.BuildGuide, never from here.

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// GuideSheet is the name of the guide's sheet.
const GuideSheet = "政府信息公开指南"

// WriteGuidePDF writes the guide as an A4 PDF: the title, the
// introduction, then each part with its heading, paragraphs, numbered
// lists and label–value tables, and 第 x 页 / 共 n 页 on every page.
// createdAt is written as the creation date, so the same guide gives the
// same bytes. Text the embedded font cannot draw is refused
// (*MissingGlyphsError) before anything is written.
func WriteGuidePDF(out io.Writer, g models.Guide, createdAt time.Time) error {
	if m := MissingGlyphs(g.Text()); len(m) > 0 {
		return &MissingGlyphsError{Runes: m}
	}
	w := newWriter(Letter{Agency: models.Agency{Name: g.Agency}, Title: g.Title, CreatedAt: createdAt,
		Subject: "政府信息公开指南（条例第十二条）"})
	w.font(titleSize, black)
	w.bold(black, func() {
		for _, line := range w.wrap(g.Title, w.width, w.width) {
			w.cell(w.left, w.y, w.width, titleLine, line, "C")
			w.y += titleLine
		}
	})
	w.y += bodyLine / 2
	Paragraph(strings.Join(g.Intro, "\n")).draw(w, 0)
	for _, s := range g.Sections {
		w.guideSection(s, 1)
	}
	w.footers()
	if err := w.pdf.Output(out); err != nil {
		return fmt.Errorf("reports: write guide: %w", err)
	}
	return nil
}

// guideSection draws a part: its heading (bold for the parts 一 to 四),
// kept with the first lines that follow, then its blocks and subsections.
func (w *writer) guideSection(s models.GuideSection, level int) {
	w.y += bodyLine / 3
	w.ensure(3 * bodyLine)
	w.font(bodySize, black)
	indent := 2 * bodySize * mmPerPt
	lines := w.wrap(s.Heading, w.width-indent, w.width)
	draw := func() {
		for i, line := range lines {
			x, width := w.left, w.width
			if i == 0 {
				x, width = x+indent, width-indent
			}
			w.cell(x, w.y, width, bodyLine, line, "L")
			w.y += bodyLine
		}
	}
	if level == 1 {
		w.bold(black, draw)
	} else {
		draw()
	}
	for _, b := range s.Blocks {
		switch b.Kind {
		case models.GuideParagraph:
			Paragraph(b.Text).draw(w, 0)
		case models.GuideList:
			List(b.Items).draw(w, 0)
		case models.GuideFields:
			t := make(Table, len(b.Fields))
			for i, f := range b.Fields {
				t[i] = Field{Label: f.Label, Value: f.Value}
			}
			t.draw(w, 0)
		}
	}
	for _, sub := range s.Subsections {
		w.guideSection(sub, level+1)
	}
}

// GuideXLSXRow is one row of the guide's sheet below the title: the part
// it belongs to and its text. Tests and the encoder share it.
type GuideXLSXRow struct {
	Heading string // the part's heading on the part's first row, else ""
	Label   string // a field's label, or a list item's number
	Text    string
}

// GuideXLSXRows flattens the guide into the rows WriteGuideXLSX writes
// after the title row: the introduction, then for each part a heading row
// and a row per paragraph, list item or field.
func GuideXLSXRows(g models.Guide) []GuideXLSXRow {
	var out []GuideXLSXRow
	for _, p := range g.Intro {
		out = append(out, GuideXLSXRow{Text: p})
	}
	var section func(s models.GuideSection)
	section = func(s models.GuideSection) {
		out = append(out, GuideXLSXRow{Heading: s.Heading})
		for _, b := range s.Blocks {
			switch b.Kind {
			case models.GuideParagraph:
				out = append(out, GuideXLSXRow{Text: b.Text})
			case models.GuideList:
				for i, it := range b.Items {
					out = append(out, GuideXLSXRow{Label: fmt.Sprintf("%d.", i+1), Text: it})
				}
			case models.GuideFields:
				for _, f := range b.Fields {
					out = append(out, GuideXLSXRow{Label: f.Label, Text: f.Value})
				}
			}
		}
		for _, sub := range s.Subsections {
			section(sub)
		}
	}
	for _, s := range g.Sections {
		section(s)
	}
	return out
}

// WriteGuideXLSX writes the guide as a one-sheet workbook: the title in a
// merged first row, then GuideXLSXRows: headings in bold across both
// columns, labels (field names, list numbers) in column A and the text,
// wrapped, in column B.
func WriteGuideXLSX(out io.Writer, g models.Guide) error {
	f := excelize.NewFile()
	defer f.Close()
	sh := GuideSheet
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	font := excelize.Font{Family: "宋体", Size: 11}
	bold := font
	bold.Bold = true
	titleFont := excelize.Font{Family: "宋体", Size: 16, Bold: true}
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			panic(err) // only with a malformed style literal below
		}
		return id
	}
	title := style(&excelize.Style{Font: &titleFont, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	heading := style(&excelize.Style{Font: &bold, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	label := style(&excelize.Style{Font: &font, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top", WrapText: true}})
	body := style(&excelize.Style{Font: &font, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	const textWidth = 90.0
	if err := f.SetColWidth(sh, "A", "A", 16); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	if err := f.SetColWidth(sh, "B", "B", textWidth); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	set := func(cell string, v any, st int) error {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sh, cell, cell, st)
	}
	if err := f.MergeCell(sh, "A1", "B1"); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	if err := set("A1", g.Title, title); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	f.SetRowHeight(sh, 1, 32)
	for i, r := range GuideXLSXRows(g) {
		row := i + 2
		a, b := fmt.Sprintf("A%d", row), fmt.Sprintf("B%d", row)
		var err error
		switch {
		case r.Heading != "":
			if err = f.MergeCell(sh, a, b); err == nil {
				err = set(a, r.Heading, heading)
			}
		case r.Label == "":
			// Paragraphs span both columns, like the text of a page.
			if err = f.MergeCell(sh, a, b); err == nil {
				err = set(a, r.Text, body)
			}
		default:
			if err = set(a, r.Label, label); err == nil {
				err = set(b, r.Text, body)
			}
		}
		if err != nil {
			return fmt.Errorf("reports: guide xlsx row %d: %w", row, err)
		}
		// Excel does not grow merged rows to fit: give each row the
		// height its text needs (a Chinese character is two width units).
		width := textWidth
		if r.Label == "" {
			width += 16
		}
		lines := max(1, int(float64(guideTextUnits(r.Text+r.Heading))/width)+1)
		f.SetRowHeight(sh, row, float64(lines)*15)
	}
	// Print on A4, the two columns scaled to the page's width.
	a4, one, tall := 9, 1, 0
	fit := true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: g.Title, Creator: g.Agency, Subject: "政府信息公开指南（条例第十二条）"}); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	if _, err := f.WriteTo(out); err != nil {
		return fmt.Errorf("reports: guide xlsx: %w", err)
	}
	return nil
}

// guideTextUnits is the width of s in Excel's units: two for a Chinese
// character, one for others.
func guideTextUnits(s string) int {
	n := 0
	for _, r := range s {
		if wide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
