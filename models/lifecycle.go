package models

import (
	"errors"
	"fmt"
	"slices"
)

// LifecycleState is what an application's ledger says about it apart from
// the statutory clock (see ComputeClock): where it stands, how it ended and
// who handles it.
type LifecycleState struct {
	Status      Status
	Outcome     Outcome // set once the application is closed
	ClosedOn    Date    // the day the answer was issued, or the case ended otherwise
	SubmittedOn Date
	ReceivedOn  Date // 收到申请之日 (条例第三十一条); zero while pending

	SectionID        int64   // the lead (主办) section, 0 when none
	AssistSectionIDs []int64 // assisting (协办) sections
	// Assignments are the sections working on the application now, with
	// the internal due date the office gave each (see Clock.SectionDueOn):
	// the lead first, then the assisting sections in the order assigned.
	Assignments []Assignment

	AnswerDeliveredOn Date
	ArchivedOn        Date
}

// Lifecycle derives the application's status, outcome and lead section
// from its ledger, and checks that every event was allowed when it was
// recorded: the event kinds each status admits, their order, and their
// dates. It needs no calendar; ComputeClock adds the checks that do.
// An empty ledger has no status ("").
func Lifecycle(events []Event) (LifecycleState, error) {
	lg, err := replayLedger(events)
	if err != nil {
		return LifecycleState{}, err
	}
	return lg.state, nil
}

// CanAppend checks a proposed event against the ledger before the store
// appends it, inside the same transaction: the lifecycle (Lifecycle) and
// the clock (ComputeClock, with today's date). The error is a *Error whose
// message staff can read.
//
// When the calendar does not cover a date the clock needs, events whose
// validity does not depend on working days (an assignment, a draft, the
// answer itself) are still allowed, so that a missing calendar year never
// stops the office from working; the case shows a calendar warning instead.
// Events that are checked against working days (a correction notice, an
// extension, a delayed deadline, an expiry) are refused with the
// EUNAVAILABLE error until the year is loaded.
func CanAppend(events []Event, next Event, cal *Calendar, rules ClockRules, today Date) error {
	all := make([]Event, 0, len(events)+1)
	all = append(all, events...)
	all = append(all, next)
	_, err := ComputeClock(all, cal, rules, today)
	if err != nil && errors.Is(err, ErrBeyondCalendar) && !checkedByCalendar(next.Kind) {
		if _, lerr := replayLedger(all); lerr != nil {
			return lerr
		}
		return nil
	}
	return err
}

// checkedByCalendar lists the kinds whose own validity is a working-day
// question.
func checkedByCalendar(k EventKind) bool {
	switch k {
	case EventCorrectionRequested, EventConsultationExpired, EventFeeExpired,
		EventExtensionApproved, EventDelayedDeadlineSet:
		return true
	}
	return false
}

// ledgerCorrection is one 补正 round (条例第三十条).
type ledgerCorrection struct {
	notice    *Event
	corrected *Event // noEvent until the corrected application arrives
	expired   *Event // noEvent unless the period ended without correction
}

// ledgerConsultation is one 征求意见书 (条例第三十二条、第三十四条).
type ledgerConsultation struct {
	sent        *Event
	deliveredOn Date
	answeredOn  Date
	expired     *Event
}

func (c *ledgerConsultation) open() bool { return c.answeredOn.IsZero() && c.expired.Seq == 0 }

// ledgerFee is the 收费通知书 (国办函〔2020〕109号).
type ledgerFee struct {
	sent        *Event
	deliveredOn Date
	paidOn      Date
	expired     *Event
}

func (f *ledgerFee) open() bool { return f.paidOn.IsZero() && f.expired.Seq == 0 }

// noEvent stands for an event that has not happened (its Seq is 0), so
// that the replay can point into the caller's ledger without copying events
// or checking for nil. It is never written to.
var noEvent = &Event{}

// ledgerReplay is the ledger read once, in order: the lifecycle state and
// the facts the clock needs. Its events point into the ledger read.
type ledgerReplay struct {
	state         LifecycleState
	confirmed     *Event
	corrections   []ledgerCorrection
	consultations []*ledgerConsultation
	fee           *ledgerFee
	explainAsked  *Event
	explainGot    *Event
	extension     *Event
	extAsked      int // extension requests not yet decided
	delayed       *Event
	drafted       bool
	stop          *Event // answer_issued, withdrawn, correction_expired or fee_expired
	remedies      map[int]bool
	lastMain      *Event // the latest event on the clock's main line
	restartSeq    int    // Seq of the latest corrected event (the clock's restart), else of confirmed
	submittedSeen bool
}

