// Package models holds gongkai's domain types and rules: applications and
// their ledger, the working-day calendar and the statutory clock, outcomes
// and their annual-report rows, staff roles and what they may do.
//
// The package is plain Go. It imports the standard library and
// golang.org/x/crypto only, never a web framework or a database driver, so
// every rule can be table-tested without a server. "Today" is always a
// parameter: nothing in this package reads the wall clock.
package models

import (
	"errors"
	"fmt"
)

// Code classifies an application error so that the web layer can map it to
// a status and a page without looking at the text.
type Code string

// Error codes. They are stable: the JSON API returns them to integrators.
const (
	EINVALID      Code = "invalid"      // the input breaks a rule; the message says which
	ENOTFOUND     Code = "not_found"    // the thing asked for does not exist (or may not be revealed)
	ECONFLICT     Code = "conflict"     // the request clashes with the current state
	EFORBIDDEN    Code = "forbidden"    // the user may not do this
	EUNAUTHORIZED Code = "unauthorized" // no valid session or credentials
	ETOOMANY      Code = "too_many"     // a rate limit or lockout is in force
	EUNAVAILABLE  Code = "unavailable"  // a dependency (database, calendar year) is missing
	EINTERNAL     Code = "internal"     // a bug or an outage; details are only logged
)

// FieldError is a message about one form field, shown next to that field.
type FieldError struct {
	Field   string // the form field's name attribute
	Message string // Simplified Chinese, for the person filling in the form
}

// Error is gongkai's one application error type. Message is safe to show to
// a citizen (Simplified Chinese, no internal detail); Err carries the cause
// for the logs.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error
}

// Error implements the error interface. It includes the cause for logs; use
// ErrorMessage for what a user may read.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message that wraps err.
func WrapError(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Invalid returns an EINVALID error carrying field messages. The summary
// message is what an error summary at the top of a form says.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改后重新提交。", Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Errors that are not
// *Error (and internal ones) get a generic message so that no internal
// detail reaches the public.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	return "系统暂时无法完成您的请求，请稍后再试。如问题持续存在，请联系本机关政府信息公开工作机构。"
}

// FieldErrors returns the field messages carried by err, keyed by field.
func FieldErrors(err error) map[string]string {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if _, dup := m[f.Field]; !dup {
			m[f.Field] = f.Message
		}
	}
	return m
}
