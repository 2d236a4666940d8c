package handlers

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// urlRecorder is a transport that keeps every URL the portal hands a
// client: the Location of each redirect and every link, form action and
// source on each HTML page.
type urlRecorder struct {
	mu   sync.Mutex
	urls []string
}

func (r *urlRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if loc := resp.Header.Get("Location"); loc != "" {
		r.urls = append(r.urls, loc)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		r.urls = append(r.urls, urlsOf(req.URL.String(), string(b))...)
	}
	return resp, nil
}

func (r *urlRecorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.urls, "\n")
}

// TestSecurityNoPersonalDataLeaks (ASVS 8.3.1, 8.3.5, 7.1.1; 个人信息保护法
// 第五十一条), on SQLite and MariaDB: an applicant files, looks the
// application up, asks for a lost code and trips the error pages; staff
// view, reveal and download. Then:
//   - no URL requested or redirected to, no log line, no /metrics line and
//     no error page (404 with the numbers in the path and the query, 422,
//     429) carries the identity number or the phone number;
//   - the staff page shows them masked; the reveal shows them in full and
//     is audited (who, which application, which fields) with no number in
//     the audit row; a file download is audited too.
func TestSecurityNoPersonalDataLeaks(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{MetricsToken: "metrics-token-for-the-test"})
		rec := &urlRecorder{}
		visit := func() *visitor {
			v := w.visitor(t)
			v.client.Transport = rec
			return v
		}
		secrets := []string{testIDNumber, testPhone, testAgentID, testAgentPhone}
		var errorPages []string

		// The applicant, with an agent.
		v := visit()
		fields := withFields(personFields(), formField{models.FieldHasAgent, "1"}, formField{models.FieldAgentName, "李四"},
			formField{models.FieldAgentIDType, "resident_id"}, formField{models.FieldAgentIDNumber, testAgentID},
			formField{models.FieldAgentPhone, testAgentPhone})
		number, code := v.submitted(t, fields, []fileUpload{{models.FieldIdentityProof, "身份证" + testIDNumber + ".pdf", testPDF("证件")},
			{models.FieldPowerOfAttorney, "委托书.pdf", testPDF("委托")}})
		other := visit()
		if r := other.post(t, "/track", lookupForm(number, code)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("look-up: %d", r.StatusCode)
		}
		other.get(t, "/track/status")
		other.get(t, "/track/receipt")
		visit().post(t, "/track/lost", url.Values{"number": {number}, "contact": {testPhone}})
		// Error pages, fed the numbers (by clients outside the recorder:
		// these URLs are the attacker's, not the portal's).
		omni := w.office(t, w.omni)
		other.client.Transport = nil
		for _, p := range []string{"/track/notices/" + testIDNumber, "/staff/applications/" + testIDNumber,
			"/no-such-page?id=" + testIDNumber + "&phone=" + testPhone, "/catalog/entries/" + testPhone,
			"/staff/applications/" + number + "/files?id=" + testIDNumber} {
			r := other.get(t, p)
			if strings.HasPrefix(p, "/staff") {
				r = omni.get(t, p)
			}
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d", p, r.StatusCode)
			}
			errorPages = append(errorPages, r.Body)
		}
		other.client.Transport = rec
		locked := visit()
		for range 6 {
			r := locked.post(t, "/track", url.Values{"number": {number}, "code": {"AAAAA-AAAAA"}, "id_number": {testIDNumber}})
			errorPages = append(errorPages, r.Body)
		}
		if !strings.Contains(errorPages[len(errorPages)-1], "再试") {
			t.Errorf("the look-up did not lock: the 429 page was not seen")
		}

		// Staff: the masked view, the reveal, a download.
		omni.client.Transport = rec
		page := omni.get(t, "/staff/applications/"+number)
		for _, x := range secrets {
			if strings.Contains(page.Body, x) {
				t.Errorf("the staff page shows %s unmasked", x)
			}
		}
		if !strings.Contains(page.Body, models.MaskIDNumber(testIDNumber)) {
			t.Errorf("the staff page lacks the masked identity number %s", models.MaskIDNumber(testIDNumber))
		}
		shown := omni.send(t, "/staff/applications/"+number+"/reveal", nil)
		if !strings.Contains(shown.Body, testIDNumber) || !strings.Contains(shown.Body, testPhone) {
			t.Errorf("the reveal does not show the numbers: %d", shown.StatusCode)
		}
		e := lastStaffAudit(t, s, models.AuditPersonalDataViewed)
		if e == nil || e.ActorID != w.omni.ID || e.ObjectID != number || !strings.Contains(string(e.After), "id_number") {
			t.Errorf("reveal audit entry = %+v", e)
		} else if row := string(e.Before) + string(e.After) + e.ActorName; containsAny(row, secrets) {
			t.Errorf("the audit row carries a number: %s", row)
		}
		files, err := s.Attachments(t.Context(), mustApp(t, s, number).ID)
		if err != nil || len(files) == 0 {
			t.Fatal(files, err)
		}
		if r := omni.get(t, "/staff/applications/"+number+"/files?id="+itoa(files[0].ID)); r.StatusCode != http.StatusOK {
			t.Errorf("download: %d", r.StatusCode)
		}
		if e := lastStaffAudit(t, s, models.AuditFileDownloaded); e == nil || e.ActorID != w.omni.ID || e.ObjectID != number {
			t.Errorf("download audit entry = %+v", e)
		}
		if strings.Contains(files[0].Filename, testIDNumber) {
			t.Errorf("stored file name %q carries the identity number", files[0].Filename)
		}

		// /metrics.
		req, _ := http.NewRequest("GET", w.srv.URL+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer metrics-token-for-the-test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(metrics), "route=") && !strings.Contains(string(metrics), "route\"") {
			t.Fatalf("metrics: %d\n%.500s", resp.StatusCode, metrics)
		}

		for what, text := range map[string]string{
			"URLs": rec.all(), "logs": w.logs.String(), "metrics": string(metrics), "error pages": strings.Join(errorPages, "\n"),
		} {
			for _, x := range secrets {
				if strings.Contains(text, x) {
					i := strings.Index(text, x)
					t.Errorf("%s carry %s: …%s…", what, x, text[max(0, i-150):min(len(text), i+50)])
				}
			}
		}
		if !strings.Contains(rec.all(), "/staff/applications/"+number) {
			t.Error("the URL recorder saw nothing")
		}
	})
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
