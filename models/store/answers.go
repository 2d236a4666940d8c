package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gongkai/models"
)

// Answering (条例第三十六条至第四十条; models/answer.go and review.go). The
// answer's workflow is the ledger's answer events (models.AnswerFlow).
// Beside the ledger the store keeps each submitted draft (answer_drafts,
// keyed by the Seq of its answer_drafted event), the lead section's working
// copy with the assisting sections' contributions (draft_seq 0), the
// confidentiality review of each draft (answer_reviews, reviews.go) and,
// once the letter is issued, the files released (answer_releases).
//
// Every step is one transaction: the application locked and its ledger
// read, the user's right checked against the application as the ledger
// stands (models.Can with models.AnswerObject), the event checked
// (models.CheckAnswerStep, then CanAppend in appendEventTx) and appended,
// what goes with it written, and the audit entry.

// ctxAnswerDraft is the associated data of an encrypted draft.
const ctxAnswerDraft = "answer_drafts.body"

// workingDraft is the draft_seq of the lead section's working copy.
const workingDraft = 0

// answerRow reads one row (a *sql.DB or a *sql.Tx).
type answerRow interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// answerCase is an application locked for an answer step, with its ledger
// and what the ledger says.
type answerCase struct {
	app    *models.Application
	events []models.Event
	life   models.LifecycleState
	state  models.AnswerState
}

