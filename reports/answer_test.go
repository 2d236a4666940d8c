package reports

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"gongkai/models"
)

// testAnswer is an answer with outcome o whose draft fills in everything
// the outcome uses, and reasons that name the outcome.
func testAnswer(t testing.TB, o models.Outcome) Answer {
	d := models.AnswerDraft{Outcome: o, Reasons: "经核查，" + string(o) + "的具体理由见本段。"}
	switch o {
	case models.OutcomeProactive:
		d.PublishedWhere, d.PublishedOn = "铁岭市民政局网站“法定主动公开内容—财政资金”栏目", models.MustParseDate("2026-01-15")
	case models.OutcomeDisclose:
		d.Method = models.ProvideOnline
		d.Files = []models.AnswerFile{{AttachmentID: 1, Filename: "2025年度城乡低保资金发放情况.pdf"}}
	case models.OutcomePartial:
		d.Method, d.PartialGround = models.ProvidePickup, models.OutcomeWithholdThirdParty
		d.ObtainPlace, d.ObtainTime = "铁岭市银州区广裕街28号一楼政府信息公开查阅室", "2026年3月9日至3月20日工作日9:00—16:30"
		d.Files = []models.AnswerFile{{AttachmentID: 2, Filename: "低保对象名单（区分处理）.pdf"}}
	case models.OutcomeNotThisAgency:
		d.CompetentAgency, d.CompetentContact = "铁岭市财政局", "024-72111111"
	case models.OutcomeRepeat:
		d.PreviousAnswer = "铁民公开〔2026〕第3号"
	case models.OutcomePublication:
		d.ObtainPlace = "铁岭市图书馆"
	}
	ag := testAgency(t)
	return Answer{
		Agency: ag,
		Application: models.Application{Number: "TLMZ-2026-000123", Title: "2025年度城乡低保资金发放情况",
			ReceivedOn: models.MustParseDate("2026-02-10")},
		Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三"},
		Draft:     d,
		Number:    "铁民公开〔2026〕第12号",
		IssuedOn:  models.MustParseDate("2026-03-06"),
		CreatedAt: pinned,
	}
}

// TestAnswerEveryOutcome renders the letter for every outcome and reads it
// back: the outcome, its article and the reasons are all printed.
func TestAnswerEveryOutcome(t *testing.T) {
	_, err := exec.LookPath("pdftotext")
	havePoppler := err == nil
	for _, info := range models.Outcomes {
		t.Run(string(info.Outcome), func(t *testing.T) {
			a := testAnswer(t, info.Outcome)
			l := AnswerLetter(a)
			if m := MissingGlyphs(l.text()); len(m) > 0 {
				t.Fatalf("MissingGlyphs = %q", string(m))
			}
			wants := []string{AnswerTitle, "铁民公开〔2026〕第12号", "张三：", "2026年2月10日", "TLMZ-2026-000123",
				"2025年度城乡低保资金发放情况", info.Label, decisions[info.Outcome], a.Draft.Reasons,
				"如对本答复不服，可以自收到本答复书之日起60日内向铁岭市人民政府申请行政复议，或者自收到本答复书之日起6个月内向铁岭市银州区人民法院提起行政诉讼。",
				"2026年3月6日"}
			if info.Basis != "" {
				wants = append(wants, info.Basis)
			}
			switch info.Outcome {
			case models.OutcomeProactive:
				wants = append(wants, "“法定主动公开内容—财政资金”栏目", "2026年1月15日")
			case models.OutcomeDisclose:
				wants = append(wants, "凭申请编号和查询码", "2025年度城乡低保资金发放情况.pdf")
			case models.OutcomePartial:
				wants = append(wants, "第十五条", "保护第三方合法权益", "政府信息公开查阅室", "2026年3月9日至3月20日", "低保对象名单（区分处理）.pdf")
			case models.OutcomeNotThisAgency:
				wants = append(wants, "负责公开该政府信息的行政机关为铁岭市财政局，联系方式：024-72111111")
			case models.OutcomeRepeat:
				wants = append(wants, "铁民公开〔2026〕第3号")
			case models.OutcomePublication:
				wants = append(wants, "铁岭市图书馆")
			}
			for _, w := range wants {
				if !strings.Contains(l.text(), w) {
					t.Errorf("letter lacks %q", w)
				}
			}
			var buf bytes.Buffer
			if err := WriteAnswer(&buf, a); err != nil {
				t.Fatal(err)
			}
			if !havePoppler {
				t.Skip("pdftotext not found: install poppler-utils to read the letter back")
			}
			text := mustRun(t, "pdftotext", mustSaveTemp(t, buf.Bytes()), "-")
			var noise []string
			for pages := 1; pages <= 3; pages++ {
				_, _, n := expected(l, pages)
				noise = append(noise, n...)
			}
			flat := squeeze(text, noise)
			for _, w := range wants {
				if !strings.Contains(flat, squeeze(w, noise)) {
					t.Errorf("pdftotext lacks %q", w)
				}
			}
		})
	}
}

func TestAnswerOmitsUnusedParts(t *testing.T) {
	a := testAnswer(t, models.OutcomeNotHeld)
	a.Draft.Reasons = ""
	text := AnswerLetter(a).text()
	for _, absent := range []string{"理由如下", "领取", "下载", "负责公开该政府信息", "此前的答复"} {
		if strings.Contains(text, absent) {
			t.Errorf("letter shows %q", absent)
		}
	}
}

// TestAnswerReleasedFiles: the letter lists the files the review released
// (the redacted versions), not the draft's originals.
func TestAnswerReleasedFiles(t *testing.T) {
	a := testAnswer(t, models.OutcomeDisclose)
	a.Files = []models.AnswerFile{{AttachmentID: 9, Filename: "低保资金发放情况（已遮盖）.pdf"}, {AttachmentID: 10, Filename: "说明.pdf"}}
	text := AnswerLetter(a).text()
	if !strings.Contains(text, "低保资金发放情况（已遮盖）.pdf") || !strings.Contains(text, "共2个文件") ||
		strings.Contains(text, "2025年度城乡低保资金发放情况.pdf") {
		t.Errorf("letter files wrong:\n%s", text)
	}
}

func TestAnswerProvideMethods(t *testing.T) {
	for _, m := range models.ProvideMethods {
		t.Run(string(m), func(t *testing.T) {
			a := testAnswer(t, models.OutcomeDisclose)
			a.Draft.Method, a.Draft.ObtainPlace, a.Draft.ObtainTime = m, "本机关档案室", "2026年3月9日"
			s := obtainSentence(a, 1)
			if s == "" || (m == models.ProvidePickup || m == models.ProvideViewing) != strings.Contains(s, "本机关档案室") {
				t.Errorf("obtainSentence(%s) = %q", m, s)
			}
		})
	}
}

func TestAnswerRefusesMissingGlyph(t *testing.T) {
	a := testAnswer(t, models.OutcomeDisclose)
	a.Applicant.Name = "张𠀀"
	var mg *MissingGlyphsError
	if err := WriteAnswer(&bytes.Buffer{}, a); !errors.As(err, &mg) {
		t.Errorf("err = %v, want MissingGlyphsError", err)
	}
}
