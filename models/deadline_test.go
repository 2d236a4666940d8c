package models

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// ledgerBuilder writes ledgers for tests; add returns the event's Seq.
type ledgerBuilder struct{ events []Event }

func (l *ledgerBuilder) add(kind EventKind, on string, d EventData) int {
	seq := len(l.events) + 1
	l.events = append(l.events, Event{Seq: seq, Kind: kind, On: MustParseDate(on), Data: d})
	return seq
}

func (l *ledgerBuilder) submit(on string) int {
	return l.add(EventSubmitted, on, EventData{Channel: ChannelOnline})
}
func (l *ledgerBuilder) confirm(on string) int {
	return l.add(EventConfirmed, on, EventData{Channel: ChannelOnline})
}
func (l *ledgerBuilder) correction(on, due, reason string) int {
	return l.add(EventCorrectionRequested, on, EventData{Items: []string{"请明确所需信息的名称"}, PeriodDays: 15, DueOn: MustParseDate(due), Reason: reason})
}
func (l *ledgerBuilder) corrected(on string) int { return l.add(EventCorrected, on, EventData{}) }
func (l *ledgerBuilder) consult(on, party string) int {
	return l.add(EventConsultationSent, on, EventData{Party: party, PartyKind: PartyThirdParty})
}
func (l *ledgerBuilder) delivered(ref int, on string) int {
	return l.add(EventConsultationDelivered, on, EventData{Ref: ref})
}
func (l *ledgerBuilder) replied(ref int, on string) int {
	return l.add(EventConsultationAnswered, on, EventData{Ref: ref, Opinion: "agree"})
}
func (l *ledgerBuilder) consultExpired(ref int, on string) int {
	return l.add(EventConsultationExpired, on, EventData{Ref: ref})
}
func (l *ledgerBuilder) fee(on string) int {
	return l.add(EventFeeNoticeSent, on, EventData{FeeMethod: FeePerItem, Units: 12, AmountFen: 20000})
}
func (l *ledgerBuilder) feeDelivered(on string) int {
	return l.add(EventFeeNoticeDelivered, on, EventData{})
}
func (l *ledgerBuilder) feePaid(on string) int {
	return l.add(EventFeePaid, on, EventData{AmountFen: 20000})
}
func (l *ledgerBuilder) feeExpired(on string) int { return l.add(EventFeeExpired, on, EventData{}) }
func (l *ledgerBuilder) askExplanation(on string) int {
	return l.add(EventExplanationRequested, on, EventData{DueOn: MustParseDate(on).AddDays(15)})
}
func (l *ledgerBuilder) explanation(on string) int {
	return l.add(EventExplanationReceived, on, EventData{})
}
func (l *ledgerBuilder) delay(on, due string) int {
	return l.add(EventDelayedDeadlineSet, on, EventData{DueOn: MustParseDate(due), Reason: "申请数量较大"})
}
func (l *ledgerBuilder) extend(on string, days int) int {
	return l.add(EventExtensionApproved, on, EventData{Days: days})
}
func (l *ledgerBuilder) answer(on string) int {
	return l.add(EventAnswerIssued, on, EventData{Outcome: OutcomeDisclose})
}
func (l *ledgerBuilder) withdraw(on string) int {
	return l.add(EventWithdrawn, on, EventData{Reason: "不再需要"})
}

// clockWant lists the fields a case checks; "" skips a date, "-" wants the
// zero Date.
type clockWant struct {
	state         ClockState
	started       string
	due           string
	original      string
	delayed       string
	internal      string
	correctionDue string
	feeDue        string
	extDays       int
	pausedDays    int
	reason        string
	check         func(t *testing.T, c Clock)
}

type clockCase struct {
	name    string
	ledger  func(l *ledgerBuilder)
	rules   func(r *ClockRules)
	cal     *Calendar
	today   string // default 2026-12-31
	want    clockWant
	wantErr Code
	errHas  string // a part of the message
}

func checkDate(t *testing.T, field string, got Date, want string) {
	t.Helper()
	switch want {
	case "":
	case "-":
		if !got.IsZero() {
			t.Errorf("%s = %s, want none", field, got)
		}
	default:
		if got != MustParseDate(want) {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
}

func runClockCases(t *testing.T, cases []clockCase) {
	t.Helper()
	builtin := MustBuiltinCalendar(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tt.ledger(l)
			rules := DefaultClockRules()
			if tt.rules != nil {
				tt.rules(&rules)
			}
			cal := tt.cal
			if cal == nil {
				cal = builtin
			}
			today := "2026-12-31"
			if tt.today != "" {
				today = tt.today
			}
			c, err := ComputeClock(l.events, cal, rules, MustParseDate(today))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ComputeClock succeeded (due %s), want a %s error", c.DueOn, tt.wantErr)
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("err = %v (%T), want a *Error", err, err)
				}
				if e.Code != tt.wantErr {
					t.Errorf("code = %q, want %q (%s)", e.Code, tt.wantErr, e.Message)
				}
				if !strings.Contains(e.Message, tt.errHas) {
					t.Errorf("message = %q, want it to contain %q", e.Message, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("ComputeClock: %v", err)
			}
			w := tt.want
			if c.State != w.state {
				t.Errorf("State = %q, want %q", c.State, w.state)
			}
			checkDate(t, "StartedOn", c.StartedOn, w.started)
			checkDate(t, "DueOn", c.DueOn, w.due)
			checkDate(t, "OriginalDueOn", c.OriginalDueOn, w.original)
			checkDate(t, "DelayedDueOn", c.DelayedDueOn, w.delayed)
			checkDate(t, "InternalDueOn", c.InternalDueOn, w.internal)
			checkDate(t, "CorrectionDueOn", c.CorrectionDueOn, w.correctionDue)
			checkDate(t, "FeeDueOn", c.FeeDueOn, w.feeDue)
			if c.ExtensionDays != w.extDays || c.Extended != (w.extDays > 0) {
				t.Errorf("Extended, ExtensionDays = %v, %d; want %d days", c.Extended, c.ExtensionDays, w.extDays)
			}
			if c.PausedDays != w.pausedDays {
				t.Errorf("PausedDays = %d, want %d", c.PausedDays, w.pausedDays)
			}
			if c.PauseReason != w.reason {
				t.Errorf("PauseReason = %q, want %q", c.PauseReason, w.reason)
			}
			if c.Explanation == "" {
				t.Errorf("no Explanation")
			}
			if w.check != nil {
				w.check(t, c)
			}
		})
	}
}

// receipt writes a ledger with only a confirmed receipt.
func receipt(on string) func(l *ledgerBuilder) {
	return func(l *ledgerBuilder) { l.submit(on); l.confirm(on) }
}

