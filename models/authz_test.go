package models

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// wantGrants is the role × action table written out by hand, independent
// of the grants map: for each action, the roles granted it, "A" for the
// whole agency and "S" for the own sections' applications. Role keys:
// ad 系统管理员, oc 公开办经办, oh 公开办负责人, sh 科室承办人, sd 科室负责人,
// rv 保密审查员, pb 信息发布员, au 审计员.
var wantGrants = map[Action]string{
	ActionStaffHome:          "ad:A oc:A oh:A sh:A sd:A rv:A pb:A au:A",
	ActionChangeOwnPassword:  "ad:A oc:A oh:A sh:A sd:A rv:A pb:A au:A",
	ActionManageOwnTokens:    "ad:A oc:A oh:A sh:A sd:A rv:A pb:A au:A",
	ActionDeadlineCalculator: "ad:A oc:A oh:A sh:A sd:A rv:A pb:A au:A",

	ActionViewApplication:       "oc:A oh:A sh:S sd:S rv:A",
	ActionSearchApplications:    "oc:A oh:A sh:S sd:S rv:A",
	ActionViewDashboard:         "oc:A oh:A sh:S sd:S rv:A",
	ActionExportRegister:        "oc:A oh:A sh:S sd:S",
	ActionRevealPersonalData:    "oc:A oh:A sh:S sd:S",
	ActionConfirmReceipt:        "oc:A",
	ActionRegisterApplication:   "oc:A",
	ActionRouteApplication:      "oc:A oh:A",
	ActionReturnApplication:     "sh:S sd:S",
	ActionSendNotice:            "oc:A",
	ActionRecordProgress:        "oc:A",
	ActionRequestExtension:      "oc:A sh:S sd:S",
	ActionApproveExtension:      "oh:A",
	ActionDecideExcessive:       "oh:A",
	ActionDraftAnswer:           "sh:S sd:S",
	ActionApproveDraft:          "sd:S",
	ActionReviewConfidentiality: "rv:A",
	ActionFinalApproval:         "oh:A",
	ActionIssueAnswer:           "oc:A",
	ActionRecordRemedy:          "oc:A",
	ActionArchive:               "oc:A",

	ActionManageUsers:    "ad:A",
	ActionManageSections: "ad:A",
	ActionManageAgency:   "ad:A",
	ActionManageCalendar: "ad:A",
	ActionManageSettings: "ad:A",
	ActionViewJobs:       "ad:A",
	ActionReadAudit:      "ad:A au:A",

	ActionEditCatalog:    "pb:A",
	ActionPublishCatalog: "pb:A",
	ActionCompileReport:  "oc:A oh:A pb:A",
	ActionPublishReport:  "pb:A",
}

var roleKeys = map[string]Role{
	"ad": RoleAdmin, "oc": RoleOfficeClerk, "oh": RoleOfficeHead, "sh": RoleSectionHandler,
	"sd": RoleSectionHead, "rv": RoleReviewer, "pb": RolePublisher, "au": RoleAuditor,
}

// parseWant turns a wantGrants line into role → scope letter.
func parseWant(t *testing.T, s string) map[Role]string {
	t.Helper()
	out := map[Role]string{}
	for _, f := range strings.Fields(s) {
		k, scope, _ := strings.Cut(f, ":")
		r, ok := roleKeys[k]
		if !ok || (scope != "A" && scope != "S") {
			t.Fatalf("bad expectation %q", f)
		}
		out[r] = scope
	}
	return out
}

func TestEveryActionHasAnExpectation(t *testing.T) {
	for _, a := range Actions() {
		if _, ok := wantGrants[a]; !ok {
			t.Errorf("action %s has no line in wantGrants: write down who may do it", a)
		}
	}
	for a := range wantGrants {
		if !a.Valid() {
			t.Errorf("wantGrants names %s, which has no grant", a)
		}
	}
}

// TestCanMatrix checks every action × role × kind of object.
func TestCanMatrix(t *testing.T) {
	const agencyID, otherAgency, ownSection, otherSection = 7, 8, 31, 32
	objects := []struct {
		name string
		obj  Object
		// allowed says whether a grant of the scope reaches the object.
		agencyScope, sectionScope bool
	}{
		{"agency object", AgencyObject(agencyID), true, true},
		{"own section's application", ApplicationObject(&Application{AgencyID: agencyID, SectionID: ownSection}, nil), true, true},
		{"application assisted by own section", ApplicationObject(&Application{AgencyID: agencyID, SectionID: otherSection}, []int64{ownSection}), true, true},
		{"other section's application", ApplicationObject(&Application{AgencyID: agencyID, SectionID: otherSection}, nil), true, false},
		{"unassigned application", ApplicationObject(&Application{AgencyID: agencyID}, nil), true, false},
		{"other agency's object", AgencyObject(otherAgency), false, false},
		{"other agency's application", ApplicationObject(&Application{AgencyID: otherAgency, SectionID: ownSection}, nil), false, false},
		{"no agency", Object{}, false, false},
	}
	for _, a := range Actions() {
		want := parseWant(t, wantGrants[a])
		for _, r := range Roles {
			u := &User{ID: 1, AgencyID: agencyID, Active: true, Roles: []Role{r}, SectionIDs: []int64{ownSection}}
			scope := want[r]
			if got := CanRoute(u, a); got != (scope != "") {
				t.Errorf("CanRoute(%s, %s) = %v, want %v", r, a, got, scope != "")
			}
			for _, o := range objects {
				wantCan := (scope == "A" && o.agencyScope) || (scope == "S" && o.sectionScope)
				if got := Can(u, a, o.obj); got != wantCan {
					t.Errorf("Can(%s, %s, %s) = %v, want %v", r, a, o.name, got, wantCan)
				}
			}
			// A deactivated account may do nothing.
			off := *u
			off.Active = false
			if Can(&off, a, objects[0].obj) || CanRoute(&off, a) {
				t.Errorf("deactivated %s may %s", r, a)
			}
			// A section user without sections reaches no application.
			none := *u
			none.SectionIDs = nil
			if scope == "S" && Can(&none, a, objects[1].obj) {
				t.Errorf("%s without a section may %s an application", r, a)
			}
		}
	}
	if Can(nil, ActionStaffHome, AgencyObject(agencyID)) || CanRoute(nil, ActionStaffHome) {
		t.Error("nil user allowed")
	}
	if CanRoute(&User{AgencyID: agencyID, Active: true, Roles: []Role{RoleAdmin}}, Action("no.such.action")) {
		t.Error("unknown action allowed")
	}
}

