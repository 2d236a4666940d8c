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

	h, err := handlers.New(st, tmpl, log, handlers.Config{
		DefaultAgency:  cfg.Agency,
		Location:       cfg.Location,
		TrustedProxies: cfg.TrustedProxies,
		TrustedOrigins: cfg.TrustedOrigins,
		SecureCookies:  cfg.SecureCookies,
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

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("server", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
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
