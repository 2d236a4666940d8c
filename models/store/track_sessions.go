package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongkai/models"
)

// Applicants' tracking sessions. After a look-up with number and query
// code the browser holds the signed gk_track cookie (handlers/citizen.go):
// the application, the sign-in time, the idle end and a random session id,
// under the deployment's MAC. The cookie is refreshed on every request, so
// its value changes while the session id stays. Everything but sign-out is
// checked from the cookie alone; sign-out must also hold for a copy of the
// cookie taken earlier, on every portal process, so it is recorded here:
// track_revocations keeps the SHA-256 of each signed-out session id until
// the session's absolute end (when the cookie is refused anyway), and the
// daily job deletes the rows after that.
//
// A revocation list keyed by a random id was chosen over a per-application
// "not before" time: it ends exactly the one session that signed out (not
// the applicant's other devices), and it does not depend on the clocks of
// several processes agreeing to the second.

// NewTrackSessionID returns a random id for a new tracking session (128
// bits, URL-safe, no '.' or '|').
func NewTrackSessionID() string { return models.NewToken(16) }

// RevokeTrackSession ends the tracking session with id on the server: from
// now on TrackSessionRevoked reports it, to every process. until is the
// session's absolute end; the record is kept until then. Revoking a
// session twice is not an error.
func (s *Store) RevokeTrackSession(ctx context.Context, id string, until time.Time) error {
	if id == "" {
		return fmt.Errorf("revoke track session: no session id")
	}
	insert := `INSERT INTO track_revocations (session_hash, expires_at) VALUES (?, ?) ON CONFLICT (session_hash) DO NOTHING`
	if s.dialect == MySQL {
		insert = `INSERT INTO track_revocations (session_hash, expires_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE session_hash = session_hash`
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, insert, HashSessionToken(id), until.UTC().Truncate(time.Microsecond)); err != nil {
			return fmt.Errorf("revoke track session: %w", err)
		}
		return nil
	})
}

// TrackSessionRevoked reports whether the tracking session with id was
// signed out.
func (s *Store) TrackSessionRevoked(ctx context.Context, id string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM track_revocations WHERE session_hash = ?`, HashSessionToken(id)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read track revocation: %w", err)
	}
	return true, nil
}

// PurgeTrackRevocations deletes the records of signed-out sessions that
// have reached their absolute end, and returns how many went.
func (s *Store) PurgeTrackRevocations(ctx context.Context) (int64, error) {
	var n int64
	err := s.withTx(ctx, func(tx *sql.Tx) error { // retried on an InnoDB deadlock
		res, err := tx.ExecContext(ctx, `DELETE FROM track_revocations WHERE expires_at <= ?`, s.nowUTC())
		if err != nil {
			return fmt.Errorf("purge track revocations: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
