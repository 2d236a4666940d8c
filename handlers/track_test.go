package handlers

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func lookupForm(number, code string) url.Values {
	return url.Values{"number": {number}, "code": {code}}
}

// wrongCode is a well-formed code that is not the application's.
func wrongCode(code string) string {
	if strings.HasPrefix(code, "A") {
		return "BBBBB-BBBBB"
	}
	return "AAAAA-AAAAA"
}

func TestTrackLookUp(t *testing.T) {
	app := newCitizenApp(t)
	number, code := app.visitor(t).submitted(t, personFields(), nil)

	v := app.visitor(t)
	if r := v.get(t, "/track/status"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track" {
		t.Errorf("status page without a session: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	// A wrong code and an unknown number get the same answer.
	wrong := v.post(t, "/track", lookupForm(number, wrongCode(code)))
	unknown := v.post(t, "/track", lookupForm("TLMZ-2026-999999", code))
	if wrong.StatusCode != http.StatusUnprocessableEntity || unknown.StatusCode != wrong.StatusCode {
		t.Fatalf("wrong code %d, unknown number %d; want 422 both", wrong.StatusCode, unknown.StatusCode)
	}
	msg := func(body string) string {
		i := strings.Index(body, `id="error-summary"`)
		return body[i : i+strings.Index(body[i:], "</ul>")]
	}
	if msg(wrong.Body) != msg(unknown.Body) || !strings.Contains(msg(wrong.Body), "申请编号或查询码不正确") {
		t.Errorf("answers differ:\n%s\n%s", msg(wrong.Body), msg(unknown.Body))
	}
	if strings.Contains(wrong.Body, wrongCode(code)) {
		t.Error("the typed code is echoed back")
	}
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{lookupForm("", code), "number"}, {lookupForm("2026-1", code), "number"}, {lookupForm(number, ""), "code"},
	} {
		r := v.post(t, "/track", tc.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-`+tc.field+`"`) {
			t.Errorf("%v: %d, want a message for %s", tc.form, r.StatusCode, tc.field)
		}
	}

	// Lower case and without the hyphen, as people type it.
	ok := v.post(t, "/track", lookupForm(strings.ToLower(number), strings.ToLower(strings.ReplaceAll(code, "-", ""))))
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/track/status" {
		t.Fatalf("right code: %d → %q", ok.StatusCode, ok.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range ok.Cookies() {
		if c.Name == trackCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/track" ||
		session.Secure || session.MaxAge <= 0 || session.MaxAge > int(trackIdle.Seconds()) ||
		strings.Contains(session.Value, code) {
		t.Errorf("session cookie = %+v", session)
	}
	status := v.follow(t, ok)
	body := html.UnescapeString(status.Body)
	for _, want := range []string{number, "待确认", "张*", "提交申请", "提交方式：网上申请", "2026年2月10日",
		"申请待确认收到", "已等待", `href="/track/receipt"`, `href="/track/withdraw"`, "退出查询"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	for _, secret := range []string{code, testIDNumber, testPhone, testEmail} {
		if strings.Contains(body, secret) {
			t.Errorf("status page shows %q", secret)
		}
	}
	if status.Header.Get("Cache-Control") != "no-store" {
		t.Error("status page is cacheable")
	}

	// The session ends after 30 idle minutes.
	app.clock.Advance(trackIdle + time.Minute)
	if r := v.get(t, "/track/status"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track" {
		t.Errorf("after the idle timeout: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	// Signing out forgets it at once.
	v.post(t, "/track", lookupForm(number, code))
	if r := v.post(t, "/track/signout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.StatusCode)
	}
	if r := v.get(t, "/track/status"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("status page after signing out: %d", r.StatusCode)
	}
}

func TestTrackSessionForged(t *testing.T) {
	app := newCitizenApp(t)
	victim, _ := signedInAt(t, app)
	_ = victim
	attacker, mine := signedInAt(t, app)
	u, _ := url.Parse(app.srv.URL + "/track")
	var valid string
	for _, c := range attacker.client.Jar.Cookies(u) {
		if c.Name == trackCookie {
			valid = c.Value
		}
	}
	payload, mac, _ := strings.Cut(valid, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	parts := strings.Split(string(raw), "|")
	if len(parts) != 4 || parts[0] != strconv.FormatInt(mine.ID, 10) {
		t.Fatalf("unexpected session payload %q", raw)
	}
	// The victim's application id and number with the attacker's MAC.
	parts[0], parts[1] = "1", "TLMZ-2026-000001"
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "|"))) + "." + mac
	for _, value := range []string{"", "x", forged, payload + ".0000"} {
		v := app.visitor(t)
		v.client.Jar.SetCookies(u, []*http.Cookie{{Name: trackCookie, Value: value, Path: "/track"}})
		if r := v.get(t, "/track/status"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("cookie %q opened a status page: %d", value, r.StatusCode)
		}
	}
}

// TestTrackLockout: five wrong codes for one number lock it for 15
// minutes, on every portal process sharing the database (SQLite, and
// MariaDB when configured); even the right code is refused meanwhile, and
// the message says when to retry.
func TestTrackLockout(t *testing.T) {
	storetest.Each(t, storetest.Options{}, testTrackLockout)
}

func testTrackLockout(t *testing.T, s *store.Store, clock *storetest.Clock) {
	// Two portal processes: two stores and two handlers on one database.
	other, err := store.Open(context.Background(), store.Config{DSN: s.DSN(), Keys: storetest.Keys(t),
		Location: storetest.Shanghai, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// Behind a proxy whose X-Forwarded-For is believed, so that each
	// failure below comes from another client.
	proxy := Config{TrustedProxies: []string{"127.0.0.1"}}
	p1 := newCitizenAppOn(t, s, clock, proxy)
	p2 := newCitizenAppOn(t, other, clock, proxy)
	number, code := p1.visitor(t).submitted(t, personFields(), nil)

	procs := []*citizenApp{p1, p2, p1, p2}
	for i, p := range procs {
		// Each failure from a different client: the number's budget is spent.
		v := p.visitor(t)
		v.header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
		if r := v.post(t, "/track", lookupForm(number, wrongCode(code))); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: %d", i+1, r.StatusCode)
		}
	}
	v := p2.visitor(t)
	r := v.post(t, "/track", lookupForm(number, wrongCode(code)))
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "请于2026年2月10日 09:45后再试") {
		t.Fatalf("5th failure: %d, want 429 with the time to retry:\n%s", r.StatusCode, snippetOf(r.Body))
	}
	for i, p := range []*citizenApp{p1, p2} {
		if r := p.visitor(t).post(t, "/track", lookupForm(number, code)); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("process %d: right code during the lockout: %d, want 429", i+1, r.StatusCode)
		}
	}
	// An unknown number locks the same way: nothing tells them apart.
	for range 5 {
		p1.visitor(t).post(t, "/track", lookupForm("TLMZ-2026-999999", "AAAAA-AAAAA"))
	}
	if r := p2.visitor(t).post(t, "/track", lookupForm("TLMZ-2026-999999", "AAAAA-AAAAA")); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unknown number after 5 failures: %d, want 429", r.StatusCode)
	}

	clock.Advance(15*time.Minute + time.Second)
	if r := p2.visitor(t).post(t, "/track", lookupForm(number, code)); r.StatusCode != http.StatusSeeOther {
		t.Errorf("right code after the lockout: %d, want 303", r.StatusCode)
	}
	for _, p := range []*citizenApp{p1, p2} {
		if logs := p.logs.String(); strings.Contains(logs, code) || strings.Contains(logs, "198.51.100.") {
			t.Errorf("logs carry the code or a client address:\n%s", logs)
		}
	}
}

// TestTrackLockoutPerClient: one client trying many numbers is stopped
// too.
func TestTrackLockoutPerClient(t *testing.T) {
	app := newCitizenApp(t)
	v := app.visitor(t)
	for i := 1; i < lookupPerClient.Max; i++ {
		n := models.ApplicationNumber("TLMZ", 2026, 100+i)
		if r := v.post(t, "/track", lookupForm(n, "AAAAA-AAAAA")); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: %d", i, r.StatusCode)
		}
	}
	if r := v.post(t, "/track", lookupForm("TLMZ-2026-000500", "AAAAA-AAAAA")); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("failure %d from one client: %d, want 429", lookupPerClient.Max, r.StatusCode)
	}
	if r := v.post(t, "/track", lookupForm("TLMZ-2026-000501", "AAAAA-AAAAA")); r.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(r.Body, "查询已暂停") {
		t.Errorf("a fresh number from the locked client: %d", r.StatusCode)
	}
	var rows []string
	rs, _ := app.store.DB().Query(`SELECT bucket FROM rate_limits`)
	for rs.Next() {
		var b string
		rs.Scan(&b)
		rows = append(rows, b)
	}
	rs.Close()
	for _, b := range rows {
		if strings.Contains(b, "127.0.0.1") || strings.Contains(b, "TLMZ") {
			t.Errorf("rate-limit bucket in clear: %q", b)
		}
	}
}

