package models

// Identity and contact validation for the applicant form. 条例第二十九条第二款
// requires 申请人的姓名或者名称、身份证明、联系方式; these functions check the
// shape of the numbers people type and return them in one canonical form, so
// that the keyed match hash (same applicant per calendar month, for the fee
// tiers and 条例第三十五条) sees one spelling per person.
//
// Every validator returns an *Error with code EINVALID whose Message says
// exactly what is wrong, in Chinese, for the person filling in the form. A
// validator does not know the form field's name; the handler attaches it:
//
//	if _, err := models.ValidateMobile(f.Phone); err != nil {
//		fe = append(fe, models.FieldError{Field: "phone", Message: models.ErrorMessage(err)})
//	}

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// residentIDWeights are the ISO 7064:1983 MOD 11-2 weights of positions 1–17
// of a citizen identity number (GB 11643-1999): 2^(18-i) mod 11.
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheckChars maps S mod 11 to the check character (GB 11643-1999).
const residentIDCheckChars = "10X98765432"

// residentIDCheck returns the check character for the 17 leading digits of
// d (ASCII digits; the caller has checked them).
func residentIDCheck(d string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d[i]-'0') * residentIDWeights[i]
	}
	return residentIDCheckChars[sum%11]
}

// ResidentIDChecksumOK reports whether s is 17 digits followed by the check
// character that GB 11643-1999 (ISO 7064 MOD 11-2) gives for them, a digit or
// X. It checks the checksum only, not the birth date or the address code.
//
// Because the confidentiality scanner reports numbers the way they were
// written, ResidentIDChecksumOK also accepts lower-case x, full-width digits
// and single spaces or hyphens between digit groups ("211202 19900307 4477").
func ResidentIDChecksumOK(s string) bool {
	var buf [18]byte
	n := 0
	for i := 0; i < len(s); {
		d, w := digitAt(s, i)
		switch {
		case d >= 0:
			if n == 18 {
				return false
			}
			buf[n] = byte('0' + d)
			n++
		case n == 17 && isCheckX(s, i, &w):
			buf[n] = 'X'
			n++
		case n > 0 && n <= 17 && (s[i] == ' ' || s[i] == '-') && i+1 < len(s):
			w = 1
			if d2, _ := digitAt(s, i+1); d2 < 0 {
				return false
			}
		default:
			return false
		}
		i += w
	}
	return n == 18 && residentIDCheck(string(buf[:17])) == buf[17]
}

// isCheckX reports whether s[i:] starts with an X (ASCII or full-width, any
// case) and stores its width in *w.
func isCheckX(s string, i int, w *int) bool {
	switch {
	case s[i] == 'X' || s[i] == 'x':
		*w = 1
		return true
	case strings.HasPrefix(s[i:], "Ｘ") || strings.HasPrefix(s[i:], "ｘ"):
		*w = 3
		return true
	}
	return false
}

// provinceCodes are the first two digits of the GB/T 2260 address codes of
// the 31 mainland provincial-level divisions, the only ones a 居民身份证
// carries. 71 (台湾) is a GB/T 2260 code but no resident ID uses it; 81, 82
// and 83 are the 港澳台居民居住证 prefixes.
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
}

// residencePermitPrefixes are the address codes of the 港澳台居民居住证
// (《港澳台居民居住证申领发放办法》, 2018): 810000 香港, 820000 澳门,
// 830000 台湾 [rules.md §7.4, from memory]. Only the first two digits are
// checked, in case the remaining four are ever used.
var residencePermitPrefixes = map[string]bool{"81": true, "82": true, "83": true}

// earliestBirth is the earliest birth date accepted in an identity number.
var earliestBirth = NewDate(1900, time.January, 1)

