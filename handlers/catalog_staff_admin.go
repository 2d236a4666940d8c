package handlers

// The catalog's bulk and settings pages: XLSX import, the 索引号 rule and
// the link allow-list, and the agency's own categories.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/reports"
)

// StaffCatalogImportPage is the data of the import page.
type StaffCatalogImportPage struct {
	BasePage
	Form     FormState
	Columns  []models.CatalogColumn
	Problems []models.RowError // of a refused file
	More     int               // problems beyond those listed
	Filename string
}

func (h *Handler) importPage(c *gin.Context) StaffCatalogImportPage {
	return StaffCatalogImportPage{BasePage: h.basePage(c, "catalog"), Columns: models.CatalogColumns}
}

// staffCatalogImportForm serves GET /staff/catalog/import.
func (h *Handler) staffCatalogImportForm(c *gin.Context) error {
	return h.renderPage(c, http.StatusOK, "staff/catalog/import", h.importPage(c))
}

// staffCatalogImport serves POST /staff/catalog/import: a workbook in the
// export's columns. Rows whose 索引号 names a stored entry update it, the
// others become drafts; nothing is published. If any row is wrong nothing
// is imported and the page lists every problem by row and column.
func (h *Handler) staffCatalogImport(c *gin.Context) error {
	ctx := c.Request.Context()
	agencyID := staffUser(c).AgencyID
	page := h.importPage(c)
	fail := func(msg string) error {
		page.Form = formState(models.Invalid(models.FieldError{Field: "file", Message: msg}), "file")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/catalog/import", page)
	}
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart):
		return fail("请选择要导入的Excel文件（.xlsx）。")
	case err != nil:
		return fail("无法读取上传的文件，请重新选择。")
	case fh.Size > maxCatalogImportFile:
		return fail(fmt.Sprintf("文件大小为%s，超过了%d MB的限制，请分批导入。", models.FormatSize(fh.Size), maxCatalogImportFile>>20))
	}
	page.Filename = models.CleanFilename(fh.Filename, "")
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open catalog import: %w", err)
	}
	defer f.Close()
	cats, err := h.store.CatalogCategories(ctx, agencyID)
	if err != nil {
		return err
	}
	rows, err := reports.ReadCatalogXLSX(f, cats)
	var res *models.CatalogImportResult
	if err == nil {
		res, err = h.store.ImportCatalog(ctx, agencyID, rows)
	}
	var ie *models.ImportError
	if errors.As(err, &ie) {
		page.Problems, page.More = ie.Problems, ie.More
		page.Form = FormState{Summary: []models.FieldError{{Field: "problems", Message: models.ErrorMessage(err)}}}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/catalog/import", page)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已导入“%s”：新建草稿%d条，更新%d条，未变%d条。新建的条目须完成发布前审查后逐条发布。",
		page.Filename, res.Created, res.Updated, res.Unchanged)
	kind := "success"
	if res.Unpublished > 0 {
		kind = "warning"
		msg += fmt.Sprintf("有%d条已发布的条目因修改后出现审查提示，已转为草稿并暂时从公开目录中撤下。", res.Unpublished)
	}
	h.setFlash(c, kind, msg)
	target := "/staff/catalog"
	if res.Created > 0 || res.Unpublished > 0 {
		target += "?status=draft"
	}
	c.Redirect(http.StatusSeeOther, target)
	return nil
}

// StaffCatalogSettingsPage is the data of the catalog settings.
type StaffCatalogSettingsPage struct {
	BasePage
	Pattern, OrgCode, Allowlist string
	Form                        FormState
	// Example and Describe show the rule typed (after a preview) or saved.
	Example   string
	Describe  string
	Previewed bool
	Website   string // the agency's website, whose links are always allowed
}

var catalogSettingsFields = []string{"index_pattern", "org_code", "link_allowlist"}

func (h *Handler) settingsPage(c *gin.Context, cs models.CatalogSettings) (StaffCatalogSettingsPage, error) {
	p := StaffCatalogSettingsPage{BasePage: h.basePage(c, "catalog"), Pattern: cs.Index.Pattern, OrgCode: cs.Index.OrgCode,
		Allowlist: strings.Join(cs.LinkAllowlist, "\n")}
	a, err := h.store.Agency(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return p, err
	}
	p.Website = a.Website
	if cs.Index.Validate() == nil {
		year := h.store.Today().Year()
		p.Example = cs.Index.Format(a.Code, year, 1)
		p.Describe = cs.Index.Describe(a.Code, year)
	}
	return p, nil
}

// staffCatalogSettings serves GET /staff/catalog/settings.
func (h *Handler) staffCatalogSettings(c *gin.Context) error {
	cs, err := h.store.CatalogSettings(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return err
	}
	p, err := h.settingsPage(c, cs)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/catalog/settings", p)
}

