package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/reports"
)

// The clock's actions on one application (条例第三十条至第三十五条): each has a
// page with its form (GET /staff/applications/:number/STEP) and a post that
// records one ledger event with its notices through store.RecordStep. The
// rules are the ledger's (models.CanAppend): a step the application's
// state does not admit is explained on its page and refused on post.

// caseContext is an application as a staff handler needs it.
type caseContext struct {
	user   *models.User
	app    *models.Application
	events []models.Event
	life   models.LifecycleState
	obj    models.Object
}

// loadCase loads the application named by :number for the signed-in user
// and checks, in order, that the user may view it and do each of actions
// (models.Can); a refusal is audited with the number and answered 403.
// Another agency's application is not found.
func (h *Handler) loadCase(c *gin.Context, actions ...models.Action) (*caseContext, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	number := strings.ToUpper(c.Param("number"))
	notFound := models.Errorf(models.ENOTFOUND, "未找到编号为 %s 的申请。", number)
	if _, _, _, err := models.ParseApplicationNumber(number); err != nil {
		// Not an application number: the page does not repeat what was
		// typed, which may be an identity or phone number (个人信息保护法第五十一条).
		return nil, models.Errorf(models.ENOTFOUND, "未找到该申请，请核对申请编号。")
	}
	app, err := h.store.ApplicationByNumber(ctx, number)
	if models.ErrorCode(err) == models.ENOTFOUND || (err == nil && app.AgencyID != u.AgencyID) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	events, err := h.store.Events(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	life, err := models.Lifecycle(events)
	if err != nil {
		return nil, err
	}
	cc := &caseContext{user: u, app: app, events: events, life: life, obj: models.ApplicationObject(app, life.AssistSectionIDs)}
	for _, a := range append([]models.Action{models.ActionViewApplication}, actions...) {
		if err := h.can(c, a, cc.obj, models.AuditObjectApplication, app.Number); err != nil {
			return nil, err
		}
	}
	return cc, nil
}

// caseURL is the staff page of an application.
func caseURL(app *models.Application) string { return "/staff/applications/" + app.Number }

// StepPage is the data of a step's page: the application, the form and
// what the form needs.
type StepPage struct {
	BasePage
	App     *models.Application
	Step    string // which step: confirm, route, return, …
	Action  string // the URL the form posts to
	Heading string
	Clock   *models.Clock
	// Blocked says why the step cannot be taken now ("" when it can).
	Blocked string
	Form    FormState
	V       map[string]string    // field values: defaults, or as posted
	Opts    map[string][]option  // choices of the selects and radios
	Info    []InfoRow            // facts shown above the form
	Notes   []string             // guidance shown above the form
	Rows    map[string][]InfoRow // lists by name (current sections …)

	Suggestions []models.SectionSuggestion
	Sections    []AssignmentView
	HasLead     bool
}

// InfoRow is one fact of a step page.
type InfoRow struct {
	Label string
	Value string
}

// AssignmentView is a section working on the application.
type AssignmentView struct {
	Name          string
	Role          string
	InternalDueOn models.Date
	Given         bool // the office gave the date; otherwise the agency's rule
	Since         models.Date
}

// stepDef is a step: its page heading and the action it needs.
type stepDef struct {
	heading string
	action  models.Action
}

// steps are the step pages by name (the last part of their path).
var steps = map[string]stepDef{
	"confirm":            {"确认收到申请", models.ActionConfirmReceipt},
	"route":              {"分办", models.ActionRouteApplication},
	"return":             {"退回分办", models.ActionReturnApplication},
	"correction":         {"发出补正告知书", models.ActionSendNotice},
	"corrected":          {"登记收到补正后的申请", models.ActionRecordProgress},
	"consultation":       {"征求意见", models.ActionSendNotice},
	"consultation-reply": {"登记征求意见答复", models.ActionRecordProgress},
	"fee":                {"发出收费通知书", models.ActionSendNotice},
	"fee-paid":           {"登记缴费", models.ActionRecordProgress},
	"extension":          {"申请延期答复", models.ActionRequestExtension},
	"extension-decide":   {"审批延期答复", models.ActionApproveExtension},
	"explanation":        {"要求说明理由", models.ActionSendNotice},
	"explained":          {"登记申请人说明的理由", models.ActionRecordProgress},
	"excessive":          {"条例第三十五条处理决定", models.ActionDecideExcessive},
	"delivery":           {"登记文书送达", models.ActionRecordProgress},
}

// stepPath is the path of a step page under the application.
func stepPath(name string) string {
	return "/staff/applications/:number/" + strings.ReplaceAll(name, "-", "/")
}

// stepRoutes are the staff routes of the step pages and their posts, for
// staffRouteTable.
func stepRoutes() []staffRoute {
	posts := map[string]func(*Handler, *gin.Context) error{
		"confirm": (*Handler).postConfirm, "route": (*Handler).postRoute, "return": (*Handler).postReturn,
		"correction": (*Handler).postCorrection, "corrected": (*Handler).postCorrected,
		"consultation": (*Handler).postConsultation, "consultation-reply": (*Handler).postConsultationReply,
		"fee": (*Handler).postFee, "fee-paid": (*Handler).postFeePaid,
		"extension": (*Handler).postExtension, "extension-decide": (*Handler).postExtensionDecision,
		"explanation": (*Handler).postExplanation, "explained": (*Handler).postExplained,
		"excessive": (*Handler).postExcessive, "delivery": (*Handler).postDelivery,
	}
	var out []staffRoute
	for _, name := range stepOrder {
		name := name
		def := steps[name]
		out = append(out,
			staffRoute{"GET", stepPath(name), need(def.action), func(h *Handler, c *gin.Context) error { return h.showStep(c, name) }},
			staffRoute{"POST", stepPath(name), need(def.action), posts[name]})
	}
	return out
}

// stepOrder lists the steps in the order the application page offers them.
var stepOrder = []string{"confirm", "route", "return", "correction", "corrected", "consultation", "consultation-reply",
	"fee", "fee-paid", "extension", "extension-decide", "explanation", "explained", "excessive", "delivery"}

// showStep serves GET of a step page.
func (h *Handler) showStep(c *gin.Context, name string) error {
	cc, err := h.loadCase(c, steps[name].action)
	if err != nil {
		return err
	}
	page, err := h.stepPage(c, cc, name)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/applications/step", page)
}

// stepAgain re-renders a step page after a failed post, with what was
// typed and the messages.
func (h *Handler) stepAgain(c *gin.Context, cc *caseContext, name string, err error, fields ...string) error {
	return h.stepFailed(c, err, func(st FormState) error {
		page, perr := h.stepPage(c, cc, name)
		if perr != nil {
			return perr
		}
		for k := range page.V {
			if v, ok := c.GetPostForm(k); ok && k != "version" {
				page.V[k] = v
			}
		}
		page.Form = st
		if len(fields) > 0 {
			page.Form = formState(err, fields...)
		}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/applications/step", page)
	})
}

// stepFailed answers a failed step: a refusal staff can act on (invalid
// input, or a state the ledger does not admit) re-renders the form with
// the message; anything else is an error page.
func (h *Handler) stepFailed(c *gin.Context, err error, rerender func(FormState) error) error {
	switch models.ErrorCode(err) {
	case models.EINVALID, models.ECONFLICT:
		return rerender(formState(err))
	}
	return err
}

// stepDone ends a successful step: a flash and back to the application.
func (h *Handler) stepDone(c *gin.Context, app *models.Application, msg string) error {
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, caseURL(app))
	return nil
}

