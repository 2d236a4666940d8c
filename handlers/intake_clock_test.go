package handlers

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// confirmed files an online application for the applicant with idNumber
// and confirms it today; it returns the application and its query code.
func confirmed(t *testing.T, app *citizenApp, clerk *officeClient, title, idNumber string) (*models.Application, string) {
	t.Helper()
	a, code := submitOnline(t, app, title, idNumber)
	clerk.mustStep(t, a.Number, "confirm", url.Values{"received_on": {app.store.Today().String()}})
	return mustApp(t, app.store, a.Number), code
}

// noon is midday of d in the agency's zone.
func noon(d models.Date) time.Time { return d.Time(storetest.Shanghai).Add(12 * time.Hour) }

// TestConsultation: the 征求意见书 to a third party and the 征求意见告知书 to
// the applicant; the delivery to the consulted party starts the 15 working
// days; a reply resumes the clock and the days paused move the due date;
// silence ends the pause when the daily job finds the period over.
func TestConsultation(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk := app.office(t, u.clerk)
		answered, code := confirmed(t, app, clerk, "养老机构运营补贴发放名单", testIDNumber)
		silent, _ := confirmed(t, app, clerk, "低保资金联合发文", testIDNumber)
		start := s.Today()

		clerk.refusedStep(t, answered.Number, "consultation", url.Values{"party_kind": {"third_party"}, "information": {"x"}}, "请填写被征求意见的第三方")
		clerk.mustStep(t, answered.Number, "consultation", url.Values{"party_kind": {"third_party"},
			"party": {"铁岭某某养老服务有限公司"}, "information": {"补贴发放名单中贵公司的部分"}})
		clerk.mustStep(t, silent.Number, "consultation", url.Values{"party_kind": {"co_producer"},
			"party": {"铁岭市财政局"}, "information": {"铁民发〔2025〕3号"}})

		got, events := mustApplication(t, s, answered.Number)
		sent := events[len(events)-1]
		letter := noticeOf(t, s, got, models.NoticeConsultThirdParty)
		toApplicant := noticeOf(t, s, got, models.NoticeConsultApplicant)
		if got.Status != models.StatusConsulting || sent.Data.NoticeID != letter.ID || letter.ForApplicant() || !toApplicant.ForApplicant() {
			t.Errorf("after sending: status %s, event %+v, letter %+v", got.Status, sent.Data, letter)
		}
		checkNoticeText(t, s, got, letter, []string{"铁岭某某养老服务有限公司：", "第三十二条", "补贴发放名单中贵公司的部分",
			"15个工作日", "逾期未提出意见的，由本机关依照条例的规定决定是否公开"}, "张三", "1101**********4477")
		checkNoticeText(t, s, got, toApplicant, []string{"张三：", "第三十三条第三款", "不计算在答复期限内"}, "铁岭某某养老服务有限公司")
		co := noticeOf(t, s, mustApp(t, s, silent.Number), models.NoticeConsultCoProducer)
		checkNoticeText(t, s, mustApp(t, s, silent.Number), co, []string{"铁岭市财政局：", "第三十四条", "视为同意公开"})

		// The applicant sees the notice to them, never the one to the third party.
		v := app.visitor(t)
		v.post(t, "/track", lookupForm(answered.Number, code))
		status := v.get(t, "/track/status")
		if !strings.Contains(status.Body, toApplicant.Number) || strings.Contains(status.Body, letter.Number) ||
			strings.Contains(status.Body, "铁岭某某养老服务有限公司") {
			t.Errorf("tracking page shows the wrong notices:\n%s", snippetOf(status.Body))
		}
		if r := v.get(t, fmt.Sprintf("/track/notices/%d", letter.ID)); r.StatusCode != 404 {
			t.Errorf("the third party's letter downloads on the tracking page: %d", r.StatusCode)
		}

		// Delivery: by post only through a postal enterprise.
		deliver := url.Values{"notice_id": {fmt.Sprint(letter.ID)}, "delivery_method": {"post"}, "delivered_on": {start.String()},
			"delivery_ref": {"XA123456789CN"}}
		clerk.refusedStep(t, answered.Number, "delivery", deliver, "邮政企业")
		deliver.Set("via_post", "1")
		clerk.mustStep(t, answered.Number, "delivery", deliver)
		clerk.mustStep(t, silent.Number, "delivery", url.Values{"notice_id": {fmt.Sprint(co.ID)}, "delivery_method": {"pickup"},
			"delivered_on": {start.String()}})
		_, events = mustApplication(t, s, answered.Number)
		if e := events[len(events)-1]; e.Kind != models.EventConsultationDelivered || e.Data.Ref != sent.Seq || e.On != start {
			t.Errorf("delivery on the ledger: %+v", e)
		}
		clerk.refusedStep(t, answered.Number, "delivery", deliver, "已登记于")

		// The reply three days later: three working days paused.
		orig := got.DueOn
		app.clock.Advance(72 * time.Hour)
		replyOn := s.Today()
		clerk.mustStep(t, answered.Number, "consultation/reply", url.Values{"ref": {fmt.Sprint(sent.Seq)},
			"answered_on": {replyOn.String()}, "opinion": {"object"}, "comment": {"涉及商业秘密"}})
		got, _ = mustApplication(t, s, answered.Number)
		cal, _ := s.Calendar(context.Background())
		paused, _ := cal.WorkingDaysBetween(start, replyOn)
		if want := workingDaysAfter(t, s, orig, paused); got.Status != models.StatusProcessing || got.DueOn != want || paused == 0 {
			t.Errorf("after the reply: %s due %s, want %s (%d days paused)", got.Status, got.DueOn, want, paused)
		}

		// Silence: the day after the 15 working days the job ends the pause.
		until := workingDaysAfter(t, s, start, 15)
		app.clock.Set(noon(until))
		if _, err := s.DailyJob(context.Background()); err != nil {
			t.Fatal(err)
		}
		if a := mustApp(t, s, silent.Number); a.Status != models.StatusConsulting {
			t.Errorf("on the last day of the period: %s", a.Status)
		}
		app.clock.Set(noon(until.AddDays(1)))
		summary, err := s.DailyJob(context.Background())
		if err != nil || !strings.Contains(summary, "征求意见1件") {
			t.Fatalf("daily job: %q %v", summary, err)
		}
		got, events = mustApplication(t, s, silent.Number)
		last := events[len(events)-1]
		if want := workingDaysAfter(t, s, orig, 15); got.Status != models.StatusProcessing || got.DueOn != want ||
			last.Kind != models.EventConsultationExpired || last.On != until.AddDays(1) {
			t.Errorf("after the period: %s due %s (want %s), last %+v", got.Status, got.DueOn, want, last)
		}
	})
}

