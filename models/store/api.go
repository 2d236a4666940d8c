package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongkai/models"
)

// errBadKey answers every unknown, malformed or revoked credential alike.
var errBadKey = &models.Error{Code: models.EUNAUTHORIZED, Message: "API密钥无效或已被吊销。"}

// CreateAPIClient registers an integrating platform and returns its key,
// which is shown once: only its SHA-256 is stored.
func (s *Store) CreateAPIClient(ctx context.Context, c *models.APIClient, createdBy int64) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	key, prefix := models.NewAPIKey(models.APIKeyPlatform)
	now := s.nowUTC()
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_clients (agency_id, name, key_hash, key_prefix, rate_per_minute,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.AgencyID, c.Name, models.APIKeyHash(key), prefix, c.RatePerMinute, createdBy, now)
	if err != nil {
		return "", fmt.Errorf("create api client: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	c.KeyPrefix, c.CreatedAt = prefix, now
	return key, nil
}

const apiClientColumns = `id, agency_id, name, key_prefix, rate_per_minute, created_at, revoked_at`

func scanAPIClient(row interface{ Scan(...any) error }) (*models.APIClient, error) {
	var c models.APIClient
	err := row.Scan(&c.ID, &c.AgencyID, &c.Name, &c.KeyPrefix, &c.RatePerMinute, scanTime{&c.CreatedAt}, scanTime{&c.RevokedAt})
	return &c, err
}

// APIClientByKey returns the active platform a presented key belongs to.
func (s *Store) APIClientByKey(ctx context.Context, key string) (*models.APIClient, error) {
	if models.APIKeyKind(key) != models.APIKeyPlatform {
		return nil, errBadKey
	}
	c, err := scanAPIClient(s.db.QueryRowContext(ctx, `SELECT `+apiClientColumns+` FROM api_clients WHERE key_hash = ?`,
		models.APIKeyHash(key)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadKey
	}
	if err != nil {
		return nil, fmt.Errorf("read api client: %w", err)
	}
	if !c.Active() {
		return nil, errBadKey
	}
	return c, nil
}

// APIClients lists an agency's platforms, newest first.
func (s *Store) APIClients(ctx context.Context, agencyID int64) ([]*models.APIClient, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+apiClientColumns+` FROM api_clients WHERE agency_id = ? ORDER BY id DESC`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list api clients: %w", err)
	}
	defer rows.Close()
	var out []*models.APIClient
	for rows.Next() {
		c, err := scanAPIClient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RevokeAPIClient stops a platform's key at once, in every process.
func (s *Store) RevokeAPIClient(ctx context.Context, agencyID, id int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_clients SET revoked_at = ? WHERE agency_id = ? AND id = ? AND revoked_at IS NULL`,
		s.nowUTC(), agencyID, id)
	if err != nil {
		return fmt.Errorf("revoke api client: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return models.Errorf(models.ENOTFOUND, "未找到该接入平台，或其密钥已被吊销。")
	}
	return nil
}

// CreateAPIToken gives a staff user a token for the JSON API that acts
// with the user's own roles; the token is shown once.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string, expires time.Time) (string, *models.APIToken, error) {
	if name == "" {
		return "", nil, models.Invalid(models.FieldError{Field: "name", Message: "请为令牌填写用途，例如“省平台对接”。"})
	}
	key, prefix := models.NewAPIKey(models.APIKeyStaff)
	now := s.nowUTC()
	t := &models.APIToken{UserID: userID, Name: name, KeyPrefix: prefix, CreatedAt: now, ExpiresAt: expires}
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, key_hash, key_prefix, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, userID, name, models.APIKeyHash(key), prefix, now, nullTime(expires))
	if err != nil {
		return "", nil, fmt.Errorf("create api token: %w", err)
	}
	t.ID, _ = res.LastInsertId()
	return key, t, nil
}

const apiTokenColumns = `id, user_id, name, key_prefix, created_at, expires_at, last_used_at, revoked_at`

func scanAPIToken(row interface{ Scan(...any) error }) (*models.APIToken, error) {
	var t models.APIToken
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.KeyPrefix, scanTime{&t.CreatedAt}, scanTime{&t.ExpiresAt},
		scanTime{&t.LastUsedAt}, scanTime{&t.RevokedAt})
	return &t, err
}

// APITokenByKey returns a usable staff token and its user (active, with
// roles and sections loaded); anything else is the same unauthorised error.
func (s *Store) APITokenByKey(ctx context.Context, key string) (*models.APIToken, *models.User, error) {
	if models.APIKeyKind(key) != models.APIKeyStaff {
		return nil, nil, errBadKey
	}
	t, err := scanAPIToken(s.db.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE key_hash = ?`,
		models.APIKeyHash(key)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errBadKey
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read api token: %w", err)
	}
	if !t.Usable(s.now()) {
		return nil, nil, errBadKey
	}
	u, err := s.User(ctx, t.UserID)
	if err != nil || !u.Active {
		return nil, nil, errBadKey
	}
	// Last use is for the owner's list; once a minute is precise enough and
	// spares a write per request.
	if s.now().Sub(t.LastUsedAt) > time.Minute {
		s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, s.nowUTC(), t.ID)
	}
	return t, u, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]*models.APIToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []*models.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken stops one of a user's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL`,
		s.nowUTC(), userID, id)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return models.Errorf(models.ENOTFOUND, "未找到该令牌，或已被吊销。")
	}
	return nil
}
