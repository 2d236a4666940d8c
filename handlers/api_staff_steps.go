package handlers

// The steps of the staff API: confirmation of receipt, routing, return,
// and the answer's drafting, approvals and issuing (the assisting
// sections' contributions and the confidentiality review are in
// api_staff_review.go). Each is its page's post (staff_steps.go,
// answers.go) with JSON in and out: the same checks in the same order,
// the same store method, the same audit entry; a refusal the page would
// show on the form is a 422 (invalid input) or 409 (a state the ledger
// does not admit, or a version that moved) with the page's message.

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// APIStepResult is what a step did: the application after it, the ledger
// events it recorded and the notices it issued.
type APIStepResult struct {
	Number      string           `json:"number"`
	Version     int              `json:"version"`
	Status      string           `json:"status"`
	StatusLabel string           `json:"status_label"`
	ReceivedOn  string           `json:"received_on,omitempty"`
	DueOn       string           `json:"due_on,omitempty"`
	Events      []APIEvent       `json:"events"`
	Notices     []APIStaffNotice `json:"notices"`
	// CanView is false when the user may no longer see the application
	// (a section that returned it).
	CanView bool       `json:"can_view"`
	Answer  *APIAnswer `json:"answer,omitempty"`
}

// stepResult describes an application after a step: the events after
// seq (those the step recorded), the notices given, and the answer when
// withAnswer.
func (h *Handler) stepResult(c *gin.Context, app *models.Application, seq int, notices []*store.Notice, withAnswer bool) (int, any, error) {
	ctx := c.Request.Context()
	events, err := h.store.Events(ctx, app.ID)
	if err != nil {
		return 0, nil, err
	}
	life, err := models.Lifecycle(events)
	if err != nil {
		return 0, nil, err
	}
	sections, err := h.store.Sections(ctx, app.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	staff, err := h.staffNames(c, app.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	names := sectionNames(sections)
	out := APIStepResult{Number: app.Number, Version: app.Version, Status: string(app.Status), StatusLabel: app.Status.Label(),
		ReceivedOn: app.ReceivedOn.String(), DueOn: app.DueOn.String(), Events: []APIEvent{}, Notices: []APIStaffNotice{},
		CanView: models.Can(staffUser(c), models.ActionViewApplication, models.ApplicationObject(app, life.AssistSectionIDs))}
	for _, e := range events {
		if e.Seq > seq {
			out.Events = append(out.Events, apiEvent(e, staff, names))
		}
	}
	for _, n := range notices {
		out.Notices = append(out.Notices, apiNotice(n))
	}
	if withAnswer {
		ans, err := h.store.Answer(ctx, app, events)
		if err != nil {
			return 0, nil, err
		}
		out.Answer = apiAnswer(ans, staff)
	}
	return http.StatusOK, out, nil
}

// lastSeq is the Seq of a ledger's last event.
func lastSeq(events []models.Event) int {
	if len(events) == 0 {
		return 0
	}
	return events[len(events)-1].Seq
}

// APIConfirmRequest confirms the receipt of an application.
type APIConfirmRequest struct {
	// ReceivedOn is 收到申请之日 (条例第三十一条): not after today, not
	// before the submission; a day before today needs DateReason.
	ReceivedOn string `json:"received_on"`
	DateReason string `json:"date_reason"`
	// Version, when not 0, is the application's version the caller read;
	// a step on a version that moved since is refused with 409.
	Version int `json:"version"`
}

// apiConfirm serves POST …/confirm: postConfirm's step — the receipt
// date, the 接收回执 and the confirmation mail.
func (h *Handler) apiConfirm(c *gin.Context) (int, any, error) {
	cc, err := h.loadCase(c, models.ActionConfirmReceipt)
	if err != nil {
		return 0, nil, err
	}
	var in APIConfirmRequest
	if err := bindStaffJSON(c, &in, maxStaffAPIBody); err != nil {
		return 0, nil, err
	}
	today := h.store.Today()
	on, err := parseAPIDate(models.FieldReceivedOn, in.ReceivedOn)
	if err != nil {
		return 0, nil, err
	}
	if err := models.CheckReceiptDate(on, cc.life.SubmittedOn, today, in.DateReason); err != nil {
		return 0, nil, err
	}
	e := staffEvent(c, models.EventConfirmed)
	e.On, e.Data = on, models.EventData{Channel: cc.app.Channel, Reason: trimSpace(in.DateReason)}
	if !on.Before(today) {
		e.Data.Reason = ""
	}
	res, err := h.store.RecordStep(c.Request.Context(), &store.Step{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		Event: e, ExpectVersion: in.Version, Render: renderNotice, Audit: models.AuditReceiptConfirmed,
		Notices: []models.NoticeBody{{Kind: models.NoticeReceipt, QueryCodeHandedOver: true}}})
	if err != nil {
		return 0, nil, err
	}
	applicant, err := h.store.Applicant(c.Request.Context(), cc.app.AgencyID, cc.app.ApplicantID)
	if err != nil {
		return 0, nil, err
	}
	h.mailConfirmed(c, res.App, applicant, res.Clock)
	return h.stepResult(c, res.App, lastSeq(cc.events), res.Notices, false)
}

// APIRouteRequest routes an application: a lead (主办) section, assisting
// (协办) sections, or the lead moved to another section (reassign), each
// with an optional internal due date. All of it is recorded in one
// transaction, or none of it.
type APIRouteRequest struct {
	Lead      *APIAssignment   `json:"lead"`
	Assisting []APIAssignment  `json:"assisting"`
	Reassign  *APIReassignment `json:"reassign"`
	Version   int              `json:"version"`
}

// APIAssignment is a section given the application.
type APIAssignment struct {
	SectionID int64 `json:"section_id"`
	// InternalDueOn is a fixed internal due date, not later than the
	// statutory one; empty for the agency's rule (the statutory due date
	// less its offset, moving with it).
	InternalDueOn string `json:"internal_due_on"`
}

// APIReassignment moves the lead to another section, with the reason.
type APIReassignment struct {
	SectionID     int64  `json:"section_id"`
	Reason        string `json:"reason"`
	InternalDueOn string `json:"internal_due_on"`
}

// apiRoute serves POST …/route: postRoute's assignments and reassignment,
// checked the same way (an active section of the agency, an internal due
// date within the statutory one, a reason for a reassignment) and, in one
// request, recorded together (store.RecordSteps).
func (h *Handler) apiRoute(c *gin.Context) (int, any, error) {
	cc, err := h.loadCase(c, models.ActionRouteApplication)
	if err != nil {
		return 0, nil, err
	}
	var in APIRouteRequest
	if err := bindStaffJSON(c, &in, maxStaffAPIBody); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	if in.Lead == nil && in.Reassign == nil && len(in.Assisting) == 0 {
		return 0, nil, models.Invalid(models.FieldError{Field: "lead", Message: "请指定主办科室、协办科室或改派的科室。"})
	}
	if in.Lead != nil && in.Reassign != nil {
		return 0, nil, models.Invalid(models.FieldError{Field: "reassign", Message: "分办主办科室和改派主办科室不能在同一请求中进行。"})
	}
	clock, cerr := h.store.Clock(ctx, cc.app)
	if cerr != nil && models.ErrorCode(cerr) == models.EINTERNAL {
		return 0, nil, cerr
	}
	today := h.store.Today()
	var errs []error
	seen := map[int64]bool{}
	// section checks one section field and its internal due date.
	section := func(prefix string, id int64, dueText string) models.Date {
		var sec *models.Section
		if id > 0 {
			var err error
			if sec, err = h.store.Section(ctx, cc.app.AgencyID, id); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
				errs = append(errs, err)
			}
		}
		switch {
		case sec == nil || !sec.Active:
			errs = append(errs, models.Invalid(models.FieldError{Field: prefix + "section_id", Message: "请指定本机关在用的承办科室。"}))
		case seen[id]:
			errs = append(errs, models.Invalid(models.FieldError{Field: prefix + "section_id", Message: "同一科室在请求中出现了两次。"}))
		}
		seen[id] = true
		due, derr := parseAPIDate(prefix+"internal_due_on", dueText)
		errs = append(errs, derr)
		if derr == nil {
			errs = append(errs, models.CheckInternalDue(prefix+"internal_due_on", due, clock, today))
		}
		return due
	}
	var events []models.Event
	if r := in.Reassign; r != nil {
		due := section("reassign.", r.SectionID, r.InternalDueOn)
		reason := trimSpace(r.Reason)
		errs = append(errs, models.CheckNoticeText("reassign.reason", reason, "请填写改派的理由。", models.MaxNoticeTextRunes, nil))
		e := staffEvent(c, models.EventReassigned)
		e.Data = models.EventData{SectionID: r.SectionID, FromSectionID: cc.life.SectionID, Reason: reason, InternalDueOn: due}
		events = append(events, e)
	}
	if l := in.Lead; l != nil {
		due := section("lead.", l.SectionID, l.InternalDueOn)
		e := staffEvent(c, models.EventAssigned)
		e.Data = models.EventData{SectionID: l.SectionID, Role: models.RoleLead, InternalDueOn: due}
		events = append(events, e)
	}
	for i, a := range in.Assisting {
		due := section(fmt.Sprintf("assisting[%d].", i), a.SectionID, a.InternalDueOn)
		e := staffEvent(c, models.EventAssigned)
		e.Data = models.EventData{SectionID: a.SectionID, Role: models.RoleAssist, InternalDueOn: due}
		events = append(events, e)
	}
	if err := firstErr(errs...); err != nil {
		return 0, nil, err
	}
	var steps []*store.Step
	for i, e := range events {
		st := &store.Step{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID, Event: e, Render: renderNotice}
		if i == 0 {
			st.ExpectVersion = in.Version
		}
		steps = append(steps, st)
	}
	res, err := h.store.RecordSteps(ctx, steps)
	if err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, res[len(res)-1].App, lastSeq(cc.events), nil, false)
}

