package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
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

// agencyAudit is what the trail records of a profile: every field, and
// of the seal its size and SHA-256 rather than the image.
func agencyAudit(a *models.Agency) map[string]any {
	seal := ""
	if len(a.SealImage) > 0 {
		sum := sha256.Sum256(a.SealImage)
		seal = fmt.Sprintf("%d bytes, sha256 %s", len(a.SealImage), hex.EncodeToString(sum[:]))
	}
	return map[string]any{
		"name": a.Name, "office_name": a.OfficeName, "office_address": a.OfficeAddress, "post_code": a.PostCode,
		"office_hours": a.OfficeHours, "phone": a.Phone, "fax": a.Fax, "email": a.Email, "website": a.Website,
		"reconsideration_body": a.ReconsiderationBody, "court": a.Court, "letter_prefix": a.LetterPrefix, "seal_image": seal,
	}
}

// UpdateAgency saves an agency's profile (an administrator checked it, so
// the 待核对 marker SettingProfileUnverified is cleared in the same
// transaction) and records it in the audit trail. The code cannot change:
// it is part of every application number already issued.
func (s *Store) UpdateAgency(ctx context.Context, a *models.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	defer s.agencies.drop(a.ID) // once committed, too: see agencyCache
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := scanAgency(tx.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE id = ?`+s.forUpdate(), a.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return models.Errorf(models.ENOTFOUND, "未找到该机关。")
		}
		if err != nil {
			return fmt.Errorf("update agency %d: %w", a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agencies SET name = ?, office_name = ?, office_address = ?,
			post_code = ?, office_hours = ?, phone = ?, fax = ?, email = ?, website = ?, reconsideration_body = ?,
			court = ?, letter_prefix = ?, seal_image = ?, updated_at = ? WHERE id = ?`,
			a.Name, a.OfficeName, a.OfficeAddress, a.PostCode, a.OfficeHours, a.Phone, a.Fax, a.Email, a.Website,
			a.ReconsiderationBody, a.Court, a.LetterPrefix, a.SealImage, now, a.ID); err != nil {
			return fmt.Errorf("update agency %d: %w", a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agency_settings WHERE agency_id = ? AND name = ?`,
			a.ID, SettingProfileUnverified); err != nil {
			return fmt.Errorf("update agency %d: %w", a.ID, err)
		}
		s.agencies.drop(a.ID)
		a.Code, a.CreatedAt, a.UpdatedAt = old.Code, old.CreatedAt, now
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: a.ID, Action: models.AuditAgencyUpdated,
			ObjectType: models.AuditObjectAgency, ObjectID: a.Code,
			Before: models.AuditData(agencyAudit(old)), After: models.AuditData(agencyAudit(a))})
	})
}

// ProfileUnverified reports whether an agency's seeded profile still
// awaits an administrator's check (the staff pages show a warning).
func (s *Store) ProfileUnverified(ctx context.Context, agencyID int64) (bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM agency_settings WHERE agency_id = ? AND name = ?`,
		agencyID, SettingProfileUnverified).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read agency setting: %w", err)
	}
	return v == "1", nil
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
