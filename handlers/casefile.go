package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// The case file (案卷, 条例第四十五条) and archiving. The case file is one PDF:
// the cover with the table of contents, the application, every notice and
// letter as issued, the confidentiality review record and the timeline
// (reports.WriteCaseFile). Everyone who may view the application can
// download it with the applicant's identity and contact numbers masked;
// the full-identity version, for a reconsideration body or a court, needs
// the reveal grant and is audited as a view of personal data. Archiving
// stores the (masked) case file made at that moment with the archived
// event.

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/applications/:number/archive", need(models.ActionArchive), (*Handler).showArchive},
		staffRoute{"POST", "/staff/applications/:number/archive", need(models.ActionArchive), (*Handler).postArchive},
		staffRoute{"GET", "/staff/applications/:number/casefile", need(models.ActionViewApplication), (*Handler).downloadCaseFile},
		staffRoute{"POST", "/staff/applications/:number/casefile/full", need(models.ActionRevealPersonalData), (*Handler).downloadFullCaseFile},
	)
}

// writeCaseFile lays out an application's case file. archived, when not
// nil, is the archived event about to be recorded, so that the file
// archived shows its own archiving.
func (h *Handler) writeCaseFile(ctx context.Context, app *models.Application, life models.LifecycleState, full bool,
	archived *models.Event) ([]byte, error) {
	in, err := h.store.CaseFileInputs(ctx, app)
	if err != nil {
		return nil, err
	}
	cf := reports.CaseFile{Agency: *in.Agency, Application: *app, Applicant: *in.Applicant, FullIdentity: full,
		SectionName: in.Sections[life.SectionID], ArchivedOn: life.ArchivedOn, Reviews: in.Reviews, Events: in.Events,
		Names: in.Names, Sections: in.Sections, Location: h.cfg.Location, CreatedAt: h.store.Now()}
	for _, n := range in.Notices {
		d := reports.CaseDocument{Title: n.Title, Number: n.Number, Date: n.IssuedOn, PDF: n.PDF}
		if d.PDF == nil {
			d.Letter = &reports.Letter{Agency: *in.Agency, Title: n.Title, Number: n.Number, Date: n.IssuedOn,
				Body: []reports.Block{reports.Paragraph("本文书未保存电子版，原件见纸质案卷。")}}
		}
		cf.Documents = append(cf.Documents, d)
	}
	if archived != nil {
		cf.Events = append(cf.Events, *archived)
		cf.ArchivedOn = archived.On
	}
	var buf bytes.Buffer
	if err := reports.WriteCaseFile(&buf, cf); err != nil {
		return nil, fmt.Errorf("case file %s: %w", app.Number, err)
	}
	return buf.Bytes(), nil
}

// ArchivePage is the data of the archive page.
type ArchivePage struct {
	BasePage
	App       *models.Application
	Blocked   string
	Form      FormState
	Archived  models.Date
	Stored    bool
	Documents []string
	CanFull   bool
}

func (h *Handler) archivePage(c *gin.Context, cc *caseContext) (ArchivePage, error) {
	p := ArchivePage{BasePage: h.basePage(c, "applications"), App: cc.app, Archived: cc.life.ArchivedOn,
		CanFull: models.Can(cc.user, models.ActionRevealPersonalData, cc.obj)}
	switch {
	case !cc.life.ArchivedOn.IsZero():
		p.Blocked = "本申请已于" + cc.life.ArchivedOn.Chinese() + "归档。"
	case cc.life.Status.Open() || cc.life.Status == "":
		p.Blocked = "申请当前状态为“" + cc.life.Status.Label() + "”，办结后方可归档（条例第四十五条）。"
	}
	if _, err := h.store.ArchivedCaseFile(c.Request.Context(), cc.app.ID); err == nil {
		p.Stored = true
	} else if models.ErrorCode(err) != models.ENOTFOUND {
		return p, err
	}
	notices, err := h.store.Notices(c.Request.Context(), cc.app.ID)
	if err != nil {
		return p, err
	}
	p.Documents = append(p.Documents, reports.CaseApplicationTitle)
	for _, n := range notices {
		p.Documents = append(p.Documents, n.Title+"（"+n.Number+"）")
	}
	p.Documents = append(p.Documents, reports.CaseReviewTitle, reports.CaseTimelineTitle)
	return p, nil
}

