package models

// The 政府信息公开目录 (catalog of government information). 条例第十二条
// requires every agency to compile, publish and keep current a catalog whose
// items give at least the 索引、名称、内容概述、生成日期 (rules.md §1.8); the
// catalog is also where the proactive disclosures of 条例第二十条 are
// arranged, and its dated 规章 and 行政规范性文件 give the first block of
// the annual report's table 二 (rules.md §3.3). A policy document and its
// interpretation (解读) link to each other (铁岭市民政局网站管理办法第九条).
//
// Decisions taken here where the texts leave room:
//
//   - 生成日期 is the day the information was made; for a document it is
//     the 成文日期. It also decides the year of the 索引号 and the year the
//     document counts as 本年制发 in table 二.
//   - Validity is dated: 施行日期 (effective), 修改日期 (last amended; the
//     document stays in force as amended) and 废止日期 (repealed or declared
//     void; from that day on it is no longer in force). Because the dates
//     are kept, not a current status, the counts of any past year can be
//     reproduced (CountCatalogEntries).
//   - Table 二 counts, for year N, the published documents of the
//     categories flagged 规章 or 行政规范性文件, not their interpretations:
//     本年制发 = 生成日期 in N, 本年废止 = 废止日期 in N, 现行有效 = made by and
//     not repealed by 31 December N (models.CountCatalog, the reference the
//     store's query agrees with). A document made in December whose
//     施行日期 is in January is counted as 现行有效: it is a current, not a
//     repealed, document.
//   - Retiring an entry (撤下) is for entries that should not be in the
//     catalog at all (duplicates, errors): a retired entry leaves the public
//     catalog and the counts. A document that stops being in force gets a
//     废止日期 instead and stays listed as 已废止.

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// CatalogStatus is where a catalog entry stands.
type CatalogStatus string

// Catalog statuses. Stored values; do not change.
const (
	CatalogDraft     CatalogStatus = "draft"     // 草稿: not public
	CatalogPublished CatalogStatus = "published" // 已发布: in the public catalog
	CatalogRetired   CatalogStatus = "retired"   // 已撤下: taken out of the public catalog
)

// CatalogStatuses lists the statuses in lifecycle order.
var CatalogStatuses = []CatalogStatus{CatalogDraft, CatalogPublished, CatalogRetired}