// APIReturnRequest gives a misrouted application back to the office.
type APIReturnRequest struct {
	// SectionID is the user's section that returns it; it may be left
	// out when only one of the user's sections works on the application.
	SectionID int64  `json:"section_id"`
	Reason    string `json:"reason"`
	Version   int    `json:"version"`
}

// apiReturn serves POST …/return: postReturn's step.
func (h *Handler) apiReturn(c *gin.Context) (int, any, error) {
	cc, err := h.loadCase(c, models.ActionReturnApplication)
	if err != nil {
		return 0, nil, err
	}
	var in APIReturnRequest
	if err := bindStaffJSON(c, &in, maxStaffAPIBody); err != nil {
		return 0, nil, err
	}
	if in.SectionID == 0 {
		var mine []int64
		for _, a := range cc.life.Assignments {
			if containsID(cc.user.SectionIDs, a.SectionID) {
				mine = append(mine, a.SectionID)
			}
		}
		if len(mine) == 1 {
			in.SectionID = mine[0]
		}
	}
	reason := trimSpace(in.Reason)
	var errs []error
	if !containsID(cc.user.SectionIDs, in.SectionID) {
		errs = append(errs, models.Invalid(models.FieldError{Field: "section_id", Message: "请指定退回的科室（您所在的、承办本申请的科室）。"}))
	}
	errs = append(errs, models.CheckNoticeText("reason", reason, "请填写退回的理由，例如不属于本科室职责、应由哪个科室办理。", models.MaxNoticeTextRunes, nil))
	if err := firstErr(errs...); err != nil {
		return 0, nil, err
	}
	e := staffEvent(c, models.EventReturned)
	e.Data = models.EventData{SectionID: in.SectionID, Reason: reason}
	res, err := h.store.RecordStep(c.Request.Context(), &store.Step{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		Event: e, ExpectVersion: in.Version, Render: renderNotice})
	if err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, res.App, lastSeq(cc.events), nil, false)
}

