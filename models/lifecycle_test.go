package models

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// lifecycleRefs are the Seqs a representative follow-up event refers to.
type lifecycleRefs struct{ deliver, answer, expire, remedy int }

// received writes the common start of the transition table's ledgers:
// received on 2026-03-02, a lead section, a draft and an extension request.
func received(l *ledgerBuilder) {
	l.submit("2026-03-02")
	l.confirm("2026-03-02")
	l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
	l.add(EventAnswerDrafted, "2026-03-02", EventData{Outcome: OutcomeDisclose})
	l.add(EventExtensionRequested, "2026-03-02", EventData{Days: 5, Reason: "需要调取档案"})
}

// representative returns a valid event of kind k on 2026-03-06 whose
// references point at r (99, no such event, where r has none).
func representative(k EventKind, r lifecycleRefs) Event {
	ref := func(n int) int {
		if n == 0 {
			return 99
		}
		return n
	}
	d := EventData{}
	switch k {
	case EventSubmitted, EventConfirmed:
		d.Channel = ChannelOnline
	case EventAssigned:
		d.SectionID, d.Role = 2, RoleAssist
	case EventReturned:
		d.SectionID, d.Reason = 1, "不属于本科室职责"
	case EventReassigned:
		d.SectionID, d.FromSectionID, d.Reason = 3, 1, "改由档案科办理"
	case EventCorrectionRequested:
		d.Items, d.DueOn = []string{"请写明文件名称"}, MustParseDate("2026-03-20")
	case EventConsultationSent:
		d.Party, d.PartyKind = "某公司", PartyThirdParty
	case EventConsultationDelivered:
		d.Ref = ref(r.deliver)
	case EventConsultationAnswered:
		d.Ref, d.Opinion = ref(r.answer), "agree"
	case EventConsultationExpired:
		d.Ref = ref(r.expire)
	case EventFeeNoticeSent:
		d.FeeMethod, d.AmountFen = FeePerItem, 10000
	case EventFeePaid:
		d.AmountFen = 10000
	case EventExplanationRequested:
		d.DueOn = MustParseDate("2026-03-20")
	case EventDelayedDeadlineSet:
		d.DueOn = MustParseDate("2026-05-29")
	case EventExtensionRequested, EventExtensionApproved:
		d.Days = 10
	case EventExtensionRejected:
		d.Comment = "理由不充分"
	case EventAnswerDrafted, EventAnswerIssued:
		d.Outcome = OutcomeDisclose
	case EventAnswerReturned:
		d.Stage = "section_head"
	case EventAnswerApproved:
		d.Stage = "office_head"
	case EventAnswerDelivered:
		d.DeliveryMethod = DeliveryPost
	case EventReconsiderationRecorded, EventLitigationRecorded:
		d.CaseRef = "铁政复〔2026〕1号"
	case EventRemedyConcluded:
		d.Ref, d.Result = ref(r.remedy), ResultUpheld
	case EventCalendarChangeApplied:
		d.OldDueOn, d.NewDueOn = MustParseDate("2026-03-30"), MustParseDate("2026-03-31")
	}
	return Event{Kind: k, On: MustParseDate("2026-03-06"), Data: d}
}

