package models

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// TinyPNG and TinyJPEG return small valid images for upload tests.
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const tinyPDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

func TestSniffContentType(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"pdf", []byte(tinyPDF), TypePDF},
		{"pdf after junk", append(bytes.Repeat([]byte{' '}, 100), tinyPDF...), TypePDF},
		{"png", tinyPNG(t), TypePNG},
		{"jpeg", tinyJPEG(t), TypeJPEG},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ""},
		{"zip (docx)", []byte("PK\x03\x04rest"), ""},
		{"html", []byte("<html><script>alert(1)</script>"), ""},
		{"exe", []byte("MZ\x90\x00"), ""},
		{"empty", nil, ""},
		{"pdf header too late", append(bytes.Repeat([]byte{' '}, 2000), tinyPDF...), ""},
	} {
		if got := SniffContentType(tc.b); got != tc.want {
			t.Errorf("%s: SniffContentType = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCheckUpload(t *testing.T) {
	t.Run("type from content, not name", func(t *testing.T) {
		a, err := CheckUpload(AttachSupporting, "扫描件.docx", []byte(tinyPDF))
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != TypePDF || a.Filename != "扫描件.docx.pdf" || a.Size != int64(len(tinyPDF)) || a.Kind != AttachSupporting {
			t.Errorf("got %+v", a)
		}
	})
	t.Run("jpeg named png", func(t *testing.T) {
		a, err := CheckUpload(AttachIdentityProof, `C:\Users\张三\身份证.PNG`, tinyJPEG(t))
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != TypeJPEG || a.Filename != "身份证.PNG.jpg" {
			t.Errorf("got %q %q", a.ContentType, a.Filename)
		}
	})
	for _, tc := range []struct {
		name, filename string
		content        []byte
		want           string
	}{
		{"empty", "a.pdf", nil, "空文件"},
		{"too big", "big.pdf", append([]byte(tinyPDF), make([]byte, MaxUploadBytes)...), "超过了10MB"},
		{"word named pdf", "申请.pdf", []byte("PK\x03\x04word"), "不是PDF、JPEG或PNG格式"},
		{"truncated png", "a.png", tinyPNG(t)[:12], "已损坏"},
		{"truncated jpeg", "a.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "已损坏"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckUpload(AttachSupporting, tc.filename, tc.content)
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func TestCleanFilename(t *testing.T) {
	for _, tc := range []struct{ in, ct, want string }{
		{"report.pdf", TypePDF, "report.pdf"},
		{"photo.JPEG", TypeJPEG, "photo.JPEG"},
		{"photo", TypePNG, "photo.png"},
		{"../../etc/passwd", "", "passwd"},
		{`C:\a\b\证明.pdf`, TypePDF, "证明.pdf"},
		{"", TypePDF, "附件.pdf"},
		{"a\x00b\nc.pdf", TypePDF, "abc.pdf"},
		{`"quoted".pdf`, TypePDF, "quoted.pdf"},
		{"身份证110101199003074477.jpg", TypeJPEG, "身份证1101**********4477.jpg"},
		{"电话13812345678.pdf", TypePDF, "电话138****5678.pdf"},
		{"2025年度报告.pdf", TypePDF, "2025年度报告.pdf"},
		{strings.Repeat("长", 100) + ".pdf", TypePDF, strings.Repeat("长", 76) + ".pdf"},
	} {
		if got := CleanFilename(tc.in, tc.ct); got != tc.want {
			t.Errorf("CleanFilename(%q, %q) = %q, want %q", tc.in, tc.ct, got, tc.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 字节", 850: "850 字节", 12595: "12.3 KB", 4718592: "4.5 MB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
