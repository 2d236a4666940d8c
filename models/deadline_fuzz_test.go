package models

import (
	"errors"
	"slices"
	"testing"
)

// fuzzOp is one event of a fuzzed ledger; see decodeFuzzLedger.
type fuzzOp struct{ op, dt, x byte }

// fuzzKinds are the events a fuzzed ledger is made of, by op.
var fuzzKinds = []EventKind{
	EventCorrectionRequested, EventCorrected, EventCorrectionExpired,
	EventConsultationSent, EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired,
	EventFeeNoticeSent, EventFeeNoticeDelivered, EventFeePaid, EventFeeExpired,
	EventExplanationRequested, EventExplanationReceived, EventDelayedDeadlineSet,
	EventExtensionApproved, EventAnswerIssued, EventWithdrawn, EventAssigned,
	EventExtensionRequested, EventAnswerDrafted,
}

var fuzzOutcomes = []Outcome{OutcomeDisclose, OutcomeMass, OutcomeStillUnclear, OutcomeNotHeld}

// decodeFuzzLedger turns bytes into a ledger received between 2024-01-01
// and 2026-09-26, with settings and a day to compute for. Bytes 0–1 pick the
// receipt, byte 2 the settings and today; every further 3 bytes are an
// event: its kind, the days since the previous one, and a parameter
// (a reference, a number of days, a back-dating).
func decodeFuzzLedger(data []byte) ([]Event, ClockRules, Date) {
	rules := DefaultClockRules()
	if len(data) < 3 {
		return nil, rules, MustParseDate("2024-01-01")
	}
	start := MustParseDate("2024-01-01").AddDays((int(data[0])<<8 | int(data[1])) % 1000)
	flags := data[2]
	rules.ExcludeFeeWait = flags&1 == 0
	rules.AllowSecondCorrection = flags&2 != 0
	var events []Event
	add := func(k EventKind, on Date, d EventData) {
		events = append(events, Event{Seq: len(events) + 1, Kind: k, On: on, Data: d})
	}
	if flags&4 == 0 {
		add(EventSubmitted, start, EventData{Channel: ChannelOnline})
	}
	add(EventConfirmed, start, EventData{Channel: ChannelOnline})
	cursor := start
	var consults []int
	for i := 3; i+2 < len(data) && len(events) < 40; i += 3 {
		op, dt, x := data[i], data[i+1], data[i+2]
		cursor = cursor.AddDays(int(dt % 12))
		back := cursor.AddDays(-int(x % 4))
		ref := 99
		if len(consults) > 0 {
			ref = consults[int(x)%len(consults)]
		}
		k := fuzzKinds[int(op)%len(fuzzKinds)]
		switch k {
		case EventCorrectionRequested:
			d := EventData{Items: []string{"x"}, DueOn: cursor.AddDays(1 + int(x%30))}
			if x&1 == 1 {
				d.Reason = "理由"
			}
			add(k, cursor, d)
		case EventConsultationSent:
			add(k, cursor, EventData{Party: "某公司", PartyKind: PartyThirdParty})
			consults = append(consults, len(events))
		case EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired:
			add(k, back, EventData{Ref: ref})
		case EventFeeNoticeSent:
			add(k, cursor, EventData{FeeMethod: FeePerPage, Units: 50, AmountFen: 20000})
		case EventFeeNoticeDelivered, EventFeePaid:
			add(k, back, EventData{AmountFen: 20000})
		case EventExplanationRequested:
			add(k, cursor, EventData{DueOn: cursor.AddDays(10)})
		case EventDelayedDeadlineSet:
			add(k, cursor, EventData{DueOn: cursor.AddDays(int(x % 60))})
		case EventExtensionApproved, EventExtensionRequested:
			add(k, cursor, EventData{Days: 1 + int(x%22)})
		case EventAnswerIssued, EventAnswerDrafted:
			add(k, cursor, EventData{Outcome: fuzzOutcomes[int(x)%len(fuzzOutcomes)]})
		case EventAssigned:
			add(k, cursor, EventData{SectionID: int64(1 + x%3), Role: RoleLead})
		default:
			add(k, cursor, EventData{})
		}
	}
	today := cursor.AddDays(int(flags>>3) * 3)
	if last := MustParseDate("2026-12-31"); today.After(last) {
		today = last
	}
	return events, rules, today
}

// encodeFuzzLedger is the inverse, for the seed corpus.
func encodeFuzzLedger(receiptOffset int, flags byte, ops ...fuzzOp) []byte {
	b := []byte{byte(receiptOffset >> 8), byte(receiptOffset), flags}
	for _, o := range ops {
		b = append(b, o.op, o.dt, o.x)
	}
	return b
}

// fuzzOpOf returns the op byte of kind k.
func fuzzOpOf(k EventKind) byte { return byte(slices.Index(fuzzKinds, k)) }

