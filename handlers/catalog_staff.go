package handlers

// The publisher's pages of the 政府信息公开目录 (条例第十二条; rules.md §1.8):
// the 信息发布员 (models.RolePublisher) lists, creates and edits entries,
// attaches their files, works through the pre-publication review (保密审查
// and the commercial-link check of 网站管理办法第十条), publishes and
// retires them, links an interpretation to its policy document (第九条),
// imports and exports the catalog as XLSX, and keeps the catalog's
// settings and the agency's own categories. The rules are in
// models/catalog*.go and every write is audited in the store.
//
// Entries are named by a query parameter (?id=N), not a path parameter:
// one entry page carries the review, the files, publishing and the form,
// and the route matrix test (TestStaffRouteMatrix) exercises every route
// as it is, without knowing how to make up an entry for it.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// Bodies of the catalog's file posts: one attachment, or an import
// workbook, with the form around it.
const (
	maxCatalogUploadBody = models.MaxCatalogFileBytes + 1<<20
	maxCatalogImportFile = 32 << 20
	maxCatalogImportBody = maxCatalogImportFile + 1<<20
)

// catalogStaffRoutes are the publisher's routes. Editing (entries, files,
// imports, categories) needs ActionEditCatalog; what decides what the
// public sees — publishing, retiring, keeping a flagged text, the 索引号
// rule and the link allow-list — needs ActionPublishCatalog.
var catalogStaffRoutes = []staffRoute{
	{"GET", "/staff/catalog", need(models.ActionEditCatalog), (*Handler).staffCatalogList},
	{"GET", "/staff/catalog/export", need(models.ActionEditCatalog), (*Handler).staffCatalogExport},
	{"GET", "/staff/catalog/entry", need(models.ActionEditCatalog), (*Handler).staffCatalogEntry},
	{"POST", "/staff/catalog/entry", need(models.ActionEditCatalog), (*Handler).staffCatalogSave},
	{"POST", "/staff/catalog/delete", need(models.ActionEditCatalog), (*Handler).staffCatalogDelete},
	{"POST", "/staff/catalog/files", access{action: models.ActionEditCatalog, maxBody: maxCatalogUploadBody}, (*Handler).staffCatalogUpload},
	{"POST", "/staff/catalog/files/remove", need(models.ActionEditCatalog), (*Handler).staffCatalogRemoveFile},
	{"POST", "/staff/catalog/clear", need(models.ActionPublishCatalog), (*Handler).staffCatalogClear},
	{"POST", "/staff/catalog/publish", need(models.ActionPublishCatalog), (*Handler).staffCatalogPublish},
	{"POST", "/staff/catalog/retire", need(models.ActionPublishCatalog), (*Handler).staffCatalogRetire},
	{"GET", "/staff/catalog/import", need(models.ActionEditCatalog), (*Handler).staffCatalogImportForm},
	{"POST", "/staff/catalog/import", access{action: models.ActionEditCatalog, maxBody: maxCatalogImportBody}, (*Handler).staffCatalogImport},
	{"GET", "/staff/catalog/settings", need(models.ActionPublishCatalog), (*Handler).staffCatalogSettings},
	{"POST", "/staff/catalog/settings", need(models.ActionPublishCatalog), (*Handler).staffCatalogSaveSettings},
	{"GET", "/staff/catalog/categories", need(models.ActionEditCatalog), (*Handler).staffCatalogCategories},
	{"POST", "/staff/catalog/categories", need(models.ActionEditCatalog), (*Handler).staffCatalogSaveCategory},
}

func init() { registerStaffRoutes(catalogStaffRoutes...) }

// readPDFText reads a PDF's text layer for the catalog's checks
// (models.PDFTextReader over reports.ExtractPDFText).
func readPDFText(b []byte) ([]string, bool, error) {
	return reports.ExtractPDFText(bytes.NewReader(b), int64(len(b)))
}

// staffCatalogFilter is the list's search form as the query string carries
// it. An empty Status lists every status.
type staffCatalogFilter struct {
	Q, Status, Category, Year string
	Page                      int
}

