package reports

import (
	"io"
	"strings"
	"time"

	"gongkai/models"
)

// Receipt is what the 政府信息公开申请提交回执 (acknowledgement of an online
// submission) states. It proves that the application was filed and when;
// it is not the 接收回执 that the office issues on confirming receipt,
// which states the receipt date and the due date (条例第三十一条).
type Receipt struct {
	Agency      models.Agency
	Application models.Application
	Applicant   models.Applicant
	// Files are the names of the files submitted with the application.
	Files []string
	// Location is the agency's time zone, in which the submission time is
	// written.
	Location *time.Location
}

// ReceiptTitle is the receipt's title.
const ReceiptTitle = "政府信息公开申请提交回执"

// ReceiptLetter lays the receipt out as a Letter. Identity and phone
// numbers are masked: the receipt is downloaded, printed and passed around,
// and the office holds the full values (个人信息保护法第五十一条).
func ReceiptLetter(r Receipt) Letter {
	app, a, ag := r.Application, r.Applicant, r.Agency
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	submitted := app.SubmittedAt.In(loc)
	when := submitted.Format("2006年1月2日 15:04")

	applicantType := "自然人"
	if a.Kind.IsOrganisation() {
		applicantType = "法人或其他组织（" + a.Kind.Label() + "）"
	}
	rows := Table{
		{"申请编号", app.Number},
		{"申请人", a.Name},
		{"申请人类型", applicantType},
	}
	if a.Kind.IsOrganisation() {
		rows = append(rows,
			Field{"统一社会信用代码", a.CreditCode},
			Field{"法定代表人或负责人", a.LegalRep},
			Field{"联系人", a.ContactPerson})
	} else if a.IDNumber != "" {
		rows = append(rows, Field{"身份证明", a.IDType.Label() + "　" + models.MaskIDNumber(a.IDNumber)})
	}
	if a.AgentName != "" {
		agent := a.AgentName
		if a.AgentIDNumber != "" {
			agent += "（" + a.AgentIDType.Label() + "　" + models.MaskIDNumber(a.AgentIDNumber) + "）"
		}
		rows = append(rows, Field{"委托代理人", agent})
	}
	if a.Phone != "" {
		rows = append(rows, Field{"联系电话", models.MaskPhone(a.Phone)})
	}
	if a.Email != "" {
		rows = append(rows, Field{"电子邮箱", models.MaskEmail(a.Email)})
	}
	rows = append(rows, Field{"所需政府信息", app.Title})
	if app.Description != "" {
		rows = append(rows, Field{"特征性描述", app.Description})
	}
	if app.Purpose != "" {
		rows = append(rows, Field{"用途（选填）", app.Purpose})
	}
	rows = append(rows,
		Field{"信息形式", app.FormWanted.Label()},
		Field{"获取方式", app.Delivery.Label()},
		Field{"提交渠道", app.Channel.Label()},
		Field{"提交时间", when},
	)
	files := "无"
	if len(r.Files) > 0 {
		files = strings.Join(r.Files, "；")
	}
	rows = append(rows, Field{"提交的材料", files}, Field{"当前状态", models.StatusPending.Label()})

	contact := "如有疑问，请联系" + ag.OfficeName
	for _, p := range []struct{ label, v string }{
		{"，联系电话：", ag.Phone}, {"，办公地址：", ag.OfficeAddress}, {"，办公时间：", ag.OfficeHours},
	} {
		if strings.TrimSpace(p.v) != "" {
			contact += p.label + p.v
		}
	}
	contact += "。"

	return Letter{
		Agency:    ag,
		Title:     ReceiptTitle,
		Recipient: a.Name + "：",
		Body: []Block{
			Paragraph("您于" + when + "通过" + ag.Name + "政府信息公开申请平台提交的政府信息公开申请已提交成功，申请信息如下："),
			rows,
			Paragraph("根据《中华人民共和国政府信息公开条例》第三十一条第（三）项，申请人通过互联网渠道提交政府信息公开申请的，以双方确认之日为收到申请之日。" +
				"本回执仅证明您的申请已经提交，不是本机关收到申请的凭证。本机关政府信息公开工作机构将与您确认，确认之日为收到申请之日，并向您出具《政府信息公开申请接收回执》。"),
			Paragraph("本机关将自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日（条例第三十三条）。" +
				"申请内容不明确的，本机关将在收到申请之日起7个工作日内一次性告知您需要补正的事项（条例第三十条）。"),
			Paragraph("您可以凭申请编号和查询码在本平台“查询办理进度”中查看办理情况、下载告知书和答复书。查询码已在提交成功时显示，请妥善保管，不要告知他人。"),
			Paragraph(contact),
		},
		SignOff:   ag.Name,
		Date:      models.DateOf(app.SubmittedAt, loc),
		CreatedAt: app.SubmittedAt,
		Subject:   ReceiptTitle + " " + app.Number,
	}
}

// WriteReceipt writes the receipt as an A4 PDF to out.
func WriteReceipt(out io.Writer, r Receipt) error {
	return WriteLetter(out, ReceiptLetter(r))
}
