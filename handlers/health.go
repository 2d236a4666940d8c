package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz serves GET /healthz: the process is alive. It touches nothing
// else, so an orchestrator does not restart the portal for a database
// outage.
func (h *Handler) healthz(c *gin.Context) {
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}

// readyz serves GET /readyz: the database answers and its schema is up to
// date. A load balancer sends no traffic to a process that is not ready.
func (h *Handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		h.log.Warn("not ready: database", "err", err)
		c.Data(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("database unreachable\n"))
		return
	}
	pending, err := h.store.PendingMigrations(ctx)
	if err != nil || pending > 0 {
		h.log.Warn("not ready: migrations", "pending", pending, "err", err)
		c.Data(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("migrations pending\n"))
		return
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ready\n"))
}
