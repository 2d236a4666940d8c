package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// overviewFixture is the staff fixture with applications due soon in
// section A and overdue in section B.
type overviewFixture struct {
	*staffFixture
	soonA, lateB string
	pending      string // waiting for confirmation since 2026-01-20
}

func newOverviewFixture(t *testing.T) *overviewFixture {
	t.Helper()
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	f := &overviewFixture{staffFixture: newStaffFixture(t, s, clock)}
	d := models.MustParseDate
	nums := storetest.InsertRows(t, s, 1, []storetest.Row{
		{ApplicantName: "周五", Status: models.StatusProcessing, ReceivedOn: d("2026-01-27"), DueOn: d("2026-02-24"), Lead: f.sectionA, Title: "临时救助标准"},
		{ApplicantName: "李四", Status: models.StatusProcessing, ReceivedOn: d("2026-01-09"), DueOn: d("2026-02-09"), Lead: f.sectionB, Title: "殡葬服务收费"},
		{ApplicantName: "孙三", Status: models.StatusPending, SubmittedAt: d("2026-01-20").Time(storetest.Shanghai).Add(9 * time.Hour), Title: "婚姻登记档案"},
	})
	f.soonA, f.lateB, f.pending = nums[0], nums[1], nums[2]
	return f
}

// TestDashboardPage: the office sees the agency's figures, a section its
// own; the charts are SVG images named by their title, described in words
// and followed by a table of the same figures; roles without the
// dashboard see the start page without it.
func TestDashboardPage(t *testing.T) {
	f := newOverviewFixture(t)
	clerk := f.app.signIn(t, f.users[models.RoleOfficeClerk])
	r := clerk.get(t, "/staff")
	if r.status != 200 {
		t.Fatalf("clerk: %d\n%s", r.status, staffExcerpt(r.body))
	}
	for _, want := range []string{
		`<h2 id="dash-title">工作概况</h2>`, f.soonA, f.lateB, f.pending, "<td>15个工作日</td>",
		`<svg class="chart-svg" viewBox="0 0 640 264" role="img" aria-labelledby="chart-months-title" aria-describedby="chart-months-desc"`,
		`<title id="chart-months-title">近12个月每月收到的申请数</title>`, `<desc id="chart-months-desc">柱状图：2025年3月至2026年2月，共收到申请`,
		`<caption id="chart-months-caption">近12个月每月收到的申请数（数据表）</caption>`,
		`<title id="chart-outcomes-title">2026年办结申请的办理结果</title>`, `<th scope="row">（六）其他处理</th>`,
		`<span class="dash-number">1</span><span class="dash-label">件已超期</span>`, "件待确认收到", "科室工作量",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("office dashboard lacks %q", want)
		}
	}
	section := f.app.signIn(t, f.users[models.RoleSectionHandler])
	r = section.get(t, "/staff")
	if r.status != 200 || !strings.Contains(r.body, "本科室工作概况") || !strings.Contains(r.body, f.soonA) || strings.Contains(r.body, f.lateB) ||
		strings.Contains(r.body, "件待确认收到") {
		t.Errorf("section dashboard: %d\n%s", r.status, staffExcerpt(r.body))
	}
	auditor := f.app.signIn(t, f.users[models.RoleAuditor])
	if r := auditor.get(t, "/staff"); r.status != 200 || strings.Contains(r.body, "工作概况") {
		t.Errorf("auditor's start page: %d", r.status)
	}
}

// TestSearchPageScope: a section's staff find only their section's
// applications, whatever they ask for; the office finds all; a wrong
// date or a section outside the scope is refused with the field named.
func TestSearchPageScope(t *testing.T) {
	f := newOverviewFixture(t)
	section := f.app.signIn(t, f.users[models.RoleSectionHandler])
	r := section.get(t, "/staff/search")
	if r.status != 200 || !strings.Contains(r.body, f.appA.Number) || !strings.Contains(r.body, f.soonA) ||
		strings.Contains(r.body, f.appB.Number) || strings.Contains(r.body, f.lateB) {
		t.Errorf("section search: %d\n%s", r.status, staffExcerpt(r.body))
	}
	if r := section.get(t, "/staff/search?number="+f.appB.Number); r.status != 200 || !strings.Contains(r.body, "没有符合条件的申请") {
		t.Errorf("section searching another section's number: %d", r.status)
	}
	if r := section.get(t, fmt.Sprintf("/staff/search?section=%d", f.sectionB)); r.status != 422 || !strings.Contains(r.body, `href="#f-section"`) {
		t.Errorf("section choosing another section: %d", r.status)
	}
	clerk := f.app.signIn(t, f.users[models.RoleOfficeClerk])
	r = clerk.get(t, "/staff/search?text="+url.QueryEscape("救助"))
	if r.status != 200 || !strings.Contains(r.body, f.soonA) || strings.Contains(r.body, f.lateB) || !strings.Contains(r.body, "共1件") ||
		!strings.Contains(r.body, "周*") || strings.Contains(r.body, "周五") || !strings.Contains(r.body, "/staff/search/register.xlsx?text=") {
		t.Errorf("office text search: %d\n%s", r.status, staffExcerpt(r.body))
	}
	if r := clerk.get(t, "/staff/search?received_from=2026-13-01&received_to=x"); r.status != 422 ||
		!strings.Contains(r.body, `href="#f-received_from"`) || !strings.Contains(r.body, `value="2026-13-01"`) {
		t.Errorf("bad dates: %d", r.status)
	}
	reviewer := f.app.signIn(t, f.users[models.RoleReviewer])
	if r := reviewer.get(t, "/staff/search"); r.status != 200 || strings.Contains(r.body, "register.xlsx") {
		t.Errorf("reviewer (searches, does not export): %d", r.status)
	}
	if r := reviewer.get(t, "/staff/search/register.xlsx"); r.status != 403 {
		t.Errorf("reviewer export: %d", r.status)
	}
}

