package handlers

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

var issuedPasswordRe = regexp.MustCompile(`id="issued-password">([^<]+)<`)

func TestAdministratorManagesUsers(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		ctx := context.Background()
		admin := mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false)
		b := app.signIn(t, admin)
		sections, _ := s.Sections(ctx, admin.AgencyID)

		r := b.get(t, "/staff/admin/users/new")
		if r.status != 200 || !strings.Contains(r.body, `name="role_section_handler"`) || !strings.Contains(r.body, fmt.Sprintf(`name="section_%d"`, sections[0].ID)) {
			t.Fatalf("new user form: %d\n%s", r.status, staffExcerpt(r.body))
		}
		// A section role without a section, and a taken username, are refused
		// with what was typed kept.
		r = b.post(t, "/staff/admin/users", url.Values{"username": {"liuyi"}, "display_name": {"刘一"}, "role_section_handler": {"1"}})
		if r.status != 422 || !strings.Contains(r.body, `id="e-sections"`) || !strings.Contains(r.body, `value="刘一"`) ||
			!strings.Contains(r.body, `href="#f-sections"`) {
			t.Errorf("section role without a section: %d\n%s", r.status, staffExcerpt(r.body))
		}
		r = b.post(t, "/staff/admin/users", url.Values{"username": {"chief"}, "display_name": {"重名"}, "role_auditor": {"1"}})
		if r.status != 422 || !strings.Contains(r.body, "该用户名已被使用") {
			t.Errorf("taken username: %d", r.status)
		}
		// Created: the initial password is shown once.
		r = b.post(t, "/staff/admin/users", url.Values{"username": {"liuyi"}, "display_name": {"刘一"},
			"role_section_handler": {"1"}, fmt.Sprintf("section_%d", sections[1].ID): {"1"}})
		m := issuedPasswordRe.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("create: %d\n%s", r.status, staffExcerpt(r.body))
		}
		u, err := s.UserByUsername(ctx, "liuyi")
		if err != nil || !u.MustChangePassword || !models.CheckPassword(u.PasswordHash, m[1]) || len(u.SectionIDs) != 1 {
			t.Fatalf("created user = %+v, %v", u, err)
		}
		if e := lastStaffAudit(t, s, models.AuditUserCreated); e == nil || e.ActorID != admin.ID || strings.Contains(e.After, m[1]) {
			t.Errorf("user.created entry = %+v", e)
		}
		r = b.get(t, "/staff/admin/users")
		if r.status != 200 || !strings.Contains(r.body, "刘一") || !strings.Contains(r.body, "待修改初始密码") || !strings.Contains(r.body, sections[1].Name) {
			t.Errorf("user list: %d\n%s", r.status, staffExcerpt(r.body))
		}

		// Edit roles and sections.
		path := fmt.Sprintf("/staff/admin/users/%d", u.ID)
		wantStaff(t, "edit", b.post(t, path, url.Values{"display_name": {"刘一一"}, "role_section_head": {"1"},
			fmt.Sprintf("section_%d", sections[2].ID): {"1"}}), 303, path)
		got, _ := s.User(ctx, u.ID)
		if got.DisplayName != "刘一一" || !got.HasRole(models.RoleSectionHead) || got.HasRole(models.RoleSectionHandler) || got.SectionIDs[0] != sections[2].ID {
			t.Errorf("edited user = %+v", got)
		}
		// An administrator cannot remove their own admin role or deactivate themselves.
		r = b.post(t, fmt.Sprintf("/staff/admin/users/%d", admin.ID), url.Values{"display_name": {"chief"}, "role_auditor": {"1"}})
		if r.status != 422 || !strings.Contains(r.body, "不能取消自己的系统管理员角色") {
			t.Errorf("own admin role: %d", r.status)
		}
		if r := b.post(t, fmt.Sprintf("/staff/admin/users/%d/deactivate", admin.ID), nil); r.status != 409 {
			t.Errorf("deactivate self: %d", r.status)
		}

		// The user logs in; deactivation ends the session at once.
		user := &staffBrowser{app: app}
		wantStaff(t, "first login", user.login(t, "liuyi", m[1]), 303, "/staff/password")
		wantStaff(t, "deactivate", b.post(t, path+"/deactivate", nil), 303, path)
		wantStaff(t, "session of a deactivated user", user.get(t, "/staff/password"), 303, "/staff/login")
		wantStaff(t, "login of a deactivated user", user.login(t, "liuyi", m[1]), 401, "")
		wantStaff(t, "activate", b.post(t, path+"/activate", nil), 303, path)

		// Reset: a new password, shown once, and the old one stops working.
		r = b.post(t, path+"/password", nil)
		m2 := issuedPasswordRe.FindStringSubmatch(r.body)
		if r.status != 200 || m2 == nil || m2[1] == m[1] {
			t.Fatalf("reset: %d", r.status)
		}
		wantStaff(t, "old password after reset", user.login(t, "liuyi", m[1]), 401, "")
		wantStaff(t, "reset password", user.login(t, "liuyi", m2[1]), 303, "/staff/password")

		// Lockout and unlock.
		for i := 0; i < 3; i++ {
			user.login(t, "liuyi", "wrong-password-1")
		}
		r = b.get(t, path)
		if !strings.Contains(r.body, "解除锁定") {
			t.Errorf("edit page of a locked user lacks the unlock button")
		}
		wantStaff(t, "unlock", b.post(t, path+"/unlock", nil), 303, path)
		wantStaff(t, "login after unlock", user.login(t, "liuyi", m2[1]), 303, "/staff/password")

		// Another agency's account id is not found.
		wantStaff(t, "unknown user", b.get(t, "/staff/admin/users/99999"), 404, "")
		if rep, _ := s.VerifyAudit(ctx); !rep.OK() {
			t.Errorf("audit trail broken: %+v", rep.Break)
		}
	})
}

