package models

import (
	"strings"
	"testing"
)

func TestApplicationQueryNormalize(t *testing.T) {
	d := MustParseDate
	for _, tc := range []struct {
		name   string
		q      ApplicationQuery
		fields []string // fields with an error, in any order
	}{
		{"empty", ApplicationQuery{}, nil},
		{"trimmed", ApplicationQuery{Number: "  tlmz-2026\u3000", Applicant: "\u3000张", Text: " 低保 "}, nil},
		{"bad status and outcome", ApplicationQuery{Status: "lost", Outcome: "maybe"}, []string{"status", "outcome"}},
		{"ranges reversed", ApplicationQuery{ReceivedFrom: d("2026-02-10"), ReceivedTo: d("2026-02-01"),
			ClosedFrom: d("2026-03-10"), ClosedTo: d("2026-03-01")}, []string{"received_to", "closed_to"}},
		{"one-day range", ApplicationQuery{ReceivedFrom: d("2026-02-10"), ReceivedTo: d("2026-02-10")}, nil},
		{"too long", ApplicationQuery{Text: strings.Repeat("字", 101), Number: strings.Repeat("A", 41)}, []string{"text", "number"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			err := q.Normalize()
			got := FieldErrors(err)
			if len(got) != len(tc.fields) {
				t.Fatalf("errors %v, want fields %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				if got[f] == "" {
					t.Errorf("no error for %s: %v", f, got)
				}
			}
			if q.Page != 1 || q.PerPage != SearchPerPage {
				t.Errorf("page %d per page %d", q.Page, q.PerPage)
			}
		})
	}
	q := ApplicationQuery{Number: " tlmz-2026 ", Applicant: "\u3000张三 ", Page: 999, PerPage: 500}
	if err := q.Normalize(); err != nil || q.Number != "TLMZ-2026" || q.Applicant != "张三" || q.Page != SearchMaxPage || q.PerPage != SearchPerPage {
		t.Errorf("normalised %+v, %v", q, err)
	}
}

func TestApplicationQueryDescribe(t *testing.T) {
	d := MustParseDate
	q := ApplicationQuery{Number: "TLMZ-2026", Applicant: "张", Text: "低保", SectionID: 3, Status: StatusAnswered,
		Outcome: OutcomePartial, ReceivedFrom: d("2026-01-01"), ClosedTo: d("2026-02-10")}
	got := q.Describe(func(id int64) string { return "社会救助科" })
	want := "申请编号：TLMZ-2026；申请人：张；申请内容：低保；承办科室：社会救助科；状态：已答复；办理结果：部分公开；" +
		"收到日期：2026年1月1日起；办结日期：至2026年2月10日"
	if got != want {
		t.Errorf("Describe =\n%s\nwant\n%s", got, want)
	}
	if (ApplicationQuery{}).Describe(nil) != "全部申请" || !(ApplicationQuery{}).Empty() || q.Empty() {
		t.Error("the empty query")
	}
	a := q.AuditFields()
	if a["number"] != "TLMZ-2026" || a["section_id"] != int64(3) || a["received_from"] != "2026-01-01" || a["closed_from"] != nil {
		t.Errorf("AuditFields = %v", a)
	}
}

func TestRegisterApplicant(t *testing.T) {
	for _, tc := range []struct {
		kind     ApplicantKind
		name     string
		unmasked bool
		want     string
	}{
		{ApplicantPerson, "张三", false, "张*"},
		{ApplicantPerson, "欧阳娜娜", false, "欧***"},
		{ApplicantPerson, "张三", true, "张三"},
		{ApplicantCommercial, "铁岭某某有限公司", false, "铁岭某某有限公司"},
		{ApplicantLegal, "某某律师事务所", false, "某某律师事务所"},
	} {
		if got := RegisterApplicant(tc.kind, tc.name, tc.unmasked); got != tc.want {
			t.Errorf("RegisterApplicant(%s, %s, %v) = %s, want %s", tc.kind, tc.name, tc.unmasked, got, tc.want)
		}
	}
}

func TestScopeCovers(t *testing.T) {
	agency := AccessScope{Agency: true}
	s12 := AccessScope{SectionIDs: []int64{1, 2}}
	s1 := AccessScope{SectionIDs: []int64{1}}
	for _, tc := range []struct {
		outer, inner AccessScope
		want         bool
	}{
		{agency, agency, true}, {agency, s1, true}, {s1, agency, false}, {s12, s1, true}, {s1, s12, false},
		{AccessScope{}, s1, false}, {s1, AccessScope{}, true}, {AccessScope{}, AccessScope{}, true},
	} {
		if got := ScopeCovers(tc.outer, tc.inner); got != tc.want {
			t.Errorf("ScopeCovers(%+v, %+v) = %v", tc.outer, tc.inner, got)
		}
	}
	// The grants as they stand: every role that exports may see the data
	// it exports unmasked.
	for _, r := range Roles {
		u := &User{AgencyID: 1, Active: true, Roles: []Role{r}, SectionIDs: []int64{7}}
		exp := ScopeOf(u, ActionExportRegister)
		if exp.None() {
			continue
		}
		if !ScopeCovers(ScopeOf(u, ActionRevealPersonalData), exp) {
			t.Errorf("%s exports what it may not reveal", r)
		}
	}
}
