// Package handlers is gongkai's web layer: Gin routes, middleware, forms and
// page rendering. Handlers are thin: they parse the request, call models and
// the store, and render a page or redirect. Rules live in models; SQL lives
// in models/store; PDF and XLSX encoding lives in reports.
//
// Every handler has the shape func(*gin.Context) error and is adapted by
// wrap, which turns a returned error into the right status and a Chinese
// error page (see errors.go). Internal errors are logged with the request
// id; the public never sees their text.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/templates"
)

// ServiceName is the portal's name as pages show it.
const ServiceName = "政府信息公开申请平台"

// Config is what the web layer needs from the environment; cmd fills it.
type Config struct {
	// DefaultAgency is the code of the agency public pages serve (the
	// first agency when empty).
	DefaultAgency string
	// Location is the agency time zone.
	Location *time.Location
	// TrustedProxies are the proxy addresses whose X-Forwarded-For is
	// believed (none by default: the client IP is the peer address).
	TrustedProxies []string
	// TrustedOrigins are extra origins allowed to post forms (e.g. the
	// public URL when a proxy rewrites Host).
	TrustedOrigins []string
	// SecureCookies marks cookies Secure and sends HSTS; set when the portal
	// is served over TLS.
	SecureCookies bool
	// MaxBodyBytes caps request bodies (default 64 MiB).
	MaxBodyBytes int64
	// UploadsPerClientHour caps the files one client address may upload in
	// an hour (default 100); load tests raise it.
	UploadsPerClientHour int
	// BaseURL is the portal's public URL, for links in e-mails.
	BaseURL string
	// MetricsToken, when set, opens GET /metrics on the main address to
	// requests that carry it as a bearer token.
	MetricsToken string

	// Mailer and SMS reach applicants; nil means log-only senders.
	Mailer Mailer
	SMS    SMSSender

	// Staff sessions: idle and absolute timeouts, and the login lockout.
	SessionIdleTimeout time.Duration // default 30 minutes
	SessionMaxAge      time.Duration // default 12 hours
	LoginMaxFailures   int           // default 5
	LoginLockout       time.Duration // default 15 minutes
}

// Mailer sends an e-mail in plain text. models/notify has the SMTP sender
// and the log-only sender used when no SMTP server is configured.
type Mailer interface {
	SendMail(ctx context.Context, to, subject, body string) error
}

// SMSSender sends a text message. The default only logs that a message was
// sent (never its content or the number).
type SMSSender interface {
	SendSMS(ctx context.Context, phone, text string) error
}

// Handler holds what every request needs.
type Handler struct {
	store *store.Store
	tmpl  *templates.Set
	log   *slog.Logger
	cfg   Config
	cop   *http.CrossOriginProtection

	metrics *metrics

	// outbox counts the mails and texts being sent in the background.
	outbox sync.WaitGroup
}

// New returns a Handler. It fails if a trusted origin is malformed.
func New(st *store.Store, tmpl *templates.Set, log *slog.Logger, cfg Config) (*Handler, error) {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	if cfg.UploadsPerClientHour <= 0 {
		cfg.UploadsPerClientHour = 100
	}
	if cfg.SessionIdleTimeout <= 0 {
		cfg.SessionIdleTimeout = 30 * time.Minute
	}
	if cfg.SessionMaxAge <= 0 {
		cfg.SessionMaxAge = 12 * time.Hour
	}
	if cfg.LoginMaxFailures <= 0 {
		cfg.LoginMaxFailures = 5
	}
	if cfg.LoginLockout <= 0 {
		cfg.LoginLockout = 15 * time.Minute
	}
	if cfg.Mailer == nil {
		cfg.Mailer = notify.LogMailer{Log: log}
	}
	if cfg.SMS == nil {
		cfg.SMS = notify.LogSMS{Log: log}
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}
	for _, page := range []string{"home/index", "errors/show"} {
		if !tmpl.Has(page) {
			return nil, fmt.Errorf("handlers: template %q is missing", page)
		}
	}
	return &Handler{store: st, tmpl: tmpl, log: log, cfg: cfg, cop: cop, metrics: newMetrics()}, nil
}

// Routes returns the portal's router: every route in one place.
func (h *Handler) Routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RemoveExtraSlash = true
	if err := r.SetTrustedProxies(h.cfg.TrustedProxies); err != nil {
		h.log.Error("trusted proxies", "err", err)
	}
	r.Use(h.requestID, h.securityHeaders, h.accessLog, h.recovery, h.limitBody, h.crossOrigin)
	r.NoRoute(h.apiOr(apiNotFound, h.wrap(func(*gin.Context) error { return models.Errorf(models.ENOTFOUND, "") })))
	r.NoMethod(h.apiOr(apiMethodNotAllowed, h.wrap(func(*gin.Context) error { return errMethodNotAllowed })))

	// Operations.
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	r.GET("/metrics", h.wrap(h.serveMetrics))
	r.GET("/static/*filepath", h.wrap(h.serveStatic))
	r.HEAD("/static/*filepath", h.wrap(h.serveStatic))

	// Public pages.
	r.GET("/", h.wrap(h.showHome))
	h.citizenRoutes(r)
	h.disclosureRoutes(r)
	h.annualReportRoutes(r)

	// The JSON API for integrating platforms and staff tools.
	h.apiRoutes(r)

	// Staff area under /staff/: every page needs a session.
	h.staffRoutes(r)

	return r
}

// agency returns the agency the request is for: the default agency for
// now; a city deployment will pick it by host.
func (h *Handler) agency(c *gin.Context) (*models.Agency, error) {
	if a, ok := c.Get(ctxAgency); ok {
		return a.(*models.Agency), nil
	}
	var a *models.Agency
	var err error
	if h.cfg.DefaultAgency != "" {
		a, err = h.store.AgencyByCode(c.Request.Context(), h.cfg.DefaultAgency)
	} else {
		a, err = h.store.FirstAgency(c.Request.Context())
	}
	if err != nil {
		return nil, err
	}
	c.Set(ctxAgency, a)
	return a, nil
}

// Context keys.
const (
	ctxAgency    = "gongkai.agency"
	ctxRequestID = "gongkai.request_id"
)
