package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/xuri/excelize/v2"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// catalogDesk is a portal with a publisher (信息发布员) signed in.
type catalogDesk struct {
	app   *staffApp
	s     *store.Store
	pub   *staffBrowser
	user  *models.User
	agent int64 // the agency
}

func newCatalogDesk(t *testing.T, s *store.Store, clock *storetest.Clock) *catalogDesk {
	t.Helper()
	app := newStaffApp(t, s, clock)
	u := mkStaffUser(t, s, "fabu", []models.Role{models.RolePublisher}, nil, false)
	return &catalogDesk{app: app, s: s, pub: app.signIn(t, u), user: u, agent: u.AgencyID}
}

// entryValues is a complete entry form; kv overrides or adds fields.
func entryValues(title string, kv ...string) url.Values {
	v := url.Values{"title": {title}, "summary": {title + "的内容概述。"}, "generated_on": {"2026-02-01"},
		"publisher": {""}, "category": {models.CategoryNormative}, "url": {"https://mzj.tieling.gov.cn/xxgk/1.html"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// create posts a new entry and returns its id.
func (d *catalogDesk) create(t *testing.T, v url.Values) int64 {
	t.Helper()
	r := d.pub.post(t, "/staff/catalog/entry", v)
	if r.status != 303 || !strings.HasPrefix(r.location, "/staff/catalog/entry?id=") {
		t.Fatalf("create %q: %d %s\n%s", v.Get("title"), r.status, r.location, staffExcerpt(r.body))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.location, "/staff/catalog/entry?id="), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// entry returns the stored entry and its review.
func (d *catalogDesk) entry(t *testing.T, id int64) (*models.CatalogEntry, *models.CatalogReview) {
	t.Helper()
	review, e, err := d.s.ReviewCatalogEntry(context.Background(), d.agent, id)
	if err != nil {
		t.Fatal(err)
	}
	return e, review
}

// page gets the entry page, which must render.
func (d *catalogDesk) page(t *testing.T, id int64) string {
	t.Helper()
	r := d.pub.get(t, entryURL(id))
	if r.status != 200 {
		t.Fatalf("entry page %d: %d\n%s", id, r.status, staffExcerpt(r.body))
	}
	return r.body
}

// act posts one of the entry's forms.
func (d *catalogDesk) act(t *testing.T, path string, id int64, kv ...string) staffResp {
	t.Helper()
	v := url.Values{"id": {strconv.FormatInt(id, 10)}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return d.pub.post(t, path, v)
}

// upload posts a file (and fields) as multipart.
func (d *catalogDesk) upload(t *testing.T, path string, fields url.Values, filename string, content []byte) staffResp {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields.Set(csrfField, d.pub.csrf(t))
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("file", filename)
		fw.Write(content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", d.app.srv.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: d.pub.token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return staffResp{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), cookies: resp.Cookies()}
}

// flashOf reads the flash message a response sets.
func flashOf(r staffResp) string {
	for _, c := range r.cookies {
		if c.Name != flashCookie || c.Value == "" {
			continue
		}
		payload, _, _ := strings.Cut(c.Value, ".")
		b, _ := base64.RawURLEncoding.DecodeString(payload)
		_, msg, _ := strings.Cut(string(b), "\x00")
		return msg
	}
	return ""
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q\n%s", what, w, staffExcerpt(body))
		}
	}
}

func wantNotIn(t *testing.T, what, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("%s has %q", what, n)
		}
	}
}

// section returns the part of an entry page from the element with id to
// the end of its section.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	end := strings.Index(body[i:], "</section>")
	if end < 0 {
		return body[i:]
	}
	return body[i : i+end]
}

const plantedIDNumber = "110101199003074477"

// TestCatalogStaffEntryReviewAndPublish: the publisher creates a policy
// document with a planted ID number and a commercial link, is refused
// publishing with the reason, corrects one finding and justifies the
// other, publishes, and adds an interpretation linked to it; the public
// finds both and the link between them.
func TestCatalogStaffEntryReviewAndPublish(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)

		r := d.pub.get(t, "/staff/catalog")
		if r.status != 200 {
			t.Fatalf("list: %d", r.status)
		}
		wantIn(t, "list", r.body, `<a href="/staff/catalog" aria-current="page">公开目录管理</a>`, "没有符合条件的条目", "草稿（0）")
		r = d.pub.get(t, "/staff/catalog/entry")
		wantIn(t, "new form", r.body, `<h1>新建目录条目</h1>`, `value="铁岭市民政局"`,
			`<optgroup label="第二十条第（一）项 行政法规、规章和规范性文件">`, `<option value="a20-01-normative">行政规范性文件</option>`,
			`<option value="">不是解读</option>`)

		// A form with mistakes comes back with everything typed.
		bad := entryValues("铁岭市特困人员认定办法", "generated_on", "2026-13-40", "category", "", "summary", "",
			"doc_number", "铁民发〔2026〕5号", "url", "ftp://x")
		r = d.pub.post(t, "/staff/catalog/entry", bad)
		if r.status != 422 {
			t.Fatalf("bad form: %d", r.status)
		}
		wantIn(t, "bad form", r.body, `id="error-summary"`, "生成日期不是有效的日期", "请填写内容概述。", "请选择类别。",
			"链接应为以 http:// 或 https:// 开头的完整网址。", `value="铁岭市特困人员认定办法"`, `value="铁民发〔2026〕5号"`,
			`value="2026-13-40"`, `href="#f-summary"`, `aria-invalid="true"`)
		if n, _ := s.SearchCatalog(context.Background(), models.CatalogQuery{AgencyID: d.agent, Statuses: models.CatalogStatuses}); n.Total != 0 {
			t.Fatalf("a refused form stored %d entries", n.Total)
		}

		policy := d.create(t, entryValues("铁岭市特困人员认定办法", "summary", "规定特困人员的认定条件。\n经办人身份证号"+plantedIDNumber+"。",
			"doc_number", "铁民发〔2026〕5号", "url", "https://shop.example.com/item/1", "effective_on", "2026-03-01"))
		body := d.page(t, policy)
		review := section(body, "review")
		wantIn(t, "review", review, "身份证号码", "内容概述第2行", "1101**********4477", "非政府网站链接",
			"https://shop.example.com/item/1", "其中<strong>2项尚未处理</strong>", `name="fingerprint"`,
			"政府网站不得链接商业网站", "本文件尚未关联解读")
		wantNotIn(t, "review", review, plantedIDNumber)
		wantIn(t, "publish section", section(body, "f-publish"), "暂不能发布：", "发布前审查还有2项提示未处理")
		wantNotIn(t, "publish section", section(body, "f-publish"), `action="/staff/catalog/publish"`)

		// Publishing anyway is refused, with the reason.
		r = d.act(t, "/staff/catalog/publish", policy)
		if r.status != 409 {
			t.Fatalf("publish with open findings: %d", r.status)
		}
		wantIn(t, "refused publish", r.body, `href="#f-publish"`, "发布前审查还有2项提示未处理")
		if e, _ := d.entry(t, policy); e.Status != models.CatalogDraft || e.IndexNo != "" {
			t.Fatalf("refused publish changed the entry: %s %q", e.Status, e.IndexNo)
		}

		// A reason too short is refused next to its finding, kept as typed.
		_, rv := d.entry(t, policy)
		var linkFP string
		for _, f := range rv.Findings {
			if f.Kind == models.CatalogFindingLink {
				linkFP = f.Fingerprint
			}
		}
		r = d.act(t, "/staff/catalog/clear", policy, "fingerprint", linkFP, "note", "可以")
		if r.status != 422 {
			t.Fatalf("short reason: %d", r.status)
		}
		wantIn(t, "short reason", r.body, "请说明保留的理由（至少4个字）", ">可以</textarea>", `href="#f-note-2"`, `id="e-note-2"`)
		r = d.act(t, "/staff/catalog/clear", policy, "fingerprint", linkFP, "note", "该平台为省政府指定的公示平台")
		wantStaff(t, "clear", r, 303, entryURL(policy))
		if rv = func() *models.CatalogReview { _, r := d.entry(t, policy); return r }(); rv.Open() != 1 {
			t.Fatalf("after clearing: %d open", rv.Open())
		}
		// A finding that went away meanwhile: a warning, no error page.
		r = d.act(t, "/staff/catalog/clear", policy, "fingerprint", "0123456789abcdef", "note", "该平台为省政府指定的公示平台")
		if r.status != 303 || !strings.Contains(flashOf(r), "该审查提示已不存在") {
			t.Errorf("stale fingerprint: %d %q", r.status, flashOf(r))
		}

		// Correcting the text clears the ID number; the justified link stays
		// justified.
		e, _ := d.entry(t, policy)
		fix := entryValues("铁岭市特困人员认定办法", "id", strconv.FormatInt(policy, 10), "version", strconv.Itoa(e.Version),
			"summary", "规定特困人员的认定条件。", "doc_number", "铁民发〔2026〕5号", "url", "https://shop.example.com/item/1",
			"effective_on", "2026-03-01")
		r = d.pub.post(t, "/staff/catalog/entry", fix)
		wantStaff(t, "correct", r, 303, entryURL(policy))
		if msg := flashOf(r); msg != "已保存。" {
			t.Errorf("flash = %q", msg)
		}
		// The same version again is a conflict, shown with the typed values.
		r = d.pub.post(t, "/staff/catalog/entry", fix)
		if r.status != 409 || !strings.Contains(r.body, "已被其他人修改") || !strings.Contains(r.body, "规定特困人员的认定条件。</textarea>") {
			t.Errorf("stale version: %d\n%s", r.status, staffExcerpt(r.body))
		}
		body = d.page(t, policy)
		wantIn(t, "review after the correction", section(body, "review"), "均已说明理由", "该平台为省政府指定的公示平台", "测试fabu")
		wantIn(t, "publish section", section(body, "f-publish"), `action="/staff/catalog/publish"`, "发布到公开目录", "删除草稿")

		r = d.act(t, "/staff/catalog/publish", policy)
		wantStaff(t, "publish", r, 303, entryURL(policy))
		if msg := flashOf(r); !strings.Contains(msg, "索引号为TLMZ/2026-00001") {
			t.Errorf("publish flash = %q", msg)
		}
		if e := lastStaffAudit(t, s, models.AuditCatalogPublished); e == nil || e.ActorID != d.user.ID || e.ObjectID != "TLMZ/2026-00001" {
			t.Errorf("publication audit = %+v", e)
		}
		body = d.page(t, policy)
		wantIn(t, "published entry", body, "TLMZ/2026-00001", fmt.Sprintf(`href="/catalog/entries/%d"`, policy), "撤下理由",
			`action="/staff/catalog/retire"`, "（已确定，不能修改）")

		// The interpretation picks the policy from the published documents.
		r = d.pub.get(t, "/staff/catalog/entry")
		wantIn(t, "policy choices", r.body, `<optgroup label="规章和行政规范性文件">`,
			fmt.Sprintf(`<option value="%d">铁岭市特困人员认定办法（铁民发〔2026〕5号）</option>`, policy))
		interp := d.create(t, entryValues("《铁岭市特困人员认定办法》政策解读", "summary", "一图读懂特困人员认定。",
			"interprets", strconv.FormatInt(policy, 10), "url", "https://mzj.tieling.gov.cn/zcjd/5.html"))
		body = d.page(t, interp)
		wantIn(t, "interpretation", body, "所解读的政策文件", fmt.Sprintf(`<a href="/staff/catalog/entry?id=%d">铁岭市特困人员认定办法</a>`, policy),
			fmt.Sprintf(`<option value="%d" selected>`, policy))
		wantNotIn(t, "interpretation's review", section(body, "review"), "本文件尚未关联解读")
		wantStaff(t, "publish the interpretation", d.act(t, "/staff/catalog/publish", interp), 303, entryURL(interp))
		wantIn(t, "policy page", d.page(t, policy), "本文件的解读", "《铁岭市特困人员认定办法》政策解读")

		// An interpretation cannot point at an interpretation.
		r = d.pub.post(t, "/staff/catalog/entry", entryValues("解读的解读", "interprets", strconv.FormatInt(interp, 10)))
		if r.status != 422 || !strings.Contains(r.body, "所选条目本身是解读，请选择政策文件。") {
			t.Errorf("chained interpretation: %d", r.status)
		}

		// The public finds both by search and follows the link.
		pub := &staffBrowser{app: d.app}
		r = pub.get(t, "/catalog?q="+url.QueryEscape("特困人员认定"))
		wantIn(t, "public search", r.body, "共2条", fmt.Sprintf(`<a href="/catalog/entries/%d">铁岭市特困人员认定办法</a>`, policy),
			fmt.Sprintf(`<a href="/catalog/entries/%d">《铁岭市特困人员认定办法》政策解读</a>`, interp))
		r = pub.get(t, fmt.Sprintf("/catalog/entries/%d", policy))
		wantIn(t, "public policy", r.body, fmt.Sprintf(`<a href="/catalog/entries/%d">《铁岭市特困人员认定办法》政策解读</a>`, interp))

		// The list filters by status and finds by text.
		r = d.pub.get(t, "/staff/catalog?status=published&q="+url.QueryEscape("政策解读"))
		wantIn(t, "filtered list", r.body, "符合条件的条目共1条", "《铁岭市特困人员认定办法》政策解读", `<span class="catalog-tag">解读</span>`)
		r = d.pub.get(t, "/staff/catalog?status=gone&year=20x6")
		if r.status != 422 || !strings.Contains(r.body, "请选择草稿、已发布或已撤下。") || !strings.Contains(r.body, "年份应为四位数字") {
			t.Errorf("bad filter: %d", r.status)
		}
		for _, u := range []string{entryURL(99999), "/staff/catalog/entry?id=abc", "/staff/catalog?page=9"} {
			if r := d.pub.get(t, u); r.status != 404 {
				t.Errorf("%s: %d, want 404", u, r.status)
			}
		}
	})
}

