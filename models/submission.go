package models

// The online application form (条例第二十九条) and the rules it is checked
// against. The form is what a citizen or organisation types; Validate
// checks and normalises it, and Applicant and Application turn it into the
// values the store keeps.

import (
	"crypto/subtle"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ApplicantType is the first choice on the form: a natural person, or a
// 法人或其他组织 (whose kind is then one of the report's five columns).
type ApplicantType string

// Applicant types.
const (
	TypePerson       ApplicantType = "person"
	TypeOrganisation ApplicantType = "organisation"
)

// Label returns the applicant type as the form shows it.
func (t ApplicantType) Label() string {
	switch t {
	case TypePerson:
		return "自然人"
	case TypeOrganisation:
		return "法人或其他组织"
	}
	return ""
}

// Label returns the form wanted in Chinese.
func (f FormWanted) Label() string {
	switch f {
	case FormPaper:
		return "纸质"
	case FormElectronic:
		return "电子"
	}
	return ""
}

// FormsWanted lists the forms in the order the form offers them.
var FormsWanted = []FormWanted{FormPaper, FormElectronic}

// Label returns the delivery method in Chinese.
func (d Delivery) Label() string {
	switch d {
	case DeliveryPost:
		return "邮寄"
	case DeliveryEmail:
		return "电子邮件"
	case DeliveryPickup:
		return "自行领取"
	case DeliveryOnline:
		return "在线下载"
	}
	return ""
}

// Deliveries lists the delivery methods in the order the form offers them.
var Deliveries = []Delivery{DeliveryPost, DeliveryEmail, DeliveryPickup, DeliveryOnline}

// Form field names, as the HTML form names its controls and as FieldError
// reports them. The error summary lists errors in ApplicationFormFields
// order, which is the order of the page.
const (
	FieldApplicantType   = "applicant_type"
	FieldName            = "name"
	FieldIDType          = "id_type"
	FieldIDNumber        = "id_number"
	FieldOrgKind         = "org_kind"
	FieldOrgName         = "org_name"
	FieldCreditCode      = "credit_code"
	FieldLegalRep        = "legal_rep"
	FieldContactPerson   = "contact_person"
	FieldHasAgent        = "has_agent"
	FieldAgentName       = "agent_name"
	FieldAgentIDType     = "agent_id_type"
	FieldAgentIDNumber   = "agent_id_number"
	FieldAgentPhone      = "agent_phone"
	FieldPowerOfAttorney = "power_of_attorney"
	FieldPhone           = "phone"
	FieldEmail           = "email"
	FieldAddress         = "address"
	FieldPostCode        = "post_code"
	FieldTitle           = "title"
	FieldDocNumber       = "doc_number"
	FieldDescription     = "description"
	FieldPurpose         = "purpose"
	FieldFormWanted      = "form_wanted"
	FieldDelivery        = "delivery"
	FieldIdentityProof   = "identity_proof"
	FieldSupporting      = "supporting"
)

// ApplicationFormFields lists the form's fields top to bottom.
var ApplicationFormFields = []string{
	FieldApplicantType, FieldName, FieldIDType, FieldIDNumber,
	FieldOrgKind, FieldOrgName, FieldCreditCode, FieldLegalRep, FieldContactPerson,
	FieldHasAgent, FieldAgentName, FieldAgentIDType, FieldAgentIDNumber, FieldAgentPhone, FieldPowerOfAttorney,
	FieldTitle, FieldDocNumber, FieldDescription, FieldPurpose,
	FieldFormWanted, FieldDelivery,
	FieldPhone, FieldEmail, FieldAddress, FieldPostCode,
	FieldIdentityProof, FieldSupporting,
}

// UploadField returns the form field that carries files of the kind.
func UploadField(k AttachmentKind) string {
	switch k {
	case AttachIdentityProof:
		return FieldIdentityProof
	case AttachPowerOfAttorney:
		return FieldPowerOfAttorney
	}
	return FieldSupporting
}

// Text limits, in characters.
const (
	maxNameRunes        = 50
	maxOrgNameRunes     = 100
	maxAddressRunes     = 200
	maxTitleRunes       = 200
	maxDocNumberRunes   = 100
	maxDescriptionRunes = 5000
	maxPurposeRunes     = 1000
)

// ApplicationForm is the online application form as typed. Validate checks
// it and normalises the numbers in place; the handler re-displays it as it
// is after a failed submission, so nothing typed is lost.
type ApplicationForm struct {
	ApplicantType ApplicantType

	// A natural person: name and identity document.
	Name     string
	IDType   DocType
	IDNumber string

	// A 法人或其他组织: its kind (a column of the annual report), name,
	// 统一社会信用代码, legal representative and the person to contact.
	OrgKind       ApplicantKind
	OrgName       string
	CreditCode    string
	LegalRep      string
	ContactPerson string

	// An optional agent (委托代理人) acting for the applicant.
	HasAgent      bool
	AgentName     string
	AgentIDType   DocType
	AgentIDNumber string
	AgentPhone    string

	// Contact details (联系方式).
	Phone    string
	Email    string
	Address  string
	PostCode string

	// The information asked for: its name, document number (文号) or a
	// description that lets the agency find it (条例第二十九条第二款第（二）项),
	// and an optional purpose, which the 2019 条例 no longer requires.
	Title       string
	DocNumber   string
	Description string
	Purpose     string

	// The form and the way to receive it (第（三）项).
	FormWanted FormWanted
	Delivery   Delivery

	// Uploads are the kinds of the files that come with the form (already
	// staged or arriving with this submission), for the rules that count
	// them.
	Uploads []AttachmentKind

	// CheckGlyphs, when set, returns the characters of a text that the
	// letters' font cannot print (reports.MissingGlyphs). Names and the
	// request are printed on the receipt and on every notice, so such
	// characters are refused with a message instead of printing as boxes.
	CheckGlyphs func(string) []rune
}

// Validate checks the form against 条例第二十九条 and the portal's rules
// for the day today (a birth date in an identity number may not be later).
// It trims every field, normalises identity and contact numbers in place,
// and clears the postal address when the answer is not posted (个人信息保护法
// 第六条: collect only what the chosen delivery needs). The error is
// Invalid with one Chinese message per field.
//
// Phone is always required: it is the one contact that works whatever the
// delivery, and the office needs it to confirm receipt with the applicant
// (条例第三十一条第（三）项, 双方确认) and to reach them about a correction.
// An e-mail address is required only for delivery by e-mail, a postal
// address and post code only for delivery by post.
func (f *ApplicationForm) Validate(today Date) error {
	v := &formCheck{glyphs: f.CheckGlyphs}
	for _, p := range []*string{&f.Name, &f.IDNumber, &f.OrgName, &f.CreditCode, &f.LegalRep, &f.ContactPerson,
		&f.AgentName, &f.AgentIDNumber, &f.AgentPhone, &f.Phone, &f.Email, &f.Address, &f.PostCode,
		&f.Title, &f.DocNumber, &f.Description, &f.Purpose} {
		*p = trimText(*p)
	}

	switch f.ApplicantType {
	case TypePerson:
		v.text(FieldName, f.Name, maxNameRunes, "请填写申请人姓名。", false)
		v.document(FieldIDType, FieldIDNumber, f.IDType, &f.IDNumber, today)
	case TypeOrganisation:
		if !f.OrgKind.IsOrganisation() {
			v.add(FieldOrgKind, "请选择法人或其他组织的类型。")
		}
		v.text(FieldOrgName, f.OrgName, maxOrgNameRunes, "请填写法人或其他组织的名称。", false)
		if code, err := ValidateCreditCode(f.CreditCode); err != nil {
			v.add(FieldCreditCode, ErrorMessage(err))
		} else {
			f.CreditCode = code
		}
		v.text(FieldLegalRep, f.LegalRep, maxNameRunes, "请填写法定代表人或负责人的姓名。", false)
		v.text(FieldContactPerson, f.ContactPerson, maxNameRunes, "请填写联系人姓名。", false)
	default:
		v.add(FieldApplicantType, "请选择申请人类型：自然人，或法人或其他组织。")
	}

	if f.HasAgent {
		v.text(FieldAgentName, f.AgentName, maxNameRunes, "请填写委托代理人姓名。", false)
		v.document(FieldAgentIDType, FieldAgentIDNumber, f.AgentIDType, &f.AgentIDNumber, today)
		if f.AgentPhone != "" {
			if p, err := ValidatePhone(f.AgentPhone); err != nil {
				v.add(FieldAgentPhone, "委托代理人的"+ErrorMessage(err))
			} else {
				f.AgentPhone = p
			}
		}
		if f.count(AttachPowerOfAttorney) == 0 {
			v.add(FieldPowerOfAttorney, "由委托代理人代为申请的，请上传申请人签署的授权委托书。")
		}
	}

	if p, err := ValidatePhone(f.Phone); err != nil {
		v.add(FieldPhone, ErrorMessage(err))
	} else {
		f.Phone = p
	}
	if f.Email != "" || f.Delivery == DeliveryEmail {
		if e, err := ValidateEmail(f.Email); err != nil {
			msg := ErrorMessage(err)
			if f.Email == "" {
				msg = "选择以电子邮件方式获取信息的，请填写电子邮箱。"
			}
			v.add(FieldEmail, msg)
		} else {
			f.Email = e
		}
	}
	if f.Delivery == DeliveryPost {
		v.text(FieldAddress, f.Address, maxAddressRunes, "选择邮寄方式获取信息的，请填写邮寄地址。", false)
		if pc, err := ValidatePostCode(f.PostCode); err != nil {
			msg := ErrorMessage(err)
			if f.PostCode == "" {
				msg = "选择邮寄方式获取信息的，请填写邮政编码。"
			}
			v.add(FieldPostCode, msg)
		} else {
			f.PostCode = pc
		}
	} else if f.Delivery != "" {
		f.Address, f.PostCode = "", ""
	}

	if f.Title == "" && f.DocNumber == "" && f.Description == "" {
		v.add(FieldTitle, "请至少填写所需政府信息的名称、文号或便于查询的特征性描述中的一项。")
	}
	v.text(FieldTitle, f.Title, maxTitleRunes, "", false)
	v.text(FieldDocNumber, f.DocNumber, maxDocNumberRunes, "", false)
	v.text(FieldDescription, f.Description, maxDescriptionRunes, "", true)
	v.text(FieldPurpose, f.Purpose, maxPurposeRunes, "", true)

	switch f.FormWanted {
	case FormPaper, FormElectronic:
	default:
		v.add(FieldFormWanted, "请选择所需信息的形式：纸质或电子。")
	}
	switch f.Delivery {
	case DeliveryPost, DeliveryPickup:
	case DeliveryEmail, DeliveryOnline:
		if f.FormWanted == FormPaper {
			v.add(FieldDelivery, "纸质形式只能邮寄或自行领取。请改选获取方式，或将信息形式改为电子。")
		}
	default:
		v.add(FieldDelivery, "请选择获取信息的方式。")
	}
	if len(f.Uploads) > MaxUploadFiles {
		v.add(FieldSupporting, "附件最多10个，请删除多余的文件后再提交。")
	}
	return v.err()
}

func (f *ApplicationForm) count(k AttachmentKind) int {
	n := 0
	for _, u := range f.Uploads {
		if u == k {
			n++
		}
	}
	return n
}

// Applicant returns the applicant the form describes. Call it after
// Validate.
func (f *ApplicationForm) Applicant() Applicant {
	a := Applicant{Phone: f.Phone, Email: f.Email, Address: f.Address, PostCode: f.PostCode}
	if f.ApplicantType == TypeOrganisation {
		a.Kind, a.Name = f.OrgKind, f.OrgName
		a.CreditCode, a.LegalRep, a.ContactPerson = f.CreditCode, f.LegalRep, f.ContactPerson
	} else {
		a.Kind, a.Name, a.IDType, a.IDNumber = ApplicantPerson, f.Name, f.IDType, f.IDNumber
	}
	if f.HasAgent {
		a.AgentName, a.AgentIDType, a.AgentIDNumber, a.AgentPhone = f.AgentName, f.AgentIDType, f.AgentIDNumber, f.AgentPhone
	}
	return a
}

// Application returns the request the form describes, filed online through
// the portal. The title is what the applicant named the information; when
// only a 文号 or a description was given, it stands in (lists and letters
// need a title). The 文号 is kept as the first line of the description.
func (f *ApplicationForm) Application() Application {
	title := f.Title
	switch {
	case title != "":
	case f.DocNumber != "":
		title = "文号为" + f.DocNumber + "的政府信息"
	default:
		title = firstLine(f.Description, 60)
	}
	desc := f.Description
	if f.DocNumber != "" {
		desc = strings.TrimSpace("文号：" + f.DocNumber + "\n" + desc)
	}
	return Application{
		Channel: ChannelOnline, Source: "portal",
		Title: title, Description: desc, Purpose: f.Purpose,
		FormWanted: f.FormWanted, Delivery: f.Delivery,
	}
}

// firstLine returns the first line of s cut to n characters, with an
// ellipsis when cut.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// CorrectionForm is the applicant's answer to a correction notice (补正,
// 条例第三十条): the corrected or added description of the information,
// with files.
type CorrectionForm struct {
	Description string
	Uploads     []AttachmentKind
	CheckGlyphs func(string) []rune
}

// Validate checks the correction: a description is required, since the
// corrected application is what the 20 working days restart from.
func (f *CorrectionForm) Validate() error {
	f.Description = trimText(f.Description)
	v := &formCheck{glyphs: f.CheckGlyphs}
	v.text("correction", f.Description, maxDescriptionRunes, "请按补正告知书的要求填写补正内容。", true)
	if len(f.Uploads) > MaxUploadFiles {
		v.add("correction_files", "附件最多10个，请删除多余的文件后再提交。")
	}
	return v.err()
}

// MatchContact reports whether contact, as typed on the lost-query-code
// form, is the applicant's e-mail address or phone number on record, and
// which: "email" or "phone". Both sides are normalised first, and the
// comparison takes the same time whether or not it matches.
func MatchContact(a *Applicant, contact string) (string, bool) {
	contact = trimText(contact)
	if contact == "" || a == nil {
		return "", false
	}
	eq := func(x, y string) bool {
		return x != "" && y != "" && subtle.ConstantTimeCompare([]byte(x), []byte(y)) == 1
	}
	if strings.Contains(contact, "@") {
		typed, err1 := ValidateEmail(contact)
		stored, err2 := ValidateEmail(a.Email)
		if err1 == nil && err2 == nil && eq(strings.ToLower(typed), strings.ToLower(stored)) {
			return "email", true
		}
		return "", false
	}
	typed, err := ValidatePhone(contact)
	if err != nil {
		return "", false
	}
	for _, p := range []string{a.Phone, a.AgentPhone} {
		if stored, err := ValidatePhone(p); err == nil && eq(typed, stored) {
			return "phone", true
		}
	}
	return "", false
}

// formCheck collects field errors, the first per field.
type formCheck struct {
	fields []FieldError
	seen   map[string]bool
	glyphs func(string) []rune
}

func (v *formCheck) add(field, msg string) {
	if v.seen == nil {
		v.seen = map[string]bool{}
	}
	if v.seen[field] {
		return
	}
	v.seen[field] = true
	v.fields = append(v.fields, FieldError{Field: field, Message: msg})
}

func (v *formCheck) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return Invalid(v.fields...)
}

