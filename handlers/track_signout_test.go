package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestTrackSignOutEndsSessionEverywhere (security item 7): signing out of
// the tracking pages ends the session on the server. A copy of the
// gk_track cookie taken after the look-up, and a later copy refreshed by a
// request, are both refused afterwards, on the process that signed out and
// on a second process on the same database: the status page, the receipt
// and the withdrawal form send the holder to the look-up form with the
// usual message. The applicant's other session (another browser) and a new
// look-up at the same instant are unaffected.
func TestTrackSignOutEndsSessionEverywhere(t *testing.T) {
	storetest.Each(t, storetest.Options{}, testTrackSignOutEndsSessionEverywhere)
}

func testTrackSignOutEndsSessionEverywhere(t *testing.T, s *store.Store, clock *storetest.Clock) {
	// Two portal processes: two stores and two handlers on one database.
	other, err := store.Open(context.Background(), store.Config{DSN: s.DSN(), Keys: storetest.Keys(t),
		Location: storetest.Shanghai, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	p1 := newCitizenAppOn(t, s, clock, Config{})
	p2 := newCitizenAppOn(t, other, clock, Config{})
	number, code := p1.visitor(t).submitted(t, personFields(), nil)

	signIn := func(p *citizenApp) *visitor {
		t.Helper()
		v := p.visitor(t)
		if r := v.post(t, "/track", lookupForm(number, code)); r.StatusCode != http.StatusSeeOther ||
			r.Header.Get("Location") != "/track/status" {
			t.Fatalf("look-up: %d → %q", r.StatusCode, r.Header.Get("Location"))
		}
		return v
	}
	// holding is a browser that has only the given cookie value.
	holding := func(p *citizenApp, value string) *visitor {
		v := p.visitor(t)
		u, _ := url.Parse(p.srv.URL + "/track")
		v.client.Jar.SetCookies(u, []*http.Cookie{{Name: trackCookie, Value: value, Path: "/track"}})
		return v
	}
	opens := func(v *visitor) bool {
		t.Helper()
		r := v.get(t, "/track/status")
		return r.StatusCode == http.StatusOK && strings.Contains(r.Body, number)
	}

	applicant := signIn(p1)
	copied := cookieOf(t, applicant, "/track", trackCookie).Value
	// The copy works before sign-out, on both processes; the thief's own
	// request refreshes it into a second value of the same session.
	thief := holding(p2, copied)
	if !opens(thief) {
		t.Fatal("copied cookie does not open the status page before sign-out")
	}
	refreshed := cookieOf(t, thief, "/track", trackCookie).Value
	if !opens(holding(p1, copied)) {
		t.Fatal("copied cookie refused by the first process before sign-out")
	}
	elsewhere := signIn(p2) // the same applicant in another browser
	if !opens(applicant) {
		t.Fatal("the applicant's own session does not open the status page")
	}

	r := applicant.post(t, "/track/signout", url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track" {
		t.Fatalf("sign-out: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	if page := applicant.follow(t, r); !strings.Contains(page.Body, "已退出查询") {
		t.Errorf("sign-out page lacks its message:\n%s", snippetOf(page.Body))
	}
	if n := countRows(t, s, "track_revocations"); n != 1 {
		t.Errorf("track_revocations has %d rows after one sign-out, want 1", n)
	}

	for _, p := range []struct {
		name string
		app  *citizenApp
	}{{"process 1", p1}, {"process 2", p2}} {
		for _, ck := range []struct{ name, value string }{{"copy at look-up", copied}, {"refreshed copy", refreshed}} {
			for _, path := range []string{"/track/status", "/track/receipt", "/track/withdraw"} {
				v := holding(p.app, ck.value)
				r := v.get(t, path)
				if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track" {
					t.Errorf("%s, %s, %s after sign-out: %d → %q, want 303 → /track",
						p.name, ck.name, path, r.StatusCode, r.Header.Get("Location"))
					continue
				}
				if page := v.follow(t, r); !strings.Contains(page.Body, "请重新输入申请编号和查询码") ||
					!strings.Contains(page.Body, `name="code"`) || strings.Contains(page.Body, code) {
					t.Errorf("%s, %s, %s: the look-up form with the message was not shown:\n%s",
						p.name, ck.name, path, snippetOf(page.Body))
				}
			}
			// The look-up form no longer forwards the copy to the status page.
			if r := holding(p.app, ck.value).get(t, "/track"); r.StatusCode != http.StatusOK {
				t.Errorf("%s, %s: look-up form after sign-out: %d, want 200", p.name, ck.name, r.StatusCode)
			}
			// Nor can the copy withdraw the application.
			if r := holding(p.app, ck.value).post(t, "/track/withdraw", url.Values{"reason": {"已从其他渠道获得"}, "confirm": {"1"}}); r.StatusCode != http.StatusSeeOther ||
				r.Header.Get("Location") != "/track" {
				t.Errorf("%s, %s: withdrawal after sign-out: %d → %q", p.name, ck.name, r.StatusCode, r.Header.Get("Location"))
			}
		}
	}
	if a := mustApp(t, s, number); !a.Status.Open() {
		t.Errorf("application %s is %v after replays, want still open", number, a.Status)
	}

	// Only the session that signed out ended.
	if !opens(elsewhere) {
		t.Error("the applicant's session in another browser ended too")
	}
	// A new look-up at the same instant starts a fresh session.
	if !opens(signIn(p2)) {
		t.Error("a new look-up after sign-out does not open the status page")
	}
	// Signing out without a session, or twice, is harmless.
	if r := p1.visitor(t).post(t, "/track/signout", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out without a session: %d, want 303", r.StatusCode)
	}
	if r := holding(p2, copied).post(t, "/track/signout", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out with a revoked cookie: %d, want 303", r.StatusCode)
	}
	if n := countRows(t, s, "track_revocations"); n != 1 {
		t.Errorf("track_revocations has %d rows, want 1", n)
	}
}
