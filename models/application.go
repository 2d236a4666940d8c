package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ApplicantKind is who applied, as the annual report's columns divide
// applicants (国办公开办函〔2021〕30号 table 三): a natural person, or one of
// five kinds of 法人或其他组织.
type ApplicantKind string

// Applicant kinds. Stored values; do not change.
const (
	ApplicantPerson     ApplicantKind = "person"     // 自然人
	ApplicantCommercial ApplicantKind = "commercial" // 商业企业
	ApplicantResearch   ApplicantKind = "research"   // 科研机构
	ApplicantNonprofit  ApplicantKind = "nonprofit"  // 社会公益组织
	ApplicantLegal      ApplicantKind = "legal"      // 法律服务机构
	ApplicantOtherOrg   ApplicantKind = "other_org"  // 其他
)

// ApplicantKinds lists the kinds in the report's column order.
var ApplicantKinds = []ApplicantKind{
	ApplicantPerson, ApplicantCommercial, ApplicantResearch,
	ApplicantNonprofit, ApplicantLegal, ApplicantOtherOrg,
}

// Column returns the 0-based column of table 三 for the kind (0 = 自然人,
// 1..5 = the 法人或其他组织 kinds), or -1 for an unknown kind.
func (k ApplicantKind) Column() int {
	for i, v := range ApplicantKinds {
		if v == k {
			return i
		}
	}
	return -1
}

// IsOrganisation reports whether the kind is a 法人或其他组织.
func (k ApplicantKind) IsOrganisation() bool { return k.Column() > 0 }

// Label returns the kind as the report's column header names it.
func (k ApplicantKind) Label() string {
	switch k {
	case ApplicantPerson:
		return "自然人"
	case ApplicantCommercial:
		return "商业企业"
	case ApplicantResearch:
		return "科研机构"
	case ApplicantNonprofit:
		return "社会公益组织"
	case ApplicantLegal:
		return "法律服务机构"
	case ApplicantOtherOrg:
		return "其他"
	}
	return ""
}

// Channel is how an application reached the agency. It decides the receipt
// date under 条例第三十一条.
type Channel string

// Channels. Stored values; do not change.
const (
	ChannelOnline   Channel = "online"    // 互联网渠道 (this portal or an upstream platform): received on 双方确认
	ChannelInPerson Channel = "in_person" // 当面提交: received the day it is handed in
	ChannelMail     Channel = "mail"      // 邮寄, needs signature: received the day the agency signs for it
	ChannelLetter   Channel = "letter"    // 平常信函, no signature: received the day the office confirms with the applicant
	ChannelFax      Channel = "fax"       // 传真: received on 双方确认
	ChannelEmail    Channel = "email"     // 电子邮件: received on 双方确认
	ChannelOral     Channel = "oral"      // 口头申请, written down by the office (条例第二十九条)
)

// Channels lists every channel in the order staff choose them.
var Channels = []Channel{ChannelOnline, ChannelInPerson, ChannelMail, ChannelLetter, ChannelFax, ChannelEmail, ChannelOral}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, v := range Channels {
		if v == c {
			return true
		}
	}
	return false
}

// Label returns the channel's Chinese name.
func (c Channel) Label() string {
	switch c {
	case ChannelOnline:
		return "网上申请"
	case ChannelInPerson:
		return "当面提交"
	case ChannelMail:
		return "邮寄（需签收）"
	case ChannelLetter:
		return "平常信函"
	case ChannelFax:
		return "传真"
	case ChannelEmail:
		return "电子邮件"
	case ChannelOral:
		return "口头申请（代为填写）"
	}
	return string(c)
}

// ReceiptRule explains, in words, how 条例第三十一条 fixes the receipt date for
// the channel. Notices and the intake form show it.
func (c Channel) ReceiptRule() string {
	switch c {
	case ChannelInPerson, ChannelOral:
		return "当面提交的，以提交之日为收到申请之日（条例第三十一条第（一）项）"
	case ChannelMail:
		return "以邮寄方式提交的，以行政机关签收之日为收到申请之日（条例第三十一条第（二）项）"
	case ChannelLetter:
		return "以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构与申请人确认之日为收到申请之日（条例第三十一条第（二）项）"
	case ChannelOnline, ChannelFax, ChannelEmail:
		return "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）"
	}
	return ""
}

// Status is where an application stands. It is derived from the ledger
// (see Lifecycle) and stored on the application row for lists.
type Status string

// Statuses (rules.md §8). Stored values; do not change.
const (
	StatusPending     Status = "pending"      // 待确认: submitted online, receipt not yet confirmed (条例第三十一条)
	StatusProcessing  Status = "processing"   // 办理中: received, the clock runs
	StatusCorrecting  Status = "correcting"   // 待补正: correction notice out (条例第三十条)
	StatusConsulting  Status = "consulting"   // 征求意见中: clock paused (条例第三十二、三十四条)
	StatusAwaitingFee Status = "awaiting_fee" // 待缴费: fee notice out
	StatusExplaining  Status = "explaining"   // 待说明理由: 条例第三十五条
	StatusAnswered    Status = "answered"     // 已答复: answer letter issued
	StatusTerminated  Status = "terminated"   // 已终止: deemed abandoned (no correction, fee unpaid)
	StatusWithdrawn   Status = "withdrawn"    // 已撤回
	StatusArchived    Status = "archived"     // 已归档 (条例第四十五条)
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusPending, StatusProcessing, StatusCorrecting, StatusConsulting, StatusAwaitingFee,
	StatusExplaining, StatusAnswered, StatusTerminated, StatusWithdrawn, StatusArchived,
}

