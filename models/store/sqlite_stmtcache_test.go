package store

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestStatementCache: a connection's kept statements give the same results
// as fresh ones: run again with new arguments, after a failed run, after
// the schema changed, while their own rows are open, and never for scripts.
func TestStatementCache(t *testing.T) {
	db, err := sql.Open(sqliteCachedDriver, sqliteDSN(filepath.Join(t.TempDir(), "c.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: every statement meets its kept twin
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A script: both statements run.
	mustExec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE u (id INTEGER PRIMARY KEY)`)
	const insert = `INSERT INTO t (id, name) VALUES (?, ?)`
	for i := 1; i <= 5; i++ {
		mustExec(insert, i, "名"+string(rune('0'+i)))
	}
	// A failed run (duplicate key) leaves the kept statement usable.
	if _, err := db.Exec(insert, 1, "重复"); err == nil {
		t.Fatal("duplicate key accepted")
	}
	mustExec(insert, 6, "名6")

	// The same query while its own rows are open, inside a transaction.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	const list = `SELECT id FROM t WHERE id >= ? ORDER BY id`
	outer, err := tx.Query(list, 1)
	if err != nil {
		t.Fatal(err)
	}
	var pairs int
	for outer.Next() {
		var id int
		outer.Scan(&id)
		inner, err := tx.Query(list, id)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			pairs++
		}
		inner.Close()
	}
	outer.Close()
	tx.Commit()
	if pairs != 6+5+4+3+2+1 {
		t.Errorf("nested runs of one query found %d pairs, want 21", pairs)
	}

	// The schema changes under a kept statement: SQLite prepares it again.
	mustExec(`ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT '无'`)
	mustExec(insert, 7, "名7")
	var n int
	var note string
	if err := db.QueryRow(`SELECT COUNT(*), MAX(note) FROM t WHERE id >= ?`, 1).Scan(&n, &note); err != nil || n != 7 || note != "无" {
		t.Errorf("after the schema change: %d rows, note %q, %v", n, note, err)
	}
	var name string
	if err := db.QueryRow(`SELECT name FROM t WHERE id = ?`, 3).Scan(&name); err != nil || name != "名3" {
		t.Errorf("name of 3: %q %v", name, err)
	}
	if err := db.QueryRow(`SELECT name FROM t WHERE id = ?`, 6).Scan(&name); err != nil || name != "名6" {
		t.Errorf("name of 6 through the kept statement: %q %v", name, err)
	}
}
