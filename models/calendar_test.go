package models

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// MustBuiltinCalendar returns the calendar built from BuiltinCalendar.
func MustBuiltinCalendar(t testing.TB) *Calendar {
	t.Helper()
	cal, err := NewCalendar(BuiltinCalendar())
	if err != nil {
		t.Fatalf("NewCalendar(BuiltinCalendar()): %v", err)
	}
	return cal
}

// noticeSchedule is the holiday schedule of one year written the way the
// State Council notice (and rules.md §4) writes it: ranges of days off and
// the 调休上班 days. It is an encoding independent of holidays.go.
type noticeSchedule struct {
	off  []struct{ name, from, to string }
	work []struct{ name, day string }
}

// rulesSection4 is rules.md §4.1–4.3, transcribed table by table.
var rulesSection4 = map[int]noticeSchedule{
	2024: {
		off: []struct{ name, from, to string }{
			{"元旦", "2023-12-30", "2024-01-01"}, // "1月1日放假，与周末连休"
			{"春节", "2024-02-10", "2024-02-17"},
			{"清明节", "2024-04-04", "2024-04-06"},
			{"劳动节", "2024-05-01", "2024-05-05"},
			{"端午节", "2024-06-08", "2024-06-10"},
			{"中秋节", "2024-09-15", "2024-09-17"},
			{"国庆节", "2024-10-01", "2024-10-07"},
		},
		work: []struct{ name, day string }{
			{"春节", "2024-02-04"}, {"春节", "2024-02-18"},
			{"清明节", "2024-04-07"},
			{"劳动节", "2024-04-28"}, {"劳动节", "2024-05-11"},
			{"中秋节", "2024-09-14"},
			{"国庆节", "2024-09-29"}, {"国庆节", "2024-10-12"},
		},
	},
	2025: {
		off: []struct{ name, from, to string }{
			{"元旦", "2025-01-01", "2025-01-01"},
			{"春节", "2025-01-28", "2025-02-04"},
			{"清明节", "2025-04-04", "2025-04-06"},
			{"劳动节", "2025-05-01", "2025-05-05"},
			{"端午节", "2025-05-31", "2025-06-02"},
			{"国庆节、中秋节", "2025-10-01", "2025-10-08"},
		},
		work: []struct{ name, day string }{
			{"春节", "2025-01-26"}, {"春节", "2025-02-08"},
			{"劳动节", "2025-04-27"},
			{"国庆节、中秋节", "2025-09-28"}, {"国庆节、中秋节", "2025-10-11"},
		},
	},
	2026: {
		off: []struct{ name, from, to string }{
			{"元旦", "2026-01-01", "2026-01-03"},
			{"春节", "2026-02-15", "2026-02-23"},
			{"清明节", "2026-04-04", "2026-04-06"},
			{"劳动节", "2026-05-01", "2026-05-05"},
			{"端午节", "2026-06-19", "2026-06-21"},
			{"中秋节", "2026-09-25", "2026-09-27"},
			{"国庆节", "2026-10-01", "2026-10-07"},
		},
		work: []struct{ name, day string }{
			{"元旦", "2026-01-04"},
			{"春节", "2026-02-14"}, {"春节", "2026-02-28"},
			{"劳动节", "2026-05-09"},
			{"国庆节", "2026-09-20"}, {"国庆节", "2026-10-10"},
		},
	},
}

