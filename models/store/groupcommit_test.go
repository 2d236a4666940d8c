package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"gongkai/models"
)

func openTestSQLite(t *testing.T) *Store {
	return openTestStore(t, "sqlite:"+filepath.Join(t.TempDir(), "g.db"))
}

// eachTestStore runs fn on a fresh SQLite store and, when
// PORTAL_TEST_MYSQL_DSN is set, on a fresh MySQL database (the internal
// tests cannot use storetest, which imports this package).
func eachTestStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openTestSQLite(t)) })
	t.Run("mysql", func(t *testing.T) {
		base := os.Getenv("PORTAL_TEST_MYSQL_DSN")
		if base == "" {
			t.Skip("MySQL store tests need PORTAL_TEST_MYSQL_DSN (see .ci/run)")
		}
		cfg, err := mysqldriver.ParseDSN(strings.TrimPrefix(base, "mysql:"))
		if err != nil {
			t.Fatal(err)
		}
		admin := *cfg
		admin.DBName = ""
		db, err := sql.Open("mysql", admin.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		cfg.DBName = fmt.Sprintf("gongkai_test_gc_%d", time.Now().UnixNano())
		if _, err := db.Exec("CREATE DATABASE " + cfg.DBName + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if db, err := sql.Open("mysql", admin.FormatDSN()); err == nil {
				db.Exec("DROP DATABASE IF EXISTS " + cfg.DBName)
				db.Close()
			}
		})
		fn(t, openTestStore(t, "mysql:"+cfg.FormatDSN()))
	})
}

