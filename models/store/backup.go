package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// BackupTo writes a consistent copy of the SQLite database to path while
// the portal keeps running. VACUUM INTO reads inside one transaction, so
// the copy is a snapshot: every application committed before the backup
// began is in it, and no half-written one is. The file is created with
// mode 0600 (it holds encrypted personal data) and must not exist yet.
//
// MySQL deployments back up with their own tools (mysqldump
// --single-transaction; see the README).
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("backup: the portal backs up only its embedded SQLite database; for MySQL use mysqldump --single-transaction (see README)")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	// VACUUM INTO refuses an existing non-empty file but accepts the empty
	// one just created with the right mode.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
