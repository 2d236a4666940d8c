package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongkai/models"
)

// Staged uploads: files that arrived with a form that could not be accepted
// yet (a field was wrong), kept so that the applicant does not have to
// choose them again. They belong to the form's one-time token, are
// encrypted like every file, expire after StagedUploadTTL, and are taken
// over by the submission that finally succeeds.

// StagedUploadTTL is how long a staged file waits for its form.
const StagedUploadTTL = 24 * time.Hour

const ctxStagedUpload = "staged_uploads.content"

// tokenHash is what the database keeps of a form token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StageUpload keeps a checked file for the form with the given token. At
// most models.MaxUploadFiles files wait per form; one more is refused with
// an EINVALID error for the file's field. The same file (same content) for
// the same field is kept once: a double click that posts the form twice at
// once stages one copy. It also deletes expired staged files of every form.
func (s *Store) StageUpload(ctx context.Context, agencyID int64, token string, a *models.Attachment) error {
	if token == "" {
		return fmt.Errorf("stage upload: no form token")
	}
	// Best effort: expired files are invisible to every read already, and
	// the next upload tries again.
	_, _ = s.PurgeStagedUploads(ctx)
	now := s.nowUTC()
	h := tokenHash(token)
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM staged_uploads WHERE token_hash = ? AND expires_at > ?`,
			h, now).Scan(&n); err != nil {
			return fmt.Errorf("count staged uploads: %w", err)
		}
		if n >= models.MaxUploadFiles {
			return models.Invalid(models.FieldError{Field: models.UploadField(a.Kind),
				Message: fmt.Sprintf("附件最多%d个，文件“%s”未能上传。请先删除不需要的文件。", models.MaxUploadFiles, a.Filename)})
		}
		sum := sha256.Sum256(a.Content)
		a.SHA256 = hex.EncodeToString(sum[:])
		a.Size = int64(len(a.Content))
		a.AgencyID = agencyID
		a.CreatedAt = now
		res, err := tx.ExecContext(ctx, `INSERT INTO staged_uploads (agency_id, token_hash, kind, filename, content_type,
			size, sha256, content, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			agencyID, h, string(a.Kind), a.Filename, a.ContentType, a.Size, a.SHA256,
			s.keys.Encrypt(a.Content, ctxStagedUpload), now, now.Add(StagedUploadTTL))
		if isUniqueViolation(err) {
			return errAlreadyStaged
		}
		if err != nil {
			return fmt.Errorf("stage upload: %w", err)
		}
		a.ID, err = res.LastInsertId()
		return err
	})
	if errors.Is(err, errAlreadyStaged) {
		return nil // the same file for the same field: already waiting
	}
	return err
}

var errAlreadyStaged = errors.New("file already staged")

// StagedUploads lists the files waiting for the form with the given token
// (metadata only), in upload order.
func (s *Store) StagedUploads(ctx context.Context, token string) ([]*models.Attachment, error) {
	return s.staged(ctx, s.db, token, false)
}

func (s *Store) staged(ctx context.Context, q queryer, token string, content bool) ([]*models.Attachment, error) {
	if token == "" {
		return nil, nil
	}
	cols := `id, agency_id, kind, filename, content_type, size, sha256, created_at`
	if content {
		cols += `, content`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM staged_uploads WHERE token_hash = ? AND expires_at > ? ORDER BY id`,
		tokenHash(token), s.nowUTC())
	if err != nil {
		return nil, fmt.Errorf("list staged uploads: %w", err)
	}
	defer rows.Close()
	var out []*models.Attachment
	for rows.Next() {
		var a models.Attachment
		var enc []byte
		dest := []any{&a.ID, &a.AgencyID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, scanTime{&a.CreatedAt}}
		if content {
			dest = append(dest, &enc)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("list staged uploads: %w", err)
		}
		if content {
			if a.Content, err = s.keys.Decrypt(enc, ctxStagedUpload); err != nil {
				return nil, fmt.Errorf("decrypt staged upload %d: %w", a.ID, err)
			}
		}
		a.UploaderKind = models.ActorApplicant
		out = append(out, &a)
	}
	return out, rows.Err()
}

// RemoveStagedUploads deletes the listed files of the form with the given
// token. Ids of other forms' files are ignored: an id alone removes
// nothing.
func (s *Store) RemoveStagedUploads(ctx context.Context, token string, ids []int64) error {
	if token == "" || len(ids) == 0 {
		return nil
	}
	args := []any{tokenHash(token)}
	for _, id := range ids {
		args = append(args, id)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM staged_uploads WHERE token_hash = ? AND id IN (?`+
			strings.Repeat(", ?", len(ids)-1)+`)`, args...)
		if err != nil {
			return fmt.Errorf("remove staged uploads: %w", err)
		}
		return nil
	})
}

// PurgeStagedUploads deletes every expired staged file and returns how many
// went.
func (s *Store) PurgeStagedUploads(ctx context.Context) (int64, error) {
	var n int64
	// In a transaction so that a deadlock with concurrent uploads (InnoDB
	// locks index gaps for the range delete) is retried.
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM staged_uploads WHERE expires_at <= ?`, s.nowUTC())
		if err != nil {
			return fmt.Errorf("purge staged uploads: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// SubmitStaged submits an application together with the files staged under
// its form token (the token is also the submission's idempotency key), and
// then drops the staged copies. A repeated submission with the same token
// returns the first application and stores nothing new.
func (s *Store) SubmitStaged(ctx context.Context, n *NewApplication, token string) (*Submitted, error) {
	files, err := s.staged(ctx, s.db, token, true)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		a := *f
		a.ID = 0
		n.Attachments = append(n.Attachments, a)
	}
	n.IdempotencyKey = token
	// The application takes over the staged files: their staged copies are
	// deleted in the submission's own transaction, so one durable commit
	// covers both.
	n.stagedToken = token
	return s.SubmitApplication(ctx, n)
}