// postedDate reads a date field; a malformed date is a field error.
func postedDate(c *gin.Context, field string) (models.Date, error) {
	s := formValue(c, field)
	if s == "" {
		return models.Date{}, nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		return d, models.Invalid(models.FieldError{Field: field, Message: "日期格式不正确，请按“2026-02-10”的格式填写。"})
	}
	return d, nil
}

// postedPastDate reads a date staff record for something that happened:
// well formed, given, and not after today (models.CheckPastDate); what
// names it for the message.
func (h *Handler) postedPastDate(c *gin.Context, field, what string) (models.Date, error) {
	d, err := postedDate(c, field)
	if err != nil {
		return d, err
	}
	return d, models.CheckPastDate(field, what, d, h.store.Today())
}

// postedInt reads a whole number between lo and hi.
func postedInt(c *gin.Context, field, what string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(formValue(c, field))
	if err != nil || n < lo || n > hi {
		return 0, models.Invalid(models.FieldError{Field: field, Message: fmt.Sprintf("%s应为%d至%d之间的整数。", what, lo, hi)})
	}
	return n, nil
}

// firstErr returns the first non-nil error, its field messages merged
// with those of the later ones.
func firstErr(errs ...error) error {
	var fe []models.FieldError
	for _, err := range errs {
		if err == nil {
			continue
		}
		f := models.FieldErrorList(err)
		if len(f) == 0 {
			return err
		}
		fe = append(fe, f...)
	}
	if len(fe) > 0 {
		return models.Invalid(fe...)
	}
	return nil
}

// version reads the hidden version field the forms carry.
func version(c *gin.Context) int {
	n, _ := strconv.Atoi(formValue(c, "version"))
	return n
}

// staffEvent starts an event recorded by the signed-in user.
func staffEvent(c *gin.Context, kind models.EventKind) models.Event {
	return models.Event{Kind: kind, ActorKind: models.ActorStaff, ActorID: staffUser(c).ID}
}

// record writes a step for the case.
func (h *Handler) record(c *gin.Context, cc *caseContext, e models.Event, notices ...models.NoticeBody) (*store.StepResult, error) {
	return h.store.RecordStep(c.Request.Context(), &store.Step{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		Event: e, ExpectVersion: version(c), Notices: notices, Render: renderNotice})
}

// noticeNumbers lists the numbers of the notices a step issued.
func noticeNumbers(res *store.StepResult) string {
	var out []string
	for _, n := range res.Notices {
		out = append(out, "《"+n.NoticeKind().Label()+"》"+n.Number)
	}
	return strings.Join(out, "、")
}

