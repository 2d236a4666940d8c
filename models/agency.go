package models

import (
	"fmt"
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
	// max is the column's width in characters (the MySQL schema's
	// VARCHAR): a longer value would be a database error, not a message.
	fields := []struct {
		field, value, msg string // msg is empty for an optional field
		max               int
	}{
		{"name", a.Name, "请填写机关名称。", 200},
		{"office_name", a.OfficeName, "请填写政府信息公开工作机构名称。", 200},
		{"office_address", a.OfficeAddress, "请填写办公地址。", 200},
		{"office_hours", a.OfficeHours, "请填写办公时间。", 200},
		{"phone", a.Phone, "请填写联系电话。", 100},
		{"reconsideration_body", a.ReconsiderationBody, "请填写行政复议机关。", 200},
		{"court", a.Court, "请填写有管辖权的人民法院。", 200},
		{"letter_prefix", a.LetterPrefix, "请填写文书编号前缀，例如“铁民公开”。", 50},
		{"post_code", a.PostCode, "", 16},
		{"fax", a.Fax, "", 100},
		{"email", a.Email, "", 200},
		{"website", a.Website, "", 300},
	}
	for _, f := range fields {
		if n := utf8.RuneCountInString(f.value); f.msg != "" && strings.TrimSpace(f.value) == "" {
			fe = append(fe, FieldError{f.field, f.msg})
		} else if n > f.max {
			fe = append(fe, FieldError{f.field, fmt.Sprintf("内容过长：%d个字，最多%d个字。", n, f.max)})
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
