package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Tab is one browser tab. Its methods fail the test (t.Fatalf) when the browser
// cannot do what they ask, for example when a selector matches nothing within
// ActionTimeout. A Tab belongs to one goroutine; give parallel subtests their
// own tabs.
type Tab struct {
	ctx         context.Context
	axe         string
	downloadDir string // set by the first download; see download.go
}

// Context returns the tab's chromedp context, for actions the helpers do not
// cover: chromedp.Run(tab.Context(), chromedp.Title()).
func (tab *Tab) Context() context.Context { return tab.ctx }

// do runs actions with ActionTimeout and fails the test on error. It reports
// whether they succeeded, because a fake testing.TB's Fatalf returns.
func (tab *Tab) do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
		return false
	}
	return true
}

// run runs one action with ActionTimeout and returns its value, failing the
// test on error.
func run[T any](t testing.TB, tab *Tab, what string, action chromedp.Action[T]) (T, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
		return v, false
	}
	return v, true
}

// Visit loads url, waits for the load event and for <body>, and returns the
// HTTP status of the document. It does not fail on 4xx or 5xx, so tests can
// check error pages too.
func (tab *Tab) Visit(t testing.TB, url string) int {
	t.Helper()
	resp, ok := run(t, tab, "visiting "+url, chromedp.NavigateResponse(url))
	if !ok {
		return 0
	}
	if !tab.do(t, "waiting for the body of "+url, chromedp.WaitReady(chromedp.CSS("body"))) {
		return 0
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// CheckPage visits url and checks the page with CheckAccessible, labelled with
// the url.
func (tab *Tab) CheckPage(t testing.TB, url string) {
	t.Helper()
	if tab.Visit(t, url) == 0 {
		return
	}
	tab.CheckAccessible(t, url)
}

// PressTab presses the Tab key, moving the focus to the next element.
func (tab *Tab) PressTab(t testing.TB) {
	t.Helper()
	tab.do(t, "pressing Tab", chromedp.KeyEvent(kb.Tab))
}

// PressShiftTab presses Shift+Tab, moving the focus to the previous element.
func (tab *Tab) PressShiftTab(t testing.TB) {
	t.Helper()
	tab.do(t, "pressing Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
}

// PressEnter presses Enter on the focused element. Use PressEnterAndWait when
// the key submits a form or follows a link.
func (tab *Tab) PressEnter(t testing.TB) {
	t.Helper()
	tab.do(t, "pressing Enter", chromedp.KeyEvent(kb.Enter))
}

// PressEnterAndWait presses Enter and waits until the page it leads to has
// loaded (after any redirects, such as the 303 that follows a valid form).
func (tab *Tab) PressEnterAndWait(t testing.TB) {
	t.Helper()
	_, ok := run(t, tab, "pressing Enter and waiting for the next page",
		chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
	if ok {
		tab.do(t, "waiting for the body", chromedp.WaitReady(chromedp.CSS("body")))
	}
}

// TypeInto focuses the element that the CSS selector matches and types text
// into it with key events, as a keyboard user would. Chinese text arrives as
// committed characters (as from an input method). It appends to what the
// field holds.
func (tab *Tab) TypeInto(t testing.TB, selector, text string) {
	t.Helper()
	tab.do(t, "typing into "+selector,
		chromedp.Focus(chromedp.CSS(selector), chromedp.NodeVisible),
		chromedp.KeyEvent(text))
}

// Click clicks the element that the CSS selector matches, once it is visible.
// It does not wait for a navigation the click may start; a following Visit,
// Text or WaitVisible will.
func (tab *Tab) Click(t testing.TB, selector string) {
	t.Helper()
	tab.do(t, "clicking "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// activeElementJS computes the descriptor that ActiveElement documents.
const activeElementJS = `(() => {
	const el = document.activeElement;
	if (!el) return '';
	let d = el.tagName.toLowerCase();
	if (el.id) d += '#' + el.id;
	const name = el.getAttribute('name');
	if (name) d += '[name=' + name + ']';
	if (['A', 'BUTTON', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'button') {
		let text = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
		if (text.length > 40) text = text.slice(0, 40);
		if (text) d += ' "' + text + '"';
	}
	return d;
})()`

// ActiveElement describes the element that has the keyboard focus:
// its tag, then "#id" and "[name=…]" when it has them, then for links, buttons
// and summaries their visible text in double quotes (whitespace collapsed, at
// most 40 characters). For example `input#name[name=name]`,
// `a "跳到主要内容"`, `button "提交申请"`, or `body` when nothing is focused.
func (tab *Tab) ActiveElement(t testing.TB) string {
	t.Helper()
	s, _ := run(t, tab, "reading document.activeElement", chromedp.Evaluate[string](activeElementJS))
	return s
}

// Text returns the rendered text (innerText) of the first element that the
// CSS selector matches, waiting for it to be visible.
func (tab *Tab) Text(t testing.TB, selector string) string {
	t.Helper()
	s, _ := run(t, tab, "reading the text of "+selector, chromedp.Text(chromedp.CSS(selector), chromedp.NodeVisible))
	return s
}

// Value returns the value of the form field that the CSS selector matches.
func (tab *Tab) Value(t testing.TB, selector string) string {
	t.Helper()
	s, _ := run(t, tab, "reading the value of "+selector, chromedp.Value(chromedp.CSS(selector)))
	return s
}

// Location returns the URL of the current page.
func (tab *Tab) Location(t testing.TB) string {
	t.Helper()
	s, _ := run(t, tab, "reading the location", chromedp.Location())
	return s
}

// Screenshot writes a PNG of the whole page to path, creating its directory.
// Useful when a check fails: the message names the file.
func (tab *Tab) Screenshot(t testing.TB, path string) {
	t.Helper()
	png, ok := run(t, tab, "taking a screenshot", chromedp.FullScreenshot(100))
	if !ok {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
}
