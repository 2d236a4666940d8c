package models

import (
	"fmt"
	"testing"
)

// TestDueExpiries: which periods the daily job closes, on which date. The
// dates: received 2026-03-02 (Monday); 15 working days after 2026-03-02 is
// 2026-03-23, after 2026-03-10 is 2026-03-31; 20 working days after
// 2026-03-05 is 2026-04-02.
func TestDueExpiries(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	for _, tc := range []struct {
		name   string
		ledger func(l *ledgerBuilder)
		today  string
		want   []string // "kind@date" or "kind@date#ref"
	}{
		{"nothing open", receipt("2026-03-02"), "2026-06-01", nil},
		{"pending application", func(l *ledgerBuilder) { l.submit("2026-03-02") }, "2026-06-01", nil},
		{"correction period still running on its last day", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.correction("2026-03-03", "2026-03-24", "")
		}, "2026-03-24", nil},
		{"correction period ended", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.correction("2026-03-03", "2026-03-24", "")
		}, "2026-03-25", []string{"correction_expired@2026-03-25"}},
		{"correction expiry run late keeps the period's end", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.correction("2026-03-03", "2026-03-24", "")
		}, "2026-04-10", []string{"correction_expired@2026-03-25"}},
		{"corrected in time", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.correction("2026-03-03", "2026-03-24", "")
			l.corrected("2026-03-20")
		}, "2026-04-10", nil},
		{"consultation without recorded delivery never expires", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.consult("2026-03-02", "某公司")
		}, "2026-06-01", nil},
		{"consultation on its last day", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			r := l.consult("2026-03-02", "某公司")
			l.delivered(r, "2026-03-02")
		}, "2026-03-23", nil},
		{"consultation unanswered", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			r := l.consult("2026-03-02", "某公司")
			l.delivered(r, "2026-03-02")
		}, "2026-03-24", []string{"consultation_expired@2026-03-24#3"}},
		{"two consultations, one answered", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			a := l.consult("2026-03-02", "甲公司")
			b := l.consult("2026-03-09", "乙局")
			l.delivered(a, "2026-03-02")
			l.delivered(b, "2026-03-10")
			l.replied(a, "2026-03-12")
		}, "2026-04-15", []string{"consultation_expired@2026-04-01#4"}},
		{"consultation answered late is not expired", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			r := l.consult("2026-03-02", "某公司")
			l.delivered(r, "2026-03-02")
			l.replied(r, "2026-03-30")
		}, "2026-04-15", nil},
		{"fee without recorded delivery never expires", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.fee("2026-03-03")
		}, "2026-06-01", nil},
		{"fee on its last day", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.fee("2026-03-03")
			l.feeDelivered("2026-03-05")
		}, "2026-04-02", nil},
		{"fee unpaid", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.fee("2026-03-03")
			l.feeDelivered("2026-03-05")
		}, "2026-04-03", []string{"fee_expired@2026-04-03"}},
		{"fee paid", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.fee("2026-03-03")
			l.feeDelivered("2026-03-05")
			l.feePaid("2026-03-20")
		}, "2026-06-01", nil},
		{"fee expiry after a later main-line event takes that event's date", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.fee("2026-03-03")
			l.feeDelivered("2026-03-05")
			l.consult("2026-04-08", "某公司")
		}, "2026-04-09", []string{"fee_expired@2026-04-08"}},
		{"consultation and fee both run out", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			r := l.consult("2026-03-02", "某公司")
			l.delivered(r, "2026-03-02")
			l.fee("2026-03-03")
			l.feeDelivered("2026-03-05")
		}, "2026-04-20", []string{"consultation_expired@2026-03-24#3", "fee_expired@2026-04-03"}},
		{"answered case has nothing to expire", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			r := l.consult("2026-03-02", "某公司")
			l.delivered(r, "2026-03-02")
			l.answer("2026-03-10")
		}, "2026-06-01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tc.ledger(l)
			today := MustParseDate(tc.today)
			got, err := DueExpiries(l.events, cal, DefaultClockRules(), today)
			if err != nil {
				t.Fatal(err)
			}
			var gotS []string
			for _, e := range got {
				s := fmt.Sprintf("%s@%s", e.Kind, e.On)
				if e.Data.Ref != 0 {
					s += fmt.Sprintf("#%d", e.Data.Ref)
				}
				gotS = append(gotS, s)
				if e.ActorKind != ActorSystem {
					t.Errorf("%s: actor %q, want system", s, e.ActorKind)
				}
			}
			if fmt.Sprint(gotS) != fmt.Sprint(tc.want) {
				t.Fatalf("expiries = %v, want %v", gotS, tc.want)
			}
			// Every event the job would append is accepted by the ledger,
			// in order.
			events := l.events
			for _, e := range got {
				e.Seq = len(events) + 1
				if err := CanAppend(events, e, cal, DefaultClockRules(), today); err != nil {
					t.Fatalf("CanAppend(%s): %v", e.Kind, err)
				}
				events = append(events, e)
			}
			if len(got) > 0 {
				if again, err := DueExpiries(events, cal, DefaultClockRules(), today); err != nil || len(again) != 0 {
					t.Errorf("after appending, DueExpiries = %v, %v; want nothing", again, err)
				}
			}
		})
	}
}
