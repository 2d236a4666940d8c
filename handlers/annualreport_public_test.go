package handlers

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// publishTwoVersions publishes the dataset's 2025 report and then, after a
// late application and a new text for section 五, its correction.
func publishTwoVersions(t *testing.T, d *reportDesk, s *store.Store) {
	t.Helper()
	insertReportRows(t, s, d.agency)
	d.saveNarrative(t, "2025", "第一版的问题和改进。")
	wantStaff(t, "publish", d.pub.post(t, "/staff/reports/publish", url.Values{"year": {"2025"}}), 303, reportPath25)

	// A correction that changes nothing is refused.
	r := d.pub.post(t, "/staff/reports/correct", url.Values{"year": {"2025"}, "reason": {"没有变化。"}})
	wantStaff(t, "empty correction", r, 409, "")
	wantIn(t, "empty correction", htmlUnescape(r.body), "报告内容与现行第1版相同，无需更正。", `>没有变化。</textarea>`)

	storetest.InsertRows(t, s, d.agency, []storetest.Row{{ApplicantName: "戊", Status: models.StatusAnswered,
		ReceivedOn: ymdDate(t, "2025-06-01"), ClosedOn: ymdDate(t, "2025-06-10"), Outcome: models.OutcomeDisclose, Title: "R5"}})
	d.saveNarrative(t, "2025", "第二版的问题和改进。")
	r = d.pub.post(t, "/staff/reports/correct", url.Values{"year": {"2025"}, "reason": {"补录一件2025年6月收到的申请。"}})
	wantStaff(t, "correct", r, 303, reportPath25)
}

// publicGet fetches a public address with its headers.
func publicGet(t *testing.T, d *reportDesk, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(d.app.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

// TestAnnualReportPublicPages: /annual-reports lists every published
// report with its versions and the correction history; each version's
// page, PDF and XLSX stay served as published; nothing unpublished is
// reachable.
func TestAnnualReportPublicPages(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newReportDesk(t, s, clock)

		// Before anything is published.
		wantIn(t, "empty list", d.page(t, d.public, "/annual-reports"), "尚未发布政府信息公开工作年度报告")
		for _, p := range []string{"/annual-reports/2025", "/annual-reports/2025/v1", "/annual-reports/2025/v1.pdf"} {
			wantStaff(t, "unpublished "+p, d.public.get(t, p), 404, "")
		}

		publishTwoVersions(t, d, s)

		// The list: the current version first, then the history with
		// both versions and the reason.
		list := d.page(t, d.public, "/annual-reports")
		wantIn(t, "public list", list, "铁岭市民政局2025年政府信息公开工作年度报告", "现行版本：第2版", "2025年度报告更正记录",
			"补录一件2025年6月收到的申请。", "—（首次发布）", "已被第2版更正",
			`href="/annual-reports/2025/v2"`, `href="/annual-reports/2025/v1"`,
			`href="/annual-reports/2025/v1.pdf"`, `href="/annual-reports/2025/v1.xlsx"`,
			`href="/annual-reports/2025/v2.pdf"`, `href="/annual-reports/2025/v2.xlsx"`)
		wantNotIn(t, "public list", list, "测试fabu") // who published stays on the staff side
		history := list[strings.Index(list, "2025年度报告更正记录"):]
		if i, j := strings.Index(history, "第2版"), strings.Index(history, "第1版"); i < 0 || j < 0 || i > j {
			t.Error("the history does not list version 2 before version 1")
		}

		// Both versions download, as attachments named by their version.
		files := map[string][]byte{}
		for _, c := range []struct{ path, ctype, name string }{
			{"/annual-reports/2025/v1.pdf", "application/pdf", "铁岭市民政局2025年政府信息公开工作年度报告.pdf"},
			{"/annual-reports/2025/v1.xlsx", models.TypeXLSX, "铁岭市民政局2025年政府信息公开工作年度报告.xlsx"},
			{"/annual-reports/2025/v2.pdf", "application/pdf", "铁岭市民政局2025年政府信息公开工作年度报告（更正第2版）.pdf"},
			{"/annual-reports/2025/v2.xlsx", models.TypeXLSX, "铁岭市民政局2025年政府信息公开工作年度报告（更正第2版）.xlsx"},
		} {
			resp, body := publicGet(t, d, c.path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.ctype {
				t.Errorf("GET %s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
				continue
			}
			_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil || params["filename"] != c.name {
				t.Errorf("GET %s: Content-Disposition %q, want filename %q", c.path, resp.Header.Get("Content-Disposition"), c.name)
			}
			files[c.path] = body
		}
		if got := xlsxTable3Row(t, files["/annual-reports/2025/v1.xlsx"], labelNew); strings.Join(got, " ") != "2 1 0 0 0 0 3" {
			t.Errorf("v1 xlsx 一 = %v", got)
		}
		if got := xlsxTable3Row(t, files["/annual-reports/2025/v2.xlsx"], labelNew); strings.Join(got, " ") != "3 1 0 0 0 0 4" {
			t.Errorf("v2 xlsx 一 = %v", got)
		}
		wantIn(t, "v1 pdf", pdfText(t, files["/annual-reports/2025/v1.pdf"]), "第一版的问题和改进。")
		wantIn(t, "v2 pdf", pdfText(t, files["/annual-reports/2025/v2.pdf"]), "第二版的问题和改进。")

		// The year's address leads to the version in force.
		if r := d.public.get(t, "/annual-reports/2025"); r.status != 302 || r.location != "/annual-reports/2025/v2" {
			t.Errorf("/annual-reports/2025: %d %s, want 302 to v2", r.status, r.location)
		}
		// Each version's page is its snapshot; the old one says it was
		// corrected and links to the current one.
		old := d.page(t, d.public, "/annual-reports/2025/v1")
		wantIn(t, "public v1 page", old, "本版本已被更正", `href="/annual-reports/2025/v2"`, "第一版的问题和改进。")
		wantNotIn(t, "public v1 page", old, "第二版的问题和改进。")
		wantTable3(t, "public v1 page", old, "v1", report2025Cells)
		cur := d.page(t, d.public, "/annual-reports/2025/v2")
		wantIn(t, "public v2 page", cur, "（更正第2版）", "补录一件2025年6月收到的申请。", "第二版的问题和改进。", "（现行版本）")
		wantNotIn(t, "public v2 page", cur, "本版本已被更正")
		if got := cellValue(cur, t3{models.Table3New, colPerson}.id("v2")); got != "3" {
			t.Errorf("public v2 page 一 自然人 = %q, want 3", got)
		}

		for _, p := range []string{"/annual-reports/2025/v3", "/annual-reports/2025/v3.pdf", "/annual-reports/2024/v1",
			"/annual-reports/abcd", "/annual-reports/2025/v1.doc", "/annual-reports/2025/v0", "/annual-reports/1999/v1"} {
			wantStaff(t, "public "+p, d.public.get(t, p), 404, "")
		}
	})
}