// TestRegisterExport: the register of a search is a workbook of the
// search's applications in the user's scope, and the export is audited
// with the search.
func TestRegisterExport(t *testing.T) {
	f := newOverviewFixture(t)
	for _, tc := range []struct {
		role      models.Role
		query     string
		want      []string
		unmasked  bool
		notWanted string
	}{
		{models.RoleOfficeClerk, "", []string{f.pending, f.lateB, f.soonA, f.appB.Number, f.appA.Number}, true, ""},
		{models.RoleOfficeHead, "status=processing&received_to=2026-01-31", []string{f.soonA, f.lateB}, true, ""}, // by receipt, the latest first
		{models.RoleSectionHead, "", []string{f.soonA, f.appA.Number}, true, f.lateB},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			b := f.app.signIn(t, f.users[tc.role])
			before := countAudit(t, f.app.store, models.AuditRegisterExported)
			r := b.get(t, "/staff/search/register.xlsx?"+tc.query)
			if r.status != 200 {
				t.Fatalf("export: %d\n%s", r.status, staffExcerpt(r.body))
			}
			x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			rows, _ := x.GetRows(reports.RegisterSheet)
			var got []string
			for _, row := range rows[1:] {
				got = append(got, row[0])
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
			if rows[1][0] == f.soonA && rows[1][2] != "周五" {
				t.Errorf("applicant %q, want the name unmasked", rows[1][2])
			}
			if countAudit(t, f.app.store, models.AuditRegisterExported) != before+1 {
				t.Fatal("the export was not audited")
			}
			e := lastStaffAudit(t, f.app.store, models.AuditRegisterExported)
			var after map[string]any
			json.Unmarshal([]byte(e.After), &after)
			if e.ActorID != f.users[tc.role].ID || after["unmasked"] != tc.unmasked || after["criteria"] == "" {
				t.Errorf("audit entry %+v", e)
			}
		})
	}
	if lastStaffAudit(t, f.app.store, models.AuditRegisterExported).After == "" ||
		!strings.Contains(lastStaffAudit(t, f.app.store, models.AuditRegisterExported).After, "criteria") {
		t.Error("the audit entry lacks the search")
	}
}

// TestOwnEmailAndAdminEmail: staff set their own notification address;
// administrators set it on the account form; both are validated.
func TestOwnEmailAndAdminEmail(t *testing.T) {
	f := newOverviewFixture(t)
	ctx := context.Background()
	clerk := f.users[models.RoleOfficeClerk]
	b := f.app.signIn(t, clerk)
	if r := b.get(t, "/staff/account/email"); r.status != 200 || !strings.Contains(r.body, "本机关已超期") {
		t.Errorf("own e-mail page: %d", r.status)
	}
	if r := b.post(t, "/staff/account/email", url.Values{"email": {"not an address"}}); r.status != 422 ||
		!strings.Contains(r.body, `href="#f-email"`) || !strings.Contains(r.body, `value="not an address"`) {
		t.Errorf("invalid own address: %d", r.status)
	}
	wantStaff(t, "own address", b.post(t, "/staff/account/email", url.Values{"email": {"clerk@tieling.example.gov.cn"}}), 303, "/staff/account/email")
	if e, _ := f.app.store.UserEmail(ctx, 1, clerk.ID); e != "clerk@tieling.example.gov.cn" {
		t.Errorf("stored %q", e)
	}
	if r := b.get(t, "/staff/password"); !strings.Contains(r.body, `href="/staff/account/email"`) {
		t.Error("the password page does not lead to the address")
	}

	admin := f.app.signIn(t, f.users[models.RoleAdmin])
	path := fmt.Sprintf("/staff/admin/users/%d", clerk.ID)
	if r := admin.get(t, path); !strings.Contains(r.body, `value="clerk@tieling.example.gov.cn"`) {
		t.Errorf("the account form does not show the address\n%s", staffExcerpt(r.body))
	}
	form := url.Values{"display_name": {clerk.DisplayName}, "role_office_clerk": {"1"}, "email": {"x@"}}
	if r := admin.post(t, path, form); r.status != 422 || !strings.Contains(r.body, `href="#f-email"`) {
		t.Errorf("invalid address on the account form: %d", r.status)
	}
	form.Set("email", "new@tieling.example.gov.cn")
	wantStaff(t, "account address", admin.post(t, path, form), 303, path)
	if e, _ := f.app.store.UserEmail(ctx, 1, clerk.ID); e != "new@tieling.example.gov.cn" {
		t.Errorf("stored %q", e)
	}
	r := admin.post(t, "/staff/admin/users", url.Values{"username": {"newbie2"}, "display_name": {"新人"}, "role_office_head": {"1"},
		"email": {"newbie2@tieling.example.gov.cn"}})
	u, err := f.app.store.UserByUsername(ctx, "newbie2")
	if r.status != 200 || err != nil {
		t.Fatalf("create with address: %d %v", r.status, err)
	}
	if e, _ := f.app.store.UserEmail(ctx, 1, u.ID); e != "newbie2@tieling.example.gov.cn" {
		t.Errorf("new account's address %q", e)
	}
	if e := lastStaffAudit(t, f.app.store, models.AuditUserEmailChanged); e == nil || strings.Contains(e.After, "newbie2@") {
		t.Errorf("address change audit %+v", e)
	}
}
