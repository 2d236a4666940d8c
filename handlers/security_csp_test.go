package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"

	"gongkai/handlers/browsertest"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// cspDirectives are the directives the portal's Content-Security-Policy
// must hold; cspForbidden the sources that would let injected script run.
var (
	cspDirectives = []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
		"base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}
	cspForbidden = []string{"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "data: ", "*", "http:", "https:"}
)

// injected is a page with every way script could ride in on stored text:
// an inline script, an event handler, a javascript: URL followed by a
// click, and an inline style. Each sets a mark on the window.
const injected = `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body>
<script>window.__inline = 1</script>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__handler = 1" onerror="window.__handler = 1">
<a id="js" href="javascript:window.__jsurl = 1">x</a>
<p id="styled" style="color: rgb(255, 0, 0)">x</p>
</body></html>`

// TestSecurityCSPBlocksInlineScript (ASVS 14.4.3, 50.2.x): the policy
// the portal sends on every response forbids inline script, event
// handlers and javascript: URLs, and Chromium enforces it: a page carrying
// an injected script, served behind the portal's own securityHeaders
// middleware, runs none of it, while the same page without the header does
// (so the check can fail). The portal's own pages need no inline script:
// a public page that echoes hostile input (the catalog search) shows it as
// text and runs nothing.
func TestSecurityCSPBlocksInlineScript(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	w := newSecWorld(t, s, clock, Config{})
	for _, p := range []string{"/", "/apply", "/no-such-page", "/catalog.pdf", "/static/css/site.css", "/staff/login"} {
		csp := w.visitor(t).get(t, p).Header.Get("Content-Security-Policy")
		for _, d := range cspDirectives {
			if !strings.Contains(csp, d) {
				t.Errorf("GET %s: CSP %q lacks %q", p, csp, d)
			}
		}
		for _, d := range cspForbidden {
			if strings.Contains(csp+" ", " "+d) {
				t.Errorf("GET %s: CSP %q allows %s", p, csp, d)
			}
		}
	}

	b := browsertest.New(t)
	serve := func(protect bool) string {
		r := gin.New()
		if protect {
			r.Use(w.h.securityHeaders)
		}
		r.GET("/injected", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(injected)) })
		srv := httptest.NewServer(r)
		t.Cleanup(srv.Close)
		return srv.URL + "/injected"
	}
	marks := func(tab *browsertest.Tab, u string) string {
		tab.Visit(t, u)
		ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
		defer cancel()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(done => {
			document.getElementById('js').click();
			setTimeout(() => done([window.__inline, window.__handler, window.__jsurl,
				getComputedStyle(document.getElementById('styled')).color].join(',')), 300);
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("evaluate on %s: %v", u, err)
		}
		return got
	}
	tab := b.NewTab(t)
	if got := marks(tab, serve(false)); got != "1,1,1,rgb(255, 0, 0)" {
		t.Fatalf("without the policy the injected page ran %q, want everything: the check is broken", got)
	}
	if got := marks(tab, serve(true)); got != ",,,rgb(0, 0, 0)" {
		t.Errorf("behind the portal's headers the injected page ran %q (inline, handler, javascript: URL, inline style), want nothing", got)
	}

	// The portal's own page echoing hostile input.
	payload := `"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
	tab.Visit(t, w.srv.URL+"/catalog?q="+url.QueryEscape(payload))
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[String(window.__xss), document.querySelectorAll('img[src="x"]').length,
		[...document.querySelectorAll('script')].filter(s => !s.src).length, document.querySelector('input[name=q]').value].join('|')`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "undefined|0|0|" + payload; got != want {
		t.Errorf("catalog search echoing the payload: got %q, want %q", got, want)
	}
}
