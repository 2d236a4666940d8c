package handlers

// Shared tooling of the security suite (issue 13; handlers/security_*_test.go):
// the hostile inputs, a portal with every kind of staff user, and a small
// HTML reader that finds a page's forms and links, so that the tests walk
// the portal as it is instead of a list that falls behind it.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// xssPayload is typed into every text field: a script element, an
// attribute break-out and an event handler. Rendered inert it only ever
// appears escaped.
const xssPayload = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`

// xssMarkers are the parts of xssPayload that would be live markup if a
// page printed it unescaped.
var xssMarkers = []string{"<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"}

// xssEscaped is how html/template prints xssPayload in text and attributes.
const xssEscaped = `&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;`

// sqlPayloads are SQL metacharacters and LIKE wildcards that must be
// stored and shown literally, and match only themselves in searches.
var sqlPayloads = []string{`' OR 1=1 --`, `"; DROP TABLE applications; --`, `%`, `_`, `\`, `50%_off\'`}

// unescapedMarkup reports the first xssMarker in body, or "".
func unescapedMarkup(body string) string {
	for _, m := range xssMarkers {
		if i := strings.Index(body, m); i >= 0 {
			return body[max(0, i-120):min(len(body), i+120)]
		}
	}
	return ""
}

// secWorld is a portal on one database with the people the security tests
// act as: the office (clerk, head, two section handlers, the head of
// section A, a reviewer), a publisher, an auditor, an administrator, and
// omni, who holds every role (the section roles in section A), so that a
// walk as omni reaches every staff page.
type secWorld struct {
	*citizenApp
	team      answerTeam
	admin     *models.User
	publisher *models.User
	auditor   *models.User
	omni      *models.User
}

// newSecWorld starts a portal on s with long staff sessions (the tests
// move the clock) and creates the users.
func newSecWorld(t *testing.T, s *store.Store, clock *storetest.Clock, cfg Config) *secWorld {
	t.Helper()
	cfg.SessionIdleTimeout, cfg.SessionMaxAge = 2000*time.Hour, 2000*time.Hour
	app := newCitizenAppOn(t, s, clock, cfg)
	u := newOfficeUsers(t, s)
	w := &secWorld{citizenApp: app, team: newAnswerTeam(t, s, u)}
	w.admin = mkStaffUser(t, s, "sec-admin", []models.Role{models.RoleAdmin}, nil, false)
	w.publisher = mkStaffUser(t, s, "sec-publisher", []models.Role{models.RolePublisher}, nil, false)
	w.auditor = mkStaffUser(t, s, "sec-auditor", []models.Role{models.RoleAuditor}, nil, false)
	w.omni = mkStaffUser(t, s, "sec-omni", models.Roles, []int64{u.sectionA.ID}, false)
	return w
}

// countRows counts a table's rows.
func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// htmlForm is a form as a page carries it.
type htmlForm struct {
	action    string // path and query, resolved against the page
	method    string // GET or POST
	multipart bool
	fields    []formField // hidden fields, and the defaults of selects, radios and ticked boxes
	text      []string    // free-text inputs and text areas, by name
	files     []string    // file inputs, by name
}

