package reports

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/models"
)

func testReceipt(t testing.TB) Receipt {
	loc := time.FixedZone("CST", 8*3600)
	return Receipt{
		Agency: testAgency(t),
		Application: models.Application{
			Number: "TLMZ-2026-000123", Channel: models.ChannelOnline, Title: "2025年度城乡低保资金发放情况",
			Description: "文号：铁民发〔2025〕3号\n希望获得按区县汇总的发放金额。", FormWanted: models.FormElectronic,
			Delivery: models.DeliveryOnline, SubmittedAt: time.Date(2026, 2, 10, 9, 30, 0, 0, loc),
		},
		Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID,
			IDNumber: "110101199003074477", Phone: "13812345678", Email: "zhangsan@example.com",
			AgentName: "李四", AgentIDType: models.DocResidentID, AgentIDNumber: "11010519491231002X"},
		Files:    []string{"身份证.jpg", "授权委托书.pdf"},
		Location: loc,
	}
}

func TestWriteReceipt(t *testing.T) {
	r := testReceipt(t)
	var buf bytes.Buffer
	if err := WriteReceipt(&buf, r); err != nil {
		t.Fatal(err)
	}
	// Pinned to the submission time: the same receipt gives the same bytes.
	var again bytes.Buffer
	WriteReceipt(&again, r)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two receipts of one application differ")
	}
	path := mustSaveTemp(t, buf.Bytes())
	text := mustRun(t, "pdftotext", "-layout", path, "-")
	l := ReceiptLetter(r)
	_, _, noise := expected(l, 1)
	flat := squeeze(text, noise)
	for _, want := range []string{
		"政府信息公开申请提交回执", "铁岭市民政局", "张三：", "TLMZ-2026-000123", "自然人",
		"居民身份证", "1101**********4477", "138****5678", "z*******@example.com", "李四",
		"2025年度城乡低保资金发放情况", "铁民发〔2025〕3号", "电子", "在线下载", "网上申请",
		"2026年2月10日09:30", "身份证.jpg；授权委托书.pdf", "待确认",
		"第三十一条第（三）项", "以双方确认之日为收到申请之日", "20个工作日", "《政府信息公开申请接收回执》",
		"如有疑问，请联系铁岭市民政局政府信息公开办公室，联系", "2026年2月10日",
	} {
		if !strings.Contains(flat, squeeze(want, noise)) {
			t.Errorf("pdftotext: %q missing", want)
		}
	}
	for _, secret := range []string{"110101199003074477", "13812345678", "zhangsan@", "11010519491231002X"} {
		if strings.Contains(flat, secret) {
			t.Errorf("receipt shows %q in full", secret)
		}
	}
	info := mustRun(t, "pdfinfo", path)
	if !strings.Contains(info, "Title:           政府信息公开申请提交回执") {
		t.Errorf("pdfinfo:\n%s", info)
	}
}

func TestReceiptOrganisation(t *testing.T) {
	r := testReceipt(t)
	r.Applicant = models.Applicant{Kind: models.ApplicantLegal, Name: "辽宁某某律师事务所", CreditCode: "91211200MA0QX1234F",
		LegalRep: "王五", ContactPerson: "赵六", Phone: "024-23456789"}
	r.Files = nil
	l := ReceiptLetter(r)
	text := l.text()
	for _, want := range []string{"法人或其他组织（法律服务机构）", "91211200MA0QX1234F", "王五", "赵六", "024-****6789", "无"} {
		if !strings.Contains(text, want) {
			t.Errorf("organisation receipt lacks %q", want)
		}
	}
	if strings.Contains(text, "身份证明") {
		t.Error("organisation receipt has an identity document row")
	}
}

// TestReceiptRendersEveryGlyph: no character of the receipt is missing
// from the font, and page 1 rasterises to a non-blank page.
func TestReceiptRendersEveryGlyph(t *testing.T) {
	l := ReceiptLetter(testReceipt(t))
	if m := MissingGlyphs(l.text()); len(m) > 0 {
		t.Fatalf("receipt text has runes the font lacks: %q", string(m))
	}
	var buf bytes.Buffer
	if err := WriteLetter(&buf, l); err != nil {
		t.Fatal(err)
	}
	path := mustSaveTemp(t, buf.Bytes())
	prefix := filepath.Join(filepath.Dir(path), "page")
	mustRun(t, "pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix)
	if st, err := os.Stat(prefix + ".png"); err != nil || st.Size() < 1000 {
		t.Fatalf("rendered page: %v", err)
	}
}

func TestReceiptRefusesUnprintableName(t *testing.T) {
	r := testReceipt(t)
	r.Applicant.Name = "张𠀀"
	var mg *MissingGlyphsError
	if err := WriteReceipt(&bytes.Buffer{}, r); !errors.As(err, &mg) {
		t.Errorf("err = %v, want MissingGlyphsError", err)
	}
}
