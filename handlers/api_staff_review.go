package handlers

// The answering steps of the staff API besides the lead section's: an
// assisting (协办) section's contribution, and the confidentiality review
// (保密审查, 网站管理办法第十条; models/review.go). Like the other steps
// (api_staff_steps.go) each is its page's post (postContribution in
// answers.go, the review's posts in review.go) with JSON in and out: the
// same checks, the same store method, the same audit entry.

import (
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// APIContributionRequest is an assisting section's part of the answer.
// It replaces the section's earlier one.
type APIContributionRequest struct {
	// SectionID is the user's assisting section to contribute for; it
	// may be left out when the user contributes for one section only.
	SectionID    int64  `json:"section_id"`
	Contribution string `json:"contribution"`
	// FileIDs keeps files the section contributed before; Files adds new
	// ones. An earlier file not listed is dropped, as on the form.
	FileIDs []int64         `json:"file_ids"`
	Files   []APIAnswerFile `json:"files"`
}

// apiContribution serves POST …/answer/contribution: postContribution's
// step (store.Contribute). The lead section can submit its draft once
// every assisting section has contributed.
func (h *Handler) apiContribution(c *gin.Context) (int, any, error) {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return 0, nil, err
	}
	var in APIContributionRequest
	if err := bindStaffJSON(c, &in, maxStaffDraftBody); err != nil {
		return 0, nil, err
	}
	mine := models.ContributingSections(ac.user, ac.app, ac.life)
	if in.SectionID == 0 && len(mine) == 1 {
		in.SectionID = mine[0]
	}
	switch {
	case ac.workingBlocked() != "":
		return 0, nil, models.Errorf(models.ECONFLICT, "%s", ac.workingBlocked())
	case len(mine) == 0:
		return 0, nil, models.Errorf(models.ECONFLICT, "您所在的科室不是本申请的协办科室，不需要提交协办意见。")
	case !slices.Contains(mine, in.SectionID):
		return 0, nil, models.Invalid(models.FieldError{Field: "section_id", Message: "请指定以哪个协办科室的名义提交。"})
	}
	files, fe := apiAnswerFiles("files", in.Files, models.AttachReleased)
	if len(fe) > 0 {
		return 0, nil, models.Invalid(fe...)
	}
	if _, err := h.store.Contribute(c.Request.Context(), &store.ContributionWork{AgencyID: ac.app.AgencyID,
		ApplicationID: ac.app.ID, User: ac.user, SectionID: in.SectionID, Text: in.Contribution,
		KeepFiles: in.FileIDs, NewFiles: files}); err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, ac.app, lastSeq(ac.events), nil, true)
}

// APIReview is the confidentiality review of the draft in the sign-off:
// what was scanned, and every finding with its place and masked text.
type APIReview struct {
	// DraftSeq is the reviewed draft; a review request naming another is
	// refused with 409.
	DraftSeq int               `json:"draft_seq"`
	Sources  []APIReviewSource `json:"sources"`
	Findings []APIFinding      `json:"findings"`
}

// APIReviewSource is a scanned source: the answer's text or a released
// file (FileID set), with what was done to it.
type APIReviewSource struct {
	Kind           string `json:"kind"`
	FileID         int64  `json:"file_id,omitempty"`
	Filename       string `json:"filename,omitempty"`
	TextLayer      string `json:"text_layer"`
	TextLayerLabel string `json:"text_layer_label"`
	Pages          int    `json:"pages,omitempty"`
	// Current is false for a file replaced by a redacted version
	// (ReplacedBy); Replaces names the file a redacted version replaced.
	Current    bool  `json:"current"`
	ReplacedBy int64 `json:"replaced_by,omitempty"`
	Replaces   int64 `json:"replaces,omitempty"`
	// NeedsAttestation: a current file without a usable text layer that
	// the reviewer has not yet attested (action attest_file).
	NeedsAttestation bool               `json:"needs_attestation"`
	Attestation      *APIReviewDecision `json:"attestation,omitempty"`
}

