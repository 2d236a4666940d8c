package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// freeTextFields are the application form's fields that take any text
// (the others are numbers, codes and addresses with a shape): the valid
// submission carries the payload in each of them.
var freeTextFields = []string{models.FieldName, models.FieldTitle, models.FieldDocNumber, models.FieldDescription,
	models.FieldPurpose}

// xssShort is the part of xssPayload that fits a name (50 characters).
const xssShort = `张三"'><img src=x onerror=alert(1)>`

// TestSecurityStoredXSSInert (ASVS 5.3.1, 5.3.3): HTML and script typed
// into every text field are shown as text, never as markup, on every page
// and PDF that shows them:
//   - the application form: every text field, all at once, comes back as
//     the field's value after a refused submission;
//   - a valid application with the payload in every free-text field: the
//     acknowledgement, the tracking page, the receipt PDF, the answer letter
//     (the handler's reasons carry it too) and every staff page a walk from
//     the staff home reaches as a user with every role;
//   - every staff form on those pages, each text field set to the payload
//     and posted, then the walk again;
//   - the citizen's other forms (look-up, lost code, withdrawal).
//
// The PDFs carry no active content and show the payload as text.
func TestSecurityStoredXSSInert(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{})

		// 1. Every text field of the form at once: refused (the identity
		// number and phone are not valid), shown again as typed.
		v := w.visitor(t)
		page := v.get(t, "/apply")
		f, ok := formWithAction(formsOf(w.srv.URL+"/apply", page.Body), "/apply")
		if !ok || len(f.text) < 10 {
			t.Fatalf("the application form has %d text fields, want the whole form:\n%s", len(f.text), snippetOf(page.Body))
		}
		r := v.submitForm(t, f, func(string) string { return xssPayload })
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("form with the payload everywhere: %d, want 422", r.StatusCode)
		}
		wantInert(t, "refused application form", r.Body)
		vals := fieldValues(r.Body)
		for _, name := range f.text {
			if got, ok := vals[name]; !ok || got != xssPayload {
				t.Errorf("refused form: field %s shows %q, want the payload as its value", name, got)
			}
		}

		// 2. A valid application with the payload in every free-text field.
		fields := personFields()
		for _, name := range freeTextFields {
			fields = withFields(fields, formField{name, "张三" + xssPayload})
		}
		// A name is at most 50 characters: the attribute break-out and the
		// event handler fit.
		fields = withFields(fields, formField{models.FieldName, xssShort})
		number, code := v.submitted(t, fields, nil)
		app, err := s.ApplicationByNumber(t.Context(), number)
		if err != nil {
			t.Fatal(err)
		}
		if app.Title != "张三"+xssPayload || !strings.HasSuffix(app.Description, "\n张三"+xssPayload) {
			t.Errorf("stored title %q, description %q: want the payload verbatim", app.Title, app.Description)
		}
		status := v.get(t, "/track/status")
		wantInert(t, "tracking page", status.Body)
		if !strings.Contains(status.Body, xssEscaped) {
			t.Errorf("tracking page does not show the title as text:\n%s", snippetOf(status.Body))
		}
		receipt := v.get(t, "/track/receipt")
		checkInertPDF(t, "receipt", []byte(receipt.Body), xssPayload)
		_ = code

		// The office answers; the handler's reasons carry the payload too.
		clerk := w.office(t, w.team.clerk)
		clerk.mustStep(t, number, "confirm", url.Values{"received_on": {s.Today().String()}})
		clerk.mustStep(t, number, "route", url.Values{"section_id": {itoa(w.team.sectionA.ID)}, "role": {"lead"}})
		draft := withFields(draftFormFields(models.OutcomeNotHeld), formField{"reasons", "经核查，" + xssPayload})
		w.office(t, w.team.secA).mustPostFiles(t, "/staff/applications/"+number+"/answer/draft", draft, nil)
		signOff(t, w.citizenApp, w.team, number)
		status = v.get(t, "/track/status")
		wantInert(t, "tracking page after the answer", status.Body)
		letters := 0
		for _, u := range urlsOf(w.srv.URL+"/track/status", status.Body) {
			if strings.HasPrefix(u, "/track/notices/") {
				r := v.get(t, u)
				if r.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", u, r.StatusCode)
					continue
				}
				checkInertPDF(t, "notice "+u, []byte(r.Body))
				if strings.Contains(squeeze(pdfToText(t, []byte(r.Body))), squeeze(xssPayload)) {
					letters++
				}
			}
		}
		if letters == 0 {
			t.Error("no answer letter shows the reasons' payload as text")
		}

		// 3. Every staff page a user with every role reaches.
		omni := w.office(t, w.omni)
		start := []string{"/staff", "/staff/applications/" + number, "/staff/search?q=" + url.QueryEscape(xssPayload),
			"/staff/applications?q=" + url.QueryEscape(xssPayload)}
		prefixes := []string{"/staff"}
		shown := checkCrawlInert(t, omni.visitor, start, prefixes)
		if shown == 0 {
			t.Error("no staff page shows the application's title: the walk missed it")
		}

		// 4. Every staff form, its text fields set to the payload.
		posted := 0
		for _, c := range omni.crawl(t, start, prefixes, 2, 150) {
			if !strings.HasPrefix(c.resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, sf := range formsOf(w.srv.URL+c.url, c.resp.Body) {
				if sf.method != "POST" || len(sf.text) == 0 || skipFormXSS(sf.action) {
					continue
				}
				r := omni.submitForm(t, sf, func(string) string { return xssPayload })
				posted++
				what := "POST " + sf.action + " (form on " + c.url + ")"
				if r.StatusCode >= 500 {
					t.Errorf("%s: %d\n%s", what, r.StatusCode, lastLines(w.logs.String(), 3))
				}
				wantInert(t, what, r.Body)
				if r.StatusCode == http.StatusSeeOther {
					if loc := r.Header.Get("Location"); strings.HasPrefix(loc, "/staff") {
						wantInert(t, what+" → "+loc, omni.get(t, loc).Body)
					}
				}
			}
		}
		t.Logf("posted %d staff forms with the payload in every text field", posted)
		if posted < 15 {
			t.Errorf("posted only %d staff forms with text fields: did the walk reach the staff pages?", posted)
		}
		checkCrawlInert(t, omni.visitor, start, prefixes)

		// 5. The citizen's other forms.
		for _, p := range []string{"/track", "/track/lost", "/track/withdraw"} {
			cv := v
			if p != "/track/withdraw" {
				cv = w.visitor(t)
			}
			page := cv.get(t, p)
			for _, cf := range formsOf(w.srv.URL+p, page.Body) {
				if cf.method != "POST" || len(cf.text) == 0 {
					continue
				}
				r := cv.submitForm(t, cf, func(string) string { return xssPayload })
				if r.StatusCode >= 500 {
					t.Errorf("POST %s: %d", cf.action, r.StatusCode)
				}
				wantInert(t, "POST "+cf.action, r.Body)
			}
		}
	})
}

