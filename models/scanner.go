package models

// The confidentiality pre-check (保密审查 预检). Before an answer or a
// proactive disclosure is published, ScanText flags the personal
// information that the agency's website rules (网站管理办法第十条, as cited
// in the project brief; the full title was not verified) forbid publishing —
// 身份证号码、详细居住地址、联系方式 — together with bank card numbers and
// e-mail addresses (个人信息保护法第二十五条: no publication of personal
// information without separate consent; 第二十八条: financial accounts are
// sensitive). It is a heuristic aid for the reviewer, not a guarantee: it
// errs towards flagging, and a reviewer still reads every page.

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// FindingKind is the kind of personal information a Finding is.
type FindingKind string

// Finding kinds. Stored values; do not change.
const (
	FindingResidentID FindingKind = "resident_id" // 公民身份号码 (and 港澳台居民居住证号码, which share the format)
	FindingMobile     FindingKind = "mobile"      // 手机号码
	FindingLandline   FindingKind = "landline"    // 固定电话号码 with its area code
	FindingBankCard   FindingKind = "bank_card"   // 银行卡号
	FindingEmail      FindingKind = "email"       // 电子邮箱
	FindingAddress    FindingKind = "address"     // 详细地址 (street and number, or building, unit, room)
)

// Label returns the kind's Chinese name, as the review screen shows it.
func (k FindingKind) Label() string {
	switch k {
	case FindingResidentID:
		return "公民身份号码"
	case FindingMobile:
		return "手机号码"
	case FindingLandline:
		return "固定电话号码"
	case FindingBankCard:
		return "银行卡号"
	case FindingEmail:
		return "电子邮箱"
	case FindingAddress:
		return "详细地址"
	}
	return ""
}

// Finding is one piece of personal information found by ScanText.
type Finding struct {
	Kind  FindingKind
	Start int    // byte offset of the first byte in the scanned text
	End   int    // byte offset just past the last byte; Match == text[Start:End]
	Match string // the text as written
	Line  int    // 1-based line number of Start
}

// ScanText returns the personal information found in text, sorted by
// Start and never overlapping (where two candidates overlap, the longer
// wins: "13812341234@qq.com" is one e-mail address, not a mobile number
// inside one). It recognises:
//
//   - resident ID numbers: 18 characters whose check character is right
//     (GB 11643-1999) and whose positions 7–14 are a real date in 1800–2099;
//     a number with a wrong check character is not reported as an ID;
//   - mobile numbers 1[3-9]xxxxxxxxx, also as 138 1234 1234 or +86…;
//   - landlines with their area code and a 7- or 8-digit local number
//     that starts with 2–9: 024-23456789, 0410-7234567, (024)23456789,
//     02423456789;
//   - bank card numbers: 13–19 digits passing the Luhn check with a card
//     industry prefix (ISO/IEC 7812: 3, 4, 5, 6, 9, or the 2221–2720
//     Mastercard range), also written in groups of four;
//   - e-mail addresses;
//   - detail-level addresses: a road, street, lane or 胡同 with a house
//     number (…路12号, …街3-1号2单元501室), or a residential compound with a
//     building, unit or room (…小区3号楼2单元501室, …花园3-2-501), or a
//     village group (…村3组). Place names alone are not flagged.
//
// Digits may be ASCII or full-width, and digit groups may be separated by
// single spaces or hyphens. A number is only matched as a whole: digits
// inside a longer run of digits or letters never match. ScanText runs in
// linear time and accepts any bytes, including invalid UTF-8.
func ScanText(text string) []Finding {
	var fs []Finding
	fs = scanNumbers(text, fs)
	fs = scanEmails(text, fs)
	fs = scanAddresses(text, fs)
	if len(fs) == 0 {
		return nil
	}
	slices.SortFunc(fs, func(a, b Finding) int {
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Compare(b.End, a.End)
	})
	kept := fs[:1]
	for _, f := range fs[1:] {
		last := &kept[len(kept)-1]
		switch {
		case f.Start >= last.End:
			kept = append(kept, f)
		case f.End-f.Start > last.End-last.Start:
			*last = f
		}
	}
	line, pos := 1, 0
	for i := range kept {
		f := &kept[i]
		line += strings.Count(text[pos:f.Start], "\n")
		pos = f.Start
		f.Line = line
		f.Match = text[f.Start:f.End]
	}
	return kept
}

