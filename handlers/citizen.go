package handlers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// citizenRoutes registers the pages applicants use: the application form,
// the acknowledgement, the status look-up, correction and withdrawal.
//
// No URL carries personal data or a query code. After a successful look-up
// (or a submission) the applicant is "signed in" to that one application by
// a short-lived signed cookie (see trackSession), so downloads and the
// follow-up forms need neither the number nor the code in the URL.
func (h *Handler) citizenRoutes(r *gin.Engine) {
	r.GET("/privacy", h.wrap(h.showPrivacy))

	r.GET("/apply", h.wrap(h.showApplyForm))
	r.POST("/apply", h.wrap(h.submitApplication))
	r.GET("/apply/done", h.wrap(h.showAcknowledgement))

	r.GET("/track", h.wrap(h.showLookup))
	r.POST("/track", h.wrap(h.lookUp))
	r.GET("/track/lost", h.wrap(h.showLostCode))
	r.POST("/track/lost", h.wrap(h.resendCode))
	r.GET("/track/status", h.wrap(h.signedIn(h.showStatus)))
	r.GET("/track/receipt", h.wrap(h.signedIn(h.downloadReceipt)))
	r.GET("/track/notices/:id", h.wrap(h.signedIn(h.downloadNotice)))
	r.GET("/track/files/:id", h.wrap(h.signedIn(h.downloadReleased)))
	r.POST("/track/correction", h.wrap(h.signedIn(h.submitCorrection)))
	r.GET("/track/withdraw", h.wrap(h.signedIn(h.showWithdraw)))
	r.POST("/track/withdraw", h.wrap(h.signedIn(h.withdraw)))
	r.POST("/track/signout", h.wrap(h.signOut))
}

// CitizenPages are the page templates of the citizen area; a test checks
// that each exists.
var CitizenPages = []string{
	"apply/form", "apply/done", "track/lookup", "track/status", "track/lost", "track/withdraw", "privacy/show",
}

// Cookie lifetimes.
const (
	// trackIdle is how long a tracking session lasts without a request.
	trackIdle = 30 * time.Minute
	// trackMaxAge is the longest a tracking session lasts however busy.
	trackMaxAge = 4 * time.Hour
	// ackMaxAge is how long the acknowledgement page can be opened after
	// a submission to show the query code (once).
	ackMaxAge = 15 * time.Minute
)

const (
	trackCookie = "gk_track"
	ackCookie   = "gk_ack"
)

// noStore keeps pages with personal data or a query code out of every
// cache, the browser's back-forward cache included.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Pragma", "no-cache")
}

// trackSession is the applicant's sign-in to one application: its id and
// number, signed with the session key. It is not a secret (the number is
// printed on letters) but cannot be forged, and it expires. ID is random
// and stays the same while the cookie is refreshed: signing out records it
// as revoked in the database (store.RevokeTrackSession), so that a copy of
// the cookie taken before is refused by every portal process.
type trackSession struct {
	ID            string
	ApplicationID int64
	Number        string
	Issued        time.Time
}

// setTrackSession signs the applicant in to app, or refreshes the session.
// The cookie's value is payload.id.mac: the payload (application id,
// number, sign-in and idle end) in base64, the session id, and a MAC over
// both.
func (h *Handler) setTrackSession(c *gin.Context, s trackSession) {
	now := h.store.Now()
	if s.Issued.IsZero() {
		s.Issued = now
	}
	if s.ID == "" {
		s.ID = store.NewTrackSessionID()
	}
	exp := now.Add(trackIdle)
	if max := trackSessionEnd(s); exp.After(max) {
		exp = max
	}
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d|%s|%d|%d",
		s.ApplicationID, s.Number, s.Issued.Unix(), exp.Unix())))
	mac := h.store.Keys().SessionMAC("track:" + payload + "." + s.ID)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: trackCookie, Value: payload + "." + s.ID + "." + mac, Path: "/track", MaxAge: int(exp.Sub(now).Seconds()),
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// trackSessionEnd is the absolute end of a tracking session, however busy.
func trackSessionEnd(s trackSession) time.Time { return s.Issued.Add(trackMaxAge) }

