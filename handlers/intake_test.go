package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// eachOffice runs fn on a portal on SQLite and, when PORTAL_TEST_MYSQL_DSN
// is set, on MariaDB, with the office's accounts and a seal on file.
func eachOffice(t *testing.T, fn func(t *testing.T, app *citizenApp, u officeUsers)) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		a := storetest.DefaultAgency(t, s)
		a.SealImage = sealPNG(t, 300, 300)
		if err := s.UpdateAgency(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		// Sessions outlast the clock moves of these tests.
		cfg := Config{SessionIdleTimeout: 2000 * time.Hour, SessionMaxAge: 2000 * time.Hour}
		fn(t, newCitizenAppOn(t, s, clock, cfg), newOfficeUsers(t, s))
	})
}

// submitOnline files an online application as an applicant would (store
// level: the citizen form is tested elsewhere) and returns it with its
// query code.
func submitOnline(t *testing.T, app *citizenApp, title, idNumber string) (*models.Application, string) {
	t.Helper()
	sub, err := app.store.SubmitApplication(context.Background(), &store.NewApplication{
		AgencyID: app.agency.ID,
		Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID,
			IDNumber: idNumber, Phone: testPhone, Email: testEmail},
		Application: models.Application{Channel: models.ChannelOnline, Source: "portal", Title: title,
			Description: "请公开" + title, FormWanted: models.FormElectronic, Delivery: models.DeliveryOnline},
		ActorKind: models.ActorApplicant,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sub.Application, sub.QueryCode
}

// received files an online application and confirms it today.
func received(t *testing.T, app *citizenApp, clerk *officeClient, title string) *models.Application {
	t.Helper()
	a, _ := submitOnline(t, app, title, testIDNumber)
	clerk.mustStep(t, a.Number, "confirm", url.Values{"received_on": {app.store.Today().String()}})
	got, _ := mustApplication(t, app.store, a.Number)
	return got
}

var issuedRE = regexp.MustCompile(`id="issued-(number|code)">([A-Z0-9-]+)<`)

// TestConfirmOnlineApplication: the inbox shows the waiting days; the
// receipt date may be today or earlier with a reason, never in the future
// or before submission; confirming records it, issues the 接收回执 and
// mails the applicant, who finds the receipt on the tracking page.
func TestConfirmOnlineApplication(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		a, code := submitOnline(t, app, "2025年低保资金发放情况", testIDNumber)
		clerk := app.office(t, u.clerk)
		app.clock.Advance(48 * time.Hour) // Thursday 2026-02-12
		inbox := clerk.get(t, "/staff/intake")
		if inbox.StatusCode != 200 || !strings.Contains(inbox.Body, a.Number) || !strings.Contains(inbox.Body, "2个工作日") {
			t.Fatalf("inbox:\n%s", staffExcerpt(inbox.Body))
		}
		page := clerk.get(t, "/staff/applications/"+a.Number)
		if !strings.Contains(page.Body, "/confirm\">确认收到申请") {
			t.Errorf("application page offers no confirmation:\n%s", staffExcerpt(page.Body))
		}
		clerk.refusedStep(t, a.Number, "confirm", url.Values{"received_on": {"2026-02-11"}}, "请说明补登的理由")
		clerk.refusedStep(t, a.Number, "confirm", url.Values{"received_on": {"2026-02-13"}}, "不能晚于今天")
		clerk.refusedStep(t, a.Number, "confirm", url.Values{"received_on": {"2026-02-09"}, "date_reason": {"补登"}}, "不能早于提交申请之日")
		clerk.mustStep(t, a.Number, "confirm", url.Values{"received_on": {"2026-02-11"}, "date_reason": {"2月11日已电话确认，今日补登"}})

		got, events := mustApplication(t, s, a.Number)
		last := events[len(events)-1]
		on := models.MustParseDate("2026-02-11")
		if last.Kind != models.EventConfirmed || last.On != on || last.Data.Reason == "" || last.ActorID != u.clerk.ID {
			t.Errorf("confirmed event = %+v", last)
		}
		if want := workingDaysAfter(t, s, on, 20); got.Status != models.StatusProcessing || got.DueOn != want || got.ReceivedOn != on {
			t.Errorf("application: status %s received %s due %s, want due %s", got.Status, got.ReceivedOn, got.DueOn, want)
		}
		n := noticeOf(t, s, got, models.NoticeReceipt)
		if n.Number != "铁民公开〔2026〕第1号" || n.EventSeq != last.Seq || !n.ForApplicant() || !n.HasPDF() {
			t.Errorf("receipt notice = %+v", n)
		}
		checkNoticeText(t, s, got, n, []string{a.Number, "2026年2月11日", got.DueOn.Chinese(), "网上申请", "20个工作日",
			"双方确认之日为收到申请之日", "1101**********4477"}, testIDNumber, code)
		app.h.WaitNotifications()
		mails := app.out.Mails()
		if len(mails) != 1 || mails[0].to != testEmail || !strings.Contains(mails[0].subject, "已确认收到") ||
			!strings.Contains(mails[0].body, got.DueOn.Chinese()) {
			t.Errorf("mails = %+v", mails)
		}
		if countAudit(t, s, models.AuditReceiptConfirmed) != 1 {
			t.Error("confirmation not audited")
		}
		// Twice is refused.
		clerk.refusedStep(t, a.Number, "confirm", url.Values{"received_on": {"2026-02-12"}}, "申请已于")

		// The applicant sees the receipt on the tracking page and downloads it.
		v := app.visitor(t)
		v.post(t, "/track", lookupForm(a.Number, code))
		status := v.get(t, "/track/status")
		if !strings.Contains(status.Body, "政府信息公开申请接收回执") || !strings.Contains(status.Body, n.Number) {
			t.Errorf("tracking page lacks the receipt:\n%s", snippetOf(status.Body))
		}
		pdf := v.get(t, fmt.Sprintf("/track/notices/%d", n.ID))
		if pdf.StatusCode != 200 || !strings.HasPrefix(pdf.Body, "%PDF") {
			t.Errorf("receipt download: %d", pdf.StatusCode)
		}
		// Staff download the same file.
		staff := clerk.get(t, fmt.Sprintf("/staff/applications/%s/notices?id=%d", a.Number, n.ID))
		if staff.Body != pdf.Body {
			t.Error("staff and applicant download different receipts")
		}
	})
}

