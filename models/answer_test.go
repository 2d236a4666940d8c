package models

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// validDraft returns a draft for o that passes Validate with no assisting
// sections.
func validDraft(o Outcome) AnswerDraft {
	d := AnswerDraft{Outcome: o}
	if info, _ := o.Info(); info.ReasonRequired {
		d.Reasons = "经审查，该信息涉及第三方个人隐私。"
	}
	switch o {
	case OutcomeProactive:
		d.PublishedWhere = "铁岭市民政局网站“法定主动公开内容”栏目"
	case OutcomeDisclose:
		d.Method = ProvideOnline
		d.Files = []AnswerFile{{AttachmentID: 7, Filename: "低保资金发放情况.pdf"}}
	case OutcomePartial:
		d.Method, d.PartialGround = ProvidePickup, OutcomeWithholdThirdParty
		d.ObtainPlace, d.ObtainTime = "铁岭市银州区广裕街28号", "2026年3月2日至3月13日工作日"
		d.Files = []AnswerFile{{AttachmentID: 7, Filename: "低保名单（部分）.pdf"}}
	case OutcomeNotThisAgency:
		d.CompetentAgency, d.CompetentContact = "铁岭市财政局", "024-72111111"
	}
	return d
}

// answerFields returns the sorted field names of a validation error.
func answerFields(err error) []string {
	var out []string
	for f := range FieldErrors(err) {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

func TestAnswerDraftEveryOutcome(t *testing.T) {
	for _, info := range Outcomes {
		t.Run(string(info.Outcome), func(t *testing.T) {
			d := validDraft(info.Outcome)
			d.Normalize()
			err := d.Validate(nil)
			if info.Outcome.Drafted() {
				if err != nil {
					t.Fatalf("Validate: %v %v", err, FieldErrors(err))
				}
				return
			}
			if got := answerFields(err); !slices.Equal(got, []string{AnswerFieldOutcome}) {
				t.Fatalf("fields = %v, want [outcome]", got)
			}
		})
	}
}

func TestAnswerDraftValidate(t *testing.T) {
	assist := []Section{{ID: 2, Name: "社会救助科"}, {ID: 3, Name: "财务科"}}
	contrib := func(ids ...int64) []Contribution {
		var out []Contribution
		for _, id := range ids {
			out = append(out, Contribution{SectionID: id, Text: "本科室无相关信息。"})
		}
		return out
	}
	tests := []struct {
		name   string
		edit   func(d *AnswerDraft)
		assist []Section
		want   []string
	}{
		{"no outcome", func(d *AnswerDraft) { *d = AnswerDraft{} }, nil, []string{AnswerFieldOutcome}},
		{"unknown outcome", func(d *AnswerDraft) { d.Outcome = "maybe" }, nil, []string{AnswerFieldOutcome}},
		{"withdrawn is not drafted", func(d *AnswerDraft) { d.Outcome = OutcomeWithdrawn }, nil, []string{AnswerFieldOutcome}},
		{"withhold without reasons", func(d *AnswerDraft) { *d = AnswerDraft{Outcome: OutcomeWithholdSecret} }, nil, []string{AnswerFieldReasons}},
		{"partial without ground or reasons", func(d *AnswerDraft) { d.Outcome = OutcomePartial; d.PartialGround = ""; d.Reasons = "" }, nil,
			[]string{AnswerFieldPartialGround, AnswerFieldReasons}},
		{"partial with a non-withholding ground", func(d *AnswerDraft) {
			d.Outcome, d.PartialGround, d.Reasons = OutcomePartial, OutcomeNotHeld, "涉及个人隐私"
		}, nil,
			[]string{AnswerFieldPartialGround}},
		{"disclose without method", func(d *AnswerDraft) { d.Method = "" }, nil, []string{AnswerFieldMethod}},
		{"disclose online without files", func(d *AnswerDraft) { d.Files = nil }, nil, []string{AnswerFieldFiles}},
		{"disclose bad method", func(d *AnswerDraft) { d.Method = "carrier_pigeon" }, nil, []string{AnswerFieldMethod}},
		{"pickup without place and time", func(d *AnswerDraft) { d.Method = ProvidePickup }, nil,
			[]string{AnswerFieldObtainPlace, AnswerFieldObtainTime}},
		{"viewing needs no files", func(d *AnswerDraft) {
			d.Method, d.Files, d.ObtainPlace, d.ObtainTime = ProvideViewing, nil, "本机关档案室", "2026年3月2日上午"
		}, nil, nil},
		{"bad attachment", func(d *AnswerDraft) { d.Files = []AnswerFile{{Filename: "x.pdf"}} }, nil, []string{AnswerFieldFiles}},
		{"too many files", func(d *AnswerDraft) {
			for i := range MaxAnswerFiles {
				d.Files = append(d.Files, AnswerFile{AttachmentID: int64(i + 10), Filename: "f.pdf"})
			}
		}, nil, []string{AnswerFieldFiles}},
		{"files with a withholding answer", func(d *AnswerDraft) {
			files := d.Files
			*d = validDraft(OutcomeWithholdSecret)
			d.Files = files
		}, nil, []string{AnswerFieldFiles}},
		{"proactive without where", func(d *AnswerDraft) { *d = AnswerDraft{Outcome: OutcomeProactive} }, nil, []string{AnswerFieldPublishedWhere}},
		{"not ours without agency", func(d *AnswerDraft) { *d = validDraft(OutcomeNotThisAgency); d.CompetentAgency = "" }, nil,
			[]string{AnswerFieldCompetentAgency}},
		{"not ours without contact or reasons", func(d *AnswerDraft) {
			*d = validDraft(OutcomeNotThisAgency)
			d.CompetentContact, d.Reasons = "", ""
		}, nil, []string{AnswerFieldCompetentContact, AnswerFieldReasons}},
		{"reasons too long", func(d *AnswerDraft) { d.Reasons = strings.Repeat("理", maxReasonRunes+1) }, nil, []string{AnswerFieldReasons}},
		{"extra basis too long", func(d *AnswerDraft) { d.ExtraBasis = strings.Repeat("法", maxFieldRunes+1) }, nil, []string{AnswerFieldExtraBasis}},
		{"assisting sections missing", nil, assist, []string{AnswerFieldContributions}},
		{"one assisting section missing", func(d *AnswerDraft) { d.Contributions = contrib(2) }, assist, []string{AnswerFieldContributions}},
		{"blank contribution counts as missing", func(d *AnswerDraft) {
			d.Contributions = append(contrib(2), Contribution{SectionID: 3, Text: "  "})
		}, assist, []string{AnswerFieldContributions}},
		{"all assisting sections contributed", func(d *AnswerDraft) { d.Contributions = contrib(3, 2) }, assist, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft(OutcomeDisclose)
			if tt.edit != nil {
				tt.edit(&d)
			}
			err := d.Validate(tt.assist)
			if got := answerFields(err); !slices.Equal(got, tt.want) {
				t.Fatalf("fields = %v, want %v (%v)", got, tt.want, FieldErrors(err))
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %s, want invalid", ErrorCode(err))
			}
		})
	}
}

func TestAnswerDraftMissingContributionNamesSections(t *testing.T) {
	d := validDraft(OutcomeDisclose)
	err := d.Validate([]Section{{ID: 2, Name: "社会救助科"}, {ID: 3, Name: "财务科"}})
	msg := FieldErrors(err)[AnswerFieldContributions]
	if !strings.Contains(msg, "“社会救助科”、“财务科”") {
		t.Errorf("message %q does not name both sections", msg)
	}
}

func TestAnswerDraftNormalize(t *testing.T) {
	d := AnswerDraft{
		Outcome: OutcomeWithholdSecret, Reasons: "  属于国家秘密。\r\n ", PartialGround: OutcomeWithholdLaw,
		Method: ProvideOnline, ObtainPlace: "x", PublishedWhere: "y", PreviousAnswer: "z",
		Files: []AnswerFile{{AttachmentID: 1, Filename: "a.pdf"}},
	}
	d.Normalize()
	want := AnswerDraft{Outcome: OutcomeWithholdSecret, Reasons: "属于国家秘密。"}
	if d.Reasons != want.Reasons || d.PartialGround != "" || d.Method != "" || d.ObtainPlace != "" ||
		d.PublishedWhere != "" || d.PreviousAnswer != "" || d.Files != nil {
		t.Errorf("Normalize = %+v", d)
	}
	online := AnswerDraft{Outcome: OutcomeDisclose, Method: ProvideOnline, ObtainPlace: "档案室", ObtainTime: "周一"}
	online.Normalize()
	if online.ObtainPlace != "" || online.ObtainTime != "" {
		t.Errorf("online download keeps a place: %+v", online)
	}
}

func TestAnswerDraftBasis(t *testing.T) {
	tests := []struct {
		name string
		d    AnswerDraft
		want string
	}{
		{"outcome", AnswerDraft{Outcome: OutcomeNotHeld}, "《中华人民共和国政府信息公开条例》第三十六条第（四）项"},
		{"partial cites the ground", AnswerDraft{Outcome: OutcomePartial, PartialGround: OutcomeWithholdThirdParty},
			"《中华人民共和国政府信息公开条例》第三十七条，《中华人民共和国政府信息公开条例》第十五条"},
		{"extra basis", AnswerDraft{Outcome: OutcomeWithholdThirdParty, ExtraBasis: "《中华人民共和国个人信息保护法》第二十五条"},
			"《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项，《中华人民共和国个人信息保护法》第二十五条"},
		{"none", AnswerDraft{Outcome: OutcomeWithdrawn}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Basis(); got != tt.want {
				t.Errorf("Basis = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnswerDraftContribute(t *testing.T) {
	assist := []Section{{ID: 2, Name: "社会救助科"}}
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    Contribution
		code Code
	}{
		{"assisting section", Contribution{SectionID: 2, Text: " 已提供2025年数据。 ", SubmittedBy: 5, SubmittedAt: at}, ""},
		{"replaces its earlier part", Contribution{SectionID: 2, Text: "更正：已提供2024、2025年数据。"}, ""},
		{"not an assisting section", Contribution{SectionID: 9, Text: "意见"}, EFORBIDDEN},
		{"empty", Contribution{SectionID: 2, Text: "  "}, EINVALID},
		{"too long", Contribution{SectionID: 2, Text: strings.Repeat("长", maxReasonRunes+1)}, EINVALID},
	}
	var d AnswerDraft
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(d.Contribute(tt.c, assist)); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
		})
	}
	if len(d.Contributions) != 1 || d.Contributions[0].Text != "更正：已提供2024、2025年数据。" {
		t.Errorf("contributions = %+v", d.Contributions)
	}
}

func TestAnswerDraftReviewText(t *testing.T) {
	d := validDraft(OutcomeNotThisAgency)
	d.Reasons = "该信息由铁岭市财政局制作。\n请联系该局。"
	got := d.ReviewText()
	want := "答复理由：该信息由铁岭市财政局制作。 请联系该局。\n负责公开的行政机关：铁岭市财政局\n联系方式：024-72111111\n"
	if got != want {
		t.Errorf("ReviewText =\n%s\nwant\n%s", got, want)
	}
	fs := ScanText(got)
	if len(fs) != 1 || fs[0].Kind != FindingLandline || fs[0].Line != 3 {
		t.Errorf("scan = %+v, want the contact landline on line 3", fs)
	}
}

// Answer events for the flow tables, on 2026-03-05 by user 1.
func ansDrafted(o Outcome) Event {
	return Event{Kind: EventAnswerDrafted, Data: EventData{Outcome: o}}
}
func ansApproved(s AnswerStage) Event {
	return Event{Kind: EventAnswerApproved, Data: EventData{Stage: string(s)}}
}
func ansReturned(s AnswerStage, comment string) Event {
	return Event{Kind: EventAnswerReturned, Data: EventData{Stage: string(s), Comment: comment}}
}
func ansReviewed() Event        { return Event{Kind: EventAnswerReviewed} }
func ansIssued(o Outcome) Event { return Event{Kind: EventAnswerIssued, Data: EventData{Outcome: o}} }
func ansNumbered(es ...Event) []Event {
	for i := range es {
		es[i].Seq = i + 1
		es[i].On = MustParseDate("2026-03-05")
		es[i].ActorID = int64(i + 1)
	}
	return es
}

// TestAnswerFlowTransitions tries every answer event at every stage.
func TestAnswerFlowTransitions(t *testing.T) {
	// The ledgers that lead to each stage.
	prefixes := []struct {
		stage  AnswerStage
		events []Event
	}{
		{StageDrafting, nil},
		{StageSectionHead, []Event{ansDrafted(OutcomeDisclose)}},
		{StageReview, []Event{ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead)}},
		{StageOfficeHead, []Event{ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead), ansReviewed()}},
		{StageApproved, []Event{ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead), ansReviewed(), ansApproved(StageOfficeHead)}},
		{StageIssued, []Event{ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead), ansReviewed(), ansApproved(StageOfficeHead), ansIssued(OutcomeDisclose)}},
		{StageClosed, []Event{ansDrafted(OutcomeDisclose), {Kind: EventWithdrawn, Data: EventData{Reason: "不再需要"}}}},
	}
	steps := []struct {
		name string
		e    Event
	}{
		{"draft", ansDrafted(OutcomeDisclose)},
		{"section head approves", ansApproved(StageSectionHead)},
		{"review completed", ansReviewed()},
		{"office head approves", ansApproved(StageOfficeHead)},
		{"section head returns", ansReturned(StageSectionHead, "理由不充分")},
		{"reviewer returns", ansReturned(StageReview, "附件含身份证号码")},
		{"office head returns", ansReturned(StageOfficeHead, "请补充依据")},
		{"issue", ansIssued(OutcomeDisclose)},
	}
	// want[stage][step] is the stage after the step, or "" for a refusal.
	want := map[AnswerStage][]AnswerStage{
		StageDrafting:    {StageSectionHead, "", "", "", "", "", "", ""},
		StageSectionHead: {"", StageReview, "", "", StageDrafting, "", "", ""},
		StageReview:      {"", "", StageOfficeHead, "", "", StageDrafting, "", ""},
		StageOfficeHead:  {"", "", "", StageApproved, "", "", StageDrafting, ""},
		StageApproved:    {"", "", "", "", "", "", StageDrafting, StageIssued},
		StageIssued:      {"", "", "", "", "", "", "", ""},
		StageClosed:      {"", "", "", "", "", "", "", ""},
	}
	for _, p := range prefixes {
		before, err := AnswerFlow(ansNumbered(slices.Clone(p.events)...))
		if err != nil || before.Stage != p.stage {
			t.Fatalf("prefix for %s: stage %s, err %v", p.stage, before.Stage, err)
		}
		for i, s := range steps {
			t.Run(string(p.stage)+"/"+s.name, func(t *testing.T) {
				ledger := ansNumbered(append(slices.Clone(p.events), s.e)...)
				st, err := AnswerFlow(ledger)
				w := want[p.stage][i]
				if w == "" {
					if ErrorCode(err) != ECONFLICT {
						t.Fatalf("err = %v (stage %s), want a conflict", err, st.Stage)
					}
					return
				}
				if err != nil || st.Stage != w {
					t.Fatalf("stage = %s, err %v; want %s", st.Stage, err, w)
				}
			})
		}
	}
}

