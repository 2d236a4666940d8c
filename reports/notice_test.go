package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gongkai/models"
)

// testNotice returns a notice of kind with the common part filled the way
// the store fills it.
func testNotice(t testing.TB, kind models.NoticeKind) models.NoticeBody {
	t.Helper()
	ag := testAgency(t)
	app := &models.Application{Number: "TLMZ-2026-000123", Title: "2025年度城乡低保资金发放情况",
		Channel: models.ChannelMail, SubmittedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC),
		ReceivedOn: models.MustParseDate("2026-03-02"), FormWanted: models.FormPaper, Delivery: models.DeliveryPost}
	a := &models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID,
		IDNumber: "110101199003074477", Phone: "13812345678"}
	b := models.NoticeBody{Kind: kind}
	b.Prepare(&ag, app, a, "铁民公开〔2026〕第12号", models.MustParseDate("2026-03-04"), time.FixedZone("CST", 8*3600))
	return b
}

// TestNotices renders each kind of notice and reads its text back with
// pdftotext: every notice states what rules.md §6.3 requires of it.
func TestNotices(t *testing.T) {
	d := models.MustParseDate
	for _, tc := range []struct {
		kind models.NoticeKind
		edit func(b *models.NoticeBody)
		want []string
		not  []string
	}{
		{models.NoticeReceipt, func(b *models.NoticeBody) {
			b.ReceivedOn, b.DueOn = d("2026-03-02"), d("2026-03-30")
			b.DueWorking = "自2026年3月2日收到申请的次日起算20个工作日，答复期限为2026年3月30日。"
			b.QueryCodeHandedOver = true
		}, []string{"政府信息公开申请接收回执", "铁民公开〔2026〕第12号", "张三：", "TLMZ-2026-000123", "1101**********4477",
			"138****5678", "2025年度城乡低保资金发放情况", "邮寄（需签收）", "2026年3月2日", "签收之日为收到申请之日",
			"2026年3月30日", "20个工作日", "自2026年3月2日收到申请的次日起算", "已当面交付申请人（存档文本不显示）",
			"第三十条", "第三十三条", "如有疑问，请联系铁岭市民政局政府信息公开办公室"},
			[]string{"110101199003074477", "13812345678"}},
		{models.NoticeCorrection, func(b *models.NoticeBody) {
			b.Items = []string{"请写明所需信息的名称或文号", "请提供申请人的身份证明"}
			b.Guidance, b.PeriodDays, b.DueOn = "可参照本机关政府信息公开目录确定名称。", 15, d("2026-03-25")
		}, []string{"政府信息公开申请补正告知书", "第三十条", "一次性告知", "1.请写明所需信息的名称或文号",
			"2.请提供申请人的身份证明", "指导和释明：可参照本机关政府信息公开目录确定名称。", "补正期限为15个工作日",
			"2026年3月25日", "重新计算", "视为放弃申请"}, nil},
		{models.NoticeConsultThirdParty, func(b *models.NoticeBody) {
			b.Recipient, b.Party, b.PartyKind = "铁岭某某养老服务有限公司", "铁岭某某养老服务有限公司", models.PartyThirdParty
			b.Information, b.ReplyDays = "2025年度养老机构运营补贴发放名单中贵公司的部分", 15
		}, []string{"政府信息公开申请征求意见书", "铁岭某某养老服务有限公司：", "第三十二条", "2025年度养老机构运营补贴发放名单中贵公司的部分",
			"15个工作日", "逾期未提出意见的，由本机关依照条例的规定决定是否公开", "公共利益"},
			[]string{"张三", "1101**********4477"}},
		{models.NoticeConsultCoProducer, func(b *models.NoticeBody) {
			b.Recipient, b.Party, b.PartyKind = "铁岭市财政局", "铁岭市财政局", models.PartyCoProducer
			b.Information = "铁民发〔2025〕3号"
		}, []string{"第三十四条", "共同制作", "15个工作日", "视为同意公开"}, []string{"张三"}},
		{models.NoticeConsultApplicant, func(b *models.NoticeBody) {
			b.Party, b.PartyKind = "铁岭某某养老服务有限公司", models.PartyThirdParty
		}, []string{"政府信息公开申请征求意见告知书", "张三：", "第三十二条", "第三十三条第三款", "不计算在答复期限内"},
			[]string{"铁岭某某养老服务有限公司"}},
		{models.NoticeFee, func(b *models.NoticeBody) {
			b.FeeMethod, b.Units, b.AmountFen = models.FeePerPage, 250, models.FeePerPageFen(250)
			b.PaymentMethod, b.PaymentDays, b.FeeWaitExcluded = "持本通知书到本机关财务窗口缴纳，取得财政票据", 20, true
		}, []string{"政府信息公开申请收费通知书", "国办函〔2020〕109号", "第五条", "按量计收", "250页",
			"70页×10.00元＋100页×20.00元＋50页×40.00元＝4700.00元", "4700.00元", "持本通知书到本机关财务窗口缴纳",
			"次日起20个工作日内", "视为放弃申请", "不计算在答复期限内"}, nil},
		{models.NoticeFee, func(b *models.NoticeBody) {
			b.FeeMethod, b.Units, b.AmountFen = models.FeePerItem, 31, models.FeePerItemFen(31)
			b.PaymentMethod = "银行转账"
		}, []string{"按件计收", "第四条", "第31件", "第31—40件档，每件200.00元", "200.00元"},
			[]string{"不计算在答复期限内"}},
		{models.NoticeExtension, func(b *models.NoticeBody) {
			b.ExtensionDays, b.OriginalDueOn, b.DueOn, b.Reason = 10, d("2026-03-30"), d("2026-04-14"), "需要调取档案"
		}, []string{"政府信息公开申请延期答复告知书", "因需要调取档案", "2026年3月30日", "第三十三条第二款",
			"政府信息公开工作机构负责人同意", "延长10个工作日", "2026年4月14日"}, nil},
		{models.NoticeExplanation, func(b *models.NoticeBody) {
			b.Facts, b.DueOn = "2026年3月您共向本机关提交政府信息公开申请36件。", d("2026-03-25")
		}, []string{"政府信息公开申请说明理由告知书", "经查：2026年3月您共向本机关提交政府信息公开申请36件。",
			"第三十五条", "2026年3月25日", "说明理由", "不予处理", "延迟答复的合理期限"}, nil},
		{models.NoticeDelayedDeadline, func(b *models.NoticeBody) {
			b.ExplanationAskedOn, b.ExplanationReceivedOn, b.DueOn = d("2026-03-04"), d("2026-03-10"), d("2026-05-29")
			b.Reason = "申请涉及36件档案，需逐件查找"
		}, []string{"政府信息公开申请延迟答复告知书", "2026年3月4日", "2026年3月10日", "第三十五条",
			"2026年5月29日", "理由：申请涉及36件档案，需逐件查找"}, nil},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			b := testNotice(t, tc.kind)
			tc.edit(&b)
			seal := mustSealPNG(t, false)
			var buf bytes.Buffer
			if err := WriteNotice(&buf, b, seal, pinned); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := WriteNotice(&again, b, seal, pinned); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("the same notice gives different bytes")
			}
			text := mustRun(t, "pdftotext", "-layout", mustSaveTemp(t, buf.Bytes()), "-")
			l := NoticeLetter(b, seal, pinned)
			_, _, noise := expected(l, 2)
			flat := squeeze(text, noise)
			for _, want := range append(tc.want, b.Number, "铁岭市民政局", "2026年3月4日") {
				if !strings.Contains(flat, squeeze(want, noise)) {
					t.Errorf("pdftotext: %q missing", want)
				}
			}
			for _, not := range tc.not {
				if strings.Contains(flat, squeeze(not, noise)) {
					t.Errorf("pdftotext: %q must not appear", not)
				}
			}
		})
	}
}

// TestReceiptHandOverCopy: the copy handed to an applicant registered at
// the office prints the query code; the archived one does not.
func TestReceiptHandOverCopy(t *testing.T) {
	b := testNotice(t, models.NoticeReceipt)
	b.QueryCodeHandedOver = true
	archived := NoticeLetter(b, nil, pinned)
	b.QueryCode = "AB3D5F7H9K"
	copyFor := NoticeLetter(b, nil, pinned)
	if strings.Contains(archived.text(), "AB3D5F7H9K") || !strings.Contains(copyFor.text(), "AB3D5F7H9K") {
		t.Errorf("archived copy shows the code: %v; hand-over copy shows it: %v",
			strings.Contains(archived.text(), "AB3D5F7H9K"), strings.Contains(copyFor.text(), "AB3D5F7H9K"))
	}
	online := testNotice(t, models.NoticeReceipt)
	online.Registered = false
	if strings.Contains(NoticeLetter(online, nil, pinned).text(), "查询码已") {
		t.Error("an online application's receipt mentions handing over the code")
	}
}
