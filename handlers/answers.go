package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/reports"
)

// Answering (条例第三十六条至第四十条): the lead (主办) section drafts the
// answer with the assisting (协办) sections' parts, its head approves, the
// 保密审查员 reviews (review.go), the head of the disclosure office gives
// the final approval, and the office issues the letter and records its
// delivery (the clock's delivery step, staff_steps.go). Each page loads the
// application with loadCase, which checks and audits the route's action;
// the store checks the step again inside its transaction, against the
// ledger as it stands then.

// maxAnswerBody caps a post with files (the draft, a contribution, a
// redacted replacement).
const maxAnswerBody = maxRegistrationBody

// answerPath is the path of an answer page of an application.
func answerPath(app *models.Application, rest string) string {
	return "/staff/applications/" + app.Number + "/answer" + rest
}

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/answers", need(models.ActionViewApplication), (*Handler).showAnswerQueue},
		staffRoute{"GET", "/staff/applications/:number/answer", need(models.ActionViewApplication), (*Handler).showAnswer},
		staffRoute{"GET", "/staff/applications/:number/answer/draft", need(models.ActionDraftAnswer), (*Handler).showAnswerDraft},
		staffRoute{"POST", "/staff/applications/:number/answer/draft",
			access{action: models.ActionDraftAnswer, maxBody: maxAnswerBody}, (*Handler).postAnswerDraft},
		staffRoute{"GET", "/staff/applications/:number/answer/contribute", need(models.ActionDraftAnswer), (*Handler).showContribution},
		staffRoute{"POST", "/staff/applications/:number/answer/contribute",
			access{action: models.ActionDraftAnswer, maxBody: maxAnswerBody}, (*Handler).postContribution},
		staffRoute{"GET", "/staff/applications/:number/answer/section-approval", need(models.ActionApproveDraft),
			func(h *Handler, c *gin.Context) error { return h.showAnswerDecision(c, decideSectionHead) }},
		staffRoute{"POST", "/staff/applications/:number/answer/section-approval", need(models.ActionApproveDraft),
			func(h *Handler, c *gin.Context) error { return h.postAnswerDecision(c, decideSectionHead) }},
		staffRoute{"GET", "/staff/applications/:number/answer/final-approval", need(models.ActionFinalApproval),
			func(h *Handler, c *gin.Context) error { return h.showAnswerDecision(c, decideOfficeHead) }},
		staffRoute{"POST", "/staff/applications/:number/answer/final-approval", need(models.ActionFinalApproval),
			func(h *Handler, c *gin.Context) error { return h.postAnswerDecision(c, decideOfficeHead) }},
		staffRoute{"GET", "/staff/applications/:number/answer/issue", need(models.ActionIssueAnswer),
			func(h *Handler, c *gin.Context) error { return h.showAnswerDecision(c, decideIssue) }},
		staffRoute{"POST", "/staff/applications/:number/answer/issue", need(models.ActionIssueAnswer), (*Handler).postIssue},
	)
}

// answerCase is an application with its answer, as the answer pages need
// it.
type answerCase struct {
	*caseContext
	answer   *store.Answer
	sections map[int64]string
	staff    map[int64]string
}

// loadAnswer loads the application (loadCase: the view and actions
// checked and audited) and its answer.
func (h *Handler) loadAnswer(c *gin.Context, actions ...models.Action) (*answerCase, error) {
	cc, err := h.loadCase(c, actions...)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	ans, err := h.store.Answer(ctx, cc.app, cc.events)
	if err != nil {
		return nil, err
	}
	sections, err := h.store.Sections(ctx, cc.app.AgencyID)
	if err != nil {
		return nil, err
	}
	users, err := h.store.Users(ctx, cc.app.AgencyID)
	if err != nil {
		return nil, err
	}
	staff := map[int64]string{}
	for _, u := range users {
		staff[u.ID] = u.DisplayName
	}
	return &answerCase{caseContext: cc, answer: ans, sections: sectionNames(sections), staff: staff}, nil
}

// answerObject is the object an answer action is checked against.
func (ac *answerCase) answerObject(a models.Action) models.Object {
	return models.AnswerObject(ac.app, ac.life, a)
}

// may reports whether the signed-in user may take an answer action now.
func (ac *answerCase) may(a models.Action) bool {
	return models.Can(ac.user, a, ac.answerObject(a))
}

// canLead checks, and audits when refused, that the user works for the
// lead section: drafting and the section head's approval are the lead
// section's (models.AnswerObject).
func (h *Handler) canLead(c *gin.Context, ac *answerCase, a models.Action) error {
	return h.can(c, a, ac.answerObject(a), models.AuditObjectApplication, ac.app.Number)
}

// workingBlocked says why the answer cannot be drafted now ("" when it
// can): the case must be received, open and not awaiting a correction,
// routed to a lead section, and no draft may be in the sign-off.
func (ac *answerCase) workingBlocked() string {
	switch {
	case ac.life.ReceivedOn.IsZero():
		return "申请尚未确认收到，不能拟定答复。"
	case !ac.life.Status.Open():
		return "申请当前状态为“" + ac.life.Status.Label() + "”，不能拟定答复。"
	case ac.life.Status == models.StatusCorrecting:
		return "申请正在补正中，收到补正后的申请后方可拟定答复（条例第三十条）。"
	case ac.answer.State.Stage != models.StageDrafting:
		return "答复当前为“" + ac.answer.State.Stage.Label() + "”，不能修改。需要修改的，请由审核人退回。"
	case ac.life.SectionID == 0:
		return "申请尚未分办到主办科室。"
	}
	return ""
}

// AnswerLink is an action on the answer the user may take now.
type AnswerLink struct {
	Href  string
	Label string
}

// AnswerPanel is the answer as the application page summarises it.
type AnswerPanel struct {
	Stage      models.AnswerStage
	Outcome    models.Outcome
	Round      int
	LastReturn *ReturnView
	Letter     *store.Notice
	Blockers   int
	Links      []AnswerLink
	Remedies   []RemedyView
	Archived   models.Date
}

