package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

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

// sectionAudit is what the trail records of a section.
func sectionAudit(sec *models.Section) map[string]any {
	return map[string]any{"name": sec.Name, "keywords": sec.Keywords, "active": sec.Active, "sort_order": sec.SortOrder}
}

// checkSection normalises and checks a section: a name of at most 50
// characters, and at most 200 routing keywords of at most 50 characters,
// each once.
func checkSection(sec *models.Section) error {
	sec.Name = strings.TrimSpace(sec.Name)
	var fe []models.FieldError
	switch n := utf8.RuneCountInString(sec.Name); {
	case n == 0:
		fe = append(fe, models.FieldError{Field: "name", Message: "请填写科室名称。"})
	case n > 50:
		fe = append(fe, models.FieldError{Field: "name", Message: "科室名称过长，请不超过50个字。"})
	}
	var kws []string
	seen := map[string]bool{}
	for _, k := range sec.Keywords {
		k = strings.TrimSpace(k)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		if utf8.RuneCountInString(k) > 50 {
			fe = append(fe, models.FieldError{Field: "keywords", Message: fmt.Sprintf("关键词“%s”过长，每个关键词请不超过50个字。", k)})
			break
		}
		kws = append(kws, k)
	}
	if len(kws) > 200 {
		fe = append(fe, models.FieldError{Field: "keywords", Message: "关键词过多，请不超过200个。"})
	}
	if sec.SortOrder < 0 || sec.SortOrder > 9999 {
		fe = append(fe, models.FieldError{Field: "sort_order", Message: "排序号应为0至9999之间的整数。"})
	}
	sec.Keywords = kws
	if len(fe) > 0 {
		return models.Invalid(fe...)
	}
	return nil
}

// CreateSection stores a new section of an agency and records it in the
// audit trail.
func (s *Store) CreateSection(ctx context.Context, sec *models.Section) error {
	if err := checkSection(sec); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sections (agency_id, name, keywords, active, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sec.AgencyID, sec.Name, joinKeywords(sec.Keywords), sec.Active, sec.SortOrder, now, now)
		if isUniqueViolation(err) {
			return models.Invalid(models.FieldError{Field: "name", Message: "已有同名科室。"})
		}
		if err != nil {
			return fmt.Errorf("create section: %w", err)
		}
		if sec.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: sec.AgencyID, Action: models.AuditSectionCreated,
			ObjectType: models.AuditObjectSection, ObjectID: fmt.Sprint(sec.ID), After: models.AuditData(sectionAudit(sec))})
	})
}

// UpdateSection saves a section's name, keywords, order and status. A
// deactivated section is no longer offered for routing; its applications
// and users stay as they are.
func (s *Store) UpdateSection(ctx context.Context, sec *models.Section) error {
	if err := checkSection(sec); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.section(ctx, tx.QueryRowContext(ctx, `SELECT id, agency_id, name, keywords, active, sort_order
			FROM sections WHERE agency_id = ? AND id = ?`+s.forUpdate(), sec.AgencyID, sec.ID))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sections SET name = ?, keywords = ?, active = ?, sort_order = ?, updated_at = ?
			WHERE agency_id = ? AND id = ?`, sec.Name, joinKeywords(sec.Keywords), sec.Active, sec.SortOrder, now, sec.AgencyID, sec.ID)
		if isUniqueViolation(err) {
			return models.Invalid(models.FieldError{Field: "name", Message: "已有同名科室。"})
		}
		if err != nil {
			return fmt.Errorf("update section %d: %w", sec.ID, err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: sec.AgencyID, Action: models.AuditSectionUpdated,
			ObjectType: models.AuditObjectSection, ObjectID: fmt.Sprint(sec.ID),
			Before: models.AuditData(sectionAudit(old)), After: models.AuditData(sectionAudit(sec))})
	})
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
		sec, err := s.section(ctx, rows)
		if err != nil {
			return nil, fmt.Errorf("list sections: %w", err)
		}
		out = append(out, sec)
	}
	return out, rows.Err()
}

func (s *Store) section(_ context.Context, row interface{ Scan(...any) error }) (*models.Section, error) {
	var sec models.Section
	var kw string
	err := row.Scan(&sec.ID, &sec.AgencyID, &sec.Name, &kw, &sec.Active, &sec.SortOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该科室。")
	}
	if err != nil {
		return nil, fmt.Errorf("get section: %w", err)
	}
	sec.Keywords = splitKeywords(kw)
	return &sec, nil
}

// Section returns one section of an agency.
func (s *Store) Section(ctx context.Context, agencyID, id int64) (*models.Section, error) {
	return s.section(ctx, s.db.QueryRowContext(ctx, `SELECT id, agency_id, name, keywords, active, sort_order
		FROM sections WHERE agency_id = ? AND id = ?`, agencyID, id))
}
