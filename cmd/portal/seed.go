package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"gongkai/models/store"
)

// seedCommand fills the database with synthetic data for load tests and
// the annual report's scale measurements (store.SeedSynthetic):
//
//	portal seed [-n 1000] [-years 2023-2026] [-agency CODE] [-seed N] [-force]
//
// It refuses a database whose agency holds real (non-seeded) applications
// unless -force. Run it with the portal stopped.
func seedCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	const usageLine = "usage: portal seed [-n 1000] [-years 2023-2026] [-agency CODE] [-seed N] [-force]"
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of applications")
	years := fs.String("years", fmt.Sprintf("%d-%d", time.Now().In(cfg.Location).Year()-3, time.Now().In(cfg.Location).Year()), "submission years, FROM-TO")
	agencyCode := fs.String("agency", "", "agency code (default: the first agency)")
	seed := fs.Uint64("seed", 0, "random seed, for a reproducible run (0: random)")
	force := fs.Bool("force", false, "generate even though the agency has real applications")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	from, to, ok := parseYears(*years)
	if !ok {
		fmt.Fprintln(stderr, "seed: -years wants FROM-TO, e.g. 2023-2026")
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	boot, err := prepareDatabase(ctx, st, log)
	if err != nil {
		log.Error("prepare database", "err", err)
		return 1
	}
	if boot != nil {
		fmt.Fprintf(stdout, "首次运行：已创建机关“%s”和系统管理员账号 %s，初始密码（只显示这一次）：%s\n",
			boot.Agency.Name, boot.AdminUsername, boot.AdminPassword)
	}
	var agencyID int64
	if *agencyCode != "" {
		a, err := selectAgency(ctx, st, *agencyCode)
		if err != nil {
			fmt.Fprintf(stderr, "seed: %v\n", err)
			return 1
		}
		agencyID = a.ID
	}
	lastReport := time.Now()
	res, err := st.SeedSynthetic(ctx, store.SyntheticOptions{
		AgencyID: agencyID, Applications: *n, FromYear: from, ToYear: to, Seed: *seed, Force: *force,
		Progress: func(done, total int) {
			if time.Since(lastReport) > 5*time.Second || done == total {
				fmt.Fprintf(stdout, "  %d / %d\n", done, total)
				lastReport = time.Now()
			}
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "生成模拟数据失败 (seed failed): %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "已生成模拟数据：%d件申请（%d个模拟申请人）、%d条办理记录、%d件复议诉讼、%d条目录，用时 %s（seed %d）。\n",
		res.Applications, res.Applicants, res.Events, res.Remedies, res.CatalogEntries, res.Duration.Round(time.Millisecond), res.Seed)
	fmt.Fprintf(stdout, "模拟申请的查询码均为 %s。\n", res.QueryCode)
	return 0
}

// parseYears reads FROM-TO (or a single year).
func parseYears(s string) (from, to int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		b = a
	}
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	return from, to, err1 == nil && err2 == nil && from <= to
}
