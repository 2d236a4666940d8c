package reports

// The 政府信息公开目录 as a document: an XLSX workbook written with
// excelize's StreamWriter (rows go to a temporary file as they come, so an
// export of 100,000 entries writes in flat memory), the importer that reads
// the same columns back, and a PDF table. Every column is
// models.CatalogColumns, so export and import cannot drift apart.

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// CatalogSheet is the name of the catalog's sheet.
const CatalogSheet = "政府信息公开目录"

// CatalogDoc describes a catalog export.
type CatalogDoc struct {
	Agency models.Agency
	// Title defaults to {机关}政府信息公开目录.
	Title string
	// Filter describes the selection (e.g. 类别：规章；年份：2025), printed
	// under the PDF's title; "" for the whole catalog.
	Filter string
	// Today is the day the 效力状态 column is computed for.
	Today models.Date
	// CreatedAt is written as the documents' creation date (PDF metadata
	// and the XLSX properties), so the same data gives the same document.
	CreatedAt time.Time
}

func (d CatalogDoc) title() string {
	if d.Title != "" {
		return d.Title
	}
	return d.Agency.Name + "政府信息公开目录"
}

// CatalogRows yields the entries of an export in order, calling yield once
// per entry and stopping at yield's first error, which it returns (the
// shape of store.EachCatalogEntry).
type CatalogRows func(yield func(*models.CatalogEntry) error) error

// catalogDateFormat is the number format of date cells: the form the
// importer and people both read.
const catalogDateFormat = "yyyy-mm-dd"

