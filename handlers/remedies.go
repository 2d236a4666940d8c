package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// Reconsideration and litigation (条例第五十一条; models/remedy.go): the
// office records an applicant's 行政复议 or 行政诉讼 (directly, or after a
// reconsideration) with its filing date and case number, and later its
// result (维持、纠正、其他) and date; pending cases count as 尚未审结 in
// table 四 of the annual report.

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/applications/:number/remedies", need(models.ActionRecordRemedy), (*Handler).showRemedies},
		staffRoute{"POST", "/staff/applications/:number/remedies", need(models.ActionRecordRemedy), (*Handler).postRemedy},
		staffRoute{"POST", "/staff/applications/:number/remedies/conclude", need(models.ActionRecordRemedy), (*Handler).postRemedyConclusion},
	)
}

// RemedyView is one reconsideration or lawsuit on a page.
type RemedyView struct {
	Seq         int
	Kind        string
	FiledOn     models.Date
	CaseRef     string
	Result      string
	ConcludedOn models.Date
	Pending     bool
	Comment     string
}

// remedyViews lists the application's reconsiderations and lawsuits in the
// order recorded, each with its result once concluded.
func remedyViews(app *models.Application, events []models.Event) []RemedyView {
	cases := models.RemedyCasesOf(app.Number, events)
	var out []RemedyView
	i := 0
	for _, e := range events {
		if e.Kind != models.EventReconsiderationRecorded && e.Kind != models.EventLitigationRecorded {
			continue
		}
		c := cases[i]
		i++
		out = append(out, RemedyView{Seq: e.Seq, Kind: c.Kind.Label(), FiledOn: c.FiledOn, CaseRef: e.Data.CaseRef,
			Result: c.Result.Label(), ConcludedOn: c.ConcludedOn, Pending: c.Result == "", Comment: e.Data.Comment})
	}
	return out
}

// RemediesPage is the data of the remedies page.
type RemediesPage struct {
	BasePage
	App     *models.Application
	Cases   []RemedyView
	Pending []option
	Kinds   []option
	Results []option
	Form    FormState
	V       map[string]string
	// Concluding is true when the form in error is the conclusion's.
	Concluding bool
}

func (h *Handler) remediesPage(c *gin.Context, cc *caseContext) RemediesPage {
	p := RemediesPage{BasePage: h.basePage(c, "applications"), App: cc.app, Cases: remedyViews(cc.app, cc.events),
		Kinds: options(models.RemedyKinds, models.RemedyKind.Label),
		V: map[string]string{models.RemedyFieldKind: "", models.RemedyFieldFiledOn: "", models.RemedyFieldCaseRef: "",
			models.RemedyFieldResult: "", models.RemedyFieldConcludedOn: "", models.RemedyFieldComment: "",
			"ref": "", "c_result": "", "c_concluded_on": ""}}
	p.Results = append([]option{{"value": "", "label": "尚未审结"}}, options(models.RemedyResults, models.RemedyResult.Label)...)
	for _, r := range p.Cases {
		if r.Pending {
			p.Pending = append(p.Pending, option{"value": strconv.Itoa(r.Seq), "label": r.Kind + " " + r.CaseRef + "（" + r.FiledOn.Chinese() + "）"})
		}
	}
	if len(p.Pending) == 1 {
		p.V["ref"] = p.Pending[0]["value"]
	}
	return p
}

// showRemedies serves GET /staff/applications/:number/remedies.
func (h *Handler) showRemedies(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordRemedy)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/remedies", h.remediesPage(c, cc))
}

// remediesAgain re-renders the page with what was typed.
func (h *Handler) remediesAgain(c *gin.Context, err error, concluding bool, fields ...string) error {
	return h.stepFailed(c, err, func(FormState) error {
		cc, lerr := h.loadCase(c)
		if lerr != nil {
			return lerr
		}
		p := h.remediesPage(c, cc)
		for k := range p.V {
			if v, ok := c.GetPostForm(k); ok {
				p.V[k] = v
			}
		}
		p.Concluding = concluding
		p.Form = formState(err, fields...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/remedies", p)
	})
}

// postRemedy serves POST …/remedies: a new reconsideration or lawsuit,
// with its result when already concluded.
func (h *Handler) postRemedy(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordRemedy)
	if err != nil {
		return err
	}
	fields := []string{models.RemedyFieldKind, models.RemedyFieldFiledOn, models.RemedyFieldCaseRef, models.RemedyFieldResult,
		models.RemedyFieldConcludedOn, models.RemedyFieldComment}
	filed, ferr := postedDate(c, models.RemedyFieldFiledOn)
	concluded, cerr := postedDate(c, models.RemedyFieldConcludedOn)
	if err := firstErr(ferr, cerr); err != nil {
		return h.remediesAgain(c, err, false, fields...)
	}
	rec := models.RemedyRecord{Kind: models.RemedyKind(formValue(c, models.RemedyFieldKind)), FiledOn: filed,
		CaseRef: c.PostForm(models.RemedyFieldCaseRef), Result: models.RemedyResult(formValue(c, models.RemedyFieldResult)),
		ConcludedOn: concluded, Comment: c.PostForm(models.RemedyFieldComment)}
	e, err := h.store.RecordRemedy(c.Request.Context(), store.RemedyInput{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		User: cc.user, Record: rec})
	if err != nil {
		return h.remediesAgain(c, err, false, fields...)
	}
	h.setFlash(c, "success", "已登记"+rec.Kind.Label()+"（案号"+e.Data.CaseRef+"）。")
	c.Redirect(http.StatusSeeOther, "/staff/applications/"+cc.app.Number+"/remedies")
	return nil
}

// postRemedyConclusion serves POST …/remedies/conclude: the result of a
// pending case.
func (h *Handler) postRemedyConclusion(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRecordRemedy)
	if err != nil {
		return err
	}
	fields := []string{"ref", "c_result", "c_concluded_on"}
	on, derr := postedDate(c, "c_concluded_on")
	if derr != nil {
		return h.remediesAgain(c, derr, true, fields...)
	}
	ref, _ := strconv.Atoi(formValue(c, "ref"))
	_, err = h.store.ConcludeRemedy(c.Request.Context(), store.RemedyConclusion{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID,
		User: cc.user, Ref: ref, Result: models.RemedyResult(formValue(c, "c_result")), ConcludedOn: on})
	if err != nil {
		// The record's messages name its own fields; the form's carry a
		// prefix.
		if fe := models.FieldErrorList(err); len(fe) > 0 {
			for i := range fe {
				switch fe[i].Field {
				case models.RemedyFieldResult:
					fe[i].Field = "c_result"
				case models.RemedyFieldConcludedOn:
					fe[i].Field = "c_concluded_on"
				}
			}
			err = models.Invalid(fe...)
		}
		return h.remediesAgain(c, err, true, fields...)
	}
	h.setFlash(c, "success", "已登记审结结果。")
	c.Redirect(http.StatusSeeOther, "/staff/applications/"+cc.app.Number+"/remedies")
	return nil
}