// TestLifecycleTransitions tries every event kind in every status: the
// kinds listed are allowed, every other kind is refused.
func TestLifecycleTransitions(t *testing.T) {
	routing := []EventKind{EventAssigned, EventReturned, EventReassigned}
	drafting := []EventKind{EventAnswerDrafted, EventAnswerReturned, EventAnswerReviewed, EventAnswerApproved}
	extension := []EventKind{EventExtensionRequested, EventExtensionApproved, EventExtensionRejected}
	remedies := []EventKind{EventReconsiderationRecorded, EventLitigationRecorded, EventRemedyConcluded}
	// 条例第五十一条: a remedy can be filed while the case is open too (no
	// remedy is on record in the open rows, so none can be concluded).
	filing := []EventKind{EventReconsiderationRecorded, EventLitigationRecorded}
	join := func(lists ...[]EventKind) []EventKind { return slices.Concat(lists...) }
	rows := []struct {
		status  Status
		prefix  func(l *ledgerBuilder) lifecycleRefs
		allowed []EventKind
	}{
		{"", func(l *ledgerBuilder) lifecycleRefs { return lifecycleRefs{} },
			[]EventKind{EventSubmitted, EventConfirmed}},
		{StatusPending, func(l *ledgerBuilder) lifecycleRefs { l.submit("2026-03-02"); return lifecycleRefs{} },
			join(filing, []EventKind{EventConfirmed, EventWithdrawn})},
		{StatusProcessing, func(l *ledgerBuilder) lifecycleRefs { received(l); return lifecycleRefs{} },
			join(routing, drafting, extension, filing, []EventKind{EventWithdrawn, EventCorrectionRequested, EventConsultationSent,
				EventFeeNoticeSent, EventExplanationRequested, EventAnswerIssued, EventCalendarChangeApplied})},
		{StatusCorrecting, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.correction("2026-03-03", "2026-03-05", "")
			return lifecycleRefs{}
		}, join(routing, filing, []EventKind{EventWithdrawn, EventCorrected, EventCorrectionExpired, EventCalendarChangeApplied})},
		{StatusConsulting, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			c1 := l.consult("2026-03-03", "甲公司")
			l.delivered(c1, "2026-03-04")
			c2 := l.consult("2026-03-04", "乙局")
			return lifecycleRefs{deliver: c2, answer: c1, expire: c1}
		}, join(routing, drafting, extension, filing, []EventKind{EventWithdrawn, EventConsultationSent, EventConsultationDelivered,
			EventConsultationAnswered, EventConsultationExpired, EventFeeNoticeSent, EventExplanationRequested,
			EventAnswerIssued, EventCalendarChangeApplied})},
		{StatusAwaitingFee, func(l *ledgerBuilder) lifecycleRefs { received(l); l.fee("2026-03-03"); return lifecycleRefs{} },
			join(routing, drafting, extension, filing, []EventKind{EventWithdrawn, EventConsultationSent, EventFeeNoticeDelivered,
				EventFeePaid, EventExplanationRequested, EventCalendarChangeApplied})},
		{StatusExplaining, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.askExplanation("2026-03-03")
			return lifecycleRefs{}
		},
			join(routing, drafting, extension, filing, []EventKind{EventWithdrawn, EventConsultationSent, EventFeeNoticeSent,
				EventExplanationReceived, EventAnswerIssued, EventCalendarChangeApplied})},
		{StatusAnswered, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.answer("2026-03-05")
			return lifecycleRefs{remedy: l.add(EventReconsiderationRecorded, "2026-03-05", EventData{CaseRef: "1"})}
		}, join(remedies, []EventKind{EventAnswerDelivered, EventArchived})},
		{StatusTerminated, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.correction("2026-03-03", "2026-03-04", "")
			l.add(EventCorrectionExpired, "2026-03-05", EventData{})
			return lifecycleRefs{remedy: l.add(EventReconsiderationRecorded, "2026-03-05", EventData{CaseRef: "1"})}
		}, join(remedies, []EventKind{EventArchived})},
		{StatusWithdrawn, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.withdraw("2026-03-05")
			return lifecycleRefs{remedy: l.add(EventReconsiderationRecorded, "2026-03-05", EventData{CaseRef: "1"})}
		}, join(remedies, []EventKind{EventArchived})},
		{StatusArchived, func(l *ledgerBuilder) lifecycleRefs {
			received(l)
			l.answer("2026-03-05")
			r := l.add(EventReconsiderationRecorded, "2026-03-05", EventData{CaseRef: "1"})
			l.add(EventArchived, "2026-03-05", EventData{})
			return lifecycleRefs{remedy: r}
		}, join(remedies, []EventKind{EventAnswerDelivered})},
	}
	for _, row := range rows {
		l := &ledgerBuilder{}
		refs := row.prefix(l)
		st, err := Lifecycle(l.events)
		if err != nil || st.Status != row.status {
			t.Fatalf("prefix for %q: status %q, %v", row.status, st.Status, err)
		}
		for _, k := range EventKinds {
			allowed := slices.Contains(row.allowed, k)
			name := fmt.Sprintf("%s/%s", row.status, k)
			if row.status == "" {
				name = "empty/" + string(k)
			}
			t.Run(name, func(t *testing.T) {
				next := representative(k, refs)
				next.Seq = len(l.events) + 1
				_, err := Lifecycle(append(slices.Clone(l.events), next))
				switch {
				case allowed && err != nil:
					t.Errorf("got %v, want %s allowed in %q", err, k, row.status)
				case !allowed && err == nil:
					t.Errorf("got no error, want %s refused in %q", k, row.status)
				case !allowed:
					if c := ErrorCode(err); c != ECONFLICT && c != EINVALID {
						t.Errorf("code = %q, want conflict or invalid", c)
					}
				}
			})
		}
	}
}

