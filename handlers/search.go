package handlers

// Staff search and the case register (台账, issue 8): GET /staff/search
// finds applications by number, applicant, request text, section, status,
// outcome and dates within the user's scope (a section's staff reach only
// their sections' applications: store.SearchApplications filters in SQL);
// GET /staff/search/register.xlsx exports the same selection as a
// workbook, streamed from the store's cursor. Applicants who are natural
// persons are shown masked on the page and in the workbook, unless the
// user may see personal data unmasked for every application the export
// reaches; every export is recorded in the audit trail with its search.

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/reports"
)

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/search", need(models.ActionSearchApplications), (*Handler).showSearch},
		staffRoute{"GET", "/staff/search/register.xlsx", need(models.ActionExportRegister), (*Handler).exportRegister},
	)
}

// searchForm is the search as the query string carries it.
type searchForm struct {
	Number, Applicant, Text, Section, Status, Outcome string
	ReceivedFrom, ReceivedTo, ClosedFrom, ClosedTo    string
	Page                                              int
}

// searchFields are the form's fields, top to bottom.
var searchFields = []string{"number", "applicant", "text", "section", "status", "outcome",
	"received_from", "received_to", "closed_from", "closed_to"}

func readSearchForm(c *gin.Context) searchForm {
	f := searchForm{Number: trimSpace(c.Query("number")), Applicant: trimSpace(c.Query("applicant")),
		Text: trimSpace(c.Query("text")), Section: c.Query("section"), Status: c.Query("status"),
		Outcome: c.Query("outcome"), ReceivedFrom: trimSpace(c.Query("received_from")),
		ReceivedTo: trimSpace(c.Query("received_to")), ClosedFrom: trimSpace(c.Query("closed_from")),
		ClosedTo: trimSpace(c.Query("closed_to")), Page: 1}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		f.Page = n
	}
	return f
}

// values returns the form as a query string without empty fields and the
// first page.
func (f searchForm) values(page int) url.Values {
	fields := map[string]string{}
	for i, s := range []string{f.Number, f.Applicant, f.Text, f.Section, f.Status, f.Outcome,
		f.ReceivedFrom, f.ReceivedTo, f.ClosedFrom, f.ClosedTo} {
		fields[searchFields[i]] = s
	}
	return pageValues(fields, page)
}

// query turns the form into a store query; sections are the ones the user
// may choose.
func (f searchForm) query(agencyID int64, sections []int64) (models.ApplicationQuery, error) {
	q := models.ApplicationQuery{AgencyID: agencyID, Number: f.Number, Applicant: f.Applicant, Text: f.Text,
		Status: models.Status(f.Status), Outcome: models.Outcome(f.Outcome), Page: f.Page}
	var fe []models.FieldError
	if f.Section != "" {
		id, err := strconv.ParseInt(f.Section, 10, 64)
		if err != nil || !slices.Contains(sections, id) {
			fe = append(fe, models.FieldError{Field: "section", Message: "所选科室无效。"})
		}
		q.SectionID = id
	}
	for _, d := range []struct {
		field, value string
		dst          *models.Date
	}{{"received_from", f.ReceivedFrom, &q.ReceivedFrom}, {"received_to", f.ReceivedTo, &q.ReceivedTo},
		{"closed_from", f.ClosedFrom, &q.ClosedFrom}, {"closed_to", f.ClosedTo, &q.ClosedTo}} {
		if d.value == "" {
			continue
		}
		v, err := models.ParseDate(d.value)
		if err != nil {
			fe = append(fe, models.FieldError{Field: d.field, Message: "日期应写作YYYY-MM-DD，例如2026-02-10。"})
		}
		*d.dst = v
	}
	err := q.Normalize()
	if len(fe) > 0 {
		var e *models.Error
		if asError(err, &e) {
			fe = append(fe, e.Fields...)
		}
		return q, models.Invalid(fe...)
	}
	return q, err
}

// SearchRowView is one application in the results.
type SearchRowView struct {
	App       *models.Application
	Applicant string // masked for natural persons
	Kind      string
	Section   string
}

// SearchPage is the data of the search page.
type SearchPage struct {
	BasePage
	F         searchForm
	Form      FormState
	Sectional bool
	Sections  []map[string]string
	Statuses  []map[string]string
	Outcomes  []map[string]string
	Criteria  string
	Rows      []SearchRowView
	Total     int
	More      bool
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	ExportURL string // empty when the user may not export
	Unmasked  bool   // the export shows applicants' names in full
}

