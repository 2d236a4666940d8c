package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
	"gongkai/reports"
)

// The intake of the disclosure office (公开办): the inbox of online
// applications awaiting confirmation of receipt (条例第三十一条), and the
// registration of applications that arrive on paper, by post, fax or
// e-mail, or orally (条例第二十九条).

// maxRegistrationBody caps a registration post: the form and up to ten
// scans of at most 10 MB each would be 100 MB; the portal's body limit
// (64 MiB by default) is lower, so the form says so.
const maxRegistrationBody = 60 << 20

// PendingRow is one application of the intake inbox.
type PendingRow struct {
	App         *models.Application
	WaitingDays int  // working days since it was submitted (models.Clock.WaitingDays)
	Unknown     bool // the calendar does not cover the days waited
}

// UnroutedRow is a received application without a lead section.
type UnroutedRow struct {
	App      *models.Application
	Returned string // the reason of the last return, when a section gave it back
}

// IntakePage is the data of the intake inbox.
type IntakePage struct {
	BasePage
	Pending     []PendingRow
	Unrouted    []UnroutedRow
	CanRegister bool
	CanRoute    bool
}

// showIntake serves GET /staff/intake: the applications awaiting
// confirmation of receipt, oldest first, with the working days each has
// waited, and the received applications still to be routed.
func (h *Handler) showIntake(c *gin.Context) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	inbox, err := h.store.Inbox(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	page := IntakePage{BasePage: h.basePage(c, "intake"), CanRegister: models.CanRoute(u, models.ActionRegisterApplication),
		CanRoute: models.CanRoute(u, models.ActionRouteApplication)}
	for _, p := range inbox.Pending {
		page.Pending = append(page.Pending, PendingRow{App: p.App, WaitingDays: p.WaitingDays, Unknown: !p.Known})
	}
	for _, r := range inbox.Unrouted {
		page.Unrouted = append(page.Unrouted, UnroutedRow{App: r.App, Returned: r.Returned})
	}
	return h.renderPage(c, http.StatusOK, "staff/intake/index", page)
}

// RegistrationPage is the data of the registration form.
type RegistrationPage struct {
	BasePage
	Form        models.ApplicationForm // as typed
	Channel     string
	ReceivedOn  string
	DateReason  string
	Unconfirmed bool
	State       FormState
	Token       string
	Staged      []StagedFile
	Today       models.Date

	Channels       []option
	ApplicantTypes []option
	OrgKinds       []option
	DocTypes       []option
	FormsWanted    []option
	Deliveries     []option
}

