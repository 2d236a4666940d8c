package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// SectionsPage is the data of the section list.
type SectionsPage struct {
	BasePage
	Sections []*models.Section
}

// listSections serves GET /staff/admin/sections.
func (h *Handler) listSections(c *gin.Context) error {
	sections, err := h.store.Sections(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/sections/index", SectionsPage{BasePage: h.basePage(c, "sections"), Sections: sections})
}

// SectionFormPage is the data of the section form.
type SectionFormPage struct {
	BasePage
	Section  *models.Section // ID 0 for a new section
	Keywords string          // one per line, as typed
	Order    string
	Form     FormState
}

var sectionFormOrder = []string{"name", "keywords", "sort_order"}

func sectionForm(c *gin.Context, sec *models.Section) (string, error) {
	sec.Name = formValue(c, "name")
	kw := c.PostForm("keywords")
	// Keywords may be typed one per line or separated by Chinese or
	// Western commas.
	sec.Keywords = strings.FieldsFunc(kw, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	})
	sec.Active = sec.ID == 0 || c.PostForm("active") == "1"
	order := formValue(c, "sort_order")
	sec.SortOrder = 0
	if order != "" {
		n, err := strconv.Atoi(order)
		if err != nil {
			return kw, models.Invalid(models.FieldError{Field: "sort_order", Message: "排序号应为0至9999之间的整数。"})
		}
		sec.SortOrder = n
	}
	return kw, nil
}

// newSection serves GET /staff/admin/sections/new.
func (h *Handler) newSection(c *gin.Context) error {
	return h.renderPage(c, http.StatusOK, "staff/admin/sections/form", SectionFormPage{
		BasePage: h.basePage(c, "sections"), Section: &models.Section{Active: true}})
}

// createSection serves POST /staff/admin/sections.
func (h *Handler) createSection(c *gin.Context) error {
	sec := &models.Section{AgencyID: staffUser(c).AgencyID}
	kw, err := sectionForm(c, sec)
	if err == nil {
		err = h.store.CreateSection(c.Request.Context(), sec)
	}
	if models.ErrorCode(err) == models.EINVALID {
		sec.ID = 0
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/sections/form", SectionFormPage{
			BasePage: h.basePage(c, "sections"), Section: sec, Keywords: kw, Order: formValue(c, "sort_order"),
			Form: formState(err, sectionFormOrder...)})
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已新建科室“"+sec.Name+"”。")
	c.Redirect(http.StatusSeeOther, "/staff/admin/sections")
	return nil
}

func (h *Handler) targetSection(c *gin.Context) (*models.Section, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该科室。")
	}
	return h.store.Section(c.Request.Context(), staffUser(c).AgencyID, id)
}

// editSection serves GET /staff/admin/sections/:id.
func (h *Handler) editSection(c *gin.Context) error {
	sec, err := h.targetSection(c)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/sections/form", SectionFormPage{BasePage: h.basePage(c, "sections"),
		Section: sec, Keywords: strings.Join(sec.Keywords, "\n"), Order: strconv.Itoa(sec.SortOrder)})
}

// updateSection serves POST /staff/admin/sections/:id.
func (h *Handler) updateSection(c *gin.Context) error {
	sec, err := h.targetSection(c)
	if err != nil {
		return err
	}
	kw, err := sectionForm(c, sec)
	if err == nil {
		err = h.store.UpdateSection(c.Request.Context(), sec)
	}
	if models.ErrorCode(err) == models.EINVALID {
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/sections/form", SectionFormPage{
			BasePage: h.basePage(c, "sections"), Section: sec, Keywords: kw, Order: formValue(c, "sort_order"),
			Form: formState(err, sectionFormOrder...)})
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "已保存科室“"+sec.Name+"”。")
	c.Redirect(http.StatusSeeOther, "/staff/admin/sections")
	return nil
}
