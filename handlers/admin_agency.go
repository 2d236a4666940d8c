package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/reports"
)

// maxSealBytes caps the seal upload; a seal scanned at 600 dpi as a PNG is
// far smaller.
const maxSealBytes = 2 << 20

// Seal image limits in pixels: at least enough to print 40 mm sharply, at
// most what reports accepts.
const (
	minSealPixels = 100
	maxSealPixels = 4000
)

// AgencyPage is the data of the agency profile form.
type AgencyPage struct {
	BasePage
	Profile    models.Agency // as stored, or as typed after an error
	HasSeal    bool
	Unverified bool
	Form       FormState
}

var agencyFormOrder = []string{"name", "office_name", "office_address", "post_code", "office_hours", "phone", "fax",
	"email", "website", "reconsideration_body", "court", "letter_prefix", "seal"}

func (h *Handler) staffAgency(c *gin.Context) (*models.Agency, error) {
	return h.store.Agency(c.Request.Context(), staffUser(c).AgencyID)
}

// editAgency serves GET /staff/admin/agency.
func (h *Handler) editAgency(c *gin.Context) error {
	a, err := h.staffAgency(c)
	if err != nil {
		return err
	}
	unverified, err := h.store.ProfileUnverified(c.Request.Context(), a.ID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/agency", AgencyPage{BasePage: h.basePage(c, "agency"),
		Profile: *a, HasSeal: len(a.SealImage) > 0, Unverified: unverified})
}

// updateAgency serves POST /staff/admin/agency (multipart: the seal is a
// file). Saving clears the 待核对 marker of the seeded profile.
func (h *Handler) updateAgency(c *gin.Context) error {
	old, err := h.staffAgency(c)
	if err != nil {
		return err
	}
	a := *old
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"name", &a.Name}, {"office_name", &a.OfficeName}, {"office_address", &a.OfficeAddress},
		{"post_code", &a.PostCode}, {"office_hours", &a.OfficeHours}, {"phone", &a.Phone}, {"fax", &a.Fax},
		{"email", &a.Email}, {"website", &a.Website}, {"reconsideration_body", &a.ReconsiderationBody},
		{"court", &a.Court}, {"letter_prefix", &a.LetterPrefix},
	} {
		*f.dst = formValue(c, f.name)
	}
	err = a.Validate()
	if err == nil {
		err = h.readSeal(c, &a)
	}
	if err == nil {
		err = h.checkLetterhead(&a)
	}
	if err == nil {
		err = h.store.UpdateAgency(c.Request.Context(), &a)
	}
	if models.ErrorCode(err) == models.EINVALID {
		unverified, uerr := h.store.ProfileUnverified(c.Request.Context(), a.ID)
		if uerr != nil {
			return uerr
		}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/agency", AgencyPage{BasePage: h.basePage(c, "agency"),
			Profile: a, HasSeal: len(old.SealImage) > 0, Unverified: unverified, Form: formState(err, agencyFormOrder...)})
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", "机关信息已保存。")
	c.Redirect(http.StatusSeeOther, "/staff/admin/agency")
	return nil
}

// readSeal applies the seal field: a new PNG replaces the seal, the
// remove_seal box removes it, neither keeps it.
func (h *Handler) readSeal(c *gin.Context, a *models.Agency) error {
	fh, err := c.FormFile("seal")
	switch {
	case errors.Is(err, http.ErrMissingFile):
		if c.PostForm("remove_seal") == "1" {
			a.SealImage = nil
		}
		return nil
	case err != nil:
		return models.WrapError(models.EINVALID, err, "无法读取上传的文件。")
	}
	bad := func(msg string) error { return models.Invalid(models.FieldError{Field: "seal", Message: msg}) }
	if fh.Size > maxSealBytes {
		return bad(fmt.Sprintf("印章图像不能超过%d MB。", maxSealBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open seal upload: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSealBytes+1))
	if err != nil {
		return fmt.Errorf("read seal upload: %w", err)
	}
	if len(b) > maxSealBytes {
		return bad(fmt.Sprintf("印章图像不能超过%d MB。", maxSealBytes>>20))
	}
	if len(b) == 0 {
		return bad("上传的文件是空的。")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return bad("印章图像须为PNG格式（建议透明背景）。")
	}
	if cfg.Width < minSealPixels || cfg.Height < minSealPixels {
		return bad(fmt.Sprintf("印章图像为%d×%d像素，过小，打印不清晰；请上传至少%d×%d像素的图像。", cfg.Width, cfg.Height, minSealPixels, minSealPixels))
	}
	if cfg.Width > maxSealPixels || cfg.Height > maxSealPixels {
		return bad(fmt.Sprintf("印章图像为%d×%d像素，过大；请上传每边不超过%d像素的图像。", cfg.Width, cfg.Height, maxSealPixels))
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		return bad("印章图像已损坏，无法读取，请重新导出为PNG后上传。")
	}
	a.SealImage = b
	return nil
}

// checkLetterhead lays out a letter with the profile and the seal, the way
// every notice will (reports.WriteLetter), so that a seal reports cannot
// place, or a character the letter font cannot draw, is refused now rather
// than when a notice is due.
func (h *Handler) checkLetterhead(a *models.Agency) error {
	err := reports.WriteLetter(io.Discard, reports.Letter{Agency: *a, Title: "政府信息公开申请答复书",
		Number: a.LetterPrefix + "〔2026〕第1号", SignOff: a.Name, Date: h.store.Today(), Seal: true,
		Body: []reports.Block{reports.Paragraph(a.ReconsiderationBody + a.Court)}})
	var mg *reports.MissingGlyphsError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, reports.ErrSealImage):
		return models.Invalid(models.FieldError{Field: "seal", Message: "印章图像无法放入文书，请重新导出为PNG后上传。"})
	case errors.As(err, &mg):
		return models.Invalid(models.FieldError{Field: "name",
			Message: "以下字符无法在文书中显示，请改用常用字：" + string(mg.Runes)})
	}
	return err
}

// showSeal serves GET /staff/admin/agency/seal: the stored seal image, for
// the preview on the profile page.
func (h *Handler) showSeal(c *gin.Context) error {
	a, err := h.staffAgency(c)
	if err != nil {
		return err
	}
	if len(a.SealImage) == 0 {
		return models.Errorf(models.ENOTFOUND, "尚未上传印章图像。")
	}
	c.Header("Content-Disposition", `inline; filename="seal.png"`)
	c.Data(http.StatusOK, "image/png", a.SealImage)
	return nil
}
