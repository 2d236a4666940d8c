package handlers

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"gongkai/handlers/browsertest"
	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// setValue sets a select's or a date field's value, as choosing from the
// list or the date picker would.
func setValue(t *testing.T, tab *browsertest.Tab, selector, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(selector), value, chromedp.NodeVisible)); err != nil {
		t.Fatalf("set %s: %v", selector, err)
	}
}

// chooseFile hands a file to a file input, as the file chooser would.
func chooseFile(t *testing.T, tab *browsertest.Tab, selector, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(selector), []string{path})); err != nil {
		t.Fatalf("choose %s for %s: %v", path, selector, err)
	}
}

// TestCatalogStaffPagesAccessible checks the publisher's pages in the
// states the sweep of staffPageURLs cannot reach without entries — an
// entry with open and cleared findings and files, each action's refusal,
// a published, a retired and an interpretation's page, an import refused
// with row problems, a settings preview, a category being changed — with
// axe-core (WCAG 2.1 A and AA) and at 320 CSS pixels.
func TestCatalogStaffPagesAccessible(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	d := newCatalogDesk(t, s, clock)
	base := d.app.srv.URL

	flagged := d.create(t, entryValues("铁岭市特困人员认定办法", "summary", "规定特困人员的认定条件。\n经办人身份证号"+plantedIDNumber+"。",
		"doc_number", "铁民发〔2026〕5号", "url", "https://shop.example.com/item/1"))
	fields := url.Values{"id": {strconv.FormatInt(flagged, 10)}}
	d.upload(t, "/staff/catalog/files", fields, "名单.pdf", textPDF(t, "联系电话13812345678。"))
	d.upload(t, "/staff/catalog/files", url.Values{"id": fields["id"]}, "扫描件.pdf", imagePDF(t))
	d.upload(t, "/staff/catalog/files", url.Values{"id": fields["id"], "attest": {"1"}}, "扫描件二.pdf", append(imagePDF(t), '\n'))
	_, rv := d.entry(t, flagged)
	for _, f := range rv.Findings {
		if f.Kind == models.CatalogFindingLink {
			d.act(t, "/staff/catalog/clear", flagged, "fingerprint", f.Fingerprint, "note", "该平台为省政府指定的公示平台")
		}
	}
	published := d.create(t, entryValues("铁岭市临时救助办法", "doc_number", "铁民发〔2025〕9号", "effective_on", "2026-03-01"))
	d.act(t, "/staff/catalog/publish", published)
	retired := d.create(t, entryValues("重复录入的条目", "category", "a20-04"))
	d.act(t, "/staff/catalog/publish", retired)
	d.act(t, "/staff/catalog/retire", retired, "reason", "与另一条目重复")
	interp := d.create(t, entryValues("《铁岭市临时救助办法》政策解读", "interprets", strconv.FormatInt(published, 10)))
	clean := d.create(t, entryValues("2026年1月低保统计数据", "category", "a20-04"))
	d.pub.post(t, "/staff/catalog/categories", url.Values{"label": {"社会救助"}, "item": {"0"}, "doc_kind": {""}})
	cats, _ := s.CatalogCategories(context.Background(), d.agent)
	custom, _ := cats.Find("社会救助")

	badImport := filepath.Join(t.TempDir(), "目录.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", reports.CatalogSheet)
	f.SetSheetRow(reports.CatalogSheet, "A1", &[]any{"索引号", "名称", "内容概述", "生成日期", "发布机构", "类别"})
	f.SetSheetRow(reports.CatalogSheet, "A2", &[]any{"", "日期错误的行", "概述", "2026-02-30", "", "规章"})
	if err := f.SaveAs(badImport); err != nil {
		t.Fatal(err)
	}
	f.Close()

	tab := b.NewTab(t)
	staffLogin(t, tab, base, "fabu", staffPassword)
	visits := []struct {
		name, path string
		before     func()
		fill       [][2]string
		file       string
		submit     string
		want       string // in the page's main content
	}{
		{name: "list with entries", path: "/staff/catalog", want: "全部条目共5条"},
		{name: "flagged draft", path: entryURL(flagged), want: "暂不能发布"},
		{name: "reason too short", path: entryURL(flagged), fill: [][2]string{{"#f-note-1", "好"}},
			submit: `form[action="/staff/catalog/clear"] button`, want: "请说明保留的理由"},
		{name: "upload without a file", path: entryURL(flagged), submit: `form[action="/staff/catalog/files"] button`, want: "请选择要上传的文件。"},
		{name: "entry form error", path: entryURL(flagged), fill: [][2]string{{"#f-url", " x"}},
			submit: `form[action="/staff/catalog/entry"] button[type=submit]`, want: "链接应为以 http:// 或 https:// 开头的完整网址。"},
		{name: "published", path: entryURL(published), want: "撤下理由"},
		{name: "retire without a reason", path: entryURL(published), submit: `form[action="/staff/catalog/retire"] button`, want: "请填写撤下的理由"},
		{name: "retired", path: entryURL(retired), want: "与另一条目重复"},
		{name: "interpretation", path: entryURL(interp), want: "所解读的政策文件"},
		{name: "publish refused", path: entryURL(clean), before: func() {
			// Someone else plants a phone number after the page was loaded.
			e, _ := d.entry(t, clean)
			v := entryValues(e.Title, "id", strconv.FormatInt(clean, 10), "version", strconv.Itoa(e.Version),
				"category", "a20-04", "summary", "咨询电话13812345678")
			d.pub.post(t, "/staff/catalog/entry", v)
		}, submit: `form[action="/staff/catalog/publish"] button`, want: "发布前审查还有1项提示未处理"},
		{name: "import refused", path: "/staff/catalog/import", file: badImport, submit: `form[action="/staff/catalog/import"] button[type=submit]`,
			want: "没有导入任何内容"},
		{name: "settings preview", path: "/staff/catalog/settings", submit: `button[name=preview]`, want: "按填写的规则（尚未保存）"},
		{name: "category being changed", path: "/staff/catalog/categories?code=" + custom.Code, want: "修改类别“社会救助”"},
	}
	for _, v := range visits {
		t.Run(v.name, func(t *testing.T) {
			tab.Visit(t, base+v.path)
			if v.before != nil {
				v.before()
			}
			for _, fl := range v.fill {
				tab.TypeInto(t, fl[0], fl[1])
			}
			if v.file != "" {
				chooseFile(t, tab, "#f-file", v.file)
			}
			if v.submit != "" {
				submitWith(t, tab, v.submit)
			}
			if got := tab.Text(t, "main"); !strings.Contains(got, v.want) {
				t.Errorf("page lacks %q:\n%s", v.want, got)
			}
			if dir := os.Getenv("CATALOG_SCREENSHOTS"); dir != "" {
				tab.Screenshot(t, filepath.Join(dir, strings.ReplaceAll(v.name, " ", "-")+".png"))
			}
			tab.CheckAccessible(t, v.name)
		})
	}
	if e, _ := d.entry(t, clean); e.Status != models.CatalogDraft {
		t.Errorf("the refused publication published: %s", e.Status)
	}
}

