package handlers

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// access is what a staff route requires: nothing (the login page), or a
// session whose user one of the roles of models.CanRoute allows the action.
type access struct {
	public bool
	action models.Action
	// beforePasswordChange lets a user who must still change the bootstrap
	// password through (the change page itself, logging out).
	beforePasswordChange bool
	// maxBody caps a post's body; 0 means defaultStaffBody. Routes that
	// take files set their own.
	maxBody int64
}

// defaultStaffBody is the largest staff form without files.
const defaultStaffBody = 2 << 20

// staffRoute is one route of the staff area.
type staffRoute struct {
	method, path string
	access       access
	handle       func(*Handler, *gin.Context) error
}

var public = access{public: true}

func need(a models.Action) access { return access{action: a} }

// staffRouteTable is every route under /staff/ and what it requires. The
// gate (staffGate) refuses any /staff/ route that is not listed here, and
// TestStaffRouteMatrix builds its role × route matrix from the router
// itself, so a route added without a rule fails both.
var staffRouteTable = append([]staffRoute{
	{"GET", "/staff/login", public, (*Handler).showLogin},
	{"POST", "/staff/login", public, (*Handler).login},
	{"POST", "/staff/logout", access{action: models.ActionStaffHome, beforePasswordChange: true}, (*Handler).logout},
	{"GET", "/staff/password", access{action: models.ActionChangeOwnPassword, beforePasswordChange: true}, (*Handler).showPassword},
	{"POST", "/staff/password", access{action: models.ActionChangeOwnPassword, beforePasswordChange: true}, (*Handler).changePassword},

	{"GET", "/staff", need(models.ActionStaffHome), (*Handler).showStaffHome},
	{"GET", "/staff/deadline", need(models.ActionDeadlineCalculator), (*Handler).showDeadline},

	{"GET", "/staff/applications", need(models.ActionViewApplication), (*Handler).findApplication},
	{"GET", "/staff/applications/:number", need(models.ActionViewApplication), (*Handler).showStaffApplication},
	{"POST", "/staff/applications/:number/reveal", need(models.ActionRevealPersonalData), (*Handler).revealApplicant},
	{"GET", "/staff/applications/:number/notices", need(models.ActionViewApplication), (*Handler).showNotices},
	{"GET", "/staff/applications/:number/files", need(models.ActionRevealPersonalData), (*Handler).showFiles},

	// Intake and routing (条例第二十九条至第三十一条).
	{"GET", "/staff/intake", need(models.ActionConfirmReceipt), (*Handler).showIntake},
	{"GET", "/staff/intake/new", need(models.ActionRegisterApplication), (*Handler).newRegistration},
	{"POST", "/staff/intake/new", access{action: models.ActionRegisterApplication, maxBody: maxRegistrationBody}, (*Handler).register},
	{"GET", "/staff/intake/registered", need(models.ActionRegisterApplication), (*Handler).showRegistered},
	{"POST", "/staff/intake/registered/receipt", need(models.ActionRegisterApplication), (*Handler).handoverReceipt},
	{"GET", "/staff/worklist", need(models.ActionSearchApplications), (*Handler).showWorklist},
	{"GET", "/staff/admin/jobs", need(models.ActionViewJobs), (*Handler).showJobs},

	{"GET", "/staff/admin/users", need(models.ActionManageUsers), (*Handler).listUsers},
	{"GET", "/staff/admin/users/new", need(models.ActionManageUsers), (*Handler).newUser},
	{"POST", "/staff/admin/users", need(models.ActionManageUsers), (*Handler).createUser},
	{"GET", "/staff/admin/users/:id", need(models.ActionManageUsers), (*Handler).editUser},
	{"POST", "/staff/admin/users/:id", need(models.ActionManageUsers), (*Handler).updateUser},
	{"POST", "/staff/admin/users/:id/password", need(models.ActionManageUsers), (*Handler).resetUserPassword},
	{"POST", "/staff/admin/users/:id/deactivate", need(models.ActionManageUsers), (*Handler).deactivateUser},
	{"POST", "/staff/admin/users/:id/activate", need(models.ActionManageUsers), (*Handler).activateUser},
	{"POST", "/staff/admin/users/:id/unlock", need(models.ActionManageUsers), (*Handler).unlockUser},

	{"GET", "/staff/admin/sections", need(models.ActionManageSections), (*Handler).listSections},
	{"GET", "/staff/admin/sections/new", need(models.ActionManageSections), (*Handler).newSection},
	{"POST", "/staff/admin/sections", need(models.ActionManageSections), (*Handler).createSection},
	{"GET", "/staff/admin/sections/:id", need(models.ActionManageSections), (*Handler).editSection},
	{"POST", "/staff/admin/sections/:id", need(models.ActionManageSections), (*Handler).updateSection},

	{"GET", "/staff/admin/agency", need(models.ActionManageAgency), (*Handler).editAgency},
	{"POST", "/staff/admin/agency", access{action: models.ActionManageAgency, maxBody: maxSealBytes + 1<<20}, (*Handler).updateAgency},
	{"GET", "/staff/admin/agency/seal", need(models.ActionManageAgency), (*Handler).showSeal},

	{"GET", "/staff/admin/calendar", need(models.ActionManageCalendar), (*Handler).showCalendar},
	{"POST", "/staff/admin/calendar/day", need(models.ActionManageCalendar), (*Handler).previewCalendarDay},
	{"POST", "/staff/admin/calendar/import", need(models.ActionManageCalendar), (*Handler).previewCalendarImport},
	{"POST", "/staff/admin/calendar/save", need(models.ActionManageCalendar), (*Handler).saveCalendar},
	{"POST", "/staff/admin/calendar/confirm", need(models.ActionManageCalendar), (*Handler).confirmCalendar},

	{"GET", "/staff/audit", need(models.ActionReadAudit), (*Handler).showAudit},
	{"POST", "/staff/audit/verify", need(models.ActionReadAudit), (*Handler).verifyAudit},
},
	// The clock's actions on an application (条例第三十条至第三十五条): one
	// page and one post each, with the actions of the steps table.
	stepRoutes()...)

