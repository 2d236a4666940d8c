package browsertest_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/handlers/browsertest"
)

// page wraps body in an accessible Chinese page: language, title, skip link,
// landmarks, and a layout that reflows at 320 px.
func page(title, body string) string {
	return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + ` - 政府信息公开</title>
<style>
body { font-family: sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
header, main, footer { padding: 1rem; }
a { color: #0b57a3; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
label { display: block; margin-top: 1rem; }
input, textarea { display: block; width: 20rem; max-width: 100%; box-sizing: border-box; }
</style>
</head>
<body>
<a class="skip-link" href="#main">跳到主要内容</a>
<header>
<p>某市人民政府办公室</p>
<nav aria-label="主导航"><ul><li><a href="/">首页</a></li><li><a id="report-link" href="/report.pdf">下载办理情况报表</a></li></ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>` + title + `</h1>
` + body + `
</main>
<footer><p>咨询电话：010-12345678</p></footer>
</body>
</html>`
}

const applyForm = `<form method="post" action="/submit">
<label for="name">申请人姓名</label>
<input id="name" name="name" autocomplete="name" required>
<label for="content">所需政府信息的内容描述</label>
<textarea id="content" name="content" rows="4"></textarea>
<p><button type="submit">提交申请</button></p>
</form>`

// fakePDF is enough of a PDF for a download test.
var fakePDF = []byte("%PDF-1.4\n% 办理情况报表\n%%EOF\n")

func testSite() http.Handler {
	mux := http.NewServeMux()
	serve := func(path, doc string) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, doc)
		})
	}
	serve("/{$}", page("政府信息公开申请", applyForm))
	serve("/unlabelled", page("检索", `<p style="color: #bbb">请输入关键词，浅灰色的说明文字对比度不足。</p>
<input type="text" name="q">`))
	serve("/wide", page("办理情况", `<div id="wide" style="width: 600px">这一块固定 600 像素宽，窄屏上会横向滚动。</div>`))
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/done?name="+r.PostFormValue("name"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("申请已提交", `<p id="result">已收到`+html.EscapeString(r.URL.Query().Get("name"))+`的申请。</p>`))
	})
	mux.HandleFunc("GET /report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="report.pdf"; filename*=UTF-8''%E5%8A%9E%E7%90%86%E6%83%85%E5%86%B5.pdf`)
		w.Write(fakePDF)
	})
	return mux
}

// recorder is a testing.TB that records failures instead of failing, so that
// a test can check that a check fails. Everything else (Helper, Logf, Cleanup,
// TempDir) goes to the real test. Its Fatal methods return, as the helpers of
// browsertest allow for.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	failures []string
	skipped  string
}

func (r *recorder) Errorf(format string, args ...any) { r.record(fmt.Sprintf(format, args...)) }
func (r *recorder) Error(args ...any)                 { r.record(fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) { r.record(fmt.Sprintf(format, args...)) }
func (r *recorder) Fatal(args ...any)                 { r.record(fmt.Sprint(args...)) }

// errSkipped stops New after Skip, as the real Skip would with runtime.Goexit.
type errSkipped struct{}

func (r *recorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	panic(errSkipped{})
}

func (r *recorder) record(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, msg)
}

func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.failures, "\n")
}

func TestNewSkipsWithoutEnvironment(t *testing.T) {
	t.Setenv("PORTAL_TEST_BROWSER", "")
	rec := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil && p != (errSkipped{}) {
				panic(p)
			}
		}()
		browsertest.New(rec)
		t.Fatal("New did not skip without PORTAL_TEST_BROWSER")
	}()
	for _, want := range []string{"PORTAL_TEST_BROWSER", "PORTAL_TEST_AXE", ".ci/run"} {
		if !strings.Contains(rec.skipped, want) {
			t.Errorf("skip message %q does not mention %s", rec.skipped, want)
		}
	}
}

