package models

// Staff search and the case register (台账, issue 8). A search selects
// applications by number, applicant, request text, section, status,
// outcome and dates; the register is the same selection as a workbook.
// Both are limited to the user's scope (ScopeOf ActionSearchApplications)
// by the store, in SQL. The register shows the applicant's name masked
// (个人信息保护法第五十一条, rules.md §7.3) unless the user may see
// personal data unmasked (ActionRevealPersonalData); then the export is
// recorded in the audit trail with the search that made it.

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ApplicationQuery is a staff search.
type ApplicationQuery struct {
	AgencyID int64
	// Number is a whole application number or its beginning
	// (TLMZ-2026-0001…), matched case-insensitively.
	Number string
	// Applicant is the beginning of the applicant's name (a person's name
	// or an organisation's).
	Applicant string
	// Text is looked for anywhere in the request: the title (名称、文号或特征性
	// 描述) or the description.
	Text string
	// SectionID limits to applications assigned to the section, 主办 or 协办.
	SectionID int64
	Status    Status
	Outcome   Outcome
	// Receipt (条例第三十一条) and closing dates, both ends included; zero
	// ends are open.
	ReceivedFrom, ReceivedTo Date
	ClosedFrom, ClosedTo     Date

	Page    int // 1-based
	PerPage int
}

// Query limits.
const (
	SearchPerPage  = 50
	SearchMaxPage  = 40   // deeper pages: narrow the search or export it
	SearchCountCap = 2000 // counts above this are shown as "more than" (each counted match is read)
	searchTextMax  = 100
)

// Normalize trims and upper-cases what was typed and checks the query:
// known status and outcome, date ranges in order, short enough texts. It
// returns an EINVALID error naming each field (the form's names).
func (q *ApplicationQuery) Normalize() error {
	q.Number = strings.ToUpper(trimAll(q.Number))
	q.Applicant = trimAll(q.Applicant)
	q.Text = trimAll(q.Text)
	var fe []FieldError
	if len(q.Number) > 40 {
		fe = append(fe, FieldError{"number", "申请编号过长。"})
	}
	for _, f := range []struct{ name, value string }{{"applicant", q.Applicant}, {"text", q.Text}} {
		if utf8.RuneCountInString(f.value) > searchTextMax {
			fe = append(fe, FieldError{f.name, "查询内容过长，请不超过" + strconv.Itoa(searchTextMax) + "个字。"})
		}
	}
	if q.Status != "" && !statusKnown(q.Status) {
		fe = append(fe, FieldError{"status", "状态无效。"})
	}
	if q.Outcome != "" && !q.Outcome.Valid() {
		fe = append(fe, FieldError{"outcome", "办理结果无效。"})
	}
	if !q.ReceivedFrom.IsZero() && !q.ReceivedTo.IsZero() && q.ReceivedTo.Before(q.ReceivedFrom) {
		fe = append(fe, FieldError{"received_to", "收到日期的结束日期不能早于起始日期。"})
	}
	if !q.ClosedFrom.IsZero() && !q.ClosedTo.IsZero() && q.ClosedTo.Before(q.ClosedFrom) {
		fe = append(fe, FieldError{"closed_to", "办结日期的结束日期不能早于起始日期。"})
	}
	if q.PerPage <= 0 || q.PerPage > SearchPerPage {
		q.PerPage = SearchPerPage
	}
	q.Page = min(max(q.Page, 1), SearchMaxPage)
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// Empty reports whether the query selects by nothing (it then lists every
// application in scope, newest first).
func (q ApplicationQuery) Empty() bool {
	return q.Number == "" && q.Applicant == "" && q.Text == "" && q.SectionID == 0 && q.Status == "" &&
		q.Outcome == "" && q.ReceivedFrom.IsZero() && q.ReceivedTo.IsZero() && q.ClosedFrom.IsZero() && q.ClosedTo.IsZero()
}

// Describe says in Chinese what the query selects, for the register's
// heading and the audit trail; sectionName names a section id.
func (q ApplicationQuery) Describe(sectionName func(int64) string) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	add("申请编号", q.Number)
	add("申请人", q.Applicant)
	add("申请内容", q.Text)
	if q.SectionID != 0 && sectionName != nil {
		add("承办科室", sectionName(q.SectionID))
	}
	if q.Status != "" {
		add("状态", q.Status.Label())
	}
	if q.Outcome != "" {
		add("办理结果", q.Outcome.Label())
	}
	add("收到日期", describeRange(q.ReceivedFrom, q.ReceivedTo))
	add("办结日期", describeRange(q.ClosedFrom, q.ClosedTo))
	if len(parts) == 0 {
		return "全部申请"
	}
	return strings.Join(parts, "；")
}

