package handlers

import (
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
)

// TestIntakeInBrowser: the office confirms an online application,
// registers a paper one, routes both from the keyword suggestions and
// sends a correction notice; the applicant finds the notice on the
// tracking page. axe-core checks every page on the way.
func TestIntakeInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	base := app.srv.URL
	mkStaffUser(t, s, "clerk", []models.Role{models.RoleOfficeClerk, models.RoleOfficeHead}, nil, false)
	online := storetest.MustSubmit(t, s, 1, "2025年低保资金发放情况")
	number, code := online.Application.Number, online.QueryCode

	office := b.NewTab(t)
	staffLogin(t, office, base, "clerk", staffPassword)

	// Confirm the online application from the inbox.
	office.Visit(t, base+"/staff/intake")
	if !strings.Contains(office.Text(t, "main"), number) {
		t.Fatalf("inbox lacks %s", number)
	}
	office.CheckAccessible(t, "intake inbox")
	office.Click(t, `a[href="/staff/applications/`+number+`"]`)
	office.Click(t, `a[href$="/confirm"]`)
	office.CheckAccessible(t, "confirm page")
	submitWith(t, office, `form[action$="/confirm"] button[type=submit]`)
	if got := office.Location(t); got != base+"/staff/applications/"+number {
		t.Fatalf("after confirming at %s", got)
	}
	if msg := office.Text(t, ".flash"); !strings.Contains(msg, "已确认收到申请") || !strings.Contains(msg, "铁民公开〔2026〕第1号") {
		t.Errorf("flash = %q", msg)
	}
	office.CheckAccessible(t, "application after confirmation")

	// Register a letter signed for today.
	office.Visit(t, base+"/staff/intake/new")
	office.CheckAccessible(t, "registration form")
	office.Click(t, "#f-channel-1") // 邮寄（需签收）
	office.Click(t, "#f-applicant_type")
	office.TypeInto(t, "#f-name", "王五")
	office.TypeInto(t, "#f-title", "2024年临时救助发放名单")
	office.Click(t, "#f-form_wanted") // 纸质
	office.Click(t, "#f-delivery-2")  // 自行领取
	office.TypeInto(t, "#f-phone", "13900001111")
	scan := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(scan, testPDF("letter"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(office.Context(), browsertest.ActionTimeout)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-scan"), []string{scan})); err != nil {
		t.Fatalf("choose the scan: %v", err)
	}
	cancel()
	submitWith(t, office, `form[action="/staff/intake/new"] button[type=submit]`)
	if got := office.Location(t); got != base+"/staff/intake/registered" {
		t.Fatalf("after registering at %s: %s", got, office.Text(t, "main"))
	}
	paper := strings.TrimSpace(office.Text(t, "#issued-number"))
	if paperCode := strings.TrimSpace(office.Text(t, "#issued-code")); len(paperCode) < 10 || paper == "" {
		t.Fatalf("registered page shows number %q code %q", paper, paperCode)
	}
	if missing := office.Text(t, "main"); !strings.Contains(missing, "身份证明") {
		t.Errorf("registered page does not ask for the identity proof: %s", missing)
	}
	office.CheckAccessible(t, "registered page")

	// Route both from the suggestions (社会救助科 for 低保 and 临时救助).
	for _, n := range []string{number, paper} {
		office.Visit(t, base+"/staff/applications/"+n+"/route")
		if sug := office.Text(t, ".suggestions"); !strings.Contains(sug, "社会救助科") {
			t.Fatalf("%s: suggestions %q", n, sug)
		}
		office.CheckAccessible(t, "route page")
		submitWith(t, office, `.suggestions li:first-child button`)
		if msg := office.Text(t, ".flash"); !strings.Contains(msg, "社会救助科主办") {
			t.Errorf("%s: flash %q", n, msg)
		}
	}

	// The correction notice on the online application.
	office.Visit(t, base+"/staff/applications/"+number+"/correction")
	office.CheckAccessible(t, "correction form")
	office.TypeInto(t, "#f-items", "请写明所需信息的年份和区县")
	submitWith(t, office, `form[action$="/correction"] button[type=submit]`)
	if msg := office.Text(t, ".flash"); !strings.Contains(msg, "补正告知书") {
		t.Fatalf("after the correction notice: %q", msg)
	}
	office.CheckAccessible(t, "application with a correction notice")

	// The applicant finds it on the tracking page.
	applicant := b.NewTab(t)
	applicant.Visit(t, base+"/track")
	applicant.TypeInto(t, "#f-number", number)
	applicant.TypeInto(t, "#f-code", code)
	applicant.PressEnterAndWait(t)
	if got := applicant.Location(t); got != base+"/track/status" {
		t.Fatalf("look-up led to %s", got)
	}
	status := applicant.Text(t, "main")
	for _, want := range []string{"政府信息公开申请补正告知书", "政府信息公开申请接收回执", "请写明所需信息的年份和区县", "待补正"} {
		if !strings.Contains(status, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	applicant.CheckAccessible(t, "tracking page with the correction notice")
	pdf := applicant.ClickDownload(t, `a[href^="/track/notices/"]`)
	if b, err := os.ReadFile(pdf.Path); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("notice download %s is not a PDF (%v)", pdf.Filename, err)
	}
}
