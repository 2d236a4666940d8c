package models

import (
	"strings"
	"testing"
)

// hit is a finding reduced to what the table tests compare.
type hit struct {
	Kind  FindingKind
	Match string
}

func hits(fs []Finding) []hit {
	var out []hit
	for _, f := range fs {
		out = append(out, hit{f.Kind, f.Match})
	}
	return out
}

func TestScanText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []hit
	}{
		// Resident IDs.
		{"resident ID", "身份证号码211202199003074473。", []hit{{FindingResidentID, "211202199003074473"}}},
		{"resident ID with x", "证件号11010519491231002x，", []hit{{FindingResidentID, "11010519491231002x"}}},
		{"resident ID with X at end of text", "证件号11010519491231002X", []hit{{FindingResidentID, "11010519491231002X"}}},
		{"full-width resident ID", "号码：２１１２０２１９９００３０７４４７３", []hit{{FindingResidentID, "２１１２０２１９９００３０７４４７３"}}},
		{"grouped resident ID", "号码 211202 19900307 4473 。", []hit{{FindingResidentID, "211202 19900307 4473"}}},
		{"residence permit", "居住证830000198506010021", []hit{{FindingResidentID, "830000198506010021"}}},
		{"ID that also passes Luhn is only an ID", "530102198506010029", []hit{{FindingResidentID, "530102198506010029"}}},
		{"born 1880: still an ID, not a card", "号码440524188001010014", []hit{{FindingResidentID, "440524188001010014"}}},
		{"wrong check digit is not an ID", "号码530102192005080119", nil},
		{"impossible birth date is not an ID", "号码211202199002304476", nil},
		{"ID inside a longer number", "流水号1211202199003074473", nil},
		{"ID followed by a digit", "211202199003074473１", nil},
		{"ID after letters", "ID211202199003074473", nil},
		{"ID with a one-digit group is not an ID", "21120219900307447 3", nil},

		// Mobiles.
		{"mobile", "联系电话：13812341234", []hit{{FindingMobile, "13812341234"}}},
		{"mobile 199", "19912341234", []hit{{FindingMobile, "19912341234"}}},
		{"mobile hyphens", "电话138-1234-1234。", []hit{{FindingMobile, "138-1234-1234"}}},
		{"mobile spaces", "电话 138 1234 1234 。", []hit{{FindingMobile, "138 1234 1234"}}},
		{"mobile +86", "+86 13812341234", []hit{{FindingMobile, "+86 13812341234"}}},
		{"mobile +86 grouped", "Tel: +86-138-1234-1234", []hit{{FindingMobile, "+86-138-1234-1234"}}},
		{"mobile +86 joined", "+8613812341234", []hit{{FindingMobile, "+8613812341234"}}},
		{"full-width mobile", "１３８１２３４１２３４", []hit{{FindingMobile, "１３８１２３４１２３４"}}},
		{"128 is no mobile prefix", "12812341234", nil},
		{"12 digits", "138123412345", nil},
		{"mobile inside a longer run", "编号2013812341234", nil},
		{"mobile with a letter after", "13812341234a", nil},
		{"decimal number", "合计13812341234.56元", nil},
		{"mixed separators", "138-1234 1234", nil},

		// Landlines.
		{"landline 024", "电话024-23456789。", []hit{{FindingLandline, "024-23456789"}}},
		{"landline 0410", "0410-7234567", []hit{{FindingLandline, "0410-7234567"}}},
		{"landline space", "024 23456789", []hit{{FindingLandline, "024 23456789"}}},
		{"landline joined", "02423456789", []hit{{FindingLandline, "02423456789"}}},
		{"landline joined 4-digit area", "041072345678", []hit{{FindingLandline, "041072345678"}}},
		{"landline parentheses", "电话(024)23456789", []hit{{FindingLandline, "(024)23456789"}}},
		{"landline full-width parentheses", "电话（0410）7234567", []hit{{FindingLandline, "（0410）7234567"}}},
		{"local number starting with 1", "024-12345678", nil},
		{"area code of wrong length", "0241-7234567", nil},
		{"no area code", "电话7234567", nil},
		{"year and number", "2024-23456789", nil},

		// Bank cards.
		{"Visa test card", "卡号4111111111111111", []hit{{FindingBankCard, "4111111111111111"}}},
		{"card in groups of four", "卡号 4111 1111 1111 1111 。", []hit{{FindingBankCard, "4111 1111 1111 1111"}}},
		{"19-digit UnionPay grouped", "6222 0212 3456 7890 128", []hit{{FindingBankCard, "6222 0212 3456 7890 128"}}},
		{"19-digit UnionPay", "6222021234567890128", []hit{{FindingBankCard, "6222021234567890128"}}},
		{"Luhn fails", "4111111111111112", nil},
		{"Luhn passes but no card prefix", "1111111111111117", nil},
		{"groups not of four", "411 1111 1111 1111 1", nil},

		// E-mail.
		{"email", "邮箱：zhangsan@example.com。", []hit{{FindingEmail, "zhangsan@example.com"}}},
		{"email with dots", "zhang.san+gk@mail.tieling.gov.cn.", []hit{{FindingEmail, "zhang.san+gk@mail.tieling.gov.cn"}}},
		{"mobile-number mailbox is one email", "13812341234@qq.com", []hit{{FindingEmail, "13812341234@qq.com"}}},
		{"no domain dot", "user@localhost", nil},
		{"no local part", "@example.com", nil},
		{"double at", "a@@example.com", nil},

		// Addresses.
		{"street and number", "住址：辽宁省铁岭市银州区广裕街12号。", []hit{{FindingAddress, "辽宁省铁岭市银州区广裕街12号"}}},
		{"street, compound, unit, room merged", "家住银州区广裕街12号阳光小区3号楼2单元501室，",
			[]hit{{FindingAddress, "银州区广裕街12号阳光小区3号楼2单元501室"}}},
		{"compound only", "阳光小区3号楼2单元501室", []hit{{FindingAddress, "阳光小区3号楼2单元501室"}}},
		{"compound triple", "阳光花园3-2-501", []hit{{FindingAddress, "阳光花园3-2-501"}}},
		{"road section", "柴河街北段25号", []hit{{FindingAddress, "柴河街北段25号"}}},
		{"Chinese numerals", "和平路一段七号院", []hit{{FindingAddress, "和平路一段七号院"}}},
		{"village group", "银州区龙山乡大台村3组15号", []hit{{FindingAddress, "银州区龙山乡大台村3组15号"}}},
		{"hutong", "北京市东城区南锣鼓巷胡同8号", []hit{{FindingAddress, "北京市东城区南锣鼓巷胡同8号"}}},
		{"document number", "依据国办函〔2020〕109号", nil},
		{"order number", "国务院令第711号", nil},
		{"place name only", "辽宁省铁岭市银州区人民路", nil},
		{"agency name", "铁岭市民政局", nil},
		{"article", "条例第三十三条", nil},

		// Mixed, sorted, no overlap.
		{"everything", "申请人张三，身份证211202199003074473，住辽宁省铁岭市银州区广裕街12号，电话13812341234，邮箱zs@example.com。",
			[]hit{
				{FindingResidentID, "211202199003074473"},
				{FindingAddress, "辽宁省铁岭市银州区广裕街12号"},
				{FindingMobile, "13812341234"},
				{FindingEmail, "zs@example.com"},
			}},
		{"empty", "", nil},
		{"no digits", "本机关经审查，决定予以公开。", nil},
		{"invalid UTF-8 around a mobile", "\xff13812341234\xfe", []hit{{FindingMobile, "13812341234"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := ScanText(tt.text)
			got := hits(fs)
			if len(got) != len(tt.want) {
				t.Fatalf("ScanText(%q)\n got %q,\nwant %q", tt.text, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("finding %d: got %q, want %q", i, got[i], tt.want[i])
				}
			}
			checkFindings(t, tt.text, fs)
		})
	}
}