// TestFee: the amount by the 按件 tiers at the 10th, 11th, 30th, 31st and
// 45th application of one applicant in a month and by the 按量 tiers at 30,
// 31, 100, 101 and 250 pages; one fee per application; paid (the clock
// resumes) and unpaid (the daily job ends the case as 其他处理-2).
func TestFee(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk := app.office(t, u.clerk)
		var apps []*models.Application
		for i := 1; i <= 45; i++ {
			a, _ := submitOnline(t, app, fmt.Sprintf("第%d份文件", i), testIDNumber)
			apps = append(apps, a)
		}
		// Another applicant's applications do not count.
		submitOnline(t, app, "他人的申请", "11010519491231002X")
		nth := func(n int) *models.Application {
			a := apps[n-1]
			clerk.mustStep(t, a.Number, "confirm", url.Values{"received_on": {s.Today().String()}})
			return a
		}
		payment := "持本通知书到本机关财务窗口缴纳"
		fee := func(a *models.Application) (*models.Application, models.Event) {
			got, events := mustApplication(t, s, a.Number)
			return got, events[len(events)-1]
		}
		// 按件.
		tenth := nth(10)
		clerk.refusedStep(t, tenth.Number, "fee", url.Values{"fee_method": {"per_item"}, "payment_method": {payment}}, "第10件，按件计收不收费")
		for _, tc := range []struct {
			n     int
			fen   int64
			words string
		}{{11, 100_00, "第11—30件档，每件100.00元"}, {30, 100_00, "第11—30件档"}, {31, 200_00, "第31—40件档，每件200.00元"}, {45, 300_00, "第41—50件档，每件300.00元"}} {
			a := nth(tc.n)
			page := clerk.get(t, "/staff/applications/"+a.Number+"/fee")
			if !strings.Contains(page.Body, fmt.Sprintf("第%d件申请", tc.n)) {
				t.Errorf("fee page of the %dth lacks its place in the month", tc.n)
			}
			clerk.mustStep(t, a.Number, "fee", url.Values{"fee_method": {"per_item"}, "payment_method": {payment}})
			got, e := fee(a)
			if e.Kind != models.EventFeeNoticeSent || e.Data.FeeMethod != models.FeePerItem || e.Data.Units != tc.n ||
				e.Data.AmountFen != tc.fen || got.Status != models.StatusAwaitingFee {
				t.Errorf("%dth application: %s, %+v", tc.n, got.Status, e.Data)
			}
			n := noticeOf(t, s, got, models.NoticeFee)
			checkNoticeText(t, s, got, n, []string{fmt.Sprintf("第%d件", tc.n), tc.words, models.FormatYuan(tc.fen), "按件计收",
				"国办函〔2020〕109号", payment, "次日起20个工作日内", "视为放弃申请"})
		}
		// 按量.
		clerk.refusedStep(t, nth(5).Number, "fee", url.Values{"fee_method": {"per_page"}, "pages": {"30"}, "payment_method": {payment}}, "30页以下（含30页）不收费")
		for i, tc := range []struct {
			pages int
			fen   int64
			calc  string
		}{{31, 10_00, "1页×10.00元＝10.00元"}, {100, 700_00, "70页×10.00元＝700.00元"},
			{101, 720_00, "70页×10.00元＋1页×20.00元＝720.00元"}, {250, 4700_00, "70页×10.00元＋100页×20.00元＋50页×40.00元＝4700.00元"}} {
			a := nth(i + 1)
			clerk.mustStep(t, a.Number, "fee", url.Values{"fee_method": {"per_page"}, "pages": {fmt.Sprint(tc.pages)}, "payment_method": {payment}})
			got, e := fee(a)
			if e.Data.FeeMethod != models.FeePerPage || e.Data.Units != tc.pages || e.Data.AmountFen != tc.fen {
				t.Errorf("%d pages: %+v", tc.pages, e.Data)
			}
			checkNoticeText(t, s, got, noticeOf(t, s, got, models.NoticeFee), []string{"按量计收", tc.calc})
		}
		// One fee per application, never both methods.
		clerk.refusedStep(t, apps[10].Number, "fee", url.Values{"fee_method": {"per_page"}, "pages": {"100"}, "payment_method": {payment}}, "不能登记")

		// Paid: delivered, then paid; the clock resumes.
		paid := apps[10]
		n := noticeOf(t, s, paid, models.NoticeFee)
		clerk.mustStep(t, paid.Number, "delivery", url.Values{"notice_id": {fmt.Sprint(n.ID)}, "delivery_method": {"pickup"},
			"delivered_on": {s.Today().String()}})
		clerk.mustStep(t, paid.Number, "fee/paid", url.Values{"paid_on": {s.Today().String()}, "amount": {"100.00"}})
		got, events := mustApplication(t, s, paid.Number)
		if got.Status != models.StatusProcessing || events[len(events)-1].Kind != models.EventFeePaid ||
			events[len(events)-2].Kind != models.EventFeeNoticeDelivered || got.DueOn != workingDaysAfter(t, s, got.ReceivedOn, 20) {
			t.Errorf("after payment: %s due %s, ledger %v", got.Status, got.DueOn, lastKinds(events, 3))
		}

		// Unpaid: 20 working days from the day after delivery, then ended.
		unpaid := apps[30]
		n = noticeOf(t, s, unpaid, models.NoticeFee)
		delivered := s.Today()
		clerk.mustStep(t, unpaid.Number, "delivery", url.Values{"notice_id": {fmt.Sprint(n.ID)}, "delivery_method": {"pickup"},
			"delivered_on": {delivered.String()}})
		until := workingDaysAfter(t, s, delivered, 20)
		app.clock.Set(noon(until.AddDays(1)))
		summary, err := s.DailyJob(context.Background())
		if err != nil || !strings.Contains(summary, "缴费") {
			t.Fatalf("daily job: %q %v", summary, err)
		}
		got, events = mustApplication(t, s, unpaid.Number)
		last := events[len(events)-1]
		if got.Status != models.StatusTerminated || got.Outcome != models.OutcomeFeeUnpaid || last.Kind != models.EventFeeExpired ||
			last.On != until.AddDays(1) {
			t.Errorf("unpaid: %s %s, last %+v", got.Status, got.Outcome, last)
		}
		// Fees whose delivery was never recorded wait: staff must record it.
		if a := mustApp(t, s, apps[29].Number); a.Status != models.StatusAwaitingFee {
			t.Errorf("fee without delivery: %s", a.Status)
		}
	})
}

