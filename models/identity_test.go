package models

import (
	"strings"
	"testing"
)

// identityToday pins the clock for the identity tests.
var identityToday = MustParseDate("2026-05-20")

// checkValid runs a validator case: want == "" with wantMsg == "" means
// accepted (normalised value in want otherwise); a non-empty wantMsg means
// refused with exactly that message (or, with a trailing "…", a message
// starting with the text before it).
func checkValid(t *testing.T, got string, err error, want, wantMsg string) {
	t.Helper()
	if wantMsg == "" {
		if err != nil {
			t.Fatalf("got error %v, want %q", err, want)
		}
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		return
	}
	if err == nil {
		t.Fatalf("got %q and no error, want error %q", got, wantMsg)
	}
	if code := ErrorCode(err); code != EINVALID {
		t.Errorf("got code %q, want %q", code, EINVALID)
	}
	msg := ErrorMessage(err)
	if prefix, ok := strings.CutSuffix(wantMsg, "…"); ok {
		if !strings.HasPrefix(msg, prefix) {
			t.Errorf("got message %q, want one starting %q", msg, prefix)
		}
	} else if msg != wantMsg {
		t.Errorf("got message %q, want %q", msg, wantMsg)
	}
	if got != "" {
		t.Errorf("got value %q with an error, want \"\"", got)
	}
}

