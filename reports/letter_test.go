package reports

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/models"
)

// pinned is the creation time written into test PDFs.
var pinned = time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func testAgency(t testing.TB) models.Agency {
	t.Helper()
	return models.Agency{
		Name:                "铁岭市民政局",
		OfficeName:          "铁岭市民政局政府信息公开办公室",
		OfficeAddress:       "辽宁省铁岭市银州区广裕街28号",
		PostCode:            "112000",
		Phone:               "024-72826123",
		Fax:                 "024-72826124",
		Email:               "gongkai@tlmz.example.gov.cn",
		Website:             "https://mzj.tieling.example.gov.cn",
		ReconsiderationBody: "铁岭市人民政府",
		Court:               "铁岭市银州区人民法院",
		LetterPrefix:        "铁民公开",
		SealImage:           mustSealPNG(t, false),
	}
}

// mustSealPNG draws a stand-in seal: a red ring with a star-like centre on
// a transparent background. wide asks for a 16-bit PNG, which gofpdf
// cannot read as such.
func mustSealPNG(t testing.TB, wide bool) []byte {
	t.Helper()
	const n = 240
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	} = image.NewNRGBA(image.Rect(0, 0, n, n))
	if wide {
		img = image.NewNRGBA64(image.Rect(0, 0, n, n))
	}
	for y := range n {
		for x := range n {
			dx, dy := float64(x-n/2), float64(y-n/2)
			r := math.Hypot(dx, dy)
			if (r > 104 && r < 116) || r < 28-10*math.Cos(5*math.Atan2(dy, dx)) {
				img.Set(x, y, color.NRGBA{R: 220, A: 230})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// receipt is a one-page letter: a receipt with a short table.
func receipt(t testing.TB) Letter {
	return Letter{
		Agency:    testAgency(t),
		Title:     "政府信息公开申请接收回执",
		Number:    "铁民公开〔2026〕第12号",
		Recipient: "张三：",
		Body: []Block{
			Paragraph("本机关已收到您提出的政府信息公开申请，现将有关情况告知如下："),
			Table{
				{"申请编号", "GKSQ-2026-000123"},
				{"申请人", "张三"},
				{"收到申请日期", "2026年2月10日"},
				{"申请方式", "网上申请（政府信息公开申请平台）"},
				{"所需信息", "2025年度铁岭市城乡最低生活保障资金的使用情况，包括各县（市）区的保障人数、发放金额和资金来源。"},
				{"答复期限", "2026年3月10日前（自收到申请之日起20个工作日内）"},
			},
			Paragraph("本机关将依照《中华人民共和国政府信息公开条例》第三十三条的规定，在收到申请之日起20个工作日内予以答复；需要延长答复期限的，将另行书面告知。"),
		},
		SignOff:   "铁岭市民政局",
		Date:      models.MustParseDate("2026-02-10"),
		Seal:      true,
		CreatedAt: pinned,
		Subject:   "政府信息公开申请 GKSQ-2026-000123",
	}
}

// correction is a three-page 补正告知书 with a long table and many items.
func correction(t testing.TB) Letter {
	fields := Table{
		{"申请编号", "GKSQ-2026-000123"},
		{"申请人", "张三"},
		{"证件类型", "居民身份证"},
		{"联系电话", "138****5678"},
		{"通信地址", "辽宁省铁岭市银州区柴河街南段1号院3号楼2单元501室（邮政编码112000）"},
		{"收到申请日期", "2026年2月10日"},
		{"申请方式", "信函（挂号信，邮件号XA123456789CN）"},
		{"所需信息内容描述", strings.Repeat("申请公开本机关2025年度办理的城乡最低生活保障、特困人员救助供养和临时救助的有关文件、审批记录及资金拨付凭证，", 3)},
		{"获取信息方式", "邮寄"},
		{"载体形式", "纸质"},
	}
	for i := 1; i <= 8; i++ {
		fields = append(fields, Field{fmt.Sprintf("沟通记录%d", i),
			fmt.Sprintf("2026年2月%d日电话联系申请人，说明需补正的事项并记录其意见（经办人：李四）。", 10+i)})
	}
	var items List
	for i := 1; i <= 12; i++ {
		items = append(items, fmt.Sprintf("请明确第%d项所需政府信息的名称、文号或者其他特征描述，以及该信息形成的大致时间范围（例如“2025年度”），以便本机关检索。", i))
	}
	return Letter{
		Agency:    testAgency(t),
		Title:     "政府信息公开申请补正告知书",
		Number:    "铁民公开〔2026〕第13号",
		Recipient: "张三：",
		Body: []Block{
			Paragraph("本机关于2026年2月10日收到您提出的政府信息公开申请（申请编号：GKSQ-2026-000123）。经审查，您的申请内容不够明确，根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您需要补正的事项。申请登记情况如下："),
			fields,
			Paragraph("需要补正的事项："),
			items,
			Paragraph("请您自收到本告知书之日起15个工作日内（即2026年3月3日前）向本机关提交补正材料。答复期限自本机关收到补正的申请之日起计算。\n无正当理由逾期不补正的，视为您放弃申请，本机关不再处理该政府信息公开申请。"),
			Paragraph("如对本告知不服，可以自收到本告知书之日起60日内向铁岭市人民政府申请行政复议，或者自收到本告知书之日起6个月内向铁岭市银州区人民法院提起行政诉讼。"),
		},
		SignOff:   "铁岭市民政局",
		Date:      models.MustParseDate("2026-02-10"),
		Seal:      true,
		CreatedAt: pinned,
	}
}

func mustWrite(t testing.TB, l Letter) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLetter(&buf, l); err != nil {
		t.Fatalf("WriteLetter: %v", err)
	}
	return buf.Bytes()
}

// mustSaveTemp writes a PDF to the test's temporary directory.
func mustSaveTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustRun runs a poppler tool and returns its standard output, skipping the
// test when the tool is not installed so `go test ./...` passes anywhere.
func mustRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not found: install poppler-utils to check the PDF output", name)
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// squeeze removes white space and then each of the noise strings from s.
// pdftotext -layout prints a table label, which is centred in its row,
// between the lines of a wrapped value, and the footer between the parts
// of a paragraph broken across pages; removing labels and footers from
// both sides lets a test look for whole values and paragraphs.
func squeeze(s string, noise []string) string {
	s = strings.Join(strings.Fields(s), "")
	for _, n := range noise {
		s = strings.ReplaceAll(s, strings.Join(strings.Fields(n), ""), "")
	}
	return s
}

// expected returns the texts a letter's body must show, and the noise to
// squeeze out of pdftotext output before looking for them.
func expected(l Letter, pages int) (fields []Field, texts, noise []string) {
	noise = contactParts(l.Agency)
	for p := 1; p <= pages; p++ {
		noise = append(noise, fmt.Sprintf("第%d页/共%d页", p, pages))
	}
	for _, b := range l.Body {
		switch b := b.(type) {
		case Paragraph:
			texts = append(texts, strings.Split(string(b), "\n")...)
		case List:
			for i, item := range b {
				texts = append(texts, fmt.Sprintf("%d.%s", i+1, item))
			}
		case Table:
			fields = append(fields, b...)
			for _, f := range b {
				noise = append(noise, f.Label)
			}
		}
	}
	return fields, texts, noise
}

func TestWriteLetter(t *testing.T) {
	tests := []struct {
		name   string
		letter Letter
		pages  int
	}{
		{"receipt", receipt(t), 1},
		{"correction", correction(t), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := mustWrite(t, tt.letter)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("output starts with %q, want %%PDF-", pdf[:min(8, len(pdf))])
			}
			path := mustSaveTemp(t, pdf)

			info := mustRun(t, "pdfinfo", path)
			if want := fmt.Sprintf("Pages:           %d\n", tt.pages); !strings.Contains(info, want) {
				t.Errorf("pdfinfo: want %q in\n%s", want, info)
			}
			if want := "Title:           " + tt.letter.Title; !strings.Contains(info, want) {
				t.Errorf("pdfinfo: want %q in\n%s", want, info)
			}
			if want := "A4"; !strings.Contains(info, want) {
				t.Errorf("pdfinfo: want page size %s in\n%s", want, info)
			}

			text := mustRun(t, "pdftotext", "-layout", path, "-")
			fields, texts, noise := expected(tt.letter, tt.pages)
			flat := squeeze(text, noise)
			for _, f := range fields {
				if !strings.Contains(text, f.Label) {
					t.Errorf("pdftotext: label %q missing", f.Label)
				}
				if !strings.Contains(flat, squeeze(f.Value, noise)) {
					t.Errorf("pdftotext: value %q missing", f.Value)
				}
			}
			for _, want := range texts {
				if !strings.Contains(flat, squeeze(want, noise)) {
					t.Errorf("pdftotext: body text %q missing", want)
				}
			}
			for _, want := range []string{
				tt.letter.Agency.Name, tt.letter.Title, tt.letter.Number, "张三：", "2026年2月10日",
				"电话：024-72826123", "邮编：112000",
				fmt.Sprintf("第 1 页 / 共 %d 页", tt.pages), fmt.Sprintf("第 %d 页 / 共 %d 页", tt.pages, tt.pages),
			} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext: %q missing", want)
				}
			}

			// name  type (2 words)  encoding  emb  sub  uni  object ID (2 words)
			fonts := mustRun(t, "pdffonts", path)
			var embedded bool
			for _, line := range strings.Split(fonts, "\n") {
				f := strings.Fields(line)
				embedded = embedded || len(f) == 9 && f[1]+" "+f[2] == "CID TrueType" && f[4] == "yes"
			}
			if !embedded {
				t.Errorf("pdffonts: want an embedded CID TrueType font, got\n%s", fonts)
			}
		})
	}
}