func openTestStore(t *testing.T, dsn string) *Store {
	t.Helper()
	keys, err := models.NewKeyring([]byte("group-commit-test-secret-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Config{DSN: dsn, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBatchCommitFailureGivesNoNumber: when the shared commit fails, every
// submission in the batch gets an error, including those whose own writes
// went fine, and nothing is stored.
func TestBatchCommitFailureGivesNoNumber(t *testing.T) {
	s := openTestSQLite(t)
	ctx := context.Background()
	var stored []string
	good := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'probe', 2026, 1)`)
		stored = append(stored, "probe")
		return err
	}}
	// A deferred foreign-key violation passes every statement and fails
	// at COMMIT: a real commit failure, not a simulated one.
	bad := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, agency_id, seq, kind, occurred_on,
			recorded_at, actor_kind, data) VALUES (999999, 1, 1, 'submitted', '2026-02-10', '2026-02-10 00:00:00', 'system', '{}')`)
		return err
	}}
	s.group.commit([]*batchRequest{good, bad})
	for name, r := range map[string]*batchRequest{"good": good, "bad": bad} {
		err := <-r.done
		if err == nil || !strings.Contains(err.Error(), "commit") {
			t.Errorf("%s submission: err = %v, want the commit failure", name, err)
		}
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM sequences WHERE name = 'probe'`).Scan(&n)
	if n != 0 || len(stored) != 1 {
		t.Errorf("probe rows after a failed commit = %d, want 0", n)
	}
	// The next batch works.
	sub, err := s.SubmitApplication(ctx, &NewApplication{AgencyID: 1, Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三"},
		Application: models.Application{Channel: models.ChannelOnline, Title: "之后的申请"}, ActorKind: models.ActorApplicant})
	if err != nil || sub.Application.Number != "TLMZ-"+sub.Application.Number[5:9]+"-000001" {
		t.Errorf("submission after a failed batch: %v, %v", sub, err)
	}
}

// TestBatchIsolatesFailures: one failing submission in a batch rolls back
// only its own writes.
func TestBatchIsolatesFailures(t *testing.T) {
	eachTestStore(t, testBatchIsolatesFailures)
}

func testBatchIsolatesFailures(t *testing.T, s *Store) {
	ctx := context.Background()
	ok1 := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'a', 2026, 1)`)
		return err
	}}
	fails := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'b', 2026, 1)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO no_such_table VALUES (1)`)
		return err
	}}
	panics := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'c', 2026, 1)`)
		panic("boom")
	}}
	ok2 := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'd', 2026, 1)`)
		return err
	}}
	s.group.commit([]*batchRequest{ok1, fails, panics, ok2})
	for name, c := range map[string]struct {
		r       *batchRequest
		wantErr bool
	}{"ok1": {ok1, false}, "fails": {fails, true}, "panics": {panics, true}, "ok2": {ok2, false}} {
		if err := <-c.r.done; (err != nil) != c.wantErr {
			t.Errorf("%s: err = %v, want error %v", name, err, c.wantErr)
		}
	}
	rows, _ := s.db.Query(`SELECT name FROM sequences WHERE year = 2026 AND agency_id = 1 ORDER BY name`)
	var got []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		got = append(got, n)
	}
	rows.Close()
	if strings.Join(got, ",") != "a,d" {
		t.Errorf("rows = %v, want a,d: a failed submission's writes must be undone, the others kept", got)
	}
}

// TestConcurrentDuplicateKeysInOneBatch: the same form token posted many
// times at once yields one application and the same number for all.
func TestConcurrentDuplicateKeysInOneBatch(t *testing.T) {
	eachTestStore(t, testConcurrentDuplicateKeysInOneBatch)
}

func testConcurrentDuplicateKeysInOneBatch(t *testing.T, s *Store) {
	var wg sync.WaitGroup
	numbers := make([]string, 20)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub, err := s.SubmitApplication(context.Background(), &NewApplication{AgencyID: 1,
				Applicant:      models.Applicant{Kind: models.ApplicantPerson, Name: "张三"},
				Application:    models.Application{Channel: models.ChannelOnline, Title: "双击"},
				IdempotencyKey: "same-token", ActorKind: models.ActorApplicant})
			if err != nil {
				t.Error(err)
				return
			}
			numbers[i] = sub.Application.Number
		}()
	}
	wg.Wait()
	for _, n := range numbers {
		if n != numbers[0] {
			t.Fatalf("numbers differ: %v", numbers)
		}
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
	if n != 1 {
		t.Errorf("applications = %d, want 1", n)
	}
}

// TestBatchRetriedAfterDeadlock: on MySQL a deadlock rolls back the whole
// transaction, savepoints included, so the committer runs the whole batch
// again: the submissions before the victim are stored once, not lost and
// not twice, and every submission succeeds.
func TestBatchRetriedAfterDeadlock(t *testing.T) {
	eachTestStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		insert := func(name string, runs *int, failFirst bool) *batchRequest {
			return &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
				*runs++
				if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, ?, 2026, 1)`, name); err != nil {
					return err
				}
				if failFirst && *runs == 1 {
					return fmt.Errorf("insert: %w", &mysqldriver.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"})
				}
				return nil
			}}
		}
		var runsA, runsB, runsC int
		a, b, c := insert("dl-a", &runsA, false), insert("dl-b", &runsB, true), insert("dl-c", &runsC, false)
		s.group.commit([]*batchRequest{a, b, c})
		for name, r := range map[string]*batchRequest{"a": a, "b": b, "c": c} {
			if err := <-r.done; err != nil {
				t.Errorf("%s: %v, want success after the retry", name, err)
			}
		}
		if runsA != 2 || runsB != 2 || runsC != 1 {
			t.Errorf("runs a=%d b=%d c=%d, want 2 2 1 (the batch runs again from its start, c only then)", runsA, runsB, runsC)
		}
		var n int
		s.db.QueryRow(`SELECT COUNT(*) FROM sequences WHERE name IN ('dl-a', 'dl-b', 'dl-c')`).Scan(&n)
		if n != 3 {
			t.Errorf("rows = %d, want 3: each submission stored exactly once", n)
		}
	})
}

// TestBatchGivesUpAfterRepeatedDeadlocks: a batch that deadlocks every
// time reports the error to every submission after four attempts and
// stores nothing.
func TestBatchGivesUpAfterRepeatedDeadlocks(t *testing.T) {
	eachTestStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var runs int
		r := &batchRequest{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			runs++
			tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (1, 'dl-x', 2026, 1)`)
			return &mysqldriver.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}
		}}
		s.group.commit([]*batchRequest{r})
		if err := <-r.done; !isDeadlock(err) || runs != 4 {
			t.Errorf("err = %v after %d runs, want the deadlock after 4", err, runs)
		}
		var n int
		s.db.QueryRow(`SELECT COUNT(*) FROM sequences WHERE name = 'dl-x'`).Scan(&n)
		if n != 0 {
			t.Errorf("rows = %d, want 0", n)
		}
	})
}
