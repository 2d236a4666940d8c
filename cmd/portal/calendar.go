package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"gongkai/models"
)

// calendarCommand manages the working-day calendar from the command line:
//
//	portal calendar list
//	portal calendar import [-confirmed] [-notice 国办发明电〔2026〕N号] FILE
//	portal calendar confirm [-notice REF] YEAR
//
// An import file lists one special day per line, "YYYY-MM-DD holiday|workday
// 名称" (workday = a weekend day designated 调休上班); blank lines and lines
// starting with # are ignored. All days must be in one year; the year's
// previous days are replaced and every open deadline is recomputed.
func calendarCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: portal calendar list | import [-confirmed] [-notice REF] FILE | confirm [-notice REF] YEAR")
		return 2
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("calendar "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	confirmed := fs.Bool("confirmed", false, "the days were checked against the State Council notice")
	notice := fs.String("notice", "", "the State Council notice, e.g. 国办发明电〔2026〕7号")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	if _, err := prepareDatabase(ctx, st, log); err != nil {
		log.Error("prepare database", "err", err)
		return 1
	}
	switch sub {
	case "list":
		cal, err := st.Calendar(ctx)
		if err != nil {
			fmt.Fprintln(stderr, models.ErrorMessage(err))
			return 1
		}
		fmt.Fprintf(stdout, "%-6s %-8s %-6s %-6s %s\n", "年度", "状态", "休息日", "调休上班", "来源")
		for _, y := range cal.Years() {
			var off, work int
			for _, d := range cal.Days(y.Year) {
				if d.Kind == models.DayHoliday {
					off++
				} else {
					work++
				}
			}
			src := y.Source
			if y.NoticeRef != "" {
				src += "（" + y.NoticeRef + "）"
			}
			fmt.Fprintf(stdout, "%-6d %-8s %-6d %-6d %s\n", y.Year, y.Status.Label(), off, work, src)
		}
		return 0
	case "import":
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: portal calendar import [-confirmed] [-notice REF] FILE")
			return 2
		}
		year, days, err := readCalendarFile(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(stderr, "calendar import: %v\n", err)
			return 1
		}
		status := models.YearUnconfirmed
		if *confirmed {
			status = models.YearConfirmed
		}
		moved, err := st.SaveCalendarYear(ctx, models.CalendarYear{Year: year, Status: status,
			Source: "管理员导入（" + fs.Arg(0) + "）", NoticeRef: *notice}, days)
		if err != nil {
			fmt.Fprintf(stderr, "calendar import: %s\n", messageOf(err))
			return 1
		}
		fmt.Fprintf(stdout, "已导入%d年节假日安排（%d天，%s），%d件办理中申请的答复期限随之变更。\n", year, len(days), status.Label(), moved)
		return 0
	case "confirm":
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: portal calendar confirm [-notice REF] YEAR")
			return 2
		}
		year, err := strconv.Atoi(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(stderr, "calendar confirm: %q is not a year\n", fs.Arg(0))
			return 2
		}
		if err := st.ConfirmCalendarYear(ctx, year, *notice, 0); err != nil {
			fmt.Fprintf(stderr, "calendar confirm: %s\n", messageOf(err))
			return 1
		}
		fmt.Fprintf(stdout, "已将%d年节假日安排标记为已核对。\n", year)
		return 0
	}
	fmt.Fprintf(stderr, "calendar: unknown subcommand %q\n", sub)
	return 2
}

// readCalendarFile parses an import file (see calendarCommand).
func readCalendarFile(path string) (int, []models.CalendarDay, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	var days []models.CalendarDay
	year := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return 0, nil, fmt.Errorf("line %d: want \"YYYY-MM-DD holiday|workday 名称\"", n)
		}
		d, err := models.ParseDate(fields[0])
		if err != nil {
			return 0, nil, fmt.Errorf("line %d: %v", n, err)
		}
		kind := models.DayKind(fields[1])
		if !kind.Valid() {
			return 0, nil, fmt.Errorf("line %d: kind %q, want holiday or workday", n, fields[1])
		}
		if year == 0 {
			year = d.Year()
		} else if d.Year() != year {
			return 0, nil, fmt.Errorf("line %d: %s is not in %d: import one year per file", n, d, year)
		}
		days = append(days, models.CalendarDay{Day: d, Kind: kind, Name: fields[2]})
	}
	if err := sc.Err(); err != nil {
		return 0, nil, err
	}
	if year == 0 {
		return 0, nil, fmt.Errorf("%s lists no days", path)
	}
	return year, days, nil
}

// messageOf gives the user-facing message of err, with its field messages.
func messageOf(err error) string {
	msg := models.ErrorMessage(err)
	for _, m := range models.FieldErrors(err) {
		msg += " " + m
	}
	return msg
}