// TestLostCode: the same code goes to the matching contact on record, and
// the answer never varies.
func TestLostCode(t *testing.T) {
	eachCitizenApp(t, testLostCode)
}

func testLostCode(t *testing.T, app *citizenApp) {
	number, code := app.visitor(t).submitted(t, personFields(), nil)
	app.h.WaitNotifications()
	sentBefore := len(app.out.Mails())

	if r := app.visitor(t).get(t, "/track/lost"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `name="contact"`) {
		t.Fatalf("lost-code form: %d", r.StatusCode)
	}
	answer := func(form url.Values) string {
		t.Helper()
		v := app.visitor(t)
		r := v.post(t, "/track/lost", form)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track" {
			t.Fatalf("%v: %d → %q", form, r.StatusCode, r.Header.Get("Location"))
		}
		page := v.follow(t, r)
		if strings.Contains(page.Body, code) {
			t.Errorf("the code is shown on screen")
		}
		i := strings.Index(page.Body, `class="flash`)
		return page.Body[i : i+strings.Index(page.Body[i:], "</div>")]
	}
	by := func(number, contact string) url.Values { return url.Values{"number": {number}, "contact": {contact}} }
	neutral := answer(by(number, "ZhangSan@Example.com"))
	for _, form := range []url.Values{
		by(number, "lisi@example.com"), by("TLMZ-2026-999999", testEmail), by(number, "13800000000"),
	} {
		if got := answer(form); got != neutral {
			t.Errorf("%v: answer differs:\n%s\n%s", form, got, neutral)
		}
	}
	if !strings.Contains(neutral, "如果您填写的申请编号和联系方式与登记信息一致") {
		t.Errorf("answer = %s", neutral)
	}
	app.h.WaitNotifications()
	mails := app.out.Mails()[sentBefore:]
	if len(mails) != 1 || mails[0].to != testEmail || !strings.Contains(mails[0].body, code) || !strings.Contains(mails[0].body, number) {
		t.Fatalf("mails after the requests = %+v, want one reminder to the address on record", mails)
	}
	if len(app.out.Texts()) != 0 {
		t.Errorf("texts sent: %+v", app.out.Texts())
	}
	// The phone on record, written another way, an hour later (three
	// requests per number per hour): a text message.
	app.clock.Advance(time.Hour + time.Minute)
	answer(by(number, "+86 138-1234-5678"))
	app.h.WaitNotifications()
	if texts := app.out.Texts(); len(texts) != 1 || texts[0].phone != testPhone || !strings.Contains(texts[0].text, code) {
		t.Errorf("texts = %+v", texts)
	}
	// Three requests per number per hour, then a lockout with a time.
	answer(by(number, "nobody@example.com"))
	answer(by(number, "nobody@example.com"))
	r := app.visitor(t).post(t, "/track/lost", by(number, testEmail))
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "后再试") {
		t.Errorf("5th request for one number: %d, want 429", r.StatusCode)
	}
	// Invalid input is pointed out, without saying anything about the record.
	r = app.visitor(t).post(t, "/track/lost", by("", ""))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-number"`) || !strings.Contains(r.Body, `id="e-contact"`) {
		t.Errorf("empty form: %d", r.StatusCode)
	}
	if logs := app.logs.String(); strings.Contains(logs, code) || strings.Contains(logs, testEmail) || strings.Contains(logs, testPhone) {
		t.Errorf("logs carry the code or a contact:\n%s", logs)
	}
}

