package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/templates"
)

// staffTestConfig is the handler configuration of the staff tests: short
// enough timeouts to step through with a pinned clock.
var staffTestConfig = Config{
	Location:           storetest.Shanghai,
	SessionIdleTimeout: 30 * time.Minute,
	SessionMaxAge:      8 * time.Hour,
	LoginMaxFailures:   3,
	LoginLockout:       15 * time.Minute,
}

// staffApp is one portal process: a Handler on a store, behind httptest.
type staffApp struct {
	h     *Handler
	store *store.Store
	clock *storetest.Clock
	srv   *httptest.Server
}

func newStaffApp(t *testing.T, s *store.Store, clock *storetest.Clock) *staffApp {
	t.Helper()
	tmpl, err := templates.Parse(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s, tmpl, slog.New(slog.DiscardHandler), staffTestConfig)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return &staffApp{h: h, store: s, clock: clock, srv: srv}
}

// secondProcess opens another store and Handler on the same database, as a
// second portal process would.
func (a *staffApp) secondProcess(t *testing.T) *staffApp {
	t.Helper()
	s2, err := store.Open(context.Background(), store.Config{DSN: a.store.DSN(), Keys: a.store.Keys(),
		Location: storetest.Shanghai, Now: a.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return newStaffApp(t, s2, a.clock)
}

const staffPassword = "Gongkai-2026x"

// mkStaffUser creates a staff user with staffPassword.
func mkStaffUser(t *testing.T, s *store.Store, username string, roles []models.Role, sections []int64, mustChange bool) *models.User {
	t.Helper()
	u := &models.User{AgencyID: storetest.DefaultAgency(t, s).ID, Username: username, DisplayName: "测试" + username,
		Roles: roles, SectionIDs: sections, MustChangePassword: mustChange}
	if err := s.CreateUser(context.Background(), u, staffPassword); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// staffBrowser is a client with one session cookie, like one browser.
type staffBrowser struct {
	app   *staffApp
	token string
}

type staffResp struct {
	status   int
	location string
	body     string
	cookies  []*http.Cookie
}

func (b *staffBrowser) do(t *testing.T, method, path string, form url.Values) staffResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.app.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if b.token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.token})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := staffResp{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), cookies: resp.Cookies()}
	for _, c := range r.cookies {
		if c.Name == sessionCookie {
			b.token = c.Value
			if c.MaxAge < 0 {
				b.token = ""
			}
		}
	}
	return r
}

func (b *staffBrowser) get(t *testing.T, path string) staffResp {
	t.Helper()
	return b.do(t, "GET", path, nil)
}

// post sends a form with the session's form token added.
func (b *staffBrowser) post(t *testing.T, path string, form url.Values) staffResp {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if b.token != "" && form.Get(csrfField) == "" {
		form.Set(csrfField, b.csrf(t))
	}
	return b.do(t, "POST", path, form)
}

// csrf reads the form token of the staffBrowser's session.
func (b *staffBrowser) csrf(t *testing.T) string {
	t.Helper()
	sess, _, err := b.app.store.SessionUser(context.Background(), b.token, b.app.h.sessionPolicy())
	if err != nil {
		return ""
	}
	return sess.CSRFToken
}

func (b *staffBrowser) login(t *testing.T, username, password string) staffResp {
	t.Helper()
	return b.do(t, "POST", "/staff/login", url.Values{"username": {username}, "password": {password}})
}

// signIn opens a session for u directly in the store (no bcrypt), for tests
// about what happens after login.
func (a *staffApp) signIn(t *testing.T, u *models.User) *staffBrowser {
	t.Helper()
	token, _, err := a.store.CreateSession(context.Background(), u.ID, a.h.sessionPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return &staffBrowser{app: a, token: token}
}

func wantStaff(t *testing.T, what string, r staffResp, status int, location string) {
	t.Helper()
	if r.status != status || (location != "" && !strings.HasPrefix(r.location, location)) {
		t.Errorf("%s: %d %s, want %d %s\n%s", what, r.status, r.location, status, location, staffExcerpt(r.body))
	}
}

var staffMainRe = regexp.MustCompile(`(?s)<main.*</main>`)

func staffExcerpt(body string) string {
	if m := staffMainRe.FindString(body); m != "" {
		body = m
	}
	if len(body) > 1500 {
		body = body[:1500]
	}
	return body
}

func lastStaffAudit(t *testing.T, s *store.Store, action models.AuditAction) *models.AuditEntry {
	t.Helper()
	entries, _, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: 1, Action: string(action), PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return nil
	}
	return &entries[0]
}

