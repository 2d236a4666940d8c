package handlers

// The staff part of the JSON API (/api/v1/staff/…): a tool acting with a
// staff user's token (account_tokens.go) reads the inbox, the worklist and
// an application, and takes the intake, routing and answering steps
// (drafting, contributions, approvals, the confidentiality review,
// issuing). Each route names the models.Action its page needs and is
// checked with models.CanRoute before anything is loaded; the application
// is then loaded with loadCase (and loadAnswer), which checks the object
// with models.Can — section scope included — and audits a refusal exactly
// as for the pages. The steps call the same store methods as the pages, so
// the ledger, the notices and the audit entries are the pages' own. The
// request's audit actor is the token's user, named as acting through the
// token (models.APIActorName).

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// staffTokenRatePerMinute is each staff token's request budget, counted in
// the database like a platform's so that every portal process shares it.
// A person's tool needs far fewer; the budget stops a runaway script.
const staffTokenRatePerMinute = 120

// Body limits of the staff API: the steps carry a little text; a draft
// may carry files (base64, so a third larger than the files).
const (
	maxStaffAPIBody   = 1 << 20
	maxStaffDraftBody = maxAnswerBody
)

const ctxAPIToken = "gongkai.api_token"

// apiStaffRoute is one route of the staff API and the action it needs.
type apiStaffRoute struct {
	method, path string
	action       models.Action
	handle       func(*Handler, *gin.Context) (int, any, error)
}

// apiStaffRouteTable is every staff API route. The OpenAPI document
// describes each (TestOpenAPIMatchesRoutes), and TestStaffAPIRoleMatrix
// requests each with every role.
var apiStaffRouteTable = []apiStaffRoute{
	{"GET", "/api/v1/staff/inbox", models.ActionConfirmReceipt, (*Handler).apiInbox},
	{"GET", "/api/v1/staff/worklist", models.ActionSearchApplications, (*Handler).apiWorklist},
	{"GET", "/api/v1/staff/applications/:number", models.ActionViewApplication, (*Handler).apiApplication},
	{"POST", "/api/v1/staff/applications/:number/confirm", models.ActionConfirmReceipt, (*Handler).apiConfirm},
	{"POST", "/api/v1/staff/applications/:number/route", models.ActionRouteApplication, (*Handler).apiRoute},
	{"POST", "/api/v1/staff/applications/:number/return", models.ActionReturnApplication, (*Handler).apiReturn},
	{"POST", "/api/v1/staff/applications/:number/answer/draft", models.ActionDraftAnswer, (*Handler).apiDraft},
	{"POST", "/api/v1/staff/applications/:number/answer/contribution", models.ActionDraftAnswer, (*Handler).apiContribution},
	{"POST", "/api/v1/staff/applications/:number/answer/section-approval", models.ActionApproveDraft,
		func(h *Handler, c *gin.Context) (int, any, error) { return h.apiAnswerDecision(c, decideSectionHead) }},
	{"POST", "/api/v1/staff/applications/:number/answer/review", models.ActionReviewConfidentiality, (*Handler).apiReviewDecision},
	{"POST", "/api/v1/staff/applications/:number/answer/final-approval", models.ActionFinalApproval,
		func(h *Handler, c *gin.Context) (int, any, error) { return h.apiAnswerDecision(c, decideOfficeHead) }},
	{"POST", "/api/v1/staff/applications/:number/answer/issue", models.ActionIssueAnswer, (*Handler).apiIssue},
}

// staffAPIRoutes registers the staff API on the /api/v1 group.
func (h *Handler) staffAPIRoutes(v1 *gin.RouterGroup) {
	for _, rt := range apiStaffRouteTable {
		fn := rt.handle
		v1.Handle(rt.method, strings.TrimPrefix(rt.path, "/api/v1"),
			h.api(h.staffAuth(rt.action), func(c *gin.Context) (int, any, error) { return fn(h, c) }))
	}
}