func TestAdministratorManagesSections(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	b := app.signIn(t, mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false))
	r := b.post(t, "/staff/admin/sections", url.Values{"name": {""}, "keywords": {"低保"}, "sort_order": {"x"}})
	if r.status != 422 || !strings.Contains(r.body, `id="e-sort_order"`) {
		t.Errorf("bad section: %d\n%s", r.status, staffExcerpt(r.body))
	}
	wantStaff(t, "create", b.post(t, "/staff/admin/sections", url.Values{"name": {"信息中心"}, "keywords": {"网站，政务公开、数据\n信息化"}, "sort_order": {"30"}}), 303, "/staff/admin/sections")
	r = b.get(t, "/staff/admin/sections")
	if !strings.Contains(r.body, "信息中心") || !strings.Contains(r.body, "网站、政务公开、数据、信息化") {
		t.Errorf("section list:\n%s", staffExcerpt(r.body))
	}
	secs, _ := s.Sections(context.Background(), 1)
	last := secs[len(secs)-1]
	path := fmt.Sprintf("/staff/admin/sections/%d", last.ID)
	if r := b.get(t, path); r.status != 200 || !strings.Contains(r.body, "网站\n政务公开") {
		t.Errorf("edit form: %d\n%s", r.status, staffExcerpt(r.body))
	}
	wantStaff(t, "deactivate", b.post(t, path, url.Values{"name": {"信息中心"}, "keywords": {"网站"}, "sort_order": {"30"}}), 303, "/staff/admin/sections")
	got, _ := s.Section(context.Background(), 1, last.ID)
	if got.Active || len(got.Keywords) != 1 {
		t.Errorf("section = %+v", got)
	}
	if e := lastStaffAudit(t, s, models.AuditSectionUpdated); e == nil || !strings.Contains(e.Before, `"active":true`) || !strings.Contains(e.After, `"active":false`) {
		t.Errorf("section entry = %+v", e)
	}
}