func TestLifecycleState(t *testing.T) {
	d := MustParseDate
	tests := []struct {
		name   string
		ledger func(l *ledgerBuilder)
		want   LifecycleState
	}{
		{"empty ledger", func(l *ledgerBuilder) {}, LifecycleState{}},
		{"pending", func(l *ledgerBuilder) { l.submit("2026-03-02") },
			LifecycleState{Status: StatusPending, SubmittedOn: d("2026-03-02")}},
		{"registered by staff without a submission", func(l *ledgerBuilder) { l.confirm("2026-03-02") },
			LifecycleState{Status: StatusProcessing, ReceivedOn: d("2026-03-02")}},
		{"answered", func(l *ledgerBuilder) { l.confirm("2026-03-02"); l.answer("2026-03-20") },
			LifecycleState{Status: StatusAnswered, Outcome: OutcomeDisclose, ClosedOn: d("2026-03-20"), ReceivedOn: d("2026-03-02")}},
		{"answered, delivered and archived", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.add(EventAnswerDelivered, "2026-03-23", EventData{DeliveryMethod: DeliveryPost})
			l.add(EventArchived, "2026-03-30", EventData{})
		}, LifecycleState{Status: StatusArchived, Outcome: OutcomeDisclose, ClosedOn: d("2026-03-20"), ReceivedOn: d("2026-03-02"),
			AnswerDeliveredOn: d("2026-03-23"), ArchivedOn: d("2026-03-30")}},
		{"correction expired: 其他处理-1 closed that day", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.correction("2026-03-05", "2026-03-26", "")
			l.add(EventCorrectionExpired, "2026-03-27", EventData{})
		}, LifecycleState{Status: StatusTerminated, Outcome: OutcomeNoCorrection, ClosedOn: d("2026-03-27"), ReceivedOn: d("2026-03-02")}},
		{"fee expired: 其他处理-2", func(l *ledgerBuilder) {
			l.confirm("2025-03-03")
			l.fee("2025-03-10")
			l.feeDelivered("2025-03-12")
			l.feeExpired("2025-04-11")
		}, LifecycleState{Status: StatusTerminated, Outcome: OutcomeFeeUnpaid, ClosedOn: d("2025-04-11"), ReceivedOn: d("2025-03-03")}},
		{"withdrawn", func(l *ledgerBuilder) { l.confirm("2026-03-02"); l.withdraw("2026-03-04") },
			LifecycleState{Status: StatusWithdrawn, Outcome: OutcomeWithdrawn, ClosedOn: d("2026-03-04"), ReceivedOn: d("2026-03-02")}},
		{"sections: assigned, reassigned, returned", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 2, Role: RoleAssist})
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 4, Role: RoleAssist})
			l.add(EventReassigned, "2026-03-03", EventData{SectionID: 2, FromSectionID: 1, Reason: "职责调整"})
		}, LifecycleState{Status: StatusProcessing, ReceivedOn: d("2026-03-02"), SectionID: 2, AssistSectionIDs: []int64{4}}},
		{"lead returns the application", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
			l.add(EventReturned, "2026-03-03", EventData{SectionID: 1, Reason: "非本科室职责"})
		}, LifecycleState{Status: StatusProcessing, ReceivedOn: d("2026-03-02")}},
		{"fee and consultation open: awaiting the fee first", func(l *ledgerBuilder) {
			l.confirm("2025-03-03")
			l.consult("2025-03-05", "某公司")
			l.fee("2025-03-06")
		}, LifecycleState{Status: StatusAwaitingFee, ReceivedOn: d("2025-03-03")}},
		{"fee paid, consultation still open", func(l *ledgerBuilder) {
			l.confirm("2025-03-03")
			l.consult("2025-03-05", "某公司")
			l.fee("2025-03-06")
			l.feePaid("2025-03-07")
		}, LifecycleState{Status: StatusConsulting, ReceivedOn: d("2025-03-03")}},
		{"explanation received: back to processing", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.askExplanation("2026-03-03")
			l.explanation("2026-03-06")
		}, LifecycleState{Status: StatusProcessing, ReceivedOn: d("2026-03-02")}},
		{"不予处理 under 第三十五条 after asking", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.askExplanation("2026-03-03")
			l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeMass})
		}, LifecycleState{Status: StatusAnswered, Outcome: OutcomeMass, ClosedOn: d("2026-03-20"), ReceivedOn: d("2026-03-02")}},
		{"still unclear after correction", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.correction("2026-03-03", "2026-03-20", "")
			l.corrected("2026-03-10")
			l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeStillUnclear})
		}, LifecycleState{Status: StatusAnswered, Outcome: OutcomeStillUnclear, ClosedOn: d("2026-03-20"), ReceivedOn: d("2026-03-02")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tt.ledger(l)
			got, err := Lifecycle(l.events)
			if err != nil {
				t.Fatalf("Lifecycle: %v", err)
			}
			if got.Status != tt.want.Status || got.Outcome != tt.want.Outcome || got.ClosedOn != tt.want.ClosedOn ||
				got.SubmittedOn != tt.want.SubmittedOn || got.ReceivedOn != tt.want.ReceivedOn ||
				got.SectionID != tt.want.SectionID || !slices.Equal(got.AssistSectionIDs, tt.want.AssistSectionIDs) ||
				got.AnswerDeliveredOn != tt.want.AnswerDeliveredOn || got.ArchivedOn != tt.want.ArchivedOn {
				t.Errorf("Lifecycle:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLifecycleRefuses(t *testing.T) {
	tests := []struct {
		name   string
		ledger func(l *ledgerBuilder)
		want   Code
	}{
		{"a second lead section", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 2, Role: RoleLead})
		}, ECONFLICT},
		{"the same section twice", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleAssist})
		}, ECONFLICT},
		{"returned by a section not on the case", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventReturned, "2026-03-03", EventData{SectionID: 7, Reason: "x"})
		}, ECONFLICT},
		{"reassigned from the wrong section", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
			l.add(EventReassigned, "2026-03-03", EventData{SectionID: 3, FromSectionID: 2})
		}, ECONFLICT},
		{"answer with the 其他处理-1 outcome", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeNoCorrection})
		}, EINVALID},
		{"answer with the withdrawn outcome", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeWithdrawn})
		}, EINVALID},
		{"still unclear without a correction", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeStillUnclear})
		}, ECONFLICT},
		{"answer delivered before it was issued", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.add(EventAnswerDelivered, "2026-03-19", EventData{})
		}, EINVALID},
		{"answer delivered twice", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.add(EventAnswerDelivered, "2026-03-21", EventData{})
			l.add(EventAnswerDelivered, "2026-03-22", EventData{})
		}, ECONFLICT},
		{"archived twice", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.add(EventArchived, "2026-03-21", EventData{})
			l.add(EventArchived, "2026-03-22", EventData{})
		}, ECONFLICT},
		{"archived before the case closed", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.add(EventArchived, "2026-03-19", EventData{})
		}, EINVALID},
		{"remedy dated before receipt", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventReconsiderationRecorded, "2026-03-01", EventData{CaseRef: "1"})
		}, EINVALID},
		{"remedy concluded twice", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			r := l.add(EventLitigationRecorded, "2026-04-01", EventData{CaseRef: "1"})
			l.add(EventRemedyConcluded, "2026-06-01", EventData{Ref: r, Result: ResultUpheld})
			l.add(EventRemedyConcluded, "2026-06-02", EventData{Ref: r, Result: ResultOther})
		}, ECONFLICT},
		{"remedy concluded with an unknown result", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			r := l.add(EventLitigationRecorded, "2026-04-01", EventData{CaseRef: "1"})
			l.add(EventRemedyConcluded, "2026-06-01", EventData{Ref: r, Result: "won"})
		}, EINVALID},
		{"extension rejected without a request", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventExtensionRejected, "2026-03-05", EventData{})
		}, ECONFLICT},
		{"review before any draft", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.add(EventAnswerReviewed, "2026-03-05", EventData{})
		}, ECONFLICT},
		{"explanation requested twice", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.askExplanation("2026-03-03")
			l.explanation("2026-03-05")
			l.askExplanation("2026-03-06")
		}, ECONFLICT},
		{"withdrawn before it was submitted", func(l *ledgerBuilder) {
			l.submit("2026-03-02")
			l.withdraw("2026-03-01")
		}, EINVALID},
		{"submitted twice", func(l *ledgerBuilder) { l.submit("2026-03-02"); l.submit("2026-03-03") }, ECONFLICT},
		{"duplicate Seq", func(l *ledgerBuilder) {
			l.confirm("2026-03-02")
			l.answer("2026-03-20")
			l.events[1].Seq = 1
		}, EINVALID},
		{"unknown kind", func(l *ledgerBuilder) { l.add("approved", "2026-03-02", EventData{}) }, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tt.ledger(l)
			_, err := Lifecycle(l.events)
			if got := ErrorCode(err); got != tt.want {
				t.Errorf("Lifecycle: err = %v, want code %q", err, tt.want)
			}
			if msg := ErrorMessage(err); msg == "" || msg == ErrorMessage(errors.New("x")) {
				t.Errorf("message = %q, want a specific Chinese message", msg)
			}
		})
	}
}