// errStaffForbidden answers a route the user's roles do not open.
var errStaffForbidden = &models.Error{Code: models.EFORBIDDEN,
	Message: "您没有权限执行该操作。如确需办理，请联系系统管理员调整您的角色或所属科室。"}

// staffAuth admits a staff token for a route needing action: a usable
// token of an active user (anything else is 401, like a bad platform key;
// a platform key is not a staff token), one unit of the token's budget,
// then the route's action (models.CanRoute; a refusal is audited and 403).
// The token's user becomes the request's user and audit actor.
func (h *Handler) staffAuth(action models.Action) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		tok, u, err := h.store.APITokenByKey(ctx, bearer(c))
		if err != nil {
			return err
		}
		if err := h.spendBudget(c, "api-token", tok.ID, staffTokenRatePerMinute); err != nil {
			return err
		}
		actor := models.Actor{UserID: u.ID, Name: models.APIActorName(u, tok.ID), ClientIP: c.ClientIP(), AgencyID: u.AgencyID}
		c.Request = c.Request.WithContext(models.NewContextWithActor(ctx, actor))
		c.Set(ctxUser, u)
		c.Set(ctxAPIToken, tok)
		if u.MustChangePassword {
			// As on the pages: nothing until the bootstrap or reset
			// password is changed.
			return models.Errorf(models.EFORBIDDEN, "您的账号须先登录平台修改初始密码，之后才能使用令牌。")
		}
		if !models.CanRoute(u, action) {
			if err := h.auditRefusal(c, u, models.AuditObjectPage, c.FullPath(), action); err != nil {
				return err
			}
			return errStaffForbidden
		}
		return nil
	}
}

// bindStaffJSON decodes a staff request's JSON body into v within limit
// bytes. Unknown fields are refused, so that a misspelt field is not
// silently ignored; an empty body leaves v as it is.
func bindStaffJSON(c *gin.Context, v any, limit int64) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var mbe *http.MaxBytesError
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		if dec.More() {
			return models.Errorf(models.EINVALID, "请求内容只能是一个JSON对象。")
		}
		return nil
	case errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &mbe):
		return mbe
	case errors.As(err, &te) && te.Field != "":
		return models.Invalid(models.FieldError{Field: te.Field, Message: "字段类型不正确，应为" + jsonTypeName(te.Type.Kind().String()) + "。"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return models.Invalid(models.FieldError{Field: field, Message: "接口未定义该字段，请对照接口说明检查字段名。"})
	}
	return models.WrapError(models.EINVALID, err, "请求内容不是有效的JSON。")
}

// jsonTypeName names a Go kind as a JSON type, in Chinese.
func jsonTypeName(kind string) string {
	switch {
	case kind == "string":
		return "字符串"
	case kind == "bool":
		return "布尔值"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "数字"
	case kind == "slice", kind == "array":
		return "数组"
	}
	return "对象"
}

// parseAPIDate reads an optional date field ("" is the zero Date).
func parseAPIDate(field, s string) (models.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return models.Date{}, nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		return d, models.Invalid(models.FieldError{Field: field, Message: "日期格式不正确，应形如“2026-02-10”。"})
	}
	return d, nil
}

// APIEvent is one ledger entry as staff see it.
type APIEvent struct {
	Seq        int       `json:"seq"`
	Kind       string    `json:"kind"`
	Label      string    `json:"label"`
	On         string    `json:"on"`
	RecordedAt time.Time `json:"recorded_at"`
	Actor      string    `json:"actor"`
	Details    []string  `json:"details,omitempty"`
}

// APIStaffNotice is a notice or letter of an application.
type APIStaffNotice struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kind_label"`
	Title       string `json:"title"`
	Number      string `json:"number"`
	IssuedOn    string `json:"issued_on"`
	DeliveredOn string `json:"delivered_on,omitempty"`
}

func apiNotice(n *store.Notice) APIStaffNotice {
	return APIStaffNotice{ID: n.ID, Kind: n.Kind, KindLabel: n.NoticeKind().Label(), Title: n.Title, Number: n.Number,
		IssuedOn: n.IssuedOn.String(), DeliveredOn: n.DeliveredOn.String()}
}