func readStaffCatalogFilter(c *gin.Context) staffCatalogFilter {
	f := staffCatalogFilter{Q: trimSpace(c.Query("q")), Status: trimSpace(c.Query("status")),
		Category: trimSpace(c.Query("category")), Year: trimSpace(c.Query("year")), Page: 1}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		f.Page = n
	}
	return f
}

// query turns the form into a store query, with a message per wrong field.
func (f staffCatalogFilter) query(agencyID int64, cats models.CatalogCategories) (models.CatalogQuery, error) {
	q := models.CatalogQuery{AgencyID: agencyID, Text: f.Q, Category: f.Category, Page: f.Page, Statuses: models.CatalogStatuses}
	var fe []models.FieldError
	if f.Status != "" {
		st := models.CatalogStatus(f.Status)
		if !st.Valid() {
			fe = append(fe, models.FieldError{Field: "status", Message: "请选择草稿、已发布或已撤下。"})
		}
		q.Statuses = []models.CatalogStatus{st}
	}
	if f.Year != "" {
		y, err := strconv.Atoi(f.Year)
		if err != nil {
			fe = append(fe, models.FieldError{Field: "year", Message: "年份应为四位数字，例如2025。"})
		}
		q.Year = y
	}
	if len(fe) > 0 {
		return q, models.Invalid(fe...)
	}
	return q, q.Normalize(cats)
}

// values returns the form as a query string without empty fields and the
// first page.
func (f staffCatalogFilter) values(page int) url.Values {
	return pageValues(map[string]string{"q": f.Q, "status": f.Status, "category": f.Category, "year": f.Year}, page)
}

// describe writes the filter in words, for the export.
func (f staffCatalogFilter) describe(cats models.CatalogCategories) string {
	parts := []string{"状态：全部"}
	if st := models.CatalogStatus(f.Status); st.Valid() {
		parts[0] = "状态：" + st.Label()
	}
	if f.Q != "" {
		parts = append(parts, "检索词“"+f.Q+"”")
	}
	if c, ok := cats.Lookup(f.Category); ok {
		parts = append(parts, "类别："+c.DisplayLabel())
	}
	if f.Year != "" {
		parts = append(parts, "年份："+f.Year)
	}
	return strings.Join(parts, "；")
}

// StaffCatalogPage is the data of the publisher's list.
type StaffCatalogPage struct {
	BasePage
	Filter    staffCatalogFilter
	Form      FormState
	Groups    []models.CatalogCategoryGroup
	Statuses  []option // with their counts
	Filtered  bool
	Result    *models.CatalogPage
	PrevURL   string
	NextURL   string
	ExportURL string
}

// staffCatalogList serves GET /staff/catalog: every entry of the agency,
// drafts, published and retired, searched and filtered, newest first.
func (h *Handler) staffCatalogList(c *gin.Context) error {
	ctx := c.Request.Context()
	agencyID := staffUser(c).AgencyID
	cats, err := h.store.CatalogCategories(ctx, agencyID)
	if err != nil {
		return err
	}
	f := readStaffCatalogFilter(c)
	page := StaffCatalogPage{BasePage: h.basePage(c, "catalog"), Filter: f, Groups: cats.Groups(),
		Filtered: f.Q != "" || f.Status != "" || f.Category != "" || f.Year != ""}
	for _, st := range models.CatalogStatuses {
		n, err := h.store.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agencyID, Statuses: []models.CatalogStatus{st}, PerPage: 1})
		if err != nil {
			return err
		}
		page.Statuses = append(page.Statuses, option{"value": string(st), "label": fmt.Sprintf("%s（%d）", st.Label(), n.Total)})
	}
	q, err := f.query(agencyID, cats)
	if err != nil {
		page.Form = formState(err, "q", "status", "category", "year")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/catalog/index", page)
	}
	res, err := h.store.SearchCatalog(ctx, q)
	if err != nil {
		return err
	}
	if res.Total > 0 && q.Page > res.Pages {
		return models.Errorf(models.ENOTFOUND, "没有这一页。")
	}
	page.Result = res
	if res.Page > 1 {
		page.PrevURL = withQuery("/staff/catalog", f.values(res.Page-1))
	}
	if res.Page < res.Pages {
		page.NextURL = withQuery("/staff/catalog", f.values(res.Page+1))
	}
	page.ExportURL = withQuery("/staff/catalog/export", f.values(1))
	return h.renderPage(c, http.StatusOK, "staff/catalog/index", page)
}

