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

func registerRows(rows []models.RegisterRow) RegisterRows {
	return func(yield func(*models.RegisterRow) error) error {
		for i := range rows {
			if err := yield(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestWriteRegisterXLSX reopens the register and checks its header, cells,
// dates as dates and properties.
func TestWriteRegisterXLSX(t *testing.T) {
	d := models.MustParseDate
	rows := []models.RegisterRow{
		{Number: "TLMZ-2026-000002", ReceivedOn: d("2026-01-06"), Applicant: models.RegisterApplicant(models.ApplicantPerson, "褚十一", false),
			ApplicantKind: models.ApplicantPerson, Channel: models.ChannelMail, Title: "儿童福利机构名单", Section: "儿童福利科",
			Status: models.StatusAnswered, DueOn: d("2026-02-03"), Outcome: models.OutcomePartial, ClosedOn: d("2026-02-06"), DaysTaken: 23, HasDays: true},
		{Number: "TLMZ-2026-000001", Applicant: "铁岭某某有限公司", ApplicantKind: models.ApplicantCommercial, Channel: models.ChannelOnline,
			Title: "待确认的申请", Status: models.StatusPending},
	}
	var buf bytes.Buffer
	n, err := WriteRegisterXLSX(&buf, RegisterDoc{Agency: models.Agency{Name: "铁岭市民政局"}, Criteria: "全部申请",
		CreatedAt: time.Date(2026, 2, 10, 1, 0, 0, 0, time.UTC)}, registerRows(rows))
	if err != nil || n != 2 {
		t.Fatalf("WriteRegisterXLSX = %d, %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(RegisterSheet)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	for _, c := range models.RegisterColumns {
		header = append(header, c.Title)
	}
	if !slices.Equal(got[0], header) {
		t.Errorf("header %v", got[0])
	}
	want := []string{"TLMZ-2026-000002", "2026-01-06", "褚**", "自然人", "邮寄（需签收）", "儿童福利机构名单", "儿童福利科", "已答复",
		"2026-02-03", "部分公开", "2026-02-06", "23"}
	if !slices.Equal(got[1], want) {
		t.Errorf("row 1 = %q\nwant    %q", got[1], want)
	}
	if r := got[2]; r[2] != "铁岭某某有限公司" || r[7] != "待确认" || len(r) > 8 && strings.Join(r[8:], "") != "" {
		t.Errorf("row 2 = %q", r)
	}
	if typ, _ := f.GetCellType(RegisterSheet, "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the receipt date is text (%v), want a date", typ)
	}
	if typ, _ := f.GetCellType(RegisterSheet, "L2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the days taken are text (%v), want a number", typ)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "铁岭市民政局政府信息公开申请台账" || !strings.Contains(props.Description, "全部申请") ||
		!strings.Contains(props.Description, "已部分隐藏") || props.Created != "2026-02-10T01:00:00Z" {
		t.Errorf("properties %+v %v", props, err)
	}
	stop := errors.New("cursor failed")
	if _, err := WriteRegisterXLSX(&buf, RegisterDoc{}, func(func(*models.RegisterRow) error) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("a failing cursor: %v", err)
	}
}
