package models

// Intake: the disclosure office confirms online applications and registers
// those that arrive on paper, by post, fax or e-mail, or orally
// (条例第二十九条至第三十一条).

import (
	"errors"
	"strings"
	"time"
)

// StaffChannels are the channels staff register applications from; online
// applications are filed by the applicants themselves.
var StaffChannels = []Channel{ChannelInPerson, ChannelMail, ChannelLetter, ChannelFax, ChannelEmail, ChannelOral}

// ConfirmedWithApplicant reports whether 条例第三十一条 fixes the receipt date
// as the day the office confirms with the applicant (双方确认): online, fax
// and e-mail applications and ordinary letters. Such an application may wait
// unconfirmed in the intake inbox; the others are received the day they are
// handed in or signed for.
func (c Channel) ConfirmedWithApplicant() bool {
	switch c {
	case ChannelOnline, ChannelFax, ChannelEmail, ChannelLetter:
		return true
	}
	return false
}

// NeedsScan reports whether staff must attach a scan of what arrived: the
// letter, the fax or the form handed in. An oral application is written
// down by staff (条例第二十九条), and an e-mail may be printed or not.
func (c Channel) NeedsScan() bool {
	switch c {
	case ChannelInPerson, ChannelMail, ChannelLetter, ChannelFax:
		return true
	}
	return false
}

// Form field names of the intake forms.
const (
	FieldChannel     = "channel"
	FieldReceivedOn  = "received_on"
	FieldDateReason  = "date_reason"
	FieldUnconfirmed = "unconfirmed"
	FieldScan        = "scan"
)

// CheckReceiptDate checks the receipt date staff record (条例第三十一条):
// given, not in the future, not before the application was submitted (or
// arrived), and, when earlier than today, explained: a date recorded late
// must say why, since it starts the statutory clock. The errors are for
// the fields received_on and date_reason.
func CheckReceiptDate(on, submittedOn, today Date, reason string) error {
	switch {
	case on.IsZero():
		return Invalid(FieldError{FieldReceivedOn, "请填写收到申请之日。"})
	case on.After(today):
		return Invalid(FieldError{FieldReceivedOn, "收到申请之日不能晚于今天（" + today.Chinese() + "）。"})
	case !submittedOn.IsZero() && on.Before(submittedOn):
		return Invalid(FieldError{FieldReceivedOn, "收到申请之日不能早于提交申请之日（" + submittedOn.Chinese() + "）。"})
	case on.Before(today) && strings.TrimSpace(reason) == "":
		return Invalid(FieldError{FieldDateReason, "收到申请之日早于今天的，请说明补登的理由（例如邮件签收后次日登记）。"})
	}
	return nil
}

// Registration is the staff form for an application that did not come
// through the portal: the applicant's form as staff copy it from the
// letter (the same fields and rules as online, ApplicationForm), how it
// arrived, and its receipt date.
type Registration struct {
	Form    ApplicationForm
	Channel Channel
	// ReceivedOn is the receipt date by 条例第三十一条 for the channel, or,
	// when Unconfirmed, the day the letter, fax or e-mail arrived.
	ReceivedOn Date
	// Unconfirmed: an ordinary letter, fax or e-mail whose receipt the
	// office could not yet confirm with the applicant; it waits in the
	// intake inbox and the clock starts on confirmation.
	Unconfirmed bool
	// DateReason explains a date earlier than today.
	DateReason string
	// Scans is the number of scans attached.
	Scans int
}

// particularFields are the form fields whose absence does not stop the
// registration of a paper application: the application was received all
// the same, so it is registered with its receipt date and the missing
// particulars are asked for in a correction notice (条例第三十条) —
// refusing to register it would lose the receipt date the law counts from.
var particularFields = map[string]bool{
	FieldIDType: true, FieldIDNumber: true, FieldCreditCode: true, FieldLegalRep: true, FieldContactPerson: true,
	FieldPhone: true, FieldFormWanted: true, FieldDelivery: true, FieldAddress: true, FieldPostCode: true,
	FieldPowerOfAttorney: true,
}

// Validate checks the registration for the day today. It returns the
// particulars the application lacks (MissingParticulars: what a correction
// notice should ask for), and an error for what staff must fix first:
// who applied, something identifying the information, the channel, the
// receipt date and the scan. A particular that was given but is wrong (a
// bad check digit, say) is an error like online: staff correct the typing
// or leave the field empty to ask for it.
func (r *Registration) Validate(today Date) ([]string, error) {
	var fe []FieldError
	formErr := r.Form.Validate(today)
	given := r.Form.given()
	for _, f := range FieldErrorList(formErr) {
		if particularFields[f.Field] && !given[f.Field] {
			continue // missing: asked for by correction
		}
		fe = append(fe, f)
	}
	if formErr != nil && ErrorCode(formErr) != EINVALID {
		return nil, formErr
	}
	switch {
	case !r.Channel.Valid() || r.Channel == ChannelOnline:
		fe = append(fe, FieldError{FieldChannel, "请选择收到申请的渠道。"})
	case r.Unconfirmed && !r.Channel.ConfirmedWithApplicant():
		fe = append(fe, FieldError{FieldUnconfirmed, r.Channel.Label() + "的申请以当面提交或签收之日为收到申请之日，无需与申请人确认。"})
	}
	reason := r.DateReason
	if r.Unconfirmed {
		// The day a letter arrived starts nothing; the confirmation will
		// be dated and explained.
		reason = "-"
	}
	if err := CheckReceiptDate(r.ReceivedOn, Date{}, today, reason); err != nil {
		fe = append(fe, FieldErrorList(err)...)
	}
	if r.Channel.NeedsScan() && r.Scans == 0 {
		fe = append(fe, FieldError{FieldScan, "请上传收到的申请材料（信件、传真或申请表）的扫描件。"})
	}
	if len(fe) > 0 {
		return nil, Invalid(fe...)
	}
	app := r.Form.Application()
	a := r.Form.Applicant()
	missing := MissingParticulars(&a, &app)
	if r.Form.HasAgent && r.Form.count(AttachPowerOfAttorney) == 0 {
		missing = append(missing, "请提供申请人签署的授权委托书。")
	}
	return missing, nil
}

