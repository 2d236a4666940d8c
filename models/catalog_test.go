package models

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testCategories() CatalogCategories {
	cats := CatalogCategories(BuiltinCategories())
	return append(cats,
		CatalogCategory{Code: "c1", Label: "社会救助", Item: 0, Custom: true},
		CatalogCategory{Code: "c2", Label: "其他规范性文件", Item: 1, DocKind: DocNormative, Custom: true},
	)
}

func TestBuiltinCategories(t *testing.T) {
	cats := CatalogCategories(BuiltinCategories())
	if got, want := len(cats), 17; got != want {
		t.Fatalf("len = %d, want %d (item (一) in three parts, items (二) to (十五))", got, want)
	}
	for _, tt := range []struct {
		code, label string
		item        int
		kind        CatalogDocKind
	}{
		{CategoryLaws, "行政法规", 1, ""},
		{CategoryRules, "规章", 1, DocRule},
		{CategoryNormative, "行政规范性文件", 1, DocNormative},
		{"a20-02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", 2, ""},
		{"a20-08", "行政事业性收费项目及其依据、标准", 8, ""},
		{"a20-15", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息", 15, ""},
	} {
		c, ok := cats.Lookup(tt.code)
		if !ok || c.Label != tt.label || c.Item != tt.item || c.DocKind != tt.kind {
			t.Errorf("Lookup(%s) = %+v, %v; want label %q item %d kind %q", tt.code, c, ok, tt.label, tt.item, tt.kind)
		}
	}
	if got := Article20ItemName(11); got != "第二十条第（十一）项" {
		t.Errorf("Article20ItemName(11) = %q", got)
	}
	if c, ok := cats.Find("第二十条第（一）项·规章"); !ok || c.Code != CategoryRules {
		t.Errorf("Find(display label) = %+v, %v", c, ok)
	}
	groups := testCategories().Groups()
	if got, want := len(groups), 16; got != want {
		t.Fatalf("groups = %d, want %d", got, want)
	}
	if got := len(groups[0].Categories); got != 4 {
		t.Errorf("item (一) has %d categories, want 4 (three built-in and the agency's)", got)
	}
	if last := groups[15]; last.Item != 0 || len(last.Categories) != 1 || last.Categories[0].Label != "社会救助" {
		t.Errorf("last group = %+v, want the agency's other categories", last)
	}
	if got, want := testCategories().CodesOf(DocNormative), []string{CategoryNormative, "c2"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("CodesOf(normative) = %v, want %v", got, want)
	}
}

func TestCatalogCategoryValidate(t *testing.T) {
	cats := testCategories()
	for _, tt := range []struct {
		name  string
		c     CatalogCategory
		field string
	}{
		{"ok", CatalogCategory{Label: "政策解读"}, ""},
		{"empty", CatalogCategory{Label: " "}, "label"},
		{"duplicate", CatalogCategory{Label: "社会救助"}, "label"},
		{"duplicate of a built-in", CatalogCategory{Label: "规章"}, "label"},
		{"item out of range", CatalogCategory{Label: "x", Item: 16}, "item"},
		{"unknown kind", CatalogCategory{Label: "x", DocKind: "law"}, "doc_kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate(cats)
			if got := FieldErrors(err)[tt.field]; (tt.field == "") != (err == nil) || tt.field != "" && got == "" {
				t.Errorf("Validate = %v, want an error on %q", err, tt.field)
			}
		})
	}
}

func validEntry() *CatalogEntry {
	return &CatalogEntry{
		Title: "铁岭市最低生活保障审核确认办法", Summary: "规定最低生活保障的申请、审核和确认程序。",
		GeneratedOn: MustParseDate("2025-03-01"), Publisher: "铁岭市民政局", Category: CategoryNormative,
		DocNumber: "铁民发〔2025〕3号", EffectiveOn: MustParseDate("2025-04-01"),
	}
}

