// Package browsertest drives a real Chromium through chromedp so that tests can
// walk through the portal as a citizen would: with the keyboard only, at 320 CSS
// pixels wide, and checked by axe-core against WCAG 2.1 A and AA.
//
// It is a test helper: import it only from _test.go files. Tests skip unless
// PORTAL_TEST_BROWSER (the Chromium binary) and PORTAL_TEST_AXE (axe.min.js)
// are set; .ci/run sets both, and fails if a test skips for want of them.
//
//	b := browsertest.New(t)
//	tab := b.NewTab(t)
//	tab.CheckPage(t, srv.URL+"/apply")
//	tab.PressTab(t)
//	if got, want := tab.ActiveElement(t), `a "跳到主要内容"`; got != want { ... }
package browsertest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// TabTimeout bounds everything one tab does, so that a page that hangs
	// fails its test instead of hanging CI until go test's own timeout.
	TabTimeout = 3 * time.Minute

	// ActionTimeout bounds one helper call (a navigation, a query, an axe run).
	// Queries wait for their element to appear, and a missing element should
	// fail in seconds, not minutes.
	ActionTimeout = 30 * time.Second

	// Width and Height are the normal viewport in CSS pixels.
	Width, Height = 1280, 800

	// ReflowWidth is the narrow viewport of the reflow check: WCAG 2.1 SC 1.4.10
	// asks for no horizontal scrolling at 320 CSS pixels (1280 px at 400 % zoom).
	ReflowWidth, ReflowHeight = 320, 640
)

// skipMessage names both variables; .ci/run fails the build when a test skips
// with a message that mentions PORTAL_TEST_.
const skipMessage = "browser tests need PORTAL_TEST_BROWSER=/usr/bin/chromium and PORTAL_TEST_AXE=…/axe.min.js (see .ci/run)"

// Browser is one headless Chromium process, shared by the tabs of a test.
type Browser struct {
	ctx context.Context // root chromedp context; its first Run started the browser
	axe string          // source of axe.min.js, injected into pages by CheckAccessible
}

// New starts a headless Chromium for the test and stops it when the test ends.
// It skips the test unless PORTAL_TEST_BROWSER and PORTAL_TEST_AXE are set.
func New(t testing.TB) *Browser {
	t.Helper()
	execPath, axePath := os.Getenv("PORTAL_TEST_BROWSER"), os.Getenv("PORTAL_TEST_AXE")
	if execPath == "" || axePath == "" {
		t.Skip(skipMessage)
		return nil
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("browsertest: reading axe-core from PORTAL_TEST_AXE: %v", err)
		return nil
	}

	// The profile lives in the test's temporary directory. t.TempDir registers
	// its removal first, so it runs after the browser has stopped (cleanups
	// run last-in, first-out).
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, and Chromium refuses root with a sandbox
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(Width, Height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// chromedp reports protocol errors from its own goroutines; t.Logf after
	// the test has finished would panic, so the log closes with the browser.
	var logMu sync.Mutex
	logOpen := true
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		if logOpen {
			t.Logf("browsertest: chromium: "+format, args...)
		}
	}))
	t.Cleanup(func() {
		defer func() {
			logMu.Lock()
			logOpen = false
			logMu.Unlock()
		}()
		// Close the browser gracefully, so that it is gone before the profile
		// directory is removed; give up and kill it after a while.
		cctx, ccancel := context.WithTimeout(ctx, 15*time.Second)
		defer ccancel()
		if err := chromedp.Cancel(cctx); err != nil {
			t.Logf("browsertest: closing chromium: %v", err)
		}
		cancel()
		cancelAlloc()
		killLeftovers(profile)
	})

	// The first Run starts the browser and binds its life to ctx, which has
	// no deadline: timeouts go on the tabs (see NewTab).
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: starting %s: %v", execPath, err)
		return nil
	}
	t.Logf("browsertest: started %s in %v", execPath, time.Since(start).Round(time.Millisecond))
	return &Browser{ctx: ctx, axe: string(axe)}
}

// NewTab opens a tab in its own browser context (its own cookies and storage,
// like a private window), sized Width×Height. The tab closes when the test
// ends, and everything it does must finish within TabTimeout.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	deadline, cancelDeadline := context.WithTimeout(b.ctx, TabTimeout)
	ctx, cancel := chromedp.NewContext(deadline, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancel()
		cancelDeadline()
	})
	// The first Run on ctx creates the tab and binds the tab's event loop to
	// the context it gets, so it must get ctx itself: a shorter-lived context
	// (such as the one of Tab.do) would leave a tab that no longer answers.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(Width, Height, chromedp.EmulateScale(1))); err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
		return nil
	}
	return &Tab{ctx: ctx, axe: b.axe}
}