func (lg *ledgerReplay) consultation(ref int) *ledgerConsultation {
	for _, c := range lg.consultations {
		if c.sent.Seq == ref {
			return c
		}
	}
	return nil
}

// mainLine lists the kinds that shape the clock. Their dates must follow
// the order in which they are recorded; follow-ups that record when
// something arrived (deliveries, replies, payments) may be recorded late and
// are checked against the notice they follow instead.
func mainLine(k EventKind) bool {
	switch k {
	case EventConfirmed, EventCorrectionRequested, EventCorrected, EventCorrectionExpired,
		EventConsultationSent, EventFeeNoticeSent, EventFeeExpired,
		EventExplanationRequested, EventExplanationReceived, EventDelayedDeadlineSet,
		EventExtensionApproved, EventAnswerIssued, EventWithdrawn:
		return true
	}
	return false
}

// replayLedger reads the events in order and checks each against the
// state the ledger was in when it was recorded.
func replayLedger(events []Event) (*ledgerReplay, error) {
	lg := &ledgerReplay{
		confirmed: noEvent, explainAsked: noEvent, explainGot: noEvent,
		extension: noEvent, delayed: noEvent, stop: noEvent, lastMain: noEvent,
	}
	prevSeq := 0
	for i := range events {
		e := &events[i]
		if err := e.Validate(); err != nil {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("第%d条记录（%s）信息不完整或有误。", e.Seq, e.Kind.Label()), Err: err}
		}
		if e.Seq <= prevSeq {
			return nil, Errorf(EINVALID, "记录顺序有误：第%d条记录排在第%d条记录之后。", e.Seq, prevSeq)
		}
		prevSeq = e.Seq
		if err := lg.apply(e); err != nil {
			return nil, err
		}
		lg.state.Status = lg.status()
	}
	return lg, nil
}

// status derives the current status from what is open.
func (lg *ledgerReplay) status() Status {
	st := &lg.state
	switch {
	case !st.ArchivedOn.IsZero():
		return StatusArchived
	case lg.stop.Seq != 0:
		switch lg.stop.Kind {
		case EventAnswerIssued:
			return StatusAnswered
		case EventWithdrawn:
			return StatusWithdrawn
		}
		return StatusTerminated
	case lg.confirmed.Seq == 0:
		if lg.submittedSeen {
			return StatusPending
		}
		return ""
	}
	if n := len(lg.corrections); n > 0 {
		c := lg.corrections[n-1]
		if c.corrected.Seq == 0 && c.expired.Seq == 0 {
			return StatusCorrecting
		}
	}
	if lg.fee != nil && lg.fee.open() {
		return StatusAwaitingFee
	}
	for _, c := range lg.consultations {
		if c.open() {
			return StatusConsulting
		}
	}
	if lg.explainAsked.Seq != 0 && lg.explainGot.Seq == 0 && lg.delayed.Seq == 0 {
		return StatusExplaining
	}
	return StatusProcessing
}

// refuse is the error for an event the current status does not admit.
func (lg *ledgerReplay) refuse(e *Event) error {
	if lg.state.Status == "" {
		return Errorf(ECONFLICT, "申请尚未登记，不能登记“%s”。", e.Kind.Label())
	}
	return Errorf(ECONFLICT, "申请当前状态为“%s”，不能登记“%s”。", lg.state.Status.Label(), e.Kind.Label())
}

