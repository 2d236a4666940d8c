package models

// The built-in working-day calendar: the State Council's holiday notices for
// 2024, 2025 and 2026 as rules.md §4 records them (each notice read in full,
// see the sources there). Later years are loaded by an administrator, or
// from lunar-go as unconfirmed (models/store/lunar.go) until a person has
// checked them against the notice on gov.cn.
//
// Only days inside the year being defined are listed: 2024's 元旦 period
// starts on Saturday 2023-12-30, but 2023 is not part of this calendar, so
// 2024 begins with 1 January.

// builtinYears describes the three built-in years.
var builtinYears = []CalendarYear{
	{
		Year: 2024, Status: YearConfirmed, Source: "内置",
		// Dated 2023-10-25. rules.md §4.1 believes the number is
		// 国办发明电〔2023〕7号 but could not verify it, so it is not given.
		NoticeRef: "国务院办公厅关于2024年部分节假日安排的通知",
	},
	{
		Year: 2025, Status: YearConfirmed, Source: "内置",
		// Dated 2024-11-12; the first year under the revised
		// 《全国年节及纪念日放假办法》 (除夕 and 5月2日 added).
		NoticeRef: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
	},
	{
		Year: 2026, Status: YearConfirmed, Source: "内置",
		// Dated 2025-11-04. The copies read show no document number
		// (toolchain.md recalls 国办发明电〔2025〕7号, unverified).
		NoticeRef: "国务院办公厅关于2026年部分节假日安排的通知",
	},
}