func TestCatalogEntryValidate(t *testing.T) {
	today := MustParseDate("2026-02-10")
	for _, tt := range []struct {
		name  string
		edit  func(e *CatalogEntry)
		field string
	}{
		{"ok", func(*CatalogEntry) {}, ""},
		{"no title", func(e *CatalogEntry) { e.Title = "  " }, "title"},
		{"no summary", func(e *CatalogEntry) { e.Summary = "" }, "summary"},
		{"no date", func(e *CatalogEntry) { e.GeneratedOn = Date{} }, "generated_on"},
		{"future date", func(e *CatalogEntry) { e.GeneratedOn = MustParseDate("2026-02-11") }, "generated_on"},
		{"unknown category", func(e *CatalogEntry) { e.Category = "a20-99" }, "category"},
		{"repealed before made", func(e *CatalogEntry) { e.RepealedOn = MustParseDate("2025-02-01") }, "repealed_on"},
		{"repealed before effective", func(e *CatalogEntry) { e.RepealedOn = MustParseDate("2025-03-15") }, "repealed_on"},
		{"amended before made", func(e *CatalogEntry) { e.AmendedOn = MustParseDate("2024-12-31") }, "amended_on"},
		{"url without scheme", func(e *CatalogEntry) { e.URL = "www.tieling.gov.cn/a.html" }, "url"},
		{"url ftp", func(e *CatalogEntry) { e.URL = "ftp://tieling.gov.cn/a" }, "url"},
		{"index with space", func(e *CatalogEntry) { e.IndexNo = "TLMZ 2026" }, "index_no"},
		{"interprets itself", func(e *CatalogEntry) { e.ID, e.InterpretsID = 5, 5 }, "interprets"},
		{"title too long", func(e *CatalogEntry) { e.Title = strings.Repeat("长", 201) }, "title"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.edit(e)
			err := e.Validate(testCategories(), today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if FieldErrors(err)[tt.field] == "" {
				t.Errorf("Validate = %v, want a message on %q", err, tt.field)
			}
		})
	}
}

func TestValidityOn(t *testing.T) {
	d := MustParseDate
	cats := testCategories()
	e := validEntry() // made 2025-03-01, effective 2025-04-01
	e.AmendedOn = d("2025-09-01")
	e.RepealedOn = d("2026-01-01")
	cats.Resolve(e)
	for _, tt := range []struct {
		on   string
		want Validity
	}{
		{"2025-02-28", ValidityNone}, // not made yet
		{"2025-03-01", ValidityPending},
		{"2025-03-31", ValidityPending},
		{"2025-04-01", ValidityInForce},
		{"2025-08-31", ValidityInForce},
		{"2025-09-01", ValidityAmended},
		{"2025-12-31", ValidityAmended},
		{"2026-01-01", ValidityRepealed},
	} {
		if got := e.ValidityOn(d(tt.on)); got != tt.want {
			t.Errorf("ValidityOn(%s) = %q, want %q", tt.on, got, tt.want)
		}
	}
	plain := &CatalogEntry{Category: "a20-04", GeneratedOn: d("2025-01-01")}
	cats.Resolve(plain)
	if got := plain.ValidityOn(d("2026-01-01")); got != ValidityNone || plain.Dated() {
		t.Errorf("statistics entry: validity %q, dated %v; want none", got, plain.Dated())
	}
	if got := ValidityAmended.Label(); got != "现行有效（已修改）" {
		t.Errorf("label = %q", got)
	}
}

