package models

// The answer to an application (条例第三十六条至第四十条) and its sign-off.
//
// A section drafts the answer: one statutory outcome, the reasons where the
// law requires them, and for a disclosure how, where and when the applicant
// obtains the information together with the released files. Assisting (协办)
// sections add their parts first. The draft then passes 科室负责人 approval,
// the confidentiality review (保密审查, review.go; 网站管理办法第十条) and the
// final approval of the head of the disclosure office before the letter is
// issued; anyone in that chain can send it back, which starts again from
// drafting. The workflow is a pure function of the ledger's answer events
// (AnswerFlow); the draft itself is kept beside the ledger by the store,
// keyed by the Seq of its answer_drafted event.

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ProvideMethod is how released information reaches the applicant
// (条例第四十条: the form follows the applicant's request where possible;
// otherwise electronic data, copies, or viewing on site).
type ProvideMethod string

// Ways of providing information. Stored values; do not change.
const (
	ProvideOnline  ProvideMethod = "online"  // 在线下载: from the tracking page
	ProvideEmail   ProvideMethod = "email"   // 电子邮件
	ProvidePost    ProvideMethod = "post"    // 邮寄: copies sent with the letter through a postal enterprise
	ProvidePickup  ProvideMethod = "pickup"  // 自行领取: copies collected at the office
	ProvideViewing ProvideMethod = "viewing" // 现场查阅: viewed and copied on site (条例第四十条)
)

// ProvideMethods lists the ways in the order staff choose them.
var ProvideMethods = []ProvideMethod{ProvideOnline, ProvideEmail, ProvidePost, ProvidePickup, ProvideViewing}

// Valid reports whether m is a known way.
func (m ProvideMethod) Valid() bool {
	for _, v := range ProvideMethods {
		if v == m {
			return true
		}
	}
	return false
}

// Label returns the way in Chinese.
func (m ProvideMethod) Label() string {
	switch m {
	case ProvideOnline:
		return "在线下载"
	case ProvideEmail:
		return "电子邮件发送"
	case ProvidePost:
		return "邮寄"
	case ProvidePickup:
		return "自行领取"
	case ProvideViewing:
		return "现场查阅"
	}
	return ""
}

// needsFiles reports whether the way hands over copies, which must be
// attached so that the confidentiality review sees what is released.
func (m ProvideMethod) needsFiles() bool { return m != ProvideViewing }

// needsPlace reports whether the applicant has to come to the office.
func (m ProvideMethod) needsPlace() bool { return m == ProvidePickup || m == ProvideViewing }

// AnswerFile is a file released with the answer, by reference to its stored
// attachment (AttachReleased, or AttachRedacted once the reviewer replaced
// it).
type AnswerFile struct {
	AttachmentID int64  `json:"attachment_id"`
	Filename     string `json:"filename"`
}

// Contribution is an assisting (协办) section's part of the answer: its
// opinion and the files it found. The lead section merges it into the
// draft; it is kept for the case file.
type Contribution struct {
	SectionID   int64        `json:"section_id"`
	Text        string       `json:"text"`
	Files       []AnswerFile `json:"files,omitempty"`
	SubmittedBy int64        `json:"submitted_by"`
	SubmittedAt time.Time    `json:"submitted_at"`
}

