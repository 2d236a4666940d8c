package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"

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
	st, err := openPrepared(ctx, cfg, log)
	if err != nil {
		return 1
	}
	defer st.Close()
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

// readCalendarFile parses an import file (see calendarCommand) with the
// parser the administrator's calendar page uses.
func readCalendarFile(path string) (int, []models.CalendarDay, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	return models.ParseCalendarText(f)
}

// messageOf gives the user-facing message of err, with its field messages.
func messageOf(err error) string {
	msg := models.ErrorMessage(err)
	for _, m := range models.FieldErrors(err) {
		msg += " " + m
	}
	return msg
}
