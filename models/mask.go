package models

// Masking for display. 个人信息保护法第五十一条 asks for de-identification and
// least-privilege access, and 居民身份证法第十三条 binds staff who see ID
// numbers to confidentiality; so lists and notices show masked values and
// the full value only behind an audited "reveal" (rules.md §7.3). The mask
// patterns are common practice, not a legal text. Every function works on
// runes, so Chinese text is never cut inside a character.

import (
	"strings"
	"unicode/utf8"
)

// MaskIDNumber masks a document number, keeping the first and the last
// four characters of an 18-character resident ID:
// "211202199003074477" → "2112**********4477". Shorter numbers keep a
// quarter of their length (rounded down) at each end, so at most half of a
// value is ever shown; numbers of three characters or fewer are all stars.
func MaskIDNumber(s string) string {
	r := []rune(strings.TrimSpace(s))
	keep := min(len(r)/4, 4)
	return maskMiddle(r, keep, keep)
}

// MaskPhone masks a telephone number. A mobile number keeps its first three
// and last four digits ("13812341234" → "138****1234"); a landline keeps its
// area code and last four digits ("024-12345678" → "024-****5678") and stars
// any extension. A value that is neither is masked like MaskIDNumber.
func MaskPhone(s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return ""
	}
	if m, ok := normaliseMobile(foldWidth(t)); ok {
		return m[:3] + "****" + m[7:]
	}
	if l, ok := normaliseLandline(foldWidth(t)); ok {
		parts := strings.Split(l, "-") // area, local[, extension]
		local := parts[1]
		out := parts[0] + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
		if len(parts) == 3 {
			out += "-" + strings.Repeat("*", len(parts[2]))
		}
		return out
	}
	return MaskIDNumber(t)
}

// MaskEmail masks the local part of an e-mail address after its first
// character and keeps the domain: "zhangsan@example.com" →
// "z*******@example.com". A one-character local part becomes a single star.
// A value without an @ is masked like MaskIDNumber.
func MaskEmail(s string) string {
	t := strings.TrimSpace(s)
	at := strings.LastIndexByte(t, '@')
	if at < 0 {
		return MaskIDNumber(t)
	}
	local := []rune(t[:at])
	if len(local) <= 1 {
		return strings.Repeat("*", len(local)) + t[at:]
	}
	return maskMiddle(local, 1, 0) + t[at:]
}

// MaskName masks a person's name after its first character: "张三" → "张*",
// "欧阳娜娜" → "欧***". Keeping the first character (usually the surname for a
// Chinese name) rather than the compound surname keeps the rule simple and
// reveals less. A one-character name becomes "*".
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 1 {
		return strings.Repeat("*", len(r))
	}
	return maskMiddle(r, 1, 0)
}

// maskMiddle keeps head runes at the start and tail runes at the end of r
// and replaces every rune between them with a star.
func maskMiddle(r []rune, head, tail int) string {
	if head+tail >= len(r) {
		head, tail = 0, 0
	}
	var b strings.Builder
	b.Grow(len(r) + 3*(head+tail))
	for i, c := range r {
		if i < head || i >= len(r)-tail {
			if c == utf8.RuneError {
				c = '?'
			}
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