// TestCountCatalogEntries: the counts of every year follow from the dates
// alone, and only published documents of the flagged categories count.
func TestCountCatalogEntries(t *testing.T) {
	d := MustParseDate
	cats := testCategories()
	doc := func(cat, made, repealed string, status CatalogStatus, interprets int64) *CatalogEntry {
		e := &CatalogEntry{Category: cat, GeneratedOn: d(made), Status: status, InterpretsID: interprets}
		if repealed != "" {
			e.RepealedOn = d(repealed)
		}
		return e
	}
	entries := []*CatalogEntry{
		doc(CategoryNormative, "2024-05-01", "", CatalogPublished, 0),
		doc(CategoryNormative, "2024-06-01", "2025-06-30", CatalogPublished, 0),
		doc("c2", "2025-02-01", "", CatalogPublished, 0), // agency category flagged normative
		doc(CategoryNormative, "2025-12-31", "2025-12-31", CatalogPublished, 0),
		doc(CategoryRules, "2025-07-01", "", CatalogPublished, 0),
		doc(CategoryNormative, "2025-03-01", "", CatalogDraft, 0),     // draft: not counted
		doc(CategoryNormative, "2025-03-01", "", CatalogRetired, 0),   // retired: not counted
		doc(CategoryNormative, "2025-03-01", "", CatalogPublished, 2), // interpretation: not counted
		doc("a20-04", "2025-03-01", "", CatalogPublished, 0),          // statistics: not counted
	}
	for _, tt := range []struct {
		year int
		want CatalogCounts
	}{
		{2023, CatalogCounts{}},
		{2024, CatalogCounts{Normative: CatalogLine{Issued: 2, InForce: 2}}},
		{2025, CatalogCounts{Rules: CatalogLine{Issued: 1, InForce: 1}, Normative: CatalogLine{Issued: 2, Repealed: 2, InForce: 2}}},
		{2026, CatalogCounts{Rules: CatalogLine{InForce: 1}, Normative: CatalogLine{InForce: 2}}},
	} {
		if got := CountCatalogEntries(tt.year, entries, cats); got != tt.want {
			t.Errorf("%d: got %+v, want %+v", tt.year, got, tt.want)
		}
	}
}

func TestIndexRule(t *testing.T) {
	def := IndexRule{Pattern: DefaultIndexPattern}
	for _, tt := range []struct {
		rule      IndexRule
		year, seq int
		want      string
	}{
		{def, 2026, 1, "TLMZ/2026-00001"},
		{def, 2026, 123456, "TLMZ/2026-123456"},
		{IndexRule{Pattern: DefaultIndexPattern, OrgCode: "000014349"}, 2017, 110, "000014349/2017-00110"},
		{IndexRule{Pattern: "{code}-{org}-{year}{seq}", OrgCode: "11211200"}, 2026, 7, "TLMZ-11211200-202600007"},
		{IndexRule{}, 2026, 2, "TLMZ/2026-00002"},
	} {
		if got := tt.rule.Format("TLMZ", tt.year, tt.seq); got != tt.want {
			t.Errorf("%+v.Format = %q, want %q", tt.rule, got, tt.want)
		}
	}
	for _, tt := range []struct {
		rule  IndexRule
		field string
	}{
		{def, ""},
		{IndexRule{Pattern: "铁民〔{year}〕{seq}"}, ""},
		{IndexRule{Pattern: ""}, "index_pattern"},
		{IndexRule{Pattern: "{org}/{seq}"}, "index_pattern"},
		{IndexRule{Pattern: "{year}-{seq}-{seq}"}, "index_pattern"},
		{IndexRule{Pattern: "{year}-{seq}-{month}"}, "index_pattern"},
		{IndexRule{Pattern: "{year} {seq}"}, "index_pattern"},
		{IndexRule{Pattern: DefaultIndexPattern, OrgCode: "a b"}, "org_code"},
	} {
		err := tt.rule.Validate()
		if (tt.field == "") != (err == nil) || tt.field != "" && FieldErrors(err)[tt.field] == "" {
			t.Errorf("%+v.Validate = %v, want error on %q", tt.rule, err, tt.field)
		}
	}
	if got := def.Describe("TLMZ", 2026); !strings.Contains(got, "“TLMZ/2026-00001”") || !strings.Contains(got, "不空号") {
		t.Errorf("Describe = %q", got)
	}
}