// text checks a text field: required (when missing is not ""), at most max
// characters, no invisible control characters (line breaks are allowed
// where multiline), and printable by the letters' font.
func (v *formCheck) text(field, s string, max int, missing string, multiline bool) {
	if s == "" {
		if missing != "" {
			v.add(field, missing)
		}
		return
	}
	if !utf8.ValidString(s) {
		v.add(field, "内容含有无法识别的字符，请重新输入。")
		return
	}
	for _, r := range s {
		if (unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) ||
			unicode.Is(unicode.Co, r) || r == '\uFFFD' {
			v.add(field, "内容含有不可见或无法识别的字符，请删除后重新输入。")
			return
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.add(field, "内容过长："+strconv.Itoa(n)+"个字，最多"+strconv.Itoa(max)+"个字。")
		return
	}
	if v.glyphs != nil {
		if m := v.glyphs(s); len(m) > 0 {
			v.add(field, "以下字符无法在回执和告知书中打印：“"+string(m)+"”。请改用常用字；生僻字可用同音字代替，并在申请内容中说明。")
		}
	}
}

// document checks an identity document type and number, writing the
// normalised number back.
func (v *formCheck) document(typeField, numberField string, t DocType, number *string, today Date) {
	if !t.Valid() {
		v.add(typeField, "请选择证件类型。")
		if *number == "" {
			v.add(numberField, "请填写证件号码。")
		}
		return
	}
	n, err := ValidateDocument(t, *number, today)
	if err != nil {
		v.add(numberField, ErrorMessage(err))
		return
	}
	*number = n
}

// trimText trims spaces, including the ideographic space U+3000 that
// Chinese input methods type, and normalises line breaks to \n.
func trimText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
}