func TestSeveralRolesUnite(t *testing.T) {
	u := &User{AgencyID: 1, Active: true, Roles: []Role{RoleSectionHandler, RoleReviewer}, SectionIDs: []int64{5}}
	other := ApplicationObject(&Application{AgencyID: 1, SectionID: 6}, nil)
	// The reviewer role sees every application; the handler role adds drafting in section 5 only.
	if !Can(u, ActionViewApplication, other) {
		t.Error("reviewer role does not reach another section's application")
	}
	if Can(u, ActionDraftAnswer, other) {
		t.Error("handler role drafts for another section")
	}
	if !Can(u, ActionDraftAnswer, ApplicationObject(&Application{AgencyID: 1, SectionID: 5}, nil)) {
		t.Error("handler role cannot draft for its own section")
	}
}

// TestAuditorChangesNothing: 审计员 reads the trail and changes nothing.
func TestAuditorChangesNothing(t *testing.T) {
	auditor := &User{AgencyID: 1, Active: true, Roles: []Role{RoleAuditor}}
	for _, a := range Actions() {
		if CanRoute(auditor, a) && !a.ReadOnly() && a != ActionChangeOwnPassword && a != ActionManageOwnTokens {
			t.Errorf("auditor may %s, which changes records", a)
		}
	}
	if !CanRoute(auditor, ActionReadAudit) {
		t.Error("auditor cannot read the audit trail")
	}
	if CanRoute(auditor, ActionViewApplication) || CanRoute(auditor, ActionRevealPersonalData) {
		t.Error("auditor reads applications or personal data")
	}
}

func TestScopeOf(t *testing.T) {
	for _, tc := range []struct {
		roles    []Role
		sections []int64
		action   Action
		want     string
	}{
		{[]Role{RoleOfficeClerk}, nil, ActionSearchApplications, "agency"},
		{[]Role{RoleSectionHandler}, []int64{3, 4}, ActionSearchApplications, "sections [3 4]"},
		{[]Role{RoleSectionHandler, RoleOfficeHead}, []int64{3}, ActionSearchApplications, "agency"},
		{[]Role{RoleSectionHandler}, nil, ActionSearchApplications, "none"},
		{[]Role{RolePublisher}, []int64{3}, ActionSearchApplications, "none"},
		{[]Role{RoleAdmin}, nil, ActionManageUsers, "agency"},
	} {
		s := ScopeOf(&User{AgencyID: 1, Active: true, Roles: tc.roles, SectionIDs: tc.sections}, tc.action)
		got := "none"
		switch {
		case s.Agency:
			got = "agency"
		case !s.None():
			got = fmt.Sprintf("sections %v", s.SectionIDs)
		}
		if got != tc.want {
			t.Errorf("ScopeOf(%v %v, %s) = %s, want %s", tc.roles, tc.sections, tc.action, got, tc.want)
		}
	}
}

func TestRolesGranted(t *testing.T) {
	if got := RolesGranted(ActionReadAudit); !slices.Equal(got, []Role{RoleAdmin, RoleAuditor}) {
		t.Errorf("RolesGranted(audit.read) = %v", got)
	}
}

func TestValidateStaffAccount(t *testing.T) {
	for _, tc := range []struct {
		name     string
		display  string
		roles    []Role
		sections []int64
		field    string
	}{
		{"ok office", "王五", []Role{RoleOfficeClerk}, nil, ""},
		{"ok section", "王五", []Role{RoleSectionHandler}, []int64{1}, ""},
		{"no name", " ", []Role{RoleOfficeClerk}, nil, "display_name"},
		{"long name", strings.Repeat("王", 51), []Role{RoleOfficeClerk}, nil, "display_name"},
		{"no role", "王五", nil, nil, "roles"},
		{"bad role", "王五", []Role{"boss"}, nil, "roles"},
		{"section role without section", "王五", []Role{RoleSectionHead}, nil, "sections"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateStaffAccount(tc.display, tc.roles, tc.sections)
			if tc.field == "" {
				if err != nil {
					t.Errorf("error %v", err)
				}
				return
			}
			if FieldErrors(err)[tc.field] == "" {
				t.Errorf("error %v, want a message on %s", err, tc.field)
			}
		})
	}
}
