package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/models"
)

// The case file (案卷, 条例第四十五条): everything an application's file is
// made of, read for the web layer to lay out (reports.WriteCaseFile), and
// the archiving that stores the file made at that moment.

// CaseFileInputs is what an application's case file is made of.
type CaseFileInputs struct {
	Agency      *models.Agency
	Application *models.Application
	Applicant   *models.Applicant
	Events      []models.Event
	// Notices are the notices and letters issued, in the order issued,
	// each with its stored PDF (nil when none was stored).
	Notices []CaseNotice
	Reviews []models.Review
	// Names are the agency's staff by id, Sections its sections by id.
	Names    map[int64]string
	Sections map[int64]string
}

// CaseNotice is one issued notice with its PDF.
type CaseNotice struct {
	*Notice
	PDF []byte
}

// CaseFileInputs reads an application's case file: the application and
// its applicant (decrypted: the caller masks them unless the full
// identity is asked for), the ledger, every notice and letter with the
// PDF as issued, the reviews, and the names of staff and sections.
func (s *Store) CaseFileInputs(ctx context.Context, app *models.Application) (*CaseFileInputs, error) {
	in := &CaseFileInputs{Application: app, Names: map[int64]string{}, Sections: map[int64]string{}}
	var err error
	if in.Agency, err = s.Agency(ctx, app.AgencyID); err != nil {
		return nil, err
	}
	if in.Applicant, err = s.Applicant(ctx, app.AgencyID, app.ApplicantID); err != nil {
		return nil, err
	}
	if in.Events, err = s.Events(ctx, app.ID); err != nil {
		return nil, err
	}
	notices, err := s.Notices(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	for _, n := range notices {
		cn := CaseNotice{Notice: n}
		if n.HasPDF() {
			a, err := s.Attachment(ctx, app.ID, n.AttachmentID)
			if err != nil {
				return nil, err
			}
			cn.PDF = a.Content
		}
		in.Notices = append(in.Notices, cn)
	}
	if in.Reviews, err = s.AnswerReviews(ctx, app.ID); err != nil {
		return nil, err
	}
	users, err := s.Users(ctx, app.AgencyID)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		in.Names[u.ID] = u.DisplayName
	}
	sections, err := s.Sections(ctx, app.AgencyID)
	if err != nil {
		return nil, err
	}
	for _, sec := range sections {
		in.Sections[sec.ID] = sec.Name
	}
	return in, nil
}

// CaseFileName is the file name of an application's case file.
func CaseFileName(app *models.Application) string {
	return "政府信息公开申请案卷（" + app.Number + "）.pdf"
}

// ArchiveInput archives an application with its case file.
type ArchiveInput struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	// ExpectVersion is the application's version the case file was made
	// from: the file must show the ledger as it is when archived.
	ExpectVersion int
	// CaseFile is the case file's PDF, made with the archived event
	// (ArchivedEvent) already in its timeline.
	CaseFile []byte
}

// ArchivedEvent is the archived event an archiving by u today will
// append to a ledger of n events, for the case file made before it.
func (s *Store) ArchivedEvent(n int, u *models.User) models.Event {
	now := s.nowUTC()
	return models.Event{Seq: n + 1, Kind: models.EventArchived, On: models.DateOf(now, s.loc), RecordedAt: now,
		ActorKind: models.ActorStaff, ActorID: u.ID}
}

// Archive archives a closed application (条例第四十五条): the archived event,
// the case file stored as an attachment and recorded in case_files, and
// the audit entry, in one transaction. A ledger that changed since the
// case file was made is a conflict (make it again).
func (s *Store) Archive(ctx context.Context, in ArchiveInput) (*models.Application, error) {
	if len(in.CaseFile) == 0 {
		return nil, errors.New("archive: no case file")
	}
	cal, rules, err := s.clockInputs(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	var app *models.Application
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, in.AgencyID, in.ApplicationID, in.ExpectVersion)
		if err != nil {
			return err
		}
		if err := c.authorise(in.User, models.ActionArchive); err != nil {
			return err
		}
		e := models.Event{Kind: models.EventArchived, ActorKind: models.ActorStaff, ActorID: in.User.ID}
		if app, err = s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &e, 0, cal, rules); err != nil {
			return err
		}
		now := s.nowUTC()
		a := models.Attachment{AgencyID: c.app.AgencyID, ApplicationID: c.app.ID, Kind: models.AttachNotice,
			Filename: CaseFileName(c.app), ContentType: models.TypePDF, Content: in.CaseFile,
			UploaderKind: models.ActorStaff, UploaderID: in.User.ID}
		if err := s.insertAttachment(ctx, tx, &a, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_files (application_id, agency_id, attachment_id, event_seq,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`, c.app.ID, c.app.AgencyID, a.ID, e.Seq, in.User.ID, now); err != nil {
			if isUniqueViolation(err) {
				return models.Errorf(models.ECONFLICT, "本申请已经归档。")
			}
			return fmt.Errorf("record case file of %s: %w", c.app.Number, err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"event": e.Kind, "seq": e.Seq, "on": e.On.String(),
				"case_file": a.ID, "sha256": a.SHA256})})
	})
	return app, err
}

// ArchivedCaseFile returns the case file stored when the application was
// archived, with its content.
func (s *Store) ArchivedCaseFile(ctx context.Context, applicationID int64) (*models.Attachment, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT attachment_id FROM case_files WHERE application_id = ?`, applicationID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "本申请尚未归档。")
	}
	if err != nil {
		return nil, fmt.Errorf("archived case file: %w", err)
	}
	return s.Attachment(ctx, applicationID, id)
}