// TestBuiltinCalendarMatchesRules checks, day by day, that the built-in
// 2024–2026 calendar classifies every date as rules.md §4 says.
func TestBuiltinCalendarMatchesRules(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	for year := 2024; year <= 2026; year++ {
		sched := rulesSection4[year]
		want := map[Date]CalendarDay{}
		for _, r := range sched.off {
			for d := MustParseDate(r.from); !d.After(MustParseDate(r.to)); d = d.AddDays(1) {
				if d.Year() == year { // 2024's 元旦 starts in 2023
					want[d] = CalendarDay{d, DayHoliday, r.name}
				}
			}
		}
		for _, w := range sched.work {
			d := MustParseDate(w.day)
			if !d.IsWeekend() {
				t.Fatalf("rules table: %s is not a weekend day", w.day)
			}
			want[d] = CalendarDay{d, DayWorkday, w.name}
		}

		if got := len(cal.Days(year)); got != len(want) {
			t.Errorf("len(Days(%d)) = %d, want %d", year, got, len(want))
		}
		for d := NewDate(year, 1, 1); d.Year() == year; d = d.AddDays(1) {
			w, special := want[d]
			wantWorking := !d.IsWeekend()
			if special {
				wantWorking = w.Kind == DayWorkday
			}
			got, err := cal.IsWorkingDay(d)
			if err != nil {
				t.Fatalf("IsWorkingDay(%s): %v", d, err)
			}
			if got != wantWorking {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", d, got, wantWorking)
			}
			entry, ok := cal.Holiday(d)
			if ok != special || entry != w {
				t.Errorf("Holiday(%s) = %+v, %v; want %+v, %v", d, entry, ok, w, special)
			}
		}
	}
	// The two named pitfalls of rules.md §4.1.
	if ok, _ := cal.IsWorkingDay(MustParseDate("2024-02-09")); !ok {
		t.Errorf("2024-02-09 (除夕) is a working day in 2024")
	}
	if ok, _ := cal.IsWorkingDay(MustParseDate("2024-01-01")); ok {
		t.Errorf("2024-01-01 is a holiday")
	}
}

func TestBuiltinCalendarYears(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	years := cal.Years()
	if len(years) != 3 {
		t.Fatalf("len(Years()) = %d, want 3", len(years))
	}
	for i, y := range years {
		if y.Year != 2024+i || y.Status != YearConfirmed || y.NoticeRef == "" {
			t.Errorf("Years()[%d] = %+v, want %d confirmed with a notice", i, y, 2024+i)
		}
	}
	// The returned slices are copies.
	years[0].Year = 1999
	_, days := BuiltinCalendar()
	days[0].Name = "x"
	if cal.Years()[0].Year != 2024 || cal.Days(2024)[0].Name != "元旦" {
		t.Errorf("Years or Days share memory with the caller")
	}
}