// staffCatalogSaveSettings serves POST /staff/catalog/settings: the
// 索引号 rule, the organisation code and the link allow-list, checked and
// saved; with the preview button, checked and shown with an example
// number without saving.
func (h *Handler) staffCatalogSaveSettings(c *gin.Context) error {
	agencyID := staffUser(c).AgencyID
	cs := models.CatalogSettings{Index: models.IndexRule{Pattern: formValue(c, "index_pattern"), OrgCode: formValue(c, "org_code")},
		LinkAllowlist: models.ParseDomainList(c.PostForm("link_allowlist"))}
	typed := c.PostForm("link_allowlist")
	preview := c.PostForm("preview") != ""
	var err error
	if preview {
		err = cs.Validate()
	} else {
		err = h.store.SaveCatalogSettings(c.Request.Context(), agencyID, cs)
	}
	if err != nil && models.ErrorCode(err) != models.EINVALID {
		return err
	}
	if err != nil || preview {
		p, perr := h.settingsPage(c, cs)
		if perr != nil {
			return perr
		}
		p.Allowlist, p.Previewed = typed, err == nil
		status := http.StatusOK
		if err != nil {
			status = http.StatusUnprocessableEntity
			p.Form = formState(err, catalogSettingsFields...)
			if fe := models.FieldErrors(err); fe["index_pattern"] != "" || fe["org_code"] != "" {
				p.Example, p.Describe = "", ""
			}
		}
		return h.renderPage(c, status, "staff/catalog/settings", p)
	}
	h.setFlash(c, "success", "目录设置已保存。新的索引号规则用于此后首次发布的条目，已有的索引号不变。")
	c.Redirect(http.StatusSeeOther, "/staff/catalog/settings")
	return nil
}

// StaffCatalogCategoriesPage is the data of the categories page.
type StaffCatalogCategoriesPage struct {
	BasePage
	Groups  []models.CatalogCategoryGroup // every category, built-in and the agency's
	Custom  []models.CatalogCategory
	Editing *models.CatalogCategory // the agency category being changed; nil for a new one
	Values  struct{ Label, Item, DocKind, SortOrder string }
	Items   []option
	Kinds   []option
	Form    FormState
}

// DocKindLabel names the table 二 row a category counts in, or "".
func (StaffCatalogCategoriesPage) DocKindLabel(k models.CatalogDocKind) string {
	return models.DocKindLabel(k)
}

var catalogCategoryFields = []string{"label", "item", "doc_kind", "sort_order"}

func (h *Handler) categoriesPage(c *gin.Context) (*StaffCatalogCategoriesPage, models.CatalogCategories, error) {
	cats, err := h.store.CatalogCategories(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return nil, nil, err
	}
	p := &StaffCatalogCategoriesPage{BasePage: h.basePage(c, "catalog"), Groups: cats.Groups()}
	for _, cat := range cats {
		if cat.Custom {
			p.Custom = append(p.Custom, cat)
		}
	}
	for i := 1; i <= len(models.Article20Items); i++ {
		p.Items = append(p.Items, option{"value": strconv.Itoa(i), "label": models.Article20ItemName(i) + " " + models.Article20ItemLabel(i)})
	}
	p.Items = append(p.Items, option{"value": "0", "label": "其他（本机关确定的其他信息）"})
	p.Kinds = []option{{"value": "", "label": "不统计"}, {"value": string(models.DocRule), "label": "规章"},
		{"value": string(models.DocNormative), "label": "行政规范性文件"}}
	return p, cats, nil
}

// staffCatalogCategories serves GET /staff/catalog/categories: the
// categories, the form for a new one, or (?code=) for changing one.
func (h *Handler) staffCatalogCategories(c *gin.Context) error {
	p, cats, err := h.categoriesPage(c)
	if err != nil {
		return err
	}
	p.Values.Item = "0"
	if code := c.Query("code"); code != "" {
		cat, ok := cats.Lookup(code)
		if !ok || !cat.Custom {
			return models.Errorf(models.ENOTFOUND, "未找到该类别（内置类别不能修改）。")
		}
		p.Editing = &cat
		p.Values.Label, p.Values.Item, p.Values.DocKind = cat.Label, strconv.Itoa(cat.Item), string(cat.DocKind)
		p.Values.SortOrder = strconv.Itoa(cat.SortOrder)
	}
	return h.renderPage(c, http.StatusOK, "staff/catalog/categories", p)
}

// staffCatalogSaveCategory serves POST /staff/catalog/categories: a new
// agency category, or (code) the changes to one.
func (h *Handler) staffCatalogSaveCategory(c *gin.Context) error {
	p, cats, err := h.categoriesPage(c)
	if err != nil {
		return err
	}
	code := formValue(c, "code")
	if code != "" {
		cat, ok := cats.Lookup(code)
		if !ok || !cat.Custom {
			return models.Errorf(models.ENOTFOUND, "未找到该类别（内置类别不能修改）。")
		}
		p.Editing = &cat
	}
	p.Values.Label, p.Values.Item = formValue(c, "label"), formValue(c, "item")
	p.Values.DocKind, p.Values.SortOrder = formValue(c, "doc_kind"), formValue(c, "sort_order")
	cat := &models.CatalogCategory{Code: code, Label: p.Values.Label, DocKind: models.CatalogDocKind(p.Values.DocKind)}
	var fe []models.FieldError
	if n, err := strconv.Atoi(p.Values.Item); err == nil {
		cat.Item = n
	} else {
		fe = append(fe, models.FieldError{Field: "item", Message: "请选择条例第二十条的一项，或“其他”。"})
	}
	if s := p.Values.SortOrder; s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 9999 {
			cat.SortOrder = n
		} else {
			fe = append(fe, models.FieldError{Field: "sort_order", Message: "排序号应为0至9999之间的整数。"})
		}
	}
	if len(fe) > 0 {
		err = models.Invalid(append(fe, fieldErrorList(cat.Validate(cats))...)...)
	} else {
		err = h.store.SaveCatalogCategory(c.Request.Context(), staffUser(c).AgencyID, cat)
	}
	if models.ErrorCode(err) == models.EINVALID {
		p.Form = formState(err, catalogCategoryFields...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/catalog/categories", p)
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已保存类别“"+cat.Label+"”。")
	c.Redirect(http.StatusSeeOther, "/staff/catalog/categories")
	return nil
}