func TestWriteLetterReproducible(t *testing.T) {
	for _, l := range []Letter{receipt(t), correction(t)} {
		a, b := mustWrite(t, l), mustWrite(t, l)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ (%d and %d bytes)", l.Title, len(a), len(b))
		}
		if !bytes.Contains(a, []byte("D:20260210013000")) { // 09:30 in Beijing
			t.Errorf("%s: pinned CreationDate not in the PDF", l.Title)
		}
	}
}

func TestWriteLetterOptionalParts(t *testing.T) {
	l := Letter{
		Agency:    models.Agency{Name: "铁岭市民政局"},
		Title:     "政府信息公开申请答复书",
		Body:      []Block{Paragraph("只有一段正文。"), Table{}, List{}},
		CreatedAt: pinned,
	}
	path := mustSaveTemp(t, mustWrite(t, l))
	text := mustRun(t, "pdftotext", "-layout", path, "-")
	if !strings.Contains(text, "只有一段正文。") || !strings.Contains(text, "第 1 页 / 共 1 页") {
		t.Errorf("pdftotext: got\n%s", text)
	}
}

func TestWriteLetterRowTallerThanPage(t *testing.T) {
	l := receipt(t)
	l.Body = []Block{Table{{"所需信息", strings.Repeat("很长的申请内容描述，", 400)}}}
	info := mustRun(t, "pdfinfo", mustSaveTemp(t, mustWrite(t, l)))
	if strings.Contains(info, "Pages:           1\n") {
		t.Errorf("a 4000-character value fits one page?\n%s", info)
	}
}

