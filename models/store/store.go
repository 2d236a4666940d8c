// Package store persists gongkai's domain values in SQLite (the embedded
// default, through the pure-Go modernc.org/sqlite driver) or MySQL/MariaDB
// (production, several portal processes on one database).
//
// SQL is plain and visible: database/sql, explicit column lists and ?
// placeholders, which both engines accept. Where the dialects differ (DDL,
// row locks, upserts) the difference sits in this file or in the migration
// folders, never in callers. Every write method owns its transaction.
//
// Personal data is encrypted here, on the way in and out, with the
// models.Keyring: callers hand over and receive clear values.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"gongkai/models"
)

// Dialect is the database engine behind a Store.
type Dialect string

// Supported dialects.
const (
	SQLite Dialect = "sqlite"
	MySQL  Dialect = "mysql"
)

// Config says how to open a Store.
type Config struct {
	// DSN is "sqlite:PATH" or "mysql:USER:PASS@tcp(HOST:3306)/DB?params".
	DSN string
	// Keys encrypts personal data and derives hashes; required.
	Keys *models.Keyring
	// Location is the agency's time zone (Asia/Shanghai); dates the law
	// counts are taken in it.
	Location *time.Location
	// Now returns the current instant; tests pin it. Defaults to time.Now.
	Now func() time.Time
	// MaxOpenConns caps the connection pool (0: a sensible default).
	MaxOpenConns int
	// DashboardHistoryTTL is how long the dashboard's figures about this
	// year's closed cases and the last twelve months' intake are reused
	// before a background refresh (0: computed at every view). The portal
	// uses one minute; see dashboard.go.
	DashboardHistoryTTL time.Duration
	// NoGroupCommit gives every submission a commit of its own; only
	// benchmarks set it, to measure what group commit gains.
	NoGroupCommit bool
}

// Store is the database behind the portal. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	dialect  Dialect
	keys     *models.Keyring
	loc      *time.Location
	now      func() time.Time
	path     string // the SQLite file, "" for MySQL
	cal      calendarCache
	dsn      string
	group    *groupCommitter // nil when Config.NoGroupCommit
	histTTL  time.Duration   // Config.DashboardHistoryTTL
	hist     histCache       // the dashboard's history figures
	agencies agencyCache     // agency rows, see agency_cache.go

	// commitHook runs just before every commit; nil in production. Tests
	// set it (SetCommitHook) to make a commit really fail.
	commitHook atomic.Pointer[CommitHook]
}

// CommitHook runs inside a transaction right before it commits.
type CommitHook func(ctx context.Context, tx *sql.Tx) error

// SetCommitHook installs a function that runs inside every transaction
// just before it commits (nil removes it). It exists for fault-injection
// tests, which use it to make the commit itself fail for real (a deferred
// constraint on SQLite, a killed connection on MySQL) and check that the
// applicant is shown an error and never a number.
func (s *Store) SetCommitHook(fn CommitHook) {
	if fn == nil {
		s.commitHook.Store(nil)
		return
	}
	s.commitHook.Store(&fn)
}

// beforeCommit runs the commit hook, if any.
func (s *Store) beforeCommit(ctx context.Context, tx *sql.Tx) error {
	if h := s.commitHook.Load(); h != nil {
		return (*h)(ctx, tx)
	}
	return nil
}

// ParseDSN splits a PORTAL_DB value into its dialect and the driver DSN.
func ParseDSN(dsn string) (Dialect, string, error) {
	kind, rest, ok := strings.Cut(dsn, ":")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("parse database url %q: want sqlite:PATH or mysql:USER:PASS@tcp(HOST:PORT)/DB", redactDSN(dsn))
	}
	switch Dialect(kind) {
	case SQLite, MySQL:
		return Dialect(kind), rest, nil
	}
	return "", "", fmt.Errorf("parse database url: unknown database %q (want sqlite or mysql)", kind)
}

// redactDSN hides the password in a MySQL DSN for logs and errors.
func redactDSN(dsn string) string {
	prefix := ""
	if strings.HasPrefix(dsn, "mysql:") {
		prefix, dsn = "mysql:", strings.TrimPrefix(dsn, "mysql:")
	}
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return prefix + dsn
	}
	user, _, hasPass := strings.Cut(dsn[:at], ":")
	if !hasPass {
		return prefix + dsn
	}
	return prefix + user + ":***" + dsn[at:]
}

// RedactDSN returns dsn with any password replaced by ***.
func RedactDSN(dsn string) string { return redactDSN(dsn) }

// SQLitePath returns the file a sqlite: DSN names, or "" for other DSNs.
func SQLitePath(dsn string) string {
	d, rest, err := ParseDSN(dsn)
	if err != nil || d != SQLite {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(rest, "file:"), "?")
	return path
}