// lockAnswerCase locks the application row for the transaction and reads
// its ledger. expectVersion, when not zero, is the version the user's form
// was built from.
func (s *Store) lockAnswerCase(ctx context.Context, tx *sql.Tx, agencyID, applicationID int64, expectVersion int) (*answerCase, error) {
	app, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND id = ?`+s.forUpdate(), agencyID, applicationID))
	if err != nil {
		return nil, err
	}
	if expectVersion != 0 && app.Version != expectVersion {
		return nil, models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。")
	}
	events, err := s.loadEvents(ctx, tx, app.ID)
	if err != nil {
		return nil, err
	}
	life, err := models.Lifecycle(events)
	if err != nil {
		return nil, err
	}
	st, err := models.AnswerFlow(events)
	if err != nil {
		return nil, err
	}
	return &answerCase{app: app, events: events, life: life, state: st}, nil
}

// authorise checks that u may take a step needing action a on the case as
// it stands now (the handler checked the page; the sections may have
// changed since).
func (c *answerCase) authorise(u *models.User, a models.Action) error {
	if models.Can(u, a, models.AnswerObject(c.app, c.life, a)) {
		return nil
	}
	if a == models.ActionDraftAnswer || a == models.ActionApproveDraft {
		return models.Errorf(models.EFORBIDDEN, "答复由主办科室拟稿、主办科室负责人审核；您所在的科室不是本申请的主办科室。")
	}
	return models.Errorf(models.EFORBIDDEN, "您没有权限办理该申请的这一步骤。")
}

// drafting checks that the answer can be written now: the case is open
// and received, and no draft is in the sign-off.
func (c *answerCase) drafting() error {
	if !c.life.Status.Open() || c.life.ReceivedOn.IsZero() {
		return models.Errorf(models.ECONFLICT, "申请当前状态为“%s”，不能拟定答复。", c.life.Status.Label())
	}
	if c.state.Stage != models.StageDrafting {
		return models.Errorf(models.ECONFLICT, "答复当前为“%s”，不能修改。需要修改的，请由审核人退回。", c.state.Stage.Label())
	}
	return nil
}

// readAnswerDraft reads and decrypts a draft: seq is the Seq of its
// answer_drafted event, or workingDraft.
func (s *Store) readAnswerDraft(ctx context.Context, q answerRow, applicationID int64, seq int) (*models.AnswerDraft, error) {
	var enc []byte
	err := q.QueryRowContext(ctx, `SELECT body_enc FROM answer_drafts WHERE application_id = ? AND draft_seq = ?`,
		applicationID, seq).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到答复稿。")
	}
	if err != nil {
		return nil, fmt.Errorf("read answer draft %d/%d: %w", applicationID, seq, err)
	}
	raw, err := s.keys.Decrypt(enc, ctxAnswerDraft)
	if err != nil {
		return nil, fmt.Errorf("decrypt answer draft %d/%d: %w", applicationID, seq, err)
	}
	var d models.AnswerDraft
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("decode answer draft %d/%d: %w", applicationID, seq, err)
	}
	return &d, nil
}

// writeAnswerDraft stores a draft inside tx: the working copy is replaced, a
// submitted draft is written once.
func (s *Store) writeAnswerDraft(ctx context.Context, tx *sql.Tx, agencyID, applicationID int64, seq int, d *models.AnswerDraft,
	by int64, now time.Time) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode answer draft: %w", err)
	}
	enc := s.keys.Encrypt(raw, ctxAnswerDraft)
	if seq == workingDraft {
		res, err := tx.ExecContext(ctx, `UPDATE answer_drafts SET body_enc = ?, updated_by = ?, updated_at = ?
			WHERE application_id = ? AND draft_seq = ?`, enc, by, now, applicationID, seq)
		if err != nil {
			return fmt.Errorf("save answer draft: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO answer_drafts (application_id, agency_id, draft_seq, body_enc,
		updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, applicationID, agencyID, seq, enc, by, now); err != nil {
		if isUniqueViolation(err) {
			return models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。")
		}
		return fmt.Errorf("save answer draft: %w", err)
	}
	return nil
}

// AnswerDraft returns the draft submitted with the answer_drafted event of
// Seq seq.
func (s *Store) AnswerDraft(ctx context.Context, applicationID int64, seq int) (*models.AnswerDraft, error) {
	if seq <= 0 {
		return nil, models.Errorf(models.ENOTFOUND, "未找到答复稿。")
	}
	return s.readAnswerDraft(ctx, s.db, applicationID, seq)
}

// Answer is an application's answer as the staff pages show it.
type Answer struct {
	State models.AnswerState
	// Working is the lead section's working copy, with the assisting
	// sections' contributions; nil before anything was saved.
	Working *models.AnswerDraft
	// Current is the draft submitted last (State.DraftSeq); nil before the
	// first.
	Current *models.AnswerDraft
	// Review is the confidentiality review of Current; nil until its text
	// and files were scanned.
	Review *models.Review
	// Letter is the issued answer letter; nil before.
	Letter *Notice
}

// Answer loads the answer of an application whose ledger is events.
func (s *Store) Answer(ctx context.Context, app *models.Application, events []models.Event) (*Answer, error) {
	st, err := models.AnswerFlow(events)
	if err != nil {
		return nil, err
	}
	a := &Answer{State: st}
	if a.Working, err = s.readAnswerDraft(ctx, s.db, app.ID, workingDraft); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return nil, err
	}
	if st.DraftSeq != 0 {
		if a.Current, err = s.readAnswerDraft(ctx, s.db, app.ID, st.DraftSeq); err != nil {
			return nil, err
		}
		if a.Review, err = s.AnswerReview(ctx, app.ID, st.DraftSeq); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
			return nil, err
		}
	}
	if a.Letter, err = s.answerLetter(ctx, s.db, app.ID); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return nil, err
	}
	return a, nil
}

// answerLetter returns the application's answer letter (its notice).
func (s *Store) answerLetter(ctx context.Context, q answerRow, applicationID int64) (*Notice, error) {
	return scanNotice(q.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices
		WHERE application_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`, applicationID, string(models.NoticeAnswer)))
}

// AnswerWork is what the lead section saves on the draft form.
type AnswerWork struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	// Draft is the form: its fields, and in Files the files to release by
	// attachment ID, chosen among the working copy's own files and the
	// assisting sections' (the names are taken from the store).
	// Contributions are kept as stored.
	Draft models.AnswerDraft
	// NewFiles are uploaded with the form and added to the files.
	NewFiles []models.Attachment
}

