package models

// The office's overview (issue 8): what is due, what is late, what waits
// for confirmation, how the sections are loaded and how long answers take.
// The store aggregates the stored clock columns in SQL (one row per
// status, clock state, due date and section, never one per application);
// the rules that turn those groups into counts are here, as pure
// functions of the groups, the working-day calendar and "today", so that
// the dashboard, the daily reminders and the stored clock (ComputeClock)
// cannot disagree about what "due soon" or "overdue" means.

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"time"
)

// DueWindow fixes "today" and the edge of "due soon" for one count.
type DueWindow struct {
	Today Date
	// SoonBefore is the first day that is no longer due soon: a running
	// clock whose due date d has Today ≤ d < SoonBefore has at most
	// ClockRules.DueSoonDays working days left, which is Clock.DueSoon.
	SoonBefore Date
}

// NewDueWindow returns the window for today. Working days left are counted
// like Clock.WorkingDaysLeft, in (today, due]: a due date is due soon when
// it comes before the (DueSoonDays+1)-th working day after today. When
// that day lies beyond the loaded calendar, every due date the calendar
// can hold is due soon (a stored due date is never beyond it).
func NewDueWindow(cal *Calendar, rules ClockRules, today Date) (DueWindow, error) {
	if cal == nil || today.IsZero() {
		return DueWindow{}, Errorf(EINTERNAL, "缺少工作日日历或计算日期。")
	}
	edge, err := cal.AddWorkingDays(today, rules.DueSoonDays+1)
	if errors.Is(err, ErrBeyondCalendar) {
		last := 0
		for _, y := range cal.Years() {
			last = max(last, y.Year)
		}
		if last < today.Year() {
			return DueWindow{}, err
		}
		return DueWindow{Today: today, SoonBefore: NewDate(last+1, time.January, 1)}, nil
	}
	if err != nil {
		return DueWindow{}, err
	}
	return DueWindow{Today: today, SoonBefore: edge}, nil
}

// Urgency is how pressing an open application is.
type Urgency int

// Urgencies.
const (
	NotUrgent Urgency = iota
	DueSoon           // the clock runs and at most DueSoonDays working days are left
	Overdue           // open, received, and today is after its due date
)

// Classify applies the clock's rules (Clock.DueSoon, Clock.Overdue) to an
// application's stored columns: overdue when it is open, received and its
// due date has passed — whether or not a pause runs (a consultation sent
// after the due date does not make the delay good); due soon when its
// clock runs and the due date is within the window. A pending application
// has no due date (条例第三十一条), nor has one awaiting a correction
// (the period restarts on correction, 条例第三十条).
func (w DueWindow) Classify(st Status, clock ClockState, due Date) Urgency {
	if !st.Open() || st == StatusPending || due.IsZero() {
		return NotUrgent
	}
	if w.Today.After(due) {
		return Overdue
	}
	if clock == ClockRunning && due.Before(w.SoonBefore) {
		return DueSoon
	}
	return NotUrgent
}

// OpenGroup is one row of the store's aggregate over open applications:
// how many share a status, clock state, due date and lead section.
type OpenGroup struct {
	Status    Status
	Clock     ClockState
	DueOn     Date  // zero when none is stored
	SectionID int64 // the lead (主办) section, 0 when unassigned
	Count     int
}

// StatusCount is a count of applications in one status.
type StatusCount struct {
	Status Status
	Count  int
}

// SectionLoad is one section's share of the work: open applications it
// leads or assists with, how many of those it leads are late or nearly so,
// and the answers it led this year with their average time.
type SectionLoad struct {
	SectionID int64 // 0: not yet assigned to a section
	Lead      int   // open, received, the section is 主办
	Assist    int   // open, received, the section is 协办
	DueSoon   int   // of Lead
	Overdue   int   // of Lead
	Answers   AnswerTime
}

// AnswerTime is how many answers were issued and their average time in
// working days from receipt to issue (Days / Count).
type AnswerTime struct {
	Count int
	Days  int // the sum over the answers
}

// Average returns the average working days, 0 without answers.
func (a AnswerTime) Average() float64 {
	if a.Count == 0 {
		return 0
	}
	return float64(a.Days) / float64(a.Count)
}

