package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// pauseRows is how many consultation or fee pauses the calculator form
// offers.
const pauseRows = 3

// PauseRow is one pause of the calculator form, as typed.
type PauseRow struct {
	N        int
	From, To string
}

// DeadlinePage is the data of the deadline calculator.
type DeadlinePage struct {
	BasePage
	Received  string
	Corrected string
	Pauses    []PauseRow
	Extend    bool
	Form      FormState
	Clock     *models.Clock
	// Rules are the agency's clock settings the result used.
	Rules models.ClockRules
}

// showDeadline serves GET /staff/deadline: the staff deadline calculator.
// It runs models.ComputeDeadline, the engine of `portal deadline` and of
// every stored due date, on the database's calendar and the agency's clock
// rules (条例第三十条、第三十一条、第三十三条). It is a GET form so that a
// result can be bookmarked or sent to a colleague.
func (h *Handler) showDeadline(c *gin.Context) error {
	ctx := c.Request.Context()
	page := DeadlinePage{BasePage: h.basePage(c, "deadline"), Received: trimSpace(c.Query("received")),
		Corrected: trimSpace(c.Query("corrected")), Extend: c.Query("extend") == "1"}
	for i := 1; i <= pauseRows; i++ {
		page.Pauses = append(page.Pauses, PauseRow{N: i, From: trimSpace(c.Query(fmt.Sprintf("pause_from_%d", i))),
			To: trimSpace(c.Query(fmt.Sprintf("pause_to_%d", i)))})
	}
	rules, err := h.store.ClockRules(ctx, staffUser(c).AgencyID)
	if err != nil {
		return err
	}
	page.Rules = rules
	if _, asked := c.GetQuery("received"); !asked {
		return h.renderPage(c, http.StatusOK, "staff/deadline", page)
	}

	var fe []models.FieldError
	date := func(field, value string, required bool) models.Date {
		if value == "" {
			if required {
				fe = append(fe, models.FieldError{Field: field, Message: "请填写收到申请的日期。"})
			}
			return models.Date{}
		}
		d, err := models.ParseDate(value)
		if err != nil {
			fe = append(fe, models.FieldError{Field: field, Message: "日期应写作YYYY-MM-DD，例如2026-02-10。"})
		}
		return d
	}
	received := date("received", page.Received, true)
	corrected := date("corrected", page.Corrected, false)
	var pauses []models.DateRange
	for _, p := range page.Pauses {
		if p.From == "" && p.To == "" {
			continue
		}
		from := date(fmt.Sprintf("pause_from_%d", p.N), p.From, false)
		to := date(fmt.Sprintf("pause_to_%d", p.N), p.To, false)
		switch {
		case p.From == "":
			fe = append(fe, models.FieldError{Field: fmt.Sprintf("pause_from_%d", p.N), Message: fmt.Sprintf("请填写第%d段暂停的起始日期。", p.N)})
		case p.To == "":
			fe = append(fe, models.FieldError{Field: fmt.Sprintf("pause_to_%d", p.N), Message: fmt.Sprintf("请填写第%d段暂停的结束日期。", p.N)})
		case !from.IsZero() && !to.IsZero():
			pauses = append(pauses, models.DateRange{From: from, To: to})
		}
	}
	order := []string{"received", "corrected"}
	for i := 1; i <= pauseRows; i++ {
		order = append(order, fmt.Sprintf("pause_from_%d", i), fmt.Sprintf("pause_to_%d", i))
	}
	if len(fe) > 0 {
		page.Form = formState(models.Invalid(fe...), order...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/deadline", page)
	}
	cal, err := h.store.Calendar(ctx)
	if err != nil {
		return err
	}
	clock, err := models.ComputeDeadline(cal, rules, received, corrected, pauses, page.Extend)
	if err != nil {
		if models.ErrorCode(err) == models.EINTERNAL {
			return err
		}
		// ComputeDeadline names the pauses field for any pause; the form
		// shows it on the first pause row.
		if fes := models.FieldErrors(err); fes["pauses"] != "" {
			err = models.Invalid(models.FieldError{Field: "pause_from_1", Message: fes["pauses"]})
		}
		page.Form = formState(err, order...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/deadline", page)
	}
	page.Clock = &clock
	return h.renderPage(c, http.StatusOK, "staff/deadline", page)
}
