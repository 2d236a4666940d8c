package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gongkai/models"
)

// Notices (告知书, 回执) issued while an application runs. Each is laid out
// from its models.NoticeBody alone (and the seal image), so the stored PDF
// can be reproduced from the record; what each states follows rules.md
// §6.3.

// NoticeLetter lays a notice out as a Letter. seal is the agency's seal
// image (nil: none); createdAt pins the PDF's dates (the notice's creation
// time), so that the same notice gives the same bytes.
func NoticeLetter(b models.NoticeBody, seal []byte, createdAt time.Time) Letter {
	ag := b.Agency.Profile()
	ag.SealImage = seal
	l := Letter{
		Agency: ag, Title: b.Title, Number: b.Number, Recipient: b.Recipient + "：",
		SignOff: ag.Name, Date: b.IssuedOn, Seal: len(seal) > 0, CreatedAt: createdAt,
		Subject: b.Title + " " + b.ApplicationNumber,
	}
	switch b.Kind {
	case models.NoticeReceipt:
		l.Body = receiptBody(b)
	case models.NoticeCorrection:
		l.Body = correctionBody(b)
	case models.NoticeConsultThirdParty, models.NoticeConsultCoProducer:
		l.Body = consultationBody(b)
	case models.NoticeConsultApplicant:
		l.Body = consultationApplicantBody(b)
	case models.NoticeFee:
		l.Body = feeBody(b)
	case models.NoticeExtension:
		l.Body = extensionBody(b)
	case models.NoticeExplanation:
		l.Body = explanationBody(b)
	case models.NoticeDelayedDeadline:
		l.Body = delayedBody(b)
	default:
		l.Body = []Block{Paragraph(b.Title)}
	}
	l.Body = append(l.Body, Paragraph(contactLine(b.Agency)))
	return l
}

// WriteNotice writes a notice as an A4 PDF to out.
func WriteNotice(out io.Writer, b models.NoticeBody, seal []byte, createdAt time.Time) error {
	return WriteLetter(out, NoticeLetter(b, seal, createdAt))
}

// lawName is the 条例's full title as notices cite it the first time.
const lawName = "《中华人民共和国政府信息公开条例》"

// yourApplication names the application the way every notice to the
// applicant opens: when, which number, what information.
func yourApplication(b models.NoticeBody) string {
	when := b.ReceivedOn
	verb := "收到"
	if when.IsZero() {
		when, verb = b.SubmittedOn, "提交"
	}
	s := "您（单位）于" + when.Chinese() + verb
	if verb == "收到" {
		s = "本机关于" + when.Chinese() + "收到您（单位）"
	}
	return s + "的政府信息公开申请（申请编号：" + b.ApplicationNumber + "），申请获取的政府信息为“" + b.RequestTitle + "”"
}

// contactLine ends every notice: whom to ask (the footer repeats the
// full contacts).
func contactLine(a models.NoticeAgency) string {
	office := a.OfficeName
	if !strings.HasPrefix(office, a.Name) {
		office = a.Name + office
	}
	s := "如有疑问，请联系" + office
	for _, p := range []struct{ label, v string }{
		{"，联系电话：", a.Phone}, {"，通信地址：", a.OfficeAddress}, {"，办公时间：", a.OfficeHours},
	} {
		if strings.TrimSpace(p.v) != "" {
			s += p.label + p.v
		}
	}
	return s + "。"
}

// dueText writes a due date, or says the period when no date could be
// computed (a calendar year not loaded yet).
func dueText(d models.Date, fallback string) string {
	if d.IsZero() {
		return fallback
	}
	return d.Chinese()
}