// AnswerDraft is the answer a lead (主办) section submits. Which fields an
// outcome needs is decided by Validate; the letter (reports.AnswerLetter)
// prints what is filled in.
type AnswerDraft struct {
	Outcome Outcome `json:"outcome"`
	// PartialGround is, for 部分公开 (条例第三十七条), the 不予公开 outcome whose
	// ground covers the part withheld, so the letter can cite its article.
	PartialGround Outcome `json:"partial_ground,omitempty"`
	// ExtraBasis is further legal basis the letter cites after the outcome's
	// article, e.g. 《中华人民共和国个人信息保护法》第二十五条; optional.
	ExtraBasis string `json:"extra_basis,omitempty"`
	// Reasons are the reasons stated in the letter (说明理由): required where
	// the law requires them (OutcomeInfo.ReasonRequired).
	Reasons string `json:"reasons,omitempty"`

	// For 予以公开 and 部分公开: how, where and when the applicant obtains
	// the information (条例第三十六条第（二）项、第四十条).
	Method      ProvideMethod `json:"method,omitempty"`
	ObtainPlace string        `json:"obtain_place,omitempty"` // the office's address, for pickup and viewing
	ObtainTime  string        `json:"obtain_time,omitempty"`  // e.g. 2026年3月2日至3月13日工作日9:00—17:00
	// PublishedWhere is, for 条例第三十六条第（一）项, where the information was
	// proactively disclosed (website column and address, gazette issue…),
	// and PublishedOn when; PublishedOn is optional.
	PublishedWhere string `json:"published_where,omitempty"`
	PublishedOn    Date   `json:"published_on,omitzero"`

	// For 条例第三十六条第（五）项 (and optionally 第（七）项 and 第三十九条): the
	// competent agency and how to reach it.
	CompetentAgency  string `json:"competent_agency,omitempty"`
	CompetentContact string `json:"competent_contact,omitempty"`

	// PreviousAnswer names the earlier answer to the same request, for 重复申请
	// (条例第三十六条第（六）项), e.g. 铁民公开〔2026〕第3号; optional.
	PreviousAnswer string `json:"previous_answer,omitempty"`

	// Files are the released files.
	Files []AnswerFile `json:"files,omitempty"`
	// Contributions are the assisting sections' parts.
	Contributions []Contribution `json:"contributions,omitempty"`
}

// Limits on a draft's text.
const (
	maxReasonRunes = 3000
	maxFieldRunes  = 500
	// MaxAnswerFiles is the most files one answer releases.
	MaxAnswerFiles = 50
)

// Discloses reports whether the outcome releases information to the
// applicant (予以公开 or 部分公开, 条例第三十六条第（一）（二）项、第三十七条), so
// that files may be attached.
func (o Outcome) Discloses() bool {
	return o == OutcomeProactive || o == OutcomeDisclose || o == OutcomePartial
}

// withholds reports whether o is one of the 不予公开 outcomes that can be a
// 部分公开's ground.
func (o Outcome) withholds() bool {
	switch o {
	case OutcomeWithholdSecret, OutcomeWithholdLaw, OutcomeWithholdSecurity, OutcomeWithholdThirdParty,
		OutcomeWithholdInternal, OutcomeWithholdProcess, OutcomeWithholdCaseFile:
		return true
	}
	return false
}

// Drafted reports whether an answer with outcome o is drafted by a section.
// 逾期未补正, 逾期未缴费 and 撤回 are not answers: they come from an expiry or a
// withdrawal in the ledger (see Lifecycle).
func (o Outcome) Drafted() bool {
	switch o {
	case OutcomeNoCorrection, OutcomeFeeUnpaid, OutcomeWithdrawn:
		return false
	}
	return o.Valid()
}

// Answer form field names, as FieldError reports them.
const (
	AnswerFieldOutcome          = "outcome"
	AnswerFieldPartialGround    = "partial_ground"
	AnswerFieldExtraBasis       = "extra_basis"
	AnswerFieldReasons          = "reasons"
	AnswerFieldMethod           = "method"
	AnswerFieldObtainPlace      = "obtain_place"
	AnswerFieldObtainTime       = "obtain_time"
	AnswerFieldPublishedWhere   = "published_where"
	AnswerFieldCompetentAgency  = "competent_agency"
	AnswerFieldCompetentContact = "competent_contact"
	AnswerFieldPreviousAnswer   = "previous_answer"
	AnswerFieldFiles            = "files"
	AnswerFieldContributions    = "contributions"
)

// Normalize trims the draft's text fields and drops the fields the outcome
// does not use, so that a changed outcome leaves nothing stale in the letter.
func (d *AnswerDraft) Normalize() {
	for _, s := range []*string{&d.ExtraBasis, &d.Reasons, &d.ObtainPlace, &d.ObtainTime, &d.PublishedWhere,
		&d.CompetentAgency, &d.CompetentContact, &d.PreviousAnswer} {
		*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	}
	if d.Outcome != OutcomePartial {
		d.PartialGround = ""
	}
	if !d.Outcome.Discloses() {
		d.Method, d.ObtainTime, d.Files = "", "", nil
		// 条例第三十九条第二款: where to get a publication is kept (the
		// letter prints it).
		if d.Outcome != OutcomePublication {
			d.ObtainPlace = ""
		}
	}
	if d.Outcome != OutcomeProactive {
		d.PublishedWhere, d.PublishedOn = "", Date{}
	}
	if d.Outcome != OutcomeRepeat {
		d.PreviousAnswer = ""
	}
	if d.Method != "" && !d.Method.needsPlace() && d.Outcome != OutcomePublication {
		d.ObtainPlace, d.ObtainTime = "", ""
	}
}