// builtinDays lists every day off and every 调休上班 day of the built-in
// years, in date order.
var builtinDays = []CalendarDay{
	// 2024 (rules.md §4.1)
	builtinOff("2024-01-01", "元旦"), // 2023-12-30 and 12-31 belong to 2023
	builtinWork("2024-02-04", "春节"),
	builtinOff("2024-02-10", "春节"), builtinOff("2024-02-11", "春节"), builtinOff("2024-02-12", "春节"), builtinOff("2024-02-13", "春节"),
	builtinOff("2024-02-14", "春节"), builtinOff("2024-02-15", "春节"), builtinOff("2024-02-16", "春节"), builtinOff("2024-02-17", "春节"),
	builtinWork("2024-02-18", "春节"), // 2024-02-09 (除夕) was an ordinary working day
	builtinOff("2024-04-04", "清明节"), builtinOff("2024-04-05", "清明节"), builtinOff("2024-04-06", "清明节"),
	builtinWork("2024-04-07", "清明节"),
	builtinWork("2024-04-28", "劳动节"),
	builtinOff("2024-05-01", "劳动节"), builtinOff("2024-05-02", "劳动节"), builtinOff("2024-05-03", "劳动节"), builtinOff("2024-05-04", "劳动节"),
	builtinOff("2024-05-05", "劳动节"),
	builtinWork("2024-05-11", "劳动节"),
	builtinOff("2024-06-08", "端午节"), builtinOff("2024-06-09", "端午节"), builtinOff("2024-06-10", "端午节"),
	builtinWork("2024-09-14", "中秋节"),
	builtinOff("2024-09-15", "中秋节"), builtinOff("2024-09-16", "中秋节"), builtinOff("2024-09-17", "中秋节"),
	builtinWork("2024-09-29", "国庆节"),
	builtinOff("2024-10-01", "国庆节"), builtinOff("2024-10-02", "国庆节"), builtinOff("2024-10-03", "国庆节"), builtinOff("2024-10-04", "国庆节"),
	builtinOff("2024-10-05", "国庆节"), builtinOff("2024-10-06", "国庆节"), builtinOff("2024-10-07", "国庆节"),
	builtinWork("2024-10-12", "国庆节"),

	// 2025 (rules.md §4.2)
	builtinOff("2025-01-01", "元旦"),
	builtinWork("2025-01-26", "春节"),
	builtinOff("2025-01-28", "春节"), builtinOff("2025-01-29", "春节"), builtinOff("2025-01-30", "春节"), builtinOff("2025-01-31", "春节"),
	builtinOff("2025-02-01", "春节"), builtinOff("2025-02-02", "春节"), builtinOff("2025-02-03", "春节"), builtinOff("2025-02-04", "春节"),
	builtinWork("2025-02-08", "春节"),
	builtinOff("2025-04-04", "清明节"), builtinOff("2025-04-05", "清明节"), builtinOff("2025-04-06", "清明节"),
	builtinWork("2025-04-27", "劳动节"),
	builtinOff("2025-05-01", "劳动节"), builtinOff("2025-05-02", "劳动节"), builtinOff("2025-05-03", "劳动节"), builtinOff("2025-05-04", "劳动节"),
	builtinOff("2025-05-05", "劳动节"),
	builtinOff("2025-05-31", "端午节"), builtinOff("2025-06-01", "端午节"), builtinOff("2025-06-02", "端午节"),
	builtinWork("2025-09-28", "国庆节、中秋节"),
	builtinOff("2025-10-01", "国庆节、中秋节"), builtinOff("2025-10-02", "国庆节、中秋节"), builtinOff("2025-10-03", "国庆节、中秋节"),
	builtinOff("2025-10-04", "国庆节、中秋节"), builtinOff("2025-10-05", "国庆节、中秋节"), builtinOff("2025-10-06", "国庆节、中秋节"),
	builtinOff("2025-10-07", "国庆节、中秋节"), builtinOff("2025-10-08", "国庆节、中秋节"),
	builtinWork("2025-10-11", "国庆节、中秋节"),

	// 2026 (rules.md §4.3)
	builtinOff("2026-01-01", "元旦"), builtinOff("2026-01-02", "元旦"), builtinOff("2026-01-03", "元旦"),
	builtinWork("2026-01-04", "元旦"),
	builtinWork("2026-02-14", "春节"),
	builtinOff("2026-02-15", "春节"), builtinOff("2026-02-16", "春节"), builtinOff("2026-02-17", "春节"), builtinOff("2026-02-18", "春节"),
	builtinOff("2026-02-19", "春节"), builtinOff("2026-02-20", "春节"), builtinOff("2026-02-21", "春节"), builtinOff("2026-02-22", "春节"),
	builtinOff("2026-02-23", "春节"),
	builtinWork("2026-02-28", "春节"),
	builtinOff("2026-04-04", "清明节"), builtinOff("2026-04-05", "清明节"), builtinOff("2026-04-06", "清明节"),
	builtinOff("2026-05-01", "劳动节"), builtinOff("2026-05-02", "劳动节"), builtinOff("2026-05-03", "劳动节"), builtinOff("2026-05-04", "劳动节"),
	builtinOff("2026-05-05", "劳动节"),
	builtinWork("2026-05-09", "劳动节"),
	builtinOff("2026-06-19", "端午节"), builtinOff("2026-06-20", "端午节"), builtinOff("2026-06-21", "端午节"),
	builtinWork("2026-09-20", "国庆节"),
	builtinOff("2026-09-25", "中秋节"), builtinOff("2026-09-26", "中秋节"), builtinOff("2026-09-27", "中秋节"),
	builtinOff("2026-10-01", "国庆节"), builtinOff("2026-10-02", "国庆节"), builtinOff("2026-10-03", "国庆节"), builtinOff("2026-10-04", "国庆节"),
	builtinOff("2026-10-05", "国庆节"), builtinOff("2026-10-06", "国庆节"), builtinOff("2026-10-07", "国庆节"),
	builtinWork("2026-10-10", "国庆节"),
}

func builtinOff(day, name string) CalendarDay {
	return CalendarDay{Day: MustParseDate(day), Kind: DayHoliday, Name: name}
}

func builtinWork(day, name string) CalendarDay {
	return CalendarDay{Day: MustParseDate(day), Kind: DayWorkday, Name: name}
}

// BuiltinCalendar returns the built-in years 2024–2026 and their days, as
// fresh slices the caller may keep. Pass them to NewCalendar, or seed the
// calendar tables with them.
func BuiltinCalendar() ([]CalendarYear, []CalendarDay) {
	years := make([]CalendarYear, len(builtinYears))
	copy(years, builtinYears)
	days := make([]CalendarDay, len(builtinDays))
	copy(days, builtinDays)
	return years, days
}
