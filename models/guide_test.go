package models

import (
	"strings"
	"testing"
)

func guideAgency() Agency {
	return Agency{
		Code: "TLMZ", Name: "铁岭市民政局", OfficeName: "铁岭市民政局办公室",
		OfficeAddress: "辽宁省铁岭市银州区示例路1号", PostCode: "112000",
		OfficeHours: "周一至周五 8:30—17:00", Phone: "024-72000000",
		ReconsiderationBody: "铁岭市人民政府", Court: "铁岭市银州区人民法院",
	}
}

func guideInput() GuideInput {
	return GuideInput{
		Rules:      DefaultClockRules(),
		Categories: testCategories(),
		Index:      IndexRule{Pattern: DefaultIndexPattern},
		PortalURL:  "https://gk.tieling.gov.cn",
		UpdatedOn:  MustParseDate("2026-02-10"),
	}
}

func TestBuildGuide(t *testing.T) {
	g := BuildGuide(guideAgency(), guideInput())
	if g.Title != "铁岭市民政局政府信息公开指南" {
		t.Errorf("title = %q", g.Title)
	}
	var headings []string
	for _, s := range g.Sections {
		headings = append(headings, s.Heading)
	}
	if got, want := strings.Join(headings, "|"), "一、政府信息公开工作机构|二、主动公开|三、依申请公开|四、监督和救济"; got != want {
		t.Errorf("headings = %s, want %s", got, want)
	}
	text := g.Text()
	for _, want := range []string{
		// 条例第十二条: the office's name, address, hours, phone, fax, online contact.
		"名称：铁岭市民政局办公室", "办公地址：辽宁省铁岭市银州区示例路1号", "办公时间：周一至周五 8:30—17:00",
		"联系电话：024-72000000", "传真号码：本机关未设政府信息公开传真", "互联网联系方式：政府信息公开申请平台 https://gk.tieling.gov.cn",
		// classification, arrangement, how to obtain.
		"《条例》第二十条第（一）项：行政法规、规章和规范性文件（分为行政法规、规章、行政规范性文件、其他规范性文件）。",
		"《条例》第二十条第（十四）项：公务员招考的职位、名额、报考条件等事项以及录用结果。",
		"本机关确定主动公开的其他信息：社会救助。",
		"例如“TLMZ/2026-00001”", "https://gk.tieling.gov.cn/catalog",
		// channels and receipt rules (Channel.ReceiptRule).
		"https://gk.tieling.gov.cn/apply", ChannelOnline.ReceiptRule(), ChannelMail.ReceiptRule(), ChannelLetter.ReceiptRule(),
		"寄至辽宁省铁岭市银州区示例路1号（邮政编码 112000）",
		// deadlines from the clock rules.
		"7个工作日内一次性告知", "自收到申请之日起20个工作日内予以答复", "最长不超过20个工作日", "15个工作日内提出意见",
		// fees from fee.go.
		"10件以下（含10件）的，不收费", "11—30件（含30件）的部分，每件收费100元",
		"31件以上的部分，以10件为一档，每增加一档，每件收费标准提高100元（31—40件每件200元，41—50件每件300元，依此类推）",
		"30页以下（含30页）的，不收费", "31—100页（含100页）的部分，每页收费10元", "101—200页（含200页）的部分，每页收费20元",
		"201页以上的部分，每页收费40元", "20个工作日内缴纳费用", "等待缴费的时间不计算在答复期限内",
		// remedies.
		"60日内，向铁岭市人民政府申请行政复议", "6个月内，向铁岭市银州区人民法院提起行政诉讼",
		"本指南内容更新于2026年2月10日",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	for _, notWant := range []string{"传真：发送至", "电子邮件：发送至", "再告知补正一次"} {
		if strings.Contains(text, notWant) {
			t.Errorf("guide has %q although the profile or rules have no such thing", notWant)
		}
	}
}

// TestGuideFollowsProfileAndRules: no hand-typed copy — every change of the
// profile or the rules shows in the guide.
func TestGuideFollowsProfileAndRules(t *testing.T) {
	a := guideAgency()
	a.Fax = "024-72000001"
	a.Email = "gk@tieling.gov.cn"
	a.Phone = "024-72999999"
	a.ReconsiderationBody = "辽宁省民政厅"
	a.Website = "https://mzj.tieling.gov.cn"
	in := guideInput()
	in.Rules.AnswerDays = 15
	in.Rules.ExtensionMaxDays = 10
	in.Rules.ExcludeFeeWait = false
	in.Rules.AllowSecondCorrection = true
	in.Index.OrgCode = "11211200MB0000000X"
	in.PortalURL = ""
	text := BuildGuide(a, in).Text()
	for _, want := range []string{
		"传真号码：024-72000001", "传真：发送至024-72000001。" + ChannelFax.ReceiptRule(),
		"电子邮件：发送至gk@tieling.gov.cn。" + ChannelEmail.ReceiptRule(), "电子邮箱 gk@tieling.gov.cn",
		"联系电话：024-72999999", "咨询电话：024-72999999", "向辽宁省民政厅申请行政复议",
		"访问本机关网站（https://mzj.tieling.gov.cn）", "网站 https://mzj.tieling.gov.cn",
		"15个工作日内予以答复", "最长不超过10个工作日", "再告知补正一次",
		"“11211200MB0000000X/2026-00001”", "本平台“政府信息公开目录”页面，",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	if strings.Contains(text, "等待缴费的时间不计算在答复期限内") {
		t.Error("guide says the fee wait is not counted, but the setting is off")
	}
	if strings.Contains(text, "024-72000000") {
		t.Error("guide still shows the old phone number")
	}
}

func TestFeeTierText(t *testing.T) {
	if got := itemTierText(); len(got) != 3 {
		t.Errorf("item tiers = %q", got)
	}
	if got := pageTierText(); len(got) != 4 || !strings.HasSuffix(got[3], "。") {
		t.Errorf("page tiers = %q", got)
	}
	ts := tiersOf(func(n int) int64 { return FeePerPageFen(n) - FeePerPageFen(n-1) }, 1000)
	want := []tier{{1, 30, 0}, {31, 100, 1000}, {101, 200, 2000}, {201, 0, 4000}}
	if len(ts) != len(want) {
		t.Fatalf("tiers = %+v", ts)
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Errorf("tier %d = %+v, want %+v", i, ts[i], want[i])
		}
	}
}

func TestGuideBlocks(t *testing.T) {
	g := BuildGuide(guideAgency(), guideInput())
	office := g.Sections[0]
	if len(office.Blocks) != 2 || !office.Blocks[0].IsParagraph() || !office.Blocks[1].IsFields() || len(office.Blocks[1].Fields) != 7 {
		t.Errorf("office section blocks = %+v", office.Blocks)
	}
	for _, s := range g.Sections {
		if s.ID == "" {
			t.Errorf("section %q has no anchor", s.Heading)
		}
	}
	apply := g.Sections[2]
	if len(apply.Subsections) != 7 || apply.Subsections[5].Heading != "（六）收费" {
		t.Errorf("apply subsections = %d", len(apply.Subsections))
	}
}