// staffCatalogExport serves GET /staff/catalog/export: the entries of the
// list's filter, in every status, as the workbook the import reads back,
// streamed (rows go to a temporary file as they are read; only the
// finished file is sent, so an error before that still gets a page).
func (h *Handler) staffCatalogExport(c *gin.Context) error {
	ctx := c.Request.Context()
	agencyID := staffUser(c).AgencyID
	a, err := h.store.Agency(ctx, agencyID)
	if err != nil {
		return err
	}
	cats, err := h.store.CatalogCategories(ctx, agencyID)
	if err != nil {
		return err
	}
	f := readStaffCatalogFilter(c)
	q, err := f.query(agencyID, cats)
	if err != nil {
		return err
	}
	now := h.store.Now()
	q.On = models.DateOf(now, h.cfg.Location)
	doc := reports.CatalogDoc{Agency: *a, Filter: f.describe(cats), Today: q.On, CreatedAt: now}
	rows := func(yield func(*models.CatalogEntry) error) error { return h.store.EachCatalogEntry(ctx, q, yield) }
	name := fmt.Sprintf("%s政府信息公开目录（导出%s）.xlsx", a.Name, q.On)
	c.Header("Content-Type", models.TypeXLSX)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	if _, err := reports.WriteCatalogXLSX(c.Writer, doc, rows); err != nil {
		if c.Writer.Written() {
			h.log.Error("staff catalog export failed mid-response", "request_id", requestID(c), "err", err)
			c.Abort()
			return nil
		}
		c.Writer.Header().Del("Content-Disposition")
		return err
	}
	return nil
}

// catalogEntryForm is the entry form's values as typed (or as stored).
type catalogEntryForm struct {
	ID, Version, IndexNo, Title, Summary, GeneratedOn, Publisher, Category, DocNumber string
	EffectiveOn, AmendedOn, RepealedOn, URL, Interprets                               string
}

// catalogEntryFields lists the form's fields top to bottom, for the error
// summary.
var catalogEntryFields = []string{"index_no", "title", "summary", "generated_on", "publisher", "category", "doc_number",
	"effective_on", "amended_on", "repealed_on", "url", "interprets"}

func formOfEntry(e *models.CatalogEntry) catalogEntryForm {
	f := catalogEntryForm{ID: strconv.FormatInt(e.ID, 10), Version: strconv.Itoa(e.Version), IndexNo: e.IndexNo, Title: e.Title,
		Summary: e.Summary, GeneratedOn: e.GeneratedOn.String(), Publisher: e.Publisher, Category: e.Category,
		DocNumber: e.DocNumber, EffectiveOn: e.EffectiveOn.String(), AmendedOn: e.AmendedOn.String(),
		RepealedOn: e.RepealedOn.String(), URL: e.URL}
	if e.InterpretsID != 0 {
		f.Interprets = strconv.FormatInt(e.InterpretsID, 10)
	}
	return f
}

func readCatalogEntryForm(c *gin.Context) catalogEntryForm {
	return catalogEntryForm{ID: formValue(c, "id"), Version: formValue(c, "version"), IndexNo: formValue(c, "index_no"),
		Title: formValue(c, "title"), Summary: strings.TrimSpace(c.PostForm("summary")), GeneratedOn: formValue(c, "generated_on"),
		Publisher: formValue(c, "publisher"), Category: formValue(c, "category"), DocNumber: formValue(c, "doc_number"),
		EffectiveOn: formValue(c, "effective_on"), AmendedOn: formValue(c, "amended_on"), RepealedOn: formValue(c, "repealed_on"),
		URL: formValue(c, "url"), Interprets: formValue(c, "interprets")}
}

