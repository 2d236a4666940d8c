package handlers

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// BasePage is embedded in every page's data: what the layout needs.
type BasePage struct {
	SiteName    string
	ServiceName string
	Agency      *models.Agency // nil when the database is unreachable
	Nav         string         // which main navigation entry is current
	Flash       *Flash
	RequestID   string

	// Staff is true on every page under /staff/: the layout shows the staff
	// header and asks search engines to keep away.
	Staff bool
	// User is the signed-in staff user, nil on public pages and the login
	// page.
	User *models.User
	// StaffNav lists the staff pages the user's roles open.
	StaffNav []NavLink
	// CSRFToken goes into every staff form as the hidden field csrf_token.
	CSRFToken string
	// ProfileUnverified shows administrators that the seeded agency
	// profile still awaits their check (store.SettingProfileUnverified).
	ProfileUnverified bool
	// Location is the agency time zone, for times shown on the page.
	Location *time.Location
}

// staffServiceName is what the staff area calls itself.
const staffServiceName = "政府信息公开工作平台"

// basePage fills the layout's data for the request. It never fails: an
// error page must render even when the database is down.
func (h *Handler) basePage(c *gin.Context, nav string) BasePage {
	b := BasePage{SiteName: ServiceName, ServiceName: ServiceName, Nav: nav, RequestID: requestID(c), Location: h.cfg.Location}
	if a, err := h.agency(c); err == nil {
		b.Agency = a
		b.SiteName = a.Name + ServiceName
	}
	if c.Request.URL.Path == "/staff" || strings.HasPrefix(c.Request.URL.Path, "/staff/") {
		b.Staff = true
		b.ServiceName = staffServiceName
		b.SiteName = staffServiceName
		if b.Agency != nil {
			b.SiteName = b.Agency.Name + staffServiceName
		}
	}
	if u := staffUser(c); u != nil {
		b.User = u
		// In a deployment serving several agencies, staff pages name the
		// user's own agency, whatever the public pages serve.
		if b.Agency == nil || b.Agency.ID != u.AgencyID {
			if a, err := h.store.Agency(c.Request.Context(), u.AgencyID); err == nil {
				b.Agency = a
				b.SiteName = a.Name + staffServiceName
			}
		}
		b.StaffNav = staffNav(u)
		if s := staffSession(c); s != nil {
			b.CSRFToken = s.CSRFToken
		}
		if u.HasRole(models.RoleAdmin) && !u.MustChangePassword {
			// A failure here only hides the banner; the page still renders.
			b.ProfileUnverified, _ = h.store.ProfileUnverified(c.Request.Context(), u.AgencyID)
		}
	}
	b.Flash = h.takeFlash(c)
	return b
}

// renderPage executes a page into a buffer and only then writes it, so a
// template error never sends half a page with status 200.
func (h *Handler) renderPage(c *gin.Context, status int, page string, data any) error {
	var buf bytes.Buffer
	if err := h.tmpl.Render(&buf, page, data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}
