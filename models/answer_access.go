package models

import "slices"

// Who may act on an answer. The grants table (authz.go) gives the section
// roles their actions on the applications of their own sections, lead or
// assisting alike; the answer narrows that by the section's role on the
// application: the lead (主办) section drafts the answer and its head
// approves it, and an assisting (协办) section only contributes its part
// (AnswerDraft.Contribute), which the lead merges.

// AnswerObject is the object an answer step with action a is authorised
// against (Can): for drafting and the section head's approval the
// application as its lead section sees it, for every other step the
// application with all its sections.
func AnswerObject(app *Application, life LifecycleState, a Action) Object {
	switch a {
	case ActionDraftAnswer, ActionApproveDraft:
		o := Object{AgencyID: app.AgencyID, Application: true}
		if life.SectionID != 0 {
			o.SectionIDs = []int64{life.SectionID}
		}
		return o
	}
	o := Object{AgencyID: app.AgencyID, Application: true}
	if life.SectionID != 0 {
		o.SectionIDs = append(o.SectionIDs, life.SectionID)
	}
	o.SectionIDs = append(o.SectionIDs, life.AssistSectionIDs...)
	return o
}

// ContributingSections returns the assisting sections of the application
// that u may contribute for: those of u's sections that assist, when u
// may draft answers at all.
func ContributingSections(u *User, app *Application, life LifecycleState) []int64 {
	var out []int64
	for _, id := range life.AssistSectionIDs {
		obj := Object{AgencyID: app.AgencyID, Application: true, SectionIDs: []int64{id}}
		if slices.Contains(u.SectionIDs, id) && Can(u, ActionDraftAnswer, obj) {
			out = append(out, id)
		}
	}
	return out
}