// receiptBody is the 政府信息公开申请接收回执 (条例第三十一条、第三十三条).
func receiptBody(b models.NoticeBody) []Block {
	rows := Table{
		{"申请编号", b.ApplicationNumber},
		{"申请人", b.ApplicantName},
		{"申请人类型", b.ApplicantKind},
	}
	if b.ApplicantID != "" {
		rows = append(rows, Field{"身份证明", b.ApplicantID})
	}
	if b.AgentName != "" {
		rows = append(rows, Field{"委托代理人", b.AgentName})
	}
	if b.ApplicantPhone != "" {
		rows = append(rows, Field{"联系电话", b.ApplicantPhone})
	}
	rows = append(rows,
		Field{"申请获取的政府信息", b.RequestTitle},
		Field{"提交方式", b.Channel.Label()},
		Field{"提交日期", b.SubmittedOn.Chinese()},
		Field{"收到申请之日", b.ReceivedOn.Chinese() + "（" + b.Channel.ReceiptRule() + "）"},
		Field{"答复期限", dueText(b.DueOn, "自收到申请之日起20个工作日内")},
	)
	if b.Registered {
		code := "已当面交付申请人（存档文本不显示）"
		if !b.QueryCodeHandedOver {
			code = "已另行告知申请人（存档文本不显示）"
		}
		if b.QueryCode != "" {
			code = b.QueryCode + "（请妥善保管，不要告知他人）"
		}
		rows = append(rows, Field{"查询码", code})
	}
	blocks := []Block{
		Paragraph("您（单位）提交的政府信息公开申请，本机关已收到。根据" + lawName + "第三十一条，现出具接收回执如下："),
		rows,
	}
	due := "本机关将自收到申请之日起20个工作日内予以答复"
	if !b.DueOn.IsZero() {
		due += "，即不迟于" + b.DueOn.Chinese()
	}
	due += "（条例第三十三条第二款）。"
	if b.DueWorking != "" {
		due += "期限计算：" + b.DueWorking
	}
	blocks = append(blocks,
		Paragraph(due),
		Paragraph("需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日；"+
			"征求第三方和其他机关意见所需时间不计算在答复期限内（条例第三十三条）。申请内容不明确的，本机关将在收到申请之日起7个工作日内"+
			"一次性告知需要补正的事项，答复期限自收到补正后的申请之日起计算（条例第三十条）。"),
		Paragraph("您可以凭申请编号和查询码登录"+b.Agency.Name+"政府信息公开申请平台“查询办理进度”，查看办理情况，下载告知书和答复书。"),
	)
	return blocks
}

// correctionBody is the 补正告知书 (条例第三十条): every item at once, the
// guidance, the period with its end, the restart and the consequence.
func correctionBody(b models.NoticeBody) []Block {
	blocks := []Block{
		Paragraph(yourApplication(b) + "。经审查，您的申请内容不明确。根据" + lawName +
			"第三十条的规定，现一次性告知您需要补正的事项如下："),
		List(b.Items),
	}
	if strings.TrimSpace(b.Guidance) != "" {
		blocks = append(blocks, Paragraph("指导和释明："+b.Guidance))
	}
	period := "补正期限为" + strconv.Itoa(b.PeriodDays) + "个工作日，请于" + dueText(b.DueOn, "期限届满前") +
		"前（含当日）向本机关提交补正后的申请。您可以登录" + b.Agency.Name + "政府信息公开申请平台“查询办理进度”在线提交补正内容，也可以邮寄或当面提交。"
	blocks = append(blocks,
		Paragraph(period),
		Paragraph("答复期限自本机关收到补正后的申请之日起重新计算（条例第三十条）。"+
			"无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"),
	)
	return blocks
}

