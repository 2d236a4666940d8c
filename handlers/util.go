package handlers

import (
	"errors"
	"strings"
	"unicode"

	"gongkai/models"
)

func asError(err error, target **models.Error) bool { return errors.As(err, target) }

// trimSpace trims ASCII and full-width (U+3000) spaces, which Chinese input
// methods produce.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
}
