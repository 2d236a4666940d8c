package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// The confidentiality review (保密审查, 网站管理办法第十条; models/review.go):
// the 保密审查员 sees every finding of the automatic scan with its place
// and masked text, clears it with a reason or replaces the file by a
// redacted version (scanned again), attests each file that could not be
// scanned, and then completes the review or sends the draft back. The page
// is open to everyone who may view the application, so that the approvers
// read the review record; only the reviewer gets the forms.

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/applications/:number/answer/review", need(models.ActionViewApplication), (*Handler).showReview},
		staffRoute{"POST", "/staff/applications/:number/answer/review/clear", need(models.ActionReviewConfidentiality), (*Handler).postReviewClear},
		staffRoute{"POST", "/staff/applications/:number/answer/review/replace",
			access{action: models.ActionReviewConfidentiality, maxBody: maxAnswerBody}, (*Handler).postReviewReplace},
		staffRoute{"POST", "/staff/applications/:number/answer/review/attest", need(models.ActionReviewConfidentiality), (*Handler).postReviewAttest},
		staffRoute{"POST", "/staff/applications/:number/answer/review/decide", need(models.ActionReviewConfidentiality), (*Handler).postReviewDecision},
	)
}

// SourceView is a scanned source of the review.
type SourceView struct {
	AttachmentID int64
	IsFile       bool
	Name         string
	TextLayer    string
	Pages        int
	Current      bool
	NeedsAttest  bool
	Attestation  string
	Replaces     string
	ReplacedBy   string
}

// FindingView is one finding of the review.
type FindingView struct {
	ID       int
	Place    string
	Kind     string
	Masked   string
	Open     bool
	Decision string
	Reason   string
	By       string
	At       string
}

// ReviewPage is the data of the review page.
type ReviewPage struct {
	BasePage
	App       *models.Application
	Stage     models.AnswerStage
	DraftSeq  int
	Version   int
	Blocked   string
	CanReview bool
	Draft     []InfoRow
	Sources   []SourceView
	Findings  []FindingView
	Blockers  []string
	Form      FormState
	V         map[string]string
}

// Open counts the findings still to be decided.
func (p ReviewPage) Open() int {
	n := 0
	for _, f := range p.Findings {
		if f.Open {
			n++
		}
	}
	return n
}

func textLayerLabel(t models.ReviewTextLayer) string {
	switch t {
	case models.ReviewTextScanned:
		return "已自动扫描文字"
	case models.ReviewTextNone:
		return "没有文字层（扫描件或图片），须逐页人工审阅"
	case models.ReviewTextUnreadable:
		return "无法读取，须逐页人工审阅"
	}
	return string(t)
}

// reviewPage builds the review page of the current draft.
func (h *Handler) reviewPage(c *gin.Context, ac *answerCase) (ReviewPage, error) {
	st := ac.answer.State
	p := ReviewPage{BasePage: h.basePage(c, "applications"), App: ac.app, Stage: st.Stage, DraftSeq: st.DraftSeq,
		Version: ac.app.Version, V: map[string]string{"decision": "", "comment": ""}}
	if st.Stage != models.StageReview {
		p.Blocked = "答复当前为“" + st.Stage.Label() + "”，不在保密审查环节。以下为审查记录。"
	}
	p.CanReview = p.Blocked == "" && ac.may(models.ActionReviewConfidentiality)
	r, err := h.ensureReview(c.Request.Context(), ac)
	if err != nil {
		return p, err
	}
	if ac.answer.Current != nil && ac.answer.Current.Outcome.Valid() {
		p.Draft = draftRows(ac.answer.Current)
	}
	if r == nil {
		if p.Blocked == "" {
			p.Blocked = "本稿答复尚未扫描。"
		}
		if st.DraftSeq == 0 {
			p.Blocked = "尚未提交答复稿。"
		}
		return p, nil
	}
	name := func(id int64) string {
		for _, s := range r.Sources {
			if s.AttachmentID == id {
				return s.Filename
			}
		}
		return ""
	}
	who := func(id int64) string {
		if n := ac.staff[id]; n != "" {
			return n
		}
		return "工作人员"
	}
	for _, s := range r.Sources {
		v := SourceView{AttachmentID: s.AttachmentID, IsFile: s.Kind == models.ReviewSourceFile, Name: s.Filename,
			TextLayer: textLayerLabel(s.TextLayer), Pages: s.Pages, Current: s.ReplacedBy == 0,
			Replaces: name(s.Replaces), ReplacedBy: name(s.ReplacedBy)}
		if !v.IsFile {
			v.Name = "答复正文"
		}
		if at := s.Attestation; at != nil {
			v.Attestation = at.Statement + "（" + who(at.By) + "，" + h.clockTime(at.At) + "）"
		}
		v.NeedsAttest = v.IsFile && v.Current && s.TextLayer != models.ReviewTextScanned && s.Attestation == nil
		p.Sources = append(p.Sources, v)
	}
	for _, f := range r.Findings {
		src := r.Source(f)
		v := FindingView{ID: f.ID, Place: r.Place(f), Kind: f.Kind.Label(), Masked: f.Masked,
			Open: f.Decision == models.DecisionOpen && src.ReplacedBy == 0, Decision: f.Decision.Label(), Reason: f.Reason}
		if f.Decision == models.DecisionOpen && src.ReplacedBy != 0 {
			v.Decision = "所在文件已被替换"
		}
		if f.By != 0 {
			v.By, v.At = who(f.By), h.clockTime(f.At)
		}
		p.Findings = append(p.Findings, v)
	}
	p.Blockers = r.Blockers()
	return p, nil
}

