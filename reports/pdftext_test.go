package reports

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"

	"gongkai/models"
)

// The numbers planted in test documents: a valid resident ID, a mobile, a
// Luhn-valid bank card, and an ID with a wrong check digit that must not be
// reported as an ID.
const (
	plantedID     = "110101199003074477"
	plantedMobile = "13812345678"
	plantedCard   = "6217 0000 1234 5678 907"
	badCheckID    = "110101199003074478"
)

func extract(t *testing.T, pdf []byte) ([]string, bool) {
	t.Helper()
	pages, ok, err := ExtractPDFText(bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		t.Fatalf("ExtractPDFText: %v", err)
	}
	return pages, ok
}

// kindsFound returns the finding kinds ScanText reports in the pages.
func kindsFound(pages []string) []models.FindingKind {
	var out []models.FindingKind
	for _, p := range pages {
		for _, f := range models.ScanText(p) {
			out = append(out, f.Kind)
		}
	}
	return out
}

func countKind(ks []models.FindingKind, k models.FindingKind) int {
	n := 0
	for _, v := range ks {
		if v == k {
			n++
		}
	}
	return n
}

// plantedLetter is a two-page letter with personal data planted in a
// paragraph, a table and a list, sealed like an answer letter.
func plantedLetter(t *testing.T) Letter {
	l := receipt(t)
	l.Body = []Block{
		Paragraph("申请人张三，公民身份号码" + plantedID + "，手机" + plantedMobile + "。"),
		Table{{"银行卡号", plantedCard}, {"错误号码", badCheckID}},
		Paragraph(strings.Repeat("本段为填充内容，用于把后面的文字推到第二页。", 60)),
		List{"联系人李四，电子邮箱lisi@example.com。", "住址：铁岭市银州区柴河街3号2单元501室。"},
	}
	return l
}

func TestExtractPDFTextLetter(t *testing.T) {
	pdf := mustWrite(t, plantedLetter(t))
	pages, ok := extract(t, pdf)
	if !ok {
		t.Error("hasTextLayer = false for our own letter")
	}
	if len(pages) != 2 {
		t.Fatalf("pages = %d, want 2", len(pages))
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"政府信息公开申请接收回执", plantedID, plantedMobile, plantedCard, "lisi@example.com",
		"第  2  页  /  共  2  页", "铁岭市民政局政府信息公开办公室"} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if !strings.Contains(pages[1], "柴河街3号2单元501室") {
		t.Errorf("page 2 lacks the address:\n%s", pages[1])
	}
	got := kindsFound(pages)
	for _, k := range []models.FindingKind{models.FindingResidentID, models.FindingMobile, models.FindingBankCard,
		models.FindingEmail, models.FindingAddress} {
		if !slices.Contains(got, k) {
			t.Errorf("scanner found %v, missing %s", got, k)
		}
	}
	if n := countKind(got, models.FindingResidentID); n != 1 {
		t.Errorf("%d resident IDs found, want 1 (the wrong check digit is not one)", n)
	}
	// The same text as poppler reads, where it is installed.
	if _, err := exec.LookPath("pdftotext"); err == nil {
		want := squeeze(mustRun(t, "pdftotext", mustSaveTemp(t, pdf), "-"), nil)
		if got := squeeze(all, nil); got != want {
			t.Errorf("text differs from pdftotext:\n got %s\nwant %s", got, want)
		}
	}
}

// TestExtractPDFTextCompressed: the same letter rewritten with object
// streams and a cross-reference stream (PDF 1.5), as most producers write.
func TestExtractPDFTextCompressed(t *testing.T) {
	pdf := mustWrite(t, plantedLetter(t))
	conf := pdfConfig()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	var out bytes.Buffer
	if err := api.Optimize(bytes.NewReader(pdf), &out, conf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("/ObjStm")) {
		t.Fatal("optimised PDF has no object stream")
	}
	pages, ok := extract(t, out.Bytes())
	if !ok || !strings.Contains(strings.Join(pages, ""), plantedID) {
		t.Errorf("ok = %v, pages = %q", ok, pages)
	}
}