// ReturnView is a send-back as the drafter sees it.
type ReturnView struct {
	Stage   string
	Comment string
	By      string
	On      models.Date
}

// answerPanel summarises the answer for the application page.
func (h *Handler) answerPanel(ac *answerCase) *AnswerPanel {
	st := ac.answer.State
	p := &AnswerPanel{Stage: st.Stage, Outcome: st.Outcome, Round: st.Round, Letter: ac.answer.Letter,
		Links: answerLinks(ac), Remedies: remedyViews(ac.app, ac.events), Archived: ac.life.ArchivedOn}
	if st.Stage == models.StageDrafting {
		p.LastReturn = returnView(st.LastReturn, ac.staff)
	}
	if r := ac.answer.Review; r != nil {
		p.Blockers = len(r.Blockers())
	}
	return p
}

func returnView(r *models.AnswerReturn, staff map[int64]string) *ReturnView {
	if r == nil {
		return nil
	}
	by := staff[r.ActorID]
	if by == "" {
		by = "工作人员"
	}
	return &ReturnView{Stage: r.Stage.Label(), Comment: r.Comment, By: by, On: r.On}
}

// answerLinks lists the answer's pages the user may use now, in the order
// of the sign-off.
func answerLinks(ac *answerCase) []AnswerLink {
	st := ac.answer.State
	app := ac.app
	var out []AnswerLink
	add := func(ok bool, href, label string) {
		if ok {
			out = append(out, AnswerLink{Href: href, Label: label})
		}
	}
	drafting := ac.workingBlocked() == ""
	add(drafting && ac.may(models.ActionDraftAnswer), answerPath(app, "/draft"), "拟定答复")
	add(drafting && len(models.ContributingSections(ac.user, app, ac.life)) > 0, answerPath(app, "/contribute"), "提交协办意见")
	add(st.Stage == models.StageSectionHead && ac.may(models.ActionApproveDraft), answerPath(app, "/section-approval"), "科室负责人审核")
	add(st.Stage == models.StageReview && ac.may(models.ActionReviewConfidentiality), answerPath(app, "/review"), "保密审查")
	add(st.Stage == models.StageOfficeHead && ac.may(models.ActionFinalApproval), answerPath(app, "/final-approval"), "公开办负责人审批")
	letterDue := st.Stage == models.StageApproved || st.Stage == models.StageIssued && st.ByDecision && ac.answer.Letter == nil
	add(letterDue && ac.may(models.ActionIssueAnswer), answerPath(app, "/issue"), "出具答复书")
	add(ac.answer.Letter != nil && !ac.answer.Letter.Delivered() && models.Can(ac.user, models.ActionRecordProgress, ac.obj),
		"/staff/applications/"+app.Number+"/delivery", "登记答复书送达")
	add(ac.may(models.ActionRecordRemedy), "/staff/applications/"+app.Number+"/remedies", "行政复议和行政诉讼")
	add(ac.may(models.ActionArchive), "/staff/applications/"+app.Number+"/archive", "归档和案卷")
	if len(out) == 0 || st.DraftSeq != 0 || ac.answer.Working != nil {
		out = append([]AnswerLink{{Href: answerPath(app, ""), Label: "查看答复"}}, out...)
	}
	return out
}

// LetterBlock is one part of a letter as a page previews it.
type LetterBlock struct {
	Text  string
	Rows  []InfoRow
	Items []string
}

// letterPreview turns a letter's body into blocks a page shows.
func letterPreview(l reports.Letter) []LetterBlock {
	var out []LetterBlock
	for _, b := range l.Body {
		switch v := b.(type) {
		case reports.Paragraph:
			out = append(out, LetterBlock{Text: string(v)})
		case reports.List:
			out = append(out, LetterBlock{Items: []string(v)})
		case reports.Table:
			var rows []InfoRow
			for _, f := range v {
				rows = append(rows, InfoRow{f.Label, f.Value})
			}
			out = append(out, LetterBlock{Rows: rows})
		}
	}
	return out
}

// previewLetter lays out the letter a draft would give, unnumbered and
// dated today, for the approvers and the office.
func (h *Handler) previewLetter(c *gin.Context, app *models.Application, d *models.AnswerDraft, files []models.AnswerFile) ([]LetterBlock, error) {
	ctx := c.Request.Context()
	agency, err := h.store.Agency(ctx, app.AgencyID)
	if err != nil {
		return nil, err
	}
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return nil, err
	}
	l := reports.AnswerLetter(reports.Answer{Agency: *agency, Application: *app, Applicant: *applicant, Draft: *d,
		IssuedOn: h.store.Today(), Files: files})
	return letterPreview(l), nil
}

// FileView is a file of the answer on a page.
type FileView struct {
	ID      int64
	Name    string
	From    string // who gave it: the lead section, or an assisting one
	Checked bool
}

// ContributionView is an assisting section's part.
type ContributionView struct {
	Section string
	Text    string
	Files   []FileView
	By      string
	At      string
}

func (h *Handler) contributionViews(ac *answerCase, d *models.AnswerDraft) []ContributionView {
	if d == nil {
		return nil
	}
	var out []ContributionView
	for _, ct := range d.Contributions {
		v := ContributionView{Section: ac.sections[ct.SectionID], Text: ct.Text, By: ac.staff[ct.SubmittedBy]}
		if !ct.SubmittedAt.IsZero() {
			v.At = h.clockTime(ct.SubmittedAt)
		}
		for _, f := range ct.Files {
			v.Files = append(v.Files, FileView{ID: f.AttachmentID, Name: f.Filename})
		}
		out = append(out, v)
	}
	return out
}