// registerStaffRoutes adds a feature's routes to staffRouteTable. A
// feature file with many routes (answering, the catalog, the annual
// report) keeps its table beside its handlers and registers it from an
// init function; the gate and the route matrix test see every route alike.
func registerStaffRoutes(routes ...staffRoute) {
	staffRouteTable = append(staffRouteTable, routes...)
	// Package variables are initialised before init functions run, so the
	// rules map already exists and must learn the routes too.
	for _, r := range routes {
		staffRules[r.method+" "+r.path] = r.access
	}
}

// staffRules maps "METHOD /path" to the route's access rule.
var staffRules = func() map[string]access {
	m := make(map[string]access, len(staffRouteTable))
	for _, r := range staffRouteTable {
		m[r.method+" "+r.path] = r.access
	}
	return m
}()

// staffRule returns the rule of a route pattern.
func staffRule(method, path string) (access, bool) {
	a, ok := staffRules[method+" "+path]
	return a, ok
}

// staffRoutes registers the staff area under /staff/: login, and every page
// behind a session and the role rules of models.
func (h *Handler) staffRoutes(r *gin.Engine) {
	g := r.Group("/staff", h.staffGate)
	for _, rt := range staffRouteTable {
		fn := rt.handle
		g.Handle(rt.method, strings.TrimPrefix(rt.path, "/staff"), h.wrap(func(c *gin.Context) error { return fn(h, c) }))
	}
}

// Context keys of the staff area.
const (
	ctxUser    = "gongkai.user"
	ctxSession = "gongkai.session"
)

// sessionCookie holds the session token. It is scoped to /staff, HttpOnly
// (no script reads it), SameSite=Lax (not sent on cross-site posts) and
// Secure behind TLS; it has no expiry, so it ends with the browser, and the
// server ends it earlier (idle and absolute timeouts).
const sessionCookie = "gk_session"

// csrfField is the hidden form field carrying the session's form token.
const csrfField = "csrf_token"

func (h *Handler) sessionPolicy() store.SessionPolicy {
	return store.SessionPolicy{Idle: h.cfg.SessionIdleTimeout, MaxAge: h.cfg.SessionMaxAge}
}