// paperFields is a paper application: a person without an identity
// number (asked for by correction), by post.
func paperFields(token, channel, on string) []formField {
	return append([]formField{{"form_token", token}, {"channel", channel}, {"received_on", on}},
		withFields(personFields(), formField{"id_type", ""}, formField{"id_number", ""}, formField{"email", ""})...)
}

// TestRegisterPaperApplication: staff register a letter with the citizen
// form's fields and rules, its channel, the receipt date and a scan; the
// application is submitted and confirmed in one step, the number and the
// query code are shown once, the archived receipt does not print the code,
// the hand-over copy does; a letter not yet confirmed waits in the inbox.
func TestRegisterPaperApplication(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk := app.office(t, u.clerk)
		today := s.Today().String()
		form := clerk.get(t, "/staff/intake/new")
		if form.StatusCode != 200 || !strings.Contains(form.Body, "以行政机关签收之日为收到申请之日") {
			t.Fatalf("registration form:\n%s", staffExcerpt(form.Body))
		}
		token := formTokenOf(t, form.Body)
		// Without the scan of the letter: refused, everything typed kept.
		r := clerk.sendFiles(t, "/staff/intake/new", paperFields(token, "mail", today), nil)
		if r.StatusCode != 422 || !strings.Contains(r.Body, "扫描件") || !strings.Contains(r.Body, "2025年度城乡低保资金发放情况") {
			t.Fatalf("without scan: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		scan := fileUpload{"scan", "信件扫描.pdf", testPDF("letter")}
		r = clerk.sendFiles(t, "/staff/intake/new", paperFields(token, "mail", today), []fileUpload{scan})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/staff/intake/registered" {
			t.Fatalf("register: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		done := clerk.follow(t, r)
		m := issuedRE.FindAllStringSubmatch(done.Body, -1)
		if len(m) != 2 || !strings.Contains(done.Body, "身份证明") {
			t.Fatalf("registered page:\n%s", staffExcerpt(done.Body))
		}
		number, code := m[0][2], m[1][2]
		if again := clerk.get(t, "/staff/intake/registered"); strings.Contains(again.Body, code) {
			t.Error("the query code is shown twice")
		}
		got, events := mustApplication(t, s, number)
		if got.Channel != models.ChannelMail || got.Status != models.StatusProcessing || got.ReceivedOn != s.Today() ||
			!slices.Equal(lastKinds(events, 2), []models.EventKind{models.EventSubmitted, models.EventConfirmed}) {
			t.Errorf("registered application: %+v, ledger %v", got, lastKinds(events, 9))
		}
		if events[0].ActorID != u.clerk.ID || events[0].Data.Source != "staff" {
			t.Errorf("submitted by %+v", events[0])
		}
		files, _ := s.Attachments(context.Background(), got.ID)
		kinds := map[models.AttachmentKind]int{}
		for _, f := range files {
			kinds[f.Kind]++
		}
		if kinds[models.AttachScan] != 1 || kinds[models.AttachNotice] != 1 {
			t.Errorf("files: %v", kinds)
		}
		n := noticeOf(t, s, got, models.NoticeReceipt)
		checkNoticeText(t, s, got, n, []string{number, "邮寄（需签收）", "签收之日为收到申请之日", "存档文本不显示"}, code)
		if countAudit(t, s, models.AuditApplicationRegistered) != 1 {
			t.Error("registration not audited")
		}
		// The hand-over copy prints the code, checked against the application.
		bad := clerk.send(t, "/staff/intake/registered/receipt", url.Values{"number": {number}, "code": {"WRONGCODE1"}})
		if bad.StatusCode != 404 {
			t.Errorf("hand-over with a wrong code: %d", bad.StatusCode)
		}
		copyFor := clerk.send(t, "/staff/intake/registered/receipt", url.Values{"number": {number}, "code": {code}})
		if copyFor.StatusCode != 200 || !strings.HasPrefix(copyFor.Body, "%PDF") {
			t.Fatalf("hand-over copy: %d", copyFor.StatusCode)
		}
		if text, ok := noticePDFText(t, []byte(copyFor.Body)); ok && !strings.Contains(text, code) {
			t.Error("the hand-over copy lacks the query code")
		}
		// The applicant tracks it with the number and the code.
		v := app.visitor(t)
		if r := v.post(t, "/track", lookupForm(number, code)); r.StatusCode != http.StatusSeeOther {
			t.Errorf("look-up with the handed-over code: %d", r.StatusCode)
		}
		// The same form posted again registers nothing new.
		r = clerk.sendFiles(t, "/staff/intake/new", paperFields(token, "mail", today), nil)
		dup := clerk.follow(t, r)
		if !strings.Contains(dup.Body, "该申请已经登记过") || !strings.Contains(dup.Body, number) {
			t.Errorf("double post:\n%s", staffExcerpt(dup.Body))
		}

		// An ordinary letter not yet confirmed: pending, in the inbox; the
		// confirmation issues the receipt and shows the code once more.
		form = clerk.get(t, "/staff/intake/new")
		fields := append(paperFields(formTokenOf(t, form.Body), "letter", today), formField{"unconfirmed", "1"})
		r = clerk.sendFiles(t, "/staff/intake/new", fields, []fileUpload{scan})
		done = clerk.follow(t, r)
		m = issuedRE.FindAllStringSubmatch(done.Body, -1)
		if len(m) != 2 || !strings.Contains(done.Body, "待确认") {
			t.Fatalf("pending registration:\n%s", staffExcerpt(done.Body))
		}
		letter := m[0][2]
		if inbox := clerk.get(t, "/staff/intake"); !strings.Contains(inbox.Body, letter) {
			t.Error("the unconfirmed letter is not in the inbox")
		}
		r = clerk.send(t, "/staff/applications/"+letter+"/confirm", url.Values{"received_on": {today}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != handoverPath {
			t.Fatalf("confirm letter: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if shown := clerk.follow(t, r); !strings.Contains(shown.Body, m[1][2]) || !strings.Contains(shown.Body, "已确认收到申请") {
			t.Errorf("after confirming the letter:\n%s", staffExcerpt(shown.Body))
		}
		if n := noticeOf(t, s, mustApp(t, s, letter), models.NoticeReceipt); n.Number != "铁民公开〔2026〕第2号" {
			t.Errorf("second receipt numbered %s", n.Number)
		}
	})
}

func mustApp(t *testing.T, s *store.Store, number string) *models.Application {
	t.Helper()
	a, _ := mustApplication(t, s, number)
	return a
}

// TestRoutingAndReturn: suggestions from the keywords, the lead and an
// assisting section with their internal due dates, the section's list,
// a return with its reason, and a reassignment that keeps the history.
func TestRoutingAndReturn(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk, secA, secB := app.office(t, u.clerk), app.office(t, u.secA), app.office(t, u.secB)
		a := received(t, app, clerk, "2025年低保资金发放情况")
		route := clerk.get(t, "/staff/applications/"+a.Number+"/route")
		if !strings.Contains(route.Body, "社会救助科</strong>（信息名称含“低保”）") {
			t.Errorf("no keyword suggestion:\n%s", staffExcerpt(route.Body))
		}
		sid := func(sec *models.Section) string { return fmt.Sprint(sec.ID) }
		clerk.refusedStep(t, a.Number, "route", url.Values{"section_id": {sid(u.sectionA)}, "role": {"lead"},
			"internal_due_on": {a.DueOn.AddDays(1).String()}}, "不能晚于法定答复期限")
		given := workingDaysAfter(t, s, s.Today(), 5)
		clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {sid(u.sectionA)}, "role": {"lead"}, "internal_due_on": {given.String()}})
		clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {sid(u.sectionB)}, "role": {"assist"}})
		got, _ := mustApplication(t, s, a.Number)
		clock, err := s.Clock(context.Background(), got)
		if err != nil {
			t.Fatal(err)
		}
		if got.SectionID != u.sectionA.ID || got.InternalDueOn != given || clock.InternalDueOn != given {
			t.Errorf("lead %d internal %s (clock %s), want %d %s", got.SectionID, got.InternalDueOn, clock.InternalDueOn, u.sectionA.ID, given)
		}
		// Both sections list it, each with its internal due date.
		listA, listB := secA.get(t, "/staff/worklist"), secB.get(t, "/staff/worklist")
		if !strings.Contains(listA.Body, a.Number) || !strings.Contains(listA.Body, "社会救助科（主办）："+given.Chinese()) {
			t.Errorf("section A's list:\n%s", staffExcerpt(listA.Body))
		}
		if !strings.Contains(listB.Body, a.Number) || !strings.Contains(listB.Body, "养老服务科（协办）："+clock.DefaultInternalDueOn.Chinese()) {
			t.Errorf("section B's list:\n%s", staffExcerpt(listB.Body))
		}
		// Section B gives back its part; section A then returns the lead.
		secB.mustStep(t, a.Number, "return", url.Values{"section_id": {sid(u.sectionB)}, "reason": {"不涉及养老服务"}})
		r := secA.send(t, "/staff/applications/"+a.Number+"/return", url.Values{"section_id": {sid(u.sectionA)}, "reason": {"应由养老服务科办理"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/staff/worklist" {
			t.Errorf("return: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if list := secA.get(t, "/staff/worklist"); strings.Contains(list.Body, a.Number) {
			t.Error("a returned application stays on the section's list")
		}
		if v := secA.get(t, "/staff/applications/"+a.Number); v.StatusCode != 403 {
			t.Errorf("section A still opens it: %d", v.StatusCode)
		}
		if inbox := clerk.get(t, "/staff/intake"); !strings.Contains(inbox.Body, "科室退回：应由养老服务科办理") {
			t.Errorf("inbox lacks the returned application:\n%s", staffExcerpt(inbox.Body))
		}
		// Routed again, then reassigned: the history stays on the ledger.
		clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {sid(u.sectionB)}, "role": {"lead"}})
		clerk.mustStep(t, a.Number, "route", url.Values{"mode": {"reassign"}, "re_section_id": {sid(u.sectionA)}, "re_reason": {"主要涉及低保资金"}})
		got, events := mustApplication(t, s, a.Number)
		wantKinds := []models.EventKind{models.EventAssigned, models.EventAssigned, models.EventReturned, models.EventReturned,
			models.EventAssigned, models.EventReassigned}
		if !slices.Equal(lastKinds(events, 6), wantKinds) {
			t.Errorf("ledger %v, want %v", lastKinds(events, 6), wantKinds)
		}
		if e := events[len(events)-1]; e.Data.FromSectionID != u.sectionB.ID || e.Data.SectionID != u.sectionA.ID || got.SectionID != u.sectionA.ID {
			t.Errorf("reassigned event %+v, lead %d", e.Data, got.SectionID)
		}
		if list := secA.get(t, "/staff/worklist"); !strings.Contains(list.Body, a.Number) {
			t.Error("the new lead does not list it")
		}
	})
}

