package models

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var reviewAt = time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)

// reviewFixture scans an answer text with a landline, a PDF with an ID
// number on page 2 and a bank card on page 3, and a photo without text.
func reviewFixture() *Review {
	return NewReview(4, "答复理由：详见附件。\n联系方式：024-72826123\n", []ScannedFile{
		{AttachmentID: 10, Filename: "名单.pdf", HasTextLayer: true, Pages: []string{
			"2025年度低保资金发放情况",
			"第二页\n张三 身份证号码 110101199003074477",
			"银行卡 6222 0200 0000 0000 000",
		}},
		{AttachmentID: 11, Filename: "现场照片.jpg"},
	})
}

func TestNewReviewFindings(t *testing.T) {
	r := reviewFixture()
	type place struct {
		id     int
		kind   FindingKind
		place  string
		masked string
	}
	var got []place
	for _, f := range r.Findings {
		got = append(got, place{f.ID, f.Kind, r.Place(f), f.Masked})
	}
	want := []place{
		{1, FindingLandline, "答复正文第2行", "024-****6123"},
		{2, FindingResidentID, "文件“名单.pdf”第2页第2行", "1101**********4477"},
		{3, FindingBankCard, "文件“名单.pdf”第3页第1行", "6222***********0000"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("findings =\n%v\nwant\n%v", got, want)
	}
	if src := r.Sources[2]; src.TextLayer != ReviewTextNone || src.Kind != ReviewSourceFile {
		t.Errorf("photo source = %+v", src)
	}
	if r.Sources[1].Pages != 3 {
		t.Errorf("pages = %d, want 3", r.Sources[1].Pages)
	}
	f := r.Findings[1]
	if f.Start != strings.Index("第二页\n张三 身份证号码 110101199003074477", "1101") || f.End-f.Start != 18 {
		t.Errorf("offsets = %d..%d", f.Start, f.End)
	}
}

func TestReviewBlockers(t *testing.T) {
	r := reviewFixture()
	want := []string{
		"答复正文第2行：固定电话号码 024-****6123，尚未处理。",
		"文件“名单.pdf”第2页第2行：公民身份号码 1101**********4477，尚未处理。",
		"文件“名单.pdf”第3页第1行：银行卡号 6222***********0000，尚未处理。",
		"文件“现场照片.jpg”没有可识别的文字层，须由审查员逐页审阅后确认。",
	}
	if got := r.Blockers(); !slices.Equal(got, want) {
		t.Fatalf("Blockers =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	err := r.CheckRelease()
	if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "保密审查尚有4项未处理") ||
		!strings.Contains(ErrorMessage(err), "另有1项") || strings.Contains(ErrorMessage(err), "110101199003074477") {
		t.Errorf("CheckRelease = %v", err)
	}
}

// TestReviewToRelease walks a review from open findings to release, with
// each decision's refusals on the way.
func TestReviewToRelease(t *testing.T) {
	r := reviewFixture()
	steps := []struct {
		name string
		do   func() error
		code Code
		open int // blockers left after the step
	}{
		{"clear without a reason", func() error { return r.Clear(1, "  ", 7, reviewAt) }, EINVALID, 4},
		{"clear an unknown finding", func() error { return r.Clear(99, "x", 7, reviewAt) }, ENOTFOUND, 4},
		{"clear the office phone", func() error { return r.Clear(1, "本机关对外公开的办公电话", 7, reviewAt) }, "", 3},
		{"clear it again", func() error { return r.Clear(1, "重复", 7, reviewAt) }, ECONFLICT, 3},
		{"attest a scanned file", func() error { return r.Attest(10, "已审阅", 7, reviewAt) }, ECONFLICT, 3},
		{"attest without a statement", func() error { return r.Attest(11, "", 7, reviewAt) }, EINVALID, 3},
		{"attest an unknown file", func() error { return r.Attest(12, "已审阅", 7, reviewAt) }, ENOTFOUND, 3},
		{"attest the photo", func() error {
			return r.Attest(11, "已逐页人工审阅，未发现不得公开的内容", 7, reviewAt)
		}, "", 2},
		{"replace with a file that still shows the card", func() error {
			return r.Replace(10, ScannedFile{AttachmentID: 20, Filename: "名单（遮盖）.pdf", HasTextLayer: true,
				Pages: []string{"2025年度", "张三 身份证号码 **************4477", "银行卡 6222 0200 0000 0000 000"}}, 7, reviewAt)
		}, "", 1},
		{"replace the replaced original", func() error {
			return r.Replace(10, ScannedFile{AttachmentID: 21, HasTextLayer: true}, 7, reviewAt)
		}, ECONFLICT, 1},
		{"replace with an attachment already in the review", func() error {
			return r.Replace(20, ScannedFile{AttachmentID: 11, HasTextLayer: true}, 7, reviewAt)
		}, EINVALID, 1},
		{"clear a finding of the replaced original", func() error { return r.Clear(3, "x", 7, reviewAt) }, ECONFLICT, 1},
		{"replace again with a clean scan", func() error {
			return r.Replace(20, ScannedFile{AttachmentID: 21, Filename: "名单（遮盖2）.pdf", HasTextLayer: true,
				Pages: []string{"2025年度", "张三 身份证号码 ****", "银行卡 ****"}}, 7, reviewAt)
		}, "", 0},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if got := ErrorCode(s.do()); got != s.code {
				t.Fatalf("code = %q, want %q", got, s.code)
			}
			if got := r.Blockers(); len(got) != s.open {
				t.Fatalf("blockers = %q, want %d", got, s.open)
			}
		})
	}
	if err := r.CheckRelease(); err != nil {
		t.Fatalf("CheckRelease: %v", err)
	}
	want := []AnswerFile{{21, "名单（遮盖2）.pdf"}, {11, "现场照片.jpg"}}
	if got := r.ReleasedFiles(); !slices.Equal(got, want) {
		t.Errorf("ReleasedFiles = %v, want %v", got, want)
	}
	if f := r.Findings[1]; f.Decision != DecisionReplaced || f.By != 7 || !f.At.Equal(reviewAt) {
		t.Errorf("replaced finding = %+v", f)
	}
	if f := r.Findings[0]; f.Decision != DecisionCleared || f.Reason != "本机关对外公开的办公电话" {
		t.Errorf("cleared finding = %+v", f)
	}
}