func TestFindLinks(t *testing.T) {
	for _, tt := range []struct {
		text  string
		hosts []string
	}{
		{"详见http://www.tieling.gov.cn查询。", []string{"www.tieling.gov.cn"}},
		{"请访问 www.taobao.com/item?id=1。", []string{"www.taobao.com"}},
		{"下载：https://pan.baidu.com/s/abc).", []string{"pan.baidu.com"}},
		{"或登录example.com了解", []string{"example.com"}},
		{"HTTPS://WWW.GOV.CN/zhengce/", []string{"www.gov.cn"}},
		{"邮箱 zhang@qq.com 联系", nil},
		{"附件.pdf 和 v1.2 版本，第3.5条", nil},
		{"见 http://12.34.56.78:8080/a", []string{"12.34.56.78"}},
		{"两个链接：https://a.com 和 https://b.gov.cn/x", []string{"a.com", "b.gov.cn"}},
	} {
		var got []string
		for _, l := range FindLinks(tt.text) {
			got = append(got, l.Host)
		}
		if strings.Join(got, ",") != strings.Join(tt.hosts, ",") {
			t.Errorf("FindLinks(%q) hosts = %v, want %v", tt.text, got, tt.hosts)
		}
	}
	ls := FindLinks("第一行\n第二行 https://shop.example.com/x")
	if len(ls) != 1 || ls[0].Line != 2 || ls[0].URL != "https://shop.example.com/x" {
		t.Errorf("line/url = %+v", ls)
	}
}

func TestLinkPolicy(t *testing.T) {
	p := NewLinkPolicy(DefaultCatalogSettings(), "https://mzj.tieling.example/")
	for host, want := range map[string]bool{
		"gov.cn": true, "www.gov.cn": true, "tieling.gov.cn": true, "12345.tieling.gov.cn": true, "WWW.LN.GOV.CN.": true,
		"evilgov.cn": false, "tieling.gov.cn.example.com": false, "www.taobao.com": false, "12.34.56.78": false,
		"xn--hjtx81k.xn--zfr164b": true, "铁岭.政务": true, "bszs.conac.cn": true, "www.12377.cn": true,
		"mzj.tieling.example": true, "example": false, "": false,
	} {
		if got := p.IsGovernment(host); got != want {
			t.Errorf("IsGovernment(%q) = %v, want %v", host, got, want)
		}
	}
	empty := LinkPolicy{}
	if empty.IsGovernment("conac.cn") || !empty.IsGovernment("www.gov.cn") {
		t.Error("without an allow-list only gov.cn is government")
	}
}

func TestCatalogSettingsValidate(t *testing.T) {
	s := CatalogSettings{Index: IndexRule{Pattern: DefaultIndexPattern}, LinkAllowlist: ParseDomainList("https://www.12345.cn/\n12345.cn，*.people.com.cn\n\n")}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.LinkAllowlist, " "), "www.12345.cn 12345.cn people.com.cn"; got != want {
		t.Errorf("allow-list = %q, want %q", got, want)
	}
	bad := CatalogSettings{Index: IndexRule{Pattern: "{seq}"}, LinkAllowlist: []string{"not a domain!"}}
	fe := FieldErrors(bad.Validate())
	if fe["index_pattern"] == "" || fe["link_allowlist"] == "" {
		t.Errorf("errors = %v, want index_pattern and link_allowlist", fe)
	}
}