func TestAnswerFlowRefusals(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		code   Code
		msg    string
	}{
		{"return without a comment", []Event{ansDrafted(OutcomeDisclose), ansReturned(StageSectionHead, " ")}, EINVALID, "退回意见"},
		{"issue a different outcome", []Event{ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead), ansReviewed(),
			ansApproved(StageOfficeHead), ansIssued(OutcomeNotHeld)}, ECONFLICT, "不一致"},
		{"issue before sign-off", []Event{ansDrafted(OutcomeDisclose), ansIssued(OutcomeDisclose)}, ECONFLICT, "待科室负责人审核"},
		{"draft an expiry outcome", []Event{ansDrafted(OutcomeNoCorrection)}, EINVALID, "答复结果无效"},
		{"approve at the wrong stage", []Event{ansDrafted(OutcomeDisclose), ansApproved(StageOfficeHead)}, ECONFLICT, "公开办负责人审批通过"},
		{"reviewer returns before review", []Event{ansDrafted(OutcomeDisclose), ansReturned(StageReview, "x")}, ECONFLICT, "保密审查退回"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AnswerFlow(ansNumbered(tt.events...))
			if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.msg) {
				t.Fatalf("err = %v, want %s containing %q", err, tt.code, tt.msg)
			}
		})
	}
}

