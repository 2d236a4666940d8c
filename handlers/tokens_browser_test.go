package handlers

import (
	"strings"
	"testing"

	"gongkai/handlers/browsertest"
	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestTokensPageInBrowser: a clerk signs in, reaches the tokens page from
// the password page, is refused with a field message, creates a token
// and revokes it; axe-core (WCAG 2.1 A and AA) and the 320-pixel reflow
// check find nothing on the page in each of its states.
func TestTokensPageInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	base := app.srv.URL
	mkStaffUser(t, s, "tokenuser", []models.Role{models.RoleOfficeClerk}, nil, false)
	tab := b.NewTab(t)
	staffLogin(t, tab, base, "tokenuser", staffPassword)

	tab.Visit(t, base+"/staff/password")
	// Follow the link from the keyboard and wait for the page it leads to
	// (a click does not wait for the navigation it starts).
	submitWith(t, tab, `a[href="/staff/account/tokens"]`)
	if loc := tab.Location(t); !strings.HasSuffix(loc, "/staff/account/tokens") {
		t.Fatalf("the password page's link led to %s", loc)
	}
	tab.CheckAccessible(t, "tokens page, no token")

	tab.TypeInto(t, "#f-expires_on", "2020-01-01")
	submitWith(t, tab, `form[action="/staff/account/tokens"] button[type=submit]`)
	if msg := tab.Text(t, "main"); !strings.Contains(msg, "请填写令牌的用途") || !strings.Contains(msg, "有效期应晚于今天") {
		t.Errorf("refused form: %q", msg)
	}
	tab.CheckAccessible(t, "tokens page, refused form")

	tab.Visit(t, base+"/staff/account/tokens")
	tab.TypeInto(t, "#f-name", "公开办办公系统对接")
	submitWith(t, tab, `form[action="/staff/account/tokens"] button[type=submit]`)
	if tok := tab.Text(t, "#token-value"); !staffTokenRE.MatchString(tok) {
		t.Fatalf("the new token is not shown: %q", tok)
	}
	tab.CheckAccessible(t, "tokens page, new token shown")

	submitWith(t, tab, `form[action="/staff/account/tokens/revoke"] button[type=submit]`)
	if msg := tab.Text(t, ".flash"); !strings.Contains(msg, "令牌已吊销") {
		t.Errorf("after revoking: %q", msg)
	}
	tab.CheckAccessible(t, "tokens page, revoked token listed")
}