// SaveAnswerWork saves the lead section's working copy with the files
// uploaded. Nothing is checked but the right to draft: a form that is not
// ready keeps what was typed and uploaded (SubmitAnswer validates).
func (s *Store) SaveAnswerWork(ctx context.Context, w *AnswerWork) (*models.AnswerDraft, error) {
	var out *models.AnswerDraft
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, w.AgencyID, w.ApplicationID, 0)
		if err != nil {
			return err
		}
		if err := c.authorise(w.User, models.ActionDraftAnswer); err != nil {
			return err
		}
		if err := c.drafting(); err != nil {
			return err
		}
		prev, err := s.readAnswerDraft(ctx, tx, c.app.ID, workingDraft)
		if models.ErrorCode(err) == models.ENOTFOUND {
			prev, err = &models.AnswerDraft{}, nil
		}
		if err != nil {
			return err
		}
		now := s.nowUTC()
		d := w.Draft
		d.Contributions = prev.Contributions
		// The files kept: only those the draft could already release.
		known := map[int64]models.AnswerFile{}
		for _, f := range prev.Files {
			known[f.AttachmentID] = f
		}
		for _, ct := range prev.Contributions {
			for _, f := range ct.Files {
				known[f.AttachmentID] = f
			}
		}
		d.Files = nil
		for _, f := range w.Draft.Files {
			if k, ok := known[f.AttachmentID]; ok && !slices.ContainsFunc(d.Files, func(x models.AnswerFile) bool { return x.AttachmentID == k.AttachmentID }) {
				d.Files = append(d.Files, k)
			}
		}
		for i := range w.NewFiles {
			a := w.NewFiles[i]
			a.ID, a.AgencyID, a.ApplicationID, a.Kind = 0, c.app.AgencyID, c.app.ID, models.AttachReleased
			a.UploaderKind, a.UploaderID = models.ActorStaff, w.User.ID
			if err := s.insertAttachment(ctx, tx, &a, now); err != nil {
				return err
			}
			d.Files = append(d.Files, models.AnswerFile{AttachmentID: a.ID, Filename: a.Filename})
		}
		if err := s.writeAnswerDraft(ctx, tx, c.app.AgencyID, c.app.ID, workingDraft, &d, w.User.ID, now); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"answer": "draft_saved", "outcome": d.Outcome, "files": len(d.Files),
				"uploaded": len(w.NewFiles)})}); err != nil {
			return err
		}
		out = &d
		return nil
	})
	return out, err
}

// ContributionWork is what an assisting (协办) section submits.
type ContributionWork struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	SectionID     int64
	Text          string
	// KeepFiles are the section's earlier files to keep, NewFiles those
	// uploaded now.
	KeepFiles []int64
	NewFiles  []models.Attachment
}

// Contribute records an assisting section's part in the working copy
// (models.AnswerDraft.Contribute), replacing the section's earlier one.
// The lead section can submit its draft once every assisting section has
// contributed.
func (s *Store) Contribute(ctx context.Context, w *ContributionWork) (*models.AnswerDraft, error) {
	sections, err := s.Sections(ctx, w.AgencyID)
	if err != nil {
		return nil, err
	}
	var out *models.AnswerDraft
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, w.AgencyID, w.ApplicationID, 0)
		if err != nil {
			return err
		}
		if !slices.Contains(models.ContributingSections(w.User, c.app, c.life), w.SectionID) {
			return models.Errorf(models.EFORBIDDEN, "只有本申请的协办科室可以提交协办意见。")
		}
		if err := c.drafting(); err != nil {
			return err
		}
		d, err := s.readAnswerDraft(ctx, tx, c.app.ID, workingDraft)
		if models.ErrorCode(err) == models.ENOTFOUND {
			d, err = &models.AnswerDraft{}, nil
		}
		if err != nil {
			return err
		}
		now := s.nowUTC()
		ct := models.Contribution{SectionID: w.SectionID, Text: w.Text, SubmittedBy: w.User.ID, SubmittedAt: now}
		for _, old := range d.Contributions {
			if old.SectionID != w.SectionID {
				continue
			}
			for _, f := range old.Files {
				if slices.Contains(w.KeepFiles, f.AttachmentID) {
					ct.Files = append(ct.Files, f)
				}
			}
		}
		// Check before storing files: a refused contribution leaves none.
		probe := *d
		probe.Contributions = slices.Clone(d.Contributions)
		if err := probe.Contribute(ct, answerAssisting(sections, c.life)); err != nil {
			return err
		}
		for i := range w.NewFiles {
			a := w.NewFiles[i]
			a.ID, a.AgencyID, a.ApplicationID, a.Kind = 0, c.app.AgencyID, c.app.ID, models.AttachReleased
			a.UploaderKind, a.UploaderID = models.ActorStaff, w.User.ID
			if err := s.insertAttachment(ctx, tx, &a, now); err != nil {
				return err
			}
			ct.Files = append(ct.Files, models.AnswerFile{AttachmentID: a.ID, Filename: a.Filename})
		}
		if err := d.Contribute(ct, answerAssisting(sections, c.life)); err != nil {
			return err
		}
		if err := s.writeAnswerDraft(ctx, tx, c.app.AgencyID, c.app.ID, workingDraft, d, w.User.ID, now); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"answer": "contribution", "section_id": w.SectionID, "files": len(ct.Files)})}); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, err
}

