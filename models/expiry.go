package models

// Expiries: periods that end without the applicant or the consulted party
// acting. The daily job asks DueExpiries what the ledger calls for and
// appends it, so nobody has to remember to close a case.

// DueExpiries returns the expiry events that the ledger calls for on today,
// in the order to append them:
//
//   - a consultation (征求意见) whose reply period — 15 working days from the
//     day the consulted party received the 征求意见书 (条例第三十二条、第三十四条)
//     — ended without a reply: EventConsultationExpired. The clock resumes;
//     for a co-producing agency silence counts as consent, for a third party
//     the agency decides (the consequence is for the answer, not the clock).
//   - a fee notice unpaid 20 working days after the day after its delivery
//     (国办函〔2020〕109号): EventFeeExpired, the case ends as 其他处理-2.
//   - a correction notice whose period ended without a correction
//     (条例第三十条): EventCorrectionExpired, the case ends as 其他处理-1.
//
// Each event takes effect on the first day after its period (the last day
// of a period is still in time), or on the latest date already on the
// clock's main line if that is later, so that a job run late still records
// when the period ran out. A period whose start (delivery) is not recorded
// never expires: staff must record the delivery. Events are built for
// ActorSystem; the caller appends them one by one through CanAppend, which
// checks each again. A ledger that needs a calendar year not loaded gives
// ErrBeyondCalendar.
func DueExpiries(events []Event, cal *Calendar, rules ClockRules, today Date) ([]Event, error) {
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	lg, err := replayLedger(events)
	if err != nil {
		return nil, err
	}
	st := lg.state.Status
	if lg.confirmed.Seq == 0 || st == "" || !st.Open() {
		return nil, nil
	}
	lastMain := lg.lastMain.On
	effective := func(until Date) Date {
		d := until.AddDays(1)
		if d.Before(lastMain) {
			return lastMain
		}
		return d
	}
	var out []Event
	for _, c := range lg.consultations {
		if !c.open() || c.deliveredOn.IsZero() {
			continue
		}
		until, err := cal.AddWorkingDays(c.deliveredOn, rules.ConsultationDays)
		if err != nil {
			return nil, err
		}
		if today.After(until) {
			on := until.AddDays(1)
			if on.Before(c.sent.On) {
				on = c.sent.On
			}
			out = append(out, Event{Kind: EventConsultationExpired, On: on, ActorKind: ActorSystem,
				Data: EventData{Ref: c.sent.Seq}})
		}
	}
	switch {
	case st == StatusCorrecting:
		n := lg.corrections[len(lg.corrections)-1].notice
		if today.After(n.Data.DueOn) {
			out = append(out, Event{Kind: EventCorrectionExpired, On: effective(n.Data.DueOn), ActorKind: ActorSystem})
		}
	case lg.fee != nil && lg.fee.open() && !lg.fee.deliveredOn.IsZero():
		until, err := cal.AddWorkingDays(lg.fee.deliveredOn, rules.FeePaymentDays)
		if err != nil {
			return nil, err
		}
		if today.After(until) {
			out = append(out, Event{Kind: EventFeeExpired, On: effective(until), ActorKind: ActorSystem})
		}
	}
	return out, nil
}
