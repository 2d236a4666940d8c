package handlers

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// metrics counts requests and their durations for the Prometheus endpoint.
// The labels are the route pattern, the method and the status: never a raw
// URL, so no number or personal data can reach a metric.
//
// The text exposition format is small enough to write by hand; a client
// library would add a dependency for a few dozen lines.
type metrics struct {
	mu        sync.Mutex
	requests  map[requestKey]uint64
	durations map[string]*histogram // by route
	started   time.Time
}

type requestKey struct {
	method, route string
	status        int
}

// durationBuckets are the upper bounds of the request-duration histogram,
// in seconds: fine below 50 ms, where the portal's targets lie.
var durationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, durations: map[string]*histogram{}, started: time.Now()}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, route, status}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets))}
		m.durations[route] = h
	}
	s := d.Seconds()
	for i, b := range durationBuckets {
		if s <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.count++
}

// writeTo appends the request metrics in the text exposition format.
func (m *metrics) writeTo(b *bytes.Buffer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.WriteString("# HELP gongkai_http_requests_total HTTP requests by method, route pattern and status.\n")
	b.WriteString("# TYPE gongkai_http_requests_total counter\n")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.status < c.status
	})
	for _, k := range keys {
		fmt.Fprintf(b, "gongkai_http_requests_total{method=%s,route=%s,status=\"%d\"} %d\n",
			quote(k.method), quote(k.route), k.status, m.requests[k])
	}
	b.WriteString("# HELP gongkai_http_request_duration_seconds Time to answer a request, by route pattern.\n")
	b.WriteString("# TYPE gongkai_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.durations))
	for r := range m.durations {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.durations[r]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(b, "gongkai_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(r), formatFloat(le), cum)
		}
		fmt.Fprintf(b, "gongkai_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(r), h.count)
		fmt.Fprintf(b, "gongkai_http_request_duration_seconds_sum{route=%s} %s\n", quote(r), formatFloat(h.sum))
		fmt.Fprintf(b, "gongkai_http_request_duration_seconds_count{route=%s} %d\n", quote(r), h.count)
	}
	fmt.Fprintf(b, "# HELP gongkai_uptime_seconds Seconds since the process started serving.\n# TYPE gongkai_uptime_seconds gauge\ngongkai_uptime_seconds %s\n",
		formatFloat(time.Since(m.started).Seconds()))
}

// quote writes a label value with the escapes the format requires.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// writeMetrics renders every metric: requests, the database pool,
// applications by state and overdue (read from the database at scrape
// time, so several processes report the same figures), and the Go runtime.
func (h *Handler) writeMetrics(ctx context.Context, b *bytes.Buffer) error {
	h.metrics.writeTo(b)

	st := h.store.Stats()
	fmt.Fprintf(b, "# HELP gongkai_db_connections Database connections by state.\n# TYPE gongkai_db_connections gauge\n")
	fmt.Fprintf(b, "gongkai_db_connections{state=\"open\"} %d\ngongkai_db_connections{state=\"in_use\"} %d\ngongkai_db_connections{state=\"idle\"} %d\n",
		st.OpenConnections, st.InUse, st.Idle)
	fmt.Fprintf(b, "# HELP gongkai_db_connections_max Maximum open database connections.\n# TYPE gongkai_db_connections_max gauge\ngongkai_db_connections_max %d\n", st.MaxOpenConnections)
	fmt.Fprintf(b, "# HELP gongkai_db_wait_total Times a request waited for a free database connection.\n# TYPE gongkai_db_wait_total counter\ngongkai_db_wait_total %d\n", st.WaitCount)
	fmt.Fprintf(b, "# HELP gongkai_db_wait_seconds_total Time spent waiting for a free database connection.\n# TYPE gongkai_db_wait_seconds_total counter\ngongkai_db_wait_seconds_total %s\n", formatFloat(st.WaitDuration.Seconds()))

	counts, err := h.store.ApplicationStateCounts(ctx, h.store.Today())
	if err != nil {
		return err
	}
	b.WriteString("# HELP gongkai_applications Applications by agency and status.\n# TYPE gongkai_applications gauge\n")
	for _, c := range counts.ByStatus {
		fmt.Fprintf(b, "gongkai_applications{agency=%s,status=%s} %d\n", quote(c.Agency), quote(c.Status), c.Count)
	}
	b.WriteString("# HELP gongkai_applications_overdue Open applications past their statutory due date, by agency.\n# TYPE gongkai_applications_overdue gauge\n")
	for _, c := range counts.Overdue {
		fmt.Fprintf(b, "gongkai_applications_overdue{agency=%s} %d\n", quote(c.Agency), c.Count)
	}

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(b, "# HELP go_goroutines Goroutines that currently exist.\n# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(b, "# HELP go_memstats_heap_alloc_bytes Heap bytes allocated and in use.\n# TYPE go_memstats_heap_alloc_bytes gauge\ngo_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
	fmt.Fprintf(b, "# HELP go_memstats_sys_bytes Bytes obtained from the system.\n# TYPE go_memstats_sys_bytes gauge\ngo_memstats_sys_bytes %d\n", ms.Sys)
	return nil
}

// serveMetrics serves GET /metrics on the main address, only with the
// bearer token PORTAL_METRICS_TOKEN; without a token configured the route
// answers 404, and operators use the separate metrics address instead.
func (h *Handler) serveMetrics(c *gin.Context) error {
	if h.cfg.MetricsToken == "" {
		return errNotFound
	}
	got := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(got), []byte(h.cfg.MetricsToken)) != 1 {
		c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
		c.Data(http.StatusUnauthorized, "text/plain; charset=utf-8", []byte("unauthorized\n"))
		return nil
	}
	h.metricsText(c.Writer, c.Request)
	return nil
}

// MetricsHandler serves the metrics on their own listen address
// (PORTAL_METRICS_ADDR), which should be reachable only from the
// monitoring network.
func (h *Handler) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", h.metricsText)
	return mux
}

func (h *Handler) metricsText(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	var b bytes.Buffer
	if err := h.writeMetrics(ctx, &b); err != nil {
		h.log.Error("metrics", "err", err)
		http.Error(w, "metrics unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}
