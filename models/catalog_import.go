package models

// The catalog as a spreadsheet: the columns the XLSX export writes and the
// import reads back, and the row-by-row parsing of an import with messages
// that name the row and the column. The XLSX mechanics are in reports; the
// upsert is in the store (ImportCatalog). An import never publishes: new
// entries are drafts and go through the pre-publication checks like any
// other.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CatalogColumn is one column of the catalog spreadsheet.
type CatalogColumn struct {
	Key   string // the field name, as FieldError.Field names it
	Title string // the header cell, verbatim
	// Import is false for the columns the export writes for readers and
	// the import ignores (derived or not expressible in a cell).
	Import   bool
	Required bool    // an import needs this column
	Width    float64 // in characters, for the spreadsheet
}

// Catalog spreadsheet column keys.
const (
	ColIndexNo     = "index_no"
	ColTitle       = "title"
	ColSummary     = "summary"
	ColGeneratedOn = "generated_on"
	ColPublisher   = "publisher"
	ColCategory    = "category"
	ColDocNumber   = "doc_number"
	ColEffectiveOn = "effective_on"
	ColAmendedOn   = "amended_on"
	ColRepealedOn  = "repealed_on"
	ColValidity    = "validity"
	ColURL         = "url"
	ColInterprets  = "interprets"
	ColFiles       = "files"
	ColStatus      = "status"
)

// CatalogColumns are the spreadsheet's columns in order. The first four of
// 条例第十二条 (索引、名称、内容概述、生成日期) come first.
var CatalogColumns = []CatalogColumn{
	{Key: ColIndexNo, Title: "索引号", Import: true, Width: 22},
	{Key: ColTitle, Title: "名称", Import: true, Required: true, Width: 40},
	{Key: ColSummary, Title: "内容概述", Import: true, Required: true, Width: 50},
	{Key: ColGeneratedOn, Title: "生成日期", Import: true, Required: true, Width: 12},
	{Key: ColPublisher, Title: "发布机构", Import: true, Width: 18},
	{Key: ColCategory, Title: "类别", Import: true, Required: true, Width: 30},
	{Key: ColDocNumber, Title: "文号", Import: true, Width: 20},
	{Key: ColEffectiveOn, Title: "施行日期", Import: true, Width: 12},
	{Key: ColAmendedOn, Title: "修改日期", Import: true, Width: 12},
	{Key: ColRepealedOn, Title: "废止日期", Import: true, Width: 12},
	{Key: ColValidity, Title: "效力状态", Width: 14},
	{Key: ColURL, Title: "链接", Import: true, Width: 40},
	{Key: ColInterprets, Title: "所解读政策文件的索引号", Import: true, Width: 22},
	{Key: ColFiles, Title: "附件", Width: 30},
	{Key: ColStatus, Title: "状态", Width: 8},
}

// CatalogColumnTitle returns the header of the column with key, or key.
func CatalogColumnTitle(key string) string {
	for _, c := range CatalogColumns {
		if c.Key == key {
			return c.Title
		}
	}
	return key
}

// CatalogRowValues returns the cells of an entry as the spreadsheet writes
// them, keyed by column; dates are left to the caller (CatalogRowDates) so
// that the encoder can write real dates. interprets is the 索引号 of the
// policy the entry interprets.
func CatalogRowValues(e *CatalogEntry, today Date) map[string]string {
	files := make([]string, len(e.Files))
	for i, f := range e.Files {
		files[i] = f.Filename
	}
	interprets := ""
	if e.Interprets != nil {
		interprets = e.Interprets.IndexNo
	}
	return map[string]string{
		ColIndexNo: e.IndexNo, ColTitle: e.Title, ColSummary: e.Summary, ColPublisher: e.Publisher,
		ColCategory: e.CategoryLabel, ColDocNumber: e.DocNumber, ColValidity: e.ValidityOn(today).Label(),
		ColURL: e.URL, ColInterprets: interprets, ColFiles: strings.Join(files, "；"), ColStatus: e.Status.Label(),
	}
}

// CatalogRowDates returns the date cells of an entry, keyed by column.
func CatalogRowDates(e *CatalogEntry) map[string]Date {
	return map[string]Date{
		ColGeneratedOn: e.GeneratedOn, ColEffectiveOn: e.EffectiveOn,
		ColAmendedOn: e.AmendedOn, ColRepealedOn: e.RepealedOn,
	}
}

// RowError is a problem in one row (or, with Row 0, the whole file) of an
// imported spreadsheet.
type RowError struct {
	Row     int    // the spreadsheet's row number, 1-based; 0 for the file
	Column  string // the column's header, "" for the row as a whole
	Message string
}

