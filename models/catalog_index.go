package models

// The 索引号 of catalog entries (条例第十二条 asks for an 索引 per item; the
// format is the agency's). gongkai's rule:
//
//   - The number is made from an agency pattern, by default
//     DefaultIndexPattern = "{org}/{year}-{seq}", the form the State
//     Council's own catalog uses (e.g. 000014349/2017-00110, rules.md §6.1).
//     {org} is the agency's organisation code (组织机构代码 or the relevant
//     part of its 统一社会信用代码, an agency setting) and falls back to the
//     agency's short code, so a fresh deployment numbers TLMZ/2026-00001.
//   - {year} is the year of the entry's 生成日期 and {seq} a five-digit
//     sequence (wider only past 99999) counted per agency and year.
//   - The number is given when the entry is first published, inside the
//     publishing transaction, from the gap-free counter that also numbers
//     applications: a rolled-back publication gives its number back, so
//     the published numbers of a year run 00001, 00002, … without gaps or
//     repeats. Drafts have no number; a number once given stays with its
//     entry (also when retired), and is never given again.
//   - A number brought in by an import (from an earlier catalog) is kept
//     as written; if the counter later reaches a number already taken that
//     way, the counter moves on to the next free one, so every number of
//     the sequence is still used exactly once.
//   - Uniqueness per agency is also a database constraint.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultIndexPattern is the 索引号 pattern an agency starts with.
const DefaultIndexPattern = "{org}/{year}-{seq}"

// Index pattern placeholders.
const (
	indexOrg  = "{org}"
	indexCode = "{code}"
	indexYear = "{year}"
	indexSeq  = "{seq}"
)

// IndexRule makes the 索引号 of an agency's entries.
type IndexRule struct {
	// Pattern uses {org}, {code}, {year} and {seq}; it must contain {year}
	// and {seq} exactly once.
	Pattern string
	// OrgCode replaces {org}; the agency code when empty.
	OrgCode string
}

// Validate checks the rule. The message names the form field of the
// catalog settings it belongs to.
func (r IndexRule) Validate() error {
	var fe []FieldError
	p := strings.TrimSpace(r.Pattern)
	switch {
	case p == "":
		fe = append(fe, FieldError{"index_pattern", "请填写索引号规则。"})
	case strings.Count(p, indexYear) != 1 || strings.Count(p, indexSeq) != 1:
		fe = append(fe, FieldError{"index_pattern", "索引号规则须各含一次 {year}（年份）和 {seq}（五位顺序号），才能保证索引号不重复。"})
	case utf8.RuneCountInString(p) > 40:
		fe = append(fe, FieldError{"index_pattern", "索引号规则请不超过40个字符。"})
	default:
		rest := p
		for _, ph := range []string{indexOrg, indexCode, indexYear, indexSeq} {
			rest = strings.ReplaceAll(rest, ph, "")
		}
		if strings.ContainsAny(rest, "{}") {
			fe = append(fe, FieldError{"index_pattern", "索引号规则只能使用 {org}、{code}、{year}、{seq} 四个占位符。"})
		} else if !safeIndexText(rest) {
			fe = append(fe, FieldError{"index_pattern", "索引号规则中的其他字符只能是字母、数字、汉字和 - / _ . 等分隔符，不能含空格。"})
		}
	}
	if o := strings.TrimSpace(r.OrgCode); o != "" && (utf8.RuneCountInString(o) > 20 || !safeIndexText(o) || strings.ContainsAny(o, "{}")) {
		fe = append(fe, FieldError{"org_code", "机构代码请不超过20个字符，只含字母、数字和分隔符。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// safeIndexText reports whether s has only characters that read well in
// a 索引号 and survive a URL query and a spreadsheet cell.
func safeIndexText(s string) bool {
	for _, r := range s {
		switch {
		case r == '-' || r == '/' || r == '_' || r == '.' || r == '〔' || r == '〕':
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case unicode.Is(unicode.Han, r):
		default:
			return false
		}
	}
	return true
}

// Format returns the 索引号 of the seq-th entry of year.
func (r IndexRule) Format(agencyCode string, year, seq int) string {
	org := strings.TrimSpace(r.OrgCode)
	if org == "" {
		org = agencyCode
	}
	p := strings.TrimSpace(r.Pattern)
	if p == "" {
		p = DefaultIndexPattern
	}
	return strings.NewReplacer(
		indexOrg, org,
		indexCode, agencyCode,
		indexYear, fmt.Sprintf("%04d", year),
		indexSeq, fmt.Sprintf("%05d", seq),
	).Replace(p)
}

// Describe explains the rule in a sentence for the guide, with an example.
func (r IndexRule) Describe(agencyCode string, year int) string {
	p := strings.TrimSpace(r.Pattern)
	if p == "" {
		p = DefaultIndexPattern
	}
	orgName := "本机关代码"
	if strings.TrimSpace(r.OrgCode) != "" {
		orgName = "本机关组织机构代码"
	}
	var parts []string
	seen := map[string]bool{}
	for rest := p; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		ph := rest[i : i+j+1]
		rest = rest[i+j+1:]
		var name string
		switch ph {
		case indexOrg:
			name = orgName
		case indexCode:
			name = "本机关代码"
		case indexYear:
			name = "信息生成年份"
		case indexSeq:
			name = "五位顺序号"
		}
		if name != "" && !seen[name] {
			seen[name] = true
			parts = append(parts, name)
		}
	}
	return fmt.Sprintf("索引号由%s组成，例如“%s”。同一年度内的顺序号自00001起连续编排，不重复，不空号；索引号在信息首次发布时确定，此后不再改变。",
		strings.Join(parts, "、"), r.Format(agencyCode, year, 1))
}
