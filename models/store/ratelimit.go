package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RateLimit is a failure budget: Max failures within Window lock the
// bucket for Lockout. The counts live in the rate_limits table, so every
// portal process on the database shares them.
type RateLimit struct {
	Max     int
	Window  time.Duration
	Lockout time.Duration
}

// RateBucket names what is being limited, e.g. RateBucket("track-number",
// "TLMZ-2026-000001"). The value (a client address, an application number,
// a contact) is stored only as a keyed hash: the table never holds an IP
// address or a number in clear, and without the deployment secret the hash
// cannot be reversed by trying every phone number.
func (s *Store) RateBucket(scope, value string) string {
	mac := s.keys.SessionMAC("rate-limit\x00" + scope + "\x00" + value)
	return scope + ":" + mac[:40]
}

// RateLimited returns the end of the lockout in force on bucket, or the
// zero time when there is none. Callers check it before trying anything,
// so that a locked bucket answers the same whether the attempt would have
// succeeded or not.
func (s *Store) RateLimited(ctx context.Context, bucket string) (time.Time, error) {
	var until time.Time
	err := s.db.QueryRowContext(ctx, `SELECT locked_until FROM rate_limits WHERE bucket = ?`, bucket).Scan(scanTime{&until})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read rate limit: %w", err)
	}
	if !until.After(s.now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// RateLimitHit records one failure (or one use, for budgets of uses such as
// re-sending a query code) on bucket. When the failure is the limit's Max
// within its Window, the bucket is locked for Lockout; the returned time is
// the end of the lockout then in force (zero when none). The count and the
// lockout are read and written in one transaction, so concurrent failures
// from several processes all count.
func (s *Store) RateLimitHit(ctx context.Context, bucket string, limit RateLimit) (time.Time, error) {
	if limit.Max < 1 || limit.Window <= 0 || limit.Lockout <= 0 {
		return time.Time{}, fmt.Errorf("rate limit %+v: want positive max, window and lockout", limit)
	}
	var until time.Time
	for attempt := 0; ; attempt++ {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			var err error
			until, err = s.rateHitTx(ctx, tx, bucket, limit)
			return err
		})
		// Two processes inserting a new bucket at once: one wins the
		// primary key, the other retries and updates the row.
		if isUniqueViolation(err) && attempt < 3 {
			continue
		}
		if err != nil {
			return time.Time{}, err
		}
		break
	}
	if rand.IntN(50) == 0 {
		// Best effort: stale rows only take space, and a later hit
		// purges them.
		_, _ = s.PurgeRateLimits(ctx, 24*time.Hour)
	}
	return until, nil
}

func (s *Store) rateHitTx(ctx context.Context, tx *sql.Tx, bucket string, limit RateLimit) (time.Time, error) {
	now := s.nowUTC()
	var start, until time.Time
	var hits int
	err := tx.QueryRowContext(ctx, `SELECT window_start, hits, locked_until FROM rate_limits WHERE bucket = ?`+s.forUpdate(),
		bucket).Scan(scanTime{&start}, &hits, scanTime{&until})
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("read rate limit: %w", err)
	}
	if until.After(now) {
		return until, nil // already locked: the lockout does not grow
	}
	if !exists || now.Sub(start) >= limit.Window {
		start, hits = now, 0
	}
	hits++
	var locked any
	until = time.Time{}
	if hits >= limit.Max {
		until = now.Add(limit.Lockout)
		locked = until
		start, hits = now, 0 // a fresh budget once the lockout ends
	}
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE rate_limits SET window_start = ?, hits = ?, locked_until = ? WHERE bucket = ?`,
			start, hits, locked, bucket)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, window_start, hits, locked_until) VALUES (?, ?, ?, ?)`,
			bucket, start, hits, locked)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("write rate limit: %w", err)
	}
	return until, nil
}

// RateLimitReset forgets the failures on bucket, for example after a
// successful look-up. A lockout in force stays.
func (s *Store) RateLimitReset(ctx context.Context, bucket string) error {
	// Most successful look-ups had no failure before: a read then spares
	// them a write transaction, which on SQLite would queue behind the one
	// writer.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_limits WHERE bucket = ?`, bucket).Scan(&n); err != nil {
		return fmt.Errorf("reset rate limit: %w", err)
	}
	if n == 0 {
		return nil
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE bucket = ? AND (locked_until IS NULL OR locked_until <= ?)`,
			bucket, s.nowUTC())
		if err != nil {
			return fmt.Errorf("reset rate limit: %w", err)
		}
		return nil
	})
}

// PurgeRateLimits deletes buckets whose window started more than olderThan
// ago and that are not locked. It returns how many went.
func (s *Store) PurgeRateLimits(ctx context.Context, olderThan time.Duration) (int64, error) {
	now := s.nowUTC()
	var n int64
	err := s.withTx(ctx, func(tx *sql.Tx) error { // retried on an InnoDB deadlock
		res, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_start < ? AND (locked_until IS NULL OR locked_until <= ?)`,
			now.Add(-olderThan), now)
		if err != nil {
			return fmt.Errorf("purge rate limits: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