// String writes the error the way the import page lists it:
// 第5行“生成日期”：……
func (e RowError) String() string {
	switch {
	case e.Row == 0:
		return e.Message
	case e.Column == "":
		return fmt.Sprintf("第%d行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第%d行“%s”：%s", e.Row, e.Column, e.Message)
}

// ImportError is returned when an import is refused; nothing was
// imported. It lists every problem found, up to a limit.
type ImportError struct {
	Problems []RowError
	// More counts the problems left out of Problems.
	More int
}

// MaxImportProblems is how many problems an ImportError lists.
const MaxImportProblems = 200

// Error implements the error interface for the logs: the count and the
// first problems.
func (e *ImportError) Error() string {
	msgs := make([]string, 0, min(len(e.Problems), 3))
	for i, p := range e.Problems {
		if i == 3 {
			break
		}
		msgs = append(msgs, p.String())
	}
	return fmt.Sprintf("import refused: %d problems: %s", len(e.Problems)+e.More, strings.Join(msgs, "；"))
}

// Err returns e as an EINVALID *Error whose message counts the problems,
// so that the web layer answers 422 with a readable message; errors.As
// still finds the *ImportError inside it.
func (e *ImportError) Err() error {
	return &Error{Code: EINVALID, Err: e,
		Message: fmt.Sprintf("文件中有%d处问题，没有导入任何内容。请按提示修改后重新导入。", e.Count())}
}

// Add records a problem, keeping at most MaxImportProblems.
func (e *ImportError) Add(p RowError) {
	if len(e.Problems) >= MaxImportProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, p)
}

// Count returns how many problems were found.
func (e *ImportError) Count() int { return len(e.Problems) + e.More }

// CatalogImportRow is one parsed row of an import.
type CatalogImportRow struct {
	Row   int
	Entry CatalogEntry
	// InterpretsIndexNo is the 索引号 of the policy document the entry
	// interprets: another row of the file or an entry already stored.
	InterpretsIndexNo string
}

// ParseCatalogRow turns the cells of a row, keyed by column key, into an
// entry for import. It checks the cells' form (dates, category); the
// entry's rules are checked by the store with CatalogEntry.Validate, whose
// field errors RowErrorsOf turns into row errors.
func ParseCatalogRow(row int, cells map[string]string, cats CatalogCategories) (CatalogImportRow, []RowError) {
	var errs []RowError
	bad := func(key, msg string) {
		errs = append(errs, RowError{Row: row, Column: CatalogColumnTitle(key), Message: msg})
	}
	date := func(key string) Date {
		s := strings.TrimSpace(cells[key])
		if s == "" {
			return Date{}
		}
		d, err := ParseSheetDate(s)
		if err != nil {
			bad(key, fmt.Sprintf("“%s”不是日期，请写成2026-02-10的形式。", s))
		}
		return d
	}
	r := CatalogImportRow{Row: row, InterpretsIndexNo: strings.TrimSpace(cells[ColInterprets])}
	e := &r.Entry
	e.IndexNo, e.Title, e.Summary = cells[ColIndexNo], cells[ColTitle], cells[ColSummary]
	e.Publisher, e.DocNumber, e.URL = cells[ColPublisher], cells[ColDocNumber], cells[ColURL]
	e.GeneratedOn, e.EffectiveOn = date(ColGeneratedOn), date(ColEffectiveOn)
	e.AmendedOn, e.RepealedOn = date(ColAmendedOn), date(ColRepealedOn)
	e.Normalize()
	if s := strings.TrimSpace(cells[ColCategory]); s != "" {
		if c, ok := cats.Find(s); ok {
			e.Category = c.Code
		} else {
			bad(ColCategory, fmt.Sprintf("没有名为“%s”的类别。请使用导出文件中的类别名称，或先在目录设置中添加该类别。", s))
		}
	}
	return r, errs
}

// RowErrorsOf turns the field errors of err (from CatalogEntry.Validate or
// the store) into errors of row; any other error becomes one row error
// with its user-facing message.
func RowErrorsOf(row int, err error) []RowError {
	fe := FieldErrors(err)
	if len(fe) == 0 {
		return []RowError{{Row: row, Message: ErrorMessage(err)}}
	}
	var out []RowError
	var e *Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			out = append(out, RowError{Row: row, Column: CatalogColumnTitle(f.Field), Message: f.Message})
		}
	}
	return out
}

// ParseSheetDate reads a date as spreadsheets hold it: 2026-02-10,
// 2026/2/10, 2026.2.10, 2026年2月10日, or an Excel serial day number
// (46063 is 2026-02-10).
func ParseSheetDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if isSerial(s) {
		if len(s) == 8 && !strings.Contains(s, ".") { // 20260210
			return ParseDate(s[:4] + "-" + s[4:6] + "-" + s[6:])
		}
		n, err := strconv.ParseFloat(s, 64)
		// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900
		// that never was, so day numbers from 61 on are one too high.
		if err != nil || n < 61 || n > 2958465 {
			return Date{}, fmt.Errorf("parse date %q: serial out of range", s)
		}
		return NewDate(1899, time.December, 30).AddDays(int(n)), nil
	}
	r := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) != 3 {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(strings.TrimSpace(parts[0]))
	m, err2 := strconv.Atoi(strings.TrimSpace(parts[1]))
	d, err3 := strconv.Atoi(strings.TrimSpace(parts[2]))
	if err1 != nil || err2 != nil || err3 != nil || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	dt := NewDate(y, time.Month(m), d)
	if dt.Day() != d {
		return Date{}, fmt.Errorf("parse date %q: no such day", s)
	}
	return dt, nil
}

// isSerial reports whether s is a number as a spreadsheet stores a date:
// digits, optionally with one decimal point (a time of day).
func isSerial(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		return false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CatalogImportResult says what an import did.
type CatalogImportResult struct {
	Created   int // new drafts
	Updated   int // existing entries changed
	Unchanged int
	// Unpublished counts published entries whose change raised a finding
	// that is not cleared: they went back to draft.
	Unpublished int
}
