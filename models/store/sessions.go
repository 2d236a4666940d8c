package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gongkai/models"
)

// Staff sessions live in the database so that every portal process accepts
// them. The browser holds a random 256-bit token; the table holds only its
// SHA-256, so a copy of the table (a backup, a read-only leak) hands out no
// session. A session ends when it has been idle too long, when it reaches
// its absolute age, on logout, and when the user's password changes or the
// account is deactivated.

// Session is a signed-in staff user's session.
type Session struct {
	ID         string // SHA-256 of the token, hex
	UserID     int64
	CSRFToken  string // the form token of this session (a second line behind the cross-origin check)
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end, fixed at login
}

// SessionPolicy is how long sessions last.
type SessionPolicy struct {
	Idle   time.Duration // ended after this long without a request
	MaxAge time.Duration // ended this long after login, however active
}

// HashSessionToken returns what the sessions table stores for a token.
func HashSessionToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session errors. Their messages are what the login page says after the
// redirect.
var (
	ErrNoSession      = models.Errorf(models.EUNAUTHORIZED, "请先登录。")
	ErrSessionIdle    = models.Errorf(models.EUNAUTHORIZED, "您已长时间未操作，为保护信息安全已自动退出，请重新登录。")
	ErrSessionExpired = models.Errorf(models.EUNAUTHORIZED, "登录时间已达上限，为保护信息安全已自动退出，请重新登录。")
)

// CreateSession starts a session for userID and returns its token (to put
// in the cookie; never stored). It also removes sessions that have ended,
// so the table does not grow.
func (s *Store) CreateSession(ctx context.Context, userID int64, p SessionPolicy) (string, *Session, error) {
	token := models.NewToken(32)
	now := s.nowUTC()
	sess := &Session{ID: HashSessionToken(token), UserID: userID, CSRFToken: models.NewToken(24),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.MaxAge)}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
			now, now.Add(-p.Idle)); err != nil {
			return fmt.Errorf("purge sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, sess.ID, sess.UserID, sess.CSRFToken, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// SessionUser returns the session a token opens and its user. A session
// that has been idle longer than p.Idle or is older than its absolute end
// is deleted and reported as ErrSessionIdle or ErrSessionExpired; a missing
// one, or one whose account was deactivated, as ErrNoSession. A live
// session's last-seen time moves on (at most once a minute, to spare the
// database a write per request).
func (s *Store) SessionUser(ctx context.Context, token string, p SessionPolicy) (*Session, *models.User, error) {
	if token == "" {
		return nil, nil, ErrNoSession
	}
	var sess Session
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, csrf_token, created_at, last_seen_at, expires_at
		FROM sessions WHERE id = ?`, HashSessionToken(token)).Scan(&sess.ID, &sess.UserID, &sess.CSRFToken,
		scanTime{&sess.CreatedAt}, scanTime{&sess.LastSeenAt}, scanTime{&sess.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read session: %w", err)
	}
	now := s.nowUTC()
	end := func(reason error) (*Session, *models.User, error) {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("end session: %w", err)
		}
		return nil, nil, reason
	}
	switch {
	case !now.Before(sess.ExpiresAt):
		return end(ErrSessionExpired)
	case now.Sub(sess.LastSeenAt) >= p.Idle:
		return end(ErrSessionIdle)
	}
	u, err := s.User(ctx, sess.UserID)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return end(ErrNoSession)
	}
	if err != nil {
		return nil, nil, err
	}
	if !u.Active {
		return end(ErrNoSession)
	}
	if now.Sub(sess.LastSeenAt) >= min(time.Minute, p.Idle/10) {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
		sess.LastSeenAt = now
	}
	return &sess, u, nil
}

// DeleteSession ends the session a token opens (logout, and the session a
// login replaces). Ending a session that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, HashSessionToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// deleteUserSessionsTx ends every session of a user inside tx.
func deleteUserSessionsTx(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// CountSessions returns how many sessions a user has, ended or not.
func (s *Store) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}
