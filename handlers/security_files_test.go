package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// uploadTables are the tables an upload writes to.
var uploadTables = []string{"applications", "attachments", "staged_uploads"}

// TestSecurityDownloadsRefused (ASVS 12.3.1, 12.5.1, 4.2.1), on SQLite and
// MariaDB: every way to reach a file the requester may not have is
// refused, and never serves a byte of it:
//   - path traversal, plain and percent-encoded, through the static files,
//     the catalog's files and the applicant's downloads;
//   - another applicant's file by its id, signed in to one's own
//     application (uploads, notices, released files);
//   - another application's file by id under an application the staff
//     member may see;
//   - a file of an application assigned to another section, for a handler
//     of the other section (files and notices).
func TestSecurityDownloadsRefused(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{})
		secret := testPDF("甲的身份证明 secret-of-A")
		alice := w.visitor(t)
		numA, _ := alice.submitted(t, personFields(), []fileUpload{{models.FieldIdentityProof, "身份证.pdf", secret}})
		bob := w.visitor(t)
		numB, _ := bob.submitted(t, withFields(personFields(), formField{models.FieldTitle, "乙的申请"}), nil)
		appA, appB := mustApp(t, s, numA), mustApp(t, s, numB)
		files, err := s.Attachments(context.Background(), appA.ID)
		if err != nil || len(files) != 1 {
			t.Fatalf("attachments of A: %v, %v", files, err)
		}
		fileA := strconv.FormatInt(files[0].ID, 10)

		// A is routed to section A, B to section B; each gets a notice.
		clerk := w.office(t, w.team.clerk)
		for num, sec := range map[string]*models.Section{numA: w.team.sectionA, numB: w.team.sectionB} {
			clerk.mustStep(t, num, "confirm", url.Values{"received_on": {s.Today().String()}})
			clerk.mustStep(t, num, "route", url.Values{"section_id": {itoa(sec.ID)}, "role": {"lead"}})
		}
		noticeA := noticeOf(t, s, mustApp(t, s, numA), models.NoticeReceipt)
		noticeID := strconv.FormatInt(noticeA.ID, 10)

		// The owners can fetch them: the refusals below are not for want of a file.
		secA := w.office(t, w.team.secA)
		if r := secA.get(t, "/staff/applications/"+numA+"/files?id="+fileA); r.StatusCode != 200 || r.Body != string(secret) {
			t.Fatalf("section A fetching A's file: %d", r.StatusCode)
		}
		if r := alice.get(t, "/track/notices/"+noticeID); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "%PDF-") {
			t.Fatalf("applicant A fetching A's notice: %d", r.StatusCode)
		}

		refused := func(who string, v *visitor, path string) {
			t.Helper()
			r := v.get(t, path)
			if r.StatusCode == http.StatusOK || r.StatusCode >= 500 || strings.Contains(r.Body, "secret-of-A") ||
				strings.Contains(r.Body, "module gongkai") || strings.Contains(r.Body, "root:") || strings.Contains(r.Body, "package handlers") {
				t.Errorf("%s GET %s: %d, want a refusal without the file:\n%.300s", who, path, r.StatusCode, r.Body)
			}
		}
		// Path traversal.
		for _, p := range []string{
			"/static/../go.mod", "/static/%2e%2e/go.mod", "/static/..%2fgo.mod", "/static/css/..%2f..%2f..%2fgo.mod",
			"/static/%2e%2e%2f%2e%2e%2fhandlers%2fstatic.go", "/static/..%5c..%5cgo.mod", "/static//etc/passwd",
			"/static/css/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/%252e%252e/go.mod",
			"/catalog/entries/1/files/..%2f..%2f..%2fetc%2fpasswd", "/catalog/entries/..%2f1/files/1",
			"/track/files/..%2f" + fileA, "/track/files/" + fileA + "%2f..", "/track/notices/..%2f" + noticeID,
			"/staff/applications/" + numA + "/files?id=..%2f" + fileA,
		} {
			refused("anyone", w.visitor(t), p)
			refused("applicant B", bob, p)
		}
		// Another applicant's file by id.
		for _, p := range []string{"/track/files/" + fileA, "/track/notices/" + noticeID} {
			refused("applicant B", bob, p)
			refused("no session", w.visitor(t), p)
		}
		// Another application's file under one's own.
		secB := w.office(t, w.team.secB)
		refused("section B", secB.visitor, "/staff/applications/"+numB+"/files?id="+fileA)
		refused("section B", secB.visitor, "/staff/applications/"+numB+"/notices?id="+noticeID)
		// Another section's file.
		refused("section B", secB.visitor, "/staff/applications/"+numA+"/files?id="+fileA)
		refused("section B", secB.visitor, "/staff/applications/"+numA+"/notices?id="+noticeID)
		refused("section B", secB.visitor, "/staff/applications/"+numA+"/files")
		refused("publisher", w.office(t, w.publisher).visitor, "/staff/applications/"+numA+"/files?id="+fileA)
		_ = appB
	})
}

