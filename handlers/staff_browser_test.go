package handlers

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/handlers/browsertest"
	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// staffVisit is one state of a staff page for the accessibility sweep.
type staffVisit struct {
	user string // who is signed in: a key of staffSweepUsers, or "" for nobody
	path string
	// fill types text into fields (CSS selector → text) on path's page, and
	// submit then presses the button the selector names; the page the post
	// leads to is the one checked.
	fill   [][2]string
	submit string
}

// staffPageURLs lists every staff page template with the states the sweep
// checks. TestEveryPageIsChecked counts these as well as pageURLs.
var staffPageURLs = map[string][]staffVisit{
	"staff/login": {{path: "/staff/login"}},
	"staff/password": {{user: "newbie", path: "/staff/password"}, {user: "clerk", path: "/staff/password"},
		{user: "clerk", path: "/staff/password", submit: `form[action="/staff/password"] button[type=submit]`}},
	"staff/home": {{user: "chief", path: "/staff"}, {user: "clerk", path: "/staff"}, {user: "section", path: "/staff"}},
	"staff/deadline": {{user: "auditor", path: "/staff/deadline"},
		{user: "auditor", path: "/staff/deadline?received=2026-02-10&pause_from_1=2026-02-24&pause_to_1=2026-03-03&extend=1"},
		{user: "auditor", path: "/staff/deadline?received=2026-02-10&pause_from_2=2026-02-24"}},
	"staff/applications/find": {{user: "clerk", path: "/staff/applications"}, {user: "clerk", path: "/staff/applications?number=abc"}},
	"staff/applications/show": {{user: "clerk", path: "/staff/applications/{number}"},
		{user: "clerk", path: "/staff/applications/{number}", submit: `form[action$="/reveal"] button`}},
	"staff/admin/users/index": {{user: "chief", path: "/staff/admin/users"}},
	"staff/admin/users/form": {{user: "chief", path: "/staff/admin/users/new"},
		{user: "chief", path: "/staff/admin/users/new", submit: `form[action="/staff/admin/users"] button[type=submit]`},
		{user: "chief", path: "/staff/admin/users/{spare}"}},
	"staff/admin/users/password": {{user: "chief", path: "/staff/admin/users/{spare}", submit: `form[action$="/password"] button`}},
	"staff/admin/sections/index": {{user: "chief", path: "/staff/admin/sections"}},
	"staff/admin/sections/form": {{user: "chief", path: "/staff/admin/sections/new"},
		{user: "chief", path: "/staff/admin/sections/{section}"},
		{user: "chief", path: "/staff/admin/sections/new", submit: `form[action="/staff/admin/sections"] button[type=submit]`}},
	"staff/admin/agency": {{user: "chief", path: "/staff/admin/agency"}},
	"staff/admin/calendar/index": {{user: "chief", path: "/staff/admin/calendar?year=2026"},
		{user: "chief", path: "/staff/admin/calendar?year=2027"}, {user: "chief", path: "/staff/admin/calendar?year=2031"},
		{user: "chief", path: "/staff/admin/calendar?year=2026", submit: `form[action="/staff/admin/calendar/import"] button[type=submit]`}},
	"staff/admin/calendar/preview": {{user: "chief", path: "/staff/admin/calendar?year=2026",
		fill:   [][2]string{{"#f-days", "2026-01-01 holiday 元旦\n2026-03-02 holiday 测试"}},
		submit: `form[action="/staff/admin/calendar/import"] button[type=submit]`}},
	"staff/audit/index":  {{user: "auditor", path: "/staff/audit"}, {user: "auditor", path: "/staff/audit?action=login.succeeded&from=2026-02-01"}},
	"staff/audit/verify": {{user: "auditor", path: "/staff/audit", submit: `form[action="/staff/audit/verify"] button`}},

	// Intake and routing (handlers/intake.go, staff_steps.go).
	"staff/intake/index": {{user: "clerk", path: "/staff/intake"}},
	"staff/intake/form": {{user: "clerk", path: "/staff/intake/new"},
		{user: "clerk", path: "/staff/intake/new", submit: `form[action="/staff/intake/new"] button[type=submit]`}},
	"staff/intake/registered": {{user: "clerk", path: "/staff/intake/registered"}},
	"staff/worklist":          {{user: "clerk", path: "/staff/worklist"}, {user: "section", path: "/staff/worklist"}},
	"staff/admin/jobs":        {{user: "chief", path: "/staff/admin/jobs"}},
	"staff/applications/notices": {{user: "clerk", path: "/staff/applications/{second}/notices"},
		{user: "clerk", path: "/staff/applications/{second}/files"}},
	"staff/applications/step": {
		{user: "clerk", path: "/staff/applications/{pending}/confirm"},
		{user: "clerk", path: "/staff/applications/{number}/confirm"},
		{user: "clerk", path: "/staff/applications/{number}/route"},
		{user: "clerk", path: "/staff/applications/{second}/route"},
		{user: "section", path: "/staff/applications/{number}/return"},
		{user: "clerk", path: "/staff/applications/{number}/correction"},
		{user: "clerk", path: "/staff/applications/{number}/correction", submit: `form[action$="/correction"] button[type=submit]`},
		{user: "clerk", path: "/staff/applications/{number}/corrected"},
		{user: "clerk", path: "/staff/applications/{number}/consultation"},
		{user: "clerk", path: "/staff/applications/{number}/consultation/reply"},
		{user: "clerk", path: "/staff/applications/{number}/fee"},
		{user: "clerk", path: "/staff/applications/{number}/fee/paid"},
		{user: "section", path: "/staff/applications/{number}/extension"},
		{user: "head", path: "/staff/applications/{number}/extension/decide"},
		{user: "clerk", path: "/staff/applications/{number}/explanation"},
		{user: "clerk", path: "/staff/applications/{number}/explained"},
		{user: "head", path: "/staff/applications/{number}/excessive"},
		{user: "clerk", path: "/staff/applications/{second}/delivery"},
		{user: "clerk", path: "/staff/applications/{second}/delivery", submit: `form[action$="/delivery"] button[type=submit]`},
	},
	"errors/show": {{user: "clerk", path: "/staff/admin/users"}, {user: "chief", path: "/staff/applications/TLMZ-2026-999999"}},

	// Dashboard, search and the register (handlers/dashboard.go, search.go,
	// account_email.go); the dashboard with every list filled is swept in
	// TestDashboardAndSearchAccessible.
	"staff/search": {{user: "clerk", path: "/staff/search"}, {user: "section", path: "/staff/search?text=低保"},
		{user: "clerk", path: "/staff/search?received_from=2026-02-30&status=nonsense"}},
	"staff/account/email": {{user: "clerk", path: "/staff/account/email"},
		{user: "clerk", path: "/staff/account/email", fill: [][2]string{{"#f-email", "not-an-address"}},
			submit: `form[action="/staff/account/email"] button[type=submit]`}},

	// Answering (handlers/answers.go, review.go, remedies.go, casefile.go).
	// The sign-off's states (a review with findings, approvals, issuing)
	// are checked by TestAnswerInBrowser; here each page's own states.
	"staff/answers/queue": {{user: "clerk", path: "/staff/answers"}, {user: "head", path: "/staff/answers"},
		{user: "section", path: "/staff/answers"}},
	"staff/answers/show": {{user: "clerk", path: "/staff/applications/{number}/answer"}},
	"staff/answers/draft": {{user: "section", path: "/staff/applications/{number}/answer/draft"},
		{user: "section", path: "/staff/applications/{number}/answer/draft", submit: `form[action$="/answer/draft"] button[value=submit]`}},
	"staff/answers/contribute": {{user: "section", path: "/staff/applications/{number}/answer/contribute"}},
	"staff/answers/decide": {{user: "head", path: "/staff/applications/{number}/answer/final-approval"},
		{user: "clerk", path: "/staff/applications/{number}/answer/issue"}},
	"staff/answers/review": {{user: "clerk", path: "/staff/applications/{number}/answer/review"},
		{user: "section", path: "/staff/applications/{number}/answer/review"}},
	"staff/answers/remedies": {{user: "clerk", path: "/staff/applications/{number}/remedies"},
		{user: "clerk", path: "/staff/applications/{number}/remedies", submit: `form[action$="/remedies"] button[type=submit]`}},
	"staff/answers/archive": {{user: "clerk", path: "/staff/applications/{number}/archive"}},

	// Catalog publishing (handlers/catalog_staff*.go). The entry page with
	// findings, files and each action's refusal is swept with entries in
	// TestCatalogStaffPagesAccessible.
	"staff/catalog/index": {{user: "publisher", path: "/staff/catalog"}, {user: "publisher", path: "/staff/catalog?status=draft&year=abc"}},
	"staff/catalog/entry": {{user: "publisher", path: "/staff/catalog/entry"},
		{user: "publisher", path: "/staff/catalog/entry", submit: `form[action="/staff/catalog/entry"] button[type=submit]`}},
	"staff/catalog/import": {{user: "publisher", path: "/staff/catalog/import"},
		{user: "publisher", path: "/staff/catalog/import", submit: `form[action="/staff/catalog/import"] button[type=submit]`}},
	"staff/catalog/settings": {{user: "publisher", path: "/staff/catalog/settings"},
		{user: "publisher", path: "/staff/catalog/settings", fill: [][2]string{{"#f-index_pattern", "{x}"}, {"#f-link_allowlist", "\nexample..cn"}},
			submit: `form[action="/staff/catalog/settings"] button.button-primary`}},
	"staff/catalog/categories": {{user: "publisher", path: "/staff/catalog/categories"},
		{user: "publisher", path: "/staff/catalog/categories", submit: `form[action="/staff/catalog/categories"] button[type=submit]`}},

	// API tokens of one's own (handlers/account_tokens.go).
	"staff/account/tokens": {{user: "clerk", path: "/staff/account/tokens"}},

	// The annual report (handlers/annualreport_staff.go). A failing check
	// on its cell, publishing, the versions and the legacy import's row
	// problems are checked by TestAnnualReportInBrowser.
	"staff/reports/index": {{user: "clerk", path: "/staff/reports"}, {user: "publisher", path: "/staff/reports?year=2026"},
		{user: "clerk", path: "/staff/reports?year=1999"}},
	"staff/reports/figures": {{user: "clerk", path: "/staff/reports/figures?year=2025"},
		{user: "clerk", path: "/staff/reports/figures?year=2025", fill: [][2]string{{"#f-licensing", "x"}},
			submit: `form[action="/staff/reports/figures"] button[type=submit]`}},
	"staff/reports/narrative": {{user: "clerk", path: "/staff/reports/narrative?year=2025"}},
	"staff/reports/opening": {{user: "head", path: "/staff/reports/opening"},
		{user: "head", path: "/staff/reports/opening", submit: `form[action="/staff/reports/opening"] button[type=submit]`}},
	"staff/reports/legacy": {{user: "publisher", path: "/staff/reports/legacy"},
		{user: "publisher", path: "/staff/reports/legacy", submit: `form[action="/staff/reports/legacy"] button[type=submit]`}},
}

