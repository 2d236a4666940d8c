package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Sequence names.
const (
	seqApplications = "applications"
)

// nextValue returns the next number of a gap-free counter (per agency, name
// and year) inside tx. The upsert takes the counter row's lock until the
// transaction ends, so concurrent transactions on one database, from any
// number of portal processes, queue on it; a rolled-back transaction gives
// its number back. That is what keeps application numbers free of gaps and
// duplicates.
func (s *Store) nextValue(ctx context.Context, tx *sql.Tx, agencyID int64, name string, year int) (int, error) {
	upsert := `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (?, ?, ?, 1)
		ON CONFLICT (agency_id, name, year) DO UPDATE SET last_value = last_value + 1`
	if s.dialect == MySQL {
		upsert = `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (?, ?, ?, 1)
			ON DUPLICATE KEY UPDATE last_value = last_value + 1`
	}
	if _, err := tx.ExecContext(ctx, upsert, agencyID, name, year); err != nil {
		return 0, fmt.Errorf("next %s number: %w", name, err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT last_value FROM sequences WHERE agency_id = ? AND name = ? AND year = ?`,
		agencyID, name, year).Scan(&v); err != nil {
		return 0, fmt.Errorf("next %s number: %w", name, err)
	}
	return v, nil
}
