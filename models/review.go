package models

// The confidentiality review (保密审查) of an answer before release. 网站管理办法
// 第十条 forbids publishing state secrets, trade secrets and personal privacy
// (身份证号码、详细居住地址、联系方式), and 条例第十四条至第十六条 make the
// protected information an exception to disclosure. ScanText (scanner.go)
// flags personal information in the answer's text and in the text layer of
// every released file; the 保密审查员 then decides each finding: cleared
// with a reason, or the file replaced by a redacted version, which is
// scanned again. A file without a text layer (a scan, a photo) cannot be
// scanned, so the reviewer attests to having read it. Release is allowed
// only when nothing is open.
//
// A Review belongs to one draft (the Seq of its answer_drafted event): a
// returned and redrafted answer is reviewed afresh. The store keeps it as
// JSON beside the ledger. Matched text is kept only masked, with its place,
// so the review record does not copy the personal data it protects
// (个人信息保护法第五十一条).

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ReviewSourceKind says what a review source is.
type ReviewSourceKind string

// Review source kinds. Stored values; do not change.
const (
	ReviewSourceAnswer ReviewSourceKind = "answer_text" // the answer's own text (AnswerDraft.ReviewText)
	ReviewSourceFile   ReviewSourceKind = "file"        // a released file
)

// ReviewTextLayer says whether a file's text could be scanned.
type ReviewTextLayer string

// Text layer states. Stored values; do not change.
const (
	ReviewTextScanned    ReviewTextLayer = "scanned"    // the text was extracted and scanned
	ReviewTextNone       ReviewTextLayer = "none"       // no text layer: an image, or a scanned PDF
	ReviewTextUnreadable ReviewTextLayer = "unreadable" // the file could not be read
)

// ScannedFile is a released file's text as the caller extracted it (for a
// PDF with reports.ExtractPDFText; JPEG and PNG have none).
type ScannedFile struct {
	AttachmentID int64
	Filename     string
	// Pages are the texts of the pages, in order.
	Pages []string
	// HasTextLayer is false for images and for PDFs whose pages could not
	// all be read as text.
	HasTextLayer bool
	// Unreadable is true when the file could not be read at all.
	Unreadable bool
}

// ReviewSource is one scanned source: the answer text or one file.
type ReviewSource struct {
	Kind         ReviewSourceKind `json:"kind"`
	AttachmentID int64            `json:"attachment_id,omitempty"`
	Filename     string           `json:"filename,omitempty"`
	TextLayer    ReviewTextLayer  `json:"text_layer"`
	Pages        int              `json:"pages,omitempty"`
	// ReplacedBy is the attachment that replaced this file (a later
	// source), 0 while the file is current.
	ReplacedBy int64 `json:"replaced_by,omitempty"`
	// Replaces is the attachment this redacted file replaced, 0 for an
	// original.
	Replaces int64 `json:"replaces,omitempty"`
	// Attestation is the reviewer's statement for a file without a usable
	// text layer; nil until given.
	Attestation *ReviewAttestation `json:"attestation,omitempty"`
}

// ReviewAttestation is the reviewer's statement that a file that could not
// be scanned was read page by page.
type ReviewAttestation struct {
	Statement string    `json:"statement"`
	By        int64     `json:"by"`
	At        time.Time `json:"at"`
}

// Decision is what the reviewer decided about a finding.
type Decision string

// Decisions. Stored values; do not change. The zero value is open.
const (
	DecisionOpen     Decision = ""
	DecisionCleared  Decision = "cleared"  // may be released as it is, for the reason given
	DecisionReplaced Decision = "replaced" // the file was replaced by a redacted version
)

// Label returns the decision in Chinese.
func (d Decision) Label() string {
	switch d {
	case DecisionOpen:
		return "待处理"
	case DecisionCleared:
		return "经审查可以公开"
	case DecisionReplaced:
		return "已替换为遮盖处理后的文件"
	}
	return string(d)
}

