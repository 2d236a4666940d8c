package models

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DayKind says how a calendar entry changes an ordinary week.
type DayKind string

// Day kinds. Stored values; do not change.
const (
	// DayHoliday is a statutory day off (法定节假日), including the weekend
	// days inside a holiday period.
	DayHoliday DayKind = "holiday"
	// DayWorkday is a weekend day designated as a working day (调休上班).
	DayWorkday DayKind = "workday"
)

// Valid reports whether k is a known day kind.
func (k DayKind) Valid() bool { return k == DayHoliday || k == DayWorkday }

// CalendarDay is one day that differs from the Monday-to-Friday week, as the
// State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知)
// fixes it.
type CalendarDay struct {
	Day  Date
	Kind DayKind
	Name string // the holiday it belongs to, e.g. 春节, 国庆节
}

// YearStatus says whether a calendar year has been checked against the
// State Council notice by a person.
type YearStatus string

// Year statuses. Stored values; do not change.
const (
	YearConfirmed   YearStatus = "confirmed"   // checked against the notice
	YearUnconfirmed YearStatus = "unconfirmed" // 未核对: loaded from a library, not yet checked
)

// Label returns the status in Chinese.
func (s YearStatus) Label() string {
	switch s {
	case YearConfirmed:
		return "已核对"
	case YearUnconfirmed:
		return "未核对"
	}
	return string(s)
}

// CalendarYear describes one loaded year of the working-day calendar.
type CalendarYear struct {
	Year      int
	Status    YearStatus
	Source    string // where the days came from, e.g. built in, lunar-go v1.4.7, entered by an administrator
	NoticeRef string // the State Council notice, e.g. 国办发明电〔2024〕12号
}

// Widths of a calendar year's texts (the calendar_years and calendar_days
// columns on MySQL).
const (
	maxCalendarSourceRunes  = 100
	maxNoticeRefRunes       = 200
	maxCalendarDayNameRunes = 50
)

// CheckNoticeRef checks a reference to the State Council notice typed into
// the form field named field: at most 200 characters. An empty reference
// is the caller's to judge.
func CheckNoticeRef(field, ref string) error {
	return calendarTexts(tooLong(field, "通知文号", ref, maxNoticeRefRunes))
}

// Validate checks the texts of a year and its days before they are
// previewed or saved: the source, the notice reference and each day's name
// fit their columns. The error's message names what is too long, since a
// preview shows it without the form.
func (y CalendarYear) Validate(days []CalendarDay) error {
	fe := append(tooLong("source", "来源", y.Source, maxCalendarSourceRunes),
		tooLong("notice", "通知文号", y.NoticeRef, maxNoticeRefRunes)...)
	for _, d := range days {
		fe = append(fe, tooLong("name", d.Day.String()+"的名称", d.Name, maxCalendarDayNameRunes)...)
	}
	return calendarTexts(fe)
}

// tooLong returns the error for a text over max characters, or nil. label
// names the text for the error's message.
func tooLong(field, label, value string, max int) []FieldError {
	if n := utf8.RuneCountInString(value); n > max {
		return []FieldError{{field, label + fmt.Sprintf("内容过长：%d个字，最多%d个字。", n, max)}}
	}
	return nil
}

func calendarTexts(fe []FieldError) error {
	if len(fe) == 0 {
		return nil
	}
	e := Invalid(fe...)
	e.Message = fe[0].Message
	return e
}

// ErrBeyondCalendar is the cause of the error returned for a date outside
// the loaded calendar years (before, after, or in a gap between them).
// Match it with errors.Is; the *Error around it has code EUNAVAILABLE.
var ErrBeyondCalendar = errors.New("date beyond the loaded calendar")

// yearNotLoaded is the error for a working-day question about a year whose
// holiday notice has not been loaded. Deadlines are never guessed from a
// plain Monday-to-Friday week: the notice moves working days to weekends.
func yearNotLoaded(year int) error {
	return &Error{
		Code:    EUNAVAILABLE,
		Message: fmt.Sprintf("%d年的节假日安排尚未载入，无法计算工作日，请系统管理员载入该年度日历。", year),
		Err:     fmt.Errorf("calendar: year %d not loaded: %w", year, ErrBeyondCalendar),
	}
}

