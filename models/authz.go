package models

// Authorisation: who may do what to which object. 个人信息保护法第五十一条
// asks for least-privilege access to personal information, and 条例第三十条至
// 第三十五条 give the steps of an application to different people (the
// disclosure office confirms and routes, the office head approves extensions
// and final answers, sections draft, a reviewer checks confidentiality). The
// whole rule is the grants table below: a role is granted an action either in
// the whole agency or only on the applications of the user's own sections.
// A user may hold several roles; a grant from any of them suffices.
//
// The web layer checks twice: every staff route declares the Action it needs
// and is refused unless CanRoute allows it; handlers then check the object in
// hand (an application and its sections) with Can.

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Action is something a staff user does. Every staff route and every staff
// step of issues 5 to 11 names one; the values appear in the audit trail and
// must not change.
type Action string

// Actions every signed-in user has.
const (
	ActionStaffHome          Action = "staff.home"       // the staff start page, signing out
	ActionChangeOwnPassword  Action = "account.password" // change one's own password
	ActionManageOwnTokens    Action = "account.tokens"   // one's own API tokens (scoped to one's roles)
	ActionDeadlineCalculator Action = "tools.deadline"   // the deadline calculator (changes nothing)
)

// Actions on applications (条例第二十九条至第四十五条).
const (
	ActionViewApplication       Action = "application.view"     // read an application, its ledger and its clock (personal data masked)
	ActionSearchApplications    Action = "application.search"   // search and lists
	ActionRevealPersonalData    Action = "application.reveal"   // see the applicant's full identity and contact data (audited)
	ActionConfirmReceipt        Action = "application.confirm"  // confirm receipt of an online application (第三十一条)
	ActionRegisterApplication   Action = "application.register" // register a paper, mail, fax, e-mail or oral application (第二十九条)
	ActionRouteApplication      Action = "application.route"    // assign, reassign to sections
	ActionReturnApplication     Action = "application.return"   // a section gives back a misrouted application
	ActionSendNotice            Action = "application.notice"   // correction, consultation, fee and Art. 35 notices
	ActionRecordProgress        Action = "application.record"   // record deliveries, replies, payments, corrections
	ActionRequestExtension      Action = "application.extension_request"
	ActionApproveExtension      Action = "application.extension_approve" // 第三十三条: the head of the disclosure office
	ActionDecideExcessive       Action = "application.excessive_decide"  // 第三十五条: 不予处理 or a delayed deadline
	ActionDraftAnswer           Action = "answer.draft"                  // choose the outcome, write the answer, attach files
	ActionApproveDraft          Action = "answer.section_approve"        // the section head's approval
	ActionReviewConfidentiality Action = "answer.review"                 // 保密审查 before release
	ActionFinalApproval         Action = "answer.final_approve"          // the office head's sign-off
	ActionIssueAnswer           Action = "answer.issue"                  // issue the letter and record its delivery
	ActionRecordRemedy          Action = "application.remedy"            // 行政复议 and 行政诉讼 records (table 四)
	ActionArchive               Action = "application.archive"           // 第四十五条: archive the case file
	ActionViewDashboard         Action = "dashboard.view"                // counts and reminders for one's scope
	ActionExportRegister        Action = "register.export"               // the case register (台账) as XLSX
)

// Administration, audit and publishing.
const (
	ActionManageUsers    Action = "admin.users"    // staff accounts, their roles and sections
	ActionManageSections Action = "admin.sections" // sections and their routing keywords
	ActionManageAgency   Action = "admin.agency"   // the agency profile and seal
	ActionManageCalendar Action = "admin.calendar" // the working-day calendar
	ActionManageSettings Action = "admin.settings" // clock rules and other agency settings
	ActionViewJobs       Action = "admin.jobs"     // daily job runs (reminders, expiries)
	ActionReadAudit      Action = "audit.read"     // the audit trail and its verification
	ActionEditCatalog    Action = "catalog.edit"   // 政府信息公开目录 entries (条例第十二条)
	ActionPublishCatalog Action = "catalog.publish"
	ActionCompileReport  Action = "report.compile" // the annual report's figures and text (条例第四十九条)
	ActionPublishReport  Action = "report.publish"
)

// Scope is how far a grant reaches.
type Scope int

// Scopes.
const (
	// ScopeAgency: every object of the user's agency.
	ScopeAgency Scope = iota + 1
	// ScopeSection: only applications assigned (主办 or 协办) to one of the
	// user's sections; lists and counts are filtered to them.
	ScopeSection
)

// grant gives a role an action within a scope.
type grant struct {
	role  Role
	scope Scope
}