// Validate checks the draft before the lead section submits it: one message
// per field, in Chinese. assisting are the application's 协办 sections: the
// draft cannot be submitted while one of them has not contributed its part.
// Call Normalize first.
func (d *AnswerDraft) Validate(assisting []Section) error {
	var fe []FieldError
	add := func(field, msg string) { fe = append(fe, FieldError{field, msg}) }
	long := func(field, value string, limit int) bool {
		if utf8.RuneCountInString(value) > limit {
			add(field, fmt.Sprintf("内容过长，请不超过%d个字。", limit))
			return true
		}
		return false
	}

	info, ok := d.Outcome.Info()
	switch {
	case !ok:
		add(AnswerFieldOutcome, "请选择答复结果。")
	case !d.Outcome.Drafted():
		add(AnswerFieldOutcome, "“"+info.Label+"”由补正、缴费期限届满或申请人撤回产生，不需要拟定答复。")
	}

	// 条例第三十七条: the withheld part needs its ground.
	if d.Outcome == OutcomePartial && !d.PartialGround.withholds() {
		add(AnswerFieldPartialGround, "请选择不予公开部分的依据（条例第十四条、第十五条或第十六条）。")
	}
	long(AnswerFieldExtraBasis, d.ExtraBasis, maxFieldRunes)

	switch {
	case ok && info.ReasonRequired && d.Reasons == "":
		add(AnswerFieldReasons, reasonPrompt(d.Outcome))
	case long(AnswerFieldReasons, d.Reasons, maxReasonRunes):
	}

	if d.Outcome == OutcomeProactive {
		// 条例第三十六条第（一）项: tell the applicant how to obtain it.
		if d.PublishedWhere == "" {
			add(AnswerFieldPublishedWhere, "请填写该信息主动公开的途径，例如网站栏目名称和网址。")
		} else {
			long(AnswerFieldPublishedWhere, d.PublishedWhere, maxFieldRunes)
		}
	}
	if d.Outcome == OutcomeDisclose || d.Outcome == OutcomePartial {
		// 条例第三十六条第（二）项: provide it, or say how, where and when.
		if !d.Method.Valid() {
			add(AnswerFieldMethod, "请选择提供信息的方式。")
		}
	} else if d.Method != "" && !d.Method.Valid() {
		add(AnswerFieldMethod, "提供信息的方式无效。")
	}
	if d.Method.Valid() {
		if d.Method.needsFiles() && len(d.Files) == 0 {
			add(AnswerFieldFiles, "请上传予以公开的文件；以“"+d.Method.Label()+"”方式提供的，须经保密审查后才能发出。")
		}
		if d.Method.needsPlace() {
			if d.ObtainPlace == "" {
				add(AnswerFieldObtainPlace, "请填写领取或查阅的地点。")
			} else {
				long(AnswerFieldObtainPlace, d.ObtainPlace, maxFieldRunes)
			}
			if d.ObtainTime == "" {
				add(AnswerFieldObtainTime, "请填写领取或查阅的时间。")
			} else {
				long(AnswerFieldObtainTime, d.ObtainTime, maxFieldRunes)
			}
		}
	}
	if d.Outcome == OutcomePublication {
		long(AnswerFieldObtainPlace, d.ObtainPlace, maxFieldRunes)
	}
	if len(d.Files) > 0 && d.Outcome.Drafted() && !d.Outcome.Discloses() {
		add(AnswerFieldFiles, "只有予以公开或部分公开的答复才能附公开的文件。")
	}
	if len(d.Files) > MaxAnswerFiles {
		add(AnswerFieldFiles, fmt.Sprintf("一份答复最多附%d个文件。", MaxAnswerFiles))
	}
	for _, f := range d.Files {
		if f.AttachmentID == 0 {
			add(AnswerFieldFiles, "附件无效，请重新上传。")
			break
		}
	}

	// 条例第三十六条第（五）项: name the competent agency and its contacts.
	if d.Outcome == OutcomeNotThisAgency {
		if d.CompetentAgency == "" {
			add(AnswerFieldCompetentAgency, "请填写负责公开该政府信息的行政机关名称。")
		}
		if d.CompetentContact == "" {
			add(AnswerFieldCompetentContact, "请填写该行政机关的联系方式。")
		}
	}
	long(AnswerFieldCompetentAgency, d.CompetentAgency, maxFieldRunes)
	long(AnswerFieldCompetentContact, d.CompetentContact, maxFieldRunes)
	long(AnswerFieldPreviousAnswer, d.PreviousAnswer, maxFieldRunes)

	// 协办: every assisting section has given its part.
	var missing []string
	for _, s := range assisting {
		if d.contribution(s.ID) == nil {
			missing = append(missing, "“"+s.Name+"”")
		}
	}
	if len(missing) > 0 {
		add(AnswerFieldContributions, "协办科室"+strings.Join(missing, "、")+"尚未提交协办意见，暂不能提交答复。")
	}

	if len(fe) > 0 {
		return Invalid(fe...)
	}
	return nil
}

