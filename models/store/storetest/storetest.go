// Package storetest opens real databases for tests: a fresh SQLite file in
// the test's temporary folder, and, when PORTAL_TEST_MYSQL_DSN is set, a
// fresh MySQL/MariaDB database that is dropped when the test ends. Store
// tests run against both through Each.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"gongkai/models"
	"gongkai/models/store"
)

// MySQLEnv names the variable with the DSN of a MariaDB/MySQL server whose
// user may create and drop databases named gongkai_test*.
const MySQLEnv = "PORTAL_TEST_MYSQL_DSN"

// Secret is the deployment secret test stores use.
var Secret = []byte("gongkai-test-secret-0123456789-abcdefghijklmnop")

// Keys returns a keyring for Secret.
func Keys(t testing.TB) *models.Keyring {
	t.Helper()
	k, err := models.NewKeyring(Secret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Clock is a settable clock for stores under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock that reads t until moved.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Shanghai is the agency time zone used in tests.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Options tune a test store.
type Options struct {
	Keys  *models.Keyring // default Keys(t)
	Clock *Clock          // default: 2026-02-10 09:30 Asia/Shanghai
	// NoSeed leaves the database empty (migrated only). By default it is
	// seeded like a first run: the default agency, its sections, an admin,
	// and the built-in calendar.
	NoSeed bool
	// DashboardHistoryTTL is store.Config's (default 0: no cache).
	DashboardHistoryTTL time.Duration
}

// Engines lists the engines Each runs on: always sqlite; mysql when
// PORTAL_TEST_MYSQL_DSN is set.
func Engines() []store.Dialect {
	if os.Getenv(MySQLEnv) != "" {
		return []store.Dialect{store.SQLite, store.MySQL}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs fn as a subtest on every engine, each with a fresh database. On
// a machine without MariaDB the mysql subtest is skipped with a message
// naming the variable, so CI can check that nothing was skipped.
func Each(t *testing.T, opts Options, fn func(t *testing.T, s *store.Store, clock *Clock)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			if d == store.MySQL && os.Getenv(MySQLEnv) == "" {
				t.Skip("MySQL store tests need " + MySQLEnv + " (see .ci/run)")
			}
			s, clock := Open(t, d, opts)
			fn(t, s, clock)
		})
	}
}

// Open returns a migrated (and by default seeded) store on the engine.
func Open(t testing.TB, d store.Dialect, opts Options) (*store.Store, *Clock) {
	t.Helper()
	dsn := DSN(t, d)
	if opts.Keys == nil {
		opts.Keys = Keys(t)
	}
	if opts.Clock == nil {
		opts.Clock = NewClock(time.Date(2026, 2, 10, 9, 30, 0, 0, Shanghai))
	}
	s, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: opts.Keys, Location: Shanghai, Now: opts.Clock.Now,
		DashboardHistoryTTL: opts.DashboardHistoryTTL})
	if err != nil {
		t.Fatalf("open %s store: %v", d, err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	if !opts.NoSeed {
		if _, err := s.Seed(ctx); err != nil {
			t.Fatalf("seed %s: %v", d, err)
		}
		if _, err := s.EnsureCalendar(ctx); err != nil {
			t.Fatalf("load calendar %s: %v", d, err)
		}
	}
	return s, opts.Clock
}

// DSN returns a PORTAL_DB value for a fresh, empty database on the engine:
// a file in t.TempDir(), or a new MySQL database dropped at cleanup.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "gongkai.db")
	}
	base := os.Getenv(MySQLEnv)
	if base == "" {
		t.Skip("MySQL store tests need " + MySQLEnv + " (see .ci/run)")
	}
	cfg, err := mysqldriver.ParseDSN(strings.TrimPrefix(base, "mysql:"))
	if err != nil {
		t.Fatalf("%s: %v", MySQLEnv, err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "gongkai_test_" + hex.EncodeToString(b[:])
	admin := *cfg
	admin.DBName = ""
	db, err := sql.Open("mysql", admin.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", admin.FormatDSN())
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name)
	})
	cfg.DBName = name
	return "mysql:" + cfg.FormatDSN()
}

// MustSubmit files a simple online application and fails the test on error.
func MustSubmit(t testing.TB, s *store.Store, agencyID int64, title string) *store.Submitted {
	t.Helper()
	sub, err := s.SubmitApplication(context.Background(), &store.NewApplication{
		AgencyID: agencyID,
		Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: "resident_id",
			IDNumber: "110101199003074477", Phone: "13812345678", Email: "zhangsan@example.com"},
		Application: models.Application{Channel: models.ChannelOnline, Source: "portal", Title: title,
			Description: "请公开" + title, FormWanted: models.FormElectronic, Delivery: models.DeliveryOnline},
		ActorKind: models.ActorApplicant,
	})
	if err != nil {
		t.Fatalf("submit application: %v", err)
	}
	return sub
}

// DefaultAgency returns the seeded agency.
func DefaultAgency(t testing.TB, s *store.Store) *models.Agency {
	t.Helper()
	a, err := s.AgencyByCode(context.Background(), "TLMZ")
	if err != nil {
		t.Fatalf("default agency: %v", err)
	}
	return a
}

// Name returns a short unique name for things tests create.
func Name(prefix string) string {
	var b [3]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%s", prefix, hex.EncodeToString(b[:]))
}

// FailCommit returns a commit hook that makes the next commits fail for
// real: on SQLite a deferred foreign-key violation that only COMMIT
// checks, on MySQL the transaction's own connection killed from another
// one, so COMMIT finds it gone.
func FailCommit(s *store.Store) store.CommitHook {
	return func(ctx context.Context, tx *sql.Tx) error {
		switch s.Dialect() {
		case store.SQLite:
			if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, agency_id, seq, kind,
				occurred_on, recorded_at, actor_kind, data) VALUES (-1, 1, 1, 'submitted', '2026-02-10', '2026-02-10 00:00:00', 'system', '{}')`)
			return err
		default:
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT CONNECTION_ID()`).Scan(&id); err != nil {
				return err
			}
			_, err := s.DB().ExecContext(context.Background(), fmt.Sprintf("KILL %d", id))
			return err
		}
	}
}
