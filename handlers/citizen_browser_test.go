package handlers

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gongkai/handlers/browsertest"
	"gongkai/models"
)

// The citizen pages in the accessibility sweep. The pages that need a
// submission or a tracking session (apply/done, track/status,
// track/withdraw) redirect there to the look-up form; TestCitizenJourney
// checks each of them with axe-core in its real state.
func init() {
	pageURLs["apply/form"] = []string{"/apply"}
	pageURLs["apply/done"] = []string{"/apply/done"}
	pageURLs["privacy/show"] = []string{"/privacy"}
	pageURLs["track/lookup"] = []string{"/track"}
	pageURLs["track/lost"] = []string{"/track/lost"}
	pageURLs["track/status"] = []string{"/track/status"}
	pageURLs["track/withdraw"] = []string{"/track/withdraw"}
}

// keyboard is a keyboard-only user at a tab: Tab, typing, Space, arrows and
// Enter. It never clicks.
type keyboard struct {
	t   *testing.T
	tab *browsertest.Tab
}

// tabTo presses Tab until the focus is on the element ActiveElement
// describes as want, and fails if it never gets there: the element must be
// reachable by keyboard, in page order.
func (k keyboard) tabTo(want string) {
	k.t.Helper()
	var seen []string
	for range 150 {
		k.tab.PressTab(k.t)
		got := k.tab.ActiveElement(k.t)
		if got == want {
			return
		}
		seen = append(seen, got)
	}
	k.t.Fatalf("Tab never reached %s; focus went through:\n%s", want, strings.Join(seen, "\n"))
}

// press sends key events: text to type, or kb constants.
func (k keyboard) press(text string) {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(k.tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(text)); err != nil {
		k.t.Fatalf("keys %q: %v", text, err)
	}
}

// fill tabs to a text field and types into it.
func (k keyboard) fill(name, text string) {
	k.t.Helper()
	tag := "input"
	if name == "description" || name == "purpose" || name == "correction" {
		tag = "textarea"
	}
	k.tabTo(tag + "#f-" + name + "[name=" + name + "]")
	k.press(text)
}

// choose tabs into a radio group, checks its first radio with Space and
// moves down n radios with the arrow keys.
func (k keyboard) choose(name string, n int) {
	k.t.Helper()
	k.tabTo("input#f-" + name + "[name=" + name + "]")
	k.press(" ")
	for range n {
		k.press(kb.ArrowDown)
	}
}

// attach hands files to the focused-by-keyboard file input, as the
// operating system's file chooser would after Enter.
func (k keyboard) attach(name string, paths ...string) {
	k.t.Helper()
	k.tabTo("input#f-" + name + "[name=" + name + "]")
	ctx, cancel := context.WithTimeout(k.tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-"+name), paths)); err != nil {
		k.t.Fatalf("choosing files for %s: %v", name, err)
	}
}

