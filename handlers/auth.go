package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// LoginPage is the data of the staff login page.
type LoginPage struct {
	BasePage
	Username string
	Next     string
	Form     FormState
}

// showLogin serves GET /staff/login. A signed-in user goes straight on.
func (h *Handler) showLogin(c *gin.Context) error {
	next := safeNext(c.Query("next"))
	if staffUser(c) != nil {
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	return h.renderPage(c, http.StatusOK, "staff/login", LoginPage{BasePage: h.basePage(c, "login"), Next: next})
}

// safeNext keeps a return address inside the staff area, so the login
// cannot be used to send someone to another site.
func safeNext(s string) string {
	u, err := url.Parse(s)
	if s == "" || err != nil || u.Scheme != "" || u.Host != "" || strings.Contains(s, `\`) || strings.HasPrefix(s, "//") ||
		(u.Path != "/staff" && !strings.HasPrefix(u.Path, "/staff/")) || u.Path == "/staff/login" {
		return "/staff"
	}
	return u.RequestURI()
}

func (h *Handler) loginPolicy() store.LoginPolicy {
	return store.LoginPolicy{MaxFailures: h.cfg.LoginMaxFailures, Lockout: h.cfg.LoginLockout}
}

// login serves POST /staff/login. Every failure gets the same message, so
// the page never tells whether a username exists or is locked; the
// attempt is audited (store.Authenticate). On success the session the
// browser brought, if any, is ended and a new one is started with a fresh
// token (no session fixation).
func (h *Handler) login(c *gin.Context) error {
	page := LoginPage{BasePage: h.basePage(c, "login"), Username: formValue(c, "username"), Next: safeNext(c.PostForm("next"))}
	password := c.PostForm("password")
	var fe []models.FieldError
	if page.Username == "" {
		fe = append(fe, models.FieldError{Field: "username", Message: "请填写用户名。"})
	}
	if password == "" {
		fe = append(fe, models.FieldError{Field: "password", Message: "请填写密码。"})
	}
	if len(fe) > 0 {
		page.Form = formState(models.Invalid(fe...), "username", "password")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/login", page)
	}
	ctx := c.Request.Context()
	res, err := h.store.Authenticate(ctx, page.Username, password, h.loginPolicy())
	if models.IsBadCredentials(err) {
		msg := fmt.Sprintf("用户名或密码不正确。连续输错%d次，账号将被锁定%s；如已被锁定，请稍后再试或联系系统管理员。",
			h.cfg.LoginMaxFailures, durationCN(h.cfg.LoginLockout))
		page.Form = formState(models.Invalid(models.FieldError{Field: "password", Message: msg}), "username", "password")
		return h.renderPage(c, http.StatusUnauthorized, "staff/login", page)
	}
	if err != nil {
		return err
	}
	if err := h.store.DeleteSession(ctx, sessionToken(c)); err != nil {
		return err
	}
	token, _, err := h.store.CreateSession(ctx, res.User.ID, h.sessionPolicy())
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	if res.User.MustChangePassword {
		h.setFlash(c, "warning", "为保护账号安全，首次登录或密码被重置后须先修改密码。")
		c.Redirect(http.StatusSeeOther, "/staff/password")
		return nil
	}
	if prev := res.PreviousLogin; !prev.IsZero() {
		h.setFlash(c, "info", "您上次登录的时间是"+prev.In(h.cfg.Location).Format("2006年1月2日 15:04")+
			"。如非本人操作，请立即修改密码并告知系统管理员。")
	}
	c.Redirect(http.StatusSeeOther, page.Next)
	return nil
}

// durationCN writes a lockout period in Chinese.
func durationCN(d time.Duration) string {
	m := int(d.Minutes())
	if m >= 60 && m%60 == 0 {
		return fmt.Sprintf("%d小时", m/60)
	}
	return fmt.Sprintf("%d分钟", m)
}

// logout serves POST /staff/logout: the session ends on the server, not
// just in the browser, and the logout is audited.
func (h *Handler) logout(c *gin.Context) error {
	if err := h.store.RecordLogout(c.Request.Context(), sessionToken(c), staffUser(c)); err != nil {
		return err
	}
	h.clearSessionCookie(c)
	h.setFlash(c, "success", "您已安全退出。")
	c.Redirect(http.StatusSeeOther, "/staff/login")
	return nil
}

// PasswordPage is the data of the password change page.
type PasswordPage struct {
	BasePage
	Forced    bool // the bootstrap or reset password must be replaced first
	MinLength int
	Form      FormState
}

// showPassword serves GET /staff/password.
func (h *Handler) showPassword(c *gin.Context) error {
	return h.renderPage(c, http.StatusOK, "staff/password", PasswordPage{BasePage: h.basePage(c, "password"),
		Forced: staffUser(c).MustChangePassword, MinLength: models.MinPasswordLength})
}

// changePassword serves POST /staff/password. The session is replaced by a
// new one and every other session of the user ends, so a session someone
// else may hold does not survive the change.
func (h *Handler) changePassword(c *gin.Context) error {
	u := staffUser(c)
	current, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	var fe []models.FieldError
	if current == "" {
		fe = append(fe, models.FieldError{Field: "current_password", Message: "请填写当前密码。"})
	}
	if next == "" {
		fe = append(fe, models.FieldError{Field: "new_password", Message: "请填写新密码。"})
	} else if next != confirm {
		fe = append(fe, models.FieldError{Field: "confirm_password", Message: "两次输入的新密码不一致。"})
	}
	err := error(nil)
	if len(fe) > 0 {
		err = models.Invalid(fe...)
	} else {
		err = h.store.ChangePassword(c.Request.Context(), u.ID, current, next)
	}
	if models.ErrorCode(err) == models.EINVALID {
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/password", PasswordPage{
			BasePage: h.basePage(c, "password"), Forced: u.MustChangePassword, MinLength: models.MinPasswordLength,
			Form: formState(err, "current_password", "new_password", "confirm_password")})
	}
	if err != nil {
		return err
	}
	token, _, err := h.store.CreateSession(c.Request.Context(), u.ID, h.sessionPolicy())
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	h.setFlash(c, "success", "密码已修改。其他设备上的登录已全部退出。")
	c.Redirect(http.StatusSeeOther, "/staff")
	return nil
}
