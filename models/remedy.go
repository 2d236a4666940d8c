package models

// Administrative reconsideration (行政复议) and litigation (行政诉讼) about an
// application (条例第五十一条), recorded by staff in the ledger and counted in
// table 四 of the annual report (国办公开办函〔2021〕30号). The ledger holds
// them as reconsideration_recorded / litigation_recorded events and a
// remedy_concluded event that refers to one of them; RemedyCasesOf turns
// them into the RemedyCase values the report counts, and RemedyRecord is
// what staff enter.

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Label returns the kind as table 四 names it.
func (k RemedyKind) Label() string {
	switch k {
	case RemedyReconsideration:
		return "行政复议"
	case RemedyLitigation:
		return "行政诉讼（未经复议直接起诉）"
	case RemedyLitigationAfterReconsideration:
		return "行政诉讼（复议后起诉）"
	}
	return ""
}

// RemedyKinds lists the kinds in table 四's order.
var RemedyKinds = []RemedyKind{RemedyReconsideration, RemedyLitigation, RemedyLitigationAfterReconsideration}

// Label returns the result as table 四 names it; "" (pending) is 尚未审结.
func (r RemedyResult) Label() string {
	switch r {
	case ResultUpheld:
		return "结果维持"
	case ResultCorrected:
		return "结果纠正"
	case ResultOther:
		return "其他结果"
	case "":
		return "尚未审结"
	}
	return string(r)
}

// RemedyResults lists the results of a concluded case in table 四's order.
var RemedyResults = []RemedyResult{ResultUpheld, ResultCorrected, ResultOther}

// RemedyCasesOf returns the reconsiderations and lawsuits in one
// application's ledger, in the order they were recorded, each with its
// result and conclusion date once a remedy_concluded event refers to it.
// ref names the cases in the report's check messages when a case has no
// case number of its own (normally the application number).
func RemedyCasesOf(ref string, events []Event) []RemedyCase {
	var out []RemedyCase
	bySeq := map[int]int{}
	for _, e := range events {
		switch e.Kind {
		case EventReconsiderationRecorded, EventLitigationRecorded:
			c := RemedyCase{Ref: ref, Kind: RemedyReconsideration, FiledOn: e.On}
			if e.Kind == EventLitigationRecorded {
				c.Kind = RemedyLitigation
				if e.Data.AfterReconsideration {
					c.Kind = RemedyLitigationAfterReconsideration
				}
			}
			if e.Data.CaseRef != "" {
				c.Ref = e.Data.CaseRef
			}
			bySeq[e.Seq] = len(out)
			out = append(out, c)
		case EventRemedyConcluded:
			if i, ok := bySeq[e.Data.Ref]; ok && out[i].Result == "" {
				out[i].Result, out[i].ConcludedOn = e.Data.Result, e.On
			}
		}
	}
	return out
}

// RemedyRecord is a reconsideration or lawsuit as staff enter it.
type RemedyRecord struct {
	Kind    RemedyKind
	FiledOn Date   // 申请复议或者起诉之日
	CaseRef string // the reconsideration body's or the court's case number (案号)
	// Result is empty while the case is pending (尚未审结); ConcludedOn is
	// then zero too.
	Result      RemedyResult
	ConcludedOn Date
	Comment     string
}

// Remedy form field names.
const (
	RemedyFieldKind        = "remedy_kind"
	RemedyFieldFiledOn     = "filed_on"
	RemedyFieldCaseRef     = "case_ref"
	RemedyFieldResult      = "result"
	RemedyFieldConcludedOn = "concluded_on"
	RemedyFieldComment     = "comment"
)

// Validate checks a record before it is appended to the ledger of an
// application submitted on submittedOn. A case may be filed at any stage,
// also against a failure to answer (条例第五十一条), but not before the
// application existed, and no date may lie after today.
func (r *RemedyRecord) Validate(submittedOn, today Date) error {
	r.CaseRef = strings.TrimSpace(r.CaseRef)
	r.Comment = strings.TrimSpace(r.Comment)
	var fe []FieldError
	add := func(field, msg string) { fe = append(fe, FieldError{field, msg}) }
	if r.Kind.Group() < 0 {
		add(RemedyFieldKind, "请选择行政复议或行政诉讼。")
	}
	switch {
	case r.FiledOn.IsZero():
		add(RemedyFieldFiledOn, "请填写申请复议或者起诉的日期。")
	case r.FiledOn.After(today):
		add(RemedyFieldFiledOn, "申请复议或者起诉的日期不能晚于今天。")
	case r.FiledOn.Before(submittedOn):
		add(RemedyFieldFiledOn, fmt.Sprintf("申请复议或者起诉的日期不能早于提交申请之日（%s）。", submittedOn.Chinese()))
	}
	switch n := utf8.RuneCountInString(r.CaseRef); {
	case n == 0:
		add(RemedyFieldCaseRef, "请填写案号，例如“铁政复〔2026〕12号”。")
	case n > 100:
		add(RemedyFieldCaseRef, "案号过长，请不超过100个字。")
	}
	switch r.Result {
	case "":
		if !r.ConcludedOn.IsZero() {
			add(RemedyFieldResult, "填写了审结日期的，请选择审结结果。")
		}
	case ResultUpheld, ResultCorrected, ResultOther:
		switch {
		case r.ConcludedOn.IsZero():
			add(RemedyFieldConcludedOn, "请填写审结日期。")
		case r.ConcludedOn.After(today):
			add(RemedyFieldConcludedOn, "审结日期不能晚于今天。")
		case !r.FiledOn.IsZero() && r.ConcludedOn.Before(r.FiledOn):
			add(RemedyFieldConcludedOn, "审结日期不能早于申请复议或者起诉的日期。")
		}
	default:
		add(RemedyFieldResult, "审结结果无效。")
	}
	if utf8.RuneCountInString(r.Comment) > maxFieldRunes {
		add(RemedyFieldComment, fmt.Sprintf("内容过长，请不超过%d个字。", maxFieldRunes))
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// FiledEvent returns the ledger event that records the filing.
func (r *RemedyRecord) FiledEvent() Event {
	e := Event{Kind: EventReconsiderationRecorded, On: r.FiledOn,
		Data: EventData{CaseRef: r.CaseRef, Comment: r.Comment}}
	if r.Kind != RemedyReconsideration {
		e.Kind = EventLitigationRecorded
		e.Data.AfterReconsideration = r.Kind == RemedyLitigationAfterReconsideration
	}
	return e
}

// ConcludedEvent returns the remedy_concluded event for the filing event
// with Seq ref; ok is false while the case is pending.
func (r *RemedyRecord) ConcludedEvent(ref int) (e Event, ok bool) {
	if r.Result == "" {
		return Event{}, false
	}
	return Event{Kind: EventRemedyConcluded, On: r.ConcludedOn, Data: EventData{Ref: ref, Result: r.Result}}, true
}