func TestWriteLetterSeal(t *testing.T) {
	tests := []struct {
		name    string
		seal    []byte
		wantErr bool
	}{
		{"8-bit", mustSealPNG(t, false), false},
		{"16-bit", mustSealPNG(t, true), false}, // gofpdf alone rejects these
		{"not a PNG", []byte("GIF89a not really"), true},
		{"truncated PNG", mustSealPNG(t, false)[:200], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := receipt(t)
			l.Agency.SealImage = tt.seal
			var buf bytes.Buffer
			err := WriteLetter(&buf, l)
			if tt.wantErr {
				if !errors.Is(err, ErrSealImage) {
					t.Errorf("err = %v, want ErrSealImage", err)
				}
				if buf.Len() != 0 {
					t.Errorf("wrote %d bytes before failing", buf.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWriteLetterMissingGlyph(t *testing.T) {
	l := receipt(t)
	l.Recipient = "张𠀀："
	err := WriteLetter(&bytes.Buffer{}, l)
	var mg *MissingGlyphsError
	if !errors.As(err, &mg) || len(mg.Runes) != 1 || mg.Runes[0] != '𠀀' {
		t.Fatalf("err = %v, want MissingGlyphsError for 𠀀", err)
	}
	if strings.Contains(err.Error(), "𠀀") || !strings.Contains(err.Error(), "U+20000") {
		t.Errorf("error text %q: want the code point, not the character", err)
	}
}

// TestWriteLetterRendersGlyphs rasterises page 1 and checks that it is not
// blank and has the red letterhead. The real check that no character is
// drawn as an empty box is the MissingGlyphs one at the top.
func TestWriteLetterRendersGlyphs(t *testing.T) {
	l := correction(t)
	if m := MissingGlyphs(l.text()); len(m) > 0 {
		t.Fatalf("letter text has runes the font lacks: %q", string(m))
	}
	path := mustSaveTemp(t, mustWrite(t, l))
	prefix := filepath.Join(filepath.Dir(path), "page")
	mustRun(t, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode rendered page: %v", err)
	}
	var dark, red int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			switch {
			case r < 0x6000 && g < 0x6000 && bl < 0x6000:
				dark++
			case r > 0xA000 && g < 0x5000 && bl < 0x5000:
				red++
			}
		}
	}
	if total := b.Dx() * b.Dy(); dark < total/100 {
		t.Errorf("page 1 has %d dark pixels of %d: looks blank", dark, total)
	}
	if red < 100 {
		t.Errorf("page 1 has %d red pixels: letterhead or seal missing", red)
	}
}

func BenchmarkWriteLetter(b *testing.B) {
	l := correction(b)
	for b.Loop() {
		if err := WriteLetter(&bytes.Buffer{}, l); err != nil {
			b.Fatal(err)
		}
	}
}
