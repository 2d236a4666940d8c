package handlers

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/handlers/browsertest"
	"gongkai/reports"
)

// TestDisclosurePagesAccessible checks the guide and the catalog with
// entries in it — the list, a search with no result, a form error, a
// policy with its file and interpretation, the interpretation — with
// axe-core (WCAG 2.1 A and AA) and at 320 CSS pixels.
func TestDisclosurePagesAccessible(t *testing.T) {
	b := browsertest.New(t)
	app := newTestApp(t)
	fx := seedCatalog(t, app)
	tab := b.NewTab(t)
	for _, u := range []string{
		"/guide",
		"/catalog",
		"/catalog?category=a20-01-normative&validity=in_force",
		"/catalog?q=%E6%B2%A1%E6%9C%89",
		"/catalog?year=abc",
		fmt.Sprintf("/catalog/entries/%d", fx.policy.ID),
		fmt.Sprintf("/catalog/entries/%d", fx.interp.ID),
		fmt.Sprintf("/catalog/entries/%d", fx.repealed.ID),
	} {
		t.Run(u, func(t *testing.T) { tab.CheckPage(t, app.srv.URL+u) })
	}
}

// TestPublicFindsCatalogEntry: a member of the public searches the catalog
// by keyboard, finds the policy, opens it, follows the link to its
// interpretation and back, and downloads the catalog and the guide.
func TestPublicFindsCatalogEntry(t *testing.T) {
	b := browsertest.New(t)
	app := newTestApp(t)
	fx := seedCatalog(t, app)
	tab := b.NewTab(t)
	k := keyboard{t: t, tab: tab}

	tab.Visit(t, app.srv.URL+"/")
	k.tabTo(`a "政府信息公开目录"`)
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, "h1"); got != "政府信息公开目录" {
		t.Fatalf("h1 = %q", got)
	}
	k.tabTo("input#f-q[name=q]")
	k.press("审核确认")
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, "#catalog-results"); !strings.Contains(got, "共2条") {
		t.Fatalf("results heading = %q", got)
	}
	if got := tab.Value(t, "#f-q"); got != "审核确认" {
		t.Errorf("search box = %q, want the words kept", got)
	}
	k.tabTo(fmt.Sprintf(`a "%s"`, fx.policy.Title))
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, "h1"); got != fx.policy.Title {
		t.Fatalf("entry h1 = %q", got)
	}
	if got := tab.Text(t, ".catalog-fields"); !strings.Contains(got, "TLMZ/2025-00001") || !strings.Contains(got, "现行有效") {
		t.Errorf("fields = %q", got)
	}
	k.tabTo(fmt.Sprintf(`a "%s"`, fx.interp.Title))
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, ".catalog-link-back"); !strings.Contains(got, fx.policy.Title) {
		t.Errorf("interpretation links back with %q", got)
	}
	k.tabTo(fmt.Sprintf(`a "%s"`, fx.policy.Title))
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, "h1"); got != fx.policy.Title {
		t.Errorf("back at %q", got)
	}
	file := tab.ClickDownload(t, ".file-list a")
	if b, err := os.ReadFile(file.Path); err != nil || !strings.Contains(string(b), "第一条") || file.Filename != "办法全文.txt" {
		t.Errorf("downloaded %q: %v", file.Filename, err)
	}

	tab.Visit(t, app.srv.URL+"/catalog?q=%E4%BD%8E%E4%BF%9D")
	x := tab.ClickDownload(t, `.disclosure-downloads a[href^="/catalog.xlsx"]`)
	f, err := excelize.OpenFile(x.Path)
	if err != nil {
		t.Fatalf("catalog xlsx: %v", err)
	}
	rows, _ := f.GetRows(reports.CatalogSheet)
	f.Close()
	if len(rows) != 3 || !strings.HasSuffix(x.Filename, ".xlsx") {
		t.Errorf("catalog xlsx %q has %d rows, want the header and the 2 entries found", x.Filename, len(rows))
	}
	tab.Visit(t, app.srv.URL+"/guide")
	pdf := tab.ClickDownload(t, `a[href="/guide.pdf"]`)
	if b, err := os.ReadFile(pdf.Path); err != nil || !strings.HasPrefix(string(b), "%PDF-") || pdf.Filename != "铁岭市民政局政府信息公开指南.pdf" {
		t.Errorf("guide pdf %q: %v", pdf.Filename, err)
	}
}