// APIInfoRow is a labelled fact, in Chinese.
type APIInfoRow struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// APIFileRef names a file of an answer.
type APIFileRef struct {
	ID       int64  `json:"id"`
	Filename string `json:"filename"`
}

// APIAnswer is where an application's answer stands.
type APIAnswer struct {
	Stage        string `json:"stage"`
	StageLabel   string `json:"stage_label"`
	Outcome      string `json:"outcome,omitempty"`
	OutcomeLabel string `json:"outcome_label,omitempty"`
	Round        int    `json:"round"`
	// Draft is the draft in the sign-off, or while drafting the lead
	// section's working copy (WorkingCopy true), as the answer page shows.
	Draft       []APIInfoRow `json:"draft,omitempty"`
	WorkingCopy bool         `json:"working_copy,omitempty"`
	Files       []APIFileRef `json:"files,omitempty"`
	// ReturnedBy and ReturnComment: the last send-back, while drafting.
	ReturnedAt     string   `json:"returned_at_stage,omitempty"`
	ReturnComment  string   `json:"return_comment,omitempty"`
	ReviewBlockers []string `json:"review_blockers,omitempty"`
	// Review is the confidentiality review of the draft in the sign-off
	// (api_staff_review.go), once it has been scanned.
	Review *APIReview      `json:"review,omitempty"`
	Letter *APIStaffNotice `json:"letter,omitempty"`
}

// apiAnswer summarises an answer the way the answer page does; staff
// names the reviewers of the review's decisions.
func apiAnswer(ans *store.Answer, staff map[int64]string) *APIAnswer {
	st := ans.State
	out := &APIAnswer{Stage: string(st.Stage), StageLabel: st.Stage.Label(), Round: st.Round}
	if st.Outcome != "" {
		out.Outcome, out.OutcomeLabel = string(st.Outcome), st.Outcome.Label()
	}
	d := ans.Current
	if st.Stage == models.StageDrafting && ans.Working != nil {
		d, out.WorkingCopy = ans.Working, true
		if r := st.LastReturn; r != nil {
			out.ReturnedAt, out.ReturnComment = r.Stage.Label(), r.Comment
		}
	}
	if d != nil {
		if d.Outcome.Valid() {
			for _, r := range draftRows(d) {
				out.Draft = append(out.Draft, APIInfoRow{r.Label, r.Value})
			}
		}
		for _, f := range d.Files {
			out.Files = append(out.Files, APIFileRef{f.AttachmentID, f.Filename})
		}
	}
	if r := ans.Review; r != nil && !out.WorkingCopy {
		out.ReviewBlockers = r.Blockers()
		out.Review = apiReview(r, staff)
	}
	if ans.Letter != nil {
		n := apiNotice(ans.Letter)
		out.Letter = &n
	}
	return out
}

// staffNames maps an agency's users to their display names, for the
// timeline's actors.
func (h *Handler) staffNames(c *gin.Context, agencyID int64) (map[int64]string, error) {
	users, err := h.store.Users(c.Request.Context(), agencyID)
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, u := range users {
		m[u.ID] = u.DisplayName
	}
	return m, nil
}

func apiEvent(e models.Event, staff map[int64]string, sections map[int64]string) APIEvent {
	return APIEvent{Seq: e.Seq, Kind: string(e.Kind), Label: e.Kind.Label(), On: e.On.String(), RecordedAt: e.RecordedAt,
		Actor: actorLabel(e, staff), Details: eventDetails(e, sections)}
}

// APIInbox is the office's inbox: online applications awaiting the
// confirmation of receipt (条例第三十一条), oldest first, and received
// applications still to be routed.
type APIInbox struct {
	Pending  []APIPending  `json:"pending"`
	Unrouted []APIUnrouted `json:"unrouted"`
}

