package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// NoticesPage is the data of an application's notices for staff.
type NoticesPage struct {
	BasePage
	App         *models.Application
	Notices     []*store.Notice
	CanDeliver  bool
	FilesPage   bool // the list is of files, not notices
	Files       []*models.Attachment
	CanSeeFiles bool
}

// showNotices serves GET /staff/applications/:number/notices: the notices
// issued on the application with their delivery, and (?id=N) one notice's
// PDF, exactly as it was issued. Downloads are audited.
func (h *Handler) showNotices(c *gin.Context) error {
	cc, err := h.loadCase(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if s := c.Query("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return errNotFound
		}
		n, f, err := h.store.NoticePDF(ctx, cc.app.ID, id)
		if err != nil {
			return err
		}
		if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: cc.app.AgencyID, Action: models.AuditFileDownloaded,
			ObjectType: models.AuditObjectApplication, ObjectID: cc.app.Number,
			After: models.AuditData(map[string]any{"notice": n.Number})}); err != nil {
			return err
		}
		serveFile(c, n.Filename(), f.ContentType, f.Content)
		return nil
	}
	notices, err := h.store.Notices(ctx, cc.app.ID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/applications/notices", NoticesPage{BasePage: h.basePage(c, "applications"),
		App: cc.app, Notices: notices, CanDeliver: models.Can(cc.user, models.ActionRecordProgress, cc.obj),
		CanSeeFiles: models.Can(cc.user, models.ActionRevealPersonalData, cc.obj)})
}

// showFiles serves GET /staff/applications/:number/files: the files of the
// application (the applicant's uploads, scans of paper applications,
// corrections, notices) and (?id=N) one file. Identity proofs hold
// personal data in full, so the page needs the reveal grant and every
// download is audited.
func (h *Handler) showFiles(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRevealPersonalData)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if s := c.Query("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return errNotFound
		}
		f, err := h.store.Attachment(ctx, cc.app.ID, id)
		if err != nil {
			return err
		}
		if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: cc.app.AgencyID, Action: models.AuditFileDownloaded,
			ObjectType: models.AuditObjectApplication, ObjectID: cc.app.Number,
			After: models.AuditData(map[string]any{"file": f.ID, "kind": f.Kind})}); err != nil {
			return err
		}
		serveFile(c, f.Filename, f.ContentType, f.Content)
		return nil
	}
	files, err := h.store.Attachments(ctx, cc.app.ID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/applications/notices", NoticesPage{BasePage: h.basePage(c, "applications"),
		App: cc.app, FilesPage: true, Files: files, CanSeeFiles: true})
}

// AttachmentLabel names a file's kind in Chinese.
func (NoticesPage) AttachmentLabel(k models.AttachmentKind) string {
	switch k {
	case models.AttachIdentityProof:
		return "身份证明"
	case models.AttachSupporting:
		return "其他材料"
	case models.AttachPowerOfAttorney:
		return "授权委托书"
	case models.AttachScan:
		return "申请材料扫描件"
	case models.AttachCorrection:
		return "补正材料"
	case models.AttachReleased:
		return "公开的信息"
	case models.AttachRedacted:
		return "处理后的文件"
	case models.AttachNotice:
		return "文书"
	}
	return string(k)
}

// FormatSize formats a file size for the list.
func (NoticesPage) FormatSize(n int64) string { return models.FormatSize(n) }
