package models

// Notices (告知书, 回执) the office issues while an application runs
// (rules.md §6.3). A notice is data: its kind and the fields it states,
// kept as JSON (NoticeBody) beside the PDF rendered from it
// (reports.WriteNotice), so that what a notice said can be read and
// reproduced from the record. The body holds only masked identity and
// contact data: it is stored in clear.

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// NoticeKind is what a notice is. The values are stored (notices.kind) and
// must not change; the kinds addressed to someone other than the
// applicant match store.noticeKindsToOthers.
type NoticeKind string

// Notice kinds.
const (
	NoticeReceipt           NoticeKind = "receipt"                  // 政府信息公开申请接收回执 (条例第三十一条)
	NoticeCorrection        NoticeKind = "correction"               // 补正告知书 (第三十条)
	NoticeConsultThirdParty NoticeKind = "consultation_third_party" // 征求意见书（给第三方） (第三十二条)
	NoticeConsultCoProducer NoticeKind = "consultation_co_producer" // 征求意见书（给共同制作机关） (第三十四条)
	NoticeConsultApplicant  NoticeKind = "consultation_applicant"   // 征求意见告知书（给申请人） (第三十三条第三款)
	NoticeFee               NoticeKind = "fee"                      // 收费通知书 (国办函〔2020〕109号)
	NoticeExtension         NoticeKind = "extension"                // 延期答复告知书 (第三十三条第二款)
	NoticeExplanation       NoticeKind = "explanation"              // 说明理由告知书 (第三十五条)
	NoticeDelayedDeadline   NoticeKind = "delayed_deadline"         // 延迟答复告知书 (第三十五条)
	// NoticeAnswer is the answer letter (答复书, 第三十六条至第三十九条). It
	// is numbered in the same series but rendered from the answer draft by
	// reports.WriteAnswer, not from a NoticeBody, so it is not in
	// NoticeKinds.
	NoticeAnswer NoticeKind = "answer"
)

// NoticeKinds lists the kinds of this package.
var NoticeKinds = []NoticeKind{NoticeReceipt, NoticeCorrection, NoticeConsultThirdParty, NoticeConsultCoProducer,
	NoticeConsultApplicant, NoticeFee, NoticeExtension, NoticeExplanation, NoticeDelayedDeadline}

// Title returns the notice's title as printed.
func (k NoticeKind) Title() string {
	switch k {
	case NoticeReceipt:
		return "政府信息公开申请接收回执"
	case NoticeCorrection:
		return "政府信息公开申请补正告知书"
	case NoticeConsultThirdParty, NoticeConsultCoProducer:
		return "政府信息公开申请征求意见书"
	case NoticeConsultApplicant:
		return "政府信息公开申请征求意见告知书"
	case NoticeFee:
		return "政府信息公开申请收费通知书"
	case NoticeExtension:
		return "政府信息公开申请延期答复告知书"
	case NoticeExplanation:
		return "政府信息公开申请说明理由告知书"
	case NoticeDelayedDeadline:
		return "政府信息公开申请延迟答复告知书"
	case NoticeAnswer:
		return "政府信息公开申请答复书"
	}
	return string(k)
}

// Label names the notice for staff lists, with its addressee where the
// title does not say it.
func (k NoticeKind) Label() string {
	switch k {
	case NoticeConsultThirdParty:
		return "征求意见书（给第三方）"
	case NoticeConsultCoProducer:
		return "征求意见书（给共同制作机关）"
	case NoticeConsultApplicant:
		return "征求意见告知书（给申请人）"
	}
	return strings.TrimPrefix(k.Title(), "政府信息公开申请")
}

// ToApplicant reports whether the notice is addressed to the applicant
// (and so appears on the tracking page). Letters to a consulted third
// party or agency are not: they may name the third party.
func (k NoticeKind) ToApplicant() bool {
	return k != NoticeConsultThirdParty && k != NoticeConsultCoProducer
}

// StartsPeriod reports whether the day the addressee receives the notice
// starts a period the clock counts: the 15 working days of a consultation
// and the 20 working days of a fee notice. Recording such a notice's
// delivery also records that day on the ledger.
func (k NoticeKind) StartsPeriod() bool {
	return k == NoticeConsultThirdParty || k == NoticeConsultCoProducer || k == NoticeFee
}

