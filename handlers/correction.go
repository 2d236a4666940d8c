package handlers

import (
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// correctionKind maps the correction form's file input to its kind.
func correctionKind(field string) (models.AttachmentKind, bool) {
	if field == "correction_files" {
		return models.AttachCorrection, true
	}
	return "", false
}

// submitCorrection serves POST /track/correction: the applicant's answer
// to a correction notice (补正, 条例第三十条). The ledger records that the
// corrected application was received today, with its files, in one
// transaction; the answer period restarts from today. Files survive a
// failed attempt the way they do on the application form.
func (h *Handler) submitCorrection(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	in, err := readPostedForm(c)
	if err != nil {
		return err
	}
	token := h.checkFormToken(in.get("form_token"))
	if app.Status != models.StatusCorrecting {
		return h.correctionNotAwaited(c, app)
	}
	var msgs fieldMessages
	if err := h.store.RemoveStagedUploads(ctx, token, in.ids("remove_upload")); err != nil {
		return err
	}
	if err := h.stageUploads(c, app.AgencyID, token, in.files, correctionKind, &msgs); err != nil {
		return err
	}
	if in.tooLarge {
		msgs.add("correction_files", "本次提交的文件合计超过了上限，部分内容未能接收。请每次少选几个文件，分次上传；已上传的文件会保留。")
	}
	staged, err := h.store.StagedUploads(ctx, token)
	if err != nil {
		return err
	}
	form := models.CorrectionForm{Description: in.raw("correction"), CheckGlyphs: reports.MissingGlyphs}
	for _, a := range staged {
		form.Uploads = append(form.Uploads, a.Kind)
	}
	if err := msgs.merge(form.Validate()); err != nil {
		if models.ErrorCode(err) != models.EINVALID {
			return err
		}
		page, perr := h.statusPage(c, app)
		if perr != nil {
			return perr
		}
		page.CorrectionText = in.raw("correction")
		page.CorrectionState = formState(err, "correction", "correction_files")
		page.CorrectionToken = token
		page.Staged = stagedFiles(staged)
		return h.renderPage(c, http.StatusUnprocessableEntity, "track/status", page)
	}
	_, err = h.store.SubmitCorrection(ctx, store.Correction{AgencyID: app.AgencyID, ApplicationID: app.ID,
		Description: form.Description, StagingToken: token})
	if models.ErrorCode(err) == models.ECONFLICT {
		// A second click after the first went through, or staff closed
		// the correction meanwhile; otherwise a concurrent change, which
		// the applicant may simply retry (the staged files are still
		// there: the transaction rolled back).
		if fresh, ferr := h.store.Application(ctx, app.AgencyID, app.ID); ferr == nil && fresh.Status == models.StatusCorrecting {
			return err
		}
		return h.correctionNotAwaited(c, app)
	}
	if err != nil {
		return err
	}
	h.log.Info("correction submitted", "request_id", requestID(c), "number", app.Number, "files", len(staged),
		"chars", utf8.RuneCountInString(form.Description))
	h.setFlash(c, "success", "补正内容已提交。答复期限自今日起重新计算（条例第三十条），请留意办理进度。")
	c.Redirect(http.StatusSeeOther, "/track/status")
	return nil
}

// correctionNotAwaited answers a correction that the ledger does not
// expect any more: back to the status page with the reason.
func (h *Handler) correctionNotAwaited(c *gin.Context, app *models.Application) error {
	fresh, err := h.store.Application(c.Request.Context(), app.AgencyID, app.ID)
	if err != nil {
		return err
	}
	msg := "该申请当前不需要补正（状态：" + fresh.Status.Label() + "）。"
	if events, err := h.store.Events(c.Request.Context(), app.ID); err == nil && len(events) > 0 &&
		events[len(events)-1].Kind == models.EventCorrected {
		msg = "补正内容已经提交，无需重复提交。"
	}
	h.setFlash(c, "info", msg)
	c.Redirect(http.StatusSeeOther, "/track/status")
	return nil
}

// WithdrawPage is the data of the withdrawal confirmation page.
type WithdrawPage struct {
	BasePage
	App    *models.Application
	Reason string
	State  FormState
}

// showWithdraw serves GET /track/withdraw: what withdrawing means, and a
// confirmation.
func (h *Handler) showWithdraw(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	if !app.Status.Open() {
		h.setFlash(c, "info", "该申请已办结（"+app.Status.Label()+"），不能撤回。")
		c.Redirect(http.StatusSeeOther, "/track/status")
		return nil
	}
	return h.renderPage(c, http.StatusOK, "track/withdraw", WithdrawPage{BasePage: h.basePage(c, "track"), App: app})
}

// withdraw serves POST /track/withdraw: the applicant withdraws the
// application (models.EventWithdrawn) after ticking the confirmation.
func (h *Handler) withdraw(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	reason := trimSpace(c.PostForm("reason"))
	var fe []models.FieldError
	if c.PostForm("confirm") != "1" {
		fe = append(fe, models.FieldError{Field: "confirm", Message: "请勾选“我确认撤回该申请”。"})
	}
	if n := utf8.RuneCountInString(reason); n > 500 {
		fe = append(fe, models.FieldError{Field: "reason", Message: "撤回原因最多500个字。"})
	} else if m := reports.MissingGlyphs(reason); len(m) > 0 {
		fe = append(fe, models.FieldError{Field: "reason", Message: "以下字符无法打印：“" + string(m) + "”，请改用常用字。"})
	}
	if len(fe) > 0 {
		return h.renderPage(c, http.StatusUnprocessableEntity, "track/withdraw", WithdrawPage{
			BasePage: h.basePage(c, "track"), App: app, Reason: reason,
			State: formState(models.Invalid(fe...), "reason", "confirm"),
		})
	}
	_, err = h.store.AppendEvent(c.Request.Context(), app.AgencyID, app.ID, models.Event{
		Kind: models.EventWithdrawn, ActorKind: models.ActorApplicant, Data: models.EventData{Reason: reason},
	}, 0)
	if models.ErrorCode(err) == models.ECONFLICT {
		h.setFlash(c, "info", "该申请已办结，不能撤回。")
		c.Redirect(http.StatusSeeOther, "/track/status")
		return nil
	}
	if err != nil {
		return err
	}
	h.log.Info("application withdrawn by the applicant", "request_id", requestID(c), "number", app.Number)
	h.setFlash(c, "success", "您的申请已撤回，本机关将不再处理。如仍需获取该信息，可以重新提交申请。")
	c.Redirect(http.StatusSeeOther, "/track/status")
	return nil
}