// StagedOf returns the staged files of one upload field.
func (p RegistrationPage) StagedOf(kind string) []StagedFile {
	var out []StagedFile
	for _, f := range p.Staged {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// registrationFields lists the registration form's fields top to bottom.
var registrationFields = append([]string{models.FieldChannel, models.FieldReceivedOn, models.FieldDateReason,
	models.FieldUnconfirmed}, append(models.ApplicationFormFields, models.FieldScan)...)

// registrationKind maps the registration form's file inputs to kinds.
func registrationKind(field string) (models.AttachmentKind, bool) {
	if field == models.FieldScan {
		return models.AttachScan, true
	}
	return uploadKind(field)
}

func (h *Handler) registrationPage(c *gin.Context, p RegistrationPage, staged []*models.Attachment) RegistrationPage {
	p.BasePage = h.basePage(c, "register")
	p.Staged = stagedFiles(staged)
	p.Today = h.store.Today()
	for _, ch := range models.StaffChannels {
		p.Channels = append(p.Channels, option{"value": string(ch), "label": ch.Label() + "：" + ch.ReceiptRule()})
	}
	p.ApplicantTypes = options([]models.ApplicantType{models.TypePerson, models.TypeOrganisation}, models.ApplicantType.Label)
	p.OrgKinds = options(models.ApplicantKinds[1:], models.ApplicantKind.Label)
	p.DocTypes = options(models.DocTypes, models.DocType.Label)
	p.FormsWanted = options(models.FormsWanted, models.FormWanted.Label)
	p.Deliveries = options(models.Deliveries, models.Delivery.Label)
	return p
}

// newRegistration serves GET /staff/intake/new: an empty registration
// form with a fresh one-time token.
func (h *Handler) newRegistration(c *gin.Context) error {
	page := h.registrationPage(c, RegistrationPage{Token: h.formToken(), ReceivedOn: h.store.Today().String()}, nil)
	return h.renderPage(c, http.StatusOK, "staff/intake/form", page)
}

// register serves POST /staff/intake/new: an application registered by
// staff, submitted and (unless it waits for confirmation with the
// applicant) confirmed in one transaction, with its scans and its 接收回执.
// Files survive a failed attempt, staged under the form's token, the way
// they do on the citizen form; the token also makes a double post
// register once.
func (h *Handler) register(c *gin.Context) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	in := postedStaffForm(c)
	token := h.checkFormToken(in.get("form_token"))
	// A form posted again (a double click, or back and post): the first
	// registration, not a second one.
	if prev, err := h.store.RegisteredWith(ctx, token); err == nil && prev.Application.AgencyID == u.AgencyID {
		h.setHandover(c, handover{ApplicationID: prev.Application.ID, Number: prev.Application.Number, Code: prev.QueryCode,
			Duplicate: true, Pending: prev.Application.Status == models.StatusPending})
		c.Redirect(http.StatusSeeOther, handoverPath)
		return nil
	} else if err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return err
	}
	p := RegistrationPage{Form: applicationForm(in), Channel: in.get(models.FieldChannel),
		ReceivedOn: in.get(models.FieldReceivedOn), DateReason: in.raw(models.FieldDateReason),
		Unconfirmed: in.checked(models.FieldUnconfirmed), Token: token}

	var msgs fieldMessages
	if err := h.store.RemoveStagedUploads(ctx, token, in.ids("remove_upload")); err != nil {
		return err
	}
	for _, pf := range in.files {
		kind, ok := registrationKind(pf.field)
		if !ok {
			continue
		}
		if pf.tooBig {
			msgs.add(pf.field, "文件“"+models.CleanFilename(pf.filename, "")+"”超过了10MB的限制，请压缩或分成几个文件后再上传。")
			continue
		}
		a, err := models.CheckUpload(kind, pf.filename, pf.content)
		if err != nil {
			msgs.addErr(pf.field, err)
			continue
		}
		if err := h.store.StageUpload(ctx, u.AgencyID, token, &a); err != nil {
			if models.ErrorCode(err) != models.EINVALID {
				return err
			}
			msgs.addErr(pf.field, err)
		}
	}
	staged, err := h.store.StagedUploads(ctx, token)
	if err != nil {
		return err
	}

	today := h.store.Today()
	reg := models.Registration{Form: p.Form, Channel: models.Channel(p.Channel), Unconfirmed: p.Unconfirmed, DateReason: p.DateReason}
	if d, err := models.ParseDate(p.ReceivedOn); err == nil {
		reg.ReceivedOn = d
	} else if p.ReceivedOn != "" {
		msgs.add(models.FieldReceivedOn, "日期格式不正确，请按“2026-02-10”的格式填写。")
	}
	for _, a := range staged {
		reg.Form.Uploads = append(reg.Form.Uploads, a.Kind)
		if a.Kind == models.AttachScan {
			reg.Scans++
		}
	}
	reg.Form.CheckGlyphs = reports.MissingGlyphs
	missing, verr := reg.Validate(today)
	if err := msgs.merge(verr); err != nil {
		if models.ErrorCode(err) != models.EINVALID {
			return err
		}
		p.State = formState(err, registrationFields...)
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/intake/form", h.registrationPage(c, p, staged))
	}

	r := &store.Registration{
		New: store.NewApplication{AgencyID: u.AgencyID, Applicant: reg.Form.Applicant(), Application: reg.Application(),
			ActorKind: models.ActorStaff, ActorID: u.ID, SubmittedOn: reg.ReceivedOn},
		StagingToken: token,
	}
	if !reg.Unconfirmed {
		r.Confirm = &store.Step{
			Event: models.Event{Kind: models.EventConfirmed, On: reg.ReceivedOn, ActorKind: models.ActorStaff, ActorID: u.ID,
				Data: models.EventData{Channel: reg.Channel, Reason: reg.DateReason}},
			Notices: []models.NoticeBody{{Kind: models.NoticeReceipt, QueryCodeHandedOver: true}},
			Render:  renderNotice,
		}
	}
	res, err := h.store.RegisterApplication(ctx, r)
	if err != nil {
		return h.stepFailed(c, err, func(st FormState) error {
			p.State = st
			return h.renderPage(c, http.StatusUnprocessableEntity, "staff/intake/form", h.registrationPage(c, p, staged))
		})
	}
	app := res.Application
	if !res.Duplicate {
		h.log.Info("application registered", "request_id", requestID(c), "number", app.Number, "channel", app.Channel,
			"pending", reg.Unconfirmed)
		if res.Step != nil {
			h.mailConfirmed(c, app, &r.New.Applicant, res.Step.Clock)
		}
	}
	h.setHandover(c, handover{ApplicationID: app.ID, Number: app.Number, Code: res.QueryCode, Duplicate: res.Duplicate,
		Pending: app.Status == models.StatusPending, Missing: missing})
	c.Redirect(http.StatusSeeOther, "/staff/intake/registered")
	return nil
}

