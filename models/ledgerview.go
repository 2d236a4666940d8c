package models

import (
	"strconv"
	"strings"
)

// Small views of a ledger for the staff forms: what is waiting for a
// decision or a reply.

// PendingExtensionRequest returns the latest extension request not yet
// approved or rejected, or nil. (The ledger counts requests and decisions;
// a decision settles the oldest open request, so the latest one is the
// one still open.)
func PendingExtensionRequest(events []Event) *Event {
	open := 0
	var last *Event
	for i := range events {
		switch events[i].Kind {
		case EventExtensionRequested:
			open++
			last = &events[i]
		case EventExtensionApproved, EventExtensionRejected:
			if open > 0 {
				open--
			}
		}
	}
	if open == 0 {
		return nil
	}
	return last
}

// UnansweredConsultations returns the 征求意见书 events without a recorded
// reply, in order. An expired one is still listed: a late reply is kept on
// file (the pause ended with the period).
func UnansweredConsultations(events []Event) []Event {
	answered := map[int]bool{}
	for _, e := range events {
		if e.Kind == EventConsultationAnswered {
			answered[e.Data.Ref] = true
		}
	}
	var out []Event
	for _, e := range events {
		if e.Kind == EventConsultationSent && !answered[e.Seq] {
			out = append(out, e)
		}
	}
	return out
}

// LastEvent returns the latest event of kind k, or nil.
func LastEvent(events []Event, k EventKind) *Event {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind == k {
			return &events[i]
		}
	}
	return nil
}

// ReturnedReason is the reason a section gave when it returned a misrouted
// application, if that return is the latest routing step (no assignment
// after it); "" otherwise. events are in ledger order.
func ReturnedReason(events []Event) string {
	e := LastEvent(events, EventReturned)
	if e == nil {
		return ""
	}
	if a := LastEvent(events, EventAssigned); a != nil && a.Seq > e.Seq {
		return ""
	}
	return e.Data.Reason
}

// CheckPastDate checks a date staff record for something that happened:
// given and not after today. field and what name it for the message.
func CheckPastDate(field, what string, d, today Date) error {
	switch {
	case d.IsZero():
		return Invalid(FieldError{field, "请填写" + what + "。"})
	case d.After(today):
		return Invalid(FieldError{field, what + "不能晚于今天（" + today.Chinese() + "）。"})
	}
	return nil
}

// ParseYuan reads an amount in 元 as typed ("4700", "4700.5", "4,700.00元")
// into 分. It refuses negative amounts and more than two decimals.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "，", "")
	bad := Errorf(EINVALID, "金额格式不正确，请填写数字，例如 4700.00。")
	if s == "" {
		return 0, bad
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" || len(whole) > 12 {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	y, err1 := strconv.ParseUint(whole, 10, 63)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	if err1 != nil || err2 != nil {
		return 0, bad
	}
	return int64(y)*100 + int64(f), nil
}