// Calendar answers working-day questions for the loaded years. A working
// day is Monday to Friday, minus the statutory holidays, plus the weekend
// days designated as 调休上班.
//
// A Calendar is immutable and safe for concurrent use. It keeps a running
// count of working days for every day of the loaded range, so counting and
// adding working days take constant time.
type Calendar struct {
	years   []CalendarYear // sorted by year
	days    []CalendarDay  // sorted by day
	minYear int
	maxYear int
	loaded  []bool // by year - minYear
	start   int32  // day number of 1 January of minYear
	// kind[i] is the entry of day start+i: 0 ordinary, 1 holiday, 2 workday.
	kind []uint8
	// cum[i] is the number of working days in [start, start+i]. Days of
	// years that are not loaded count as non-working; every query checks the
	// years it touches first.
	cum []int32
	// work[k] is the offset from start of the (k+1)-th working day.
	work []int32
	// entry maps an offset to its index in days.
	entry map[int32]int
}

// Calendar limits that keep the index small (one entry per day).
const (
	minCalendarYear = 1900
	maxCalendarYear = 2199
)

// NewCalendar builds a calendar from its years and its special days. It
// rejects a day outside the given years, a day listed twice, a 调休上班 day
// that is not a Saturday or Sunday, an entry without a name, and years
// listed twice.
func NewCalendar(years []CalendarYear, days []CalendarDay) (*Calendar, error) {
	if len(years) == 0 {
		return nil, Errorf(EINVALID, "日历中没有任何年度。")
	}
	c := &Calendar{
		years: slices.Clone(years),
		days:  slices.Clone(days),
		entry: make(map[int32]int, len(days)),
	}
	slices.SortFunc(c.years, func(a, b CalendarYear) int { return a.Year - b.Year })
	for i, y := range c.years {
		if y.Year < minCalendarYear || y.Year > maxCalendarYear {
			return nil, Errorf(EINVALID, "日历年度%d超出可载入的范围（%d年至%d年）。", y.Year, minCalendarYear, maxCalendarYear)
		}
		if i > 0 && c.years[i-1].Year == y.Year {
			return nil, Errorf(EINVALID, "%d年在日历中重复出现。", y.Year)
		}
		if y.Status != YearConfirmed && y.Status != YearUnconfirmed {
			return nil, Errorf(EINVALID, "%d年的核对状态“%s”无效。", y.Year, y.Status)
		}
	}
	c.minYear, c.maxYear = c.years[0].Year, c.years[len(c.years)-1].Year
	c.loaded = make([]bool, c.maxYear-c.minYear+1)
	for _, y := range c.years {
		c.loaded[y.Year-c.minYear] = true
	}
	c.start = NewDate(c.minYear, 1, 1).n
	end := NewDate(c.maxYear, 12, 31).n
	c.kind = make([]uint8, end-c.start+1)

	slices.SortFunc(c.days, func(a, b CalendarDay) int { return a.Day.Compare(b.Day) })
	for i, d := range c.days {
		if d.Day.IsZero() {
			return nil, Errorf(EINVALID, "日历中有一条记录没有日期。")
		}
		if !c.yearLoaded(d.Day.Year()) {
			return nil, Errorf(EINVALID, "%s不在载入的年度内。", d.Day.Chinese())
		}
		if i > 0 && c.days[i-1].Day == d.Day {
			return nil, Errorf(EINVALID, "%s在日历中重复出现。", d.Day.Chinese())
		}
		if strings.TrimSpace(d.Name) == "" {
			return nil, Errorf(EINVALID, "%s没有填写节日名称。", d.Day.Chinese())
		}
		off := d.Day.n - c.start
		switch d.Kind {
		case DayHoliday:
			c.kind[off] = 1
		case DayWorkday:
			if !d.Day.IsWeekend() {
				return nil, Errorf(EINVALID, "%s不是周六或周日，不能设为调休上班日。", d.Day.Chinese())
			}
			c.kind[off] = 2
		default:
			return nil, Errorf(EINVALID, "%s的类型“%s”无效。", d.Day.Chinese(), d.Kind)
		}
		c.entry[off] = i
	}

	c.cum = make([]int32, len(c.kind))
	var n int32
	for i := range c.kind {
		day := Date{n: c.start + int32(i)}
		if c.yearLoaded(day.Year()) && c.working(int32(i), day) {
			n++
			c.work = append(c.work, int32(i))
		}
		c.cum[i] = n
	}
	return c, nil
}

// working classifies the day at offset off from the index alone.
func (c *Calendar) working(off int32, d Date) bool {
	switch c.kind[off] {
	case 1:
		return false
	case 2:
		return true
	}
	return !d.IsWeekend()
}

func (c *Calendar) yearLoaded(y int) bool {
	return y >= c.minYear && y <= c.maxYear && c.loaded[y-c.minYear]
}