// TestComputeClockDeadlines: 20 working days from receipt (条例第三十三条),
// day 1 being the first working day after it. Expected dates are counted by
// hand from rules.md §4; (n) numbers the working days.
func TestComputeClockDeadlines(t *testing.T) {
	running := func(due string) clockWant { return clockWant{state: ClockRunning, due: due, original: due} }
	runClockCases(t, []clockCase{
		// rules.md §4.4 vectors.
		{name: "§4.4 2025-01-20 across 春节 2025", ledger: receipt("2025-01-20"), want: running("2025-02-21")},
		{name: "§4.4 2026-09-18 across 中秋 and 国庆 2026", ledger: receipt("2026-09-18"), want: running("2026-10-22")},
		// 02-06..09 (4, 除夕 02-09 works), [02-10..17], 02-18 Sun (5), 02-19..23 (10),
		// 02-26..03-01 (15), 03-04..08 (20).
		{name: "§4.4 2024-02-05 across 春节 2024", ledger: receipt("2024-02-05"), want: running("2024-03-08")},
		// 09-29 Sun (1), 09-30 (2), [10-01..07], 10-08..11 (6), 10-12 Sat (7),
		// 10-14..18 (12), 10-21..25 (17), 10-28..30 (20).
		{name: "§4.4 2024-09-27 across 国庆 2024", ledger: receipt("2024-09-27"), want: running("2024-10-30")},
		// 09-28 Sun (1), 09-29..30 (3), [10-01..08], 10-09..10 (5), 10-11 Sat (6),
		// 10-13..17 (11), 10-20..24 (16), 10-27..30 (20).
		{name: "§4.4 2025-09-26 across 国庆、中秋 2025", ledger: receipt("2025-09-26"), want: running("2025-10-30")},

		// Every other holiday period of 2024–2026.
		// Received on 元旦 itself: 01-02..05 (4), 01-08..12 (9), 01-15..19 (14),
		// 01-22..26 (19), 01-29 (20).
		{name: "元旦 2024, received on the holiday", ledger: receipt("2024-01-01"), want: running("2024-01-29")},
		// 04-01..03 (3), [04-04..06], 04-07 Sun (4), 04-08..12 (9), 04-15..19 (14),
		// 04-22..26 (19), 04-28 Sun 劳动节调休 (20): the due date is a Sunday.
		{name: "清明 2024, due on a 调休 Sunday", ledger: receipt("2024-03-29"), want: running("2024-04-28")},
		// 04-26 (1), 04-28 Sun (2), 04-29..30 (4), [05-01..05], 05-06..10 (9),
		// 05-11 Sat (10), 05-13..17 (15), 05-20..24 (20).
		{name: "劳动节 2024", ledger: receipt("2024-04-25"), want: running("2024-05-24")},
		// 06-04..07 (4), [06-08..10], 06-11..14 (8), 06-17..21 (13), 06-24..28 (18),
		// 07-01..02 (20).
		{name: "端午 2024", ledger: receipt("2024-06-03"), want: running("2024-07-02")},
		// 09-03..06 (4), 09-09..13 (9), 09-14 Sat (10), [09-15..17], 09-18..20 (13),
		// 09-23..27 (18), 09-29 Sun (19), 09-30 (20).
		{name: "中秋 2024", ledger: receipt("2024-09-02"), want: running("2024-09-30")},
		// 31 December: [01-01], 01-02..03 (2), 01-06..10 (7), 01-13..17 (12),
		// 01-20..24 (17), 01-26 Sun (18), 01-27 (19), [01-28..02-04], 02-05 (20).
		{name: "received on 31 December 2024, across 元旦 and 春节 2025", ledger: receipt("2024-12-31"), want: running("2025-02-05")},
		// 04-01..03 (3), [04-04..06], 04-07..11 (8), 04-14..18 (13), 04-21..25 (18),
		// 04-27 Sun (19), 04-28 (20).
		{name: "清明 2025", ledger: receipt("2025-03-31"), want: running("2025-04-28")},
		// 04-25 (1), 04-27 Sun (2), 04-28..30 (5), [05-01..05], 05-06..09 (9),
		// 05-12..16 (14), 05-19..23 (19), 05-26 (20).
		{name: "劳动节 2025", ledger: receipt("2025-04-24"), want: running("2025-05-26")},
		// 05-27..30 (4), [05-31..06-02], 06-03..06 (8), 06-09..13 (13), 06-16..20 (18),
		// 06-23..24 (20).
		{name: "端午 2025", ledger: receipt("2025-05-26"), want: running("2025-06-24")},
		// [01-01..03], 01-04 Sun (1), 01-05..09 (6), 01-12..16 (11), 01-19..23 (16),
		// 01-26..29 (20).
		{name: "received on 31 December 2025, across 元旦 2026", ledger: receipt("2025-12-31"), want: running("2026-01-29")},
		// toolchain.md: 02-11..13 (3), 02-14 Sat (4), [02-15..23], 02-24..27 (8),
		// 02-28 Sat (9), 03-02..06 (14), 03-09..13 (19), 03-16 (20).
		{name: "春节 2026", ledger: receipt("2026-02-10"), want: clockWant{state: ClockRunning, due: "2026-03-16", original: "2026-03-16", internal: "2026-03-09"}},
		// 03-31..04-03 (4), [04-04..06], 04-07..10 (8), 04-13..17 (13), 04-20..24 (18),
		// 04-27..28 (20).
		{name: "清明 2026", ledger: receipt("2026-03-30"), want: running("2026-04-28")},
		// 04-28..30 (3), [05-01..05], 05-06..08 (6), 05-09 Sat (7), 05-11..15 (12),
		// 05-18..22 (17), 05-25..27 (20).
		{name: "劳动节 2026", ledger: receipt("2026-04-27"), want: running("2026-05-27")},
		// 06-16..18 (3), [06-19..21], 06-22..26 (8), 06-29..07-03 (13), 07-06..10 (18),
		// 07-13..14 (20).
		{name: "端午 2026", ledger: receipt("2026-06-15"), want: running("2026-07-14")},

		// Receipt on a day off.
		// [10-03..08], 10-09..10 (2), 10-11 Sat (3), 10-13..17 (8), 10-20..24 (13),
		// 10-27..31 (18), 11-03..04 (20).
		{name: "received on a holiday (国庆 2025)", ledger: receipt("2025-10-03"), want: running("2025-11-04")},
		// [02-15..23], 02-24..27 (4), 02-28 Sat (5), 03-02..06 (10), 03-09..13 (15),
		// 03-16..20 (20).
		{name: "received on a 调休 Saturday", ledger: receipt("2026-02-14"), want: running("2026-03-20")},
		{name: "received on a Sunday", ledger: receipt("2026-03-01"), want: running("2026-03-27")},

		// The calendar's edges: never guess a year that is not loaded.
		{name: "received on 31 December 2026: 2027 not loaded", ledger: receipt("2026-12-31"), wantErr: EUNAVAILABLE, errHas: "2027年的节假日安排尚未载入"},
		{name: "due date would fall in 2027", ledger: receipt("2026-12-04"), wantErr: EUNAVAILABLE, errHas: "2027年"},
		{name: "received before the first loaded year", ledger: receipt("2023-12-29"), wantErr: EUNAVAILABLE, errHas: "2023年"},
		{
			// 12-07..11 (5), 12-14..18 (10), 12-21..25 (15), 12-28..31 (19),
			// [2027-01-01..03 元旦 per lunar-go], 2027-01-04 (20).
			name: "due date in an unconfirmed year", ledger: receipt("2026-12-04"), cal: calendarWith2027(t), today: "2026-12-04",
			want: clockWant{state: ClockRunning, due: "2027-01-04", check: func(t *testing.T, c Clock) {
				if !c.Unconfirmed || !strings.Contains(c.Warning, "2027年（来源：lunar-go v1.4.7）") {
					t.Errorf("Unconfirmed, Warning = %v, %q; want a warning about 2027", c.Unconfirmed, c.Warning)
				}
			}},
		},

		// Receipt (条例第三十一条).
		{name: "pending: no clock yet", today: "2026-03-06",
			ledger: func(l *ledgerBuilder) { l.submit("2026-03-02") },
			want: clockWant{state: ClockNotStarted, due: "-", check: func(t *testing.T, c Clock) {
				if c.WaitingDays != 4 { // 03-03..06
					t.Errorf("WaitingDays = %d, want 4", c.WaitingDays)
				}
			}}},
		{name: "withdrawn while pending",
			ledger: func(l *ledgerBuilder) { l.submit("2026-03-02"); l.withdraw("2026-03-03") },
			want:   clockWant{state: ClockStopped, due: "-"}},
	})
}