// draftRows says what a draft states, field by field.
func draftRows(d *models.AnswerDraft) []InfoRow {
	info, _ := d.Outcome.Info()
	row := info.Row.Info()
	rows := []InfoRow{{"答复结果", info.Label}, {"年度报告表三", strings.TrimSpace(row.Group + row.Label)}}
	if b := d.Basis(); b != "" {
		rows = append(rows, InfoRow{"法律依据", b})
	}
	add := func(label, v string) {
		if strings.TrimSpace(v) != "" {
			rows = append(rows, InfoRow{label, v})
		}
	}
	if d.Outcome == models.OutcomePartial {
		add("不予公开部分的依据", d.PartialGround.Label())
	}
	add("答复理由", d.Reasons)
	add("主动公开的途径", d.PublishedWhere)
	if !d.PublishedOn.IsZero() {
		add("主动公开日期", d.PublishedOn.Chinese())
	}
	add("提供方式", d.Method.Label())
	add("领取或查阅地点", d.ObtainPlace)
	add("领取或查阅时间", d.ObtainTime)
	add("负责公开的行政机关", d.CompetentAgency)
	add("该机关的联系方式", d.CompetentContact)
	add("此前的答复", d.PreviousAnswer)
	return rows
}

// filesOf lists a draft's files.
func filesOf(files []models.AnswerFile) []FileView {
	var out []FileView
	for _, f := range files {
		out = append(out, FileView{ID: f.AttachmentID, Name: f.Filename})
	}
	return out
}

// AnswerPage is the data of the answer's overview page.
type AnswerPage struct {
	BasePage
	App           *models.Application
	State         models.AnswerState
	Draft         []InfoRow
	Files         []FileView
	Contributions []ContributionView
	Working       bool // the draft shown is the unsubmitted working copy
	LastReturn    *ReturnView
	Blockers      []string
	Reviewed      bool // a review exists for the current draft
	Letter        *store.Notice
	Released      []FileView
	Preview       []LetterBlock
	Links         []AnswerLink
}

// showAnswer serves GET /staff/applications/:number/answer: the answer as
// it stands, the current draft, the assisting sections' parts, the review's
// open items and the letter it gives. ?file=N downloads one of the
// answer's files (audited).
func (h *Handler) showAnswer(c *gin.Context) error {
	ac, err := h.loadAnswer(c)
	if err != nil {
		return err
	}
	if s := c.Query("file"); s != "" {
		return h.downloadAnswerFile(c, ac, s)
	}
	st := ac.answer.State
	page := AnswerPage{BasePage: h.basePage(c, "applications"), App: ac.app, State: st, Letter: ac.answer.Letter}
	for _, l := range answerLinks(ac) {
		if l.Href != answerPath(ac.app, "") {
			page.Links = append(page.Links, l)
		}
	}
	d := ac.answer.Current
	if st.Stage == models.StageDrafting && ac.answer.Working != nil {
		d, page.Working = ac.answer.Working, true
		page.LastReturn = returnView(st.LastReturn, ac.staff)
	}
	if d != nil {
		if d.Outcome.Valid() {
			page.Draft = draftRows(d)
		}
		page.Files = filesOf(d.Files)
		page.Contributions = h.contributionViews(ac, d)
	}
	var released []models.AnswerFile
	if r := ac.answer.Review; r != nil && !page.Working {
		page.Reviewed, page.Blockers = true, r.Blockers()
		released = r.ReleasedFiles()
		if st.Stage == models.StageIssued {
			page.Released = filesOf(released)
		}
	}
	if d != nil && d.Outcome.Drafted() {
		if page.Preview, err = h.previewLetter(c, ac.app, d, released); err != nil {
			return err
		}
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/show", page)
}

// downloadAnswerFile serves one of the answer's files to staff (the
// reviewer reads them page by page), audited.
func (h *Handler) downloadAnswerFile(c *gin.Context, ac *answerCase, s string) error {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	ctx := c.Request.Context()
	f, err := h.store.AnswerFile(ctx, ac.app.ID, id)
	if err != nil {
		return err
	}
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: ac.app.AgencyID, Action: models.AuditFileDownloaded,
		ObjectType: models.AuditObjectApplication, ObjectID: ac.app.Number,
		After: models.AuditData(map[string]any{"file": f.ID, "kind": f.Kind})}); err != nil {
		return err
	}
	serveFile(c, f.Filename, f.ContentType, f.Content)
	return nil
}

// OutcomeGroup is one group of outcomes in the draft form, as table 三
// groups them.
type OutcomeGroup struct {
	Label   string
	Options []OutcomeOption
}

// OutcomeOption is one outcome in the draft form.
type OutcomeOption struct {
	Value          string
	Label          string
	Selected       bool
	ReasonRequired bool
}

// outcomeGroups groups the outcomes a section drafts by their table-三
// group, in the table's order.
func outcomeGroups(selected string) []OutcomeGroup {
	var out []OutcomeGroup
	for _, info := range models.Outcomes {
		if !info.Outcome.Drafted() {
			continue
		}
		group := info.Row.Info().Group
		if i := strings.Index(group, "（区分处理"); i > 0 {
			group = group[:i]
		}
		if len(out) == 0 || out[len(out)-1].Label != group {
			out = append(out, OutcomeGroup{Label: group})
		}
		g := &out[len(out)-1]
		g.Options = append(g.Options, OutcomeOption{Value: string(info.Outcome), Label: info.Label,
			Selected: string(info.Outcome) == selected, ReasonRequired: info.ReasonRequired})
	}
	return out
}

// reasonRequiredOutcomes lists the outcomes whose letter must state
// reasons, for the form's script.
func reasonRequiredOutcomes() string {
	var out []string
	for _, info := range models.Outcomes {
		if info.ReasonRequired && info.Outcome.Drafted() {
			out = append(out, string(info.Outcome))
		}
	}
	return strings.Join(out, " ")
}

// draftFields lists the draft form's fields top to bottom.
var draftFields = []string{models.AnswerFieldOutcome, models.AnswerFieldPartialGround, models.AnswerFieldReasons,
	models.AnswerFieldExtraBasis, models.AnswerFieldPublishedWhere, "published_on", models.AnswerFieldMethod,
	models.AnswerFieldObtainPlace, models.AnswerFieldObtainTime, models.AnswerFieldCompetentAgency,
	models.AnswerFieldCompetentContact, models.AnswerFieldPreviousAnswer, models.AnswerFieldFiles,
	models.AnswerFieldContributions}

