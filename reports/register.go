package reports

// The case register (台账, issue 8): the applications a staff search
// selects, one row each, as an XLSX workbook written with excelize's
// StreamWriter. Rows go into the sheet as the store's cursor yields them
// and the writer spills them to a temporary file, so an export of 100,000
// applications runs in bounded memory (BENCHMARKS.md): excelize keeps at
// most one 16 MiB chunk of the sheet in memory, and the zip is written to
// the output as it is made.

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// RegisterSheet is the name of the register's sheet.
const RegisterSheet = "申请台账"

// RegisterDoc describes a register export.
type RegisterDoc struct {
	Agency models.Agency
	// Criteria says what the search selected (ApplicationQuery.Describe),
	// written in the workbook's properties.
	Criteria string
	// Unmasked is set when the applicants' names are shown in full.
	Unmasked bool
	// CreatedAt is written as the workbook's creation date.
	CreatedAt time.Time
}

// RegisterRows yields the rows of a register in order, calling yield once
// per row and stopping at yield's first error, which it returns (the
// shape of store.EachRegisterRow). yield must not keep the row.
type RegisterRows func(yield func(*models.RegisterRow) error) error

// WriteRegisterXLSX writes the register rows yields as one sheet: a frozen
// header of models.RegisterColumns, then one row per application, dates
// as real dates. It returns the number of rows written.
func WriteRegisterXLSX(out io.Writer, doc RegisterDoc, rows RegisterRows) (int, error) {
	fail := func(n int, err error) (int, error) { return n, fmt.Errorf("reports: register xlsx: %w", err) }
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", RegisterSheet); err != nil {
		return fail(0, err)
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
		return fail(0, err)
	}
	text, err := f.NewStyle(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return fail(0, err)
	}
	dateFmt := catalogDateFormat
	date, err := f.NewStyle(&excelize.Style{Font: font, Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fail(0, err)
	}
	number, err := f.NewStyle(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fail(0, err)
	}
	sw, err := f.NewStreamWriter(RegisterSheet)
	if err != nil {
		return fail(0, err)
	}
	cols := models.RegisterColumns
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return fail(0, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(0, err)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: head, Value: c.Title}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return fail(0, err)
	}
	dateCell := func(d models.Date) excelize.Cell {
		if d.IsZero() {
			return excelize.Cell{StyleID: text}
		}
		return excelize.Cell{StyleID: date, Value: d.Time(time.UTC)}
	}
	n := 0
	cells := make([]any, len(cols))
	err = rows(func(r *models.RegisterRow) error {
		outcome := ""
		if r.Outcome != "" {
			outcome = r.Outcome.Label()
		}
		days := excelize.Cell{StyleID: number}
		if r.HasDays {
			days.Value = r.DaysTaken
		}
		cells[0] = excelize.Cell{StyleID: text, Value: r.Number}
		cells[1] = dateCell(r.ReceivedOn)
		cells[2] = excelize.Cell{StyleID: text, Value: r.Applicant}
		cells[3] = excelize.Cell{StyleID: text, Value: r.ApplicantKind.Label()}
		cells[4] = excelize.Cell{StyleID: text, Value: r.Channel.Label()}
		cells[5] = excelize.Cell{StyleID: text, Value: r.Title}
		cells[6] = excelize.Cell{StyleID: text, Value: r.Section}
		cells[7] = excelize.Cell{StyleID: text, Value: r.Status.Label()}
		cells[8] = dateCell(r.DueOn)
		cells[9] = excelize.Cell{StyleID: text, Value: outcome}
		cells[10] = dateCell(r.ClosedOn)
		cells[11] = days
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return fail(n, err)
	}
	if err := sw.Flush(); err != nil {
		return fail(n, err)
	}
	desc := "政府信息公开申请台账：" + doc.Criteria
	if doc.Unmasked {
		desc += "（申请人姓名未隐藏，请妥善保管）"
	} else {
		desc += "（自然人申请人姓名已部分隐藏）"
	}
	props := &excelize.DocProperties{Title: doc.Agency.Name + "政府信息公开申请台账", Creator: doc.Agency.Name,
		Subject: "政府信息公开申请台账", Description: desc}
	if !doc.CreatedAt.IsZero() {
		props.Created = doc.CreatedAt.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return fail(n, err)
	}
	// File.WriteTo assembles the whole zip in a buffer before writing it
	// out (about 55 bytes an application); the zip writer it is given
	// writes straight to out instead, so that only the stream's chunk is
	// ever held in memory.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(out) })
	if _, err := f.WriteTo(io.Discard); err != nil {
		return fail(n, err)
	}
	return n, nil
}
