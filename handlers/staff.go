package handlers

import "github.com/gin-gonic/gin"

// staffRoutes registers the staff area under /staff/: login, and every page
// behind a session and the role rules of models.
func (h *Handler) staffRoutes(r *gin.Engine) {
}