// checkYears returns the EUNAVAILABLE error for the first year in [from,
// to] that is not loaded, or nil.
func (c *Calendar) checkYears(from, to int) error {
	for y := from; y <= to; y++ {
		if !c.yearLoaded(y) {
			return yearNotLoaded(y)
		}
	}
	return nil
}

// cumAt returns the number of working days from the start of the loaded
// range through offset off (0 before the range).
func (c *Calendar) cumAt(off int32) int32 {
	if off < 0 {
		return 0
	}
	return c.cum[off]
}

// Covers reports whether d lies in a loaded year.
func (c *Calendar) Covers(d Date) bool {
	return !d.IsZero() && c.yearLoaded(d.Year())
}

// Unconfirmed reports whether d lies in a loaded year that nobody has yet
// checked against the State Council notice.
func (c *Calendar) Unconfirmed(d Date) bool {
	if !c.Covers(d) {
		return false
	}
	i, _ := slices.BinarySearchFunc(c.years, d.Year(), func(y CalendarYear, t int) int { return y.Year - t })
	return c.years[i].Status == YearUnconfirmed
}

// Year returns the loaded year y.
func (c *Calendar) Year(y int) (CalendarYear, bool) {
	i, ok := slices.BinarySearchFunc(c.years, y, func(cy CalendarYear, t int) int { return cy.Year - t })
	if !ok {
		return CalendarYear{}, false
	}
	return c.years[i], true
}

// IsWorkingDay reports whether d is a working day. A date in a year that is
// not loaded is an EUNAVAILABLE error matching ErrBeyondCalendar.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	if !c.Covers(d) {
		return false, yearNotLoaded(d.Year())
	}
	return c.working(d.n-c.start, d), nil
}

// AddWorkingDays counts n working days on from from. Day 1 is the first
// working day after from (次日起算), so AddWorkingDays(d, 20) is the
// 20-working-day deadline of something received on d; from itself is never
// counted and need not be a working day. AddWorkingDays(d, 0) is d.
//
// A negative n counts backwards: the result is the working day r before
// from with exactly -n working days in (r, from]. For a working day d,
// AddWorkingDays(AddWorkingDays(d, -n), n) == d.
//
// Every day counted must lie in a loaded year; otherwise the result is an
// EUNAVAILABLE error matching ErrBeyondCalendar.
func (c *Calendar) AddWorkingDays(from Date, n int) (Date, error) {
	if from.IsZero() {
		return Date{}, Errorf(EINVALID, "没有起算日期，无法计算工作日。")
	}
	switch {
	case n == 0:
		return from, nil
	case n > 0:
		first := from.AddDays(1)
		if !c.Covers(first) {
			return Date{}, yearNotLoaded(first.Year())
		}
		k := int(c.cumAt(first.n-c.start-1)) + n // the k-th working day of the range
		if k > len(c.work) {
			// Runs past the range; name the first year that is missing.
			if err := c.checkYears(first.Year(), c.maxYear); err != nil {
				return Date{}, err
			}
			return Date{}, yearNotLoaded(c.maxYear + 1)
		}
		r := Date{n: c.start + c.work[k-1]}
		if err := c.checkYears(first.Year(), r.Year()); err != nil {
			return Date{}, err
		}
		return r, nil
	default:
		if !c.Covers(from) {
			return Date{}, yearNotLoaded(from.Year())
		}
		k := int(c.cum[from.n-c.start]) + n // n < 0
		if k < 1 {
			for y := from.Year(); y >= c.minYear; y-- {
				if !c.yearLoaded(y) {
					return Date{}, yearNotLoaded(y)
				}
			}
			return Date{}, yearNotLoaded(c.minYear - 1)
		}
		r := Date{n: c.start + c.work[k-1]}
		if err := c.checkYears(r.Year(), from.Year()); err != nil {
			return Date{}, err
		}
		return r, nil
	}
}

// WorkingDaysBetween returns the number of working days in (from, to]: the
// inverse of AddWorkingDays, so WorkingDaysBetween(d, AddWorkingDays(d, n))
// == n. It is negative when to is before from. Every day counted must lie in
// a loaded year.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	if from.IsZero() || to.IsZero() {
		return 0, Errorf(EINVALID, "日期不完整，无法计算工作日。")
	}
	switch from.Compare(to) {
	case 0:
		return 0, nil
	case 1:
		n, err := c.WorkingDaysBetween(to, from)
		return -n, err
	}
	first := from.AddDays(1)
	if err := c.checkYears(first.Year(), to.Year()); err != nil {
		return 0, err
	}
	return int(c.cum[to.n-c.start] - c.cumAt(from.n-c.start)), nil
}

