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

// insertAttachment encrypts and stores a file inside tx. Files live in the
// database, not on a local disk, so every portal process serves them and a
// database backup holds everything.
func (s *Store) insertAttachment(ctx context.Context, tx *sql.Tx, a *models.Attachment, now time.Time) error {
	sum := sha256.Sum256(a.Content)
	a.SHA256 = hex.EncodeToString(sum[:])
	a.Size = int64(len(a.Content))
	a.CreatedAt = now
	var appID any
	if a.ApplicationID != 0 {
		appID = a.ApplicationID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO attachments (agency_id, application_id, kind, filename,
		content_type, size, sha256, content, uploader_kind, uploader_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.AgencyID, appID, string(a.Kind), a.Filename, a.ContentType, a.Size, a.SHA256,
		s.keys.Encrypt(a.Content, ctxAttachment), string(a.UploaderKind), a.UploaderID, now)
	if err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	a.ID, err = res.LastInsertId()
	return err
}

const attachmentColumns = `id, agency_id, application_id, kind, filename, content_type, size, sha256,
	uploader_kind, uploader_id, created_at`

func scanAttachment(row interface{ Scan(...any) error }, extra ...any) (*models.Attachment, error) {
	var a models.Attachment
	var appID sql.NullInt64
	err := row.Scan(append([]any{&a.ID, &a.AgencyID, &appID, &a.Kind, &a.Filename, &a.ContentType, &a.Size,
		&a.SHA256, &a.UploaderKind, &a.UploaderID, scanTime{&a.CreatedAt}}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该文件。")
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment: %w", err)
	}
	a.ApplicationID = appID.Int64
	return &a, nil
}

// Attachment returns one of an application's files with its content
// decrypted. Asking for a file under another application is not found:
// ids alone never open a file.
func (s *Store) Attachment(ctx context.Context, applicationID, id int64) (*models.Attachment, error) {
	var enc []byte
	a, err := scanAttachment(s.db.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, content FROM attachments
		WHERE application_id = ? AND id = ?`, applicationID, id), &enc)
	if err != nil {
		return nil, err
	}
	if a.Content, err = s.keys.Decrypt(enc, ctxAttachment); err != nil {
		return nil, fmt.Errorf("decrypt attachment %d: %w", id, err)
	}
	return a, nil
}

// Attachments lists an application's files (metadata only), oldest first.
func (s *Store) Attachments(ctx context.Context, applicationID int64) ([]*models.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments
		WHERE application_id = ? ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []*models.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