// APIDraftRequest is the lead section's answer draft: the draft form's
// fields by the same names. Submit sends it to the section head; without
// it the working copy is only saved.
type APIDraftRequest struct {
	Outcome          string `json:"outcome"`
	PartialGround    string `json:"partial_ground"`
	ExtraBasis       string `json:"extra_basis"`
	Reasons          string `json:"reasons"`
	Method           string `json:"method"`
	ObtainPlace      string `json:"obtain_place"`
	ObtainTime       string `json:"obtain_time"`
	PublishedWhere   string `json:"published_where"`
	PublishedOn      string `json:"published_on"`
	CompetentAgency  string `json:"competent_agency"`
	CompetentContact string `json:"competent_contact"`
	PreviousAnswer   string `json:"previous_answer"`
	// FileIDs keeps files the working copy already has (its own, or an
	// assisting section's); Files adds new ones. A file of the working
	// copy not listed is dropped, as on the form.
	FileIDs []int64         `json:"file_ids"`
	Files   []APIAnswerFile `json:"files"`
	Submit  bool            `json:"submit"`
	Version int             `json:"version"`
}

// APIAnswerFile is a file the answer releases: PDF, JPEG or PNG,
// base64-encoded, at most 10 MB.
type APIAnswerFile struct {
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

// maxDraftFilesPerRequest caps the files one draft request uploads.
const maxDraftFilesPerRequest = 10

// apiAnswerFiles decodes and checks (models.CheckUpload) the files sent in
// field as attachments of kind; a refused file is a message for its
// field ("files[1]"), as the upload field's on the page.
func apiAnswerFiles(field string, in []APIAnswerFile, kind models.AttachmentKind) ([]models.Attachment, []models.FieldError) {
	var fe []models.FieldError
	if len(in) > maxDraftFilesPerRequest {
		fe = append(fe, models.FieldError{Field: field, Message: fmt.Sprintf("每次最多上传%d个文件。", maxDraftFilesPerRequest)})
	}
	var files []models.Attachment
	for i, f := range in {
		name := field + "[" + strconv.Itoa(i) + "]"
		a, err := apiAnswerFile(name, f, kind)
		if err != nil {
			fe = append(fe, models.FieldErrorList(err)...)
			continue
		}
		files = append(files, a)
	}
	return files, fe
}

// apiAnswerFile decodes and checks one file sent in field.
func apiAnswerFile(field string, f APIAnswerFile, kind models.AttachmentKind) (models.Attachment, error) {
	content, err := base64.StdEncoding.DecodeString(f.Content)
	if err != nil {
		return models.Attachment{}, models.Invalid(models.FieldError{Field: field, Message: "文件内容不是有效的base64编码。"})
	}
	a, err := models.CheckUpload(kind, f.Filename, content)
	if err != nil {
		return a, models.Invalid(models.FieldError{Field: field, Message: models.ErrorMessage(err)})
	}
	return a, nil
}

// apiDraft serves POST …/answer/draft: postAnswerDraft's steps — the
// working copy saved with the files (store.SaveAnswerWork), and with
// submit the draft validated and submitted (store.SubmitAnswer) and its
// confidentiality scan run.
func (h *Handler) apiDraft(c *gin.Context) (int, any, error) {
	ac, err := h.loadAnswer(c, models.ActionDraftAnswer)
	if err != nil {
		return 0, nil, err
	}
	if err := h.canLead(c, ac, models.ActionDraftAnswer); err != nil {
		return 0, nil, err
	}
	var in APIDraftRequest
	if err := bindStaffJSON(c, &in, maxStaffDraftBody); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	d := models.AnswerDraft{Outcome: models.Outcome(trimSpace(in.Outcome)), PartialGround: models.Outcome(trimSpace(in.PartialGround)),
		ExtraBasis: in.ExtraBasis, Reasons: in.Reasons, Method: models.ProvideMethod(trimSpace(in.Method)),
		ObtainPlace: in.ObtainPlace, ObtainTime: in.ObtainTime, PublishedWhere: in.PublishedWhere,
		CompetentAgency: in.CompetentAgency, CompetentContact: in.CompetentContact, PreviousAnswer: in.PreviousAnswer}
	var fe []models.FieldError
	var derr error
	if d.PublishedOn, derr = parseAPIDate("published_on", in.PublishedOn); derr != nil {
		fe = append(fe, models.FieldErrorList(derr)...)
	}
	for _, id := range in.FileIDs {
		d.Files = append(d.Files, models.AnswerFile{AttachmentID: id})
	}
	files, ffe := apiAnswerFiles("files", in.Files, models.AttachReleased)
	fe = append(fe, ffe...)
	if len(fe) > 0 {
		return 0, nil, models.Invalid(fe...)
	}
	if blocked := ac.workingBlocked(); blocked != "" {
		return 0, nil, models.Errorf(models.ECONFLICT, "%s", blocked)
	}
	working, err := h.store.SaveAnswerWork(ctx, &store.AnswerWork{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, Draft: d, NewFiles: files})
	if err != nil {
		return 0, nil, err
	}
	if !in.Submit {
		return h.stepResult(c, ac.app, lastSeq(ac.events), nil, true)
	}
	check := *working
	check.Normalize()
	if err := checkGlyphs(&check); err != nil {
		return 0, nil, err
	}
	res, err := h.store.SubmitAnswer(ctx, store.AnswerSubmission{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, ExpectVersion: in.Version})
	if err != nil {
		return 0, nil, err
	}
	// As on the page: the scan runs outside the submission's transaction;
	// should it fail, the review page scans again.
	if _, err := h.scanDraft(ctx, res.App, res.State.DraftSeq, res.Draft); err != nil {
		h.log.Error("answer scan", "request_id", requestID(c), "number", res.App.Number, "err", err)
	}
	return h.stepResult(c, res.App, lastSeq(ac.events), nil, true)
}

// APIDecisionRequest is an approval or a send-back.
type APIDecisionRequest struct {
	// Decision is approve, or return (with a Comment saying what to
	// change).
	Decision string `json:"decision"`
	Comment  string `json:"comment"`
	Version  int    `json:"version"`
}

// apiAnswerDecision serves POST …/answer/section-approval and
// …/answer/final-approval: postAnswerDecision's step.
func (h *Handler) apiAnswerDecision(c *gin.Context, mode decideMode) (int, any, error) {
	stage := mode.stage()
	ac, err := h.loadAnswer(c, stage.Action())
	if err != nil {
		return 0, nil, err
	}
	if mode == decideSectionHead {
		if err := h.canLead(c, ac, stage.Action()); err != nil {
			return 0, nil, err
		}
	}
	var in APIDecisionRequest
	if err := bindStaffJSON(c, &in, maxStaffAPIBody); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	comment := trimSpace(in.Comment)
	e := models.Event{Data: models.EventData{Stage: string(stage), Comment: comment}}
	switch trimSpace(in.Decision) {
	case "approve":
		e.Kind = models.EventAnswerApproved
	case "return":
		e.Kind = models.EventAnswerReturned
		if comment == "" {
			return 0, nil, models.Invalid(models.FieldError{Field: "comment", Message: "退回时须填写退回意见，写明需要修改的内容。"})
		}
	default:
		return 0, nil, models.Invalid(models.FieldError{Field: "decision", Message: "请选择审核通过（approve）或退回修改（return）。"})
	}
	if err := models.CheckNoticeText("comment", comment, "", models.MaxNoticeTextRunes, nil); err != nil {
		return 0, nil, err
	}
	if stage == models.StageSectionHead && e.Kind == models.EventAnswerApproved {
		// The reviewer's page needs the scan; make sure it exists.
		if _, err := h.ensureReview(ctx, ac); err != nil {
			return 0, nil, err
		}
	}
	res, err := h.store.RecordAnswerStep(ctx, store.AnswerStepInput{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID,
		User: ac.user, Event: e, ExpectVersion: in.Version})
	if err != nil {
		return 0, nil, err
	}
	return h.stepResult(c, res.App, lastSeq(ac.events), nil, true)
}

// APIIssueRequest issues the answer letter.
type APIIssueRequest struct {
	Version int `json:"version"`
}

// APIIssued is the result of issuing: the step's result with the letter
// and the files released to the applicant.
type APIIssued struct {
	APIStepResult
	Letter   APIStaffNotice `json:"letter"`
	Released []APIFileRef   `json:"released_files"`
}

// apiIssue serves POST …/answer/issue: postIssue's step — the letter
// numbered, sealed and stored, the released files offered on the tracking
// page, and the applicant mailed.
func (h *Handler) apiIssue(c *gin.Context) (int, any, error) {
	ac, err := h.loadAnswer(c, models.ActionIssueAnswer)
	if err != nil {
		return 0, nil, err
	}
	var in APIIssueRequest
	if err := bindStaffJSON(c, &in, maxStaffAPIBody); err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	if _, err := h.ensureReview(ctx, ac); err != nil {
		return 0, nil, err
	}
	res, err := h.store.IssueAnswer(ctx, store.AnswerIssue{AgencyID: ac.app.AgencyID, ApplicationID: ac.app.ID, User: ac.user,
		ExpectVersion: in.Version, Render: renderAnswer})
	if err != nil {
		return 0, nil, err
	}
	h.mailAnswered(ctx, res.App, res.Letter.IssuedOn)
	_, v, err := h.stepResult(c, res.App, lastSeq(ac.events), []*store.Notice{res.Letter}, true)
	if err != nil {
		return 0, nil, err
	}
	out := APIIssued{APIStepResult: v.(APIStepResult), Letter: apiNotice(res.Letter), Released: []APIFileRef{}}
	for _, f := range res.Files {
		out.Released = append(out.Released, APIFileRef{f.AttachmentID, f.Filename})
	}
	return http.StatusOK, out, nil
}