// DraftPage is the data of the draft form.
type DraftPage struct {
	BasePage
	App     *models.Application
	Action  string
	Version int
	Blocked string
	Form    FormState
	V       map[string]string

	OutcomeGroups  []OutcomeGroup
	ReasonOutcomes string // outcomes that need reasons, space-separated
	PartialGrounds []option
	Methods        []option
	Files          []FileView
	Contributions  []ContributionView
	// Missing names the assisting sections that have not contributed.
	Missing    []string
	LastReturn *ReturnView
}

// draftValues are the form's values from a stored draft.
func draftValues(d *models.AnswerDraft) map[string]string {
	v := map[string]string{
		models.AnswerFieldOutcome: string(d.Outcome), models.AnswerFieldPartialGround: string(d.PartialGround),
		models.AnswerFieldExtraBasis: d.ExtraBasis, models.AnswerFieldReasons: d.Reasons,
		models.AnswerFieldMethod: string(d.Method), models.AnswerFieldObtainPlace: d.ObtainPlace,
		models.AnswerFieldObtainTime: d.ObtainTime, models.AnswerFieldPublishedWhere: d.PublishedWhere,
		models.AnswerFieldCompetentAgency: d.CompetentAgency, models.AnswerFieldCompetentContact: d.CompetentContact,
		models.AnswerFieldPreviousAnswer: d.PreviousAnswer, "published_on": "",
	}
	if !d.PublishedOn.IsZero() {
		v["published_on"] = d.PublishedOn.String()
	}
	return v
}

// draftPage builds the draft form from the working copy (or, before one
// exists, the last submitted draft).
func (h *Handler) draftPage(c *gin.Context, ac *answerCase) DraftPage {
	p := DraftPage{BasePage: h.basePage(c, "applications"), App: ac.app, Action: answerPath(ac.app, "/draft"),
		Version: ac.app.Version, Blocked: ac.workingBlocked(), ReasonOutcomes: reasonRequiredOutcomes(),
		Methods: options(models.ProvideMethods, models.ProvideMethod.Label)}
	d := ac.answer.Working
	if d == nil {
		d = ac.answer.Current
	}
	if d == nil {
		d = &models.AnswerDraft{}
	}
	p.V = draftValues(d)
	p.OutcomeGroups = outcomeGroups(p.V[models.AnswerFieldOutcome])
	for _, info := range models.Outcomes {
		switch info.Outcome {
		case models.OutcomeWithholdSecret, models.OutcomeWithholdLaw, models.OutcomeWithholdSecurity, models.OutcomeWithholdThirdParty,
			models.OutcomeWithholdInternal, models.OutcomeWithholdProcess, models.OutcomeWithholdCaseFile:
			p.PartialGrounds = append(p.PartialGrounds, option{"value": string(info.Outcome), "label": strings.TrimSuffix(strings.TrimPrefix(info.Label, "不予公开（"), "）")})
		}
	}
	// The files the draft may release: its own, and the assisting
	// sections' (offered unchecked until the lead takes them).
	for _, f := range d.Files {
		p.Files = append(p.Files, FileView{ID: f.AttachmentID, Name: f.Filename, From: "本科室上传", Checked: true})
	}
	for _, ct := range d.Contributions {
		for _, f := range ct.Files {
			if !slices.ContainsFunc(p.Files, func(x FileView) bool { return x.ID == f.AttachmentID }) {
				p.Files = append(p.Files, FileView{ID: f.AttachmentID, Name: f.Filename, From: ac.sections[ct.SectionID] + "（协办）"})
			}
		}
	}
	p.Contributions = h.contributionViews(ac, d)
	for _, id := range ac.life.AssistSectionIDs {
		if !slices.ContainsFunc(d.Contributions, func(ct models.Contribution) bool { return ct.SectionID == id && strings.TrimSpace(ct.Text) != "" }) {
			p.Missing = append(p.Missing, ac.sections[id])
		}
	}
	if ac.answer.State.Stage == models.StageDrafting {
		p.LastReturn = returnView(ac.answer.State.LastReturn, ac.staff)
	}
	return p
}

// showAnswerDraft serves GET …/answer/draft: the lead section's draft form.
func (h *Handler) showAnswerDraft(c *gin.Context) error {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return err
	}
	if err := h.canLead(c, ac, models.ActionDraftAnswer); err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/draft", h.draftPage(c, ac))
}

// draftFromForm reads the draft form.
func draftFromForm(in *postedForm) (models.AnswerDraft, error) {
	d := models.AnswerDraft{
		Outcome: models.Outcome(in.get(models.AnswerFieldOutcome)), PartialGround: models.Outcome(in.get(models.AnswerFieldPartialGround)),
		ExtraBasis: in.raw(models.AnswerFieldExtraBasis), Reasons: in.raw(models.AnswerFieldReasons),
		Method: models.ProvideMethod(in.get(models.AnswerFieldMethod)), ObtainPlace: in.raw(models.AnswerFieldObtainPlace),
		ObtainTime: in.raw(models.AnswerFieldObtainTime), PublishedWhere: in.raw(models.AnswerFieldPublishedWhere),
		CompetentAgency: in.raw(models.AnswerFieldCompetentAgency), CompetentContact: in.raw(models.AnswerFieldCompetentContact),
		PreviousAnswer: in.raw(models.AnswerFieldPreviousAnswer),
	}
	for _, id := range in.ids("file_id") {
		d.Files = append(d.Files, models.AnswerFile{AttachmentID: id})
	}
	var err error
	if s := in.get("published_on"); s != "" {
		if d.PublishedOn, err = models.ParseDate(s); err != nil {
			err = models.Invalid(models.FieldError{Field: "published_on", Message: "日期格式不正确，请按“2026-02-10”的格式填写。"})
		}
	}
	return d, err
}