func TestLoginAndLogout(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		mkStaffUser(t, s, "zhangsan", []models.Role{models.RoleOfficeClerk}, nil, false)
		b := &staffBrowser{app: app}

		// Every staff page needs a session.
		wantStaff(t, "anonymous /staff", b.get(t, "/staff"), 303, "/staff/login?next=%2Fstaff")
		wantStaff(t, "anonymous post", b.do(t, "POST", "/staff/admin/users", url.Values{}), 303, "/staff/login")
		r := b.get(t, "/staff/login")
		if r.status != 200 || !strings.Contains(r.body, `autocomplete="current-password"`) || !strings.Contains(r.body, `name="robots" content="noindex`) {
			t.Errorf("login page: %d\n%s", r.status, staffExcerpt(r.body))
		}

		// A wrong password and an unknown user get the same answer.
		bad := b.login(t, "zhangsan", "wrong-password-9")
		unknown := b.login(t, "nosuchuser", "wrong-password-9")
		if bad.status != 401 || unknown.status != 401 || !strings.Contains(bad.body, "用户名或密码不正确") {
			t.Errorf("failed logins: %d %d\n%s", bad.status, unknown.status, staffExcerpt(bad.body))
		}
		if staffMainRe.FindString(bad.body) != strings.Replace(staffMainRe.FindString(unknown.body), "nosuchuser", "zhangsan", 1) {
			t.Error("the answer tells a wrong password from an unknown user")
		}
		if b.token != "" {
			t.Error("a failed login set a session cookie")
		}

		r = b.login(t, "zhangsan", staffPassword)
		wantStaff(t, "login", r, 303, "/staff")
		var ck *http.Cookie
		for _, c := range r.cookies {
			if c.Name == sessionCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/staff" || ck.Secure || ck.MaxAge != 0 {
			t.Fatalf("session cookie = %+v", ck)
		}
		r = b.get(t, "/staff")
		if r.status != 200 || !strings.Contains(r.body, "测试zhangsan") || !strings.Contains(r.body, "公开办经办") {
			t.Errorf("staff home: %d\n%s", r.status, staffExcerpt(r.body))
		}
		if e := lastStaffAudit(t, s, models.AuditLoginSucceeded); e == nil || e.ClientIP != "127.0.0.1" || e.ActorName != "测试zhangsan（zhangsan）" {
			t.Errorf("login entry = %+v", e)
		}

		// Logout ends the session on the server: the old cookie no longer works.
		old := b.token
		wantStaff(t, "logout", b.post(t, "/staff/logout", nil), 303, "/staff/login")
		if b.token != "" {
			t.Error("logout did not clear the cookie")
		}
		b.token = old
		wantStaff(t, "old cookie after logout", b.get(t, "/staff"), 303, "/staff/login")
		if lastStaffAudit(t, s, models.AuditLogout) == nil {
			t.Error("logout not audited")
		}
	})
}

func TestLoginNextStaysInTheStaffArea(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "/staff",
		"/staff/admin/users?x=1":        "/staff/admin/users?x=1",
		"https://evil.example/staff":    "/staff",
		"//evil.example/staff":          "/staff",
		"/\\evil.example":               "/staff",
		"/apply":                        "/staff",
		"/staff/login":                  "/staff",
		"/staffevil":                    "/staff",
		"/staff/applications/TLMZ-2026": "/staff/applications/TLMZ-2026",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecureCookieBehindTLS(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	cfg := staffTestConfig
	cfg.SecureCookies = true
	tmpl, _ := templates.Parse(templates.FS)
	h, err := New(s, tmpl, slog.New(slog.DiscardHandler), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Routes())
	defer srv.Close()
	mkStaffUser(t, s, "zhangsan", []models.Role{models.RoleOfficeClerk}, nil, false)
	app := &staffApp{h: h, store: s, clock: clock, srv: srv}
	r := (&staffBrowser{app: app}).login(t, "zhangsan", staffPassword)
	for _, c := range r.cookies {
		if c.Name == sessionCookie && !c.Secure {
			t.Error("session cookie not Secure with SecureCookies")
		}
	}
}

func TestLoginLockout(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		other := app.secondProcess(t)
		mkStaffUser(t, s, "lisi", []models.Role{models.RoleReviewer}, nil, false)
		// Failures on two processes count together.
		for i, a := range []*staffApp{app, other, app} {
			if r := (&staffBrowser{app: a}).login(t, "lisi", "wrong-password-9"); r.status != 401 {
				t.Fatalf("failure %d: %d", i+1, r.status)
			}
		}
		if e := lastStaffAudit(t, s, models.AuditLoginLocked); e == nil {
			t.Error("lockout not audited")
		}
		// Locked: the right password is refused, with the same message as a
		// wrong one, on either process.
		for _, a := range []*staffApp{app, other} {
			r := (&staffBrowser{app: a}).login(t, "lisi", staffPassword)
			if r.status != 401 || !strings.Contains(r.body, "用户名或密码不正确") || !strings.Contains(r.body, "锁定15分钟") {
				t.Errorf("locked login: %d\n%s", r.status, staffExcerpt(r.body))
			}
		}
		clock.Advance(15*time.Minute + time.Second)
		wantStaff(t, "after the lockout", (&staffBrowser{app: other}).login(t, "lisi", staffPassword), 303, "/staff")
	})
}