// ReviewFinding is one piece of personal information found in a source.
type ReviewFinding struct {
	ID     int         `json:"id"`     // 1, 2, 3 … within the review
	Source int         `json:"source"` // index into Review.Sources
	Kind   FindingKind `json:"kind"`
	Page   int         `json:"page,omitempty"` // 1-based page of a file; 0 for the answer text
	Line   int         `json:"line"`           // 1-based line within the page or text
	Start  int         `json:"start"`          // byte offsets in the page's (or text's) extracted text
	End    int         `json:"end"`
	// Masked is the matched text masked for display (MaskFinding).
	Masked string `json:"masked"`

	Decision Decision  `json:"decision,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	By       int64     `json:"by,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// Review is the confidentiality review of one draft.
type Review struct {
	// DraftSeq is the Seq of the answer_drafted event reviewed.
	DraftSeq int             `json:"draft_seq"`
	Sources  []ReviewSource  `json:"sources"`
	Findings []ReviewFinding `json:"findings,omitempty"`
}

// NewReview scans the answer's text and the released files of the draft
// whose answer_drafted event has Seq draftSeq.
func NewReview(draftSeq int, answerText string, files []ScannedFile) *Review {
	r := &Review{DraftSeq: draftSeq}
	r.addSource(ReviewSource{Kind: ReviewSourceAnswer, TextLayer: ReviewTextScanned}, []string{answerText}, false)
	for _, f := range files {
		r.addFile(f, 0)
	}
	return r
}

// addFile adds a scanned file as a source.
func (r *Review) addFile(f ScannedFile, replaces int64) {
	src := ReviewSource{Kind: ReviewSourceFile, AttachmentID: f.AttachmentID, Filename: f.Filename,
		Pages: len(f.Pages), Replaces: replaces, TextLayer: ReviewTextScanned}
	switch {
	case f.Unreadable:
		src.TextLayer = ReviewTextUnreadable
	case !f.HasTextLayer:
		src.TextLayer = ReviewTextNone
	}
	// Pages that were read are scanned even when others were not: what is
	// found must be decided either way.
	r.addSource(src, f.Pages, true)
}

func (r *Review) addSource(src ReviewSource, pages []string, paged bool) {
	r.Sources = append(r.Sources, src)
	idx := len(r.Sources) - 1
	for p, text := range pages {
		for _, f := range ScanText(text) {
			rf := ReviewFinding{ID: len(r.Findings) + 1, Source: idx, Kind: f.Kind, Line: f.Line,
				Start: f.Start, End: f.End, Masked: MaskFinding(f.Kind, f.Match)}
			if paged {
				rf.Page = p + 1
			}
			r.Findings = append(r.Findings, rf)
		}
	}
}

// MaskFinding masks a matched piece of personal information for the review
// screen and record: ID numbers and bank cards keep their first and last
// four characters, phones and e-mail addresses are masked as everywhere
// else (mask.go), and an address keeps its words but not its numbers.
func MaskFinding(kind FindingKind, match string) string {
	switch kind {
	case FindingResidentID:
		return MaskIDNumber(compactDigits(match))
	case FindingBankCard:
		d := []rune(compactDigits(match))
		return maskMiddle(d, min(4, len(d)/4), min(4, len(d)/4))
	case FindingMobile, FindingLandline:
		return MaskPhone(match)
	case FindingEmail:
		return MaskEmail(match)
	case FindingAddress:
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune("一二三四五六七八九十百零〇两", r) {
				return '*'
			}
			return r
		}, match)
	}
	return maskMiddle([]rune(match), 0, 0)
}

// compactDigits drops the spaces and hyphens people group numbers with and
// folds full-width characters.
func compactDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == 'ｘ' || r == 'Ｘ':
			return 'X'
		}
		return r
	}, s)
}

// Source returns the source a finding is in.
func (r *Review) Source(f ReviewFinding) ReviewSource {
	if f.Source < 0 || f.Source >= len(r.Sources) {
		return ReviewSource{}
	}
	return r.Sources[f.Source]
}

// Place names where a finding is, e.g. 文件“材料.pdf”第2页第5行.
func (r *Review) Place(f ReviewFinding) string {
	src := r.Source(f)
	if src.Kind == ReviewSourceAnswer {
		return fmt.Sprintf("答复正文第%d行", f.Line)
	}
	return fmt.Sprintf("文件“%s”第%d页第%d行", src.Filename, f.Page, f.Line)
}

// current reports whether source i is still to be released (not replaced).
func (r *Review) current(i int) bool { return r.Sources[i].ReplacedBy == 0 }

// file returns the index of the current source for the attachment, or -1.
func (r *Review) file(attachmentID int64) int {
	for i, s := range r.Sources {
		if s.Kind == ReviewSourceFile && s.AttachmentID == attachmentID {
			return i
		}
	}
	return -1
}

// Clear decides that a finding may be released as it is, for the reason
// given (e.g. the agency's own office telephone, or the applicant's own
// data sent only to the applicant).
func (r *Review) Clear(findingID int, reason string, by int64, at time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Invalid(FieldError{"reason", "请填写可以公开的理由。"})
	}
	if utf8.RuneCountInString(reason) > maxFieldRunes {
		return Invalid(FieldError{"reason", fmt.Sprintf("内容过长，请不超过%d个字。", maxFieldRunes)})
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.ID != findingID {
			continue
		}
		if f.Decision != DecisionOpen {
			return Errorf(ECONFLICT, "该项已处理（%s）。", f.Decision.Label())
		}
		if !r.current(f.Source) {
			return Errorf(ECONFLICT, "该文件已被替换，无需再处理。")
		}
		f.Decision, f.Reason, f.By, f.At = DecisionCleared, reason, by, at
		return nil
	}
	return Errorf(ENOTFOUND, "没有找到该审查项。")
}

