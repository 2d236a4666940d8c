package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/reports"
)

// disclosureRoutes registers the public disclosure pages: the 政府信息公开指南
// and 政府信息公开目录 (条例第十二条) with their PDF and XLSX downloads.
func (h *Handler) disclosureRoutes(r *gin.Engine) {
	r.GET("/guide", h.wrap(h.showGuide))
	r.GET("/guide.pdf", h.wrap(h.guidePDF))
	r.GET("/guide.xlsx", h.wrap(h.guideXLSX))
	r.GET("/catalog", h.wrap(h.showCatalog))
	r.GET("/catalog.pdf", h.wrap(h.catalogPDF))
	r.GET("/catalog.xlsx", h.wrap(h.catalogXLSX))
	r.GET("/catalog/entries/:id", h.wrap(h.showCatalogEntry))
	r.GET("/catalog/entries/:id/files/:file", h.wrap(h.catalogFile))
}

// guide builds the agency's guide from its profile, clock rules, catalog
// categories and 索引号 rule: nothing in it is stored as text.
func (h *Handler) guide(c *gin.Context) (models.Guide, *models.Agency, error) {
	ctx := c.Request.Context()
	a, err := h.agency(c)
	if err != nil {
		return models.Guide{}, nil, err
	}
	rules, err := h.store.ClockRules(ctx, a.ID)
	if err != nil {
		return models.Guide{}, nil, err
	}
	cats, err := h.store.CatalogCategories(ctx, a.ID)
	if err != nil {
		return models.Guide{}, nil, err
	}
	cs, err := h.store.CatalogSettings(ctx, a.ID)
	if err != nil {
		return models.Guide{}, nil, err
	}
	var updated models.Date
	if !a.UpdatedAt.IsZero() {
		updated = models.DateOf(a.UpdatedAt, h.cfg.Location)
	}
	g := models.BuildGuide(*a, models.GuideInput{Rules: rules, Categories: cats, Index: cs.Index,
		PortalURL: strings.TrimSuffix(h.cfg.BaseURL, "/"), UpdatedOn: updated})
	return g, a, nil
}

// GuidePage is the data of the guide page.
type GuidePage struct {
	BasePage
	Guide models.Guide
}

// showGuide serves GET /guide: the 政府信息公开指南 with links to its PDF
// and XLSX.
func (h *Handler) showGuide(c *gin.Context) error {
	g, _, err := h.guide(c)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "guide/show", GuidePage{BasePage: h.basePage(c, "guide"), Guide: g})
}