// Application returns the request the registration describes.
func (r *Registration) Application() Application {
	app := r.Form.Application()
	app.Channel, app.Source = r.Channel, "staff"
	return app
}

// given reports which of the particular fields hold a value as typed. A
// number typed without its document type counts as given, so that it is
// checked rather than stored unchecked.
func (f *ApplicationForm) given() map[string]bool {
	return map[string]bool{
		FieldIDType: f.IDType != "" || f.IDNumber != "", FieldIDNumber: f.IDNumber != "", FieldCreditCode: f.CreditCode != "",
		FieldLegalRep: f.LegalRep != "", FieldContactPerson: f.ContactPerson != "", FieldPhone: f.Phone != "",
		FieldFormWanted: f.FormWanted != "", FieldDelivery: f.Delivery != "", FieldAddress: f.Address != "",
		FieldPostCode: f.PostCode != "", FieldPowerOfAttorney: f.count(AttachPowerOfAttorney) > 0,
	}
}

// FieldErrorList returns the field messages of an EINVALID error in order.
func FieldErrorList(err error) []FieldError {
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID {
		return nil
	}
	return e.Fields
}

// MissingParticulars lists, as correction items, what 条例第二十九条第二款
// requires of an application that the record lacks: proof of identity and
// contact details (第（一）项), and the form and way of obtaining the
// information (第（三）项). An online application always has them; a paper
// one may not. Each item is a sentence for a 补正告知书.
func MissingParticulars(a *Applicant, app *Application) []string {
	var out []string
	if a.Kind.IsOrganisation() {
		if a.CreditCode == "" {
			out = append(out, "请提供申请单位的统一社会信用代码（或登记证书复印件）。")
		}
		if a.LegalRep == "" {
			out = append(out, "请提供申请单位法定代表人或负责人的姓名。")
		}
	} else if a.IDNumber == "" {
		out = append(out, "请提供申请人的身份证明（身份证件复印件或证件类型及号码）。")
	}
	if a.Phone == "" && a.Email == "" && a.Address == "" {
		out = append(out, "请提供联系方式（联系电话、电子邮箱或通信地址）。")
	} else if a.Phone == "" {
		out = append(out, "请提供联系电话，以便与您联系办理事宜。")
	}
	if app.FormWanted == "" {
		out = append(out, "请说明所需政府信息的形式（纸质或电子）。")
	}
	switch {
	case app.Delivery == "":
		out = append(out, "请说明获取信息的方式（邮寄、电子邮件、自行领取或在线下载）。")
	case app.Delivery == DeliveryPost && (a.Address == "" || a.PostCode == ""):
		out = append(out, "请提供邮寄地址和邮政编码。")
	}
	return out
}

// MonthlyOrdinal returns which application of its applicant app is in the
// calendar month it was submitted (in the agency's zone loc): 1 for the
// first. 国办函〔2020〕109号第四条 charges per application by the count of
// "同一申请人一个自然月内累计申请"; same holds every application the same
// applicant filed with the agency (by the matching hash), app included.
// Applications are counted in the order they were submitted (ties by id);
// withdrawn ones count too, since they were filed.
func MonthlyOrdinal(app *Application, same []*Application, loc *time.Location) int {
	d := DateOf(app.SubmittedAt, loc)
	n := 0
	for _, o := range same {
		od := DateOf(o.SubmittedAt, loc)
		if od.Year() != d.Year() || od.Month() != d.Month() {
			continue
		}
		if o.ID == app.ID || o.SubmittedAt.Before(app.SubmittedAt) || (o.SubmittedAt.Equal(app.SubmittedAt) && o.ID < app.ID) {
			n++
		}
	}
	if n == 0 {
		n = 1 // app itself, when same does not hold it
	}
	return n
}

// ApplicantVolume counts an applicant's applications for the hints of
// 条例第三十五条: in the calendar month of app's submission and in the 365
// days up to it, app included (same as for MonthlyOrdinal).
func ApplicantVolume(app *Application, same []*Application, loc *time.Location) (month, year int) {
	d := DateOf(app.SubmittedAt, loc)
	for _, o := range same {
		od := DateOf(o.SubmittedAt, loc)
		if od.After(d) {
			continue
		}
		if od.Year() == d.Year() && od.Month() == d.Month() {
			month++
		}
		if d.DaysSince(od) < 365 {
			year++
		}
	}
	return month, year
}