// imagePDF is a one-page scan: a picture and no text.
func imagePDF(t *testing.T) []byte {
	t.Helper()
	return scanPDF(t, "")
}

// scanPDF is a one-page scan with, when text is not empty, a line of text
// printed under the picture: its text layer covers only part of the page.
func scanPDF(t *testing.T, text string) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for i := range img.Pix {
		img.Pix[i] = uint8(180 + i%60)
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("scan", opt, &pngBuf)
	pdf.ImageOptions("scan", 0, 0, 210, 0, false, opt, 0, "")
	if text != "" {
		pdf.SetFont("Helvetica", "", 12)
		pdf.Text(20, 290, text)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// textPDF is a PDF with a text layer: the catalog's own PDF listing an
// entry whose 内容概述 is summary.
func textPDF(t *testing.T, summary string) []byte {
	t.Helper()
	e := &models.CatalogEntry{IndexNo: "TLMZ/2026-00009", Title: "特困人员名单", Summary: summary,
		GeneratedOn: models.MustParseDate("2026-02-01"), CategoryLabel: "社会救助"}
	var buf bytes.Buffer
	_, err := reports.WriteCatalogPDF(&buf, reports.CatalogDoc{Agency: models.Agency{Name: "铁岭市民政局"},
		CreatedAt: time.Date(2026, 2, 10, 9, 0, 0, 0, storetest.Shanghai)},
		func(yield func(*models.CatalogEntry) error) error { return yield(e) })
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCatalogStaffFiles: a PDF's text layer is scanned on upload and its
// finding placed by page; a scan needs attestation, given with the box or
// in the review; a wrong file is refused next to the field; files can be
// read and removed.
func TestCatalogStaffFiles(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)
		id := d.create(t, entryValues("2026年第一批特困人员认定结果", "category", "a20-11"))
		fields := func(kv ...string) url.Values {
			v := url.Values{"id": {strconv.FormatInt(id, 10)}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}

		text := textPDF(t, "张三，公民身份号码"+plantedIDNumber+"。")
		r := d.upload(t, "/staff/catalog/files", fields(), "名单.pdf", text)
		wantStaff(t, "text PDF", r, 303, entryURL(id))
		if msg := flashOf(r); !strings.Contains(msg, "系统已提取其中的文字并完成检查") || !strings.Contains(msg, "1项提示未处理") {
			t.Errorf("flash = %q", msg)
		}
		body := d.page(t, id)
		wantIn(t, "review of the PDF", section(body, "review"), "附件“名单.pdf”第1页第", "1101**********4477")
		wantNotIn(t, "review of the PDF", body, plantedIDNumber)
		wantIn(t, "file list", section(body, "files"), "名单.pdf", "已提取文字，自动检查", "PDF，")

		r = d.upload(t, "/staff/catalog/files", fields(), "扫描件.pdf", imagePDF(t))
		wantStaff(t, "scan", r, 303, entryURL(id))
		if msg := flashOf(r); !strings.Contains(msg, "请逐页人工审查") {
			t.Errorf("scan flash = %q", msg)
		}
		r = d.upload(t, "/staff/catalog/files", fields("attest", "1"), "扫描件二.pdf", append(imagePDF(t), '\n'))
		wantStaff(t, "attested scan", r, 303, entryURL(id))
		if msg := flashOf(r); !strings.Contains(msg, "已记录您逐页人工审查的确认") {
			t.Errorf("attested scan flash = %q", msg)
		}
		_, rv := d.entry(t, id)
		states := map[string]bool{}
		for _, f := range rv.Findings {
			if f.Kind == models.CatalogFindingUnreadable {
				states[f.FileName] = f.Open()
				if !f.Open() && f.Clearance.Note != catalogAttestation {
					t.Errorf("attestation = %q", f.Clearance.Note)
				}
			}
		}
		if len(states) != 2 || !states["扫描件.pdf"] || states["扫描件二.pdf"] {
			t.Errorf("unreadable findings open = %v", states)
		}
		wantIn(t, "scan in the review", section(d.page(t, id), "review"), "无法自动检查的文件", "扫描件.pdf（PDF）", "请逐页人工审查后确认")

		// A page that is a picture with a line of text: the text is checked,
		// the picture needs attestation.
		r = d.upload(t, "/staff/catalog/files", fields(), "公示.pdf", scanPDF(t, "Tel 13812345678"))
		wantStaff(t, "partial text layer", r, 303, entryURL(id))
		review := section(d.page(t, id), "review")
		wantIn(t, "partial text layer", review, "公示.pdf（PDF，部分页面无法提取文字）", "系统只能提取该文件部分页面的文字",
			"手机号码", "附件“公示.pdf”第1页第1行", "138****5678")
		if e, _ := d.entry(t, id); e.Files[len(e.Files)-1].TextLayer != models.TextLayerPartial {
			t.Errorf("text layer = %s", e.Files[len(e.Files)-1].TextLayer)
		}

		// Refusals come back next to the field, the box as it was.
		r = d.upload(t, "/staff/catalog/files", fields("attest", "1"), "setup.exe", []byte("MZ\x90\x00"))
		if r.status != 422 {
			t.Fatalf("exe: %d", r.status)
		}
		wantIn(t, "exe", r.body, `id="e-file"`, "不能作为目录附件", `href="#f-file"`, `id="f-attest" name="attest" value="1" checked`)
		r = d.upload(t, "/staff/catalog/files", fields(), "", nil)
		if r.status != 422 || !strings.Contains(r.body, "请选择要上传的文件。") {
			t.Errorf("no file: %d", r.status)
		}
		big := bytes.Repeat([]byte("a"), models.MaxCatalogFileBytes+10)
		if r := d.upload(t, "/staff/catalog/files", fields(), "大.txt", big); r.status != 422 || !strings.Contains(r.body, "超过了10MB的限制") {
			t.Errorf("big file: %d", r.status)
		}

		// Download and remove.
		e, _ := d.entry(t, id)
		if len(e.Files) != 4 {
			t.Fatalf("%d files, want 4", len(e.Files))
		}
		first := e.Files[0]
		resp := d.pub.get(t, fmt.Sprintf("/staff/catalog/entry?id=%d&file=%d", id, first.ID))
		if resp.status != 200 || resp.body != string(text) {
			t.Errorf("download: %d, %d bytes", resp.status, len(resp.body))
		}
		other := d.create(t, entryValues("另一条目"))
		if r := d.pub.get(t, fmt.Sprintf("/staff/catalog/entry?id=%d&file=%d", other, first.ID)); r.status != 404 {
			t.Errorf("file through another entry: %d", r.status)
		}
		r = d.act(t, "/staff/catalog/files/remove", id, "file", strconv.FormatInt(first.ID, 10))
		wantStaff(t, "remove", r, 303, entryURL(id))
		if e, rv := d.entry(t, id); len(e.Files) != 3 || strings.Contains(fmt.Sprint(rv.Findings), "名单.pdf") {
			t.Errorf("after removing: %d files, findings %+v", len(e.Files), rv.Findings)
		}
		if r := d.act(t, "/staff/catalog/files/remove", id, "file", "x"); r.status != 404 {
			t.Errorf("remove without a file: %d", r.status)
		}
	})
}

// TestCatalogStaffRetireAndDelete: retiring needs a reason and takes the
// entry out of the public catalog; a draft never published can be deleted,
// a retired entry cannot, and it can be published again.
func TestCatalogStaffRetireAndDelete(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)
		id := d.create(t, entryValues("2025年养老机构名录", "category", "a20-11"))
		wantStaff(t, "publish", d.act(t, "/staff/catalog/publish", id), 303, entryURL(id))
		pub := &staffBrowser{app: d.app}
		if r := pub.get(t, fmt.Sprintf("/catalog/entries/%d", id)); r.status != 200 {
			t.Fatalf("public entry: %d", r.status)
		}

		r := d.act(t, "/staff/catalog/retire", id, "reason", "重")
		if r.status != 422 {
			t.Fatalf("short reason: %d", r.status)
		}
		wantIn(t, "short reason", r.body, "请填写撤下的理由（2至200个字）", ">重</textarea>", `href="#f-reason"`)
		r = d.act(t, "/staff/catalog/retire", id, "reason", "与第3号条目重复")
		wantStaff(t, "retire", r, 303, entryURL(id))
		if r := pub.get(t, fmt.Sprintf("/catalog/entries/%d", id)); r.status != 404 {
			t.Errorf("retired entry is public: %d", r.status)
		}
		body := d.page(t, id)
		wantIn(t, "retired entry", body, "已撤下", "与第3号条目重复", "重新发布")
		wantNotIn(t, "retired entry", body, "删除草稿")
		if r := d.act(t, "/staff/catalog/retire", id, "reason", "再撤一次"); r.status != 409 || !strings.Contains(r.body, "只有已发布的条目可以撤下") {
			t.Errorf("retire twice: %d", r.status)
		}
		if r := d.act(t, "/staff/catalog/delete", id); r.status != 409 || !strings.Contains(r.body, "已发布过的条目不能删除") {
			t.Errorf("delete a retired entry: %d", r.status)
		}
		r = d.pub.get(t, "/staff/catalog?status=retired")
		wantIn(t, "retired list", r.body, "2025年养老机构名录", "已撤下（1）")
		wantStaff(t, "publish again", d.act(t, "/staff/catalog/publish", id), 303, entryURL(id))
		if e, _ := d.entry(t, id); e.Status != models.CatalogPublished || e.IndexNo != "TLMZ/2026-00001" {
			t.Errorf("republished: %s %s", e.Status, e.IndexNo)
		}
		if r := d.act(t, "/staff/catalog/publish", id); r.status != 409 || !strings.Contains(r.body, "该条目已经发布") {
			t.Errorf("publish twice: %d", r.status)
		}

		draft := d.create(t, entryValues("录错的草稿"))
		r = d.act(t, "/staff/catalog/delete", draft)
		wantStaff(t, "delete draft", r, 303, "/staff/catalog")
		if _, err := s.CatalogEntry(context.Background(), d.agent, draft); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("deleted draft: %v", err)
		}
		if r := d.act(t, "/staff/catalog/delete", draft); r.status != 404 {
			t.Errorf("delete again: %d", r.status)
		}
	})
}