// reasonPrompt is the message for missing reasons, in the terms of the
// outcome's article.
func reasonPrompt(o Outcome) string {
	switch {
	case o == OutcomePartial:
		return "部分公开的，须说明不予公开部分的理由（条例第三十七条）。"
	case o.withholds() || o == OutcomeWithholdQuery:
		return "不予公开的，须说明理由（条例第三十六条第（三）项）。"
	case o == OutcomeNotThisAgency:
		return "须说明不属于本机关负责公开的理由（条例第三十六条第（五）项）。"
	}
	return "请填写答复理由。"
}

// contribution returns the assisting section's part, or nil.
func (d *AnswerDraft) contribution(sectionID int64) *Contribution {
	for i := range d.Contributions {
		c := &d.Contributions[i]
		if c.SectionID == sectionID && strings.TrimSpace(c.Text) != "" {
			return c
		}
	}
	return nil
}

// Contribute records an assisting section's part, replacing an earlier one
// of the same section. assisting are the application's 协办 sections; a
// section that is not one of them cannot contribute.
func (d *AnswerDraft) Contribute(c Contribution, assisting []Section) error {
	found := false
	for _, s := range assisting {
		found = found || s.ID == c.SectionID
	}
	if !found {
		return Errorf(EFORBIDDEN, "该科室不是本申请的协办科室。")
	}
	c.Text = strings.TrimSpace(c.Text)
	switch n := utf8.RuneCountInString(c.Text); {
	case n == 0:
		return Invalid(FieldError{"contribution", "请填写协办意见。"})
	case n > maxReasonRunes:
		return Invalid(FieldError{"contribution", fmt.Sprintf("内容过长，请不超过%d个字。", maxReasonRunes)})
	}
	for i := range d.Contributions {
		if d.Contributions[i].SectionID == c.SectionID {
			d.Contributions[i] = c
			return nil
		}
	}
	d.Contributions = append(d.Contributions, c)
	return nil
}

// Basis returns the legal basis the letter cites: the outcome's article,
// the withheld part's article for 部分公开, and any extra basis.
func (d *AnswerDraft) Basis() string {
	info, _ := d.Outcome.Info()
	parts := []string{}
	if info.Basis != "" {
		parts = append(parts, info.Basis)
	}
	if d.Outcome == OutcomePartial {
		if g, ok := d.PartialGround.Info(); ok && g.Basis != "" {
			parts = append(parts, strings.Replace(g.Basis, "、第三十六条第（三）项", "", 1))
		}
	}
	if d.ExtraBasis != "" {
		parts = append(parts, d.ExtraBasis)
	}
	return strings.Join(parts, "，")
}

// ReviewText returns the draft's free text as the letter prints it, one
// field per line with its label, for the confidentiality scanner: a finding's
// line names the field it is in.
func (d *AnswerDraft) ReviewText() string {
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			b.WriteString(label + "：" + strings.ReplaceAll(v, "\n", " ") + "\n")
		}
	}
	line("答复理由", d.Reasons)
	line("其他依据", d.ExtraBasis)
	line("主动公开途径", d.PublishedWhere)
	line("领取或查阅地点", d.ObtainPlace)
	line("领取或查阅时间", d.ObtainTime)
	line("负责公开的行政机关", d.CompetentAgency)
	line("联系方式", d.CompetentContact)
	line("此前答复", d.PreviousAnswer)
	for _, f := range d.Files {
		line("公开文件", f.Filename)
	}
	return b.String()
}

// AnswerStage is where an answer stands in its sign-off.
type AnswerStage string