func TestNewCalendarRejects(t *testing.T) {
	y2026 := []CalendarYear{{Year: 2026, Status: YearConfirmed}}
	day := func(s string, k DayKind, name string) CalendarDay { return CalendarDay{MustParseDate(s), k, name} }
	tests := []struct {
		name  string
		years []CalendarYear
		days  []CalendarDay
	}{
		{"no years", nil, nil},
		{"day outside the years", y2026, []CalendarDay{day("2027-01-01", DayHoliday, "元旦")}},
		{"day before the years", y2026, []CalendarDay{day("2025-12-31", DayHoliday, "元旦")}},
		{"workday on a weekday", y2026, []CalendarDay{day("2026-02-16", DayWorkday, "春节")}},
		{"holiday listed twice", y2026, []CalendarDay{day("2026-01-01", DayHoliday, "元旦"), day("2026-01-01", DayHoliday, "元旦")}},
		{"day both holiday and workday", y2026, []CalendarDay{day("2026-01-04", DayHoliday, "元旦"), day("2026-01-04", DayWorkday, "元旦")}},
		{"unnamed day", y2026, []CalendarDay{day("2026-01-01", DayHoliday, " ")}},
		{"unknown kind", y2026, []CalendarDay{day("2026-01-01", "rest", "元旦")}},
		{"zero date", y2026, []CalendarDay{{Kind: DayHoliday, Name: "元旦"}}},
		{"year twice", []CalendarYear{{Year: 2026, Status: YearConfirmed}, {Year: 2026, Status: YearUnconfirmed}}, nil},
		{"unknown status", []CalendarYear{{Year: 2026, Status: "maybe"}}, nil},
		{"absurd year", []CalendarYear{{Year: 10, Status: YearConfirmed}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCalendar(tt.years, tt.days)
			if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
				t.Errorf("NewCalendar: err = %v, want an EINVALID *Error", err)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero is the same day", "2026-02-15", 0, "2026-02-15"},
		{"day 1 is the next working day", "2026-02-13", 1, "2026-02-14"}, // Saturday 调休
		{"day 1 skips 春节 2026", "2026-02-14", 1, "2026-02-24"},
		{"from a holiday", "2026-02-16", 1, "2026-02-24"},
		{"20 days from 2026-02-10", "2026-02-10", 20, "2026-03-16"},
		{"20 days from 2026-09-20", "2026-09-20", 20, "2026-10-23"}, // toolchain.md sample
		{"across a year end", "2024-12-31", 1, "2025-01-02"},
		{"backwards from a Monday", "2026-03-16", -5, "2026-03-09"},
		{"backwards over 春节", "2026-02-24", -1, "2026-02-14"},
		{"backwards from a holiday", "2026-02-20", -1, "2026-02-13"}, // (02-13, 02-20] holds only 02-14
		{"backwards across a year end", "2025-01-02", -1, "2024-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.AddWorkingDays(MustParseDate(tt.from), tt.n)
			if err != nil {
				t.Fatalf("AddWorkingDays(%s, %d): %v", tt.from, tt.n, err)
			}
			if got != MustParseDate(tt.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestCalendarBeyondLoadedYears(t *testing.T) {
	builtin := MustBuiltinCalendar(t)
	years, days := BuiltinCalendar()
	var gapYears []CalendarYear
	var gapDays []CalendarDay
	for _, y := range years {
		if y.Year != 2025 {
			gapYears = append(gapYears, y)
		}
	}
	for _, d := range days {
		if d.Day.Year() != 2025 {
			gapDays = append(gapDays, d)
		}
	}
	gap, err := NewCalendar(gapYears, gapDays)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		cal      *Calendar
		op       func(c *Calendar) error
		wantYear string
	}{
		{"add past the last year", builtin, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2026-12-30"), 2)
			return err
		}, "2027年"},
		{"add from the last day", builtin, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2026-12-31"), 1)
			return err
		}, "2027年"},
		{"add from before the first year", builtin, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2023-12-29"), 1)
			return err
		}, "2023年"},
		{"add back before the first year", builtin, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2024-01-03"), -2)
			return err
		}, "2023年"},
		{"add across a gap", gap, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2024-12-20"), 20)
			return err
		}, "2025年"},
		{"add back across a gap", gap, func(c *Calendar) error {
			_, err := c.AddWorkingDays(MustParseDate("2026-01-06"), -5)
			return err
		}, "2025年"},
		{"count across a gap", gap, func(c *Calendar) error {
			_, err := c.WorkingDaysBetween(MustParseDate("2024-12-20"), MustParseDate("2026-01-05"))
			return err
		}, "2025年"},
		{"count past the last year", builtin, func(c *Calendar) error {
			_, err := c.WorkingDaysBetween(MustParseDate("2026-12-20"), MustParseDate("2027-01-05"))
			return err
		}, "2027年"},
		{"classify a day in a gap", gap, func(c *Calendar) error {
			_, err := c.IsWorkingDay(MustParseDate("2025-03-03"))
			return err
		}, "2025年"},
		{"classify a day after the years", builtin, func(c *Calendar) error {
			_, err := c.IsWorkingDay(MustParseDate("2028-03-03"))
			return err
		}, "2028年"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op(tt.cal)
			if !errors.Is(err, ErrBeyondCalendar) {
				t.Fatalf("err = %v, want ErrBeyondCalendar", err)
			}
			if ErrorCode(err) != EUNAVAILABLE {
				t.Errorf("code = %q, want %q", ErrorCode(err), EUNAVAILABLE)
			}
			if msg := ErrorMessage(err); !strings.HasPrefix(msg, tt.wantYear+"的节假日安排尚未载入") {
				t.Errorf("message = %q, want it to name %s", msg, tt.wantYear)
			}
		})
	}
	if gap.Covers(MustParseDate("2025-06-01")) || !gap.Covers(MustParseDate("2026-06-01")) {
		t.Errorf("Covers is wrong around the gap")
	}
}