// TestCatalogStaffImportExport: the export of the list's filter reopens
// with excelize and imports back unchanged; a file with wrong rows is
// refused with every problem by row and column and nothing imported; a
// good file creates drafts.
func TestCatalogStaffImportExport(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)
		policy := d.create(t, entryValues("铁岭市临时救助办法", "doc_number", "铁民发〔2025〕9号", "generated_on", "2025-06-01"))
		wantStaff(t, "publish", d.act(t, "/staff/catalog/publish", policy), 303, "")
		interp := d.create(t, entryValues("临时救助办法解读", "interprets", strconv.FormatInt(policy, 10)))
		wantStaff(t, "publish", d.act(t, "/staff/catalog/publish", interp), 303, "")
		d.create(t, entryValues("未发布的草稿", "category", "a20-04"))

		export := func(query string) [][]string {
			t.Helper()
			r := d.pub.get(t, "/staff/catalog/export"+query)
			if r.status != 200 {
				t.Fatalf("export %s: %d\n%s", query, r.status, staffExcerpt(r.body))
			}
			f, err := excelize.OpenReader(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(reports.CatalogSheet)
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		all := export("")
		if len(all) != 4 || all[0][0] != "索引号" {
			t.Fatalf("export of everything: %d rows", len(all))
		}
		drafts := export("?status=draft")
		if len(drafts) != 2 || drafts[1][1] != "未发布的草稿" {
			t.Errorf("export of drafts: %v", drafts)
		}
		if got := export("?q=" + url.QueryEscape("解读")); len(got) != 2 || got[1][12] != "TLMZ/2025-00001" {
			t.Errorf("export of a search: %v", got)
		}
		if r := d.pub.get(t, "/staff/catalog/export?year=abc"); r.status != 422 {
			t.Errorf("export with a bad filter: %d", r.status)
		}
		wantIn(t, "list", d.pub.get(t, "/staff/catalog?status=draft").body, `href="/staff/catalog/export?status=draft"`)

		// The published entries' export imports back unchanged (a draft has
		// no 索引号 yet, so it would come back as a new draft: the import
		// page says so).
		r := d.pub.get(t, "/staff/catalog/export?status=published")
		r = d.upload(t, "/staff/catalog/import", url.Values{}, "目录.xlsx", []byte(r.body))
		wantStaff(t, "import the export", r, 303, "/staff/catalog")
		if msg := flashOf(r); !strings.Contains(msg, "新建草稿0条，更新0条，未变2条") {
			t.Errorf("import flash = %q", msg)
		}

		// A workbook with wrong rows: every problem, nothing imported.
		sheet := func(rows ...[]string) []byte {
			f := excelize.NewFile()
			defer f.Close()
			f.SetSheetName("Sheet1", reports.CatalogSheet)
			head := []any{}
			for _, c := range models.CatalogColumns {
				head = append(head, c.Title)
			}
			f.SetSheetRow(reports.CatalogSheet, "A1", &head)
			for i, row := range rows {
				vals := make([]any, len(row))
				for j, v := range row {
					vals[j] = v
				}
				f.SetSheetRow(reports.CatalogSheet, fmt.Sprintf("A%d", i+2), &vals)
			}
			var buf bytes.Buffer
			f.Write(&buf)
			return buf.Bytes()
		}
		row := func(title, made, cat string) []string {
			return []string{"", title, title + "的概述", made, "", cat, "", "", "", "", "", "https://mzj.tieling.gov.cn/a.html", "", "", ""}
		}
		r = d.upload(t, "/staff/catalog/import", url.Values{}, "新目录.xlsx",
			sheet(row("新的统计数据", "2026-01-05", "国民经济和社会发展统计信息"), row("日期错误", "2026-02-30", "规章"), row("类别错误", "2026-01-05", "不存在的类别")))
		if r.status != 422 {
			t.Fatalf("wrong rows: %d", r.status)
		}
		wantIn(t, "refused import", r.body, "文件中有2处问题，没有导入任何内容", `href="#f-problems"`, "“新目录.xlsx”中的问题",
			"<td>第3行</td><td>生成日期</td>", "<td>第4行</td><td>类别</td>", "不存在的类别")
		if n, _ := s.SearchCatalog(context.Background(), models.CatalogQuery{AgencyID: d.agent, Statuses: models.CatalogStatuses}); n.Total != 3 {
			t.Errorf("a refused import stored entries: %d", n.Total)
		}
		r = d.upload(t, "/staff/catalog/import", url.Values{}, "新目录.xlsx", sheet(row("新的统计数据", "2026-01-05", "国民经济和社会发展统计信息")))
		wantStaff(t, "good import", r, 303, "/staff/catalog?status=draft")
		if msg := flashOf(r); !strings.Contains(msg, "新建草稿1条") {
			t.Errorf("import flash = %q", msg)
		}
		if e := lastStaffAudit(t, s, models.AuditCatalogImported); e == nil || e.ActorID != d.user.ID {
			t.Errorf("import audit = %+v", e)
		}

		for _, tc := range []struct {
			name, file string
			content    []byte
			want       string
		}{
			{"not a workbook", "目录.xlsx", []byte("not a zip"), "无法读取该文件"},
			{"no file", "", nil, "请选择要导入的Excel文件"},
		} {
			r := d.upload(t, "/staff/catalog/import", url.Values{}, tc.file, tc.content)
			if r.status != 422 || !strings.Contains(r.body, tc.want) {
				t.Errorf("%s: %d\n%s", tc.name, r.status, staffExcerpt(r.body))
			}
		}
	})
}