// ValidateResidentID checks a 公民身份号码 (居民身份证号码) against GB 11643-1999
// and returns it normalised: spaces removed, full-width characters folded,
// a lower-case check character x upper-cased. It checks, in this order, the
// length (15-digit first-generation numbers are refused: those cards stopped
// being valid on 2013-01-01 under 居民身份证法第二十三条), the characters, the
// province code, the birth date (positions 7–14: a real date, not before
// 1900-01-01 and not after today) and the check character. A zero today
// skips the "not after today" check.
func ValidateResidentID(s string, today Date) (string, error) {
	return validateID18(s, today, false)
}

// validateID18 checks an 18-character identity number: a 居民身份证 number or,
// with permit set, a 港澳台居民居住证 number, which shares the format and the
// checksum but carries 81/82/83 as its address code.
func validateID18(s string, today Date, permit bool) (string, error) {
	what := "公民身份号码"
	if permit {
		what = "港澳台居民居住证号码"
	}
	s = removeSpace(foldWidth(s))
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return "", invalid("请填写" + what + "。")
	case n == 15 && allDigits(s):
		if permit {
			return "", invalid("港澳台居民居住证号码应为18位，您输入的是15位。")
		}
		return "", invalid("15位身份证号码属于第一代居民身份证，已于2013年1月1日停止使用，请填写18位公民身份号码。")
	case n != 18:
		return "", invalid(what + "应为18位，您输入的是" + strconv.Itoa(n) + "位。")
	}
	if !allDigits(s[:17]) || !(isDigit(s[17]) || s[17] == 'X' || s[17] == 'x') {
		return "", invalid(what + "的前17位应为数字，第18位应为数字或字母X。")
	}
	s = strings.ToUpper(s)
	prefix := s[:2]
	switch {
	case permit && !residencePermitPrefixes[prefix]:
		return "", invalid("港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头，请核对证件类型和号码。")
	case !permit && residencePermitPrefixes[prefix]:
		return "", invalid("该号码是港澳台居民居住证号码，请将证件类型选为“港澳台居民居住证”。")
	case !permit && !provinceCodes[prefix]:
		return "", invalid("公民身份号码的前两位（省级行政区划代码）不正确，请核对后重新输入。")
	}
	birth, ok := birthDate(s[6:14])
	switch {
	case !ok:
		return "", invalid(what + "中的出生日期（第7至14位）不是有效日期，请核对后重新输入。")
	case birth.Before(earliestBirth):
		return "", invalid(what + "中的出生日期早于1900年1月1日，请核对后重新输入。")
	case !today.IsZero() && birth.After(today):
		return "", invalid(what + "中的出生日期晚于今天，请核对后重新输入。")
	}
	if residentIDCheck(s) != s[17] {
		return "", invalid(what + "校验位不正确，请核对后重新输入。")
	}
	return s, nil
}

// birthDate parses the YYYYMMDD birth date of an identity number and reports
// whether it is a real calendar day (GB/T 7408).
func birthDate(s string) (Date, bool) {
	if len(s) != 8 || !allDigits(s) {
		return Date{}, false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[4:6])
	d, _ := strconv.Atoi(s[6:])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	dt := NewDate(y, time.Month(m), d)
	if dt.Day() != d {
		return Date{}, false
	}
	return dt, true
}

// creditCodeAlphabet is the GB 32100-2015 code alphabet in value order: the
// ten digits and the capital letters without I, O, S, V and Z.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the GB 32100-2015 weights of positions 1–17
// (3^(i-1) mod 31).
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidateCreditCode checks a 统一社会信用代码 against GB 32100-2015 and returns
// it upper-cased with spaces removed. The code is 18 characters from the
// alphabet 0–9 A–Y without I, O, S, V, Z; the 18th is the check character
// 31 − (Σ value×weight mod 31), with 31 written as 0.
//
// Positions 1 (登记管理部门代码) and 2 (机构类别代码) are deliberately not
// checked against a list: the published sources disagree (some list only
// 1/5/9/Y, others add 2–8, A and N, and one older list numbers the
// departments differently), and refusing a real organisation's code would
// block a lawful application. Positions 3–8 (the registering authority's
// GB/T 2260 division code) are likewise left to the checksum. The check
// character catches every single-character typo and every swap of two
// neighbouring characters.
func ValidateCreditCode(s string) (string, error) {
	s = strings.ToUpper(removeSpace(foldWidth(s)))
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return "", invalid("请填写统一社会信用代码。")
	case n != 18:
		return "", invalid("统一社会信用代码应为18位，您输入的是" + strconv.Itoa(n) + "位。")
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditCodeAlphabet, s[i])
		if v < 0 {
			return "", invalid("统一社会信用代码只能由数字和大写字母组成，且不使用字母I、O、S、V、Z，请核对第" + strconv.Itoa(i+1) + "位。")
		}
		if i < 17 {
			sum += v * creditCodeWeights[i]
		}
	}
	if creditCodeAlphabet[(31-sum%31)%31] != s[17] {
		return "", invalid("统一社会信用代码校验位不正确，请核对后重新输入。")
	}
	return s, nil
}