// apply checks one event against the state before it and records it.
func (lg *ledgerReplay) apply(e *Event) error {
	st := &lg.state
	status := st.Status
	isOpen := status != "" && status.Open()
	received := lg.confirmed.Seq != 0
	// Working states: received, open, not waiting for a correction.
	working := received && isOpen && status != StatusCorrecting
	closed := status != "" && !status.Open()

	// Dates. After receipt nothing can happen before the receipt date
	// (条例第三十一条), and the clock's main line follows the order of the
	// ledger.
	if received && e.On.Before(st.ReceivedOn) {
		return Errorf(EINVALID, "“%s”的日期（%s）早于收到申请之日（%s）。", e.Kind.Label(), e.On.Chinese(), st.ReceivedOn.Chinese())
	}
	if mainLine(e.Kind) && lg.lastMain.Seq != 0 && e.On.Before(lg.lastMain.On) {
		return Errorf(EINVALID, "“%s”的日期（%s）早于此前登记的“%s”（%s），请按发生的先后登记。",
			e.Kind.Label(), e.On.Chinese(), lg.lastMain.Kind.Label(), lg.lastMain.On.Chinese())
	}

	switch e.Kind {
	case EventSubmitted:
		if status != "" {
			return lg.refuse(e)
		}
		lg.submittedSeen = true
		st.SubmittedOn = e.On

	case EventConfirmed:
		// 条例第三十一条: the receipt date starts the clock; it is fixed once.
		if status != "" && status != StatusPending {
			if received {
				return Errorf(ECONFLICT, "申请已于%s确认收到，不能重复确认。", st.ReceivedOn.Chinese())
			}
			return lg.refuse(e)
		}
		lg.confirmed = e
		lg.restartSeq = e.Seq
		st.ReceivedOn = e.On

	case EventWithdrawn:
		if !isOpen {
			return lg.refuse(e)
		}
		if !received && e.On.Before(st.SubmittedOn) {
			return Errorf(EINVALID, "撤回日期（%s）早于提交日期（%s）。", e.On.Chinese(), st.SubmittedOn.Chinese())
		}
		lg.close(e, OutcomeWithdrawn)

	case EventAssigned, EventReturned, EventReassigned:
		if !received || !isOpen {
			return lg.refuse(e)
		}
		if err := lg.route(e); err != nil {
			return err
		}

	case EventCorrectionRequested:
		// 条例第三十条. The notice comes before any other step of the
		// answer; the clock checks the 7 working days and a second notice.
		if status != StatusProcessing {
			return lg.refuse(e)
		}
		if lg.extension.Seq != 0 || lg.delayed.Seq != 0 {
			return Errorf(ECONFLICT, "答复期限已延长或已确定延迟答复期限，不能再发出补正告知书。")
		}
		if !e.Data.DueOn.After(e.On) {
			return Errorf(EINVALID, "补正期限（%s）应晚于补正告知书发出之日（%s）。", e.Data.DueOn.Chinese(), e.On.Chinese())
		}
		lg.corrections = append(lg.corrections, ledgerCorrection{notice: e, corrected: noEvent, expired: noEvent})

	case EventCorrected:
		if status != StatusCorrecting {
			return lg.refuse(e)
		}
		c := &lg.corrections[len(lg.corrections)-1]
		c.corrected = e
		lg.restartSeq = e.Seq // 条例第三十条: the clock restarts from this receipt

	case EventCorrectionExpired:
		if status != StatusCorrecting {
			return lg.refuse(e)
		}
		c := &lg.corrections[len(lg.corrections)-1]
		// The applicant may still correct on the last day of the period.
		if !e.On.After(c.notice.Data.DueOn) {
			return Errorf(ECONFLICT, "补正期限至%s，尚未届满。", c.notice.Data.DueOn.Chinese())
		}
		c.expired = e
		lg.close(e, OutcomeNoCorrection) // 条例第三十条: deemed abandoned

	case EventConsultationSent:
		if !working {
			return lg.refuse(e)
		}
		lg.consultations = append(lg.consultations, &ledgerConsultation{sent: e, expired: noEvent})

	case EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired:
		if !received || !isOpen {
			return lg.refuse(e)
		}
		c := lg.consultation(e.Data.Ref)
		if c == nil {
			return Errorf(EINVALID, "第%d条记录不是征求意见书，无法对应。", e.Data.Ref)
		}
		if e.On.Before(c.sent.On) {
			return Errorf(EINVALID, "“%s”的日期（%s）早于征求意见书发出之日（%s）。", e.Kind.Label(), e.On.Chinese(), c.sent.On.Chinese())
		}
		switch e.Kind {
		case EventConsultationDelivered:
			if !c.deliveredOn.IsZero() {
				return Errorf(ECONFLICT, "已登记被征求意见方于%s收到征求意见书。", c.deliveredOn.Chinese())
			}
			if !c.answeredOn.IsZero() && e.On.After(c.answeredOn) {
				return Errorf(EINVALID, "收到征求意见书的日期（%s）晚于答复日期（%s）。", e.On.Chinese(), c.answeredOn.Chinese())
			}
			c.deliveredOn = e.On
		case EventConsultationAnswered:
			if !c.answeredOn.IsZero() {
				return Errorf(ECONFLICT, "已登记于%s收到征求意见答复。", c.answeredOn.Chinese())
			}
			if e.On.Before(c.deliveredOn) {
				return Errorf(EINVALID, "答复日期（%s）早于被征求意见方收到征求意见书的日期（%s）。", e.On.Chinese(), c.deliveredOn.Chinese())
			}
			// A reply after the period ended is kept on file; the pause
			// ended with the period (the clock caps it).
			c.answeredOn = e.On
		case EventConsultationExpired:
			if !c.open() {
				return Errorf(ECONFLICT, "该征求意见已经结束，不能再登记期限届满。")
			}
			// The 15 working days run from delivery (条例第三十二条).
			if c.deliveredOn.IsZero() {
				return Errorf(ECONFLICT, "尚未登记被征求意见方收到征求意见书的日期，无法认定征求意见期限届满。")
			}
			c.expired = e
		}

	case EventFeeNoticeSent:
		if !working || status == StatusAwaitingFee {
			return lg.refuse(e)
		}
		// 国办函〔2020〕109号: one charge per application.
		if lg.fee != nil {
			return Errorf(ECONFLICT, "本申请已于%s发出收费通知书，不能再次发出。", lg.fee.sent.On.Chinese())
		}
		lg.fee = &ledgerFee{sent: e, expired: noEvent}

	case EventFeeNoticeDelivered, EventFeePaid, EventFeeExpired:
		if !received || !isOpen {
			return lg.refuse(e)
		}
		f := lg.fee
		if f == nil {
			return Errorf(ECONFLICT, "本申请没有发出收费通知书。")
		}
		if e.On.Before(f.sent.On) {
			return Errorf(EINVALID, "“%s”的日期（%s）早于收费通知书发出之日（%s）。", e.Kind.Label(), e.On.Chinese(), f.sent.On.Chinese())
		}
		switch e.Kind {
		case EventFeeNoticeDelivered:
			if !f.deliveredOn.IsZero() {
				return Errorf(ECONFLICT, "已登记申请人于%s收到收费通知书。", f.deliveredOn.Chinese())
			}
			if !f.paidOn.IsZero() && e.On.After(f.paidOn) {
				return Errorf(EINVALID, "收到收费通知书的日期（%s）晚于缴费日期（%s）。", e.On.Chinese(), f.paidOn.Chinese())
			}
			f.deliveredOn = e.On
		case EventFeePaid:
			if !f.open() {
				return Errorf(ECONFLICT, "收费事项已经结束，不能登记缴费。")
			}
			if e.On.Before(f.deliveredOn) {
				return Errorf(EINVALID, "缴费日期（%s）早于申请人收到收费通知书的日期（%s）。", e.On.Chinese(), f.deliveredOn.Chinese())
			}
			f.paidOn = e.On
		case EventFeeExpired:
			if !f.open() {
				return Errorf(ECONFLICT, "收费事项已经结束，不能登记缴费期限届满。")
			}
			// The 20 working days run from the day after delivery.
			if f.deliveredOn.IsZero() {
				return Errorf(ECONFLICT, "尚未登记申请人收到收费通知书的日期，无法认定缴费期限届满。")
			}
			f.expired = e
			lg.close(e, OutcomeFeeUnpaid)
		}

	case EventExplanationRequested:
		// 条例第三十五条: once per application.
		if !working {
			return lg.refuse(e)
		}
		if lg.explainAsked.Seq != 0 {
			return Errorf(ECONFLICT, "已于%s要求申请人说明理由。", lg.explainAsked.On.Chinese())
		}
		lg.explainAsked = e

	case EventExplanationReceived:
		if status != StatusExplaining {
			return lg.refuse(e)
		}
		lg.explainGot = e

	case EventDelayedDeadlineSet:
		// 条例第三十五条: the head sets a delayed deadline after judging the
		// applicant's reasons reasonable, so the reasons must be on file.
		if !working {
			return lg.refuse(e)
		}
		if lg.explainGot.Seq == 0 {
			return Errorf(ECONFLICT, "尚未收到申请人说明的理由，不能确定延迟答复期限（条例第三十五条）。")
		}
		if lg.delayed.Seq != 0 {
			return Errorf(ECONFLICT, "已于%s确定延迟答复期限。", lg.delayed.On.Chinese())
		}
		lg.delayed = e

	case EventExtensionRequested:
		if !working {
			return lg.refuse(e)
		}
		lg.extAsked++

	case EventExtensionRejected:
		if !working {
			return lg.refuse(e)
		}
		if lg.extAsked == 0 {
			return Errorf(ECONFLICT, "没有待审批的延期申请。")
		}
		lg.extAsked--

	case EventExtensionApproved:
		// 条例第三十三条第二款: once.
		if !working {
			return lg.refuse(e)
		}
		if lg.extension.Seq != 0 {
			return Errorf(ECONFLICT, "答复期限已于%s延长，只能延长一次（条例第三十三条）。", lg.extension.On.Chinese())
		}
		if lg.delayed.Seq != 0 {
			return Errorf(ECONFLICT, "已确定延迟答复期限（条例第三十五条），不能再延长答复期限。")
		}
		lg.extension = e
		if lg.extAsked > 0 {
			lg.extAsked--
		}

	case EventAnswerDrafted:
		if !working {
			return lg.refuse(e)
		}
		lg.drafted = true

	case EventAnswerReturned, EventAnswerReviewed, EventAnswerApproved:
		if !working {
			return lg.refuse(e)
		}
		if !lg.drafted {
			return Errorf(ECONFLICT, "尚未拟定答复意见。")
		}

	case EventAnswerIssued:
		// The answer waits for a correction or a fee payment to end.
		if !working || status == StatusAwaitingFee {
			return lg.refuse(e)
		}
		switch e.Data.Outcome {
		case OutcomeNoCorrection, OutcomeFeeUnpaid, OutcomeWithdrawn:
			return Errorf(EINVALID, "“%s”由相应的期限届满或撤回记录产生，不能作为答复结果登记。", e.Data.Outcome.Label())
		case OutcomeMass:
			// 条例第三十五条: 不予处理 follows a request to explain.
			if lg.explainAsked.Seq == 0 {
				return Errorf(ECONFLICT, "以“无正当理由大量反复申请”不予处理，应当先要求申请人说明理由（条例第三十五条）。")
			}
		case OutcomeStillUnclear:
			// 条例第三十条: only after a correction.
			if !lg.hasCorrected() {
				return Errorf(ECONFLICT, "“补正后申请内容仍不明确”只适用于已补正的申请（条例第三十条）。")
			}
		}
		lg.close(e, e.Data.Outcome)

	case EventAnswerDelivered:
		if status != StatusAnswered && !(status == StatusArchived && lg.stop.Kind == EventAnswerIssued) {
			return lg.refuse(e)
		}
		if !st.AnswerDeliveredOn.IsZero() {
			return Errorf(ECONFLICT, "已登记答复书于%s送达。", st.AnswerDeliveredOn.Chinese())
		}
		if e.On.Before(lg.stop.On) {
			return Errorf(EINVALID, "送达日期（%s）早于作出答复之日（%s）。", e.On.Chinese(), lg.stop.On.Chinese())
		}
		st.AnswerDeliveredOn = e.On

	case EventArchived:
		// 条例第四十五条: the file is archived once the case has ended.
		if !closed || status == StatusArchived {
			return lg.refuse(e)
		}
		if e.On.Before(st.ClosedOn) {
			return Errorf(EINVALID, "归档日期（%s）早于办结日期（%s）。", e.On.Chinese(), st.ClosedOn.Chinese())
		}
		st.ArchivedOn = e.On

	case EventReconsiderationRecorded, EventLitigationRecorded:
		// 条例第五十一条: an applicant may seek reconsideration or sue at any
		// stage, also against a failure to confirm or to answer in time, so
		// a remedy may be recorded whatever the status.
		if status == "" {
			return lg.refuse(e)
		}
		if e.On.Before(st.SubmittedOn) {
			return Errorf(EINVALID, "“%s”的日期（%s）早于提交申请之日（%s）。", e.Kind.Label(), e.On.Chinese(), st.SubmittedOn.Chinese())
		}
		if lg.remedies == nil {
			lg.remedies = map[int]bool{}
		}
		lg.remedies[e.Seq] = false

	case EventRemedyConcluded:
		done, ok := lg.remedies[e.Data.Ref]
		if !ok {
			return Errorf(EINVALID, "第%d条记录不是行政复议或行政诉讼。", e.Data.Ref)
		}
		if done {
			return Errorf(ECONFLICT, "该行政复议或行政诉讼已经审结。")
		}
		switch e.Data.Result {
		case ResultUpheld, ResultCorrected, ResultOther:
		default:
			return Errorf(EINVALID, "审结结果“%s”无效。", e.Data.Result)
		}
		lg.remedies[e.Data.Ref] = true

	case EventCalendarChangeApplied:
		if !received || !isOpen {
			return lg.refuse(e)
		}
	}

	if mainLine(e.Kind) {
		lg.lastMain = e
	}
	return nil
}

