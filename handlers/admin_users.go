package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// RoleOption is a role checkbox of the account form.
type RoleOption struct {
	Role    models.Role
	Label   string // the role and what it does
	Checked bool
}

// roleDuties says in a few words what each role does, on the account form.
var roleDuties = map[models.Role]string{
	models.RoleAdmin:          "管理用户、科室、机关信息和节假日安排，查阅审计日志",
	models.RoleOfficeClerk:    "确认收到和登记申请、分办、发出各类告知书、出具答复",
	models.RoleOfficeHead:     "审批延期答复、第三十五条事项和最终答复",
	models.RoleSectionHandler: "办理分配给本科室的申请，拟定答复",
	models.RoleSectionHead:    "审核本科室拟定的答复",
	models.RoleReviewer:       "答复发出前的保密审查",
	models.RolePublisher:      "发布政府信息公开目录和年度报告",
	models.RoleAuditor:        "查阅审计日志，不能修改任何内容",
}

// SectionOption is a section checkbox of the account form.
type SectionOption struct {
	ID      int64
	Name    string
	Active  bool
	Checked bool
}

// UserRow is one account in the list.
type UserRow struct {
	User     *models.User
	Roles    string
	Sections string
	Locked   bool
}

// UsersPage is the data of the account list.
type UsersPage struct {
	BasePage
	Rows []UserRow
}

func (h *Handler) sectionNames(c *gin.Context, agencyID int64) (map[int64]string, []*models.Section, error) {
	sections, err := h.store.Sections(c.Request.Context(), agencyID)
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, s := range sections {
		names[s.ID] = s.Name
	}
	return names, sections, nil
}

func roleLabels(roles []models.Role) string {
	var out []string
	for _, r := range models.Roles {
		if slices.Contains(roles, r) {
			out = append(out, r.Label())
		}
	}
	return strings.Join(out, "、")
}

// listUsers serves GET /staff/admin/users.
func (h *Handler) listUsers(c *gin.Context) error {
	admin := staffUser(c)
	users, err := h.store.Users(c.Request.Context(), admin.AgencyID)
	if err != nil {
		return err
	}
	names, _, err := h.sectionNames(c, admin.AgencyID)
	if err != nil {
		return err
	}
	now := h.store.Now()
	page := UsersPage{BasePage: h.basePage(c, "users")}
	for _, u := range users {
		var secs []string
		for _, id := range u.SectionIDs {
			secs = append(secs, names[id])
		}
		page.Rows = append(page.Rows, UserRow{User: u, Roles: roleLabels(u.Roles), Sections: strings.Join(secs, "、"),
			Locked: u.LockedUntil.After(now)})
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/users/index", page)
}

// UserFormPage is the data of the new-account and edit-account forms.
type UserFormPage struct {
	BasePage
	Target      *models.User // nil for a new account
	Username    string
	DisplayName string
	Email       string // the notification address for the daily digests
	Roles       []RoleOption
	Sections    []SectionOption
	Locked      bool
	Self        bool // the administrator is editing their own account
	Form        FormState
}

func (h *Handler) userForm(c *gin.Context, target *models.User, username, name string, roles []models.Role, sectionIDs []int64, form FormState) (UserFormPage, error) {
	page := UserFormPage{BasePage: h.basePage(c, "users"), Target: target, Username: username, DisplayName: name, Form: form}
	for _, r := range models.Roles {
		page.Roles = append(page.Roles, RoleOption{Role: r, Label: r.Label() + "（" + roleDuties[r] + "）", Checked: slices.Contains(roles, r)})
	}
	_, sections, err := h.sectionNames(c, staffUser(c).AgencyID)
	if err != nil {
		return page, err
	}
	for _, s := range sections {
		page.Sections = append(page.Sections, SectionOption{ID: s.ID, Name: s.Name, Active: s.Active,
			Checked: slices.Contains(sectionIDs, s.ID)})
	}
	if target != nil {
		page.Locked = target.LockedUntil.After(h.store.Now())
		page.Self = target.ID == staffUser(c).ID
	}
	return page, nil
}

// accountForm reads the roles and sections ticked on the account form.
func accountForm(c *gin.Context) (roles []models.Role, sections []int64) {
	for _, r := range models.Roles {
		if c.PostForm("role_"+string(r)) == "1" {
			roles = append(roles, r)
		}
	}
	for key, vals := range c.Request.PostForm {
		id, ok := strings.CutPrefix(key, "section_")
		if !ok || len(vals) == 0 || vals[0] != "1" {
			continue
		}
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			sections = append(sections, n)
		}
	}
	slices.Sort(sections)
	return roles, sections
}

var userFormOrder = []string{"username", "display_name", "email", "roles", "sections"}

// newUser serves GET /staff/admin/users/new.
func (h *Handler) newUser(c *gin.Context) error {
	page, err := h.userForm(c, nil, "", "", nil, nil, FormState{})
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/users/form", page)
}

// PasswordIssuedPage shows a new account's initial password, or a reset
// one, once: it is answered to the administrator's post, never stored in
// clear, never put in a cookie or a URL.
type PasswordIssuedPage struct {
	BasePage
	Target   *models.User
	Password string
	Reset    bool
}