// showArchive serves GET /staff/applications/:number/archive.
func (h *Handler) showArchive(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionArchive)
	if err != nil {
		return err
	}
	p, err := h.archivePage(c, cc)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/answers/archive", p)
}

// postArchive serves POST /staff/applications/:number/archive: the case
// file is made (with the archived event in its timeline) and stored with
// the archived event; a ledger changed meanwhile is a conflict.
func (h *Handler) postArchive(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionArchive)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	again := func(err error) error {
		return h.stepFailed(c, err, func(st FormState) error {
			fresh, ferr := h.loadCase(c)
			if ferr != nil {
				return ferr
			}
			p, perr := h.archivePage(c, fresh)
			if perr != nil {
				return perr
			}
			p.Form = st
			return h.renderPage(c, http.StatusUnprocessableEntity, "staff/answers/archive", p)
		})
	}
	if v := version(c); v != 0 && v != cc.app.Version {
		return again(models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。"))
	}
	if !cc.life.ArchivedOn.IsZero() || cc.life.Status.Open() || cc.life.Status == "" {
		p, err := h.archivePage(c, cc)
		if err != nil {
			return err
		}
		return again(models.Errorf(models.ECONFLICT, "%s", p.Blocked))
	}
	archived := h.store.ArchivedEvent(len(cc.events), cc.user)
	pdf, err := h.writeCaseFile(ctx, cc.app, cc.life, false, &archived)
	if err != nil {
		return err
	}
	app, err := h.store.Archive(ctx, store.ArchiveInput{AgencyID: cc.app.AgencyID, ApplicationID: cc.app.ID, User: cc.user,
		ExpectVersion: cc.app.Version, CaseFile: pdf})
	if err != nil {
		return again(err)
	}
	h.setFlash(c, "success", "已归档，案卷已保存（个人信息已遮盖）。")
	c.Redirect(http.StatusSeeOther, caseURL(app))
	return nil
}

// downloadCaseFile serves GET /staff/applications/:number/casefile: the
// case file with the applicant's identity and contact numbers masked, as
// it stands now, or (?archived=1) as stored when archived. Audited.
func (h *Handler) downloadCaseFile(c *gin.Context) error {
	cc, err := h.loadCase(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	var pdf []byte
	what := "masked"
	if c.Query("archived") != "" {
		a, err := h.store.ArchivedCaseFile(ctx, cc.app.ID)
		if err != nil {
			return err
		}
		pdf, what = a.Content, "archived"
	} else if pdf, err = h.writeCaseFile(ctx, cc.app, cc.life, false, nil); err != nil {
		return err
	}
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: cc.app.AgencyID, Action: models.AuditFileDownloaded,
		ObjectType: models.AuditObjectApplication, ObjectID: cc.app.Number,
		After: models.AuditData(map[string]any{"case_file": what})}); err != nil {
		return err
	}
	serveFile(c, store.CaseFileName(cc.app), models.TypePDF, pdf)
	return nil
}

// downloadFullCaseFile serves POST /staff/applications/:number/casefile/full:
// the case file with the applicant's identity and contact data in full,
// for a reconsideration body or a court; recorded in the audit trail as a
// view of personal data.
func (h *Handler) downloadFullCaseFile(c *gin.Context) error {
	cc, err := h.loadCase(c, models.ActionRevealPersonalData)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	pdf, err := h.writeCaseFile(ctx, cc.app, cc.life, true, nil)
	if err != nil {
		return err
	}
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: cc.app.AgencyID, Action: models.AuditPersonalDataViewed,
		ObjectType: models.AuditObjectApplication, ObjectID: cc.app.Number,
		After: models.AuditData(map[string]any{"case_file": "full"})}); err != nil {
		return err
	}
	serveFile(c, "政府信息公开申请案卷（"+cc.app.Number+"，含完整个人信息）.pdf", models.TypePDF, pdf)
	return nil
}