// checkFindings checks the invariants every ScanText result keeps.
func checkFindings(t *testing.T, text string, fs []Finding) {
	t.Helper()
	end := 0
	for i, f := range fs {
		if f.Start < end || f.End <= f.Start || f.End > len(text) {
			t.Fatalf("finding %d [%d,%d) overlaps or is out of range (previous end %d, len %d)", i, f.Start, f.End, end, len(text))
		}
		end = f.End
		if got := text[f.Start:f.End]; f.Match != got {
			t.Errorf("finding %d: got Match %q, want text[Start:End] %q", i, f.Match, got)
		}
		if want := 1 + strings.Count(text[:f.Start], "\n"); f.Line != want {
			t.Errorf("finding %d: got Line %d, want %d", i, f.Line, want)
		}
		if f.Kind.Label() == "" {
			t.Errorf("finding %d: kind %q has no label", i, f.Kind)
		}
		if f.Kind == FindingResidentID && !ResidentIDChecksumOK(f.Match) {
			t.Errorf("finding %d: resident ID %q fails ResidentIDChecksumOK", i, f.Match)
		}
	}
}

func TestScanTextOffsetsAndLines(t *testing.T) {
	text := "第一行没有。\n第二行电话13812341234\n\n第四行 zs@example.com 和 024-23456789"
	fs := ScanText(text)
	want := []struct {
		kind  FindingKind
		line  int
		start int
	}{
		{FindingMobile, 2, strings.Index(text, "138")},
		{FindingEmail, 4, strings.Index(text, "zs@")},
		{FindingLandline, 4, strings.Index(text, "024-")},
	}
	if len(fs) != len(want) {
		t.Fatalf("got %d findings %q, want %d", len(fs), hits(fs), len(want))
	}
	for i, w := range want {
		if fs[i].Kind != w.kind || fs[i].Line != w.line || fs[i].Start != w.start {
			t.Errorf("finding %d: got %s line %d start %d, want %s line %d start %d",
				i, fs[i].Kind, fs[i].Line, fs[i].Start, w.kind, w.line, w.start)
		}
	}
	checkFindings(t, text, fs)
}