// NoticeNumber formats a letter number: prefix〔year〕第seq号, e.g.
// 铁民公开〔2026〕第12号. One series per agency and year numbers every
// notice and answer letter, without gaps.
func NoticeNumber(prefix string, year, seq int) string {
	if strings.TrimSpace(prefix) == "" {
		prefix = "政府信息公开"
	}
	return prefix + "〔" + strconv.Itoa(year) + "〕第" + strconv.Itoa(seq) + "号"
}

// NoticeAgency is the part of the agency profile a notice prints, as it
// stood when the notice was issued.
type NoticeAgency struct {
	Name          string `json:"name"`
	OfficeName    string `json:"office_name"`
	OfficeAddress string `json:"office_address,omitempty"`
	PostCode      string `json:"post_code,omitempty"`
	OfficeHours   string `json:"office_hours,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Fax           string `json:"fax,omitempty"`
	Email         string `json:"email,omitempty"`
	Website       string `json:"website,omitempty"`
}

// Profile returns the snapshot as an Agency, for the letter layout.
func (a NoticeAgency) Profile() Agency {
	return Agency{Name: a.Name, OfficeName: a.OfficeName, OfficeAddress: a.OfficeAddress, PostCode: a.PostCode,
		OfficeHours: a.OfficeHours, Phone: a.Phone, Fax: a.Fax, Email: a.Email, Website: a.Website}
}

// NoticeBody is everything a notice states. Each kind uses the fields its
// comment names; NewNoticeBody fills the common part and Complete the
// dates and figures that come from the ledger event it goes with, so that
// the notice and the ledger cannot disagree.
type NoticeBody struct {
	Version  int          `json:"version"` // layout version, 1
	Kind     NoticeKind   `json:"kind"`
	Title    string       `json:"title"`
	Number   string       `json:"number"`
	IssuedOn Date         `json:"issued_on"`
	Agency   NoticeAgency `json:"agency"`
	// Recipient is the addressee: the applicant, or the consulted party.
	Recipient string `json:"recipient"`

	// The application and the applicant (masked), as every notice to the
	// applicant names them.
	ApplicationNumber string     `json:"application_number"`
	RequestTitle      string     `json:"request_title"`
	Channel           Channel    `json:"channel"`
	SubmittedOn       Date       `json:"submitted_on"`
	ReceivedOn        Date       `json:"received_on,omitzero"`
	ApplicantName     string     `json:"applicant_name"`
	ApplicantKind     string     `json:"applicant_kind"`
	ApplicantID       string     `json:"applicant_id,omitempty"`    // document and masked number
	ApplicantPhone    string     `json:"applicant_phone,omitempty"` // masked
	AgentName         string     `json:"agent_name,omitempty"`
	FormWanted        FormWanted `json:"form_wanted,omitempty"`
	Delivery          Delivery   `json:"delivery,omitempty"`

	// DueOn is, by kind: the answer due date (receipt, extension, delayed
	// deadline), the end of the correction period (correction), the reply
	// period's end (explanation).
	DueOn Date `json:"due_on,omitzero"`
	// DueWorking explains the due date in words (the clock's explanation).
	DueWorking string `json:"due_working,omitempty"`

	// Receipt: Registered when staff registered the application (not
	// online). QueryCodeHandedOver: the query code was given to the
	// applicant on the copy handed over at registration; the archived copy
	// does not print it (query codes are never stored in clear or put in
	// stored files). QueryCode is set only to render that hand-over copy.
	Registered          bool   `json:"registered,omitempty"`
	QueryCodeHandedOver bool   `json:"query_code_handed_over,omitempty"`
	QueryCode           string `json:"-"`

	// Correction: the items (all at once), the guidance, the period.
	Items      []string `json:"items,omitempty"`
	Guidance   string   `json:"guidance,omitempty"`
	PeriodDays int      `json:"period_days,omitempty"`

	// Consultation: who is consulted, about what, how to reply.
	PartyKind   PartyKind `json:"party_kind,omitempty"`
	Party       string    `json:"party,omitempty"`
	Information string    `json:"information,omitempty"`
	ReplyDays   int       `json:"reply_days,omitempty"`
	ReplyMethod string    `json:"reply_method,omitempty"`

	// Fee: the method, the units (the application's place in the month,
	// or pages), the amount, how and within how long to pay.
	FeeMethod       FeeMethod `json:"fee_method,omitempty"`
	Units           int       `json:"units,omitempty"`
	AmountFen       int64     `json:"amount_fen,omitempty"`
	PaymentMethod   string    `json:"payment_method,omitempty"`
	PaymentDays     int       `json:"payment_days,omitempty"`
	FeeWaitExcluded bool      `json:"fee_wait_excluded,omitempty"`

	// Extension: the days, the due date before, the reason.
	ExtensionDays int    `json:"extension_days,omitempty"`
	OriginalDueOn Date   `json:"original_due_on,omitzero"`
	Reason        string `json:"reason,omitempty"`

	// Explanation (第三十五条): the facts the request rests on. Delayed
	// deadline: when the explanation was asked for and received.
	Facts                 string `json:"facts,omitempty"`
	ExplanationAskedOn    Date   `json:"explanation_asked_on,omitzero"`
	ExplanationReceivedOn Date   `json:"explanation_received_on,omitzero"`

	// SealSHA256 identifies the seal image printed, so that a re-rendering
	// can tell whether the seal on file is the one used.
	SealSHA256 string `json:"seal_sha256,omitempty"`
}

// Prepare fills the common part of a notice to the applicant of app (its
// kind-specific fields, typed by staff, are kept): the title, the number,
// the agency snapshot, the application (its submission day in the agency
// zone loc) and the applicant with identity and phone masked
// (个人信息保护法第五十一条; rules.md §7.3).
func (b *NoticeBody) Prepare(ag *Agency, app *Application, a *Applicant, number string, issuedOn Date, loc *time.Location) {
	b.Version, b.Title, b.Number, b.IssuedOn = 1, b.Kind.Title(), number, issuedOn
	b.Agency = NoticeAgency{Name: ag.Name, OfficeName: ag.OfficeName, OfficeAddress: ag.OfficeAddress,
		PostCode: ag.PostCode, OfficeHours: ag.OfficeHours, Phone: ag.Phone, Fax: ag.Fax, Email: ag.Email, Website: ag.Website}
	b.Recipient = a.Name
	b.ApplicationNumber, b.RequestTitle, b.Channel = app.Number, app.Title, app.Channel
	b.SubmittedOn, b.ReceivedOn = DateOf(app.SubmittedAt, loc), app.ReceivedOn
	b.ApplicantName, b.AgentName, b.FormWanted, b.Delivery = a.Name, a.AgentName, app.FormWanted, app.Delivery
	b.Registered = app.Channel != ChannelOnline
	b.ApplicantKind = ApplicantPerson.Label()
	if a.Kind.IsOrganisation() {
		b.ApplicantKind = "法人或其他组织（" + a.Kind.Label() + "）"
	}
	b.ApplicantID, b.ApplicantPhone = "", ""
	switch {
	case a.IDNumber != "":
		b.ApplicantID = a.IDType.Label() + "　" + MaskIDNumber(a.IDNumber)
	case a.CreditCode != "":
		b.ApplicantID = "统一社会信用代码　" + a.CreditCode
	}
	if a.Phone != "" {
		b.ApplicantPhone = MaskPhone(a.Phone)
	}
}

// CarriesNotice reports whether events of kind k name the notice issued
// with them (EventData.NoticeID), as their doc comments say. Other events
// that come with a notice (the receipt on confirmation) are linked by the
// notice's event_seq only.
func (k EventKind) CarriesNotice() bool {
	switch k {
	case EventCorrectionRequested, EventConsultationSent, EventFeeNoticeSent, EventExplanationRequested,
		EventDelayedDeadlineSet, EventExtensionApproved, EventAnswerIssued:
		return true
	}
	return false
}

// Complete fills the parts of the notice that come from the ledger: the
// event it is issued with, e, the events before it, and the clock before
// and after it — the dates, the items, the party, the fee. It is the one
// place where a notice's figures are taken, so a notice states what the
// ledger records.
func (b *NoticeBody) Complete(ledger []Event, e Event, before, after Clock) {
	d := e.Data
	if !after.ReceivedOn.IsZero() {
		b.ReceivedOn = after.ReceivedOn
	}
	switch b.Kind {
	case NoticeReceipt:
		b.ReceivedOn = e.On
		b.DueOn, b.DueWorking = after.DueOn, after.PublicExplanation
	case NoticeCorrection:
		b.Items, b.PeriodDays, b.DueOn = d.Items, d.PeriodDays, d.DueOn
	case NoticeConsultThirdParty, NoticeConsultCoProducer, NoticeConsultApplicant:
		b.Party, b.PartyKind = d.Party, d.PartyKind
		if b.Kind != NoticeConsultApplicant {
			b.Recipient = d.Party
		}
	case NoticeFee:
		b.FeeMethod, b.Units, b.AmountFen = d.FeeMethod, d.Units, d.AmountFen
	case NoticeExtension:
		b.ExtensionDays, b.OriginalDueOn, b.DueOn = d.Days, before.DueOn, after.DueOn
		b.DueWorking = after.PublicExplanation
	case NoticeExplanation:
		b.DueOn = d.DueOn
	case NoticeDelayedDeadline:
		b.DueOn, b.Reason = d.DueOn, d.Reason
		b.OriginalDueOn = before.DueOn
		for _, x := range ledger {
			switch x.Kind {
			case EventExplanationRequested:
				b.ExplanationAskedOn = x.On
			case EventExplanationReceived:
				b.ExplanationReceivedOn = x.On
			}
		}
	}
}

// Notice form limits, in characters.
const (
	maxNoticeItemRunes  = 500
	maxNoticeItems      = 30
	maxNoticeTextRunes  = 2000
	maxNoticePartyRunes = 100
)

// CheckNoticeText checks a free text staff write into a notice: required
// when missing is not "", at most max characters, and printable by the
// letters' font (glyphs, reports.MissingGlyphs). field names the form
// field for the message.
func CheckNoticeText(field, s, missing string, max int, glyphs func(string) []rune) error {
	v := &formCheck{glyphs: glyphs}
	v.text(field, s, max, missing, true)
	return v.err()
}

// CorrectionItems splits the items typed one per line, dropping empty
// lines and list numbers typed in front ("1." "2、" "（3）").
func CorrectionItems(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = trimText(line)
		line = strings.TrimLeft(line, "0123456789.、)）（( \u3000")
		line = trimText(line)
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// CheckCorrectionItems checks the items of a correction notice: at least
// one (条例第三十条 asks for every item at once, so they come in one
// notice), each short enough to print, at most 30.
func CheckCorrectionItems(field string, items []string, glyphs func(string) []rune) error {
	if len(items) == 0 {
		return Invalid(FieldError{field, "请逐项填写需要补正的事项，每行一项。"})
	}
	if len(items) > maxNoticeItems {
		return Invalid(FieldError{field, "补正事项过多，请合并为不超过30项。"})
	}
	for _, it := range items {
		if err := CheckNoticeText(field, it, "", maxNoticeItemRunes, glyphs); err != nil {
			return err
		}
	}
	return nil
}

// Notice text limits for handlers.
const (
	MaxNoticeTextRunes  = maxNoticeTextRunes
	MaxNoticePartyRunes = maxNoticePartyRunes
)

// NoticeDelivery is how a notice was served (送达), as 国办公开办函〔2016〕235号
// describes it: handed over directly (or collected), by post through a
// postal enterprise (邮政企业, never another courier and never cash on
// delivery), by e-mail, or on this portal.
type NoticeDelivery struct {
	Method Delivery
	// On is the day of service: signed for (direct delivery), handed to
	// the post (交邮之日), sent (e-mail) or made available (portal). For a
	// notice that starts a period (StartsPeriod) it is the day the
	// addressee received it, which the period counts from.
	On Date
	// Ref is the postal item number (挂号信或特快专递邮件号码) of a posted
	// notice.
	Ref string
	// ViaPostalEnterprise confirms a posted notice went through a postal
	// enterprise.
	ViaPostalEnterprise bool
}

// Delivery form field names.
const (
	FieldDeliveryMethod = "delivery_method"
	FieldDeliveredOn    = "delivered_on"
	FieldDeliveryRef    = "delivery_ref"
	FieldViaPost        = "via_post"
)

// DeliveryMethods are the ways a notice is served, in the order offered.
var DeliveryMethods = []Delivery{DeliveryPickup, DeliveryPost, DeliveryEmail, DeliveryOnline}

// ServiceLabel names a delivery method as a way of serving a notice.
func (d Delivery) ServiceLabel() string {
	switch d {
	case DeliveryPickup:
		return "直接送达（当面交付或申请人领取）"
	case DeliveryPost:
		return "邮寄送达（通过邮政企业）"
	case DeliveryEmail:
		return "电子邮件送达"
	case DeliveryOnline:
		return "在线送达（本平台）"
	}
	return string(d)
}

// Validate checks a delivery record of a notice issued on issuedOn, for
// the day today.
func (d *NoticeDelivery) Validate(issuedOn, today Date) error {
	d.Ref = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(trimText(d.Ref)))
	var fe []FieldError
	switch d.Method {
	case DeliveryPickup, DeliveryEmail, DeliveryOnline:
		d.Ref, d.ViaPostalEnterprise = "", false
	case DeliveryPost:
		// 国办公开办函〔2016〕235号: by post only through a postal enterprise.
		if !d.ViaPostalEnterprise {
			fe = append(fe, FieldError{FieldViaPost, "邮寄送达只能通过邮政企业（国办公开办函〔2016〕235号），请确认后勾选。"})
		}
		if n := utf8.RuneCountInString(d.Ref); n < 8 || n > 30 || strings.ContainsFunc(d.Ref, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			fe = append(fe, FieldError{FieldDeliveryRef, "请填写邮件号码（挂号信或特快专递的条码号，字母和数字）。"})
		}
	default:
		fe = append(fe, FieldError{FieldDeliveryMethod, "请选择送达方式。"})
	}
	switch {
	case d.On.IsZero():
		fe = append(fe, FieldError{FieldDeliveredOn, "请填写送达日期。"})
	case d.On.Before(issuedOn):
		fe = append(fe, FieldError{FieldDeliveredOn, "送达日期不能早于文书发出之日（" + issuedOn.Chinese() + "）。"})
	case d.On.After(today):
		fe = append(fe, FieldError{FieldDeliveredOn, "送达日期不能晚于今天。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// FeeFen returns the fee for units by the method: the n-th application of
// the month (按件, FeePerItemFen) or the number of pages (按量,
// FeePerPageFen).
func FeeFen(m FeeMethod, units int) int64 {
	if m == FeePerPage {
		return FeePerPageFen(units)
	}
	return FeePerItemFen(units)
}

// FeeBand is one tier of a fee as a notice explains it.
type FeeBand struct {
	From, To  int   // units, both included; To 0 means open-ended
	Count     int   // units charged in this band
	RateFen   int64 // per unit
	AmountFen int64
}

// FeeBands explains a fee tier by tier: for 按件, the band of the n-th
// application (one band: this application's fee); for 按量, every paid
// tier the pages reach. The amounts add up to FeeFen.
func FeeBands(m FeeMethod, units int) []FeeBand {
	if m != FeePerPage {
		if units <= freeItems {
			return nil
		}
		from, to := freeItems+1, firstBandEnd
		if units > firstBandEnd {
			band := (units - firstBandEnd - 1) / bandSize
			from = firstBandEnd + 1 + band*bandSize
			to = from + bandSize - 1
		}
		fee := FeePerItemFen(units)
		return []FeeBand{{From: from, To: to, Count: 1, RateFen: fee, AmountFen: fee}}
	}
	tiers := []struct {
		from, to int
		rate     int64
	}{{freePages + 1, pageTier1End, feePageTier1}, {pageTier1End + 1, pageTier2End, feePageTier2}, {pageTier2End + 1, 0, feePageTier3}}
	var out []FeeBand
	for _, t := range tiers {
		if units < t.from {
			break
		}
		hi := units
		if t.to != 0 && hi > t.to {
			hi = t.to
		}
		n := hi - t.from + 1
		out = append(out, FeeBand{From: t.from, To: t.to, Count: n, RateFen: t.rate, AmountFen: int64(n) * t.rate})
	}
	return out
}

// FeeStandard is the tier table of the method in words, as the fee notice
// states the standard (rules.md §2.2, §2.3).
func FeeStandard(m FeeMethod) string {
	if m == FeePerPage {
		return "按量计收：30页以下（含30页）的，不收费；31—100页（含100页）的部分，每页收费10元；101—200页（含200页）的部分，每页收费20元；201页以上的部分，每页收费40元。"
	}
	return "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，每件收费100元；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。"
}

// Label names a fee method.
func (m FeeMethod) Label() string {
	switch m {
	case FeePerItem:
		return "按件计收"
	case FeePerPage:
		return "按量计收"
	}
	return string(m)
}
