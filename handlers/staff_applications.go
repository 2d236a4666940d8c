package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// StaffHomePage is the data of the staff start page.
type StaffHomePage struct {
	BasePage
	Links []NavLink
	// UnconfirmedYears and MissingNextYear alert administrators to the
	// calendar: a deadline is never computed from a guessed year.
	UnconfirmedYears []models.CalendarYear
	MissingNextYear  int
	// Dashboard is the overview of the user's scope, for the roles that
	// may view it (handlers/dashboard.go).
	Dashboard *DashboardView
}

// showStaffHome serves GET /staff: what the user's roles open.
func (h *Handler) showStaffHome(c *gin.Context) error {
	u := staffUser(c)
	page := StaffHomePage{BasePage: h.basePage(c, "staff")}
	for _, l := range page.StaffNav {
		if l.Key != "staff" {
			page.Links = append(page.Links, l)
		}
	}
	if models.CanRoute(u, models.ActionManageCalendar) {
		years, err := h.store.CalendarYears(c.Request.Context())
		if err != nil {
			return err
		}
		next := h.store.Today().Year() + 1
		page.MissingNextYear = next
		for _, y := range years {
			if y.Status == models.YearUnconfirmed {
				page.UnconfirmedYears = append(page.UnconfirmedYears, y)
			}
			if y.Year == next {
				page.MissingNextYear = 0
			}
		}
	}
	if models.CanRoute(u, models.ActionViewDashboard) {
		var err error
		if page.Dashboard, err = h.dashboard(c); err != nil {
			return err
		}
	}
	return h.renderPage(c, http.StatusOK, "staff/home", page)
}

// FindApplicationPage is the data of the look-up by number.
type FindApplicationPage struct {
	BasePage
	Number string
	Form   FormState
}

// findApplication serves GET /staff/applications: open an application by
// its number. (The office's search and lists come with the dashboard.)
func (h *Handler) findApplication(c *gin.Context) error {
	page := FindApplicationPage{BasePage: h.basePage(c, "applications"), Number: trimSpace(c.Query("number"))}
	if page.Number == "" {
		if _, asked := c.GetQuery("number"); asked {
			page.Form = formState(models.Invalid(models.FieldError{Field: "number", Message: "请填写申请编号。"}), "number")
			return h.renderPage(c, http.StatusUnprocessableEntity, "staff/applications/find", page)
		}
		return h.renderPage(c, http.StatusOK, "staff/applications/find", page)
	}
	code, year, seq, err := models.ParseApplicationNumber(page.Number)
	if err != nil {
		page.Form = formState(models.Invalid(models.FieldError{Field: "number", Message: models.ErrorMessage(err)}), "number")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/applications/find", page)
	}
	c.Redirect(http.StatusSeeOther, "/staff/applications/"+models.ApplicationNumber(code, year, seq))
	return nil
}

// ApplicantView is the applicant as the staff page shows them: identity
// and contact data masked unless revealed.
type ApplicantView struct {
	Kind          string
	Organisation  bool
	Name          string
	IDType        string
	IDNumber      string
	CreditCode    string
	LegalRep      string
	ContactPerson string
	Phone         string
	Email         string
	Address       string
	PostCode      string
	AgentName     string
	AgentIDType   string
	AgentIDNumber string
	AgentPhone    string
}

// hidden stands for a value that is not shown masked at all.
const hidden = "（已隐藏）"