// consultationBody is the 征求意见书 to a third party (条例第三十二条) or a
// co-producing agency (第三十四条). It does not name the applicant.
func consultationBody(b models.NoticeBody) []Block {
	third := b.Kind == models.NoticeConsultThirdParty
	days := b.ReplyDays
	if days == 0 {
		days = 15
	}
	var first, silence string
	if third {
		first = "本机关收到一件政府信息公开申请（申请编号：" + b.ApplicationNumber + "）。经审查，申请公开的政府信息可能损害您（单位）的合法权益。根据" +
			lawName + "第三十二条的规定，现书面征求您（单位）的意见。"
		silence = "请自收到本征求意见书之日起" + strconv.Itoa(days) + "个工作日内提出意见并说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。" +
			"您（单位）不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您（单位）（条例第三十二条）。"
	} else {
		first = "本机关收到一件政府信息公开申请（申请编号：" + b.ApplicationNumber + "）。申请公开的政府信息由本机关与贵机关共同制作。根据" +
			lawName + "第三十四条的规定，本机关作为牵头机关，现征求贵机关的意见。"
		silence = "请自收到本征求意见书之日起" + strconv.Itoa(days) + "个工作日内提出意见。逾期未提出意见的，视为同意公开（条例第三十四条）。"
	}
	reply := b.ReplyMethod
	if strings.TrimSpace(reply) == "" {
		reply = "书面回复本机关政府信息公开工作机构（地址、电话见文末）"
	}
	return []Block{
		Paragraph(first),
		Table{
			{"涉及的政府信息", b.Information},
			{"提出意见的期限", "自收到本征求意见书之日起" + strconv.Itoa(days) + "个工作日内"},
			{"提出意见的方式", reply},
		},
		Paragraph(silence),
	}
}

// consultationApplicantBody is the 征求意见告知书 to the applicant: the
// consultation runs and its time is not counted (条例第三十三条第三款).
func consultationApplicantBody(b models.NoticeBody) []Block {
	why, art, whom := "该信息的公开可能损害第三方合法权益", "第三十二条", "第三方"
	if b.PartyKind == models.PartyCoProducer {
		why, art, whom = "该信息由本机关与其他行政机关共同制作", "第三十四条", "有关行政机关"
	}
	return []Block{
		Paragraph(yourApplication(b) + "。因" + why + "，本机关已于" + b.IssuedOn.Chinese() + "依照" + lawName + art + "书面征求" + whom + "的意见。"),
		Paragraph("根据条例第三十三条第三款，行政机关征求第三方和其他机关意见所需时间不计算在答复期限内。" +
			"征求意见期间答复期限暂停计算，征求意见结束后恢复计算，本机关将依法作出答复。您可以在办理进度页面查看调整后的答复期限。"),
	}
}

// feeBody is the 收费通知书 (国办函〔2020〕109号): the basis, the standard,
// the amount, how and within how long to pay, the consequence.
func feeBody(b models.NoticeBody) []Block {
	var count, calc string
	if b.FeeMethod == models.FeePerPage {
		count = "本次申请获取的政府信息共" + strconv.Itoa(b.Units) + "页"
		var parts []string
		for _, band := range models.FeeBands(b.FeeMethod, b.Units) {
			parts = append(parts, fmt.Sprintf("%d页×%s", band.Count, models.FormatYuan(band.RateFen)))
		}
		calc = strings.Join(parts, "＋") + "＝" + models.FormatYuan(b.AmountFen)
	} else {
		count = "本申请为您（单位）本自然月内向本机关提交的第" + strconv.Itoa(b.Units) + "件政府信息公开申请"
		for _, band := range models.FeeBands(b.FeeMethod, b.Units) {
			calc = fmt.Sprintf("第%d件属于%s档，每件%s", b.Units, bandText(band), models.FormatYuan(band.RateFen))
		}
	}
	days := b.PaymentDays
	if days == 0 {
		days = 20
	}
	basis := "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
	if b.FeeMethod == models.FeePerPage {
		basis += "第五条（按量计收）"
	} else {
		basis += "第四条（按件计收）"
	}
	blocks := []Block{
		Paragraph(yourApplication(b) + "。" + count + "，申请的数量、频次明显超过合理范围。根据" + lawName +
			"第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本机关决定收取信息处理费。"),
		Table{
			{"收费依据", basis},
			{"计收方式", b.FeeMethod.Label() + "（同一申请只适用一种计收方式）"},
			{"收费标准", models.FeeStandard(b.FeeMethod)},
			{"计费", calc},
			{"应缴金额", models.FormatYuan(b.AmountFen)},
			{"缴纳方式", b.PaymentMethod},
			{"缴费期限", "自收到本通知书之日的次日起" + strconv.Itoa(days) + "个工作日内"},
		},
	}
	wait := "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
	if b.FeeWaitExcluded {
		wait += "自本通知书发出至缴费之日的期间，不计算在答复期限内。"
	}
	return append(blocks, Paragraph(wait))
}