// OpenTally is what TallyOpen counts.
type OpenTally struct {
	ByStatus []StatusCount // every open status in lifecycle order, zeros included
	Pending  int           // 待确认: no receipt yet
	Open     int           // received and not closed
	DueSoon  int
	Overdue  int
	// Sections are the lead sections' loads, keyed by section id (0 for
	// applications not yet assigned); Assist is filled by the caller.
	Sections map[int64]*SectionLoad
}

// TallyOpen counts the open groups for the window.
func TallyOpen(groups []OpenGroup, w DueWindow) OpenTally {
	t := OpenTally{Sections: map[int64]*SectionLoad{}}
	by := map[Status]int{}
	for _, g := range groups {
		if !g.Status.Open() {
			continue
		}
		by[g.Status] += g.Count
		if g.Status == StatusPending {
			t.Pending += g.Count
			continue
		}
		t.Open += g.Count
		sl := t.Sections[g.SectionID]
		if sl == nil {
			sl = &SectionLoad{SectionID: g.SectionID}
			t.Sections[g.SectionID] = sl
		}
		sl.Lead += g.Count
		switch w.Classify(g.Status, g.Clock, g.DueOn) {
		case DueSoon:
			t.DueSoon += g.Count
			sl.DueSoon += g.Count
		case Overdue:
			t.Overdue += g.Count
			sl.Overdue += g.Count
		}
	}
	for _, st := range Statuses {
		if st.Open() {
			t.ByStatus = append(t.ByStatus, StatusCount{st, by[st]})
		}
	}
	return t
}

// ClosedGroup is one row of the store's aggregate over applications
// closed in a period: how many share a status, outcome, lead section and
// closing day.
type ClosedGroup struct {
	Status    Status
	Outcome   Outcome
	SectionID int64
	ClosedOn  Date
	Count     int
}

// DayCount is a count of applications on one day, per section where the
// query groups by section (0 otherwise).
type DayCount struct {
	SectionID int64
	On        Date
	Count     int
}

// notAnswers are the outcomes that end a case without an answer letter:
// the expiries of 条例第三十条 and of the fee notice, and a withdrawal.
// Every other outcome is recorded when the answer is issued.
var notAnswers = []Outcome{OutcomeNoCorrection, OutcomeFeeUnpaid, OutcomeWithdrawn}

// NotAnswerOutcomes lists the outcomes that end a case without an answer,
// for the store's SQL.
func NotAnswerOutcomes() []Outcome { return slices.Clone(notAnswers) }

// IsAnswer reports whether a closed case with outcome o was answered: an
// answer letter was issued (答复, counted on the day it was issued, as the
// annual report counts it). The store's SQL applies the same test.
func IsAnswer(o Outcome) bool { return o != "" && !slices.Contains(notAnswers, o) }

// AnswerTimes sums the working days from receipt to answer per lead
// section and in total. The store gives two histograms of the same
// answers — by section and day issued, and by section and day received —
// because the working days in (received, issued] are
// WorkingDaysBetween(a, issued) − WorkingDaysBetween(a, received) for any
// earlier anchor a, so the sum over the answers needs only the two
// histograms, not a row per answer. Each answer counts once in Count (by
// its issue day).
func AnswerTimes(cal *Calendar, issued, received []DayCount) (map[int64]AnswerTime, AnswerTime, error) {
	out := map[int64]AnswerTime{}
	var total AnswerTime
	if len(issued) == 0 {
		return out, total, nil
	}
	anchor := issued[0].On
	for _, list := range [][]DayCount{issued, received} {
		for _, d := range list {
			if d.On.Before(anchor) {
				anchor = d.On
			}
		}
	}
	anchor = anchor.AddDays(-1)
	for _, d := range issued {
		n, err := cal.WorkingDaysBetween(anchor, d.On)
		if err != nil {
			return nil, AnswerTime{}, err
		}
		a := out[d.SectionID]
		a.Count += d.Count
		a.Days += n * d.Count
		out[d.SectionID] = a
		total.Count += d.Count
		total.Days += n * d.Count
	}
	for _, d := range received {
		n, err := cal.WorkingDaysBetween(anchor, d.On)
		if err != nil {
			return nil, AnswerTime{}, err
		}
		a := out[d.SectionID]
		a.Days -= n * d.Count
		out[d.SectionID] = a
		total.Days -= n * d.Count
	}
	return out, total, nil
}