// sealPNG returns a PNG of w×h pixels with a red ring.
func sealPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.NRGBA{200, 0, 0, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postMultipart posts the agency form with an optional seal file.
func (b *staffBrowser) postMultipart(t *testing.T, path string, fields url.Values, file string, content []byte) staffResp {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields.Set(csrfField, b.csrf(t))
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if file != "" {
		fw, _ := w.CreateFormFile(file, "seal.png")
		fw.Write(content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.app.srv.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return staffResp{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw)}
}

func agencyForm(a *models.Agency) url.Values {
	return url.Values{"name": {a.Name}, "office_name": {a.OfficeName}, "office_address": {"辽宁省铁岭市银州区某路1号"},
		"post_code": {"112000"}, "office_hours": {a.OfficeHours}, "phone": {"024-72345678"}, "fax": {""}, "email": {""},
		"website": {""}, "reconsideration_body": {a.ReconsiderationBody}, "court": {"铁岭市银州区人民法院"}, "letter_prefix": {a.LetterPrefix}}
}

func TestAdministratorEditsAgencyProfileAndSeal(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	b := app.signIn(t, mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false))
	clerk := app.signIn(t, mkStaffUser(t, s, "clerk", []models.Role{models.RoleOfficeClerk}, nil, false))
	agency := storetest.DefaultAgency(t, s)

	// While the seeded profile is unchecked, administrators see a warning
	// on every page; others do not.
	if r := b.get(t, "/staff"); !strings.Contains(r.body, "机关信息仍为系统预置内容") {
		t.Error("no unverified-profile banner for the administrator")
	}
	if r := clerk.get(t, "/staff"); strings.Contains(r.body, "机关信息仍为系统预置内容") {
		t.Error("the banner is shown to a clerk")
	}
	form := agencyForm(agency)
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"not a png", []byte("GIF89a nonsense"), "须为PNG格式"},
		{"too small", sealPNG(t, 40, 40), "过小"},
		{"truncated", sealPNG(t, 200, 200)[:60], "PNG"},
	} {
		r := b.postMultipart(t, "/staff/admin/agency", form, "seal", tc.content)
		if r.status != 422 || !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, `id="e-seal"`) {
			t.Errorf("%s: %d\n%s", tc.name, r.status, staffExcerpt(r.body))
		}
	}
	bad := agencyForm(agency)
	bad.Set("court", "")
	if r := b.postMultipart(t, "/staff/admin/agency", bad, "", nil); r.status != 422 || !strings.Contains(r.body, `id="e-court"`) {
		t.Errorf("missing court: %d", r.status)
	}
	seal := sealPNG(t, 300, 300)
	wantStaff(t, "save", b.postMultipart(t, "/staff/admin/agency", form, "seal", seal), 303, "/staff/admin/agency")
	got := storetest.DefaultAgency(t, s)
	if !bytes.Equal(got.SealImage, seal) || got.Court != "铁岭市银州区人民法院" || got.Code != "TLMZ" {
		t.Errorf("saved agency = %+v", got.Court)
	}
	if r := b.get(t, "/staff"); strings.Contains(r.body, "机关信息仍为系统预置内容") {
		t.Error("the banner stays after saving")
	}
	r := b.get(t, "/staff/admin/agency/seal")
	if r.status != 200 || r.body != string(seal) {
		t.Errorf("seal image: %d", r.status)
	}
	if r := b.get(t, "/staff/admin/agency"); !strings.Contains(r.body, `src="/staff/admin/agency/seal"`) {
		t.Error("no seal preview")
	}
	// Saving without a file keeps the seal; the box removes it.
	wantStaff(t, "save again", b.postMultipart(t, "/staff/admin/agency", form, "", nil), 303, "/staff/admin/agency")
	if got := storetest.DefaultAgency(t, s); len(got.SealImage) == 0 {
		t.Error("saving without a file removed the seal")
	}
	form.Set("remove_seal", "1")
	wantStaff(t, "remove seal", b.postMultipart(t, "/staff/admin/agency", form, "", nil), 303, "/staff/admin/agency")
	if got := storetest.DefaultAgency(t, s); len(got.SealImage) != 0 {
		t.Error("the seal was not removed")
	}
	e := lastStaffAudit(t, s, models.AuditAgencyUpdated)
	if e == nil || strings.Contains(e.Before+e.After, "72345678") {
		t.Errorf("agency entry = %+v", e)
	}
}