// digitAt returns the value and byte width of the digit at s[i], an ASCII
// digit or a full-width one (U+FF10–U+FF19), or -1 and 0.
func digitAt(s string, i int) (int, int) {
	c := s[i]
	if c >= '0' && c <= '9' {
		return int(c - '0'), 1
	}
	if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
		return int(s[i+2] - 0x90), 3
	}
	return -1, 0
}

// isWordRune reports whether r continues a number or a word: an ASCII or
// full-width letter or digit, or an underscore.
func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
	case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A:
		return true
	}
	return false
}

// boundaryBefore reports whether a number may start at s[i]: the rune
// before is not a letter or digit, and not the decimal point of a number.
func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, w := utf8.DecodeLastRuneInString(s[:i])
	if isWordRune(r) {
		return false
	}
	if r == '.' && i-w > 0 {
		p, _ := utf8.DecodeLastRuneInString(s[:i-w])
		return !(p >= '0' && p <= '9' || p >= 0xFF10 && p <= 0xFF19)
	}
	return true
}

// boundaryAfter reports whether a number may end at s[j]: the rune there is
// not a letter or digit, and not a decimal point followed by a digit.
func boundaryAfter(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	r, w := utf8.DecodeRuneInString(s[j:])
	if isWordRune(r) {
		return false
	}
	if r == '.' && j+w < len(s) {
		d, _ := digitAt(s, j+w)
		return d < 0
	}
	return true
}

// Limits of one number token: at most maxGroups digit groups and maxDigits
// digits. Longer runs are not any of the numbers looked for.
const (
	maxGroups = 6
	maxDigits = 24
)

// numToken is a run of digit groups separated by one kind of separator
// (a space or a hyphen), as read from the text.
type numToken struct {
	start  int            // byte offset of the first digit
	ends   [maxGroups]int // byte offset just past each group
	cum    [maxGroups]int // digits up to and including each group
	ng     int            // number of groups
	sep    byte           // separator between groups; 0 for a single group
	digits [maxDigits]byte
}

// size returns the number of digits in group g.
func (t *numToken) size(g int) int {
	if g == 0 {
		return t.cum[0]
	}
	return t.cum[g] - t.cum[g-1]
}

// read reads the groups starting at s[i], which is a digit. It returns the
// end of the first group, and false if that group alone is longer than
// maxDigits (the caller then skips it whole).
func (t *numToken) read(s string, i int) (firstEnd int, ok bool) {
	t.start, t.ng, t.sep = i, 0, 0
	nd, j := 0, i
	for {
		n := 0
		for j < len(s) {
			d, w := digitAt(s, j)
			if d < 0 {
				break
			}
			if nd+n < maxDigits {
				t.digits[nd+n] = byte('0' + d)
			}
			n++
			j += w
		}
		if nd+n > maxDigits {
			if t.ng == 0 {
				return j, false
			}
			break
		}
		nd += n
		t.ends[t.ng], t.cum[t.ng] = j, nd
		t.ng++
		if t.ng == maxGroups || j+1 >= len(s) {
			break
		}
		c := s[j]
		if c != ' ' && c != '-' || t.sep != 0 && c != t.sep {
			break
		}
		if d, _ := digitAt(s, j+1); d < 0 {
			break
		}
		t.sep = c
		j++
	}
	if t.ng == 1 {
		t.sep = 0
	}
	return t.ends[0], true
}

