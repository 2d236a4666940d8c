package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"gongkai/handlers"
	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/reports"
	"gongkai/templates"
)

// serve runs the portal until ctx is cancelled (SIGINT, SIGTERM), then
// finishes in-flight requests before returning.
func serve(ctx context.Context, cfg *Config, log *slog.Logger, stdout io.Writer) int {
	started := time.Now()
	log.Info("starting gongkai", "config", cfg)
	if err := reports.CheckFont(); err != nil {
		log.Error("the embedded PDF font does not work", "err", err)
		return 1
	}
	tmpl, err := templates.Parse(templates.FS)
	if err != nil {
		log.Error("templates", "err", err)
		return 1
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	boot, err := prepareDatabase(ctx, st, log)
	if err != nil {
		log.Error("prepare database", "err", err)
		return 1
	}

	mailer, err := newMailer(ctx, cfg, st, log)
	if err != nil {
		log.Error("mail", "err", err)
		return 1
	}
	h, err := handlers.New(st, tmpl, log, handlers.Config{
		DefaultAgency:  cfg.Agency,
		Location:       cfg.Location,
		TrustedProxies: cfg.TrustedProxies,
		TrustedOrigins: cfg.TrustedOrigins,
		SecureCookies:  cfg.SecureCookies,
		BaseURL:        cfg.BaseURL,
		Mailer:         mailer,
		MetricsToken:   cfg.MetricsToken,

		SessionIdleTimeout: cfg.SessionIdleTimeout,
		SessionMaxAge:      cfg.SessionMaxAge,
		LoginMaxFailures:   cfg.LoginMaxFailures,
		LoginLockout:       cfg.LoginLockout,
		// No SMS gateway is configured yet: the handler's log-only sender
		// records that a text would have gone out.
	})
	if err != nil {
		log.Error("handlers", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("listen", "addr", cfg.Addr, "err", err)
		return 1
	}
	srv := &http.Server{
		Handler:           h.Routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of several 10 MB files on slow lines
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + displayAddr(ln.Addr().String()) + "/"
	fmt.Fprintf(stdout, "gongkai %s 正在运行：%s\n", handlers.ServiceName, url)
	if boot != nil {
		fmt.Fprintf(stdout, "首次运行：已创建机关“%s”和系统管理员账号。以下初始密码只显示这一次，请立即妥善保存：\n", boot.Agency.Name)
		fmt.Fprintf(stdout, "  用户名 (username)：%s\n  初始密码 (password)：%s\n  登录地址：%sstaff/login（首次登录须修改密码）\n",
			boot.AdminUsername, boot.AdminPassword, url)
	}
	log.Info("listening", "addr", ln.Addr().String(), "startup_ms", time.Since(started).Milliseconds())

	stopMetrics, err := serveMetrics(cfg, h, log)
	if err != nil {
		log.Error("metrics listener", "addr", cfg.MetricsAddr, "err", err)
		return 1
	}
	defer stopMetrics()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The daily jobs (expiries, clocks, purges; reminders): tried on a ticker, run by
	// one process a day through their lease in the database.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	jobs := portalJobs(st, h.Reminders())
	go func() { defer close(jobsDone); jobLoop(jobsCtx, st, log, jobs, jobInterval) }()
	defer func() { stopJobs(); <-jobsDone }()
	// The office dashboards' year figures, computed before anyone asks for
	// them: now and a minute after each local midnight.
	warmDone := make(chan struct{})
	go func() { defer close(warmDone); warmLoop(jobsCtx, st, log) }()
	defer func() { stopJobs(); <-warmDone }()
	select {
	case err := <-errc:
		log.Error("server stopped", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	log.Info("shutting down: waiting for mails in flight")
	h.WaitNotifications()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("server", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// newMailer returns the SMTP sender PORTAL_SMTP_* configure, named after
// the agency the public pages serve, or nil (the handler's log-only
// sender) when PORTAL_SMTP_ADDR is unset.
func newMailer(ctx context.Context, cfg *Config, st *store.Store, log *slog.Logger) (handlers.Mailer, error) {
	if cfg.SMTP.Addr == "" {
		log.Warn("PORTAL_SMTP_ADDR is not set: mails to applicants are logged (without their content), not sent")
		return nil, nil
	}
	if cfg.SMTP.From == "" {
		return nil, errors.New("PORTAL_SMTP_FROM is required with PORTAL_SMTP_ADDR")
	}
	fromName := handlers.ServiceName
	var agency *models.Agency
	var err error
	if cfg.Agency != "" {
		agency, err = st.AgencyByCode(ctx, cfg.Agency)
	} else if all, lerr := st.Agencies(ctx); lerr == nil && len(all) > 0 {
		agency = all[0]
	} else {
		err = lerr
	}
	if err != nil {
		return nil, fmt.Errorf("sender name: %w", err)
	}
	if agency != nil {
		fromName = agency.Name
	}
	return notify.NewSMTPSender(notify.SMTPConfig{
		Addr: cfg.SMTP.Addr, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
		From: cfg.SMTP.From, FromName: fromName, TLS: notify.TLSMode(cfg.SMTP.TLS),
	})
}

// prepareDatabase migrates, seeds a fresh database and loads the built-in
// calendar years. It returns the bootstrap credentials on a fresh database.
func prepareDatabase(ctx context.Context, st *store.Store, log *slog.Logger) (*store.Bootstrap, error) {
	applied, err := st.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "files", applied)
	}
	boot, err := st.Seed(ctx)
	if err != nil {
		return nil, err
	}
	loaded, err := st.EnsureCalendar(ctx)
	if err != nil {
		return nil, err
	}
	if len(loaded) > 0 {
		log.Info("calendar years loaded", "years", loaded)
	}
	return boot, nil
}

// warmLoop warms the office dashboards at start-up and a minute after each
// midnight in the agency time zone, until ctx ends.
func warmLoop(ctx context.Context, st *store.Store, log *slog.Logger) {
	for {
		start := time.Now()
		if err := st.WarmDashboards(ctx); err != nil && ctx.Err() == nil {
			log.Warn("warming the dashboards", "err", err)
		} else if ctx.Err() == nil {
			log.Debug("dashboards warmed", "took", time.Since(start).Round(time.Millisecond))
		}
		now := st.Now().In(st.Location())
		next := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 1, 0, 0, st.Location())
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
	}
}
