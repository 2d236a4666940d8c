package handlers

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/templates"
)

var staticFS, _ = fs.Sub(templates.FS, "static")

// serveStatic serves GET /static/*filepath from the embedded tree. A URL
// that carries the file's current content hash (?v=, see
// templates.StaticURL) may be cached for a year; any other must be
// revalidated.
func (h *Handler) serveStatic(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("filepath"), "/")
	version := h.tmpl.StaticVersion(name)
	if version == "" || strings.Contains(name, "..") {
		return models.Errorf(models.ENOTFOUND, "")
	}
	if c.Query("v") == version {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Header("ETag", `"`+version+`"`)
	http.ServeFileFS(c.Writer, c.Request, staticFS, name)
	return nil
}