// signedInAt submits an application and returns a visitor signed in to it.
func signedInAt(t *testing.T, app *citizenApp) (*visitor, *models.Application) {
	t.Helper()
	v, a, _ := signedInWithCode(t, app)
	return v, a
}

func signedInWithCode(t *testing.T, app *citizenApp) (*visitor, *models.Application, string) {
	t.Helper()
	v := app.visitor(t)
	number, code := v.submitted(t, personFields(), nil)
	a, err := app.store.ApplicationByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return v, a, code
}

func TestCorrection(t *testing.T) {
	eachCitizenApp(t, testCorrection)
}

func testCorrection(t *testing.T, app *citizenApp) {
	v, a, code := signedInWithCode(t, app)
	ctx := context.Background()
	today := app.store.Today()
	if _, err := app.store.AppendEvent(ctx, app.agency.ID, a.ID, models.Event{Kind: models.EventConfirmed, On: today,
		ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}}, 0); err != nil {
		t.Fatal(err)
	}
	// No correction awaited: no form, and a post is turned away.
	if page := v.get(t, "/track/status"); strings.Contains(page.Body, `action="/track/correction"`) {
		t.Error("correction form shown while none is awaited")
	}
	r := v.postMultipart(t, "/track/correction", []formField{{"correction", "补正"}}, nil)
	if page := v.follow(t, r); !strings.Contains(page.Body, "当前不需要补正") {
		t.Errorf("correction without a notice:\n%s", snippetOf(page.Body))
	}

	if _, err := app.store.AppendEvent(ctx, app.agency.ID, a.ID, models.Event{Kind: models.EventCorrectionRequested, On: today,
		ActorKind: models.ActorStaff, Data: models.EventData{Items: []string{"请写明所需信息的年份", "请写明涉及的区县"},
			PeriodDays: 15, DueOn: models.MustParseDate("2026-03-10")}}, 0); err != nil {
		t.Fatal(err)
	}
	// The next day: the session has timed out; look the application up again.
	app.clock.Advance(24 * time.Hour)
	if r := v.post(t, "/track", lookupForm(a.Number, code)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("look-up: %d", r.StatusCode)
	}
	page := v.get(t, "/track/status")
	for _, want := range []string{"请补正您的申请", "请写明所需信息的年份", "请写明涉及的区县", "2026年3月10日", "15个工作日",
		`action="/track/correction"`, "待补正", "发出补正告知书"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	token := formTokenOf(t, page.Body)
	// Empty text with a file: the file is kept, the text is asked for.
	r = v.postMultipart(t, "/track/correction", []formField{{"form_token", token}, {"correction", "  "}},
		[]fileUpload{{"correction_files", "补充说明.pdf", testPDF("补充")}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-correction"`) ||
		!strings.Contains(r.Body, "已上传：补充说明.pdf（") || !strings.Contains(r.Body, `href="#f-correction"`) {
		t.Fatalf("empty correction: %d\n%s", r.StatusCode, snippetOf(r.Body))
	}
	r = v.postMultipart(t, "/track/correction", []formField{{"form_token", token}, {"correction", "所需信息为2025年度，涉及银州区和清河区。"}}, nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d\n%s", r.StatusCode, snippetOf(r.Body))
	}
	after := v.follow(t, r)
	if !strings.Contains(after.Body, "补正内容已提交") || !strings.Contains(after.Body, "收到补正后的申请") ||
		!strings.Contains(after.Body, "补充说明.pdf") || strings.Contains(after.Body, `action="/track/correction"`) {
		t.Errorf("after the correction:\n%s", snippetOf(after.Body))
	}
	events, _ := app.store.Events(ctx, a.ID)
	last := events[len(events)-1]
	if last.Kind != models.EventCorrected || last.On != models.MustParseDate("2026-02-11") ||
		last.Data.Comment != "所需信息为2025年度，涉及银州区和清河区。" || last.ActorKind != models.ActorApplicant {
		t.Errorf("ledger end = %+v", last)
	}
	atts, _ := app.store.Attachments(ctx, a.ID)
	if len(atts) != 1 || atts[0].Kind != models.AttachCorrection {
		t.Errorf("attachments = %+v", atts)
	}
	// A second click: nothing new, and the applicant is told why.
	r = v.postMultipart(t, "/track/correction", []formField{{"form_token", token}, {"correction", "再次提交"}}, nil)
	if page := v.follow(t, r); !strings.Contains(page.Body, "补正内容已经提交，无需重复提交") {
		t.Errorf("second correction:\n%s", snippetOf(page.Body))
	}
	if again, _ := app.store.Events(ctx, a.ID); len(again) != len(events) {
		t.Errorf("ledger grew on the second click")
	}
}

func TestWithdraw(t *testing.T) {
	eachCitizenApp(t, testWithdraw)
}

func testWithdraw(t *testing.T, app *citizenApp) {
	v, a := signedInAt(t, app)
	page := v.get(t, "/track/withdraw")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "撤回后，本机关将不再处理这份申请") ||
		!strings.Contains(page.Body, `name="confirm"`) {
		t.Fatalf("confirmation page: %d", page.StatusCode)
	}
	r := v.post(t, "/track/withdraw", url.Values{"reason": {"已从其他渠道获得"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#f-confirm"`) ||
		!strings.Contains(r.Body, "已从其他渠道获得") {
		t.Fatalf("without confirmation: %d", r.StatusCode)
	}
	if got, _ := app.store.Application(context.Background(), app.agency.ID, a.ID); got.Status != models.StatusPending {
		t.Fatalf("withdrawn without confirmation: %s", got.Status)
	}
	r = v.post(t, "/track/withdraw", url.Values{"reason": {"已从其他渠道获得"}, "confirm": {"1"}})
	status := v.follow(t, r)
	if !strings.Contains(status.Body, "您的申请已撤回") || !strings.Contains(status.Body, "已撤回") ||
		!strings.Contains(status.Body, "申请人撤回申请") || strings.Contains(status.Body, `href="/track/withdraw"`) {
		t.Errorf("after withdrawal:\n%s", snippetOf(status.Body))
	}
	events, _ := app.store.Events(context.Background(), a.ID)
	if last := events[len(events)-1]; last.Kind != models.EventWithdrawn || last.Data.Reason != "已从其他渠道获得" || last.ActorKind != models.ActorApplicant {
		t.Errorf("ledger end = %+v", last)
	}
	if r := v.get(t, "/track/withdraw"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("withdraw page of a withdrawn application: %d", r.StatusCode)
	}
}

// TestNoticesAndReleasedFiles: notices with a stored PDF and released files
// are listed and downloadable, and only for the signed-in application.
func TestNoticesAndReleasedFiles(t *testing.T) {
	eachCitizenApp(t, testNoticesAndReleasedFiles)
}

func testNoticesAndReleasedFiles(t *testing.T, app *citizenApp) {
	v, a := signedInAt(t, app)
	_, b := signedInAt(t, app)
	ctx := context.Background()
	now := app.store.Now().UTC()
	attach := func(appID int64, kind, name string, content []byte) int64 {
		res, err := app.store.DB().ExecContext(ctx, `INSERT INTO attachments (agency_id, application_id, kind, filename,
			content_type, size, sha256, content, uploader_kind, uploader_id, created_at)
			VALUES (?, ?, ?, ?, 'application/pdf', ?, 'x', ?, 'staff', 1, ?)`,
			app.agency.ID, appID, kind, name, len(content), app.store.Keys().Encrypt(content, "attachments.content"), now)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	notice := func(appID int64, kind string, seq int, att int64) int64 {
		var attID any
		if att != 0 {
			attID = att
		}
		res, err := app.store.DB().ExecContext(ctx, `INSERT INTO notices (agency_id, application_id, kind, series, year, seq,
			number, title, issued_on, body, attachment_id, created_by, created_at)
			VALUES (?, ?, ?, 'n', 2026, ?, ?, '政府信息公开申请补正告知书', '2026-02-10', '{}', ?, 1, ?)`,
			app.agency.ID, appID, kind, seq, "铁民公开〔2026〕第"+strconv.Itoa(seq)+"号", attID, now)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	n1 := notice(a.ID, "correction", 1, attach(a.ID, "notice", "补正告知书.pdf", testPDF("补正告知书")))
	notice(a.ID, "correction", 2, 0)
	third := notice(a.ID, "consultation_third_party", 3, attach(a.ID, "notice", "征求意见书.pdf", testPDF("第三方")))
	nb := notice(b.ID, "correction", 4, attach(b.ID, "notice", "乙.pdf", testPDF("乙")))
	released := attach(a.ID, "released", "2025年低保资金.pdf", testPDF("公开"))
	// Released with the issued answer: only the answer's release list
	// reaches the applicant (store.ReleasedFiles), never a draft's files.
	if _, err := app.store.DB().ExecContext(ctx, `INSERT INTO answer_releases (application_id, attachment_id, position)
		VALUES (?, ?, 1)`, a.ID, released); err != nil {
		t.Fatal(err)
	}
	own := attach(a.ID, "identity_proof", "身份证.pdf", testPDF("身份证"))

	page := v.get(t, "/track/status")
	for _, want := range []string{`href="/track/notices/` + strconv.FormatInt(n1, 10) + `"`, "铁民公开〔2026〕第1号", "（纸质送达）",
		`href="/track/files/` + strconv.FormatInt(released, 10) + `"`, "2025年低保资金.pdf"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "征求意见书") {
		t.Error("a letter to a third party is listed for the applicant")
	}
	if r := v.get(t, "/track/notices/"+strconv.FormatInt(n1, 10)); r.StatusCode != 200 || r.Body != string(testPDF("补正告知书")) ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("notice download: %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	if r := v.get(t, "/track/files/"+strconv.FormatInt(released, 10)); r.StatusCode != 200 || r.Body != string(testPDF("公开")) {
		t.Errorf("released file download: %d", r.StatusCode)
	}
	for _, p := range []string{
		"/track/notices/" + strconv.FormatInt(nb, 10),    // another application's notice
		"/track/notices/" + strconv.FormatInt(third, 10), // a letter to a third party
		"/track/files/" + strconv.FormatInt(own, 10),     // not a released file
		"/track/notices/abc", "/track/files/0",
	} {
		if r := v.get(t, p); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, r.StatusCode)
		}
	}
	if r := app.visitor(t).get(t, "/track/files/"+strconv.FormatInt(released, 10)); r.StatusCode != http.StatusSeeOther {
		t.Errorf("download without a session: %d, want a redirect to the look-up", r.StatusCode)
	}
}

func TestSecureCookiesWhenConfigured(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newCitizenAppOn(t, s, clock, Config{SecureCookies: true})
	v := app.visitor(t)
	r := v.apply(t, personFields(), nil)
	names := map[string]bool{}
	for _, c := range r.Cookies() {
		names[c.Name] = true
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: Secure %v HttpOnly %v SameSite %v", c.Name, c.Secure, c.HttpOnly, c.SameSite)
		}
	}
	if !names[trackCookie] || !names[ackCookie] {
		t.Errorf("cookies set: %v", names)
	}
}

func TestPrivacyPage(t *testing.T) {
	app := newCitizenApp(t)
	r := app.visitor(t).get(t, "/privacy")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	for _, want := range []string{"个人信息处理规则", "个人信息处理者：铁岭市民政局", "处理目的", "第十三条第一款第（三）项",
		"个人信息种类", "保存期限", "24小时", "第四十五条", "第四十六条", "第四十七条", "第三十六条", "Cookie", "30分钟",
		`href="/privacy"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
	if home := app.visitor(t).get(t, "/"); !strings.Contains(home.Body, `href="/privacy"`) {
		t.Error("the footer does not link the privacy notice")
	}
}

func TestCitizenPagesExist(t *testing.T) {
	app := newCitizenApp(t)
	for _, p := range CitizenPages {
		if !app.h.tmpl.Has(p) {
			t.Errorf("template %s is missing", p)
		}
	}
}
