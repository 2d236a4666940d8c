package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"gongkai/models"
)

// Daily jobs run in every portal process on a ticker, but each job runs
// once a day however many processes share the database. A job's row in
// job_leases decides: a process takes the lease in a short transaction
// (the row locked: FOR UPDATE on MySQL, the write lock on SQLite) unless
// the job is done for today or another process holds an unexpired lease,
// runs the job outside any transaction, and marks the day done. A process
// that dies mid-run loses its lease when it expires, and the next one
// takes the job over, marking the dead run abandoned. Every run is a row
// of job_runs.

// JobFunc is a job's work; it returns a summary in Chinese.
type JobFunc func(ctx context.Context) (string, error)

// JobOptions tune RunJob.
type JobOptions struct {
	// Holder names this process in the lease and the runs (host and pid).
	Holder string
	// Lease is how long the lease holds without the job finishing; after
	// that another process may take the job over. Default 30 minutes.
	Lease time.Duration
	// RetryAfter is how long a failed job waits before another attempt the
	// same day. Default one hour.
	RetryAfter time.Duration
	// Force runs the job even if it is done for today (the command line's
	// -force); a lease held by another process is still respected.
	Force bool
}

// ErrJobHeld is returned, wrapped, by RunJob when the job's lease is in
// force: it runs in another process, or it failed a moment ago and waits
// for its retry (JobOptions.RetryAfter).
var ErrJobHeld = errors.New("the job's lease is held")

// RunJob runs the job name for today unless it is done for today or its
// lease is held. It returns the run and the job's own error when it ran;
// nil and nil when the job was done already; nil and ErrJobHeld when the
// lease is held.
func (s *Store) RunJob(ctx context.Context, name string, opts JobOptions, fn JobFunc) (*models.JobRun, error) {
	if opts.Lease <= 0 {
		opts.Lease = 30 * time.Minute
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Hour
	}
	if opts.Holder == "" {
		opts.Holder = "portal"
	}
	run, err := s.claimJob(ctx, name, opts)
	if err != nil || run == nil {
		return nil, err
	}
	summary, jobErr := runGuarded(ctx, fn)
	if err := s.finishJob(ctx, run, opts, summary, jobErr); err != nil {
		return run, errors.Join(jobErr, err)
	}
	return run, jobErr
}

// runGuarded runs fn, turning a panic into an error so that the run is
// recorded as failed rather than left running.
func runGuarded(ctx context.Context, fn JobFunc) (summary string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
		}
	}()
	return fn(ctx)
}

// claimJob takes the lease of a job for today and records the run.
func (s *Store) claimJob(ctx context.Context, name string, opts JobOptions) (*models.JobRun, error) {
	now := s.nowUTC()
	today := models.DateOf(now, s.loc)
	var run *models.JobRun
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		insert := `INSERT INTO job_leases (name, holder, updated_at) VALUES (?, '', ?) ON CONFLICT (name) DO NOTHING`
		if s.dialect == MySQL {
			// ON DUPLICATE KEY UPDATE takes the row's exclusive lock at
			// once; INSERT IGNORE would take a shared lock, and two
			// processes upgrading theirs for the SELECT … FOR UPDATE below
			// would deadlock.
			insert = `INSERT INTO job_leases (name, holder, updated_at) VALUES (?, '', ?) ON DUPLICATE KEY UPDATE name = name`
		}
		if _, err := tx.ExecContext(ctx, insert, name, now); err != nil {
			return fmt.Errorf("job %s: lease row: %w", name, err)
		}
		var holder string
		var until time.Time
		var done models.Date
		if err := tx.QueryRowContext(ctx, `SELECT holder, leased_until, done_on FROM job_leases WHERE name = ?`+s.forUpdate(),
			name).Scan(&holder, scanTime{&until}, &done); err != nil {
			return fmt.Errorf("job %s: read lease: %w", name, err)
		}
		if done == today && !opts.Force {
			return nil
		}
		// A lease in force: the job runs in another process, or failed a
		// moment ago and waits for its retry.
		if !until.IsZero() && until.After(now) {
			return fmt.Errorf("%w (%s, until %s)", ErrJobHeld, holder, until.In(s.loc).Format(time.DateTime))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE job_leases SET holder = ?, leased_until = ?, updated_at = ? WHERE name = ?`,
			opts.Holder, now.Add(opts.Lease), now, name); err != nil {
			return fmt.Errorf("job %s: take lease: %w", name, err)
		}
		// A run left "running" lost its process: the lease it held expired.
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET result = ?, finished_at = ?,
			error = 'the process running the job stopped before it finished' WHERE name = ? AND result = ?`,
			string(models.JobAbandoned), now, name, string(models.JobRunning)); err != nil {
			return fmt.Errorf("job %s: close abandoned runs: %w", name, err)
		}
		run = &models.JobRun{Name: name, Day: today, Holder: opts.Holder, StartedAt: now, Result: models.JobRunning}
		res, err := tx.ExecContext(ctx, `INSERT INTO job_runs (name, day, holder, started_at, result, summary, error)
			VALUES (?, ?, ?, ?, ?, '', '')`, name, today, opts.Holder, now, string(models.JobRunning))
		if err != nil {
			return fmt.Errorf("job %s: record run: %w", name, err)
		}
		run.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

// finishJob records how a run ended and releases the lease: done for the
// day on success; on failure the lease is kept for RetryAfter, so that the
// job is tried again later that day, by any process.
func (s *Store) finishJob(ctx context.Context, run *models.JobRun, opts JobOptions, summary string, jobErr error) error {
	// The job's context may be cancelled (shutdown); the record is written
	// regardless.
	ctx = context.WithoutCancel(ctx)
	now := s.nowUTC()
	run.FinishedAt, run.Summary, run.Result = now, summary, models.JobOK
	if jobErr != nil {
		run.Result, run.Error = models.JobFailed, truncate(jobErr.Error(), 2000)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = ?, result = ?, summary = ?, error = ? WHERE id = ? AND result = ?`,
			now, string(run.Result), run.Summary, run.Error, run.ID, string(models.JobRunning))
		if err != nil {
			return fmt.Errorf("job %s: record end: %w", run.Name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// Another process took the job over meanwhile (this lease had
			// expired): the run stays abandoned, with what it did.
			run.Result = models.JobAbandoned
			_, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = ?, summary = ? WHERE id = ?`, now, run.Summary, run.ID)
			return err
		}
		if jobErr == nil {
			_, err = tx.ExecContext(ctx, `UPDATE job_leases SET done_on = ?, leased_until = NULL, updated_at = ?
				WHERE name = ? AND holder = ?`, run.Day, now, run.Name, run.Holder)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE job_leases SET leased_until = ?, updated_at = ? WHERE name = ? AND holder = ?`,
				now.Add(opts.RetryAfter), now, run.Name, run.Holder)
		}
		if err != nil {
			return fmt.Errorf("job %s: release lease: %w", run.Name, err)
		}
		return nil
	})
}

// truncate cuts s to at most n bytes on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// JobRuns lists the latest runs of every job, newest first.
func (s *Store) JobRuns(ctx context.Context, limit int) ([]models.JobRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, day, holder, started_at, finished_at, result, summary, error
		FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list job runs: %w", err)
	}
	defer rows.Close()
	var out []models.JobRun
	for rows.Next() {
		var r models.JobRun
		if err := rows.Scan(&r.ID, &r.Name, &r.Day, &r.Holder, scanTime{&r.StartedAt}, scanTime{&r.FinishedAt},
			&r.Result, &r.Summary, &r.Error); err != nil {
			return nil, fmt.Errorf("list job runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