func TestSessionRotation(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		u := mkStaffUser(t, s, "wangwu", []models.Role{models.RoleOfficeHead}, nil, false)
		// A token planted before login (session fixation) is never used.
		planted := models.NewToken(32)
		b := &staffBrowser{app: app, token: planted}
		wantStaff(t, "planted token", b.get(t, "/staff"), 303, "/staff/login")
		b.token = planted
		wantStaff(t, "login", b.login(t, "wangwu", staffPassword), 303, "/staff")
		if b.token == "" || b.token == planted {
			t.Fatalf("login kept the planted token")
		}
		wantStaff(t, "planted token after login", (&staffBrowser{app: app, token: planted}).get(t, "/staff"), 303, "/staff/login")

		// Logging in again from the same staffBrowser replaces the session.
		first := b.token
		wantStaff(t, "second login", b.login(t, "wangwu", staffPassword), 303, "/staff")
		if b.token == first {
			t.Error("second login kept the token")
		}
		wantStaff(t, "replaced token", (&staffBrowser{app: app, token: first}).get(t, "/staff"), 303, "/staff/login")
		wantStaff(t, "new token", b.get(t, "/staff"), 200, "")
		if n, _ := s.CountSessions(context.Background(), u.ID); n != 1 {
			t.Errorf("%d sessions, want 1", n)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		mkStaffUser(t, s, "zhaoliu", []models.Role{models.RoleAuditor}, nil, false)
		b := &staffBrowser{app: app}
		b.login(t, "zhaoliu", staffPassword)
		// Idle: requests 29 minutes apart keep the session alive …
		for i := 0; i < 3; i++ {
			clock.Advance(29 * time.Minute)
			wantStaff(t, "within the idle time", b.get(t, "/staff"), 200, "")
		}
		// … 30 minutes without one end it.
		clock.Advance(30 * time.Minute)
		r := b.get(t, "/staff/audit")
		wantStaff(t, "idle", r, 303, "/staff/login?next=%2Fstaff%2Faudit")
		if b.token != "" {
			t.Error("the ended session's cookie was not cleared")
		}
		var flash bool
		for _, c := range r.cookies {
			flash = flash || c.Name == flashCookie
		}
		if !flash {
			t.Error("no message about the timeout")
		}

		// Absolute: 8 hours after login, however active.
		b.login(t, "zhaoliu", staffPassword)
		for elapsed := time.Duration(0); elapsed < 8*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
			clock.Advance(20 * time.Minute)
			wantStaff(t, "active session", b.get(t, "/staff"), 200, "")
		}
		clock.Advance(20 * time.Minute)
		wantStaff(t, "after the absolute limit", b.get(t, "/staff"), 303, "/staff/login")
	})
}