// TestExtension: a section asks, the office head approves on or before
// the due date (the 延期答复告知书 and the mail) or rejects; an approval
// after the due date is refused.
func TestExtension(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk, head, sec := app.office(t, u.clerk), app.office(t, u.head), app.office(t, u.secA)
		var apps []*models.Application
		for _, title := range []string{"低保档案", "低保台账", "低保汇总"} {
			a, _ := confirmed(t, app, clerk, title, testIDNumber)
			clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {fmt.Sprint(u.sectionA.ID)}, "role": {"lead"}})
			sec.mustStep(t, a.Number, "extension", url.Values{"days": {"10"}, "reason": {"需要调取历年档案"}})
			apps = append(apps, a)
		}
		sec.refusedStep(t, apps[0].Number, "extension", url.Values{"days": {"5"}, "reason": {"再次"}}, "已有待审批的延期申请")
		// A section may not approve.
		if r := sec.send(t, "/staff/applications/"+apps[0].Number+"/extension/decide", url.Values{"decision": {"approve"}}); r.StatusCode != 403 {
			t.Errorf("section approves: %d", r.StatusCode)
		}
		orig := apps[0].DueOn
		page := head.get(t, "/staff/applications/"+apps[0].Number)
		if !strings.Contains(page.Body, "审批延期答复") {
			t.Error("the head's page does not offer the approval")
		}
		head.mustStep(t, apps[0].Number, "extension/decide", url.Values{"decision": {"approve"}, "days": {"10"}, "reason": {"需要调取历年档案"}})
		got, events := mustApplication(t, s, apps[0].Number)
		want := workingDaysAfter(t, s, orig, 10)
		if e := events[len(events)-1]; e.Kind != models.EventExtensionApproved || e.Data.Days != 10 || e.ActorID != u.head.ID || got.DueOn != want {
			t.Errorf("approved: %+v, due %s want %s", e, got.DueOn, want)
		}
		n := noticeOf(t, s, got, models.NoticeExtension)
		checkNoticeText(t, s, got, n, []string{"因需要调取历年档案", orig.Chinese(), "政府信息公开工作机构负责人同意", "延长10个工作日", want.Chinese(), "第三十三条第二款"})
		app.h.WaitNotifications()
		mails := app.out.Mails()
		if m := mails[len(mails)-1]; !strings.Contains(m.subject, "延期答复") || !strings.Contains(m.body, want.Chinese()) {
			t.Errorf("extension mail: %+v", m)
		}
		// Once only.
		if r := sec.get(t, "/staff/applications/"+apps[0].Number+"/extension"); !strings.Contains(r.Body, "已经延长过一次") {
			t.Error("a second extension is offered")
		}

		head.refusedStep(t, apps[1].Number, "extension/decide", url.Values{"decision": {"reject"}}, "请填写不同意延期的理由")
		head.mustStep(t, apps[1].Number, "extension/decide", url.Values{"decision": {"reject"}, "comment": {"可在期限内答复"}})
		if got, events := mustApplication(t, s, apps[1].Number); got.DueOn != orig || events[len(events)-1].Kind != models.EventExtensionRejected {
			t.Errorf("rejected: due %s, ledger %v", got.DueOn, lastKinds(events, 2))
		}

		// After the due date the approval comes too late (条例第三十三条).
		app.clock.Set(noon(orig.AddDays(1)))
		head.refusedStep(t, apps[2].Number, "extension/decide", url.Values{"decision": {"approve"}, "days": {"10"}, "reason": {"档案"}}, "应当在答复期限届满前决定")
	})
}