// TestWorkingDaysBetweenIsInverse checks AddWorkingDays against
// WorkingDaysBetween for every start day of 2024–2026 and a range of n, and
// against a plain day-by-day count.
func TestWorkingDaysBetweenIsInverse(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	last := MustParseDate("2026-12-31")
	for d := MustParseDate("2024-01-01"); d.Before(last); d = d.AddDays(1) {
		for _, n := range []int{1, 2, 5, 7, 15, 20, 40} {
			r, err := cal.AddWorkingDays(d, n)
			if errors.Is(err, ErrBeyondCalendar) {
				continue
			}
			if err != nil {
				t.Fatalf("AddWorkingDays(%s, %d): %v", d, n, err)
			}
			if got, err := cal.WorkingDaysBetween(d, r); err != nil || got != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", d, r, got, err, n)
			}
			if got, _ := cal.WorkingDaysBetween(r, d); got != -n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", r, d, got, -n)
			}
			if ok, _ := cal.IsWorkingDay(r); !ok {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", d, n, r)
			}
			count := 0
			for x := d.AddDays(1); !x.After(r); x = x.AddDays(1) {
				if ok, _ := cal.IsWorkingDay(x); ok {
					count++
				}
			}
			if count != n {
				t.Fatalf("(%s, %s] holds %d working days, want %d", d, r, count, n)
			}
			if ok, _ := cal.IsWorkingDay(r); ok {
				if back, err := cal.AddWorkingDays(r, -n); err == nil {
					if again, _ := cal.AddWorkingDays(back, n); again != r {
						t.Fatalf("AddWorkingDays(AddWorkingDays(%s, %d), %d) = %s", r, -n, n, again)
					}
				}
			}
		}
	}
}

func TestCalendarNotes(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"春节 2026", "2026-02-10", "2026-03-16", "2月15日至23日春节假期不计，2月14日、2月28日调休上班计入"},
		{"春节 across months", "2025-01-20", "2025-02-21", "1月28日至2月4日春节假期不计，1月26日、2月8日调休上班计入"},
		{"a single day", "2024-12-31", "2025-01-10", "2025年1月1日元旦假期不计"},
		{"two holidays", "2026-09-18", "2026-10-22",
			"9月25日至27日中秋节假期、10月1日至7日国庆节假期不计，9月20日、10月10日调休上班计入"},
		{"clipped to the period", "2026-02-17", "2026-02-24", "2月18日至23日春节假期不计"},
		{"nothing", "2026-03-02", "2026-03-20", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := MustParseDate(tt.from)
			got := cal.Notes(from, MustParseDate(tt.to), from.Year())
			if got != tt.want {
				t.Errorf("Notes(%s, %s) = %q, want %q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCalendarUnconfirmed(t *testing.T) {
	years, days := BuiltinCalendar()
	years = append(years, CalendarYear{Year: 2027, Status: YearUnconfirmed, Source: "lunar-go v1.4.7"})
	cal, err := NewCalendar(years, days)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Unconfirmed(MustParseDate("2026-06-01")) || !cal.Unconfirmed(MustParseDate("2027-06-01")) ||
		cal.Unconfirmed(MustParseDate("2028-06-01")) {
		t.Errorf("Unconfirmed is wrong")
	}
	if y, ok := cal.Year(2027); !ok || y.Source != "lunar-go v1.4.7" {
		t.Errorf("Year(2027) = %+v, %v", y, ok)
	}
}

func TestCalendarConcurrentUse(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := NewDate(2024, time.Month(1+g), 1)
			for i := range 500 {
				r, err := cal.AddWorkingDays(d.AddDays(i), 20)
				if err != nil {
					continue
				}
				if n, _ := cal.WorkingDaysBetween(d.AddDays(i), r); n != 20 {
					t.Errorf("concurrent count = %d, want 20", n)
					return
				}
			}
		}()
	}
	wg.Wait()
}