// answerAssisting returns the application's assisting sections.
func answerAssisting(all []*models.Section, life models.LifecycleState) []models.Section {
	var out []models.Section
	for _, id := range life.AssistSectionIDs {
		sec := models.Section{ID: id, Name: fmt.Sprintf("科室%d", id)}
		for _, x := range all {
			if x.ID == id {
				sec = *x
			}
		}
		out = append(out, sec)
	}
	return out
}

// AnswerResult is what an answer step wrote.
type AnswerResult struct {
	App   *models.Application
	Event models.Event
	State models.AnswerState
	// Draft is the draft submitted (SubmitAnswer).
	Draft *models.AnswerDraft
}

// AnswerSubmission submits the working copy as the answer draft.
type AnswerSubmission struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	ExpectVersion int
}

// SubmitAnswer submits the lead section's working copy: normalised and
// validated (models.AnswerDraft.Validate: the reasons the outcome needs,
// the files, every assisting section's part), recorded as an
// answer_drafted event, and stored as the draft of that event. The
// working copy stays as typed, for the next round if the draft is sent
// back.
func (s *Store) SubmitAnswer(ctx context.Context, sub AnswerSubmission) (*AnswerResult, error) {
	cal, rules, err := s.clockInputs(ctx, sub.AgencyID)
	if err != nil {
		return nil, err
	}
	sections, err := s.Sections(ctx, sub.AgencyID)
	if err != nil {
		return nil, err
	}
	var res *AnswerResult
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, sub.AgencyID, sub.ApplicationID, sub.ExpectVersion)
		if err != nil {
			return err
		}
		if err := c.authorise(sub.User, models.ActionDraftAnswer); err != nil {
			return err
		}
		if err := c.drafting(); err != nil {
			return err
		}
		d, err := s.readAnswerDraft(ctx, tx, c.app.ID, workingDraft)
		if models.ErrorCode(err) == models.ENOTFOUND {
			d, err = &models.AnswerDraft{}, nil
		}
		if err != nil {
			return err
		}
		d.Normalize()
		if err := d.Validate(answerAssisting(sections, c.life)); err != nil {
			return err
		}
		e := models.Event{Kind: models.EventAnswerDrafted, ActorKind: models.ActorStaff, ActorID: sub.User.ID,
			Data: models.EventData{Outcome: d.Outcome}}
		if err := models.CheckAnswerStep(c.events, e, nil); err != nil {
			return err
		}
		app, err := s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &e, 0, cal, rules)
		if err != nil {
			return err
		}
		if err := s.writeAnswerDraft(ctx, tx, c.app.AgencyID, c.app.ID, e.Seq, d, sub.User.ID, e.RecordedAt); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number,
			After: models.AuditData(map[string]any{"event": e.Kind, "seq": e.Seq, "on": e.On.String(), "outcome": d.Outcome,
				"files": len(d.Files)})}); err != nil {
			return err
		}
		st, _ := models.AnswerFlow(append(c.events, e))
		res = &AnswerResult{App: app, Event: e, State: st, Draft: d}
		return nil
	})
	return res, err
}

// AnswerStepInput is an approval or a send-back (answer_approved,
// answer_returned) or the completed confidentiality review
// (answer_reviewed).
type AnswerStepInput struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	// Event is the step: its Kind and, for approvals and returns, the
	// Stage acting and the Comment.
	Event         models.Event
	ExpectVersion int
}

// RecordAnswerStep records an approval, a send-back or the completed
// review. The review can only be completed when it allows release
// (models.CheckAnswerStep: nothing is released while a finding is open).
func (s *Store) RecordAnswerStep(ctx context.Context, in AnswerStepInput) (*AnswerResult, error) {
	e := in.Event
	switch e.Kind {
	case models.EventAnswerApproved, models.EventAnswerReturned, models.EventAnswerReviewed:
	default:
		return nil, fmt.Errorf("record answer step: %s is not an approval, return or review", e.Kind)
	}
	cal, rules, err := s.clockInputs(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	var res *AnswerResult
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, in.AgencyID, in.ApplicationID, in.ExpectVersion)
		if err != nil {
			return err
		}
		action := models.AnswerStepAction(e)
		if action == "" {
			return models.Errorf(models.EINVALID, "审核环节无效。")
		}
		if err := c.authorise(in.User, action); err != nil {
			return err
		}
		review, err := s.answerReviewTx(ctx, tx, c.app.ID, c.state.DraftSeq)
		if err != nil {
			return err
		}
		e.ActorKind, e.ActorID, e.On = models.ActorStaff, in.User.ID, models.Date{}
		if err := models.CheckAnswerStep(c.events, e, review); err != nil {
			return err
		}
		app, err := s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &e, 0, cal, rules)
		if err != nil {
			return err
		}
		after := map[string]any{"event": e.Kind, "seq": e.Seq, "on": e.On.String(), "draft_seq": c.state.DraftSeq}
		if e.Data.Stage != "" {
			after["stage"] = e.Data.Stage
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number, After: models.AuditData(after)}); err != nil {
			return err
		}
		st, _ := models.AnswerFlow(append(c.events, e))
		res = &AnswerResult{App: app, Event: e, State: st}
		return nil
	})
	return res, err
}

