package models

import (
	"slices"
	"testing"
)

func TestAnswerObject(t *testing.T) {
	app := &Application{AgencyID: 1, SectionID: 10}
	life := LifecycleState{SectionID: 10, AssistSectionIDs: []int64{20}}
	user := func(role Role, secs ...int64) *User {
		return &User{AgencyID: 1, Active: true, Roles: []Role{role}, SectionIDs: secs}
	}
	lead, helper := user(RoleSectionHandler, 10), user(RoleSectionHandler, 20)
	leadHead, helperHead := user(RoleSectionHead, 10), user(RoleSectionHead, 20)
	reviewer := user(RoleReviewer)
	tests := []struct {
		name string
		u    *User
		a    Action
		want bool
	}{
		{"lead drafts", lead, ActionDraftAnswer, true},
		{"assisting section does not draft", helper, ActionDraftAnswer, false},
		{"lead's head approves", leadHead, ActionApproveDraft, true},
		{"assisting section's head does not approve", helperHead, ActionApproveDraft, false},
		{"reviewer reviews", reviewer, ActionReviewConfidentiality, true},
		{"section does not review", lead, ActionReviewConfidentiality, false},
		{"assisting section views", helper, ActionViewApplication, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Can(tt.u, tt.a, AnswerObject(app, life, tt.a)); got != tt.want {
				t.Errorf("Can = %v, want %v", got, tt.want)
			}
		})
	}
	if got := ContributingSections(helper, app, life); !slices.Equal(got, []int64{20}) {
		t.Errorf("helper contributes for %v", got)
	}
	if got := ContributingSections(lead, app, life); len(got) != 0 {
		t.Errorf("lead contributes for %v", got)
	}
	if got := ContributingSections(reviewer, app, life); len(got) != 0 {
		t.Errorf("reviewer contributes for %v", got)
	}
}

// TestAnswerFlowExcessiveDecision: the office head's 不予处理 decision under
// 条例第三十五条 is recorded as answer_issued without a letter or a draft; the
// flow accepts it on replay (its letter is issued afterwards), but never
// as a proposed step that skips the sign-off.
func TestAnswerFlowExcessiveDecision(t *testing.T) {
	decided := ansIssued(OutcomeMass)
	for _, before := range [][]Event{nil, {ansDrafted(OutcomeNotHeld)}, {ansDrafted(OutcomeMass), ansApproved(StageSectionHead)}} {
		st, err := AnswerFlow(ansNumbered(append(slices.Clone(before), decided)...))
		if err != nil || st.Stage != StageIssued || !st.ByDecision || st.Outcome != OutcomeMass || st.IssuedSeq != len(before)+1 {
			t.Errorf("after %d events: %+v, %v", len(before), st, err)
		}
	}
	// As a proposal it is checked like any issuing.
	events := ansNumbered(ansDrafted(OutcomeMass), ansApproved(StageSectionHead))
	if err := CheckAnswerStep(events, ansIssued(OutcomeMass), nil); ErrorCode(err) != ECONFLICT {
		t.Errorf("issuing a draft awaiting review: %v", err)
	}
	// An answer issued with its letter is the sign-off's, not a decision.
	signed := ansNumbered(ansDrafted(OutcomeNotHeld), ansApproved(StageSectionHead), ansReviewed(), ansApproved(StageOfficeHead),
		Event{Kind: EventAnswerIssued, Data: EventData{Outcome: OutcomeNotHeld, NoticeID: 7}})
	if st, err := AnswerFlow(signed); err != nil || st.ByDecision || st.Stage != StageIssued {
		t.Errorf("signed-off answer: %+v, %v", st, err)
	}
}

// TestNormalizeKeepsPublicationPlace: for 条例第三十九条第二款 the letter may
// say where to get the publication, so Normalize keeps it.
func TestNormalizeKeepsPublicationPlace(t *testing.T) {
	d := AnswerDraft{Outcome: OutcomePublication, Reasons: "属于公开出版物。", ObtainPlace: " 铁岭市图书馆 ", ObtainTime: "工作日",
		Method: ProvidePickup}
	d.Normalize()
	if d.ObtainPlace != "铁岭市图书馆" || d.ObtainTime != "" || d.Method != "" {
		t.Errorf("normalised: %+v", d)
	}
	if err := d.Validate(nil); err != nil {
		t.Errorf("Validate: %v", err)
	}
	d = AnswerDraft{Outcome: OutcomeNotHeld, ObtainPlace: "某处"}
	d.Normalize()
	if d.ObtainPlace != "" {
		t.Errorf("another outcome keeps a place: %q", d.ObtainPlace)
	}
}

func TestNoticeAnswerTitle(t *testing.T) {
	if NoticeAnswer.Title() != "政府信息公开申请答复书" || NoticeAnswer.Label() != "答复书" || !NoticeAnswer.ToApplicant() ||
		NoticeAnswer.StartsPeriod() {
		t.Errorf("answer notice: %q %q", NoticeAnswer.Title(), NoticeAnswer.Label())
	}
}
