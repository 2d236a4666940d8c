package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// File is a file that the browser downloaded.
type File struct {
	Path     string // where it is on disk, in a temporary directory of the test
	Filename string // the name the browser suggested (from Content-Disposition or the URL)
	URL      string // the URL it came from
}

// Download makes the page download url, as if the user followed a link to it,
// and waits until the file is complete. The link goes through the page, so the
// request carries the tab's cookies, like a real user's. Use it for the PDF and
// XLSX files that the portal serves as attachments.
func (tab *Tab) Download(t testing.TB, url string) File {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const a = document.createElement('a');
		a.href = %s;
		a.download = '';
		document.body.appendChild(a);
		a.click();
		a.remove();
	})()`, jsString(url))
	return tab.download(t, "downloading "+url, chromedp.Evaluate[chromedp.Void](js))
}

// ClickDownload clicks the link or button that the CSS selector matches and
// waits for the download it starts.
func (tab *Tab) ClickDownload(t testing.TB, selector string) File {
	t.Helper()
	return tab.download(t, "downloading via "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

func (tab *Tab) download(t testing.TB, what string, trigger chromedp.Action[chromedp.Void]) File {
	t.Helper()
	if tab.downloadDir == "" {
		dir := t.TempDir()
		c := chromedp.FromContext(tab.ctx)
		if !tab.do(t, "enabling downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior:         browser.SetDownloadBehaviorBehaviorAllowAndName,
				BrowserContextID: c.BrowserContextID,
				DownloadPath:     dir,
				EventsEnabled:    new(true),
			})
			return err
		})) {
			return File{}
		}
		tab.downloadDir = dir
	}

	ctx, cancel := context.WithTimeout(tab.ctx, ActionTimeout)
	defer cancel()
	// Subscribe before the trigger, so that no event is missed.
	begins := chromedp.Events(ctx, browser.DownloadWillBegin)
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, trigger); err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
		return File{}
	}
	var f File
	for ev, err := range begins {
		if err != nil {
			t.Fatalf("browsertest: %s: no download started: %v", what, err)
			return File{}
		}
		f = File{Path: filepath.Join(tab.downloadDir, ev.GUID), Filename: ev.SuggestedFilename, URL: ev.URL}
		for p, err := range progress {
			if err != nil {
				t.Fatalf("browsertest: %s: %v", what, err)
				return File{}
			}
			if p.GUID != ev.GUID {
				continue
			}
			switch p.State {
			case browser.DownloadProgressStateCompleted:
				if _, err := os.Stat(f.Path); err != nil {
					t.Fatalf("browsertest: %s: completed, but %v", what, err)
					return File{}
				}
				return f
			case browser.DownloadProgressStateCanceled:
				t.Fatalf("browsertest: %s: the browser canceled the download", what)
				return File{}
			}
		}
	}
	t.Fatalf("browsertest: %s: no download started", what)
	return File{}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