// uploadedFiles checks the files posted in field and returns them as
// attachments of kind; a refused file is a message for the field.
func uploadedFiles(in *postedForm, field string, kind models.AttachmentKind, msgs *fieldMessages) []models.Attachment {
	var out []models.Attachment
	for _, pf := range in.files {
		if pf.field != field {
			continue
		}
		if pf.tooBig {
			msgs.add(field, "文件“"+models.CleanFilename(pf.filename, "")+"”超过了10MB的限制，请压缩或分成几个文件后再上传。")
			continue
		}
		a, err := models.CheckUpload(kind, pf.filename, pf.content)
		if err != nil {
			msgs.addErr(field, err)
			continue
		}
		out = append(out, a)
	}
	return out
}

// checkGlyphs refuses text the letter's font cannot print, before the
// draft goes into the sign-off rather than when the letter is issued.
func checkGlyphs(d *models.AnswerDraft) error {
	if m := reports.MissingGlyphs(d.ReviewText()); len(m) > 0 {
		return models.Invalid(models.FieldError{Field: models.AnswerFieldReasons,
			Message: "以下字符无法在答复书中打印，请改用常用字：" + string(m)})
	}
	return nil
}

// postAnswerDraft serves POST …/answer/draft: the working copy is saved
// with the files uploaded (so nothing typed or uploaded is lost), and with
// action=submit it is validated and submitted for the section head's
// approval; the confidentiality scan of the submitted draft runs then.
func (h *Handler) postAnswerDraft(c *gin.Context) error {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return err
	}
	if err := h.canLead(c, ac, models.ActionDraftAnswer); err != nil {
		return err
	}
	ctx := c.Request.Context()
	in := postedStaffForm(c)
	d, derr := draftFromForm(in)
	var msgs fieldMessages
	if derr != nil {
		msgs.addErr("published_on", derr)
	}
	files := uploadedFiles(in, "files", models.AttachReleased, &msgs)
	again := func(err error) error {
		return h.stepFailed(c, err, func(st FormState) error {
			fresh, ferr := h.loadAnswer(c)
			if ferr != nil {
				return ferr
			}
			p := h.draftPage(c, fresh)
			for k := range p.V {
				if v, ok := in.values[k]; ok {
					p.V[k] = strings.Join(v, "\n")
				}
			}
			p.OutcomeGroups = outcomeGroups(p.V[models.AnswerFieldOutcome])
			p.Form = formState(err, draftFields...)
			return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/draft", p)
		})
	}
	if blocked := ac.workingBlocked(); blocked != "" {
		return again(models.Errorf(models.ECONFLICT, "%s", blocked))
	}
	working, err := h.store.SaveAnswerWork(ctx, &store.AnswerWork{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, Draft: d, NewFiles: files})
	if err != nil {
		return again(err)
	}
	if err := msgs.merge(nil); err != nil {
		return again(err)
	}
	if in.get("action") != "submit" {
		h.setFlash(c, "success", "答复稿已保存，尚未提交审核。")
		c.Redirect(http.StatusSeeOther, answerPath(ac.app, "/draft"))
		return nil
	}
	check := *working
	check.Normalize()
	if err := checkGlyphs(&check); err != nil {
		return again(err)
	}
	res, err := h.store.SubmitAnswer(ctx, store.AnswerSubmission{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, ExpectVersion: version(c)})
	if err != nil {
		return again(err)
	}
	// The scan runs now, outside the submission's transaction; should it
	// fail, the review page scans again.
	if _, err := h.scanDraft(ctx, res.App, res.State.DraftSeq, res.Draft); err != nil {
		h.log.Error("answer scan", "request_id", requestID(c), "number", res.App.Number, "err", err)
	}
	h.setFlash(c, "success", "答复稿（"+res.Draft.Outcome.Label()+"）已提交，待科室负责人审核。")
	c.Redirect(http.StatusSeeOther, answerPath(res.App, ""))
	return nil
}

// scanDraft builds the confidentiality review of a submitted draft — the
// answer's text and the text layer of every file it releases
// (reports.ScanForReview) — and stores it (store.StartAnswerReview keeps
// the first when two requests scan at once).
func (h *Handler) scanDraft(ctx context.Context, app *models.Application, draftSeq int, d *models.AnswerDraft) (*models.Review, error) {
	var scanned []models.ScannedFile
	for _, f := range d.Files {
		a, err := h.store.AnswerFile(ctx, app.ID, f.AttachmentID)
		if err != nil {
			return nil, fmt.Errorf("scan %s: file %d: %w", app.Number, f.AttachmentID, err)
		}
		scanned = append(scanned, reports.ScanForReview(*a))
	}
	return h.store.StartAnswerReview(ctx, app.AgencyID, app.ID, models.NewReview(draftSeq, d.ReviewText(), scanned))
}

// ensureReview returns the review of the current draft, scanning it if
// that has not happened yet.
func (h *Handler) ensureReview(ctx context.Context, ac *answerCase) (*models.Review, error) {
	if ac.answer.Review != nil || ac.answer.Current == nil {
		return ac.answer.Review, nil
	}
	switch ac.answer.State.Stage {
	case models.StageSectionHead, models.StageReview, models.StageOfficeHead, models.StageApproved:
	default:
		return nil, nil
	}
	r, err := h.scanDraft(ctx, ac.app, ac.answer.State.DraftSeq, ac.answer.Current)
	if err != nil {
		return nil, err
	}
	ac.answer.Review = r
	return r, nil
}

// ContributionPage is the data of the 协办 form.
type ContributionPage struct {
	BasePage
	App      *models.Application
	Action   string
	Blocked  string
	Form     FormState
	V        map[string]string
	Sections []option
	Files    []FileView
	Lead     string
}