func TestDeadlineCalculatorPage(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	b := app.signIn(t, mkStaffUser(t, s, "anyone", []models.Role{models.RoleAuditor}, nil, false))
	for _, tc := range []struct {
		query  string
		status int
		want   []string
	}{
		{"", 200, []string{"收到申请之日"}},
		// The same vectors as `portal deadline` (cmd/portal/main_test.go).
		{"received=2026-02-10", 200, []string{"2026年3月16日", "春节"}},
		{"received=2026-09-18", 200, []string{"2026年10月22日", "调休"}},
		{"received=2026-02-10&extend=1", 200, []string{"2026年4月14日", "延长"}},
		{"received=2026-02-10&pause_from_1=2026-02-24&pause_to_1=2026-03-03", 200, []string{"不计入答复期限"}},
		{"received=", 422, []string{`id="e-received"`}},
		{"received=2026-02-10&pause_from_2=2026-02-24", 422, []string{`id="e-pause_to_2"`}},
		{"received=2026-02-10&pause_from_1=2026-02-01&pause_to_1=2026-02-03", 422, []string{"暂停期间应当在收到申请"}},
		{"received=2030-06-03", 422, []string{"2030年的节假日安排尚未载入"}},
	} {
		r := b.get(t, "/staff/deadline?"+tc.query)
		if r.status != tc.status {
			t.Errorf("%q: %d, want %d\n%s", tc.query, r.status, tc.status, staffExcerpt(r.body))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%q lacks %q\n%s", tc.query, w, staffExcerpt(r.body))
			}
		}
	}
}

func TestCalendarPreviewAndSave(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newStaffApp(t, s, clock)
		ctx := context.Background()
		admin := mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false)
		b := app.signIn(t, admin)
		// An application received on 2026-02-10 is due 2026-03-16.
		a := routed(t, s, admin.AgencyID, 0, "婚姻登记数据")
		if a.DueOn != models.MustParseDate("2026-03-16") {
			t.Fatalf("due %s", a.DueOn)
		}
		r := b.get(t, "/staff/admin/calendar?year=2026")
		if r.status != 200 || !strings.Contains(r.body, "2026年2月") || !strings.Contains(r.body, "春节放假") || !strings.Contains(r.body, "cal-workday") {
			t.Fatalf("calendar page: %d\n%s", r.status, staffExcerpt(r.body))
		}
		// Preview: making 2026-03-02 a holiday moves the due date a day.
		r = b.post(t, "/staff/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-03-02"}, "kind": {"holiday"}, "name": {"测试假日"}})
		if r.status != 200 || !strings.Contains(r.body, a.Number) || !strings.Contains(r.body, "2026年3月16日") ||
			!strings.Contains(r.body, "2026年3月17日") || !strings.Contains(r.body, "1件将发生变化") {
			t.Fatalf("preview: %d\n%s", r.status, staffExcerpt(r.body))
		}
		if got, _ := s.ApplicationByNumber(ctx, a.Number); got.DueOn != a.DueOn {
			t.Error("the preview saved something")
		}
		form := hiddenFields(r.body, "/staff/admin/calendar/save")
		// Someone else changes the year meanwhile: saving is refused.
		other := b.post(t, "/staff/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-12-07"}, "kind": {"holiday"}, "name": {"其他"}})
		wantStaff(t, "other save", b.post(t, "/staff/admin/calendar/save", hiddenFields(other.body, "/staff/admin/calendar/save")), 303, "/staff/admin/calendar?year=2026")
		wantStaff(t, "stale save", b.post(t, "/staff/admin/calendar/save", form), 303, "/staff/admin/calendar?year=2026")
		if got, _ := s.ApplicationByNumber(ctx, a.Number); got.DueOn != a.DueOn {
			t.Error("a stale preview was saved")
		}
		// Fresh preview, then save.
		r = b.post(t, "/staff/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-03-02"}, "kind": {"holiday"}, "name": {"测试假日"}})
		wantStaff(t, "save", b.post(t, "/staff/admin/calendar/save", hiddenFields(r.body, "/staff/admin/calendar/save")), 303, "/staff/admin/calendar?year=2026")
		if got, _ := s.ApplicationByNumber(ctx, a.Number); got.DueOn != models.MustParseDate("2026-03-17") {
			t.Errorf("after saving, due %s, want 2026-03-17", got.DueOn)
		}
		if e := lastStaffAudit(t, s, models.AuditCalendarSaved); e == nil || !strings.Contains(e.After, "2026-03-02 holiday 测试假日") ||
			!strings.Contains(e.After, `"due_dates_moved":1`) || e.ActorID != admin.ID {
			t.Errorf("calendar entry = %+v", e)
		}
		// Refusals: a 调休 day on a weekday; an unknown year; a bad import.
		r = b.post(t, "/staff/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-03-03"}, "kind": {"workday"}, "name": {"测试"}})
		if r.status != 422 || !strings.Contains(r.body, "不是周六或周日") {
			t.Errorf("weekday 调休: %d\n%s", r.status, staffExcerpt(r.body))
		}
		r = b.post(t, "/staff/admin/calendar/day", url.Values{"year": {"2031"}, "date": {"2031-05-01"}, "kind": {"holiday"}, "name": {"劳动节"}})
		if r.status != 422 || !strings.Contains(r.body, "尚未载入") {
			t.Errorf("unknown year: %d", r.status)
		}
		r = b.post(t, "/staff/admin/calendar/import", url.Values{"year": {"2031"}, "days": {"2031-05-01 holiday 劳动节\n2032-01-01 holiday 元旦"}})
		if r.status != 422 || !strings.Contains(r.body, "第2行") || !strings.Contains(r.body, "2032-01-01 holiday 元旦</textarea>") {
			t.Errorf("bad import: %d\n%s", r.status, staffExcerpt(r.body))
		}
		// Import a new year, unconfirmed, then confirm it.
		r = b.post(t, "/staff/admin/calendar/import", url.Values{"year": {"2031"}, "days": {"# 2031\n2031-01-01 holiday 元旦\n2031-01-04 workday 元旦"}, "notice": {""}})
		if r.status != 200 || !strings.Contains(r.body, "新载入") || !strings.Contains(r.body, "未核对") {
			t.Fatalf("import preview: %d\n%s", r.status, staffExcerpt(r.body))
		}
		wantStaff(t, "import save", b.post(t, "/staff/admin/calendar/save", hiddenFields(r.body, "/staff/admin/calendar/save")), 303, "/staff/admin/calendar?year=2031")
		if r := b.post(t, "/staff/admin/calendar/confirm", url.Values{"year": {"2031"}}); r.status != 422 || !strings.Contains(r.body, `id="e-confirm_notice"`) {
			t.Errorf("confirm without a notice: %d", r.status)
		}
		wantStaff(t, "confirm", b.post(t, "/staff/admin/calendar/confirm", url.Values{"year": {"2031"}, "confirm_notice": {"国办发明电〔2030〕1号"}}), 303, "/staff/admin/calendar?year=2031")
		cal, _ := s.Calendar(ctx)
		if y, ok := cal.Year(2031); !ok || y.Status != models.YearConfirmed || y.NoticeRef != "国办发明电〔2030〕1号" {
			t.Errorf("2031 = %+v %v", y, ok)
		}
		if e := lastStaffAudit(t, s, models.AuditCalendarConfirmed); e == nil || e.ObjectID != "2031" {
			t.Errorf("confirm entry = %+v", e)
		}
	})
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hiddenFields returns the hidden fields of the form posting to action.
func hiddenFields(body, action string) url.Values {
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		return url.Values{}
	}
	end := strings.Index(body[i:], "</form>")
	out := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(body[i:i+end], -1) {
		out.Add(m[1], htmlUnescape(m[2]))
	}
	return out
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(s)
}