// calendarWith2027 is the built-in calendar plus 2027 as an unconfirmed
// year with its 元旦 (lunar-go v1.4.7).
func calendarWith2027(t *testing.T) *Calendar {
	t.Helper()
	years, days := BuiltinCalendar()
	years = append(years, CalendarYear{Year: 2027, Status: YearUnconfirmed, Source: "lunar-go v1.4.7"})
	for _, d := range []string{"2027-01-01", "2027-01-02", "2027-01-03"} {
		days = append(days, CalendarDay{MustParseDate(d), DayHoliday, "元旦"})
	}
	cal, err := NewCalendar(years, days)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestComputeClockCorrection: 条例第三十条. The notice within 7 working days
// of receipt; the 20 working days restart from the corrected application's
// receipt.
func TestComputeClockCorrection(t *testing.T) {
	runClockCases(t, []clockCase{
		{
			// Receipt 03-02 (Mon); notice by 03-11 (03-03..06, 03-09..11).
			// Restart from 03-20 (Fri): 03-23..27 (5), 03-30..04-03 (10),
			// [04-04..06], 04-07..10 (14), 04-13..17 (19), 04-20 (20).
			name: "corrected: the clock restarts",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.corrected("2026-03-20")
			},
			want: clockWant{state: ClockRunning, started: "2026-03-20", due: "2026-04-20", original: "2026-04-20",
				check: func(t *testing.T, c Clock) {
					if !c.Restarted || c.ReceivedOn != MustParseDate("2026-03-02") || c.CorrectionNoticeBy != MustParseDate("2026-03-11") {
						t.Errorf("Restarted, ReceivedOn, CorrectionNoticeBy = %v, %s, %s", c.Restarted, c.ReceivedOn, c.CorrectionNoticeBy)
					}
				}},
		},
		{
			name: "awaiting correction: paused without a due date", today: "2026-03-10",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
			},
			want: clockWant{state: ClockPaused, reason: "待补正", due: "-", correctionDue: "2026-03-26"},
		},
		{
			name: "correction notice on the 7th working day",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-11", "2026-03-31", "")
				l.corrected("2026-03-20")
			},
			want: clockWant{state: ClockRunning, due: "2026-04-20"},
		},
		{
			name: "correction notice on the 8th working day without a reason",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-12", "2026-03-31", "")
			},
			wantErr: ECONFLICT, errHas: "7个工作日内",
		},
		{
			name: "late correction notice with a reason",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-12", "2026-03-31", "申请人联系方式有误，无法及时联系")
				l.corrected("2026-03-20")
			},
			want: clockWant{state: ClockRunning, due: "2026-04-20"},
		},
		{
			name: "second correction notice is off by default",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-04", "2026-03-20", "")
				l.corrected("2026-03-10")
				l.correction("2026-03-12", "2026-03-27", "补正后仍未写明文号")
			},
			wantErr: ECONFLICT, errHas: "一次性告知",
		},
		{
			// Restart from 03-31 (Tue): 04-01..03 (3), [04-04..06], 04-07..10 (7),
			// 04-13..17 (12), 04-20..24 (17), 04-27..29 (20).
			name:  "second correction allowed with a reason",
			rules: func(r *ClockRules) { r.AllowSecondCorrection = true },
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-04", "2026-03-20", "")
				l.corrected("2026-03-10")
				l.correction("2026-03-12", "2026-03-27", "补正后仍未写明文号")
				l.corrected("2026-03-31")
			},
			want: clockWant{state: ClockRunning, started: "2026-03-31", due: "2026-04-29"},
		},
		{
			name:  "second correction allowed but without a reason",
			rules: func(r *ClockRules) { r.AllowSecondCorrection = true },
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-04", "2026-03-20", "")
				l.corrected("2026-03-10")
				l.correction("2026-03-12", "2026-03-27", "")
			},
			wantErr: ECONFLICT, errHas: "理由",
		},
		{
			name:  "third correction notice",
			rules: func(r *ClockRules) { r.AllowSecondCorrection = true },
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-04", "2026-03-20", "")
				l.corrected("2026-03-10")
				l.correction("2026-03-12", "2026-03-27", "仍不明确")
				l.corrected("2026-03-16")
				l.correction("2026-03-17", "2026-03-27", "还是不明确")
			},
			wantErr: ECONFLICT, errHas: "两次",
		},
		{
			name: "correction period ends without correction",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.add(EventCorrectionExpired, "2026-03-27", EventData{})
			},
			want: clockWant{state: ClockStopped, due: "-", correctionDue: "2026-03-26",
				check: func(t *testing.T, c Clock) {
					if c.StoppedOn != MustParseDate("2026-03-27") || !strings.Contains(c.Explanation, "视为放弃申请") {
						t.Errorf("StoppedOn, Explanation = %s, %q", c.StoppedOn, c.Explanation)
					}
				}},
		},
		{
			name: "correction expiry recorded on the last day of the period",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.add(EventCorrectionExpired, "2026-03-26", EventData{})
			},
			wantErr: ECONFLICT, errHas: "尚未届满",
		},
		{
			name:    "corrected without a correction notice",
			ledger:  func(l *ledgerBuilder) { l.confirm("2026-03-02"); l.corrected("2026-03-05") },
			wantErr: ECONFLICT, errHas: "不能登记“收到补正后的申请”",
		},
		{
			// Restart from 02-26 (Thu): 02-27 (1), 02-28 Sat (2), 03-02..06 (7),
			// 03-09..13 (12), 03-16..20 (17), 03-23..25 (20).
			name: "correction across 春节 2026",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-03")
				l.correction("2026-02-05", "2026-03-06", "")
				l.corrected("2026-02-26")
			},
			want: clockWant{state: ClockRunning, started: "2026-02-26", due: "2026-03-25"},
		},
		{
			name: "a consultation before the correction belongs to the discarded count",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				s := l.consult("2026-03-03", "某公司")
				l.replied(s, "2026-03-05")
				l.correction("2026-03-06", "2026-03-27", "")
				l.corrected("2026-03-20")
			},
			want: clockWant{state: ClockRunning, due: "2026-04-20", check: func(t *testing.T, c Clock) {
				if len(c.Pauses) != 0 {
					t.Errorf("Pauses = %+v, want none", c.Pauses)
				}
			}},
		},
		{
			name: "answer while awaiting correction",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.answer("2026-03-10")
			},
			wantErr: ECONFLICT, errHas: "待补正",
		},
		{
			name: "extension while awaiting correction",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.extend("2026-03-10", 10)
			},
			wantErr: ECONFLICT, errHas: "待补正",
		},
		{
			name: "correction notice after an extension",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.extend("2026-03-04", 10)
				l.correction("2026-03-05", "2026-03-26", "")
			},
			wantErr: ECONFLICT, errHas: "不能再发出补正告知书",
		},
		{
			name: "withdrawn while awaiting correction",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.withdraw("2026-03-09")
			},
			want: clockWant{state: ClockStopped, due: "-"},
		},
	})
}