func TestValidateResidentID(t *testing.T) {
	tests := []struct {
		name, in, want, wantMsg string
	}{
		// rules.md §7.4 test vectors.
		{"GB 11643 sample with X", "53010219200508011X", "53010219200508011X", ""},
		{"GB 11643 sample wrong check digit", "530102192005080119", "", "公民身份号码校验位不正确，请核对后重新输入。"},
		{"Beijing 1949 with X", "11010519491231002X", "11010519491231002X", ""},
		{"checksum right but born 1880", "440524188001010014", "", "公民身份号码中的出生日期早于1900年1月1日，请核对后重新输入。"},
		{"Beijing 1990", "110101199003074477", "110101199003074477", ""},

		{"Tieling", "211202199003074473", "211202199003074473", ""},
		{"lower-case x normalised", "11010519491231002x", "11010519491231002X", ""},
		{"spaces trimmed and removed", "  211202 19900307 4473 ", "211202199003074473", ""},
		{"full-width digits and X", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", ""},
		{"empty", "  ", "", "请填写公民身份号码。"},
		{"15-digit first-generation number", "110105491231002", "", "15位身份证号码属于第一代居民身份证，已于2013年1月1日停止使用，请填写18位公民身份号码。"},
		{"17 characters", "21120219900307447", "", "公民身份号码应为18位，您输入的是17位。"},
		{"19 characters", "2112021990030744731", "", "公民身份号码应为18位，您输入的是19位。"},
		{"letter inside", "2112021990O3074473", "", "公民身份号码的前17位应为数字，第18位应为数字或字母X。"},
		{"check character not X", "21120219900307447Y", "", "公民身份号码的前17位应为数字，第18位应为数字或字母X。"},
		{"Chinese characters", "二一一二〇二一九九〇〇三〇七四四七三", "", "公民身份号码的前17位应为数字，第18位应为数字或字母X。"},
		{"residence permit number", "810000199001011230", "", "该号码是港澳台居民居住证号码，请将证件类型选为“港澳台居民居住证”。"},
		{"no such province", "990101199001011230", "", "公民身份号码的前两位（省级行政区划代码）不正确，请核对后重新输入。"},
		{"30 February", "211202199002304476", "", "公民身份号码中的出生日期（第7至14位）不是有效日期，请核对后重新输入。"},
		{"born in the future", "211202203001011232", "", "公民身份号码中的出生日期晚于今天，请核对后重新输入。"},
		{"check digit off by one", "211202199003074474", "", "公民身份号码校验位不正确，请核对后重新输入。"},
		{"two digits swapped", "211202199003074743", "", "公民身份号码校验位不正确，请核对后重新输入。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateResidentID(tt.in, identityToday)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestValidateResidentIDZeroToday(t *testing.T) {
	// A zero today skips only the future check.
	got, err := ValidateResidentID("211202203001011232", Date{})
	checkValid(t, got, err, "211202203001011232", "")
}

func TestValidateResidentIDBirthBoundaries(t *testing.T) {
	// Check characters computed independently of residentIDCheck.
	tests := []struct {
		name, in, want, wantMsg string
	}{
		{"born today", "211202202605200013", "211202202605200013", ""},
		{"born tomorrow", "211202202605210019", "", "公民身份号码中的出生日期晚于今天，请核对后重新输入。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateResidentID(tt.in, identityToday)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestResidentIDChecksumOK(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"GB 11643 sample", "53010219200508011X", true},
		{"GB 11643 sample wrong", "530102192005080119", false},
		{"lower-case x", "11010519491231002x", true},
		{"born 1880, checksum only", "440524188001010014", true},
		{"residence permit", "830000198506010021", true},
		{"grouped with spaces", "211202 19900307 4473", true},
		{"grouped with hyphens", "2112-0219-9003-0744-73", true},
		{"full-width", "２１１２０２１９９００３０７４４７３", true},
		{"last digit apart", "21120219900307447 3", true},
		{"double space", "211202  19900307 4473", false},
		{"leading space", " 211202199003074473", false},
		{"trailing hyphen", "211202199003074473-", false},
		{"X in the middle", "2112021990030744X3", false},
		{"17 digits", "21120219900307447", false},
		{"19 digits", "2112021990030744731", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ResidentIDChecksumOK(tt.in); got != tt.want {
				t.Errorf("ResidentIDChecksumOK(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidateCreditCode(t *testing.T) {
	tests := []struct {
		name, in, want, wantMsg string
	}{
		// Published codes of well-known organisations. Each one is accepted
		// by this algorithm and asserted valid by at least one independent
		// validator's test suite (hutool, and GB 32100 validators in JS,
		// Java, C# projects).
		{"sample 91350100M000100Y43", "91350100M000100Y43", "91350100M000100Y43", ""},
		{"华为技术有限公司", "914403001922038216", "914403001922038216", ""},
		{"深圳市腾讯计算机系统有限公司", "91440300708461136T", "91440300708461136T", ""},
		{"阿里巴巴（中国）有限公司", "91330100799655058B", "91330100799655058B", ""},
		{"小米科技有限责任公司", "91110108551385082Q", "91110108551385082Q", ""},
		{"91110000802100433B", "91110000802100433B", "91110000802100433B", ""},

		{"lower case and spaces", " 91350100m000100y43 ", "91350100M000100Y43", ""},
		{"grouped", "9135 0100 M000 100Y 43", "91350100M000100Y43", ""},
		{"full-width", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", ""},
		{"empty", "", "", "请填写统一社会信用代码。"},
		{"organisation code only", "M000100Y4", "", "统一社会信用代码应为18位，您输入的是9位。"},
		{"old 15-digit registration number", "440301104001819", "", "统一社会信用代码应为18位，您输入的是15位。"},
		{"letter O", "9135O100M000100Y43", "", "统一社会信用代码只能由数字和大写字母组成，且不使用字母I、O、S、V、Z，请核对第5位。"},
		{"letter S", "91350100M000100S43", "", "统一社会信用代码只能由数字和大写字母组成，且不使用字母I、O、S、V、Z，请核对第16位。"},
		{"Z as check character", "91350100M000100Y4Z", "", "统一社会信用代码只能由数字和大写字母组成，且不使用字母I、O、S、V、Z，请核对第18位。"},
		{"Chinese character", "91350100M000100Y4三", "", "统一社会信用代码只能由数字和大写字母组成，且不使用字母I、O、S、V、Z，请核对第18位。"},
		{"wrong check character", "91350100M000100Y44", "", "统一社会信用代码校验位不正确，请核对后重新输入。"},
		{"neighbours swapped", "91350100M001000Y43", "", "统一社会信用代码校验位不正确，请核对后重新输入。"},
		{"Huawei wrong check", "914403001922038217", "", "统一社会信用代码校验位不正确，请核对后重新输入。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateCreditCode(tt.in)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestValidateMobile(t *testing.T) {
	const bad = "手机号码应为以1开头的11位数字，例如13812341234。"
	tests := []struct {
		name, in, want, wantMsg string
	}{
		{"plain", "13812341234", "13812341234", ""},
		{"spaces", " 138 1234 1234 ", "13812341234", ""},
		{"hyphens", "138-1234-1234", "13812341234", ""},
		{"+86", "+86 138 1234 1234", "13812341234", ""},
		{"+86 hyphen", "+86-13812341234", "13812341234", ""},
		{"86 prefix", "8619912341234", "19912341234", ""},
		{"0086 prefix", "008613812341234", "13812341234", ""},
		{"full-width", "１３８１２３４１２３４", "13812341234", ""},
		{"empty", "", "", "请填写手机号码。"},
		{"second digit 2", "12812341234", "", bad},
		{"10 digits", "1381234123", "", bad},
		{"12 digits", "138123412345", "", bad},
		{"landline", "024-23456789", "", bad},
		{"letters", "1381234123a", "", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateMobile(tt.in)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestValidatePhone(t *testing.T) {
	const bad = "联系电话格式不正确，请填写11位手机号码，或带区号的固定电话，例如024-23456789。"
	tests := []struct {
		name, in, want, wantMsg string
	}{
		{"mobile", "138 1234 1234", "13812341234", ""},
		{"Shenyang", "024-23456789", "024-23456789", ""},
		{"Tieling 7 digits", "0410-7234567", "0410-7234567", ""},
		{"Tieling 8 digits", "0410-72123456", "0410-72123456", ""},
		{"Beijing", "010-62345678", "010-62345678", ""},
		{"parentheses", "(024)23456789", "024-23456789", ""},
		{"full-width parentheses", "（０２４）２３４５６７８９", "024-23456789", ""},
		{"no separator, 3-digit area", "02423456789", "024-23456789", ""},
		{"no separator, 4-digit area", "04107234567", "0410-7234567", ""},
		{"spaces", "024 2345 6789", "024-23456789", ""},
		{"hyphen extension", "024-23456789-123", "024-23456789-123", ""},
		{"转 extension", "024-23456789转123", "024-23456789-123", ""},
		{"ext extension", "024-23456789 ext. 8001", "024-23456789-8001", ""},
		{"+86 landline", "+86 24 2345 6789", "024-23456789", ""},
		{"empty", " ", "", "请填写联系电话。"},
		{"no area code", "12345678", "", bad},
		{"wrong area length", "0241-7234567", "", bad},
		{"area code 00", "001-23456789", "", bad},
		{"local starts with 0", "024-02345678", "", bad},
		{"local too short", "0410-723456", "", bad},
		{"local too long", "024-234567899", "", bad},
		{"extension too long", "024-23456789-1234567", "", bad},
		{"empty extension", "024-23456789转", "", bad},
		{"service number", "12345", "", bad},
		{"text", "电话", "", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidatePhone(tt.in)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestValidateEmail(t *testing.T) {
	const bad = "电子邮箱格式不正确，请填写形如zhangsan@example.com的地址。"
	const charset = "电子邮箱只能包含英文字母、数字和常用符号，例如zhangsan@example.com。"
	tests := []struct {
		name, in, want, wantMsg string
	}{
		{"plain", "zhangsan@example.com", "zhangsan@example.com", ""},
		{"domain lower-cased, local kept", " ZhangSan@Example.COM.CN ", "ZhangSan@example.com.cn", ""},
		{"QQ mail", "123456789@qq.com", "123456789@qq.com", ""},
		{"plus and dots", "zhang.san+gk@mail.example.gov.cn", "zhang.san+gk@mail.example.gov.cn", ""},
		{"full-width at sign", "zhangsan＠example.com", "zhangsan@example.com", ""},
		{"empty", "", "", "请填写电子邮箱。"},
		{"display name", "张三 <zhangsan@example.com>", "", charset},
		{"ASCII display name", "Zhang <zhangsan@example.com>", "", charset},
		{"angle brackets", "<zhangsan@example.com>", "", bad},
		{"Chinese local part", "张三@example.com", "", charset},
		{"no at", "zhangsan.example.com", "", bad},
		{"two ats", "zhang@san@example.com", "", bad},
		{"no dot in domain", "zhangsan@localhost", "", bad},
		{"one-letter TLD", "zhangsan@example.c", "", bad},
		{"numeric TLD", "zhangsan@10.0.0.1", "", bad},
		{"domain literal", "zhangsan@[10.0.0.1]", "", bad},
		{"underscore in domain", "zhangsan@exa_mple.com", "", bad},
		{"hyphen at label end", "zhangsan@example-.com", "", bad},
		{"double dot", "zhang..san@example.com", "", bad},
		{"comment", "zhangsan@example.com(work)", "", bad},
		{"local part over 64", strings.Repeat("a", 65) + "@example.com", "", bad},
		{"over 254", strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".com", "", "电子邮箱地址过长，请不超过254个字符。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateEmail(tt.in)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestValidatePostCode(t *testing.T) {
	tests := []struct {
		name, in, want, wantMsg string
	}{
		{"Tieling", "112000", "112000", ""},
		{"spaces", " 112 000 ", "112000", ""},
		{"full-width", "１１２０００", "112000", ""},
		{"empty", "", "", "请填写邮政编码。"},
		{"five digits", "11200", "", "邮政编码应为6位数字。"},
		{"seven digits", "1120001", "", "邮政编码应为6位数字。"},
		{"letter", "11200A", "", "邮政编码应为6位数字。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidatePostCode(tt.in)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}

func TestDocTypeLabel(t *testing.T) {
	want := map[DocType]string{
		DocResidentID:      "居民身份证",
		DocResidencePermit: "港澳台居民居住证",
		DocHKMacaoPermit:   "港澳居民来往内地通行证",
		DocTaiwanPermit:    "台湾居民来往大陆通行证",
		DocPassport:        "护照",
		DocOther:           "其他",
	}
	if len(DocTypes) != len(want) {
		t.Fatalf("got %d document types, want %d", len(DocTypes), len(want))
	}
	for _, d := range DocTypes {
		if !d.Valid() {
			t.Errorf("%q.Valid() = false, want true", d)
		}
		if got := d.Label(); got != want[d] {
			t.Errorf("%q.Label() = %q, want %q", d, got, want[d])
		}
	}
	if DocType("身份证").Valid() || DocType("").Label() != "" {
		t.Errorf("unknown document types: got valid or labelled, want neither")
	}
}

func TestValidateDocument(t *testing.T) {
	tests := []struct {
		name    string
		typ     DocType
		in      string
		want    string
		wantMsg string
	}{
		{"resident ID", DocResidentID, "11010519491231002x", "11010519491231002X", ""},
		{"resident ID bad check", DocResidentID, "530102192005080119", "", "公民身份号码校验位不正确，请核对后重新输入。"},
		{"residence permit Hong Kong", DocResidencePermit, "810000199001011230", "810000199001011230", ""},
		{"residence permit Taiwan", DocResidencePermit, "830000198506010021", "830000198506010021", ""},
		{"residence permit Macao leap day", DocResidencePermit, "820000200002290048", "820000200002290048", ""},
		{"residence permit bad check", DocResidencePermit, "830000198506010022", "", "港澳台居民居住证号码校验位不正确，请核对后重新输入。"},
		{"residence permit with a mainland number", DocResidencePermit, "211202199003074473", "", "港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头，请核对证件类型和号码。"},
		{"residence permit 15 digits", DocResidencePermit, "810000900101123", "", "港澳台居民居住证号码应为18位，您输入的是15位。"},
		{"Hong Kong permit", DocHKMacaoPermit, "h12345678", "H12345678", ""},
		{"Macao permit 10 digits", DocHKMacaoPermit, "M1234567890", "M1234567890", ""},
		{"HK permit 9 digits", DocHKMacaoPermit, "H123456789", "", "港澳居民来往内地通行证号码应为字母H（香港）或M（澳门）加8位或10位数字，例如H12345678。"},
		{"HK permit wrong letter", DocHKMacaoPermit, "C12345678", "", "港澳居民来往内地通行证号码应为字母H（香港）或M（澳门）加8位或10位数字，例如H12345678。"},
		{"HK permit empty", DocHKMacaoPermit, "", "", "请填写港澳居民来往内地通行证号码。"},
		{"Taiwan permit", DocTaiwanPermit, "1234 5678", "12345678", ""},
		{"Taiwan permit 10 digits", DocTaiwanPermit, "1234567890", "", "台湾居民来往大陆通行证号码应为8位数字。"},
		{"Taiwan permit empty", DocTaiwanPermit, " ", "", "请填写台湾居民来往大陆通行证号码。"},
		{"Chinese passport", DocPassport, "e12345678", "E12345678", ""},
		{"short passport", DocPassport, "A1234", "A1234", ""},
		{"passport too short", DocPassport, "A123", "", "护照号码应为5至17位英文字母或数字。"},
		{"passport too long", DocPassport, "A12345678901234567", "", "护照号码应为5至17位英文字母或数字。"},
		{"passport with hyphen", DocPassport, "A-12345", "", "护照号码应为5至17位英文字母或数字。"},
		{"passport empty", DocPassport, "", "", "请填写护照号码。"},
		{"other", DocOther, "  军字第12345号 ", "军字第12345号", ""},
		{"other 32 characters", DocOther, strings.Repeat("号", 32), strings.Repeat("号", 32), ""},
		{"other 33 characters", DocOther, strings.Repeat("号", 33), "", "证件号码不能超过32个字符。"},
		{"other control character", DocOther, "AB\x00CD", "", "证件号码含有不可见字符，请重新输入。"},
		{"other invalid UTF-8", DocOther, "AB\xffCD", "", "证件号码含有无法识别的字符，请重新输入。"},
		{"other empty", DocOther, "\t", "", "请填写证件号码。"},
		{"unknown type", DocType("id"), "110101199003074477", "", "请选择证件类型。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateDocument(tt.typ, tt.in, identityToday)
			checkValid(t, got, err, tt.want, tt.wantMsg)
		})
	}
}
