package models

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// APIClient is an integrating platform (e.g. a provincial 政务服务 platform)
// that submits applications to an agency and reads their status through
// the JSON API. Its key is shown once at creation; the store keeps only the
// key's SHA-256.
type APIClient struct {
	ID        int64
	AgencyID  int64
	Name      string // e.g. 辽宁政务服务网
	KeyPrefix string // the key's first characters, to recognise it in lists and logs
	// RatePerMinute caps the platform's requests; each platform has its own
	// budget, counted in the database so every portal process shares it.
	RatePerMinute int
	CreatedAt     time.Time
	RevokedAt     time.Time
}

// Active reports whether the client's key still works.
func (c *APIClient) Active() bool { return c.RevokedAt.IsZero() }

// Validate checks a client's settings.
func (c *APIClient) Validate() error {
	var fe []FieldError
	name := strings.TrimSpace(c.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		fe = append(fe, FieldError{"name", "请填写接入平台名称（不超过100个字）。"})
	}
	if c.RatePerMinute < 1 || c.RatePerMinute > 100000 {
		fe = append(fe, FieldError{"rate", "每分钟请求上限应为1至100000。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// API credential kinds, the first part of a key: a platform's key or a
// staff user's token.
const (
	APIKeyPlatform = "gkp" // an integrating platform's key
	APIKeyStaff    = "gks" // a staff user's API token
)

// NewAPIKey returns a new credential of the kind: "gkp_" or "gks_" and 43
// random URL-safe characters (256 bits), and its prefix for display.
func NewAPIKey(kind string) (key, prefix string) {
	key = kind + "_" + NewToken(32)
	return key, key[:12]
}

// APIKeyHash is what the store keeps of a key: its SHA-256, hex. A key has
// 256 random bits, so a fast hash is enough; no password hashing needed.
func APIKeyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// APIKeyKind returns the kind of a presented key, or "" when it has
// neither known prefix.
func APIKeyKind(key string) string {
	kind, _, ok := strings.Cut(key, "_")
	if !ok || (kind != APIKeyPlatform && kind != APIKeyStaff) {
		return ""
	}
	return kind
}

// APIToken is a staff user's token for the JSON API. It acts with exactly
// the user's roles and sections (models.Can decides, as for the pages), is
// revocable, and every use is audited like a page action.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	KeyPrefix  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Usable reports whether the token works at now.
func (t *APIToken) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}