// createUser serves POST /staff/admin/users. The account gets a random
// initial password that must be changed at first login.
func (h *Handler) createUser(c *gin.Context) error {
	admin := staffUser(c)
	roles, sections := accountForm(c)
	u := &models.User{AgencyID: admin.AgencyID, Username: strings.ToLower(formValue(c, "username")),
		DisplayName: formValue(c, "display_name"), Roles: roles, SectionIDs: sections, MustChangePassword: true}
	password := models.NewPassword(12)
	email := formValue(c, "email")
	_, err := models.ValidateStaffEmail(email)
	if err == nil {
		err = h.store.CreateUser(c.Request.Context(), u, password)
	}
	if err == nil {
		err = h.store.SetUserEmail(c.Request.Context(), u.AgencyID, u.ID, email)
	}
	if models.ErrorCode(err) == models.EINVALID {
		page, perr := h.userForm(c, nil, u.Username, u.DisplayName, roles, sections, formState(err, userFormOrder...))
		if perr != nil {
			return perr
		}
		page.Email = email
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/users/form", page)
	}
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/users/password", PasswordIssuedPage{
		BasePage: h.basePage(c, "users"), Target: u, Password: password})
}

// targetUser loads the account named by :id within the administrator's
// agency.
func (h *Handler) targetUser(c *gin.Context) (*models.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	return h.store.AgencyUser(c.Request.Context(), staffUser(c).AgencyID, id)
}

// editUser serves GET /staff/admin/users/:id.
func (h *Handler) editUser(c *gin.Context) error {
	u, err := h.targetUser(c)
	if err != nil {
		return err
	}
	page, err := h.userForm(c, u, u.Username, u.DisplayName, u.Roles, u.SectionIDs, FormState{})
	if err != nil {
		return err
	}
	if page.Email, err = h.store.UserEmail(c.Request.Context(), u.AgencyID, u.ID); err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/users/form", page)
}

// updateUser serves POST /staff/admin/users/:id: name, roles, sections.
func (h *Handler) updateUser(c *gin.Context) error {
	u, err := h.targetUser(c)
	if err != nil {
		return err
	}
	roles, sections := accountForm(c)
	next := *u
	next.DisplayName, next.Roles, next.SectionIDs = formValue(c, "display_name"), roles, sections
	email := formValue(c, "email")
	if u.ID == staffUser(c).ID && u.HasRole(models.RoleAdmin) && !next.HasRole(models.RoleAdmin) {
		err = models.Invalid(models.FieldError{Field: "roles", Message: "不能取消自己的系统管理员角色，请由其他系统管理员操作。"})
	} else if _, err = models.ValidateStaffEmail(email); err == nil {
		err = h.store.UpdateUser(c.Request.Context(), &next)
	}
	if err == nil {
		err = h.store.SetUserEmail(c.Request.Context(), u.AgencyID, u.ID, email)
	}
	if code := models.ErrorCode(err); code == models.EINVALID || code == models.ECONFLICT {
		page, perr := h.userForm(c, u, u.Username, next.DisplayName, roles, sections, formState(err, userFormOrder...))
		if perr != nil {
			return perr
		}
		page.Email = email
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/users/form", page)
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已保存用户“"+next.DisplayName+"”的角色、科室和通知邮箱。")
	c.Redirect(http.StatusSeeOther, "/staff/admin/users/"+c.Param("id"))
	return nil
}

// resetUserPassword serves POST /staff/admin/users/:id/password: a new
// random password, shown once, to be changed at the next login; the
// user's sessions end.
func (h *Handler) resetUserPassword(c *gin.Context) error {
	u, err := h.targetUser(c)
	if err != nil {
		return err
	}
	if u.ID == staffUser(c).ID {
		return models.Errorf(models.ECONFLICT, "不能重置自己的密码，请使用“修改密码”。")
	}
	password, err := h.store.ResetPassword(c.Request.Context(), u.AgencyID, u.ID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/users/password", PasswordIssuedPage{
		BasePage: h.basePage(c, "users"), Target: u, Password: password, Reset: true})
}

func (h *Handler) setActive(c *gin.Context, active bool) error {
	u, err := h.targetUser(c)
	if err != nil {
		return err
	}
	if !active && u.ID == staffUser(c).ID {
		return models.Errorf(models.ECONFLICT, "不能停用自己的账号。")
	}
	if err := h.store.SetUserActive(c.Request.Context(), u.AgencyID, u.ID, active); err != nil {
		return err
	}
	msg := "已启用用户“" + u.DisplayName + "”。"
	if !active {
		msg = "已停用用户“" + u.DisplayName + "”，其登录已全部退出。"
	}
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, "/staff/admin/users/"+c.Param("id"))
	return nil
}

// deactivateUser serves POST /staff/admin/users/:id/deactivate.
func (h *Handler) deactivateUser(c *gin.Context) error { return h.setActive(c, false) }

// activateUser serves POST /staff/admin/users/:id/activate.
func (h *Handler) activateUser(c *gin.Context) error { return h.setActive(c, true) }

// unlockUser serves POST /staff/admin/users/:id/unlock.
func (h *Handler) unlockUser(c *gin.Context) error {
	u, err := h.targetUser(c)
	if err != nil {
		return err
	}
	if err := h.store.UnlockUser(c.Request.Context(), u.AgencyID, u.ID); err != nil {
		return err
	}
	h.setFlash(c, "success", "已解除用户“"+u.DisplayName+"”的登录锁定。")
	c.Redirect(http.StatusSeeOther, "/staff/admin/users/"+c.Param("id"))
	return nil
}
