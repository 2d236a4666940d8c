package models

// The checks an entry passes before it is published. 条例第十七条 asks for a
// review of what is disclosed, and the website rules (铁岭市民政局网站管理办法
// 第十条) forbid publishing 公民身份证、详细居住地址、联系方式 and linking to
// commercial websites. So before publishing, gongkai
//
//   - runs the confidentiality scanner (ScanText) on the 名称, 内容概述 and
//     文号 and on the text layer of every attached file that has one
//     (plain text, DOCX, XLSX, OFD — see ExtractText — and PDF, see
//     PDFTextLayer); a file whose text cannot be read here (a scanned PDF,
//     images, legacy Office formats), or a PDF only some of whose pages
//     can be, is itself a finding: the publisher attests that they read it
//     page by page;
//   - flags every link — the entry's own URL, web addresses in the text,
//     and hyperlinks inside DOCX files — whose host is not a government
//     site: government means gov.cn and its sub-domains, plus an agency
//     allow-list of other official domains (by default the .政务 and .公益
//     domains, conac.cn of the 党政机关网站 identification and 12377.cn),
//     plus the agency's own website.
//
// Every finding must be cleared before the entry is published: either the
// text is corrected (the finding then disappears when the entry is checked
// again) or the publisher records why it may stay (an official hotline, a
// link to a state-owned platform, a scanned file read in full). A
// justification is bound to the finding's fingerprint, so it survives
// unrelated edits but not a change of the flagged text.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultLinkAllowlist lists the domains besides gov.cn that count as
// government sites unless the agency changes the list: the Chinese-script
// top-level domains reserved for party and government bodies (.政务) and
// public institutions (.公益), in both spellings; conac.cn, where the
// 党政机关网站 identification every government site carries points; and
// 12377.cn, the state reporting centre for illegal and harmful content.
var DefaultLinkAllowlist = []string{"政务", "xn--zfr164b", "公益", "xn--55qw42g", "conac.cn", "12377.cn"}

// CatalogSettings are an agency's catalog settings.
type CatalogSettings struct {
	Index IndexRule
	// LinkAllowlist are the domains, besides gov.cn, whose links need no
	// justification; each also covers its sub-domains.
	LinkAllowlist []string
}

// DefaultCatalogSettings returns the settings an agency starts with.
func DefaultCatalogSettings() CatalogSettings {
	return CatalogSettings{
		Index:         IndexRule{Pattern: DefaultIndexPattern},
		LinkAllowlist: slices.Clone(DefaultLinkAllowlist),
	}
}

// Validate checks the settings.
func (s *CatalogSettings) Validate() error {
	var fe []FieldError
	if err := s.Index.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			fe = append(fe, e.Fields...)
		}
	}
	seen := map[string]bool{}
	var clean []string
	for _, d := range s.LinkAllowlist {
		d = normaliseDomain(d)
		if d == "" || seen[d] {
			continue
		}
		if !validAllowDomain(d) {
			fe = append(fe, FieldError{"link_allowlist", fmt.Sprintf("“%s”不是有效的域名。每行填写一个域名，例如 12345.cn。", d)})
			continue
		}
		seen[d] = true
		clean = append(clean, d)
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	s.LinkAllowlist = clean
	return nil
}

// ParseDomainList splits a text of domains, one per line (commas and
// spaces also separate), as the settings form takes them.
func ParseDomainList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == ' ' || r == '、' || r == ';' || r == '；'
	})
	out := make([]string, 0, len(f))
	for _, d := range f {
		if d = normaliseDomain(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// normaliseDomain lower-cases a domain and strips a scheme, a path, a
// leading "*." or "." and a trailing dot, so that people may paste
// https://www.example.cn/ into the list.
func normaliseDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	if h, _, err := net.SplitHostPort(d); err == nil {
		d = h
	}
	d = strings.TrimPrefix(d, "*.")
	return strings.Trim(d, ".")
}

func validAllowDomain(d string) bool {
	if d == "" || len(d) > 253 || net.ParseIP(d) != nil {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r >= 0x4E00 && r <= 0x9FFF) {
				return false
			}
		}
	}
	return true
}

// LinkPolicy says which hosts are government sites.
type LinkPolicy struct {
	// Allow are the agency's allowed domains (CatalogSettings.LinkAllowlist)
	// and its own site's host; gov.cn is always allowed.
	Allow []string
}

