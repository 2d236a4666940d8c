package handlers

// Tables 二, 三 and 四 of the 政府信息公开工作年度报告 as HTML. The cells,
// their verbatim labels and their spans come from models (TableGrid), the
// same grids the PDF and XLSX encoders draw, so no label is written here.
// What this file adds is what a screen reader needs of a table with merged
// headings (WCAG 1.3.1): every heading is a th with a scope, and every
// number names its headings with the headers attribute, computed from the
// grid; and the failed checks of the report, marked on their cells.

import (
	"fmt"
	"strings"

	"gongkai/models"
)

// reportTable is one official table as a page draws it.
type reportTable struct {
	Number  int
	ID      string // the table element's id; the caption's is ID + "-caption"
	Caption string
	Head    [][]reportCell // the rows of column headings (thead)
	Body    [][]reportCell // one slice per grid row: the cells whose top-left corner is in it
}

// reportCell is one cell of a reportTable.
type reportCell struct {
	Header           bool   // th: a heading or a row label
	Scope            string // th only: col, colgroup, row or rowgroup
	ID               string
	Headers          string // td only: the ids of its headings, space-separated
	RowSpan, ColSpan int
	Text             string
	Numeric          bool
	// Checks are the numbers (1-based, as the list of failed checks numbers
	// them) of the failed checks about this cell.
	Checks []int
}

// Flagged reports whether a failed check is about the cell.
func (c reportCell) Flagged() bool { return len(c.Checks) > 0 }

// reportCheck is a failed check as the report page lists it.
type reportCheck struct {
	N       int
	Message string
	// Cell is the id of the first cell it is about, "" when it is about
	// no cell (a missing narrative section, a case left out).
	Cell string
	Rule models.ReportRule
}

// reportIdentity is one check of models.ReportRules with its result, so
// that the page shows every identity, passed or not.
type reportIdentity struct {
	Text   string
	Failed []int // the numbers of the failed checks that break it
	// NotApplicable says why there is nothing to compare, e.g. no report
	// of the year before was published here.
	NotApplicable string
}

// reportIdentities lists every check with the failed checks under it.
// previousPublished says whether the previous year's report was published
// here; opening whether the year uses an opening balance.
func reportIdentities(checks []reportCheck, year int, previousPublished, opening bool) []reportIdentity {
	var out []reportIdentity
	for _, rule := range models.ReportRules {
		id := reportIdentity{Text: rule.Text}
		for _, c := range checks {
			if c.Rule == rule.Rule {
				id.Failed = append(id.Failed, c.N)
			}
		}
		switch {
		case len(id.Failed) > 0:
		case rule.Rule == models.RuleContinuity && !previousPublished:
			id.NotApplicable = fmt.Sprintf("%d年度报告未在本平台发布，本项不核对。", year-1)
		case rule.Rule == models.RuleOpening && !opening:
			id.NotApplicable = "本年度未使用期初结转数，本项不核对。"
		}
		out = append(out, id)
	}
	return out
}

// reportTables lays out tables 二, 三 and 四 of r. prefix keeps the ids of
// the cells unique on the page. Each violation is numbered in order and
// marked on the cells it is about.
func reportTables(r models.AnnualReport, prefix string, violations []models.Violation) ([]reportTable, []reportCheck) {
	checks := make([]reportCheck, len(violations))
	for i, v := range violations {
		checks[i] = reportCheck{N: i + 1, Message: v.Message, Rule: v.Rule}
	}
	var out []reportTable
	for _, g := range r.Grids() {
		out = append(out, reportTableOf(g, prefix, violations, checks))
	}
	return out, checks
}