func bandText(b models.FeeBand) string {
	if b.To == 0 {
		return fmt.Sprintf("第%d件以上", b.From)
	}
	return fmt.Sprintf("第%d—%d件", b.From, b.To)
}

// extensionBody is the 延期答复告知书 (条例第三十三条第二款): approved by the
// head of the disclosure office, the days, the new due date, the reason.
func extensionBody(b models.NoticeBody) []Block {
	s := yourApplication(b) + "。"
	if strings.TrimSpace(b.Reason) != "" {
		s += "因" + strings.TrimSuffix(b.Reason, "。") + "，"
	}
	s += "本机关不能在" + dueText(b.OriginalDueOn, "原答复期限内") + "前作出答复。根据" + lawName +
		"第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长" + strconv.Itoa(b.ExtensionDays) +
		"个工作日，延长后的答复期限为" + dueText(b.DueOn, "原答复期限届满后"+strconv.Itoa(b.ExtensionDays)+"个工作日") + "。"
	blocks := []Block{Paragraph(s)}
	if b.DueWorking != "" {
		blocks = append(blocks, Paragraph("期限计算："+b.DueWorking))
	}
	return append(blocks, Paragraph("延长答复期限以一次为限，延长的期限最长不超过20个工作日。本机关将在延长后的答复期限内作出答复。"))
}

// explanationBody is the 说明理由告知书 (条例第三十五条): the facts, the
// request to explain, the reply period and what follows.
func explanationBody(b models.NoticeBody) []Block {
	blocks := []Block{Paragraph(yourApplication(b) + "。")}
	if strings.TrimSpace(b.Facts) != "" {
		blocks = append(blocks, Paragraph("经查："+b.Facts))
	}
	return append(blocks,
		Paragraph("本机关认为，您（单位）申请公开政府信息的数量、频次明显超过合理范围。根据"+lawName+
			"第三十五条的规定，请您（单位）于"+dueText(b.DueOn, "收到本告知书之日起15个工作日内")+"前（含当日）向本机关说明理由。"+
			"可以书面提交，也可以登录本机关政府信息公开申请平台联系本机关。"),
		Paragraph("本机关认为申请理由不合理的，将告知您（单位）不予处理；认为申请理由合理，但是无法在条例第三十三条规定的期限内答复的，"+
			"将确定延迟答复的合理期限并告知您（单位）（条例第三十五条）。"),
	)
}

// delayedBody is the notice of a reasonable delayed deadline (条例第三十五条).
func delayedBody(b models.NoticeBody) []Block {
	s := yourApplication(b) + "。本机关"
	if !b.ExplanationAskedOn.IsZero() {
		s += "于" + b.ExplanationAskedOn.Chinese()
	}
	s += "要求您（单位）说明理由"
	if !b.ExplanationReceivedOn.IsZero() {
		s += "，并于" + b.ExplanationReceivedOn.Chinese() + "收到您（单位）的说明"
	}
	s += "。经审查，本机关认为您（单位）的申请理由合理，但是无法在" + lawName + "第三十三条规定的期限内答复。"
	reason := ""
	if strings.TrimSpace(b.Reason) != "" {
		reason = "理由：" + strings.TrimSuffix(b.Reason, "。") + "。"
	}
	return []Block{
		Paragraph(s),
		Paragraph("根据条例第三十五条的规定，本机关确定延迟答复的合理期限为" + b.DueOn.Chinese() + "，本机关将在此之前作出答复。" + reason),
	}
}