// Holiday returns the calendar entry for d: a statutory holiday or a 调休上班
// day (see its Kind). ok is false for an ordinary day or a year that is not
// loaded.
func (c *Calendar) Holiday(d Date) (CalendarDay, bool) {
	if !c.Covers(d) {
		return CalendarDay{}, false
	}
	i, ok := c.entry[d.n-c.start]
	if !ok {
		return CalendarDay{}, false
	}
	return c.days[i], true
}

// Years returns the loaded years in order.
func (c *Calendar) Years() []CalendarYear { return slices.Clone(c.years) }

// Days returns the entries of year y in date order.
func (c *Calendar) Days(year int) []CalendarDay {
	lo, _ := slices.BinarySearchFunc(c.days, NewDate(year, 1, 1), func(d CalendarDay, t Date) int { return d.Day.Compare(t) })
	hi, _ := slices.BinarySearchFunc(c.days, NewDate(year+1, 1, 1), func(d CalendarDay, t Date) int { return d.Day.Compare(t) })
	return slices.Clone(c.days[lo:hi])
}

// entriesIn returns the entries in (from, to] without copying.
func (c *Calendar) entriesIn(from, to Date) []CalendarDay {
	if !from.Before(to) {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(c.days, from.AddDays(1), func(d CalendarDay, t Date) int { return d.Day.Compare(t) })
	hi, _ := slices.BinarySearchFunc(c.days, to.AddDays(1), func(d CalendarDay, t Date) int { return d.Day.Compare(t) })
	return c.days[lo:hi]
}

// Notes describes in Chinese the holidays skipped and the 调休上班 days
// counted in (from, to], e.g. "2月15日至23日春节假期不计，2月14日、2月28日调休上班计入".
// Dates in year refYear are written without the year. It returns "" when
// the period holds neither.
func (c *Calendar) Notes(from, to Date, refYear int) string {
	entries := c.entriesIn(from, to)
	if len(entries) == 0 {
		return ""
	}
	// Written for every clock, so built without fmt.
	var hbuf, wbuf [160]byte
	holidays, workdays := hbuf[:0], wbuf[:0]
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if e.Kind == DayWorkday {
			if len(workdays) > 0 {
				workdays = append(workdays, "、"...)
			}
			workdays = appendChinese(workdays, e.Day, e.Day.Year() != refYear, true)
			continue
		}
		j := i
		for j+1 < len(entries) && entries[j+1].Kind == DayHoliday && entries[j+1].Name == e.Name &&
			entries[j+1].Day == entries[j].Day.AddDays(1) {
			j++
		}
		if len(holidays) > 0 {
			holidays = append(holidays, "、"...)
		}
		holidays = append(holidays, chineseRange(e.Day, entries[j].Day, refYear)...)
		holidays = append(holidays, e.Name...)
		holidays = append(holidays, "假期"...)
		i = j
	}
	var out []byte
	if len(holidays) > 0 {
		out = append(holidays, "不计"...)
	}
	if len(workdays) > 0 {
		if len(out) > 0 {
			out = append(out, "，"...)
		}
		out = append(out, workdays...)
		out = append(out, "调休上班计入"...)
	}
	return string(out)
}

// appendChinese appends d as letters write it, 2026年2月10日, leaving out
// the year, or the year and the month, as asked. It is Date.Chinese without
// fmt, for the explanations written for every clock.
func appendChinese(b []byte, d Date, year, month bool) []byte {
	y, m, dd := d.utc().Date()
	if year {
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, "年"...)
	}
	if month {
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, "月"...)
	}
	b = strconv.AppendInt(b, int64(dd), 10)
	return append(b, "日"...)
}

// chineseDay writes d without its year when it lies in refYear.
func chineseDay(d Date, refYear int) string {
	var buf [32]byte
	return string(appendChinese(buf[:0], d, d.Year() != refYear, true))
}

// chineseRange writes a run of days the way notices do: 2月15日至23日,
// 1月28日至2月4日.
func chineseRange(from, to Date, refYear int) string {
	var buf [64]byte
	b := appendChinese(buf[:0], from, from.Year() != refYear, true)
	switch {
	case from == to:
		return string(b)
	case from.Year() != to.Year():
		b = appendChinese(append(b, "至"...), to, true, true)
	default:
		b = appendChinese(append(b, "至"...), to, false, from.Month() != to.Month())
	}
	return string(b)
}