func TestCanAppend(t *testing.T) {
	builtin := MustBuiltinCalendar(t)
	rules := DefaultClockRules()
	// Received 2026-12-20: the due date falls in 2027, which is not loaded.
	beyond := &ledgerBuilder{}
	beyond.confirm("2026-12-20")
	normal := &ledgerBuilder{}
	normal.confirm("2026-02-10")
	tests := []struct {
		name   string
		ledger *ledgerBuilder
		next   Event
		cal    *Calendar
		want   Code
	}{
		{"a valid extension", normal, Event{Kind: EventExtensionApproved, On: MustParseDate("2026-03-16"), Data: EventData{Days: 20}}, builtin, ""},
		{"an extension after the due date", normal, Event{Kind: EventExtensionApproved, On: MustParseDate("2026-03-17"), Data: EventData{Days: 20}}, builtin, ECONFLICT},
		{"an assignment", normal, Event{Kind: EventAssigned, On: MustParseDate("2026-02-11"), Data: EventData{SectionID: 1, Role: RoleLead}}, builtin, ""},
		{"a correction of a case never corrected", normal, Event{Kind: EventCorrected, On: MustParseDate("2026-02-11")}, builtin, ECONFLICT},
		{"calendar missing: an assignment is still allowed", beyond,
			Event{Kind: EventAssigned, On: MustParseDate("2026-12-21"), Data: EventData{SectionID: 1, Role: RoleLead}}, builtin, ""},
		{"calendar missing: the answer is still allowed", beyond,
			Event{Kind: EventAnswerIssued, On: MustParseDate("2026-12-28"), Data: EventData{Outcome: OutcomeDisclose}}, builtin, ""},
		{"calendar missing: an extension cannot be checked", beyond,
			Event{Kind: EventExtensionApproved, On: MustParseDate("2026-12-28"), Data: EventData{Days: 5}}, builtin, EUNAVAILABLE},
		{"calendar missing: a ledger error is still an error", beyond,
			Event{Kind: EventCorrected, On: MustParseDate("2026-12-28")}, builtin, ECONFLICT},
		{"no calendar at all", normal, Event{Kind: EventAssigned, On: MustParseDate("2026-02-11"), Data: EventData{SectionID: 1, Role: RoleLead}}, nil, EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := tt.next
			next.Seq = len(tt.ledger.events) + 1
			err := CanAppend(tt.ledger.events, next, tt.cal, rules, MustParseDate("2026-12-28"))
			if got := ErrorCode(err); got != tt.want {
				t.Errorf("CanAppend: err = %v, want code %q", err, tt.want)
			}
		})
	}
	t.Run("a stale Seq", func(t *testing.T) {
		next := Event{Seq: 1, Kind: EventAssigned, On: MustParseDate("2026-02-11"), Data: EventData{SectionID: 1, Role: RoleLead}}
		if err := CanAppend(normal.events, next, builtin, rules, MustParseDate("2026-02-11")); ErrorCode(err) != EINVALID {
			t.Errorf("CanAppend: err = %v, want EINVALID", err)
		}
	})
}