// readTrackSession returns the tracking session of the request, if any is
// valid: signed, not expired, and not signed out on any process. The error
// is for a database that cannot answer.
func (h *Handler) readTrackSession(c *gin.Context) (trackSession, bool, error) {
	ck, err := c.Request.Cookie(trackCookie)
	if err != nil {
		return trackSession{}, false, nil
	}
	fields := strings.Split(ck.Value, ".")
	if len(fields) != 3 || fields[1] == "" {
		return trackSession{}, false, nil
	}
	payload, sid, mac := fields[0], fields[1], fields[2]
	if !h.store.Keys().CheckSessionMAC("track:"+payload+"."+sid, mac) {
		return trackSession{}, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return trackSession{}, false, nil
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 4 {
		return trackSession{}, false, nil
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	issued, err2 := strconv.ParseInt(parts[2], 10, 64)
	exp, err3 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || !h.store.Now().Before(time.Unix(exp, 0)) {
		return trackSession{}, false, nil
	}
	revoked, err := h.store.TrackSessionRevoked(c.Request.Context(), sid)
	if err != nil || revoked {
		return trackSession{}, false, err
	}
	return trackSession{ID: sid, ApplicationID: id, Number: parts[1], Issued: time.Unix(issued, 0)}, true, nil
}

// endTrackSession signs the applicant out: the session, if the request has
// a valid one, is revoked on the server for the rest of its life, and the
// cookie is cleared.
func (h *Handler) endTrackSession(c *gin.Context) error {
	s, ok, err := h.readTrackSession(c)
	if err != nil {
		return err
	}
	if ok {
		if err := h.store.RevokeTrackSession(c.Request.Context(), s.ID, trackSessionEnd(s)); err != nil {
			return err
		}
	}
	h.clearCookie(c, trackCookie, "/track")
	return nil
}

func (h *Handler) clearCookie(c *gin.Context, name, path string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// trackedApplication returns the application the request's tracking
// session is for and refreshes the session. Without a valid session the
// error sends the applicant to the look-up form.
func (h *Handler) trackedApplication(c *gin.Context) (*models.Application, error) {
	s, ok, err := h.readTrackSession(c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errSignedOut
	}
	agency, err := h.agency(c)
	if err != nil {
		return nil, err
	}
	app, err := h.store.Application(c.Request.Context(), agency.ID, s.ApplicationID)
	if models.ErrorCode(err) == models.ENOTFOUND || (err == nil && app.Number != s.Number) {
		h.clearCookie(c, trackCookie, "/track")
		return nil, errSignedOut
	}
	if err != nil {
		return nil, err
	}
	h.setTrackSession(c, s)
	noStore(c)
	return app, nil
}

// errSignedOut is returned by trackedApplication when there is no valid
// tracking session; trackWrap turns it into a redirect to the look-up.
var errSignedOut = &models.Error{Code: models.EUNAUTHORIZED, Message: "请先输入申请编号和查询码。"}

// signedIn adapts a tracking page: without a session, the applicant is sent
// to the look-up form with a message instead of an error page.
func (h *Handler) signedIn(fn handlerFunc) handlerFunc {
	return func(c *gin.Context) error {
		err := fn(c)
		if err == errSignedOut {
			h.setFlash(c, "info", "为保护您的信息，查询页面在一段时间未操作后会自动退出。请重新输入申请编号和查询码。")
			c.Redirect(http.StatusSeeOther, "/track")
			return nil
		}
		return err
	}
}

// acknowledgement is what the acknowledgement page shows once after a
// submission. It travels in a cookie encrypted with the deployment key
// (the query code is in it), limited to the page's path, and is cleared
// when the page has shown it.
type acknowledgement struct {
	ApplicationID int64  `json:"id"`
	Number        string `json:"n"`
	Code          string `json:"c"`
	Duplicate     bool   `json:"d,omitempty"`
	MailedTo      string `json:"m,omitempty"` // masked address the code was sent to
	Expires       int64  `json:"e"`
}

const ackContext = "cookie:" + ackCookie

func (h *Handler) setAcknowledgement(c *gin.Context, a acknowledgement) {
	a.Expires = h.store.Now().Add(ackMaxAge).Unix()
	b, _ := json.Marshal(a)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: ackCookie, Value: base64.RawURLEncoding.EncodeToString(h.store.Keys().Encrypt(b, ackContext)),
		Path: "/apply/done", MaxAge: int(ackMaxAge.Seconds()),
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) takeAcknowledgement(c *gin.Context) (acknowledgement, bool) {
	ck, err := c.Request.Cookie(ackCookie)
	if err != nil {
		return acknowledgement{}, false
	}
	h.clearCookie(c, ackCookie, "/apply/done")
	enc, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return acknowledgement{}, false
	}
	b, err := h.store.Keys().Decrypt(enc, ackContext)
	if err != nil {
		return acknowledgement{}, false
	}
	var a acknowledgement
	if json.Unmarshal(b, &a) != nil || h.store.Now().Unix() >= a.Expires {
		return acknowledgement{}, false
	}
	return a, true
}

// notify sends a mail or text in the background, so that a slow or broken
// mail server never delays a page, and the answer to a lost-code request
// takes the same time whether or not anything is sent. Failures are logged
// with addresses masked (an SMTP error may quote the recipient).
func (h *Handler) notify(what string, send func(ctx context.Context) error) {
	h.outbox.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := send(ctx); err != nil {
			h.log.Warn("notification not sent", "what", what, "err", maskPersonal(err.Error()))
		}
	})
}

