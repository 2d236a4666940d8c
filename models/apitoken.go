package models

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Staff API tokens (APIToken, apikey.go): a user creates them on
// /staff/account/tokens for a tool that calls the JSON API in their name.

// MaxActiveAPITokens is how many usable tokens a user may hold at once: a
// few tools each, not one per script run.
const MaxActiveAPITokens = 10

// maxAPITokenNameRunes is the longest token name (the column's width).
const maxAPITokenNameRunes = 100

// ValidateAPIToken checks what a user asks for when creating a token: a
// name saying what the token is for, and an optional last day of validity
// (expiresOn, zero for none) that is later than today.
func ValidateAPIToken(name string, expiresOn, today Date) error {
	var fe []FieldError
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		fe = append(fe, FieldError{"name", "请填写令牌的用途，例如“省政务服务平台对接”。"})
	case n > maxAPITokenNameRunes:
		fe = append(fe, FieldError{"name", "用途不超过100个字。"})
	}
	if !expiresOn.IsZero() && !expiresOn.After(today) {
		fe = append(fe, FieldError{"expires_on", "有效期应晚于今天；不填写表示长期有效，直至吊销。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// APITokenExpiry is the instant a token valid through the day d stops
// working: the start of the next day in the agency's time zone. The zero
// Date gives the zero time (no expiry).
func APITokenExpiry(d Date, loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.AddDays(1).Time(loc)
}

// APITokenState is where a token stands.
type APITokenState string

// Token states.
const (
	APITokenActive  APITokenState = "active"
	APITokenExpired APITokenState = "expired"
	APITokenRevoked APITokenState = "revoked"
)

// State returns the token's state at now.
func (t *APIToken) State(now time.Time) APITokenState {
	switch {
	case !t.RevokedAt.IsZero():
		return APITokenRevoked
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return APITokenExpired
	}
	return APITokenActive
}

// Label returns the state in Chinese.
func (s APITokenState) Label() string {
	switch s {
	case APITokenActive:
		return "有效"
	case APITokenExpired:
		return "已过期"
	case APITokenRevoked:
		return "已吊销"
	}
	return string(s)
}

// maxActorNameRunes is the width of the audit trail's actor column.
const maxActorNameRunes = 100

// APIActorName is how the audit trail names a user acting through an API
// token: the user as ActorName gives them, marked with the token, so that
// every entry of an API request says it came through the API and which
// token made it. The user's display name is shortened if the whole would
// not fit the column.
func APIActorName(u *User, tokenID int64) string {
	if u == nil {
		return ""
	}
	mark := "［API令牌#" + strconv.FormatInt(tokenID, 10) + "］"
	display := []rune(u.DisplayName)
	if over := utf8.RuneCountInString(ActorName(u)) + utf8.RuneCountInString(mark) - maxActorNameRunes; over > 0 {
		display = display[:max(0, len(display)-over)]
	}
	return ActorName(&User{DisplayName: string(display), Username: u.Username}) + mark
}