func (h *Handler) contributionPage(c *gin.Context, ac *answerCase, sectionID int64) ContributionPage {
	p := ContributionPage{BasePage: h.basePage(c, "applications"), App: ac.app, Action: answerPath(ac.app, "/contribute"),
		Blocked: ac.workingBlocked(), V: map[string]string{"section_id": "", "contribution": ""}, Lead: ac.sections[ac.life.SectionID]}
	mine := models.ContributingSections(ac.user, ac.app, ac.life)
	if p.Blocked == "" && len(mine) == 0 {
		p.Blocked = "您所在的科室不是本申请的协办科室，不需要提交协办意见。"
	}
	for _, id := range mine {
		p.Sections = append(p.Sections, option{"value": strconv.FormatInt(id, 10), "label": ac.sections[id]})
	}
	if sectionID == 0 && len(mine) == 1 {
		sectionID = mine[0]
	}
	if sectionID != 0 {
		p.V["section_id"] = strconv.FormatInt(sectionID, 10)
	}
	if w := ac.answer.Working; w != nil {
		for _, ct := range w.Contributions {
			if ct.SectionID == sectionID {
				p.V["contribution"] = ct.Text
				for _, f := range ct.Files {
					p.Files = append(p.Files, FileView{ID: f.AttachmentID, Name: f.Filename, Checked: true})
				}
			}
		}
	}
	return p
}

// showContribution serves GET …/answer/contribute: an assisting section's
// part of the answer.
func (h *Handler) showContribution(c *gin.Context) error {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(c.Query("section"), 10, 64)
	return h.renderPage(c, http.StatusOK, "staff/answers/contribute", h.contributionPage(c, ac, id))
}

// postContribution serves POST …/answer/contribute.
func (h *Handler) postContribution(c *gin.Context) error {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return err
	}
	in := postedStaffForm(c)
	sectionID, _ := strconv.ParseInt(in.get("section_id"), 10, 64)
	again := func(err error) error {
		return h.stepFailed(c, err, func(st FormState) error {
			fresh, ferr := h.loadAnswer(c)
			if ferr != nil {
				return ferr
			}
			p := h.contributionPage(c, fresh, sectionID)
			p.V["contribution"] = in.raw("contribution")
			p.Form = formState(err, "section_id", "contribution", "files")
			return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/contribute", p)
		})
	}
	mine := models.ContributingSections(ac.user, ac.app, ac.life)
	switch {
	case ac.workingBlocked() != "":
		return again(models.Errorf(models.ECONFLICT, "%s", ac.workingBlocked()))
	case len(mine) == 0:
		return again(models.Errorf(models.ECONFLICT, "您所在的科室不是本申请的协办科室，不需要提交协办意见。"))
	case !slices.Contains(mine, sectionID):
		return again(models.Invalid(models.FieldError{Field: "section_id", Message: "请选择以哪个协办科室的名义提交。"}))
	}
	var msgs fieldMessages
	files := uploadedFiles(in, "files", models.AttachReleased, &msgs)
	if err := msgs.merge(nil); err != nil {
		return again(err)
	}
	_, err = h.store.Contribute(c.Request.Context(), &store.ContributionWork{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, SectionID: sectionID, Text: in.raw("contribution"), KeepFiles: in.ids("file_id"), NewFiles: files})
	if err != nil {
		return again(err)
	}
	h.setFlash(c, "success", "已提交“"+ac.sections[sectionID]+"”的协办意见，由主办科室汇总拟定答复。")
	c.Redirect(http.StatusSeeOther, caseURL(ac.app))
	return nil
}

// decideMode is which sign-off page: the section head's, the office
// head's, or the office's issuing.
type decideMode string

const (
	decideSectionHead decideMode = "section_head"
	decideOfficeHead  decideMode = "office_head"
	decideIssue       decideMode = "issue"
)

// stage is the answer stage the page acts at, its action and path.
func (m decideMode) stage() models.AnswerStage {
	switch m {
	case decideSectionHead:
		return models.StageSectionHead
	case decideOfficeHead:
		return models.StageOfficeHead
	}
	return models.StageApproved
}

func (m decideMode) path() string {
	switch m {
	case decideSectionHead:
		return "/section-approval"
	case decideOfficeHead:
		return "/final-approval"
	}
	return "/issue"
}

func (m decideMode) heading() string {
	switch m {
	case decideSectionHead:
		return "科室负责人审核答复"
	case decideOfficeHead:
		return "公开办负责人审批答复"
	}
	return "出具答复书"
}

// DecidePage is the data of a sign-off page: the draft, the review's
// record, the letter it gives, and the decision form.
type DecidePage struct {
	BasePage
	App     *models.Application
	Mode    string
	Heading string
	Action  string
	Version int
	Blocked string
	Form    FormState
	V       map[string]string
	Draft   []InfoRow
	Files   []FileView
	// Reviewed is true when Files are the files the review releases
	// (redacted versions instead of originals).
	Reviewed      bool
	Contributions []ContributionView
	Review        *ReviewSummary
	Preview       []LetterBlock
	Notes         []string
	// Decision is the letter of a 条例第三十五条 decision (issue only).
	Decision bool
}

// ReviewSummary is the review's outcome as the approvers read it.
type ReviewSummary struct {
	Findings int
	Cleared  int
	Replaced int
	Attested int
	Blockers []string
}

func reviewSummary(r *models.Review) *ReviewSummary {
	if r == nil {
		return nil
	}
	s := &ReviewSummary{Findings: len(r.Findings), Blockers: r.Blockers()}
	for _, f := range r.Findings {
		switch f.Decision {
		case models.DecisionCleared:
			s.Cleared++
		case models.DecisionReplaced:
			s.Replaced++
		}
	}
	for _, src := range r.Sources {
		if src.Attestation != nil {
			s.Attested++
		}
	}
	return s
}

