package handlers

import (
	"bytes"
	"fmt"

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
}

// basePage fills the layout's data for the request. It never fails: an
// error page must render even when the database is down.
func (h *Handler) basePage(c *gin.Context, nav string) BasePage {
	b := BasePage{SiteName: ServiceName, ServiceName: ServiceName, Nav: nav, RequestID: requestID(c)}
	if a, err := h.agency(c); err == nil {
		b.Agency = a
		b.SiteName = a.Name + ServiceName
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