// entry turns the form into an entry; problems of form (dates, numbers)
// come back as field errors, the catalog's rules are the store's.
func (f catalogEntryForm) entry(agencyID int64) (*models.CatalogEntry, []models.FieldError) {
	e := &models.CatalogEntry{AgencyID: agencyID, IndexNo: f.IndexNo, Title: f.Title, Summary: f.Summary, Publisher: f.Publisher,
		Category: f.Category, DocNumber: f.DocNumber, URL: f.URL}
	var fe []models.FieldError
	date := func(field, label, s string) models.Date {
		if s == "" {
			return models.Date{}
		}
		d, err := models.ParseSheetDate(s)
		if err != nil {
			fe = append(fe, models.FieldError{Field: field, Message: label + "不是有效的日期，请按2026-02-10的格式填写。"})
		}
		return d
	}
	e.GeneratedOn = date("generated_on", "生成日期", f.GeneratedOn)
	e.EffectiveOn = date("effective_on", "施行日期", f.EffectiveOn)
	e.AmendedOn = date("amended_on", "修改日期", f.AmendedOn)
	e.RepealedOn = date("repealed_on", "废止日期", f.RepealedOn)
	if f.Interprets != "" {
		id, err := strconv.ParseInt(f.Interprets, 10, 64)
		if err != nil || id <= 0 {
			fe = append(fe, models.FieldError{Field: "interprets", Message: "请从列表中选择所解读的政策文件。"})
		}
		e.InterpretsID = id
	}
	return e, fe
}

// StaffCatalogEntryPage is the data of the entry page: for a new entry the
// form alone; for a stored one also its review, publishing, files.
type StaffCatalogEntryPage struct {
	BasePage
	Entry    *models.CatalogEntry // nil for a new entry
	Values   catalogEntryForm
	Form     FormState // the failed form's errors (the entry form or another)
	Groups   []models.CatalogCategoryGroup
	Policies []policyChoices

	Review   *models.CatalogReview
	Findings []catalogFindingView
	Files    []staffCatalogFile
	// Blocked says why the entry cannot be published now; "" when it can.
	Blocked   string
	PublicURL string

	// What was typed into the other forms, kept after an error.
	Attest       bool
	RetireReason string
}

// IsNew reports whether the page creates an entry.
func (p StaffCatalogEntryPage) IsNew() bool { return p.Entry == nil }

// policyChoices is one group of the policy select.
type policyChoices struct {
	Label   string
	Options []option
}

// catalogFindingView is a finding as the review lists it.
type catalogFindingView struct {
	models.ReviewedFinding
	N      int    // 1-based, for the clearing form's field id
	Place  string // where the finding is
	Advice string
	Note   string // the reason typed, kept after an error
	Error  string
}

// staffCatalogFile is a file as the entry page lists it.
type staffCatalogFile struct {
	models.CatalogFile
	Href, Type, Size string
}

// findingPlace says where a finding is: the field or the file, and the
// page and line in a file or in the 内容概述.
func findingPlace(f models.CatalogFinding) string {
	s := f.SourceLabel()
	if f.Page > 0 {
		s += fmt.Sprintf("第%d页", f.Page)
	}
	if f.Line > 0 && (f.Source == models.SourceSummary || f.Source == models.SourceFile) {
		s += fmt.Sprintf("第%d行", f.Line)
	}
	return s
}

// maxOtherPolicies caps the entries outside the 规章 and 行政规范性文件
// categories that the policy select offers.
const maxOtherPolicies = 300

