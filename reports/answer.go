package reports

import (
	"io"
	"strconv"
	"strings"
	"time"

	"gongkai/models"
)

// AnswerTitle is the answer letter's title (rules.md §6.3).
const AnswerTitle = "政府信息公开申请答复书"

// Answer is what the 政府信息公开申请答复书 states (条例第三十六条至第三十九条;
// rules.md §6.3): the receipt date, what was requested, the outcome with
// its article and reasons, how and when the information is obtained (or,
// for 条例第三十六条第（五）项, the competent agency), the remedies, the date
// and the seal.
type Answer struct {
	Agency      models.Agency
	Application models.Application
	Applicant   models.Applicant
	Draft       models.AnswerDraft
	// Number is the letter's number, e.g. 铁民公开〔2026〕第12号.
	Number string
	// IssuedOn is the date of the letter (作出答复之日).
	IssuedOn models.Date
	// Files are the files released, after the confidentiality review
	// (models.Review.ReleasedFiles); the draft's own list when nil.
	Files []models.AnswerFile
	// CreatedAt pins the PDF's creation date; see Letter.CreatedAt.
	CreatedAt time.Time
}

// decisions holds, per outcome, the sentence that states the decision
// after “经审查，”; the article is cited after it from the outcome's basis.
var decisions = map[models.Outcome]string{
	models.OutcomeProactive:          "您申请获取的政府信息，本机关已经主动公开",
	models.OutcomeDisclose:           "您申请获取的政府信息属于公开范围，本机关予以公开",
	models.OutcomePartial:            "您申请获取的政府信息中，部分内容属于公开范围，部分内容属于不予公开的范围且能够作区分处理，本机关对可以公开的部分予以公开",
	models.OutcomeWithholdSecret:     "您申请获取的政府信息属于国家秘密，本机关决定不予公开",
	models.OutcomeWithholdLaw:        "您申请获取的政府信息属于法律、行政法规禁止公开的信息，本机关决定不予公开",
	models.OutcomeWithholdSecurity:   "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开",
	models.OutcomeWithholdThirdParty: "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开",
	models.OutcomeWithholdInternal:   "您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，本机关决定不予公开",
	models.OutcomeWithholdProcess:    "您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开",
	models.OutcomeWithholdCaseFile:   "您申请获取的政府信息属于行政执法案卷信息，本机关决定不予公开",
	models.OutcomeWithholdQuery:      "您申请获取的信息属于法律、行政法规对信息的获取有特别规定的行政查询事项，请您按照有关法律、行政法规的规定办理",
	models.OutcomeNotHeld:            "本机关经检索，没有制作或者获取您申请获取的政府信息，该政府信息不存在",
	models.OutcomeNotThisAgency:      "您申请获取的政府信息不属于本机关负责公开",
	models.OutcomeNeedsCreation:      "您申请获取的政府信息需要本机关对现有政府信息进行加工、分析，本机关不予提供",
	models.OutcomeStillUnclear:       "您的申请经补正后，申请内容仍不明确，本机关无法提供",
	models.OutcomePetition:           "您的申请以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理",
	models.OutcomeRepeat:             "本机关已就您提出的相同内容的政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理",
	models.OutcomePublication:        "您要求提供的信息属于政府公报、报刊、书籍等公开出版物，本机关不予处理",
	models.OutcomeMass:               "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为理由不合理，对您的申请不予处理",
	models.OutcomeConfirmation:       "您的申请要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请，本机关不予处理",
	models.OutcomeNoCorrection:       "您无正当理由逾期未补正，视为放弃申请，本机关不再处理您的政府信息公开申请",
	models.OutcomeFeeUnpaid:          "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理您的政府信息公开申请",
	models.OutcomeWithdrawn:          "您已撤回申请，本机关终止处理您的政府信息公开申请",
	models.OutcomeOther:              "本机关对您的申请作如下处理",
}