// AnswerLetterData is what an answer letter is rendered from.
type AnswerLetterData struct {
	Agency      *models.Agency // with the seal image
	Application *models.Application
	Applicant   *models.Applicant
	Draft       models.AnswerDraft
	Number      string
	IssuedOn    models.Date
	// Files are the files released (the review's ReleasedFiles).
	Files     []models.AnswerFile
	CreatedAt time.Time
}

// AnswerRenderer lays out an answer letter as a PDF. The store does not
// lay out PDFs; the web layer passes reports.WriteAnswer.
type AnswerRenderer func(AnswerLetterData) ([]byte, error)

// AnswerIssue issues the answer letter.
type AnswerIssue struct {
	AgencyID      int64
	ApplicationID int64
	User          *models.User
	ExpectVersion int
	Render        AnswerRenderer
}

// IssuedAnswer is what issuing wrote.
type IssuedAnswer struct {
	App    *models.Application
	Letter *Notice
	// Event is the answer_issued event; zero for the letter of a decision
	// already on the ledger (models.AnswerState.ByDecision).
	Event models.Event
	Files []models.AnswerFile
}

// answerNoticeBody is the notice row's body for an answer letter: enough
// to say what was issued without copying the draft, which stays encrypted
// in answer_drafts. Its names match models.NoticeBody's where they mean the
// same.
type answerNoticeBody struct {
	Version  int                 `json:"version"`
	Kind     models.NoticeKind   `json:"kind"`
	Title    string              `json:"title"`
	Number   string              `json:"number"`
	IssuedOn models.Date         `json:"issued_on"`
	Agency   models.NoticeAgency `json:"agency"`
	// ApplicationNumber and Outcome say what the letter answered.
	ApplicationNumber string         `json:"application_number"`
	Outcome           models.Outcome `json:"outcome"`
	// DraftSeq is the draft the letter was rendered from; 0 for the letter
	// of a decision under 条例第三十五条, whose reasons are on the ledger.
	DraftSeq   int                 `json:"draft_seq,omitempty"`
	Files      []models.AnswerFile `json:"files,omitempty"`
	SealSHA256 string              `json:"seal_sha256,omitempty"`
}

