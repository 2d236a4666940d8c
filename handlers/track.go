package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// Look-up limits. A wrong query code counts against the application number
// typed and against the client's address; either budget spent locks
// look-ups for a while. With 10-character codes (about 49 bits) this makes
// guessing hopeless, and the counts live in the database, so every portal
// process enforces the same budget.
var (
	lookupPerNumber = store.RateLimit{Max: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	// A whole office or school may share one address, so the address
	// budget is larger.
	lookupPerClient = store.RateLimit{Max: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
)

// LookupPage is the data of the look-up form.
type LookupPage struct {
	BasePage
	Number string
	State  FormState
	// LockedUntil is set when look-ups are locked.
	LockedUntil string
}

// showLookup serves GET /track: the look-up form. A valid tracking session
// goes straight to the status page.
func (h *Handler) showLookup(c *gin.Context) error {
	noStore(c)
	_, ok, err := h.readTrackSession(c)
	if err != nil {
		return err
	}
	if ok && c.Query("again") == "" {
		c.Redirect(http.StatusSeeOther, "/track/status")
		return nil
	}
	return h.renderPage(c, http.StatusOK, "track/lookup", LookupPage{BasePage: h.basePage(c, "track")})
}

// lookUp serves POST /track: number + query code. The answer to a wrong
// code and to an unknown number is the same, and a locked number or
// client is refused before the code is even compared, so the page never
// reveals whether a number exists.
func (h *Handler) lookUp(c *gin.Context) error {
	noStore(c)
	number := strings.ToUpper(formValue(c, "number"))
	code := formValue(c, "code")
	page := LookupPage{BasePage: h.basePage(c, "track"), Number: number}

	var fe []models.FieldError
	if number == "" {
		fe = append(fe, models.FieldError{Field: "number", Message: "请填写申请编号。"})
	} else if _, _, _, err := models.ParseApplicationNumber(number); err != nil {
		fe = append(fe, models.FieldError{Field: "number", Message: models.ErrorMessage(err)})
	}
	if code == "" {
		fe = append(fe, models.FieldError{Field: "code", Message: "请填写查询码。"})
	}
	if len(fe) > 0 {
		page.State = formState(models.Invalid(fe...), "number", "code")
		return h.renderPage(c, http.StatusUnprocessableEntity, "track/lookup", page)
	}

	app, locked, err := h.checkQueryCode(c, number, code)
	if !locked.IsZero() {
		return h.renderLocked(c, page, locked)
	}
	if models.ErrorCode(err) == models.ENOTFOUND {
		page.State = formState(models.Invalid(models.FieldError{Field: "code",
			Message: fmt.Sprintf("申请编号或查询码不正确，请核对后重新输入（同一申请编号连续输错%d次，将暂停查询%d分钟）。",
				lookupPerNumber.Max, int(lookupPerNumber.Lockout.Minutes()))}), "number", "code")
		return h.renderPage(c, http.StatusUnprocessableEntity, "track/lookup", page)
	}
	if err != nil {
		return err
	}
	h.setTrackSession(c, trackSession{ApplicationID: app.ID, Number: app.Number})
	c.Redirect(http.StatusSeeOther, "/track/status")
	return nil
}

// checkQueryCode looks an application up by number and query code within
// the budgets for wrong codes: per number and per client address, counted
// in the database so that every portal process enforces them. While a
// lockout is in force it answers only with the lockout's end (locked),
// whatever the code; an unknown number and a wrong code give the same
// ENOTFOUND. Both the look-up page and the JSON API use it.
func (h *Handler) checkQueryCode(c *gin.Context, number, code string) (app *models.Application, locked time.Time, err error) {
	ctx := c.Request.Context()
	byNumber := h.store.RateBucket("track-number", number)
	byClient := h.store.RateBucket("track-client", c.ClientIP())
	if locked, err = h.lockedUntil(c, byNumber, byClient); err != nil || !locked.IsZero() {
		return nil, locked, err
	}
	agency, err := h.agency(c)
	if err != nil {
		return nil, time.Time{}, err
	}
	app, err = h.store.LookUpApplication(ctx, number, code)
	if err == nil && app.AgencyID != agency.ID {
		// Another agency's application on a shared deployment: answered
		// like a wrong code.
		app, err = nil, models.Errorf(models.ENOTFOUND, "申请编号或查询码不正确。")
	}
	if models.ErrorCode(err) == models.ENOTFOUND {
		for _, b := range []struct {
			bucket string
			limit  store.RateLimit
		}{{byNumber, lookupPerNumber}, {byClient, lookupPerClient}} {
			u, herr := h.store.RateLimitHit(ctx, b.bucket, b.limit)
			if herr != nil {
				return nil, time.Time{}, herr
			}
			if u.After(locked) {
				locked = u
			}
		}
		h.log.Info("tracking look-up failed", "request_id", requestID(c))
		return nil, locked, err
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := h.store.RateLimitReset(ctx, byNumber); err != nil {
		return nil, time.Time{}, err
	}
	return app, time.Time{}, nil
}

// lockedUntil returns the latest lockout in force on the buckets.
func (h *Handler) lockedUntil(c *gin.Context, buckets ...string) (time.Time, error) {
	var until time.Time
	for _, b := range buckets {
		u, err := h.store.RateLimited(c.Request.Context(), b)
		if err != nil {
			return time.Time{}, err
		}
		if u.After(until) {
			until = u
		}
	}
	return until, nil
}

func (h *Handler) renderLocked(c *gin.Context, page LookupPage, until time.Time) error {
	page.LockedUntil = h.clockTime(until)
	page.State = FormState{Summary: []models.FieldError{{Field: "number",
		Message: "查询失败次数过多，为保护申请人的信息，查询已暂停。请于" + page.LockedUntil + "后再试；如忘记查询码，可以通过“找回查询码”发送到您登记的手机或电子邮箱。"}}}
	return h.renderPage(c, http.StatusTooManyRequests, "track/lookup", page)
}

// signOut serves POST /track/signout: end the tracking session on the
// server and in the browser.
func (h *Handler) signOut(c *gin.Context) error {
	if err := h.endTrackSession(c); err != nil {
		return err
	}
	h.setFlash(c, "success", "已退出查询。")
	c.Redirect(http.StatusSeeOther, "/track")
	return nil
}

// TimelineEntry is one public step of an application, in plain words.
type TimelineEntry struct {
	On      models.Date
	Label   string
	Details []string
}

// NoticeLink is a notice the applicant can download.
type NoticeLink struct {
	ID       int64
	Title    string
	Number   string
	IssuedOn models.Date
	HasPDF   bool
}

// CorrectionRequest is what the correction notice asks for.
type CorrectionRequest struct {
	Items      []string
	DueOn      models.Date
	PeriodDays int
	Late       bool // the period has ended; a late correction may still be accepted
}

// StatusPage is the data of the tracking page.
type StatusPage struct {
	BasePage
	App           *models.Application
	ApplicantName string // masked
	Clock         *models.Clock
	ClockProblem  string
	Timeline      []TimelineEntry
	Notices       []NoticeLink
	SubmittedAt   string
	Released      []StagedFile
	Submitted     []StagedFile
	Correction    *CorrectionRequest
	CanWithdraw   bool

	// The correction form.
	CorrectionText  string
	CorrectionState FormState
	CorrectionToken string
	Staged          []StagedFile
}

// showStatus serves GET /track/status: the signed-in application's
// timeline, due date with its working, notices and released files.
func (h *Handler) showStatus(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	page, err := h.statusPage(c, app)
	if err != nil {
		return err
	}
	page.CorrectionToken = h.formToken()
	return h.renderPage(c, http.StatusOK, "track/status", page)
}

// statusPage gathers what the tracking page shows.
func (h *Handler) statusPage(c *gin.Context, app *models.Application) (StatusPage, error) {
	ctx := c.Request.Context()
	page := StatusPage{BasePage: h.basePage(c, "track"), App: app, CanWithdraw: app.Status.Open(),
		SubmittedAt: h.clockTime(app.SubmittedAt)}
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return page, err
	}
	page.ApplicantName = applicant.Name
	if !applicant.Kind.IsOrganisation() {
		page.ApplicantName = models.MaskName(applicant.Name)
	}
	events, err := h.store.Events(ctx, app.ID)
	if err != nil {
		return page, err
	}
	page.Timeline = timeline(events)
	if app.Status == models.StatusCorrecting {
		for i := len(events) - 1; i >= 0; i-- {
			if e := events[i]; e.Kind == models.EventCorrectionRequested {
				page.Correction = &CorrectionRequest{Items: e.Data.Items, DueOn: e.Data.DueOn,
					PeriodDays: e.Data.PeriodDays, Late: h.store.Today().After(e.Data.DueOn)}
				break
			}
		}
	}
	clock, err := h.store.Clock(ctx, app)
	switch {
	case err == nil:
		page.Clock = &clock
	case models.ErrorCode(err) == models.EUNAVAILABLE:
		page.ClockProblem = "答复期限暂时无法计算：所涉年份的节假日安排尚未载入本平台。答复期限不受影响，本机关将在安排公布后更新。"
	default:
		h.log.Error("tracking page: clock", "request_id", requestID(c), "number", app.Number, "err", err)
		page.ClockProblem = "答复期限暂时无法显示，请稍后再试或联系本机关。"
	}
	notices, err := h.store.Notices(ctx, app.ID)
	if err != nil {
		return page, err
	}
	for _, n := range notices {
		if n.ForApplicant() {
			page.Notices = append(page.Notices, NoticeLink{ID: n.ID, Title: n.Title, Number: n.Number, IssuedOn: n.IssuedOn, HasPDF: n.HasPDF()})
		}
	}
	files, err := h.store.Attachments(ctx, app.ID)
	if err != nil {
		return page, err
	}
	var submitted []*models.Attachment
	for _, f := range files {
		switch f.Kind {
		case models.AttachIdentityProof, models.AttachPowerOfAttorney, models.AttachSupporting, models.AttachCorrection:
			submitted = append(submitted, f)
		}
	}
	// The files released with the issued answer only: never a draft's
	// files, nor an original the review replaced by a redacted version.
	released, err := h.store.ReleasedFiles(ctx, app.ID)
	if err != nil {
		return page, err
	}
	page.Released, page.Submitted = stagedFiles(released), stagedFiles(submitted)
	return page, nil
}

// timeline turns the ledger into the applicant's timeline: public events
// only (models.EventKind.PublicOnTimeline), in plain words, with the
// details an applicant needs and nothing about third parties or staff.
func timeline(events []models.Event) []TimelineEntry {
	var out []TimelineEntry
	for _, e := range events {
		if !e.Kind.PublicOnTimeline() {
			continue
		}
		t := TimelineEntry{On: e.On, Label: e.Kind.Label()}
		d := e.Data
		switch e.Kind {
		case models.EventSubmitted:
			t.Details = append(t.Details, "提交方式："+d.Channel.Label())
		case models.EventConfirmed:
			t.Details = append(t.Details, "收到申请之日为"+e.On.Chinese()+"，答复期限自次日起计算（条例第三十一条）。")
		case models.EventCorrectionRequested:
			for i, it := range d.Items {
				t.Details = append(t.Details, fmt.Sprintf("需补正事项%d：%s", i+1, it))
			}
			t.Details = append(t.Details, "补正期限至"+d.DueOn.Chinese()+"。")
		case models.EventCorrected:
			t.Details = append(t.Details, "答复期限自当日起重新计算（条例第三十条）。")
		case models.EventConsultationSent:
			t.Details = append(t.Details, "征求意见期间不计算在答复期限内（条例第三十三条第三款）。")
		case models.EventFeeNoticeSent:
			if d.AmountFen > 0 {
				t.Details = append(t.Details, fmt.Sprintf("信息处理费金额：%d.%02d元", d.AmountFen/100, d.AmountFen%100))
			}
		case models.EventExtensionApproved:
			t.Details = append(t.Details, fmt.Sprintf("答复期限延长%d个工作日（条例第三十三条第二款）。", d.Days))
		case models.EventDelayedDeadlineSet:
			t.Details = append(t.Details, "答复期限确定为"+d.DueOn.Chinese()+"。")
		case models.EventAnswerIssued:
			if l := d.Outcome.Label(); l != "" {
				t.Details = append(t.Details, "答复结果："+l)
			}
		case models.EventAnswerDelivered:
			if l := d.DeliveryMethod.Label(); l != "" {
				t.Details = append(t.Details, "送达方式："+l)
			}
		case models.EventCalendarChangeApplied:
			t.Details = append(t.Details, "答复期限由"+d.OldDueOn.Chinese()+"调整为"+d.NewDueOn.Chinese()+"。")
		}
		out = append(out, t)
	}
	return out
}

// downloadReceipt serves GET /track/receipt: the 政府信息公开申请提交回执.
func (h *Handler) downloadReceipt(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	agency, err := h.agency(c)
	if err != nil {
		return err
	}
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return err
	}
	files, err := h.store.Attachments(ctx, app.ID)
	if err != nil {
		return err
	}
	var names []string
	for _, f := range files {
		switch f.Kind {
		case models.AttachIdentityProof, models.AttachPowerOfAttorney, models.AttachSupporting:
			names = append(names, f.Filename)
		}
	}
	var buf bytes.Buffer
	if err := reports.WriteReceipt(&buf, reports.Receipt{Agency: *agency, Application: *app, Applicant: *applicant,
		Files: names, Location: h.cfg.Location}); err != nil {
		return fmt.Errorf("receipt %s: %w", app.Number, err)
	}
	serveFile(c, reports.ReceiptTitle+"（"+app.Number+"）.pdf", models.TypePDF, buf.Bytes())
	return nil
}

// downloadNotice serves GET /track/notices/:id: a notice's PDF.
func (h *Handler) downloadNotice(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, f, err := h.store.NoticePDF(c.Request.Context(), app.ID, id)
	if err != nil {
		return err
	}
	if !n.ForApplicant() {
		return models.Errorf(models.ENOTFOUND, "")
	}
	name := n.Title
	if n.Number != "" {
		name += "（" + n.Number + "）"
	}
	serveFile(c, name+".pdf", f.ContentType, f.Content)
	return nil
}

// downloadReleased serves GET /track/files/:id: a file released to the
// applicant with the issued answer (store.ReleasedFiles). Other files of
// the application (the applicant's own uploads, a draft's files, internal
// ones) are not served here.
func (h *Handler) downloadReleased(c *gin.Context) error {
	app, err := h.trackedApplication(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := h.store.ReleasedFile(c.Request.Context(), app.ID, id)
	if err != nil {
		return err
	}
	serveFile(c, f.Filename, f.ContentType, f.Content)
	return nil
}