// zipBomb returns a zip archive whose one member expands to n bytes of
// zeros (about a thousandth of that on disk).
func zipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, err := zw.Create("申请材料.pdf")
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	for range n >> 20 {
		f.Write(zero)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSecurityUploadsRejected (ASVS 12.1.1, 12.2.1), on SQLite and MariaDB:
// an applicant's upload that is not what it claims — HTML and a Windows
// program named .pdf and sent as application/pdf, a PNG that is not one, a
// zip bomb named .pdf — or that is too large (one file over 10 MB, and a
// request over the body limit) is refused with a Chinese message naming
// the file and the rule, and stores nothing: no application, no
// attachment, no staged upload.
func TestSecurityUploadsRejected(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{MaxBodyBytes: 12 << 20})
		bomb := zipBomb(t, 256<<20)
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes: not a bomb", len(bomb))
		}
		for _, tc := range []struct {
			name, filename string
			content        []byte
			want           string
		}{
			{"html as pdf", "身份证.pdf", []byte("<html><script>alert(1)</script></html>"), "不是PDF、JPEG或PNG格式"},
			{"program as pdf", "身份证.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 512)...), "不是PDF、JPEG或PNG格式"},
			{"svg as png", "照片.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "不是PDF、JPEG或PNG格式"},
			{"broken png", "照片.png", append(append([]byte{}, pngSignature()...), "<script>"...), "已损坏或不完整"},
			{"zip bomb as pdf", "申请材料.pdf", bomb, "不是PDF、JPEG或PNG格式"},
			{"over 10 MB", "扫描件.pdf", append(testPDF("大"), make([]byte, models.MaxUploadBytes)...), "超过了10MB的限制"},
			{"over the body limit", "扫描件.pdf", append(testPDF("大"), make([]byte, 13<<20)...), "合计超过了上限"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := map[string]int{}
				for _, tb := range uploadTables {
					before[tb] = countRows(t, s, tb)
				}
				v := w.visitor(t)
				page := v.get(t, "/apply")
				fields := withToken(personFields(), formTokenOf(t, page.Body))
				r := v.postMultipartAs(t, "/apply", fields, fileUpload{models.FieldIdentityProof, tc.filename, tc.content}, "application/pdf")
				if r.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", r.StatusCode)
				}
				msgs := errorSummary(r.Body)
				if !strings.Contains(msgs, tc.want) {
					t.Errorf("error summary %q lacks %q", msgs, tc.want)
				}
				if tc.name != "over the body limit" && !strings.Contains(msgs, strings.TrimSuffix(tc.filename, ".png")) {
					t.Errorf("error summary %q does not name the file %q", msgs, tc.filename)
				}
				for _, tb := range uploadTables {
					if got := countRows(t, s, tb); got != before[tb] {
						t.Errorf("%s: %d rows, want %d", tb, got, before[tb])
					}
				}
			})
		}
	})
}

func pngSignature() []byte { return []byte("\x89PNG\r\n\x1a\n") }

// postMultipartAs posts a multipart form with one file sent under the
// given Content-Type, as a client that lies about it would.
func (v *visitor) postMultipartAs(t *testing.T, path string, fields []formField, f fileUpload, contentType string) citizenResponse {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, x := range fields {
		w.WriteField(x.k, x.v)
	}
	h := map[string][]string{
		"Content-Disposition": {`form-data; name="` + f.field + `"; filename="` + f.name + `"`},
		"Content-Type":        {contentType},
	}
	p, _ := w.CreatePart(h)
	p.Write(f.content)
	w.Close()
	req, _ := http.NewRequest("POST", v.app.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(t, req)
}

// errorSummary returns the text of a form's error summary.
func errorSummary(body string) string {
	_, after, ok := strings.Cut(body, `class="error-summary"`)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, "</div>")
	return htmlUnescape(before)
}