// Open connects to the database named by cfg.DSN. It does not migrate; call
// Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Keys == nil {
		return nil, errors.New("open store: no keyring")
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	dialect, dsn, err := ParseDSN(cfg.DSN)
	if err != nil {
		return nil, err
	}
	s := &Store{dialect: dialect, keys: cfg.Keys, loc: cfg.Location, now: cfg.Now, dsn: cfg.DSN,
		histTTL: cfg.DashboardHistoryTTL}
	switch dialect {
	case SQLite:
		s.path = SQLitePath(cfg.DSN)
		if dir := filepath.Dir(s.path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open store: create data folder: %w", err)
			}
		}
		// Create the file readable by the owner only before SQLite creates
		// it with the umask's mode: it holds (encrypted) personal data.
		if f, err := os.OpenFile(s.path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
			f.Close()
		}
		s.db, err = sql.Open(sqliteCachedDriver, sqliteDSN(s.path))
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		// WAL lets readers run beside the one writer; _txlock=immediate
		// makes every transaction take the write lock at BEGIN, so two
		// writers queue on busy_timeout instead of deadlocking on upgrade.
		n := cfg.MaxOpenConns
		if n <= 0 {
			n = 8
		}
		s.db.SetMaxOpenConns(n)
		s.db.SetMaxIdleConns(n)
		if !cfg.NoGroupCommit {
			s.group = newGroupCommitter(s.db, 64, s.beforeCommit)
		}
	case MySQL:
		mcfg, err := mysqlConfig(dsn, cfg.Location)
		if err != nil {
			return nil, err
		}
		conn, err := mysqldriver.NewConnector(mcfg)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		s.db = sql.OpenDB(conn)
		n := cfg.MaxOpenConns
		if n <= 0 {
			n = 32
		}
		s.db.SetMaxOpenConns(n)
		s.db.SetMaxIdleConns(n)
		// Below MySQL's default wait_timeout, so the pool never hands out a
		// connection the server already closed.
		s.db.SetConnMaxLifetime(5 * time.Minute)
		if !cfg.NoGroupCommit {
			s.group = newGroupCommitter(s.db, 64, s.beforeCommit)
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := s.db.PingContext(pingCtx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: connect to %s database: %w", dialect, err)
	}
	return s, nil
}

// sqliteDSN sets the pragmas every connection needs. synchronous=FULL makes
// a commit durable before it returns: an application whose number was shown
// is on disk.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// mysqlConfig parses the DSN and enforces what gongkai relies on: parsed
// times in the agency's zone, utf8mb4, and a session time zone to match.
func mysqlConfig(dsn string, loc *time.Location) (*mysqldriver.Config, error) {
	c, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: parse mysql dsn: %w", err)
	}
	c.ParseTime = true
	if c.Loc == nil || c.Loc == time.UTC {
		c.Loc = loc
	}
	if c.Collation == "" || !strings.HasPrefix(c.Collation, "utf8mb4") {
		c.Collation = "utf8mb4_unicode_ci"
	}
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	_, off := time.Now().In(c.Loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	c.Params["time_zone"] = fmt.Sprintf("'%s%02d:%02d'", sign, off/3600, off%3600/60)
	c.MultiStatements = false
	// Count matched rows, not changed rows, in RowsAffected, as SQLite does:
	// an UPDATE that writes the same value still "found" its row.
	c.ClientFoundRows = true
	return c, nil
}

// DSN returns the PORTAL_DB value the store was opened with (it may hold a
// password: never log it unredacted).
func (s *Store) DSN() string { return s.dsn }

// Close finishes the submissions in flight and closes the database.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close()
	}
	return s.db.Close()
}

// Dialect returns the engine behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Keys returns the keyring the store encrypts with.
func (s *Store) Keys() *models.Keyring { return s.keys }

// Location returns the agency time zone.
func (s *Store) Location() *time.Location { return s.loc }

// Now returns the store's current instant (pinned in tests).
func (s *Store) Now() time.Time { return s.now() }

// Today returns the current date in the agency's time zone.
func (s *Store) Today() models.Date { return models.DateOf(s.now(), s.loc) }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// DB exposes the handle for tests and operational commands in this module
// (backups, metrics). Feature code uses Store methods.
func (s *Store) DB() *sql.DB { return s.db }

// Stats returns the connection pool's statistics.
func (s *Store) Stats() sql.DBStats { return s.db.Stats() }

// withTx runs fn in a transaction, committing when fn returns nil and
// rolling back otherwise (also on panic). On MySQL a transaction chosen as
// a deadlock victim is run again (a few times): fn must do all its work
// through tx, so that a rerun starts clean.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || attempt == 4 || !isDeadlock(err) {
			return err
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = s.beforeCommit(ctx, tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isDeadlock reports whether err is MySQL's deadlock error (1213).
func isDeadlock(err error) bool {
	var me *mysqldriver.MySQLError
	return errors.As(err, &me) && me.Number == 1213
}

// forUpdate returns the row-lock suffix for a SELECT inside a transaction.
// SQLite locks the whole database at BEGIN (_txlock=immediate), so it needs
// none.
func (s *Store) forUpdate() string {
	if s.dialect == MySQL {
		return " FOR UPDATE"
	}
	return ""
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// nullTime converts a zero time to NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// utc normalises an instant for storage.
func (s *Store) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// scanTime reads a nullable DATETIME.
type scanTime struct{ t *time.Time }

func (st scanTime) Scan(src any) error {
	var nt sql.NullTime
	if err := nt.Scan(src); err != nil {
		// modernc returns DATETIME as time.Time; a string would mean a value
		// written by hand. Parse the common layouts.
		if s, ok := src.(string); ok {
			for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
				if t, err := time.Parse(layout, s); err == nil {
					*st.t = t
					return nil
				}
			}
		}
		return err
	}
	if nt.Valid {
		*st.t = nt.Time
	} else {
		*st.t = time.Time{}
	}
	return nil
}