// imagePDF is a one-page "scan": a full-page picture and no text.
func imagePDF(t *testing.T, withText bool, widthMM float64) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + i%50)
	}
	img.Set(10, 10, color.Black)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("scan", opt, &pngBuf)
	pdf.ImageOptions("scan", 0, 0, widthMM, 0, false, opt, 0, "")
	if withText {
		pdf.AddUTF8FontFromBytes(fontFamily, "", fontTTF)
		pdf.SetFont(fontFamily, "", 12)
		pdf.Text(20, 250, "附件说明 "+plantedMobile)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestExtractPDFTextImages(t *testing.T) {
	tests := []struct {
		name     string
		pdf      []byte
		wantOK   bool
		wantText string
	}{
		{"scanned page without text", imagePDF(t, false, 210), false, ""},
		{"page photo with a caption", imagePDF(t, true, 210), false, "附件说明 " + plantedMobile},
		{"small logo with text", imagePDF(t, true, 30), true, "附件说明 " + plantedMobile},
		{"sealed letter", mustWrite(t, receipt(t)), true, "政府信息公开申请接收回执"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages, ok := extract(t, tt.pdf)
			if ok != tt.wantOK {
				t.Errorf("hasTextLayer = %v, want %v", ok, tt.wantOK)
			}
			if len(pages) != 1 || !strings.Contains(pages[0], tt.wantText) {
				t.Errorf("pages = %q, want one containing %q", pages, tt.wantText)
			}
		})
	}
}

// handPDF writes a minimal PDF whose object i+1 is objs[i] (object 1 the
// catalog), with a correct cross-reference table.
func handPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func flate(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestSpeed)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// onePage is a catalog and a page whose content is object 4 and whose
// resources are res.
func onePage(res, content string, more ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + res + " /Contents 4 0 R >>",
		content,
	}
	return handPDF(append(objs, more...)...)
}

// TestExtractPDFTextFonts checks decoding the font kinds other producers
// use: a standard font with WinAnsi and Differences, a Type0 font with a
// UCS-2 CMap and one with GBK codes (older Chinese software), and an
// Identity-H font without ToUnicode, whose text cannot be read.
func TestExtractPDFTextFonts(t *testing.T) {
	gbk := []byte{0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4} // 身份证 in GBK
	tests := []struct {
		name    string
		font    string
		content string
		want    string
		wantOK  bool
	}{
		{"standard font", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			"BT /F1 12 Tf 72 700 Td (ID: 11010519491231002X) Tj ET", "ID: 11010519491231002X", true},
		{"differences", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /one /three /eight] >> >>",
			"BT /F1 12 Tf 72 700 Td (ABC) Tj ET", "138", true},
		{"private glyph names", "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [65 /g12 /g13] >> >>",
			"BT /F1 12 Tf 72 700 Td (AB) Tj ET", "\uFFFD\uFFFD", false},
		{"UCS-2 CMap", "<< /Type /Font /Subtype /Type0 /BaseFont /STSong /Encoding /UniGB-UCS2-H /DescendantFonts [] >>",
			"BT /F1 12 Tf 72 700 Td <8EAB4EFD8BC1> Tj ET", "身份证", true},
		{"GBK CMap", "<< /Type /Font /Subtype /Type0 /BaseFont /STSong /Encoding /GBK-EUC-H /DescendantFonts [] >>",
			fmt.Sprintf("BT /F1 12 Tf 72 700 Td <%X> Tj ( 13812345678) Tj ET", gbk), "身份证 13812345678", true},
		{"Identity-H without ToUnicode", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [] >>",
			"BT /F1 12 Tf 72 700 Td <00410042> Tj ET", "\uFFFD\uFFFD", false},
		{"TJ kerning and a word gap", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			"BT /F1 10 Tf 72 700 Td [(138) -20 (1234) 10 (5678) -400 (next)] TJ ET", "13812345678 next", true},
		{"lines and columns", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			"BT /F1 10 Tf 72 700 Td (a) Tj 200 0 Td (b) Tj ET BT /F1 10 Tf 72 680 Td (c) Tj T* (d) Tj ET", "a\tb\nc\nd", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := onePage("<< /Font << /F1 5 0 R >> >>", stream("", []byte(tt.content)), tt.font)
			pages, ok := extract(t, pdf)
			if len(pages) != 1 || pages[0] != tt.want {
				t.Errorf("text = %q, want %q", pages, tt.want)
			}
			if ok != tt.wantOK {
				t.Errorf("hasTextLayer = %v, want %v", ok, tt.wantOK)
			}
		})
	}
}