// ValidateMobile checks a mainland mobile number, 1[3-9] followed by nine
// digits, and returns the 11 digits. Spaces and hyphens are ignored and a
// +86, 0086 or 86 country prefix is dropped.
func ValidateMobile(s string) (string, error) {
	t := strings.TrimSpace(foldWidth(s))
	if t == "" {
		return "", invalid("请填写手机号码。")
	}
	m, ok := normaliseMobile(t)
	if !ok {
		return "", invalid("手机号码应为以1开头的11位数字，例如13812341234。")
	}
	return m, nil
}

func normaliseMobile(s string) (string, bool) {
	t := strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(t, "+86"):
		t = t[3:]
	case strings.HasPrefix(t, "0086"):
		t = t[4:]
	case len(t) == 13 && strings.HasPrefix(t, "86"):
		t = t[2:]
	}
	if len(t) != 11 || !allDigits(t) || t[0] != '1' || t[1] < '3' {
		return "", false
	}
	return t, true
}

// ValidatePhone checks a contact telephone number, either a mobile number
// (see ValidateMobile) or a landline with its area code, and returns it
// normalised: 11 digits for a mobile, "024-23456789" or "024-23456789-123"
// for a landline with an extension.
//
// An area code is 0 followed by two digits for 010 and 020–029 and by three
// digits otherwise; the local number has 7 or 8 digits and does not begin
// with 0 or 1. Accepted spellings include "(024)23456789", "0410 7234567",
// "02423456789" and "024-23456789转123". A number without its area code is
// refused, since the office cannot tell which city to dial.
func ValidatePhone(s string) (string, error) {
	t := strings.TrimSpace(foldWidth(s))
	if t == "" {
		return "", invalid("请填写联系电话。")
	}
	if m, ok := normaliseMobile(t); ok {
		return m, nil
	}
	if l, ok := normaliseLandline(t); ok {
		return l, nil
	}
	return "", invalid("联系电话格式不正确，请填写11位手机号码，或带区号的固定电话，例如024-23456789。")
}

// extensionMarkers separate a landline number from its extension.
var extensionMarkers = []string{"转", "分机", "ext.", "ext", "x", "#", ","}

func normaliseLandline(s string) (string, bool) {
	main, ext := s, ""
	lower := asciiLower(s)
	for _, m := range extensionMarkers {
		if i := strings.Index(lower, m); i > 0 {
			main, ext = s[:i], strings.Trim(s[i+len(m):], " -:：")
			if ext == "" {
				return "", false
			}
			break
		}
	}
	main = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '(' || r == ')':
			return '-'
		}
		return r
	}, main)
	switch {
	case strings.HasPrefix(main, "+86"):
		main = "0" + strings.TrimLeft(main[3:], "-")
	case strings.HasPrefix(main, "0086"):
		main = "0" + strings.TrimLeft(main[4:], "-")
	}
	parts := strings.FieldsFunc(main, func(r rune) bool { return r == '-' })
	var area, local string
	switch len(parts) {
	case 1:
		area, local = splitAreaCode(parts[0])
	case 2:
		if len(parts[0]) <= 4 {
			area, local = parts[0], parts[1]
		} else if ext == "" {
			area, local = splitAreaCode(parts[0])
			ext = parts[1]
		}
	case 3:
		if ext == "" {
			area, local, ext = parts[0], parts[1], parts[2]
		}
	}
	if !validAreaCode(area) || len(local) < 7 || len(local) > 8 || !allDigits(local) || local[0] < '2' {
		return "", false
	}
	if ext != "" && (len(ext) > 6 || !allDigits(ext)) {
		return "", false
	}
	out := area + "-" + local
	if ext != "" {
		out += "-" + ext
	}
	return out, true
}

