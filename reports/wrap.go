package reports

import (
	"strings"
	"unicode"
)

// Chinese line-breaking rules (禁则): closing punctuation never starts a
// line and opening punctuation never ends one.
const (
	noLineStart = "，。、；：？！）》」』”’〕】〉｝］,.;:?!)]}%％‰℃·～"
	noLineEnd   = "（《「『“‘〔【〈｛［([{"
)

// wrap breaks s into lines no wider than first (the first line) and rest
// (the others) at the current font. A newline in s always breaks the line.
// Otherwise it breaks between Chinese characters and after spaces, never
// inside a Latin word or number, and keeps to the Chinese line-breaking
// rules. It returns at least one line.
func (w *writer) wrap(s string, first, rest float64) []string {
	var lines []string
	for _, part := range strings.Split(s, "\n") {
		width := first
		if len(lines) > 0 {
			width = rest
		}
		lines = append(lines, w.wrapPart(printable(part), width, rest)...)
	}
	return lines
}

// printable turns tabs into spaces and drops other control characters
// (such as the \r of pasted text): the font has no glyphs for them, and
// MissingGlyphs does not report them because they are never printed.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

func (w *writer) wrapPart(s string, first, rest float64) []string {
	rs := []rune(s)
	var lines []string
	start, brk, width, x := 0, -1, first, 0.0
	for i := 0; i < len(rs); i++ {
		if i > start && canBreak(rs[i-1], rs[i]) {
			brk = i
		}
		x += w.pdf.GetStringWidth(string(rs[i]))
		if x <= width+0.01 || i == start {
			continue
		}
		end := brk
		if end <= start {
			end = i // a word longer than the line: cut it
		}
		lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
		for end < len(rs) && rs[end] == ' ' {
			end++
		}
		start, brk, width, x = end, -1, rest, 0
		i = start - 1
	}
	if start < len(rs) || len(lines) == 0 {
		lines = append(lines, string(rs[start:]))
	}
	return lines
}

// canBreak reports whether a line may end between a and b.
func canBreak(a, b rune) bool {
	switch {
	case strings.ContainsRune(noLineStart, b), strings.ContainsRune(noLineEnd, a):
		return false
	case a == b && (a == '—' || a == '…'): // —— and …… are one mark
		return false
	case a == ' ':
		return true
	}
	return wide(a) || wide(b)
}

// wide reports whether r is set on the Chinese character grid, where a line
// may break on either side of it.
func wide(r rune) bool {
	return r >= 0x2E80 || strings.ContainsRune("—…“”‘’", r)
}

// pack fills lines no wider than width with whole parts joined by sep,
// wrapping only a part that is too long for a line of its own. It keeps
// footer entries such as a phone number on one line.
func (w *writer) pack(parts []string, sep string, width float64) []string {
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case w.pdf.GetStringWidth(line+sep+p) <= width:
			line += sep + p
		default:
			lines = append(lines, line)
			line = p
		}
		if w.pdf.GetStringWidth(line) > width {
			wrapped := w.wrap(line, width, width)
			lines = append(lines, wrapped[:len(wrapped)-1]...)
			line = wrapped[len(wrapped)-1]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