// match returns the longest leading run of groups that is a number looked
// for, trying kinds in the order resident ID, mobile, landline, bank card
// (so an ID is never also reported as a card).
func (t *numToken) match(s string) (Finding, bool) {
	for m := t.ng; m >= 1; m-- {
		end, nd := t.ends[m-1], t.cum[m-1]
		d := t.digits[:nd]
		var w int
		if nd == 17 && end < len(s) && isCheckX(s, end, &w) && boundaryAfter(s, end+w) {
			if t.idGroups(m) && plausibleID(string(d)+"X") {
				return Finding{Kind: FindingResidentID, Start: t.start, End: end + w}, true
			}
			continue
		}
		if !boundaryAfter(s, end) {
			continue
		}
		switch {
		case nd == 18 && t.idGroups(m) && plausibleID(string(d)):
			return Finding{Kind: FindingResidentID, Start: t.start, End: end}, true
		case t.isMobile(s, m):
			start := t.start
			if nd == 13 {
				start-- // the + of +86
			}
			return Finding{Kind: FindingMobile, Start: start, End: end}, true
		case t.isLandline(m):
			return Finding{Kind: FindingLandline, Start: t.start, End: end}, true
		case t.isCard(m):
			return Finding{Kind: FindingBankCard, Start: t.start, End: end}, true
		}
	}
	return Finding{}, false
}

// idGroups reports whether the first m groups are grouped the way people
// write ID numbers: in one piece, or in groups of at least two digits
// (211202 19900307 4473, 2112 0219 9003 0744 73).
func (t *numToken) idGroups(m int) bool {
	for g := 0; g < m && m > 1; g++ {
		if t.size(g) < 2 {
			return false
		}
	}
	return true
}

// isMobile reports whether the first m groups are a mobile number written
// as 13812341234 or 138 1234 1234, optionally after +86.
func (t *numToken) isMobile(s string, m int) bool {
	nd := t.cum[m-1]
	d := t.digits[:nd]
	first := 0 // the group where the 11 digits start
	if nd == 13 {
		if t.start == 0 || s[t.start-1] != '+' || d[0] != '8' || d[1] != '6' {
			return false
		}
		d = d[2:]
		if t.size(0) == 2 {
			first = 1
		} else if t.size(0) != 13 {
			return false
		}
	} else if nd != 11 {
		return false
	}
	if d[0] != '1' || d[1] < '3' {
		return false
	}
	switch m - first {
	case 1:
		return true
	case 3:
		return t.size(first) == 3 && t.size(first+1) == 4 && t.size(first+2) == 4
	}
	return false
}

// isLandline reports whether the first m groups are a landline number with
// its area code: one group of 10–12 digits, or an area code and a local
// number.
func (t *numToken) isLandline(m int) bool {
	nd := t.cum[m-1]
	d := t.digits[:nd]
	if nd < 10 || nd > 12 || d[0] != '0' || d[1] == '0' {
		return false
	}
	a := areaCodeLen(string(d[:2]))
	switch m {
	case 1:
	case 2:
		if t.size(0) != a {
			return false
		}
	default:
		return false
	}
	local := nd - a
	return local >= 7 && local <= 8 && d[a] >= '2'
}

// isCard reports whether the first m groups are a bank card number: 13–19
// digits in one group or in groups of four (the last may be shorter), with
// a card prefix and a valid Luhn check digit (ISO/IEC 7812-1).
func (t *numToken) isCard(m int) bool {
	nd := t.cum[m-1]
	if nd < 13 || nd > 19 {
		return false
	}
	if m > 1 {
		if m < 4 {
			return false
		}
		for g := 0; g < m-1; g++ {
			if t.size(g) != 4 {
				return false
			}
		}
	}
	d := t.digits[:nd]
	switch d[0] {
	case '3', '4', '5', '6', '9':
	case '2':
		p := int(d[1]-'0')*100 + int(d[2]-'0')*10 + int(d[3]-'0')
		if nd != 16 || p < 221 || p > 720 {
			return false
		}
	default:
		return false
	}
	return luhnOK(d)
}

// luhnOK reports whether the digits d pass the Luhn (mod 10) check.
func luhnOK(d []byte) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// plausibleID reports whether the 18 ASCII characters id have a valid GB
// 11643 check character and a real birth date in 1800–2099. The range is
// wider than ValidateResidentID's on purpose: the scanner has no "today",
// and a mistyped or historical birth year (rules.md's 440524188001010014)
// still makes the number an ID for the reviewer, not a bank card.
func plausibleID(id string) bool {
	if residentIDCheck(id) != id[17] {
		return false
	}
	b, ok := birthDate(id[6:14])
	return ok && b.Year() >= 1800 && b.Year() <= 2099
}