// formsOf reads the forms of a page found at pageURL.
func formsOf(pageURL, body string) []htmlForm {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	base, _ := url.Parse(pageURL)
	var out []htmlForm
	var walk func(n *html.Node, f *htmlForm)
	radios := map[*htmlForm]map[string]bool{}
	walk = func(n *html.Node, f *htmlForm) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				nf := htmlForm{method: strings.ToUpper(attr(n, "method")), multipart: attr(n, "enctype") == "multipart/form-data"}
				if nf.method == "" {
					nf.method = "GET"
				}
				a, err := base.Parse(attr(n, "action"))
				if err == nil {
					nf.action = a.RequestURI()
				}
				out = append(out, nf)
				f = &out[len(out)-1]
				radios[f] = map[string]bool{}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, f)
				}
				return
			case "input":
				if f == nil || attr(n, "name") == "" || hasAttr(n, "disabled") {
					break
				}
				name, value := attr(n, "name"), attr(n, "value")
				switch strings.ToLower(attr(n, "type")) {
				case "hidden":
					f.fields = append(f.fields, formField{name, value})
				case "checkbox":
					if hasAttr(n, "checked") {
						f.fields = append(f.fields, formField{name, orDefault(value, "on")})
					}
				case "radio":
					if !radios[f][name] || hasAttr(n, "checked") {
						if radios[f][name] {
							f.fields = slices.DeleteFunc(f.fields, func(x formField) bool { return x.k == name })
						}
						radios[f][name] = true
						f.fields = append(f.fields, formField{name, value})
					}
				case "file":
					f.files = append(f.files, name)
				case "submit", "button", "image", "reset":
					if value != "" && !slices.ContainsFunc(f.fields, func(x formField) bool { return x.k == name }) {
						f.fields = append(f.fields, formField{name, value})
					}
				default:
					f.text = append(f.text, name)
				}
			case "button":
				if f != nil && attr(n, "name") != "" && !slices.ContainsFunc(f.fields, func(x formField) bool { return x.k == attr(n, "name") }) {
					f.fields = append(f.fields, formField{attr(n, "name"), attr(n, "value")})
				}
			case "textarea":
				if f != nil && attr(n, "name") != "" {
					f.text = append(f.text, attr(n, "name"))
				}
			case "select":
				if f != nil && attr(n, "name") != "" {
					f.fields = append(f.fields, formField{attr(n, "name"), firstOption(n)})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, f)
		}
	}
	walk(doc, nil)
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// firstOption returns the selected option of a select, else its first
// option with a value.
func firstOption(sel *html.Node) string {
	var first, selected string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "option" {
			v := attr(n, "value")
			if !hasAttr(n, "value") {
				v = textOf(n)
			}
			if first == "" && v != "" {
				first = v
			}
			if hasAttr(n, "selected") && selected == "" {
				selected = v
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(sel)
	if selected != "" {
		return selected
	}
	return first
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// urlsOf returns every URL a page points to: links, form actions, and the
// sources of images, scripts and style sheets, resolved against the page
// (path and query; other hosts are returned whole).
func urlsOf(pageURL, body string) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	base, _ := url.Parse(pageURL)
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, key := range []string{"href", "src", "action", "formaction"} {
				if !hasAttr(n, key) {
					continue
				}
				u, err := base.Parse(attr(n, key))
				if err != nil {
					out = append(out, attr(n, key))
					continue
				}
				if u.Host == base.Host {
					out = append(out, u.RequestURI())
				} else {
					out = append(out, u.String())
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// crawled is one page or file fetched by crawl.
type crawled struct {
	url  string
	resp citizenResponse
}

// shapeRE turns the ids and numbers of a URL into placeholders, so that a
// crawl visits a few pages of each kind, not every page of a long list.
var shapeRE = regexp.MustCompile(`[0-9]+`)

// crawl fetches the pages reachable from start with GET, staying under the
// prefixes, at most perShape URLs of one shape and limit in all. Links to
// the logout and sign-out actions are forms (POST), so a crawl never ends
// its own session.
func (v *visitor) crawl(t *testing.T, start []string, prefixes []string, perShape, limit int) []crawled {
	t.Helper()
	seen := map[string]bool{}
	shapes := map[string]int{}
	queue := slices.Clone(start)
	var out []crawled
	for len(queue) > 0 && len(out) < limit {
		u := queue[0]
		queue = queue[1:]
		if seen[u] || strings.Contains(u, "://") {
			continue
		}
		seen[u] = true
		p, _ := url.Parse(u)
		if !slices.ContainsFunc(prefixes, func(pre string) bool { return p.Path == pre || strings.HasPrefix(p.Path, pre+"/") }) {
			continue
		}
		q := p.Query()
		q.Del("v")
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range q {
				if !yield(k) {
					return
				}
			}
		})
		shape := shapeRE.ReplaceAllString(p.Path, "N") + "?" + strings.Join(keys, "&")
		if shapes[shape] >= perShape {
			continue
		}
		shapes[shape]++
		r := v.get(t, u)
		out = append(out, crawled{u, r})
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			for _, next := range urlsOf(v.app.srv.URL+u, r.Body) {
				if !seen[next] && !strings.HasPrefix(next, "/static/") {
					queue = append(queue, next)
				}
			}
		}
		if r.StatusCode == http.StatusSeeOther || r.StatusCode == http.StatusFound {
			if loc := r.Header.Get("Location"); loc != "" && !seen[loc] {
				queue = append(queue, loc)
			}
		}
	}
	return out
}

// submitForm posts (or, for a GET form, requests) a form with the text
// fields set to text and everything else at its default. The session's
// form token is already among the hidden fields of a staff form.
func (v *visitor) submitForm(t *testing.T, f htmlForm, text func(name string) string) citizenResponse {
	t.Helper()
	fields := slices.Clone(f.fields)
	for _, name := range f.text {
		fields = append(fields, formField{name, text(name)})
	}
	if f.method == "GET" {
		u, _ := url.Parse(f.action)
		q := url.Values{}
		for _, x := range fields {
			q.Add(x.k, x.v)
		}
		u.RawQuery = q.Encode()
		return v.get(t, u.RequestURI())
	}
	if f.multipart || len(f.files) > 0 {
		return v.postMultipart(t, f.action, fields, nil)
	}
	form := url.Values{}
	for _, x := range fields {
		form.Add(x.k, x.v)
	}
	return v.post(t, f.action, form)
}

// pdfToText returns the text of a PDF as pdftotext reads it; the test is
// skipped with a message when poppler-utils is not installed (CI installs
// it).
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found: install poppler-utils (.ci/run does)")
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// squeeze removes all white space, so that text wrapped across lines by a
// PDF compares with what was typed.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// pdfActiveContent lists the PDF names that run code or act on opening: a
// PDF the portal produces must carry none of them.
var pdfActiveContent = []string{"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/RichMedia", "/SubmitForm", "/ImportData"}

// checkInertPDF wants a PDF without active content whose text holds want
// literally.
func checkInertPDF(t *testing.T, what string, pdf []byte, want ...string) {
	t.Helper()
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("%s: not a PDF: %.60q", what, pdf)
		return
	}
	for _, name := range pdfActiveContent {
		if regexp.MustCompile(regexp.QuoteMeta(name) + `[\s/<(\[]`).Match(pdf) {
			t.Errorf("%s: the PDF carries %s", what, name)
		}
	}
	text := squeeze(pdfToText(t, pdf))
	for _, w := range want {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("%s: %q not in the PDF's text:\n%.2000s", what, w, text)
		}
	}
}

// mustUser reads a user back.
func mustUser(t *testing.T, s *store.Store, id int64) *models.User {
	t.Helper()
	u, err := s.User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// routeURL fills a route pattern's parameters with values that exist in
// the test (vals) or, for a parameter without one, "1".
func routeURL(pattern string, vals map[string]string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		if len(p) > 1 && (p[0] == ':' || p[0] == '*') {
			v, ok := vals[p[1:]]
			if !ok {
				v = "1"
			}
			parts[i] = strings.TrimPrefix(v, "/")
		}
	}
	return strings.Join(parts, "/")
}

// describe names a request for messages.
func describe(method, path string) string { return fmt.Sprintf("%s %s", method, path) }
