package models

import (
	"fmt"
	"testing"
)

// TestAssignments: the ledger's current sections, lead first, through
// assignment, return and reassignment, each with the internal date given.
func TestAssignments(t *testing.T) {
	d := MustParseDate
	l := &ledgerBuilder{}
	receipt("2026-03-02")(l)
	l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleAssist})
	l.add(EventAssigned, "2026-03-02", EventData{SectionID: 2, Role: RoleLead, InternalDueOn: d("2026-03-20")})
	l.add(EventAssigned, "2026-03-03", EventData{SectionID: 3, Role: RoleAssist, InternalDueOn: d("2026-03-18")})
	show := func() string {
		st, err := Lifecycle(l.events)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, a := range st.Assignments {
			s += fmt.Sprintf("%d%s%s ", a.SectionID, a.Role.Label(), a.InternalDueOn)
		}
		return s
	}
	steps := []struct {
		do   func()
		want string
	}{
		{func() {}, "2主办2026-03-20 1协办 3协办2026-03-18 "},
		{func() {
			l.add(EventReturned, "2026-03-04", EventData{SectionID: 1, Reason: "不属于本科室职责"})
		},
			"2主办2026-03-20 3协办2026-03-18 "},
		// Reassigning to an assisting section makes it the lead with the
		// new date; the old lead leaves.
		{func() {
			l.add(EventReassigned, "2026-03-05", EventData{SectionID: 3, FromSectionID: 2, Reason: "主要职责在协办科室"})
		}, "3主办 "},
		{func() {
			l.add(EventReturned, "2026-03-06", EventData{SectionID: 3, Reason: "不属于本科室职责"})
		}, ""},
		{func() {
			l.add(EventAssigned, "2026-03-06", EventData{SectionID: 4, Role: RoleLead, InternalDueOn: d("2026-03-23")})
		}, "4主办2026-03-23 "},
	}
	for i, s := range steps {
		s.do()
		if got := show(); got != s.want {
			t.Errorf("step %d: assignments %q, want %q", i, got, s.want)
		}
	}
}

// TestSectionDueOn: the office's date replaces the default, stays fixed
// and never lies after the statutory due date; without one the default
// (5 working days before the due date) follows the due date.
func TestSectionDueOn(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	d := MustParseDate
	for _, tc := range []struct {
		name     string
		ledger   func(l *ledgerBuilder)
		internal string // the lead's
		def      string
		due      string
	}{
		{"no assignment: the default", receipt("2026-03-02"), "2026-03-23", "2026-03-23", "2026-03-30"},
		{"lead without a date: the default", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
		}, "2026-03-23", "2026-03-23", "2026-03-30"},
		{"lead with a date: the date", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead, InternalDueOn: d("2026-03-16")})
		}, "2026-03-16", "2026-03-23", "2026-03-30"},
		{"extension moves the default, not the office's date", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead, InternalDueOn: d("2026-03-16")})
			l.extend("2026-03-20", 10)
		}, "2026-03-16", "2026-04-07", "2026-04-14"},
		{"only assisting sections: the lead's date is the default", func(l *ledgerBuilder) {
			receipt("2026-03-02")(l)
			l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleAssist, InternalDueOn: d("2026-03-16")})
		}, "2026-03-23", "2026-03-23", "2026-03-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &ledgerBuilder{}
			tc.ledger(l)
			c, err := ComputeClock(l.events, cal, DefaultClockRules(), d("2026-03-25"))
			if err != nil {
				t.Fatal(err)
			}
			checkDate(t, "InternalDueOn", c.InternalDueOn, tc.internal)
			checkDate(t, "DefaultInternalDueOn", c.DefaultInternalDueOn, tc.def)
			checkDate(t, "DueOn", c.DueOn, tc.due)
		})
	}

	c := Clock{DueOn: d("2026-03-30"), DefaultInternalDueOn: d("2026-03-23")}
	for _, tc := range []struct {
		given, want string
	}{
		{"", "2026-03-23"},
		{"2026-03-16", "2026-03-16"},
		{"2026-04-10", "2026-03-30"}, // after the statutory due date (a calendar change moved it earlier): capped
	} {
		var given Date
		if tc.given != "" {
			given = d(tc.given)
		}
		if got := c.SectionDueOn(Assignment{InternalDueOn: given}); got != d(tc.want) {
			t.Errorf("SectionDueOn(%q) = %s, want %s", tc.given, got, tc.want)
		}
	}
	// While awaiting a correction no due date runs: a given date stands.
	if got := (Clock{}).SectionDueOn(Assignment{InternalDueOn: d("2026-03-16")}); got != d("2026-03-16") {
		t.Errorf("without a due date: %s", got)
	}
}

func TestCheckInternalDue(t *testing.T) {
	d := MustParseDate
	c := Clock{DueOn: d("2026-03-30")}
	today := d("2026-03-10")
	for _, tc := range []struct {
		given string
		ok    bool
	}{
		{"", true}, {"2026-03-10", true}, {"2026-03-30", true},
		{"2026-03-09", false}, {"2026-03-31", false},
	} {
		var given Date
		if tc.given != "" {
			given = d(tc.given)
		}
		err := CheckInternalDue("internal_due_on", given, c, today)
		if (err == nil) != tc.ok {
			t.Errorf("CheckInternalDue(%q) = %v, want ok %v", tc.given, err, tc.ok)
		}
		if err != nil && FieldErrors(err)["internal_due_on"] == "" {
			t.Errorf("CheckInternalDue(%q): no message for the field: %v", tc.given, err)
		}
	}
}
