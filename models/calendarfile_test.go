package models

import (
	"strings"
	"testing"
)

func TestParseCalendarText(t *testing.T) {
	year, days, err := ParseCalendarText(strings.NewReader("\uFEFF# 2028\n\n2028-01-03 holiday 元旦\n  2028-01-08 workday 元旦  \n"))
	if err != nil || year != 2028 || len(days) != 2 || days[1].Kind != DayWorkday || days[1].Name != "元旦" {
		t.Fatalf("parse = %d %v %v", year, days, err)
	}
	if got := FormatCalendarText(days); got != "2028-01-03 holiday 元旦\n2028-01-08 workday 元旦\n" {
		t.Errorf("format = %q", got)
	}
	for _, tc := range []struct{ text, msg, cause string }{
		{"2028-01-03 holiday", "第1行", "want"},
		{"2028-13-03 holiday 元旦", "第1行：日期", "parse date"},
		{"2028-01-03 off 元旦", "类型", "kind"},
		{"2028-01-03 holiday 元旦\n2029-01-01 holiday 元旦", "第2行", "one year per file"},
		{"# nothing", "没有任何日期", "lists no days"},
	} {
		_, _, err := ParseCalendarText(strings.NewReader(tc.text))
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.msg) || !strings.Contains(err.Error(), tc.cause) {
			t.Errorf("%q: %v, want %q and %q", tc.text, err, tc.msg, tc.cause)
		}
	}
}

func TestCalendarEdits(t *testing.T) {
	years, days := BuiltinCalendar()
	cal, err := NewCalendar(years, days)
	if err != nil {
		t.Fatal(err)
	}
	before := cal.Days(2026)
	// Make 2026-03-02 (a Monday) a holiday and 2026-01-04 (a 调休 Sunday) ordinary.
	edited := SetCalendarDay(before, MustParseDate("2026-03-02"), DayHoliday, "测试")
	edited = SetCalendarDay(edited, MustParseDate("2026-01-04"), "", "")
	changes := DiffCalendarDays(before, edited)
	if len(changes) != 2 || changes[0].Day != MustParseDate("2026-01-04") || changes[0].After != nil ||
		changes[1].Before != nil || changes[1].After.Name != "测试" {
		t.Fatalf("changes = %+v", changes)
	}
	y, _ := cal.Year(2026)
	next, err := cal.WithYear(y, edited)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := next.IsWorkingDay(MustParseDate("2026-03-02")); ok {
		t.Error("edited holiday is a working day")
	}
	if ok, _ := cal.IsWorkingDay(MustParseDate("2026-03-02")); !ok {
		t.Error("the original calendar changed")
	}
	// A 调休 day on a weekday is refused, as NewCalendar refuses it.
	bad := SetCalendarDay(before, MustParseDate("2026-03-03"), DayWorkday, "测试")
	if _, err := cal.WithYear(y, bad); ErrorCode(err) != EINVALID {
		t.Errorf("weekday 调休: %v", err)
	}
	// A new year can be added.
	added, err := cal.WithYear(CalendarYear{Year: 2030, Status: YearUnconfirmed}, []CalendarDay{{Day: MustParseDate("2030-01-01"), Kind: DayHoliday, Name: "元旦"}})
	if err != nil || !added.Covers(MustParseDate("2030-06-01")) {
		t.Errorf("add year: %v", err)
	}
}