// NewLinkPolicy returns the policy of an agency: its allow-list and the
// host of its website (Agency.Website).
func NewLinkPolicy(s CatalogSettings, website string) LinkPolicy {
	p := LinkPolicy{Allow: slices.Clone(s.LinkAllowlist)}
	if h := normaliseDomain(website); h != "" {
		p.Allow = append(p.Allow, h)
	}
	return p
}

// IsGovernment reports whether host is a government site under the
// policy: gov.cn or one of its sub-domains, or an allowed domain or one of
// its sub-domains. An IP address is never one.
func (p LinkPolicy) IsGovernment(host string) bool {
	h := normaliseDomain(host)
	if h == "" || net.ParseIP(h) != nil {
		return false
	}
	if h == "gov.cn" || strings.HasSuffix(h, ".gov.cn") {
		return true
	}
	for _, d := range p.Allow {
		if d = normaliseDomain(d); d != "" && (h == d || strings.HasSuffix(h, "."+d)) {
			return true
		}
	}
	return false
}

// Link is a web address found in a text.
type Link struct {
	URL   string // as written
	Host  string // lower case, without port
	Start int    // byte offsets in the text
	End   int
	Line  int
}

var (
	// schemeURL: an address with its scheme, or starting with www.; the
	// host is ASCII (internationalised hosts are written in punycode in
	// links), the rest any printable ASCII.
	schemeURL = regexp.MustCompile(`(?i)(?:https?://|\bwww\.)[a-z0-9.\-]+(?::[0-9]{1,5})?(?:[/?#][\x21-\x7e]*)?`)
	// bareDomain: a host name with a common top-level domain, as in 详见
	// example.com; checked for what stands before it in FindLinks.
	bareDomain = regexp.MustCompile(`(?i)(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:com|net|org|cn|info|biz|top|xyz|cc|io|co|me|tv|shop|vip|club|site|online|store|tech|app|wang|ren|mobi|asia|hk|tw|xin|ltd|link|live|pro|fun|icu)\b(?:[/?#][\x21-\x7e]*)?`)
)

// FindLinks returns the web addresses in text, in order: addresses with a
// scheme or starting with www., and bare host names with a common
// top-level domain (not the domain of an e-mail address).
func FindLinks(text string) []Link {
	var out []Link
	taken := func(s, e int) bool {
		for _, l := range out {
			if s < l.End && e > l.Start {
				return true
			}
		}
		return false
	}
	add := func(s, e int) {
		raw := strings.TrimRight(text[s:e], ".,;:!?)]}'\"")
		e = s + len(raw)
		if raw == "" || taken(s, e) {
			return
		}
		host := raw
		if i := strings.Index(host, "://"); i >= 0 {
			host = host[i+3:]
		}
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		host = normaliseDomain(host)
		if host == "" || !strings.Contains(host, ".") {
			return
		}
		out = append(out, Link{URL: raw, Host: host, Start: s, End: e})
	}
	for _, m := range schemeURL.FindAllStringIndex(text, -1) {
		add(m[0], m[1])
	}
	for _, m := range bareDomain.FindAllStringIndex(text, -1) {
		if m[0] > 0 {
			switch text[m[0]-1] {
			case '@', '.', '-', '_', '/':
				continue
			}
			if r, _ := utf8.DecodeLastRuneInString(text[:m[0]]); r < utf8.RuneSelf && isWordRune(r) {
				continue
			}
		}
		add(m[0], m[1])
	}
	slices.SortFunc(out, func(a, b Link) int { return a.Start - b.Start })
	line, pos := 1, 0
	for i := range out {
		line += strings.Count(text[pos:out[i].Start], "\n")
		pos = out[i].Start
		out[i].Line = line
	}
	return out
}

// CatalogFindingKind is what a pre-publication finding is: one of the
// personal-information kinds of the scanner (FindingKind values), a link
// to a non-government site, or a file whose text cannot be checked.
type CatalogFindingKind string

// Finding kinds besides the scanner's.
const (
	CatalogFindingLink       CatalogFindingKind = "external_link"
	CatalogFindingUnreadable CatalogFindingKind = "unreadable_file"
)

// Label names the kind.
func (k CatalogFindingKind) Label() string {
	switch k {
	case CatalogFindingLink:
		return "非政府网站链接"
	case CatalogFindingUnreadable:
		return "无法自动检查的文件"
	}
	if l := FindingKind(k).Label(); l != "" {
		return l
	}
	return string(k)
}

