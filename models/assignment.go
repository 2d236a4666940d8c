package models

// Routing: which sections (科室) work on an application and by when. The
// office (公开办) assigns a lead section (主办) and optionally assisting ones
// (协办); each gets an internal due date ahead of the statutory one, so
// that the draft, the confidentiality review and the sign-off fit before
// the answer is due (an internal rule under 条例第四十五条).

// Assignment is a section's current part in an application, from the
// ledger (LifecycleState.Assignments).
type Assignment struct {
	SectionID int64
	Role      AssignmentRole
	Since     Date // the day it was assigned
	Seq       int  // the assigning event
	// InternalDueOn is the date the office set on assigning; zero when it
	// set none and the agency's rule applies (Clock.DefaultInternalDueOn).
	InternalDueOn Date
}

// Label returns the role in Chinese: 主办 or 协办.
func (r AssignmentRole) Label() string {
	switch r {
	case RoleLead:
		return "主办"
	case RoleAssist:
		return "协办"
	}
	return string(r)
}

// SectionDueOn returns a section's internal due date on this clock.
//
// The rule: a date the office gave on assigning replaces the agency's
// default for that section. It is the office's instruction and stays
// fixed; it never lies after the statutory due date (DueOn), so when the
// due date moves earlier — a calendar change — the section's date moves
// with it. A section without a date of its own gets DefaultInternalDueOn,
// which follows the statutory due date through pauses and the extension.
// While no statutory due date runs (awaiting a correction), a given date
// stands as given and the default is zero.
func (c Clock) SectionDueOn(a Assignment) Date {
	if a.InternalDueOn.IsZero() {
		return c.DefaultInternalDueOn
	}
	if !c.DueOn.IsZero() && c.DueOn.Before(a.InternalDueOn) {
		return c.DueOn
	}
	return a.InternalDueOn
}

// CheckInternalDue checks an internal due date an office user gives when
// assigning (field is the form field for the message): not in the past,
// and not after the statutory due date, which an internal date must leave
// time before. A zero date is fine: the agency's rule applies.
func CheckInternalDue(field string, d Date, c Clock, today Date) error {
	switch {
	case d.IsZero():
		return nil
	case d.Before(today):
		return Invalid(FieldError{field, "内部办理期限不能早于今天。"})
	case !c.DueOn.IsZero() && d.After(c.DueOn):
		return Invalid(FieldError{field, "内部办理期限不能晚于法定答复期限（" + c.DueOn.Chinese() + "）。"})
	}
	return nil
}