// IssueAnswer issues the answer letter, in one transaction: the
// answer_issued event (checked by models.CheckAnswerStep: signed off, and a
// review that allows release), the letter numbered in the agency's yearly
// notice series (the same series as every notice), rendered with the files
// the review released, stored as a notice with its PDF, and the released
// files recorded for the applicant's tracking page. For an answer decided
// under 条例第三十五条 without a letter (models.AnswerState.ByDecision) it
// issues that decision's letter without a new event.
func (s *Store) IssueAnswer(ctx context.Context, in AnswerIssue) (*IssuedAnswer, error) {
	if in.Render == nil {
		return nil, errors.New("issue answer: no renderer")
	}
	cal, rules, err := s.clockInputs(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	agency, err := s.Agency(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	var res *IssuedAnswer
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockAnswerCase(ctx, tx, in.AgencyID, in.ApplicationID, in.ExpectVersion)
		if err != nil {
			return err
		}
		if err := c.authorise(in.User, models.ActionIssueAnswer); err != nil {
			return err
		}
		applicant, err := s.Applicant(ctx, c.app.AgencyID, c.app.ApplicantID)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		today := models.DateOf(now, s.loc)
		res = &IssuedAnswer{}
		var draft models.AnswerDraft
		var draftSeq, eventSeq int
		switch {
		case c.state.Stage == models.StageIssued && c.state.ByDecision:
			if _, err := s.answerLetter(ctx, tx, c.app.ID); err == nil {
				return models.Errorf(models.ECONFLICT, "本申请的答复书已经出具。")
			} else if models.ErrorCode(err) != models.ENOTFOUND {
				return err
			}
			for _, e := range c.events {
				if e.Seq == c.state.IssuedSeq {
					draft = models.AnswerDraft{Outcome: e.Data.Outcome, Reasons: e.Data.Reason}
				}
			}
			eventSeq = c.state.IssuedSeq
		default:
			review, err := s.answerReviewTx(ctx, tx, c.app.ID, c.state.DraftSeq)
			if err != nil {
				return err
			}
			e := models.Event{Kind: models.EventAnswerIssued, ActorKind: models.ActorStaff, ActorID: in.User.ID,
				Data: models.EventData{Outcome: c.state.Outcome}}
			if err := models.CheckAnswerStep(c.events, e, review); err != nil {
				return err
			}
			d, err := s.readAnswerDraft(ctx, tx, c.app.ID, c.state.DraftSeq)
			if err != nil {
				return err
			}
			draft, draftSeq = *d, c.state.DraftSeq
			res.Files = review.ReleasedFiles()
			res.Event, eventSeq = e, len(c.events)+1
		}

		seq, err := s.nextValue(ctx, tx, c.app.AgencyID, seqNotices, today.Year())
		if err != nil {
			return err
		}
		number := models.NoticeNumber(agency.LetterPrefix, today.Year(), seq)
		body := answerNoticeBody{Version: 1, Kind: models.NoticeAnswer, Title: models.NoticeAnswer.Title(), Number: number,
			IssuedOn: today, ApplicationNumber: c.app.Number, Outcome: draft.Outcome, DraftSeq: draftSeq, Files: res.Files,
			Agency: models.NoticeAgency{Name: agency.Name, OfficeName: agency.OfficeName, OfficeAddress: agency.OfficeAddress,
				PostCode: agency.PostCode, OfficeHours: agency.OfficeHours, Phone: agency.Phone, Fax: agency.Fax,
				Email: agency.Email, Website: agency.Website}}
		if len(agency.SealImage) > 0 {
			sum := sha256.Sum256(agency.SealImage)
			body.SealSHA256 = hex.EncodeToString(sum[:])
		}
		n := &Notice{AgencyID: c.app.AgencyID, ApplicationID: c.app.ID, Kind: string(models.NoticeAnswer), Number: number,
			Title: body.Title, IssuedOn: today, EventSeq: eventSeq}
		if err := s.insertNotice(ctx, tx, n, body, seq, in.User.ID, now); err != nil {
			return err
		}

		app := c.app
		if res.Event.Kind != "" {
			res.Event.Data.NoticeID = n.ID
			if app, err = s.appendEventTx(ctx, tx, c.app.AgencyID, c.app.ID, &res.Event, 0, cal, rules); err != nil {
				return err
			}
		}
		pdf, err := in.Render(AnswerLetterData{Agency: agency, Application: app, Applicant: applicant, Draft: draft,
			Number: number, IssuedOn: today, Files: res.Files, CreatedAt: now})
		if err != nil {
			return err
		}
		a := models.Attachment{AgencyID: c.app.AgencyID, ApplicationID: c.app.ID, Kind: models.AttachNotice,
			Filename: n.Filename(), ContentType: models.TypePDF, Content: pdf, UploaderKind: models.ActorStaff, UploaderID: in.User.ID}
		if err := s.insertAttachment(ctx, tx, &a, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET attachment_id = ? WHERE id = ?`, a.ID, n.ID); err != nil {
			return fmt.Errorf("link answer letter %s: %w", n.Number, err)
		}
		n.AttachmentID = a.ID
		for i, f := range res.Files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO answer_releases (application_id, attachment_id, position)
				VALUES (?, ?, ?)`, c.app.ID, f.AttachmentID, i+1); err != nil {
				return fmt.Errorf("record released file %d: %w", f.AttachmentID, err)
			}
		}
		after := map[string]any{"answer": "letter_issued", "notices": []string{number}, "outcome": draft.Outcome,
			"files": len(res.Files)}
		if res.Event.Kind != "" {
			after["event"], after["seq"], after["on"] = res.Event.Kind, res.Event.Seq, res.Event.On.String()
		}
		if err := s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: c.app.AgencyID, Action: models.AuditApplicationStep,
			ObjectType: models.AuditObjectApplication, ObjectID: c.app.Number, After: models.AuditData(after)}); err != nil {
			return err
		}
		res.App, res.Letter = app, n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ReleasedFiles lists the files released to the applicant with the issued