// stepPage builds a step's page with its defaults.
func (h *Handler) stepPage(c *gin.Context, cc *caseContext, name string) (StepPage, error) {
	ctx := c.Request.Context()
	app, life := cc.app, cc.life
	today := h.store.Today()
	p := StepPage{BasePage: h.basePage(c, "applications"), App: app, Step: name, Heading: steps[name].heading,
		Action: strings.Replace(stepPath(name), ":number", app.Number, 1),
		V:      map[string]string{"version": strconv.Itoa(app.Version)}, Opts: map[string][]option{}, Rows: map[string][]InfoRow{}}
	clock, cerr := h.store.Clock(ctx, app)
	if cerr == nil {
		p.Clock = &clock
	} else if models.ErrorCode(cerr) == models.EINTERNAL {
		return p, cerr
	}
	rules, err := h.store.ClockRules(ctx, app.AgencyID)
	if err != nil {
		return p, err
	}
	received := !life.ReceivedOn.IsZero()
	open := life.Status.Open()
	working := received && open && life.Status != models.StatusCorrecting
	info := func(label, value string) { p.Info = append(p.Info, InfoRow{label, value}) }
	due := func() string {
		if p.Clock == nil || p.Clock.DueOn.IsZero() {
			return "暂无"
		}
		return p.Clock.DueOn.Chinese()
	}
	blockUnless := func(ok bool, why string) {
		if !ok && p.Blocked == "" {
			p.Blocked = why
		}
	}
	notOpen := "申请当前状态为“" + life.Status.Label() + "”，不能办理此事项。"
	notWorking := notOpen
	if !received {
		notWorking = "申请尚未确认收到。请先确认收到申请（条例第三十一条）。"
	}

	switch name {
	case "confirm":
		blockUnless(life.Status == models.StatusPending, func() string {
			if received {
				return "申请已于" + life.ReceivedOn.Chinese() + "确认收到。"
			}
			return notOpen
		}())
		info("提交方式", app.Channel.Label())
		info("提交日期", life.SubmittedOn.Chinese())
		info("收到申请之日的规则", app.Channel.ReceiptRule())
		if p.Clock != nil && life.Status == models.StatusPending {
			info("已等待确认", strconv.Itoa(p.Clock.WaitingDays)+"个工作日")
		}
		p.V[models.FieldReceivedOn], p.V[models.FieldDateReason] = today.String(), ""

	case "route", "return":
		blockUnless(received, notWorking)
		blockUnless(open, notOpen)
		sections, err := h.store.Sections(ctx, app.AgencyID)
		if err != nil {
			return p, err
		}
		names := sectionNames(sections)
		p.Sections = assignmentViews(life, p.Clock, names)
		p.HasLead = life.SectionID != 0
		if name == "route" {
			p.Suggestions = models.SuggestSections(sections, app.Title, app.Description)
			for _, s := range sections {
				if s.Active && s.ID != life.SectionID && !containsID(life.AssistSectionIDs, s.ID) {
					p.Opts["section_id"] = append(p.Opts["section_id"], option{"value": strconv.FormatInt(s.ID, 10), "label": s.Name})
				}
			}
			p.Opts["role"] = []option{{"value": string(models.RoleAssist), "label": "协办"}}
			p.V["role"] = string(models.RoleAssist)
			if !p.HasLead {
				p.Opts["role"] = append([]option{{"value": string(models.RoleLead), "label": "主办"}}, p.Opts["role"]...)
				p.V["role"] = string(models.RoleLead)
			}
			p.V["section_id"], p.V["internal_due_on"] = "", ""
			p.V["re_section_id"], p.V["re_reason"], p.V["re_internal_due_on"] = "", "", ""
			if p.Clock != nil && !p.Clock.DefaultInternalDueOn.IsZero() {
				p.Notes = append(p.Notes, fmt.Sprintf("内部办理期限不填写的，按本机关规则为法定答复期限前%d个工作日（目前为%s），并随答复期限的顺延而顺延；填写的日期为固定日期，不得晚于法定答复期限（%s）。",
					rules.InternalDueOffset, p.Clock.DefaultInternalDueOn.Chinese(), due()))
			}
		} else {
			var mine []option
			for _, a := range life.Assignments {
				if containsID(cc.user.SectionIDs, a.SectionID) {
					mine = append(mine, option{"value": strconv.FormatInt(a.SectionID, 10), "label": names[a.SectionID] + "（" + a.Role.Label() + "）"})
				}
			}
			p.Opts["section_id"] = mine
			blockUnless(len(mine) > 0, "您所在的科室没有承办本申请，不能退回。")
			p.V["section_id"], p.V["reason"] = "", ""
			if len(mine) == 1 {
				p.V["section_id"] = mine[0]["value"]
			}
		}

	case "correction":
		blockUnless(working, notWorking)
		blockUnless(life.Status == models.StatusProcessing, notOpen)
		blockUnless(p.Clock == nil || (!p.Clock.Extended && p.Clock.DelayedDueOn.IsZero()),
			"答复期限已延长或已确定延迟答复期限，不能再发出补正告知书。")
		applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
		if err != nil {
			return p, err
		}
		p.V["items"] = strings.Join(models.MissingParticulars(applicant, app), "\n")
		p.V["guidance"], p.V["period_days"], p.V["late_reason"] = "", "15", ""
		if p.Clock != nil && !p.Clock.CorrectionNoticeBy.IsZero() {
			info("补正告知期限", "收到申请之日起"+strconv.Itoa(rules.CorrectionNoticeDays)+"个工作日内，即"+p.Clock.CorrectionNoticeBy.Chinese()+"前（条例第三十条）")
			if today.After(p.Clock.CorrectionNoticeBy) {
				p.Notes = append(p.Notes, "已超过补正告知期限，发出补正告知书须填写逾期的理由。")
			}
		}
		if models.LastEvent(cc.events, models.EventCorrectionRequested) != nil {
			p.Notes = append(p.Notes, "本申请已发出过补正告知书。条例第三十条要求一次性告知需要补正的事项；本机关开启再次补正时，须填写补正后申请内容仍不明确的理由。")
		}
		p.Notes = append(p.Notes, "补正期限自告知书发出之日的次日起按工作日计算；答复期限自收到补正后的申请之日起重新计算。")

	case "corrected":
		blockUnless(life.Status == models.StatusCorrecting, "申请不在待补正状态。")
		if e := models.LastEvent(cc.events, models.EventCorrectionRequested); e != nil {
			info("补正期限", e.Data.DueOn.Chinese())
			info("补正事项", strings.Join(e.Data.Items, "；"))
		}
		p.V[models.FieldReceivedOn], p.V["comment"] = today.String(), ""
		p.Notes = append(p.Notes, "申请人在本平台在线提交的补正会自动登记；此处登记以邮寄、当面等方式收到的补正后的申请。")

	case "consultation":
		blockUnless(working, notWorking)
		p.Opts["party_kind"] = []option{
			{"value": string(models.PartyThirdParty), "label": "第三方（条例第三十二条：逾期未答复的，由本机关决定是否公开）"},
			{"value": string(models.PartyCoProducer), "label": "共同制作的行政机关（条例第三十四条：逾期未答复的，视为同意公开）"},
		}
		p.V["party_kind"], p.V["party"], p.V["information"], p.V["reply_method"] = string(models.PartyThirdParty), "", app.Title, ""
		p.Notes = append(p.Notes, fmt.Sprintf("同时向申请人发出征求意见告知书。被征求意见方自收到征求意见书之日起%d个工作日内答复；征求意见期间不计算在答复期限内（条例第三十三条第三款）。请在送达后登记送达日期，期限自此起算。", rules.ConsultationDays))

	case "consultation-reply":
		open := models.UnansweredConsultations(cc.events)
		blockUnless(received && life.Status.Open(), notWorking)
		blockUnless(len(open) > 0, "没有等待答复的征求意见。")
		for _, e := range open {
			label := e.Data.Party + "（" + e.On.Chinese() + "发出"
			if p.Clock != nil {
				for _, ps := range p.Clock.Pauses {
					if ps.Ref == e.Seq && !ps.Until.IsZero() {
						label += "，答复期限至" + ps.Until.Chinese()
					}
				}
			}
			p.Opts["ref"] = append(p.Opts["ref"], option{"value": strconv.Itoa(e.Seq), "label": label + "）"})
		}
		p.Opts["opinion"] = []option{{"value": "agree", "label": "同意公开"}, {"value": "object", "label": "不同意公开"}}
		p.V["ref"], p.V["opinion"], p.V["answered_on"], p.V["comment"] = "", "", today.String(), ""
		if len(open) == 1 {
			p.V["ref"] = strconv.Itoa(open[0].Seq)
		}

	case "fee":
		blockUnless(working, notWorking)
		blockUnless(models.LastEvent(cc.events, models.EventFeeNoticeSent) == nil, "本申请已发出过收费通知书。同一申请只收费一次，且只适用一种计收方式。")
		blockUnless(life.Status != models.StatusAwaitingFee, notOpen)
		n, err := h.monthlyOrdinal(ctx, app)
		if err != nil {
			return p, err
		}
		perItem := models.FeeFen(models.FeePerItem, n)
		info("本月件数", fmt.Sprintf("本申请是该申请人本自然月向本机关提交的第%d件申请（按申请人身份证明匹配）", n))
		info("按件计收", models.FormatYuan(perItem))
		p.Opts["fee_method"] = []option{{"value": string(models.FeePerItem), "label": "按件计收（" + models.FormatYuan(perItem) + "）"},
			{"value": string(models.FeePerPage), "label": "按量计收（按页数）"}}
		p.V["fee_method"] = string(models.FeePerPage)
		if perItem > 0 {
			p.V["fee_method"] = string(models.FeePerItem)
		}
		settings, err := h.store.AgencySettings(ctx, app.AgencyID)
		if err != nil {
			return p, err
		}
		p.V["pages"], p.V["payment_method"] = "", settings["fee.payment_method"]
		p.Notes = append(p.Notes, models.FeeStandard(models.FeePerItem), models.FeeStandard(models.FeePerPage),
			fmt.Sprintf("申请人自收到收费通知书之日的次日起%d个工作日内缴费；逾期未缴纳的，视为放弃申请。请在送达后登记送达日期。", rules.FeePaymentDays))

	case "fee-paid":
		blockUnless(life.Status == models.StatusAwaitingFee, "本申请没有待缴的信息处理费。")
		p.V["paid_on"], p.V["amount"] = today.String(), ""
		if e := models.LastEvent(cc.events, models.EventFeeNoticeSent); e != nil {
			info("应缴金额", models.FormatYuan(e.Data.AmountFen))
			p.V["amount"] = strings.TrimSuffix(models.FormatYuan(e.Data.AmountFen), "元")
		}
		if p.Clock != nil && !p.Clock.FeeDueOn.IsZero() {
			info("缴费期限", p.Clock.FeeDueOn.Chinese())
		}

	case "extension":
		blockUnless(working, notWorking)
		blockUnless(p.Clock == nil || !p.Clock.Extended, "答复期限已经延长过一次（条例第三十三条第二款）。")
		blockUnless(p.Clock == nil || p.Clock.DelayedDueOn.IsZero(), "已确定延迟答复期限（条例第三十五条），不能再延长答复期限。")
		blockUnless(models.PendingExtensionRequest(cc.events) == nil, "已有待审批的延期申请。")
		info("答复期限", due())
		p.V["days"], p.V["reason"] = strconv.Itoa(rules.ExtensionMaxDays), ""
		p.Notes = append(p.Notes, "延期须经政府信息公开工作机构负责人同意，并在答复期限届满前（含当日）告知申请人；只能延长一次，最长20个工作日。")

	case "extension-decide":
		req := models.PendingExtensionRequest(cc.events)
		blockUnless(working, notWorking)
		blockUnless(req != nil, "没有待审批的延期申请。")
		info("答复期限", due())
		p.Opts["decision"] = []option{{"value": "approve", "label": "同意延期（向申请人发出延期答复告知书）"}, {"value": "reject", "label": "不同意延期"}}
		p.V["decision"], p.V["days"], p.V["reason"], p.V["comment"] = "", "", "", ""
		if req != nil {
			info("申请日期", req.On.Chinese())
			info("申请延长", strconv.Itoa(req.Data.Days)+"个工作日")
			info("理由", req.Data.Reason)
			p.V["days"], p.V["reason"] = strconv.Itoa(req.Data.Days), req.Data.Reason
		}
		p.Notes = append(p.Notes, "同意延期的，应当在答复期限届满前（含当日）决定；延长后的答复期限将写入延期答复告知书。")

	case "explanation":
		blockUnless(working, notWorking)
		blockUnless(models.LastEvent(cc.events, models.EventExplanationRequested) == nil, "已要求申请人说明理由。")
		same, err := h.store.ApplicantApplications(ctx, app)
		if err != nil {
			return p, err
		}
		month, year := models.ApplicantVolume(app, same, h.cfg.Location)
		info("该申请人的申请数量", fmt.Sprintf("本自然月%d件，近一年%d件（按申请人身份证明匹配，含本申请）", month, year))
		p.V["facts"] = fmt.Sprintf("截至%s，您（单位）本月已向本机关提交政府信息公开申请%d件，近一年共%d件。", today.Chinese(), month, year)
		p.V["reply_days"] = "15"
		p.Notes = append(p.Notes, "说明理由期间答复期限照常计算；需要延迟答复的，应在答复期限届满前确定延迟答复期限。")

	case "explained":
		blockUnless(life.Status == models.StatusExplaining, "申请不在待说明理由状态。")
		if e := models.LastEvent(cc.events, models.EventExplanationRequested); e != nil {
			info("说明理由期限", e.Data.DueOn.Chinese())
		}
		p.V[models.FieldReceivedOn], p.V["comment"] = today.String(), ""

	case "excessive":
		asked := models.LastEvent(cc.events, models.EventExplanationRequested)
		got := models.LastEvent(cc.events, models.EventExplanationReceived)
		blockUnless(working, notWorking)
		blockUnless(asked != nil, "尚未要求申请人说明理由（条例第三十五条）。")
		blockUnless(models.LastEvent(cc.events, models.EventDelayedDeadlineSet) == nil, "已确定延迟答复期限。")
		if asked != nil {
			info("要求说明理由", asked.On.Chinese()+"（期限至"+asked.Data.DueOn.Chinese()+"）")
		}
		if got != nil {
			info("收到说明", got.On.Chinese()+"："+got.Data.Comment)
		} else {
			info("收到说明", "尚未收到")
		}
		info("答复期限", due())
		p.Opts["decision"] = []option{
			{"value": "not_process", "label": "理由不合理，不予处理（条例第三十五条；年度报告“不予处理—无正当理由大量反复申请”）"},
			{"value": "delay", "label": "理由合理，确定延迟答复的合理期限（须已收到申请人的说明）"},
		}
		p.V["decision"], p.V["due_on"], p.V["reason"] = "", "", ""
		p.Notes = append(p.Notes, "不予处理的决定记入办理记录并作为本申请的答复结果；不予处理告知书由答复功能出具。延迟答复期限应为工作日，不得早于现行答复期限，并应在现行答复期限届满前确定。")

	case "delivery":
		notices, err := h.store.Notices(ctx, app.ID)
		if err != nil {
			return p, err
		}
		for _, n := range notices {
			if n.Delivered() {
				continue
			}
			label := n.NoticeKind().Label() + " " + n.Number + "（" + n.IssuedOn.Chinese() + "）"
			p.Opts["notice_id"] = append(p.Opts["notice_id"], option{"value": strconv.FormatInt(n.ID, 10), "label": label})
		}
		blockUnless(len(p.Opts["notice_id"]) > 0, "本申请没有待登记送达的文书。")
		p.Opts["delivery_method"] = options(models.DeliveryMethods, models.Delivery.ServiceLabel)
		p.V["notice_id"], p.V["delivery_method"], p.V["delivered_on"], p.V["delivery_ref"], p.V["via_post"] = "", "", today.String(), "", ""
		if len(p.Opts["notice_id"]) == 1 {
			p.V["notice_id"] = p.Opts["notice_id"][0]["value"]
		}
		p.Notes = append(p.Notes,
			"送达日期：直接送达的为签收之日，邮寄送达的为交邮之日（国办公开办函〔2016〕235号）。收费通知书和征求意见书请填写对方收到之日，缴费期限和征求意见期限自次日起算。",
			"邮寄送达只能通过邮政企业寄送，不得使用其他快递，不得要求申请人到付。")
	}
	return p, nil
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

func sectionNames(sections []*models.Section) map[int64]string {
	m := map[int64]string{}
	for _, s := range sections {
		m[s.ID] = s.Name
	}
	return m
}

// assignmentViews lists the sections on an application with their
// internal due dates.
func assignmentViews(life models.LifecycleState, clock *models.Clock, names map[int64]string) []AssignmentView {
	var out []AssignmentView
	for _, a := range life.Assignments {
		v := AssignmentView{Name: names[a.SectionID], Role: a.Role.Label(), Given: !a.InternalDueOn.IsZero(), Since: a.Since}
		if clock != nil {
			v.InternalDueOn = clock.SectionDueOn(a)
		} else {
			v.InternalDueOn = a.InternalDueOn
		}
		out = append(out, v)
	}
	return out
}

// monthlyOrdinal is app's place among its applicant's applications of the
// month (国办函〔2020〕109号第四条).
func (h *Handler) monthlyOrdinal(ctx context.Context, app *models.Application) (int, error) {
	same, err := h.store.ApplicantApplications(ctx, app)
	if err != nil {
		return 0, err
	}
	return models.MonthlyOrdinal(app, same, h.cfg.Location), nil
}

// postConfirm serves POST …/confirm: the receipt date (条例第三十一条),
// the 接收回执, and the confirmation mail. For an application registered
// by staff the query code is shown once more, to go with the receipt.
func (h *Handler) postConfirm(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionConfirmReceipt)
	if err != nil {
		return err
	}
	fields := []string{models.FieldReceivedOn, models.FieldDateReason}
	on, derr := postedDate(c, models.FieldReceivedOn)
	reason := c.PostForm(models.FieldDateReason)
	if err := firstErr(derr); err != nil {
		return h.stepAgain(c, cc, "confirm", err, fields...)
	}
	if err := models.CheckReceiptDate(on, cc.life.SubmittedOn, h.store.Today(), reason); err != nil {
		return h.stepAgain(c, cc, "confirm", err, fields...)
	}
	e := staffEvent(c, models.EventConfirmed)
	e.On, e.Data = on, models.EventData{Channel: cc.app.Channel, Reason: trimSpace(reason)}
	if !on.Before(h.store.Today()) {
		e.Data.Reason = ""
	}
	res, err := h.store.RecordStep(c.Request.Context(), &store.Step{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		Event: e, ExpectVersion: version(c), Render: renderNotice, Audit: models.AuditReceiptConfirmed,
		Notices: []models.NoticeBody{{Kind: models.NoticeReceipt, QueryCodeHandedOver: true}}})
	if err != nil {
		return h.stepAgain(c, cc, "confirm", err, fields...)
	}
	applicant, err := h.store.Applicant(c.Request.Context(), cc.app.AgencyID, cc.app.ApplicantID)
	if err != nil {
		return err
	}
	h.mailConfirmed(c, res.App, applicant, res.Clock)
	if cc.app.Channel != models.ChannelOnline && models.CanRoute(cc.user, models.ActionRegisterApplication) {
		code, err := h.store.QueryCode(c.Request.Context(), cc.app.ID)
		if err != nil {
			return err
		}
		h.setHandover(c, handover{ApplicationID: cc.app.ID, Number: cc.app.Number, Code: code, Confirmed: true})
		c.Redirect(http.StatusSeeOther, handoverPath)
		return nil
	}
	return h.stepDone(c, res.App, "已确认收到申请，收到申请之日为"+on.Chinese()+"；已出具"+noticeNumbers(res)+"。")
}