// Label returns the status as applicants and staff read it.
func (s Status) Label() string {
	switch s {
	case StatusPending:
		return "待确认"
	case StatusProcessing:
		return "办理中"
	case StatusCorrecting:
		return "待补正"
	case StatusConsulting:
		return "征求意见中"
	case StatusAwaitingFee:
		return "待缴费"
	case StatusExplaining:
		return "待说明理由"
	case StatusAnswered:
		return "已答复"
	case StatusTerminated:
		return "已终止"
	case StatusWithdrawn:
		return "已撤回"
	case StatusArchived:
		return "已归档"
	}
	return string(s)
}

// Open reports whether the application still awaits an answer.
func (s Status) Open() bool {
	switch s {
	case StatusAnswered, StatusTerminated, StatusWithdrawn, StatusArchived:
		return false
	}
	return true
}

// FormWanted is the form in which the applicant wants the information
// (条例第二十九条第二款第（三）项).
type FormWanted string

// Forms.
const (
	FormPaper      FormWanted = "paper"      // 纸质
	FormElectronic FormWanted = "electronic" // 电子
)

// Delivery is how the applicant wants to receive the answer.
type Delivery string

// Delivery methods.
const (
	DeliveryPost   Delivery = "post"   // 邮寄 (through a postal enterprise, 国办公开办函〔2016〕235号)
	DeliveryEmail  Delivery = "email"  // 电子邮件
	DeliveryPickup Delivery = "pickup" // 自行领取
	DeliveryOnline Delivery = "online" // 在线下载
)

// Applicant is the person or organisation who applied, as recorded with one
// application. Identity and contact fields are held in clear only in
// memory; the store encrypts them (see Keyring).
type Applicant struct {
	ID       int64
	AgencyID int64
	Kind     ApplicantKind
	Name     string // 姓名 or organisation name

	IDType   DocType // document type for persons (居民身份证 …)
	IDNumber string  // document number (encrypted at rest)
	// CreditCode is an organisation's 统一社会信用代码 (GB 32100).
	CreditCode    string
	LegalRep      string // 法定代表人
	ContactPerson string // 联系人
	Phone         string // encrypted at rest
	Email         string // encrypted at rest
	Address       string // encrypted at rest
	PostCode      string // encrypted at rest

	// The optional agent (委托代理人).
	AgentName     string
	AgentIDType   DocType
	AgentIDNumber string // encrypted at rest
	AgentPhone    string // encrypted at rest

	// MatchHash is a keyed hash of the identity (document or credit code)
	// that links applications from the same applicant without storing the
	// number in clear (fee tiers, 条例第三十五条 and 第三十六条第（六）项).
	MatchHash string
}

// Application is one government information disclosure application.
type Application struct {
	ID          int64
	AgencyID    int64
	Number      string // e.g. TLMZ-2026-000123
	ApplicantID int64
	Applicant   *Applicant // loaded on demand

	Channel     Channel
	Source      string // where it came from: portal, staff, api:<platform>
	Status      Status
	SubmittedAt time.Time // when it was filed or registered
	ReceivedOn  Date      // 收到申请之日 (条例第三十一条); zero while pending

	Title       string // 名称、文号或特征性描述: what information is asked for
	Description string
	Purpose     string // optional; the 2019 条例 removed the purpose condition
	FormWanted  FormWanted
	Delivery    Delivery

	// The clock's results, stored for lists and reminders and recomputed
	// with every ledger append (see Clock).
	DueOn           Date   // statutory due date
	InternalDueOn   Date   // the section's internal due date
	ClockState      string // running / paused / stopped / not_started
	CalendarWarning bool   // the due date depends on an unconfirmed or missing calendar year

	SectionID int64 // the 主办 section, 0 when unassigned
	Outcome   Outcome
	ClosedOn  Date // the day the answer was issued (or the case ended otherwise)

	Version   int // optimistic lock, incremented on every change
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ApplicationNumber formats the deployment-wide unique number of an
// application: {agency code}-{year}-{6-digit sequence}, e.g. TLMZ-2026-000123.
func ApplicationNumber(agencyCode string, year, seq int) string {
	return fmt.Sprintf("%s-%d-%06d", agencyCode, year, seq)
}

// ParseApplicationNumber splits a number into its agency code, year and
// sequence. It accepts lower case and surrounding spaces, as people type
// numbers into the look-up form.
func ParseApplicationNumber(s string) (code string, year, seq int, err error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	parts := strings.Split(s, "-")
	if len(parts) != 3 || parts[0] == "" || len(parts[1]) != 4 || len(parts[2]) < 6 {
		return "", 0, 0, Errorf(EINVALID, "申请编号格式不正确，应形如 TLMZ-2026-000123。")
	}
	for _, r := range parts[0] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", 0, 0, Errorf(EINVALID, "申请编号格式不正确，应形如 TLMZ-2026-000123。")
		}
	}
	y, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || n < 1 {
		return "", 0, 0, Errorf(EINVALID, "申请编号格式不正确，应形如 TLMZ-2026-000123。")
	}
	return parts[0], y, n, nil
}
