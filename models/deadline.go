package models

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ClockRules are an agency's settings for the statutory clock. The defaults
// (DefaultClockRules) follow the 条例 and the product decisions in
// shared/domain/README.md; each field says where its value comes from.
type ClockRules struct {
	// AnswerDays is the answer period in working days. 条例第三十三条第二款:
	// 20 working days from receipt; an agency may not give itself more.
	AnswerDays int
	// ExtensionMaxDays is the longest extension in working days. 条例第三十三条
	// 第二款: at most 20, once, approved by the head of the disclosure office.
	ExtensionMaxDays int
	// CorrectionNoticeDays is the period for the correction notice in
	// working days. 条例第三十条: within 7 working days of receipt.
	CorrectionNoticeDays int
	// ConsultationDays is the period a consulted party has to reply, in
	// working days from the day it received the 征求意见书. 条例第三十二条
	// (third party) and 第三十四条 (co-producing agency): 15.
	ConsultationDays int
	// FeePaymentDays is the payment period in working days counted from the
	// day after the applicant received the fee notice. 国办函〔2020〕109号 as
	// restated by provincial notices (rules.md §2.4): 20.
	FeePaymentDays int
	// ExcludeFeeWait leaves the time from the fee notice to payment out of
	// the answer period, counted like a consultation. Whether the national
	// text says so could not be verified (rules.md §2.4), hence a setting.
	ExcludeFeeWait bool
	// AllowSecondCorrection allows one more correction notice, with a reason,
	// when the corrected application is still unclear. 条例第三十条 asks for
	// one complete notice (一次性告知), so it is off by default.
	AllowSecondCorrection bool
	// InternalDueOffset puts a section's internal due date this many working
	// days before the statutory one, leaving time for review, approval and
	// issuing (an internal rule under 条例第四十五条).
	InternalDueOffset int
	// DueSoonDays marks a running clock as due soon when this many working
	// days or fewer are left.
	DueSoonDays int
}

// DefaultClockRules returns the settings gongkai ships.
func DefaultClockRules() ClockRules {
	return ClockRules{
		AnswerDays:            20,
		ExtensionMaxDays:      20,
		CorrectionNoticeDays:  7,
		ConsultationDays:      15,
		FeePaymentDays:        20,
		ExcludeFeeWait:        true,
		AllowSecondCorrection: false,
		InternalDueOffset:     5,
		DueSoonDays:           5,
	}
}