func agency(roles ...Role) []grant {
	out := make([]grant, len(roles))
	for i, r := range roles {
		out[i] = grant{r, ScopeAgency}
	}
	return out
}

func sections(roles ...Role) []grant {
	out := make([]grant, len(roles))
	for i, r := range roles {
		out[i] = grant{r, ScopeSection}
	}
	return out
}

func join(gs ...[]grant) []grant { return slices.Concat(gs...) }

// The section roles: 科室承办人 and 科室负责人 see and work only their
// sections' applications.
var sectionRoles = []Role{RoleSectionHandler, RoleSectionHead}

// grants is the role × action table. Roles are minimal on purpose: a small
// office gives one person several roles rather than widening a role.
var grants = map[Action][]grant{
	ActionStaffHome:          agency(Roles...),
	ActionChangeOwnPassword:  agency(Roles...),
	ActionManageOwnTokens:    agency(Roles...),
	ActionDeadlineCalculator: agency(Roles...),

	ActionViewApplication:       join(agency(RoleOfficeClerk, RoleOfficeHead, RoleReviewer), sections(sectionRoles...)),
	ActionSearchApplications:    join(agency(RoleOfficeClerk, RoleOfficeHead, RoleReviewer), sections(sectionRoles...)),
	ActionViewDashboard:         join(agency(RoleOfficeClerk, RoleOfficeHead, RoleReviewer), sections(sectionRoles...)),
	ActionExportRegister:        join(agency(RoleOfficeClerk, RoleOfficeHead), sections(sectionRoles...)),
	ActionRevealPersonalData:    join(agency(RoleOfficeClerk, RoleOfficeHead), sections(sectionRoles...)),
	ActionConfirmReceipt:        agency(RoleOfficeClerk),
	ActionRegisterApplication:   agency(RoleOfficeClerk),
	ActionRouteApplication:      agency(RoleOfficeClerk, RoleOfficeHead),
	ActionReturnApplication:     sections(sectionRoles...),
	ActionSendNotice:            agency(RoleOfficeClerk),
	ActionRecordProgress:        agency(RoleOfficeClerk),
	ActionRequestExtension:      join(agency(RoleOfficeClerk), sections(sectionRoles...)),
	ActionApproveExtension:      agency(RoleOfficeHead),
	ActionDecideExcessive:       agency(RoleOfficeHead),
	ActionDraftAnswer:           sections(sectionRoles...),
	ActionApproveDraft:          sections(RoleSectionHead),
	ActionReviewConfidentiality: agency(RoleReviewer),
	ActionFinalApproval:         agency(RoleOfficeHead),
	ActionIssueAnswer:           agency(RoleOfficeClerk),
	ActionRecordRemedy:          agency(RoleOfficeClerk),
	ActionArchive:               agency(RoleOfficeClerk),

	ActionManageUsers:    agency(RoleAdmin),
	ActionManageSections: agency(RoleAdmin),
	ActionManageAgency:   agency(RoleAdmin),
	ActionManageCalendar: agency(RoleAdmin),
	ActionManageSettings: agency(RoleAdmin),
	ActionViewJobs:       agency(RoleAdmin),

	// 审计员 reads the trail and changes nothing; administrators read it
	// too, and the auditor sees what the administrators did.
	ActionReadAudit: agency(RoleAuditor, RoleAdmin),

	ActionEditCatalog:    agency(RolePublisher),
	ActionPublishCatalog: agency(RolePublisher),
	ActionCompileReport:  agency(RolePublisher, RoleOfficeClerk, RoleOfficeHead),
	ActionPublishReport:  agency(RolePublisher),
}

// readOnly lists the actions that change nothing in the agency's records
// (own-account actions aside): the only ones 审计员 may ever be granted.
var readOnly = map[Action]bool{
	ActionStaffHome: true, ActionDeadlineCalculator: true, ActionViewApplication: true,
	ActionSearchApplications: true, ActionViewDashboard: true, ActionExportRegister: true,
	ActionRevealPersonalData: true, ActionReadAudit: true, ActionViewJobs: true,
}

