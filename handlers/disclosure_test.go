package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// catalogFixture is a small published catalog: a policy with an
// interpretation and a text file, a repealed document, a statistics
// entry, and a draft that must stay invisible.
type catalogFixture struct {
	policy, interp, repealed, stats, draft *models.CatalogEntry
	fileID                                 int64
}

func seedCatalog(t *testing.T, app *testApp) catalogFixture {
	t.Helper()
	s := app.store
	agency := storetest.DefaultAgency(t, s)
	ctx := models.NewContextWithActor(context.Background(), models.Actor{UserID: 1, Name: "发布员（fabu）", AgencyID: agency.ID})
	d := models.MustParseDate
	mk := func(e *models.CatalogEntry, publish bool) *models.CatalogEntry {
		t.Helper()
		e.AgencyID = agency.ID
		if e.URL == "" {
			e.URL = fmt.Sprintf("https://mzj.tieling.gov.cn/xxgk/%d.html", len(e.Title))
		}
		if err := s.CreateCatalogEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		if publish {
			p, err := s.PublishCatalogEntry(ctx, agency.ID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			*e = *p
		}
		return e
	}
	var f catalogFixture
	f.policy = mk(&models.CatalogEntry{Title: "铁岭市最低生活保障审核确认办法", Summary: "规定最低生活保障的申请、审核和确认程序。",
		GeneratedOn: d("2025-03-01"), Category: models.CategoryNormative, DocNumber: "铁民发〔2025〕3号",
		EffectiveOn: d("2025-04-01")}, false)
	file, _, err := s.AddCatalogFile(ctx, agency.ID, f.policy.ID, "办法全文.txt", []byte("第一条 为了规范最低生活保障工作，制定本办法。"), "")
	if err != nil {
		t.Fatal(err)
	}
	f.fileID = file.ID
	p, err := s.PublishCatalogEntry(ctx, agency.ID, f.policy.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.policy = p
	f.interp = mk(&models.CatalogEntry{Title: "《铁岭市最低生活保障审核确认办法》政策解读", Summary: "一图读懂低保审核确认。",
		GeneratedOn: d("2025-03-01"), Category: models.CategoryNormative, InterpretsID: f.policy.ID}, true)
	f.repealed = mk(&models.CatalogEntry{Title: "铁岭市临时救助实施细则", Summary: "已废止。", GeneratedOn: d("2024-06-01"),
		Category: models.CategoryNormative, DocNumber: "铁民发〔2024〕9号", RepealedOn: d("2025-12-31")}, true)
	f.stats = mk(&models.CatalogEntry{Title: "2025年12月城乡低保统计数据", Summary: "各县（市、区）低保人数。",
		GeneratedOn: d("2026-01-15"), Category: "a20-04"}, true)
	f.draft = mk(&models.CatalogEntry{Title: "尚未发布的低保草稿", Summary: "草稿。", GeneratedOn: d("2026-01-20"), Category: "a20-04"}, false)
	return f
}

func TestGuidePage(t *testing.T) {
	app := newTestApp(t)
	resp, body := app.do(t, "GET", "/guide", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	for _, want := range []string{
		"<h1>铁岭市民政局政府信息公开指南</h1>", `href="/guide.pdf"`, `href="/guide.xlsx"`,
		`<h2 id="office">一、政府信息公开工作机构</h2>`, `<h2 id="remedies">四、监督和救济</h2>`, `href="#apply"`,
		"<dt>名称</dt><dd>铁岭市民政局政府信息公开工作机构（办公室）</dd>", "<h3>（六）收费</h3>",
		"11—30件（含30件）的部分，每件收费100元", "向铁岭市人民政府申请行政复议", models.ChannelOnline.ReceiptRule(),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("guide page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("inline script or style")
	}

	// The guide follows the profile.
	a := storetest.DefaultAgency(t, app.store)
	a.Phone, a.Fax = "024-72999999", "024-72999998"
	if err := app.store.UpdateAgency(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	_, body = app.do(t, "GET", "/guide", nil, nil)
	for _, want := range []string{"<dt>联系电话</dt><dd>024-72999999</dd>", "<dt>传真号码</dt><dd>024-72999998</dd>", "传真：发送至024-72999998。"} {
		if !strings.Contains(body, want) {
			t.Errorf("updated guide lacks %q", want)
		}
	}
}

func TestGuideDownloads(t *testing.T) {
	app := newTestApp(t)
	resp, body := app.do(t, "GET", "/guide.pdf", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("pdf: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	// A character the PDF font lacks in the profile: a clear message, and
	// the page and the XLSX still work.
	a := storetest.DefaultAgency(t, app.store)
	a.OfficeAddress = "铁岭市𠀀路1号"
	if err := app.store.UpdateAgency(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if resp, body := app.do(t, "GET", "/guide.pdf", nil, nil); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "请查阅网页版") {
		t.Errorf("pdf with a missing glyph: %d", resp.StatusCode)
	}
	if resp, _ := app.do(t, "GET", "/guide", nil, nil); resp.StatusCode != 200 {
		t.Errorf("page with a missing glyph: %d", resp.StatusCode)
	}
	resp, body = app.do(t, "GET", "/guide.xlsx", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != models.TypeXLSX {
		t.Fatalf("xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(reports.GuideSheet, "A1"); v != "铁岭市民政局政府信息公开指南" {
		t.Errorf("A1 = %q", v)
	}
}

func TestCatalogPage(t *testing.T) {
	app := newTestApp(t)
	fx := seedCatalog(t, app)
	get := func(path string) (int, string) {
		t.Helper()
		resp, body := app.do(t, "GET", path, nil, nil)
		return resp.StatusCode, body
	}
	status, body := get("/catalog")
	if status != 200 {
		t.Fatalf("status = %d", status)
	}
	for _, want := range []string{
		"全部信息共4条", fx.policy.Title, fx.interp.Title, fx.repealed.Title, fx.stats.Title, "TLMZ/2025-00001",
		fmt.Sprintf(`href="/catalog/entries/%d"`, fx.policy.ID), "现行有效", "已废止", `<span class="catalog-tag">解读</span>`,
		`<optgroup label="第二十条第（一）项 行政法规、规章和规范性文件">`, `<option value="2026">2026年</option>`,
		`href="/catalog.xlsx"`, `href="/catalog.pdf"`, `role="search"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("catalog lacks %q", want)
		}
	}
	if strings.Contains(body, fx.draft.Title) {
		t.Error("a draft is listed")
	}
	for _, tt := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"q=" + url.QueryEscape("低保"), []string{"共2条", fx.interp.Title, fx.stats.Title}, []string{fx.repealed.Title, fx.draft.Title}},
		{"q=" + url.QueryEscape("最低生活保障"), []string{"共2条", fx.policy.Title, fx.interp.Title}, nil},
		{"q=" + url.QueryEscape("〔2024〕9号"), []string{"共1条", fx.repealed.Title}, nil},
		{"category=a20-04", []string{"共1条", fx.stats.Title, `<option value="a20-04" selected>`}, []string{fx.policy.Title}},
		{"year=2024", []string{"共1条", fx.repealed.Title}, nil},
		{"validity=repealed", []string{"共1条", fx.repealed.Title}, nil},
		{"validity=in_force&year=2025", []string{"共2条", fx.policy.Title, fx.interp.Title}, []string{fx.repealed.Title}},
		{"q=" + url.QueryEscape("没有的词"), []string{"共0条", "没有符合条件的信息"}, nil},
	} {
		status, body := get("/catalog?" + tt.query)
		if status != 200 {
			t.Errorf("%s: status %d", tt.query, status)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: lacks %q", tt.query, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(body, n) {
				t.Errorf("%s: has %q", tt.query, n)
			}
		}
		if !strings.Contains(body, `href="/catalog.xlsx?`) {
			t.Errorf("%s: the downloads do not keep the filter", tt.query)
		}
	}
	status, body = get("/catalog?year=abc&category=nope")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "年份应为四位数字") || !strings.Contains(body, `href="#f-year"`) {
		t.Errorf("bad filter: %d", status)
	}
	if status, _ := get("/catalog?page=9"); status != http.StatusNotFound {
		t.Errorf("page beyond the last: %d", status)
	}
}

func TestCatalogPagination(t *testing.T) {
	app := newTestApp(t)
	agency := storetest.DefaultAgency(t, app.store)
	rows := make([]models.CatalogImportRow, 45)
	for i := range rows {
		rows[i] = models.CatalogImportRow{Row: i + 2, Entry: models.CatalogEntry{Title: fmt.Sprintf("养老服务条目%02d", i),
			Summary: "概述", GeneratedOn: models.NewDate(2025, 1, 1+i%28), Category: "a20-11"}}
	}
	ctx := context.Background()
	if _, err := app.store.ImportCatalog(ctx, agency.ID, rows); err != nil {
		t.Fatal(err)
	}
	page, _ := app.store.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agency.ID, Statuses: models.CatalogStatuses, PerPage: 100})
	for _, e := range page.Entries {
		if _, err := app.store.PublishCatalogEntry(ctx, agency.ID, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, body := app.do(t, "GET", "/catalog?q="+url.QueryEscape("养老"), nil, nil)
	if !strings.Contains(body, "共45条，第1页，共3页") || !strings.Contains(body, `rel="next"`) || strings.Contains(body, `rel="prev"`) {
		t.Errorf("page 1 pager wrong")
	}
	next := "/catalog?page=2&amp;q=" + url.QueryEscape("养老")
	if !strings.Contains(body, next) {
		t.Errorf("next link lacks %q", next)
	}
	_, body = app.do(t, "GET", "/catalog?q="+url.QueryEscape("养老")+"&page=3", nil, nil)
	if !strings.Contains(body, "第3页，共3页") || !strings.Contains(body, `rel="prev"`) || strings.Contains(body, `rel="next"`) {
		t.Errorf("page 3 pager wrong")
	}
}

func TestCatalogEntryPage(t *testing.T) {
	app := newTestApp(t)
	fx := seedCatalog(t, app)
	resp, body := app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d", fx.policy.ID), nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	for _, want := range []string{
		"<h1>铁岭市最低生活保障审核确认办法</h1>", "<dt>索引号</dt><dd class=\"code\">TLMZ/2025-00001</dd>",
		"<dt>内容概述</dt>", "<dt>生成日期</dt><dd>2025年3月1日</dd>", "<dt>发布机构</dt><dd>铁岭市民政局</dd>",
		"<dt>文号</dt><dd>铁民发〔2025〕3号</dd>", "<dt>施行日期</dt><dd>2025年4月1日</dd>", "<dt>效力状态</dt><dd>现行有效</dd>",
		fmt.Sprintf(`href="/catalog/entries/%d/files/%d"`, fx.policy.ID, fx.fileID), "办法全文.txt", "（文本文件，",
		`href="https://mzj.tieling.gov.cn/xxgk/`, `<h2 id="h-interpretations">政策解读</h2>`,
		fmt.Sprintf(`<a href="/catalog/entries/%d">%s</a>`, fx.interp.ID, fx.interp.Title),
		`<meta name="ArticleTitle" content="铁岭市最低生活保障审核确认办法">`, `<meta name="PubDate" content="2026-02-10 09:30">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	_, body = app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d", fx.interp.ID), nil, nil)
	if want := fmt.Sprintf(`本文是对<a href="/catalog/entries/%d">%s</a>的解读。`, fx.policy.ID, fx.policy.Title); !strings.Contains(body, want) {
		t.Errorf("interpretation page lacks the link back %q", want)
	}
	_, body = app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d", fx.repealed.ID), nil, nil)
	if !strings.Contains(body, "<dt>废止日期</dt><dd>2025年12月31日</dd>") || !strings.Contains(body, "<dd>已废止</dd>") {
		t.Error("repealed entry lacks its repeal date and validity")
	}
	_, body = app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d", fx.stats.ID), nil, nil)
	if strings.Contains(body, "效力状态") {
		t.Error("a statistics entry shows a validity")
	}
	for _, path := range []string{
		fmt.Sprintf("/catalog/entries/%d", fx.draft.ID), "/catalog/entries/abc", "/catalog/entries/0", "/catalog/entries/99999",
		fmt.Sprintf("/catalog/entries/%d/files/%d", fx.interp.ID, fx.fileID), fmt.Sprintf("/catalog/entries/%d/files/x", fx.policy.ID),
	} {
		if resp, _ := app.do(t, "GET", path, nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
	resp, body = app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d/files/%d", fx.policy.ID, fx.fileID), nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != models.TypeText || !strings.Contains(body, "第一条") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("file: %d %v", resp.StatusCode, resp.Header)
	}
	// Retired: gone from the public catalog, files too.
	ctx := context.Background()
	if err := app.store.RetireCatalogEntry(ctx, fx.policy.AgencyID, fx.policy.ID, "误发"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d/files/%d", fx.policy.ID, fx.fileID), nil, nil); resp.StatusCode != 404 {
		t.Errorf("file of a retired entry: %d", resp.StatusCode)
	}
	_, body = app.do(t, "GET", fmt.Sprintf("/catalog/entries/%d", fx.interp.ID), nil, nil)
	if strings.Contains(body, "本文是对") {
		t.Error("the interpretation still links to a retired policy")
	}
}

func TestCatalogDownloads(t *testing.T) {
	app := newTestApp(t)
	fx := seedCatalog(t, app)
	resp, body := app.do(t, "GET", "/catalog.xlsx?validity=in_force", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != models.TypeXLSX ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(reports.CatalogSheet)
	f.Close()
	var titles []string
	for _, r := range rows[1:] {
		titles = append(titles, r[1])
	}
	if got, want := strings.Join(titles, "|"), fx.policy.Title+"|"+fx.interp.Title; got != want && got != fx.interp.Title+"|"+fx.policy.Title {
		t.Errorf("in-force export = %s", got)
	}
	// The whole public catalog reads back through the importer.
	_, body = app.do(t, "GET", "/catalog.xlsx", nil, nil)
	cats, _ := app.store.CatalogCategories(context.Background(), fx.policy.AgencyID)
	got, err := reports.ReadCatalogXLSX(bytes.NewReader([]byte(body)), cats)
	if err != nil || len(got) != 4 {
		t.Errorf("import of the public export: %d rows, %v", len(got), err)
	}

	resp, body = app.do(t, "GET", "/catalog.pdf?q="+url.QueryEscape("低保"), nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("pdf: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, body := app.do(t, "GET", "/catalog.xlsx?year=abc", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity ||
		resp.Header.Get("Content-Disposition") != "" || !strings.Contains(body, "<html") {
		t.Errorf("bad filter download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
}

func TestHomeLinksToDisclosure(t *testing.T) {
	app := newTestApp(t)
	_, body := app.do(t, "GET", "/", nil, nil)
	for _, want := range []string{`<a href="/guide">政府信息公开指南</a>`, `<a href="/catalog">政府信息公开目录</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}