// postRoute serves POST …/route: assign a section (主办 or 协办), or move
// the lead to another section (mode=reassign), each with an optional
// internal due date.
func (h *Handler) postRoute(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRouteApplication)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	reassign := formValue(c, "mode") == "reassign"
	prefix := ""
	if reassign {
		prefix = "re_"
	}
	fields := []string{prefix + "section_id", "role", prefix + "reason", prefix + "internal_due_on"}
	secID, _ := strconv.ParseInt(formValue(c, prefix+"section_id"), 10, 64)
	var errs []error
	var sec *models.Section
	if secID > 0 {
		if sec, err = h.store.Section(ctx, cc.app.AgencyID, secID); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
			return err
		}
	}
	if sec == nil || !sec.Active {
		errs = append(errs, models.Invalid(models.FieldError{Field: prefix + "section_id", Message: "请选择承办科室。"}))
	}
	due, derr := postedDate(c, prefix+"internal_due_on")
	errs = append(errs, derr)
	if derr == nil {
		clock, cerr := h.store.Clock(ctx, cc.app)
		if cerr != nil && models.ErrorCode(cerr) == models.EINTERNAL {
			return cerr
		}
		errs = append(errs, models.CheckInternalDue(prefix+"internal_due_on", due, clock, h.store.Today()))
	}
	var e models.Event
	if reassign {
		reason := trimSpace(c.PostForm("re_reason"))
		errs = append(errs, models.CheckNoticeText("re_reason", reason, "请填写改派的理由。", models.MaxNoticeTextRunes, nil))
		e = staffEvent(c, models.EventReassigned)
		e.Data = models.EventData{SectionID: secID, FromSectionID: cc.life.SectionID, Reason: reason, InternalDueOn: due}
	} else {
		role := models.AssignmentRole(formValue(c, "role"))
		if role != models.RoleLead && role != models.RoleAssist {
			errs = append(errs, models.Invalid(models.FieldError{Field: "role", Message: "请选择主办或协办。"}))
		}
		e = staffEvent(c, models.EventAssigned)
		e.Data = models.EventData{SectionID: secID, Role: role, InternalDueOn: due}
	}
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "route", err, fields...)
	}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, "route", err, fields...)
	}
	what := "已交由" + sec.Name + e.Data.Role.Label() + "。"
	if reassign {
		what = "已改由" + sec.Name + "主办。"
	}
	return h.stepDone(c, res.App, what)
}