func (lg *ledgerReplay) hasCorrected() bool {
	for _, c := range lg.corrections {
		if c.corrected.Seq != 0 {
			return true
		}
	}
	return false
}

// close ends the case with the stop event e.
func (lg *ledgerReplay) close(e *Event, o Outcome) {
	lg.stop = e
	lg.state.Outcome = o
	lg.state.ClosedOn = e.On
}

// route applies an assignment, a return or a reassignment.
func (lg *ledgerReplay) route(e *Event) error {
	st := &lg.state
	id := e.Data.SectionID
	switch e.Kind {
	case EventAssigned:
		if id == st.SectionID || slices.Contains(st.AssistSectionIDs, id) {
			return Errorf(ECONFLICT, "该科室已承办本申请。")
		}
		if e.Data.Role == RoleLead {
			if st.SectionID != 0 {
				return Errorf(ECONFLICT, "本申请已有主办科室，请使用改派。")
			}
			st.SectionID = id
		} else {
			st.AssistSectionIDs = append(st.AssistSectionIDs, id)
		}
		lg.assign(Assignment{SectionID: id, Role: e.Data.Role, Since: e.On, Seq: e.Seq, InternalDueOn: e.Data.InternalDueOn})
	case EventReturned:
		switch {
		case id == st.SectionID:
			st.SectionID = 0
		case slices.Contains(st.AssistSectionIDs, id):
			st.AssistSectionIDs = slices.DeleteFunc(slices.Clone(st.AssistSectionIDs), func(v int64) bool { return v == id })
		default:
			return Errorf(ECONFLICT, "该科室没有承办本申请，不能退回。")
		}
		lg.unassign(id)
	case EventReassigned:
		if e.Data.FromSectionID != 0 && e.Data.FromSectionID != st.SectionID {
			return Errorf(ECONFLICT, "原主办科室与登记的不一致。")
		}
		if id == st.SectionID {
			return Errorf(ECONFLICT, "改派的科室与现主办科室相同。")
		}
		st.AssistSectionIDs = slices.DeleteFunc(slices.Clone(st.AssistSectionIDs), func(v int64) bool { return v == id })
		lg.unassign(st.SectionID)
		lg.unassign(id)
		st.SectionID = id
		lg.assign(Assignment{SectionID: id, Role: RoleLead, Since: e.On, Seq: e.Seq, InternalDueOn: e.Data.InternalDueOn})
	}
	return nil
}

// assign adds a section's assignment, keeping the lead first.
func (lg *ledgerReplay) assign(a Assignment) {
	as := slices.Clone(lg.state.Assignments)
	if a.Role == RoleLead {
		as = slices.Insert(as, 0, a)
	} else {
		as = append(as, a)
	}
	lg.state.Assignments = as
}

// unassign drops a section's assignment.
func (lg *ledgerReplay) unassign(sectionID int64) {
	if sectionID == 0 {
		return
	}
	lg.state.Assignments = slices.DeleteFunc(slices.Clone(lg.state.Assignments), func(a Assignment) bool { return a.SectionID == sectionID })
}
