package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"gongkai/models"
)

// The confidentiality review (保密审查, models/review.go; 网站管理办法第十条)
// of each submitted draft, kept as JSON in answer_reviews. The review is
// built by the web layer, because extracting a file's text can take
// seconds and must not hold a transaction: it scans the draft's text and
// every released file (reports.ScanForReview) and hands the result to
// StartAnswerReview. The reviewer's decisions go through ChangeAnswerReview, and a
// redacted replacement is scanned the same way before it is stored.

// Review returns the review of the draft with answer_drafted Seq draftSeq.
func (s *Store) AnswerReview(ctx context.Context, applicationID int64, draftSeq int) (*models.Review, error) {
	return s.readAnswerReview(ctx, s.db, applicationID, draftSeq, false)
}

func (s *Store) readAnswerReview(ctx context.Context, q answerRow, applicationID int64, draftSeq int, lock bool) (*models.Review, error) {
	suffix := ""
	if lock {
		suffix = s.forUpdate()
	}
	var raw string
	err := q.QueryRowContext(ctx, `SELECT body FROM answer_reviews WHERE application_id = ? AND draft_seq = ?`+suffix,
		applicationID, draftSeq).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "本稿答复尚未进行保密审查。")
	}
	if err != nil {
		return nil, fmt.Errorf("read review %d/%d: %w", applicationID, draftSeq, err)
	}
	var r models.Review
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, fmt.Errorf("decode review %d/%d: %w", applicationID, draftSeq, err)
	}
	return &r, nil
}

// answerReviewTx returns the review of a draft inside tx, nil when there is none
// (no draft yet, or not scanned).
func (s *Store) answerReviewTx(ctx context.Context, tx *sql.Tx, applicationID int64, draftSeq int) (*models.Review, error) {
	if draftSeq == 0 {
		return nil, nil
	}
	r, err := s.readAnswerReview(ctx, tx, applicationID, draftSeq, true)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return nil, nil
	}
	return r, err
}

// Reviews returns every review of an application, in the order of the
// drafts, for the case file.
func (s *Store) AnswerReviews(ctx context.Context, applicationID int64) ([]models.Review, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM answer_reviews WHERE application_id = ? ORDER BY draft_seq`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	defer rows.Close()
	var out []models.Review
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("list reviews: %w", err)
		}
		var r models.Review
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("decode review: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) writeAnswerReview(ctx context.Context, tx *sql.Tx, agencyID, applicationID int64, r *models.Review, insert bool) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode review: %w", err)
	}
	now := s.nowUTC()
	if insert {
		_, err = tx.ExecContext(ctx, `INSERT INTO answer_reviews (application_id, agency_id, draft_seq, body, updated_at)
			VALUES (?, ?, ?, ?, ?)`, applicationID, agencyID, r.DraftSeq, string(raw), now)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE answer_reviews SET body = ?, updated_at = ? WHERE application_id = ? AND draft_seq = ?`,
			string(raw), now, applicationID, r.DraftSeq)
	}
	if err != nil {
		return fmt.Errorf("save review: %w", err)
	}
	return nil
}

// StartAnswerReview stores the scan of a submitted draft (models.NewReview) as
// its review, unless one is stored already (another request scanned it
// first): the stored review is returned either way. The draft must be the
// current one.
func (s *Store) StartAnswerReview(ctx context.Context, agencyID, applicationID int64, r *models.Review) (*models.Review, error) {
	var out *models.Review
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, agencyID, applicationID, 0)
		if err != nil {
			return err
		}
		if r.DraftSeq == 0 || r.DraftSeq != c.state.DraftSeq {
			return models.Errorf(models.ECONFLICT, "答复稿已经更新，请刷新页面。")
		}
		if existing, err := s.answerReviewTx(ctx, tx, c.app.ID, r.DraftSeq); err != nil || existing != nil {
			out = existing
			return err
		}
		if err := s.writeAnswerReview(ctx, tx, c.app.AgencyID, c.app.ID, r, true); err != nil {
			return err
		}
		files := 0
		for _, src := range r.Sources {
			if src.Kind == models.ReviewSourceFile {
				files++
			}
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"review": "scanned", "draft_seq": r.DraftSeq, "files": files,
				"findings": len(r.Findings), "blockers": len(r.Blockers())})}); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// AnswerReviewChange is a reviewer's decision on the review of the current
// draft: clearing a finding, replacing a file by a redacted version, or
// attesting a file that could not be scanned.
type AnswerReviewChange struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	// DraftSeq is the draft the reviewer's page showed; a newer draft is a
	// conflict.
	DraftSeq int
	// NewFile is a redacted replacement, stored (as models.AttachRedacted)
	// before Apply runs with its id.
	NewFile *models.Attachment
	// Apply makes the decision on the stored review (Clear, Replace,
	// Attest); newFileID is NewFile's id, 0 without one.
	Apply func(r *models.Review, newFileID int64) error
	// Audit describes the decision for the trail.
	Audit map[string]any
}

// ChangeAnswerReview applies a reviewer's decision while the answer awaits the
// confidentiality review, in one transaction with the replacement file and
// the audit entry.
func (s *Store) ChangeAnswerReview(ctx context.Context, ch *AnswerReviewChange) (*models.Review, error) {
	var out *models.Review
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, ch.AgencyID, ch.ApplicationID, 0)
		if err != nil {
			return err
		}
		if err := c.authorise(ch.User, models.ActionReviewConfidentiality); err != nil {
			return err
		}
		if c.state.Stage != models.StageReview {
			return models.Errorf(models.ECONFLICT, "答复当前为“%s”，不在保密审查环节。", c.state.Stage.Label())
		}
		if ch.DraftSeq != c.state.DraftSeq {
			return models.Errorf(models.ECONFLICT, "答复稿已经更新，请刷新页面后重新审查。")
		}
		r, err := s.readAnswerReview(ctx, tx, c.app.ID, c.state.DraftSeq, true)
		if err != nil {
			return err
		}
		var newID int64
		if ch.NewFile != nil {
			a := *ch.NewFile
			a.ID, a.AgencyID, a.ApplicationID, a.Kind = 0, c.app.AgencyID, c.app.ID, models.AttachRedacted
			a.UploaderKind, a.UploaderID = models.ActorStaff, ch.User.ID
			if err := s.insertAttachment(ctx, tx, &a, s.nowUTC()); err != nil {
				return err
			}
			newID = a.ID
		}
		if err := ch.Apply(r, newID); err != nil {
			return err
		}
		if err := s.writeAnswerReview(ctx, tx, c.app.AgencyID, c.app.ID, r, false); err != nil {
			return err
		}
		after := map[string]any{"draft_seq": r.DraftSeq, "open": len(r.Blockers())}
		for k, v := range ch.Audit {
			after[k] = v
		}
		if newID != 0 {
			after["new_file"] = newID
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number, After: models.AuditData(after)}); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}