// postReturn serves POST …/return: a section gives back a misrouted
// application, with its reason.
func (h *Handler) postReturn(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionReturnApplication)
	if err != nil {
		return err
	}
	fields := []string{"section_id", "reason"}
	secID, _ := strconv.ParseInt(formValue(c, "section_id"), 10, 64)
	reason := trimSpace(c.PostForm("reason"))
	var errs []error
	if !containsID(cc.user.SectionIDs, secID) {
		errs = append(errs, models.Invalid(models.FieldError{Field: "section_id", Message: "请选择退回的科室（您所在的、承办本申请的科室）。"}))
	}
	errs = append(errs, models.CheckNoticeText("reason", reason, "请填写退回的理由，例如不属于本科室职责、应由哪个科室办理。", models.MaxNoticeTextRunes, nil))
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "return", err, fields...)
	}
	e := staffEvent(c, models.EventReturned)
	e.Data = models.EventData{SectionID: secID, Reason: reason}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, "return", err, fields...)
	}
	h.setFlash(c, "success", "已退回公开办重新分办。")
	// The section may no longer see the application.
	if !models.Can(cc.user, models.ActionViewApplication, models.ApplicationObject(res.App, nil)) {
		c.Redirect(http.StatusSeeOther, "/staff/worklist")
		return nil
	}
	c.Redirect(http.StatusSeeOther, caseURL(res.App))
	return nil
}