// TestCorrectionNotice: the 补正告知书 with every item and its period; answered
// (the clock restarts from the corrected application) and expired (the
// daily job ends the case as 其他处理-1).
func TestCorrectionNotice(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk := app.office(t, u.clerk)
		answered := received(t, app, clerk, "低保资金")
		expired := received(t, app, clerk, "低保名单")
		for _, a := range []*models.Application{answered, expired} {
			clerk.refusedStep(t, a.Number, "correction", url.Values{"items": {""}, "period_days": {"15"}}, "请逐项填写需要补正的事项")
			clerk.mustStep(t, a.Number, "correction", url.Values{"items": {"1. 请写明所需信息的年份\n2. 请说明需要的是名单还是汇总数"},
				"guidance": {"可参照本机关政府信息公开目录。"}, "period_days": {"15"}})
		}
		due := workingDaysAfter(t, s, s.Today(), 15)
		got, events := mustApplication(t, s, answered.Number)
		e := events[len(events)-1]
		if got.Status != models.StatusCorrecting || !got.DueOn.IsZero() || e.Data.DueOn != due || len(e.Data.Items) != 2 || e.Data.NoticeID == 0 {
			t.Errorf("after the notice: status %s due %s, event %+v", got.Status, got.DueOn, e.Data)
		}
		n := noticeOf(t, s, got, models.NoticeCorrection)
		if n.ID != e.Data.NoticeID {
			t.Errorf("event names notice %d, notice is %d", e.Data.NoticeID, n.ID)
		}
		checkNoticeText(t, s, got, n, []string{"1.请写明所需信息的年份", "2.请说明需要的是名单还是汇总数", "一次性告知",
			"补正期限为15个工作日", due.Chinese(), "重新计算", "视为放弃申请", "指导和释明：可参照本机关政府信息公开目录。"})
		app.h.WaitNotifications()
		if mails := app.out.Mails(); len(mails) < 3 || !strings.Contains(mails[len(mails)-1].subject, "补正") {
			t.Errorf("no correction mail: %d mails", len(mails))
		}
		clerk.mustStep(t, answered.Number, "delivery", url.Values{"notice_id": {fmt.Sprint(n.ID)}, "delivery_method": {"online"},
			"delivered_on": {s.Today().String()}})

		// Answered on paper three days later: the 20 working days restart.
		app.clock.Advance(72 * time.Hour)
		on := s.Today()
		clerk.mustStep(t, answered.Number, "corrected", url.Values{"received_on": {on.String()}, "comment": {"补正为2025年度汇总数"}})
		got, _ = mustApplication(t, s, answered.Number)
		if want := workingDaysAfter(t, s, on, 20); got.Status != models.StatusProcessing || got.DueOn != want {
			t.Errorf("after the correction: %s due %s, want %s", got.Status, got.DueOn, want)
		}

		// Not answered: the day after the period the daily job ends it.
		app.clock.Set(due.Time(storetest.Shanghai).Add(12 * time.Hour))
		if _, err := s.DailyJob(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, _ := mustApplication(t, s, expired.Number); got.Status != models.StatusCorrecting {
			t.Errorf("expired on the period's last day: %s", got.Status)
		}
		app.clock.Advance(24 * time.Hour)
		summary, err := s.DailyJob(context.Background())
		if err != nil || !strings.Contains(summary, "补正1件") {
			t.Fatalf("daily job: %q, %v", summary, err)
		}
		got, events = mustApplication(t, s, expired.Number)
		last := events[len(events)-1]
		if got.Status != models.StatusTerminated || got.Outcome != models.OutcomeNoCorrection ||
			last.Kind != models.EventCorrectionExpired || last.On != due.AddDays(1) || last.ActorKind != models.ActorSystem {
			t.Errorf("expired: %s %s, last %+v", got.Status, got.Outcome, last)
		}
	})
}
