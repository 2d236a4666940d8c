package handlers

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Flash is a one-time message shown on the page after a redirect.
type Flash struct {
	Kind    string // success, error, warning, info
	Message string
}

const flashCookie = "gk_flash"

// setFlash stores a message for the next page in a signed cookie.
func (h *Handler) setFlash(c *gin.Context, kind, message string) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + message))
	mac := h.store.Keys().SessionMAC("flash:" + payload)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: payload + "." + mac, Path: "/", MaxAge: 300,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash reads and clears the flash message, ignoring forged cookies.
func (h *Handler) takeFlash(c *gin.Context) *Flash {
	ck, err := c.Request.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	payload, mac, ok := strings.Cut(ck.Value, ".")
	if !ok || !h.store.Keys().CheckSessionMAC("flash:"+payload, mac) {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(string(b), "\x00")
	if !ok {
		return nil
	}
	switch kind {
	case "success", "error", "warning", "info":
	default:
		return nil
	}
	return &Flash{Kind: kind, Message: msg}
}