// APIPending is an application awaiting confirmation.
type APIPending struct {
	Number       string    `json:"number"`
	Title        string    `json:"title"`
	Channel      string    `json:"channel"`
	ChannelLabel string    `json:"channel_label"`
	SubmittedAt  time.Time `json:"submitted_at"`
	// WaitingDays is the working days since submission; null when the
	// calendar does not cover them.
	WaitingDays *int `json:"waiting_working_days"`
}

// APIUnrouted is a received application without a lead section.
type APIUnrouted struct {
	Number      string `json:"number"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	ReceivedOn  string `json:"received_on"`
	DueOn       string `json:"due_on,omitempty"`
	// Returned is the reason a section gave when it returned the
	// application, if that is why it has no lead.
	Returned string `json:"returned_reason,omitempty"`
}

// apiInbox serves GET /api/v1/staff/inbox: the lists of the intake page.
func (h *Handler) apiInbox(c *gin.Context) (int, any, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	inbox, err := h.store.Inbox(ctx, u.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	out := APIInbox{Pending: []APIPending{}, Unrouted: []APIUnrouted{}}
	for _, p := range inbox.Pending {
		app := p.App
		row := APIPending{Number: app.Number, Title: app.Title, Channel: string(app.Channel), ChannelLabel: app.Channel.Label(),
			SubmittedAt: app.SubmittedAt}
		if p.Known {
			n := p.WaitingDays
			row.WaitingDays = &n
		}
		out.Pending = append(out.Pending, row)
	}
	for _, r := range inbox.Unrouted {
		app := r.App
		out.Unrouted = append(out.Unrouted, APIUnrouted{Number: app.Number, Title: app.Title, Status: string(app.Status),
			StatusLabel: app.Status.Label(), ReceivedOn: app.ReceivedOn.String(), DueOn: app.DueOn.String(), Returned: r.Returned})
	}
	return http.StatusOK, out, nil
}

// APIWorkItem is an open application of a worklist.
type APIWorkItem struct {
	Number      string           `json:"number"`
	Title       string           `json:"title"`
	Status      string           `json:"status"`
	StatusLabel string           `json:"status_label"`
	ReceivedOn  string           `json:"received_on"`
	DueOn       string           `json:"due_on,omitempty"`
	Overdue     bool             `json:"overdue"`
	Sections    []APIWorkSection `json:"sections"`
}

// APIWorkSection is a section working on an application.
type APIWorkSection struct {
	SectionID     int64  `json:"section_id"`
	Name          string `json:"name"`
	Role          string `json:"role"`
	RoleLabel     string `json:"role_label"`
	InternalDueOn string `json:"internal_due_on,omitempty"`
}

// apiWorklist serves GET /api/v1/staff/worklist: the open applications in
// the user's scope (models.ScopeOf), as the worklist page lists them — a
// section's staff get their sections' applications only.
func (h *Handler) apiWorklist(c *gin.Context) (int, any, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	items, err := h.store.Worklist(ctx, u.AgencyID, models.ScopeOf(u, models.ActionSearchApplications))
	if err != nil {
		return 0, nil, err
	}
	sections, err := h.store.Sections(ctx, u.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	names := sectionNames(sections)
	today := h.store.Today()
	out := struct {
		Applications []APIWorkItem `json:"applications"`
	}{Applications: []APIWorkItem{}}
	for _, it := range items {
		row := workRow(it, names, today)
		item := APIWorkItem{Number: it.App.Number, Title: it.App.Title, Status: string(it.App.Status),
			StatusLabel: it.App.Status.Label(), ReceivedOn: it.App.ReceivedOn.String(), DueOn: it.App.DueOn.String(),
			Overdue: row.Overdue, Sections: []APIWorkSection{}}
		for i, s := range it.Sections {
			item.Sections = append(item.Sections, APIWorkSection{SectionID: s.SectionID, Name: row.Sections[i].Name,
				Role: string(s.Role), RoleLabel: s.Role.Label(), InternalDueOn: s.InternalDueOn.String()})
		}
		out.Applications = append(out.Applications, item)
	}
	return http.StatusOK, out, nil
}

// APIApplicant is the applicant with identity and contact data masked, as
// the staff page shows them before an (audited) reveal. The API never
// reveals them.
type APIApplicant struct {
	Kind          string `json:"kind"`
	Organisation  bool   `json:"organisation"`
	Name          string `json:"name"`
	IDType        string `json:"id_type,omitempty"`
	IDNumber      string `json:"id_number,omitempty"`
	CreditCode    string `json:"credit_code,omitempty"`
	LegalRep      string `json:"legal_rep,omitempty"`
	ContactPerson string `json:"contact_person,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Email         string `json:"email,omitempty"`
	Address       string `json:"address,omitempty"`
	PostCode      string `json:"post_code,omitempty"`
	AgentName     string `json:"agent_name,omitempty"`
	AgentIDNumber string `json:"agent_id_number,omitempty"`
	AgentPhone    string `json:"agent_phone,omitempty"`
}