// guidePDF serves GET /guide.pdf.
func (h *Handler) guidePDF(c *gin.Context) error {
	g, _, err := h.guide(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteGuidePDF(&buf, g, h.store.Now()); err != nil {
		var mg *reports.MissingGlyphsError
		if errors.As(err, &mg) {
			// A character of the profile the PDF font lacks: the page
			// still shows it; the administrator sees the log.
			h.log.Error("guide pdf: profile has characters the font lacks", "request_id", requestID(c), "err", err)
			return models.WrapError(models.EUNAVAILABLE, err, "指南的PDF版暂时无法生成，请查阅网页版或下载Excel版。")
		}
		return err
	}
	sendDownload(c, g.Title+".pdf", models.TypePDF, buf.Bytes())
	return nil
}

// guideXLSX serves GET /guide.xlsx.
func (h *Handler) guideXLSX(c *gin.Context) error {
	g, _, err := h.guide(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteGuideXLSX(&buf, g); err != nil {
		return err
	}
	sendDownload(c, g.Title+".xlsx", models.TypeXLSX, buf.Bytes())
	return nil
}

// sendDownload sends a generated document as a download, its Chinese name
// in RFC 6266 form. Public documents change whenever the data does, so
// caches must ask again.
func sendDownload(c *gin.Context, name, contentType string, b []byte) {
	c.Header("Cache-Control", "no-cache")
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Data(http.StatusOK, contentType, b)
}

// catalogFilter is the catalog's search form as the query string carries
// it.
type catalogFilter struct {
	Q, Category, Year, Validity string
	Page                        int
}

func readCatalogFilter(c *gin.Context) catalogFilter {
	f := catalogFilter{Q: trimSpace(c.Query("q")), Category: trimSpace(c.Query("category")),
		Year: trimSpace(c.Query("year")), Validity: trimSpace(c.Query("validity")), Page: 1}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		f.Page = n
	}
	return f
}

// query turns the form into a store query of the public catalog, with a
// message per field that is wrong.
func (f catalogFilter) query(agencyID int64, cats models.CatalogCategories) (models.CatalogQuery, error) {
	q := models.CatalogQuery{AgencyID: agencyID, Text: f.Q, Category: f.Category, Validity: models.Validity(f.Validity), Page: f.Page}
	var fe []models.FieldError
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

// values returns the form as a query string, leaving out empty fields and
// the first page.
func (f catalogFilter) values(page int) url.Values {
	return pageValues(map[string]string{"q": f.Q, "category": f.Category, "year": f.Year, "validity": f.Validity}, page)
}

// pageValues returns a list's filter as a query string: the fields that are
// set, and the page unless it is the first.
func pageValues(fields map[string]string, page int) url.Values {
	v := url.Values{}
	for k, s := range fields {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// describe writes the filter in words for the PDF's subtitle.
func (f catalogFilter) describe(cats models.CatalogCategories) string {
	var parts []string
	if f.Q != "" {
		parts = append(parts, "检索词“"+f.Q+"”")
	}
	if c, ok := cats.Lookup(f.Category); ok {
		parts = append(parts, "类别："+c.DisplayLabel())
	}
	if f.Year != "" {
		parts = append(parts, "年份："+f.Year)
	}
	if l := models.Validity(f.Validity).Label(); l != "" {
		parts = append(parts, "效力状态："+l)
	}
	return strings.Join(parts, "；")
}

// CatalogPage is the data of the public catalog.
type CatalogPage struct {
	BasePage
	Filter     catalogFilter
	Form       FormState
	Groups     []models.CatalogCategoryGroup
	Years      []map[string]string
	Validities []map[string]string
	Filtered   bool
	Result     *models.CatalogPage
	Rows       []CatalogRow
	PrevURL    string
	NextURL    string
	PDFURL     string
	XLSXURL    string
}

// CatalogRow is one entry of the list.
type CatalogRow struct {
	*models.CatalogEntry
	ValidityLabel string
}

// showCatalog serves GET /catalog: the public catalog, searched by text
// and filtered by category, year and validity, 20 entries a page, newest
// first.
func (h *Handler) showCatalog(c *gin.Context) error {
	ctx := c.Request.Context()
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	cats, err := h.store.CatalogCategories(ctx, a.ID)
	if err != nil {
		return err
	}
	years, err := h.store.CatalogYears(ctx, a.ID)
	if err != nil {
		return err
	}
	f := readCatalogFilter(c)
	page := CatalogPage{BasePage: h.basePage(c, "catalog"), Filter: f, Groups: cats.Groups(),
		Filtered: f.Q != "" || f.Category != "" || f.Year != "" || f.Validity != ""}
	for _, y := range years {
		page.Years = append(page.Years, map[string]string{"value": strconv.Itoa(y), "label": strconv.Itoa(y) + "年"})
	}
	for _, v := range []models.Validity{models.ValidityInForce, models.ValidityPending, models.ValidityRepealed} {
		page.Validities = append(page.Validities, map[string]string{"value": string(v), "label": v.Label()})
	}
	q, err := f.query(a.ID, cats)
	if err != nil {
		page.Form = formState(err, "q", "category", "year", "validity")
		return h.renderPage(c, http.StatusUnprocessableEntity, "catalog/index", page)
	}
	today := models.DateOf(h.store.Now(), h.cfg.Location)
	q.On = today
	res, err := h.store.SearchCatalog(ctx, q)
	if err != nil {
		return err
	}
	if res.Total > 0 && q.Page > res.Pages {
		return models.Errorf(models.ENOTFOUND, "没有这一页。")
	}
	page.Result = res
	for _, e := range res.Entries {
		page.Rows = append(page.Rows, CatalogRow{CatalogEntry: e, ValidityLabel: e.ValidityOn(today).Label()})
	}
	if res.Page > 1 {
		page.PrevURL = withQuery("/catalog", f.values(res.Page-1))
	}
	if res.Page < res.Pages {
		page.NextURL = withQuery("/catalog", f.values(res.Page+1))
	}
	page.PDFURL = withQuery("/catalog.pdf", f.values(1))
	page.XLSXURL = withQuery("/catalog.xlsx", f.values(1))
	return h.renderPage(c, http.StatusOK, "catalog/index", page)
}

// catalogExport checks the filter of a download and returns the rows it
// selects, the document's description and the agency.
func (h *Handler) catalogExport(c *gin.Context) (reports.CatalogRows, reports.CatalogDoc, error) {
	ctx := c.Request.Context()
	a, err := h.agency(c)
	if err != nil {
		return nil, reports.CatalogDoc{}, err
	}
	cats, err := h.store.CatalogCategories(ctx, a.ID)
	if err != nil {
		return nil, reports.CatalogDoc{}, err
	}
	f := readCatalogFilter(c)
	q, err := f.query(a.ID, cats)
	if err != nil {
		return nil, reports.CatalogDoc{}, err
	}
	now := h.store.Now()
	q.On = models.DateOf(now, h.cfg.Location)
	doc := reports.CatalogDoc{Agency: *a, Filter: f.describe(cats), Today: q.On, CreatedAt: now}
	rows := func(yield func(*models.CatalogEntry) error) error {
		return h.store.EachCatalogEntry(ctx, q, yield)
	}
	return rows, doc, nil
}

// catalogPDF serves GET /catalog.pdf: the (filtered) catalog as a table.
func (h *Handler) catalogPDF(c *gin.Context) error {
	rows, doc, err := h.catalogExport(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := reports.WriteCatalogPDF(&buf, doc, rows); err != nil {
		return err
	}
	sendDownload(c, doc.Agency.Name+"政府信息公开目录.pdf", models.TypePDF, buf.Bytes())
	return nil
}

// catalogXLSX serves GET /catalog.xlsx: the (filtered) catalog as a
// workbook, written straight to the response. The workbook's rows are
// streamed to a temporary file as they are read, and only the finished
// file is sent, so an error before that still gets an error page.
func (h *Handler) catalogXLSX(c *gin.Context) error {
	rows, doc, err := h.catalogExport(c)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-cache")
	c.Header("Content-Type", models.TypeXLSX)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.Agency.Name + "政府信息公开目录.xlsx"}))
	if _, err := reports.WriteCatalogXLSX(c.Writer, doc, rows); err != nil {
		if c.Writer.Written() {
			// Nothing better can be done once bytes are on their way.
			h.log.Error("catalog export failed mid-response", "request_id", requestID(c), "err", err)
			c.Abort()
			return nil
		}
		c.Writer.Header().Del("Content-Disposition")
		return err
	}
	return nil
}

// CatalogEntryPage is the data of one entry's page.
type CatalogEntryPage struct {
	BasePage
	Entry         *models.CatalogEntry
	ValidityLabel string
	Files         []CatalogFileLink
	PublishedAt   string // yyyy-MM-dd HH:mm, for the PubDate meta tag
}

// CatalogFileLink is a file as the entry page lists it.
type CatalogFileLink struct {
	Href, Name, Type, Size string
}

func catalogParamID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, models.Errorf(models.ENOTFOUND, "未找到该目录条目。")
	}
	return id, nil
}