// skipFormXSS names the staff forms the walk does not post: they end the
// session or change its password (the rest of the walk needs both).
func skipFormXSS(action string) bool {
	p, _ := url.Parse(action)
	return slices.Contains([]string{"/staff/logout", "/staff/password", "/staff/login"}, p.Path)
}

// checkCrawlInert walks from start and wants every HTML page free of live
// payload markup and every PDF free of active content. It returns how many
// pages show the payload as text.
func checkCrawlInert(t *testing.T, v *visitor, start, prefixes []string) int {
	t.Helper()
	shown := 0
	pages := v.crawl(t, start, prefixes, 2, 200)
	t.Logf("walked %d staff pages", len(pages))
	if len(pages) < 30 {
		t.Errorf("the walk reached only %d pages", len(pages))
	}
	for _, c := range pages {
		ct := c.resp.Header.Get("Content-Type")
		switch {
		case c.resp.StatusCode >= 500:
			t.Errorf("GET %s: %d", c.url, c.resp.StatusCode)
		case strings.HasPrefix(ct, "text/html"):
			wantInert(t, "GET "+c.url, c.resp.Body)
			if strings.Contains(c.resp.Body, xssEscaped) {
				shown++
			}
		case ct == "application/pdf":
			checkInertPDF(t, "GET "+c.url, []byte(c.resp.Body))
		}
	}
	return shown
}

// wantInert fails when body carries the payload as markup, or any inline
// script or event handler at all (the CSP would block them; the pages
// have none).
func wantInert(t *testing.T, what, body string) {
	t.Helper()
	if ex := unescapedMarkup(body); ex != "" {
		t.Errorf("%s: the payload is live markup: …%s…", what, ex)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" && attr(n, "src") == "" {
				t.Errorf("%s: an inline script: %.100q", what, textOf(n))
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// formWithAction returns the form posting to path.
func formWithAction(forms []htmlForm, path string) (htmlForm, bool) {
	for _, f := range forms {
		if f.action == path && f.method == "POST" {
			return f, true
		}
	}
	return htmlForm{}, false
}

// fieldValues reads a page's inputs and text areas, name → value, as a
// browser would show them.
func fieldValues(body string) map[string]string {
	out := map[string]string{}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return out
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "name") != "" {
			switch n.Data {
			case "input":
				out[attr(n, "name")] = attr(n, "value")
			case "textarea":
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				out[attr(n, "name")] = strings.TrimPrefix(b.String(), "\n")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// lastLines returns the last n lines of a log, for a failure's message.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