// WaitNotifications waits until the mails and texts in flight have been
// handed to the mail server (or failed). cmd calls it at shutdown.
func (h *Handler) WaitNotifications() { h.outbox.Wait() }

// maskPersonal masks e-mail addresses, phone and identity numbers in s.
func maskPersonal(s string) string {
	fs := models.ScanText(s)
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		var m string
		switch f.Kind {
		case models.FindingEmail:
			m = models.MaskEmail(f.Match)
		case models.FindingMobile, models.FindingLandline:
			m = models.MaskPhone(f.Match)
		case models.FindingResidentID, models.FindingBankCard:
			m = models.MaskIDNumber(f.Match)
		default:
			continue
		}
		s = s[:f.Start] + m + s[f.End:]
	}
	return s
}

// trackURL is the public look-up page for links in mails; "" when the
// portal's public URL is not configured.
func (h *Handler) trackURL() string {
	if h.cfg.BaseURL == "" {
		return ""
	}
	return strings.TrimSuffix(h.cfg.BaseURL, "/") + "/track"
}

// serveFile sends a stored file as a download. The name is sent in
// RFC 6266 form so that Chinese names survive; the type is the one
// detected on upload, and nosniff (set for every response) stops browsers
// from guessing another.
func serveFile(c *gin.Context, name, contentType string, content []byte) {
	noStore(c)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Data(http.StatusOK, contentType, content)
}

// option is one choice of a select or a radio group, as the form partials
// take it.
type option = map[string]string

func options[T ~string](values []T, label func(T) string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{"value": string(v), "label": label(v)})
	}
	return out
}

// clockTime writes an instant in the agency's zone the way messages name
// a time of day: 2026年2月10日 09:45.
func (h *Handler) clockTime(t time.Time) string {
	return t.In(h.cfg.Location).Format("2006年1月2日 15:04")
}

// pathID parses a numeric path parameter; anything else is not found.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.Errorf(models.ENOTFOUND, "")
	}
	return id, nil
}