func TestBrowser(t *testing.T) {
	b := browsertest.New(t)
	srv := httptest.NewServer(testSite())
	t.Cleanup(srv.Close)

	t.Run("accessible page passes", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.CheckPage(t, srv.URL+"/")
		if got, want := tab.Text(t, "h1"), "政府信息公开申请"; got != want {
			t.Errorf("h1 = %q, want %q", got, want)
		}
	})

	t.Run("axe flags an unlabelled input and low contrast", func(t *testing.T) {
		tab := b.NewTab(t)
		if got := tab.Visit(t, srv.URL+"/unlabelled"); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		rec := &recorder{TB: t}
		tab.CheckAccessible(rec, "/unlabelled")
		got := rec.all()
		t.Logf("recorded failures:\n%s", got)
		for _, want := range []string{
			"/unlabelled: axe label (critical)", `<input type="text" name="q">`, // the unlabelled input
			"axe color-contrast (serious)", "浅灰色的说明文字", // the pale text, with an HTML snippet
		} {
			if !strings.Contains(got, want) {
				t.Errorf("failures do not mention %q", want)
			}
		}
		if strings.Contains(got, "reflow") {
			t.Errorf("reflow failed on a page that reflows")
		}
	})

	t.Run("reflow check flags a 600px element", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Visit(t, srv.URL+"/wide")
		rec := &recorder{TB: t}
		tab.CheckAccessible(rec, "/wide")
		got := rec.all()
		t.Logf("recorded failures:\n%s", got)
		if len(rec.failures) != 1 {
			t.Errorf("got %d failures, want 1 (reflow only)", len(rec.failures))
		}
		for _, want := range []string{"/wide: reflow (WCAG 1.4.10)", "div#wide: 600 px wide"} {
			if !strings.Contains(got, want) {
				t.Errorf("failures do not mention %q", want)
			}
		}
		// The check restores the normal viewport.
		width, err := chromedp.Run(tab.Context(), chromedp.Evaluate[int]("window.innerWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if width != browsertest.Width {
			t.Errorf("after the check window.innerWidth = %d, want %d", width, browsertest.Width)
		}
	})

	t.Run("keyboard-only journey", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Visit(t, srv.URL+"/")
		steps := []struct {
			do   func()
			want string
		}{
			{func() { tab.PressTab(t) }, `a "跳到主要内容"`},
			{func() { tab.PressEnter(t) }, `main#main`},
			{func() { tab.PressTab(t) }, `input#name[name=name]`},
			{func() { tab.PressTab(t) }, `textarea#content[name=content]`},
			{func() { tab.PressShiftTab(t) }, `input#name[name=name]`},
		}
		for i, s := range steps {
			s.do()
			if got := tab.ActiveElement(t); got != s.want {
				t.Fatalf("step %d: focus on %s, want %s", i, got, s.want)
			}
		}
		tab.TypeInto(t, "#name", "张三 Zhang")
		tab.TypeInto(t, "#content", "2025年本单位财政预算执行情况")
		if got, want := tab.Value(t, "#name"), "张三 Zhang"; got != want {
			t.Errorf("name field = %q, want %q", got, want)
		}
		tab.PressTab(t)
		if got, want := tab.ActiveElement(t), `button "提交申请"`; got != want {
			t.Fatalf("focus on %s, want %s", got, want)
		}
		tab.PressEnterAndWait(t)
		if got, want := tab.Text(t, "#result"), "已收到张三 Zhang的申请。"; got != want {
			t.Errorf("result = %q, want %q", got, want)
		}
		if got := tab.Location(t); !strings.HasPrefix(got, srv.URL+"/done?") {
			t.Errorf("location = %s, want the /done page", got)
		}
	})

	t.Run("downloads", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Visit(t, srv.URL+"/")
		for _, f := range []browsertest.File{tab.Download(t, srv.URL+"/report.pdf"), tab.ClickDownload(t, "#report-link")} {
			if got, want := f.Filename, "办理情况.pdf"; got != want {
				t.Errorf("filename = %q, want %q", got, want)
			}
			got, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, fakePDF) {
				t.Errorf("downloaded %q, want %q", got, fakePDF)
			}
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Visit(t, srv.URL+"/")
		path := filepath.Join(t.TempDir(), "shots", "home.png")
		tab.Screenshot(t, path)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(got, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", path)
		}
	})
}
