package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that CheckAccessible runs: WCAG 2.0 and
// 2.1, levels A and AA, the level that GB/T 37668-2019 and the government
// website rules ask of a public service.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeViolation is the part of an axe-core result that a failure message needs.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// axeRunJS runs axe on the whole document; %s is the JSON array of tags.
const axeRunJS = `axe.run(document, {
	runOnly: {type: 'tag', values: %s},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
		html: n.html,
		summary: n.failureSummary || '',
	})),
})))`

// overflowJS lists the outermost elements that stick out past the right edge
// of the viewport (an element whose parent also sticks out is the parent's
// problem), widest first. Sticking out to the left, as a visually hidden skip
// link does, makes no scrollbar. Elements inside a box that scrolls or clips horizontally are
// fine: the page itself does not scroll, only that box does.
const overflowJS = `(() => {
	const vw = document.documentElement.clientWidth;
	const out = (el) => {
		const r = el.getBoundingClientRect();
		return (r.width > 0 || r.height > 0) && r.right > vw + 0.5;
	};
	const contained = (el) => {
		for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
			if (getComputedStyle(p).overflowX !== 'visible') return true;
		}
		return false;
	};
	const describe = (el) => {
		let d = el.tagName.toLowerCase();
		if (el.id) d += '#' + el.id;
		for (const c of el.classList) d += '.' + c;
		return d;
	};
	const found = [];
	for (const el of document.body.querySelectorAll('*')) {
		if (!out(el) || contained(el)) continue;
		const p = el.parentElement;
		if (p && p !== document.body && out(p)) continue;
		const r = el.getBoundingClientRect();
		found.push({element: describe(el), left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
			html: el.outerHTML.slice(0, 160)});
	}
	found.sort((a, b) => b.width - a.width);
	return found.slice(0, 5);
})()`

// layoutSettledJS resolves after two animation frames, by which time a
// viewport change has been laid out; the timer is a fallback in case frames
// are throttled.
const layoutSettledJS = `new Promise(resolve => {
	requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
	setTimeout(() => resolve(true), 1000);
})`

type overflow struct {
	Element string `json:"element"`
	Left    int    `json:"left"`
	Right   int    `json:"right"`
	Width   int    `json:"width"`
	HTML    string `json:"html"`
}

// CheckAccessible checks the current page, naming it label in failures:
//
//  1. axe-core with the AxeTags rules; each violation fails the test with its
//     rule id, impact, help text and, per element, the CSS target, a snippet
//     of the HTML and axe's summary of what to fix.
//  2. Reflow (WCAG 2.1 SC 1.4.10): at a ReflowWidth×ReflowHeight viewport the
//     page must not scroll sideways (document.documentElement.scrollWidth ≤
//     ReflowWidth); the failure names the widest elements that stick out.
//
// It then restores the normal Width×Height viewport. Both checks report with
// t.Errorf, so one run shows every problem.
func (tab *Tab) CheckAccessible(t testing.TB, label string) {
	t.Helper()
	tab.checkAxe(t, label)
	tab.checkReflow(t, label)
}

func (tab *Tab) checkAxe(t testing.TB, label string) {
	t.Helper()
	loaded, ok := run(t, tab, "looking for axe-core", chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if !ok {
		return
	}
	if !loaded && !tab.do(t, "injecting axe-core", chromedp.Evaluate[chromedp.Void](tab.axe)) {
		return
	}
	tags := `['` + strings.Join(AxeTags, `', '`) + `']`
	violations, ok := run(t, tab, "running axe-core on "+label,
		chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRunJS, tags), chromedp.EvalAwaitPromise))
	if !ok {
		return
	}
	for _, v := range violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s\n    %s", label, v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s", strings.Join(n.Target, ", "), snippet(n.HTML, 200))
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n      %s", snippet(n.Summary, 300))
			}
		}
		t.Errorf("%s", b.String())
	}
}

func (tab *Tab) checkReflow(t testing.TB, label string) {
	t.Helper()
	if !tab.do(t, fmt.Sprintf("narrowing the viewport to %d px", ReflowWidth),
		chromedp.EmulateViewport(ReflowWidth, ReflowHeight, chromedp.EmulateScale(1))) {
		return
	}
	defer tab.do(t, "restoring the viewport", chromedp.EmulateViewport(Width, Height, chromedp.EmulateScale(1)))
	if _, ok := run(t, tab, "waiting for layout", chromedp.Evaluate[bool](layoutSettledJS, chromedp.EvalAwaitPromise)); !ok {
		return
	}
	width, ok := run(t, tab, "measuring the page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if !ok || width <= ReflowWidth {
		return
	}
	culprits, ok := run(t, tab, "finding wide elements", chromedp.Evaluate[[]overflow](overflowJS))
	if !ok {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: reflow (WCAG 1.4.10): at %d CSS px the page is %d px wide and scrolls sideways", label, ReflowWidth, width)
	if len(culprits) == 0 {
		b.WriteString("; no single element sticks out (look for margins, pseudo-elements or transforms)")
	}
	for _, c := range culprits {
		fmt.Fprintf(&b, "\n    - %s: %d px wide, from x=%d to x=%d\n      %s", c.Element, c.Width, c.Left, c.Right, snippet(c.HTML, 160))
	}
	t.Errorf("%s", b.String())
}

// snippet collapses whitespace and cuts s to at most n runes.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
