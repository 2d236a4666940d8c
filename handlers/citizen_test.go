package handlers

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/templates"
)

// Identity and contact numbers the citizen tests type. The test that greps
// the database and the logs looks for exactly these.
const (
	testIDNumber    = "110101199003074477"
	testPhone       = "13812345678"
	testEmail       = "zhangsan@example.com"
	testAgentID     = "11010519491231002X"
	testAgentPhone  = "13900001111"
	testCreditCode  = "91211200MA0QX1234F"
	testAddress     = "辽宁省铁岭市银州区某某路88号"
	testDescription = "请提供2025年1月至12月按区县汇总的发放金额。"
)

// recordingSender records mails and texts instead of sending them.
type recordingSender struct {
	mu    sync.Mutex
	mails []sentMail
	texts []sentText
}

type sentMail struct{ to, subject, body string }
type sentText struct{ phone, text string }

func (o *recordingSender) SendMail(_ context.Context, to, subject, body string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mails = append(o.mails, sentMail{to, subject, body})
	return nil
}

func (o *recordingSender) SendSMS(_ context.Context, phone, text string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.texts = append(o.texts, sentText{phone, text})
	return nil
}

func (o *recordingSender) Mails() []sentMail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]sentMail(nil), o.mails...)
}

func (o *recordingSender) Texts() []sentText {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]sentText(nil), o.texts...)
}

// syncLog is a log sink that background senders and the test can
// share.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// citizenApp is a portal for the citizen tests: a store with a settable
// clock, a recording recordingSender, the logs, and an httptest server.
type citizenApp struct {
	h      *Handler
	store  *store.Store
	clock  *storetest.Clock
	out    *recordingSender
	logs   *syncLog
	srv    *httptest.Server
	agency *models.Agency
}

func newCitizenApp(t *testing.T) *citizenApp {
	t.Helper()
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	return newCitizenAppOn(t, s, clock, Config{})
}

// eachCitizenApp runs fn on a portal on SQLite and, when
// PORTAL_TEST_MYSQL_DSN is set, on MariaDB.
func eachCitizenApp(t *testing.T, fn func(t *testing.T, app *citizenApp)) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		fn(t, newCitizenAppOn(t, s, clock, Config{}))
	})
}

// newCitizenAppOn serves a portal on an existing store: two of them on one
// database are two portal processes.
func newCitizenAppOn(t *testing.T, s *store.Store, clock *storetest.Clock, cfg Config) *citizenApp {
	t.Helper()
	return startCitizenApp(t, s, clock, cfg, &recordingSender{})
}

