package models

// The calendar's text format and edits to one year, shared by `portal
// calendar import` and the administrator's calendar page: one special day
// per line, "YYYY-MM-DD holiday|workday 名称" (workday = a weekend day
// designated 调休上班, as the State Council's yearly notice fixes them);
// blank lines and lines starting with # are ignored; all days in one year.

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ParseCalendarText reads a year's special days in the text format. The
// error is EINVALID with a Chinese message naming the line; its cause keeps
// the English detail for the command line.
func ParseCalendarText(r io.Reader) (int, []CalendarDay, error) {
	var days []CalendarDay
	year := 0
	bad := func(n int, msg string, cause error) error {
		return WrapError(EINVALID, fmt.Errorf("line %d: %w", n, cause), fmt.Sprintf("第%d行：%s", n, msg))
	}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return 0, nil, bad(n, "每行应为“日期 类型 名称”，例如“2026-10-01 holiday 国庆节”。",
				fmt.Errorf(`want "YYYY-MM-DD holiday|workday 名称"`))
		}
		d, err := ParseDate(fields[0])
		if err != nil {
			return 0, nil, bad(n, "日期应写作YYYY-MM-DD，例如2026-10-01。", err)
		}
		kind := DayKind(fields[1])
		if !kind.Valid() {
			return 0, nil, bad(n, "类型应为holiday（放假）或workday（调休上班）。",
				fmt.Errorf("kind %q, want holiday or workday", fields[1]))
		}
		if year == 0 {
			year = d.Year()
		} else if d.Year() != year {
			return 0, nil, bad(n, fmt.Sprintf("%s不在%d年内，一次只能导入同一年度的日期。", d, year),
				fmt.Errorf("%s is not in %d: import one year per file", d, year))
		}
		days = append(days, CalendarDay{Day: d, Kind: kind, Name: fields[2]})
	}
	if err := sc.Err(); err != nil {
		return 0, nil, WrapError(EINVALID, err, "无法读取节假日安排。")
	}
	if year == 0 {
		return 0, nil, WrapError(EINVALID, fmt.Errorf("lists no days"), "没有任何日期。")
	}
	return year, days, nil
}

// FormatCalendarDay writes one day as a line of the text format.
func FormatCalendarDay(d CalendarDay) string {
	return d.Day.String() + " " + string(d.Kind) + " " + d.Name
}

// FormatCalendarText writes days in the text format, in date order.
func FormatCalendarText(days []CalendarDay) string {
	sorted := slices.Clone(days)
	slices.SortFunc(sorted, func(a, b CalendarDay) int { return a.Day.Compare(b.Day) })
	var b strings.Builder
	for _, d := range sorted {
		b.WriteString(FormatCalendarDay(d))
		b.WriteByte('\n')
	}
	return b.String()
}

// CalendarDayChange is one difference between a year's days before and
// after an edit. Before or After is nil when the day was added or removed.
type CalendarDayChange struct {
	Day    Date
	Before *CalendarDay
	After  *CalendarDay
}

// DiffCalendarDays lists the days that differ between before and after, in
// date order.
func DiffCalendarDays(before, after []CalendarDay) []CalendarDayChange {
	old := map[Date]CalendarDay{}
	for _, d := range before {
		old[d.Day] = d
	}
	seen := map[Date]bool{}
	var out []CalendarDayChange
	for _, d := range after {
		seen[d.Day] = true
		if o, ok := old[d.Day]; !ok || o != d {
			c := CalendarDayChange{Day: d.Day, After: &d}
			if ok {
				c.Before = &o
			}
			out = append(out, c)
		}
	}
	for _, o := range before {
		if !seen[o.Day] {
			out = append(out, CalendarDayChange{Day: o.Day, Before: &o})
		}
	}
	slices.SortFunc(out, func(a, b CalendarDayChange) int { return a.Day.Compare(b.Day) })
	return out
}

// SetCalendarDay returns days with the entry for d replaced: kind "" makes d
// an ordinary day again (the entry is removed).
func SetCalendarDay(days []CalendarDay, d Date, kind DayKind, name string) []CalendarDay {
	out := slices.DeleteFunc(slices.Clone(days), func(x CalendarDay) bool { return x.Day == d })
	if kind != "" {
		out = append(out, CalendarDay{Day: d, Kind: kind, Name: strings.TrimSpace(name)})
	}
	slices.SortFunc(out, func(a, b CalendarDay) int { return a.Day.Compare(b.Day) })
	return out
}

// WithYear returns a calendar equal to c except that year y has the given
// status and days (y may be a year c does not have yet). It checks the year
// as NewCalendar does.
func (c *Calendar) WithYear(y CalendarYear, days []CalendarDay) (*Calendar, error) {
	years := slices.DeleteFunc(c.Years(), func(cy CalendarYear) bool { return cy.Year == y.Year })
	years = append(years, y)
	var all []CalendarDay
	for _, cy := range years {
		if cy.Year == y.Year {
			all = append(all, days...)
		} else {
			all = append(all, c.Days(cy.Year)...)
		}
	}
	return NewCalendar(years, all)
}