// staffSweepUsers are the accounts of the sweep, by key.
var staffSweepUsers = map[string][]models.Role{
	"chief":   {models.RoleAdmin},
	"clerk":   {models.RoleOfficeClerk},
	"auditor": {models.RoleAuditor},
	"newbie":  {models.RoleSectionHandler},
	"spare":   {models.RoleReviewer},
	"head":    {models.RoleOfficeHead},
	"section": {models.RoleSectionHandler},

	"publisher": {models.RolePublisher}, // the catalog's pages
}

// staffSweep is the portal state the sweep runs against.
type staffSweep struct {
	app     *staffApp
	users   map[string]*models.User
	number  string
	section int64
	// second is a confirmed application with a receipt notice, not routed;
	// pending one awaiting confirmation.
	second, pending string
}

func newStaffSweep(t *testing.T) *staffSweep {
	t.Helper()
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	sw := &staffSweep{app: newStaffApp(t, s, clock), users: map[string]*models.User{}}
	sections, _ := s.Sections(context.Background(), 1)
	sw.section = sections[1].ID
	for key, roles := range staffSweepUsers {
		var secs []int64
		if key == "newbie" || key == "section" {
			secs = []int64{sw.section}
		}
		sw.users[key] = mkStaffUser(t, s, key, roles, secs, key == "newbie")
	}
	sw.number = routed(t, s, 1, sw.section, "2025年低保资金发放情况").Number
	ctx := context.Background()
	second := storetest.MustSubmit(t, s, 1, "养老机构名录").Application
	if _, err := s.RecordStep(ctx, &store.Step{AgencyID: 1, ApplicationID: second.ID, Render: renderNotice,
		Event:   models.Event{Kind: models.EventConfirmed, ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}},
		Notices: []models.NoticeBody{{Kind: models.NoticeReceipt}}}); err != nil {
		t.Fatal(err)
	}
	sw.second, sw.pending = second.Number, storetest.MustSubmit(t, s, 1, "婚姻登记办理时间").Application.Number
	if _, err := s.RunJob(ctx, store.DailyJobName, store.JobOptions{Holder: "sweep"}, s.DailyJob); err != nil {
		t.Fatal(err)
	}
	// A seal to show on the profile page; the profile stays unverified, so
	// the administrator's banner shows too.
	a := storetest.DefaultAgency(t, s)
	a.SealImage = sealPNG(t, 300, 300)
	if err := s.UpdateAgency(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAgencySetting(context.Background(), a.ID, store.SettingProfileUnverified, "1"); err != nil {
		t.Fatal(err)
	}
	return sw
}