func FuzzComputeClock(f *testing.F) {
	op := func(k EventKind, dt, x byte) fuzzOp { return fuzzOp{fuzzOpOf(k), dt, x} }
	// 2025-01-20 is day 385 of the range; 2026-01-20 is day 750.
	f.Add(encodeFuzzLedger(385, 0))
	f.Add(encodeFuzzLedger(750, 0, op(EventConsultationSent, 10, 0), op(EventConsultationDelivered, 2, 0),
		op(EventAnswerDrafted, 11, 0), op(EventAnswerDrafted, 11, 0),
		op(EventConsultationExpired, 11, 0), op(EventAnswerIssued, 5, 0)))
	f.Add(encodeFuzzLedger(750, 0, op(EventConsultationSent, 3, 0), op(EventConsultationSent, 2, 0),
		op(EventConsultationAnswered, 4, 0), op(EventConsultationAnswered, 5, 1), op(EventExtensionApproved, 3, 19)))
	f.Add(encodeFuzzLedger(400, 1, op(EventFeeNoticeSent, 4, 0), op(EventFeeNoticeDelivered, 2, 0),
		op(EventFeePaid, 5, 0), op(EventExtensionApproved, 9, 9)))
	f.Add(encodeFuzzLedger(400, 0, op(EventFeeNoticeSent, 4, 0), op(EventFeeNoticeDelivered, 2, 0), op(EventFeeExpired, 11, 0),
		op(EventFeeExpired, 11, 0), op(EventFeeExpired, 11, 0)))
	f.Add(encodeFuzzLedger(800, 2, op(EventCorrectionRequested, 2, 20), op(EventCorrected, 7, 0),
		op(EventCorrectionRequested, 2, 21), op(EventCorrected, 4, 0), op(EventAnswerIssued, 8, 2)))
	f.Add(encodeFuzzLedger(800, 0, op(EventCorrectionRequested, 2, 3), op(EventCorrectionExpired, 11, 0)))
	f.Add(encodeFuzzLedger(100, 8, op(EventExplanationRequested, 2, 0), op(EventExplanationReceived, 5, 0),
		op(EventDelayedDeadlineSet, 5, 50), op(EventConsultationSent, 3, 0), op(EventAnswerIssued, 11, 1)))
	f.Add(encodeFuzzLedger(990, 255, op(EventConsultationSent, 1, 0)))
	f.Add(encodeFuzzLedger(0, 4, op(EventWithdrawn, 1, 0)))

	builtin := MustBuiltinCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		events, rules, today := decodeFuzzLedger(data)

		// The ledger as decoded: most random ledgers break a rule somewhere.
		c, err := ComputeClock(events, builtin, rules, today)
		if err != nil {
			checkClockError(t, err)
		} else {
			checkClockInvariants(t, builtin, events, rules, today, c)
		}

		// The same events offered one by one to CanAppend, as the store does:
		// what it lets in must make a ledger ComputeClock accepts.
		grown := growLedger(t, builtin, rules, events)
		c, err = ComputeClock(grown, builtin, rules, today)
		switch {
		case errors.Is(err, ErrBeyondCalendar):
		case err != nil:
			t.Fatalf("ComputeClock refused a ledger CanAppend built: %v\n%+v", err, grown)
		default:
			checkClockInvariants(t, builtin, grown, rules, today, c)
		}
	})
}

// checkClockError checks that a refusal is a *Error staff can read.
func checkClockError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *Error", err)
	}
	switch e.Code {
	case EINVALID, ECONFLICT:
	case EUNAVAILABLE:
		if !errors.Is(err, ErrBeyondCalendar) {
			t.Fatalf("EUNAVAILABLE without ErrBeyondCalendar: %v", err)
		}
	default:
		t.Fatalf("unexpected code %q: %v", e.Code, err)
	}
	if e.Message == "" {
		t.Fatalf("error without a message: %v", err)
	}
}

// growLedger appends the events one at a time, keeping those CanAppend
// accepts (on the day each is recorded) and renumbering Seq and references.
func growLedger(t *testing.T, cal *Calendar, rules ClockRules, events []Event) []Event {
	t.Helper()
	var grown []Event
	seqOf := map[int]int{} // decoded Seq → grown Seq
	var today Date
	for _, e := range events {
		if e.On.After(today) {
			today = e.On
		}
		next := e
		next.Seq = len(grown) + 1
		if e.Data.Ref != 0 {
			next.Data.Ref = 99
			if s, ok := seqOf[e.Data.Ref]; ok {
				next.Data.Ref = s
			}
		}
		err := CanAppend(grown, next, cal, rules, today)
		if err != nil {
			checkClockError(t, err)
			continue
		}
		seqOf[e.Seq] = next.Seq
		grown = append(grown, next)
	}
	return grown
}

