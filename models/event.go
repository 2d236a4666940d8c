package models

import (
	"fmt"
	"time"
)

// EventKind names something that happened to an application. The ledger
// (application_events) is append-only; the application's status and its
// statutory clock are pure functions of its events and the calendar.
//
// This is the whole vocabulary. Features implement the behaviour of these
// kinds; they do not invent other names. The string values are stored and
// must never change.
type EventKind string

// Filing and receipt (条例第二十九条至第三十一条).
const (
	// EventSubmitted: the application was filed (online, through an upstream
	// platform, or registered by staff from paper, mail, fax, e-mail or an
	// oral request). Data: Channel, Source.
	EventSubmitted EventKind = "submitted"
	// EventConfirmed: the office confirmed receipt; On is the receipt date
	// under 条例第三十一条 and starts the clock. Data: Channel; Reason when On
	// is earlier than the day it was recorded.
	EventConfirmed EventKind = "confirmed"
)

// Routing to sections.
const (
	// EventAssigned: a section was given the application. Data: SectionID,
	// Role (lead 主办 / assist 协办), InternalDueOn.
	EventAssigned EventKind = "assigned"
	// EventReturned: a section gave back a misrouted application. Data:
	// SectionID, Reason.
	EventReturned EventKind = "returned"
	// EventReassigned: the lead moved to another section. Data: SectionID
	// (new), FromSectionID, Reason, InternalDueOn.
	EventReassigned EventKind = "reassigned"
)

// Correction (补正, 条例第三十条): the clock restarts on the corrected
// application's receipt.
const (
	// EventCorrectionRequested: the 补正告知书 went out. Data: Items (every
	// item at once), PeriodDays and DueOn (end of the correction period),
	// NoticeID; Reason when sent more than 7 working days after receipt or
	// when it is a second notice.
	EventCorrectionRequested EventKind = "correction_requested"
	// EventCorrected: the corrected application was received on On.
	EventCorrected EventKind = "corrected"
	// EventCorrectionExpired: the correction period ended without a
	// correction; the application is deemed abandoned (其他处理-1).
	EventCorrectionExpired EventKind = "correction_expired"
)

// Consultation of a third party (条例第三十二条) or a co-producing agency
// (第三十四条): the time is not counted (第三十三条第三款).
const (
	// EventConsultationSent: a 征求意见书 went out. Data: Party, PartyKind,
	// NoticeID. Later consultation events refer to it by Ref (its Seq).
	EventConsultationSent EventKind = "consultation_sent"
	// EventConsultationDelivered: the consulted party received it on On; the
	// 15 working days run from here. Data: Ref.
	EventConsultationDelivered EventKind = "consultation_delivered"
	// EventConsultationAnswered: the reply arrived on On. Data: Ref, Opinion,
	// Comment.
	EventConsultationAnswered EventKind = "consultation_answered"
	// EventConsultationExpired: 15 working days after delivery passed
	// without a reply. Data: Ref.
	EventConsultationExpired EventKind = "consultation_expired"
)

// Information-processing fee (国办函〔2020〕109号).
const (
	// EventFeeNoticeSent: a 收费通知书 went out. Data: FeeMethod, Units,
	// AmountFen, NoticeID.
	EventFeeNoticeSent EventKind = "fee_notice_sent"
	// EventFeeNoticeDelivered: the applicant received it on On; payment is
	// due within 20 working days from the next day.
	EventFeeNoticeDelivered EventKind = "fee_notice_delivered"
	// EventFeePaid: paid on On. Data: AmountFen.
	EventFeePaid EventKind = "fee_paid"
	// EventFeeExpired: not paid in time; deemed abandoned (其他处理-2).
	EventFeeExpired EventKind = "fee_expired"
)

// Volume or frequency clearly excessive (条例第三十五条).
const (
	// EventExplanationRequested: the office asked the applicant to explain.
	// Data: NoticeID, DueOn (reply period end).
	EventExplanationRequested EventKind = "explanation_requested"
	// EventExplanationReceived: the applicant's explanation arrived on On.
	// Data: Comment.
	EventExplanationReceived EventKind = "explanation_received"
	// EventDelayedDeadlineSet: the office head accepted the reasons and set a
	// reasonable delayed deadline that replaces the statutory one. Data:
	// DueOn, Reason, NoticeID.
	EventDelayedDeadlineSet EventKind = "delayed_deadline_set"
)