// postedStaffForm reads a staff form the gate has parsed (multipart or
// URL-encoded) into a postedForm.
func postedStaffForm(c *gin.Context) *postedForm {
	f := &postedForm{values: c.Request.PostForm}
	if f.values == nil {
		f.values = map[string][]string{}
	}
	// ParseMultipartForm puts the text fields into PostForm as well.
	mf := c.Request.MultipartForm
	if mf == nil {
		return f
	}
	for field, fhs := range mf.File {
		for _, fh := range fhs {
			if len(f.files) >= maxFileParts {
				break
			}
			pf := postedFile{field: field, filename: fh.Filename, size: fh.Size}
			if fh.Size > models.MaxUploadBytes {
				pf.tooBig = true
				f.files = append(f.files, pf)
				continue
			}
			r, err := fh.Open()
			if err != nil {
				continue
			}
			pf.content, err = io.ReadAll(io.LimitReader(r, models.MaxUploadBytes+1))
			r.Close()
			if err != nil || (len(pf.content) == 0 && fh.Filename == "") {
				continue
			}
			f.files = append(f.files, pf)
		}
	}
	return f
}

// handover is what the one-time page after a registration (or the
// confirmation of a registered application) shows: the number and the
// query code to give the applicant. It travels in a cookie encrypted with
// the deployment key, limited to the page's path, cleared once shown.
type handover struct {
	ApplicationID int64    `json:"id"`
	Number        string   `json:"n"`
	Code          string   `json:"c"`
	Duplicate     bool     `json:"d,omitempty"`
	Pending       bool     `json:"p,omitempty"`
	Confirmed     bool     `json:"k,omitempty"` // shown after confirming, not registering
	Missing       []string `json:"m,omitempty"` // particulars to ask for by correction
	Expires       int64    `json:"e"`
}

const (
	handoverCookie  = "gk_handover"
	handoverPath    = "/staff/intake/registered"
	handoverContext = "cookie:" + handoverCookie
)

func (h *Handler) setHandover(c *gin.Context, v handover) {
	v.Expires = h.store.Now().Add(ackMaxAge).Unix()
	b, _ := json.Marshal(v)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: handoverCookie, Value: base64.RawURLEncoding.EncodeToString(h.store.Keys().Encrypt(b, handoverContext)),
		Path: handoverPath, MaxAge: int(ackMaxAge.Seconds()),
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) takeHandover(c *gin.Context) (handover, bool) {
	ck, err := c.Request.Cookie(handoverCookie)
	if err != nil {
		return handover{}, false
	}
	h.clearCookie(c, handoverCookie, handoverPath)
	enc, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return handover{}, false
	}
	b, err := h.store.Keys().Decrypt(enc, handoverContext)
	if err != nil {
		return handover{}, false
	}
	var v handover
	if json.Unmarshal(b, &v) != nil || h.store.Now().Unix() >= v.Expires || v.ApplicationID == 0 {
		return handover{}, false
	}
	return v, true
}

// RegisteredPage is the data of the one-time page after a registration.
type RegisteredPage struct {
	BasePage
	Shown   bool // false when opened again: nothing to show
	App     *models.Application
	Code    string
	V       handover
	Receipt *store.Notice
}

