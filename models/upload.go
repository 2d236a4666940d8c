package models

// Uploaded files: identity proofs, powers of attorney, supporting files and
// corrections that applicants attach (条例第二十九条 asks for 身份证明; an
// agent needs the applicant's 授权委托书). Only PDF, JPEG and PNG are taken,
// recognised from the bytes themselves: the file name and the browser's
// Content-Type are whatever the sender says, and staff open these files.

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Upload limits.
const (
	// MaxUploadBytes is the largest file accepted: 10 MB, enough for a
	// phone photo of a document or a scanned PDF of a few dozen pages.
	MaxUploadBytes = 10 << 20
	// MaxUploadFiles is the most files one application (or one
	// correction) carries.
	MaxUploadFiles = 10
)

// Content types of accepted uploads.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// SniffContentType returns the content type of an accepted file format
// recognised from its first bytes, or "" when b is none of them. A PDF may
// carry a few bytes before its %PDF- header (readers search the first
// kilobyte), so the header is looked for there.
func SniffContentType(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return TypeJPEG
	case bytes.HasPrefix(b, pngSignature):
		return TypePNG
	case bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")):
		return TypePDF
	}
	return ""
}

// CheckUpload checks one uploaded file and returns it as an attachment of
// the given kind with its detected content type and a cleaned name. The
// error is an EINVALID *Error whose message names the file, for the field
// the file came from.
func CheckUpload(kind AttachmentKind, filename string, content []byte) (Attachment, error) {
	name := CleanFilename(filename, "")
	switch {
	case len(content) == 0:
		return Attachment{}, Errorf(EINVALID, "文件“%s”是空文件，请重新选择。", name)
	case len(content) > MaxUploadBytes:
		return Attachment{}, Errorf(EINVALID, "文件“%s”大小为%s，超过了10MB的限制。请压缩或分成几个文件后再上传。", name, FormatSize(int64(len(content))))
	}
	ct := SniffContentType(content)
	switch ct {
	case "":
		return Attachment{}, Errorf(EINVALID, "文件“%s”不是PDF、JPEG或PNG格式（按文件内容识别，与文件名无关）。请转换为这三种格式之一后再上传。", name)
	case TypeJPEG:
		if _, err := jpeg.DecodeConfig(bytes.NewReader(content)); err != nil {
			return Attachment{}, Errorf(EINVALID, "图片“%s”已损坏或不完整，请重新选择。", name)
		}
	case TypePNG:
		if _, err := png.DecodeConfig(bytes.NewReader(content)); err != nil {
			return Attachment{}, Errorf(EINVALID, "图片“%s”已损坏或不完整，请重新选择。", name)
		}
	}
	return Attachment{
		Kind:        kind,
		Filename:    CleanFilename(filename, ct),
		ContentType: ct,
		Size:        int64(len(content)),
		Content:     content,
	}, nil
}

// maxFilenameRunes caps a stored file name.
const maxFilenameRunes = 80

// CleanFilename makes an uploaded file's name safe to store and show: the
// base name only (browsers on Windows send C:\…), no control characters,
// at most 80 characters, long digit runs (an identity or phone number
// typed into the name, as in “身份证110101199003074477.jpg”) masked so that
// the clear number is stored nowhere (个人信息保护法第五十一条), and, when
// contentType is set, the extension that matches the content. An empty name
// becomes “附件”.
func CleanFilename(name, contentType string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" {
		name = ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = maskNumbersInName(strings.TrimSpace(name))
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	want := map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png"}[contentType]
	switch {
	case want == "":
	case strings.EqualFold(ext, want), want == ".jpg" && strings.EqualFold(ext, ".jpeg"):
		want = ext
	default:
		base = name // keep a misleading extension visible: 扫描件.doc.pdf
	}
	if strings.TrimSpace(base) == "" {
		base = "附件"
	}
	if r := []rune(base); len(r)+len([]rune(want)) > maxFilenameRunes {
		base = string(r[:maxFilenameRunes-len([]rune(want))])
	}
	if want == "" {
		return base + ext
	}
	return base + want
}

// maskNumbersInName masks every run of seven or more digits (with a
// trailing X, as identity numbers end) and every finding of the
// confidentiality scanner in a file name.
func maskNumbersInName(s string) string {
	for _, f := range ScanText(s) {
		switch f.Kind {
		case FindingMobile, FindingLandline:
			s = strings.Replace(s, f.Match, MaskPhone(f.Match), 1)
		case FindingEmail:
			s = strings.Replace(s, f.Match, MaskEmail(f.Match), 1)
		case FindingResidentID, FindingBankCard:
			s = strings.Replace(s, f.Match, MaskIDNumber(f.Match), 1)
		}
	}
	var b strings.Builder
	r := []rune(s)
	for i := 0; i < len(r); {
		j := i
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			j++
		}
		if j < len(r) && j > i && (r[j] == 'X' || r[j] == 'x') {
			j++
		}
		switch {
		case j-i == 11 && r[i] == '1':
			b.WriteString(MaskPhone(string(r[i:j])))
			i = j
		case j-i >= 7:
			b.WriteString(MaskIDNumber(string(r[i:j])))
			i = j
		case j > i:
			b.WriteString(string(r[i:j]))
			i = j
		default:
			b.WriteRune(r[i])
			i++
		}
	}
	return b.String()
}

// FormatSize writes a file size the way the form lists uploads: 850 字节,
// 12.3 KB, 4.5 MB.
func FormatSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d 字节", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
