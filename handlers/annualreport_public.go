package handlers

import "github.com/gin-gonic/gin"

// annualReportRoutes registers the public pages of the 政府信息公开工作年度报告
// (条例第四十九条、第五十条): every published report with its PDF and XLSX and
// its correction history.
func (h *Handler) annualReportRoutes(r *gin.Engine) {
}