// showRegistered serves GET /staff/intake/registered: the number and,
// this once, the query code of the application just registered (or of a
// registered application just confirmed), to hand to the applicant, with
// the receipt to print.
func (h *Handler) showRegistered(c *gin.Context) error {
	noStore(c)
	page := RegisteredPage{BasePage: h.basePage(c, "register")}
	v, ok := h.takeHandover(c)
	if !ok {
		return h.renderPage(c, http.StatusOK, "staff/intake/registered", page)
	}
	ctx := c.Request.Context()
	app, err := h.store.Application(ctx, staffUser(c).AgencyID, v.ApplicationID)
	if err != nil {
		return err
	}
	page.Shown, page.App, page.Code, page.V = true, app, v.Code, v
	notices, err := h.store.Notices(ctx, app.ID)
	if err != nil {
		return err
	}
	for _, n := range notices {
		if n.NoticeKind() == models.NoticeReceipt {
			page.Receipt = n
		}
	}
	return h.renderPage(c, http.StatusOK, "staff/intake/registered", page)
}

// handoverReceipt serves POST /staff/intake/registered/receipt: the
// 接收回执 of a registered application with its query code printed, to hand
// or post to the applicant. The code comes from the one-time page's form
// and is checked against the application; it is never stored in a file.
// The archived receipt is the same notice without the code.
func (h *Handler) handoverReceipt(c *gin.Context) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	number, code := formValue(c, "number"), formValue(c, "code")
	app, err := h.store.LookUpApplication(ctx, number, code)
	if err != nil || app.AgencyID != u.AgencyID || app.Channel == models.ChannelOnline {
		return models.Errorf(models.ENOTFOUND, "未找到该申请的接收回执。查询码只在登记完成时显示一次。")
	}
	notices, err := h.store.Notices(ctx, app.ID)
	if err != nil {
		return err
	}
	var receipt *store.Notice
	for _, n := range notices {
		if n.NoticeKind() == models.NoticeReceipt {
			receipt = n
		}
	}
	if receipt == nil {
		return models.Errorf(models.ENOTFOUND, "该申请尚未确认收到，还没有接收回执。")
	}
	n, body, err := h.store.NoticeWithBody(ctx, app.ID, receipt.ID)
	if err != nil {
		return err
	}
	agency, err := h.store.Agency(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	body.QueryCode = code
	var buf bytes.Buffer
	if err := reports.WriteNotice(&buf, body, agency.SealImage, h.store.Now()); err != nil {
		return fmt.Errorf("hand-over receipt %s: %w", app.Number, err)
	}
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditHandoverPrinted,
		ObjectType: models.AuditObjectApplication, ObjectID: app.Number,
		After: models.AuditData(map[string]any{"notice": n.Number})}); err != nil {
		return err
	}
	serveFile(c, n.Title+"（交申请人，"+app.Number+"）.pdf", models.TypePDF, buf.Bytes())
	return nil
}

// renderNotice is the store's NoticeRenderer: reports.WriteNotice, with a
// character the font cannot print turned into a message staff can act on.
func renderNotice(b models.NoticeBody, seal []byte, createdAt time.Time) ([]byte, error) {
	var buf bytes.Buffer
	err := reports.WriteNotice(&buf, b, seal, createdAt)
	var mg *reports.MissingGlyphsError
	switch {
	case errors.As(err, &mg):
		return nil, models.WrapError(models.EINVALID, err, "以下字符无法在文书中打印，请改用常用字："+string(mg.Runes))
	case errors.Is(err, reports.ErrSealImage):
		return nil, models.WrapError(models.EUNAVAILABLE, err, "机关印章图像无法放入文书，请系统管理员在“机关信息”中重新上传印章。")
	case err != nil:
		return nil, err
	}
	return buf.Bytes(), nil
}

// mailConfirmed sends the applicant the confirmation mail (notify.Confirmed)
// when an e-mail address is on record.
func (h *Handler) mailConfirmed(c *gin.Context, app *models.Application, a *models.Applicant, clock models.Clock) {
	if a.Email == "" {
		return
	}
	agency, err := h.store.Agency(c.Request.Context(), app.AgencyID)
	if err != nil {
		h.log.Warn("confirmation mail not sent", "request_id", requestID(c), "number", app.Number, "err", err)
		return
	}
	msg := notify.Confirmed(agency, app, app.ReceivedOn, clock.DueOn, h.trackURL())
	to := a.Email
	h.notify("confirmation mail for "+app.Number, func(ctx context.Context) error {
		return h.cfg.Mailer.SendMail(ctx, to, msg.Subject, msg.Body)
	})
}
