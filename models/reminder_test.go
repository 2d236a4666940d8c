package models

import (
	"slices"
	"testing"
)

func TestDigestKindOf(t *testing.T) {
	for _, tc := range []struct {
		roles    []Role
		sections []int64
		active   bool
		want     DigestKind
	}{
		{[]Role{RoleOfficeClerk}, nil, true, DigestOffice},
		{[]Role{RoleOfficeHead}, nil, true, DigestOffice},
		{[]Role{RoleSectionHandler, RoleOfficeClerk}, []int64{1}, true, DigestOffice},
		{[]Role{RoleSectionHandler}, []int64{1}, true, DigestSectional},
		{[]Role{RoleSectionHead}, []int64{1, 2}, true, DigestSectional},
		{[]Role{RoleSectionHandler}, nil, true, DigestNone},
		{[]Role{RoleOfficeClerk}, nil, false, DigestNone},
		{[]Role{RoleAdmin, RoleReviewer, RolePublisher, RoleAuditor}, []int64{1}, true, DigestNone},
	} {
		u := &User{Roles: tc.roles, SectionIDs: tc.sections, Active: tc.active}
		if got := DigestKindOf(u); got != tc.want {
			t.Errorf("DigestKindOf(%v, %v, active %v) = %q, want %q", tc.roles, tc.sections, tc.active, got, tc.want)
		}
	}
	if DigestKindOf(nil) != DigestNone {
		t.Error("nil user")
	}
}

func TestDigestFor(t *testing.T) {
	item := func(number string, sections ...int64) DigestItem {
		it := DigestItem{Number: number}
		for i, s := range sections {
			role := RoleLead
			if i > 0 {
				role = RoleAssist
			}
			it.Sections = append(it.Sections, DigestSection{SectionID: s, Role: role})
		}
		return it
	}
	agency := Digest{Day: MustParseDate("2026-02-10"), Kind: DigestOffice,
		Overdue: []DigestItem{item("A", 1), item("B", 2, 1), item("C")},
		DueSoon: []DigestItem{item("D", 2), item("E", 3, 2)},
		Pending: []DigestItem{item("F")}, Expired: []DigestItem{item("G", 1)}}
	numbers := func(items []DigestItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Number)
		}
		return out
	}
	office := DigestFor(&User{Active: true, Roles: []Role{RoleOfficeClerk}}, agency)
	if office.Size() != 7 || office.Kind != DigestOffice || office.Summary() != "已超期3件、临近到期2件、待确认超期1件、期限届满1件" {
		t.Errorf("office digest %+v %s", office, office.Summary())
	}
	s1 := DigestFor(&User{Active: true, Roles: []Role{RoleSectionHandler}, SectionIDs: []int64{1}}, agency)
	if !slices.Equal(numbers(s1.Overdue), []string{"A", "B"}) || len(s1.DueSoon) != 0 || len(s1.Pending)+len(s1.Expired) != 0 ||
		s1.Kind != DigestSectional || s1.Summary() != "已超期2件" {
		t.Errorf("section 1 digest %+v", s1)
	}
	s2 := DigestFor(&User{Active: true, Roles: []Role{RoleSectionHead}, SectionIDs: []int64{2}}, agency)
	if !slices.Equal(numbers(s2.Overdue), []string{"B"}) || !slices.Equal(numbers(s2.DueSoon), []string{"D", "E"}) {
		t.Errorf("section 2 digest %+v", s2)
	}
	s9 := DigestFor(&User{Active: true, Roles: []Role{RoleSectionHead}, SectionIDs: []int64{9}}, agency)
	if !s9.Empty() {
		t.Errorf("section 9 digest %+v", s9)
	}
	if !DigestFor(&User{Active: true, Roles: []Role{RoleAuditor}}, agency).Empty() {
		t.Error("an auditor got a digest")
	}
}

func TestValidateStaffEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"  ", "", true},
		{" ZhangSan@Tieling.GOV.cn ", "ZhangSan@tieling.gov.cn", true},
		{"zhangsan", "", false},
		{"张三@example.com", "", false},
	} {
		got, err := ValidateStaffEmail(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ValidateStaffEmail(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && FieldErrors(err)["email"] == "" {
			t.Errorf("%q: error without the email field: %v", tc.in, err)
		}
	}
}
