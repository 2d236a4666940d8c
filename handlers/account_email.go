package handlers

// A member of staff's own notification address (issue 8): where the
// daily digest of overdue and due-soon work goes. Administrators set it
// on the account form too (admin_users.go).

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/account/email", need(models.ActionChangeOwnPassword), (*Handler).showOwnEmail},
		staffRoute{"POST", "/staff/account/email", need(models.ActionChangeOwnPassword), (*Handler).saveOwnEmail},
	)
}

// OwnEmailPage is the data of the notification address page.
type OwnEmailPage struct {
	BasePage
	Email string
	// Digest says which digest the user's roles get ("" for none).
	Digest models.DigestKind
	Form   FormState
}

func (h *Handler) ownEmailPage(c *gin.Context, email string, form FormState) OwnEmailPage {
	return OwnEmailPage{BasePage: h.basePage(c, "password"), Email: email, Digest: models.DigestKindOf(staffUser(c)), Form: form}
}

// showOwnEmail serves GET /staff/account/email.
func (h *Handler) showOwnEmail(c *gin.Context) error {
	u := staffUser(c)
	email, err := h.store.UserEmail(c.Request.Context(), u.AgencyID, u.ID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/account/email", h.ownEmailPage(c, email, FormState{}))
}

// saveOwnEmail serves POST /staff/account/email: sets or clears the
// user's own notification address (audited, masked).
func (h *Handler) saveOwnEmail(c *gin.Context) error {
	u := staffUser(c)
	email := formValue(c, "email")
	err := h.store.SetUserEmail(c.Request.Context(), u.AgencyID, u.ID, email)
	if models.ErrorCode(err) == models.EINVALID {
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/account/email", h.ownEmailPage(c, email, formState(err, "email")))
	}
	if err != nil {
		return err
	}
	msg := "已保存通知邮箱。"
	if email == "" {
		msg = "已删除通知邮箱，将不再收到每日提醒邮件。"
	}
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, "/staff/account/email")
	return nil
}