// DaysTaken returns the working days an application has taken: from its
// receipt to its closing, or to today while it is open, counted like the
// answer period (in (received, end], 条例第三十三条). ok is false before
// receipt, or when a day lies beyond the loaded calendar.
func DaysTaken(cal *Calendar, received, closed, today Date) (days int, ok bool) {
	if received.IsZero() || cal == nil {
		return 0, false
	}
	end := closed
	if end.IsZero() {
		end = today
	}
	if end.Before(received) {
		return 0, false
	}
	n, err := cal.WorkingDaysBetween(received, end)
	if err != nil {
		return 0, false
	}
	return n, true
}

// OutcomeGroup is one of the six groups of outcomes in table 三 of the
// annual report (（一）予以公开 … （六）其他处理).
type OutcomeGroup struct {
	Label string // short: 予以公开
	Title string // as the report prints it: （一）予以公开
	Count int
}

// outcomeGroupLabels are the short labels of the six groups, in order.
var outcomeGroupLabels = [6][2]string{
	{"予以公开", "（一）予以公开"}, {"部分公开", "（二）部分公开"}, {"不予公开", "（三）不予公开"},
	{"无法提供", "（四）无法提供"}, {"不予处理", "（五）不予处理"}, {"其他处理", "（六）其他处理"},
}

// outcomeGroup returns the index (0–5) of a report row's group.
func outcomeGroup(r ReportRow) int {
	switch {
	case r == RowDisclosed:
		return 0
	case r == RowPartial:
		return 1
	case r >= RowWithheldSecret && r <= RowWithheldQuery:
		return 2
	case r >= RowUnavailableNotHeld && r <= RowUnavailableUnclear:
		return 3
	case r >= RowNotProcessedPetition && r <= RowNotProcessedConfirm:
		return 4
	case r >= RowOtherNoCorrection && r <= RowOtherOther:
		return 5
	}
	return -1
}

// TallyOutcomeGroups counts closed cases by the report's six groups: each
// outcome falls in the group of its one leaf row (Outcome.Row), so the
// groups add up to the report's （七）总计 for the same cases. Unknown
// outcomes are not counted.
func TallyOutcomeGroups(byOutcome map[Outcome]int) []OutcomeGroup {
	out := make([]OutcomeGroup, len(outcomeGroupLabels))
	for i, l := range outcomeGroupLabels {
		out[i] = OutcomeGroup{Label: l[0], Title: l[1]}
	}
	for o, n := range byOutcome {
		if g := outcomeGroup(o.Row()); g >= 0 {
			out[g].Count += n
		}
	}
	return out
}

// MonthCount is the number of applications received in one month.
type MonthCount struct {
	Year  int
	Month time.Month
	Count int
}

// Label returns the month as the chart prints it: 2026年2月.
func (m MonthCount) Label() string {
	return strconv.Itoa(m.Year) + "年" + strconv.Itoa(int(m.Month)) + "月"
}

// ShortLabel returns the month for a chart axis: 2月.
func (m MonthCount) ShortLabel() string { return strconv.Itoa(int(m.Month)) + "月" }

// LastMonths returns the first day of the period the monthly chart covers:
// the month n−1 months before today's, so that n months end with today's.
func LastMonths(today Date, n int) Date {
	y, m := today.Year(), int(today.Month())-(n-1)
	for m < 1 {
		m += 12
		y--
	}
	return NewDate(y, time.Month(m), 1)
}

// MonthlyCounts folds a per-day histogram into the n months that end with
// today's, oldest first; days outside them are ignored.
func MonthlyCounts(today Date, n int, days []DayCount) []MonthCount {
	first := LastMonths(today, n)
	out := make([]MonthCount, n)
	y, m := first.Year(), first.Month()
	for i := range out {
		out[i] = MonthCount{Year: y, Month: m}
		if m++; m > time.December {
			m, y = time.January, y+1
		}
	}
	for _, d := range days {
		if d.On.Before(first) || d.On.After(today) {
			continue
		}
		i := (d.On.Year()-first.Year())*12 + int(d.On.Month()) - int(first.Month())
		out[i].Count += d.Count
	}
	return out
}