// WriteCatalogXLSX writes the entries rows yields as one sheet: a header
// row of models.CatalogColumns (frozen), then one row per
// entry, dates as real dates. It returns the number of entries written.
func WriteCatalogXLSX(out io.Writer, doc CatalogDoc, rows CatalogRows) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", CatalogSheet); err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	font := &excelize.Font{Family: "宋体", Size: 11}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF0F3"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	dateFmt := catalogDateFormat
	date, err := f.NewStyle(&excelize.Style{Font: font, Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(CatalogSheet)
	if err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	cols := models.CatalogColumns
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: head, Value: c.Title}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return 0, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	n := 0
	cells := make([]any, len(cols))
	err = rows(func(e *models.CatalogEntry) error {
		values, dates := models.CatalogRowValues(e, doc.Today), models.CatalogRowDates(e)
		for i, c := range cols {
			if d, ok := dates[c.Key]; ok {
				if d.IsZero() {
					cells[i] = excelize.Cell{StyleID: text}
				} else {
					cells[i] = excelize.Cell{StyleID: date, Value: d.Time(time.UTC)}
				}
				continue
			}
			cells[i] = excelize.Cell{StyleID: text, Value: values[c.Key]}
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return n, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return n, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	props := &excelize.DocProperties{Title: doc.title(), Creator: doc.Agency.Name, Subject: "政府信息公开目录（条例第十二条）"}
	if !doc.CreatedAt.IsZero() {
		props.Created = doc.CreatedAt.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return n, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	if _, err := f.WriteTo(out); err != nil {
		return n, fmt.Errorf("reports: catalog xlsx: %w", err)
	}
	return n, nil
}

// catalogHeaderSearchRows is how far down the importer looks for the
// header row (people put a title or notes above it).
const catalogHeaderSearchRows = 10

// ReadCatalogXLSX reads an import workbook: the sheet named
// 政府信息公开目录 (or else the first sheet), whose header row holds the
// titles of models.CatalogColumns in any order (columns the import does
// not take, and unknown columns, are ignored). It returns one row per
// non-empty data row. When the file or any row is wrong it returns an
// EINVALID error wrapping a *models.ImportError that lists the problems by
// row and column, in Chinese (find it with errors.As).
func ReadCatalogXLSX(r io.Reader, cats models.CatalogCategories) ([]models.CatalogImportRow, error) {
	problems := &models.ImportError{}
	f, rows, err := openImportSheet(r, CatalogSheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer rows.Close()

	byTitle := map[string]models.CatalogColumn{}
	for _, c := range models.CatalogColumns {
		byTitle[c.Title] = c
	}
	var colKeys []string // column index → key, "" to ignore
	var out []models.CatalogImportRow
	rowNum := 0
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns()
		if err != nil {
			problems.Add(models.RowError{Row: rowNum, Message: "该行无法读取。"})
			continue
		}
		if colKeys == nil {
			keys, found := catalogHeader(cells, byTitle)
			if found {
				colKeys = keys
				var missing []string
				have := map[string]bool{}
				for _, k := range keys {
					have[k] = true
				}
				for _, c := range models.CatalogColumns {
					if c.Required && !have[c.Key] {
						missing = append(missing, "“"+c.Title+"”")
					}
				}
				if len(missing) > 0 {
					problems.Add(models.RowError{Row: rowNum, Message: "表头缺少" + strings.Join(missing, "、") + "列。请使用导出的目录文件作为模板。"})
					return nil, problems.Err()
				}
				continue
			}
			if rowNum >= catalogHeaderSearchRows {
				break
			}
			continue
		}
		values := map[string]string{}
		empty := true
		for i, v := range cells {
			if i >= len(colKeys) || colKeys[i] == "" {
				continue
			}
			v = strings.TrimSpace(v)
			if v != "" {
				empty = false
			}
			values[colKeys[i]] = v
		}
		if empty {
			continue
		}
		row, errs := models.ParseCatalogRow(rowNum, values, cats)
		for _, e := range errs {
			problems.Add(e)
		}
		out = append(out, row)
	}
	if colKeys == nil {
		problems.Add(models.RowError{Message: fmt.Sprintf("在前%d行中没有找到表头。表头应包含“名称”“内容概述”“生成日期”“类别”等列，请使用导出的目录文件作为模板。", catalogHeaderSearchRows)})
		return nil, problems.Err()
	}
	if err := rows.Error(); err != nil {
		problems.Add(models.RowError{Message: "读取工作表时出错，文件可能已损坏。"})
	}
	if problems.Count() > 0 {
		return nil, problems.Err()
	}
	if len(out) == 0 {
		problems.Add(models.RowError{Message: "文件中没有可导入的数据行。"})
		return nil, problems.Err()
	}
	return out, nil
}

// catalogHeader reports whether cells are the header row (they name the
// 名称 and 生成日期 columns), and the key of each column.
func catalogHeader(cells []string, byTitle map[string]models.CatalogColumn) ([]string, bool) {
	keys := make([]string, len(cells))
	hits := 0
	for i, v := range cells {
		if c, ok := byTitle[strings.TrimSpace(v)]; ok && c.Import {
			keys[i] = c.Key
			if c.Key == models.ColTitle || c.Key == models.ColGeneratedOn {
				hits++
			}
		}
	}
	return keys, hits == 2
}

// The catalog PDF's table: column titles and widths in millimetres (they
// add up to the text width of the letter layout, 165 mm).
var catalogPDFColumns = []struct {
	title string
	width float64
}{
	{"索引号", 31}, {"名称和内容概述", 58}, {"文号", 22}, {"生成日期", 18}, {"类别", 21}, {"效力状态", 15},
}

// Catalog PDF geometry.
const (
	catalogPDFSize = 9.0 // pt
	catalogPDFPad  = 1.2 // mm
	// MaxCatalogPDFRows is how many entries one PDF lists; beyond that the
	// PDF says how many were left out and points to the XLSX and search.
	MaxCatalogPDFRows = 3000
)

// WriteCatalogPDF writes the entries rows yields as an A4 table: 索引号,
// 名称 with the 内容概述 beneath it, 文号, 生成日期, 类别 and 效力状态, with
// the header row repeated on every page and 第 x 页 / 共 n 页. Characters the
// embedded font lacks are printed as 〓 (the catalog must not fail for one
// rare character in a title). It returns the number of entries rows
// yielded.
func WriteCatalogPDF(out io.Writer, doc CatalogDoc, rows CatalogRows) (int, error) {
	title := doc.title()
	w := newWriter(Letter{Agency: models.Agency{Name: doc.Agency.Name}, Title: title, CreatedAt: doc.CreatedAt,
		Subject: "政府信息公开目录（条例第十二条）"})
	w.font(titleSize, black)
	w.bold(black, func() {
		for _, line := range w.wrap(catalogPrintable(title), w.width, w.width) {
			w.cell(w.left, w.y, w.width, titleLine, line, "C")
			w.y += titleLine
		}
	})
	w.y += 2
	w.font(tableSize, grey)
	sub := "生成日期：" + doc.Today.Chinese()
	if doc.Filter != "" {
		sub += "　筛选条件：" + doc.Filter
	}
	for _, line := range w.wrap(catalogPrintable(sub), w.width, w.width) {
		w.cell(w.left, w.y, w.width, tableLine, line, "C")
		w.y += tableLine
	}
	w.y += 3

	line := catalogPDFSize * mmPerPt * 1.35
	header := func() {
		w.font(catalogPDFSize, black)
		p := w.pdf
		p.SetLineWidth(0.2)
		p.SetDrawColor(0, 0, 0)
		p.SetFillColor(238, 240, 243)
		x := w.left
		h := line + 2*catalogPDFPad
		for _, c := range catalogPDFColumns {
			p.Rect(x, w.y, c.width, h, "FD")
			w.cell(x+catalogPDFPad, w.y+catalogPDFPad, c.width-2*catalogPDFPad, line, c.title, "C")
			x += c.width
		}
		w.y += h
	}
	header()
	n := 0
	err := rows(func(e *models.CatalogEntry) error {
		n++
		if n > MaxCatalogPDFRows {
			return nil
		}
		w.catalogRow(e, doc.Today, line, header)
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("reports: catalog pdf: %w", err)
	}
	w.font(tableSize, black)
	note := fmt.Sprintf("共%d条。", n)
	switch {
	case n == 0:
		note = "没有符合条件的条目。"
	case n > MaxCatalogPDFRows:
		note = fmt.Sprintf("共%d条，本文件列出前%d条。完整目录请下载Excel文件，或在网站上检索。", n, MaxCatalogPDFRows)
	}
	w.y += 2
	w.ensure(tableLine)
	w.cell(w.left, w.y, w.width, tableLine, note, "L")
	w.footers()
	if err := w.pdf.Output(out); err != nil {
		return n, fmt.Errorf("reports: catalog pdf: %w", err)
	}
	return n, nil
}

// catalogRow draws one entry's row, breaking it across pages (with the
// header repeated) when it is taller than the room left and taller than a
// page.
func (w *writer) catalogRow(e *models.CatalogEntry, today models.Date, line float64, header func()) {
	w.font(catalogPDFSize, black)
	name := catalogPrintable(e.Title)
	if s := strings.TrimSpace(e.Summary); s != "" {
		name += "\n" + catalogPrintable(s)
	}
	// The column is narrow: 规章 rather than 第二十条第（一）项·规章.
	category := strings.TrimPrefix(e.CategoryLabel, models.Article20ItemName(1)+"·")
	values := []string{catalogPrintable(e.IndexNo), name, catalogPrintable(e.DocNumber), e.GeneratedOn.String(),
		catalogPrintable(category), e.ValidityOn(today).Label()}
	cols := make([][]string, len(values))
	n := 1
	for i, v := range values {
		width := catalogPDFColumns[i].width - 2*catalogPDFPad
		cols[i] = w.wrap(v, width, width)
		n = max(n, len(cols[i]))
	}
	full := w.bottom - marginTop - (line + 2*catalogPDFPad) // a fresh page below the header
	p := w.pdf
	for first := 0; first < n; {
		need := float64(n-first)*line + 2*catalogPDFPad
		if w.y+need > w.bottom && (need <= full || w.bottom-w.y < line*2+2*catalogPDFPad) {
			w.newPage()
			header()
			w.font(catalogPDFSize, black)
		}
		room := int((w.bottom - w.y - 2*catalogPDFPad) / line)
		k := min(n-first, max(room, 1))
		h := float64(k)*line + 2*catalogPDFPad
		x := w.left
		p.SetLineWidth(0.2)
		p.SetDrawColor(0, 0, 0)
		for i, c := range catalogPDFColumns {
			p.Rect(x, w.y, c.width, h, "D")
			for j := first; j < first+k && j < len(cols[i]); j++ {
				w.cell(x+catalogPDFPad, w.y+catalogPDFPad+float64(j-first)*line, c.width-2*catalogPDFPad, line, cols[i][j], "L")
			}
			x += c.width
		}
		w.y += h
		first += k
	}
}

// catalogPrintable replaces the characters the embedded font lacks with
// 〓, the mark Chinese typesetting uses for a missing character.
func catalogPrintable(s string) string {
	missing := MissingGlyphs(s)
	if len(missing) == 0 {
		return s
	}
	lack := make(map[rune]bool, len(missing))
	for _, r := range missing {
		lack[r] = true
	}
	return strings.Map(func(r rune) rune {
		if lack[r] {
			return '〓'
		}
		return r
	}, s)
}
