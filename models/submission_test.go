package models

import (
	"strings"
	"testing"
)

var formToday = MustParseDate("2026-02-10")

// validPersonForm is a complete application by a natural person.
func validPersonForm() ApplicationForm {
	return ApplicationForm{
		ApplicantType: TypePerson,
		Name:          "张三",
		IDType:        DocResidentID,
		IDNumber:      "11010519491231002x",
		Phone:         "138 1234 5678",
		Email:         "",
		Title:         "2025年度城乡低保资金发放情况",
		FormWanted:    FormElectronic,
		Delivery:      DeliveryOnline,
	}
}

func validOrgForm() ApplicationForm {
	return ApplicationForm{
		ApplicantType: TypeOrganisation,
		OrgKind:       ApplicantLegal,
		OrgName:       "辽宁某某律师事务所",
		CreditCode:    "91211200ma0qx1234f",
		LegalRep:      "李四",
		ContactPerson: "王五",
		Phone:         "024-72826123",
		Email:         "office@lawfirm.example.cn",
		Description:   "2024年1月至12月铁岭市养老机构运营补贴的发放名单（不含个人身份信息）",
		FormWanted:    FormPaper,
		Delivery:      DeliveryPost,
		Address:       "辽宁省铁岭市银州区某某路1号",
		PostCode:      "112000",
	}
}

// fieldsOf returns field → message of a validation error.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	if ErrorCode(err) != EINVALID {
		t.Fatalf("error code = %s, want invalid: %v", ErrorCode(err), err)
	}
	return FieldErrors(err)
}

func TestApplicationFormValid(t *testing.T) {
	t.Run("person", func(t *testing.T) {
		f := validPersonForm()
		if err := f.Validate(formToday); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if f.IDNumber != "11010519491231002X" || f.Phone != "13812345678" {
			t.Errorf("not normalised: id %q phone %q", f.IDNumber, f.Phone)
		}
		a := f.Applicant()
		if a.Kind != ApplicantPerson || a.Name != "张三" || a.IDType != DocResidentID || a.CreditCode != "" {
			t.Errorf("applicant = %+v", a)
		}
		app := f.Application()
		if app.Channel != ChannelOnline || app.Source != "portal" || app.Title != f.Title || app.Delivery != DeliveryOnline {
			t.Errorf("application = %+v", app)
		}
	})
	t.Run("organisation by post", func(t *testing.T) {
		f := validOrgForm()
		if err := f.Validate(formToday); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		a := f.Applicant()
		if a.Kind != ApplicantLegal || a.Name != "辽宁某某律师事务所" || a.CreditCode != "91211200MA0QX1234F" ||
			a.LegalRep != "李四" || a.ContactPerson != "王五" || a.IDNumber != "" || a.PostCode != "112000" {
			t.Errorf("applicant = %+v", a)
		}
		// Only a description: it stands in for the title.
		app := f.Application()
		if !strings.HasPrefix(app.Title, "2024年1月至12月铁岭市养老机构运营补贴") || app.Description != f.Description {
			t.Errorf("title %q description %q", app.Title, app.Description)
		}
	})
	t.Run("agent", func(t *testing.T) {
		f := validPersonForm()
		f.HasAgent = true
		f.AgentName = "赵律师"
		f.AgentIDType = DocPassport
		f.AgentIDNumber = "e12345678"
		f.AgentPhone = "13900001111"
		f.Uploads = []AttachmentKind{AttachPowerOfAttorney}
		if err := f.Validate(formToday); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		a := f.Applicant()
		if a.AgentName != "赵律师" || a.AgentIDNumber != "E12345678" || a.AgentPhone != "13900001111" || a.AgentIDType != DocPassport {
			t.Errorf("agent = %+v", a)
		}
	})
	t.Run("agent fields ignored without agent", func(t *testing.T) {
		f := validPersonForm()
		f.AgentName = "赵律师"
		if err := f.Validate(formToday); err != nil {
			t.Fatal(err)
		}
		if a := f.Applicant(); a.AgentName != "" {
			t.Errorf("agent name kept without the agent box ticked: %+v", a)
		}
	})
	t.Run("document number only", func(t *testing.T) {
		f := validPersonForm()
		f.Title = ""
		f.DocNumber = "铁民发〔2025〕3号"
		if err := f.Validate(formToday); err != nil {
			t.Fatal(err)
		}
		app := f.Application()
		if app.Title != "文号为铁民发〔2025〕3号的政府信息" || app.Description != "文号：铁民发〔2025〕3号" {
			t.Errorf("title %q description %q", app.Title, app.Description)
		}
	})
	t.Run("address dropped unless posted", func(t *testing.T) {
		f := validPersonForm()
		f.Address, f.PostCode = "辽宁省铁岭市某路1号", "112000"
		if err := f.Validate(formToday); err != nil {
			t.Fatal(err)
		}
		if f.Address != "" || f.PostCode != "" {
			t.Errorf("address kept for online delivery: %q %q", f.Address, f.PostCode)
		}
	})
	t.Run("purpose is optional", func(t *testing.T) {
		f := validPersonForm()
		f.Purpose = ""
		if err := f.Validate(formToday); err != nil {
			t.Errorf("a form without purpose must pass (条例 2019 removed the condition): %v", err)
		}
	})
}