// Replace replaces a released file by a redacted version, which is scanned
// like the original: the original's open findings are closed as replaced,
// and what the new version still shows is open again. The answer text
// cannot be replaced: send the draft back instead.
func (r *Review) Replace(attachmentID int64, redacted ScannedFile, by int64, at time.Time) error {
	i := r.file(attachmentID)
	if i < 0 {
		return Errorf(ENOTFOUND, "没有找到要替换的文件。")
	}
	if !r.current(i) {
		return Errorf(ECONFLICT, "文件“%s”已被替换。", r.Sources[i].Filename)
	}
	if redacted.AttachmentID == 0 || r.file(redacted.AttachmentID) >= 0 {
		return Errorf(EINVALID, "替换文件无效，请重新上传。")
	}
	for j := range r.Findings {
		f := &r.Findings[j]
		if f.Source == i && f.Decision == DecisionOpen {
			f.Decision, f.By, f.At = DecisionReplaced, by, at
		}
	}
	r.Sources[i].ReplacedBy = redacted.AttachmentID
	r.addFile(redacted, attachmentID)
	return nil
}

// Attest records the reviewer's statement that a file without a usable
// text layer was read page by page and holds nothing that may not be
// released.
func (r *Review) Attest(attachmentID int64, statement string, by int64, at time.Time) error {
	i := r.file(attachmentID)
	if i < 0 {
		return Errorf(ENOTFOUND, "没有找到该文件。")
	}
	src := &r.Sources[i]
	if !r.current(i) {
		return Errorf(ECONFLICT, "文件“%s”已被替换。", src.Filename)
	}
	if src.TextLayer == ReviewTextScanned {
		return Errorf(ECONFLICT, "文件“%s”已自动扫描，无需确认。", src.Filename)
	}
	statement = strings.TrimSpace(statement)
	if statement == "" {
		return Invalid(FieldError{"statement", "请填写审阅意见，例如“已逐页人工审阅，未发现不得公开的内容”。"})
	}
	if utf8.RuneCountInString(statement) > maxFieldRunes {
		return Invalid(FieldError{"statement", fmt.Sprintf("内容过长，请不超过%d个字。", maxFieldRunes)})
	}
	src.Attestation = &ReviewAttestation{Statement: statement, By: by, At: at}
	return nil
}

// Open returns the findings still to be decided in sources still to be
// released.
func (r *Review) Open() []ReviewFinding {
	var out []ReviewFinding
	for _, f := range r.Findings {
		if f.Decision == DecisionOpen && r.current(f.Source) {
			out = append(out, f)
		}
	}
	return out
}

// Blockers returns, in Chinese, everything that stops the release: each
// open finding with its place, and each file that could not be scanned and
// has no attestation. It is empty when release is allowed.
func (r *Review) Blockers() []string {
	var out []string
	for _, f := range r.Open() {
		out = append(out, fmt.Sprintf("%s：%s %s，尚未处理。", r.Place(f), f.Kind.Label(), f.Masked))
	}
	for i, s := range r.Sources {
		if s.Kind != ReviewSourceFile || !r.current(i) || s.TextLayer == ReviewTextScanned || s.Attestation != nil {
			continue
		}
		why := "没有可识别的文字层"
		if s.TextLayer == ReviewTextUnreadable {
			why = "无法读取"
		}
		out = append(out, fmt.Sprintf("文件“%s”%s，须由审查员逐页审阅后确认。", s.Filename, why))
	}
	return out
}

// CheckRelease returns nil when the review allows release, and otherwise an
// ECONFLICT error whose message names what is open (the first three, and
// how many more).
func (r *Review) CheckRelease() error {
	b := r.Blockers()
	if len(b) == 0 {
		return nil
	}
	const shown = 3
	msg := fmt.Sprintf("保密审查尚有%d项未处理，不能发布：", len(b)) + strings.Join(b[:min(len(b), shown)], "")
	if len(b) > shown {
		msg += fmt.Sprintf("另有%d项。", len(b)-shown)
	}
	return &Error{Code: ECONFLICT, Message: msg}
}

// ReleasedFiles returns the attachments to release, in the draft's order,
// each original replaced by its latest redacted version.
func (r *Review) ReleasedFiles() []AnswerFile {
	var out []AnswerFile
	for i, s := range r.Sources {
		if s.Kind != ReviewSourceFile || s.Replaces != 0 {
			continue
		}
		for steps := 0; !r.current(i) && steps < len(r.Sources); steps++ {
			next := r.file(r.Sources[i].ReplacedBy)
			if next < 0 {
				break
			}
			i = next
		}
		out = append(out, AnswerFile{AttachmentID: r.Sources[i].AttachmentID, Filename: r.Sources[i].Filename})
	}
	return out
}
