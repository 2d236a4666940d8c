package store

import (
	"strconv"
	"testing"

	"gongkai/models"
)

// TestLunarYearMatchesBuiltin checks lunar-go's 2024–2026 data against the
// built-in calendar (rules.md §4) day by day, so a library update that
// changes a confirmed year is caught.
func TestLunarYearMatchesBuiltin(t *testing.T) {
	_, builtin := models.BuiltinCalendar()
	want := map[int]map[models.Date]models.CalendarDay{}
	for _, d := range builtin {
		if want[d.Day.Year()] == nil {
			want[d.Day.Year()] = map[models.Date]models.CalendarDay{}
		}
		want[d.Day.Year()][d.Day] = d
	}
	for _, year := range []int{2024, 2025, 2026} {
		t.Run(strconv.Itoa(year), func(t *testing.T) {
			y, days, err := LunarYear(year)
			if err != nil {
				t.Fatalf("LunarYear(%d): %v", year, err)
			}
			if y.Year != year || y.Status != models.YearUnconfirmed || y.Source != "lunar-go v1.4.7" {
				t.Errorf("year = %+v, want %d unconfirmed from lunar-go v1.4.7", y, year)
			}
			got := map[models.Date]models.CalendarDay{}
			for _, d := range days {
				got[d.Day] = d
			}
			for d := models.NewDate(year, 1, 1); d.Year() == year; d = d.AddDays(1) {
				g, gok := got[d]
				w, wok := want[year][d]
				if gok != wok || g != w {
					t.Errorf("%s: lunar-go %+v (%v), built-in %+v (%v)", d, g, gok, w, wok)
				}
			}
			if len(days) != len(want[year]) {
				t.Errorf("len(days) = %d, want %d", len(days), len(want[year]))
			}
		})
	}
}

func TestLunarYear2027(t *testing.T) {
	y, days, err := LunarYear(2027)
	if err != nil {
		t.Fatalf("LunarYear(2027): %v", err)
	}
	if y.Status != models.YearUnconfirmed {
		t.Errorf("Status = %q, want unconfirmed", y.Status)
	}
	if len(days) == 0 {
		t.Fatal("LunarYear(2027) returned no days")
	}
	holidays := 0
	for _, d := range days {
		if d.Day.Year() != 2027 {
			t.Errorf("%s is not in 2027", d.Day)
		}
		switch d.Kind {
		case models.DayWorkday:
			if !d.Day.IsWeekend() {
				t.Errorf("调休上班 %s is a %s, want a weekend day", d.Day, d.Day.Weekday())
			}
		case models.DayHoliday:
			holidays++
		default:
			t.Errorf("%s: kind %q", d.Day, d.Kind)
		}
	}
	if holidays == 0 {
		t.Errorf("no holidays in 2027")
	}
	// The year loads into a calendar together with the built-in ones.
	years, all := models.BuiltinCalendar()
	cal, err := models.NewCalendar(append(years, y), append(all, days...))
	if err != nil {
		t.Fatalf("NewCalendar with 2027: %v", err)
	}
	if !cal.Covers(models.MustParseDate("2027-06-30")) || !cal.Unconfirmed(models.MustParseDate("2027-06-30")) {
		t.Errorf("2027 is not loaded as unconfirmed")
	}
}

func TestLunarYearMissing(t *testing.T) {
	_, _, err := LunarYear(2099)
	if models.ErrorCode(err) != models.EUNAVAILABLE {
		t.Errorf("LunarYear(2099): err = %v, want EUNAVAILABLE", err)
	}
}