func TestCheckCatalogEntry(t *testing.T) {
	links := NewLinkPolicy(DefaultCatalogSettings(), "")
	e := validEntry()
	e.Summary = "联系人身份证号110101199003074477，详见https://shop.example.com/p。"
	e.URL = "https://www.tieling.gov.cn/a.html"
	files := []CatalogFile{
		{ID: 1, Filename: "办法.pdf", ContentType: TypePDF, SHA256: "aa", TextLayer: TextLayerNone},
		{ID: 2, Filename: "说明.txt", ContentType: TypeText, SHA256: "bb", TextLayer: TextLayerText, Text: "第一行\n咨询电话13812345678"},
	}
	got := CheckCatalogEntry(e, files, links)
	type short struct {
		kind   CatalogFindingKind
		source string
		ex     string
		line   int
	}
	var gotShort []short
	for _, f := range got {
		gotShort = append(gotShort, short{f.Kind, f.Source, f.Excerpt, f.Line})
	}
	want := []short{
		{CatalogFindingKind(FindingResidentID), SourceSummary, "1101**********4477", 1},
		{CatalogFindingLink, SourceSummary, "https://shop.example.com/p", 1},
		{CatalogFindingUnreadable, SourceFile, "办法.pdf（PDF）", 0},
		{CatalogFindingKind(FindingMobile), SourceFile, "138****5678", 2},
	}
	if len(gotShort) != len(want) {
		t.Fatalf("findings = %+v, want %+v", gotShort, want)
	}
	for i := range want {
		if gotShort[i] != want[i] {
			t.Errorf("finding %d = %+v, want %+v", i, gotShort[i], want[i])
		}
	}
	for _, f := range got {
		if strings.Contains(f.Excerpt, "110101199003074477") || strings.Contains(f.Excerpt, "13812345678") {
			t.Errorf("excerpt %q repeats the personal information", f.Excerpt)
		}
	}
	if got[3].SourceLabel() != "附件“说明.txt”" || got[0].Kind.Label() != "公民身份号码" || got[1].Kind.Label() != "非政府网站链接" {
		t.Errorf("labels: %q %q %q", got[3].SourceLabel(), got[0].Kind.Label(), got[1].Kind.Label())
	}

	// A commercial URL of the entry itself.
	e2 := validEntry()
	e2.URL = "https://mp.weixin.qq.com/s/abc"
	if fs := CheckCatalogEntry(e2, nil, links); len(fs) != 1 || fs[0].Source != SourceURL {
		t.Errorf("entry URL findings = %+v", fs)
	}

	// Fingerprints survive unrelated edits, not a change of the match.
	e3 := *e
	e3.Title = "另一个名称"
	again := CheckCatalogEntry(&e3, files, links)
	if again[0].Fingerprint != got[0].Fingerprint {
		t.Error("fingerprint changed with an unrelated edit")
	}
	e3.Summary = strings.Replace(e3.Summary, "110101199003074477", "11010119900307447X", 1)
	if fs := CheckCatalogEntry(&e3, files, links); fs[0].Kind == CatalogFindingKind(FindingResidentID) && fs[0].Fingerprint == got[0].Fingerprint {
		t.Error("fingerprint did not change with the match")
	}

	// Review: clearing every finding allows publishing.
	r := ReviewCatalogEntry(e, files, links, nil)
	if r.Open() != 4 || r.CanPublish() {
		t.Fatalf("open = %d, want 4", r.Open())
	}
	var cl []CatalogClearance
	for _, f := range got {
		cl = append(cl, CatalogClearance{Fingerprint: f.Fingerprint, Note: "已核实"})
	}
	if r := ReviewCatalogEntry(e, files, links, cl); !r.CanPublish() {
		t.Errorf("open after clearing = %d", r.Open())
	}
	if err := ValidateClearanceNote("好"); FieldErrors(err)["note"] == "" {
		t.Errorf("short note accepted: %v", err)
	}
	if err := OpenFindingsError(2); ErrorCode(err) != ECONFLICT || !strings.Contains(err.Message, "2项") {
		t.Errorf("OpenFindingsError = %v", err)
	}
}

func TestReviewNotes(t *testing.T) {
	cats := testCategories()
	e := validEntry()
	cats.Resolve(e)
	r := ReviewCatalogEntry(e, nil, LinkPolicy{}, nil)
	if len(r.Notes) != 2 {
		t.Fatalf("notes = %q, want no file/link and no interpretation", r.Notes)
	}
	e.URL = "https://www.tieling.gov.cn/a.html"
	e.Interpretations = []CatalogEntryLink{{ID: 9}}
	if r := ReviewCatalogEntry(e, nil, LinkPolicy{}, nil); len(r.Notes) != 0 {
		t.Errorf("notes = %q, want none", r.Notes)
	}
}