// Answer stages. The approval and return events name the stage that acted
// (EventData.Stage): StageSectionHead, StageReview or StageOfficeHead.
const (
	StageDrafting    AnswerStage = "drafting"     // nothing submitted yet, or sent back
	StageSectionHead AnswerStage = "section_head" // awaiting the 科室负责人
	StageReview      AnswerStage = "review"       // awaiting the 保密审查员
	StageOfficeHead  AnswerStage = "office_head"  // awaiting the 公开办负责人
	StageApproved    AnswerStage = "approved"     // signed off; the letter can be issued
	StageIssued      AnswerStage = "issued"       // the letter was issued
	StageClosed      AnswerStage = "closed"       // the case ended otherwise (withdrawn, deemed abandoned)
)

// Label returns the stage as the staff pages show it.
func (s AnswerStage) Label() string {
	switch s {
	case StageDrafting:
		return "拟稿中"
	case StageSectionHead:
		return "待科室负责人审核"
	case StageReview:
		return "待保密审查"
	case StageOfficeHead:
		return "待公开办负责人审批"
	case StageApproved:
		return "待出具答复书"
	case StageIssued:
		return "已答复"
	case StageClosed:
		return "已办结"
	}
	return string(s)
}

// Action returns the action that moves an answer on from the stage (the
// approval or return made there), "" for the stages where nobody approves.
func (s AnswerStage) Action() Action {
	switch s {
	case StageDrafting:
		return ActionDraftAnswer
	case StageSectionHead:
		return ActionApproveDraft
	case StageReview:
		return ActionReviewConfidentiality
	case StageOfficeHead:
		return ActionFinalApproval
	case StageApproved:
		return ActionIssueAnswer
	}
	return ""
}

// AnswerReturn is the latest send-back, shown to the drafter.
type AnswerReturn struct {
	Stage   AnswerStage
	Comment string
	ActorID int64
	On      Date
	Seq     int
}

// AnswerState is what the ledger's answer events say about the answer.
type AnswerState struct {
	Stage AnswerStage
	// DraftSeq is the Seq of the current draft's answer_drafted event (the
	// key of the stored draft and of its review), 0 before the first draft.
	DraftSeq int
	// Outcome is the current draft's outcome.
	Outcome Outcome
	// Round counts the drafts submitted (1 for the first).
	Round int
	// Drafter is the user who submitted the current draft.
	Drafter int64
	// LastReturn is the latest send-back, nil when none.
	LastReturn *AnswerReturn
	// IssuedSeq is the Seq of the answer_issued event, 0 before.
	IssuedSeq int
	// ByDecision is true when the answer was not drafted and signed off
	// here but issued by the office head's 不予处理 decision under
	// 条例第三十五条 (the excessive step records answer_issued directly); its
	// letter is issued afterwards from the decision's reasons.
	ByDecision bool
}

// AnswerFlow replays the answer events of a ledger (the other kinds are
// skipped, except those that end the case) and returns where the answer
// stands. It refuses an event that was not allowed where it stands. It does
// not check the review record: CheckAnswerStep does, before an event is
// appended.
func AnswerFlow(events []Event) (AnswerState, error) {
	st := AnswerState{Stage: StageDrafting}
	for i := range events {
		e := events[i]
		if e.Kind == EventAnswerIssued && st.decidedExcessive(e) {
			st.Stage, st.IssuedSeq, st.Outcome, st.ByDecision = StageIssued, e.Seq, e.Data.Outcome, true
			continue
		}
		if err := st.apply(e); err != nil {
			return st, err
		}
	}
	return st, nil
}

// decidedExcessive reports whether an answer_issued event on record is the
// office head's 不予处理 decision under 条例第三十五条, recorded outside the
// sign-off (handlers/staff_steps.go, the excessive step): outcome
// not_processed_mass and no letter (an answer issued after sign-off always
// names its letter). The ledger's own rules (Lifecycle) checked it when it
// was recorded; only a replay accepts it, never a proposed step
// (CheckAnswerStep).
func (st *AnswerState) decidedExcessive(e Event) bool {
	return e.Data.Outcome == OutcomeMass && e.Data.NoticeID == 0 && st.Stage != StageIssued && st.Stage != StageClosed
}

