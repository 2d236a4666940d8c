package reports

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"gongkai/models"
)

// testCaseFile is a case that went through a correction and was answered
// with a partly redacted release.
func testCaseFile(t *testing.T) CaseFile {
	t.Helper()
	loc := time.FixedZone("CST", 8*3600)
	r := testReceipt(t)
	app := r.Application
	app.ReceivedOn, app.ClosedOn, app.Outcome = models.MustParseDate("2026-02-10"), models.MustParseDate("2026-03-06"), models.OutcomePartial
	applicant := r.Applicant
	applicant.Address = "辽宁省铁岭市银州区工人街7号4单元302室"

	answer := testAnswer(t, models.OutcomePartial)
	answer.Application, answer.Applicant = app, applicant
	var answerPDF bytes.Buffer
	if err := WriteAnswer(&answerPDF, answer); err != nil {
		t.Fatal(err)
	}
	receiptLetter := ReceiptLetter(r)

	at := time.Date(2026, 3, 4, 15, 30, 0, 0, loc)
	review := models.NewReview(6, answer.Draft.ReviewText(), []models.ScannedFile{
		{AttachmentID: 2, Filename: "低保对象名单.pdf", HasTextLayer: true, Pages: []string{"王五 " + plantedID}},
	})
	if err := review.Replace(2, models.ScannedFile{AttachmentID: 3, Filename: "低保对象名单（区分处理）.pdf",
		HasTextLayer: true, Pages: []string{"王五 ****"}}, 7, at); err != nil {
		t.Fatal(err)
	}
	ev := func(seq int, kind models.EventKind, on string, actor int64, d models.EventData) models.Event {
		return models.Event{Seq: seq, Kind: kind, On: models.MustParseDate(on), ActorKind: models.ActorStaff, ActorID: actor, Data: d}
	}
	events := []models.Event{
		{Seq: 1, Kind: models.EventSubmitted, On: models.MustParseDate("2026-02-10"), ActorKind: models.ActorApplicant, Data: models.EventData{Channel: models.ChannelOnline}},
		ev(2, models.EventConfirmed, "2026-02-10", 5, models.EventData{Channel: models.ChannelOnline}),
		ev(3, models.EventAssigned, "2026-02-11", 5, models.EventData{SectionID: 1, Role: models.RoleLead}),
		ev(4, models.EventCorrectionRequested, "2026-02-12", 5, models.EventData{Items: []string{"请明确年度"}, DueOn: models.MustParseDate("2026-03-05")}),
		ev(5, models.EventCorrected, "2026-02-20", 5, models.EventData{}),
		ev(6, models.EventAnswerDrafted, "2026-03-02", 8, models.EventData{Outcome: models.OutcomePartial}),
		ev(7, models.EventAnswerApproved, "2026-03-03", 9, models.EventData{Stage: "section_head"}),
		ev(8, models.EventAnswerReviewed, "2026-03-04", 7, models.EventData{}),
		ev(9, models.EventAnswerApproved, "2026-03-05", 10, models.EventData{Stage: "office_head"}),
		ev(10, models.EventAnswerIssued, "2026-03-06", 5, models.EventData{Outcome: models.OutcomePartial}),
		ev(11, models.EventAnswerDelivered, "2026-03-06", 5, models.EventData{DeliveryMethod: models.DeliveryOnline}),
		ev(12, models.EventArchived, "2026-03-10", 5, models.EventData{}),
	}
	return CaseFile{
		Agency:      testAgency(t),
		Application: app,
		Applicant:   applicant,
		SectionName: "社会救助科",
		ArchivedOn:  models.MustParseDate("2026-03-10"),
		Documents: []CaseDocument{
			{Title: ReceiptTitle, Date: models.MustParseDate("2026-02-10"), Letter: &receiptLetter},
			{Title: "政府信息公开申请补正告知书", Number: "铁民公开〔2026〕第13号", Date: models.MustParseDate("2026-02-12"), PDF: mustWrite(t, correction(t))},
			{Title: AnswerTitle, Number: answer.Number, Date: answer.IssuedOn, PDF: answerPDF.Bytes()},
		},
		Reviews:   []models.Review{*review},
		Events:    events,
		Names:     map[int64]string{5: "赵经办", 7: "钱审查", 8: "孙承办", 9: "李科长", 10: "周主任"},
		Sections:  map[int64]string{1: "社会救助科"},
		Location:  loc,
		CreatedAt: time.Date(2026, 3, 10, 9, 0, 0, 0, loc),
	}
}

func mustWriteCaseFile(t *testing.T, c CaseFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCaseFile(&buf, c); err != nil {
		t.Fatalf("WriteCaseFile: %v", err)
	}
	return buf.Bytes()
}