func (h *Handler) decidePage(c *gin.Context, ac *answerCase, mode decideMode) (DecidePage, error) {
	st := ac.answer.State
	p := DecidePage{BasePage: h.basePage(c, "applications"), App: ac.app, Mode: string(mode), Heading: mode.heading(),
		Action: answerPath(ac.app, mode.path()), Version: ac.app.Version, V: map[string]string{"decision": "", "comment": ""}}
	d := ac.answer.Current
	var released []models.AnswerFile
	if mode == decideIssue && st.Stage == models.StageIssued && st.ByDecision && ac.answer.Letter == nil {
		// 条例第三十五条: the office head decided 不予处理; the letter states
		// the decision's reasons.
		p.Decision = true
		for _, e := range ac.events {
			if e.Seq == st.IssuedSeq {
				d = &models.AnswerDraft{Outcome: e.Data.Outcome, Reasons: e.Data.Reason}
			}
		}
		p.Notes = append(p.Notes, "公开办负责人已依照条例第三十五条决定不予处理。出具答复书后，申请人可在查询页面下载。")
	} else if st.Stage != mode.stage() {
		p.Blocked = "答复当前为“" + st.Stage.Label() + "”，不在本环节。"
		if st.Stage == models.StageIssued && ac.answer.Letter != nil {
			p.Blocked = "答复书已于" + ac.answer.Letter.IssuedOn.Chinese() + "出具（" + ac.answer.Letter.Number + "）。"
		}
	}
	if d == nil || !d.Outcome.Valid() {
		return p, nil
	}
	review, err := h.ensureReview(c.Request.Context(), ac)
	if err != nil {
		return p, err
	}
	if review != nil && !p.Decision {
		released = review.ReleasedFiles()
		p.Review = reviewSummary(review)
	}
	p.Draft, p.Files, p.Contributions = draftRows(d), filesOf(d.Files), h.contributionViews(ac, d)
	if p.Review != nil {
		p.Files, p.Reviewed = filesOf(released), true
	}
	if p.Preview, err = h.previewLetter(c, ac.app, d, released); err != nil {
		return p, err
	}
	switch mode {
	case decideSectionHead:
		p.Notes = append(p.Notes, "审核通过后，答复稿交保密审查员进行保密审查。退回的，由主办科室修改后重新提交。")
	case decideOfficeHead:
		p.Notes = append(p.Notes, "审批通过后，由公开办出具答复书。退回的，由主办科室修改后重新提交，并重新审核和保密审查。")
	case decideIssue:
		if !p.Decision {
			p.Notes = append(p.Notes, "答复书按本机关文书编号顺序编号，加盖印章，申请人可在查询页面下载答复书和公开的文件，并收到邮件通知。出具后请登记送达。")
		}
	}
	return p, nil
}

// showAnswerDecision serves GET of the section head's and the office
// head's approval pages and of the issuing page.
func (h *Handler) showAnswerDecision(c *gin.Context, mode decideMode) error {
	action := models.AnswerStage(mode.stage()).Action()
	ac, err := h.loadAnswer(c, action)
	if err != nil {
		return err
	}
	if mode == decideSectionHead {
		if err := h.canLead(c, ac, action); err != nil {
			return err
		}
	}
	p, err := h.decidePage(c, ac, mode)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/decide", p)
}

// decideAgain re-renders a sign-off page after a refused post.
func (h *Handler) decideAgain(c *gin.Context, mode decideMode, err error) error {
	return h.stepFailed(c, err, func(st FormState) error {
		ac, lerr := h.loadAnswer(c)
		if lerr != nil {
			return lerr
		}
		p, perr := h.decidePage(c, ac, mode)
		if perr != nil {
			return perr
		}
		p.V["decision"], p.V["comment"] = formValue(c, "decision"), trimSpace(c.PostForm("comment"))
		p.Form = formState(err, "decision", "comment")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/decide", p)
	})
}

// postAnswerDecision serves POST of the approval pages: approve, or send
// back to the lead section with a comment.
func (h *Handler) postAnswerDecision(c *gin.Context, mode decideMode) error {
	stage := mode.stage()
	ac, err := h.loadAnswer(c, stage.Action())
	if err != nil {
		return err
	}
	if mode == decideSectionHead {
		if err := h.canLead(c, ac, stage.Action()); err != nil {
			return err
		}
	}
	ctx := c.Request.Context()
	comment := trimSpace(c.PostForm("comment"))
	e := models.Event{Data: models.EventData{Stage: string(stage), Comment: comment}}
	switch formValue(c, "decision") {
	case "approve":
		e.Kind = models.EventAnswerApproved
	case "return":
		e.Kind = models.EventAnswerReturned
		if comment == "" {
			return h.decideAgain(c, mode, models.Invalid(models.FieldError{Field: "comment", Message: "退回时须填写退回意见，写明需要修改的内容。"}))
		}
	default:
		return h.decideAgain(c, mode, models.Invalid(models.FieldError{Field: "decision", Message: "请选择审核通过或退回修改。"}))
	}
	if err := models.CheckNoticeText("comment", comment, "", models.MaxNoticeTextRunes, nil); err != nil {
		return h.decideAgain(c, mode, err)
	}
	if stage == models.StageSectionHead && e.Kind == models.EventAnswerApproved {
		// The reviewer's page needs the scan; make sure it exists.
		if _, err := h.ensureReview(ctx, ac); err != nil {
			return err
		}
	}
	res, err := h.store.RecordAnswerStep(ctx, store.AnswerStepInput{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, Event: e, ExpectVersion: version(c)})
	if err != nil {
		return h.decideAgain(c, mode, err)
	}
	msg := "已退回主办科室修改。"
	if e.Kind == models.EventAnswerApproved {
		msg = "已审核通过，答复转入“" + res.State.Stage.Label() + "”。"
	}
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, caseURL(res.App))
	return nil
}