// TestCatalogStaffSettings: the 索引号 rule is previewed with an example
// without saving, refused with a message next to the field, and saved.
func TestCatalogStaffSettings(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)
		r := d.pub.get(t, "/staff/catalog/settings")
		wantIn(t, "settings", r.body, `value="{org}/{year}-{seq}"`, "今年第一条信息的索引号为 <strong class=\"code\">TLMZ/2026-00001</strong>", "conac.cn")

		form := url.Values{"index_pattern": {"{org}-{year}-{seq}"}, "org_code": {"11211200MB1234567X"}, "link_allowlist": {"conac.cn\nhttps://www.12345.cn/"}, "preview": {"1"}}
		r = d.pub.post(t, "/staff/catalog/settings", form)
		if r.status != 200 {
			t.Fatalf("preview: %d", r.status)
		}
		wantIn(t, "preview", r.body, "按填写的规则（尚未保存）", "11211200MB1234567X-2026-00001", `value="{org}-{year}-{seq}"`)
		if cs, _ := s.CatalogSettings(context.Background(), d.agent); cs.Index.Pattern != models.DefaultIndexPattern {
			t.Errorf("the preview saved the rule: %q", cs.Index.Pattern)
		}

		bad := url.Values{"index_pattern": {"{org}/{seq}"}, "org_code": {""}, "link_allowlist": {"bad..domain"}}
		r = d.pub.post(t, "/staff/catalog/settings", bad)
		if r.status != 422 {
			t.Fatalf("bad settings: %d", r.status)
		}
		wantIn(t, "bad settings", r.body, "须各含一次 {year}", "不是有效的域名", `href="#f-index_pattern"`, `value="{org}/{seq}"`, ">bad..domain</textarea>")
		wantNotIn(t, "bad settings", r.body, "今年第一条信息的索引号为")

		delete(form, "preview")
		r = d.pub.post(t, "/staff/catalog/settings", form)
		wantStaff(t, "save", r, 303, "/staff/catalog/settings")
		cs, _ := s.CatalogSettings(context.Background(), d.agent)
		if cs.Index.Pattern != "{org}-{year}-{seq}" || cs.Index.OrgCode != "11211200MB1234567X" || strings.Join(cs.LinkAllowlist, ",") != "conac.cn,www.12345.cn" {
			t.Errorf("saved settings = %+v", cs)
		}
		if e := lastStaffAudit(t, s, models.AuditCatalogSettingsSaved); e == nil || e.ActorID != d.user.ID {
			t.Errorf("settings audit = %+v", e)
		}
		id := d.create(t, entryValues("按新规则编号"))
		d.act(t, "/staff/catalog/publish", id)
		if e, _ := d.entry(t, id); e.IndexNo != "11211200MB1234567X-2026-00001" {
			t.Errorf("index number = %q", e.IndexNo)
		}
	})
}