// AuditFields returns the query as the audit trail records it.
func (q ApplicationQuery) AuditFields() map[string]any {
	m := map[string]any{}
	for k, v := range map[string]string{"number": q.Number, "applicant": q.Applicant, "text": q.Text,
		"status": string(q.Status), "outcome": string(q.Outcome)} {
		if v != "" {
			m[k] = v
		}
	}
	if q.SectionID != 0 {
		m["section_id"] = q.SectionID
	}
	for k, d := range map[string]Date{"received_from": q.ReceivedFrom, "received_to": q.ReceivedTo,
		"closed_from": q.ClosedFrom, "closed_to": q.ClosedTo} {
		if !d.IsZero() {
			m[k] = d.String()
		}
	}
	return m
}

func describeRange(from, to Date) string {
	switch {
	case from.IsZero() && to.IsZero():
		return ""
	case to.IsZero():
		return from.Chinese() + "起"
	case from.IsZero():
		return "至" + to.Chinese()
	}
	return from.Chinese() + "至" + to.Chinese()
}

func statusKnown(s Status) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// trimAll trims ASCII and full-width spaces (Chinese input methods type
// U+3000).
func trimAll(s string) string {
	return strings.Trim(strings.TrimSpace(s), "\u3000 \t")
}

// RegisterRow is one application in the case register (台账).
type RegisterRow struct {
	Number        string
	ReceivedOn    Date
	Applicant     string // masked unless the user may see it (RegisterApplicant)
	ApplicantKind ApplicantKind
	Channel       Channel
	Title         string
	Section       string // the lead section's name, "" when unassigned
	Status        Status
	DueOn         Date
	Outcome       Outcome
	ClosedOn      Date
	// DaysTaken is DaysTaken's result; HasDays is false before receipt or
	// beyond the calendar.
	DaysTaken int
	HasDays   bool
}

// ScopeCovers reports whether outer reaches every application inner does:
// outer is the whole agency, or both are sections and outer holds each of
// inner's.
func ScopeCovers(outer, inner AccessScope) bool {
	switch {
	case outer.Agency:
		return true
	case inner.Agency:
		return false
	}
	for _, id := range inner.SectionIDs {
		found := false
		for _, o := range outer.SectionIDs {
			found = found || o == id
		}
		if !found {
			return false
		}
	}
	return true
}

// RegisterApplicant returns the applicant's name as the register shows
// it: a natural person's name masked after its first character
// (MaskName) unless unmasked is set; an organisation's name in full, since
// the name of a 法人或其他组织 is not personal information.
func RegisterApplicant(kind ApplicantKind, name string, unmasked bool) string {
	if unmasked || kind.IsOrganisation() {
		return name
	}
	return MaskName(name)
}

// RegisterColumn is a column of the register.
type RegisterColumn struct {
	Title string
	Width float64 // in characters, for the workbook
}

// RegisterColumns are the register's columns, in order.
var RegisterColumns = []RegisterColumn{
	{"申请编号", 18}, {"收到申请日期", 13}, {"申请人", 16}, {"申请人类型", 12}, {"提交方式", 14},
	{"所需信息", 40}, {"承办科室", 14}, {"状态", 10}, {"答复期限", 13}, {"办理结果", 30},
	{"办结日期", 13}, {"用时（工作日）", 13},
}