// startCitizenApp serves the portal; with a nil recordingSender the handler uses its
// default, log-only senders.
func startCitizenApp(t *testing.T, s *store.Store, clock *storetest.Clock, cfg Config, out *recordingSender) *citizenApp {
	t.Helper()
	tmpl, err := templates.Parse(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncLog{}
	cfg.Location = storetest.Shanghai
	if out != nil {
		cfg.Mailer, cfg.SMS = out, out
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://gongkai.example.gov.cn"
	}
	h, err := New(s, tmpl, slog.New(slog.NewTextHandler(logs, nil)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	t.Cleanup(h.WaitNotifications)
	return &citizenApp{h: h, store: s, clock: clock, out: out, logs: logs, srv: srv, agency: storetest.DefaultAgency(t, s)}
}

// visitor is one browser: a cookie jar, redirects not followed so that
// tests see each 303.
type visitor struct {
	app    *citizenApp
	client *http.Client
	header http.Header // sent with every request (X-Forwarded-For in proxy tests)
}

func (a *citizenApp) visitor(t *testing.T) *visitor {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &visitor{app: a, header: http.Header{}, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// citizenResponse is a read citizenResponse.
type citizenResponse struct {
	*http.Response
	Body string
}

func (v *visitor) do(t *testing.T, req *http.Request) citizenResponse {
	t.Helper()
	for k, vs := range v.header {
		req.Header[k] = vs
	}
	resp, err := v.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return citizenResponse{resp, string(b)}
}

func (v *visitor) get(t *testing.T, path string) citizenResponse {
	t.Helper()
	req, _ := http.NewRequest("GET", v.app.srv.URL+path, nil)
	return v.do(t, req)
}

func (v *visitor) post(t *testing.T, path string, form url.Values) citizenResponse {
	t.Helper()
	req, _ := http.NewRequest("POST", v.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(t, req)
}

// fileUpload is a file in a multipart form.
type fileUpload struct {
	field, name string
	content     []byte
}

// formField is one text field, in form order.
type formField struct{ k, v string }

func (v *visitor) postMultipart(t *testing.T, path string, fields []formField, files []fileUpload) citizenResponse {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		w.WriteField(f.k, f.v)
	}
	for _, f := range files {
		// The browser's Content-Type is deliberately wrong: the portal must
		// judge by content.
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, f.field, f.name)}
		h["Content-Type"] = []string{"application/octet-stream"}
		p, _ := w.CreatePart(h)
		p.Write(f.content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", v.app.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(t, req)
}

// follow GETs the Location of a redirect.
func (v *visitor) follow(t *testing.T, r citizenResponse) citizenResponse {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusFound {
		t.Fatalf("want a redirect, got %d:\n%s", r.StatusCode, snippetOf(r.Body))
	}
	loc := r.Header.Get("Location")
	return v.get(t, loc)
}

func snippetOf(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

var tokenRE = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// formToken reads the one-time token of the form on a page.
func formTokenOf(t *testing.T, body string) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form_token on the page:\n%s", snippetOf(body))
	}
	return m[1]
}

// personFields is a complete, valid application by a natural person.
func personFields() []formField {
	return []formField{
		{"applicant_type", "person"}, {"name", "张三"}, {"id_type", "resident_id"}, {"id_number", testIDNumber},
		{"title", "2025年度城乡低保资金发放情况"}, {"doc_number", ""}, {"description", testDescription}, {"purpose", ""},
		{"form_wanted", "electronic"}, {"delivery", "online"},
		{"phone", testPhone}, {"email", testEmail}, {"address", ""}, {"post_code", ""},
	}
}

// with returns fields with the named values replaced (or added).
func withFields(fields []formField, changes ...formField) []formField {
	out := append([]formField(nil), fields...)
	for _, c := range changes {
		found := false
		for i := range out {
			if out[i].k == c.k {
				out[i].v, found = c.v, true
			}
		}
		if !found {
			out = append(out, c)
		}
	}
	return out
}

func withToken(fields []formField, token string) []formField {
	return append([]formField{{"form_token", token}}, fields...)
}

func testPDF(label string) []byte { return []byte("%PDF-1.4\n% " + label + "\n%%EOF\n") }

func testJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// apply opens the form, submits fields and files with its token, and
// returns the citizenResponse.
func (v *visitor) apply(t *testing.T, fields []formField, files []fileUpload) citizenResponse {
	t.Helper()
	form := v.get(t, "/apply")
	return v.postMultipart(t, "/apply", withToken(fields, formTokenOf(t, form.Body)), files)
}

var numberRE = regexp.MustCompile(`id="application-number">([A-Z0-9-]+)<`)
var codeRE = regexp.MustCompile(`id="query-code">([A-Z0-9-]+)<`)

// submitted files a valid application and returns its number and query
// code from the acknowledgement page.
func (v *visitor) submitted(t *testing.T, fields []formField, files []fileUpload) (number, code string) {
	t.Helper()
	r := v.apply(t, fields, files)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: status %d, want 303:\n%s", r.StatusCode, snippetOf(r.Body))
	}
	ack := v.follow(t, r)
	n, c := numberRE.FindStringSubmatch(ack.Body), codeRE.FindStringSubmatch(ack.Body)
	if n == nil || c == nil {
		t.Fatalf("acknowledgement lacks number or code:\n%s", snippetOf(ack.Body))
	}
	return n[1], c[1]
}
