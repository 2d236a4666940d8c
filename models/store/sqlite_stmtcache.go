package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// The SQLite connections keep their prepared statements.
//
// database/sql hands a query with arguments to the driver's ExecContext or
// QueryContext, and modernc.org/sqlite parses and plans it anew every time:
// with the dozen statements of a submission that was 17 % of the portal's
// CPU under load (BENCHMARKS.md). Each connection here keeps a prepared
// statement per query text (the portal's queries are a fixed set of
// strings with ? placeholders, so the set stays small) and runs it again
// with new arguments. SQLite re-prepares a kept statement by itself when
// the schema changes (a migration). A statement whose rows are still open
// is not shared: a second use of the same query meanwhile (a query inside
// a loop over its own results) is prepared apart and closed after use.
// Texts with a semicolon (scripts, such as migrations) are never kept.

// sqliteCachedDriver is registered as "sqlite-stmtcache"; store.Open uses it.
const sqliteCachedDriver = "sqlite-stmtcache"

// maxCachedStatements bounds the statements one connection keeps; beyond
// it new texts run without being kept.
const maxCachedStatements = 512

func init() {
	sql.Register(sqliteCachedDriver, cachingDriver{})
}

type cachingDriver struct{}

func (cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := (&sqlite.Driver{}).Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{inner: c, stmts: map[string]*keptStmt{}}, nil
}

// inner is what a modernc.org/sqlite connection implements.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type cachingConn struct {
	inner driver.Conn
	stmts map[string]*keptStmt
}

type keptStmt struct {
	stmt driver.Stmt
	busy bool // its rows are open
}

func (c *cachingConn) in() (innerConn, error) {
	ic, ok := c.inner.(innerConn)
	if !ok {
		return nil, errors.New("sqlite statement cache: the driver's connection lacks an interface it needs")
	}
	return ic, nil
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }
func (c *cachingConn) Begin() (driver.Tx, error)                 { return c.inner.Begin() } //nolint:staticcheck // required by driver.Conn

func (c *cachingConn) Close() error {
	var errs []error
	for q, k := range c.stmts {
		errs = append(errs, k.stmt.Close())
		delete(c.stmts, q)
	}
	errs = append(errs, c.inner.Close())
	return errors.Join(errs...)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	ic, err := c.in()
	if err != nil {
		return nil, err
	}
	return ic.BeginTx(ctx, opts)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	ic, err := c.in()
	if err != nil {
		return nil, err
	}
	return ic.PrepareContext(ctx, query)
}

func (c *cachingConn) Ping(ctx context.Context) error {
	ic, err := c.in()
	if err != nil {
		return err
	}
	return ic.Ping(ctx)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	ic, err := c.in()
	if err != nil {
		return err
	}
	return ic.ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool {
	ic, err := c.in()
	return err == nil && ic.IsValid()
}

// kept returns the connection's statement for query, preparing it the
// first time, or nil when query is not to be kept (a script, a full
// cache) or its kept statement is in use.
func (c *cachingConn) kept(ctx context.Context, ic innerConn, query string) (*keptStmt, error) {
	if strings.Contains(query, ";") {
		return nil, nil
	}
	if k := c.stmts[query]; k != nil {
		if k.busy {
			return nil, nil
		}
		return k, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil, nil
	}
	st, err := ic.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	k := &keptStmt{stmt: st}
	c.stmts[query] = k
	return k, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ic, err := c.in()
	if err != nil {
		return nil, err
	}
	k, err := c.kept(ctx, ic, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return ic.ExecContext(ctx, query, args)
	}
	return k.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ic, err := c.in()
	if err != nil {
		return nil, err
	}
	k, err := c.kept(ctx, ic, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return ic.QueryContext(ctx, query, args)
	}
	rows, err := k.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	k.busy = true
	return &keptRows{Rows: rows, k: k}, nil
}

// keptRows frees its kept statement for the next use when closed.
type keptRows struct {
	driver.Rows
	k *keptStmt
}

func (r *keptRows) Close() error {
	err := r.Rows.Close()
	r.k.busy = false
	return err
}