// answer, in the letter's order (metadata only); none before the letter is
// issued. These, and only these, are offered on the tracking page: never a
// draft's files, nor an original the review replaced by a redacted version.
func (s *Store) ReleasedFiles(ctx context.Context, applicationID int64) ([]*models.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+answerQualified("attachments.", attachmentColumns)+` FROM answer_releases
		JOIN attachments ON attachments.id = answer_releases.attachment_id
		WHERE answer_releases.application_id = ? AND attachments.application_id = ?
		ORDER BY answer_releases.position`, applicationID, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list released files: %w", err)
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

// ReleasedFile returns one released file with its content; any other file
// of the application is not found.
func (s *Store) ReleasedFile(ctx context.Context, applicationID, attachmentID int64) (*models.Attachment, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM answer_releases WHERE application_id = ? AND attachment_id = ?`,
		applicationID, attachmentID).Scan(&n); err != nil {
		return nil, fmt.Errorf("released file: %w", err)
	}
	if n == 0 {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该文件。")
	}
	return s.Attachment(ctx, applicationID, attachmentID)
}

// AnswerFile returns a file of the application's answer with its content
// for staff: a file of the working copy, of a submitted draft, of a
// contribution or of a review (a redacted replacement). Other files of
// the application (the applicant's identity proof …) are not found here.
func (s *Store) AnswerFile(ctx context.Context, applicationID, attachmentID int64) (*models.Attachment, error) {
	a, err := s.Attachment(ctx, applicationID, attachmentID)
	if err != nil {
		return nil, err
	}
	if a.Kind != models.AttachReleased && a.Kind != models.AttachRedacted {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该文件。")
	}
	return a, nil
}

// answerQualified qualifies a comma-separated column list with a table name.
func answerQualified(table, columns string) string {
	var out []byte
	start := true
	for i := 0; i < len(columns); i++ {
		ch := columns[i]
		if start && ch != ' ' && ch != '\t' && ch != '\n' {
			out = append(out, table...)
			start = false
		}
		out = append(out, ch)
		if ch == ',' {
			start = true
		}
	}
	return string(out)
}

// AnswerQueueItem is an application whose answer waits for someone.
type AnswerQueueItem struct {
	App   *models.Application
	Life  models.LifecycleState
	State models.AnswerState
	// Letter is the issued letter (nil before, and for a decision whose
	// letter is still to be issued).
	Letter *Notice
}

// AnswerQueue lists an agency's applications whose answer waits for a
// step: drafts in the sign-off or sent back, signed-off answers to issue,
// decisions without their letter, and letters not yet delivered. The
// caller keeps those the user may act on (models.Can with the stage's
// action).
func (s *Store) AnswerQueue(ctx context.Context, agencyID int64) ([]AnswerQueueItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE agency_id = ? AND (
			(status NOT IN ('pending', 'answered', 'terminated', 'withdrawn', 'archived')
				AND EXISTS (SELECT 1 FROM answer_drafts WHERE answer_drafts.application_id = applications.id))
			OR (status = 'answered' AND NOT EXISTS (SELECT 1 FROM notices WHERE notices.application_id = applications.id
				AND notices.kind = 'answer' AND notices.delivered_on IS NOT NULL)))
		ORDER BY due_on, id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("answer queue: %w", err)
	}
	var apps []*models.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		apps = append(apps, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []AnswerQueueItem
	for _, app := range apps {
		events, err := s.Events(ctx, app.ID)
		if err != nil {
			return nil, err
		}
		life, err := models.Lifecycle(events)
		if err != nil {
			return nil, err
		}
		st, err := models.AnswerFlow(events)
		if err != nil {
			return nil, err
		}
		it := AnswerQueueItem{App: app, Life: life, State: st}
		if st.Stage == models.StageIssued {
			if it.Letter, err = s.answerLetter(ctx, s.db, app.ID); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
				return nil, err
			}
			if it.Letter != nil && it.Letter.Delivered() {
				continue
			}
		}
		if st.Stage == models.StageDrafting && st.LastReturn == nil {
			continue // being written: the section's worklist shows it
		}
		out = append(out, it)
	}
	return out, nil
}
