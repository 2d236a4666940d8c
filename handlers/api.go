package handlers

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// The JSON API (/api/v1) lets provincial 政务服务 platforms file
// applications and read their status, and staff tools act with a staff
// user's token. Every answer is JSON; every error is
// {"error": {"code": …, "message": …, "fields": {…}}} where code is one of
// the stable models.Code values and message is Chinese.
//
// The OpenAPI 3 document (openapi.json, served at /api/openapi.json)
// describes every route; a test compares it with the router both ways.

//go:embed openapi.json
var openAPIDocument []byte

// apiRoutes registers the JSON API.
func (h *Handler) apiRoutes(r *gin.Engine) {
	r.GET("/api/openapi.json", h.serveOpenAPI)
	v1 := r.Group("/api/v1")
	v1.POST("/applications", h.api(h.platformAuth, h.apiSubmit))
	v1.POST("/applications/status", h.api(nil, h.apiStatus))
	h.staffAPIRoutes(v1)
}

// apiFunc is the shape of an API handler: it returns the status and the
// value to encode, or an error.
type apiFunc func(c *gin.Context) (int, any, error)

// api adapts an apiFunc, after an optional authentication step, and turns
// errors into the JSON error form.
func (h *Handler) api(auth func(c *gin.Context) error, fn apiFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		if auth != nil {
			if err := auth(c); err != nil {
				h.apiError(c, err)
				return
			}
		}
		status, v, err := fn(c)
		if err != nil {
			h.apiError(c, err)
			return
		}
		c.JSON(status, v)
	}
}

// APIError is the body of every error answer.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody carries a stable code and a Chinese message.
type APIErrorBody struct {
	Code    models.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// RetryAfter is set, in seconds, when a rate limit is in force.
	RetryAfter int `json:"retry_after,omitempty"`
}

// errRateLimited carries the end of a lockout to the error writer.
type errRateLimited struct{ until time.Time }

func (e errRateLimited) Error() string { return "rate limited until " + e.until.String() }

func (h *Handler) apiError(c *gin.Context, err error) {
	code := models.ErrorCode(err)
	status := http.StatusInternalServerError
	if s, ok := statusFor[code]; ok {
		status = s
	}
	body := APIErrorBody{Code: code, Message: models.ErrorMessage(err), Fields: models.FieldErrors(err)}
	var rl errRateLimited
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &rl):
		status, body.Code = http.StatusTooManyRequests, models.ETOOMANY
		body.RetryAfter = max(1, int(time.Until(rl.until).Seconds()+0.5))
		body.Message = fmt.Sprintf("请求过于频繁，请于%d秒后再试。", body.RetryAfter)
		c.Header("Retry-After", strconv.Itoa(body.RetryAfter))
	case errors.As(err, &mbe):
		status, body.Code = http.StatusRequestEntityTooLarge, models.EINVALID
		body.Message = "请求内容超过了允许的大小。"
	}
	if status >= 500 {
		h.log.Error("api request failed", "request_id", requestID(c), "route", c.FullPath(), "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="gongkai"`)
	}
	c.AbortWithStatusJSON(status, APIError{Error: body})
}

