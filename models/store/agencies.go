package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gongkai/models"
)

const agencyColumns = `id, code, name, office_name, office_address, post_code, office_hours, phone, fax, email,
	website, reconsideration_body, court, letter_prefix, seal_image, created_at, updated_at`

func scanAgency(row interface{ Scan(...any) error }) (*models.Agency, error) {
	var a models.Agency
	err := row.Scan(&a.ID, &a.Code, &a.Name, &a.OfficeName, &a.OfficeAddress, &a.PostCode, &a.OfficeHours,
		&a.Phone, &a.Fax, &a.Email, &a.Website, &a.ReconsiderationBody, &a.Court, &a.LetterPrefix,
		&a.SealImage, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateAgency stores a new agency and returns its id.
func (s *Store) CreateAgency(ctx context.Context, a *models.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO agencies (code, name, office_name, office_address, post_code,
			office_hours, phone, fax, email, website, reconsideration_body, court, letter_prefix, seal_image,
			created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Code, a.Name, a.OfficeName, a.OfficeAddress, a.PostCode, a.OfficeHours, a.Phone, a.Fax, a.Email,
			a.Website, a.ReconsiderationBody, a.Court, a.LetterPrefix, a.SealImage, now, now)
		if isUniqueViolation(err) {
			return models.Invalid(models.FieldError{Field: "code", Message: "该机关代码已被使用。"})
		}
		if err != nil {
			return fmt.Errorf("create agency: %w", err)
		}
		a.ID, err = res.LastInsertId()
		a.CreatedAt, a.UpdatedAt = now, now
		return err
	})
}

// UpdateAgency saves an agency's profile. The code cannot change: it is
// part of every application number already issued.
func (s *Store) UpdateAgency(ctx context.Context, a *models.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	res, err := s.db.ExecContext(ctx, `UPDATE agencies SET name = ?, office_name = ?, office_address = ?,
		post_code = ?, office_hours = ?, phone = ?, fax = ?, email = ?, website = ?, reconsideration_body = ?,
		court = ?, letter_prefix = ?, seal_image = ?, updated_at = ? WHERE id = ?`,
		a.Name, a.OfficeName, a.OfficeAddress, a.PostCode, a.OfficeHours, a.Phone, a.Fax, a.Email, a.Website,
		a.ReconsiderationBody, a.Court, a.LetterPrefix, a.SealImage, now, a.ID)
	if err != nil {
		return fmt.Errorf("update agency %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return models.Errorf(models.ENOTFOUND, "未找到该机关。")
	}
	a.UpdatedAt = now
	return nil
}

// Agency returns the agency with the given id.
func (s *Store) Agency(ctx context.Context, id int64) (*models.Agency, error) {
	a, err := scanAgency(s.db.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该机关。")
	}
	if err != nil {
		return nil, fmt.Errorf("get agency %d: %w", id, err)
	}
	return a, nil
}

// AgencyByCode returns the agency with the given short code.
func (s *Store) AgencyByCode(ctx context.Context, code string) (*models.Agency, error) {
	a, err := scanAgency(s.db.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE code = ?`,
		strings.ToUpper(strings.TrimSpace(code))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到代码为 %s 的机关。", code)
	}
	if err != nil {
		return nil, fmt.Errorf("get agency %q: %w", code, err)
	}
	return a, nil
}

// Agencies lists every agency, by id.
func (s *Store) Agencies(ctx context.Context) ([]*models.Agency, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+agencyColumns+` FROM agencies ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []*models.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("list agencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgencySettings returns an agency's settings as name → value.
func (s *Store) AgencySettings(ctx context.Context, agencyID int64) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, value FROM agency_settings WHERE agency_id = ?`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("read agency settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetAgencySetting stores one setting.
func (s *Store) SetAgencySetting(ctx context.Context, agencyID int64, name, value string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE agency_settings SET value = ?, updated_at = ? WHERE agency_id = ? AND name = ?`,
			value, s.nowUTC(), agencyID, name)
		if err != nil {
			return fmt.Errorf("set agency setting %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO agency_settings (agency_id, name, value, updated_at) VALUES (?, ?, ?, ?)`,
			agencyID, name, value, s.nowUTC())
		if err != nil {
			return fmt.Errorf("set agency setting %s: %w", name, err)
		}
		return nil
	})
}
