package handlers

import "github.com/gin-gonic/gin"

// citizenRoutes registers the pages applicants use: the application form,
// the acknowledgement, the status look-up, correction and withdrawal.
func (h *Handler) citizenRoutes(r *gin.Engine) {
}
