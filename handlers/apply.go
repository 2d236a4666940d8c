package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/reports"
)

// ApplyPage is the data of the application form (条例第二十九条).
type ApplyPage struct {
	BasePage
	Form   models.ApplicationForm // as typed, re-displayed after an error
	State  FormState
	Token  string
	Staged []StagedFile

	ApplicantTypes []option
	OrgKinds       []option
	DocTypes       []option
	FormsWanted    []option
	Deliveries     []option
}

// StagedOf returns the staged files of one upload field.
func (p ApplyPage) StagedOf(kind string) []StagedFile {
	var out []StagedFile
	for _, f := range p.Staged {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// uploadKind maps the application form's file inputs to attachment kinds.
func uploadKind(field string) (models.AttachmentKind, bool) {
	switch field {
	case models.FieldIdentityProof:
		return models.AttachIdentityProof, true
	case models.FieldPowerOfAttorney:
		return models.AttachPowerOfAttorney, true
	case models.FieldSupporting:
		return models.AttachSupporting, true
	}
	return "", false
}

func (h *Handler) applyPage(c *gin.Context, form models.ApplicationForm, state FormState, token string,
	staged []*models.Attachment) ApplyPage {
	return ApplyPage{
		BasePage: h.basePage(c, "apply"),
		Form:     form, State: state, Token: token, Staged: stagedFiles(staged),
		ApplicantTypes: options([]models.ApplicantType{models.TypePerson, models.TypeOrganisation}, models.ApplicantType.Label),
		OrgKinds:       options(models.ApplicantKinds[1:], models.ApplicantKind.Label),
		DocTypes:       options(models.DocTypes, models.DocType.Label),
		FormsWanted:    options(models.FormsWanted, models.FormWanted.Label),
		Deliveries:     options(models.Deliveries, models.Delivery.Label),
	}
}

// showApplyForm serves GET /apply: an empty form with a fresh one-time
// token.
func (h *Handler) showApplyForm(c *gin.Context) error {
	noStore(c)
	page := h.applyPage(c, models.ApplicationForm{}, FormState{}, h.formToken(), nil)
	return h.renderPage(c, http.StatusOK, "apply/form", page)
}

// applicationForm reads the typed form.
func applicationForm(f *postedForm) models.ApplicationForm {
	return models.ApplicationForm{
		ApplicantType: models.ApplicantType(f.get(models.FieldApplicantType)),
		Name:          f.get(models.FieldName),
		IDType:        models.DocType(f.get(models.FieldIDType)),
		IDNumber:      f.get(models.FieldIDNumber),
		OrgKind:       models.ApplicantKind(f.get(models.FieldOrgKind)),
		OrgName:       f.get(models.FieldOrgName),
		CreditCode:    f.get(models.FieldCreditCode),
		LegalRep:      f.get(models.FieldLegalRep),
		ContactPerson: f.get(models.FieldContactPerson),
		HasAgent:      f.checked(models.FieldHasAgent),
		AgentName:     f.get(models.FieldAgentName),
		AgentIDType:   models.DocType(f.get(models.FieldAgentIDType)),
		AgentIDNumber: f.get(models.FieldAgentIDNumber),
		AgentPhone:    f.get(models.FieldAgentPhone),
		Phone:         f.get(models.FieldPhone),
		Email:         f.get(models.FieldEmail),
		Address:       f.get(models.FieldAddress),
		PostCode:      f.get(models.FieldPostCode),
		Title:         f.get(models.FieldTitle),
		DocNumber:     f.get(models.FieldDocNumber),
		Description:   f.raw(models.FieldDescription),
		Purpose:       f.raw(models.FieldPurpose),
		FormWanted:    models.FormWanted(f.get(models.FieldFormWanted)),
		Delivery:      models.Delivery(f.get(models.FieldDelivery)),
	}
}

// submitApplication serves POST /apply. Files are checked and staged
// first, so that they survive whatever else is wrong; the form is then
// validated with the staged files counted. A valid form is submitted with
// its staged files under the form's token, which makes a second POST of
// the same form (a double click, or back and submit again) return the
// first application instead of filing another.
func (h *Handler) submitApplication(c *gin.Context) error {
	ctx := c.Request.Context()
	noStore(c)
	agency, err := h.agency(c)
	if err != nil {
		return err
	}
	in, err := readPostedForm(c)
	if err != nil {
		return err
	}
	token := h.checkFormToken(in.get("form_token"))
	typed := applicationForm(in)

	var msgs fieldMessages
	if err := h.store.RemoveStagedUploads(ctx, token, in.ids("remove_upload")); err != nil {
		return err
	}
	// Files are checked first and stored only once: staged under the
	// form's token when the form must be shown again, so they survive;
	// taken straight into the application when it is valid.
	checked, err := h.checkUploads(c, in.files, uploadKind, &msgs)
	if err != nil {
		return err
	}
	if in.tooLarge {
		msgs.add(models.FieldSupporting, "本次提交的文件合计超过了上限，部分内容未能接收。请每次少选几个文件，分次上传；已上传的文件会保留。")
	}
	staged, err := h.store.StagedUploads(ctx, token)
	if err != nil {
		return err
	}

	form := typed
	for _, a := range staged {
		form.Uploads = append(form.Uploads, a.Kind)
	}
	for _, f := range checked {
		form.Uploads = append(form.Uploads, f.a.Kind)
	}
	form.CheckGlyphs = reports.MissingGlyphs
	if err := msgs.merge(form.Validate(h.store.Today())); err != nil {
		if models.ErrorCode(err) != models.EINVALID {
			return err
		}
		if err := h.stage(c, agency.ID, token, checked, &msgs); err != nil {
			return err
		}
		staged, serr := h.store.StagedUploads(ctx, token)
		if serr != nil {
			return serr
		}
		// msgs holds the validation messages (merged above) and any staging
		// problem; merge(nil) returns them all.
		page := h.applyPage(c, typed, formState(msgs.merge(nil), models.ApplicationFormFields...), token, staged)
		return h.renderPage(c, http.StatusUnprocessableEntity, "apply/form", page)
	}

	var fresh []models.Attachment
	for _, f := range checked {
		fresh = append(fresh, f.a)
	}
	sub, err := h.store.SubmitStaged(ctx, &store.NewApplication{
		AgencyID:    agency.ID,
		Attachments: fresh,
		Applicant:   form.Applicant(),
		Application: form.Application(),
		ActorKind:   models.ActorApplicant,
	}, token)
	if err != nil {
		return err
	}
	app := sub.Application
	ack := acknowledgement{ApplicationID: app.ID, Number: app.Number, Code: sub.QueryCode, Duplicate: sub.Duplicate}
	if sub.Duplicate {
		h.log.Info("application form submitted again: answered with the first application",
			"request_id", requestID(c), "number", app.Number)
	} else {
		h.log.Info("application submitted", "request_id", requestID(c), "number", app.Number, "files", len(staged))
		if form.Email != "" {
			ack.MailedTo = models.MaskEmail(form.Email)
			msg := notify.Submitted(agency, app, sub.QueryCode, h.trackURL())
			to := form.Email
			h.notify("submitted mail for "+app.Number, func(ctx context.Context) error {
				return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
			})
		}
	}
	h.setAcknowledgement(c, ack)
	h.setTrackSession(c, trackSession{ApplicationID: app.ID, Number: app.Number})
	c.Redirect(http.StatusSeeOther, "/apply/done")
	return nil
}

// AcknowledgementPage is the data of the page shown after a submission.
type AcknowledgementPage struct {
	BasePage
	App       *models.Application
	Code      string // the query code, shown this once
	Duplicate bool   // the form had been submitted before
	MailedTo  string // masked address the number and code were sent to
}

// showAcknowledgement serves GET /apply/done: the application number and,
// once, the query code. Opened again (or without a submission), it sends
// the applicant to the tracking page, which never shows the code.
func (h *Handler) showAcknowledgement(c *gin.Context) error {
	noStore(c)
	ack, ok := h.takeAcknowledgement(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/track/status")
		return nil
	}
	agency, err := h.agency(c)
	if err != nil {
		return err
	}
	app, err := h.store.Application(c.Request.Context(), agency.ID, ack.ApplicationID)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "apply/done", AcknowledgementPage{
		BasePage: h.basePage(c, "apply"), App: app, Code: ack.Code, Duplicate: ack.Duplicate, MailedTo: ack.MailedTo,
	})
}
