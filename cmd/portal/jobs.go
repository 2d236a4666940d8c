package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"gongkai/handlers"
	"gongkai/models/store"
)

// Daily jobs: every portal process tries them on a ticker; the lease in the
// database (store.RunJob) lets one process a day run each. `portal jobs
// run` runs them once from the command line, through the same lease.

// jobInterval is how often `portal serve` tries the daily jobs. A job
// already done today returns at once, so trying often only decides how
// soon after midnight the day's run starts.
const jobInterval = 5 * time.Minute

// portalJob is a daily job.
type portalJob struct {
	name string
	run  store.JobFunc
}

// portalJobs lists the daily jobs, in the order they run: the clock job
// first, so that the reminders report the expiries it applied.
func portalJobs(st *store.Store, reminders handlers.Reminders) []portalJob {
	return []portalJob{{store.DailyJobName, st.DailyJob}, {store.ReminderJobName, reminders.Run}}
}

// jobHolder names this process in job leases and runs.
func jobHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "portal"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// runJobs tries each job once. force runs a job already done today.
func runJobs(ctx context.Context, st *store.Store, log *slog.Logger, jobs []portalJob, holder string, force bool) error {
	var errs []error
	for _, j := range jobs {
		run, err := st.RunJob(ctx, j.name, store.JobOptions{Holder: holder, Force: force}, j.run)
		switch {
		case errors.Is(err, store.ErrJobHeld):
			log.Debug("job not run: lease held", "job", j.name, "detail", err)
		case err != nil:
			log.Error("job failed", "job", j.name, "err", err)
			errs = append(errs, fmt.Errorf("%s: %w", j.name, err))
		case run != nil:
			log.Info("job done", "job", j.name, "summary", run.Summary, "ms", run.Duration().Milliseconds())
		}
	}
	return errors.Join(errs...)
}

// jobLoop tries the jobs at start and then every interval until ctx ends.
func jobLoop(ctx context.Context, st *store.Store, log *slog.Logger, jobs []portalJob, interval time.Duration) {
	holder := jobHolder()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = runJobs(ctx, st, log, jobs, holder, false)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// jobsCommand runs the daily jobs once:
//
//	portal jobs run [-force] [NAME]
//
// A job already done today is skipped unless -force; a job whose lease
// another process holds is not run (exit 1 with a message).
func jobsCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	const usageLine = "usage: portal jobs run [-force] [NAME]   (jobs: " + store.DailyJobName + ", " + store.ReminderJobName + ")"
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	fs := flag.NewFlagSet("jobs run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	force := fs.Bool("force", false, "run even if the job already ran today")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 1 {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	if pending, err := st.PendingMigrations(ctx); err != nil || pending > 0 {
		fmt.Fprintf(stderr, "jobs run: the database is not migrated (pending %d, %v); run portal migrate first\n", pending, err)
		return 1
	}
	mailer, err := newMailer(ctx, cfg, st, log)
	if err != nil {
		log.Error("mail", "err", err)
		return 1
	}
	jobs := portalJobs(st, handlers.Reminders{Store: st, Mailer: mailer, BaseURL: cfg.BaseURL, Log: log})
	if name := fs.Arg(0); name != "" {
		var pick []portalJob
		for _, j := range jobs {
			if j.name == name {
				pick = append(pick, j)
			}
		}
		if len(pick) == 0 {
			fmt.Fprintf(stderr, "jobs run: unknown job %q\n%s\n", name, usageLine)
			return 2
		}
		jobs = pick
	}
	holder := jobHolder()
	code := 0
	for _, j := range jobs {
		run, err := st.RunJob(ctx, j.name, store.JobOptions{Holder: holder, Force: *force}, j.run)
		switch {
		case errors.Is(err, store.ErrJobHeld):
			fmt.Fprintf(stdout, "%s: 未运行，另一进程正在运行或刚失败等待重试（%v）\n", j.name, err)
			code = 1
		case run == nil && err == nil:
			fmt.Fprintf(stdout, "%s: 今天已运行过（使用 -force 再次运行）\n", j.name)
		case err != nil:
			fmt.Fprintf(stdout, "%s: 失败：%v\n", j.name, err)
			code = 1
		default:
			fmt.Fprintf(stdout, "%s: 完成：%s\n", j.name, run.Summary)
		}
	}
	return code
}
