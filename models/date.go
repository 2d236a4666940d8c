package models

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar day without a time zone: the agency's day, as the law
// counts it. Deadlines are dates, not instants; a time.Time invites
// off-by-one-day errors at midnight. The zero Date means "no date".
//
// Internally a Date is the day number counted from 0001-01-01 (= 1) in the
// proleptic Gregorian calendar, so arithmetic and comparison are integer
// operations and a Date can be a map key.
type Date struct{ n int32 }

// unixEpochDay is the day number of 1970-01-01.
const unixEpochDay = 719163

// NewDate returns the date y-m-d. Out-of-range values are normalised the way
// time.Date normalises them (2026-02-30 is 2026-03-02).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{n: int32(t.Unix()/86400) + unixEpochDay}
}

// DateOf returns the calendar day of the instant t in the location loc.
func DateOf(t time.Time, loc *time.Location) Date {
	t = t.In(loc)
	return NewDate(t.Year(), t.Month(), t.Day())
}

// ParseDate parses a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || y < 1 || m < 1 || m > 12 || d < 1 {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	dt := NewDate(y, time.Month(m), d)
	if dt.Day() != d { // 2026-02-30 and the like
		return Date{}, fmt.Errorf("parse date %q: no such day", s)
	}
	return dt, nil
}

// MustParseDate is ParseDate for constants and tests; it panics on error.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	u := time.Unix(int64(d.n-unixEpochDay)*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, loc)
}

func (d Date) utc() time.Time { return time.Unix(int64(d.n-unixEpochDay)*86400, 0).UTC() }

// Year returns the year of d.
func (d Date) Year() int { return d.utc().Year() }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.utc().Month() }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.utc().Day() }

// Weekday returns the day of the week of d. 0001-01-01 was a Monday.
func (d Date) Weekday() time.Weekday { return time.Weekday(int(d.n) % 7) }

// IsWeekend reports whether d is a Saturday or a Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// DaysSince returns the number of calendar days from e to d (d - e).
func (d Date) DaysSince(e Date) int { return int(d.n - e.n) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	t := d.utc()
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
}

// Chinese formats d the way letters write it: 2026年2月10日.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	t := d.utc()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// ChineseShort formats d without the year: 2月10日.
func (d Date) ChineseShort() string {
	if d.IsZero() {
		return ""
	}
	t := d.utc()
	return fmt.Sprintf("%d月%d日", int(t.Month()), t.Day())
}

// MarshalText implements encoding.TextMarshaler (JSON, forms).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. An empty text is the
// zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements driver.Valuer: a date is stored as YYYY-MM-DD (a DATE
// column in MySQL, TEXT in SQLite); the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner. It accepts NULL, TEXT "YYYY-MM-DD" (SQLite),
// []byte (MySQL without parseTime) and time.Time (MySQL with parseTime; the
// driver returns DATE values as midnight UTC, so the calendar fields are
// taken as they are, without zone conversion).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
		return nil
	}
	return fmt.Errorf("scan date: unsupported type %T", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 { // "2026-02-10 00:00:00" or an RFC 3339 timestamp
		s = s[:10]
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("scan date: %w", err)
	}
	*d = v
	return nil
}
