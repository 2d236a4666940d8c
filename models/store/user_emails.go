package store

// Staff notification addresses (issue 8): where the daily digests go. An
// address is personal data like an applicant's and is stored the same way,
// encrypted (users.email_enc); the audit trail keeps it masked.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/models"
)

// ctxUserEmail is the encryption context of users.email_enc.
const ctxUserEmail = "users.email"

// UserEmail returns the notification address of an agency's user, "" when
// none is set.
func (s *Store) UserEmail(ctx context.Context, agencyID, userID int64) (string, error) {
	var enc []byte
	err := s.db.QueryRowContext(ctx, `SELECT email_enc FROM users WHERE agency_id = ? AND id = ?`, agencyID, userID).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	if err != nil {
		return "", fmt.Errorf("read user e-mail: %w", err)
	}
	return s.keys.DecryptString(enc, ctxUserEmail)
}

// UserEmails returns the notification addresses of an agency's users that
// have one, by user id.
func (s *Store) UserEmails(ctx context.Context, agencyID int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, email_enc FROM users WHERE agency_id = ? AND email_enc IS NOT NULL`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("read user e-mails: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var enc []byte
		if err := rows.Scan(&id, &enc); err != nil {
			return nil, fmt.Errorf("read user e-mails: %w", err)
		}
		v, err := s.keys.DecryptString(enc, ctxUserEmail)
		if err != nil {
			return nil, fmt.Errorf("read e-mail of user %d: %w", id, err)
		}
		if v != "" {
			out[id] = v
		}
	}
	return out, rows.Err()
}

// SetUserEmail sets (or, with "", clears) the notification address of an
// agency's user after checking it (models.ValidateStaffEmail), and records
// the change in the audit trail with both addresses masked. Setting the
// address it already has changes nothing and records nothing.
func (s *Store) SetUserEmail(ctx context.Context, agencyID, userID int64, email string) error {
	email, err := models.ValidateStaffEmail(email)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var enc []byte
		err := tx.QueryRowContext(ctx, `SELECT email_enc FROM users WHERE agency_id = ? AND id = ?`+s.forUpdate(),
			agencyID, userID).Scan(&enc)
		if errors.Is(err, sql.ErrNoRows) {
			return models.Errorf(models.ENOTFOUND, "未找到该用户。")
		}
		if err != nil {
			return fmt.Errorf("set user e-mail: %w", err)
		}
		old, err := s.keys.DecryptString(enc, ctxUserEmail)
		if err != nil {
			return fmt.Errorf("set user e-mail: %w", err)
		}
		if old == email {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email_enc = ?, updated_at = ? WHERE id = ?`,
			s.keys.EncryptString(email, ctxUserEmail), s.nowUTC(), userID); err != nil {
			return fmt.Errorf("set user e-mail: %w", err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditUserEmailChanged,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(userID),
			Before: models.AuditData(map[string]any{"email": models.MaskEmail(old)}),
			After:  models.AuditData(map[string]any{"email": models.MaskEmail(email)})})
	})
}
