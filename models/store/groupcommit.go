package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// groupCommitter commits concurrent submissions together.
//
// A submission is accepted only once it is on disk (synchronous=FULL), and
// each commit costs one fsync of the WAL: 0.2 ms on a quiet disk, up to
// 2 ms under load. One writer goroutine therefore takes every submission
// that arrived while the previous commit ran, runs each inside its own
// SAVEPOINT of one transaction, and commits them with a single fsync. A
// submission that fails rolls back to its savepoint alone; if the commit
// itself fails, every submission of the batch gets the error and no
// number is shown for any of them.
//
// MySQL needs it too: InnoDB groups the redo-log flushes of concurrent
// transactions, but every submission takes the agency's numbering row
// (sequences) and holds its lock until its commit's flush, so separate
// transactions queue one flush after another (about 430 submissions a
// second on MariaDB, see BENCHMARKS.md); one transaction per batch takes
// the lock and the flush once for the batch.
type groupCommitter struct {
	db       *sql.DB
	reqs     chan *batchRequest
	maxBatch int
	mu       sync.RWMutex // held for reading while sending, for writing to close
	closed   bool
	done     chan struct{}
	// beforeCommit is the store's commit hook (fault injection in tests).
	beforeCommit func(ctx context.Context, tx *sql.Tx) error
}

type batchRequest struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

func newGroupCommitter(db *sql.DB, maxBatch int, beforeCommit func(ctx context.Context, tx *sql.Tx) error) *groupCommitter {
	g := &groupCommitter{db: db, reqs: make(chan *batchRequest, 4*maxBatch), maxBatch: maxBatch, done: make(chan struct{}),
		beforeCommit: beforeCommit}
	go g.run()
	return g
}

var errStoreClosed = errors.New("store closed")

// do runs fn in the next batch and returns when the batch has committed
// (nil) or failed.
func (g *groupCommitter) do(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	r := &batchRequest{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return errStoreClosed
	}
	select {
	case g.reqs <- r:
	case <-ctx.Done():
		g.mu.RUnlock()
		return ctx.Err()
	}
	g.mu.RUnlock()
	// Once queued, wait for the outcome even if the client goes away: the
	// submission may already be committed, and the caller must know.
	return <-r.done
}

func (g *groupCommitter) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.reqs)
	}
	g.mu.Unlock()
	<-g.done
}

func (g *groupCommitter) run() {
	defer close(g.done)
	for first := range g.reqs {
		batch := []*batchRequest{first}
	drain:
		for len(batch) < g.maxBatch {
			select {
			case r, ok := <-g.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		g.commit(batch)
	}
}

// commit runs one batch in one transaction. On MySQL a deadlock (with
// another portal process's batch or a staff action) rolls back the whole
// transaction, not just one savepoint, so the whole batch runs again, a
// few times, as withTx does for a single transaction.
func (g *groupCommitter) commit(batch []*batchRequest) {
	var results []error
	for attempt := 1; ; attempt++ {
		var deadlocked bool
		results, deadlocked = g.commitOnce(batch)
		if !deadlocked || attempt == 4 {
			break
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// commitOnce runs the batch in one transaction and returns each
// submission's outcome, and whether the transaction was lost to a
// deadlock (then nothing of it is stored and it may run again).
func (g *groupCommitter) commitOnce(batch []*batchRequest) (results []error, deadlocked bool) {
	ctx := context.Background()
	results = make([]error, len(batch))
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		for i := range batch {
			results[i] = fmt.Errorf("begin transaction: %w", err)
		}
		return results, false
	}
	for i, r := range batch {
		if r.ctx.Err() != nil { // the client gave up before its turn
			results[i] = r.ctx.Err()
			continue
		}
		results[i] = g.runOne(ctx, tx, r)
		if isDeadlock(results[i]) {
			tx.Rollback()
			return results, true
		}
	}
	err = nil
	if g.beforeCommit != nil {
		err = g.beforeCommit(ctx, tx)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		tx.Rollback()
		for i := range batch {
			if results[i] == nil {
				results[i] = fmt.Errorf("commit: %w", err)
			}
		}
		return results, isDeadlock(err)
	}
	return results, false
}

// runOne runs one submission inside a savepoint, so its failure (or
// panic) undoes only its own writes.
func (g *groupCommitter) runOne(ctx context.Context, tx *sql.Tx, r *batchRequest) (err error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT submission`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("submission panicked: %v", p)
		}
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT submission`); rerr != nil {
				err = errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rerr))
			}
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE SAVEPOINT submission`); rerr != nil && err == nil {
			err = fmt.Errorf("release savepoint: %w", rerr)
		}
	}()
	return r.fn(ctx, tx)
}

// inSubmissionTx runs fn in a transaction that commits durably, through
// the group committer (a transaction of its own with NoGroupCommit).
func (s *Store) inSubmissionTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if s.group != nil {
		return s.group.do(ctx, fn)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return fn(ctx, tx) })
}
