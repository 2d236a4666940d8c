package models

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// The 2026 Spring Festival: 2-14 (Sat) is a 调休 working day, 2-15 to
// 2-23 are off. From Tuesday 2026-02-10 the working days are 2-11, 2-12,
// 2-13, 2-14, 2-24 (the fifth), 2-25 (the sixth).
func TestNewDueWindow(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	rules := DefaultClockRules()
	for _, tc := range []struct {
		today, soonBefore string
		days              int
	}{
		{"2026-02-10", "2026-02-25", 5},
		{"2026-02-13", "2026-02-28", 5}, // 2-14, 2-24 … 2-27, and 2-28 (调休) is the sixth
		{"2026-02-10", "2026-02-11", 0}, // only today's due dates
		{"2026-12-24", "2027-01-01", 5}, // the window runs past the calendar
	} {
		rules.DueSoonDays = tc.days
		w, err := NewDueWindow(cal, rules, MustParseDate(tc.today))
		if err != nil {
			t.Fatalf("%s: %v", tc.today, err)
		}
		if w.SoonBefore != MustParseDate(tc.soonBefore) {
			t.Errorf("%s with %d days: SoonBefore = %s, want %s", tc.today, tc.days, w.SoonBefore, tc.soonBefore)
		}
	}
	if _, err := NewDueWindow(cal, DefaultClockRules(), MustParseDate("2031-05-01")); !errors.Is(err, ErrBeyondCalendar) {
		t.Errorf("today beyond the calendar: %v", err)
	}
}