// TestPublisherAddsInterpretationInBrowser is issue 9's browser test: the
// publisher adds a policy document and its interpretation through the
// staff pages and publishes both; the public finds them by search on
// /catalog and follows the link from the interpretation to the policy and
// back. Every page on the way passes axe-core.
func TestPublisherAddsInterpretationInBrowser(t *testing.T) {
	b := browsertest.New(t)
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	mkStaffUser(t, s, "fabu", []models.Role{models.RolePublisher}, nil, false)
	base := app.srv.URL
	const policyTitle, interpTitle = "铁岭市特困人员救助供养办法", "《铁岭市特困人员救助供养办法》政策解读"

	tab := b.NewTab(t)
	k := keyboard{t: t, tab: tab}
	staffLogin(t, tab, base, "fabu", staffPassword)
	k.tabTo(`a "公开目录管理"`)
	tab.PressEnterAndWait(t)
	if got := tab.Text(t, "h1"); got != "公开目录管理" {
		t.Fatalf("h1 = %q", got)
	}
	tab.CheckAccessible(t, "empty list")
	k.tabTo(`a "新建条目"`)
	tab.PressEnterAndWait(t)

	fill := func(title, summary, docNumber, link string) {
		t.Helper()
		tab.TypeInto(t, "#f-title", title)
		tab.TypeInto(t, "#f-summary", summary)
		setValue(t, tab, "#f-generated_on", "2026-02-01")
		setValue(t, tab, "#f-category", models.CategoryNormative)
		if docNumber != "" {
			tab.TypeInto(t, "#f-doc_number", docNumber)
		}
		tab.TypeInto(t, "#f-url", link)
	}
	fill(policyTitle, "规定特困人员救助供养的条件、内容和程序。", "铁民发〔2026〕7号", "https://mzj.tieling.gov.cn/xxgk/7.html")
	setValue(t, tab, "#f-effective_on", "2026-03-01")
	tab.CheckAccessible(t, "new entry form")
	submitWith(t, tab, `form[action="/staff/catalog/entry"] button[type=submit]`)
	if got := tab.Text(t, "h1"); got != policyTitle {
		t.Fatalf("after saving, h1 = %q", got)
	}
	u, _ := url.Parse(tab.Location(t))
	policyID := u.Query().Get("id")
	if msg := tab.Text(t, ".flash"); !strings.Contains(msg, "已保存草稿") {
		t.Errorf("flash = %q", msg)
	}
	if got := tab.Text(t, "#review"); !strings.Contains(got, "未发现个人信息和非政府网站链接") || !strings.Contains(got, "本文件尚未关联解读") {
		t.Errorf("review = %q", got)
	}
	tab.CheckAccessible(t, "policy draft")
	submitWith(t, tab, `form[action="/staff/catalog/publish"] button`)
	if msg := tab.Text(t, ".flash"); !strings.Contains(msg, "索引号为TLMZ/2026-00001") {
		t.Errorf("publish flash = %q", msg)
	}
	tab.CheckAccessible(t, "published policy")

	tab.Visit(t, base+"/staff/catalog/entry")
	fill(interpTitle, "一图读懂特困人员救助供养。", "", "https://mzj.tieling.gov.cn/zcjd/7.html")
	setValue(t, tab, "#f-interprets", policyID)
	submitWith(t, tab, `form[action="/staff/catalog/entry"] button[type=submit]`)
	if got := tab.Text(t, ".catalog-entry-state"); !strings.Contains(got, "所解读的政策文件") || !strings.Contains(got, policyTitle) {
		t.Fatalf("interpretation's state = %q", got)
	}
	submitWith(t, tab, `form[action="/staff/catalog/publish"] button`)
	if msg := tab.Text(t, ".flash"); !strings.Contains(msg, "TLMZ/2026-00002") {
		t.Errorf("publish flash = %q", msg)
	}
	tab.CheckAccessible(t, "published interpretation")

	// The public searches the catalog and follows the links.
	pub := b.NewTab(t)
	pk := keyboard{t: t, tab: pub}
	pub.Visit(t, base+"/catalog")
	pk.tabTo("input#f-q[name=q]")
	pk.press("救助供养")
	pub.PressEnterAndWait(t)
	if got := pub.Text(t, "#catalog-results"); !strings.Contains(got, "共2条") {
		t.Fatalf("results = %q", got)
	}
	pub.CheckAccessible(t, "search results")
	pk.tabTo(fmt.Sprintf(`a "%s"`, interpTitle))
	pub.PressEnterAndWait(t)
	if got := pub.Text(t, ".catalog-link-back"); !strings.Contains(got, policyTitle) {
		t.Fatalf("interpretation links back with %q", got)
	}
	pub.CheckAccessible(t, "public interpretation")
	pk.tabTo(fmt.Sprintf(`a "%s"`, policyTitle))
	pub.PressEnterAndWait(t)
	if got := pub.Text(t, "h1"); got != policyTitle {
		t.Fatalf("policy h1 = %q", got)
	}
	if got := pub.Text(t, "section[aria-labelledby=h-interpretations]"); !strings.Contains(got, interpTitle) {
		t.Errorf("policy lists its interpretations as %q", got)
	}
	if got := pub.Text(t, ".catalog-fields"); !strings.Contains(got, "TLMZ/2026-00001") || !strings.Contains(got, "铁民发〔2026〕7号") {
		t.Errorf("policy fields = %q", got)
	}
	pub.CheckAccessible(t, "public policy")

	// The publisher's export holds both, as the public's does.
	x := tab.Download(t, base+"/staff/catalog/export")
	wb, err := excelize.OpenFile(x.Path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows(reports.CatalogSheet)
	wb.Close()
	os.Remove(x.Path)
	if len(rows) != 3 {
		t.Errorf("export has %d rows, want the header and 2 entries", len(rows))
	}
}
