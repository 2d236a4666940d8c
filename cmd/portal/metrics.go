package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"gongkai/handlers"
)

// serveMetrics starts the Prometheus endpoint on PORTAL_METRICS_ADDR, a
// listener of its own that should be reachable only from the monitoring
// network. It returns a function that stops it; without the variable it
// does nothing (GET /metrics on the main address then needs
// PORTAL_METRICS_TOKEN).
func serveMetrics(cfg *Config, h *handlers.Handler, log *slog.Logger) (stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h.MetricsHandler(), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener", "err", err)
		}
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