func TestStaffApplicationViewAndReveal(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := newStaffFixture(t, s, clock)
		clerk := f.app.signIn(t, f.users[models.RoleOfficeClerk])
		r := clerk.get(t, "/staff/applications/"+strings.ToLower(f.appA.Number))
		if r.status != 200 {
			t.Fatalf("view: %d\n%s", r.status, staffExcerpt(r.body))
		}
		for _, want := range []string{"张三", "1101**********4477", "138****5678", "z*******@example.com", "确认收到申请",
			"交由承办科室办理", "答复期限", "2026年3月16日", "显示完整信息"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("view lacks %q", want)
			}
		}
		for _, leak := range []string{"110101199003074477", "13812345678", "zhangsan@example.com"} {
			if strings.Contains(r.body, leak) {
				t.Errorf("masked view shows %s", leak)
			}
		}
		if e := lastStaffAudit(t, s, models.AuditApplicationViewed); e == nil || e.ObjectID != f.appA.Number {
			t.Errorf("view entry = %+v", e)
		}
		r = clerk.post(t, "/staff/applications/"+f.appA.Number+"/reveal", nil)
		if r.status != 200 || !strings.Contains(r.body, "110101199003074477") || !strings.Contains(r.body, "13812345678") {
			t.Errorf("reveal: %d\n%s", r.status, staffExcerpt(r.body))
		}
		e := lastStaffAudit(t, s, models.AuditPersonalDataViewed)
		if e == nil || e.ObjectID != f.appA.Number || e.ActorID != f.users[models.RoleOfficeClerk].ID ||
			!strings.Contains(e.After, "id_number") || strings.Contains(e.After, "110101199003074477") {
			t.Errorf("reveal entry = %+v", e)
		}
		// A reviewer reads the application but may not reveal.
		rv := f.app.signIn(t, f.users[models.RoleReviewer])
		if r := rv.get(t, "/staff/applications/"+f.appB.Number); r.status != 200 || strings.Contains(r.body, "显示完整信息") {
			t.Errorf("reviewer view: %d", r.status)
		}
		// A section handler reveals in the own section only.
		sh := f.app.signIn(t, f.users[models.RoleSectionHandler])
		if r := sh.post(t, "/staff/applications/"+f.appA.Number+"/reveal", nil); r.status != 200 {
			t.Errorf("section reveal, own section: %d", r.status)
		}
		if r := sh.post(t, "/staff/applications/"+f.appB.Number+"/reveal", nil); r.status != 403 || strings.Contains(r.body, "110101199003074477") {
			t.Errorf("section reveal, other section: %d", r.status)
		}
		// Unknown and malformed numbers are not found.
		wantStaff(t, "unknown", clerk.get(t, "/staff/applications/TLMZ-2026-999999"), 404, "")
		wantStaff(t, "malformed", clerk.get(t, "/staff/applications/nonsense"), 404, "")
		// The look-up form.
		wantStaff(t, "find", clerk.get(t, "/staff/applications?number="+url.QueryEscape(" tlmz-2026-000001 ")), 303, "/staff/applications/TLMZ-2026-000001")
		if r := clerk.get(t, "/staff/applications?number=abc"); r.status != 422 || !strings.Contains(r.body, `id="e-number"`) {
			t.Errorf("bad number: %d", r.status)
		}
	})
}

