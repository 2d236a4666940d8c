package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
// with the user's own roles, valid until expires (zero: until revoked);
// the token is shown once: only its SHA-256 is stored. The creation is
// audited in the same transaction. A user holds at most
// models.MaxActiveAPITokens usable tokens.
func (s *Store) CreateAPIToken(ctx context.Context, u *models.User, name string, expires time.Time) (string, *models.APIToken, error) {
	name = strings.TrimSpace(name)
	if err := models.ValidateAPIToken(name, models.Date{}, models.Date{}); err != nil {
		return "", nil, err
	}
	key, prefix := models.NewAPIKey(models.APIKeyStaff)
	now := s.nowUTC()
	t := &models.APIToken{UserID: u.ID, Name: name, KeyPrefix: prefix, CreatedAt: now, ExpiresAt: expires}
	if !expires.IsZero() {
		t.ExpiresAt = expires.UTC().Truncate(time.Microsecond)
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		// The user's row serialises two creations at once, so the cap
		// holds on MySQL too (SQLite runs one writer at a time anyway).
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = ? AND agency_id = ?`+s.forUpdate(),
			u.ID, u.AgencyID).Scan(&id); err != nil {
			return fmt.Errorf("create api token: lock user %d: %w", u.ID, err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL
			AND (expires_at IS NULL OR expires_at > ?)`, u.ID, now).Scan(&n); err != nil {
			return fmt.Errorf("create api token: count: %w", err)
		}
		if n >= models.MaxActiveAPITokens {
			return models.Errorf(models.ECONFLICT, "您已有%d个有效的令牌，请先吊销不再使用的令牌。", n)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, key_hash, key_prefix, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, u.ID, name, models.APIKeyHash(key), prefix, now, nullTime(t.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create api token: %w", err)
		}
		t.ID, _ = res.LastInsertId()
		after := map[string]any{"name": name, "prefix": prefix}
		if !t.ExpiresAt.IsZero() {
			after["expires_at"] = t.ExpiresAt.In(s.loc).Format(time.RFC3339)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditAPITokenCreated,
			ObjectType: models.AuditObjectAPIToken, ObjectID: strconv.FormatInt(t.ID, 10), After: models.AuditData(after)})
	})
	if err != nil {
		return "", nil, err
	}
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

// RevokeAPIToken stops one of a user's tokens at once, in every process,
// audited in the same transaction.
func (s *Store) RevokeAPIToken(ctx context.Context, u *models.User, id int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		t, err := scanAPIToken(tx.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? AND id = ?`+s.forUpdate(),
			u.ID, id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !t.RevokedAt.IsZero()) {
			return models.Errorf(models.ENOTFOUND, "未找到该令牌，或已被吊销。")
		}
		if err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, s.nowUTC(), t.ID); err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditAPITokenRevoked,
			ObjectType: models.AuditObjectAPIToken, ObjectID: strconv.FormatInt(t.ID, 10),
			Before: models.AuditData(map[string]any{"name": t.Name, "prefix": t.KeyPrefix})})
	})
}

// RecordSteps writes several steps on one application in one transaction,
// each exactly as RecordStep writes it (its event checked against the
// ledger as the earlier steps left it, its notices, its audit entry):
// either all of them are on record or none. The JSON API routes an
// application to its lead and assisting sections in one request this way.
// Only the first step's ExpectVersion is checked: the later ones follow
// the first in the same transaction.
func (s *Store) RecordSteps(ctx context.Context, steps []*Step) ([]*StepResult, error) {
	if len(steps) == 0 {
		return nil, nil
	}
	first := steps[0]
	for _, st := range steps[1:] {
		if st.AgencyID != first.AgencyID || st.ApplicationID != first.ApplicationID {
			return nil, errors.New("record steps: steps of different applications")
		}
	}
	cal, rules, err := s.clockInputs(ctx, first.AgencyID)
	if err != nil {
		return nil, err
	}
	agency, err := s.Agency(ctx, first.AgencyID)
	if err != nil {
		return nil, err
	}
	app, err := s.Application(ctx, first.AgencyID, first.ApplicationID)
	if err != nil {
		return nil, err
	}
	applicant, err := s.Applicant(ctx, first.AgencyID, app.ApplicantID)
	if err != nil {
		return nil, err
	}
	var out []*StepResult
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for i, st := range steps {
			step := *st
			if i > 0 {
				step.ExpectVersion = 0
			}
			res, err := s.recordStepTx(ctx, tx, &step, cal, rules, agency, applicant)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
