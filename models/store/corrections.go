package store

import (
	"context"
	"database/sql"
	"fmt"

	"gongkai/models"
)

// Correction is an applicant's answer to a correction notice (补正,
// 条例第三十条).
type Correction struct {
	AgencyID      int64
	ApplicationID int64
	// Description is the corrected or added description of the
	// information; it is recorded on the ledger event.
	Description string
	// Files come with the correction (kind correction); so do the files
	// staged under StagingToken, which are dropped once taken over.
	Files        []models.Attachment
	StagingToken string
	// ExpectVersion, when not zero, is the application's version the form
	// was built from.
	ExpectVersion int
}

// SubmitCorrection records that the corrected application was received
// today (models.EventCorrected; the answer period restarts from this day,
// 条例第三十条) and stores its files, in one transaction: either the
// ledger shows the correction with every file, or nothing changed. The
// ledger must be awaiting a correction; otherwise the error is ECONFLICT.
func (s *Store) SubmitCorrection(ctx context.Context, c Correction) (*models.Application, error) {
	cal, rules, err := s.clockInputs(ctx, c.AgencyID)
	if err != nil {
		return nil, err
	}
	var app *models.Application
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		e := models.Event{Kind: models.EventCorrected, ActorKind: models.ActorApplicant,
			Data: models.EventData{Comment: c.Description}}
		if app, err = s.appendEventTx(ctx, tx, c.AgencyID, c.ApplicationID, &e, c.ExpectVersion, cal, rules); err != nil {
			return err
		}
		staged, err := s.staged(ctx, tx, c.StagingToken, true)
		if err != nil {
			return err
		}
		files := append([]models.Attachment(nil), c.Files...)
		for _, f := range staged {
			files = append(files, *f)
		}
		now := s.nowUTC()
		for i := range files {
			a := &files[i]
			a.ID = 0
			a.Kind = models.AttachCorrection
			a.AgencyID, a.ApplicationID = c.AgencyID, c.ApplicationID
			a.UploaderKind, a.UploaderID = models.ActorApplicant, 0
			if err := s.insertAttachment(ctx, tx, a, now); err != nil {
				return err
			}
		}
		if c.StagingToken != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM staged_uploads WHERE token_hash = ?`, tokenHash(c.StagingToken)); err != nil {
				return fmt.Errorf("drop staged correction files: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return app, nil
}