func reportTableOf(g models.TableGrid, prefix string, violations []models.Violation, checks []reportCheck) reportTable {
	t := reportTable{Number: g.Number, ID: fmt.Sprintf("%s-t%d", prefix, g.Number), Caption: g.Heading}
	cellID := func(c models.TableCell) string { return fmt.Sprintf("%s-r%d-c%d", t.ID, c.Row, c.Col) }
	isHeading := func(c models.TableCell) bool { return c.Kind == models.CellHeader || c.Kind == models.CellSection }
	isValue := func(c models.TableCell) bool { return c.Kind == models.CellCount || c.Kind == models.CellAmount }

	// headingRow[i] says whether grid row i holds nothing but headings:
	// the heading rows at the top, and in table 二 each block's heading.
	headingRow := make([]bool, g.Rows)
	for i := range headingRow {
		headingRow[i] = true
	}
	for _, c := range g.Cells {
		if !isHeading(c) {
			for i := c.Row; i < c.Row+c.RowSpan; i++ {
				headingRow[i] = false
			}
		}
	}

	// headersOf returns the ids of a number's headings: the column
	// headings above it in the nearest run of heading rows, then the row
	// labels to its left.
	headersOf := func(v models.TableCell) string {
		end := v.Row
		for end > 0 && !headingRow[end-1] {
			end--
		}
		start := end
		for start > 0 && headingRow[start-1] {
			start--
		}
		var ids []string
		for _, c := range g.Cells {
			covers := c.Col <= v.Col && v.Col < c.Col+c.ColSpan
			if isHeading(c) && covers && c.Row >= start && c.Row < end {
				ids = append(ids, cellID(c))
			}
		}
		for _, c := range g.Cells {
			covers := c.Row <= v.Row && v.Row < c.Row+c.RowSpan
			if c.Kind == models.CellLabel && covers && c.Col < v.Col {
				ids = append(ids, cellID(c))
			}
		}
		return strings.Join(ids, " ")
	}

	rows := make([][]reportCell, g.Rows)
	for _, c := range g.Cells {
		rc := reportCell{ID: cellID(c), RowSpan: c.RowSpan, ColSpan: c.ColSpan, Text: c.Text}
		switch {
		case isValue(c):
			rc.Numeric = true
			rc.Headers = headersOf(c)
		case c.Kind == models.CellLabel:
			rc.Header, rc.Scope = true, "row"
			if c.RowSpan > 1 {
				rc.Scope = "rowgroup"
			}
		default:
			rc.Header, rc.Scope = true, "col"
			if c.ColSpan > 1 {
				rc.Scope = "colgroup"
			}
		}
		if rc.Numeric {
			for i, v := range violations {
				row, col, ok := g.ViolationCell(v)
				if ok && (row < 0 || row == c.Row) && (col < 0 || col == c.Col) {
					rc.Checks = append(rc.Checks, i+1)
					if checks[i].Cell == "" {
						checks[i].Cell = rc.ID
					}
				}
			}
		}
		rows[c.Row] = append(rows[c.Row], rc)
	}
	t.Head, t.Body = rows[:g.HeaderRows], rows[g.HeaderRows:]
	return t
}

// reportParagraphs splits a narrative section into its paragraphs, one per
// line, without empty ones.
func reportParagraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// reportSection is one of the six sections of the report as a page shows
// it: its heading and either paragraphs or the table of the section.
type reportSection struct {
	Heading    string
	ID         string
	Paragraphs []string
	Table      *reportTable
}

// reportSections lays out the whole report: sections 一, 五 and 六 as
// text (六 starts with the fee statement built from the figures), 二, 三
// and 四 as their tables.
func reportSections(r models.AnnualReport, prefix string, violations []models.Violation) ([]reportSection, []reportCheck) {
	tables, checks := reportTables(r, prefix, violations)
	h := models.ReportSectionHeadings
	out := []reportSection{
		{Heading: h[0], Paragraphs: reportParagraphs(r.Narrative.Overview)},
		{Heading: h[1], Table: &tables[0]},
		{Heading: h[2], Table: &tables[1]},
		{Heading: h[3], Table: &tables[2]},
		{Heading: h[4], Paragraphs: reportParagraphs(r.Narrative.Problems)},
		{Heading: h[5], Paragraphs: append([]string{r.FeeStatement()}, reportParagraphs(r.Narrative.Other)...)},
	}
	for i := range out {
		out[i].ID = fmt.Sprintf("%s-s%d", prefix, i+1)
	}
	return out, checks
}