// parenLandline matches a landline whose area code is in parentheses,
// (024)12345678 or （0410）1234567, where s[i] is the first digit of the area
// code.
func parenLandline(s string, i int) (Finding, bool) {
	r, pw := utf8.DecodeLastRuneInString(s[:i])
	if r != '(' && r != '（' {
		return Finding{}, false
	}
	j := i
	for j < len(s) && j-i < 5 && isDigit(s[j]) {
		j++
	}
	if !validAreaCode(s[i:j]) {
		return Finding{}, false
	}
	switch {
	case strings.HasPrefix(s[j:], ")"):
		j++
	case strings.HasPrefix(s[j:], "）"):
		j += len("）")
	default:
		return Finding{}, false
	}
	if j < len(s) && (s[j] == ' ' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && k-j < 9 && isDigit(s[k]) {
		k++
	}
	if n := k - j; n < 7 || n > 8 || s[j] < '2' || !boundaryAfter(s, k) {
		return Finding{}, false
	}
	return Finding{Kind: FindingLandline, Start: i - pw, End: k}, true
}

// scanNumbers appends the resident IDs, phone numbers and bank cards in s.
func scanNumbers(s string, out []Finding) []Finding {
	var t numToken
	for i := 0; i < len(s); {
		c := s[i]
		if (c < '0' || c > '9') && c != 0xEF {
			i++
			continue
		}
		if d, _ := digitAt(s, i); d < 0 {
			i++
			continue
		}
		if !boundaryBefore(s, i) {
			i = skipDigits(s, i)
			continue
		}
		if f, ok := parenLandline(s, i); ok {
			out = append(out, f)
			i = f.End
			continue
		}
		firstEnd, ok := t.read(s, i)
		if ok {
			if f, ok := t.match(s); ok {
				out = append(out, f)
				i = f.End
				continue
			}
		}
		i = firstEnd
	}
	return out
}

// skipDigits returns the end of the digit run that starts at s[i].
func skipDigits(s string, i int) int {
	for i < len(s) {
		d, w := digitAt(s, i)
		if d < 0 {
			break
		}
		i += w
	}
	return i
}

// isEmailLocal reports whether c may appear in the local part of an e-mail
// address as people write them (the RFC 5322 dot-atom subset in real use).
func isEmailLocal(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isEmailDomain(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-'
}

// scanEmails appends the e-mail addresses in s, found from each @.
func scanEmails(s string, out []Finding) []Finding {
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '@')
		if k < 0 {
			break
		}
		at := off + k
		off = at + 1
		a := at
		for a > 0 && isEmailLocal(s[a-1]) {
			a--
		}
		for a < at && s[a] == '.' {
			a++
		}
		b := at + 1
		for b < len(s) && isEmailDomain(s[b]) {
			b++
		}
		for b > at+1 && (s[b-1] == '.' || s[b-1] == '-') {
			b--
		}
		local := s[a:at]
		if local == "" || len(local) > 64 || local[len(local)-1] == '.' || strings.Contains(local, "..") {
			continue
		}
		if !validDomain(asciiLower(s[at+1 : b])) {
			continue
		}
		out = append(out, Finding{Kind: FindingEmail, Start: a, End: b})
		off = b
	}
	return out
}