// TestCatalogStaffCategories: the agency adds and changes its own
// categories; built-in ones cannot be changed; entries use the new one.
func TestCatalogStaffCategories(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		d := newCatalogDesk(t, s, clock)
		r := d.pub.get(t, "/staff/catalog/categories")
		wantIn(t, "categories", r.body, "尚未增加类别", "增加类别", "规章（年度报告统计为规章）")

		r = d.pub.post(t, "/staff/catalog/categories", url.Values{"label": {""}, "item": {"x"}, "doc_kind": {""}, "sort_order": {"-1"}})
		if r.status != 422 {
			t.Fatalf("bad category: %d", r.status)
		}
		wantIn(t, "bad category", r.body, "请填写类别名称。", "请选择条例第二十条的一项", "排序号应为0至9999之间的整数。", `value="-1"`)
		r = d.pub.post(t, "/staff/catalog/categories", url.Values{"label": {"社会救助"}, "item": {"0"}, "doc_kind": {""}, "sort_order": {"5"}})
		wantStaff(t, "new category", r, 303, "/staff/catalog/categories")
		cats, _ := s.CatalogCategories(context.Background(), d.agent)
		c, ok := cats.Find("社会救助")
		if !ok || !c.Custom || c.SortOrder != 5 {
			t.Fatalf("stored category = %+v %v", c, ok)
		}
		r = d.pub.post(t, "/staff/catalog/categories", url.Values{"label": {"社会救助"}, "item": {"0"}})
		if r.status != 422 || !strings.Contains(r.body, "已有同名类别。") {
			t.Errorf("duplicate: %d", r.status)
		}
		r = d.pub.get(t, "/staff/catalog/categories?code="+c.Code)
		wantIn(t, "edit category", r.body, "修改类别“社会救助”", `value="社会救助"`, `name="code" value="`+c.Code+`"`)
		r = d.pub.post(t, "/staff/catalog/categories", url.Values{"code": {c.Code}, "label": {"社会救助信息"}, "item": {"11"}, "doc_kind": {""}})
		wantStaff(t, "change category", r, 303, "/staff/catalog/categories")
		if r := d.pub.get(t, "/staff/catalog/categories?code="+models.CategoryRules); r.status != 404 {
			t.Errorf("edit a built-in category: %d", r.status)
		}
		if r := d.pub.post(t, "/staff/catalog/categories", url.Values{"code": {"nope"}, "label": {"x"}, "item": {"0"}}); r.status != 404 {
			t.Errorf("save an unknown category: %d", r.status)
		}
		wantIn(t, "new form", d.pub.get(t, "/staff/catalog/entry").body, fmt.Sprintf(`<option value="%s">社会救助信息</option>`, c.Code))
		d.create(t, entryValues("2026年1月低保名单公示", "category", c.Code))
	})
}