func TestAnswerFlowRounds(t *testing.T) {
	ledger := ansNumbered(
		Event{Kind: EventAssigned, Data: EventData{SectionID: 1, Role: RoleLead}},
		ansDrafted(OutcomeWithholdSecret),
		ansApproved(StageSectionHead),
		ansReturned(StageReview, "理由中含有申请人手机号码，请删除"),
		ansDrafted(OutcomeWithholdLaw),
	)
	st, err := AnswerFlow(ledger)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stage != StageSectionHead || st.Round != 2 || st.DraftSeq != 5 || st.Outcome != OutcomeWithholdLaw || st.Drafter != 5 {
		t.Errorf("state = %+v", st)
	}
	if r := st.LastReturn; r == nil || r.Stage != StageReview || r.Seq != 4 || !strings.Contains(r.Comment, "手机号码") {
		t.Errorf("last return = %+v", r)
	}
}

func TestCheckAnswerStep(t *testing.T) {
	atReview := ansNumbered(ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead))
	approvedLedger := ansNumbered(ansDrafted(OutcomeDisclose), ansApproved(StageSectionHead), ansReviewed(), ansApproved(StageOfficeHead))
	clean := NewReview(1, "答复理由：无", nil)
	open := NewReview(1, "答复理由：申请人身份证号码110101199003074477", nil)
	stale := NewReview(9, "答复理由：无", nil)
	tests := []struct {
		name   string
		ledger []Event
		next   Event
		review *Review
		code   Code
		msg    string
	}{
		{"review completed when clean", atReview, ansReviewed(), clean, "", ""},
		{"review without a review record", atReview, ansReviewed(), nil, ECONFLICT, "尚未进行保密审查"},
		{"review of another draft", atReview, ansReviewed(), stale, ECONFLICT, "尚未进行保密审查"},
		{"review with an open finding", atReview, ansReviewed(), open, ECONFLICT, "答复正文第1行：公民身份号码 1101**********4477"},
		{"return needs no review", atReview, ansReturned(StageReview, "请删除号码"), open, "", ""},
		{"issue when clean", approvedLedger, ansIssued(OutcomeDisclose), clean, "", ""},
		{"issue with an open finding", approvedLedger, ansIssued(OutcomeDisclose), open, ECONFLICT, "不能发布"},
		{"step not allowed", atReview, ansApproved(StageOfficeHead), clean, ECONFLICT, "待保密审查"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := tt.next
			next.Seq, next.On = len(tt.ledger)+1, MustParseDate("2026-03-06")
			err := CheckAnswerStep(tt.ledger, next, tt.review)
			if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.msg) {
				t.Fatalf("err = %v, want %q containing %q", err, tt.code, tt.msg)
			}
		})
	}
}