func TestExtractPDFTextFormXObject(t *testing.T) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >>",
		[]byte("BT /F1 12 Tf 72 700 Td (13812345678) Tj ET"))
	pdf := onePage("<< /XObject << /X1 5 0 R >> >>", stream("", []byte("q 1 0 0 1 0 0 cm /X1 Do Q")), form,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	pages, ok := extract(t, pdf)
	if !ok || len(pages) != 1 || pages[0] != plantedMobile {
		t.Errorf("pages = %q, ok = %v", pages, ok)
	}
}

// TestExtractPDFTextOutlines: a page drawn only with filled paths (text
// converted to outlines) has no text layer.
func TestExtractPDFTextOutlines(t *testing.T) {
	content := strings.Repeat("10 10 m 20 10 l 20 20 l f\n", outlineFills)
	_, ok := extract(t, onePage("<< >>", stream("", []byte(content))))
	if ok {
		t.Error("hasTextLayer = true for a page of outlines")
	}
	_, ok = extract(t, onePage("<< >>", stream("", []byte("10 10 m 20 10 l S 0 0 100 100 re f"))))
	if !ok {
		t.Error("hasTextLayer = false for a page with a rule and a box")
	}
}

// TestExtractPDFTextMalformed: damaged and hostile files are errors, not
// panics or hangs.
func TestExtractPDFTextMalformed(t *testing.T) {
	letter := mustWrite(t, receipt(t))
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	flipped := bytes.Clone(letter)
	for i := len(flipped) / 3; i < len(flipped)/3+2000; i += 7 {
		flipped[i] ^= 0x5A
	}
	selfForm := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X1 5 0 R >> >>", []byte("/X1 Do"))
	bomb := flate(t, bytes.Repeat([]byte(" "), maxPDFDecode+1))
	tests := []struct {
		name  string
		pdf   []byte
		limit bool // the error must be ErrPDFLimit
	}{
		{"empty", nil, false},
		{"garbage", garbage, false},
		{"header only", []byte("%PDF-1.4\n%%EOF\n"), false},
		{"truncated", letter[:len(letter)/2], false},
		{"page tree cycle", handPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"), false},
		{"form draws itself", onePage("<< /XObject << /X1 5 0 R >> >>", stream("", []byte("/X1 Do")), selfForm), true},
		{"decompression bomb", onePage("<< >>", stream("/Filter /FlateDecode", bomb)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var err error
			go func() {
				defer close(done)
				_, _, err = ExtractPDFText(bytes.NewReader(tt.pdf), int64(len(tt.pdf)))
			}()
			select {
			case <-done:
			case <-time.After(pdfReadTimeout + 10*time.Second):
				t.Fatal("ExtractPDFText did not return")
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tt.limit && !errors.Is(err, ErrPDFLimit) {
				t.Errorf("err = %v, want ErrPDFLimit", err)
			}
		})
	}
	t.Run("flipped bytes", func(t *testing.T) {
		// The file may or may not still be readable; it must not panic.
		ExtractPDFText(bytes.NewReader(flipped), int64(len(flipped)))
	})
	t.Run("too large", func(t *testing.T) {
		_, _, err := ExtractPDFText(bytes.NewReader(nil), maxPDFBytes+1)
		if !errors.Is(err, ErrPDFLimit) {
			t.Errorf("err = %v, want ErrPDFLimit", err)
		}
	})
}

func TestPDFLexer(t *testing.T) {
	in := `/Na#6De (a\(b\)\n\101\
c) <4E2D 6> [1 -2.5 (x)] << /K (>>) >> BI /W 1 ID ` + "\x00EI\xff" + ` EI 3 Tj`
	var got []string
	lx := pdfLexer{b: []byte(in)}
	for {
		tok, ok := lx.next()
		if !ok {
			break
		}
		got = append(got, fmt.Sprintf("%T:%v", tok, tok))
	}
	want := []string{"reports.pdfName:Name", "reports.pdfString:[97 40 98 41 10 65 99]", "reports.pdfString:[78 45 96]",
		"[]interface {}:[1 -2.5 [120]]", "reports.pdfDict:{}", "reports.pdfOp:BI", "reports.pdfName:W", "float64:1",
		"reports.pdfOp:EI", "float64:3", "reports.pdfOp:Tj"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens =\n%q\nwant\n%q", got, want)
	}
}

func TestParseCMap(t *testing.T) {
	m := parseCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
2 begincodespacerange <00> <7F> <8140> <FEFE> endcodespacerange
2 beginbfchar <41> <0058> <8141> <D83DDE00> endbfchar
2 beginbfrange <8150> <8152> <8EAB> <8160> <8161> [<4E2D> <56FD>] endbfrange
endcmap`))
	tests := []struct {
		code []byte
		want string
		ok   bool
	}{
		{[]byte{0x41}, "X", true},
		{[]byte{0x81, 0x41}, "😀", true},
		{[]byte{0x81, 0x52}, "\u8EAD", true},
		{[]byte{0x81, 0x61}, "国", true},
		{[]byte{0x81, 0x62}, "", false},
		{[]byte{0x42}, "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%X", tt.code), func(t *testing.T) {
			got, ok := m.lookup(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("lookup = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	if n := m.codeLen([]byte{0x81, 0x41}); n != 2 {
		t.Errorf("codeLen(8141) = %d", n)
	}
	if n := m.codeLen([]byte{0x41, 0x81}); n != 1 {
		t.Errorf("codeLen(41) = %d", n)
	}
	// gofpdf's whole-range identity map, which rsc.io/pdf readers garble.
	id := parseCMap([]byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> endbfrange"))
	if got, _ := id.lookup([]byte{0x75, 0x33}); got != "申" {
		t.Errorf("identity range: %q, want 申", got)
	}
}

func TestScanForReview(t *testing.T) {
	pdf := mustWrite(t, plantedLetter(t))
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}
	tests := []struct {
		name       string
		a          models.Attachment
		pages      int
		text       bool
		unreadable bool
	}{
		{"pdf", models.Attachment{ID: 1, Filename: "a.pdf", Content: pdf}, 2, true, false},
		{"jpeg", models.Attachment{ID: 2, Filename: "b.jpg", Content: jpeg}, 0, false, false},
		{"broken pdf", models.Attachment{ID: 3, Filename: "c.pdf", Content: []byte("%PDF-1.7\nbroken")}, 0, false, true},
		{"unknown", models.Attachment{ID: 4, Filename: "d.bin", Content: []byte("hello")}, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ScanForReview(tt.a)
			if f.AttachmentID != tt.a.ID || f.Filename != tt.a.Filename || len(f.Pages) != tt.pages ||
				f.HasTextLayer != tt.text || f.Unreadable != tt.unreadable {
				t.Errorf("ScanForReview = %+v", f)
			}
		})
	}
	r := models.NewReview(1, "", []models.ScannedFile{ScanForReview(tests[0].a)})
	if len(r.Open()) < 3 {
		t.Errorf("review of the planted letter found %d items", len(r.Open()))
	}
}

// TestExtractPDFTextLibreOffice reads a PDF written by LibreOffice Calc
// (TrueType subsets with their own ToUnicode maps).
func TestExtractPDFTextLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not found: install libreoffice-calc-nogui to check PDFs written by LibreOffice")
	}
	dir := t.TempDir()
	// The ID number is quoted and imported as text, as a spreadsheet of
	// names and numbers would hold it.
	csv := "项目,内容\n申请人,李四\n身份证号码,\"" + plantedID + "\"\n电话," + plantedMobile + "\n银行卡号," + plantedCard + "\n地址,铁岭市银州区广裕街28号\n"
	path := filepath.Join(dir, "planted.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--infilter=CSV:44,34,76,1,,0,true", "--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "planted.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	pages, ok := extract(t, pdf)
	if !ok {
		t.Error("hasTextLayer = false")
	}
	got := kindsFound(pages)
	for _, k := range []models.FindingKind{models.FindingResidentID, models.FindingMobile, models.FindingBankCard} {
		if !slices.Contains(got, k) {
			t.Errorf("found %v in %q, missing %s", got, pages, k)
		}
	}
	if all := strings.Join(pages, "\n"); !strings.Contains(all, "铁岭市银州区广裕街28号") || !strings.Contains(all, "李四") {
		t.Errorf("text = %q", all)
	}
}