// TestCaseFileOrder reads the case file back: the cover, then every
// document of the case in order, each starting on the page the table of
// contents gives.
func TestCaseFileOrder(t *testing.T) {
	c := testCaseFile(t)
	pdf := mustWriteCaseFile(t, c)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found: install poppler-utils to read the case file back")
	}
	text := mustRun(t, "pdftotext", mustSaveTemp(t, pdf), "-")
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	flat := func(s string) string { return strings.Join(strings.Fields(s), "") }

	if !strings.Contains(flat(pages[0]), CaseFileTitle) || !strings.Contains(flat(pages[0]), "卷内文件目录") {
		t.Fatalf("page 1 is not the cover:\n%s", pages[0])
	}
	titles := []string{CaseApplicationTitle, ReceiptTitle, "政府信息公开申请补正告知书", AnswerTitle, CaseReviewTitle, CaseTimelineTitle}
	// The contents list every title with its first page, in order.
	bms, err := api.Bookmarks(bytes.NewReader(pdf), pdfConfig())
	if err != nil {
		t.Fatalf("bookmarks: %v", err)
	}
	if len(bms) != len(titles)+1 {
		t.Fatalf("%d bookmarks, want %d", len(bms), len(titles)+1)
	}
	prev := 1
	for i, want := range titles {
		bm := bms[i+1]
		if bm.Title != want {
			t.Errorf("bookmark %d = %q, want %q", i+1, bm.Title, want)
		}
		if bm.PageFrom <= prev || bm.PageFrom > len(pages) {
			t.Fatalf("%s starts on page %d after page %d of %d", want, bm.PageFrom, prev, len(pages))
		}
		if !strings.Contains(flat(pages[bm.PageFrom-1]), want) {
			t.Errorf("page %d does not start %s:\n%s", bm.PageFrom, want, pages[bm.PageFrom-1])
		}
		if !strings.Contains(flat(pages[0]), want) {
			t.Errorf("contents lack %s", want)
		}
		prev = bm.PageFrom
	}
	// After the cover, the titles appear in this order in the text.
	rest := flat(strings.Join(pages[1:], ""))
	pos := 0
	for _, want := range titles {
		i := strings.Index(rest[pos:], want)
		if i < 0 {
			t.Fatalf("%s not found after position %d", want, pos)
		}
		pos += i + len(want)
	}
	all := flat(text)
	for _, want := range []string{"TLMZ-2026-000123", "社会救助科", "部分公开", "2026年3月10日", "低保对象名单.pdf",
		"已替换为遮盖处理后的文件（钱审查，2026年3月4日15:30）", "1101**********4477", "李科长", "待科室负责人审核环节",
		"答复意见审核通过", "完成保密审查", "张*（自然人）"} {
		if !strings.Contains(all, flat(want)) {
			t.Errorf("case file lacks %q", want)
		}
	}
	for _, secret := range []string{plantedID, "13812345678", "工人街7号4单元"} {
		if strings.Contains(all, secret) {
			t.Errorf("masked case file shows %q", secret)
		}
	}
}

func TestCaseFileFullIdentity(t *testing.T) {
	c := testCaseFile(t)
	c.FullIdentity = true
	pdf := mustWriteCaseFile(t, c)
	pages, _, err := ExtractPDFText(bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"110101199003074477", "13812345678", "工人街7号4单元302室", "仅供行政复议、行政诉讼使用"} {
		if !strings.Contains(strings.Join(strings.Fields(all), ""), want) {
			t.Errorf("full case file lacks %q", want)
		}
	}
}

func TestCaseFileRefusesEmptyDocument(t *testing.T) {
	c := testCaseFile(t)
	c.Documents = append(c.Documents, CaseDocument{Title: "空白文书"})
	if err := WriteCaseFile(&bytes.Buffer{}, c); err == nil || !strings.Contains(err.Error(), "空白文书") {
		t.Errorf("err = %v", err)
	}
}

// TestCaseFileLongContents: a case with many notices still lists each on
// its right page when the contents need more than one cover page.
func TestCaseFileLongContents(t *testing.T) {
	c := testCaseFile(t)
	c.Reviews, c.Events = nil, nil
	l := receipt(t)
	l.Title = "政府信息公开申请征求意见书（给第三方）"
	small := mustWrite(t, l)
	for i := range 40 {
		c.Documents = append(c.Documents, CaseDocument{Title: l.Title, Number: fmt.Sprintf("铁民公开〔2026〕第%d号", 20+i), PDF: small})
	}
	pdf := mustWriteCaseFile(t, c)
	bms, err := api.Bookmarks(bytes.NewReader(pdf), pdfConfig())
	if err != nil {
		t.Fatal(err)
	}
	if bms[1].PageFrom < 3 {
		t.Errorf("the application starts on page %d; the contents need two pages", bms[1].PageFrom)
	}
	pages, _, err := ExtractPDFText(bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		t.Fatal(err)
	}
	for _, bm := range bms[1:] {
		if !strings.Contains(strings.Join(strings.Fields(pages[bm.PageFrom-1]), ""), bm.Title) {
			t.Errorf("page %d does not start %s", bm.PageFrom, bm.Title)
		}
	}
}