// postCorrection serves POST …/correction: the 补正告知书 with every item at
// once and the correction period (条例第三十条), and the mail.
func (h *Handler) postCorrection(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionSendNotice)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	fields := []string{"items", "guidance", "period_days", "late_reason"}
	items := models.CorrectionItems(c.PostForm("items"))
	guidance := trimSpace(c.PostForm("guidance"))
	reason := trimSpace(c.PostForm("late_reason"))
	days, derr := postedInt(c, "period_days", "补正期限", 1, 60)
	errs := []error{models.CheckCorrectionItems("items", items, reports.MissingGlyphs),
		models.CheckNoticeText("guidance", guidance, "", models.MaxNoticeTextRunes, reports.MissingGlyphs), derr,
		models.CheckNoticeText("late_reason", reason, "", models.MaxNoticeTextRunes, nil)}
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "correction", err, fields...)
	}
	today := h.store.Today()
	dueOn, err := h.store.AddWorkingDays(ctx, today, days)
	if err != nil {
		return h.stepAgain(c, cc, "correction", err, fields...)
	}
	e := staffEvent(c, models.EventCorrectionRequested)
	e.Data = models.EventData{Items: items, PeriodDays: days, DueOn: dueOn, Reason: reason}
	res, err := h.record(c, cc, e, models.NoticeBody{Kind: models.NoticeCorrection, Guidance: guidance})
	if err != nil {
		return h.stepAgain(c, cc, "correction", err, fields...)
	}
	applicant, err := h.store.Applicant(ctx, cc.app.AgencyID, cc.app.ApplicantID)
	if err != nil {
		return err
	}
	if applicant.Email != "" {
		if agency, err := h.store.Agency(ctx, cc.app.AgencyID); err == nil {
			msg := notify.CorrectionRequested(agency, res.App, items, dueOn, h.trackURL())
			to := applicant.Email
			h.notify("correction mail for "+res.App.Number, func(ctx context.Context) error {
				return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
			})
		}
	}
	return h.stepDone(c, res.App, "已发出"+noticeNumbers(res)+"，补正期限至"+dueOn.Chinese()+"。请登记送达。")
}

// postCorrected serves POST …/corrected: a corrected application received
// on paper; the answer period restarts from that day (条例第三十条).
func (h *Handler) postCorrected(c *gin.Context) error {
	return h.postReplyReceived(c, "corrected", models.EventCorrected, "收到补正的日期", "请摘要登记补正的内容。",
		func(on models.Date) string {
			return "已登记收到补正后的申请，答复期限自" + on.Chinese() + "起重新计算。"
		})
}

// postReplyReceived records an applicant's reply received on a date with
// a summary (a correction, an explanation): step is the page, kind the
// event, what names the date, hint asks for the summary, done says what
// follows.
func (h *Handler) postReplyReceived(c *gin.Context, step string, kind models.EventKind, what, hint string, done func(on models.Date) string) error {
	cc, err := h.loadCase(c, models.ActionRecordProgress)
	if err != nil {
		return err
	}
	fields := []string{models.FieldReceivedOn, "comment"}
	on, derr := h.postedPastDate(c, models.FieldReceivedOn, what)
	comment := trimSpace(c.PostForm("comment"))
	if err := firstErr(derr, models.CheckNoticeText("comment", comment, hint, models.MaxNoticeTextRunes, nil)); err != nil {
		return h.stepAgain(c, cc, step, err, fields...)
	}
	e := staffEvent(c, kind)
	e.On, e.Data = on, models.EventData{Comment: comment}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, step, err, fields...)
	}
	return h.stepDone(c, res.App, done(on))
}

// postConsultation serves POST …/consultation: the 征求意见书 to the third
// party or co-producing agency and the 征求意见告知书 to the applicant.
func (h *Handler) postConsultation(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionSendNotice)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	fields := []string{"party_kind", "party", "information", "reply_method"}
	kind := models.PartyKind(formValue(c, "party_kind"))
	party, info, method := trimSpace(c.PostForm("party")), trimSpace(c.PostForm("information")), trimSpace(c.PostForm("reply_method"))
	errs := []error{
		models.CheckNoticeText("party", party, "请填写被征求意见的第三方或机关的名称。", models.MaxNoticePartyRunes, reports.MissingGlyphs),
		models.CheckNoticeText("information", info, "请写明征求意见涉及的政府信息。", models.MaxNoticeTextRunes, reports.MissingGlyphs),
		models.CheckNoticeText("reply_method", method, "", models.MaxNoticeTextRunes, reports.MissingGlyphs),
	}
	if kind != models.PartyThirdParty && kind != models.PartyCoProducer {
		errs = append(errs, models.Invalid(models.FieldError{Field: "party_kind", Message: "请选择被征求意见方的类别。"}))
	}
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "consultation", err, fields...)
	}
	rules, err := h.store.ClockRules(ctx, cc.app.AgencyID)
	if err != nil {
		return err
	}
	letter := models.NoticeConsultThirdParty
	if kind == models.PartyCoProducer {
		letter = models.NoticeConsultCoProducer
	}
	e := staffEvent(c, models.EventConsultationSent)
	e.Data = models.EventData{Party: party, PartyKind: kind}
	res, err := h.record(c, cc, e,
		models.NoticeBody{Kind: letter, Information: info, ReplyDays: rules.ConsultationDays, ReplyMethod: method},
		models.NoticeBody{Kind: models.NoticeConsultApplicant})
	if err != nil {
		return h.stepAgain(c, cc, "consultation", err, fields...)
	}
	return h.stepDone(c, res.App, "已发出"+noticeNumbers(res)+"。征求意见期间答复期限暂停计算；请在送达后登记送达日期。")
}

// postConsultationReply serves POST …/consultation/reply: the consulted
// party's reply; the clock resumes.
func (h *Handler) postConsultationReply(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordProgress)
	if err != nil {
		return err
	}
	fields := []string{"ref", "answered_on", "opinion", "comment"}
	ref, _ := strconv.Atoi(formValue(c, "ref"))
	on, derr := h.postedPastDate(c, "answered_on", "收到答复的日期")
	opinion := formValue(c, "opinion")
	comment := trimSpace(c.PostForm("comment"))
	errs := []error{derr, models.CheckNoticeText("comment", comment, "", models.MaxNoticeTextRunes, nil)}
	found := false
	for _, e := range models.UnansweredConsultations(cc.events) {
		found = found || e.Seq == ref
	}
	if !found {
		errs = append(errs, models.Invalid(models.FieldError{Field: "ref", Message: "请选择答复的征求意见。"}))
	}
	if opinion != "agree" && opinion != "object" {
		errs = append(errs, models.Invalid(models.FieldError{Field: "opinion", Message: "请选择对方的意见。"}))
	}
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "consultation-reply", err, fields...)
	}
	e := staffEvent(c, models.EventConsultationAnswered)
	e.On, e.Data = on, models.EventData{Ref: ref, Opinion: opinion, Comment: comment}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, "consultation-reply", err, fields...)
	}
	return h.stepDone(c, res.App, "已登记征求意见答复，答复期限恢复计算。")
}