// showReview serves GET …/answer/review.
func (h *Handler) showReview(c *gin.Context) error {
	ac, err := h.loadAnswer(c)
	if err != nil {
		return err
	}
	p, err := h.reviewPage(c, ac)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/review", p)
}

// reviewAgain re-renders the review page after a refused post. suffix
// ties the field messages to the one form they belong to (a finding's or a
// file's), whose fields carry it in their ids.
func (h *Handler) reviewAgain(c *gin.Context, err error, suffix string, values map[string]string) error {
	return h.stepFailed(c, err, func(FormState) error {
		ac, lerr := h.loadAnswer(c)
		if lerr != nil {
			return lerr
		}
		p, perr := h.reviewPage(c, ac)
		if perr != nil {
			return perr
		}
		for k, v := range values {
			p.V[k] = v
		}
		fe := models.FieldErrorList(err)
		if suffix != "" && len(fe) > 0 {
			for i := range fe {
				fe[i].Field += suffix
			}
			err = models.Invalid(fe...)
		}
		p.Form = formState(err, "decision", "comment")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/review", p)
	})
}

// loadReview loads the case for a reviewer's post.
func (h *Handler) loadReview(c *gin.Context) (*answerCase, error) {
	return h.loadAnswer(c, models.ActionReviewConfidentiality)
}

// changeReview applies a decision through the store.
func (h *Handler) changeReview(c *gin.Context, ac *answerCase, ch *store.AnswerReviewChange) error {
	ch.AgencyID, ch.ApplicationID, ch.User = ac.app.AgencyID, ac.app.ID, ac.user
	ch.DraftSeq, _ = strconv.Atoi(formValue(c, "draft_seq"))
	_, err := h.store.ChangeAnswerReview(c.Request.Context(), ch)
	return err
}

// reviewDone ends a decision: back to the review page.
func (h *Handler) reviewDone(c *gin.Context, app *models.Application, msg string) error {
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, answerPath(app, "/review"))
	return nil
}

// postReviewClear serves POST …/review/clear: a finding may be released
// as it is, for the reason given.
func (h *Handler) postReviewClear(c *gin.Context) error {
	ac, err := h.loadReview(c)
	if err != nil {
		return err
	}
	id, _ := strconv.Atoi(formValue(c, "finding_id"))
	suffix := fmt.Sprintf("-%d", id)
	// Each finding has its own form; its field carries the finding's id.
	reason := trimSpace(c.PostForm("reason" + suffix))
	now := h.store.Now()
	err = h.changeReview(c, ac, &store.AnswerReviewChange{
		Apply: func(r *models.Review, _ int64) error { return r.Clear(id, reason, ac.user.ID, now) },
		Audit: map[string]any{"review": "cleared", "finding": id}})
	if err != nil {
		return h.reviewAgain(c, err, suffix, map[string]string{"reason" + suffix: reason})
	}
	return h.reviewDone(c, ac.app, fmt.Sprintf("第%d项已确认可以公开。", id))
}

