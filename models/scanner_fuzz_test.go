package models

import "testing"

// FuzzScanText checks that ScanText never panics and that its findings keep
// their invariants: Match is text[Start:End], findings are sorted and do not
// overlap, line numbers are right, and every resident-ID finding passes
// ResidentIDChecksumOK.
func FuzzScanText(f *testing.F) {
	for _, s := range []string{
		"申请人张三，身份证211202199003074473，住辽宁省铁岭市银州区广裕街12号阳光小区3号楼2单元501室，电话13812341234。",
		"卡号 4111 1111 1111 1111，6222 0212 3456 7890 128，13812341234@qq.com",
		"(024)23456789 （0410）7234567 +86-138-1234-1234 211202 19900307 4473",
		"２１１２０２１９９００３０７４４７３ 11010519491231002x 阳光花园3-2-501 大台村3组15号",
		"\xff13812341234\xfe\n\xef\xbc", "", "a@b.cn@c.com..@", "0-0-0-0-0-0-0-0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkFindings(t, text, ScanText(text))
	})
}