func TestApplicationFormInvalid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(f *ApplicationForm)
		field string
		want  string
	}{
		{"no applicant type", func(f *ApplicationForm) { f.ApplicantType = "" }, FieldApplicantType, "请选择申请人类型"},
		{"unknown applicant type", func(f *ApplicationForm) { f.ApplicantType = "robot" }, FieldApplicantType, "请选择申请人类型"},
		{"no name", func(f *ApplicationForm) { f.Name = "  \u3000" }, FieldName, "请填写申请人姓名"},
		{"long name", func(f *ApplicationForm) { f.Name = strings.Repeat("张", 51) }, FieldName, "内容过长：51个字，最多50个字"},
		{"control character in name", func(f *ApplicationForm) { f.Name = "张\x07三" }, FieldName, "不可见"},
		{"no document type", func(f *ApplicationForm) { f.IDType = "" }, FieldIDType, "请选择证件类型"},
		{"no document number", func(f *ApplicationForm) { f.IDNumber = "" }, FieldIDNumber, "请填写"},
		{"bad check digit", func(f *ApplicationForm) { f.IDNumber = "530102192005080119" }, FieldIDNumber, "校验"},
		{"future birth date", func(f *ApplicationForm) { f.IDNumber = "110101203001010016" }, FieldIDNumber, ""},
		{"15-digit number", func(f *ApplicationForm) { f.IDNumber = "110105491231002" }, FieldIDNumber, ""},
		{"bad passport", func(f *ApplicationForm) { f.IDType = DocPassport; f.IDNumber = "E1" }, FieldIDNumber, "护照号码"},
		{"bad HK permit", func(f *ApplicationForm) { f.IDType = DocHKMacaoPermit; f.IDNumber = "X1234567" }, FieldIDNumber, "港澳居民来往内地通行证"},
		{"no phone", func(f *ApplicationForm) { f.Phone = "" }, FieldPhone, "请填写联系电话"},
		{"bad phone", func(f *ApplicationForm) { f.Phone = "12345" }, FieldPhone, "联系电话格式不正确"},
		{"bad optional email", func(f *ApplicationForm) { f.Email = "zhangsan@" }, FieldEmail, "电子邮箱格式不正确"},
		{"email delivery without email", func(f *ApplicationForm) { f.Delivery = DeliveryEmail }, FieldEmail, "选择以电子邮件方式获取信息的，请填写电子邮箱"},
		{"post without address", func(f *ApplicationForm) { f.Delivery = DeliveryPost; f.PostCode = "112000" }, FieldAddress, "请填写邮寄地址"},
		{"post without post code", func(f *ApplicationForm) { f.Delivery = DeliveryPost; f.Address = "某路1号" }, FieldPostCode, "请填写邮政编码"},
		{"bad post code", func(f *ApplicationForm) { f.Delivery = DeliveryPost; f.Address = "某路1号"; f.PostCode = "11200" }, FieldPostCode, "6位数字"},
		{"nothing requested", func(f *ApplicationForm) { f.Title = "" }, FieldTitle, "名称、文号或便于查询的特征性描述"},
		{"long title", func(f *ApplicationForm) { f.Title = strings.Repeat("文", 201) }, FieldTitle, "最多200个字"},
		{"long document number", func(f *ApplicationForm) { f.DocNumber = strings.Repeat("号", 101) }, FieldDocNumber, "最多100个字"},
		{"long description", func(f *ApplicationForm) { f.Description = strings.Repeat("述", 5001) }, FieldDescription, "最多5000个字"},
		{"long purpose", func(f *ApplicationForm) { f.Purpose = strings.Repeat("用", 1001) }, FieldPurpose, "最多1000个字"},
		{"no form", func(f *ApplicationForm) { f.FormWanted = "" }, FieldFormWanted, "纸质或电子"},
		{"no delivery", func(f *ApplicationForm) { f.Delivery = "" }, FieldDelivery, "请选择获取信息的方式"},
		{"paper online", func(f *ApplicationForm) { f.FormWanted = FormPaper }, FieldDelivery, "纸质形式只能邮寄或自行领取"},
		{"too many files", func(f *ApplicationForm) { f.Uploads = make([]AttachmentKind, 11) }, FieldSupporting, "最多10个"},
		{"agent without name", func(f *ApplicationForm) {
			f.HasAgent, f.AgentIDType, f.AgentIDNumber, f.Uploads = true, DocResidentID, "110101199003074477", []AttachmentKind{AttachPowerOfAttorney}
		}, FieldAgentName, "请填写委托代理人姓名"},
		{"agent without document type", func(f *ApplicationForm) {
			f.HasAgent, f.AgentName, f.AgentIDNumber, f.Uploads = true, "赵律师", "110101199003074477", []AttachmentKind{AttachPowerOfAttorney}
		}, FieldAgentIDType, "请选择证件类型"},
		{"agent bad number", func(f *ApplicationForm) {
			f.HasAgent, f.AgentName, f.AgentIDType, f.AgentIDNumber, f.Uploads = true, "赵律师", DocResidentID, "110101199003074478", []AttachmentKind{AttachPowerOfAttorney}
		}, FieldAgentIDNumber, "校验"},
		{"agent bad phone", func(f *ApplicationForm) {
			f.HasAgent, f.AgentName, f.AgentIDType, f.AgentIDNumber, f.AgentPhone, f.Uploads = true, "赵律师", DocResidentID, "110101199003074477", "999", []AttachmentKind{AttachPowerOfAttorney}
		}, FieldAgentPhone, "委托代理人的联系电话格式不正确"},
		{"agent without power of attorney", func(f *ApplicationForm) {
			f.HasAgent, f.AgentName, f.AgentIDType, f.AgentIDNumber = true, "赵律师", DocResidentID, "110101199003074477"
			f.Uploads = []AttachmentKind{AttachIdentityProof}
		}, FieldPowerOfAttorney, "授权委托书"},
		{"unprintable character", func(f *ApplicationForm) {
			f.Name = "张𠮷"
			f.CheckGlyphs = func(s string) []rune {
				if strings.ContainsRune(s, '𠮷') {
					return []rune{'𠮷'}
				}
				return nil
			}
		}, FieldName, "以下字符无法在回执和告知书中打印：“𠮷”"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validPersonForm()
			tc.edit(&f)
			fe := fieldsOf(t, f.Validate(formToday))
			msg, ok := fe[tc.field]
			if !ok {
				t.Fatalf("no message for %s; got %v", tc.field, fe)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("%s: message %q, want it to contain %q", tc.field, msg, tc.want)
			}
			if len(fe) != 1 {
				t.Errorf("want exactly one field in error, got %v", fe)
			}
		})
	}
}

