package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gongkai/models"
)

func joinKeywords(k []string) string { return strings.Join(k, "\n") }

func splitKeywords(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// CreateSection stores a new section of an agency.
func (s *Store) CreateSection(ctx context.Context, sec *models.Section) error {
	sec.Name = strings.TrimSpace(sec.Name)
	if sec.Name == "" {
		return models.Invalid(models.FieldError{Field: "name", Message: "请填写科室名称。"})
	}
	now := s.nowUTC()
	res, err := s.db.ExecContext(ctx, `INSERT INTO sections (agency_id, name, keywords, active, sort_order, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sec.AgencyID, sec.Name, joinKeywords(sec.Keywords), sec.Active, sec.SortOrder, now, now)
	if isUniqueViolation(err) {
		return models.Invalid(models.FieldError{Field: "name", Message: "已有同名科室。"})
	}
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	sec.ID, err = res.LastInsertId()
	return err
}

// Sections lists an agency's sections in display order.
func (s *Store) Sections(ctx context.Context, agencyID int64) ([]*models.Section, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, agency_id, name, keywords, active, sort_order
		FROM sections WHERE agency_id = ? ORDER BY sort_order, id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	defer rows.Close()
	var out []*models.Section
	for rows.Next() {
		var sec models.Section
		var kw string
		if err := rows.Scan(&sec.ID, &sec.AgencyID, &sec.Name, &kw, &sec.Active, &sec.SortOrder); err != nil {
			return nil, fmt.Errorf("list sections: %w", err)
		}
		sec.Keywords = splitKeywords(kw)
		out = append(out, &sec)
	}
	return out, rows.Err()
}

// Section returns one section of an agency.
func (s *Store) Section(ctx context.Context, agencyID, id int64) (*models.Section, error) {
	var sec models.Section
	var kw string
	err := s.db.QueryRowContext(ctx, `SELECT id, agency_id, name, keywords, active, sort_order
		FROM sections WHERE agency_id = ? AND id = ?`, agencyID, id).
		Scan(&sec.ID, &sec.AgencyID, &sec.Name, &kw, &sec.Active, &sec.SortOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该科室。")
	}
	if err != nil {
		return nil, fmt.Errorf("get section %d: %w", id, err)
	}
	sec.Keywords = splitKeywords(kw)
	return &sec, nil
}