// TestCatalogStaffRefusals: every catalog route refuses roles without the
// catalog actions (audited) and sends visitors without a session to the
// login page; the navigation offers the catalog to the publisher only.
func TestCatalogStaffRefusals(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	d := newCatalogDesk(t, s, clock)
	clerk := d.app.signIn(t, mkStaffUser(t, s, "clerk", []models.Role{models.RoleOfficeClerk}, nil, false))
	admin := d.app.signIn(t, mkStaffUser(t, s, "chief2", []models.Role{models.RoleAdmin}, nil, false))
	anon := &staffBrowser{app: d.app}
	id := d.create(t, entryValues("不公开的草稿"))
	for _, rt := range catalogStaffRoutes {
		path := rt.path
		if rt.method == "GET" && rt.path == "/staff/catalog/entry" {
			path = entryURL(id)
		}
		for name, b := range map[string]*staffBrowser{"clerk": clerk, "admin": admin} {
			form := url.Values{"id": {strconv.FormatInt(id, 10)}, "reason": {"越权撤下"}, "title": {"越权修改"}}
			denied := countAudit(t, s, models.AuditAccessDenied)
			var r staffResp
			if rt.method == "GET" {
				r = b.get(t, path)
			} else {
				r = b.post(t, path, form)
			}
			if r.status != 403 || strings.Contains(r.body, "不公开的草稿") {
				t.Errorf("%s %s as %s: %d", rt.method, path, name, r.status)
			}
			if countAudit(t, s, models.AuditAccessDenied) != denied+1 {
				t.Errorf("%s %s as %s: refusal not audited", rt.method, path, name)
			}
		}
		if r := anon.do(t, rt.method, path, url.Values{}); r.status != 303 || !strings.HasPrefix(r.location, "/staff/login") {
			t.Errorf("%s %s without a session: %d %s", rt.method, path, r.status, r.location)
		}
	}
	if e, _ := d.entry(t, id); e.Title != "不公开的草稿" || e.Status != models.CatalogDraft {
		t.Errorf("refused posts changed the entry: %+v", e)
	}
	if nav := staffNav(d.user); len(nav) == 0 || !strings.Contains(fmt.Sprint(nav), "/staff/catalog") {
		t.Errorf("publisher's navigation = %v", nav)
	}
	for _, u := range []*models.User{{Roles: []models.Role{models.RoleAdmin}}, {Roles: []models.Role{models.RoleOfficeHead}}} {
		if strings.Contains(fmt.Sprint(staffNav(u)), "/staff/catalog") {
			t.Errorf("%v sees the catalog in the navigation", u.Roles)
		}
	}
}