// apply moves the state by one event.
func (st *AnswerState) apply(e Event) error {
	refuse := func() error {
		return Errorf(ECONFLICT, "答复当前为“%s”，不能登记“%s”。", st.Stage.Label(), answerEventLabel(e))
	}
	switch e.Kind {
	case EventAnswerDrafted:
		if st.Stage != StageDrafting {
			return refuse()
		}
		if !e.Data.Outcome.Drafted() {
			return Errorf(EINVALID, "答复结果无效。")
		}
		st.Stage, st.DraftSeq, st.Outcome, st.Drafter = StageSectionHead, e.Seq, e.Data.Outcome, e.ActorID
		st.Round++

	case EventAnswerApproved:
		switch {
		case st.Stage == StageSectionHead && AnswerStage(e.Data.Stage) == StageSectionHead:
			st.Stage = StageReview
		case st.Stage == StageOfficeHead && AnswerStage(e.Data.Stage) == StageOfficeHead:
			st.Stage = StageApproved
		default:
			return refuse()
		}

	case EventAnswerReviewed:
		if st.Stage != StageReview {
			return refuse()
		}
		st.Stage = StageOfficeHead

	case EventAnswerReturned:
		// The one at the current stage sends it back; after the final
		// approval and before the letter goes out, the office head still can.
		by := AnswerStage(e.Data.Stage)
		ok := by == st.Stage && (by == StageSectionHead || by == StageReview || by == StageOfficeHead) ||
			st.Stage == StageApproved && by == StageOfficeHead
		if !ok {
			return refuse()
		}
		if strings.TrimSpace(e.Data.Comment) == "" {
			return Errorf(EINVALID, "退回时须填写退回意见。")
		}
		st.Stage = StageDrafting
		st.LastReturn = &AnswerReturn{Stage: by, Comment: e.Data.Comment, ActorID: e.ActorID, On: e.On, Seq: e.Seq}

	case EventAnswerIssued:
		if st.Stage != StageApproved {
			return Errorf(ECONFLICT, "答复尚未完成审核、保密审查和审批（当前为“%s”），不能出具答复书。", st.Stage.Label())
		}
		if e.Data.Outcome != st.Outcome {
			return Errorf(ECONFLICT, "出具的答复结果“%s”与审批通过的“%s”不一致。", e.Data.Outcome.Label(), st.Outcome.Label())
		}
		st.Stage, st.IssuedSeq = StageIssued, e.Seq

	case EventWithdrawn, EventCorrectionExpired, EventFeeExpired:
		if st.Stage != StageIssued {
			st.Stage = StageClosed
		}
	}
	return nil
}

// answerEventLabel names an answer event with the stage that acted.
func answerEventLabel(e Event) string {
	switch e.Kind {
	case EventAnswerApproved:
		switch AnswerStage(e.Data.Stage) {
		case StageSectionHead:
			return "科室负责人审核通过"
		case StageOfficeHead:
			return "公开办负责人审批通过"
		}
	case EventAnswerReturned:
		switch AnswerStage(e.Data.Stage) {
		case StageSectionHead:
			return "科室负责人退回"
		case StageReview:
			return "保密审查退回"
		case StageOfficeHead:
			return "公开办负责人退回"
		}
	}
	return e.Kind.Label()
}

// AnswerStepAction returns the action a user needs to record the answer
// event next (authz.go), or "" for a kind that is not an answer step.
func AnswerStepAction(next Event) Action {
	switch next.Kind {
	case EventAnswerDrafted:
		return ActionDraftAnswer
	case EventAnswerApproved, EventAnswerReturned:
		return AnswerStage(next.Data.Stage).Action()
	case EventAnswerReviewed:
		return ActionReviewConfidentiality
	case EventAnswerIssued:
		return ActionIssueAnswer
	}
	return ""
}

// CheckAnswerStep checks a proposed answer event against the ledger before
// the store appends it (together with CanAppend, which checks the
// lifecycle and the clock). review is the confidentiality review of the
// current draft, nil when none was started: the review can only be completed,
// and the letter only issued, when it allows release (条例第十四条至第十六条;
// 网站管理办法第十条: nothing is released while a finding is open).
func CheckAnswerStep(events []Event, next Event, review *Review) error {
	st, err := AnswerFlow(events)
	if err != nil {
		return err
	}
	if err := st.apply(next); err != nil {
		return err
	}
	if next.Kind != EventAnswerReviewed && next.Kind != EventAnswerIssued {
		return nil
	}
	if review == nil || review.DraftSeq != st.DraftSeq {
		return Errorf(ECONFLICT, "本稿答复尚未进行保密审查。")
	}
	return review.CheckRelease()
}