// postFee serves POST …/fee: the 收费通知书 with the amount by the 按件 or
// 按量 tiers (国办函〔2020〕109号), never both for one application.
func (h *Handler) postFee(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionSendNotice)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	fields := []string{"fee_method", "pages", "payment_method"}
	method := models.FeeMethod(formValue(c, "fee_method"))
	payment := trimSpace(c.PostForm("payment_method"))
	errs := []error{models.CheckNoticeText("payment_method", payment, "请填写缴纳方式（缴款渠道、账户或地点）。", models.MaxNoticeTextRunes, reports.MissingGlyphs)}
	var units int
	switch method {
	case models.FeePerItem:
		if units, err = h.monthlyOrdinal(ctx, cc.app); err != nil {
			return err
		}
	case models.FeePerPage:
		var perr error
		units, perr = postedInt(c, "pages", "页数", 1, 1_000_000)
		errs = append(errs, perr)
	default:
		errs = append(errs, models.Invalid(models.FieldError{Field: "fee_method", Message: "请选择按件计收或按量计收。"}))
	}
	amount := models.FeeFen(method, units)
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "fee", err, fields...)
	}
	if amount == 0 {
		field, msg := "fee_method", fmt.Sprintf("本申请为该申请人本月第%d件，按件计收不收费（10件以下免费）。", units)
		if method == models.FeePerPage {
			field, msg = "pages", "30页以下（含30页）不收费。"
		}
		return h.stepAgain(c, cc, "fee", models.Invalid(models.FieldError{Field: field, Message: msg}), fields...)
	}
	rules, err := h.store.ClockRules(ctx, cc.app.AgencyID)
	if err != nil {
		return err
	}
	e := staffEvent(c, models.EventFeeNoticeSent)
	e.Data = models.EventData{FeeMethod: method, Units: units, AmountFen: amount}
	res, err := h.record(c, cc, e, models.NoticeBody{Kind: models.NoticeFee, PaymentMethod: payment,
		PaymentDays: rules.FeePaymentDays, FeeWaitExcluded: rules.ExcludeFeeWait})
	if err != nil {
		return h.stepAgain(c, cc, "fee", err, fields...)
	}
	return h.stepDone(c, res.App, "已发出"+noticeNumbers(res)+"，应缴"+models.FormatYuan(amount)+"。请在送达后登记送达日期，缴费期限自次日起算。")
}

// postFeePaid serves POST …/fee/paid: the payment.
func (h *Handler) postFeePaid(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordProgress)
	if err != nil {
		return err
	}
	fields := []string{"paid_on", "amount"}
	on, derr := h.postedPastDate(c, "paid_on", "缴费日期")
	amount, aerr := models.ParseYuan(c.PostForm("amount"))
	errs := []error{derr}
	if aerr != nil || amount <= 0 {
		errs = append(errs, models.Invalid(models.FieldError{Field: "amount", Message: "请填写实际缴纳的金额，例如 4700.00。"}))
	}
	if err := firstErr(errs...); err != nil {
		return h.stepAgain(c, cc, "fee-paid", err, fields...)
	}
	e := staffEvent(c, models.EventFeePaid)
	e.On, e.Data = on, models.EventData{AmountFen: amount}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, "fee-paid", err, fields...)
	}
	return h.stepDone(c, res.App, "已登记缴费"+models.FormatYuan(amount)+"。")
}

// postExtension serves POST …/extension: a section (or the office) asks for
// more time.
func (h *Handler) postExtension(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRequestExtension)
	if err != nil {
		return err
	}
	fields := []string{"days", "reason"}
	rules, err := h.store.ClockRules(c.Request.Context(), cc.app.AgencyID)
	if err != nil {
		return err
	}
	days, derr := postedInt(c, "days", "延长的工作日数", 1, rules.ExtensionMaxDays)
	reason := trimSpace(c.PostForm("reason"))
	if err := firstErr(derr, models.CheckNoticeText("reason", reason, "请填写需要延长答复期限的理由。", models.MaxNoticeTextRunes, reports.MissingGlyphs)); err != nil {
		return h.stepAgain(c, cc, "extension", err, fields...)
	}
	if models.PendingExtensionRequest(cc.events) != nil {
		return h.stepAgain(c, cc, "extension", models.Errorf(models.ECONFLICT, "已有待审批的延期申请。"), fields...)
	}
	e := staffEvent(c, models.EventExtensionRequested)
	e.Data = models.EventData{Days: days, Reason: reason}
	res, err := h.record(c, cc, e)
	if err != nil {
		return h.stepAgain(c, cc, "extension", err, fields...)
	}
	return h.stepDone(c, res.App, "已提交延期申请，待政府信息公开工作机构负责人审批。")
}

// postExtensionDecision serves POST …/extension/decide: the head of the
// disclosure office approves (with the 延期答复告知书 and the mail) or
// rejects the pending request (条例第三十三条第二款).
func (h *Handler) postExtensionDecision(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionApproveExtension)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	fields := []string{"decision", "days", "reason", "comment"}
	req := models.PendingExtensionRequest(cc.events)
	if req == nil {
		return h.stepAgain(c, cc, "extension-decide", models.Errorf(models.ECONFLICT, "没有待审批的延期申请。"), fields...)
	}
	rules, err := h.store.ClockRules(ctx, cc.app.AgencyID)
	if err != nil {
		return err
	}
	comment := trimSpace(c.PostForm("comment"))
	switch formValue(c, "decision") {
	case "approve":
		days, derr := postedInt(c, "days", "延长的工作日数", 1, rules.ExtensionMaxDays)
		reason := trimSpace(c.PostForm("reason"))
		if err := firstErr(derr, models.CheckNoticeText("reason", reason, "请填写延期的理由（写入延期答复告知书）。", models.MaxNoticeTextRunes, reports.MissingGlyphs)); err != nil {
			return h.stepAgain(c, cc, "extension-decide", err, fields...)
		}
		e := staffEvent(c, models.EventExtensionApproved)
		e.Data = models.EventData{Days: days, Comment: comment}
		res, err := h.record(c, cc, e, models.NoticeBody{Kind: models.NoticeExtension, Reason: reason})
		if err != nil {
			return h.stepAgain(c, cc, "extension-decide", err, fields...)
		}
		applicant, err := h.store.Applicant(ctx, cc.app.AgencyID, cc.app.ApplicantID)
		if err != nil {
			return err
		}
		if applicant.Email != "" {
			if agency, err := h.store.Agency(ctx, cc.app.AgencyID); err == nil {
				msg := notify.Extended(agency, res.App, days, res.Clock.DueOn, h.trackURL())
				to := applicant.Email
				h.notify("extension mail for "+res.App.Number, func(ctx context.Context) error {
					return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
				})
			}
		}
		return h.stepDone(c, res.App, fmt.Sprintf("已同意延期%d个工作日，答复期限延至%s；已发出%s。请登记送达。", days, res.Clock.DueOn.Chinese(), noticeNumbers(res)))
	case "reject":
		if err := models.CheckNoticeText("comment", comment, "请填写不同意延期的理由。", models.MaxNoticeTextRunes, nil); err != nil {
			return h.stepAgain(c, cc, "extension-decide", err, fields...)
		}
		e := staffEvent(c, models.EventExtensionRejected)
		e.Data = models.EventData{Comment: comment}
		res, err := h.record(c, cc, e)
		if err != nil {
			return h.stepAgain(c, cc, "extension-decide", err, fields...)
		}
		return h.stepDone(c, res.App, "已不同意延期，答复期限不变。")
	}
	return h.stepAgain(c, cc, "extension-decide", models.Invalid(models.FieldError{Field: "decision", Message: "请选择同意或不同意延期。"}), fields...)
}