// Extension (条例第三十三条第二款): once, at most 20 working days, approved by
// the head of the disclosure office on or before the due date.
const (
	// EventExtensionRequested: a section asked for more time. Data: Days,
	// Reason.
	EventExtensionRequested EventKind = "extension_requested"
	// EventExtensionApproved: the office head approved on On. Data: Days,
	// NoticeID (延期答复告知书).
	EventExtensionApproved EventKind = "extension_approved"
	// EventExtensionRejected: the office head refused the request. Data:
	// Comment.
	EventExtensionRejected EventKind = "extension_rejected"
)

// Answering (条例第三十六条至第四十条).
const (
	// EventAnswerDrafted: a section submitted a draft. Data: Outcome.
	EventAnswerDrafted EventKind = "answer_drafted"
	// EventAnswerReturned: a reviewer or approver sent the draft back. Data:
	// Stage, Comment.
	EventAnswerReturned EventKind = "answer_returned"
	// EventAnswerReviewed: the confidentiality review (保密审查) is complete.
	EventAnswerReviewed EventKind = "answer_reviewed"
	// EventAnswerApproved: approved at a stage. Data: Stage (section_head or
	// office_head).
	EventAnswerApproved EventKind = "answer_approved"
	// EventAnswerIssued: the answer letter was issued on On (this date counts
	// in the annual report). Data: Outcome, NoticeID.
	EventAnswerIssued EventKind = "answer_issued"
	// EventAnswerDelivered: the letter reached the applicant. Data:
	// DeliveryMethod; On is the day signed for, or handed to the post
	// (国办公开办函〔2016〕235号).
	EventAnswerDelivered EventKind = "answer_delivered"
	// EventWithdrawn: the applicant withdrew the application. Data: Reason.
	EventWithdrawn EventKind = "withdrawn"
	// EventArchived: the case file was archived (条例第四十五条).
	EventArchived EventKind = "archived"
)

// Remedies (annual-report table 四) and calendar maintenance.
const (
	// EventReconsiderationRecorded: an administrative reconsideration
	// (行政复议) was filed on On. Data: CaseRef, Comment.
	EventReconsiderationRecorded EventKind = "reconsideration_recorded"
	// EventLitigationRecorded: an administrative lawsuit (行政诉讼) was filed
	// on On. Data: CaseRef, AfterReconsideration.
	EventLitigationRecorded EventKind = "litigation_recorded"
	// EventRemedyConcluded: a reconsideration or lawsuit ended on On. Data:
	// Ref (the recorded event), Result.
	EventRemedyConcluded EventKind = "remedy_concluded"
	// EventCalendarChangeApplied: a calendar edit moved the due date. Data:
	// OldDueOn, NewDueOn, Comment.
	EventCalendarChangeApplied EventKind = "calendar_change_applied"
)

// EventKinds lists the whole vocabulary.
var EventKinds = []EventKind{
	EventSubmitted, EventConfirmed,
	EventAssigned, EventReturned, EventReassigned,
	EventCorrectionRequested, EventCorrected, EventCorrectionExpired,
	EventConsultationSent, EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired,
	EventFeeNoticeSent, EventFeeNoticeDelivered, EventFeePaid, EventFeeExpired,
	EventExplanationRequested, EventExplanationReceived, EventDelayedDeadlineSet,
	EventExtensionRequested, EventExtensionApproved, EventExtensionRejected,
	EventAnswerDrafted, EventAnswerReturned, EventAnswerReviewed, EventAnswerApproved,
	EventAnswerIssued, EventAnswerDelivered, EventWithdrawn, EventArchived,
	EventReconsiderationRecorded, EventLitigationRecorded, EventRemedyConcluded,
	EventCalendarChangeApplied,
}

