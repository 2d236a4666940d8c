package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// answerFixture is an application routed to a lead and an assisting
// section, and the people of the sign-off.
type answerFixture struct {
	s                               *store.Store
	agency                          *models.Agency
	app                             *models.Application
	lead, assist                    int64
	drafter, helper, head, reviewer *models.User
	officeHead, clerk               *models.User
}

func newAnswerFixture(t *testing.T, s *store.Store) *answerFixture {
	t.Helper()
	ctx := context.Background()
	ag := storetest.DefaultAgency(t, s)
	sections, err := s.Sections(ctx, ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &answerFixture{s: s, agency: ag, lead: sections[1].ID, assist: sections[2].ID}
	user := func(name string, role models.Role, secs ...int64) *models.User {
		u := &models.User{AgencyID: ag.ID, Username: name, DisplayName: "测试" + name, Roles: []models.Role{role}, SectionIDs: secs}
		if err := s.CreateUser(ctx, u, "Gongkai-2026x"); err != nil {
			t.Fatal(err)
		}
		u.Active = true
		return u
	}
	f.drafter = user("drafter", models.RoleSectionHandler, f.lead)
	f.helper = user("helper", models.RoleSectionHandler, f.assist)
	f.head = user("head", models.RoleSectionHead, f.lead)
	f.reviewer = user("reviewer", models.RoleReviewer)
	f.officeHead = user("officehead", models.RoleOfficeHead)
	f.clerk = user("clerk", models.RoleOfficeClerk)
	sub := storetest.MustSubmit(t, s, ag.ID, "2025年度低保资金")
	for _, e := range []models.Event{
		{Kind: models.EventConfirmed, Data: models.EventData{Channel: models.ChannelOnline}},
		{Kind: models.EventAssigned, Data: models.EventData{SectionID: f.lead, Role: models.RoleLead}},
		{Kind: models.EventAssigned, Data: models.EventData{SectionID: f.assist, Role: models.RoleAssist}},
	} {
		e.ActorKind = models.ActorStaff
		if f.app, err = s.AppendEvent(ctx, ag.ID, sub.Application.ID, e, 0); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *answerFixture) step(t *testing.T, u *models.User, kind models.EventKind, stage models.AnswerStage, comment string) error {
	t.Helper()
	_, err := f.s.RecordAnswerStep(context.Background(), store.AnswerStepInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID,
		User: u, Event: models.Event{Kind: kind, Data: models.EventData{Stage: string(stage), Comment: comment}}})
	return err
}

func fakeAnswer(d store.AnswerLetterData) ([]byte, error) {
	return []byte("%PDF-1.4\n% " + d.Number + " " + string(d.Draft.Outcome) + "\n%%EOF\n"), nil
}

func wantCode(t *testing.T, what string, err error, code models.Code) {
	t.Helper()
	if models.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// TestAnswerStoreSignOff: the working copy, the assisting section's part,
// the submission, the review that blocks release while a finding is open,
// the approvals, and the letter numbered in the notice series (a failed
// rendering gives its number back); the released files appear only with
// the letter, the redacted version instead of the original. Each step
// checks the user's right against the ledger inside its transaction.
func TestAnswerStoreSignOff(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		f := newAnswerFixture(t, s)
		planted := "11010519491231002X"
		d := models.AnswerDraft{Outcome: models.OutcomeDisclose, Method: models.ProvideOnline, Reasons: "经查属于公开范围，咨询电话024-72222222。"}
		work := &store.AnswerWork{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.drafter, Draft: d,
			NewFiles: []models.Attachment{{Filename: "名单.pdf", ContentType: models.TypePDF, Content: []byte("%PDF-1.4 名单")}}}
		// Only the lead section drafts.
		_, err := s.SaveAnswerWork(ctx, &store.AnswerWork{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.helper, Draft: d})
		wantCode(t, "assisting section drafting", err, models.EFORBIDDEN)
		w, err := s.SaveAnswerWork(ctx, work)
		if err != nil {
			t.Fatal(err)
		}
		if len(w.Files) != 1 || w.Files[0].AttachmentID == 0 {
			t.Fatalf("working copy files = %+v", w.Files)
		}
		orig := w.Files[0]
		// Files of another application cannot be smuggled in.
		work.Draft.Files, work.NewFiles = []models.AnswerFile{orig, {AttachmentID: 99999}}, nil
		if w, err = s.SaveAnswerWork(ctx, work); err != nil || len(w.Files) != 1 {
			t.Fatalf("kept files = %+v, %v", w, err)
		}
		// The draft is stored encrypted.
		var enc []byte
		if err := s.DB().QueryRow(`SELECT body_enc FROM answer_drafts WHERE application_id = ?`, f.app.ID).Scan(&enc); err != nil ||
			bytes.Contains(enc, []byte("72222222")) || bytes.Contains(enc, []byte("经查")) {
			t.Errorf("draft stored in clear (%v)", err)
		}

		sub := store.AnswerSubmission{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.drafter}
		_, err = s.SubmitAnswer(ctx, sub)
		if fe := models.FieldErrors(err); fe[models.AnswerFieldContributions] == "" {
			t.Fatalf("submitting before the assisting section: %v", err)
		}
		if _, err := s.Contribute(ctx, &store.ContributionWork{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.drafter,
			SectionID: f.lead, Text: "x"}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("the lead contributing: %v", err)
		}
		if _, err := s.Contribute(ctx, &store.ContributionWork{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.helper,
			SectionID: f.assist, Text: "本科室无补充。"}); err != nil {
			t.Fatal(err)
		}
		res, err := s.SubmitAnswer(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		if res.Event.Kind != models.EventAnswerDrafted || res.State.Stage != models.StageSectionHead || res.Draft.Contributions[0].Text != "本科室无补充。" {
			t.Fatalf("submitted: %+v %+v", res.Event, res.State)
		}
		draftSeq := res.Event.Seq
		// Nothing can be edited in the sign-off.
		_, err = s.SaveAnswerWork(ctx, work)
		wantCode(t, "editing in the sign-off", err, models.ECONFLICT)

		// The review: the planted number in the file, the phone in the text.
		review := models.NewReview(draftSeq, res.Draft.ReviewText(), []models.ScannedFile{{AttachmentID: orig.AttachmentID,
			Filename: orig.Filename, Pages: []string{"低保对象李四，身份证号码" + planted}, HasTextLayer: true}})
		stored, err := s.StartAnswerReview(ctx, f.agency.ID, f.app.ID, review)
		if err != nil || len(stored.Findings) != 2 {
			t.Fatalf("review: %+v, %v", stored, err)
		}
		again, err := s.StartAnswerReview(ctx, f.agency.ID, f.app.ID, models.NewReview(draftSeq, "", nil))
		if err != nil || len(again.Findings) != 2 {
			t.Errorf("a second scan replaced the first: %+v, %v", again, err)
		}
		if err := f.step(t, f.reviewer, models.EventAnswerReviewed, "", ""); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("review before the section head: %v", err)
		}
		wantCode(t, "reviewer approving for the section head", f.step(t, f.reviewer, models.EventAnswerApproved, models.StageSectionHead, ""), models.EFORBIDDEN)
		if err := f.step(t, f.head, models.EventAnswerApproved, models.StageSectionHead, ""); err != nil {
			t.Fatal(err)
		}
		// A release with an open finding is refused: the review cannot be
		// completed, and the letter cannot be issued.
		err = f.step(t, f.reviewer, models.EventAnswerReviewed, "", "")
		if models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(models.ErrorMessage(err), "不能发布") {
			t.Errorf("completing with open findings: %v", err)
		}
		_, err = s.IssueAnswer(ctx, store.AnswerIssue{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, Render: fakeAnswer})
		wantCode(t, "issuing with open findings", err, models.ECONFLICT)
		change := func(u *models.User, file *models.Attachment, apply func(*models.Review, int64) error) (*models.Review, error) {
			return s.ChangeAnswerReview(ctx, &store.AnswerReviewChange{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: u,
				DraftSeq: draftSeq, NewFile: file, Apply: apply})
		}
		var textFinding int
		for _, fd := range stored.Findings {
			if stored.Source(fd).Kind == models.ReviewSourceAnswer {
				textFinding = fd.ID
			}
		}
		now := s.Now()
		_, err = change(f.head, nil, func(r *models.Review, _ int64) error { return r.Clear(textFinding, "x", f.head.ID, now) })
		wantCode(t, "section head clearing", err, models.EFORBIDDEN)
		if _, err := change(f.reviewer, nil, func(r *models.Review, _ int64) error {
			return r.Clear(textFinding, "本机关对外公布的咨询电话", f.reviewer.ID, now)
		}); err != nil {
			t.Fatal(err)
		}
		// A refused decision stores nothing, not even the file.
		before, _ := s.Attachments(ctx, f.app.ID)
		_, err = change(f.reviewer, &models.Attachment{Filename: "x.pdf", ContentType: models.TypePDF, Content: []byte("%PDF-1.4")},
			func(r *models.Review, id int64) error {
				return r.Replace(424242, models.ScannedFile{AttachmentID: id}, f.reviewer.ID, now)
			})
		wantCode(t, "replacing an unknown file", err, models.ENOTFOUND)
		if after, _ := s.Attachments(ctx, f.app.ID); len(after) != len(before) {
			t.Errorf("a refused replacement left its file")
		}
		r, err := change(f.reviewer, &models.Attachment{Filename: "名单（已遮盖）.pdf", ContentType: models.TypePDF, Content: []byte("%PDF-1.4 遮盖")},
			func(r *models.Review, id int64) error {
				return r.Replace(orig.AttachmentID, models.ScannedFile{AttachmentID: id, Filename: "名单（已遮盖）.pdf",
					Pages: []string{"低保对象李四"}, HasTextLayer: true}, f.reviewer.ID, now)
			})
		if err != nil || len(r.Blockers()) != 0 {
			t.Fatalf("after replacing: %v, %v", err, r.Blockers())
		}
		redactedID := r.ReleasedFiles()[0].AttachmentID
		if a, err := s.Attachment(ctx, f.app.ID, redactedID); err != nil || a.Kind != models.AttachRedacted {
			t.Errorf("redacted file: %+v, %v", a, err)
		}
		if files, _ := s.ReleasedFiles(ctx, f.app.ID); len(files) != 0 {
			t.Errorf("files released before the letter: %d", len(files))
		}
		if err := f.step(t, f.reviewer, models.EventAnswerReviewed, "", ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "clearing after the review", func() error {
			_, err := change(f.reviewer, nil, func(r *models.Review, _ int64) error { return nil })
			return err
		}(), models.ECONFLICT)
		if err := f.step(t, f.officeHead, models.EventAnswerApproved, models.StageOfficeHead, ""); err != nil {
			t.Fatal(err)
		}

		// Issuing: a failed rendering leaves nothing and gives the number
		// back; the letter is in the notice series.
		_, err = s.IssueAnswer(ctx, store.AnswerIssue{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.officeHead, Render: fakeAnswer})
		wantCode(t, "office head issuing", err, models.EFORBIDDEN)
		_, err = s.IssueAnswer(ctx, store.AnswerIssue{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk,
			Render: func(store.AnswerLetterData) ([]byte, error) { return nil, errors.New("font") }})
		if err == nil {
			t.Fatal("a failed rendering was accepted")
		}
		issued, err := s.IssueAnswer(ctx, store.AnswerIssue{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, Render: fakeAnswer})
		if err != nil {
			t.Fatal(err)
		}
		if issued.Letter.Number != "铁民公开〔2026〕第1号" || issued.App.Status != models.StatusAnswered ||
			issued.Event.Data.NoticeID != issued.Letter.ID || issued.Letter.Kind != string(models.NoticeAnswer) {
			t.Errorf("issued: %+v %+v", issued.Letter, issued.Event)
		}
		files, err := s.ReleasedFiles(ctx, f.app.ID)
		if err != nil || len(files) != 1 || files[0].ID != redactedID {
			t.Errorf("released files: %+v, %v", files, err)
		}
		if _, err := s.ReleasedFile(ctx, f.app.ID, orig.AttachmentID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("the replaced original is released: %v", err)
		}
		_, err = s.IssueAnswer(ctx, store.AnswerIssue{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, Render: fakeAnswer})
		wantCode(t, "issuing twice", err, models.ECONFLICT)
		// The next notice of the agency continues the series.
		other := storetest.MustSubmit(t, s, f.agency.ID, "养老补贴")
		res2, err := s.RecordStep(ctx, staffStep(f.agency.ID, other.Application.ID, models.Event{Kind: models.EventConfirmed,
			Data: models.EventData{Channel: models.ChannelOnline}}, models.NoticeBody{Kind: models.NoticeReceipt}))
		if err != nil || res2.Notices[0].Number != "铁民公开〔2026〕第2号" {
			t.Errorf("next notice: %v", err)
		}

		// Delivery of the letter puts answer_delivered on the ledger.
		if _, err := s.RecordNoticeDelivery(ctx, store.NoticeDeliveryRecord{AgencyID: f.agency.ID, ApplicationID: f.app.ID,
			NoticeID: issued.Letter.ID, Delivery: models.NoticeDelivery{Method: models.DeliveryOnline, On: s.Today()}, ActorID: f.clerk.ID}); err != nil {
			t.Fatal(err)
		}
		events, _ := s.Events(ctx, f.app.ID)
		if e := events[len(events)-1]; e.Kind != models.EventAnswerDelivered || e.Data.DeliveryMethod != models.DeliveryOnline {
			t.Errorf("ledger ends %+v", e)
		}
		// Every step is in the audit trail.
		if _, n, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: f.agency.ID, Action: string(models.AuditApplicationStep),
			ObjectID: f.app.Number}); err != nil || n != 11 {
			t.Errorf("%d audit entries for the answer, %v", n, err)
		}
	})
}