// policyChoices returns the entries an interpretation may name: the
// published documents of the categories table 二 counts (规章, 行政规范性文件),
// then the most recent other published entries, never an interpretation,
// a repealed document or the entry itself; the current choice is kept
// even when it is no longer among them.
func (h *Handler) policyChoices(c *gin.Context, agencyID, self, current int64, cats models.CatalogCategories) ([]policyChoices, error) {
	ctx := c.Request.Context()
	today := h.store.Today()
	seen := map[int64]bool{}
	add := func(list *[]option, e *models.CatalogEntry) {
		repealed := !e.RepealedOn.IsZero() && !e.RepealedOn.After(today)
		if e.ID == self || e.IsInterpretation() || seen[e.ID] || repealed && e.ID != current {
			return
		}
		seen[e.ID] = true
		label := e.Title
		if e.DocNumber != "" {
			label += "（" + e.DocNumber + "）"
		}
		if e.Status != models.CatalogPublished {
			label += "［" + e.Status.Label() + "］"
		}
		*list = append(*list, option{"value": strconv.FormatInt(e.ID, 10), "label": label})
	}
	published := []models.CatalogStatus{models.CatalogPublished}
	var docs, others, kept []option
	for _, k := range []models.CatalogDocKind{models.DocRule, models.DocNormative} {
		for _, code := range cats.CodesOf(k) {
			err := h.store.EachCatalogEntry(ctx, models.CatalogQuery{AgencyID: agencyID, Category: code, Statuses: published},
				func(e *models.CatalogEntry) error { add(&docs, e); return nil })
			if err != nil {
				return nil, err
			}
		}
	}
	recent, err := h.store.SearchCatalog(ctx, models.CatalogQuery{AgencyID: agencyID, Statuses: published, PerPage: maxOtherPolicies})
	if err != nil {
		return nil, err
	}
	for _, e := range recent.Entries {
		add(&others, e)
	}
	if current != 0 && !seen[current] {
		e, err := h.store.CatalogEntry(ctx, agencyID, current)
		switch {
		case err == nil:
			add(&kept, e)
		case models.ErrorCode(err) != models.ENOTFOUND:
			return nil, err
		}
	}
	var out []policyChoices
	for _, g := range []policyChoices{{"当前关联的文件", kept}, {"规章和行政规范性文件", docs}, {"其他已发布信息（最近" + strconv.Itoa(maxOtherPolicies) + "条）", others}} {
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// entryPage builds the entry page of id (0 for a new entry) from the
// store.
func (h *Handler) entryPage(c *gin.Context, id int64) (*StaffCatalogEntryPage, error) {
	ctx := c.Request.Context()
	agencyID := staffUser(c).AgencyID
	cats, err := h.store.CatalogCategories(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	p := &StaffCatalogEntryPage{BasePage: h.basePage(c, "catalog"), Groups: cats.Groups()}
	if id == 0 {
		if p.Agency != nil {
			p.Values.Publisher = p.Agency.Name
		}
		p.Policies, err = h.policyChoices(c, agencyID, 0, 0, cats)
		return p, err
	}
	review, e, err := h.store.ReviewCatalogEntry(ctx, agencyID, id)
	if err != nil {
		return nil, err
	}
	p.Entry, p.Review, p.Values = e, review, formOfEntry(e)
	if p.Policies, err = h.policyChoices(c, agencyID, e.ID, e.InterpretsID, cats); err != nil {
		return nil, err
	}
	partial := map[int64]bool{}
	for _, f := range e.Files {
		partial[f.ID] = f.TextLayer == models.TextLayerPartial
	}
	for i, f := range review.Findings {
		v := catalogFindingView{ReviewedFinding: f, N: i + 1, Place: findingPlace(f.CatalogFinding), Advice: f.Advice()}
		if f.Kind == models.CatalogFindingUnreadable && partial[f.FileID] {
			v.Advice = "系统只能提取该文件部分页面的文字，其余页面（如扫描图像）中的个人信息无法自动检查；已提取的文字另行列出提示。请逐页人工审查后说明，或上传可提取全部文字的版本。"
		}
		p.Findings = append(p.Findings, v)
	}
	for _, f := range e.Files {
		p.Files = append(p.Files, staffCatalogFile{CatalogFile: f, Href: fmt.Sprintf("/staff/catalog/entry?id=%d&file=%d", e.ID, f.ID),
			Type: models.FileTypeLabel(f.ContentType), Size: models.FormatSize(f.Size)})
	}
	switch {
	case e.Status == models.CatalogPublished:
		p.PublicURL = fmt.Sprintf("/catalog/entries/%d", e.ID)
	case review.Open() > 0:
		p.Blocked = fmt.Sprintf("发布前审查还有%d项提示未处理。请删除或遮蔽相关内容，或逐项说明保留的理由，处理完毕后才能发布。", review.Open())
	case e.Interprets != nil && e.Interprets.Status != models.CatalogPublished:
		p.Blocked = "本条目是对“" + e.Interprets.Title + "”的解读，该文件尚未发布。请先发布该文件，再发布本解读。"
	}
	return p, nil
}

// entryID reads an entry's (or a file's) id from a query or form value; a
// missing or malformed one is not found.
func entryID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, models.Errorf(models.ENOTFOUND, "未找到该目录条目。")
	}
	return id, nil
}

func entryURL(id int64) string { return "/staff/catalog/entry?id=" + strconv.FormatInt(id, 10) }

// staffCatalogEntry serves GET /staff/catalog/entry: without an id the
// form for a new entry; with ?id=N the entry's page (review, publishing,
// files, form); with ?id=N&file=M that file, so that the publisher can
// read a draft's files before attesting them.
func (h *Handler) staffCatalogEntry(c *gin.Context) error {
	if c.Query("id") == "" {
		p, err := h.entryPage(c, 0)
		if err != nil {
			return err
		}
		return h.renderPage(c, http.StatusOK, "staff/catalog/entry", p)
	}
	id, err := entryID(c.Query("id"))
	if err != nil {
		return err
	}
	if s := c.Query("file"); s != "" {
		fileID, err := entryID(s)
		if err != nil {
			return errNotFound
		}
		f, err := h.store.CatalogFile(c.Request.Context(), staffUser(c).AgencyID, id, fileID, false)
		if err != nil {
			return err
		}
		serveFile(c, f.Filename, f.ContentType, f.Content)
		return nil
	}
	p, err := h.entryPage(c, id)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/catalog/entry", p)
}

// entryError re-renders the entry page of id after a failed post: status
// from the error, the failed form's messages in st, and fill restoring
// what was typed.
func (h *Handler) entryError(c *gin.Context, id int64, err error, st FormState, fill func(*StaffCatalogEntryPage)) error {
	p, perr := h.entryPage(c, id)
	if perr != nil {
		return perr
	}
	p.Form = st
	if fill != nil {
		fill(p)
	}
	status := http.StatusUnprocessableEntity
	if s, ok := statusFor[models.ErrorCode(err)]; ok && s < 500 {
		status = s
	}
	return h.renderPage(c, status, "staff/catalog/entry", p)
}

// staffCatalogSave serves POST /staff/catalog/entry: a new draft, or the
// changes to an entry (id and the version it was edited from). A failed
// save shows the form again with everything typed.
func (h *Handler) staffCatalogSave(c *gin.Context) error {
	ctx := c.Request.Context()
	agencyID := staffUser(c).AgencyID
	v := readCatalogEntryForm(c)
	var id int64
	if v.ID != "" {
		var err error
		if id, err = entryID(v.ID); err != nil {
			return err
		}
		if _, err := h.store.CatalogEntry(ctx, agencyID, id); err != nil {
			return err
		}
	}
	e, fe := v.entry(agencyID)
	var err error
	var saved *store.CatalogSaved
	switch {
	case len(fe) > 0:
		// Report the catalog's rules along with the form's problems.
		cats, cerr := h.store.CatalogCategories(ctx, agencyID)
		if cerr != nil {
			return cerr
		}
		err = models.Invalid(append(fe, fieldErrorList(e.Validate(cats, h.store.Today()))...)...)
	case id == 0:
		err = h.store.CreateCatalogEntry(ctx, e)
	default:
		e.ID = id
		e.Version, _ = strconv.Atoi(v.Version)
		saved, err = h.store.UpdateCatalogEntry(ctx, e)
	}
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		st := formState(err, catalogEntryFields...)
		if models.ErrorCode(err) == models.ECONFLICT {
			st = FormState{Summary: []models.FieldError{{Field: "title", Message: models.ErrorMessage(err)}}}
		}
		return h.entryError(c, id, err, st, func(p *StaffCatalogEntryPage) { p.Values = v })
	default:
		return err
	}
	switch {
	case id == 0:
		h.setFlash(c, "success", "已保存草稿“"+e.Title+"”。请上传附件或填写链接，完成发布前审查后发布。")
	case saved.Unpublished:
		h.setFlash(c, "warning", fmt.Sprintf("已保存。修改后出现%d项新的审查提示，条目已转为草稿，暂时从公开目录中撤下；处理提示后请重新发布。", saved.OpenFindings))
	case saved.OpenFindings > 0:
		h.setFlash(c, "success", fmt.Sprintf("已保存。发布前审查有%d项提示需要处理。", saved.OpenFindings))
	default:
		h.setFlash(c, "success", "已保存。")
	}
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}