// TestComputeClockConsultation: 条例第三十二条、第三十三条第三款、第三十四条. The
// notice day counts; the working days after it through the reply (or the
// end of the 15 working days from delivery) are not counted.
func TestComputeClockConsultation(t *testing.T) {
	// Receipt 2026-01-20 (Tue): 01-21..23 (3), 01-26..30 (8), 02-02..06 (13),
	// 02-09..13 (18), 02-14 Sat (19), [02-15..23], 02-24 (20).
	// Sent 02-03, delivered 02-05 (Thu). 15 working days from delivery:
	// 02-06 (1), 02-09..13 (6), 02-14 Sat (7), [春节], 02-24..27 (11),
	// 02-28 Sat (12), 03-02..04 (15): the period ends 03-04.
	// Not counted: (02-03, 03-04] = 02-04..06 (3), 02-09..13 (8), 02-14 (9),
	// 02-24..27 (13), 02-28 (14), 03-02..04 (17): 17 working days.
	// Due: 02-24 + 17 = 02-25..27 (3), 02-28 (4), 03-02..06 (9), 03-09..13 (14),
	// 03-16..18 (17) → 03-18. Check: 10 days used by 02-03 (01-21..02-03), 10
	// more after 03-04: 03-05..06, 03-09..13, 03-16..18.
	springFestival := func(expired bool) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) {
			l.confirm("2026-01-20")
			s := l.consult("2026-02-03", "某公司")
			l.delivered(s, "2026-02-05")
			if expired {
				l.consultExpired(s, "2026-03-05")
			}
		}
	}
	// Receipt 2025-03-03 (Mon): 03-04..07 (4), 03-10..14 (9), 03-17..21 (14),
	// 03-24..28 (19), 03-31 (20). No holiday until 清明 04-04..06.
	base2025 := func(more func(l *ledgerBuilder)) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) { l.confirm("2025-03-03"); more(l) }
	}
	runClockCases(t, []clockCase{
		{name: "across 春节 with expiry counted from delivery", ledger: springFestival(true),
			want: clockWant{state: ClockRunning, due: "2026-03-18", original: "2026-02-24", pausedDays: 17,
				check: func(t *testing.T, c Clock) {
					p := c.Pauses[0]
					if p.Until != MustParseDate("2026-03-04") || p.EndedBy != PauseEndPeriod || p.Days != 17 || !p.Shifts {
						t.Errorf("Pause = %+v, want until 03-04, ended by the period, 17 days", p)
					}
				}}},
		{name: "period over, expiry not yet recorded", ledger: springFestival(false), today: "2026-03-10",
			want: clockWant{state: ClockRunning, due: "2026-03-18", pausedDays: 17}},
		{
			// Open on 02-25: (02-03, 02-25] = 02-04..06 (3), 02-09..13 (8),
			// 02-14 (9), 02-24..25 (11). 02-24 + 11: 02-25..27 (3), 02-28 (4),
			// 03-02..06 (9), 03-09..10 (11).
			name: "open consultation: provisional due date", ledger: springFestival(false), today: "2026-02-25",
			want: clockWant{state: ClockPaused, reason: "征求意见中", due: "2026-03-10", pausedDays: 11,
				check: func(t *testing.T, c Clock) {
					if !c.Pauses[0].Open || c.Pauses[0].Until != MustParseDate("2026-03-04") {
						t.Errorf("Pause = %+v, want open until 03-04", c.Pauses[0])
					}
				}},
		},
		{
			// (03-10, 03-14] = 4 days; 03-31 + 4: 04-01..03 (3), [清明], 04-07 (4).
			name: "reply received",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.replied(s, "2025-03-14")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-07", original: "2025-03-31", pausedDays: 4},
		},
		{
			// A (03-10, 03-20] and B (03-14, 03-25] overlap: (03-10, 03-25] =
			// 03-11..14 (4), 03-17..21 (9), 03-24..25 (11), not 8 + 7 = 15.
			// 03-31 + 11: 04-01..03 (3), 04-07..11 (8), 04-14..16 (11).
			name: "overlapping consultations are not counted twice",
			ledger: base2025(func(l *ledgerBuilder) {
				a := l.consult("2025-03-10", "甲公司")
				b := l.consult("2025-03-14", "乙局")
				l.replied(a, "2025-03-20")
				l.replied(b, "2025-03-25")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-16", pausedDays: 11},
		},
		{
			name: "a consultation inside another",
			ledger: base2025(func(l *ledgerBuilder) {
				a := l.consult("2025-03-10", "甲公司")
				b := l.consult("2025-03-12", "乙局")
				l.replied(b, "2025-03-14")
				l.replied(a, "2025-03-25")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-16", pausedDays: 11},
		},
		{
			// (03-10, 03-12] = 2 and (03-17, 03-19] = 2: 03-31 + 4 = 04-07.
			name: "two separate consultations add up",
			ledger: base2025(func(l *ledgerBuilder) {
				a := l.consult("2025-03-10", "甲公司")
				l.replied(a, "2025-03-12")
				b := l.consult("2025-03-17", "乙局")
				l.replied(b, "2025-03-19")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-07", pausedDays: 4},
		},
		{
			// Sent on the due date 03-31: it counts; (03-31, 04-03] = 3 → 04-03.
			name: "sent on the due date",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-31", "某公司")
				l.replied(s, "2025-04-03")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-03", pausedDays: 3},
		},
		{
			// After the due date: the period had expired; overdue by 04-01..03,
			// 04-07..10 = 7 working days on 04-10.
			name: "sent after the due date does not revive the period", today: "2025-04-10",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-04-01", "某公司")
				l.replied(s, "2025-04-10")
			}),
			want: clockWant{state: ClockRunning, due: "2025-03-31", check: func(t *testing.T, c Clock) {
				if !c.Overdue || c.OverdueBy != 7 || c.Pauses[0].Shifts {
					t.Errorf("Overdue, OverdueBy, Shifts = %v, %d, %v; want true, 7, false", c.Overdue, c.OverdueBy, c.Pauses[0].Shifts)
				}
			}},
		},
		{
			// No delivery recorded: paused until the reply. On 03-20,
			// (03-10, 03-20] = 8; 03-31 + 8: 04-01..03 (3), 04-07..11 (8).
			name: "no delivery recorded: open-ended", today: "2025-03-20",
			ledger: base2025(func(l *ledgerBuilder) { l.consult("2025-03-10", "某公司") }),
			want: clockWant{state: ClockPaused, reason: "征求意见中", due: "2025-04-11", pausedDays: 8,
				check: func(t *testing.T, c Clock) {
					if !strings.Contains(c.Explanation, "尚未登记对方收到的日期") {
						t.Errorf("Explanation = %q, want it to say the delivery is not recorded", c.Explanation)
					}
				}},
		},
		{
			// Delivered 03-11: 15 working days end 04-01 (03-12..14, 03-17..21,
			// 03-24..28, 03-31, 04-01). The reply of 04-08 is late; the pause
			// ends 04-01: (03-10, 04-01] = 16. 03-31 + 16: 04-01..03 (3),
			// 04-07..11 (8), 04-14..18 (13), 04-21..23 (16).
			name: "a late reply counts only to the end of the period",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.delivered(s, "2025-03-11")
				l.replied(s, "2025-04-08")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-23", pausedDays: 16},
		},
		{
			// Answered 03-20 while the consultation was open: the pause ends
			// there: (03-10, 03-20] = 8 → 04-11; 15 working days left on 03-20.
			name: "answer during an open consultation",
			ledger: base2025(func(l *ledgerBuilder) {
				l.consult("2025-03-10", "某公司")
				l.answer("2025-03-20")
			}),
			want: clockWant{state: ClockStopped, due: "2025-04-11", pausedDays: 8, check: func(t *testing.T, c Clock) {
				if c.WorkingDaysLeft != 15 || c.Pauses[0].EndedBy != PauseEndClosed || c.Overdue {
					t.Errorf("WorkingDaysLeft, EndedBy, Overdue = %d, %q, %v", c.WorkingDaysLeft, c.Pauses[0].EndedBy, c.Overdue)
				}
			}},
		},
		{
			name: "expiry recorded before the period ends",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.delivered(s, "2025-03-11")
				l.consultExpired(s, "2025-04-01")
			}),
			wantErr: ECONFLICT, errHas: "尚未届满",
		},
		{
			name: "expiry without a recorded delivery",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.consultExpired(s, "2025-04-20")
			}),
			wantErr: ECONFLICT, errHas: "无法认定",
		},
		{
			name: "reply to something that is not a consultation",
			ledger: base2025(func(l *ledgerBuilder) {
				l.consult("2025-03-10", "某公司")
				l.replied(1, "2025-03-12")
			}),
			wantErr: EINVALID, errHas: "不是征求意见书",
		},
		{
			name: "delivered before it was sent",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.delivered(s, "2025-03-07")
			}),
			wantErr: EINVALID, errHas: "早于征求意见书发出之日",
		},
		{
			name: "reply recorded twice",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.replied(s, "2025-03-12")
				l.replied(s, "2025-03-13")
			}),
			wantErr: ECONFLICT, errHas: "已登记",
		},
		{
			// A delivery learned of later may be recorded after other events.
			name: "delivery recorded late",
			ledger: base2025(func(l *ledgerBuilder) {
				s := l.consult("2025-03-10", "某公司")
				l.extend("2025-03-20", 5)
				l.delivered(s, "2025-03-11")
				l.replied(s, "2025-03-14")
			}),
			// 04-07 + 5: 04-08..11 (4), 04-14 (5).
			want: clockWant{state: ClockRunning, due: "2025-04-14", extDays: 5, pausedDays: 4},
		},
	})
}