// The address patterns. They are heuristics tuned to flag detail-level
// addresses (网站管理办法第十条 详细居住地址), not every place name: a road or
// compound name must be followed by a house number, building, unit or
// room.
var addressRE = func() *regexp.Regexp {
	const (
		// a Han character that can be part of a place name; a few
		// characters that end the words before an address (家住、地址是、
		// 位于…的) are left out so that the match starts at the place name.
		han = `[^\P{Han}的在住址是到]`
		num = `(?:[0-9０-９]+|[一二三四五六七八九十百零〇两]+)`
		// house numbers may be hyphenated: 12-1号.
		houseNum = `(?:[0-9０-９]+(?:[-－][0-9０-９]+)?|[一二三四五六七八九十百零〇两]+)`
		// 3-2-501: building, unit, room.
		triple = `[0-9０-９]+[-－][0-9０-９]+[-－][0-9０-９]+`
		// building, unit, floor, room after a compound or a house number.
		rooms = `(?:` + num + `(?:号楼|栋|幢|座|号院))?(?:` + num + `单元)?(?:` + num + `(?:层|楼))?(?:` + num + `(?:室|号|户))?(?:` + triple + `(?:室|号)?)?`
		road  = han + `{1,20}(?:大街|大道|胡同|路|街|道|巷|弄|里|段)` + houseNum + `号院?` + rooms
		unit  = han + `{1,20}(?:小区|花园|家园|公寓|新村|社区|大厦|苑|庭|府|城|园|里|村|屯)` +
			`(?:` + num + `(?:号楼|栋|幢|座|楼)(?:` + num + `单元)?(?:` + num + `(?:层|楼))?(?:` + num + `(?:室|号|户))?` +
			`|` + num + `单元(?:` + num + `(?:室|号|户))?` +
			`|` + triple + `(?:室|号)?` +
			`|` + num + `(?:室|户|号)` +
			`|` + num + `(?:组|社)(?:` + num + `号)?)`
	)
	return regexp.MustCompile(road + `|` + unit)
}()

// scanAddresses appends the detail-level addresses in s. It works clause by
// clause (text between punctuation and line breaks, which an address does
// not cross) and runs the regular expression only on "hot" clauses: those
// where a road or compound suffix (路, 街, 小区, 村 …) is directly followed
// by a numeral, as in every address match. That keeps the expression off
// almost all of an ordinary letter.
func scanAddresses(s string, out []Finding) []Finding {
	start, hot := 0, false
	for i := 0; i <= len(s); {
		if w := clauseBreak(s, i); w > 0 {
			if hot {
				out = addressesIn(s, start, i, out)
			}
			i += w
			start, hot = i, false
			continue
		}
		c := s[i]
		if c < 0xE0 || c > 0xEF {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if !hot && isPlaceSuffix(r) && i < len(s) && startsNumeral(s[i:]) {
			hot = true
		}
	}
	return out
}

// isPlaceSuffix reports whether r ends a road name (路、街、道、巷、弄、里、段、
// 胡同) or a compound or village name (小区、花园、公寓、大厦、苑、村 …): the
// character right before the first numeral of every address match.
func isPlaceSuffix(r rune) bool {
	switch r {
	case '路', '街', '道', '巷', '弄', '里', '段', '同',
		'区', '园', '寓', '村', '厦', '苑', '庭', '府', '城', '屯':
		return true
	}
	return false
}

// startsNumeral reports whether s starts with an ASCII or full-width digit
// or a Chinese numeral.
func startsNumeral(s string) bool {
	if d, _ := digitAt(s, 0); d >= 0 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("一二三四五六七八九十百零〇两", r)
}

// clauseBreak returns the width of the clause delimiter at s[i] (the end of
// s counts as one of width 1), or 0.
func clauseBreak(s string, i int) int {
	if i == len(s) {
		return 1
	}
	c := s[i]
	switch {
	case c < utf8.RuneSelf:
		switch c {
		case '\n', '\r', '\t', ',', ';', ':', '!', '?', '"', '<', '>':
			return 1
		}
		return 0
	case c == 0xE3 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x81 || s[i+2] == 0x82): // 、。
		return 3
	case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && (s[i+2] == 0x8C || s[i+2] == 0x9B || s[i+2] == 0x9A || s[i+2] == 0x81 || s[i+2] == 0x9F): // ，；：！？
		return 3
	}
	return 0
}

// addressesIn appends the address matches in s[start:end], merging matches
// that touch (…路12号 followed by …小区3号楼 is one address).
func addressesIn(s string, start, end int, out []Finding) []Finding {
	n := len(out)
	for _, m := range addressRE.FindAllStringIndex(s[start:end], -1) {
		f := Finding{Kind: FindingAddress, Start: start + m[0], End: start + m[1]}
		if len(out) > n && out[len(out)-1].End == f.Start {
			out[len(out)-1].End = f.End
			continue
		}
		out = append(out, f)
	}
	return out
}
