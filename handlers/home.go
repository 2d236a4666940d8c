package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// HomePage is the data of the home page.
type HomePage struct {
	BasePage
}

// showHome serves GET /: what the service is and where to start.
func (h *Handler) showHome(c *gin.Context) error {
	return h.renderPage(c, http.StatusOK, "home/index", HomePage{BasePage: h.basePage(c, "home")})
}