// areaCodeLen returns the length of the area code that starts digits
// (which begins with 0): 3 for 010 and 02x, 4 for the others.
func areaCodeLen(digits string) int {
	if len(digits) > 1 && (digits[1] == '1' || digits[1] == '2') {
		return 3
	}
	return 4
}

func splitAreaCode(digits string) (area, local string) {
	n := areaCodeLen(digits)
	if len(digits) <= n {
		return digits, ""
	}
	return digits[:n], digits[n:]
}

func validAreaCode(a string) bool {
	return len(a) >= 3 && a[0] == '0' && a[1] != '0' && allDigits(a) && len(a) == areaCodeLen(a)
}

// maxEmailLen is the longest address accepted (RFC 5321 §4.5.3.1.3 allows
// 254 characters in a path).
const maxEmailLen = 254

// ValidateEmail checks an e-mail address and returns it with the domain
// lower-cased. It takes a bare address only: no display name, angle
// brackets, comments or quoted local parts, at most 254 characters (64
// before the @), ASCII only (internationalised addresses are refused, since
// not every mail server delivers to them), and a domain with at least one
// dot. The address is a 联系方式 under 条例第二十九条 and notices are sent
// to it, so it has to be deliverable.
func ValidateEmail(s string) (string, error) {
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return "", invalid("请填写电子邮箱。")
	}
	if len(s) > maxEmailLen {
		return "", invalid("电子邮箱地址过长，请不超过254个字符。")
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return "", invalid("电子邮箱只能包含英文字母、数字和常用符号，例如zhangsan@example.com。")
		}
	}
	bad := invalid("电子邮箱格式不正确，请填写形如zhangsan@example.com的地址。")
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", bad
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], asciiLower(s[at+1:])
	if len(local) > 64 || !validDomain(domain) {
		return "", bad
	}
	return local + "@" + domain, nil
}

// validDomain reports whether d (lower case) is a host name with at least
// two labels of letters, digits and inner hyphens and a top-level label that
// is not all digits.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || isDigit(c) || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && !allDigits(tld)
}

// ValidatePostCode checks a 邮政编码 (six digits) and returns it without
// spaces.
func ValidatePostCode(s string) (string, error) {
	s = removeSpace(foldWidth(s))
	if s == "" {
		return "", invalid("请填写邮政编码。")
	}
	if len(s) != 6 || !allDigits(s) {
		return "", invalid("邮政编码应为6位数字。")
	}
	return s, nil
}

// DocType is the kind of identity document a natural person applies with
// (条例第二十九条 身份证明). The values are stored; do not change them.
type DocType string

// Document types.
const (
	DocResidentID      DocType = "resident_id"      // 居民身份证
	DocResidencePermit DocType = "residence_permit" // 港澳台居民居住证
	DocHKMacaoPermit   DocType = "hk_macao_permit"  // 港澳居民来往内地通行证
	DocTaiwanPermit    DocType = "taiwan_permit"    // 台湾居民来往大陆通行证
	DocPassport        DocType = "passport"         // 护照
	DocOther           DocType = "other"            // 其他
)

// DocTypes lists the document types in the order the form offers them.
var DocTypes = []DocType{
	DocResidentID, DocResidencePermit, DocHKMacaoPermit, DocTaiwanPermit, DocPassport, DocOther,
}