// Validate checks the settings against the limits the 条例 sets.
func (r ClockRules) Validate() error {
	var fe []FieldError
	if r.AnswerDays < 1 || r.AnswerDays > 20 {
		fe = append(fe, FieldError{"answer_days", "答复期限应为1至20个工作日（条例第三十三条）。"})
	}
	if r.ExtensionMaxDays < 0 || r.ExtensionMaxDays > 20 {
		fe = append(fe, FieldError{"extension_max_days", "延长答复的期限最长不得超过20个工作日（条例第三十三条）。"})
	}
	if r.CorrectionNoticeDays < 1 || r.CorrectionNoticeDays > 7 {
		fe = append(fe, FieldError{"correction_notice_days", "补正告知期限应为1至7个工作日（条例第三十条）。"})
	}
	if r.ConsultationDays < 1 || r.ConsultationDays > 60 {
		fe = append(fe, FieldError{"consultation_days", "征求意见期限应为1至60个工作日（条例规定为15个工作日）。"})
	}
	if r.FeePaymentDays < 1 || r.FeePaymentDays > 60 {
		fe = append(fe, FieldError{"fee_payment_days", "缴费期限应为1至60个工作日（通常为20个工作日）。"})
	}
	if r.InternalDueOffset < 0 || r.InternalDueOffset >= r.AnswerDays {
		fe = append(fe, FieldError{"internal_due_offset", "内部办理期限提前的工作日数应小于答复期限。"})
	}
	if r.DueSoonDays < 0 || r.DueSoonDays > 20 {
		fe = append(fe, FieldError{"due_soon_days", "临近到期提醒应为0至20个工作日。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// ClockState is whether the statutory clock runs.
type ClockState string

// Clock states. Stored on the application row; do not change.
const (
	ClockNotStarted ClockState = "not_started" // pending: no receipt date yet (条例第三十一条)
	ClockRunning    ClockState = "running"
	ClockPaused     ClockState = "paused"  // a consultation or a fee wait (not counted), or a correction (restart)
	ClockStopped    ClockState = "stopped" // answered, withdrawn, or ended as abandoned
)

// PauseKind says why working days are not counted.
type PauseKind string

// Pause kinds.
const (
	PauseConsultation PauseKind = "consultation" // 条例第三十三条第三款 (consultations under 第三十二条、第三十四条)
	PauseFee          PauseKind = "fee"          // fee notice to payment, when ClockRules.ExcludeFeeWait
)

// PauseEnd says how a pause ended.
type PauseEnd string

// Pause ends.
const (
	PauseEndReply   PauseEnd = "reply"   // the consulted party's reply arrived
	PauseEndPayment PauseEnd = "payment" // the fee was paid
	PauseEndPeriod  PauseEnd = "period"  // the reply or payment period ran out
	PauseEndClosed  PauseEnd = "closed"  // the case ended while the pause was open
)

// Pause is a period whose working days are not counted in the answer
// period. The notice day (From) still counts; the working days in (From,
// To] do not, and the due date moves later by exactly that many working
// days (条例第三十三条第三款).
type Pause struct {
	Kind  PauseKind
	Ref   int    // Seq of the notice event
	Party string // the consulted party
	From  Date   // the day the notice went out
	To    Date   // the last day not counted; while open, the day the clock is computed for
	// Until is the end of the reply or payment period, counted from
	// DeliveredOn; zero while no delivery is recorded.
	Until       Date
	DeliveredOn Date
	Open        bool
	EndedBy     PauseEnd // "" while open
	Days        int      // working days in (From, To]
	// Shifts is false when the pause did not move the due date: the notice
	// went out after the due date had passed, or after a delayed deadline
	// (条例第三十五条) fixed the date.
	Shifts bool
}

// DateRange is a span of days, both ends included.
type DateRange struct {
	From Date
	To   Date
}

// Clock is the statutory clock of one application at a given day, derived
// from its ledger and the calendar by ComputeClock.
type Clock struct {
	State       ClockState
	PauseReason string // why the clock is paused, in Chinese

	ReceivedOn Date // 收到申请之日 (条例第三十一条)
	// StartedOn is the day the answer period is counted from: the receipt
	// date, or the receipt of the corrected application (条例第三十条).
	StartedOn Date
	Restarted bool // StartedOn is a corrected application's receipt

	// DueOn is the current statutory due date: after pauses, the extension
	// or a delayed deadline. It is zero while the clock has not started and
	// while a correction is awaited (the period restarts on correction).
	// While a pause is open it is provisional: the due date if the pause
	// ended on the day computed for; it moves later day by day.
	DueOn         Date
	OriginalDueOn Date // StartedOn + AnswerDays working days, before pauses and extension

	Extended      bool // 条例第三十三条第二款
	ExtensionDays int
	ExtendedOn    Date // the day the extension was approved
	DelayedDueOn  Date // 条例第三十五条: the delayed deadline that replaced the statutory one

	// InternalDueOn is the lead section's internal due date
	// (SectionDueOn of the lead assignment): the date the office gave on
	// assigning, else DefaultInternalDueOn.
	InternalDueOn Date
	// DefaultInternalDueOn is DueOn minus ClockRules.InternalDueOffset
	// working days: the internal due date of every section the office gave
	// no date of its own.
	DefaultInternalDueOn Date

	CorrectionNoticeBy Date // the last day for a correction notice (条例第三十条)
	CorrectionDueOn    Date // end of the correction period while a correction is awaited
	FeeDueOn           Date // the payment deadline, once the fee notice's delivery is recorded

	Pauses     []Pause
	PausedDays int // working days that moved the due date (overlaps counted once)

	StoppedOn Date // the day the clock stopped

	// Unconfirmed is true when a year the due date depends on has not been
	// checked against the State Council notice; Warning says which.
	Unconfirmed bool
	Warning     string

	// AsOf is the day the remaining fields are relative to: today for an
	// open case, the day the clock stopped for a closed one.
	AsOf            Date
	WorkingDaysLeft int  // working days in (AsOf, DueOn]; 0 once due
	OverdueBy       int  // working days in (DueOn, AsOf] when AsOf is after DueOn
	DueSoon         bool // running, not overdue, at most DueSoonDays working days left
	Overdue         bool // open and AsOf is after DueOn
	WaitingDays     int  // pending only: working days since it was submitted

	// Explanation says in Chinese how the due date was computed, naming the
	// holidays skipped and the 调休 days counted.
	Explanation string
	// PublicExplanation is Explanation for the applicant: a consulted third
	// party or agency is named only as 第三方 or 有关行政机关, since the
	// applicant is not told whom the agency consulted (条例第三十二条 protects
	// the third party's interests). Notices to the applicant and the
	// tracking page use it.
	PublicExplanation string
}

// ComputeClock derives the statutory clock from an application's ledger and
// the working-day calendar, for the day today (which only changes the
// relative fields and an open pause). It is a pure function.
//
// It checks the ledger as it goes and returns a *Error (ECONFLICT or
// EINVALID, with a message staff can read) for a ledger that breaks the
// rules, and the calendar's EUNAVAILABLE error (errors.Is
// ErrBeyondCalendar) when a working day it needs lies in a year that is not
// loaded: a deadline is never guessed.
func ComputeClock(events []Event, cal *Calendar, rules ClockRules, today Date) (Clock, error) {
	if cal == nil {
		return Clock{}, WrapError(EINTERNAL, fmt.Errorf("compute clock: no calendar"), "未载入工作日日历。")
	}
	if today.IsZero() {
		return Clock{}, WrapError(EINTERNAL, fmt.Errorf("compute clock: no date for today"), "缺少计算日期。")
	}
	if err := rules.Validate(); err != nil {
		return Clock{}, err
	}
	lg, err := replayLedger(events)
	if err != nil {
		return Clock{}, err
	}
	k := &clockCalc{cal: cal, rules: rules, lg: lg, asOf: today}
	if lg.stop.Seq != 0 {
		k.asOf = lg.stop.On
	}
	if err := k.compute(); err != nil {
		return Clock{}, err
	}
	return k.c, nil
}

// ComputeDeadline is the staff deadline calculator (and the `portal
// deadline` command): it builds a ledger from a receipt date, an optional
// corrected-application date, consultation-like pauses (From = the day the
// notice went out, To = the day the reply arrived) and an optional maximum
// extension decided on the due date, and runs ComputeClock on it, so the
// calculator and the cases use one engine. The relative fields are as of
// the start date.
func ComputeDeadline(cal *Calendar, rules ClockRules, received, corrected Date, pauses []DateRange, extend bool) (Clock, error) {
	if received.IsZero() {
		return Clock{}, Invalid(FieldError{"received", "请填写收到申请的日期。"})
	}
	start := received
	events := []Event{{Kind: EventConfirmed, On: received, Data: EventData{Channel: ChannelInPerson}}}
	if !corrected.IsZero() {
		if corrected.Before(received) {
			return Clock{}, Invalid(FieldError{"corrected", "收到补正申请的日期不能早于收到申请的日期。"})
		}
		events = append(events,
			Event{Kind: EventCorrectionRequested, On: received, Data: EventData{
				Items: []string{"期限计算"}, DueOn: corrected.AddDays(1), Reason: "期限计算"}},
			Event{Kind: EventCorrected, On: corrected})
		start = corrected
	}
	ps := slices.Clone(pauses)
	slices.SortFunc(ps, func(a, b DateRange) int { return a.From.Compare(b.From) })
	for _, p := range ps {
		if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
			return Clock{}, Invalid(FieldError{"pauses", "暂停期间的起止日期不完整或顺序颠倒。"})
		}
		if p.From.Before(start) {
			return Clock{}, Invalid(FieldError{"pauses", "暂停期间应当在收到申请（或补正申请）之后。"})
		}
		events = append(events, Event{Kind: EventConsultationSent, On: p.From,
			Data: EventData{Party: "第三方或有关机关", PartyKind: PartyThirdParty}})
		ref := len(events)
		events = append(events, Event{Kind: EventConsultationAnswered, On: p.To, Data: EventData{Ref: ref}})
	}
	number := func(evs []Event) []Event {
		for i := range evs {
			evs[i].Seq = i + 1
		}
		return evs
	}
	c, err := ComputeClock(number(events), cal, rules, start)
	if err != nil || !extend || rules.ExtensionMaxDays == 0 {
		return c, err
	}
	// 条例第三十三条: decided on the due date is still in time.
	events = append(events, Event{Kind: EventExtensionApproved, On: c.DueOn, Data: EventData{Days: rules.ExtensionMaxDays}})
	return ComputeClock(number(events), cal, rules, start)
}

// clockCalc holds one computation.
type clockCalc struct {
	cal   *Calendar
	rules ClockRules
	lg    *ledgerReplay
	asOf  Date
	c     Clock

	pauses []Pause     // in notice order (by Ref)
	steps  []clockStep // what moved the due date, for the explanation
	texts  []seqText
}

// clockStep is one move of the due date.
type clockStep struct {
	seq     int
	ext     bool  // the extension; otherwise a group of overlapping pauses
	members []int // indexes into pauses
	days    int
	shifts  bool
	before  Date
	after   Date
	clipped Date // the pauses were counted only up to this day (a delayed deadline was set)
}

type seqText struct {
	seq  int
	text string
}

func (k *clockCalc) say(seq int, format string, args ...any) {
	k.texts = append(k.texts, seqText{seq, fmt.Sprintf(format, args...)})
}

// day writes d without the year when it is in the year the count started.
func (k *clockCalc) day(d Date) string { return chineseDay(d, k.c.StartedOn.Year()) }

// full writes d with its year.
func full(d Date) string { return chineseDay(d, 0) }

func (k *clockCalc) compute() error {
	lg, c := k.lg, &k.c
	c.AsOf = k.asOf
	if lg.stop.Seq != 0 {
		c.StoppedOn = lg.stop.On
	}
	if lg.confirmed.Seq == 0 {
		return k.notStarted()
	}
	// 条例第三十一条: the receipt date.
	c.ReceivedOn = lg.confirmed.On
	c.StartedOn = c.ReceivedOn
	var err error
	// 条例第三十条: the correction notice within 7 working days of receipt.
	if c.CorrectionNoticeBy, err = k.cal.AddWorkingDays(c.ReceivedOn, k.rules.CorrectionNoticeDays); err != nil {
		return err
	}
	if err := k.checkCorrections(); err != nil {
		return err
	}
	for _, corr := range lg.corrections {
		if corr.corrected.Seq != 0 {
			// 条例第三十条: counted afresh from the corrected application's receipt.
			c.StartedOn = corr.corrected.On
			c.Restarted = true
		}
	}
	if n := len(lg.corrections); n > 0 && lg.corrections[n-1].corrected.Seq == 0 {
		k.correcting(lg.corrections[n-1])
		return k.finish()
	}

	// 条例第三十三条第二款: 20 working days, day 1 being the first working
	// day after receipt (次日起算, rules.md §1.5).
	if c.OriginalDueOn, err = k.cal.AddWorkingDays(c.StartedOn, k.rules.AnswerDays); err != nil {
		return err
	}
	k.baseText()
	if err := k.collectPauses(); err != nil {
		return err
	}
	if err := k.checkExtension(); err != nil {
		return err
	}

	if d := lg.delayed; d.Seq != 0 {
		// 条例第三十五条: the delayed deadline replaces the statutory one. It is
		// judged against the due date as it stood on the day it was set.
		cur, err := k.run(d.Seq, d.On, true)
		if err != nil {
			return err
		}
		if d.On.After(cur) {
			return Errorf(ECONFLICT, "确定延迟答复期限的日期（%s）晚于当时的答复期限（%s），应当在答复期限届满前确定。", d.On.Chinese(), cur.Chinese())
		}
		if d.Data.DueOn.Before(cur) {
			return Errorf(ECONFLICT, "延迟答复期限（%s）不得早于现行答复期限（%s）。", d.Data.DueOn.Chinese(), cur.Chinese())
		}
		ok, err := k.cal.IsWorkingDay(d.Data.DueOn)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(EINVALID, "延迟答复期限（%s）不是工作日，请确定为工作日。", d.Data.DueOn.Chinese())
		}
		c.DueOn, c.DelayedDueOn = d.Data.DueOn, d.Data.DueOn
		k.say(d.Seq, "%s确定延迟答复的合理期限（条例第三十五条），答复期限变更为%s。", k.day(d.On), d.Data.DueOn.Chinese())
		// Later pauses do not move a fixed date.
		for i := range k.pauses {
			if k.pauses[i].Ref > d.Seq {
				k.steps = append(k.steps, clockStep{seq: k.pauses[i].Ref, members: []int{i}})
			}
		}
	} else {
		if c.DueOn, err = k.run(math.MaxInt, Date{}, true); err != nil {
			return err
		}
	}
	if e := lg.extension; e.Seq != 0 {
		c.Extended, c.ExtensionDays, c.ExtendedOn = true, e.Data.Days, e.On
	}
	k.pauseTexts()

	// State.
	switch {
	case lg.stop.Seq != 0:
		c.State = ClockStopped
	default:
		c.State = ClockRunning
		var reasons []string
		for _, p := range k.pauses {
			// A delayed deadline (条例第三十五条) is a fixed date: no pause
			// holds it back.
			if p.Open && p.Shifts && c.DelayedDueOn.IsZero() {
				r := "征求意见中"
				if p.Kind == PauseFee {
					r = "等待缴纳信息处理费"
				}
				if !slices.Contains(reasons, r) {
					reasons = append(reasons, r)
				}
			}
		}
		if len(reasons) > 0 {
			c.State = ClockPaused
			c.PauseReason = strings.Join(reasons, "、")
		}
	}
	if k.rules.InternalDueOffset > 0 {
		if c.DefaultInternalDueOn, err = k.cal.AddWorkingDays(c.DueOn, -k.rules.InternalDueOffset); err != nil {
			return err
		}
	} else {
		c.DefaultInternalDueOn = c.DueOn
	}
	c.InternalDueOn = c.DefaultInternalDueOn
	if as := lg.state.Assignments; len(as) > 0 && as[0].Role == RoleLead {
		c.InternalDueOn = c.SectionDueOn(as[0])
	}
	k.warnUnconfirmed(c.StartedOn, c.DueOn)
	if err := k.relative(); err != nil {
		return err
	}
	k.explainStop()
	return k.finish()
}

// notStarted fills the clock of an application not yet received.
func (k *clockCalc) notStarted() error {
	lg, c := k.lg, &k.c
	if lg.stop.Seq != 0 {
		c.State = ClockStopped
		k.say(lg.stop.Seq, "%s申请人撤回申请，申请未经确认收到，未开始计算答复期限。", lg.stop.On.Chinese())
		return k.finish()
	}
	c.State = ClockNotStarted
	if sub := lg.state.SubmittedOn; !sub.IsZero() && k.asOf.After(sub) {
		n, err := k.cal.WorkingDaysBetween(sub, k.asOf)
		if err != nil {
			return err
		}
		c.WaitingDays = n
	}
	k.say(0, "申请尚待确认收到（条例第三十一条），答复期限自确认收到之日的次日起算；已等待%d个工作日。", c.WaitingDays)
	return k.finish()
}

// checkCorrections applies the rules of 条例第三十条 that need the calendar
// or the agency's settings.
func (k *clockCalc) checkCorrections() error {
	for i, corr := range k.lg.corrections {
		n := corr.notice
		switch {
		case i == 0:
			if n.On.After(k.c.CorrectionNoticeBy) && strings.TrimSpace(n.Data.Reason) == "" {
				return Errorf(ECONFLICT, "补正告知书应当在收到申请之日起%d个工作日内（%s前）发出（条例第三十条）；逾期发出的，请填写理由。",
					k.rules.CorrectionNoticeDays, k.c.CorrectionNoticeBy.Chinese())
			}
		case i == 1:
			if !k.rules.AllowSecondCorrection {
				return Errorf(ECONFLICT, "条例第三十条要求一次性告知需要补正的事项，本机关未开启再次补正。")
			}
			if strings.TrimSpace(n.Data.Reason) == "" {
				return Errorf(ECONFLICT, "再次发出补正告知书，须填写补正后申请内容仍不明确的理由。")
			}
		default:
			return Errorf(ECONFLICT, "补正告知书已发出两次，不能再次要求补正。")
		}
	}
	return nil
}

// correctionHistory tells the receipt and every correction round.
func (k *clockCalc) correctionHistory() string {
	var b strings.Builder
	b.WriteString(k.c.ReceivedOn.Chinese() + "收到申请")
	for _, corr := range k.lg.corrections {
		fmt.Fprintf(&b, "，%s发出补正告知书", corr.notice.On.Chinese())
		if corr.corrected.Seq != 0 {
			fmt.Fprintf(&b, "，%s收到补正后的申请", corr.corrected.On.Chinese())
		} else {
			fmt.Fprintf(&b, "（补正期限至%s）", corr.notice.Data.DueOn.Chinese())
		}
	}
	return b.String()
}

// correcting fills the clock while a correction is awaited or after the
// case ended during one.
func (k *clockCalc) correcting(corr ledgerCorrection) {
	c := &k.c
	c.CorrectionDueOn = corr.notice.Data.DueOn
	// The period restarts from zero on correction (条例第三十条), so no due
	// date runs meanwhile. The clock shows as paused, not stopped: the case
	// is open and waits for the applicant.
	switch {
	case k.lg.stop.Seq == 0:
		c.State = ClockPaused
		c.PauseReason = "待补正"
		k.say(corr.notice.Seq, "%s，答复期限自收到补正后的申请之日起重新计算（条例第三十条）。", k.correctionHistory())
	case k.lg.stop.Kind == EventCorrectionExpired:
		c.State = ClockStopped
		k.say(corr.notice.Seq, "%s。补正期限届满，申请人未补正，视为放弃申请（条例第三十条），%s终止办理，计时结束。",
			k.correctionHistory(), k.lg.stop.On.Chinese())
	default:
		c.State = ClockStopped
		k.say(corr.notice.Seq, "%s。%s申请人撤回申请，计时结束。", k.correctionHistory(), k.lg.stop.On.Chinese())
	}
}

// baseText is the first sentence: the count from receipt. It is written
// for every clock, so it avoids fmt.
func (k *clockCalc) baseText() {
	c := &k.c
	b := make([]byte, 0, 256)
	if c.Restarted {
		b = append(b, k.correctionHistory()...)
		b = append(b, "。自"...)
		b = appendChinese(b, c.StartedOn, true, true)
		b = append(b, "收到补正后的申请的次日起重新起算"...)
	} else {
		b = append(b, "自"...)
		b = appendChinese(b, c.StartedOn, true, true)
		b = append(b, "收到申请的次日起算"...)
	}
	b = strconv.AppendInt(b, int64(k.rules.AnswerDays), 10)
	b = append(b, "个工作日，"...)
	if notes := k.cal.Notes(c.StartedOn, c.OriginalDueOn, c.StartedOn.Year()); notes != "" {
		b = append(b, notes...)
		b = append(b, "，"...)
	}
	b = append(b, "答复期限为"...)
	b = appendChinese(b, c.OriginalDueOn, true, true)
	b = append(b, "。"...)
	k.texts = append(k.texts, seqText{k.lg.restartSeq, string(b)})
}

// collectPauses turns the consultations and the fee notice of the current
// count into pauses.
func (k *clockCalc) collectPauses() error {
	lg := k.lg
	for _, cs := range lg.consultations {
		if cs.sent.Seq < lg.restartSeq {
			continue // belongs to a count a correction discarded
		}
		p := Pause{Kind: PauseConsultation, Ref: cs.sent.Seq, Party: cs.sent.Data.Party, From: cs.sent.On, DeliveredOn: cs.deliveredOn}
		if !cs.deliveredOn.IsZero() {
			// 条例第三十二条、第三十四条: 15 working days from the day the
			// consulted party received the 征求意见书.
			var err error
			if p.Until, err = k.cal.AddWorkingDays(cs.deliveredOn, k.rules.ConsultationDays); err != nil {
				return err
			}
			if cs.expired.Seq != 0 && !cs.expired.On.After(p.Until) {
				return Errorf(ECONFLICT, "征求意见期限至%s，尚未届满，不能登记期限届满。", p.Until.Chinese())
			}
		}
		switch {
		case !cs.answeredOn.IsZero():
			p.To, p.EndedBy = cs.answeredOn, PauseEndReply
		case !p.Until.IsZero() && (cs.expired.Seq != 0 || k.asOf.After(p.Until)):
			p.To, p.EndedBy = p.Until, PauseEndPeriod
		default:
			p.Open = true
		}
		k.endPause(&p)
		k.pauses = append(k.pauses, p)
	}

	if f := lg.fee; f != nil && f.sent.Seq > lg.restartSeq {
		var until Date
		if !f.deliveredOn.IsZero() {
			// 国办函〔2020〕109号: 20 working days from the day after delivery.
			var err error
			if until, err = k.cal.AddWorkingDays(f.deliveredOn, k.rules.FeePaymentDays); err != nil {
				return err
			}
			k.c.FeeDueOn = until
			if f.expired.Seq != 0 && !f.expired.On.After(until) {
				return Errorf(ECONFLICT, "缴费期限至%s，尚未届满，不能登记缴费期限届满。", until.Chinese())
			}
		}
		if k.rules.ExcludeFeeWait {
			p := Pause{Kind: PauseFee, Ref: f.sent.Seq, From: f.sent.On, DeliveredOn: f.deliveredOn, Until: until}
			switch {
			case !f.paidOn.IsZero():
				p.To, p.EndedBy = f.paidOn, PauseEndPayment
			case !until.IsZero() && (f.expired.Seq != 0 || k.asOf.After(until)):
				p.To, p.EndedBy = until, PauseEndPeriod
			default:
				p.Open = true
			}
			k.endPause(&p)
			k.pauses = append(k.pauses, p)
		} else {
			k.say(f.sent.Seq, "%s发出收费通知书；按本机关设置，等待缴费的时间计入答复期限。", k.day(f.sent.On))
		}
	}
	slices.SortFunc(k.pauses, func(a, b Pause) int { return cmp.Compare(a.Ref, b.Ref) })
	for i := range k.pauses {
		p := &k.pauses[i]
		n, err := k.cal.WorkingDaysBetween(p.From, p.To)
		if err != nil {
			return err
		}
		p.Days = n
	}
	return nil
}

// endPause fixes the end of a pause: a reply or payment after the period
// counts only to the period's end, an open pause runs to the day computed
// for, and nothing runs past the day the case ended.
func (k *clockCalc) endPause(p *Pause) {
	if p.Open {
		p.To = k.asOf
	}
	if !p.Until.IsZero() && p.Until.Before(p.To) {
		p.To, p.EndedBy, p.Open = p.Until, PauseEndPeriod, false
	}
	if k.lg.stop.Seq != 0 {
		if p.Open || p.To.After(k.lg.stop.On) {
			p.To, p.EndedBy = k.lg.stop.On, PauseEndClosed
		}
		p.Open = false
	}
	if p.To.Before(p.From) {
		p.To = p.From
	}
}

// checkExtension applies 条例第三十三条第二款: at most ExtensionMaxDays, decided
// on or before the due date as it stood without the extension.
func (k *clockCalc) checkExtension() error {
	e := k.lg.extension
	if e.Seq == 0 {
		return nil
	}
	if e.Data.Days < 1 || e.Data.Days > k.rules.ExtensionMaxDays {
		return Errorf(EINVALID, "延长答复期限最长为%d个工作日，本次为%d个工作日。", k.rules.ExtensionMaxDays, e.Data.Days)
	}
	due, err := k.run(e.Seq, Date{}, false)
	if err != nil {
		return err
	}
	if e.On.After(due) {
		return Errorf(ECONFLICT, "延长答复期限应当在答复期限届满前决定（条例第三十三条），答复期限为%s，延期决定日期为%s。", due.Chinese(), e.On.Chinese())
	}
	return nil
}

// run computes the due date from OriginalDueOn, applying in ledger order
// the pauses whose notice precedes limit (by Seq) and the extension if it
// precedes limit. Overlapping pauses are merged so that no working day is
// left out twice. A clip date, when given, ends every pause on that day (the
// due date as it stood then). With record, the steps are kept for the
// explanation and the pauses' Shifts and the clock's PausedDays are set.
func (k *clockCalc) run(limit int, clip Date, record bool) (Date, error) {
	due := k.c.OriginalDueOn
	ext := k.lg.extension
	extDone := ext.Seq == 0 || ext.Seq >= limit
	addExt := func() error {
		before := due
		var err error
		if due, err = k.cal.AddWorkingDays(due, ext.Data.Days); err != nil {
			return err
		}
		extDone = true
		if record {
			k.steps = append(k.steps, clockStep{seq: ext.Seq, ext: true, days: ext.Data.Days, shifts: true, before: before, after: due})
		}
		return nil
	}
	end := func(p Pause) Date {
		if !clip.IsZero() && clip.Before(p.To) {
			return clip
		}
		return p.To
	}
	for i := 0; i < len(k.pauses); {
		first := k.pauses[i]
		if first.Ref >= limit {
			break
		}
		if !extDone && ext.Seq < first.Ref {
			if err := addExt(); err != nil {
				return Date{}, err
			}
		}
		// Merge the pauses that start inside this one: (a1, b1] ∪ (a2, b2]
		// with a2 ≤ b1 is (a1, max(b1, b2)].
		from, to, clipped := first.From, end(first), end(first) != first.To
		j := i + 1
		for j < len(k.pauses) && k.pauses[j].Ref < limit && !k.pauses[j].From.After(to) {
			if t := end(k.pauses[j]); t.After(to) {
				to = t
			}
			clipped = clipped || end(k.pauses[j]) != k.pauses[j].To
			j++
		}
		// 条例第三十三条第三款: the notice day counts; the working days after
		// it through the reply are not counted, moving the due date by as
		// many working days. A notice sent after the due date had passed
		// cannot revive an expired period.
		step := clockStep{seq: first.Ref, before: due}
		if clipped {
			step.clipped = clip
		}
		if !from.After(due) {
			n, err := k.cal.WorkingDaysBetween(from, to)
			if err != nil {
				return Date{}, err
			}
			if due, err = k.cal.AddWorkingDays(due, n); err != nil {
				return Date{}, err
			}
			step.days, step.shifts = n, true
		}
		step.after = due
		if record {
			for m := i; m < j; m++ {
				step.members = append(step.members, m)
				k.pauses[m].Shifts = step.shifts
			}
			if step.shifts {
				k.c.PausedDays += step.days
			}
			k.steps = append(k.steps, step)
		}
		i = j
	}
	if !extDone {
		if err := addExt(); err != nil {
			return Date{}, err
		}
	}
	return due, nil
}

// pauseTexts turns the recorded steps into sentences.
func (k *clockCalc) pauseTexts() {
	for _, s := range k.steps {
		if s.ext {
			var b strings.Builder
			fmt.Fprintf(&b, "%s经政府信息公开工作机构负责人同意，延长答复期限%d个工作日（条例第三十三条第二款），答复期限由%s延至%s",
				k.day(k.lg.extension.On), s.days, k.day(s.before), full(s.after))
			if notes := k.cal.Notes(s.before, s.after, k.c.StartedOn.Year()); notes != "" {
				b.WriteString("（" + notes + "）")
			}
			b.WriteString("。")
			k.texts = append(k.texts, seqText{s.seq, b.String()})
			continue
		}
		var descs []string
		open, fee, consult := false, false, false
		for _, m := range s.members {
			p := k.pauses[m]
			descs = append(descs, k.describePause(p))
			open = open || p.Open
			fee = fee || p.Kind == PauseFee
			consult = consult || p.Kind == PauseConsultation
		}
		var b strings.Builder
		b.WriteString(strings.Join(descs, "；"))
		if len(s.members) > 1 {
			b.WriteString("；上述期间相互重叠，重叠的工作日只计算一次")
		}
		switch {
		case s.shifts:
			var basis []string
			if consult {
				basis = append(basis, "条例第三十三条第三款")
			}
			if fee {
				basis = append(basis, "等待缴费的时间按本机关设置不计入")
			}
			notes := k.cal.Notes(s.before, s.after, k.c.StartedOn.Year())
			if notes != "" {
				notes = "（" + notes + "）"
			}
			switch {
			case !s.clipped.IsZero():
				fmt.Fprintf(&b, "，截至%s其间%d个工作日不计入答复期限（%s），答复期限顺延至%s%s",
					k.day(s.clipped), s.days, strings.Join(basis, "；"), full(s.after), notes)
			case open:
				fmt.Fprintf(&b, "。目前暂停计算答复期限（%s），截至%s已有%d个工作日不计入，答复期限暂顺延至%s%s，此后至恢复计算前的工作日均相应顺延",
					strings.Join(basis, "；"), k.day(k.asOf), s.days, full(s.after), notes)
			default:
				fmt.Fprintf(&b, "，其间%d个工作日不计入答复期限（%s），答复期限顺延至%s%s", s.days, strings.Join(basis, "；"), full(s.after), notes)
			}
		case !k.c.DelayedDueOn.IsZero() && k.pauses[s.members[0]].Ref > k.lg.delayed.Seq:
			b.WriteString("；延迟答复期限为确定的日期，不因此顺延")
		default:
			b.WriteString("；发出时答复期限已届满，不再顺延答复期限")
		}
		b.WriteString("。")
		k.texts = append(k.texts, seqText{s.seq, b.String()})
	}
	if e := k.lg.explainAsked; e.Seq != 0 && e.Seq > k.lg.restartSeq {
		// 条例第三十五条 lets the office ask for reasons and then set a delayed
		// deadline; nothing in the 条例 stops the clock meanwhile.
		k.say(e.Seq, "%s要求申请人说明理由（条例第三十五条），其间答复期限照常计算。", k.day(e.On))
	}
}

// describePause says what happened to one pause.
func (k *clockCalc) describePause(p Pause) string {
	var b strings.Builder
	if p.Kind == PauseConsultation {
		fmt.Fprintf(&b, "%s向%s发出征求意见书", k.day(p.From), p.Party)
		if !p.DeliveredOn.IsZero() {
			fmt.Fprintf(&b, "，对方于%s收到", k.day(p.DeliveredOn))
		}
		switch p.EndedBy {
		case PauseEndReply:
			fmt.Fprintf(&b, "，%s收到答复", k.day(p.To))
		case PauseEndPeriod:
			fmt.Fprintf(&b, "，征求意见期限于%s届满", k.day(p.Until))
		case PauseEndClosed:
			fmt.Fprintf(&b, "，至%s办结时尚未结束", k.day(p.To))
		default:
			if p.DeliveredOn.IsZero() {
				b.WriteString("，尚未登记对方收到的日期，征求意见期限无法起算，暂停至收到答复为止")
			} else {
				fmt.Fprintf(&b, "，尚未答复（征求意见期限至%s）", k.day(p.Until))
			}
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s发出收费通知书", k.day(p.From))
	if !p.DeliveredOn.IsZero() {
		fmt.Fprintf(&b, "，申请人于%s收到", k.day(p.DeliveredOn))
	}
	switch p.EndedBy {
	case PauseEndPayment:
		fmt.Fprintf(&b, "，%s缴费", k.day(p.To))
	case PauseEndPeriod:
		fmt.Fprintf(&b, "，缴费期限于%s届满", k.day(p.Until))
	case PauseEndClosed:
		fmt.Fprintf(&b, "，至%s办结时尚未缴费", k.day(p.To))
	default:
		if p.DeliveredOn.IsZero() {
			b.WriteString("，尚未登记申请人收到的日期，暂停至缴费为止")
		} else {
			fmt.Fprintf(&b, "，等待缴费（缴费期限至%s）", k.day(p.Until))
		}
	}
	return b.String()
}

// warnUnconfirmed sets the calendar warning when a year between from and to
// has not been checked against the notice.
func (k *clockCalc) warnUnconfirmed(from, to Date) {
	var years []string
	for y := from.Year(); y <= to.Year(); y++ {
		if k.cal.Unconfirmed(NewDate(y, 1, 1)) {
			cy, _ := k.cal.Year(y)
			s := strconv.Itoa(y) + "年"
			if cy.Source != "" {
				s += "（来源：" + cy.Source + "）"
			}
			years = append(years, s)
		}
	}
	if len(years) > 0 {
		k.c.Unconfirmed = true
		k.c.Warning = "答复期限用到的" + strings.Join(years, "、") + "节假日安排尚未核对，请系统管理员对照国务院办公厅的节假日安排通知核对后再以此期限为准。"
	}
}

// relative fills the fields relative to AsOf.
func (k *clockCalc) relative() error {
	c := &k.c
	if c.AsOf.After(c.DueOn) {
		n, err := k.cal.WorkingDaysBetween(c.DueOn, c.AsOf)
		if err != nil {
			return err
		}
		c.OverdueBy = n
		c.Overdue = c.State != ClockStopped
		return nil
	}
	n, err := k.cal.WorkingDaysBetween(c.AsOf, c.DueOn)
	if err != nil {
		return err
	}
	c.WorkingDaysLeft = n
	c.DueSoon = c.State == ClockRunning && n <= k.rules.DueSoonDays
	return nil
}

// explainStop adds the sentence for the end of the clock.
func (k *clockCalc) explainStop() {
	s := k.lg.stop
	switch s.Kind {
	case EventAnswerIssued:
		late := ""
		switch {
		case s.On.After(k.c.DueOn) && k.c.OverdueBy > 0:
			late = fmt.Sprintf("，超过答复期限%d个工作日", k.c.OverdueBy)
		case s.On.After(k.c.DueOn):
			late = "，晚于答复期限"
		}
		k.say(s.Seq, "%s作出答复%s，计时结束。", k.day(s.On), late)
	case EventWithdrawn:
		k.say(s.Seq, "%s申请人撤回申请，计时结束。", k.day(s.On))
	case EventFeeExpired:
		k.say(s.Seq, "缴费期限届满未缴费，视为放弃申请，%s终止办理，计时结束。", k.day(s.On))
	}
}

// finish joins the sentences in ledger order.
func (k *clockCalc) finish() error {
	slices.SortStableFunc(k.texts, func(a, b seqText) int { return cmp.Compare(a.seq, b.seq) })
	var b strings.Builder
	for _, t := range k.texts {
		b.WriteString(t.text)
	}
	k.c.Explanation = b.String()
	k.c.PublicExplanation = k.c.Explanation
	for _, cs := range k.lg.consultations {
		generic := "第三方"
		if cs.sent.Data.PartyKind == PartyCoProducer {
			generic = "有关行政机关"
		}
		if p := cs.sent.Data.Party; p != "" && p != generic {
			k.c.PublicExplanation = strings.ReplaceAll(k.c.PublicExplanation, "向"+p+"发出征求意见书", "向"+generic+"发出征求意见书")
		}
	}
	k.c.Pauses = k.pauses
	return nil
}