// Valid reports whether k is part of the vocabulary.
func (k EventKind) Valid() bool {
	for _, v := range EventKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Label returns the event in the plain words an applicant's timeline uses.
func (k EventKind) Label() string {
	switch k {
	case EventSubmitted:
		return "提交申请"
	case EventConfirmed:
		return "确认收到申请"
	case EventAssigned:
		return "交由承办科室办理"
	case EventReturned:
		return "承办科室退回分办"
	case EventReassigned:
		return "改由其他科室办理"
	case EventCorrectionRequested:
		return "发出补正告知书"
	case EventCorrected:
		return "收到补正后的申请"
	case EventCorrectionExpired:
		return "补正期限届满未补正"
	case EventConsultationSent:
		return "发出征求意见书"
	case EventConsultationDelivered:
		return "被征求意见方收到征求意见书"
	case EventConsultationAnswered:
		return "收到征求意见答复"
	case EventConsultationExpired:
		return "征求意见期限届满"
	case EventFeeNoticeSent:
		return "发出收费通知书"
	case EventFeeNoticeDelivered:
		return "申请人收到收费通知书"
	case EventFeePaid:
		return "缴纳信息处理费"
	case EventFeeExpired:
		return "缴费期限届满未缴费"
	case EventExplanationRequested:
		return "要求说明理由"
	case EventExplanationReceived:
		return "收到申请人说明的理由"
	case EventDelayedDeadlineSet:
		return "确定延迟答复的合理期限"
	case EventExtensionRequested:
		return "申请延期答复"
	case EventExtensionApproved:
		return "批准延期答复"
	case EventExtensionRejected:
		return "不同意延期答复"
	case EventAnswerDrafted:
		return "拟定答复意见"
	case EventAnswerReturned:
		return "答复意见退回修改"
	case EventAnswerReviewed:
		return "完成保密审查"
	case EventAnswerApproved:
		return "答复意见审核通过"
	case EventAnswerIssued:
		return "作出答复"
	case EventAnswerDelivered:
		return "答复书送达"
	case EventWithdrawn:
		return "申请人撤回申请"
	case EventArchived:
		return "归档"
	case EventReconsiderationRecorded:
		return "申请人申请行政复议"
	case EventLitigationRecorded:
		return "申请人提起行政诉讼"
	case EventRemedyConcluded:
		return "复议或诉讼审结"
	case EventCalendarChangeApplied:
		return "节假日安排调整，答复期限相应变更"
	}
	return string(k)
}

// PublicOnTimeline reports whether the applicant's tracking page shows the
// event. Internal review steps are not shown; their outcome is.
func (k EventKind) PublicOnTimeline() bool {
	switch k {
	case EventAnswerDrafted, EventAnswerReturned, EventAnswerReviewed, EventAnswerApproved,
		EventExtensionRequested, EventExtensionRejected, EventReturned:
		return false
	}
	return true
}

// ActorKind says who caused an event.
type ActorKind string

// Actors.
const (
	ActorApplicant ActorKind = "applicant"
	ActorStaff     ActorKind = "staff"
	ActorSystem    ActorKind = "system"   // daily jobs (expiries, calendar changes)
	ActorPlatform  ActorKind = "platform" // an integrating platform through the API
)

// AssignmentRole is a section's role on an application.
type AssignmentRole string

// Assignment roles.
const (
	RoleLead   AssignmentRole = "lead"   // 主办
	RoleAssist AssignmentRole = "assist" // 协办
)

// PartyKind is who is consulted.
type PartyKind string

// Consulted parties.
const (
	PartyThirdParty PartyKind = "third_party" // 第三方 (条例第三十二条): silence → the agency decides
	PartyCoProducer PartyKind = "co_producer" // 共同制作机关 (条例第三十四条): silence = consent
)

// FeeMethod is how an information-processing fee is computed; an agency
// uses one or the other for an application, never both (国办函〔2020〕109号第三条).
type FeeMethod string

// Fee methods.
const (
	FeePerItem FeeMethod = "per_item" // 按件计收
	FeePerPage FeeMethod = "per_page" // 按量计收
)

// RemedyResult is the result of a reconsideration or lawsuit as table 四
// counts it.
type RemedyResult string

// Remedy results.
const (
	ResultUpheld    RemedyResult = "upheld"    // 结果维持
	ResultCorrected RemedyResult = "corrected" // 结果纠正
	ResultOther     RemedyResult = "other"     // 其他结果
)

// EventData carries an event's fields. Each kind uses the fields its doc
// comment names; the rest stay empty. It is stored as JSON.
type EventData struct {
	Channel Channel `json:"channel,omitempty"`
	Source  string  `json:"source,omitempty"` // portal, api:<platform>, staff

	SectionID     int64          `json:"section_id,omitempty"`
	FromSectionID int64          `json:"from_section_id,omitempty"`
	Role          AssignmentRole `json:"role,omitempty"`
	InternalDueOn Date           `json:"internal_due_on,omitzero"`

	Items      []string `json:"items,omitempty"`
	PeriodDays int      `json:"period_days,omitempty"`
	DueOn      Date     `json:"due_on,omitzero"`

	Party     string    `json:"party,omitempty"`
	PartyKind PartyKind `json:"party_kind,omitempty"`
	Opinion   string    `json:"opinion,omitempty"` // agree / object
	Ref       int       `json:"ref,omitempty"`     // Seq of the event this one follows up

	FeeMethod FeeMethod `json:"fee_method,omitempty"`
	Units     int       `json:"units,omitempty"`      // applications in the month, or pages
	AmountFen int64     `json:"amount_fen,omitempty"` // money in 分 (1/100 元)

	Days int `json:"days,omitempty"` // extension working days

	Outcome        Outcome  `json:"outcome,omitempty"`
	Stage          string   `json:"stage,omitempty"`
	DeliveryMethod Delivery `json:"delivery_method,omitempty"`

	CaseRef              string       `json:"case_ref,omitempty"`
	AfterReconsideration bool         `json:"after_reconsideration,omitempty"`
	Result               RemedyResult `json:"result,omitempty"`

	OldDueOn Date `json:"old_due_on,omitzero"`
	NewDueOn Date `json:"new_due_on,omitzero"`

	NoticeID int64  `json:"notice_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Event is one entry of an application's ledger.
type Event struct {
	ID            int64
	ApplicationID int64
	Seq           int // 1, 2, 3 … within the application
	Kind          EventKind
	On            Date      // the day the event took legal effect
	RecordedAt    time.Time // when it was written
	ActorKind     ActorKind
	ActorID       int64 // the staff user, 0 otherwise
	Data          EventData
}

// Validate checks that the event carries what its kind needs. It does not
// check the event against the ledger; the clock does that.
func (e Event) Validate() error {
	if !e.Kind.Valid() {
		return fmt.Errorf("validate event: unknown kind %q", e.Kind)
	}
	if e.On.IsZero() {
		return fmt.Errorf("validate event %s: no date", e.Kind)
	}
	d := e.Data
	missing := func(what string) error { return fmt.Errorf("validate event %s: missing %s", e.Kind, what) }
	switch e.Kind {
	case EventSubmitted, EventConfirmed:
		if !d.Channel.Valid() {
			return missing("channel")
		}
	case EventAssigned:
		if d.SectionID == 0 {
			return missing("section")
		}
		if d.Role != RoleLead && d.Role != RoleAssist {
			return missing("role")
		}
	case EventReturned:
		if d.SectionID == 0 || d.Reason == "" {
			return missing("section and reason")
		}
	case EventReassigned:
		if d.SectionID == 0 {
			return missing("section")
		}
	case EventCorrectionRequested:
		if len(d.Items) == 0 || d.DueOn.IsZero() {
			return missing("items and correction period")
		}
	case EventConsultationSent:
		if d.Party == "" || (d.PartyKind != PartyThirdParty && d.PartyKind != PartyCoProducer) {
			return missing("party")
		}
	case EventConsultationDelivered, EventConsultationAnswered, EventConsultationExpired, EventRemedyConcluded:
		if d.Ref == 0 {
			return missing("ref")
		}
		if e.Kind == EventRemedyConcluded && d.Result == "" {
			return missing("result")
		}
	case EventFeeNoticeSent:
		if d.FeeMethod != FeePerItem && d.FeeMethod != FeePerPage {
			return missing("fee method")
		}
		if d.AmountFen <= 0 {
			return missing("amount")
		}
	case EventExtensionRequested, EventExtensionApproved:
		if d.Days < 1 || d.Days > 20 {
			return fmt.Errorf("validate event %s: extension of %d working days, want 1..20", e.Kind, d.Days)
		}
	case EventDelayedDeadlineSet:
		if d.DueOn.IsZero() {
			return missing("delayed due date")
		}
	case EventAnswerDrafted, EventAnswerIssued:
		if !d.Outcome.Valid() {
			return missing("outcome")
		}
	case EventAnswerApproved, EventAnswerReturned:
		if d.Stage == "" {
			return missing("stage")
		}
	case EventCalendarChangeApplied:
		if d.OldDueOn == d.NewDueOn {
			return fmt.Errorf("validate event %s: due date did not move", e.Kind)
		}
	}
	return nil
}