// postExplanation serves POST …/explanation: the 说明理由告知书
// (条例第三十五条) with the reply period.
func (h *Handler) postExplanation(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionSendNotice)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	fields := []string{"facts", "reply_days"}
	facts := trimSpace(c.PostForm("facts"))
	days, derr := postedInt(c, "reply_days", "说明理由的期限", 1, 60)
	if err := firstErr(models.CheckNoticeText("facts", facts, "请写明申请数量、频次明显超过合理范围的事实。", models.MaxNoticeTextRunes, reports.MissingGlyphs), derr); err != nil {
		return h.stepAgain(c, cc, "explanation", err, fields...)
	}
	dueOn, err := h.store.AddWorkingDays(ctx, h.store.Today(), days)
	if err != nil {
		return h.stepAgain(c, cc, "explanation", err, fields...)
	}
	e := staffEvent(c, models.EventExplanationRequested)
	e.Data = models.EventData{DueOn: dueOn}
	res, err := h.record(c, cc, e, models.NoticeBody{Kind: models.NoticeExplanation, Facts: facts})
	if err != nil {
		return h.stepAgain(c, cc, "explanation", err, fields...)
	}
	return h.stepDone(c, res.App, "已发出"+noticeNumbers(res)+"，说明理由期限至"+dueOn.Chinese()+"。答复期限照常计算。")
}

// postExplained serves POST …/explained: the applicant's explanation.
func (h *Handler) postExplained(c *gin.Context) error {
	return h.postReplyReceived(c, "explained", models.EventExplanationReceived, "收到说明的日期", "请摘要登记申请人说明的理由。",
		func(models.Date) string {
			return "已登记申请人说明的理由，请政府信息公开工作机构负责人作出决定。"
		})
}

// postExcessive serves POST …/excessive: the office head's decision under
// 条例第三十五条 — 不予处理 (recorded as the answer with outcome
// not_processed_mass; its letter comes with the answering feature), or a
// reasonable delayed deadline with its notice.
func (h *Handler) postExcessive(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionDecideExcessive)
	if err != nil {
		return err
	}
	fields := []string{"decision", "due_on", "reason"}
	reason := trimSpace(c.PostForm("reason"))
	rerr := models.CheckNoticeText("reason", reason, "请填写决定的理由。", models.MaxNoticeTextRunes, reports.MissingGlyphs)
	switch formValue(c, "decision") {
	case "not_process":
		if rerr != nil {
			return h.stepAgain(c, cc, "excessive", rerr, fields...)
		}
		e := staffEvent(c, models.EventAnswerIssued)
		e.Data = models.EventData{Outcome: models.OutcomeMass, Reason: reason}
		res, err := h.record(c, cc, e)
		if err != nil {
			return h.stepAgain(c, cc, "excessive", err, fields...)
		}
		return h.stepDone(c, res.App, "已决定不予处理（条例第三十五条），办理结束。请通过答复功能向申请人出具不予处理告知书。")
	case "delay":
		due, derr := postedDate(c, "due_on")
		if derr == nil && due.IsZero() {
			derr = models.Invalid(models.FieldError{Field: "due_on", Message: "请填写延迟答复的期限。"})
		}
		if err := firstErr(derr, rerr); err != nil {
			return h.stepAgain(c, cc, "excessive", err, fields...)
		}
		e := staffEvent(c, models.EventDelayedDeadlineSet)
		e.Data = models.EventData{DueOn: due, Reason: reason}
		res, err := h.record(c, cc, e, models.NoticeBody{Kind: models.NoticeDelayedDeadline})
		if err != nil {
			return h.stepAgain(c, cc, "excessive", err, fields...)
		}
		return h.stepDone(c, res.App, "已确定延迟答复期限为"+due.Chinese()+"，已发出"+noticeNumbers(res)+"。请登记送达。")
	}
	return h.stepAgain(c, cc, "excessive", firstErr(models.Invalid(models.FieldError{Field: "decision", Message: "请选择处理决定。"}), rerr), fields...)
}

// postDelivery serves POST …/delivery: how and when a notice was served.
func (h *Handler) postDelivery(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordProgress)
	if err != nil {
		return err
	}
	fields := []string{"notice_id", models.FieldDeliveryMethod, models.FieldDeliveredOn, models.FieldDeliveryRef, models.FieldViaPost}
	id, _ := strconv.ParseInt(formValue(c, "notice_id"), 10, 64)
	on, derr := postedDate(c, models.FieldDeliveredOn)
	if id <= 0 {
		derr = firstErr(derr, models.Invalid(models.FieldError{Field: "notice_id", Message: "请选择文书。"}))
	}
	if derr != nil {
		return h.stepAgain(c, cc, "delivery", derr, fields...)
	}
	d := models.NoticeDelivery{Method: models.Delivery(formValue(c, models.FieldDeliveryMethod)), On: on,
		Ref: formValue(c, models.FieldDeliveryRef), ViaPostalEnterprise: c.PostForm(models.FieldViaPost) == "1"}
	n, err := h.store.RecordNoticeDelivery(c.Request.Context(), store.NoticeDeliveryRecord{AgencyID: cc.app.AgencyID,
		ApplicationID: cc.app.ID, NoticeID: id, Delivery: d, ActorID: cc.user.ID})
	if models.ErrorCode(err) == models.ENOTFOUND {
		err = models.Invalid(models.FieldError{Field: "notice_id", Message: "请选择本申请的文书。"})
	}
	if err != nil {
		return h.stepAgain(c, cc, "delivery", err, fields...)
	}
	return h.stepDone(c, cc.app, "已登记《"+n.NoticeKind().Label()+"》"+n.Number+"于"+on.Chinese()+"送达（"+d.Method.ServiceLabel()+"）。")
}
