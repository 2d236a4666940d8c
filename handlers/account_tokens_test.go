package handlers

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"gongkai/models"
	"gongkai/models/store"
)

var staffTokenRE = regexp.MustCompile(`gks_[A-Za-z0-9_-]{43}`)

// elementByID finds the element with the id in an HTML page, or nil.
func elementByID(t *testing.T, body, id string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var find func(n *html.Node) *html.Node
	find = func(n *html.Node) *html.Node {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == id {
					return n
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	return find(doc)
}

// attrOf returns an attribute of n ("" when n is nil or lacks it).
func attrOf(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestOwnTokensPage: a user creates a token, sees it once (never again:
// the list shows its first characters), uses it, and revokes it; the store
// keeps only its hash; another user cannot revoke it; a bad name or date
// is refused next to the field with the input kept; creation and
// revocation are audited.
func TestOwnTokensPage(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s, ctx := app.store, context.Background()
		clerk := app.office(t, u.clerk)
		page := "/staff/account/tokens"

		r := clerk.get(t, page)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "您还没有创建令牌") {
			t.Fatalf("empty tokens page: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}

		// Bad input: the messages by the fields, the input kept.
		r = clerk.send(t, page, url.Values{"name": {"  "}, "expires_on": {"2020-01-01"}})
		if r.StatusCode != 422 || !strings.Contains(r.Body, "请填写令牌的用途") || !strings.Contains(r.Body, "有效期应晚于今天") {
			t.Errorf("empty name and a past date: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		if in := elementByID(t, r.Body, "f-expires_on"); attrOf(in, "value") != "2020-01-01" || attrOf(in, "aria-invalid") != "true" {
			t.Errorf("the date field after a refusal: value %q, aria-invalid %q", attrOf(in, "value"), attrOf(in, "aria-invalid"))
		}
		r = clerk.send(t, page, url.Values{"name": {"公开办办公系统"}, "expires_on": {"下个月"}})
		if in := elementByID(t, r.Body, "f-name"); r.StatusCode != 422 || !strings.Contains(r.Body, "日期格式不正确") || attrOf(in, "value") != "公开办办公系统" {
			t.Errorf("a malformed date: %d, name kept as %q\n%s", r.StatusCode, attrOf(in, "value"), staffExcerpt(r.Body))
		}
		if staffTokenRE.MatchString(r.Body) {
			t.Errorf("a refused form shows a token")
		}
		if toks, _ := s.APITokens(ctx, u.clerk.ID); len(toks) != 0 {
			t.Fatalf("refused forms created %d tokens", len(toks))
		}

		// Create: the token is on the answer, once, not cached.
		expires := s.Today().AddDays(30)
		r = clerk.send(t, page, url.Values{"name": {"公开办办公系统"}, "expires_on": {expires.String()}})
		key := staffTokenRE.FindString(r.Body)
		if r.StatusCode != 200 || key == "" || !strings.Contains(r.Body, "只显示这一次") {
			t.Fatalf("create: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page showing the token has Cache-Control %q", cc)
		}
		if r := staffCall(t, app.srv.URL, "GET", "/api/v1/staff/inbox", key, nil); r.status != 200 {
			t.Errorf("the new token on the API: %d %s", r.status, r.raw)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE key_hash = ? AND key_prefix = ?`,
			models.APIKeyHash(key), key[:12]).Scan(&n); err != nil || n != 1 {
			t.Errorf("stored by hash: %d %v", n, err)
		}
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE key_hash = ? OR key_prefix = ? OR name = ?`,
			key, key, key).Scan(&n); err != nil || n != 0 {
			t.Errorf("the token itself is stored: %d %v", n, err)
		}

		// The list: masked, active, valid through the chosen day, used.
		r = clerk.get(t, page)
		if strings.Contains(r.Body, key) || !strings.Contains(r.Body, key[:12]+"…") {
			t.Errorf("the list shows the whole token, or not its first characters:\n%s", staffExcerpt(r.Body))
		}
		for _, want := range []string{"公开办办公系统", "有效", expires.Chinese(), "共1个"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("tokens list lacks %q:\n%s", want, staffExcerpt(r.Body))
			}
		}
		if strings.Contains(r.Body, "从未使用") {
			t.Errorf("the token was used, the list says never")
		}
		toks, err := s.APITokens(ctx, u.clerk.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens = %v, %v", toks, err)
		}
		tok := toks[0]
		if got := tok.ExpiresAt; !got.Equal(expires.AddDays(1).Time(app.h.cfg.Location)) {
			t.Errorf("expires at %v, want the end of %s", got, expires)
		}

		// Valid through the last day, not after.
		app.clock.Set(expires.Time(app.h.cfg.Location).Add(23 * time.Hour))
		if r := staffCall(t, app.srv.URL, "GET", "/api/v1/staff/inbox", key, nil); r.status != 200 {
			t.Errorf("on its last day: %d", r.status)
		}
		app.clock.Advance(time.Hour)
		if r := staffCall(t, app.srv.URL, "GET", "/api/v1/staff/inbox", key, nil); r.status != 401 {
			t.Errorf("the day after: %d", r.status)
		}
		if r := clerk.get(t, page); !strings.Contains(r.Body, "已过期") {
			t.Errorf("the list does not say expired:\n%s", staffExcerpt(r.Body))
		}
		app.clock.Set(expires.Time(app.h.cfg.Location).Add(-24 * time.Hour))

		// Another user cannot revoke it.
		other := app.office(t, u.secA)
		if r := other.send(t, page+"/revoke", url.Values{"id": {fmt.Sprint(tok.ID)}}); r.StatusCode != 404 {
			t.Errorf("another user's revoke: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		if r := staffCall(t, app.srv.URL, "GET", "/api/v1/staff/inbox", key, nil); r.status != 200 {
			t.Errorf("after another user's attempt: %d", r.status)
		}

		// The owner revokes: at once, with a flash; no revoke button left.
		r = clerk.send(t, page+"/revoke", url.Values{"id": {fmt.Sprint(tok.ID)}})
		if r.StatusCode != 303 || r.Header.Get("Location") != page {
			t.Fatalf("revoke: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		r = clerk.follow(t, r)
		if !strings.Contains(r.Body, "令牌已吊销") || !strings.Contains(r.Body, "已吊销") || strings.Contains(r.Body, `action="/staff/account/tokens/revoke"`) {
			t.Errorf("after revoking:\n%s", staffExcerpt(r.Body))
		}
		if r := staffCall(t, app.srv.URL, "GET", "/api/v1/staff/inbox", key, nil); r.status != 401 {
			t.Errorf("a revoked token: %d", r.status)
		}
		if r := clerk.send(t, page+"/revoke", url.Values{"id": {fmt.Sprint(tok.ID)}}); r.StatusCode != 404 {
			t.Errorf("revoke twice: %d", r.StatusCode)
		}

		// Audited, in the user's name, without the token.
		for _, a := range []models.AuditAction{models.AuditAPITokenCreated, models.AuditAPITokenRevoked} {
			entries, _, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: 1, Action: string(a)})
			if err != nil || len(entries) != 1 || entries[0].ActorID != u.clerk.ID || entries[0].ObjectID != fmt.Sprint(tok.ID) {
				t.Errorf("%s: %v %v", a, entries, err)
				continue
			}
			if e := entries[0]; strings.Contains(e.Before+e.After, key) || !strings.Contains(e.Before+e.After, key[:12]) {
				t.Errorf("%s entry: before %s after %s", a, e.Before, e.After)
			}
		}

		// At most models.MaxActiveAPITokens usable tokens per user.
		for i := 0; i < models.MaxActiveAPITokens; i++ {
			mustToken(t, s, u.clerk, fmt.Sprintf("工具%d", i), time.Time{})
		}
		r = clerk.send(t, page, url.Values{"name": {"再多一个"}})
		if r.StatusCode != 422 || !strings.Contains(r.Body, "请先吊销不再使用的令牌") || staffTokenRE.MatchString(r.Body) {
			t.Errorf("one token too many: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
	})
}
