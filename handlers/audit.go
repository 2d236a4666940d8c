package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// auditPerPage is how many entries one page of the audit trail shows.
const auditPerPage = 50

// AuditRow is one entry as the audit page shows it.
type AuditRow struct {
	models.AuditEntry
	ActionLabel string
	ObjectLabel string
}

// auditOption is one choice of a filter, as the "select" partial takes
// it.
func auditOption(value, label string) map[string]string {
	return map[string]string{"value": value, "label": label}
}

// AuditPage is the data of the audit trail page.
type AuditPage struct {
	BasePage
	// The filters, as given.
	Actor, Action, ObjectType, ObjectID, From, To string
	Actors, Actions, ObjectTypes                  []map[string]string
	Rows                                          []AuditRow
	Total, Page, Pages                            int
	PrevURL, NextURL                              string
	Form                                          FormState
}

func (h *Handler) auditOptions(c *gin.Context, page *AuditPage) error {
	users, err := h.store.Users(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return err
	}
	page.Actors = append(page.Actors, auditOption("-1", "系统或未知用户"))
	for _, u := range users {
		page.Actors = append(page.Actors, auditOption(strconv.FormatInt(u.ID, 10), models.ActorName(u)))
	}
	for _, a := range models.AllAuditActions() {
		page.Actions = append(page.Actions, auditOption(string(a), a.Label()))
	}
	for _, t := range []string{models.AuditObjectUser, models.AuditObjectSection, models.AuditObjectAgency,
		models.AuditObjectCalendarYear, models.AuditObjectApplication, models.AuditObjectAuditLog, models.AuditObjectPage,
		models.AuditObjectCatalogEntry, models.AuditObjectAnnualReport, models.AuditObjectAPIToken} {
		page.ObjectTypes = append(page.ObjectTypes, auditOption(t, models.AuditObjectLabel(t)))
	}
	return nil
}

// showAudit serves GET /staff/audit: the agency's audit trail, newest
// first, filtered by actor, action, object and date range, 50 a page.
// Reading the trail is itself recorded.
func (h *Handler) showAudit(c *gin.Context) error {
	u := staffUser(c)
	page := AuditPage{BasePage: h.basePage(c, "audit"), Actor: c.Query("actor"), Action: c.Query("action"),
		ObjectType: c.Query("object_type"), ObjectID: trimSpace(c.Query("object_id")),
		From: trimSpace(c.Query("from")), To: trimSpace(c.Query("to"))}
	if err := h.auditOptions(c, &page); err != nil {
		return err
	}
	f := store.AuditFilter{AgencyID: u.AgencyID, Action: page.Action, ObjectType: page.ObjectType,
		ObjectID: page.ObjectID, PerPage: auditPerPage, Page: 1}
	var fe []models.FieldError
	if page.Actor != "" {
		id, err := strconv.ParseInt(page.Actor, 10, 64)
		if err != nil {
			fe = append(fe, models.FieldError{Field: "actor", Message: "操作人无效。"})
		}
		f.ActorID = id
	}
	for _, d := range []struct {
		field, value string
		dst          *models.Date
	}{{"from", page.From, &f.From}, {"to", page.To, &f.To}} {
		if d.value == "" {
			continue
		}
		v, err := models.ParseDate(d.value)
		if err != nil {
			fe = append(fe, models.FieldError{Field: d.field, Message: "日期应写作YYYY-MM-DD，例如2026-02-10。"})
		}
		*d.dst = v
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		fe = append(fe, models.FieldError{Field: "to", Message: "结束日期不能早于起始日期。"})
	}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		f.Page = n
	}
	if len(fe) > 0 {
		page.Form = formState(models.Invalid(fe...), "actor", "action", "object_type", "object_id", "from", "to")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/audit/index", page)
	}
	entries, total, err := h.store.AuditEntries(c.Request.Context(), f)
	if err != nil {
		return err
	}
	page.Total, page.Page = total, f.Page
	page.Pages = max(1, (total+auditPerPage-1)/auditPerPage)
	for _, e := range entries {
		page.Rows = append(page.Rows, AuditRow{AuditEntry: e, ActionLabel: e.Action.Label(), ObjectLabel: models.AuditObjectLabel(e.ObjectType)})
	}
	link := func(p int) string {
		q := url.Values{}
		for k, v := range map[string]string{"actor": page.Actor, "action": page.Action, "object_type": page.ObjectType,
			"object_id": page.ObjectID, "from": page.From, "to": page.To} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if p > 1 {
			q.Set("page", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return "/staff/audit"
		}
		return "/staff/audit?" + q.Encode()
	}
	if f.Page > 1 {
		page.PrevURL = link(f.Page - 1)
	}
	if f.Page < page.Pages {
		page.NextURL = link(f.Page + 1)
	}
	filters := map[string]any{"page": f.Page}
	for k, v := range map[string]string{"actor": page.Actor, "action": page.Action, "object_type": page.ObjectType,
		"object_id": page.ObjectID, "from": page.From, "to": page.To} {
		if v != "" {
			filters[k] = v
		}
	}
	if err := h.store.RecordAudit(c.Request.Context(), models.AuditEntry{AgencyID: u.AgencyID,
		Action: models.AuditTrailViewed, ObjectType: models.AuditObjectAuditLog, After: models.AuditData(filters)}); err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/audit/index", page)
}

// AuditVerifyPage is the data of the verification result.
type AuditVerifyPage struct {
	BasePage
	Report models.AuditReport
}

// verifyAudit serves POST /staff/audit/verify: the whole chain checked,
// as `portal audit verify` does, and the check recorded.
func (h *Handler) verifyAudit(c *gin.Context) error {
	u := staffUser(c)
	report, err := h.store.VerifyAudit(c.Request.Context())
	if err != nil {
		return err
	}
	result := map[string]any{"ok": report.OK(), "rows": report.Rows, "last_id": report.LastID}
	if report.Break != nil {
		result["first_broken_id"] = report.Break.ID
		result["problem"] = report.Break.Problem
	}
	if err := h.store.RecordAudit(c.Request.Context(), models.AuditEntry{AgencyID: u.AgencyID,
		Action: models.AuditTrailVerified, ObjectType: models.AuditObjectAuditLog, After: models.AuditData(result)}); err != nil {
		return err
	}
	if !report.OK() {
		h.log.Error("audit trail verification failed", "request_id", requestID(c), "first_broken_id", report.Break.ID,
			"problem", string(report.Break.Problem))
	}
	return h.renderPage(c, http.StatusOK, "staff/audit/verify", AuditVerifyPage{BasePage: h.basePage(c, "audit"), Report: report})
}
