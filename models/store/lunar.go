package store

import (
	"fmt"

	"github.com/6tail/lunar-go/HolidayUtil"

	"gongkai/models"
)

// lunarSource names the library and version the days come from. The tests
// compare its 2024–2026 data with the built-in calendar, so an update that
// changes them is caught; update this string together with go.mod.
const lunarSource = "lunar-go v1.4.7"

// lunarNames maps lunar-go's holiday names to the names the State Council
// notices use (rules.md §4).
var lunarNames = map[string]string{
	"元旦节":  "元旦",
	"国庆中秋": "国庆节、中秋节",
}

// LunarYear reads a year's statutory holidays and 调休上班 days from
// github.com/6tail/lunar-go's HolidayUtil. The year is marked unconfirmed
// (未核对): an administrator checks it against the State Council notice
// before the dates are relied on. Entries of lunar-go that lie in another
// year (2023-12-30 belongs to 2024's 元旦) are left out; each year keeps
// only its own days.
//
// A year lunar-go does not carry is an EUNAVAILABLE error.
func LunarYear(year int) (models.CalendarYear, []models.CalendarDay, error) {
	y := models.CalendarYear{Year: year, Status: models.YearUnconfirmed, Source: lunarSource}
	var days []models.CalendarDay
	seen := map[models.Date]models.CalendarDay{}
	for e := HolidayUtil.GetHolidaysByYear(year).Front(); e != nil; e = e.Next() {
		h, ok := e.Value.(*HolidayUtil.Holiday)
		if !ok || h == nil {
			continue
		}
		day, err := models.ParseDate(h.GetDay())
		if err != nil {
			return y, nil, fmt.Errorf("lunar year %d: %w", year, err)
		}
		if day.Year() != year {
			continue
		}
		kind := models.DayHoliday
		if h.IsWork() {
			kind = models.DayWorkday
		}
		name := h.GetName()
		if n, ok := lunarNames[name]; ok {
			name = n
		}
		d := models.CalendarDay{Day: day, Kind: kind, Name: name}
		if prev, dup := seen[day]; dup {
			if prev != d {
				return y, nil, fmt.Errorf("lunar year %d: %s listed twice (%s, %s)", year, day, prev.Kind, d.Kind)
			}
			continue
		}
		seen[day] = d
		days = append(days, d)
	}
	if len(days) == 0 {
		return y, nil, models.Errorf(models.EUNAVAILABLE, "%s中没有%d年的节假日安排，请系统管理员按国务院办公厅通知录入。", lunarSource, year)
	}
	// The same checks as an administrator's entry: in the year, 调休上班 on a
	// weekend, no day twice.
	if _, err := models.NewCalendar([]models.CalendarYear{y}, days); err != nil {
		return y, nil, fmt.Errorf("lunar year %d: %w", year, err)
	}
	return y, days, nil
}