// fieldErrorList returns the field errors err carries, in order.
func fieldErrorList(err error) []models.FieldError {
	var e *models.Error
	if asError(err, &e) {
		return e.Fields
	}
	return nil
}

// postedEntry loads the entry a post names in its id field.
func (h *Handler) postedEntry(c *gin.Context) (*models.CatalogEntry, error) {
	id, err := entryID(c.PostForm("id"))
	if err != nil {
		return nil, err
	}
	return h.store.CatalogEntry(c.Request.Context(), staffUser(c).AgencyID, id)
}

// refusal is the error summary of an action the entry's state refuses
// (publishing with open findings, retiring a draft): one line linking to
// the section that explains it.
func refusal(err error, section string) FormState {
	return FormState{Summary: []models.FieldError{{Field: section, Message: models.ErrorMessage(err)}}}
}

// staffCatalogDelete serves POST /staff/catalog/delete: a draft that was
// never published is deleted.
func (h *Handler) staffCatalogDelete(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	err = h.store.DeleteCatalogDraft(c.Request.Context(), e.AgencyID, e.ID)
	if models.ErrorCode(err) == models.ECONFLICT {
		return h.entryError(c, e.ID, err, refusal(err, "publish"), nil)
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已删除草稿“"+e.Title+"”。")
	c.Redirect(http.StatusSeeOther, "/staff/catalog")
	return nil
}

// catalogAttestation is the attestation recorded when the publisher ticks
// the box on the upload form (models.ValidateClearanceNote).
const catalogAttestation = "上传时确认：已逐页人工审查该文件，未见公民身份号码、详细住址、联系方式等个人信息，也未见商业网站链接。"

// staffCatalogUpload serves POST /staff/catalog/files: one file attached
// to an entry. A PDF's text layer is read (reports.ExtractPDFText) and
// checked with the entry; a file without one needs the publisher's
// attestation, given here with the box or later in the review.
func (h *Handler) staffCatalogUpload(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	attest := c.PostForm("attest") == "1"
	fail := func(err error) error {
		return h.entryError(c, e.ID, err, formState(models.Invalid(models.FieldError{Field: "file", Message: models.ErrorMessage(err)}), "file"),
			func(p *StaffCatalogEntryPage) { p.Attest = attest })
	}
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart):
		return fail(models.Errorf(models.EINVALID, "请选择要上传的文件。"))
	case err != nil:
		return fail(models.WrapError(models.EINVALID, err, "无法读取上传的文件，请重新选择。"))
	case fh.Size > models.MaxCatalogFileBytes:
		return fail(models.Errorf(models.EINVALID, "文件“%s”大小为%s，超过了10MB的限制。", models.CleanFilename(fh.Filename, ""), models.FormatSize(fh.Size)))
	}
	r, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open catalog upload: %w", err)
	}
	content, err := io.ReadAll(io.LimitReader(r, models.MaxCatalogFileBytes+1))
	r.Close()
	if err != nil {
		return fmt.Errorf("read catalog upload: %w", err)
	}
	up := store.CatalogUpload{Filename: fh.Filename, Content: content, ReadPDF: readPDFText}
	if attest {
		up.Attest = catalogAttestation
	}
	f, saved, err := h.store.AttachCatalogFile(c.Request.Context(), e.AgencyID, e.ID, up)
	if models.ErrorCode(err) == models.EINVALID {
		return fail(err)
	}
	if err != nil {
		return err
	}
	msg := "已上传“" + f.Filename + "”。"
	switch {
	case f.TextLayer == models.TextLayerText:
		msg += "系统已提取其中的文字并完成检查。"
	case attest:
		msg += "该文件无法（全部）提取文字，已记录您逐页人工审查的确认。"
	default:
		msg += "该文件无法（全部）提取文字，请逐页人工审查，并在“发布前审查”中说明。"
	}
	kind := "success"
	switch {
	case saved.Unpublished:
		kind = "warning"
		msg += fmt.Sprintf("附件带来%d项未处理的审查提示，条目已转为草稿，暂时从公开目录中撤下；处理后请重新发布。", saved.OpenFindings)
	case saved.OpenFindings > 0:
		msg += fmt.Sprintf("发布前审查现有%d项提示未处理。", saved.OpenFindings)
	}
	h.setFlash(c, kind, msg)
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}