// renderAnswer lays out an answer letter for the store (reports.WriteAnswer),
// with the errors staff can act on in Chinese.
func renderAnswer(d store.AnswerLetterData) ([]byte, error) {
	var buf bytes.Buffer
	err := reports.WriteAnswer(&buf, reports.Answer{Agency: *d.Agency, Application: *d.Application, Applicant: *d.Applicant,
		Draft: d.Draft, Number: d.Number, IssuedOn: d.IssuedOn, Files: d.Files, CreatedAt: d.CreatedAt})
	var mg *reports.MissingGlyphsError
	switch {
	case errors.As(err, &mg):
		return nil, models.WrapError(models.EINVALID, err, "以下字符无法在答复书中打印，请退回修改后改用常用字："+string(mg.Runes))
	case errors.Is(err, reports.ErrSealImage):
		return nil, models.WrapError(models.EUNAVAILABLE, err, "机关印章图像无法放入答复书，请系统管理员在“机关信息”中重新上传印章。")
	case err != nil:
		return nil, err
	}
	return buf.Bytes(), nil
}

// postIssue serves POST …/answer/issue: the letter is issued (numbered,
// sealed, stored), the released files become available on the tracking
// page, and the applicant is mailed.
func (h *Handler) postIssue(c *gin.Context) error {
	ac, err := h.loadAnswer(c, models.ActionIssueAnswer)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if _, err := h.ensureReview(ctx, ac); err != nil {
		return err
	}
	res, err := h.store.IssueAnswer(ctx, store.AnswerIssue{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID, User: ac.user,
		ExpectVersion: version(c), Render: renderAnswer})
	if err != nil {
		return h.decideAgain(c, decideIssue, err)
	}
	h.mailAnswered(ctx, res.App, res.Letter.IssuedOn)
	h.setFlash(c, "success", "已出具《政府信息公开申请答复书》"+res.Letter.Number+"，申请人可在查询页面下载。请登记答复书送达。")
	c.Redirect(http.StatusSeeOther, caseURL(res.App))
	return nil
}

// mailAnswered tells the applicant the answer is issued (notify.Answered),
// when they gave an e-mail address.
func (h *Handler) mailAnswered(ctx context.Context, app *models.Application, issuedOn models.Date) {
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil || applicant.Email == "" {
		return
	}
	agency, err := h.store.Agency(ctx, app.AgencyID)
	if err != nil {
		return
	}
	msg := notify.Answered(agency, app, issuedOn, h.trackURL())
	to := applicant.Email
	h.notify("answer mail for "+app.Number, func(ctx context.Context) error {
		return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
	})
}

// QueueRow is one answer waiting on the queue page.
type QueueRow struct {
	Number string
	Title  string
	Href   string
	Action string
	DueOn  models.Date
	Note   string
}

// QueueGroup is the answers waiting at one stage.
type QueueGroup struct {
	ID    string
	Title string
	Rows  []QueueRow
}

// QueuePage is the data of the sign-off queue.
type QueuePage struct {
	BasePage
	Groups []QueueGroup
	Empty  bool
}

// showAnswerQueue serves GET /staff/answers: the answers waiting for the
// user — drafts sent back to their section, drafts to approve, reviews
// (the 保密审查员's queue: every answer awaiting review in the agency),
// final approvals, letters to issue and to deliver — each where the user
// may act (models.Can with the stage's action).
func (h *Handler) showAnswerQueue(c *gin.Context) error {
	u := staffUser(c)
	items, err := h.store.AnswerQueue(c.Request.Context(), u.AgencyID)
	if err != nil {
		return err
	}
	groups := []QueueGroup{
		{ID: "returned", Title: "退回修改的答复"},
		{ID: "section_head", Title: "待科室负责人审核"},
		{ID: "review", Title: "待保密审查"},
		{ID: "office_head", Title: "待公开办负责人审批"},
		{ID: "approved", Title: "待出具答复书"},
		{ID: "delivery", Title: "待登记答复书送达"},
	}
	add := func(id string, r QueueRow) {
		for i := range groups {
			if groups[i].ID == id {
				groups[i].Rows = append(groups[i].Rows, r)
			}
		}
	}
	for _, it := range items {
		app, st := it.App, it.State
		may := func(a models.Action) bool { return models.Can(u, a, models.AnswerObject(app, it.Life, a)) }
		row := QueueRow{Number: app.Number, Title: app.Title, DueOn: app.DueOn}
		if st.Outcome != "" {
			row.Note = st.Outcome.Label()
		}
		switch st.Stage {
		case models.StageDrafting:
			if may(models.ActionDraftAnswer) {
				row.Href, row.Action = answerPath(app, "/draft"), "修改答复"
				if st.LastReturn != nil {
					row.Note = st.LastReturn.Stage.Label() + "环节退回：" + st.LastReturn.Comment
				}
				add("returned", row)
			}
		case models.StageSectionHead:
			if may(models.ActionApproveDraft) {
				row.Href, row.Action = answerPath(app, "/section-approval"), "审核"
				add("section_head", row)
			}
		case models.StageReview:
			if may(models.ActionReviewConfidentiality) {
				row.Href, row.Action = answerPath(app, "/review"), "保密审查"
				add("review", row)
			}
		case models.StageOfficeHead:
			if may(models.ActionFinalApproval) {
				row.Href, row.Action = answerPath(app, "/final-approval"), "审批"
				add("office_head", row)
			}
		case models.StageApproved:
			if may(models.ActionIssueAnswer) {
				row.Href, row.Action = answerPath(app, "/issue"), "出具答复书"
				add("approved", row)
			}
		case models.StageIssued:
			switch {
			case it.Letter == nil && st.ByDecision && may(models.ActionIssueAnswer):
				row.Href, row.Action, row.Note = answerPath(app, "/issue"), "出具答复书", "条例第三十五条不予处理决定"
				add("approved", row)
			case it.Letter != nil && models.Can(u, models.ActionRecordProgress, models.AnswerObject(app, it.Life, models.ActionRecordProgress)):
				row.Href, row.Action, row.Note = "/staff/applications/"+app.Number+"/delivery", "登记送达", it.Letter.Number
				add("delivery", row)
			}
		}
	}
	page := QueuePage{BasePage: h.basePage(c, "answers"), Empty: true}
	for _, g := range groups {
		if len(g.Rows) > 0 {
			page.Groups = append(page.Groups, g)
			page.Empty = false
		}
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/queue", page)
}