// APIReviewDecision is who decided, when and why.
type APIReviewDecision struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// APIFinding is a finding of the scan. Open findings block the
// completion of the review and the release.
type APIFinding struct {
	ID        int    `json:"id"`
	Place     string `json:"place"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Masked    string `json:"masked"`
	Open      bool   `json:"open"`
	// Decision is cleared or replaced once decided; a finding left open
	// in a file since replaced is no longer open.
	Decision      string             `json:"decision,omitempty"`
	DecisionLabel string             `json:"decision_label"`
	Decided       *APIReviewDecision `json:"decided,omitempty"`
}

// apiReview describes a review as the review page does; staff names the
// reviewers.
func apiReview(r *models.Review, staff map[int64]string) *APIReview {
	who := func(id int64) string {
		if n := staff[id]; n != "" {
			return n
		}
		return "工作人员"
	}
	out := &APIReview{DraftSeq: r.DraftSeq, Sources: []APIReviewSource{}, Findings: []APIFinding{}}
	for _, s := range r.Sources {
		v := APIReviewSource{Kind: string(s.Kind), TextLayer: string(s.TextLayer), TextLayerLabel: textLayerLabel(s.TextLayer),
			Pages: s.Pages, Current: s.ReplacedBy == 0, ReplacedBy: s.ReplacedBy, Replaces: s.Replaces}
		if s.Kind == models.ReviewSourceFile {
			v.FileID, v.Filename = s.AttachmentID, s.Filename
			v.NeedsAttestation = v.Current && s.TextLayer != models.ReviewTextScanned && s.Attestation == nil
		}
		if at := s.Attestation; at != nil {
			v.Attestation = &APIReviewDecision{Text: at.Statement, By: who(at.By), At: at.At}
		}
		out.Sources = append(out.Sources, v)
	}
	for _, f := range r.Findings {
		src := r.Source(f)
		v := APIFinding{ID: f.ID, Place: r.Place(f), Kind: string(f.Kind), KindLabel: f.Kind.Label(), Masked: f.Masked,
			Open: f.Decision == models.DecisionOpen && src.ReplacedBy == 0, Decision: string(f.Decision),
			DecisionLabel: f.Decision.Label()}
		if f.Decision == models.DecisionOpen && src.ReplacedBy != 0 {
			v.DecisionLabel = "所在文件已被替换"
		}
		if f.By != 0 {
			v.Decided = &APIReviewDecision{Text: f.Reason, By: who(f.By), At: f.At}
		}
		out.Findings = append(out.Findings, v)
	}
	return out
}

// APIReviewRequest is one decision of the 保密审查员, by Action:
//   - clear_finding: FindingID may be released as it is, for Reason;
//   - replace_file: FileID is replaced by File, a redacted version,
//     which is scanned like the original;
//   - attest_file: FileID, without a usable text layer, was read page by
//     page (Statement);
//   - complete: the review is complete (refused while anything is open);
//   - send_back: the draft goes back to the lead section with Comment.
type APIReviewRequest struct {
	Action    string         `json:"action"`
	FindingID int            `json:"finding_id"`
	Reason    string         `json:"reason"`
	FileID    int64          `json:"file_id"`
	File      *APIAnswerFile `json:"file"`
	Statement string         `json:"statement"`
	Comment   string         `json:"comment"`
	// DraftSeq, when not 0, is the reviewed draft the caller read
	// (answer.review.draft_seq); a decision on a finding or a file of an
	// older draft is refused with 409.
	DraftSeq int `json:"draft_seq"`
	// Version, when not 0, is the application's version the caller read
	// (complete and send_back).
	Version int `json:"version"`
}

// Review actions of APIReviewRequest.
const (
	reviewClearFinding = "clear_finding"
	reviewReplaceFile  = "replace_file"
	reviewAttestFile   = "attest_file"
	reviewComplete     = "complete"
	reviewSendBack     = "send_back"
)

// apiReviewDecision serves POST …/answer/review: the review page's posts
// (postReviewClear, postReviewReplace, postReviewAttest through
// store.ChangeAnswerReview; postReviewDecision through
// store.RecordAnswerStep, which refuses the completion while a finding is
// open or a file unattested: models.CheckAnswerStep).
func (h *Handler) apiReviewDecision(c *gin.Context) (int, any, error) {
	ac, err := h.loadAnswer(c, models.ActionReviewConfidentiality)
	if err != nil {
		return 0, nil, err
	}
	var in APIReviewRequest
	if err := bindStaffJSON(c, &in, maxStaffDraftBody); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	in.Action = trimSpace(in.Action)
	switch in.Action {
	case reviewClearFinding, reviewReplaceFile, reviewAttestFile:
	case reviewComplete, reviewSendBack:
		return h.apiReviewOutcome(c, ac, &in)
	default:
		return 0, nil, models.Invalid(models.FieldError{Field: "action",
			Message: "请指定操作：clear_finding（确认可以公开）、replace_file（替换为遮盖后的文件）、attest_file（确认已人工审阅）、complete（完成保密审查）或 send_back（退回修改）。"})
	}
	if in.Action == reviewClearFinding && in.FindingID <= 0 {
		return 0, nil, models.Invalid(models.FieldError{Field: "finding_id", Message: "请指定要处理的审查项编号。"})
	}
	if in.Action != reviewClearFinding && in.FileID <= 0 {
		return 0, nil, models.Invalid(models.FieldError{Field: "file_id", Message: "请指定要处理的文件编号。"})
	}
	// The reviewer's decisions act on the stored scan; make sure it
	// exists, as the review page does.
	if _, err := h.ensureReview(ctx, ac); err != nil {
		return 0, nil, err
	}
	now := h.store.Now()
	uid := ac.user.ID
	ch := &store.AnswerReviewChange{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID, User: ac.user, DraftSeq: in.DraftSeq}
	if ch.DraftSeq == 0 {
		ch.DraftSeq = ac.answer.State.DraftSeq
	}
	switch in.Action {
	case reviewClearFinding:
		reason := trimSpace(in.Reason)
		ch.Apply = func(r *models.Review, _ int64) error { return r.Clear(in.FindingID, reason, uid, now) }
		ch.Audit = map[string]any{"review": "cleared", "finding": in.FindingID}
	case reviewAttestFile:
		statement := trimSpace(in.Statement)
		ch.Apply = func(r *models.Review, _ int64) error { return r.Attest(in.FileID, statement, uid, now) }
		ch.Audit = map[string]any{"review": "attested", "file": in.FileID}
	case reviewReplaceFile:
		if in.File == nil {
			return 0, nil, models.Invalid(models.FieldError{Field: "file", Message: "请提供一个遮盖处理后的文件。"})
		}
		f, err := apiAnswerFile("file", *in.File, models.AttachRedacted)
		if err != nil {
			return 0, nil, err
		}
		// The extraction can take seconds: done before the transaction.
		scanned := reports.ScanForReview(f)
		ch.NewFile = &f
		ch.Apply = func(r *models.Review, newID int64) error {
			scanned.AttachmentID = newID
			return r.Replace(in.FileID, scanned, uid, now)
		}
		ch.Audit = map[string]any{"review": "replaced", "file": in.FileID}
	}
	if _, err := h.store.ChangeAnswerReview(ctx, ch); err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, ac.app, lastSeq(ac.events), nil, true)
}

// apiReviewOutcome completes the review or sends the draft back:
// postReviewDecision's step.
func (h *Handler) apiReviewOutcome(c *gin.Context, ac *answerCase, in *APIReviewRequest) (int, any, error) {
	comment := trimSpace(in.Comment)
	e := models.Event{Kind: models.EventAnswerReviewed, Data: models.EventData{Stage: string(models.StageReview), Comment: comment}}
	if in.Action == reviewSendBack {
		e.Kind = models.EventAnswerReturned
		if comment == "" {
			return 0, nil, models.Invalid(models.FieldError{Field: "comment", Message: "退回时须填写退回意见，写明需要修改的内容。"})
		}
	}
	if err := models.CheckNoticeText("comment", comment, "", models.MaxNoticeTextRunes, nil); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	if _, err := h.ensureReview(ctx, ac); err != nil {
		return 0, nil, err
	}
	res, err := h.store.RecordAnswerStep(ctx, store.AnswerStepInput{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, Event: e, ExpectVersion: in.Version})
	if err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, res.App, lastSeq(ac.events), nil, true)
}