// staffCatalogRemoveFile serves POST /staff/catalog/files/remove.
func (h *Handler) staffCatalogRemoveFile(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	fileID, err := entryID(c.PostForm("file"))
	if err != nil {
		return errNotFound
	}
	name := ""
	for _, f := range e.Files {
		if f.ID == fileID {
			name = f.Filename
		}
	}
	if err := h.store.RemoveCatalogFile(c.Request.Context(), e.AgencyID, e.ID, fileID); err != nil {
		return err
	}
	h.setFlash(c, "success", "已删除附件“"+name+"”。")
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}

// staffCatalogClear serves POST /staff/catalog/clear: the publisher's
// reason for keeping a flagged text (an official hotline, a link to a
// state platform, a scan read in full), bound to the finding's
// fingerprint.
func (h *Handler) staffCatalogClear(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	fp, note := c.PostForm("fingerprint"), strings.TrimSpace(c.PostForm("note"))
	err = h.store.ClearCatalogFinding(c.Request.Context(), e.AgencyID, e.ID, fp, note)
	switch models.ErrorCode(err) {
	case "":
		h.setFlash(c, "success", "已记录保留理由。")
	case models.ENOTFOUND:
		// The finding went away (the text was corrected meanwhile).
		h.setFlash(c, "warning", models.ErrorMessage(err))
	case models.EINVALID:
		p, perr := h.entryPage(c, e.ID)
		if perr != nil {
			return perr
		}
		msg := models.FieldErrors(err)["note"]
		for i := range p.Findings {
			if f := &p.Findings[i]; f.Fingerprint == fp {
				f.Note, f.Error = note, msg
				p.Form = FormState{Summary: []models.FieldError{{Field: fmt.Sprintf("note-%d", f.N), Message: msg}}}
			}
		}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/catalog/entry", p)
	default:
		return err
	}
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}