// APIClock is the statutory clock (models.Clock) of an application.
type APIClock struct {
	State           string `json:"state"`
	PauseReason     string `json:"pause_reason,omitempty"`
	ReceivedOn      string `json:"received_on,omitempty"`
	StartedOn       string `json:"started_on,omitempty"`
	DueOn           string `json:"due_on,omitempty"`
	OriginalDueOn   string `json:"original_due_on,omitempty"`
	Extended        bool   `json:"extended"`
	ExtensionDays   int    `json:"extension_days,omitempty"`
	DelayedDueOn    string `json:"delayed_due_on,omitempty"`
	InternalDueOn   string `json:"internal_due_on,omitempty"`
	PausedDays      int    `json:"paused_days"`
	WorkingDaysLeft int    `json:"working_days_left"`
	OverdueBy       int    `json:"overdue_by"`
	DueSoon         bool   `json:"due_soon"`
	Overdue         bool   `json:"overdue"`
	WaitingDays     int    `json:"waiting_working_days"`
	Explanation     string `json:"explanation"`
	Warning         string `json:"calendar_warning,omitempty"`
}

func apiClock(k models.Clock) *APIClock {
	return &APIClock{State: string(k.State), PauseReason: k.PauseReason, ReceivedOn: k.ReceivedOn.String(),
		StartedOn: k.StartedOn.String(), DueOn: k.DueOn.String(), OriginalDueOn: k.OriginalDueOn.String(),
		Extended: k.Extended, ExtensionDays: k.ExtensionDays, DelayedDueOn: k.DelayedDueOn.String(),
		InternalDueOn: k.InternalDueOn.String(), PausedDays: k.PausedDays, WorkingDaysLeft: k.WorkingDaysLeft,
		OverdueBy: k.OverdueBy, DueSoon: k.DueSoon, Overdue: k.Overdue, WaitingDays: k.WaitingDays,
		Explanation: k.Explanation, Warning: k.Warning}
}

// APIStaffApplication is an application as the staff page shows it.
type APIStaffApplication struct {
	Number       string           `json:"number"`
	Version      int              `json:"version"`
	Title        string           `json:"title"`
	Description  string           `json:"description,omitempty"`
	Purpose      string           `json:"purpose,omitempty"`
	FormWanted   string           `json:"form_wanted"`
	Delivery     string           `json:"delivery"`
	Channel      string           `json:"channel"`
	ChannelLabel string           `json:"channel_label"`
	Status       string           `json:"status"`
	StatusLabel  string           `json:"status_label"`
	SubmittedAt  time.Time        `json:"submitted_at"`
	ReceivedOn   string           `json:"received_on,omitempty"`
	DueOn        string           `json:"due_on,omitempty"`
	ClosedOn     string           `json:"closed_on,omitempty"`
	Outcome      string           `json:"outcome,omitempty"`
	OutcomeLabel string           `json:"outcome_label,omitempty"`
	Applicant    APIApplicant     `json:"applicant"`
	Sections     []APIWorkSection `json:"sections"`
	Clock        *APIClock        `json:"clock,omitempty"`
	// ClockProblem says why there is no clock (a calendar year not loaded).
	ClockProblem string           `json:"clock_problem,omitempty"`
	Timeline     []APIEvent       `json:"timeline"`
	Notices      []APIStaffNotice `json:"notices"`
	Answer       *APIAnswer       `json:"answer"`
}