// bearer returns the credential of an Authorization: Bearer header.
func bearer(c *gin.Context) string {
	v := c.GetHeader("Authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "Bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

const ctxAPIClient = "gongkai.api_client"

// platformAuth admits an integrating platform by its key and spends one
// unit of its per-minute budget.
func (h *Handler) platformAuth(c *gin.Context) error {
	client, err := h.store.APIClientByKey(c.Request.Context(), bearer(c))
	if err != nil {
		return err
	}
	if err := h.spendBudget(c, "api-client", client.ID, client.RatePerMinute); err != nil {
		return err
	}
	c.Set(ctxAPIClient, client)
	return nil
}

// spendBudget spends one request of a credential's per-minute budget
// (a platform's key or a staff token, by scope and id), counted in the
// database so that all portal processes share it. Over the budget, the
// credential is refused for the rest of a minute (errRateLimited).
func (h *Handler) spendBudget(c *gin.Context, scope string, id int64, perMinute int) error {
	ctx := c.Request.Context()
	bucket := h.store.RateBucket(scope, strconv.FormatInt(id, 10))
	until, err := h.store.RateLimited(ctx, bucket)
	if err != nil {
		return err
	}
	if until.IsZero() {
		until, err = h.store.RateLimitHit(ctx, bucket,
			store.RateLimit{Max: perMinute + 1, Window: time.Minute, Lockout: time.Minute})
		if err != nil {
			return err
		}
	}
	if !until.IsZero() {
		return errRateLimited{until}
	}
	return nil
}

// APISubmission is the body of POST /api/v1/applications: the fields of
// the application form, by the same names.
type APISubmission struct {
	ApplicantType string `json:"applicant_type"`
	Name          string `json:"name"`
	IDType        string `json:"id_type"`
	IDNumber      string `json:"id_number"`
	OrgKind       string `json:"org_kind"`
	OrgName       string `json:"org_name"`
	CreditCode    string `json:"credit_code"`
	LegalRep      string `json:"legal_rep"`
	ContactPerson string `json:"contact_person"`
	HasAgent      bool   `json:"has_agent"`
	AgentName     string `json:"agent_name"`
	AgentIDType   string `json:"agent_id_type"`
	AgentIDNumber string `json:"agent_id_number"`
	AgentPhone    string `json:"agent_phone"`
	Phone         string `json:"phone"`
	Email         string `json:"email"`
	Address       string `json:"address"`
	PostCode      string `json:"post_code"`
	Title         string `json:"title"`
	DocNumber     string `json:"doc_number"`
	Description   string `json:"description"`
	Purpose       string `json:"purpose"`
	FormWanted    string `json:"form_wanted"`
	Delivery      string `json:"delivery"`
	// Files are PDF, JPEG or PNG, base64-encoded, each at most 10 MB.
	Files []APIFile `json:"files"`
}

// APIFile is an attachment of an API submission.
type APIFile struct {
	Kind     string `json:"kind"` // identity_proof, power_of_attorney or supporting
	Filename string `json:"filename"`
	Content  string `json:"content"` // base64
}

// APISubmitted is the answer to a submission.
type APISubmitted struct {
	Number      string    `json:"number"`
	QueryCode   string    `json:"query_code"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	SubmittedAt time.Time `json:"submitted_at"`
	Duplicate   bool      `json:"duplicate"`
}

// apiSubmit serves POST /api/v1/applications: files an application for
// the platform's agency, validated exactly like the web form. The optional
// Idempotency-Key header makes a retried request return the first
// application instead of filing another.
func (h *Handler) apiSubmit(c *gin.Context) (int, any, error) {
	client := c.MustGet(ctxAPIClient).(*models.APIClient)
	var in APISubmission
	if err := c.ShouldBindJSON(&in); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return 0, nil, mbe
		}
		return 0, nil, models.WrapError(models.EINVALID, err, "请求内容不是有效的JSON，或字段类型不正确。")
	}
	form := models.ApplicationForm{
		ApplicantType: models.ApplicantType(in.ApplicantType), Name: in.Name, IDType: models.DocType(in.IDType),
		IDNumber: in.IDNumber, OrgKind: models.ApplicantKind(in.OrgKind), OrgName: in.OrgName, CreditCode: in.CreditCode,
		LegalRep: in.LegalRep, ContactPerson: in.ContactPerson, HasAgent: in.HasAgent, AgentName: in.AgentName,
		AgentIDType: models.DocType(in.AgentIDType), AgentIDNumber: in.AgentIDNumber, AgentPhone: in.AgentPhone,
		Phone: in.Phone, Email: in.Email, Address: in.Address, PostCode: in.PostCode, Title: in.Title,
		DocNumber: in.DocNumber, Description: in.Description, Purpose: in.Purpose,
		FormWanted: models.FormWanted(in.FormWanted), Delivery: models.Delivery(in.Delivery),
		CheckGlyphs: reports.MissingGlyphs,
	}
	var files []models.Attachment
	var fe []models.FieldError
	for i, f := range in.Files {
		field := fmt.Sprintf("files[%d]", i)
		kind := models.AttachmentKind(f.Kind)
		switch kind {
		case models.AttachIdentityProof, models.AttachPowerOfAttorney, models.AttachSupporting:
		default:
			fe = append(fe, models.FieldError{Field: field, Message: "文件类型应为 identity_proof、power_of_attorney 或 supporting。"})
			continue
		}
		content, err := base64.StdEncoding.DecodeString(f.Content)
		if err != nil {
			fe = append(fe, models.FieldError{Field: field, Message: "文件内容不是有效的base64编码。"})
			continue
		}
		a, err := models.CheckUpload(kind, f.Filename, content)
		if err != nil {
			fe = append(fe, models.FieldError{Field: field, Message: models.ErrorMessage(err)})
			continue
		}
		files = append(files, a)
		form.Uploads = append(form.Uploads, kind)
	}
	verr := form.Validate(h.store.Today())
	if verr != nil && models.ErrorCode(verr) != models.EINVALID {
		return 0, nil, verr
	}
	if verr != nil || len(fe) > 0 {
		var e *models.Error
		if errors.As(verr, &e) {
			fe = append(e.Fields, fe...)
		}
		return 0, nil, models.Invalid(fe...)
	}
	n := &store.NewApplication{
		AgencyID: client.AgencyID, Applicant: form.Applicant(), Application: form.Application(),
		Attachments: files, ActorKind: models.ActorPlatform, ActorID: client.ID,
	}
	n.Application.Channel = models.ChannelOnline
	n.Application.Source = "api:" + strconv.FormatInt(client.ID, 10)
	if key := c.GetHeader("Idempotency-Key"); key != "" {
		// Scoped to the platform, and hashed to fit the column.
		sum := sha256.Sum256([]byte(strconv.FormatInt(client.ID, 10) + "\x00" + key))
		n.IdempotencyKey = "api-" + hex.EncodeToString(sum[:])[:56]
	}
	sub, err := h.store.SubmitApplication(c.Request.Context(), n)
	if err != nil {
		return 0, nil, err
	}
	app := sub.Application
	h.log.Info("application submitted through the api", "request_id", requestID(c), "number", app.Number,
		"api_client", client.ID, "duplicate", sub.Duplicate)
	status := http.StatusCreated
	if sub.Duplicate {
		status = http.StatusOK
	}
	return status, APISubmitted{Number: app.Number, QueryCode: sub.QueryCode, Status: string(app.Status),
		StatusLabel: app.Status.Label(), SubmittedAt: app.SubmittedAt, Duplicate: sub.Duplicate}, nil
}

// APIStatusRequest is the body of POST /api/v1/applications/status. The
// query code travels in the body, never in a URL.
type APIStatusRequest struct {
	Number    string `json:"number"`
	QueryCode string `json:"query_code"`
}

// APIStatus is an application's status as the applicant may see it.
type APIStatus struct {
	Number      string           `json:"number"`
	Status      string           `json:"status"`
	StatusLabel string           `json:"status_label"`
	ReceivedOn  string           `json:"received_on,omitempty"`
	DueOn       string           `json:"due_on,omitempty"`
	Deadline    string           `json:"deadline_explanation,omitempty"`
	Warning     string           `json:"calendar_warning,omitempty"`
	Outcome     string           `json:"outcome,omitempty"`
	OutcomeText string           `json:"outcome_label,omitempty"`
	ClosedOn    string           `json:"closed_on,omitempty"`
	Timeline    []APITimelineRow `json:"timeline"`
	Notices     []APINotice      `json:"notices"`
}

// APITimelineRow is one public step.
type APITimelineRow struct {
	On      string   `json:"on"`
	Label   string   `json:"label"`
	Details []string `json:"details,omitempty"`
}

// APINotice is a notice or letter sent to the applicant.
type APINotice struct {
	Title    string `json:"title"`
	Number   string `json:"number"`
	IssuedOn string `json:"issued_on"`
}

// apiStatus serves POST /api/v1/applications/status: the same look-up as
// /track, with the same per-number and per-client budgets, and the same
// answer for an unknown number as for a wrong code.
func (h *Handler) apiStatus(c *gin.Context) (int, any, error) {
	var in APIStatusRequest
	if err := c.ShouldBindJSON(&in); err != nil {
		return 0, nil, models.WrapError(models.EINVALID, err, "请求内容不是有效的JSON。")
	}
	number := strings.ToUpper(strings.TrimSpace(in.Number))
	if _, _, _, err := models.ParseApplicationNumber(number); err != nil {
		return 0, nil, models.Invalid(models.FieldError{Field: "number", Message: models.ErrorMessage(err)})
	}
	if strings.TrimSpace(in.QueryCode) == "" {
		return 0, nil, models.Invalid(models.FieldError{Field: "query_code", Message: "请填写查询码。"})
	}
	app, until, err := h.checkQueryCode(c, number, in.QueryCode)
	if !until.IsZero() {
		return 0, nil, errRateLimited{until}
	}
	if err != nil {
		return 0, nil, err
	}
	ctx := c.Request.Context()
	events, err := h.store.Events(ctx, app.ID)
	if err != nil {
		return 0, nil, err
	}
	out := APIStatus{Number: app.Number, Status: string(app.Status), StatusLabel: app.Status.Label(),
		ReceivedOn: app.ReceivedOn.String(), DueOn: app.DueOn.String(), ClosedOn: app.ClosedOn.String(),
		Timeline: []APITimelineRow{}, Notices: []APINotice{}}
	if app.Outcome != "" {
		out.Outcome, out.OutcomeText = string(app.Outcome), app.Outcome.Label()
	}
	if clock, err := h.store.Clock(ctx, app); err == nil {
		out.Deadline, out.Warning = clock.PublicExplanation, clock.Warning
	}
	for _, t := range timeline(events) {
		out.Timeline = append(out.Timeline, APITimelineRow{On: t.On.String(), Label: t.Label, Details: t.Details})
	}
	notices, err := h.store.Notices(ctx, app.ID)
	if err != nil {
		return 0, nil, err
	}
	for _, n := range notices {
		out.Notices = append(out.Notices, APINotice{Title: n.Title, Number: n.Number, IssuedOn: n.IssuedOn.String()})
	}
	return http.StatusOK, out, nil
}

// serveOpenAPI serves GET /api/openapi.json.
func (h *Handler) serveOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
}

// apiOr answers a request under /api/ with fn's JSON error and any other
// with page: an integrating platform gets a code it can act on, never the
// HTML error page.
func (h *Handler) apiOr(fn func(h *Handler, c *gin.Context), page gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			fn(h, c)
			return
		}
		page(c)
	}
}

// apiNotFound answers a path the API does not have.
func apiNotFound(h *Handler, c *gin.Context) {
	h.apiError(c, models.Errorf(models.ENOTFOUND, "接口不存在，请核对请求的地址（接口说明见 /api/openapi.json）。"))
}

// apiMethodNotAllowed answers a path the API has with a method it does
// not take.
func apiMethodNotAllowed(h *Handler, c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, APIError{Error: APIErrorBody{Code: "method_not_allowed",
		Message: "该接口不支持此请求方法，请核对请求方法（接口说明见 /api/openapi.json）。"}})
}