// Finding sources.
const (
	SourceTitle     = "title"
	SourceSummary   = "summary"
	SourceDocNumber = "doc_number"
	SourceURL       = "url"
	SourceFile      = "file"
)

// CatalogFinding is one thing the publisher must clear before publishing.
type CatalogFinding struct {
	Kind     CatalogFindingKind
	Source   string // SourceTitle … SourceFile
	FileID   int64  // for SourceFile
	FileName string // for SourceFile
	// Page is, in a PDF, the 1-based page; Line is then the line within
	// the page. 0 when not applicable.
	Page int
	Line int // 1-based line in the text; 0 when not applicable
	// Excerpt shows what was found without repeating personal
	// information: a masked number or address, or the link.
	Excerpt string
	// Fingerprint identifies the finding across checks: its source, kind
	// and the text found (for a file, the file's content hash), hashed.
	Fingerprint string
}

// SourceLabel names where the finding is.
func (f CatalogFinding) SourceLabel() string {
	switch f.Source {
	case SourceTitle:
		return "名称"
	case SourceSummary:
		return "内容概述"
	case SourceDocNumber:
		return "文号"
	case SourceURL:
		return "链接"
	case SourceFile:
		return "附件“" + f.FileName + "”"
	}
	return f.Source
}

// Advice tells the publisher how to clear the finding.
func (f CatalogFinding) Advice() string {
	switch f.Kind {
	case CatalogFindingLink:
		return "政府网站不得链接商业网站（网站管理办法第十条）。请删除该链接，或说明该网站属于官方平台的理由。"
	case CatalogFindingUnreadable:
		return "系统无法读取该文件的文字，不能自动检查其中的个人信息。请逐页人工审查后确认，或上传可提取文字的版本。"
	}
	return "不得公开公民身份证号码、详细居住地址、联系方式等个人信息（网站管理办法第十条，个人信息保护法第二十五条）。请删除或遮蔽后重新检查；确属依法可以公开的（如本机关对外公布的办公电话），请说明理由。"
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	h.Write([]byte("gongkai-catalog-finding-v1"))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// maskFinding shows a scanner match without its personal content.
func maskFinding(f Finding) string {
	switch f.Kind {
	case FindingResidentID, FindingBankCard:
		return MaskIDNumber(f.Match)
	case FindingMobile, FindingLandline:
		return MaskPhone(f.Match)
	case FindingEmail:
		return MaskEmail(f.Match)
	}
	r := []rune(f.Match)
	return maskMiddle(r, min(4, len(r)/3), 0)
}

// CheckCatalogEntry returns the findings of the pre-publication checks on
// the entry and its files (whose Text must be loaded), in the order a
// reviewer reads them: 名称, 内容概述, 文号, 链接, then each file.
func CheckCatalogEntry(e *CatalogEntry, files []CatalogFile, links LinkPolicy) []CatalogFinding {
	var out []CatalogFinding
	scan := func(source, sourceKey string, fileID int64, fileName, text string) {
		for _, f := range ScanText(text) {
			page, line := TextPlace(text, f.Start)
			out = append(out, CatalogFinding{Kind: CatalogFindingKind(f.Kind), Source: source, FileID: fileID,
				FileName: fileName, Page: page, Line: line, Excerpt: maskFinding(f),
				Fingerprint: fingerprint(source, sourceKey, string(f.Kind), f.Match)})
		}
		for _, l := range FindLinks(text) {
			if links.IsGovernment(l.Host) {
				continue
			}
			page, line := TextPlace(text, l.Start)
			out = append(out, CatalogFinding{Kind: CatalogFindingLink, Source: source, FileID: fileID,
				FileName: fileName, Page: page, Line: line, Excerpt: l.URL,
				Fingerprint: fingerprint(source, sourceKey, string(CatalogFindingLink), l.URL)})
		}
	}
	scan(SourceTitle, "", 0, "", e.Title)
	scan(SourceSummary, "", 0, "", e.Summary)
	scan(SourceDocNumber, "", 0, "", e.DocNumber)
	if e.URL != "" {
		host := ""
		if ls := FindLinks(e.URL); len(ls) > 0 {
			host = ls[0].Host
		}
		if !links.IsGovernment(host) {
			out = append(out, CatalogFinding{Kind: CatalogFindingLink, Source: SourceURL, Excerpt: e.URL,
				Fingerprint: fingerprint(SourceURL, "", string(CatalogFindingLink), e.URL)})
		}
	}
	for _, f := range files {
		if f.TextLayer != TextLayerText {
			what := FileTypeLabel(f.ContentType)
			if f.TextLayer == TextLayerPartial {
				what += "，部分页面无法提取文字"
			}
			out = append(out, CatalogFinding{Kind: CatalogFindingUnreadable, Source: SourceFile, FileID: f.ID,
				FileName: f.Filename, Excerpt: f.Filename + "（" + what + "）",
				Fingerprint: fingerprint(SourceFile, f.SHA256, string(CatalogFindingUnreadable))})
			if f.TextLayer != TextLayerPartial {
				continue
			}
			// The pages that were read are checked all the same.
		}
		scan(SourceFile, f.SHA256, f.ID, f.Filename, f.Text)
	}
	// One finding per fingerprint: the same number twice in a summary is
	// cleared once.
	seen := map[string]bool{}
	kept := out[:0]
	for _, f := range out {
		if !seen[f.Fingerprint] {
			seen[f.Fingerprint] = true
			kept = append(kept, f)
		}
	}
	return kept
}

// CatalogClearance is the publisher's reason for publishing despite a
// finding.
type CatalogClearance struct {
	Fingerprint string
	Kind        CatalogFindingKind
	Excerpt     string
	Note        string
	ClearedBy   int64
	ClearedName string
	ClearedAt   time.Time
}

// ValidateClearanceNote checks the reason given for a finding.
func ValidateClearanceNote(note string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case n < 4:
		return Invalid(FieldError{"note", "请说明保留的理由（至少4个字），例如“本机关对外公布的办公电话”。"})
	case n > 500:
		return Invalid(FieldError{"note", "理由请不超过500个字。"})
	}
	return nil
}