// AnswerLetter lays the answer out as a Letter. It is one composer for
// every outcome: the decision sentence and the article come from the
// outcome, the rest from what the draft fills in.
func AnswerLetter(a Answer) Letter {
	app, ag, d := a.Application, a.Agency, a.Draft
	info, _ := d.Outcome.Info()
	files := a.Files
	if files == nil {
		files = d.Files
	}

	request := "“" + app.Title + "”"
	rows := Table{
		{"申请编号", app.Number},
		{"收到申请日期", app.ReceivedOn.Chinese()},
		{"申请获取的信息", app.Title},
		{"答复结果", info.Label},
	}
	basis := d.Basis()
	if basis != "" {
		rows = append(rows, Field{"法律依据", basis})
	}

	body := []Block{
		Paragraph("本机关于" + app.ReceivedOn.Chinese() + "收到您提出的政府信息公开申请（申请编号：" + app.Number +
			"），您申请获取" + request + "。经审查，现答复如下："),
		rows,
	}

	// The decision, with its article.
	decision := "经审查，" + decisions[d.Outcome]
	if info.Basis != "" {
		decision += "。根据" + info.Basis + "的规定，特此告知"
	}
	decision += "。"
	body = append(body, Paragraph(decision))

	if d.Outcome == models.OutcomePartial {
		if g, ok := d.PartialGround.Info(); ok {
			body = append(body, Paragraph("对于不予公开的部分，依据"+strings.Replace(g.Basis, "、第三十六条第（三）项", "", 1)+
				"的规定不予公开（"+strings.TrimSuffix(strings.TrimPrefix(g.Label, "不予公开（"), "）")+"）。"))
		}
	}
	if d.Reasons != "" {
		label := "理由如下："
		if d.Outcome == models.OutcomePartial {
			label = "不予公开部分的理由如下："
		}
		body = append(body, Paragraph(label+"\n"+d.Reasons))
	}
	if d.ExtraBasis != "" {
		body = append(body, Paragraph("本答复同时依据"+d.ExtraBasis+"。"))
	}
	if d.PreviousAnswer != "" {
		body = append(body, Paragraph("本机关此前的答复："+d.PreviousAnswer+"。"))
	}

	// Where to turn instead (条例第三十六条第（五）、（七）项, 第三十九条).
	if d.CompetentAgency != "" {
		s := "负责公开该政府信息的行政机关为" + d.CompetentAgency
		if d.Outcome != models.OutcomeNotThisAgency {
			s = "您可以向" + d.CompetentAgency + "咨询办理"
		}
		if d.CompetentContact != "" {
			s += "，联系方式：" + d.CompetentContact
		}
		body = append(body, Paragraph(s+"。"))
	}

	// How, where and when to obtain the information (条例第三十六条第（一）
	// （二）项、第四十条).
	if d.Outcome == models.OutcomeProactive {
		s := "您可以通过以下途径获取该信息：" + d.PublishedWhere
		if !d.PublishedOn.IsZero() {
			s += "（公开日期：" + d.PublishedOn.Chinese() + "）"
		}
		body = append(body, Paragraph(s+"。"))
	}
	if d.Outcome == models.OutcomePublication && d.ObtainPlace != "" {
		body = append(body, Paragraph("您可以通过以下途径获取该出版物："+d.ObtainPlace+"。"))
	}
	if d.Outcome.Discloses() && d.Method != "" {
		body = append(body, Paragraph(obtainSentence(a, len(files))))
		if len(files) > 0 {
			var names List
			for _, f := range files {
				names = append(names, f.Filename)
			}
			body = append(body, names)
		}
	}

	// Remedies (条例第五十一条; rules.md §1.11).
	body = append(body, Paragraph(remedyClause(ag, "本答复")))
	body = append(body, Paragraph(contactSentence(ag)))

	subject := AnswerTitle
	if a.Number != "" {
		subject += " " + a.Number
	}
	return Letter{
		Agency:    ag,
		Title:     AnswerTitle,
		Number:    a.Number,
		Recipient: a.Applicant.Name + "：",
		Body:      body,
		SignOff:   ag.Name,
		Date:      a.IssuedOn,
		Seal:      true,
		CreatedAt: a.CreatedAt,
		Subject:   subject + " " + app.Number,
	}
}

// obtainSentence says how the released information reaches the applicant.
func obtainSentence(a Answer, files int) string {
	d := a.Draft
	attached := ""
	if files > 0 {
		attached = "，共" + strconv.Itoa(files) + "个文件"
	}
	switch d.Method {
	case models.ProvideOnline:
		return "本机关以电子数据形式提供" + attached + "。请您登录" + a.Agency.Name +
			"政府信息公开申请平台，凭申请编号和查询码在“查询办理进度”中下载："
	case models.ProvideEmail:
		return "本机关以电子数据形式提供" + attached + "，已发送至您在申请中提供的电子邮箱："
	case models.ProvidePost:
		return "本机关以纸质复制件形式提供" + attached + "，随本答复书一并邮寄："
	case models.ProvidePickup:
		return "本机关以纸质复制件形式提供" + attached + "。请您于" + d.ObtainTime + "到" + d.ObtainPlace +
			"领取，领取时请携带本答复书和身份证明："
	case models.ProvideViewing:
		s := "请您于" + d.ObtainTime + "到" + d.ObtainPlace + "查阅，可以摘抄或者复制（条例第四十条）。"
		if files > 0 {
			s += "查阅的文件："
		}
		return s
	}
	return ""
}

// remedyClause is the remedies sentence every decision ends with: the
// reconsideration body within 60 days of receipt, or the court within 6
// months (rules.md §1.11).
func remedyClause(ag models.Agency, what string) string {
	return "如对" + what + "不服，可以自收到本答复书之日起60日内向" + ag.ReconsiderationBody +
		"申请行政复议，或者自收到本答复书之日起6个月内向" + ag.Court + "提起行政诉讼。"
}

// contactSentence names the office to ask.
func contactSentence(ag models.Agency) string {
	s := "如有疑问，请联系" + ag.OfficeName
	for _, p := range []struct{ label, v string }{{"，联系电话：", ag.Phone}, {"，办公地址：", ag.OfficeAddress}} {
		if strings.TrimSpace(p.v) != "" {
			s += p.label + p.v
		}
	}
	return s + "。"
}

// WriteAnswer writes the answer letter as an A4 PDF to out.
func WriteAnswer(out io.Writer, a Answer) error {
	return WriteLetter(out, AnswerLetter(a))
}
