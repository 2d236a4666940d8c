package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/models"
)

// CreateUser stores a staff user with a bcrypt hash of password, and the
// user's roles and sections.
func (s *Store) CreateUser(ctx context.Context, u *models.User, password string) error {
	if err := models.ValidateUsername(u.Username); err != nil {
		return err
	}
	if err := models.ValidatePassword(u.Username, password); err != nil {
		return err
	}
	if u.DisplayName == "" {
		return models.Invalid(models.FieldError{Field: "display_name", Message: "请填写姓名。"})
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			return models.Invalid(models.FieldError{Field: "roles", Message: "角色无效。"})
		}
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (agency_id, username, display_name, password_hash, active,
			must_change_password, failed_logins, password_changed_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			u.AgencyID, u.Username, u.DisplayName, hash, true, u.MustChangePassword, now, now, now)
		if isUniqueViolation(err) {
			return models.Invalid(models.FieldError{Field: "username", Message: "该用户名已被使用。"})
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := insertUserRoles(ctx, tx, u); err != nil {
			return err
		}
		u.PasswordHash, u.Active, u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = hash, true, now, now, now
		return nil
	})
}

func insertUserRoles(ctx context.Context, tx *sql.Tx, u *models.User) error {
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("add role %s: %w", r, err)
		}
	}
	for _, sid := range u.SectionIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_sections (user_id, section_id) VALUES (?, ?)`, u.ID, sid); err != nil {
			return fmt.Errorf("add section %d: %w", sid, err)
		}
	}
	return nil
}

const userColumns = `id, agency_id, username, display_name, password_hash, active, must_change_password,
	failed_logins, locked_until, last_login_at, password_changed_at, created_at, updated_at`

func (s *Store) scanUser(ctx context.Context, row *sql.Row) (*models.User, error) {
	var u models.User
	err := row.Scan(&u.ID, &u.AgencyID, &u.Username, &u.DisplayName, &u.PasswordHash, &u.Active,
		&u.MustChangePassword, &u.FailedLogins, scanTime{&u.LockedUntil}, scanTime{&u.LastLoginAt},
		scanTime{&u.PasswordChangedAt}, scanTime{&u.CreatedAt}, scanTime{&u.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	if err := s.loadUserRoles(ctx, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Store) loadUserRoles(ctx context.Context, u *models.User) error {
	rows, err := s.db.QueryContext(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, u.ID)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	u.Roles = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return err
		}
		u.Roles = append(u.Roles, models.Role(r))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	srows, err := s.db.QueryContext(ctx, `SELECT section_id FROM user_sections WHERE user_id = ? ORDER BY section_id`, u.ID)
	if err != nil {
		return fmt.Errorf("load sections: %w", err)
	}
	defer srows.Close()
	u.SectionIDs = nil
	for srows.Next() {
		var id int64
		if err := srows.Scan(&id); err != nil {
			return err
		}
		u.SectionIDs = append(u.SectionIDs, id)
	}
	return srows.Err()
}

// User returns the user with the given id.
func (s *Store) User(ctx context.Context, id int64) (*models.User, error) {
	return s.scanUser(ctx, s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByUsername returns the user with the given login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (*models.User, error) {
	return s.scanUser(ctx, s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
}

// CountUsers returns how many staff users an agency has.
func (s *Store) CountUsers(ctx context.Context, agencyID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE agency_id = ?`, agencyID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetPassword replaces a user's password and clears the forced-change flag
// when the user chose it (mustChange false), or sets it for a reset.
func (s *Store) SetPassword(ctx context.Context, userID int64, username, password string, mustChange bool) error {
	if err := models.ValidatePassword(username, password); err != nil {
		return err
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.nowUTC()
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?,
		password_changed_at = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`,
		hash, mustChange, now, now, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	return nil
}