// Valid reports whether t is a known document type.
func (t DocType) Valid() bool {
	for _, v := range DocTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Label returns the document type's Chinese name.
func (t DocType) Label() string {
	switch t {
	case DocResidentID:
		return "居民身份证"
	case DocResidencePermit:
		return "港澳台居民居住证"
	case DocHKMacaoPermit:
		return "港澳居民来往内地通行证"
	case DocTaiwanPermit:
		return "台湾居民来往大陆通行证"
	case DocPassport:
		return "护照"
	case DocOther:
		return "其他"
	}
	return ""
}

// maxOtherDocLen is the longest number accepted for DocOther, in characters.
const maxOtherDocLen = 32

// ValidateDocument checks a document number for its type and returns it
// normalised. It is strict where the format is fixed and lenient where it
// is not:
//
//   - 居民身份证: ValidateResidentID.
//   - 港澳台居民居住证: the same 18-character format and GB 11643 checksum with
//     the address code 81/82/83 (rules.md §7.4 [M]).
//   - 港澳居民来往内地通行证: H (香港) or M (澳门) and 8 digits (the card issued
//     since 2013), or 10 digits (older booklets still seen on file). From
//     memory, not checked against the issuing rules.
//   - 台湾居民来往大陆通行证: 8 digits, the card issued since 2015; the older
//     booklet numbers have all expired. From memory.
//   - 护照: 5 to 17 letters and digits, upper-cased. Chinese passports are a
//     letter and 8 digits (E12345678), but foreign ones vary widely.
//   - 其他: anything printable, up to 32 characters, trimmed.
func ValidateDocument(docType DocType, number string, today Date) (string, error) {
	switch docType {
	case DocResidentID:
		return validateID18(number, today, false)
	case DocResidencePermit:
		return validateID18(number, today, true)
	case DocHKMacaoPermit:
		s := strings.ToUpper(removeSpace(foldWidth(number)))
		if s == "" {
			return "", invalid("请填写港澳居民来往内地通行证号码。")
		}
		if len(s) < 9 || (s[0] != 'H' && s[0] != 'M') || (len(s) != 9 && len(s) != 11) || !allDigits(s[1:]) {
			return "", invalid("港澳居民来往内地通行证号码应为字母H（香港）或M（澳门）加8位或10位数字，例如H12345678。")
		}
		return s, nil
	case DocTaiwanPermit:
		s := removeSpace(foldWidth(number))
		if s == "" {
			return "", invalid("请填写台湾居民来往大陆通行证号码。")
		}
		if len(s) != 8 || !allDigits(s) {
			return "", invalid("台湾居民来往大陆通行证号码应为8位数字。")
		}
		return s, nil
	case DocPassport:
		s := strings.ToUpper(removeSpace(foldWidth(number)))
		if s == "" {
			return "", invalid("请填写护照号码。")
		}
		if len(s) < 5 || len(s) > 17 || !allAlnum(s) {
			return "", invalid("护照号码应为5至17位英文字母或数字。")
		}
		return s, nil
	case DocOther:
		s := strings.TrimSpace(number)
		switch {
		case s == "":
			return "", invalid("请填写证件号码。")
		case !utf8.ValidString(s):
			return "", invalid("证件号码含有无法识别的字符，请重新输入。")
		case utf8.RuneCountInString(s) > maxOtherDocLen:
			return "", invalid("证件号码不能超过32个字符。")
		}
		for _, r := range s {
			if unicode.IsControl(r) || r == utf8.RuneError {
				return "", invalid("证件号码含有不可见字符，请重新输入。")
			}
		}
		return s, nil
	}
	return "", invalid("请选择证件类型。")
}

// invalid returns an EINVALID error with a user-facing message.
func invalid(msg string) *Error { return &Error{Code: EINVALID, Message: msg} }

// foldWidth maps full-width ASCII variants (U+FF01–U+FF5E, typed by Chinese
// input methods) to ASCII and the ideographic space to a space.
func foldWidth(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// removeSpace deletes every white-space character from s.
func removeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// asciiLower lower-cases ASCII letters only, so byte offsets are kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// allAlnum reports whether s is all ASCII letters and digits.
func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