// Label returns the status in Chinese.
func (s CatalogStatus) Label() string {
	switch s {
	case CatalogDraft:
		return "草稿"
	case CatalogPublished:
		return "已发布"
	case CatalogRetired:
		return "已撤下"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s CatalogStatus) Valid() bool {
	return s == CatalogDraft || s == CatalogPublished || s == CatalogRetired
}

// Article20Items are the items of 条例第二十条, verbatim: the information
// every agency discloses on its own initiative. Index 0 is item (一).
var Article20Items = [15]string{
	"行政法规、规章和规范性文件",
	"机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
	"国民经济和社会发展规划、专项规划、区域规划及相关政策",
	"国民经济和社会发展统计信息",
	"办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
	"实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
	"财政预算、决算信息",
	"行政事业性收费项目及其依据、标准",
	"政府集中采购项目的目录、标准及实施情况",
	"重大建设项目的批准和实施情况",
	"扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
	"突发公共事件的应急预案、预警信息及应对情况",
	"环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
	"公务员招考的职位、名额、报考条件等事项以及录用结果",
	"法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}

var chineseNumerals = [...]string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	"十一", "十二", "十三", "十四", "十五"}

// Article20ItemName returns how the law cites an item: 第二十条第（一）项.
// It returns "" for a number outside 1–15.
func Article20ItemName(item int) string {
	if item < 1 || item > len(Article20Items) {
		return ""
	}
	return "第二十条第（" + chineseNumerals[item] + "）项"
}

// Article20ItemLabel returns an item's verbatim text, or "" for a number
// outside 1–15.
func Article20ItemLabel(item int) string {
	if item < 1 || item > len(Article20Items) {
		return ""
	}
	return Article20Items[item-1]
}

// CatalogCategory is a class of the catalog. The built-in categories are
// the items of 条例第二十条 (item (一) split into its three kinds, because
// table 二 counts 规章 and 行政规范性文件 apart); an agency adds its own
// (for example the 社会救助 information of 条例第二十一条, or 政策解读).
type CatalogCategory struct {
	Code  string // stable key stored with each entry: "a20-05", "a20-01-rule", "c3"
	Label string
	// Item is the 条例第二十条 item the category belongs to (1–15), or 0
	// for an agency category outside them.
	Item int
	// DocKind flags the categories whose documents table 二 counts as 规章
	// or 行政规范性文件; "" for the others.
	DocKind CatalogDocKind
	// Custom marks a category the agency defined (stored); built-in ones
	// live in this package.
	Custom    bool
	SortOrder int
}

// Built-in category codes that other code names.
const (
	CategoryLaws      = "a20-01-law"       // 行政法规 (republished)
	CategoryRules     = "a20-01-rule"      // 规章
	CategoryNormative = "a20-01-normative" // 行政规范性文件
)

// ItemName returns the 条例第二十条 item the category belongs to, or
// 本机关确定的其他信息 for an agency category outside them.
func (c CatalogCategory) ItemName() string {
	if c.Item == 0 {
		return "本机关确定的其他信息"
	}
	return Article20ItemName(c.Item) + " " + Article20ItemLabel(c.Item)
}

// DocKindLabel names the table 二 row a category of kind k counts in, or
// "" for a category table 二 does not count. (A function rather than a
// method: CatalogDocKind belongs to the annual report's file.)
func DocKindLabel(k CatalogDocKind) string {
	switch k {
	case DocRule:
		return "规章"
	case DocNormative:
		return "行政规范性文件"
	}
	return ""
}

// BuiltinCategories returns the categories every agency has: one per item
// of 条例第二十条, with item (一) split into 行政法规, 规章 (counted in table 二)
// and 行政规范性文件 (counted in table 二).
func BuiltinCategories() []CatalogCategory {
	cats := []CatalogCategory{
		{Code: CategoryLaws, Label: "行政法规", Item: 1, SortOrder: 1},
		{Code: CategoryRules, Label: "规章", Item: 1, DocKind: DocRule, SortOrder: 2},
		{Code: CategoryNormative, Label: "行政规范性文件", Item: 1, DocKind: DocNormative, SortOrder: 3},
	}
	for i := 2; i <= len(Article20Items); i++ {
		cats = append(cats, CatalogCategory{Code: fmt.Sprintf("a20-%02d", i), Label: Article20Items[i-1], Item: i, SortOrder: i * 10})
	}
	return cats
}

// CatalogCategories is an agency's full list: the built-in categories
// followed by its own.
type CatalogCategories []CatalogCategory

// Lookup returns the category with the given code.
func (cs CatalogCategories) Lookup(code string) (CatalogCategory, bool) {
	for _, c := range cs {
		if c.Code == code {
			return c, true
		}
	}
	return CatalogCategory{}, false
}

// Find returns the category named by s: its code, its label, or its label
// as an import file writes it ("（一）规章" style prefixes and surrounding
// spaces are ignored).
func (cs CatalogCategories) Find(s string) (CatalogCategory, bool) {
	s = strings.TrimSpace(s)
	if c, ok := cs.Lookup(s); ok {
		return c, true
	}
	for _, c := range cs {
		if c.Label == s || c.DisplayLabel() == s {
			return c, true
		}
	}
	return CatalogCategory{}, false
}

// DisplayLabel is the label lists and exports print: the label alone, or
// for the three parts of item (一) the label after the item's name, so that
// 规章 reads as 第二十条第（一）项·规章.
func (c CatalogCategory) DisplayLabel() string {
	if c.Item == 1 && !c.Custom {
		return Article20ItemName(1) + "·" + c.Label
	}
	return c.Label
}

// CodesOf returns the codes of the categories counted as kind.
func (cs CatalogCategories) CodesOf(kind CatalogDocKind) []string {
	var out []string
	for _, c := range cs {
		if c.DocKind == kind {
			out = append(out, c.Code)
		}
	}
	return out
}

// Groups returns the categories grouped by 条例第二十条 item, in item order,
// with the agency's categories outside the items last.
func (cs CatalogCategories) Groups() []CatalogCategoryGroup {
	var out []CatalogCategoryGroup
	for item := 1; item <= len(Article20Items); item++ {
		g := CatalogCategoryGroup{Item: item, Name: Article20ItemName(item), Label: Article20ItemLabel(item)}
		for _, c := range cs {
			if c.Item == item {
				g.Categories = append(g.Categories, c)
			}
		}
		out = append(out, g)
	}
	other := CatalogCategoryGroup{Name: "本机关确定的其他信息", Label: "本机关确定的其他信息"}
	for _, c := range cs {
		if c.Item == 0 {
			other.Categories = append(other.Categories, c)
		}
	}
	if len(other.Categories) > 0 {
		out = append(out, other)
	}
	return out
}

// CatalogCategoryGroup is one 条例第二十条 item with its categories.
type CatalogCategoryGroup struct {
	Item       int    // 1–15, 0 for the agency's other categories
	Name       string // 第二十条第（一）项
	Label      string // the item's text
	Categories []CatalogCategory
}

// Validate checks an agency-defined category against the list it joins.
func (c *CatalogCategory) Validate(existing CatalogCategories) error {
	var fe []FieldError
	c.Label = strings.TrimSpace(c.Label)
	switch n := utf8.RuneCountInString(c.Label); {
	case n == 0:
		fe = append(fe, FieldError{"label", "请填写类别名称。"})
	case n > 60:
		fe = append(fe, FieldError{"label", "类别名称请不超过60个字。"})
	default:
		for _, o := range existing {
			if o.Code != c.Code && (o.Label == c.Label || o.DisplayLabel() == c.Label) {
				fe = append(fe, FieldError{"label", "已有同名类别。"})
				break
			}
		}
	}
	if c.Item < 0 || c.Item > len(Article20Items) {
		fe = append(fe, FieldError{"item", "请选择条例第二十条的一项，或“其他”。"})
	}
	switch c.DocKind {
	case "", DocRule, DocNormative:
	default:
		fe = append(fe, FieldError{"doc_kind", "年度报告统计口径只能是规章、行政规范性文件或不统计。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	c.Custom = true
	return nil
}

// CatalogEntry is one item of the catalog.
type CatalogEntry struct {
	ID       int64
	AgencyID int64
	// IndexNo is the 索引号 (条例第十二条): given when the entry is first
	// published (see IndexRule), or kept from an import.
	IndexNo     string
	Title       string // 名称
	Summary     string // 内容概述
	GeneratedOn Date   // 生成日期
	Publisher   string // 发布机构
	Category    string // a CatalogCategory code
	DocNumber   string // 文号, e.g. 铁民发〔2026〕3号
	EffectiveOn Date   // 施行日期; zero when the same as GeneratedOn or not a dated document
	AmendedOn   Date   // 修改日期 of the last amendment; zero when never amended
	RepealedOn  Date   // 废止日期 (repealed or declared void); zero while in force
	// URL links to the information where it is published (the agency's
	// website); optional when files are attached.
	URL string
	// InterpretsID is, for an interpretation (解读), the entry of the policy
	// document it explains; 0 otherwise. The policy lists its
	// interpretations (网站管理办法第九条: 相互关联).
	InterpretsID int64
	Status       CatalogStatus
	PublishedAt  time.Time // last publication
	RetiredAt    time.Time
	RetireReason string
	Version      int // optimistic lock, incremented on every change
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Loaded with the entry, not stored in its row.
	Files           []CatalogFile     // metadata only
	Interprets      *CatalogEntryLink // the policy this entry interprets
	Interpretations []CatalogEntryLink
	// DocKind is the table 二 kind of the entry's category (see
	// CatalogCategories.Resolve).
	DocKind CatalogDocKind
	// CategoryLabel is the category's display label.
	CategoryLabel string
}

// CatalogEntryLink is another entry as a link names it.
type CatalogEntryLink struct {
	ID      int64
	IndexNo string
	Title   string
	Status  CatalogStatus
}

// IsInterpretation reports whether the entry is an interpretation of a
// policy document.
func (e *CatalogEntry) IsInterpretation() bool { return e.InterpretsID != 0 }

// Resolve fills the fields that come from the entry's category.
func (cs CatalogCategories) Resolve(e *CatalogEntry) {
	if c, ok := cs.Lookup(e.Category); ok {
		e.DocKind, e.CategoryLabel = c.DocKind, c.DisplayLabel()
		return
	}
	e.DocKind, e.CategoryLabel = "", e.Category
}

// Limits of an entry's text fields, in characters.
const (
	maxCatalogTitle     = 200
	maxCatalogSummary   = 2000
	maxCatalogPublisher = 100
	maxCatalogDocNumber = 100
	maxCatalogURL       = 500
	MaxCatalogIndexNo   = 64
)

// Normalize trims the entry's text fields.
func (e *CatalogEntry) Normalize() {
	for _, p := range []*string{&e.IndexNo, &e.Title, &e.Summary, &e.Publisher, &e.Category, &e.DocNumber, &e.URL} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate checks an entry against the catalog's rules. today is the
// agency's date: a 生成日期 in the future is refused.
func (e *CatalogEntry) Validate(cats CatalogCategories, today Date) error {
	e.Normalize()
	var fe []FieldError
	text := func(field, v, label string, max int, required bool) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0 && required:
			fe = append(fe, FieldError{field, "请填写" + label + "。"})
		case n > max:
			fe = append(fe, FieldError{field, fmt.Sprintf("%s请不超过%d个字。", label, max)})
		}
	}
	text("title", e.Title, "名称", maxCatalogTitle, true)
	text("summary", e.Summary, "内容概述", maxCatalogSummary, true)
	text("publisher", e.Publisher, "发布机构", maxCatalogPublisher, true)
	text("doc_number", e.DocNumber, "文号", maxCatalogDocNumber, false)
	if e.IndexNo != "" {
		if utf8.RuneCountInString(e.IndexNo) > MaxCatalogIndexNo || strings.ContainsAny(e.IndexNo, " \t\r\n") {
			fe = append(fe, FieldError{"index_no", fmt.Sprintf("索引号不能含空格，且不超过%d个字符。", MaxCatalogIndexNo)})
		}
	}
	if _, ok := cats.Lookup(e.Category); !ok {
		fe = append(fe, FieldError{"category", "请选择类别。"})
	}
	switch {
	case e.GeneratedOn.IsZero():
		fe = append(fe, FieldError{"generated_on", "请填写生成日期。"})
	case !today.IsZero() && e.GeneratedOn.After(today):
		fe = append(fe, FieldError{"generated_on", "生成日期不能晚于今天。"})
	}
	if !e.GeneratedOn.IsZero() {
		if !e.AmendedOn.IsZero() && e.AmendedOn.Before(e.GeneratedOn) {
			fe = append(fe, FieldError{"amended_on", "修改日期不能早于生成日期。"})
		}
		if !e.RepealedOn.IsZero() && e.RepealedOn.Before(e.GeneratedOn) {
			fe = append(fe, FieldError{"repealed_on", "废止日期不能早于生成日期。"})
		}
	}
	if !e.RepealedOn.IsZero() && !e.EffectiveOn.IsZero() && e.RepealedOn.Before(e.EffectiveOn) {
		fe = append(fe, FieldError{"repealed_on", "废止日期不能早于施行日期。"})
	}
	if !e.RepealedOn.IsZero() && !e.AmendedOn.IsZero() && e.RepealedOn.Before(e.AmendedOn) {
		fe = append(fe, FieldError{"repealed_on", "废止日期不能早于修改日期。"})
	}
	if e.URL != "" {
		if utf8.RuneCountInString(e.URL) > maxCatalogURL {
			fe = append(fe, FieldError{"url", fmt.Sprintf("链接请不超过%d个字符。", maxCatalogURL)})
		} else if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe = append(fe, FieldError{"url", "链接应为以 http:// 或 https:// 开头的完整网址。"})
		}
	}
	if e.InterpretsID != 0 && e.InterpretsID == e.ID {
		fe = append(fe, FieldError{"interprets", "解读不能关联到本条目自身。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// Validity is whether a dated document is in force on a day.
type Validity string

// Validities. Stored nowhere: always computed from the dates.
const (
	ValidityNone     Validity = ""         // not a dated document
	ValidityPending  Validity = "pending"  // 尚未施行: made, not yet in effect
	ValidityInForce  Validity = "in_force" // 现行有效
	ValidityAmended  Validity = "amended"  // 现行有效（已修改）
	ValidityRepealed Validity = "repealed" // 已废止
)

// Label returns the validity in Chinese.
func (v Validity) Label() string {
	switch v {
	case ValidityPending:
		return "尚未施行"
	case ValidityInForce:
		return "现行有效"
	case ValidityAmended:
		return "现行有效（已修改）"
	case ValidityRepealed:
		return "已废止"
	}
	return ""
}

// Dated reports whether the entry is a document with a validity: its
// category is counted in table 二, or it carries any of the three dates.
func (e *CatalogEntry) Dated() bool {
	return e.DocKind != "" || !e.EffectiveOn.IsZero() || !e.AmendedOn.IsZero() || !e.RepealedOn.IsZero()
}

// StartsOn is the first day the document is in effect: its 施行日期, or its
// 生成日期 when none is given.
func (e *CatalogEntry) StartsOn() Date {
	if !e.EffectiveOn.IsZero() {
		return e.EffectiveOn
	}
	return e.GeneratedOn
}

// ValidityOn returns the entry's validity on day d: ValidityNone when the
// entry is not Dated or was not yet made on d. A document repealed on d is
// no longer in force on d.
func (e *CatalogEntry) ValidityOn(d Date) Validity {
	switch {
	case !e.Dated(), d.Before(e.GeneratedOn):
		return ValidityNone
	case !e.RepealedOn.IsZero() && !e.RepealedOn.After(d):
		return ValidityRepealed
	case d.Before(e.StartsOn()):
		return ValidityPending
	case !e.AmendedOn.IsZero() && !e.AmendedOn.After(d):
		return ValidityAmended
	}
	return ValidityInForce
}

// CatalogDocumentOf reduces an entry to what table 二 counts. It returns
// false for entries table 二 does not count: not published, an
// interpretation, or of a category not flagged 规章 or 行政规范性文件.
func CatalogDocumentOf(e *CatalogEntry, cats CatalogCategories) (CatalogDocument, bool) {
	c, ok := cats.Lookup(e.Category)
	if !ok || c.DocKind == "" || e.Status != CatalogPublished || e.IsInterpretation() {
		return CatalogDocument{}, false
	}
	return CatalogDocument{Kind: c.DocKind, IssuedOn: e.GeneratedOn, RepealedOn: e.RepealedOn}, true
}

// CountCatalogEntries returns table 二's first block for year from the
// catalog entries (CountCatalog over CatalogDocumentOf).
func CountCatalogEntries(year int, entries []*CatalogEntry, cats CatalogCategories) CatalogCounts {
	docs := make([]CatalogDocument, 0, len(entries))
	for _, e := range entries {
		if d, ok := CatalogDocumentOf(e, cats); ok {
			docs = append(docs, d)
		}
	}
	return CountCatalog(year, docs)
}

// CatalogQuery selects catalog entries for a list, a search or an export.
type CatalogQuery struct {
	AgencyID int64
	// Text is searched in the 名称, 内容概述, 文号 and 索引号.
	Text     string
	Category string // a category code; "" for all
	Year     int    // the year of the 生成日期; 0 for all
	// Validity keeps the dated documents with this validity on On
	// (ValidityInForce also keeps amended ones); "" for all entries.
	Validity Validity
	On       Date
	// Statuses limits the statuses; nil means published only (the public
	// catalog).
	Statuses []CatalogStatus
	Page     int // 1-based; 0 means 1
	PerPage  int // 0 means DefaultCatalogPerPage
}

// DefaultCatalogPerPage is how many entries one page of the catalog lists.
const DefaultCatalogPerPage = 20

// Normalize fills the query's defaults and checks its values.
func (q *CatalogQuery) Normalize(cats CatalogCategories) error {
	q.Text = strings.TrimSpace(q.Text)
	var fe []FieldError
	if utf8.RuneCountInString(q.Text) > 100 {
		fe = append(fe, FieldError{"q", "检索词请不超过100个字。"})
	}
	if q.Category != "" {
		if _, ok := cats.Lookup(q.Category); !ok {
			fe = append(fe, FieldError{"category", "没有这个类别。"})
		}
	}
	if q.Year != 0 && (q.Year < 1949 || q.Year > 9999) {
		fe = append(fe, FieldError{"year", "年份不正确。"})
	}
	switch q.Validity {
	case "", ValidityInForce, ValidityPending, ValidityRepealed:
	default:
		fe = append(fe, FieldError{"validity", "效力状态不正确。"})
	}
	if len(q.Statuses) == 0 {
		q.Statuses = []CatalogStatus{CatalogPublished}
	}
	for _, s := range q.Statuses {
		if !s.Valid() {
			fe = append(fe, FieldError{"status", "状态不正确。"})
			break
		}
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = DefaultCatalogPerPage
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// CatalogPage is one page of a catalog search.
type CatalogPage struct {
	Entries []*CatalogEntry
	Total   int
	Page    int
	Pages   int
	PerPage int
}

// Audit actions and the object type of the catalog (the trail's
// vocabulary is open: each feature adds its own).
const (
	AuditCatalogCreated       AuditAction = "catalog.created"
	AuditCatalogUpdated       AuditAction = "catalog.updated"
	AuditCatalogDeleted       AuditAction = "catalog.deleted"
	AuditCatalogFileAdded     AuditAction = "catalog.file_added"
	AuditCatalogFileRemoved   AuditAction = "catalog.file_removed"
	AuditCatalogFindingClosed AuditAction = "catalog.finding_cleared"
	AuditCatalogPublished     AuditAction = "catalog.published"
	AuditCatalogUnpublished   AuditAction = "catalog.unpublished" // an edit raised a finding: back to draft
	AuditCatalogRetired       AuditAction = "catalog.retired"
	AuditCatalogImported      AuditAction = "catalog.imported"
	AuditCatalogSettingsSaved AuditAction = "catalog.settings_saved"
	AuditCatalogCategorySaved AuditAction = "catalog.category_saved"

	AuditObjectCatalogEntry = "catalog_entry"
)

// CatalogAuditActions lists the catalog's audit actions in the order an
// audit filter offers them.
var CatalogAuditActions = []AuditAction{
	AuditCatalogCreated, AuditCatalogUpdated, AuditCatalogDeleted, AuditCatalogFileAdded, AuditCatalogFileRemoved,
	AuditCatalogFindingClosed, AuditCatalogPublished, AuditCatalogUnpublished, AuditCatalogRetired,
	AuditCatalogImported, AuditCatalogSettingsSaved, AuditCatalogCategorySaved,
}

// CatalogAuditLabel returns a catalog audit action in Chinese, or "" for
// another action.
func CatalogAuditLabel(a AuditAction) string {
	switch a {
	case AuditCatalogCreated:
		return "新建目录条目"
	case AuditCatalogUpdated:
		return "修改目录条目"
	case AuditCatalogDeleted:
		return "删除目录草稿"
	case AuditCatalogFileAdded:
		return "上传目录附件"
	case AuditCatalogFileRemoved:
		return "删除目录附件"
	case AuditCatalogFindingClosed:
		return "处理发布前审查提示"
	case AuditCatalogPublished:
		return "发布目录条目"
	case AuditCatalogUnpublished:
		return "修改后出现审查提示，条目转为草稿"
	case AuditCatalogRetired:
		return "撤下目录条目"
	case AuditCatalogImported:
		return "导入目录"
	case AuditCatalogSettingsSaved:
		return "修改目录设置"
	case AuditCatalogCategorySaved:
		return "保存目录类别"
	}
	return ""
}