func (sw *staffSweep) url(path string) string {
	r := strings.NewReplacer("{number}", sw.number, "{spare}", fmt.Sprint(sw.users["spare"].ID), "{section}", fmt.Sprint(sw.section),
		"{second}", sw.second, "{pending}", sw.pending)
	return sw.app.srv.URL + r.Replace(path)
}

// staffLogin signs in through the login form, as a person would.
func staffLogin(t *testing.T, tab *browsertest.Tab, base, username, password string) {
	t.Helper()
	tab.Visit(t, base+"/staff/login")
	tab.TypeInto(t, "#f-username", username)
	tab.TypeInto(t, "#f-password", password)
	tab.PressEnterAndWait(t)
}

// submitWith presses the button the selector names, by keyboard, and waits
// for the page the post leads to.
func submitWith(t *testing.T, tab *browsertest.Tab, selector string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Focus(chromedp.CSS(selector), chromedp.NodeVisible)); err != nil {
		t.Fatalf("focus %s: %v", selector, err)
	}
	tab.PressEnterAndWait(t)
}

// TestStaffPagesAccessible checks every staff page, in every state listed in
// staffPageURLs, with axe-core (WCAG 2.1 A and AA) and at 320 CSS pixels,
// signed in as the role that sees it.
func TestStaffPagesAccessible(t *testing.T) {
	b := browsertest.New(t)
	sw := newStaffSweep(t)
	// One tab per user for the whole sweep, opened and signed in on the
	// parent test so that it outlives each subtest.
	tabs := map[string]*browsertest.Tab{}
	for _, u := range []string{"", "chief", "clerk", "auditor", "newbie", "head", "section", "publisher"} {
		tabs[u] = b.NewTab(t)
		if u != "" {
			staffLogin(t, tabs[u], sw.app.srv.URL, u, staffPassword)
		}
	}
	pages := make([]string, 0, len(staffPageURLs))
	for p := range staffPageURLs {
		pages = append(pages, p)
	}
	sort.Strings(pages)
	for _, page := range pages {
		for i, v := range staffPageURLs[page] {
			t.Run(fmt.Sprintf("%s %d %s", page, i, v.path), func(t *testing.T) {
				tab := tabs[v.user]
				tab.Visit(t, sw.url(v.path))
				for _, f := range v.fill {
					tab.TypeInto(t, f[0], f[1])
				}
				if v.submit != "" {
					submitWith(t, tab, v.submit)
				}
				tab.CheckAccessible(t, page+" "+v.path)
			})
		}
	}
}

