package handlers

// A member of staff's own API tokens (issue 11): a token lets a tool call
// the staff part of the JSON API (api_staff.go) in the user's name, with
// exactly the user's roles and sections. The token is shown once, on the
// page that answers its creation; the store keeps only its SHA-256.
// Creating and revoking are audited.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

func init() {
	registerStaffRoutes(
		staffRoute{"GET", "/staff/account/tokens", need(models.ActionManageOwnTokens), (*Handler).showOwnTokens},
		staffRoute{"POST", "/staff/account/tokens", need(models.ActionManageOwnTokens), (*Handler).createOwnToken},
		staffRoute{"POST", "/staff/account/tokens/revoke", need(models.ActionManageOwnTokens), (*Handler).revokeOwnToken},
	)
}

// TokenRow is one of the user's tokens on the page.
type TokenRow struct {
	Token *models.APIToken
	State models.APITokenState
	// ExpiresOn is the last day the token works (zero: no expiry).
	ExpiresOn models.Date
}

// TokensPage is the data of the tokens page.
type TokensPage struct {
	BasePage
	Rows []TokenRow
	// New is the token just created, shown this once; NewName its name.
	New     string
	NewName string
	Form    FormState
	V       map[string]string
	// RatePerMinute is each token's request budget.
	RatePerMinute int
	Today         models.Date
}

func (h *Handler) tokensPage(c *gin.Context, v map[string]string, form FormState) (TokensPage, error) {
	u := staffUser(c)
	tokens, err := h.store.APITokens(c.Request.Context(), u.ID)
	if err != nil {
		return TokensPage{}, err
	}
	if v == nil {
		v = map[string]string{"name": "", "expires_on": ""}
	}
	p := TokensPage{BasePage: h.basePage(c, "password"), Form: form, V: v, RatePerMinute: staffTokenRatePerMinute,
		Today: h.store.Today()}
	now := h.store.Now()
	for _, t := range tokens {
		row := TokenRow{Token: t, State: t.State(now)}
		if !t.ExpiresAt.IsZero() {
			// Valid through the day before the instant it stops.
			row.ExpiresOn = models.DateOf(t.ExpiresAt.Add(-time.Nanosecond), h.cfg.Location)
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// showOwnTokens serves GET /staff/account/tokens: the user's tokens and
// the form to create one.
func (h *Handler) showOwnTokens(c *gin.Context) error {
	p, err := h.tokensPage(c, nil, FormState{})
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/account/tokens", p)
}

// createOwnToken serves POST /staff/account/tokens: a new token with a
// name and an optional last day, shown once on the page this answers
// with (never in a URL, a flash cookie or a log).
func (h *Handler) createOwnToken(c *gin.Context) error {
	u := staffUser(c)
	v := map[string]string{"name": formValue(c, "name"), "expires_on": formValue(c, "expires_on")}
	fields := []string{"name", "expires_on"}
	var expiresOn models.Date
	var derr error
	if v["expires_on"] != "" {
		if expiresOn, derr = models.ParseDate(v["expires_on"]); derr != nil {
			derr = models.Invalid(models.FieldError{Field: "expires_on", Message: "日期格式不正确，请按“2026-02-10”的格式填写。"})
		}
	}
	err := firstErr(models.ValidateAPIToken(v["name"], expiresOn, h.store.Today()), derr)
	var key string
	if err == nil {
		key, _, err = h.store.CreateAPIToken(c.Request.Context(), u, v["name"], models.APITokenExpiry(expiresOn, h.cfg.Location))
	}
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		p, perr := h.tokensPage(c, v, formState(err, fields...))
		if perr != nil {
			return perr
		}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/account/tokens", p)
	default:
		return err
	}
	h.log.Info("api token created", "request_id", requestID(c), "user", u.ID)
	p, err := h.tokensPage(c, nil, FormState{})
	if err != nil {
		return err
	}
	p.New, p.NewName = key, v["name"]
	return h.renderPage(c, http.StatusOK, "staff/account/tokens", p)
}

// revokeOwnToken serves POST /staff/account/tokens/revoke: one of the
// user's own tokens stops working at once.
func (h *Handler) revokeOwnToken(c *gin.Context) error {
	u := staffUser(c)
	id, _ := strconv.ParseInt(formValue(c, "id"), 10, 64)
	if err := h.store.RevokeAPIToken(c.Request.Context(), u, id); err != nil {
		return err
	}
	h.setFlash(c, "success", "令牌已吊销，使用该令牌的请求将被拒绝。")
	c.Redirect(http.StatusSeeOther, "/staff/account/tokens")
	return nil
}