func applicantView(a *models.Applicant, reveal bool) ApplicantView {
	v := ApplicantView{Kind: a.Kind.Label(), Organisation: a.Kind.IsOrganisation(), Name: a.Name,
		IDType: a.IDType.Label(), CreditCode: a.CreditCode, LegalRep: a.LegalRep, ContactPerson: a.ContactPerson,
		AgentName: a.AgentName, AgentIDType: a.AgentIDType.Label()}
	if reveal {
		v.IDNumber, v.Phone, v.Email, v.Address, v.PostCode = a.IDNumber, a.Phone, a.Email, a.Address, a.PostCode
		v.AgentIDNumber, v.AgentPhone = a.AgentIDNumber, a.AgentPhone
		return v
	}
	// rules.md §7.3: masked by default; the full value only on an audited
	// reveal.
	v.IDNumber, v.Phone, v.Email = models.MaskIDNumber(a.IDNumber), models.MaskPhone(a.Phone), models.MaskEmail(a.Email)
	v.AgentIDNumber, v.AgentPhone = models.MaskIDNumber(a.AgentIDNumber), models.MaskPhone(a.AgentPhone)
	if a.Address != "" {
		v.Address = hidden
	}
	if a.PostCode != "" {
		v.PostCode = hidden
	}
	return v
}

// revealedFields names the personal fields a reveal shows, for the trail.
func revealedFields(a *models.Applicant) []string {
	var out []string
	for _, f := range []struct{ name, value string }{
		{"id_number", a.IDNumber}, {"phone", a.Phone}, {"email", a.Email}, {"address", a.Address},
		{"post_code", a.PostCode}, {"agent_id_number", a.AgentIDNumber}, {"agent_phone", a.AgentPhone},
	} {
		if f.value != "" {
			out = append(out, f.name)
		}
	}
	return out
}

// EventView is one ledger entry on the staff timeline.
type EventView struct {
	Seq        int
	Label      string
	On         models.Date
	RecordedAt time.Time
	Actor      string
	Details    []string
}

// StaffApplicationPage is the data of the staff view of an application.
type StaffApplicationPage struct {
	BasePage
	App            *models.Application
	Applicant      ApplicantView
	Revealed       bool
	CanReveal      bool
	LeadSection    string
	AssistSections []string
	Events         []EventView
	Clock          *models.Clock
	ClockProblem   string

	// Steps are the actions the user may take now (the step pages).
	Steps []StepLink
	// Sections are the sections on the application with their internal
	// due dates.
	Sections []AssignmentView
	Notices  []*store.Notice
	// Related are the hints for 重复申请 (条例第三十六条第（六）项) and for
	// applications beyond a reasonable volume (第三十五条): the same
	// applicant's applications and similar requests. Shown to the office
	// only; never a decision.
	Related     []models.RelatedApplication
	ShowRelated bool
	VolumeMonth int
	VolumeYear  int
	// Missing are the particulars the record lacks (a paper application),
	// to ask for in a correction notice.
	Missing  []string
	CanFiles bool
	// Answer is the answer panel (answers.go): where the answer stands and
	// what the user may do with it.
	Answer *AnswerPanel
}

// StepLink is a step the user may take on the application.
type StepLink struct {
	Href  string
	Label string
}

// showStaffApplication serves GET /staff/applications/:number. A section
// user may open only their sections' applications: any other is refused
// with 403 and the attempt is audited. The view itself is audited too: it
// shows the applicant's name.
func (h *Handler) showStaffApplication(c *gin.Context) error {
	return h.staffApplication(c, false)
}

// revealApplicant serves POST /staff/applications/:number/reveal: the same
// page with the applicant's identity and contact data in full, for the
// roles allowed to see them, recorded in the audit trail.
func (h *Handler) revealApplicant(c *gin.Context) error {
	return h.staffApplication(c, true)
}

