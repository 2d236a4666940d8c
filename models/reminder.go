package models

// Daily reminders (issue 8): nothing may slip because nobody looked. Every
// day one digest goes to each member of staff who handles applications
// and has a notification address: the disclosure office (公开办经办,
// 公开办负责人) gets everything due soon or overdue in the agency, the
// applications waiting for confirmation longer than ReminderRules
// allows, and the expiries the daily job applied; a section's staff
// (科室承办人, 科室负责人) get their sections' applications due soon or
// overdue. Who gets which digest, and what goes into it, is decided here.

import (
	"slices"
	"strconv"
	"strings"
)

// ReminderRules are an agency's settings for the digests.
type ReminderRules struct {
	// PendingDays puts an application still waiting for confirmation
	// (条例第三十一条) into the office's digest once it has waited more
	// than this many working days. The 条例 sets no limit for the
	// confirmation; 2 working days is the default.
	PendingDays int
}

// DefaultReminderRules returns the settings gongkai ships.
func DefaultReminderRules() ReminderRules { return ReminderRules{PendingDays: 2} }

// DigestKind is which digest a member of staff gets.
type DigestKind string

// Digest kinds. Stored in reminder_digests; do not change.
const (
	DigestNone      DigestKind = ""
	DigestOffice    DigestKind = "office"  // the whole agency
	DigestSectional DigestKind = "section" // the user's sections
)

// DigestKindOf returns the digest u gets: the office's for the office
// roles, the sections' for the section roles with at least one section,
// none for others (administrators, reviewers, publishers and auditors do
// not handle applications) and for inactive accounts.
func DigestKindOf(u *User) DigestKind {
	if u == nil || !u.Active {
		return DigestNone
	}
	if u.HasRole(RoleOfficeClerk) || u.HasRole(RoleOfficeHead) {
		return DigestOffice
	}
	if (u.HasRole(RoleSectionHandler) || u.HasRole(RoleSectionHead)) && len(u.SectionIDs) > 0 {
		return DigestSectional
	}
	return DigestNone
}

// DigestItem is one application in a digest.
type DigestItem struct {
	Number string
	Title  string
	Status Status
	DueOn  Date
	// Left is the working days left to DueOn (due soon), Late the working
	// days since it passed (overdue), Waited the working days a pending
	// application has waited.
	Left, Late, Waited int
	// Sections are the sections on it, lead first, with their internal due
	// dates.
	Sections []DigestSection
	// Expiry is the expiry event the daily job recorded, and On its day.
	Expiry EventKind
	On     Date
}

// DigestSection is a section on a digest item.
type DigestSection struct {
	SectionID     int64
	Role          AssignmentRole
	InternalDueOn Date
}

// Digest is what one member of staff is told on one day.
type Digest struct {
	Day     Date
	Kind    DigestKind
	Overdue []DigestItem // the longest overdue first
	DueSoon []DigestItem // the soonest first
	Pending []DigestItem // office only: waiting for confirmation, longest first
	Expired []DigestItem // office only: expiries applied since the last digests
}

// Empty reports whether there is nothing to tell: no mail is sent then.
func (d Digest) Empty() bool {
	return len(d.Overdue)+len(d.DueSoon)+len(d.Pending)+len(d.Expired) == 0
}

// Size is the number of items.
func (d Digest) Size() int { return len(d.Overdue) + len(d.DueSoon) + len(d.Pending) + len(d.Expired) }

// DigestFor returns the digest of one member of staff from the agency's:
// the office's digest whole; a section user's only the overdue and due
// soon applications assigned (主办 or 协办) to one of their sections.
func DigestFor(u *User, agency Digest) Digest {
	kind := DigestKindOf(u)
	out := Digest{Day: agency.Day, Kind: kind}
	switch kind {
	case DigestOffice:
		out.Overdue, out.DueSoon, out.Pending, out.Expired = agency.Overdue, agency.DueSoon, agency.Pending, agency.Expired
	case DigestSectional:
		mine := func(it DigestItem) bool {
			for _, s := range it.Sections {
				if slices.Contains(u.SectionIDs, s.SectionID) {
					return true
				}
			}
			return false
		}
		for _, it := range agency.Overdue {
			if mine(it) {
				out.Overdue = append(out.Overdue, it)
			}
		}
		for _, it := range agency.DueSoon {
			if mine(it) {
				out.DueSoon = append(out.DueSoon, it)
			}
		}
	}
	return out
}

// Summary says in a few words what a digest holds, for its subject and
// the job's record: 已超期2件、临近到期3件.
func (d Digest) Summary() string {
	var parts []string
	for _, p := range []struct {
		label string
		n     int
	}{{"已超期", len(d.Overdue)}, {"临近到期", len(d.DueSoon)}, {"待确认超期", len(d.Pending)}, {"期限届满", len(d.Expired)}} {
		if p.n > 0 {
			parts = append(parts, p.label+strconv.Itoa(p.n)+"件")
		}
	}
	return strings.Join(parts, "、")
}

// ValidateStaffEmail checks the notification address of a staff account.
// Empty clears it (no digests). Otherwise the rules of ValidateEmail
// apply, since the reminders must be deliverable.
func ValidateStaffEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	v, err := ValidateEmail(s)
	if err != nil {
		return "", Invalid(FieldError{"email", ErrorMessage(err)})
	}
	return v, nil
}