// zipOf builds a zip archive from name → content.
func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCatalogFiles(t *testing.T) {
	docx := zipOf(t, map[string]string{
		"[Content_Types].xml": `<Types/>`,
		"word/document.xml": `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>申请人张三，</w:t></w:r><w:r><w:t>身份证号110101199003074477</w:t></w:r></w:p>` +
			`<w:p><w:r><w:delText>已删除13812345678</w:delText></w:r></w:p></w:body></w:document>`,
		"word/_rels/document.xml.rels": `<Relationships><Relationship Id="r1" Target="https://shop.example.com/x" TargetMode="External"/>` +
			`<Relationship Id="r2" Target="styles.xml"/></Relationships>`,
	})
	xlsx := zipOf(t, map[string]string{
		"xl/workbook.xml":          `<workbook/>`,
		"xl/sharedStrings.xml":     `<sst><si><t>姓名</t></si><si><t>地址</t></si></sst>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row><c t="inlineStr"><is><t>铁岭市银州区广裕街12号</t></is></c><c><v>13812345678</v></c></row></sheetData></worksheet>`,
	})
	ofd := zipOf(t, map[string]string{
		"OFD.xml":                        `<ofd:OFD xmlns:ofd="x"/>`,
		"Doc_0/Pages/Page_0/Content.xml": `<ofd:Page xmlns:ofd="x"><ofd:TextObject><ofd:TextCode X="0">联系电话024-23456789</ofd:TextCode></ofd:TextObject></ofd:Page>`,
	})
	for _, tt := range []struct {
		name, filename string
		content        []byte
		wantType       string
		wantName       string
		layer          TextLayer
		contains       []string
	}{
		{"docx", "办法.docx", docx, TypeDOCX, "办法.docx", TextLayerText, []string{"申请人张三，身份证号110101199003074477", "已删除13812345678", "https://shop.example.com/x"}},
		{"xlsx wrong name", "名单", xlsx, TypeXLSX, "名单.xlsx", TextLayerText, []string{"铁岭市银州区广裕街12号", "13812345678", "姓名"}},
		{"ofd", "公告.ofd", ofd, TypeOFD, "公告.ofd", TextLayerText, []string{"联系电话024-23456789"}},
		{"pdf", "办法.pdf", []byte("%PDF-1.7\n1 0 obj\n"), TypePDF, "办法.pdf", TextLayerNone, nil},
		{"png", "图解.png", []byte("\x89PNG\r\n\x1a\nxxxx"), TypePNG, "图解.png", TextLayerNone, nil},
		{"doc", "旧文件.doc", append(append([]byte{}, oleSignature...), 0, 1, 2), TypeDOC, "旧文件.doc", TextLayerNone, nil},
		{"txt with BOM", "说明.txt", []byte("\xEF\xBB\xBF说明：见 www.example.com"), TypeText, "说明.txt", TextLayerText, []string{"说明：见 www.example.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := CheckCatalogFile(tt.filename, tt.content)
			if err != nil {
				t.Fatal(err)
			}
			if f.ContentType != tt.wantType || f.Filename != tt.wantName || f.TextLayer != tt.layer || f.Size != int64(len(tt.content)) || len(f.SHA256) != 64 {
				t.Errorf("got %s %q %s size %d, want %s %q %s", f.ContentType, f.Filename, f.TextLayer, f.Size, tt.wantType, tt.wantName, tt.layer)
			}
			for _, want := range tt.contains {
				if !strings.Contains(f.Text, want) {
					t.Errorf("text %q lacks %q", f.Text, want)
				}
			}
		})
	}
	for _, tt := range []struct {
		name, filename string
		content        []byte
		msg            string
	}{
		{"empty", "a.txt", nil, "空文件"},
		{"exe", "setup.exe", []byte("MZ\x90\x00"), "格式不能作为目录附件"},
		{"gbk text", "说明.txt", []byte{0xCB, 0xB5, 0xC3, 0xF7}, "UTF-8"},
		{"zip", "a.zip", zipOf(t, map[string]string{"a.txt": "x"}), "格式不能作为目录附件"},
		{"too big", "a.txt", bytes.Repeat([]byte("a"), MaxCatalogFileBytes+1), "10MB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckCatalogFile(tt.filename, tt.content)
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.msg) {
				t.Errorf("err = %v, want EINVALID mentioning %q", err, tt.msg)
			}
		})
	}
	// The DOCX's planted number, its deleted text and its hyperlink are all
	// findings.
	f, _ := CheckCatalogFile("办法.docx", docx)
	kinds := map[CatalogFindingKind]bool{}
	for _, fd := range CheckCatalogEntry(validEntry(), []CatalogFile{f}, LinkPolicy{}) {
		kinds[fd.Kind] = true
	}
	for _, k := range []CatalogFindingKind{CatalogFindingKind(FindingResidentID), CatalogFindingKind(FindingMobile), CatalogFindingLink} {
		if !kinds[k] {
			t.Errorf("DOCX findings lack %s: %v", k, kinds)
		}
	}
}