func (h *Handler) staffApplication(c *gin.Context, reveal bool) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	var actions []models.Action
	if reveal {
		actions = append(actions, models.ActionRevealPersonalData)
	}
	cc, err := h.loadCase(c, actions...)
	if err != nil {
		return err
	}
	app, events, life, obj := cc.app, cc.events, cc.life, cc.obj
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return err
	}
	entry := models.AuditEntry{AgencyID: app.AgencyID, Action: models.AuditApplicationViewed,
		ObjectType: models.AuditObjectApplication, ObjectID: app.Number}
	if reveal {
		entry.Action = models.AuditPersonalDataViewed
		entry.After = models.AuditData(map[string]any{"fields": revealedFields(applicant)})
	}
	if err := h.store.RecordAudit(ctx, entry); err != nil {
		return err
	}

	page := StaffApplicationPage{BasePage: h.basePage(c, "applications"), App: app,
		Applicant: applicantView(applicant, reveal), Revealed: reveal, CanReveal: models.Can(u, models.ActionRevealPersonalData, obj),
		CanFiles: models.Can(u, models.ActionRevealPersonalData, obj)}
	sections, err := h.store.Sections(ctx, app.AgencyID)
	if err != nil {
		return err
	}
	names := sectionNames(sections)
	page.LeadSection = names[life.SectionID]
	for _, id := range life.AssistSectionIDs {
		page.AssistSections = append(page.AssistSections, names[id])
	}
	users, err := h.store.Users(ctx, app.AgencyID)
	if err != nil {
		return err
	}
	staff := map[int64]string{}
	for _, x := range users {
		staff[x.ID] = x.DisplayName
	}
	for _, e := range events {
		page.Events = append(page.Events, EventView{Seq: e.Seq, Label: e.Kind.Label(), On: e.On, RecordedAt: e.RecordedAt,
			Actor: actorLabel(e, staff), Details: eventDetails(e, names)})
	}
	clock, err := h.store.Clock(ctx, app)
	switch {
	case err == nil:
		page.Clock = &clock
	case models.ErrorCode(err) == models.EINTERNAL:
		return err
	default:
		page.ClockProblem = models.ErrorMessage(err)
	}
	page.Sections = assignmentViews(life, page.Clock, names)
	if page.Notices, err = h.store.Notices(ctx, app.ID); err != nil {
		return err
	}
	page.Steps = availableSteps(cc, page.Clock, page.Notices)
	ans, err := h.store.Answer(ctx, app, events)
	if err != nil {
		return err
	}
	page.Answer = h.answerPanel(&answerCase{caseContext: cc, answer: ans, sections: names, staff: staff})
	if life.Status.Open() && app.Channel != models.ChannelOnline {
		page.Missing = models.MissingParticulars(applicant, app)
	}
	if models.ScopeOf(u, models.ActionViewApplication).Agency {
		page.ShowRelated = true
		same, err := h.store.ApplicantApplications(ctx, app)
		if err != nil {
			return err
		}
		recent, err := h.store.RecentApplications(ctx, app.AgencyID, app.SubmittedAt.AddDate(-1, 0, 0), 500)
		if err != nil {
			return err
		}
		mine := map[int64]bool{}
		for _, a := range same {
			mine[a.ID] = true
		}
		candidates := append(same, recent...)
		seen := map[int64]bool{}
		var unique []*models.Application
		for _, a := range candidates {
			if !seen[a.ID] {
				seen[a.ID] = true
				unique = append(unique, a)
			}
		}
		page.Related = models.RelatedApplications(app, unique, func(a *models.Application) bool { return mine[a.ID] }, 5)
		page.VolumeMonth, page.VolumeYear = models.ApplicantVolume(app, same, h.cfg.Location)
	}
	return h.renderPage(c, http.StatusOK, "staff/applications/show", page)
}