func TestReviewUnreadableFile(t *testing.T) {
	r := NewReview(1, "", []ScannedFile{{AttachmentID: 5, Filename: "损坏.pdf", Unreadable: true}})
	want := []string{"文件“损坏.pdf”无法读取，须由审查员逐页审阅后确认。"}
	if got := r.Blockers(); !slices.Equal(got, want) {
		t.Fatalf("Blockers = %q", got)
	}
	if err := r.Attest(5, "已用其他软件打开并逐页审阅", 3, reviewAt); err != nil {
		t.Fatal(err)
	}
	if err := r.CheckRelease(); err != nil {
		t.Errorf("CheckRelease after attestation: %v", err)
	}
}

// TestReviewPartialTextLayer: the pages that were read are scanned even
// when the file as a whole needs an attestation.
func TestReviewPartialTextLayer(t *testing.T) {
	r := NewReview(1, "", []ScannedFile{{AttachmentID: 5, Filename: "混合.pdf", Pages: []string{"手机13812345678", ""}}})
	if got := len(r.Blockers()); got != 2 {
		t.Fatalf("blockers = %q, want the mobile and the attestation", r.Blockers())
	}
}

func TestMaskFinding(t *testing.T) {
	tests := []struct {
		kind  FindingKind
		match string
		want  string
	}{
		{FindingResidentID, "11010519491231002x", "1101**********002x"},
		{FindingResidentID, "110105 19491231 002X", "1101**********002X"},
		{FindingMobile, "138 1234 5678", "138****5678"},
		{FindingLandline, "(024)23456789", "024-****6789"},
		{FindingBankCard, "6222020000000000005", "6222***********0005"},
		{FindingBankCard, "４１１１１１１１１１１１１１１１", "4111********1111"},
		{FindingEmail, "zhangsan@example.com", "z*******@example.com"},
		{FindingAddress, "柴河街3号2单元501室", "柴河街*号*单元***室"},
		{FindingAddress, "前进村三组", "前进村*组"},
		{"other", "秘密", "**"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.match, func(t *testing.T) {
			if got := MaskFinding(tt.kind, tt.match); got != tt.want {
				t.Errorf("MaskFinding = %q, want %q", got, tt.want)
			}
		})
	}
}