func (k keyboard) evalString(js string) string {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(k.tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		k.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// TestCitizenJourney files an application as a citizen would, with the
// keyboard only; downloads the acknowledgement; tracks the application
// with its number and code in a fresh browser; and, after the office asks
// for a correction, answers it. axe-core checks every state on the way.
func TestCitizenJourney(t *testing.T) {
	b := browsertest.New(t)
	app := newCitizenApp(t)
	dir := t.TempDir()
	photo := filepath.Join(dir, "身份证正面.jpg")
	if err := os.WriteFile(photo, testJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	tab := b.NewTab(t)
	k := keyboard{t, tab}

	// The empty form.
	tab.Visit(t, app.srv.URL+"/apply")
	tab.CheckAccessible(t, "application form (empty)")
	// Submitting it empty shows the errors and moves the focus to the
	// summary.
	k.tabTo(`button "提交申请"`)
	tab.PressEnterAndWait(t)
	if got := tab.ActiveElement(t); got != "div#error-summary" {
		t.Errorf("after a failed submission the focus is on %q, want the error summary", got)
	}
	summary := tab.Text(t, "#error-summary")
	for _, want := range []string{"请选择申请人类型", "请填写联系电话", "请选择获取信息的方式"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary lacks %q:\n%s", want, summary)
		}
	}
	tab.CheckAccessible(t, "application form (with errors)")
	// The summary's first link leads to its field.
	k.tabTo(`a "请选择申请人类型：自然人，或法人或其他组织。"`)
	tab.PressEnter(t)
	got := ""
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = tab.ActiveElement(t); got == "input#f-applicant_type[name=applicant_type]" {
			break
		}
	}
	if got != "input#f-applicant_type[name=applicant_type]" {
		t.Errorf("the summary link moved the focus to %q", got)
	}

	// Fill it in.
	tab.Visit(t, app.srv.URL+"/apply")
	k.choose("applicant_type", 0) // 自然人: the person fields appear
	k.fill("name", "张三")
	k.tabTo("select#f-id_type[name=id_type]")
	k.press(kb.ArrowDown) // 居民身份证
	k.fill("id_number", testIDNumber)
	k.fill("title", "2025年度城乡低保资金发放情况")
	k.fill("description", testDescription)
	k.choose("form_wanted", 1) // 电子
	k.choose("delivery", 3)    // 在线下载
	k.fill("phone", testPhone)
	k.fill("email", testEmail)
	k.attach("identity_proof", photo)
	if hidden := k.evalString(`String(document.getElementById('org-fields').hidden) + document.getElementById('address-fields').hidden`); hidden != "truetrue" {
		t.Errorf("organisation and address fields should be hidden for a person who downloads online: %s", hidden)
	}
	k.tabTo(`button "提交申请"`)
	tab.CheckAccessible(t, "application form (filled)")
	tab.PressEnterAndWait(t)

	// The acknowledgement.
	if loc := tab.Location(t); !strings.HasSuffix(loc, "/apply/done") {
		t.Fatalf("after submitting: at %s\n%s", loc, tab.Text(t, "main"))
	}
	number := tab.Text(t, "#application-number")
	code := tab.Text(t, "#query-code")
	if !strings.HasPrefix(number, "TLMZ-2026-") || len(code) != 11 {
		t.Fatalf("number %q code %q", number, code)
	}
	tab.CheckAccessible(t, "acknowledgement")
	k.tabTo(`a "下载提交回执（PDF）"`)
	href := k.evalString(`document.activeElement.href`)
	receipt := tab.Download(t, href)
	if !strings.HasSuffix(receipt.Filename, ".pdf") {
		t.Errorf("receipt file name %q", receipt.Filename)
	}
	pdf, err := os.ReadFile(receipt.Path)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("receipt: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := pdfText(t, pdf)
		for _, want := range []string{"政府信息公开申请提交回执", number, "张三", "2025年度城乡低保资金发放情况", "身份证正面.jpg", "待确认"} {
			if !strings.Contains(text, want) {
				t.Errorf("receipt text lacks %q", want)
			}
		}
	} else {
		t.Log("pdftotext not found: the receipt's text is not read back")
	}

	// Track it from another browser with the number and the code.
	other := b.NewTab(t)
	ko := keyboard{t, other}
	other.Visit(t, app.srv.URL+"/track")
	other.CheckAccessible(t, "look-up form")
	ko.fill("number", strings.ToLower(number))
	ko.fill("code", code)
	other.PressEnterAndWait(t)
	if loc := other.Location(t); !strings.HasSuffix(loc, "/track/status") {
		t.Fatalf("after the look-up: at %s\n%s", loc, other.Text(t, "main"))
	}
	page := other.Text(t, "main")
	for _, want := range []string{number, "待确认", "提交申请", "申请待确认收到"} {
		if !strings.Contains(page, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	other.CheckAccessible(t, "tracking page")

	// The office confirms and asks for a correction, as staff would.
	ctx := context.Background()
	a, err := app.store.ApplicationByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	today := app.store.Today()
	for _, e := range []models.Event{
		{Kind: models.EventConfirmed, On: today, ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}},
		{Kind: models.EventCorrectionRequested, On: today, ActorKind: models.ActorStaff, Data: models.EventData{
			Items: []string{"请写明所需信息涉及的区县"}, PeriodDays: 15, DueOn: models.MustParseDate("2026-03-04")}},
	} {
		if _, err := app.store.AppendEvent(ctx, app.agency.ID, a.ID, e, 0); err != nil {
			t.Fatal(err)
		}
	}
	other.Visit(t, app.srv.URL+"/track/status")
	if page := other.Text(t, "main"); !strings.Contains(page, "请写明所需信息涉及的区县") || !strings.Contains(page, "2026年3月4日") {
		t.Errorf("the correction notice is not shown:\n%s", page)
	}
	other.CheckAccessible(t, "tracking page (correction requested)")
	ko.fill("correction", "涉及银州区和清河区。")
	ko.tabTo(`button "提交补正内容"`)
	other.PressEnterAndWait(t)
	if flash := other.Text(t, ".flash"); !strings.Contains(flash, "补正内容已提交") {
		t.Errorf("after the correction: %q", flash)
	}
	events, _ := app.store.Events(ctx, a.ID)
	if last := events[len(events)-1]; last.Kind != models.EventCorrected || last.Data.Comment != "涉及银州区和清河区。" {
		t.Errorf("ledger end = %+v", last)
	}
	other.CheckAccessible(t, "tracking page (corrected)")

	// The withdrawal confirmation page, and the lost-code form.
	other.Visit(t, app.srv.URL+"/track/withdraw")
	other.CheckAccessible(t, "withdrawal confirmation")
	other.Visit(t, app.srv.URL+"/track/lost")
	other.CheckAccessible(t, "lost query code")
}
