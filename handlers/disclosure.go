package handlers

import "github.com/gin-gonic/gin"

// disclosureRoutes registers the public disclosure pages: the 政府信息公开指南
// and 政府信息公开目录 (条例第十二条) with their PDF and XLSX downloads.
func (h *Handler) disclosureRoutes(r *gin.Engine) {
}