func TestZipBombIsNotRead(t *testing.T) {
	big := strings.Repeat("<w:t>a</w:t>", (maxUnzipped/12)+10)
	docx := zipOf(t, map[string]string{"word/document.xml": "<w:document>" + big + "</w:document>"})
	if text, layer := ExtractText(TypeDOCX, docx); layer != TextLayerNone || text != "" {
		t.Errorf("oversized archive: layer %s, %d bytes of text; want none", layer, len(text))
	}
}

func TestParseSheetDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-02-10": "2026-02-10", "2026/2/10": "2026-02-10", "2026.2.10": "2026-02-10",
		"2026年2月10日": "2026-02-10", "46063": "2026-02-10", "46063.75": "2026-02-10", "20260210": "2026-02-10",
		" 2025-12-31 ": "2025-12-31",
	} {
		got, err := ParseSheetDate(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseSheetDate(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"2026-02-30", "2026-13-01", "明天", "12", "2026-2", "20261301"} {
		if d, err := ParseSheetDate(in); err == nil {
			t.Errorf("ParseSheetDate(%q) = %s, want an error", in, d)
		}
	}
}

func TestParseCatalogRow(t *testing.T) {
	cats := testCategories()
	r, errs := ParseCatalogRow(5, map[string]string{
		ColIndexNo: " TLMZ/2025-00001 ", ColTitle: "办法", ColSummary: "概述", ColGeneratedOn: "2025/3/1",
		ColCategory: "第二十条第（一）项·行政规范性文件", ColRepealedOn: "2025-13-01", ColInterprets: "TLMZ/2024-00009",
	}, cats)
	if len(errs) != 1 || errs[0].Row != 5 || errs[0].Column != "废止日期" || !strings.Contains(errs[0].String(), "第5行“废止日期”") {
		t.Fatalf("errors = %+v, want one on 废止日期", errs)
	}
	if r.Entry.IndexNo != "TLMZ/2025-00001" || r.Entry.Category != CategoryNormative || r.Entry.GeneratedOn.String() != "2025-03-01" || r.InterpretsIndexNo != "TLMZ/2024-00009" {
		t.Errorf("row = %+v", r)
	}
	_, errs = ParseCatalogRow(6, map[string]string{ColTitle: "x", ColCategory: "不存在的类别"}, cats)
	if len(errs) != 1 || errs[0].Column != "类别" {
		t.Errorf("errors = %+v", errs)
	}
	rowErrs := RowErrorsOf(7, validateErr())
	if len(rowErrs) == 0 || rowErrs[0].Column != "名称" || rowErrs[0].String() != "第7行“名称”：请填写名称。" {
		t.Errorf("RowErrorsOf = %+v", rowErrs)
	}
	ie := &ImportError{}
	for i := 0; i < MaxImportProblems+5; i++ {
		ie.Add(RowError{Row: i + 2, Message: "x"})
	}
	if ie.Count() != MaxImportProblems+5 || len(ie.Problems) != MaxImportProblems {
		t.Errorf("count = %d, kept %d", ie.Count(), len(ie.Problems))
	}
	var target *ImportError
	err := ie.Err()
	if !errors.As(err, &target) || target != ie || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "205处问题") {
		t.Errorf("Err() = %v, want EINVALID wrapping the ImportError", err)
	}
}

