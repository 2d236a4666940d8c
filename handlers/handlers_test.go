package handlers

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/templates"
)

// testApp is a portal on a real SQLite file, served by httptest.
type testApp struct {
	h     *Handler
	store *store.Store
	logs  *bytes.Buffer
	srv   *httptest.Server
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	s, _ := storetest.Open(t, store.SQLite, storetest.Options{})
	tmpl, err := templates.Parse(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h, err := New(s, tmpl, slog.New(slog.NewTextHandler(&logs, nil)), Config{Location: storetest.Shanghai})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return &testApp{h: h, store: s, logs: &logs, srv: srv}
}

func (a *testApp) do(t *testing.T, method, path string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHomePage(t *testing.T) {
	app := newTestApp(t)
	resp, body := app.do(t, "GET", "/", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		`<html lang="zh-CN">`, `href="#main"`, `<main id="main"`, `<nav class="site-nav" aria-label="主导航">`,
		`href="/apply"`, `href="/track"`, "铁岭市民政局", "政府信息公开申请", `aria-current="page"`,
		`/static/css/site.css?v=`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("home page has inline script or style, which the CSP forbids")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	app := newTestApp(t)
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		status             int
	}{
		{"home", "GET", "/", nil, 200},
		{"not found", "GET", "/no-such-page", nil, 404},
		{"method not allowed", "DELETE", "/", nil, 405},
		{"static", "GET", "/static/css/site.css", nil, 200},
		{"health", "GET", "/healthz", nil, 200},
		{"cross-origin post", "POST", "/", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := app.do(t, tc.method, tc.path, nil, tc.header)
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			for h, want := range map[string]string{
				"Content-Security-Policy": "frame-ancestors 'none'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"X-Frame-Options":         "DENY",
			} {
				if got := resp.Header.Get(h); !strings.Contains(got, want) {
					t.Errorf("%s = %q, want it to contain %q", h, got, want)
				}
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Error("CSP does not restrict scripts to the portal's own files")
			}
			if resp.Header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
		})
	}
}

func TestErrorPagesAreChinese(t *testing.T) {
	app := newTestApp(t)
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		status             int
		want               string
	}{
		{"404", "GET", "/missing", nil, 404, "页面不存在"},
		{"405", "PUT", "/", nil, 405, "请求方式不被允许"},
		{"403 cross-origin", "POST", "/", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "请求来自其他网站，已被拒绝"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := app.do(t, tc.method, tc.path, nil, tc.header)
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			if !strings.Contains(body, tc.want) || !strings.Contains(body, `lang="zh-CN"`) {
				t.Errorf("body lacks %q:\n%s", tc.want, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestSameOriginPostPasses(t *testing.T) {
	app := newTestApp(t)
	// A same-origin POST to a route that takes no POST is 405, not 403:
	// the cross-origin check let it through.
	resp, _ := app.do(t, "POST", "/", nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("same-origin POST status = %d, want 405", resp.StatusCode)
	}
}

func TestPanicGives500PageAndLogsRequestID(t *testing.T) {
	app := newTestApp(t)
	r := app.h.Routes()
	r.GET("/panic", func(c *gin.Context) { panic("boom") })
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/panic", nil))
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "系统暂时出现问题") || strings.Contains(body, "boom") {
		t.Errorf("500 page must be Chinese and must not show the panic:\n%s", body)
	}
	id := rec.Header().Get("X-Request-ID")
	if id == "" || !strings.Contains(body, id) || !strings.Contains(app.logs.String(), id) {
		t.Errorf("request id %q must be on the page and in the log", id)
	}
}

func TestStaticCaching(t *testing.T) {
	app := newTestApp(t)
	url := app.h.tmpl.StaticURL("css/site.css")
	resp, body := app.do(t, "GET", url, nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "skip-link") {
		t.Fatalf("GET %s = %d", url, resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned URL Cache-Control = %q, want immutable", cc)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q", ct)
	}
	resp, _ = app.do(t, "GET", "/static/css/site.css?v=old", nil, nil)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("stale version Cache-Control = %q, want no-cache", cc)
	}
	for _, p := range []string{"/static/../handlers.go", "/static/nope.css", "/static/%2e%2e/templates.go"} {
		if resp, _ := app.do(t, "GET", p, nil, nil); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestApp(t)
	if resp, body := app.do(t, "GET", "/healthz", nil, nil); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz = %d %q", resp.StatusCode, body)
	}
	if resp, body := app.do(t, "GET", "/readyz", nil, nil); resp.StatusCode != 200 || body != "ready\n" {
		t.Errorf("readyz = %d %q", resp.StatusCode, body)
	}
	// A database whose migrations have not run is not ready.
	empty, err := store.Open(t.Context(), store.Config{DSN: storetest.DSN(t, store.SQLite), Keys: storetest.Keys(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	h, err := New(empty, app.h.tmpl, slog.New(slog.DiscardHandler), Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.Routes().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz with pending migrations = %d, want 503", rec.Code)
	}
}

func TestAccessLogHasNoQueryOrPersonalData(t *testing.T) {
	app := newTestApp(t)
	app.do(t, "GET", "/?id=110101199003074477&phone=13812345678", nil, nil)
	logs := app.logs.String()
	if strings.Contains(logs, "110101199003074477") || strings.Contains(logs, "13812345678") {
		t.Errorf("access log contains personal data from the URL:\n%s", logs)
	}
	if !strings.Contains(logs, "route=/") || !strings.Contains(logs, "status=200") {
		t.Errorf("access log lacks route and status:\n%s", logs)
	}
}
