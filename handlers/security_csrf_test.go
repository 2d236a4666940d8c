package handlers

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// stateTables are the tables a state-changing request writes to; a
// refused request leaves every count as it was.
var stateTables = []string{"applications", "application_events", "attachments", "staged_uploads", "notices", "audit_log",
	"sessions", "users", "sections", "catalog_entries", "catalog_categories", "api_clients", "api_tokens", "rate_limits", "track_revocations"}

func tableCounts(t *testing.T, s *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range stateTables {
		out[tb] = countRows(t, s, tb)
	}
	return out
}

// TestSecurityCrossOriginEveryRoute (ASVS 4.2.2, 50.3): every route that
// is not GET or HEAD, walked from gin.Engine.Routes(), is refused with 403
// when the browser says the request comes from another site
// (Sec-Fetch-Site: cross-site or same-site) or, for browsers that do not
// send Sec-Fetch-Site, when its Origin is another origin — even with a
// valid staff session, its form token and a tracking session, so that
// nothing but the origin check refuses it. Pages answer with the Chinese
// error page, /api with the JSON error form. No table changes.
func TestSecurityCrossOriginEveryRoute(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{})
		applicant := w.visitor(t)
		number, _ := applicant.submitted(t, personFields(), nil)
		app := mustApp(t, s, number)
		office := w.office(t, w.omni)
		trackCk := cookieOf(t, applicant, "/track", trackCookie)

		before := tableCounts(t, s)
		vals := map[string]string{"number": number, "id": "1", "file": "1", "filepath": "css/site.css"}
		posts := 0
		for _, rt := range w.h.Routes().Routes() {
			if rt.Method == http.MethodGet || rt.Method == http.MethodHead {
				continue
			}
			posts++
			path := routeURL(rt.Path, vals)
			for _, hdr := range []map[string]string{
				{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
				{"Sec-Fetch-Site": "same-site", "Origin": "https://other.example.gov.cn"},
				{"Origin": "https://evil.example"},
				{"Origin": "null"},
			} {
				form := url.Values{csrfField: {office.csrf}, "number": {number}, "code": {"AAAAA-AAAAA"}, "name": {"跨站"}}
				req, _ := http.NewRequest(rt.Method, w.srv.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if strings.HasPrefix(path, "/api/") {
					req.Header.Set("Content-Type", "application/json")
					req.Body = io.NopCloser(strings.NewReader(`{"number":"` + number + `","query_code":"AAAAA-AAAAA"}`))
				}
				for k, v := range hdr {
					req.Header.Set(k, v)
				}
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sessionTokenOf(t, office)})
				req.AddCookie(trackCk)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				what := describe(rt.Method, path) + " with " + strings.Join(headerList(hdr), ", ")
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", what, resp.StatusCode)
					continue
				}
				if strings.HasPrefix(path, "/api/") {
					var e APIError
					if err := json.Unmarshal(b, &e); err != nil || e.Error.Code != models.EFORBIDDEN || !strings.Contains(e.Error.Message, "其他网站") {
						t.Errorf("%s: want the JSON error form with code forbidden, got %s %q", what, resp.Header.Get("Content-Type"), b)
					}
					continue
				}
				if !strings.Contains(string(b), "请求来自其他网站，已被拒绝") || !strings.Contains(string(b), `lang="zh-CN"`) ||
					!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					t.Errorf("%s: want the Chinese error page, got %s\n%s", what, resp.Header.Get("Content-Type"), staffExcerpt(string(b)))
				}
			}
		}
		if posts < 40 {
			t.Errorf("walked only %d state-changing routes: is the router complete?", posts)
		}
		if after := tableCounts(t, s); !mapsEqual(before, after) {
			t.Errorf("refused requests changed the database: before %v, after %v", before, after)
		}
		if got := mustApp(t, s, number); got.Status != app.Status {
			t.Errorf("status %s → %s", app.Status, got.Status)
		}
	})
}

// TestSecurityAPIBrowserCrossSite shows why the JSON API, which serves
// platforms' servers that send neither Origin nor Sec-Fetch-Site, is safe
// from browsers: a browser's cross-site POST always carries Origin (and
// Sec-Fetch-Site in current browsers) and is refused like any page; a
// request without them passes the origin check but the API takes no
// cookie, so a staff or tracking session in the browser authorises
// nothing there; and no CORS header is ever sent, so a page on another
// site can neither read an answer nor send the Authorization header a
// platform key needs (its preflight fails).
func TestSecurityAPIBrowserCrossSite(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	w := newSecWorld(t, s, clock, Config{})
	office := w.office(t, w.omni)
	applicant := w.visitor(t)
	applicant.submitted(t, personFields(), nil)

	post := func(path string, hdr map[string]string, body string) (int, http.Header, string) {
		req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain") // what a cross-site <form enctype=text/plain> sends
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sessionTokenOf(t, office)})
		req.AddCookie(cookieOf(t, applicant, "/track", trackCookie))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	body := `{"applicant_type":"person","name":"跨站","title":"x"}`
	before := countRows(t, s, "applications")
	// What a browser sends.
	for _, hdr := range []map[string]string{
		{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},
		{"Origin": "https://evil.example"},
	} {
		if code, h, b := post("/api/v1/applications", hdr, body); code != http.StatusForbidden || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("browser cross-site POST with %v: %d %s %s", hdr, code, h.Get("Content-Type"), b)
		}
	}
	// What a server sends: past the origin check, but the cookies count for
	// nothing — no key, no submission.
	if code, h, _ := post("/api/v1/applications", nil, body); code != http.StatusUnauthorized || h.Get("WWW-Authenticate") == "" {
		t.Errorf("POST without a key but with staff and tracking cookies: %d, want 401", code)
	}
	if countRows(t, s, "applications") != before {
		t.Error("an application was filed")
	}
	// No CORS: the preflight a cross-site fetch with Authorization needs
	// gets no Access-Control-Allow-* header.
	req, _ := http.NewRequest("OPTIONS", w.srv.URL+"/api/v1/applications", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k := range resp.Header {
		if strings.HasPrefix(k, "Access-Control-") {
			t.Errorf("preflight answered with %s: %q", k, resp.Header.Get(k))
		}
	}
	for _, path := range []string{"/api/openapi.json"} {
		r := w.visitor(t).get(t, path)
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s sends Access-Control-Allow-Origin", path)
		}
	}
}

// cookieOf returns a visitor's cookie for a path.
func cookieOf(t *testing.T, v *visitor, path, name string) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(v.app.srv.URL + path)
	for _, c := range v.client.Jar.Cookies(u) {
		if c.Name == name {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	t.Fatalf("no %s cookie for %s", name, path)
	return nil
}

// sessionTokenOf returns an office client's session token.
func sessionTokenOf(t *testing.T, o *officeClient) string {
	t.Helper()
	return cookieOf(t, o.visitor, "/staff", sessionCookie).Value
}

func headerList(h map[string]string) []string {
	var out []string
	for _, k := range []string{"Sec-Fetch-Site", "Origin"} {
		if v, ok := h[k]; ok {
			out = append(out, k+": "+v)
		}
	}
	return out
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