// Actions lists every action, sorted.
func Actions() []Action {
	out := make([]Action, 0, len(grants))
	for a := range grants {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { _, ok := grants[a]; return ok }

// ReadOnly reports whether a changes nothing in the agency's records. The
// own-account actions (password, API tokens) are not read-only but change
// only the user's own credentials.
func (a Action) ReadOnly() bool { return readOnly[a] }

// Object is what an action is done to, as far as authorisation cares: the
// agency it belongs to and, for an application, the sections it is
// assigned to.
type Object struct {
	AgencyID int64
	// Application is true for an application (and everything that belongs
	// to one: its notices, files, answer). Section-scoped grants reach it
	// only when it is assigned to one of the user's sections.
	Application bool
	// SectionIDs are the sections the application is assigned to: the lead
	// (主办) and the assisting (协办) ones.
	SectionIDs []int64
}

// AgencyObject is an agency-wide object: a user, a section, the profile,
// the calendar, the audit trail, a list.
func AgencyObject(agencyID int64) Object { return Object{AgencyID: agencyID} }

// ApplicationObject is an application assigned to the lead section
// app.SectionID and the assisting sections assist (from Lifecycle).
func ApplicationObject(app *Application, assist []int64) Object {
	o := Object{AgencyID: app.AgencyID, Application: true}
	if app.SectionID != 0 {
		o.SectionIDs = append(o.SectionIDs, app.SectionID)
	}
	o.SectionIDs = append(o.SectionIDs, assist...)
	return o
}

// Can reports whether u may do a to obj: u is an active account of obj's
// agency, and one of u's roles is granted a either agency-wide, or for
// its sections and obj is an application assigned to one of them (or not
// an application at all: then the grant holds and lists are narrowed with
// ScopeOf).
func Can(u *User, a Action, obj Object) bool {
	if u == nil || !u.Active || obj.AgencyID == 0 || obj.AgencyID != u.AgencyID {
		return false
	}
	for _, g := range grants[a] {
		if !u.HasRole(g.role) {
			continue
		}
		switch g.scope {
		case ScopeAgency:
			return true
		case ScopeSection:
			if !obj.Application {
				return true
			}
			for _, s := range obj.SectionIDs {
				if slices.Contains(u.SectionIDs, s) {
					return true
				}
			}
		}
	}
	return false
}

// CanRoute is the route-level check made before any object is loaded: it
// reports whether one of u's roles is granted a in some scope. A handler
// then checks the object with Can.
func CanRoute(u *User, a Action) bool {
	if u == nil || !u.Active {
		return false
	}
	for _, g := range grants[a] {
		if u.HasRole(g.role) {
			return true
		}
	}
	return false
}

// AccessScope is what a list or count may include for a user and an
// action: everything in the agency, or only the applications of some
// sections. The zero value includes nothing.
type AccessScope struct {
	Agency     bool
	SectionIDs []int64
}

// None reports whether the scope includes nothing.
func (s AccessScope) None() bool { return !s.Agency && len(s.SectionIDs) == 0 }

// ScopeOf returns what u may see or do with a across lists: the whole
// agency if any of u's roles is granted a agency-wide, else u's sections
// if a section role grants it, else nothing.
func ScopeOf(u *User, a Action) AccessScope {
	if u == nil || !u.Active {
		return AccessScope{}
	}
	var sec bool
	for _, g := range grants[a] {
		if !u.HasRole(g.role) {
			continue
		}
		if g.scope == ScopeAgency {
			return AccessScope{Agency: true}
		}
		sec = true
	}
	if sec && len(u.SectionIDs) > 0 {
		return AccessScope{SectionIDs: slices.Clone(u.SectionIDs)}
	}
	return AccessScope{}
}

// RolesGranted returns the roles that a grants, in the order of Roles.
func RolesGranted(a Action) []Role {
	var out []Role
	for _, r := range Roles {
		for _, g := range grants[a] {
			if g.role == r {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// IsSectionRole reports whether r works only on its sections' applications.
func (r Role) IsSectionRole() bool { return slices.Contains(sectionRoles, r) }

// ValidateStaffAccount checks what an administrator sets on an account: a
// name, at least one known role, and at least one section for the section
// roles (科室承办人 and 科室负责人 see only their sections' applications, so
// without a section they could do nothing).
func ValidateStaffAccount(displayName string, roles []Role, sectionIDs []int64) error {
	var fe []FieldError
	switch n := utf8.RuneCountInString(strings.TrimSpace(displayName)); {
	case n == 0:
		fe = append(fe, FieldError{"display_name", "请填写姓名。"})
	case n > 50:
		fe = append(fe, FieldError{"display_name", "姓名过长，请不超过50个字。"})
	}
	sectionRole := false
	for _, r := range roles {
		if !r.Valid() {
			fe = append(fe, FieldError{"roles", "角色无效。"})
			break
		}
		sectionRole = sectionRole || r.IsSectionRole()
	}
	if len(roles) == 0 {
		fe = append(fe, FieldError{"roles", "请至少选择一个角色。"})
	}
	if sectionRole && len(sectionIDs) == 0 {
		fe = append(fe, FieldError{"sections", "科室承办人和科室负责人须至少选择一个所属科室。"})
	}
	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}