// TestExcessive: 条例第三十五条 — the 说明理由告知书, the explanation, then
// the office head's decision: a reasonable delayed deadline with its
// notice, or 不予处理 recorded as the answer.
func TestExcessive(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk, head := app.office(t, u.clerk), app.office(t, u.head)
		delayed, _ := confirmed(t, app, clerk, "历年低保档案", testIDNumber)
		refused, _ := confirmed(t, app, clerk, "历年低保档案二", testIDNumber)
		for _, a := range []*models.Application{delayed, refused} {
			page := clerk.get(t, "/staff/applications/"+a.Number+"/explanation")
			if !strings.Contains(page.Body, "本自然月2件") {
				t.Errorf("explanation page lacks the count:\n%s", staffExcerpt(page.Body))
			}
			clerk.mustStep(t, a.Number, "explanation", url.Values{"facts": {"您本月已提交申请36件。"}, "reply_days": {"10"}})
		}
		got, events := mustApplication(t, s, delayed.Number)
		due := workingDaysAfter(t, s, s.Today(), 10)
		if got.Status != models.StatusExplaining || events[len(events)-1].Data.DueOn != due || got.DueOn != delayed.DueOn {
			t.Errorf("asked: %s, %+v, due %s", got.Status, events[len(events)-1].Data, got.DueOn)
		}
		checkNoticeText(t, s, got, noticeOf(t, s, got, models.NoticeExplanation),
			[]string{"经查：您本月已提交申请36件。", "第三十五条", due.Chinese(), "不予处理", "延迟答复的合理期限"})
		// A delayed deadline needs the explanation first.
		later := workingDaysAfter(t, s, delayed.DueOn, 30)
		head.refusedStep(t, delayed.Number, "excessive", url.Values{"decision": {"delay"}, "due_on": {later.String()}, "reason": {"档案多"}}, "尚未收到申请人说明的理由")
		app.clock.Advance(24 * time.Hour)
		clerk.mustStep(t, delayed.Number, "explained", url.Values{"received_on": {s.Today().String()}, "comment": {"用于学术研究，需历年数据"}})
		if a := mustApp(t, s, delayed.Number); a.Status != models.StatusProcessing {
			t.Errorf("after the explanation: %s", a.Status)
		}
		head.refusedStep(t, delayed.Number, "excessive", url.Values{"decision": {"delay"}, "due_on": {delayed.DueOn.AddDays(-1).String()}, "reason": {"档案多"}}, "不得早于现行答复期限")
		head.mustStep(t, delayed.Number, "excessive", url.Values{"decision": {"delay"}, "due_on": {later.String()}, "reason": {"涉及36件档案，需逐件查找"}})
		got, events = mustApplication(t, s, delayed.Number)
		if got.DueOn != later || events[len(events)-1].Kind != models.EventDelayedDeadlineSet {
			t.Errorf("delayed: due %s want %s, %v", got.DueOn, later, lastKinds(events, 1))
		}
		checkNoticeText(t, s, got, noticeOf(t, s, got, models.NoticeDelayedDeadline),
			[]string{"第三十五条", later.Chinese(), "理由：涉及36件档案，需逐件查找"})

		// 不予处理: recorded as the answer (not_processed_mass).
		head.mustStep(t, refused.Number, "excessive", url.Values{"decision": {"not_process"}, "reason": {"短期内就同一事项大量申请，理由不成立"}})
		got, events = mustApplication(t, s, refused.Number)
		e := events[len(events)-1]
		if got.Status != models.StatusAnswered || got.Outcome != models.OutcomeMass || e.Kind != models.EventAnswerIssued || e.ActorID != u.head.ID {
			t.Errorf("not processed: %s %s, %+v", got.Status, got.Outcome, e)
		}
		if a, _ := mustApplication(t, s, refused.Number); a.ClosedOn != s.Today() {
			t.Errorf("closed on %s", a.ClosedOn)
		}
	})
}

var _ = store.DailyJobName