// TestComputeClockFee: 国办函〔2020〕109号 (rules.md §2.4).
func TestComputeClockFee(t *testing.T) {
	base := func(more func(l *ledgerBuilder)) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) { l.confirm("2025-03-03"); more(l) }
	}
	paid := base(func(l *ledgerBuilder) {
		l.fee("2025-03-10")
		l.feeDelivered("2025-03-12")
		l.feePaid("2025-03-17")
	})
	runClockCases(t, []clockCase{
		{
			// (03-10, 03-17] = 03-11..14, 03-17 = 5; 03-31 + 5 = 04-01..03, 04-07..08.
			// Payment due: 20 working days after delivery 03-12: 03-13..14 (2),
			// 03-17..21 (7), 03-24..28 (12), 03-31..04-03 (16), 04-07..10 (20).
			name: "fee paid: the wait is not counted", ledger: paid,
			want: clockWant{state: ClockRunning, due: "2025-04-08", pausedDays: 5, feeDue: "2025-04-10"},
		},
		{
			name: "fee wait counted when the agency says so", ledger: paid,
			rules: func(r *ClockRules) { r.ExcludeFeeWait = false },
			want:  clockWant{state: ClockRunning, due: "2025-03-31", feeDue: "2025-04-10"},
		},
		{
			// Open on 03-14: (03-10, 03-14] = 4 → 04-07.
			name: "awaiting payment", today: "2025-03-14",
			ledger: base(func(l *ledgerBuilder) { l.fee("2025-03-10") }),
			want:   clockWant{state: ClockPaused, reason: "等待缴纳信息处理费", due: "2025-04-07", pausedDays: 4},
		},
		{
			// Not counted: (03-10, 04-10] = 22; 03-31 + 22: 04-01..03 (3),
			// 04-07..11 (8), 04-14..18 (13), 04-21..25 (18), 04-27 Sun (19),
			// 04-28..30 (22).
			name: "fee not paid: the case ends",
			ledger: base(func(l *ledgerBuilder) {
				l.fee("2025-03-10")
				l.feeDelivered("2025-03-12")
				l.feeExpired("2025-04-11")
			}),
			want: clockWant{state: ClockStopped, due: "2025-04-30", pausedDays: 22, feeDue: "2025-04-10"},
		},
		{
			name: "fee expiry recorded on the last day to pay",
			ledger: base(func(l *ledgerBuilder) {
				l.fee("2025-03-10")
				l.feeDelivered("2025-03-12")
				l.feeExpired("2025-04-10")
			}),
			wantErr: ECONFLICT, errHas: "尚未届满",
		},
		{
			name: "a second fee notice",
			ledger: base(func(l *ledgerBuilder) {
				l.fee("2025-03-10")
				l.feeDelivered("2025-03-12")
				l.feePaid("2025-03-17")
				l.fee("2025-03-18")
			}),
			wantErr: ECONFLICT, errHas: "不能再次发出",
		},
		{
			name:    "answer before payment",
			ledger:  base(func(l *ledgerBuilder) { l.fee("2025-03-10"); l.answer("2025-03-12") }),
			wantErr: ECONFLICT, errHas: "待缴费",
		},
		{
			name:    "payment without a fee notice",
			ledger:  base(func(l *ledgerBuilder) { l.feePaid("2025-03-12") }),
			wantErr: ECONFLICT, errHas: "没有发出收费通知书",
		},
		{
			// Fee (03-10, 03-17] and consultation (03-14, 03-20] overlap:
			// (03-10, 03-20] = 03-11..14, 03-17..20 = 8; 03-31 + 8 = 04-11.
			name: "fee and consultation overlap",
			ledger: base(func(l *ledgerBuilder) {
				l.fee("2025-03-10")
				s := l.consult("2025-03-14", "某公司")
				l.feePaid("2025-03-17")
				l.replied(s, "2025-03-20")
			}),
			want: clockWant{state: ClockRunning, due: "2025-04-11", pausedDays: 8},
		},
	})
}

