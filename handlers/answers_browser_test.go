package handlers

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/handlers/browsertest"
	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// answerPlantedID is a valid resident ID number (GB 11643 check digit) planted
// in a released file for the review to find.
const answerPlantedID = "11010519491231002X"

// answerChooseFile sets a file input to a file written from content.
func answerChooseFile(t *testing.T, tab *browsertest.Tab, selector, name string, content []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(selector), []string{path})); err != nil {
		t.Fatalf("choose %s for %s: %v", name, selector, err)
	}
}

// answerSelect picks a select's option as a person would (the change
// event fires, so the page's script reacts).
func answerSelect(t *testing.T, tab *browsertest.Tab, selector, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	js := `(function(){var s=document.querySelector(` + answerJSQuote(selector) + `);s.value=` + answerJSQuote(value) +
		`;s.dispatchEvent(new Event('change',{bubbles:true}));return s.value;})()`
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(selector))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil || got != value {
		t.Fatalf("select %s in %s: %q, %v", value, selector, got, err)
	}
}

func answerJSQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// answerVisible reports whether the element the selector names is rendered.
func answerVisible(t *testing.T, tab *browsertest.Tab, selector string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var e=document.querySelector(`+answerJSQuote(selector)+
		`);return !!e && e.offsetParent !== null;})()`))
	if err != nil {
		t.Fatal(err)
	}
	return shown
}

// TestAnswerInBrowser: the lead section drafts a disclosure with a file in
// which an ID number is planted; the section head approves; the reviewer
// finds the number, replaces the file by a redacted version (scanned
// again, nothing left) and completes the review; the office head
// approves; the office issues the letter; the applicant reads the answer
// and downloads the redacted file, never the original. axe-core checks
// every page on the way.
func TestAnswerInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	base := app.srv.URL
	ctx := context.Background()
	ag := storetest.DefaultAgency(t, s)
	ag.SealImage = sealPNG(t, 300, 300)
	if err := s.UpdateAgency(ctx, ag); err != nil {
		t.Fatal(err)
	}
	sections, _ := s.Sections(ctx, ag.ID)
	sec := sections[1].ID
	mkStaffUser(t, s, "drafter", []models.Role{models.RoleSectionHandler}, []int64{sec}, false)
	mkStaffUser(t, s, "sechead", []models.Role{models.RoleSectionHead}, []int64{sec}, false)
	mkStaffUser(t, s, "reviewer", []models.Role{models.RoleReviewer}, nil, false)
	mkStaffUser(t, s, "officehead", []models.Role{models.RoleOfficeHead}, nil, false)
	mkStaffUser(t, s, "clerk", []models.Role{models.RoleOfficeClerk}, nil, false)
	sub := storetest.MustSubmit(t, s, ag.ID, "2025年度城乡低保对象名单")
	number, code := sub.Application.Number, sub.QueryCode
	for _, e := range []models.Event{
		{Kind: models.EventConfirmed, ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}},
		{Kind: models.EventAssigned, ActorKind: models.ActorStaff, Data: models.EventData{SectionID: sec, Role: models.RoleLead}},
	} {
		if _, err := s.AppendEvent(ctx, ag.ID, sub.Application.ID, e, 0); err != nil {
			t.Fatal(err)
		}
	}
	original := answerTextPDF(t, "低保对象名单", "银州区低保对象：李四，身份证号码"+answerPlantedID+"，保障人数2人。")
	redacted := answerTextPDF(t, "低保对象名单", "银州区低保对象：李四，身份证号码（已遮盖），保障人数2人。")

	// The lead section drafts.
	drafter := b.NewTab(t)
	staffLogin(t, drafter, base, "drafter", staffPassword)
	drafter.Visit(t, base+"/staff/applications/"+number)
	drafter.CheckAccessible(t, "application page with the answer panel")
	drafter.Click(t, `.answer-panel a[href$="/answer/draft"]`)
	drafter.CheckAccessible(t, "empty draft form")
	if answerVisible(t, drafter, "#f-previous_answer") || answerVisible(t, drafter, "#f-method") {
		t.Errorf("before an outcome is chosen, the form shows the fields of particular outcomes")
	}
	answerSelect(t, drafter, "#f-outcome", string(models.OutcomeDisclose))
	if !answerVisible(t, drafter, "#f-method") || answerVisible(t, drafter, "#f-competent_agency") {
		t.Errorf("the form does not follow the outcome")
	}
	drafter.Click(t, "#f-method") // 在线下载
	drafter.TypeInto(t, "#f-reasons", "经查，所申请的名单属于公开范围。")
	answerChooseFile(t, drafter, "#f-files", "低保对象名单.pdf", original)
	submitWith(t, drafter, `form[action$="/answer/draft"] button[value=submit]`)
	if msg := drafter.Text(t, ".flash"); !strings.Contains(msg, "已提交") {
		t.Fatalf("after submitting: %q\n%s", msg, drafter.Text(t, "main"))
	}
	drafter.CheckAccessible(t, "answer page after submitting")

	// The section head approves from the queue.
	head := b.NewTab(t)
	staffLogin(t, head, base, "sechead", staffPassword)
	head.Visit(t, base+"/staff/answers")
	head.CheckAccessible(t, "sign-off queue")
	head.Click(t, `a[href$="/answer/section-approval"]`)
	if preview := head.Text(t, ".letter-preview"); !strings.Contains(preview, "低保对象名单.pdf") || !strings.Contains(preview, "经查，所申请的名单属于公开范围。") {
		t.Errorf("letter preview = %q", preview)
	}
	head.CheckAccessible(t, "section head's approval")
	head.Click(t, "#f-decision")
	submitWith(t, head, `form[action$="/section-approval"] button[type=submit]`)
	if msg := head.Text(t, ".flash"); !strings.Contains(msg, "待保密审查") {
		t.Fatalf("after approving: %q", msg)
	}

	// The reviewer: the planted number is found, the release refused while
	// it is open, the file replaced by its redacted version.
	reviewer := b.NewTab(t)
	staffLogin(t, reviewer, base, "reviewer", staffPassword)
	reviewer.Visit(t, base+"/staff/answers")
	reviewer.Click(t, `a[href$="/answer/review"]`)
	findings := reviewer.Text(t, ".review-findings")
	if !strings.Contains(findings, "公民身份号码") || !strings.Contains(findings, models.MaskIDNumber(answerPlantedID)) ||
		!strings.Contains(findings, "文件“低保对象名单.pdf”第1页") || strings.Contains(reviewer.Text(t, "main"), answerPlantedID) {
		t.Fatalf("findings = %q", findings)
	}
	reviewer.CheckAccessible(t, "review with an open finding")
	reviewer.Click(t, "#f-decision") // 完成保密审查
	submitWith(t, reviewer, `form[action$="/review/decide"] button[type=submit]`)
	if summary := reviewer.Text(t, ".error-summary"); !strings.Contains(summary, "不能发布") {
		t.Fatalf("completing with an open finding: %q", summary)
	}
	reviewer.CheckAccessible(t, "review refused")
	answerChooseFile(t, reviewer, `input[name=redacted]`, "低保对象名单（已遮盖）.pdf", redacted)
	submitWith(t, reviewer, `form[action$="/review/replace"] button[type=submit]`)
	if msg := reviewer.Text(t, ".flash"); !strings.Contains(msg, "已替换") {
		t.Fatalf("after replacing: %q\n%s", msg, reviewer.Text(t, "main"))
	}
	if page := reviewer.Text(t, "main"); !strings.Contains(page, "已替换为遮盖处理后的文件") || strings.Contains(page, "待处理") {
		t.Errorf("after replacing, the review shows:\n%s", page)
	}
	reviewer.CheckAccessible(t, "review after the replacement")
	reviewer.Click(t, "#f-decision")
	submitWith(t, reviewer, `form[action$="/review/decide"] button[type=submit]`)
	if msg := reviewer.Text(t, ".flash"); !strings.Contains(msg, "保密审查已完成") {
		t.Fatalf("after the review: %q", msg)
	}

	// The office head approves; the office issues.
	office := b.NewTab(t)
	staffLogin(t, office, base, "officehead", staffPassword)
	office.Visit(t, base+"/staff/applications/"+number+"/answer/final-approval")
	if preview := office.Text(t, ".letter-preview"); !strings.Contains(preview, "低保对象名单（已遮盖）.pdf") {
		t.Errorf("final approval previews %q, want the redacted file", preview)
	}
	office.CheckAccessible(t, "office head's approval")
	office.Click(t, "#f-decision")
	submitWith(t, office, `form[action$="/final-approval"] button[type=submit]`)
	clerk := b.NewTab(t)
	staffLogin(t, clerk, base, "clerk", staffPassword)
	clerk.Visit(t, base+"/staff/answers")
	clerk.Click(t, `a[href$="/answer/issue"]`)
	clerk.CheckAccessible(t, "issuing page")
	submitWith(t, clerk, `form[action$="/answer/issue"] button[type=submit]`)
	if msg := clerk.Text(t, ".flash"); !strings.Contains(msg, "铁民公开〔2026〕第1号") {
		t.Fatalf("after issuing: %q", msg)
	}
	clerk.CheckAccessible(t, "application after issuing")

	// The applicant reads the answer.
	applicant := b.NewTab(t)
	applicant.Visit(t, base+"/track")
	applicant.TypeInto(t, "#f-number", number)
	applicant.TypeInto(t, "#f-code", code)
	applicant.PressEnterAndWait(t)
	status := applicant.Text(t, "main")
	for _, want := range []string{"政府信息公开申请答复书", "铁民公开〔2026〕第1号", "答复结果：予以公开", "低保对象名单（已遮盖）.pdf"} {
		if !strings.Contains(status, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	if strings.Contains(status, "低保对象名单.pdf") {
		t.Errorf("tracking page offers the original the review replaced")
	}
	applicant.CheckAccessible(t, "tracking page with the answer")
	letter := applicant.ClickDownload(t, `a[href^="/track/notices/"]`)
	pdf, err := os.ReadFile(letter.Path)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("letter download: %v", err)
	}
	pages, _, err := reports.ExtractPDFText(bytes.NewReader(pdf), int64(len(pdf)))
	if text := strings.Join(pages, ""); err != nil || !strings.Contains(text, "低保对象名单（已遮盖）.pdf") || !strings.Contains(text, "经查，所申请的名单属于公开范围。") {
		t.Errorf("letter text (%v):\n%s", err, text)
	}
	file := applicant.ClickDownload(t, `a[href^="/track/files/"]`)
	got, err := os.ReadFile(file.Path)
	if err != nil || !bytes.Equal(got, redacted) {
		t.Errorf("released file %s is not the redacted version (%v)", file.Filename, err)
	}
}
