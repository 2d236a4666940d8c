package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// requestID gives every request an id, returned in X-Request-ID and shown
// on error pages, so a citizen's report can be matched to the log line.
func (h *Handler) requestID(c *gin.Context) {
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// contentSecurityPolicy allows only the portal's own files: no inline
// script or style, no framing, forms post only to the portal.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the security headers on every response, error pages
// and static files included.
func (h *Handler) securityHeaders(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	if h.cfg.SecureCookies {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// accessLog writes one line per request: method, route pattern (never the
// raw URL, which could carry personal data), status, duration, size and
// request id.
func (h *Handler) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	h.metrics.observe(c.Request.Method, route, c.Writer.Status(), time.Since(start))
	h.log.Info("request",
		"method", c.Request.Method,
		"route", route,
		"status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size(),
		"request_id", requestID(c),
	)
}

// recovery turns a panic into the 500 page and a log line with the request
// id, keeping the process alive.
func (h *Handler) recovery(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.serveError(c, fmt.Errorf("panic: %v", p))
		}
	}()
	c.Next()
}

// limitBody caps every request body; the forms that take files set their
// own, smaller limits on top.
func (h *Handler) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, h.cfg.MaxBodyBytes)
	}
	c.Next()
}

// crossOrigin rejects state-changing requests from other sites (CSRF)
// with net/http's CrossOriginProtection: Sec-Fetch-Site, else Origin
// against Host. Safe methods pass. The JSON API gets its error in JSON:
// platforms' servers send neither header and pass; a browser's
// cross-site request always carries one and is refused.
func (h *Handler) crossOrigin(c *gin.Context) {
	if err := h.cop.Check(c.Request); err != nil {
		e := &models.Error{Code: models.EFORBIDDEN, Message: "请求来自其他网站，已被拒绝。请直接在本平台页面上操作。", Err: err}
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			h.apiError(c, e)
			return
		}
		h.serveError(c, e)
		return
	}
	c.Next()
}