// TestAnswerStoreRemediesAndArchive: remedies are validated and concluded
// once; archiving needs a closed case, stores the case file once, and
// refuses a case file made from an older ledger.
func TestAnswerStoreRemediesAndArchive(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		f := newAnswerFixture(t, s)
		today := s.Today()
		in := store.RemedyInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk,
			Record: models.RemedyRecord{Kind: models.RemedyReconsideration, FiledOn: today}}
		_, err := s.RecordRemedy(ctx, in)
		if fe := models.FieldErrors(err); fe[models.RemedyFieldCaseRef] == "" {
			t.Errorf("a remedy without a case number: %v", err)
		}
		in.Record.CaseRef = "铁政复〔2026〕1号"
		in.User = f.drafter
		_, err = s.RecordRemedy(ctx, in)
		wantCode(t, "section recording a remedy", err, models.EFORBIDDEN)
		in.User = f.clerk
		filed, err := s.RecordRemedy(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		done := store.RemedyConclusion{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, Ref: filed.Seq,
			Result: models.ResultCorrected, ConcludedOn: today}
		if _, err := s.ConcludeRemedy(ctx, done); err != nil {
			t.Fatal(err)
		}
		_, err = s.ConcludeRemedy(ctx, done)
		wantCode(t, "concluding twice", err, models.ECONFLICT)
		done.Ref = 1
		_, err = s.ConcludeRemedy(ctx, done)
		wantCode(t, "concluding what is no remedy", err, models.EINVALID)

		// Archiving an open case is refused by the ledger.
		_, err = s.Archive(ctx, store.ArchiveInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, CaseFile: []byte("%PDF-1.4")})
		wantCode(t, "archiving an open case", err, models.ECONFLICT)
		app, err := s.AppendEvent(ctx, f.agency.ID, f.app.ID, models.Event{Kind: models.EventWithdrawn, ActorKind: models.ActorApplicant,
			Data: models.EventData{Reason: "不再需要"}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Archive(ctx, store.ArchiveInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk,
			ExpectVersion: app.Version - 1, CaseFile: []byte("%PDF-1.4")})
		wantCode(t, "archiving from an older ledger", err, models.ECONFLICT)
		if _, err := s.Archive(ctx, store.ArchiveInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk,
			ExpectVersion: app.Version, CaseFile: []byte("%PDF-1.4 case")}); err != nil {
			t.Fatal(err)
		}
		a, err := s.ArchivedCaseFile(ctx, f.app.ID)
		if err != nil || string(a.Content) != "%PDF-1.4 case" || a.Filename != "政府信息公开申请案卷（"+f.app.Number+"）.pdf" {
			t.Errorf("stored case file: %+v, %v", a, err)
		}
		_, err = s.Archive(ctx, store.ArchiveInput{AgencyID: f.agency.ID, ApplicationID: f.app.ID, User: f.clerk, CaseFile: []byte("%PDF-1.4")})
		wantCode(t, "archiving twice", err, models.ECONFLICT)
		in.Record.CaseRef = "（2026）辽1202行初1号"
		in.Record.Kind = models.RemedyLitigation
		if _, err := s.RecordRemedy(ctx, in); err != nil {
			t.Errorf("a lawsuit after archiving: %v", err)
		}
		inputs, err := s.CaseFileInputs(ctx, app)
		if err != nil || len(inputs.Events) == 0 || inputs.Names[f.clerk.ID] != f.clerk.DisplayName || inputs.Sections[f.lead] == "" {
			t.Errorf("case file inputs: %+v, %v", inputs, err)
		}
	})
}