// TestComputeClockExtension: 条例第三十三条第二款.
func TestComputeClockExtension(t *testing.T) {
	// Receipt 2026-02-10, due 03-16. 20 more: 03-17..20 (4), 03-23..27 (9),
	// 03-30..04-03 (14), [清明], 04-07..10 (18), 04-13..14 (20).
	ext := func(on string, days int) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) { l.confirm("2026-02-10"); l.extend(on, days) }
	}
	runClockCases(t, []clockCase{
		{name: "extended before the due date", ledger: ext("2026-03-10", 20),
			want: clockWant{state: ClockRunning, due: "2026-04-14", original: "2026-03-16", extDays: 20}},
		{name: "extended on the due date is valid", ledger: ext("2026-03-16", 20),
			want: clockWant{state: ClockRunning, due: "2026-04-14", extDays: 20}},
		{name: "extended after the due date", ledger: ext("2026-03-17", 20), wantErr: ECONFLICT, errHas: "届满前决定"},
		{name: "extension longer than the law allows", ledger: ext("2026-03-10", 25), wantErr: EINVALID},
		{
			// 03-16 + 10: 03-17..20 (4), 03-23..27 (9), 03-30 (10).
			name: "extension within the agency's limit", ledger: ext("2026-03-10", 10),
			rules: func(r *ClockRules) { r.ExtensionMaxDays = 10 },
			want:  clockWant{state: ClockRunning, due: "2026-03-30", extDays: 10},
		},
		{name: "extension beyond the agency's limit", ledger: ext("2026-03-10", 15),
			rules: func(r *ClockRules) { r.ExtensionMaxDays = 10 }, wantErr: EINVALID, errHas: "最长为10个工作日"},
		{
			name: "a second extension",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.extend("2026-03-10", 5)
				l.extend("2026-03-12", 5)
			},
			wantErr: ECONFLICT, errHas: "只能延长一次",
		},
		{
			// 2025: consultation (03-10, 03-14] moves 03-31 to 04-07; the
			// extension counts on from there: 04-08..11 (4), 04-14..18 (9),
			// 04-21 (10).
			name: "extension counted on from the due date after a pause",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2025-03-03")
				s := l.consult("2025-03-10", "某公司")
				l.replied(s, "2025-03-14")
				l.extend("2025-04-07", 10)
			},
			want: clockWant{state: ClockRunning, due: "2025-04-21", original: "2025-03-31", extDays: 10, pausedDays: 4},
		},
		{
			name: "extension after the original but before the moved due date",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2025-03-03")
				s := l.consult("2025-03-10", "某公司")
				l.replied(s, "2025-03-14")
				l.extend("2025-04-03", 10)
			},
			want: clockWant{state: ClockRunning, due: "2025-04-21", extDays: 10, pausedDays: 4},
		},
		{
			// Extended to 04-14; a consultation (03-20, 03-24] after the
			// original due date but inside the extension moves it 2 days:
			// 04-15, 04-16.
			name: "a consultation during the extension",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.extend("2026-03-10", 20)
				s := l.consult("2026-03-20", "某公司")
				l.replied(s, "2026-03-24")
			},
			want: clockWant{state: ClockRunning, due: "2026-04-16", extDays: 20, pausedDays: 2},
		},
		{
			name: "extension approved after the answer",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.answer("2026-03-10")
				l.extend("2026-03-11", 5)
			},
			wantErr: ECONFLICT, errHas: "已答复",
		},
	})
}

// TestComputeClockExcessive: 条例第三十五条.
func TestComputeClockExcessive(t *testing.T) {
	asked := func(more func(l *ledgerBuilder)) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) {
			l.confirm("2026-02-10")
			l.askExplanation("2026-02-12")
			l.explanation("2026-02-26")
			more(l)
		}
	}
	runClockCases(t, []clockCase{
		{
			// Nothing in the 条例 stops the clock while the applicant explains.
			name: "explanation requested: the clock keeps running", today: "2026-02-20",
			ledger: func(l *ledgerBuilder) { l.confirm("2026-02-10"); l.askExplanation("2026-02-12") },
			want:   clockWant{state: ClockRunning, due: "2026-03-16"},
		},
		{
			// Internal due: 5 working days before 04-30 → 04-23 ((04-23, 04-30]
			// = 04-24, 04-27..30).
			name:   "delayed deadline replaces the statutory one",
			ledger: asked(func(l *ledgerBuilder) { l.delay("2026-03-05", "2026-04-30") }),
			want:   clockWant{state: ClockRunning, due: "2026-04-30", original: "2026-03-16", delayed: "2026-04-30", internal: "2026-04-23"},
		},
		{
			name:   "delayed deadline equal to the due date",
			ledger: asked(func(l *ledgerBuilder) { l.delay("2026-03-05", "2026-03-16") }),
			want:   clockWant{state: ClockRunning, due: "2026-03-16", delayed: "2026-03-16"},
		},
		{name: "delayed deadline earlier than the due date",
			ledger:  asked(func(l *ledgerBuilder) { l.delay("2026-03-05", "2026-03-13") }),
			wantErr: ECONFLICT, errHas: "不得早于现行答复期限"},
		{name: "delayed deadline set after the due date",
			ledger:  asked(func(l *ledgerBuilder) { l.delay("2026-03-17", "2026-04-30") }),
			wantErr: ECONFLICT, errHas: "届满前确定"},
		{name: "delayed deadline on a holiday",
			ledger:  asked(func(l *ledgerBuilder) { l.delay("2026-03-05", "2026-05-02") }),
			wantErr: EINVALID, errHas: "不是工作日"},
		{name: "delayed deadline without the applicant's reasons",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.askExplanation("2026-02-12")
				l.delay("2026-03-05", "2026-04-30")
			},
			wantErr: ECONFLICT, errHas: "尚未收到申请人说明的理由"},
		{name: "extension after a delayed deadline",
			ledger:  asked(func(l *ledgerBuilder) { l.delay("2026-03-05", "2026-04-30"); l.extend("2026-03-06", 5) }),
			wantErr: ECONFLICT, errHas: "不能再延长"},
		{
			// 03-16 + 10 = 03-30 after the extension; the delayed date must not
			// be earlier.
			name: "delayed deadline after an extension",
			ledger: asked(func(l *ledgerBuilder) {
				l.extend("2026-03-02", 10)
				l.delay("2026-03-05", "2026-03-27")
			}),
			wantErr: ECONFLICT, errHas: "2026年3月30日",
		},
		{
			name: "a consultation after a delayed deadline does not move it",
			ledger: asked(func(l *ledgerBuilder) {
				l.delay("2026-03-05", "2026-04-30")
				s := l.consult("2026-03-20", "某公司")
				l.replied(s, "2026-04-10")
			}),
			want: clockWant{state: ClockRunning, due: "2026-04-30", delayed: "2026-04-30", check: func(t *testing.T, c Clock) {
				if len(c.Pauses) != 1 || c.Pauses[0].Shifts {
					t.Errorf("Pauses = %+v, want one that does not shift", c.Pauses)
				}
			}},
		},
		{
			// The consultation sent 03-02 is still open; on 03-05 the due date
			// stood at 03-16 + (03-02, 03-05] = 3 → 03-19. The fixed date is not
			// held back by the open consultation: the clock runs.
			name: "delayed deadline set during an open consultation", today: "2026-03-20",
			ledger: asked(func(l *ledgerBuilder) {
				l.consult("2026-03-02", "某公司")
				l.delay("2026-03-05", "2026-04-30")
			}),
			want: clockWant{state: ClockRunning, due: "2026-04-30", delayed: "2026-04-30", pausedDays: 3,
				check: func(t *testing.T, c Clock) {
					if !strings.Contains(c.Explanation, "截至3月5日其间3个工作日不计入答复期限") {
						t.Errorf("Explanation = %q", c.Explanation)
					}
				}},
		},
		{
			name: "delayed deadline earlier than the due date during a consultation",
			ledger: asked(func(l *ledgerBuilder) {
				l.consult("2026-03-02", "某公司")
				l.delay("2026-03-05", "2026-03-18")
			}),
			wantErr: ECONFLICT, errHas: "2026年3月19日",
		},
		{name: "不予处理 under 第三十五条 without asking for reasons",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.add(EventAnswerIssued, "2026-03-02", EventData{Outcome: OutcomeMass})
			},
			wantErr: ECONFLICT, errHas: "先要求申请人说明理由"},
	})
}