// checkClockInvariants checks what must hold for every clock ComputeClock
// accepts.
func checkClockInvariants(t *testing.T, cal *Calendar, events []Event, rules ClockRules, today Date, c Clock) {
	t.Helper()
	again, err := ComputeClock(events, cal, rules, today)
	if err != nil || again.Explanation != c.Explanation || again.DueOn != c.DueOn {
		t.Fatalf("ComputeClock is not deterministic")
	}
	st, err := Lifecycle(events)
	if err != nil {
		t.Fatalf("ComputeClock accepted a ledger Lifecycle refuses: %v", err)
	}
	if (c.State == ClockStopped) != (st.Status != "" && !st.Status.Open()) {
		t.Fatalf("State %q with status %q", c.State, st.Status)
	}
	if (c.State == ClockNotStarted) != (st.Status == "" || st.Status == StatusPending) {
		t.Fatalf("State %q with status %q", c.State, st.Status)
	}
	if c.Explanation == "" {
		t.Fatalf("no explanation")
	}
	if c.DueOn.IsZero() {
		return
	}
	// The due date is a working day.
	if ok, err := cal.IsWorkingDay(c.DueOn); err != nil || !ok {
		t.Fatalf("DueOn %s is not a working day (%v)", c.DueOn, err)
	}
	if n, err := cal.WorkingDaysBetween(c.StartedOn, c.OriginalDueOn); err != nil || n != rules.AnswerDays {
		t.Fatalf("(%s, %s] holds %d working days, want %d", c.StartedOn, c.OriginalDueOn, n, rules.AnswerDays)
	}
	if c.DueOn.Before(c.OriginalDueOn) {
		t.Fatalf("DueOn %s before OriginalDueOn %s", c.DueOn, c.OriginalDueOn)
	}
	if c.Overdue && !c.AsOf.After(c.DueOn) || c.Overdue && c.DueSoon {
		t.Fatalf("Overdue %v, DueSoon %v, AsOf %s, DueOn %s", c.Overdue, c.DueSoon, c.AsOf, c.DueOn)
	}
	if c.ExtensionDays < 0 || c.ExtensionDays > 20 || c.PausedDays < 0 {
		t.Fatalf("ExtensionDays %d, PausedDays %d", c.ExtensionDays, c.PausedDays)
	}
	for _, p := range c.Pauses {
		if p.To.Before(p.From) || p.Days < 0 {
			t.Fatalf("pause %+v", p)
		}
	}

	// Pauses never shorten a deadline: without them the due date is not later.
	without := func(drop func(EventKind) bool) []Event {
		return slices.DeleteFunc(slices.Clone(events), func(e Event) bool { return drop(e.Kind) })
	}
	plain := without(func(k EventKind) bool {
		switch k {
		case EventConsultationSent, EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired,
			EventFeeNoticeSent, EventFeeNoticeDelivered, EventFeePaid, EventFeeExpired:
			return true
		}
		return false
	})
	if p, err := ComputeClock(plain, cal, rules, today); err == nil && !p.DueOn.IsZero() && c.DueOn.Before(p.DueOn) {
		t.Fatalf("with pauses due %s, without %s", c.DueOn, p.DueOn)
	}

	// An extension adds at most ExtensionDays working days of its own.
	if c.Extended {
		noExt := without(func(k EventKind) bool { return k == EventExtensionApproved })
		p, err := ComputeClock(noExt, cal, rules, today)
		if err == nil && !p.DueOn.IsZero() {
			n, err := cal.WorkingDaysBetween(p.DueOn, c.DueOn)
			if err != nil || n < 0 || n > c.ExtensionDays+c.PausedDays {
				t.Fatalf("extension of %d (paused %d) moved the due date from %s to %s", c.ExtensionDays, c.PausedDays, p.DueOn, c.DueOn)
			}
			if len(c.Pauses) == 0 && c.DelayedDueOn.IsZero() && n != c.ExtensionDays {
				t.Fatalf("extension of %d moved the due date by %d", c.ExtensionDays, n)
			}
		}
	}
}

// TestFuzzSeedsDecode keeps the fuzz decoder honest: the seeds decode to
// the ledgers they describe, and several of them are accepted.
func TestFuzzSeedsDecode(t *testing.T) {
	op := func(k EventKind, dt, x byte) fuzzOp { return fuzzOp{fuzzOpOf(k), dt, x} }
	events, _, _ := decodeFuzzLedger(encodeFuzzLedger(750, 0, op(EventConsultationSent, 10, 0),
		op(EventConsultationDelivered, 2, 0), op(EventConsultationAnswered, 11, 0)))
	kinds := make([]EventKind, len(events))
	for i, e := range events {
		kinds[i] = e.Kind
	}
	want := []EventKind{EventSubmitted, EventConfirmed, EventConsultationSent, EventConsultationDelivered, EventConsultationAnswered}
	if !slices.Equal(kinds, want) {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
	if events[1].On != MustParseDate("2026-01-20") || events[2].On != MustParseDate("2026-01-30") || events[3].Data.Ref != 3 {
		t.Errorf("decoded %+v", events)
	}
	if _, err := ComputeClock(events, MustBuiltinCalendar(t), DefaultClockRules(), MustParseDate("2026-06-01")); err != nil {
		t.Errorf("seed ledger refused: %v", err)
	}
}
