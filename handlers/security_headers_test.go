package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// securityHeaderWants are the headers every response carries.
var securityHeaderWants = map[string]string{
	"Content-Security-Policy":      "frame-ancestors 'none'",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "same-origin",
	"Permissions-Policy":           "camera=()",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// TestSecurityHeadersOnEveryStatus (ASVS 14.4): the security headers are
// on every kind of response, beyond those TestSecurityHeadersOnEveryResponse
// checks: a redirect, a refused form (422), a lock-out (429), a malformed
// multipart body (422), a panic's 500 page, a staff page, a PDF and a file download.
func TestSecurityHeadersOnEveryStatus(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	w := newSecWorld(t, s, clock, Config{})
	v := w.visitor(t)
	number, _ := v.submitted(t, personFields(), nil)
	omni := w.office(t, w.omni)
	check := func(what string, want int, h http.Header, status int) {
		t.Helper()
		if status != want {
			t.Errorf("%s: status %d, want %d", what, status, want)
		}
		for k, sub := range securityHeaderWants {
			if !strings.Contains(h.Get(k), sub) {
				t.Errorf("%s (%d): %s = %q, want it to contain %q", what, status, k, h.Get(k), sub)
			}
		}
	}
	r := w.visitor(t).get(t, "/track/status")
	check("redirect", http.StatusSeeOther, r.Header, r.StatusCode)
	r = w.visitor(t).post(t, "/track", url.Values{"number": {"x"}, "code": {"y"}})
	check("refused look-up", http.StatusUnprocessableEntity, r.Header, r.StatusCode)
	locked := w.visitor(t)
	for range 5 {
		locked.post(t, "/track", lookupForm(number, "AAAAA-AAAAA"))
	}
	r = locked.post(t, "/track", lookupForm(number, "AAAAA-AAAAA"))
	check("lock-out", http.StatusTooManyRequests, r.Header, r.StatusCode)
	req, _ := http.NewRequest("POST", w.srv.URL+"/apply", strings.NewReader("--b\r\nbroken"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	r = w.visitor(t).do(t, req)
	check("malformed body", http.StatusUnprocessableEntity, r.Header, r.StatusCode)
	r = v.get(t, "/track/receipt")
	check("receipt PDF", http.StatusOK, r.Header, r.StatusCode)
	r = omni.get(t, "/staff/applications/"+number)
	check("staff page", http.StatusOK, r.Header, r.StatusCode)
	r = omni.get(t, "/staff/search/register.xlsx")
	check("spreadsheet download", http.StatusOK, r.Header, r.StatusCode)

	eng := w.h.Routes()
	eng.GET("/panic", func(*gin.Context) { panic("boom") })
	rec := httptest.NewRecorder()
	eng.ServeHTTP(rec, httptest.NewRequest("GET", "/panic", nil))
	check("panic", http.StatusInternalServerError, rec.Header(), rec.Code)
}