func TestAnswerStepAction(t *testing.T) {
	tests := []struct {
		e    Event
		want Action
	}{
		{ansDrafted(OutcomeDisclose), ActionDraftAnswer},
		{ansApproved(StageSectionHead), ActionApproveDraft},
		{ansReturned(StageSectionHead, "x"), ActionApproveDraft},
		{ansReviewed(), ActionReviewConfidentiality},
		{ansReturned(StageReview, "x"), ActionReviewConfidentiality},
		{ansApproved(StageOfficeHead), ActionFinalApproval},
		{ansReturned(StageOfficeHead, "x"), ActionFinalApproval},
		{ansIssued(OutcomeDisclose), ActionIssueAnswer},
		{Event{Kind: EventConfirmed}, ""},
	}
	for _, tt := range tests {
		t.Run(answerEventLabel(tt.e), func(t *testing.T) {
			if got := AnswerStepAction(tt.e); got != tt.want {
				t.Errorf("AnswerStepAction = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAnswerFlowAgreesWithLifecycle: a full sign-off is a valid ledger.
func TestAnswerFlowAgreesWithLifecycle(t *testing.T) {
	var l ledgerBuilder
	l.submit("2026-03-02")
	l.confirm("2026-03-02")
	l.add(EventAssigned, "2026-03-02", EventData{SectionID: 1, Role: RoleLead})
	l.add(EventAnswerDrafted, "2026-03-03", EventData{Outcome: OutcomeDisclose})
	l.add(EventAnswerApproved, "2026-03-03", EventData{Stage: string(StageSectionHead)})
	l.add(EventAnswerReturned, "2026-03-04", EventData{Stage: string(StageReview), Comment: "附件含身份证号码"})
	l.add(EventAnswerDrafted, "2026-03-04", EventData{Outcome: OutcomeDisclose})
	l.add(EventAnswerApproved, "2026-03-04", EventData{Stage: string(StageSectionHead)})
	l.add(EventAnswerReviewed, "2026-03-05", EventData{})
	l.add(EventAnswerApproved, "2026-03-05", EventData{Stage: string(StageOfficeHead)})
	l.add(EventAnswerIssued, "2026-03-06", EventData{Outcome: OutcomeDisclose})
	if _, err := Lifecycle(l.events); err != nil {
		t.Fatalf("Lifecycle: %v", err)
	}
	st, err := AnswerFlow(l.events)
	if err != nil || st.Stage != StageIssued || st.Round != 2 {
		t.Fatalf("AnswerFlow = %+v, %v", st, err)
	}
}