// WaitBucket is a range of working days a pending application has waited
// for its receipt to be confirmed.
type WaitBucket struct {
	Label    string
	From, To int // working days, both included; To < 0: no upper bound
	Count    int
}

// waitBuckets are the ranges the dashboard shows.
var waitBuckets = []WaitBucket{
	{Label: "0–1个工作日", From: 0, To: 1},
	{Label: "2–3个工作日", From: 2, To: 3},
	{Label: "4–5个工作日", From: 4, To: 5},
	{Label: "6个工作日以上", From: 6, To: -1},
}

// WaitingDays returns the working days an application submitted on
// submitted has waited by today, counted like Clock.WaitingDays (the
// working days in (submitted, today]). ok is false beyond the calendar.
func WaitingDays(cal *Calendar, submitted, today Date) (int, bool) {
	if !today.After(submitted) {
		return 0, true
	}
	n, err := cal.WorkingDaysBetween(submitted, today)
	return n, err == nil
}

// TallyWaits counts pending applications by the working days they have
// waited. Nothing in the 条例 limits how long the office may take to
// confirm (条例第三十一条 only fixes the receipt date as the day of
// confirmation), so the buckets show the backlog rather than a breach.
func TallyWaits(waits []int) []WaitBucket {
	out := slices.Clone(waitBuckets)
	for _, w := range waits {
		for i := range out {
			if w >= out[i].From && (out[i].To < 0 || w <= out[i].To) {
				out[i].Count++
				break
			}
		}
	}
	return out
}

// CalendarDependence is a calendar year that open due dates depend on but
// that is not checked (未核对) or not loaded at all.
type CalendarDependence struct {
	Year    int
	Missing bool   // not loaded: those due dates could not be computed
	Source  string // where an unchecked year came from
	Count   int    // open applications whose period touches the year
}

// DependentYears returns the unchecked or missing calendar years that the
// periods of open applications carrying the calendar warning touch. A
// period runs from its receipt to its due date; one without a stored due
// date (it needs a year that is not loaded) runs to the first missing year
// after the loaded ones.
func DependentYears(years []CalendarYear, periods []DateRange) []CalendarDependence {
	byYear := map[int]CalendarYear{}
	last := 0
	for _, y := range years {
		byYear[y.Year] = y
		last = max(last, y.Year)
	}
	counts := map[int]*CalendarDependence{}
	for _, p := range periods {
		from, to := p.From.Year(), last+1
		if !p.To.IsZero() {
			to = p.To.Year()
		}
		if p.From.IsZero() {
			from = to
		}
		for y := from; y <= to; y++ {
			cy, loaded := byYear[y]
			if loaded && cy.Status != YearUnconfirmed {
				continue
			}
			d := counts[y]
			if d == nil {
				d = &CalendarDependence{Year: y, Missing: !loaded, Source: cy.Source}
				counts[y] = d
			}
			d.Count++
		}
	}
	out := make([]CalendarDependence, 0, len(counts))
	for _, d := range counts {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b CalendarDependence) int { return cmp.Compare(a.Year, b.Year) })
	return out
}

// Dashboard is the overview of one scope (the whole agency, or a section
// user's sections) on one day.
type Dashboard struct {
	Window DueWindow
	Open   OpenTally
	// Sections are the loads in the scope: every active section of the
	// agency (office), or the user's sections; the unassigned row (id 0)
	// first when there is one.
	Sections []SectionLoad
	// ClosedThisYear counts the applications closed from 1 January to
	// today by their closing status.
	ClosedThisYear []StatusCount
	Answers        AnswerTime // this year's answers in the scope
	Waits          []WaitBucket
	Months         []MonthCount   // received per month, the last 12
	Outcomes       []OutcomeGroup // this year's closed cases by group
	Calendar       []CalendarDependence
	// Partial names what could not be computed (a calendar year missing
	// for the average answer time), in Chinese; empty when all was.
	Partial []string
}

// DashboardMonths is how many months the intake chart shows.
const DashboardMonths = 12
