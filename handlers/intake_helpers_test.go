package handlers

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// officeClient is a staff member's browser on a citizenApp: a cookie jar
// (sessions, flashes, the one-time registration page) and the session's
// form token, added to every post.
type officeClient struct {
	*visitor
	user *models.User
	csrf string
}

// office signs u in (a session made in the store, as signIn does) on a
// browser of its own.
func (a *citizenApp) office(t *testing.T, u *models.User) *officeClient {
	t.Helper()
	ctx := context.Background()
	policy := a.h.sessionPolicy()
	token, _, err := a.store.CreateSession(ctx, u.ID, policy)
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := a.store.SessionUser(ctx, token, policy)
	if err != nil {
		t.Fatal(err)
	}
	v := a.visitor(t)
	base, _ := url.Parse(a.srv.URL + "/staff")
	v.client.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/staff"}})
	return &officeClient{visitor: v, user: u, csrf: sess.CSRFToken}
}

// send posts a staff form with the form token.
func (o *officeClient) send(t *testing.T, path string, form url.Values) citizenResponse {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set(csrfField, o.csrf)
	return o.post(t, path, form)
}

// sendFiles posts a multipart staff form with the form token.
func (o *officeClient) sendFiles(t *testing.T, path string, fields []formField, files []fileUpload) citizenResponse {
	t.Helper()
	return o.postMultipart(t, path, append([]formField{{csrfField, o.csrf}}, fields...), files)
}

// mustStep posts a step and wants the redirect back to the application.
func (o *officeClient) mustStep(t *testing.T, number, step string, form url.Values) {
	t.Helper()
	r := o.send(t, "/staff/applications/"+number+"/"+step, form)
	if r.StatusCode != http.StatusSeeOther || strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
		t.Fatalf("%s on %s: status %d, want 303:\n%s", step, number, r.StatusCode, staffExcerpt(r.Body))
	}
}

// refusedStep posts a step and wants it refused with the form again
// (422) showing want.
func (o *officeClient) refusedStep(t *testing.T, number, step string, form url.Values, want string) {
	t.Helper()
	r := o.send(t, "/staff/applications/"+number+"/"+step, form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, want) {
		t.Errorf("%s on %s: status %d, want 422 saying %q:\n%s", step, number, r.StatusCode, want, staffExcerpt(r.Body))
	}
}

// staffUsers creates the office's accounts for the intake tests: a clerk,
// the office head, and a handler of each of two sections.
type officeUsers struct {
	clerk, head, secA, secB *models.User
	sectionA, sectionB      *models.Section
}

func newOfficeUsers(t *testing.T, s *store.Store) officeUsers {
	t.Helper()
	sections, err := s.Sections(context.Background(), storetest.DefaultAgency(t, s).ID)
	if err != nil {
		t.Fatal(err)
	}
	var u officeUsers
	for _, sec := range sections {
		switch sec.Name {
		case "社会救助科":
			u.sectionA = sec
		case "养老服务科":
			u.sectionB = sec
		}
	}
	u.clerk = mkStaffUser(t, s, "clerk1", []models.Role{models.RoleOfficeClerk}, nil, false)
	u.head = mkStaffUser(t, s, "head1", []models.Role{models.RoleOfficeHead}, nil, false)
	u.secA = mkStaffUser(t, s, "seca", []models.Role{models.RoleSectionHandler}, []int64{u.sectionA.ID}, false)
	u.secB = mkStaffUser(t, s, "secb", []models.Role{models.RoleSectionHandler}, []int64{u.sectionB.ID}, false)
	return u
}

// mustApplication reads an application and its ledger.
func mustApplication(t *testing.T, s *store.Store, number string) (*models.Application, []models.Event) {
	t.Helper()
	app, err := s.ApplicationByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(context.Background(), app.ID)
	if err != nil {
		t.Fatal(err)
	}
	return app, events
}

// lastKinds lists the kinds of the last n events.
func lastKinds(events []models.Event, n int) []models.EventKind {
	var out []models.EventKind
	for _, e := range events[max(0, len(events)-n):] {
		out = append(out, e.Kind)
	}
	return out
}

// workingDaysAfter is the calendar's answer, for expected due dates.
func workingDaysAfter(t *testing.T, s *store.Store, from models.Date, n int) models.Date {
	t.Helper()
	d, err := s.AddWorkingDays(context.Background(), from, n)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// noticeOf returns the application's notices of kind (the last one).
func noticeOf(t *testing.T, s *store.Store, app *models.Application, kind models.NoticeKind) *store.Notice {
	t.Helper()
	notices, err := s.Notices(context.Background(), app.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out *store.Notice
	for _, n := range notices {
		if n.NoticeKind() == kind {
			out = n
		}
	}
	if out == nil {
		t.Fatalf("%s has no %s notice", app.Number, kind)
	}
	return out
}

var pdftotextMissing sync.Once

// pdfText returns the text of a PDF as pdftotext reads it, white space
// removed, or ok false (with a message naming poppler-utils, once) when
// the tool is not installed: only the text check is skipped then.
func noticePDFText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		pdftotextMissing.Do(func() {
			t.Log("pdftotext not found: install poppler-utils to check the notices' text; the text checks are skipped")
		})
		return "", false
	}
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), ""), true
}

// footerRE matches the page footer lines pdftotext puts between the parts
// of a paragraph that runs over a page, and the contact footer.
var footerRE = regexp.MustCompile(`第\d+页/共\d+页`)

// checkNoticeText reads a stored notice back and wants each text in it
// (white space ignored) and none of the texts in not.
func checkNoticeText(t *testing.T, s *store.Store, app *models.Application, n *store.Notice, want []string, not ...string) {
	t.Helper()
	_, f, err := s.NoticePDF(context.Background(), app.ID, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	text, ok := noticePDFText(t, f.Content)
	if !ok {
		return
	}
	// pdftotext -layout prints a table's label, centred in its row,
	// between the lines of a wrapped value, and the footer between the
	// parts of a paragraph broken across pages: take them out of both
	// sides before comparing.
	_, body, err := s.NoticeWithBody(context.Background(), app.ID, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	var noise []string
	for _, b := range reports.NoticeLetter(body, nil, time.Time{}).Body {
		if tab, ok := b.(reports.Table); ok {
			for _, f := range tab {
				noise = append(noise, f.Label)
			}
		}
	}
	a := body.Agency
	noise = append(noise, a.OfficeAddress, a.Phone, a.Fax, a.Email, a.Website, "邮编："+a.PostCode, "地址：", "电话：", "传真：", "电子邮箱：", "网站：")
	squeeze := func(s string) string {
		s = footerRE.ReplaceAllString(strings.Join(strings.Fields(s), ""), "")
		for _, x := range noise {
			if x = strings.Join(strings.Fields(x), ""); x != "" {
				s = strings.ReplaceAll(s, x, "")
			}
		}
		return s
	}
	text = squeeze(text)
	for _, w := range append(want, n.Number, n.Title) {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("%s %s: %q missing from the PDF text", n.Title, n.Number, w)
		}
	}
	for _, w := range not {
		if strings.Contains(text, w) {
			t.Errorf("%s %s: %q must not be in the PDF", n.Title, n.Number, w)
		}
	}
}
