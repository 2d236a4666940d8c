package models

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Agency is a government body that receives applications: the deployment's
// tenant. Every application, section, user and notice belongs to one
// agency, so one deployment can serve a whole city's agencies.
type Agency struct {
	ID   int64
	Code string // short code in application numbers, e.g. TLMZ
	Name string // e.g. 铁岭市民政局

	// The 政府信息公开工作机构 and its contacts (条例第十二条: the guide must
	// give its name, address, hours, phone, fax and online contact).
	OfficeName    string
	OfficeAddress string
	PostCode      string
	OfficeHours   string
	Phone         string
	Fax           string
	Email         string
	Website       string

	// Remedies named in every decision: the reconsideration body (60 days)
	// and the competent court (6 months).
	ReconsiderationBody string
	Court               string

	// LetterPrefix starts the numbers of letters, e.g. 铁民公开 in
	// 铁民公开〔2026〕第12号.
	LetterPrefix string

	// SealImage is a PNG of the agency's seal placed on letters; empty when
	// none was uploaded.
	SealImage []byte

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks an agency profile.
func (a *Agency) Validate() error {
	var fe []FieldError
	code := strings.TrimSpace(a.Code)
	if code == "" || len(code) > 12 || strings.ToUpper(code) != code || strings.ContainsAny(code, "- ") {
		fe = append(fe, FieldError{"code", "机关代码须为1至12位大写字母或数字，不含连字符。"})
	} else {
		for _, r := range code {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
				fe = append(fe, FieldError{"code", "机关代码须为1至12位大写字母或数字，不含连字符。"})
				break
			}
		}
	}
	required := []struct{ field, value, msg string }{
		{"name", a.Name, "请填写机关名称。"},
		{"office_name", a.OfficeName, "请填写政府信息公开工作机构名称。"},
		{"office_address", a.OfficeAddress, "请填写办公地址。"},
		{"office_hours", a.OfficeHours, "请填写办公时间。"},
		{"phone", a.Phone, "请填写联系电话。"},
		{"reconsideration_body", a.ReconsiderationBody, "请填写行政复议机关。"},
		{"court", a.Court, "请填写有管辖权的人民法院。"},
		{"letter_prefix", a.LetterPrefix, "请填写文书编号前缀，例如“铁民公开”。"},
	}
	for _, r := range required {
		if strings.TrimSpace(r.value) == "" {
			fe = append(fe, FieldError{r.field, r.msg})
		} else if utf8.RuneCountInString(r.value) > 200 {
			fe = append(fe, FieldError{r.field, "内容过长，请不超过200个字。"})
		}
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// Section is a unit of the agency (科室) that answers the applications
// assigned to it.
type Section struct {
	ID       int64
	AgencyID int64
	Name     string
	// Keywords are the words that suggest routing an application to this
	// section, one per line.
	Keywords  []string
	Active    bool
	SortOrder int
}