func TestForcedPasswordChange(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		u := mkStaffUser(t, s, "sunqi", []models.Role{models.RoleAdmin}, nil, true)
		b := &staffBrowser{app: app}
		wantStaff(t, "login", b.login(t, "sunqi", staffPassword), 303, "/staff/password")
		// Every other staff page sends the user to the change page.
		for _, p := range []string{"/staff", "/staff/admin/users", "/staff/audit", "/staff/deadline"} {
			wantStaff(t, p, b.get(t, p), 303, "/staff/password")
		}
		wantStaff(t, "post before the change", b.post(t, "/staff/admin/sections", url.Values{"name": {"x"}}), 303, "/staff/password")
		r := b.get(t, "/staff/password")
		if r.status != 200 || !strings.Contains(r.body, "初始密码") || strings.Contains(r.body, "工作人员导航") {
			t.Errorf("change page: %d\n%s", r.status, staffExcerpt(r.body))
		}
		for _, tc := range []struct {
			name               string
			current, next, rep string
			field              string
		}{
			{"wrong current", "nope-nope-1", "Better-2026x", "Better-2026x", "current_password"},
			{"mismatch", staffPassword, "Better-2026x", "Better-2026y", "confirm_password"},
			{"same", staffPassword, staffPassword, staffPassword, "new_password"},
			{"weak", staffPassword, "abcdefghij", "abcdefghij", "new_password"},
		} {
			r := b.post(t, "/staff/password", url.Values{"current_password": {tc.current}, "new_password": {tc.next}, "confirm_password": {tc.rep}})
			if r.status != 422 || !strings.Contains(r.body, `id="e-`+tc.field+`"`) {
				t.Errorf("%s: %d\n%s", tc.name, r.status, staffExcerpt(r.body))
			}
		}
		// A second session of the same user exists elsewhere.
		elsewhere := app.signIn(t, u)
		before := b.token
		r = b.post(t, "/staff/password", url.Values{"current_password": {staffPassword}, "new_password": {"Better-2026x"}, "confirm_password": {"Better-2026x"}})
		wantStaff(t, "change", r, 303, "/staff")
		if b.token == before || b.token == "" {
			t.Error("the session was not replaced")
		}
		wantStaff(t, "home after the change", b.get(t, "/staff"), 200, "")
		wantStaff(t, "old session", (&staffBrowser{app: app, token: before}).get(t, "/staff"), 303, "/staff/login")
		wantStaff(t, "other session", elsewhere.get(t, "/staff"), 303, "/staff/login")
		if e := lastStaffAudit(t, s, models.AuditPasswordChanged); e == nil || e.ActorID != u.ID {
			t.Errorf("password change entry = %+v", e)
		}
		wantStaff(t, "new password", (&staffBrowser{app: app}).login(t, "sunqi", "Better-2026x"), 303, "/staff")
		wantStaff(t, "old password", (&staffBrowser{app: app}).login(t, "sunqi", staffPassword), 401, "")
	})
}

// TestSessionSharedBetweenProcesses: a session started by one portal
// process is accepted by another on the same database, and a logout on
// either ends it on both.
func TestSessionSharedBetweenProcesses(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		a := newStaffApp(t, s, clock)
		b := a.secondProcess(t)
		mkStaffUser(t, s, "zhouba", []models.Role{models.RoleOfficeClerk}, nil, false)
		onA := &staffBrowser{app: a}
		wantStaff(t, "login on A", onA.login(t, "zhouba", staffPassword), 303, "/staff")
		onB := &staffBrowser{app: b, token: onA.token}
		r := onB.get(t, "/staff")
		if r.status != 200 || !strings.Contains(r.body, "测试zhouba") {
			t.Fatalf("session from A on B: %d", r.status)
		}
		wantStaff(t, "logout on B", onB.post(t, "/staff/logout", nil), 303, "/staff/login")
		wantStaff(t, "A after logout on B", onA.get(t, "/staff"), 303, "/staff/login")
	})
}

func TestStaffFormsNeedTheSessionToken(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	u := mkStaffUser(t, app.store, "qianjiu", []models.Role{models.RoleAdmin}, nil, false)
	b := app.signIn(t, u)
	r := b.do(t, "POST", "/staff/admin/sections", url.Values{"name": {"伪造科室"}, csrfField: {"forged"}})
	if r.status != 403 {
		t.Errorf("forged form token: %d", r.status)
	}
	r = b.do(t, "POST", "/staff/admin/sections", url.Values{"name": {"伪造科室"}})
	if r.status != 403 {
		t.Errorf("missing form token: %d", r.status)
	}
	wantStaff(t, "with the token", b.post(t, "/staff/admin/sections", url.Values{"name": {"真实科室"}}), 303, "/staff/admin/sections")
	// A cross-site post is refused before the session is even looked at.
	req, _ := http.NewRequest("POST", app.srv.URL+"/staff/logout", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.token})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-site logout: %d", resp.StatusCode)
	}
}
