package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// answerTeam is the office with everyone the sign-off needs: the clerk,
// the office head, two section handlers, the head of 社会救助科 and a
// 保密审查员.
type answerTeam struct {
	officeUsers
	sectionHead, reviewer *models.User
}

func newAnswerTeam(t *testing.T, s *store.Store, u officeUsers) answerTeam {
	t.Helper()
	return answerTeam{officeUsers: u,
		sectionHead: mkStaffUser(t, s, "heada", []models.Role{models.RoleSectionHead}, []int64{u.sectionA.ID}, false),
		reviewer:    mkStaffUser(t, s, "reviewer", []models.Role{models.RoleReviewer}, nil, false)}
}

// answerTextPDF renders a PDF with a text layer holding the lines, as the
// scanner reads released files.
func answerTextPDF(t *testing.T, title string, lines ...string) []byte {
	t.Helper()
	var body []reports.Block
	for _, l := range lines {
		body = append(body, reports.Paragraph(l))
	}
	var buf bytes.Buffer
	if err := reports.WriteLetter(&buf, reports.Letter{Agency: models.Agency{Name: "铁岭市民政局"}, Title: title, Body: body,
		CreatedAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// draftFormFields are the draft form's fields for an answer with outcome o
// that fills in what o needs; the reasons name the outcome so that the
// letter can be checked for them.
func draftFormFields(o models.Outcome) []formField {
	f := []formField{{"outcome", string(o)}, {"reasons", "经核查，" + string(o) + "的具体理由。"}, {"action", "submit"}}
	switch o {
	case models.OutcomeProactive:
		f = append(f, formField{"published_where", "铁岭市民政局网站“政府信息公开—财政资金”栏目"}, formField{"published_on", "2026-01-15"})
	case models.OutcomeDisclose:
		f = append(f, formField{"method", "online"})
	case models.OutcomePartial:
		f = append(f, formField{"method", "online"}, formField{"partial_ground", string(models.OutcomeWithholdThirdParty)})
	case models.OutcomeNotThisAgency:
		f = append(f, formField{"competent_agency", "铁岭市财政局"}, formField{"competent_contact", "铁岭市财政局办公室"})
	case models.OutcomeRepeat:
		f = append(f, formField{"previous_answer", "铁民公开〔2026〕第1号"})
	case models.OutcomePublication:
		f = append(f, formField{"obtain_place", "铁岭市图书馆"})
	}
	return f
}

// mustPost posts a staff form and wants a redirect (303) to a staff page.
func (o *officeClient) mustPost(t *testing.T, path string, form url.Values) citizenResponse {
	t.Helper()
	r := o.send(t, path, form)
	if r.StatusCode != http.StatusSeeOther || strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
		t.Fatalf("POST %s: status %d, want 303:\n%s", path, r.StatusCode, staffExcerpt(r.Body))
	}
	return r
}

// mustPostFiles posts a multipart staff form and wants a redirect.
func (o *officeClient) mustPostFiles(t *testing.T, path string, fields []formField, files []fileUpload) citizenResponse {
	t.Helper()
	r := o.sendFiles(t, path, fields, files)
	if r.StatusCode != http.StatusSeeOther || strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
		t.Fatalf("POST %s: status %d, want 303:\n%s", path, r.StatusCode, staffExcerpt(r.Body))
	}
	return r
}

// refused posts a staff form and wants the form again (422) saying want.
func (o *officeClient) refused(t *testing.T, path string, form url.Values, want string) {
	t.Helper()
	r := o.send(t, path, form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, want) {
		t.Errorf("POST %s: status %d, want 422 saying %q:\n%s", path, r.StatusCode, want, staffExcerpt(r.Body))
	}
}

// signOff takes a submitted draft through the section head, the
// review, the office head and the issuing.
func signOff(t *testing.T, app *citizenApp, team answerTeam, number string) {
	t.Helper()
	base := "/staff/applications/" + number + "/answer"
	app.office(t, team.sectionHead).mustPost(t, base+"/section-approval", url.Values{"decision": {"approve"}})
	app.office(t, team.reviewer).mustPost(t, base+"/review/decide", url.Values{"decision": {"complete"}})
	app.office(t, team.head).mustPost(t, base+"/final-approval", url.Values{"decision": {"approve"}})
	app.office(t, team.clerk).mustPost(t, base+"/issue", nil)
}

// letterText reads an issued answer letter back with pdftotext, white
// space, page footers, the agency's contact lines and the table labels
// taken out; ok is false when poppler-utils is missing.
func letterText(t *testing.T, s *store.Store, app *models.Application, n *store.Notice) (string, bool) {
	t.Helper()
	_, f, err := s.NoticePDF(context.Background(), app.ID, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	text, ok := noticePDFText(t, f.Content)
	if !ok {
		return "", false
	}
	return squeezeLetter(t, s, text), true
}

// squeezeLetter removes white space and the letter's layout noise.
func squeezeLetter(t *testing.T, s *store.Store, text string) string {
	a := storetest.DefaultAgency(t, s)
	noise := []string{a.OfficeAddress, a.Phone, a.Fax, a.Email, a.Website, "邮编：" + a.PostCode, "地址：", "电话：", "传真：",
		"电子邮箱：", "网站：", "申请编号", "收到申请日期", "申请获取的信息", "答复结果", "法律依据"}
	text = footerRE.ReplaceAllString(strings.Join(strings.Fields(text), ""), "")
	for _, x := range noise {
		if x = strings.Join(strings.Fields(x), ""); x != "" {
			text = strings.ReplaceAll(text, x, "")
		}
	}
	return text
}

var trackFileRE = regexp.MustCompile(`href="/track/files/(\d+)"`)

// TestAnswerEveryOutcome takes one application through every outcome a
// section drafts, on both databases: drafted by the lead section, approved
// by its head, reviewed, approved by the office head and issued. It checks
// the ledger, the table-三 row the outcome is counted in, the letter's
// text as pdftotext reads it, and the applicant's tracking page.
func TestAnswerEveryOutcome(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		team := newAnswerTeam(t, s, u)
		clerk, secA := app.office(t, u.clerk), app.office(t, u.secA)
		for _, info := range models.Outcomes {
			if !info.Outcome.Drafted() {
				continue
			}
			t.Run(string(info.Outcome), func(t *testing.T) {
				a, code := confirmed(t, app, clerk, "低保资金"+string(info.Outcome), testIDNumber)
				clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {fmt.Sprint(u.sectionA.ID)}, "role": {"lead"}})
				switch info.Outcome {
				case models.OutcomeMass:
					clerk.mustStep(t, a.Number, "explanation", url.Values{"facts": {"您本月已提交申请36件。"}, "reply_days": {"10"}})
				case models.OutcomeStillUnclear:
					clerk.mustStep(t, a.Number, "correction", url.Values{"items": {"请写明所需信息的年份"}, "period_days": {"15"}})
					clerk.mustStep(t, a.Number, "corrected", url.Values{"received_on": {s.Today().String()}, "comment": {"补正为2025年度"}})
				}
				draft := "/staff/applications/" + a.Number + "/answer/draft"
				var files []fileUpload
				released := ""
				if info.Outcome.Discloses() && info.Outcome != models.OutcomeProactive {
					released = "2025年度低保资金发放情况.pdf"
					files = append(files, fileUpload{"files", released, answerTextPDF(t, "低保资金", "2025年度全市城乡低保资金共计1.2亿元。")})
				}
				v := app.visitor(t)
				v.post(t, "/track", lookupForm(a.Number, code))

				secA.mustPostFiles(t, draft, draftFormFields(info.Outcome), files)
				if files != nil {
					// Before the letter is issued the applicant sees no file.
					if page := v.get(t, "/track/status"); strings.Contains(page.Body, released) || trackFileRE.MatchString(page.Body) {
						t.Errorf("the draft's file is on the tracking page before issuing")
					}
				}
				signOff(t, app, team, a.Number)

				got, events := mustApplication(t, s, a.Number)
				kinds := lastKinds(events, 5)
				want := []models.EventKind{models.EventAnswerDrafted, models.EventAnswerApproved, models.EventAnswerReviewed,
					models.EventAnswerApproved, models.EventAnswerIssued}
				if fmt.Sprint(kinds) != fmt.Sprint(want) {
					t.Errorf("ledger ends %v, want %v", kinds, want)
				}
				issued := events[len(events)-1]
				letter := noticeOf(t, s, got, models.NoticeAnswer)
				if got.Status != models.StatusAnswered || got.Outcome != info.Outcome || got.ClosedOn != s.Today() ||
					issued.Data.Outcome != info.Outcome || issued.Data.NoticeID != letter.ID || letter.EventSeq != issued.Seq ||
					issued.ActorID != u.clerk.ID {
					t.Errorf("after issuing: %s %s %s, event %+v, letter %+v", got.Status, got.Outcome, got.ClosedOn, issued, letter)
				}
				// The table-三 row: the mapping, and the annual tally of
				// this case.
				if got.Outcome.Row() != info.Row {
					t.Errorf("row %d, want %d", got.Outcome.Row(), info.Row)
				}
				rep := models.ComputeAnnualReport(s.Today().Year(), []models.ReportCase{{Ref: got.Number, ReceivedOn: got.ReceivedOn,
					ClosedOn: got.ClosedOn, Outcome: got.Outcome, Applicant: models.ApplicantPerson}}, nil, nil,
					models.CatalogCounts{}, models.ProactiveFigures{}, models.FeeFigures{})
				col := models.ApplicantPerson.Column()
				if n := rep.Table3[models.Table3Index(info.Row)][col]; n != 1 {
					t.Errorf("table 三 row %s%s counts %d", info.Row.Info().Group, info.Row.Info().Label, n)
				}

				// The letter, read back.
				if text, ok := letterText(t, s, got, letter); ok {
					wants := []string{reports.AnswerTitle, letter.Number, "张三：", "经核查，" + string(info.Outcome) + "的具体理由。",
						info.Label, "60日内向铁岭市人民政府申请行政复议", "6个月内"}
					if info.Basis != "" {
						wants = append(wants, info.Basis)
					}
					switch info.Outcome {
					case models.OutcomeProactive:
						wants = append(wants, "“政府信息公开—财政资金”栏目")
					case models.OutcomeDisclose, models.OutcomePartial:
						wants = append(wants, released, "凭申请编号和查询码")
					case models.OutcomeNotThisAgency:
						wants = append(wants, "负责公开该政府信息的行政机关为铁岭市财政局")
					case models.OutcomeRepeat:
						wants = append(wants, "铁民公开〔2026〕第1号")
					case models.OutcomePublication:
						wants = append(wants, "铁岭市图书馆")
					}
					for _, w := range wants {
						if !strings.Contains(text, squeezeLetter(t, s, w)) {
							t.Errorf("letter lacks %q:\n%s", w, text)
						}
					}
				}

				// The tracking page: the letter, the outcome, the released
				// files, and nothing of the sign-off.
				page := v.get(t, "/track/status")
				for _, w := range []string{letter.Number, "答复结果：" + info.Label, "/track/notices/" + fmt.Sprint(letter.ID)} {
					if !strings.Contains(page.Body, w) {
						t.Errorf("tracking page lacks %q", w)
					}
				}
				for _, w := range []string{"拟定答复意见", "保密审查", "答复意见审核通过", "具体理由"} {
					if strings.Contains(page.Body, w) {
						t.Errorf("tracking page shows %q", w)
					}
				}
				if r := v.get(t, fmt.Sprintf("/track/notices/%d", letter.ID)); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "%PDF") {
					t.Errorf("letter download: %d", r.StatusCode)
				}
				m := trackFileRE.FindStringSubmatch(page.Body)
				switch {
				case released != "" && (m == nil || !strings.Contains(page.Body, released)):
					t.Errorf("tracking page lacks the released file")
				case released != "":
					if r := v.get(t, "/track/files/"+m[1]); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "%PDF") {
						t.Errorf("released file download: %d", r.StatusCode)
					}
				case m != nil:
					t.Errorf("tracking page offers a file for %s", info.Outcome)
				}
			})
		}
		// Every letter took its number from the one notice series: the
		// numbers of all notices issued are 1…n without gaps.
		var numbers []string
		rows, err := s.DB().Query(`SELECT number FROM notices ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			rows.Scan(&n)
			numbers = append(numbers, n)
		}
		for i, n := range numbers {
			if want := models.NoticeNumber("铁民公开", s.Today().Year(), i+1); n != want {
				t.Fatalf("notice %d is %s, want %s (one series, no gaps)", i+1, n, want)
			}
		}
		// The applicant was mailed each answer.
		answered := 0
		app.h.WaitNotifications()
		for _, m := range app.out.Mails() {
			if strings.Contains(m.subject, "已答复") {
				answered++
			}
		}
		if drafted := len(models.Outcomes) - 3; answered != drafted {
			t.Errorf("%d answer mails, want %d", answered, drafted)
		}
	})
}

// draftTo submits a draft of outcome o for the application as the
// section handler of 社会救助科.
func draftTo(t *testing.T, app *citizenApp, u officeUsers, number string, o models.Outcome, files ...fileUpload) {
	t.Helper()
	app.office(t, u.secA).mustPostFiles(t, "/staff/applications/"+number+"/answer/draft", draftFormFields(o), files)
}

// routedTo files, confirms and routes an application to 社会救助科.
func routedTo(t *testing.T, app *citizenApp, u officeUsers, title string) (*models.Application, string) {
	t.Helper()
	clerk := app.office(t, u.clerk)
	a, code := confirmed(t, app, clerk, title, testIDNumber)
	clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {fmt.Sprint(u.sectionA.ID)}, "role": {"lead"}})
	return mustApp(t, app.store, a.Number), code
}

// TestAnswerReviewRefusesOpenFindings: a file with a planted ID number and
// an image without a text layer; the review cannot be completed (nor the
// letter issued) while the finding is open or the image not attested; a
// redacted replacement that still shows the number is open again; a
// finding in the answer's own text is cleared with a reason.
func TestAnswerReviewRefusesOpenFindings(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		team := newAnswerTeam(t, s, u)
		a, _ := routedTo(t, app, u, "低保对象名单")
		base := "/staff/applications/" + a.Number + "/answer"
		fields := draftFormFields(models.OutcomeDisclose)
		// The answer's own text names the office's phone: a finding to
		// clear with a reason.
		fields = append(fields, formField{"extra_basis", "咨询电话024-72222222"})
		draftTo(t, app, u, a.Number, models.OutcomeNotHeld)
		app.office(t, u.secA).refused(t, base+"/draft", nil, "答复当前为“待科室负责人审核”")

		// A second application carries the real test: files with findings.
		b, code := routedTo(t, app, u, "临时救助名单")
		bbase := "/staff/applications/" + b.Number + "/answer"
		app.office(t, u.secA).mustPostFiles(t, bbase+"/draft", fields, []fileUpload{
			{"files", "名单.pdf", answerTextPDF(t, "名单", "救助对象王五，身份证号码"+answerPlantedID+"。")},
			{"files", "签批单.png", sealPNG(t, 40, 40)},
		})
		app.office(t, team.sectionHead).mustPost(t, bbase+"/section-approval", url.Values{"decision": {"approve"}})
		reviewer := app.office(t, team.reviewer)
		page := reviewer.get(t, bbase+"/review")
		for _, w := range []string{models.MaskIDNumber(answerPlantedID), "答复正文第", "024-****2222", "签批单.png", "没有文字层"} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("review page lacks %q", w)
			}
		}
		// The findings are listed masked (the answer's own text is shown as
		// drafted: the reviewer judges it).
		findings := page.Body[strings.Index(page.Body, `class="review-findings"`):]
		if strings.Contains(page.Body, answerPlantedID) || strings.Contains(findings, "72222222") {
			t.Errorf("review page shows a finding in clear")
		}
		// Refused while anything is open: store and handler.
		reviewer.refused(t, bbase+"/review/decide", url.Values{"decision": {"complete"}}, "保密审查尚有3项未处理，不能发布")
		ans, err := s.Answer(context.Background(), mustApp(t, s, b.Number), mustEvents(t, s, b.Number))
		if err != nil {
			t.Fatal(err)
		}
		r := ans.Review
		if len(r.Findings) != 2 || len(r.Blockers()) != 3 {
			t.Fatalf("review: %d findings, %d blockers: %v", len(r.Findings), len(r.Blockers()), r.Blockers())
		}
		var text, file models.ReviewFinding
		for _, f := range r.Findings {
			if r.Source(f).Kind == models.ReviewSourceAnswer {
				text = f
			} else {
				file = f
			}
		}
		pdfID, pngID := r.Sources[1].AttachmentID, r.Sources[2].AttachmentID
		// Clearing needs a reason.
		reviewer.refused(t, bbase+"/review/clear", url.Values{"draft_seq": {fmt.Sprint(r.DraftSeq)}, "finding_id": {fmt.Sprint(text.ID)}},
			"请填写可以公开的理由")
		reviewer.mustPost(t, bbase+"/review/clear", url.Values{"draft_seq": {fmt.Sprint(r.DraftSeq)}, "finding_id": {fmt.Sprint(text.ID)},
			fmt.Sprintf("reason-%d", text.ID): {"本机关对外公布的咨询电话"}})
		// A "redacted" file that still shows the number is open again.
		draftSeq := fmt.Sprint(r.DraftSeq)
		reviewer.mustPostFiles(t, bbase+"/review/replace", []formField{{"draft_seq", draftSeq}, {"attachment_id", fmt.Sprint(pdfID)}},
			[]fileUpload{{"redacted", "名单（遮盖）.pdf", answerTextPDF(t, "名单", "救助对象王五，身份证号码"+answerPlantedID+"。")}})
		ans, _ = s.Answer(context.Background(), mustApp(t, s, b.Number), mustEvents(t, s, b.Number))
		if n := len(ans.Review.Open()); n != 1 {
			t.Errorf("after a bad redaction %d findings are open, want 1", n)
		}
		redactedID := ans.Review.Sources[3].AttachmentID
		reviewer.mustPostFiles(t, bbase+"/review/replace", []formField{{"draft_seq", draftSeq}, {"attachment_id", fmt.Sprint(redactedID)}},
			[]fileUpload{{"redacted", "名单（已遮盖）.pdf", answerTextPDF(t, "名单", "救助对象王五，身份证号码已遮盖。")}})
		reviewer.refused(t, bbase+"/review/decide", url.Values{"decision": {"complete"}}, "须由审查员逐页审阅后确认")
		reviewer.refused(t, bbase+"/review/attest", url.Values{"draft_seq": {draftSeq}, "attachment_id": {fmt.Sprint(pngID)}}, "请填写审阅意见")
		reviewer.mustPost(t, bbase+"/review/attest", url.Values{"draft_seq": {draftSeq}, "attachment_id": {fmt.Sprint(pngID)},
			fmt.Sprintf("statement-%d", pngID): {"已逐页人工审阅，未发现不得公开的内容"}})
		// A stale page (another draft) is refused.
		reviewer.refused(t, bbase+"/review/clear", url.Values{"draft_seq": {"1"}, "finding_id": {fmt.Sprint(file.ID)},
			fmt.Sprintf("reason-%d", file.ID): {"x"}}, "答复稿已经更新")
		reviewer.mustPost(t, bbase+"/review/decide", url.Values{"decision": {"complete"}})
		app.office(t, team.head).mustPost(t, bbase+"/final-approval", url.Values{"decision": {"approve"}})
		app.office(t, team.clerk).mustPost(t, bbase+"/issue", nil)

		// The applicant gets the redacted file and the image; never the
		// original nor the bad redaction.
		v := app.visitor(t)
		v.post(t, "/track", lookupForm(b.Number, code))
		status := v.get(t, "/track/status")
		if !strings.Contains(status.Body, "名单（已遮盖）.pdf") || !strings.Contains(status.Body, "签批单.png") ||
			strings.Contains(status.Body, "名单.pdf") || strings.Contains(status.Body, "名单（遮盖）.pdf") {
			t.Errorf("released files on the tracking page:\n%s", snippetOf(status.Body))
		}
		for _, id := range []int64{pdfID, redactedID} {
			if r := v.get(t, fmt.Sprintf("/track/files/%d", id)); r.StatusCode != 404 {
				t.Errorf("replaced file %d downloads: %d", id, r.StatusCode)
			}
		}
		// The review record is in the trail.
		if n := countAudit(t, s, models.AuditApplicationStep); n == 0 {
			t.Error("no audit entries")
		}
	})
}

func mustEvents(t *testing.T, s *store.Store, number string) []models.Event {
	t.Helper()
	_, events := mustApplication(t, s, number)
	return events
}

// TestAnswerContributionsAndScope: an assisting section contributes its
// part, and the lead cannot submit before it has; the assisting section
// neither drafts nor approves; another section's staff are refused (403,
// audited); a send-back with its comment starts a second round, reviewed
// afresh.
func TestAnswerContributionsAndScope(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		team := newAnswerTeam(t, s, u)
		clerk, secA, secB := app.office(t, u.clerk), app.office(t, u.secA), app.office(t, u.secB)
		a, _ := routedTo(t, app, u, "养老机构补贴")
		clerk.mustStep(t, a.Number, "route", url.Values{"section_id": {fmt.Sprint(u.sectionB.ID)}, "role": {"assist"}})
		base := "/staff/applications/" + a.Number + "/answer"

		// The lead must wait for the assisting section.
		r := secA.sendFiles(t, base+"/draft", draftFormFields(models.OutcomeNotHeld), nil)
		if r.StatusCode != 422 || !strings.Contains(r.Body, "协办科室“养老服务科”尚未提交协办意见") {
			t.Fatalf("submitting without the contribution: %d\n%s", r.StatusCode, staffExcerpt(r.Body))
		}
		// Its work was kept.
		if page := secA.get(t, base+"/draft"); !strings.Contains(page.Body, "的具体理由") {
			t.Errorf("the draft form lost what was typed")
		}
		// The assisting section may not draft (403, audited), but
		// contributes.
		denied := countAudit(t, s, models.AuditAccessDenied)
		if r := secB.get(t, base+"/draft"); r.StatusCode != 403 || countAudit(t, s, models.AuditAccessDenied) != denied+1 {
			t.Errorf("assisting section on the draft form: %d", r.StatusCode)
		}
		secB.refused(t, base+"/contribute", url.Values{"section_id": {fmt.Sprint(u.sectionB.ID)}}, "请填写协办意见")
		secB.mustPostFiles(t, base+"/contribute", []formField{{"section_id", fmt.Sprint(u.sectionB.ID)}, {"contribution", "本科室未制作该补贴名单。"}},
			[]fileUpload{{"files", "检索记录.pdf", answerTextPDF(t, "检索记录", "已检索2025年全部发文。")}})
		// The lead section is not an assisting one.
		secA.refused(t, base+"/contribute", url.Values{"section_id": {fmt.Sprint(u.sectionA.ID)}, "contribution": {"x"}}, "不是本申请的协办科室")
		if page := secA.get(t, base+"/draft"); !strings.Contains(page.Body, "本科室未制作该补贴名单。") || !strings.Contains(page.Body, "检索记录.pdf") {
			t.Errorf("the draft form lacks the contribution")
		}
		secA.mustPostFiles(t, base+"/draft", draftFormFields(models.OutcomeNotHeld), nil)

		// Only the lead section's head approves; the reviewer and the
		// office head cannot yet.
		headB := mkStaffUser(t, s, "headb", []models.Role{models.RoleSectionHead}, []int64{u.sectionB.ID}, false)
		if r := app.office(t, headB).send(t, base+"/section-approval", url.Values{"decision": {"approve"}}); r.StatusCode != 403 {
			t.Errorf("the assisting section's head approves: %d", r.StatusCode)
		}
		app.office(t, team.reviewer).refused(t, base+"/review/decide", url.Values{"decision": {"complete"}}, "不在保密审查环节")
		app.office(t, team.head).refused(t, base+"/final-approval", url.Values{"decision": {"approve"}}, "不在本环节")
		clerk.refused(t, base+"/issue", nil, "不在本环节")
		// A return needs a comment; with it the draft goes back.
		head := app.office(t, team.sectionHead)
		head.refused(t, base+"/section-approval", url.Values{"decision": {"return"}}, "退回时须填写退回意见")
		head.mustPost(t, base+"/section-approval", url.Values{"decision": {"return"}, "comment": {"请写明检索的范围。"}})
		if page := secA.get(t, base+"/draft"); !strings.Contains(page.Body, "请写明检索的范围。") {
			t.Errorf("the drafter does not see the return's comment")
		}
		if page := secA.get(t, "/staff/answers"); !strings.Contains(page.Body, a.Number) || !strings.Contains(page.Body, "请写明检索的范围。") {
			t.Errorf("the queue does not show the returned draft")
		}
		secA.mustPostFiles(t, base+"/draft", append(draftFormFields(models.OutcomeNotHeld), formField{"reasons", "已检索本机关2025年全部发文。"}), nil)
		signOff(t, app, team, a.Number)
		got, events := mustApplication(t, s, a.Number)
		st, err := models.AnswerFlow(events)
		if err != nil || st.Round != 2 || got.Outcome != models.OutcomeNotHeld {
			t.Errorf("after the second round: %+v %v, outcome %s", st, err, got.Outcome)
		}
		reviews, err := s.AnswerReviews(context.Background(), got.ID)
		if err != nil || len(reviews) != 2 {
			t.Errorf("reviews: %d, %v", len(reviews), err)
		}
		// Another section's staff cannot open the answer.
		other, _ := confirmed(t, app, clerk, "婚姻登记", testIDNumber)
		clerk.mustStep(t, other.Number, "route", url.Values{"section_id": {fmt.Sprint(u.sectionB.ID)}, "role": {"lead"}})
		denied = countAudit(t, s, models.AuditAccessDenied)
		for _, p := range []string{"/answer", "/answer/draft", "/answer/review", "/casefile"} {
			if r := secA.get(t, "/staff/applications/"+other.Number+p); r.StatusCode != 403 {
				t.Errorf("%s of another section's application: %d", p, r.StatusCode)
			}
		}
		if got := countAudit(t, s, models.AuditAccessDenied); got != denied+4 {
			t.Errorf("%d refusals audited, want 4", got-denied)
		}
	})
}

// TestAnswerDecidedExcessive: the office head's 不予处理 decision under
// 条例第三十五条 closes the case on the ledger; the office then issues its
// letter from the decision's reasons, in the notice series, without a
// second answer event.
func TestAnswerDecidedExcessive(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		clerk, head := app.office(t, u.clerk), app.office(t, u.head)
		a, code := routedTo(t, app, u, "全市历年低保档案")
		clerk.mustStep(t, a.Number, "explanation", url.Values{"facts": {"您本月已提交申请36件。"}, "reply_days": {"10"}})
		head.mustStep(t, a.Number, "excessive", url.Values{"decision": {"not_process"}, "reason": {"短期内就同一事项大量申请，理由不成立。"}})
		if page := clerk.get(t, "/staff/answers"); !strings.Contains(page.Body, a.Number) || !strings.Contains(page.Body, "条例第三十五条不予处理决定") {
			t.Errorf("the queue does not offer the decision's letter:\n%s", staffExcerpt(page.Body))
		}
		if page := clerk.get(t, "/staff/applications/"+a.Number+"/answer/issue"); !strings.Contains(page.Body, "短期内就同一事项大量申请") {
			t.Errorf("issuing page lacks the decision's reasons")
		}
		clerk.mustPost(t, "/staff/applications/"+a.Number+"/answer/issue", nil)
		clerk.refused(t, "/staff/applications/"+a.Number+"/answer/issue", nil, "答复书")
		got, events := mustApplication(t, s, a.Number)
		letter := noticeOf(t, s, got, models.NoticeAnswer)
		issued := models.LastEvent(events, models.EventAnswerIssued)
		if n := len(events); events[n-1].Kind != models.EventAnswerIssued || letter.EventSeq != issued.Seq || got.Outcome != models.OutcomeMass {
			t.Errorf("after the letter: ledger ends %v, letter %+v", lastKinds(events, 2), letter)
		}
		if text, ok := letterText(t, s, got, letter); ok {
			for _, w := range []string{"短期内就同一事项大量申请，理由不成立。", "第三十五条", letter.Number} {
				if !strings.Contains(text, w) {
					t.Errorf("letter lacks %q", w)
				}
			}
		}
		v := app.visitor(t)
		v.post(t, "/track", lookupForm(a.Number, code))
		if page := v.get(t, "/track/status"); !strings.Contains(page.Body, letter.Number) {
			t.Errorf("tracking page lacks the letter")
		}
	})
}

// TestAnswerDeliveryRemediesArchive: the answer letter's delivery is
// recorded with the clock's delivery step and put on the ledger;
// reconsideration and litigation are recorded and concluded; the case is
// archived with its case file, whose text read back holds every document
// of the case in order; the full-identity case file is for the roles that
// may see personal data, and audited.
func TestAnswerDeliveryRemediesArchive(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		team := newAnswerTeam(t, s, u)
		clerk := app.office(t, u.clerk)
		a, code := routedTo(t, app, u, "2025年度临时救助资金使用情况")
		clerk.mustStep(t, a.Number, "correction", url.Values{"items": {"请写明所需信息的区县"}, "period_days": {"15"}})
		clerk.mustStep(t, a.Number, "corrected", url.Values{"received_on": {s.Today().String()}, "comment": {"补正为银州区"}})
		app.clock.Advance(24 * time.Hour)
		base := "/staff/applications/" + a.Number
		clerk.refused(t, base+"/archive", url.Values{}, "办结后方可归档")
		draftTo(t, app, u, a.Number, models.OutcomeNotHeld)
		signOff(t, app, team, a.Number)
		got := mustApp(t, s, a.Number)
		letter := noticeOf(t, s, got, models.NoticeAnswer)

		// Delivery: the clock's delivery step records the letter's service
		// and the ledger's answer_delivered.
		clerk.mustStep(t, a.Number, "delivery", url.Values{"notice_id": {fmt.Sprint(letter.ID)}, "delivery_method": {"online"},
			"delivered_on": {s.Today().String()}})
		_, events := mustApplication(t, s, a.Number)
		if e := events[len(events)-1]; e.Kind != models.EventAnswerDelivered || e.Data.DeliveryMethod != models.DeliveryOnline {
			t.Errorf("after delivery the ledger ends %+v", e)
		}
		v := app.visitor(t)
		v.post(t, "/track", lookupForm(a.Number, code))
		if page := v.get(t, "/track/status"); !strings.Contains(page.Body, "答复书送达") {
			t.Errorf("tracking page lacks the delivery")
		}

		// Remedies.
		today := s.Today().String()
		clerk.refused(t, base+"/remedies", url.Values{"remedy_kind": {"reconsideration"}}, "请填写案号")
		clerk.mustPost(t, base+"/remedies", url.Values{"remedy_kind": {"reconsideration"}, "filed_on": {today},
			"case_ref": {"铁政复〔2026〕12号"}, "result": {"upheld"}, "concluded_on": {today}})
		clerk.mustPost(t, base+"/remedies", url.Values{"remedy_kind": {"litigation_after_reconsideration"}, "filed_on": {today},
			"case_ref": {"（2026）辽1202行初5号"}})
		_, events = mustApplication(t, s, a.Number)
		suit := events[len(events)-1].Seq
		clerk.refused(t, base+"/remedies/conclude", url.Values{"ref": {fmt.Sprint(suit)}}, "请选择审结结果")
		clerk.mustPost(t, base+"/remedies/conclude", url.Values{"ref": {fmt.Sprint(suit)}, "c_result": {"corrected"}, "c_concluded_on": {today}})
		clerk.refused(t, base+"/remedies/conclude", url.Values{"ref": {fmt.Sprint(suit)}, "c_result": {"other"}, "c_concluded_on": {today}}, "已经审结")
		_, events = mustApplication(t, s, a.Number)
		cases := models.RemedyCasesOf(a.Number, events)
		if len(cases) != 2 || cases[0].Kind != models.RemedyReconsideration || cases[0].Result != models.ResultUpheld ||
			cases[1].Kind != models.RemedyLitigationAfterReconsideration || cases[1].Result != models.ResultCorrected {
			t.Errorf("remedy cases: %+v", cases)
		}
		if page := clerk.get(t, base); !strings.Contains(page.Body, "铁政复〔2026〕12号") || !strings.Contains(page.Body, "结果纠正") {
			t.Errorf("application page lacks the remedies")
		}

		// Archive: the case file is stored; the ledger ends archived.
		clerk.mustPost(t, base+"/archive", url.Values{})
		got, events = mustApplication(t, s, a.Number)
		if got.Status != models.StatusArchived || events[len(events)-1].Kind != models.EventArchived {
			t.Errorf("after archiving: %s, %v", got.Status, lastKinds(events, 1))
		}
		clerk.refused(t, base+"/archive", url.Values{}, "已于")
		stored, err := s.ArchivedCaseFile(context.Background(), got.ID)
		if err != nil {
			t.Fatal(err)
		}
		notices, _ := s.Notices(context.Background(), got.ID)
		wantOrder := []string{reports.CaseFileTitle, "卷内文件目录", "第四十五条的规定整理", reports.CaseApplicationTitle}
		for _, n := range notices {
			wantOrder = append(wantOrder, n.Title, n.Number)
		}
		wantOrder = append(wantOrder, reports.CaseReviewTitle, reports.CaseTimelineTitle, "归档")
		for _, cf := range []struct {
			name string
			pdf  []byte
		}{{"stored", stored.Content}, {"downloaded", []byte(clerk.get(t, base+"/casefile").Body)}} {
			text, ok := noticePDFText(t, cf.pdf)
			if !ok {
				break
			}
			text = footerRE.ReplaceAllString(text, "")
			at := 0
			for _, w := range wantOrder {
				i := strings.Index(text[at:], w)
				if i < 0 {
					t.Errorf("%s case file: %q missing after position %d", cf.name, w, at)
					break
				}
				at += i + len(w)
			}
			if strings.Contains(text, testIDNumber) || strings.Contains(text, testPhone) {
				t.Errorf("%s case file shows the applicant's numbers in clear", cf.name)
			}
		}
		if len(notices) < 3 {
			t.Errorf("notices: %d, want the receipt, the correction notice and the answer letter", len(notices))
		}

		// The full identity: audited; refused to a role without the grant.
		viewed := countAudit(t, s, models.AuditPersonalDataViewed)
		full := clerk.send(t, base+"/casefile/full", nil)
		if full.StatusCode != 200 || countAudit(t, s, models.AuditPersonalDataViewed) != viewed+1 {
			t.Errorf("full case file: %d, audited %d", full.StatusCode, countAudit(t, s, models.AuditPersonalDataViewed)-viewed)
		}
		if text, ok := noticePDFText(t, []byte(full.Body)); ok && !strings.Contains(text, testIDNumber) {
			t.Errorf("the full case file lacks the ID number")
		}
		if r := app.office(t, team.reviewer).send(t, base+"/casefile/full", nil); r.StatusCode != 403 {
			t.Errorf("reviewer's full case file: %d", r.StatusCode)
		}
		// Remedies may still be recorded after archiving (条例第五十一条).
		clerk.mustPost(t, base+"/remedies", url.Values{"remedy_kind": {"litigation"}, "filed_on": {today}, "case_ref": {"（2026）辽1202行初9号"}})
	})
}

// TestAnswerPagesAndFiles: the answer page and the application's panel
// show each role what it may do; the answer's files open for staff who
// may view the application (audited), other files of the application do
// not open there; the queue gives each role its own items.
func TestAnswerPagesAndFiles(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s := app.store
		team := newAnswerTeam(t, s, u)
		secA, reviewer := app.office(t, u.secA), app.office(t, team.reviewer)
		a, _ := routedTo(t, app, u, "低保审批流程")
		if page := secA.get(t, "/staff/applications/"+a.Number); !strings.Contains(page.Body, "/answer/draft") || !strings.Contains(page.Body, "拟稿中") {
			t.Errorf("the lead section's panel lacks the draft link")
		}
		if page := reviewer.get(t, "/staff/applications/"+a.Number); strings.Contains(page.Body, "/answer/draft") {
			t.Errorf("the reviewer is offered the draft form")
		}
		draftTo(t, app, u, a.Number, models.OutcomeDisclose, fileUpload{"files", "流程图.pdf", answerTextPDF(t, "流程", "审批流程共四步。")})
		ans, err := s.Answer(context.Background(), mustApp(t, s, a.Number), mustEvents(t, s, a.Number))
		if err != nil || ans.Current == nil || len(ans.Current.Files) != 1 || ans.Review == nil {
			t.Fatalf("answer after submitting: %+v, %v", ans, err)
		}
		fileID := ans.Current.Files[0].AttachmentID
		page := secA.get(t, "/staff/applications/"+a.Number+"/answer")
		for _, w := range []string{"待科室负责人审核", "流程图.pdf", "答复书预览", "审批流程", "予以公开"} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("answer page lacks %q", w)
			}
		}
		downloads := countAudit(t, s, models.AuditFileDownloaded)
		if r := reviewer.get(t, fmt.Sprintf("/staff/applications/%s/answer?file=%d", a.Number, fileID)); r.StatusCode != 200 ||
			!strings.HasPrefix(r.Body, "%PDF") || countAudit(t, s, models.AuditFileDownloaded) != downloads+1 {
			t.Errorf("answer file download: %d", r.StatusCode)
		}
		files, _ := s.Attachments(context.Background(), a.ID)
		for _, f := range files {
			if f.Kind == models.AttachReleased {
				continue
			}
			if r := reviewer.get(t, fmt.Sprintf("/staff/applications/%s/answer?file=%d", a.Number, f.ID)); r.StatusCode != 404 {
				t.Errorf("%s file %d opens on the answer page: %d", f.Kind, f.ID, r.StatusCode)
			}
		}
		// The queue: the section head sees the draft to approve, the
		// reviewer not yet; after approval the reviewer does.
		head := app.office(t, team.sectionHead)
		if q := head.get(t, "/staff/answers"); !strings.Contains(q.Body, a.Number) || !strings.Contains(q.Body, "待科室负责人审核") {
			t.Errorf("section head's queue lacks %s", a.Number)
		}
		if q := reviewer.get(t, "/staff/answers"); strings.Contains(q.Body, a.Number) {
			t.Errorf("reviewer's queue shows a draft awaiting the section head")
		}
		head.mustPost(t, "/staff/applications/"+a.Number+"/answer/section-approval", url.Values{"decision": {"approve"}})
		if q := reviewer.get(t, "/staff/answers"); !strings.Contains(q.Body, a.Number) || !strings.Contains(q.Body, "待保密审查") {
			t.Errorf("reviewer's queue lacks %s", a.Number)
		}
		if q := secA.get(t, "/staff/answers"); strings.Contains(q.Body, a.Number) {
			t.Errorf("the drafter's queue shows a draft in review")
		}
	})
}