func TestAuditPage(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	auditor := mkStaffUser(t, s, "shenji", []models.Role{models.RoleAuditor}, nil, false)
	admin := mkStaffUser(t, s, "chief", []models.Role{models.RoleAdmin}, nil, false)
	ab := app.signIn(t, admin)
	for i := 0; i < 60; i++ {
		ab.post(t, "/staff/admin/sections", url.Values{"name": {fmt.Sprintf("科室%02d", i)}})
	}
	b := app.signIn(t, auditor)
	r := b.get(t, "/staff/audit")
	if r.status != 200 || !strings.Contains(r.body, "新建科室") || !strings.Contains(r.body, "测试chief（chief）") || !strings.Contains(r.body, `rel="next"`) {
		t.Fatalf("audit page: %d\n%s", r.status, staffExcerpt(r.body))
	}
	r = b.get(t, fmt.Sprintf("/staff/audit?actor=%d&action=section.created&page=2", admin.ID))
	if r.status != 200 || !strings.Contains(r.body, "共60条记录，第2页，共2页") || !strings.Contains(r.body, `rel="prev"`) {
		t.Errorf("filtered page 2: %d\n%s", r.status, staffExcerpt(r.body))
	}
	r = b.get(t, "/staff/audit?from=2026-02-11&to=2026-02-10")
	if r.status != 422 || !strings.Contains(r.body, `id="e-to"`) {
		t.Errorf("bad range: %d", r.status)
	}
	if e := lastStaffAudit(t, s, models.AuditTrailViewed); e == nil || e.ActorID != auditor.ID || !strings.Contains(e.After, "section.created") {
		t.Errorf("audit view entry = %+v", e)
	}
	// The auditor changes nothing.
	if r := b.post(t, "/staff/admin/sections", url.Values{"name": {"审计员的科室"}}); r.status != 403 {
		t.Errorf("auditor creates a section: %d", r.status)
	}
	r = b.post(t, "/staff/audit/verify", nil)
	if r.status != 200 || !strings.Contains(r.body, "审计日志完整") {
		t.Errorf("verify: %d\n%s", r.status, staffExcerpt(r.body))
	}
	if _, err := s.DB().Exec(`UPDATE audit_log SET actor_name = 'x' WHERE id = 5`); err != nil {
		t.Fatal(err)
	}
	r = b.post(t, "/staff/audit/verify", nil)
	if r.status != 200 || !strings.Contains(r.body, "第5条记录的内容与其校验值不符") {
		t.Errorf("verify after tampering: %d\n%s", r.status, staffExcerpt(r.body))
	}
}