func TestFindingKindLabel(t *testing.T) {
	tests := []struct {
		kind FindingKind
		want string
	}{
		{FindingResidentID, "公民身份号码"},
		{FindingMobile, "手机号码"},
		{FindingLandline, "固定电话号码"},
		{FindingBankCard, "银行卡号"},
		{FindingEmail, "电子邮箱"},
		{FindingAddress, "详细地址"},
		{FindingKind("x"), ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			if got := tt.kind.Label(); got != tt.want {
				t.Errorf("%q.Label() = %q, want %q", tt.kind, got, tt.want)
			}
		})
	}
}

// scanCorpus builds about size bytes of text shaped like an answer letter:
// mostly Chinese prose and document numbers, with personal information in
// one paragraph out of four.
func scanCorpus(size int) string {
	paras := []string{
		"铁岭市民政局政府信息公开申请答复书。铁民公开〔2026〕12号。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，经审查，您申请公开的信息属于可以公开的政府信息，现予以提供。本机关于2026年3月5日收到您的申请，依据国办函〔2020〕109号不收取信息处理费。\n",
		"申请人张三，身份证号码211202199003074473，住辽宁省铁岭市银州区广裕街12号阳光小区3号楼2单元501室，联系电话13812341234，固定电话0410-7234567，电子邮箱zhangsan@example.com。\n",
		"如对本答复不服，可以自收到本答复之日起60日内向铁岭市人民政府申请行政复议，或者在6个月内向人民法院提起行政诉讼。附件共3页，合计金额1280.50元，编号20260305000123。\n",
		"本年度共收到申请125件，其中自然人申请98件，法人或其他组织申请27件；予以公开63件，部分公开12件，不予公开4件，无法提供31件，不予处理8件，其他处理7件。\n",
	}
	var b strings.Builder
	b.Grow(size + 1024)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(paras[i%len(paras)])
	}
	return b.String()
}

func TestScanCorpus(t *testing.T) {
	text := scanCorpus(64 << 10)
	fs := ScanText(text)
	checkFindings(t, text, fs)
	count := map[FindingKind]int{}
	for _, f := range fs {
		count[f.Kind]++
	}
	n := strings.Count(text, "申请人张三")
	for _, k := range []FindingKind{FindingResidentID, FindingAddress, FindingMobile, FindingLandline, FindingEmail} {
		if count[k] != n {
			t.Errorf("got %d %s findings, want %d (one per personal paragraph)", count[k], k, n)
		}
	}
	if count[FindingBankCard] != 0 {
		t.Errorf("got %d bank cards, want 0", count[FindingBankCard])
	}
}

func BenchmarkScanText(b *testing.B) {
	text := scanCorpus(1 << 20)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		ScanText(text)
	}
}

// BenchmarkScanTextDigits is the worst case for the number scanner: a
// megabyte of digits, spaces and hyphens.
func BenchmarkScanTextDigits(b *testing.B) {
	unit := "4111 1111 1111 1111 138-1234-1234 024 23456789 12345 6789-0 "
	text := strings.Repeat(unit, (1<<20)/len(unit)+1)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		ScanText(text)
	}
}