// searchOptions fills the choices of the form: the sections in the user's
// scope, every status and outcome.
func (h *Handler) searchOptions(c *gin.Context, page *SearchPage, scope models.AccessScope) (map[int64]string, []int64, error) {
	sections, err := h.store.Sections(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return nil, nil, err
	}
	names := sectionNames(sections)
	var allowed []int64
	for _, s := range sections {
		if scope.Agency || slices.Contains(scope.SectionIDs, s.ID) {
			allowed = append(allowed, s.ID)
			page.Sections = append(page.Sections, auditOption(strconv.FormatInt(s.ID, 10), s.Name))
		}
	}
	for _, st := range models.Statuses {
		page.Statuses = append(page.Statuses, auditOption(string(st), st.Label()))
	}
	for _, o := range models.Outcomes {
		page.Outcomes = append(page.Outcomes, auditOption(string(o.Outcome), o.Label))
	}
	return names, allowed, nil
}

// showSearch serves GET /staff/search: the applications in the user's
// scope that match the form, newest first, 50 a page.
func (h *Handler) showSearch(c *gin.Context) error {
	u := staffUser(c)
	scope := models.ScopeOf(u, models.ActionSearchApplications)
	page := SearchPage{BasePage: h.basePage(c, "search"), F: readSearchForm(c), Sectional: !scope.Agency}
	names, allowed, err := h.searchOptions(c, &page, scope)
	if err != nil {
		return err
	}
	q, err := page.F.query(u.AgencyID, allowed)
	if models.ErrorCode(err) == models.EINVALID {
		page.Form = formState(err, searchFields...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/search", page)
	}
	if err != nil {
		return err
	}
	res, err := h.store.SearchApplications(c.Request.Context(), q, scope)
	if err != nil {
		return err
	}
	page.Criteria = q.Describe(func(id int64) string { return names[id] })
	page.Total, page.More, page.Page, page.Pages = res.Total, res.More, res.Page, res.Pages
	for _, r := range res.Rows {
		page.Rows = append(page.Rows, SearchRowView{App: r.App, Kind: r.ApplicantKind.Label(),
			Applicant: models.RegisterApplicant(r.ApplicantKind, r.ApplicantName, false), Section: names[r.App.SectionID]})
	}
	if res.Page > 1 {
		page.PrevURL = withQuery("/staff/search", page.F.values(res.Page-1))
	}
	if res.Page < res.Pages {
		page.NextURL = withQuery("/staff/search", page.F.values(res.Page+1))
	}
	if models.CanRoute(u, models.ActionExportRegister) {
		page.ExportURL = withQuery("/staff/search/register.xlsx", page.F.values(1))
		page.Unmasked = registerUnmasked(u)
	}
	return h.renderPage(c, http.StatusOK, "staff/search", page)
}

// registerUnmasked reports whether u's register shows applicants' names
// in full: only when u may see personal data unmasked on every
// application the export can reach (个人信息保护法第五十一条).
func registerUnmasked(u *models.User) bool {
	return models.ScopeCovers(models.ScopeOf(u, models.ActionRevealPersonalData), models.ScopeOf(u, models.ActionExportRegister))
}

// exportRegister serves GET /staff/search/register.xlsx: the register of
// the search in the query string, within the user's export scope. The
// export is recorded in the audit trail before the first byte is sent.
func (h *Handler) exportRegister(c *gin.Context) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	scope := models.ScopeOf(u, models.ActionExportRegister)
	var page SearchPage
	names, allowed, err := h.searchOptions(c, &page, scope)
	if err != nil {
		return err
	}
	f := readSearchForm(c)
	q, err := f.query(u.AgencyID, allowed)
	if err != nil {
		return err
	}
	agency, err := h.store.Agency(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	unmasked := registerUnmasked(u)
	criteria := q.Describe(func(id int64) string { return names[id] })
	audit := q.AuditFields()
	audit["criteria"], audit["unmasked"], audit["scope_sections"] = criteria, unmasked, scope.SectionIDs
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditRegisterExported,
		ObjectType: models.AuditObjectApplication, After: models.AuditData(audit)}); err != nil {
		return err
	}
	now := h.store.Now()
	doc := reports.RegisterDoc{Agency: *agency, Criteria: criteria, Unmasked: unmasked, CreatedAt: now}
	rows := func(yield func(*models.RegisterRow) error) error {
		return h.store.EachRegisterRow(ctx, q, scope, unmasked, yield)
	}
	name := agency.Name + "政府信息公开申请台账-" + models.DateOf(now, h.cfg.Location).String() + ".xlsx"
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", models.TypeXLSX)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	if _, err := reports.WriteRegisterXLSX(c.Writer, doc, rows); err != nil {
		if c.Writer.Written() {
			h.log.Error("register export failed mid-response", "request_id", requestID(c), "err", err)
			c.Abort()
			return nil
		}
		c.Writer.Header().Del("Content-Disposition")
		return err
	}
	return nil
}