// TestComputeClockStopsAndSequences covers the end of the clock, the
// relative fields and ledgers that break the order.
func TestComputeClockStopsAndSequences(t *testing.T) {
	feb10 := func(more func(l *ledgerBuilder)) func(l *ledgerBuilder) {
		return func(l *ledgerBuilder) { l.submit("2026-02-10"); l.confirm("2026-02-10"); more(l) }
	}
	runClockCases(t, []clockCase{
		{name: "answered in time", ledger: feb10(func(l *ledgerBuilder) { l.answer("2026-03-10") }),
			want: clockWant{state: ClockStopped, due: "2026-03-16", check: func(t *testing.T, c Clock) {
				// (03-10, 03-16] = 03-11..13, 03-16.
				if c.AsOf != MustParseDate("2026-03-10") || c.WorkingDaysLeft != 4 || c.Overdue || c.DueSoon {
					t.Errorf("AsOf, WorkingDaysLeft, Overdue, DueSoon = %s, %d, %v, %v", c.AsOf, c.WorkingDaysLeft, c.Overdue, c.DueSoon)
				}
			}}},
		{name: "answered late", ledger: feb10(func(l *ledgerBuilder) { l.answer("2026-03-18") }),
			want: clockWant{state: ClockStopped, due: "2026-03-16", check: func(t *testing.T, c Clock) {
				if c.OverdueBy != 2 || c.Overdue || !strings.Contains(c.Explanation, "超过答复期限2个工作日") {
					t.Errorf("OverdueBy, Overdue, Explanation = %d, %v, %q", c.OverdueBy, c.Overdue, c.Explanation)
				}
			}}},
		{name: "due soon", today: "2026-03-10", ledger: feb10(func(l *ledgerBuilder) {}),
			want: clockWant{state: ClockRunning, due: "2026-03-16", check: func(t *testing.T, c Clock) {
				if !c.DueSoon || c.WorkingDaysLeft != 4 || c.Overdue {
					t.Errorf("DueSoon, WorkingDaysLeft, Overdue = %v, %d, %v", c.DueSoon, c.WorkingDaysLeft, c.Overdue)
				}
			}}},
		{name: "due today is not overdue", today: "2026-03-16", ledger: feb10(func(l *ledgerBuilder) {}),
			want: clockWant{state: ClockRunning, due: "2026-03-16", check: func(t *testing.T, c Clock) {
				if c.Overdue || c.WorkingDaysLeft != 0 || !c.DueSoon {
					t.Errorf("Overdue, WorkingDaysLeft, DueSoon = %v, %d, %v", c.Overdue, c.WorkingDaysLeft, c.DueSoon)
				}
			}}},
		{name: "overdue", today: "2026-03-17", ledger: feb10(func(l *ledgerBuilder) {}),
			want: clockWant{state: ClockRunning, due: "2026-03-16", check: func(t *testing.T, c Clock) {
				if !c.Overdue || c.OverdueBy != 1 || c.DueSoon {
					t.Errorf("Overdue, OverdueBy, DueSoon = %v, %d, %v", c.Overdue, c.OverdueBy, c.DueSoon)
				}
			}}},
		{name: "withdrawn", ledger: feb10(func(l *ledgerBuilder) { l.withdraw("2026-02-20") }),
			want: clockWant{state: ClockStopped, due: "2026-03-16"}},
		{name: "consultation after the answer",
			ledger:  feb10(func(l *ledgerBuilder) { l.answer("2026-03-10"); l.consult("2026-03-11", "某公司") }),
			wantErr: ECONFLICT, errHas: "已答复"},
		{name: "a second answer",
			ledger:  feb10(func(l *ledgerBuilder) { l.answer("2026-03-10"); l.answer("2026-03-11") }),
			wantErr: ECONFLICT, errHas: "已答复"},
		{name: "withdrawal after the answer",
			ledger:  feb10(func(l *ledgerBuilder) { l.answer("2026-03-10"); l.withdraw("2026-03-11") }),
			wantErr: ECONFLICT, errHas: "已答复"},
		{name: "confirmed twice",
			ledger:  feb10(func(l *ledgerBuilder) { l.confirm("2026-02-11") }),
			wantErr: ECONFLICT, errHas: "不能重复确认"},
		{name: "events out of order",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.answer("2026-03-10")
				l.events[0].Seq, l.events[1].Seq = 2, 1
			},
			wantErr: EINVALID, errHas: "记录顺序有误"},
		{name: "dated before receipt",
			ledger:  feb10(func(l *ledgerBuilder) { l.consult("2026-02-09", "某公司") }),
			wantErr: EINVALID, errHas: "早于收到申请之日"},
		{name: "dated before an earlier step",
			ledger:  feb10(func(l *ledgerBuilder) { l.consult("2026-02-20", "某公司"); l.fee("2026-02-19") }),
			wantErr: EINVALID, errHas: "请按发生的先后登记"},
		{name: "answer before receipt is confirmed",
			ledger:  func(l *ledgerBuilder) { l.submit("2026-02-10"); l.answer("2026-02-11") },
			wantErr: ECONFLICT, errHas: "待确认"},
		{name: "incomplete event",
			ledger:  feb10(func(l *ledgerBuilder) { l.add(EventExtensionApproved, "2026-03-01", EventData{}) }),
			wantErr: EINVALID, errHas: "信息不完整"},
		{name: "invalid agency settings", ledger: feb10(func(l *ledgerBuilder) {}),
			rules:   func(r *ClockRules) { r.AnswerDays = 30 },
			wantErr: EINVALID},
	})
}