// showCatalogEntry serves GET /catalog/entries/:id: a published entry with
// its fields, its files or link, and the link to its interpretation or
// back to the policy it interprets.
func (h *Handler) showCatalogEntry(c *gin.Context) error {
	id, err := catalogParamID(c, "id")
	if err != nil {
		return err
	}
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	e, err := h.store.PublishedCatalogEntry(c.Request.Context(), a.ID, id)
	if err != nil {
		return err
	}
	page := CatalogEntryPage{BasePage: h.basePage(c, "catalog"), Entry: e,
		ValidityLabel: e.ValidityOn(models.DateOf(h.store.Now(), h.cfg.Location)).Label()}
	if !e.PublishedAt.IsZero() {
		page.PublishedAt = e.PublishedAt.In(h.cfg.Location).Format("2006-01-02 15:04")
	}
	for _, f := range e.Files {
		page.Files = append(page.Files, CatalogFileLink{
			Href: fmt.Sprintf("/catalog/entries/%d/files/%d", e.ID, f.ID), Name: f.Filename,
			Type: models.FileTypeLabel(f.ContentType), Size: models.FormatSize(f.Size)})
	}
	return h.renderPage(c, http.StatusOK, "catalog/show", page)
}

// catalogFile serves GET /catalog/entries/:id/files/:file: a file of a
// published entry.
func (h *Handler) catalogFile(c *gin.Context) error {
	id, err := catalogParamID(c, "id")
	if err != nil {
		return err
	}
	fileID, err := catalogParamID(c, "file")
	if err != nil {
		return err
	}
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	f, err := h.store.CatalogFile(c.Request.Context(), a.ID, id, fileID, true)
	if err != nil {
		return err
	}
	sendDownload(c, f.Filename, f.ContentType, f.Content)
	return nil
}