func (h *Handler) setSessionCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/staff",
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/staff", MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func sessionToken(c *gin.Context) string {
	ck, err := c.Request.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return ck.Value
}

// staffGate runs before every /staff/ route. It fails closed: a route
// without a rule in staffRouteTable is refused. It then loads the session,
// sends visitors without one to the login page, checks the form token on
// posts, holds users who must change their password on the change page,
// and checks the route's action (models.CanRoute), auditing refusals. The
// signed-in user becomes the request's audit actor.
func (h *Handler) staffGate(c *gin.Context) {
	// Staff pages hold personal data: never cached, never indexed.
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	rule, ok := staffRule(c.Request.Method, c.FullPath())
	if !ok {
		h.serveError(c, &models.Error{Code: models.EFORBIDDEN, Message: "该页面尚未配置访问权限。",
			Err: errors.New("staff route " + c.Request.Method + " " + c.FullPath() + " has no access rule")})
		return
	}
	agencyID := int64(0)
	if a, err := h.agency(c); err == nil {
		agencyID = a.ID
	}
	ctx := c.Request.Context()
	actor := models.Actor{ClientIP: c.ClientIP(), AgencyID: agencyID}
	token := sessionToken(c)
	sess, user, err := h.store.SessionUser(ctx, token, h.sessionPolicy())
	switch code := models.ErrorCode(err); {
	case err == nil:
		actor = models.Actor{UserID: user.ID, Name: models.ActorName(user), ClientIP: c.ClientIP(), AgencyID: user.AgencyID}
		c.Set(ctxUser, user)
		c.Set(ctxSession, sess)
	case code == models.EUNAUTHORIZED:
		if token != "" {
			h.clearSessionCookie(c)
		}
		if !rule.public {
			if token != "" && err != store.ErrNoSession {
				h.setFlash(c, "warning", models.ErrorMessage(err))
			}
			h.toLogin(c)
			return
		}
	default:
		h.serveError(c, err)
		return
	}
	c.Request = c.Request.WithContext(models.NewContextWithActor(ctx, actor))
	if rule.public {
		c.Next()
		return
	}
	if c.Request.Method == http.MethodPost {
		if err := parseForm(c, rule.maxBody); err != nil {
			h.serveError(c, err)
			return
		}
		if subtle.ConstantTimeCompare([]byte(c.PostForm(csrfField)), []byte(sess.CSRFToken)) != 1 {
			h.serveError(c, models.Errorf(models.EFORBIDDEN, "页面已过期或请求来源无法确认，请返回上一页刷新后重试。"))
			return
		}
	}
	if user.MustChangePassword && !rule.beforePasswordChange {
		h.setFlash(c, "warning", "为保护账号安全，请先修改初始密码。")
		c.Redirect(http.StatusSeeOther, "/staff/password")
		c.Abort()
		return
	}
	if !models.CanRoute(user, rule.action) {
		h.deny(c, user, models.AuditObjectPage, c.FullPath(), rule.action)
		return
	}
	c.Next()
}

// parseForm reads a posted form, urlencoded or multipart, within limit
// bytes (defaultStaffBody when 0), so that an oversized upload is answered
// as such (413) rather than as a missing form token.
func parseForm(c *gin.Context, limit int64) error {
	if limit <= 0 {
		limit = defaultStaffBody
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		err = c.Request.ParseMultipartForm(limit)
	} else {
		err = c.Request.ParseForm()
	}
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe):
		return err
	default:
		return models.WrapError(models.EINVALID, err, "提交的内容无法识别，请返回上一页重新提交。")
	}
}

// toLogin redirects to the login page, remembering a page asked for with
// GET so that the login can return to it.
func (h *Handler) toLogin(c *gin.Context) {
	target := "/staff/login"
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/staff/login" {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// auditRefusal records a refused request in the audit trail: who, from
// where, which route and action, and the object when one was loaded.
func (h *Handler) auditRefusal(c *gin.Context, u *models.User, objectType, objectID string, a models.Action) error {
	return h.store.RecordAudit(c.Request.Context(), models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditAccessDenied,
		ObjectType: objectType, ObjectID: objectID,
		After: models.AuditData(map[string]any{"action": a, "method": c.Request.Method, "route": c.FullPath()})})
}