// postReviewReplace serves POST …/review/replace: a released file is
// replaced by a redacted version, which is scanned like the original.
func (h *Handler) postReviewReplace(c *gin.Context) error {
	ac, err := h.loadReview(c)
	if err != nil {
		return err
	}
	in := postedStaffForm(c)
	orig, _ := strconv.ParseInt(in.get("attachment_id"), 10, 64)
	suffix := fmt.Sprintf("-%d", orig)
	var msgs fieldMessages
	files := uploadedFiles(in, "redacted", models.AttachRedacted, &msgs)
	if err := msgs.merge(nil); err != nil {
		return h.reviewAgain(c, err, suffix, nil)
	}
	if len(files) != 1 {
		return h.reviewAgain(c, models.Invalid(models.FieldError{Field: "redacted", Message: "请选择一个遮盖处理后的文件。"}), suffix, nil)
	}
	f := files[0]
	// The extraction can take seconds: done before the transaction.
	scanned := reports.ScanForReview(f)
	now := h.store.Now()
	err = h.changeReview(c, ac, &store.AnswerReviewChange{NewFile: &f,
		Apply: func(r *models.Review, newID int64) error {
			scanned.AttachmentID = newID
			return r.Replace(orig, scanned, ac.user.ID, now)
		},
		Audit: map[string]any{"review": "replaced", "file": orig}})
	if err != nil {
		return h.reviewAgain(c, err, suffix, nil)
	}
	return h.reviewDone(c, ac.app, "已替换为遮盖处理后的文件“"+f.Filename+"”，并已重新扫描。")
}

// postReviewAttest serves POST …/review/attest: a file without a usable
// text layer was read page by page.
func (h *Handler) postReviewAttest(c *gin.Context) error {
	ac, err := h.loadReview(c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(formValue(c, "attachment_id"), 10, 64)
	suffix := fmt.Sprintf("-%d", id)
	statement := trimSpace(c.PostForm("statement" + suffix))
	now := h.store.Now()
	err = h.changeReview(c, ac, &store.AnswerReviewChange{
		Apply: func(r *models.Review, _ int64) error { return r.Attest(id, statement, ac.user.ID, now) },
		Audit: map[string]any{"review": "attested", "file": id}})
	if err != nil {
		return h.reviewAgain(c, err, suffix, map[string]string{"statement" + suffix: statement})
	}
	return h.reviewDone(c, ac.app, "已确认该文件经逐页人工审阅。")
}

// postReviewDecision serves POST …/review/decide: the review is complete
// (refused while anything is open: models.CheckAnswerStep), or the draft
// goes back to the lead section.
func (h *Handler) postReviewDecision(c *gin.Context) error {
	ac, err := h.loadReview(c)
	if err != nil {
		return err
	}
	comment := trimSpace(c.PostForm("comment"))
	values := map[string]string{"decision": formValue(c, "decision"), "comment": comment}
	e := models.Event{Data: models.EventData{Stage: string(models.StageReview), Comment: comment}}
	switch values["decision"] {
	case "complete":
		e.Kind = models.EventAnswerReviewed
	case "return":
		e.Kind = models.EventAnswerReturned
		if comment == "" {
			return h.reviewAgain(c, models.Invalid(models.FieldError{Field: "comment", Message: "退回时须填写退回意见，写明需要修改的内容。"}), "", values)
		}
	default:
		return h.reviewAgain(c, models.Invalid(models.FieldError{Field: "decision", Message: "请选择完成保密审查或退回修改。"}), "", values)
	}
	if err := models.CheckNoticeText("comment", comment, "", models.MaxNoticeTextRunes, nil); err != nil {
		return h.reviewAgain(c, err, "", values)
	}
	res, err := h.store.RecordAnswerStep(c.Request.Context(), store.AnswerStepInput{AgencyID: ac.app.AgencyID,
		ApplicationID: ac.app.ID, User: ac.user, Event: e, ExpectVersion: version(c)})
	if err != nil {
		return h.reviewAgain(c, err, "", values)
	}
	msg := "保密审查已完成，答复转入“" + res.State.Stage.Label() + "”。"
	if e.Kind == models.EventAnswerReturned {
		msg = "已退回主办科室修改。"
	}
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, caseURL(res.App))
	return nil
}