func validateErr() error {
	e := validEntry()
	e.Title = ""
	return e.Validate(testCategories(), MustParseDate("2026-02-10"))
}

func TestCatalogQueryNormalize(t *testing.T) {
	cats := testCategories()
	q := CatalogQuery{Text: "  低保 "}
	if err := q.Normalize(cats); err != nil {
		t.Fatal(err)
	}
	if q.Text != "低保" || q.Page != 1 || q.PerPage != DefaultCatalogPerPage || len(q.Statuses) != 1 || q.Statuses[0] != CatalogPublished {
		t.Errorf("normalised = %+v", q)
	}
	bad := CatalogQuery{Category: "x", Year: 20260, Validity: "amended"}
	fe := FieldErrors(bad.Normalize(cats))
	if fe["category"] == "" || fe["year"] == "" || fe["validity"] == "" {
		t.Errorf("errors = %v", fe)
	}
}

func TestCatalogLabels(t *testing.T) {
	for _, s := range CatalogStatuses {
		if s.Label() == string(s) || !s.Valid() {
			t.Errorf("status %s has no label", s)
		}
	}
	for _, a := range []AuditAction{AuditCatalogCreated, AuditCatalogUpdated, AuditCatalogDeleted, AuditCatalogFileAdded,
		AuditCatalogFileRemoved, AuditCatalogFindingClosed, AuditCatalogPublished, AuditCatalogUnpublished,
		AuditCatalogRetired, AuditCatalogImported, AuditCatalogSettingsSaved, AuditCatalogCategorySaved} {
		if CatalogAuditLabel(a) == "" {
			t.Errorf("audit action %s has no label", a)
		}
	}
	if CatalogAuditLabel(AuditLoginFailed) != "" {
		t.Error("label for a foreign action")
	}
	for _, ct := range []string{TypePDF, TypeJPEG, TypePNG, TypeDOCX, TypeXLSX, TypeOFD, TypeDOC, TypeXLS, TypeText, TypeCSV} {
		if FileTypeLabel(ct) == "文件" {
			t.Errorf("type %s has no label", ct)
		}
	}
	for _, f := range []CatalogFinding{
		{Kind: CatalogFindingLink, Source: SourceURL}, {Kind: CatalogFindingUnreadable, Source: SourceFile, FileName: "a.pdf"},
		{Kind: CatalogFindingKind(FindingAddress), Source: SourceDocNumber}, {Kind: CatalogFindingKind(FindingEmail), Source: SourceTitle},
	} {
		if f.Advice() == "" || f.SourceLabel() == f.Source || f.Kind.Label() == string(f.Kind) {
			t.Errorf("finding %+v lacks a label or advice", f)
		}
	}
	if got := maskFinding(Finding{Kind: FindingAddress, Match: "铁岭市银州区广裕街12号"}); got != "铁岭市银********" {
		t.Errorf("masked address = %q", got)
	}
	if got := DocKindLabel(DocRule) + DocKindLabel(DocNormative) + DocKindLabel(""); got != "规章行政规范性文件" {
		t.Errorf("doc kind labels = %q", got)
	}
	if got := (CatalogCategory{Item: 5}).ItemName(); !strings.HasPrefix(got, "第二十条第（五）项 办理行政许可") {
		t.Errorf("ItemName = %q", got)
	}
}
