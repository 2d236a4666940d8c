package models

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Role is what a staff user may do. A user may hold several roles.
type Role string

// Roles. Stored values; do not change.
const (
	RoleAdmin          Role = "admin"           // 系统管理员: users, sections, agency profile, calendar
	RoleOfficeClerk    Role = "office_clerk"    // 公开办经办: intake, routing, notices
	RoleOfficeHead     Role = "office_head"     // 公开办负责人: extensions, Art. 35 decisions, final answers
	RoleSectionHandler Role = "section_handler" // 科室承办人: works the own section's applications
	RoleSectionHead    Role = "section_head"    // 科室负责人: approves the own section's drafts
	RoleReviewer       Role = "reviewer"        // 保密审查员: confidentiality review before release
	RolePublisher      Role = "publisher"       // 信息发布员: catalog entries, annual report
	RoleAuditor        Role = "auditor"         // 审计员: reads the audit trail, changes nothing
)

// Roles lists every role in the order administrators see them.
var Roles = []Role{
	RoleAdmin, RoleOfficeClerk, RoleOfficeHead, RoleSectionHandler,
	RoleSectionHead, RoleReviewer, RolePublisher, RoleAuditor,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Label returns the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleOfficeClerk:
		return "公开办经办"
	case RoleOfficeHead:
		return "公开办负责人"
	case RoleSectionHandler:
		return "科室承办人"
	case RoleSectionHead:
		return "科室负责人"
	case RoleReviewer:
		return "保密审查员"
	case RolePublisher:
		return "信息发布员"
	case RoleAuditor:
		return "审计员"
	}
	return string(r)
}

// User is a staff account.
type User struct {
	ID                 int64
	AgencyID           int64
	Username           string
	DisplayName        string
	PasswordHash       string
	Roles              []Role
	SectionIDs         []int64 // the sections a section user works for
	Active             bool
	MustChangePassword bool
	FailedLogins       int
	LockedUntil        time.Time
	LastLoginAt        time.Time
	PasswordChangedAt  time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// HasRole reports whether the user holds r.
func (u *User) HasRole(r Role) bool {
	for _, v := range u.Roles {
		if v == r {
			return true
		}
	}
	return false
}

// bcryptCost is the work factor for staff passwords (about 60 ms per hash
// on the reference machine).
const bcryptCost = 11

// MinPasswordLength is the shortest staff password accepted, in characters.
const MinPasswordLength = 10

// HashPassword returns the bcrypt hash of a password.
func HashPassword(password string) (string, error) {
	if len(password) > 72 { // bcrypt's limit, in bytes
		return "", Errorf(EINVALID, "密码过长，请不超过72个字节。")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword reports whether password matches the bcrypt hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// ValidatePassword checks a new staff password: at least MinPasswordLength
// characters, with letters and digits, not containing the username.
func ValidatePassword(username, password string) error {
	var fe []FieldError
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		fe = append(fe, FieldError{"password", fmt.Sprintf("密码至少需要%d个字符。", MinPasswordLength)})
	case len(password) > 72:
		fe = append(fe, FieldError{"password", "密码过长，请不超过72个字节。"})
	default:
		var letter, digit bool
		for _, r := range password {
			letter = letter || unicode.IsLetter(r)
			digit = digit || unicode.IsDigit(r)
		}
		if !letter || !digit {
			fe = append(fe, FieldError{"password", "密码须同时包含字母和数字。"})
		} else if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
			fe = append(fe, FieldError{"password", "密码不能包含用户名。"})
		}
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// ValidateUsername checks a login name: 3 to 32 lower-case letters, digits,
// dots, hyphens or underscores.
func ValidateUsername(s string) error {
	if len(s) < 3 || len(s) > 32 {
		return Invalid(FieldError{"username", "用户名须为3至32个字符。"})
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return Invalid(FieldError{"username", "用户名只能包含小写字母、数字、点、连字符和下划线。"})
		}
	}
	return nil
}

// passwordAlphabet leaves out characters people confuse when copying a
// printed password.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NewPassword returns a random password of n characters with at least one
// letter and one digit, for bootstrap and reset.
func NewPassword(n int) string {
	if n < MinPasswordLength {
		n = MinPasswordLength
	}
	for {
		var sb strings.Builder
		var b [1]byte
		for sb.Len() < n {
			if _, err := rand.Read(b[:]); err != nil {
				panic(err)
			}
			if int(b[0]) >= 256-256%len(passwordAlphabet) {
				continue
			}
			sb.WriteByte(passwordAlphabet[int(b[0])%len(passwordAlphabet)])
		}
		p := sb.String()
		if ValidatePassword("", p) == nil {
			return p
		}
	}
}

// ErrBadCredentials is returned for a wrong username or password; the
// message does not say which.
var ErrBadCredentials = &Error{Code: EUNAUTHORIZED, Message: "用户名或密码不正确。"}

// IsBadCredentials reports whether err is ErrBadCredentials.
func IsBadCredentials(err error) bool { return errors.Is(err, ErrBadCredentials) }
