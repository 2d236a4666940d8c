package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
)

// Re-send limits: each request counts, so that nobody can flood an
// applicant's phone or mailbox through the form.
var (
	resendPerNumber = store.RateLimit{Max: 3, Window: time.Hour, Lockout: time.Hour}
	resendPerClient = store.RateLimit{Max: 10, Window: time.Hour, Lockout: time.Hour}
)

// lostCodeAnswer is the one answer to every well-formed request: it does
// not say whether the number exists or the contact matched.
const lostCodeAnswer = "如果您填写的申请编号和联系方式与登记信息一致，查询码将发送到登记的手机号码或电子邮箱，请注意查收。" +
	"如长时间未收到，请联系本机关政府信息公开工作机构。"

// LostCodePage is the data of the lost-query-code form.
type LostCodePage struct {
	BasePage
	Number  string
	Contact string
	State   FormState
}

// showLostCode serves GET /track/lost.
func (h *Handler) showLostCode(c *gin.Context) error {
	noStore(c)
	return h.renderPage(c, http.StatusOK, "track/lost", LostCodePage{BasePage: h.basePage(c, "track")})
}

// resendCode serves POST /track/lost: number + the e-mail address or phone
// number on record. When both match, the same query code (never a new one,
// so letters and mails already sent stay valid) goes to that contact, by
// mail or by text message. The code is never shown on screen, and the
// answer is the same whatever happened.
func (h *Handler) resendCode(c *gin.Context) error {
	ctx := c.Request.Context()
	noStore(c)
	number := strings.ToUpper(formValue(c, "number"))
	contact := formValue(c, "contact")
	page := LostCodePage{BasePage: h.basePage(c, "track"), Number: number, Contact: contact}
	var fe []models.FieldError
	if number == "" {
		fe = append(fe, models.FieldError{Field: "number", Message: "请填写申请编号。"})
	} else if _, _, _, err := models.ParseApplicationNumber(number); err != nil {
		fe = append(fe, models.FieldError{Field: "number", Message: models.ErrorMessage(err)})
	}
	if contact == "" {
		fe = append(fe, models.FieldError{Field: "contact", Message: "请填写申请时登记的手机号码或电子邮箱。"})
	}
	if len(fe) > 0 {
		page.State = formState(models.Invalid(fe...), "number", "contact")
		return h.renderPage(c, http.StatusUnprocessableEntity, "track/lost", page)
	}

	byNumber := h.store.RateBucket("resend-number", number)
	byClient := h.store.RateBucket("resend-client", c.ClientIP())
	until, err := h.lockedUntil(c, byNumber, byClient)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		page.State = FormState{Summary: []models.FieldError{{Field: "number",
			Message: "找回查询码的次数过多，请于" + h.clockTime(until) + "后再试，或联系本机关政府信息公开工作机构。"}}}
		return h.renderPage(c, http.StatusTooManyRequests, "track/lost", page)
	}
	for _, b := range []struct {
		bucket string
		limit  store.RateLimit
	}{{byNumber, resendPerNumber}, {byClient, resendPerClient}} {
		if _, err := h.store.RateLimitHit(ctx, b.bucket, b.limit); err != nil {
			return err
		}
	}
	if err := h.sendLostCode(c, number, contact); err != nil {
		return err
	}
	h.setFlash(c, "info", lostCodeAnswer)
	c.Redirect(http.StatusSeeOther, "/track")
	return nil
}

// sendLostCode sends the code when number and contact match the record,
// and does nothing otherwise.
func (h *Handler) sendLostCode(c *gin.Context, number, contact string) error {
	ctx := c.Request.Context()
	agency, err := h.agency(c)
	if err != nil {
		return err
	}
	app, err := h.store.ApplicationByNumber(ctx, number)
	if models.ErrorCode(err) == models.ENOTFOUND || (err == nil && app.AgencyID != agency.ID) {
		return nil
	}
	if err != nil {
		return err
	}
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return err
	}
	via, ok := models.MatchContact(applicant, contact)
	if !ok {
		h.log.Info("query code not re-sent: contact does not match", "request_id", requestID(c))
		return nil
	}
	code, err := h.store.QueryCode(ctx, app.ID)
	if err != nil {
		return err
	}
	h.log.Info("query code re-sent", "request_id", requestID(c), "number", app.Number, "via", via)
	switch via {
	case "email":
		msg := notify.QueryCodeReminder(agency, app, code, h.trackURL())
		to := applicant.Email
		h.notify("query code mail for "+app.Number, func(ctx context.Context) error {
			return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
		})
	case "phone":
		phone, err := models.ValidateMobile(contact)
		if err != nil {
			return nil // a landline cannot receive a text message
		}
		text := notify.QueryCodeSMS(agency, app, code)
		h.notify("query code text for "+app.Number, func(ctx context.Context) error {
			return h.cfg.SMS.SendSMS(ctx, phone, text)
		})
	}
	return nil
}
