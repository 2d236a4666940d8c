package handlers

import (
	"testing"

	"gongkai/handlers/browsertest"
)

// pageURLs maps every page template to a URL that renders it, for the
// accessibility sweep. A new page without an entry (here, or in
// staffPageURLs for the pages behind a staff login) fails
// TestEveryPageIsChecked, so no page escapes the axe-core check.
var pageURLs = map[string][]string{
	"home/index":  {"/"},
	"errors/show": {"/no-such-page"},

	// Disclosure pages (handlers/disclosure.go). The sweep's database has
	// no catalog entries, so catalog/show renders as not found here;
	// TestDisclosurePagesAccessible checks it with entries.
	"guide/show":    {"/guide"},
	"catalog/index": {"/catalog", "/catalog?q=%E4%BD%8E%E4%BF%9D&year=abc"},
	"catalog/show":  {"/catalog/entries/1"},

	// The annual reports (handlers/annualreport_public.go). Nothing is
	// published in the sweep's database, so the list is empty and a
	// version renders as not found here; TestAnnualReportInBrowser checks
	// both with published and corrected versions.
	"annualreports/index": {"/annual-reports"},
	"annualreports/show":  {"/annual-reports/2025/v1"},
}

func TestEveryPageIsChecked(t *testing.T) {
	app := newTestApp(t)
	for _, p := range app.h.tmpl.Pages() {
		if len(pageURLs[p]) == 0 && len(staffPageURLs[p]) == 0 {
			t.Errorf("page %q has no URL in pageURLs or staffPageURLs: add one so the browser test checks it", p)
		}
	}
}

// TestPagesAccessible loads every page in Chromium, runs axe-core (WCAG 2.1
// A and AA) and checks reflow at 320 CSS pixels.
func TestPagesAccessible(t *testing.T) {
	b := browsertest.New(t)
	app := newTestApp(t)
	tab := b.NewTab(t)
	for page, urls := range pageURLs {
		for _, u := range urls {
			t.Run(page+" "+u, func(t *testing.T) {
				tab.CheckPage(t, app.srv.URL+u)
			})
		}
	}
}

// TestSkipLinkByKeyboard: the first Tab reaches the skip link, and Enter
// moves the focus to the main content.
func TestSkipLinkByKeyboard(t *testing.T) {
	b := browsertest.New(t)
	app := newTestApp(t)
	tab := b.NewTab(t)
	tab.Visit(t, app.srv.URL+"/")
	tab.PressTab(t)
	if got := tab.ActiveElement(t); got != `a "跳到主要内容"` {
		t.Fatalf("first Tab focused %q, want the skip link", got)
	}
	tab.PressEnter(t)
	if got := tab.ActiveElement(t); got != "main#main" {
		t.Errorf("after Enter on the skip link, focus is on %q, want main", got)
	}
}