// apiApplication serves GET /api/v1/staff/applications/:number: the
// application, its applicant masked, its sections, the clock, the ledger
// and the answer, for a user who may view it (section scope checked and a
// refusal audited by loadCase). The view is audited like the page's.
func (h *Handler) apiApplication(c *gin.Context) (int, any, error) {
	ctx := c.Request.Context()
	cc, err := h.loadCase(c)
	if err != nil {
		return 0, nil, err
	}
	app := cc.app
	applicant, err := h.store.Applicant(ctx, app.AgencyID, app.ApplicantID)
	if err != nil {
		return 0, nil, err
	}
	if err := h.store.RecordAudit(ctx, models.AuditEntry{AgencyID: app.AgencyID, Action: models.AuditApplicationViewed,
		ObjectType: models.AuditObjectApplication, ObjectID: app.Number}); err != nil {
		return 0, nil, err
	}
	v := applicantView(applicant, false)
	out := APIStaffApplication{Number: app.Number, Version: app.Version, Title: app.Title, Description: app.Description,
		Purpose: app.Purpose, FormWanted: string(app.FormWanted), Delivery: string(app.Delivery),
		Channel: string(app.Channel), ChannelLabel: app.Channel.Label(), Status: string(app.Status),
		StatusLabel: app.Status.Label(), SubmittedAt: app.SubmittedAt, ReceivedOn: app.ReceivedOn.String(),
		DueOn: app.DueOn.String(), ClosedOn: app.ClosedOn.String(),
		Applicant: APIApplicant{Kind: string(applicant.Kind), Organisation: v.Organisation, Name: v.Name,
			IDNumber: v.IDNumber, CreditCode: v.CreditCode, LegalRep: v.LegalRep, ContactPerson: v.ContactPerson,
			Phone: v.Phone, Email: v.Email, Address: v.Address, PostCode: v.PostCode, AgentName: v.AgentName,
			AgentIDNumber: v.AgentIDNumber, AgentPhone: v.AgentPhone},
		Sections: []APIWorkSection{}, Timeline: []APIEvent{}, Notices: []APIStaffNotice{}}
	if applicant.IDType != "" {
		out.Applicant.IDType = string(applicant.IDType)
	}
	if app.Outcome != "" {
		out.Outcome, out.OutcomeLabel = string(app.Outcome), app.Outcome.Label()
	}
	sections, err := h.store.Sections(ctx, app.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	names := sectionNames(sections)
	staff, err := h.staffNames(c, app.AgencyID)
	if err != nil {
		return 0, nil, err
	}
	for _, e := range cc.events {
		out.Timeline = append(out.Timeline, apiEvent(e, staff, names))
	}
	var clock *models.Clock
	k, err := h.store.Clock(ctx, app)
	switch {
	case err == nil:
		clock, out.Clock = &k, apiClock(k)
	case models.ErrorCode(err) == models.EINTERNAL:
		return 0, nil, err
	default:
		out.ClockProblem = models.ErrorMessage(err)
	}
	for _, a := range cc.life.Assignments {
		due := a.InternalDueOn
		if clock != nil {
			due = clock.SectionDueOn(a)
		}
		out.Sections = append(out.Sections, APIWorkSection{SectionID: a.SectionID, Name: names[a.SectionID],
			Role: string(a.Role), RoleLabel: a.Role.Label(), InternalDueOn: due.String()})
	}
	notices, err := h.store.Notices(ctx, app.ID)
	if err != nil {
		return 0, nil, err
	}
	for _, n := range notices {
		out.Notices = append(out.Notices, apiNotice(n))
	}
	ans, err := h.store.Answer(ctx, app, cc.events)
	if err != nil {
		return 0, nil, err
	}
	out.Answer = apiAnswer(ans, staff)
	return http.StatusOK, out, nil
}