func TestApplicationFormOrganisationInvalid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(f *ApplicationForm)
		field string
		want  string
	}{
		{"no kind", func(f *ApplicationForm) { f.OrgKind = "" }, FieldOrgKind, "请选择法人或其他组织的类型"},
		{"person is not an org kind", func(f *ApplicationForm) { f.OrgKind = ApplicantPerson }, FieldOrgKind, "类型"},
		{"no name", func(f *ApplicationForm) { f.OrgName = "" }, FieldOrgName, "请填写法人或其他组织的名称"},
		{"no credit code", func(f *ApplicationForm) { f.CreditCode = "" }, FieldCreditCode, "请填写统一社会信用代码"},
		{"bad credit code", func(f *ApplicationForm) { f.CreditCode = "91211200MA0QX1234A" }, FieldCreditCode, "校验位"},
		{"short credit code", func(f *ApplicationForm) { f.CreditCode = "9121" }, FieldCreditCode, "18位"},
		{"no legal representative", func(f *ApplicationForm) { f.LegalRep = "" }, FieldLegalRep, "法定代表人或负责人"},
		{"no contact person", func(f *ApplicationForm) { f.ContactPerson = "" }, FieldContactPerson, "请填写联系人姓名"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validOrgForm()
			tc.edit(&f)
			fe := fieldsOf(t, f.Validate(formToday))
			if msg := fe[tc.field]; !strings.Contains(msg, tc.want) || msg == "" {
				t.Errorf("%s: message %q, want %q (all: %v)", tc.field, msg, tc.want, fe)
			}
			if len(fe) != 1 {
				t.Errorf("want exactly one field in error, got %v", fe)
			}
		})
	}
}