// ReviewedFinding is a finding with its clearance, if any.
type ReviewedFinding struct {
	CatalogFinding
	Clearance *CatalogClearance
}

// Open reports whether the finding still blocks publishing.
func (f ReviewedFinding) Open() bool { return f.Clearance == nil }

// CatalogReview is the state of an entry's pre-publication checks.
type CatalogReview struct {
	Findings []ReviewedFinding
	// Notes are advice that does not block publishing.
	Notes []string
}

// ReviewCatalogEntry checks the entry and matches the findings with the
// clearances recorded for it.
func ReviewCatalogEntry(e *CatalogEntry, files []CatalogFile, links LinkPolicy, clearances []CatalogClearance) *CatalogReview {
	byFP := make(map[string]*CatalogClearance, len(clearances))
	for i := range clearances {
		byFP[clearances[i].Fingerprint] = &clearances[i]
	}
	r := &CatalogReview{}
	for _, f := range CheckCatalogEntry(e, files, links) {
		r.Findings = append(r.Findings, ReviewedFinding{CatalogFinding: f, Clearance: byFP[f.Fingerprint]})
	}
	if e.URL == "" && len(files) == 0 {
		r.Notes = append(r.Notes, "本条目既没有附件也没有链接，公众只能看到目录信息。")
	}
	if e.DocKind != "" && !e.IsInterpretation() && len(e.Interpretations) == 0 {
		r.Notes = append(r.Notes, "发布重要政策文件时，应同步发布解读材料，并使政策文件与解读相互关联（网站管理办法第九条）。本文件尚未关联解读。")
	}
	return r
}

// Open returns how many findings still block publishing.
func (r *CatalogReview) Open() int {
	n := 0
	for _, f := range r.Findings {
		if f.Open() {
			n++
		}
	}
	return n
}

// CanPublish reports whether every finding is cleared.
func (r *CatalogReview) CanPublish() bool { return r.Open() == 0 }

// Find returns the finding with the given fingerprint.
func (r *CatalogReview) Find(fp string) (ReviewedFinding, bool) {
	for _, f := range r.Findings {
		if f.Fingerprint == fp {
			return f, true
		}
	}
	return ReviewedFinding{}, false
}

// OpenFindingsError is returned when publishing is refused because
// findings are open.
func OpenFindingsError(n int) *Error {
	return Errorf(ECONFLICT, "发布前审查还有%d项提示未处理：请删除相关内容，或逐项说明保留理由后再发布。", n)
}