// TestAdministratorCreatesSectionUserInBrowser: an administrator creates a
// section user; the user logs in with the initial password, is held on the
// password page, changes the password and reaches the staff pages.
func TestAdministratorCreatesSectionUserInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false)
	sections, _ := s.Sections(context.Background(), 1)
	base := app.srv.URL

	admin := b.NewTab(t)
	staffLogin(t, admin, base, "chief", staffPassword)
	if got := admin.Location(t); got != base+"/staff" {
		t.Fatalf("after login at %s", got)
	}
	admin.Visit(t, base+"/staff/admin/users/new")
	admin.CheckAccessible(t, "new user form")
	admin.TypeInto(t, "#f-username", "liuyi")
	admin.TypeInto(t, "#f-display_name", "刘一")
	admin.Click(t, "#f-role_section_handler")
	admin.Click(t, fmt.Sprintf("#f-section_%d", sections[1].ID))
	submitWith(t, admin, `form[action="/staff/admin/users"] button[type=submit]`)
	if h1 := admin.Text(t, "h1"); !strings.Contains(h1, "已创建用户") {
		t.Fatalf("after creating: %q", h1)
	}
	admin.CheckAccessible(t, "initial password page")
	password := strings.TrimSpace(admin.Text(t, "#issued-password"))

	user := b.NewTab(t)
	staffLogin(t, user, base, "liuyi", password)
	if got := user.Location(t); got != base+"/staff/password" {
		t.Fatalf("first login lands on %s, want the password page", got)
	}
	user.Visit(t, base+"/staff")
	if got := user.Location(t); got != base+"/staff/password" {
		t.Errorf("before changing the password, /staff shows %s", got)
	}
	user.CheckAccessible(t, "forced password change")
	user.TypeInto(t, "#f-current_password", password)
	user.TypeInto(t, "#f-new_password", "Better-2026x")
	user.TypeInto(t, "#f-confirm_password", "Better-2026x")
	submitWith(t, user, `form[action="/staff/password"] button[type=submit]`)
	if got := user.Location(t); got != base+"/staff" {
		t.Fatalf("after the change at %s", got)
	}
	if msg := user.Text(t, ".flash"); !strings.Contains(msg, "密码已修改") {
		t.Errorf("flash = %q", msg)
	}
	if nav := user.Text(t, ".staff-nav"); !strings.Contains(nav, "查找申请") || strings.Contains(nav, "用户管理") {
		t.Errorf("section handler's navigation = %q", nav)
	}
	user.CheckAccessible(t, "section user's home")
	u, err := s.UserByUsername(context.Background(), "liuyi")
	if err != nil || u.MustChangePassword || !models.CheckPassword(u.PasswordHash, "Better-2026x") {
		t.Errorf("stored user = %+v, %v", u, err)
	}
}
