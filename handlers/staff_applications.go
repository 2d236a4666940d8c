package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// StaffHomePage is the data of the staff start page.
type StaffHomePage struct {
	BasePage
	Links []NavLink
	// UnconfirmedYears and MissingNextYear alert administrators to the
	// calendar: a deadline is never computed from a guessed year.
	UnconfirmedYears []models.CalendarYear
	MissingNextYear  int
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
	number := strings.ToUpper(c.Param("number"))
	if _, _, _, err := models.ParseApplicationNumber(number); err != nil {
		return models.Errorf(models.ENOTFOUND, "未找到编号为 %s 的申请。", number)
	}
	app, err := h.store.ApplicationByNumber(ctx, number)
	if models.ErrorCode(err) == models.ENOTFOUND || (err == nil && app.AgencyID != u.AgencyID) {
		return models.Errorf(models.ENOTFOUND, "未找到编号为 %s 的申请。", number)
	}
	if err != nil {
		return err
	}
	events, err := h.store.Events(ctx, app.ID)
	if err != nil {
		return err
	}
	life, err := models.Lifecycle(events)
	if err != nil {
		return err
	}
	obj := models.ApplicationObject(app, life.AssistSectionIDs)
	if err := h.can(c, models.ActionViewApplication, obj, models.AuditObjectApplication, app.Number); err != nil {
		return err
	}
	action := models.ActionViewApplication
	if reveal {
		action = models.ActionRevealPersonalData
		if err := h.can(c, action, obj, models.AuditObjectApplication, app.Number); err != nil {
			return err
		}
	}
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
		Applicant: applicantView(applicant, reveal), Revealed: reveal, CanReveal: models.Can(u, models.ActionRevealPersonalData, obj)}
	sections, err := h.store.Sections(ctx, app.AgencyID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, s := range sections {
		names[s.ID] = s.Name
	}
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
	return h.renderPage(c, http.StatusOK, "staff/applications/show", page)
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
		add("被征求意见方：%s", d.Party)
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