func TestClockExplanation(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	tests := []struct {
		name   string
		ledger func(l *ledgerBuilder)
		want   string
	}{
		{
			name:   "20 working days across 春节 2026",
			ledger: func(l *ledgerBuilder) { l.confirm("2026-02-10") },
			want:   "自2026年2月10日收到申请的次日起算20个工作日，2月15日至23日春节假期不计，2月14日、2月28日调休上班计入，答复期限为2026年3月16日。",
		},
		{
			name: "a consultation across 清明 2025",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2025-03-03")
				s := l.consult("2025-03-10", "某公司")
				l.replied(s, "2025-03-14")
			},
			want: "自2025年3月3日收到申请的次日起算20个工作日，答复期限为2025年3月31日。" +
				"3月10日向某公司发出征求意见书，3月14日收到答复，其间4个工作日不计入答复期限（条例第三十三条第三款），" +
				"答复期限顺延至2025年4月7日（4月4日至6日清明节假期不计）。",
		},
		{
			name: "an extension",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-02-10")
				l.extend("2026-03-16", 20)
				l.answer("2026-04-10")
			},
			want: "自2026年2月10日收到申请的次日起算20个工作日，2月15日至23日春节假期不计，2月14日、2月28日调休上班计入，答复期限为2026年3月16日。" +
				"3月16日经政府信息公开工作机构负责人同意，延长答复期限20个工作日（条例第三十三条第二款），答复期限由3月16日延至2026年4月14日（4月4日至6日清明节假期不计）。" +
				"4月10日作出答复，计时结束。",
		},
		{
			name: "a correction",
			ledger: func(l *ledgerBuilder) {
				l.confirm("2026-03-02")
				l.correction("2026-03-05", "2026-03-26", "")
				l.corrected("2026-03-20")
			},
			want: "2026年3月2日收到申请，2026年3月5日发出补正告知书，2026年3月20日收到补正后的申请。" +
				"自2026年3月20日收到补正后的申请的次日起重新起算20个工作日，4月4日至6日清明节假期不计，答复期限为2026年4月20日。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tt.ledger(l)
			c, err := ComputeClock(l.events, cal, DefaultClockRules(), MustParseDate("2026-12-31"))
			if err != nil {
				t.Fatal(err)
			}
			if c.Explanation != tt.want {
				t.Errorf("Explanation:\n got %s\nwant %s", c.Explanation, tt.want)
			}
		})
	}
}

func TestComputeDeadline(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	d := MustParseDate
	tests := []struct {
		name      string
		received  string
		corrected string
		pauses    []DateRange
		extend    bool
		want      string
		wantErr   Code
	}{
		{name: "plain", received: "2026-02-10", want: "2026-03-16"},
		{name: "extended", received: "2026-02-10", extend: true, want: "2026-04-14"},
		{name: "corrected", received: "2026-03-02", corrected: "2026-03-20", want: "2026-04-20"},
		{name: "paused across 春节", received: "2026-01-20",
			pauses: []DateRange{{d("2026-02-03"), d("2026-03-04")}}, want: "2026-03-18"},
		{name: "overlapping pauses given out of order", received: "2025-03-03",
			pauses: []DateRange{{d("2025-03-14"), d("2025-03-25")}, {d("2025-03-10"), d("2025-03-20")}}, want: "2025-04-16"},
		// 04-07 + 20: 04-08..11 (4), 04-14..18 (9), 04-21..25 (14), 04-27 Sun (15),
		// 04-28..30 (18), [05-01..05], 05-06..07 (20).
		{name: "paused and extended", received: "2025-03-03",
			pauses: []DateRange{{d("2025-03-10"), d("2025-03-14")}}, extend: true, want: "2025-05-07"},
		{name: "pause before receipt", received: "2025-03-03",
			pauses: []DateRange{{d("2025-03-01"), d("2025-03-14")}}, wantErr: EINVALID},
		{name: "pause ends before it starts", received: "2025-03-03",
			pauses: []DateRange{{d("2025-03-14"), d("2025-03-10")}}, wantErr: EINVALID},
		{name: "corrected before received", received: "2025-03-03", corrected: "2025-03-01", wantErr: EINVALID},
		{name: "beyond the calendar", received: "2026-12-20", wantErr: EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var corrected Date
			if tt.corrected != "" {
				corrected = d(tt.corrected)
			}
			c, err := ComputeDeadline(cal, DefaultClockRules(), d(tt.received), corrected, tt.pauses, tt.extend)
			if tt.wantErr != "" {
				if ErrorCode(err) != tt.wantErr {
					t.Fatalf("err = %v, want code %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.DueOn != d(tt.want) {
				t.Errorf("DueOn = %s, want %s\n%s", c.DueOn, tt.want, c.Explanation)
			}
		})
	}
}

// syntheticLedgers returns n ledgers in a realistic mix: most running or
// answered, some with a correction, a consultation, a fee or an extension,
// a few pending.
func syntheticLedgers(n int) [][]Event {
	rng := rand.New(rand.NewPCG(2026, 11))
	first := MustParseDate("2024-01-02")
	out := make([][]Event, n)
	for i := range out {
		l := &ledgerBuilder{}
		on := first.AddDays(rng.IntN(960)) // receipts through August 2026
		day := func(k int) string { return on.AddDays(k).String() }
		l.submit(day(0))
		kind := rng.IntN(100)
		if kind < 5 {
			out[i] = l.events
			continue
		}
		l.confirm(day(0))
		l.add(EventAssigned, day(1), EventData{SectionID: 1, Role: RoleLead})
		switch {
		case kind < 13:
			l.correction(day(2), day(30), "")
			l.corrected(day(9))
		case kind < 25:
			s := l.consult(day(5), "某公司")
			l.delivered(s, day(7))
			if rng.IntN(2) == 0 {
				l.replied(s, day(12))
			}
		case kind < 32:
			l.fee(day(4))
			l.feeDelivered(day(6))
			l.feePaid(day(10))
		case kind < 37:
			l.extend(day(20), 10)
		}
		if rng.IntN(100) < 40 {
			l.answer(day(25))
		}
		out[i] = l.events
	}
	return out
}

// BenchmarkComputeClock recomputes the clock of 100,000 synthetic
// applications per op; ns/app is the cost of one.
func BenchmarkComputeClock(b *testing.B) {
	cal := MustBuiltinCalendar(b)
	rules := DefaultClockRules()
	ledgers := syntheticLedgers(100_000)
	today := MustParseDate("2026-11-30")
	for _, l := range ledgers {
		if _, err := ComputeClock(l, cal, rules, today); err != nil {
			b.Fatalf("synthetic ledger %v: %v", l, err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, l := range ledgers {
			if _, err := ComputeClock(l, cal, rules, today); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ledgers)), "ns/app")
}