// deny answers a route the user's roles do not open: audited, then 403.
func (h *Handler) deny(c *gin.Context, u *models.User, objectType, objectID string, a models.Action) {
	if err := h.auditRefusal(c, u, objectType, objectID, a); err != nil {
		h.serveError(c, err)
		return
	}
	h.serveError(c, models.Errorf(models.EFORBIDDEN, "您没有权限执行该操作。如确需办理，请联系系统管理员调整您的角色或所属科室。"))
}

// staffUser returns the signed-in user; the gate guarantees one on every
// route that is not public.
func staffUser(c *gin.Context) *models.User {
	if u, ok := c.Get(ctxUser); ok {
		return u.(*models.User)
	}
	return nil
}

func staffSession(c *gin.Context) *store.Session {
	if s, ok := c.Get(ctxSession); ok {
		return s.(*store.Session)
	}
	return nil
}

// can checks an object-level rule for the signed-in user (models.Can) and,
// when it fails, audits the attempt and returns the 403 error.
func (h *Handler) can(c *gin.Context, a models.Action, obj models.Object, objectType, objectID string) error {
	u := staffUser(c)
	if models.Can(u, a, obj) {
		return nil
	}
	if u != nil {
		if err := h.auditRefusal(c, u, objectType, objectID, a); err != nil {
			return err
		}
	}
	return models.Errorf(models.EFORBIDDEN, "您没有权限办理该申请：科室工作人员只能查看和办理分配给本科室的申请。")
}

// NavLink is one entry of the staff navigation.
type NavLink struct {
	Key   string // compared with BasePage.Nav to mark the current page
	Label string
	Href  string
}

// staffNav lists the staff pages the user may open, in menu order.
func staffNav(u *models.User) []NavLink {
	all := []struct {
		link   NavLink
		action models.Action
	}{
		{NavLink{"staff", "工作台", "/staff"}, models.ActionStaffHome},
		{NavLink{"intake", "待确认申请", "/staff/intake"}, models.ActionConfirmReceipt},
		{NavLink{"register", "登记申请", "/staff/intake/new"}, models.ActionRegisterApplication},
		{NavLink{"worklist", worklistLabel(u), "/staff/worklist"}, models.ActionSearchApplications},
		{NavLink{"applications", "查找申请", "/staff/applications"}, models.ActionViewApplication},
		{NavLink{"search", "申请查询与台账", "/staff/search"}, models.ActionSearchApplications},
		{NavLink{"answers", "答复审签", "/staff/answers"}, models.ActionViewApplication},
		{NavLink{"deadline", "期限计算", "/staff/deadline"}, models.ActionDeadlineCalculator},
		{NavLink{"users", "用户管理", "/staff/admin/users"}, models.ActionManageUsers},
		{NavLink{"sections", "科室管理", "/staff/admin/sections"}, models.ActionManageSections},
		{NavLink{"agency", "机关信息", "/staff/admin/agency"}, models.ActionManageAgency},
		{NavLink{"calendar", "节假日安排", "/staff/admin/calendar"}, models.ActionManageCalendar},
		{NavLink{"catalog", "公开目录管理", "/staff/catalog"}, models.ActionEditCatalog},
		{NavLink{"reports", "年度报告", "/staff/reports"}, models.ActionCompileReport},
		{NavLink{"audit", "审计日志", "/staff/audit"}, models.ActionReadAudit},
		{NavLink{"jobs", "定时任务", "/staff/admin/jobs"}, models.ActionViewJobs},
	}
	var out []NavLink
	for _, e := range all {
		if models.CanRoute(u, e.action) {
			out = append(out, e.link)
		}
	}
	return out
}

// worklistLabel names the worklist for the user: their sections' list, or
// the office's.
func worklistLabel(u *models.User) string {
	if models.ScopeOf(u, models.ActionSearchApplications).Agency {
		return "办理中的申请"
	}
	return "本科室申请"
}
