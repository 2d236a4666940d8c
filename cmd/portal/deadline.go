package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"gongkai/models"
)

// dateList collects repeated -pause FROM:TO flags.
type dateList []models.DateRange

func (l *dateList) String() string { return fmt.Sprint(*l) }

func (l *dateList) Set(v string) error {
	from, to, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("want FROM:TO, e.g. 2026-02-12:2026-03-05")
	}
	f, err := models.ParseDate(from)
	if err != nil {
		return err
	}
	t, err := models.ParseDate(to)
	if err != nil {
		return err
	}
	*l = append(*l, models.DateRange{From: f, To: t})
	return nil
}

// deadlineCommand is the staff deadline calculator on the command line. It
// uses the same engine as the portal (models.ComputeDeadline) and the
// database's calendar and clock settings. It prints the due date as
// YYYY-MM-DD on the first line and the explanation in Chinese after it.
func deadlineCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	received := fs.String("received", "", "receipt date YYYY-MM-DD (收到申请之日, 条例第三十一条)")
	corrected := fs.String("corrected", "", "the corrected application's receipt date (条例第三十条)")
	extend := fs.Bool("extend", false, "add the one extension of 20 working days (条例第三十三条)")
	var pauses dateList
	fs.Var(&pauses, "pause", "FROM:TO a consultation or fee notice sent FROM, answered, paid or expired TO (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rec, err := models.ParseDate(*received)
	if err != nil {
		fmt.Fprintln(stderr, "deadline: -received YYYY-MM-DD is required")
		return 2
	}
	var corr models.Date
	if *corrected != "" {
		if corr, err = models.ParseDate(*corrected); err != nil {
			fmt.Fprintf(stderr, "deadline: -corrected: %v\n", err)
			return 2
		}
	}
	st, err := openPrepared(ctx, cfg, log)
	if err != nil {
		return 1
	}
	defer st.Close()
	agency, err := selectAgency(ctx, st, cfg.Agency)
	if err != nil {
		fmt.Fprintf(stderr, "deadline: %s\n", models.ErrorMessage(err))
		return 1
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		fmt.Fprintln(stderr, messageOf(err))
		return 1
	}
	rules, err := st.ClockRules(ctx, agency.ID)
	if err != nil {
		fmt.Fprintln(stderr, messageOf(err))
		return 1
	}
	clock, err := models.ComputeDeadline(cal, rules, rec, corr, pauses, *extend)
	if err != nil {
		fmt.Fprintf(stderr, "无法计算答复期限：%s\n", messageOf(err))
		return 1
	}
	fmt.Fprintln(stdout, clock.DueOn)
	fmt.Fprintln(stdout, clock.Explanation)
	if clock.Warning != "" {
		fmt.Fprintln(stdout, clock.Warning)
	}
	return 0
}
