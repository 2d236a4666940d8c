package handlers

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"gongkai/models/store/storetest"
)

var numberOnPage = regexp.MustCompile(`TLMZ-\d{4}-\d{6}`)

// TestFailedCommitShowsNoNumber: when the commit of a submission fails
// (for real: see storetest.FailCommit), the applicant sees an error page
// and no application number, everything typed is kept for another try,
// and nothing is stored; the same form then succeeds.
func TestFailedCommitShowsNoNumber(t *testing.T) {
	eachCitizenApp(t, func(t *testing.T, app *citizenApp) {
		v := app.visitor(t)
		token := formTokenOf(t, v.get(t, "/apply").Body)
		fields := withToken(personFields(), token)

		app.store.SetCommitHook(storetest.FailCommit(app.store))
		r := v.postMultipart(t, "/apply", fields, nil)
		app.store.SetCommitHook(nil)
		if r.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500:\n%s", r.StatusCode, snippetOf(r.Body))
		}
		if numberOnPage.MatchString(r.Body) || strings.Contains(r.Header.Get("Location"), "/apply/done") {
			t.Errorf("the error page shows an application number:\n%s", snippetOf(r.Body))
		}
		if !strings.Contains(r.Body, "系统暂时出现问题") {
			t.Errorf("no Chinese error page:\n%s", snippetOf(r.Body))
		}
		var n int
		app.store.DB().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
		if n != 0 {
			t.Errorf("%d applications stored after a failed commit", n)
		}
		ok := v.postMultipart(t, "/apply", fields, nil)
		if ok.StatusCode != http.StatusSeeOther {
			t.Fatalf("retry after the failure: %d", ok.StatusCode)
		}
		if ack := v.follow(t, ok); !numberOnPage.MatchString(ack.Body) {
			t.Errorf("the retry's acknowledgement has no number:\n%s", snippetOf(ack.Body))
		}
	})
}