// availableSteps lists the steps the user may take on the application in
// its present state, in the order of stepOrder. The step pages and the
// ledger check again; this only decides which links to offer.
func availableSteps(cc *caseContext, clock *models.Clock, notices []*store.Notice) []StepLink {
	life, events := cc.life, cc.events
	received := !life.ReceivedOn.IsZero()
	open := life.Status.Open()
	working := received && open && life.Status != models.StatusCorrecting
	extended := clock != nil && clock.Extended
	delayed := models.LastEvent(events, models.EventDelayedDeadlineSet) != nil
	asked := models.LastEvent(events, models.EventExplanationRequested) != nil
	pendingExt := models.PendingExtensionRequest(events) != nil
	undelivered := false
	for _, n := range notices {
		undelivered = undelivered || !n.Delivered()
	}
	mySection := false
	for _, a := range life.Assignments {
		mySection = mySection || containsID(cc.user.SectionIDs, a.SectionID)
	}
	ok := map[string]bool{
		"confirm":            life.Status == models.StatusPending,
		"route":              received && open,
		"return":             received && open && mySection,
		"correction":         life.Status == models.StatusProcessing && !extended && !delayed,
		"corrected":          life.Status == models.StatusCorrecting,
		"consultation":       working,
		"consultation-reply": received && open && len(models.UnansweredConsultations(events)) > 0,
		"fee":                working && life.Status != models.StatusAwaitingFee && models.LastEvent(events, models.EventFeeNoticeSent) == nil,
		"fee-paid":           life.Status == models.StatusAwaitingFee,
		"extension":          working && !extended && !delayed && !pendingExt,
		"extension-decide":   working && pendingExt,
		"explanation":        working && !asked,
		"explained":          life.Status == models.StatusExplaining,
		"excessive":          working && asked && !delayed,
		"delivery":           undelivered,
	}
	var out []StepLink
	for _, name := range stepOrder {
		if ok[name] && models.Can(cc.user, steps[name].action, cc.obj) {
			out = append(out, StepLink{Href: strings.Replace(stepPath(name), ":number", cc.app.Number, 1), Label: steps[name].heading})
		}
	}
	return out
}

func actorLabel(e models.Event, staff map[int64]string) string {
	switch e.ActorKind {
	case models.ActorApplicant:
		return "申请人"
	case models.ActorSystem:
		return "系统"
	case models.ActorPlatform:
		return "对接平台"
	case models.ActorStaff:
		if n, ok := staff[e.ActorID]; ok {
			return n
		}
		return "工作人员"
	}
	return ""
}

// eventDetails says in Chinese what an event's data holds.
func eventDetails(e models.Event, sections map[int64]string) []string {
	d := e.Data
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if d.Channel != "" {
		add("渠道：%s", d.Channel.Label())
	}
	if d.SectionID != 0 {
		role := ""
		switch d.Role {
		case models.RoleLead:
			role = "（主办）"
		case models.RoleAssist:
			role = "（协办）"
		}
		add("科室：%s%s", sections[d.SectionID], role)
	}
	if d.FromSectionID != 0 {
		add("原科室：%s", sections[d.FromSectionID])
	}
	if !d.InternalDueOn.IsZero() {
		add("内部办理期限：%s", d.InternalDueOn.Chinese())
	}
	for i, item := range d.Items {
		add("补正事项%d：%s", i+1, item)
	}
	if !d.DueOn.IsZero() {
		add("期限：%s", d.DueOn.Chinese())
	}
	if d.Party != "" {
		kind := ""
		switch d.PartyKind {
		case models.PartyThirdParty:
			kind = "（第三方）"
		case models.PartyCoProducer:
			kind = "（共同制作机关）"
		}
		add("被征求意见方：%s%s", d.Party, kind)
	}
	if d.Ref != 0 {
		add("对应第%d条记录", d.Ref)
	}
	switch d.Opinion {
	case "agree":
		add("意见：同意公开")
	case "object":
		add("意见：不同意公开")
	}
	if d.FeeMethod != "" {
		add("计收方式：%s，计费数量：%d", d.FeeMethod.Label(), d.Units)
	}
	if d.Days != 0 {
		add("工作日数：%d", d.Days)
	}
	if d.AmountFen != 0 {
		add("金额：%d.%02d元", d.AmountFen/100, d.AmountFen%100)
	}
	if d.Outcome != "" {
		add("答复结果：%s", d.Outcome.Label())
	}
	if !d.OldDueOn.IsZero() || !d.NewDueOn.IsZero() {
		add("答复期限：%s → %s", d.OldDueOn.Chinese(), d.NewDueOn.Chinese())
	}
	if d.Reason != "" {
		add("理由：%s", d.Reason)
	}
	if d.Comment != "" {
		add("说明：%s", d.Comment)
	}
	return out
}