func TestApplicationFormEmptyHasOneMessagePerRequiredField(t *testing.T) {
	var f ApplicationForm
	fe := fieldsOf(t, f.Validate(formToday))
	for _, field := range []string{FieldApplicantType, FieldPhone, FieldTitle, FieldFormWanted, FieldDelivery} {
		if fe[field] == "" {
			t.Errorf("empty form: no message for %s", field)
		}
	}
	for field := range fe {
		found := false
		for _, f := range ApplicationFormFields {
			found = found || f == field
		}
		if !found {
			t.Errorf("message for %q, which is not in ApplicationFormFields", field)
		}
	}
}

func TestCorrectionForm(t *testing.T) {
	f := CorrectionForm{Description: "  补充：所需信息为2025年第三季度的发放名单。 "}
	if err := f.Validate(); err != nil || f.Description != "补充：所需信息为2025年第三季度的发放名单。" {
		t.Errorf("Validate = %v, description %q", err, f.Description)
	}
	empty := CorrectionForm{}
	if fe := fieldsOf(t, empty.Validate()); fe["correction"] == "" {
		t.Errorf("empty correction passes: %v", fe)
	}
	many := CorrectionForm{Description: "x", Uploads: make([]AttachmentKind, 11)}
	if fe := fieldsOf(t, many.Validate()); fe["correction_files"] == "" {
		t.Errorf("11 files pass: %v", fe)
	}
}

func TestMatchContact(t *testing.T) {
	a := &Applicant{Phone: "13812345678", Email: "ZhangSan@Example.com", AgentPhone: "024-72826123"}
	for _, tc := range []struct {
		typed, want string
		ok          bool
	}{
		{"13812345678", "phone", true},
		{"138 1234 5678", "phone", true},
		{"+86 138-1234-5678", "phone", true},
		{"(024)72826123", "phone", true},
		{"zhangsan@example.com", "email", true},
		{"ZhangSan@EXAMPLE.com", "email", true},
		{"13812345679", "", false},
		{"lisi@example.com", "", false},
		{"", "", false},
		{"张三", "", false},
	} {
		got, ok := MatchContact(a, tc.typed)
		if got != tc.want || ok != tc.ok {
			t.Errorf("MatchContact(%q) = %q, %v; want %q, %v", tc.typed, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := MatchContact(&Applicant{}, "13812345678"); ok {
		t.Error("an applicant without a phone matched a phone")
	}
}