// TestClassifyAgreesWithClock: for every due date around the window, the
// classification of the stored columns is what ComputeClock says of a
// running clock with that due date.
func TestClassifyAgreesWithClock(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	rules := DefaultClockRules()
	today := MustParseDate("2026-02-10")
	w, err := NewDueWindow(cal, rules, today)
	if err != nil {
		t.Fatal(err)
	}
	for received := MustParseDate("2025-12-20"); received.Before(today); received = received.AddDays(1) {
		var l ledgerBuilder
		l.submit(received.String())
		l.confirm(received.String())
		c, err := ComputeClock(l.events, cal, rules, today)
		if err != nil {
			t.Fatal(err)
		}
		got := w.Classify(StatusProcessing, c.State, c.DueOn)
		want := NotUrgent
		switch {
		case c.Overdue:
			want = Overdue
		case c.DueSoon:
			want = DueSoon
		}
		if got != want {
			t.Errorf("received %s, due %s: Classify = %d, clock says %d", received, c.DueOn, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	w := DueWindow{Today: MustParseDate("2026-02-10"), SoonBefore: MustParseDate("2026-02-25")}
	for _, tc := range []struct {
		name  string
		st    Status
		clock ClockState
		due   string
		want  Urgency
	}{
		{"due today", StatusProcessing, ClockRunning, "2026-02-10", DueSoon},
		{"fifth working day", StatusProcessing, ClockRunning, "2026-02-24", DueSoon},
		{"sixth working day", StatusProcessing, ClockRunning, "2026-02-25", NotUrgent},
		{"yesterday", StatusProcessing, ClockRunning, "2026-02-09", Overdue},
		{"paused, due soon", StatusConsulting, ClockPaused, "2026-02-12", NotUrgent},
		{"paused, past due", StatusConsulting, ClockPaused, "2026-02-01", Overdue},
		{"awaiting a correction", StatusCorrecting, ClockPaused, "", NotUrgent},
		{"pending", StatusPending, ClockNotStarted, "", NotUrgent},
		{"answered late", StatusAnswered, ClockStopped, "2026-01-05", NotUrgent},
		{"explaining, running", StatusExplaining, ClockRunning, "2026-02-11", DueSoon},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var due Date
			if tc.due != "" {
				due = MustParseDate(tc.due)
			}
			if got := w.Classify(tc.st, tc.clock, due); got != tc.want {
				t.Errorf("Classify = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestTallyOpen(t *testing.T) {
	w := DueWindow{Today: MustParseDate("2026-02-10"), SoonBefore: MustParseDate("2026-02-25")}
	d := MustParseDate
	groups := []OpenGroup{
		{StatusPending, ClockNotStarted, Date{}, 0, 4},
		{StatusProcessing, ClockRunning, d("2026-02-09"), 1, 2},  // overdue
		{StatusProcessing, ClockRunning, d("2026-02-24"), 1, 3},  // due soon
		{StatusProcessing, ClockRunning, d("2026-03-10"), 2, 5},  // neither
		{StatusConsulting, ClockPaused, d("2026-02-12"), 2, 1},   // paused: neither
		{StatusCorrecting, ClockPaused, Date{}, 0, 1},            // unassigned, no due date
		{StatusAnswered, ClockStopped, d("2026-01-05"), 1, 100},  // closed: ignored
		{StatusProcessing, ClockRunning, d("2026-02-10"), 0, 1},  // due today, unassigned
		{StatusAwaitingFee, ClockRunning, d("2026-01-30"), 2, 2}, // fee wait counted: overdue
	}
	got := TallyOpen(groups, w)
	if got.Pending != 4 || got.Open != 15 || got.DueSoon != 4 || got.Overdue != 4 {
		t.Errorf("pending %d open %d due soon %d overdue %d, want 4 15 4 4", got.Pending, got.Open, got.DueSoon, got.Overdue)
	}
	want := map[int64]SectionLoad{
		0: {SectionID: 0, Lead: 2, DueSoon: 1},
		1: {SectionID: 1, Lead: 5, DueSoon: 3, Overdue: 2},
		2: {SectionID: 2, Lead: 8, Overdue: 2},
	}
	for id, l := range want {
		if g := got.Sections[id]; g == nil || *g != l {
			t.Errorf("section %d: %+v, want %+v", id, g, l)
		}
	}
	var statuses []Status
	byStatus := map[Status]int{}
	for _, sc := range got.ByStatus {
		statuses = append(statuses, sc.Status)
		byStatus[sc.Status] = sc.Count
	}
	wantStatuses := []Status{StatusPending, StatusProcessing, StatusCorrecting, StatusConsulting, StatusAwaitingFee, StatusExplaining}
	if !slices.Equal(statuses, wantStatuses) || byStatus[StatusProcessing] != 11 || byStatus[StatusExplaining] != 0 {
		t.Errorf("by status = %v", got.ByStatus)
	}
}

// TestAnswerTimes: the two-histogram sum equals the sum of each answer's
// working days.
func TestAnswerTimes(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	d := MustParseDate
	answers := []struct {
		section            int64
		received, answered string
	}{
		{1, "2026-01-05", "2026-01-30"},
		{1, "2026-02-09", "2026-03-06"}, // across the Spring Festival
		{1, "2026-02-09", "2026-02-10"},
		{2, "2025-12-29", "2026-01-20"}, // received last year, across 元旦
		{0, "2026-03-02", "2026-03-02"}, // same day
	}
	var issued, received []DayCount
	want := map[int64]AnswerTime{}
	var total AnswerTime
	for _, a := range answers {
		issued = append(issued, DayCount{a.section, d(a.answered), 1})
		received = append(received, DayCount{a.section, d(a.received), 1})
		n, err := cal.WorkingDaysBetween(d(a.received), d(a.answered))
		if err != nil {
			t.Fatal(err)
		}
		w := want[a.section]
		w.Count++
		w.Days += n
		want[a.section] = w
		total.Count++
		total.Days += n
	}
	got, gotTotal, err := AnswerTimes(cal, issued, received)
	if err != nil {
		t.Fatal(err)
	}
	if gotTotal != total || len(got) != len(want) {
		t.Errorf("total %+v, want %+v; per section %v", gotTotal, total, got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("section %d: %+v, want %+v", id, got[id], w)
		}
	}
	// 2026-01-05 → 01-30: 19 working days; 02-09 → 03-06: 02-10 … 02-14 (5),
	// 02-24 … 02-27 (4), 02-28 (调休, 1), 03-02 … 03-06 (5) = 15.
	if want[1].Days != 19+15+1 {
		t.Errorf("section 1 days %d, want 35 (the test's own arithmetic)", want[1].Days)
	}
	if got[1].Average() != 35.0/3 || (AnswerTime{}).Average() != 0 {
		t.Errorf("average = %v", got[1].Average())
	}
	if _, _, err := AnswerTimes(cal, []DayCount{{0, d("2031-01-05"), 1}}, []DayCount{{0, d("2030-12-30"), 1}}); !errors.Is(err, ErrBeyondCalendar) {
		t.Errorf("beyond the calendar: %v", err)
	}
}

func TestIsAnswer(t *testing.T) {
	for _, o := range Outcomes {
		want := o.Outcome != OutcomeNoCorrection && o.Outcome != OutcomeFeeUnpaid && o.Outcome != OutcomeWithdrawn
		if IsAnswer(o.Outcome) != want {
			t.Errorf("IsAnswer(%s) = %v", o.Outcome, !want)
		}
	}
	if IsAnswer("") {
		t.Error("an open case is an answer")
	}
}

func TestDaysTaken(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	d := MustParseDate
	today := d("2026-02-10")
	for _, tc := range []struct {
		received, closed string
		want             int
		ok               bool
	}{
		{"2026-01-05", "2026-01-30", 19, true},
		{"2026-02-02", "", 6, true}, // open: to today (02-03 … 02-06, 02-09, 02-10)
		{"", "", 0, false},          // pending
		{"2026-02-10", "2026-02-10", 0, true},
		{"2030-12-30", "2031-01-05", 0, false}, // beyond the calendar
	} {
		var rec, cl Date
		if tc.received != "" {
			rec = d(tc.received)
		}
		if tc.closed != "" {
			cl = d(tc.closed)
		}
		n, ok := DaysTaken(cal, rec, cl, today)
		if n != tc.want || ok != tc.ok {
			t.Errorf("DaysTaken(%s, %s) = %d, %v; want %d, %v", tc.received, tc.closed, n, ok, tc.want, tc.ok)
		}
	}
}

func TestTallyOutcomeGroups(t *testing.T) {
	got := TallyOutcomeGroups(map[Outcome]int{
		OutcomeProactive: 2, OutcomeDisclose: 3, OutcomePartial: 1, OutcomeWithholdSecret: 1, OutcomeWithholdQuery: 1,
		OutcomeNotHeld: 2, OutcomeNotThisAgency: 1, OutcomeStillUnclear: 1, OutcomeRepeat: 1, OutcomeMass: 1,
		OutcomeNoCorrection: 1, OutcomeFeeUnpaid: 1, OutcomeWithdrawn: 2, OutcomeOther: 1, "bogus": 9,
	})
	want := []int{5, 1, 2, 4, 2, 5}
	labels := []string{"予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"}
	for i, g := range got {
		if g.Count != want[i] || g.Label != labels[i] {
			t.Errorf("group %d = %+v, want %s %d", i, g, labels[i], want[i])
		}
	}
	// Every outcome falls in exactly one group.
	for _, o := range Outcomes {
		n := 0
		for _, g := range TallyOutcomeGroups(map[Outcome]int{o.Outcome: 1}) {
			n += g.Count
		}
		if n != 1 {
			t.Errorf("%s counted %d times", o.Outcome, n)
		}
	}
}

func TestMonthlyCounts(t *testing.T) {
	d := MustParseDate
	today := d("2026-02-10")
	if got := LastMonths(today, 12); got != d("2025-03-01") {
		t.Errorf("LastMonths = %s", got)
	}
	got := MonthlyCounts(today, 12, []DayCount{
		{0, d("2025-02-28"), 7}, // before the period
		{0, d("2025-03-01"), 1},
		{0, d("2025-03-31"), 2},
		{0, d("2025-12-31"), 3},
		{0, d("2026-01-01"), 4},
		{0, d("2026-02-10"), 5},
		{0, d("2026-02-11"), 9}, // after today
	})
	if len(got) != 12 || got[0].Label() != "2025年3月" || got[0].Count != 3 || got[9].Count != 3 ||
		got[10].Label() != "2026年1月" || got[10].ShortLabel() != "1月" || got[10].Count != 4 ||
		got[11].ShortLabel() != "2月" || got[11].Count != 5 {
		t.Errorf("months = %+v", got)
	}
	if got := LastMonths(d("2026-12-31"), 12); got != d("2026-01-01") {
		t.Errorf("LastMonths in December = %s", got)
	}
}

func TestTallyWaits(t *testing.T) {
	got := TallyWaits([]int{0, 1, 1, 2, 3, 5, 6, 30})
	want := []int{3, 2, 1, 2}
	for i, b := range got {
		if b.Count != want[i] {
			t.Errorf("bucket %s = %d, want %d", b.Label, b.Count, want[i])
		}
	}
	cal := MustBuiltinCalendar(t)
	if n, ok := WaitingDays(cal, MustParseDate("2026-02-13"), MustParseDate("2026-02-24")); n != 2 || !ok {
		t.Errorf("waited across the Spring Festival: %d %v, want 2", n, ok)
	}
	if n, ok := WaitingDays(cal, MustParseDate("2026-02-10"), MustParseDate("2026-02-10")); n != 0 || !ok {
		t.Errorf("submitted today: %d %v", n, ok)
	}
}

func TestDependentYears(t *testing.T) {
	years := []CalendarYear{{Year: 2025, Status: YearConfirmed}, {Year: 2026, Status: YearUnconfirmed, Source: "推算"},
		{Year: 2027, Status: YearUnconfirmed, Source: "推算"}}
	d := MustParseDate
	got := DependentYears(years, []DateRange{
		{d("2025-12-20"), d("2026-01-20")}, // touches 2026
		{d("2026-12-20"), d("2027-01-20")}, // touches 2026 and 2027
		{d("2027-12-28"), Date{}},          // no due date: needs 2028, not loaded
		{d("2025-03-01"), d("2025-03-28")}, // confirmed only
	})
	want := []CalendarDependence{{2026, false, "推算", 2}, {2027, false, "推算", 2}, {2028, true, "", 1}}
	if !slices.Equal(got, want) {
		t.Errorf("DependentYears = %+v, want %+v", got, want)
	}
	if len(DependentYears(years, nil)) != 0 {
		t.Error("years without open periods")
	}
}

func TestNiceMonthLabels(t *testing.T) {
	m := MonthCount{Year: 2026, Month: time.March}
	if m.Label() != "2026年3月" || m.ShortLabel() != "3月" {
		t.Errorf("labels %q %q", m.Label(), m.ShortLabel())
	}
}