// staffCatalogPublish serves POST /staff/catalog/publish: refused, with
// the reason on the entry page, while a finding is open or the policy an
// interpretation explains is not published.
func (h *Handler) staffCatalogPublish(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	p, err := h.store.PublishCatalogEntry(c.Request.Context(), e.AgencyID, e.ID)
	if models.ErrorCode(err) == models.ECONFLICT || models.ErrorCode(err) == models.EINVALID {
		return h.entryError(c, e.ID, err, refusal(err, "publish"), nil)
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已发布“"+p.Title+"”，索引号为"+p.IndexNo+"。")
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}

// staffCatalogRetire serves POST /staff/catalog/retire: a published entry
// leaves the public catalog, with the reason recorded.
func (h *Handler) staffCatalogRetire(c *gin.Context) error {
	e, err := h.postedEntry(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	err = h.store.RetireCatalogEntry(c.Request.Context(), e.AgencyID, e.ID, reason)
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID:
		return h.entryError(c, e.ID, err, formState(err, "reason"), func(p *StaffCatalogEntryPage) { p.RetireReason = reason })
	case models.ECONFLICT:
		return h.entryError(c, e.ID, err, refusal(err, "publish"), nil)
	default:
		return err
	}
	h.setFlash(c, "success", "已撤下“"+e.Title+"”，公众不再能在目录中看到该条目。")
	c.Redirect(http.StatusSeeOther, entryURL(e.ID))
	return nil
}
