package notify

import (
	"fmt"
	"strings"

	"gongkai/models"
)

// Message is one e-mail to an applicant: a subject and a plain-text body
// in Simplified Chinese. Messages greet without the applicant's name and
// carry no identity or contact details, so a mail read by someone else, or
// kept by a mail provider, reveals as little as possible.
type Message struct {
	Subject string
	Body    string
}

// Mail texts need the agency (sender, contacts) and the application; the
// tracking URL is the portal's public /track page (PORTAL_BASE_URL +
// "/track"). Links never carry the number or the query code.

func subject(a *models.Agency, what string, app *models.Application) string {
	return fmt.Sprintf("【%s】%s（申请编号 %s）", a.Name, what, app.Number)
}

// footer ends every mail: where to look, whom to ask, and that replies
// are not read.
func footer(b *strings.Builder, a *models.Agency, trackURL string) {
	if trackURL != "" {
		fmt.Fprintf(b, "\n您可以凭申请编号和查询码在以下网址查询办理进度、下载告知书和答复书：\n%s\n", trackURL)
	}
	b.WriteString("\n如有疑问，请联系" + a.OfficeName)
	if a.Phone != "" {
		b.WriteString("，电话：" + a.Phone)
	}
	if a.OfficeHours != "" {
		b.WriteString("，办公时间：" + a.OfficeHours)
	}
	b.WriteString("。\n本邮件由系统自动发送，请勿直接回复。请妥善保管查询码，不要转告他人。\n\n" + a.Name + "\n")
}

// Submitted is the mail sent when an application is filed online: its
// number and query code (the only mail that carries the code besides
// QueryCodeReminder), and that the 20 working days run from the office's
// confirmation (条例第三十一条第（三）项).
func Submitted(a *models.Agency, app *models.Application, queryCode, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "您通过%s政府信息公开申请平台提交的政府信息公开申请已提交成功。\n\n", a.Name)
	fmt.Fprintf(&b, "申请编号：%s\n查询码：%s\n所需信息：%s\n\n", app.Number, queryCode, app.Title)
	b.WriteString("请注意：根据《中华人民共和国政府信息公开条例》第三十一条第（三）项，通过互联网渠道提交的申请，以双方确认之日为收到申请之日。" +
		"本机关政府信息公开工作机构将与您确认，并自收到申请之日起20个工作日内予以答复（条例第三十三条）。在此之前，申请的状态为“待确认”。\n")
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "政府信息公开申请已提交", app), Body: b.String()}
}

// Confirmed is the mail sent when the office confirms receipt: the receipt
// date that starts the clock and the due date.
func Confirmed(a *models.Agency, app *models.Application, receivedOn, dueOn models.Date, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "您提交的政府信息公开申请（申请编号 %s）已由本机关确认收到，收到申请之日为%s（条例第三十一条）。\n", app.Number, receivedOn.Chinese())
	if !dueOn.IsZero() {
		fmt.Fprintf(&b, "本机关将于%s前（自收到申请之日起20个工作日内）作出答复。如需延长答复期限，将另行书面告知您（条例第三十三条）。\n", dueOn.Chinese())
	}
	b.WriteString("《政府信息公开申请接收回执》可在办理进度页面下载。\n")
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "已确认收到您的政府信息公开申请", app), Body: b.String()}
}

// CorrectionRequested is the mail sent with a correction notice (补正告知书,
// 条例第三十条): every item at once, the end of the period, that the answer
// period restarts from the corrected application, and the consequence of
// not correcting.
func CorrectionRequested(a *models.Agency, app *models.Application, items []string, dueOn models.Date, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "您提交的政府信息公开申请（申请编号 %s）内容不够明确。根据《中华人民共和国政府信息公开条例》第三十条，请您对以下事项作出补正：\n\n", app.Number)
	for i, it := range items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, it)
	}
	fmt.Fprintf(&b, "\n请于%s前在办理进度页面提交补正内容。答复期限自本机关收到补正后的申请之日起重新计算。"+
		"无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n《政府信息公开申请补正告知书》可在办理进度页面下载。\n", dueOn.Chinese())
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "请补正您的政府信息公开申请", app), Body: b.String()}
}

// Extended is the mail sent when the answer period is extended
// (条例第三十三条第二款): by how many working days and the new due date.
func Extended(a *models.Agency, app *models.Application, days int, dueOn models.Date, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "您提交的政府信息公开申请（申请编号 %s）因情况复杂，需要延长答复期限。经本机关政府信息公开工作机构负责人同意，"+
		"答复期限延长%d个工作日，延长后的答复期限为%s（条例第三十三条第二款）。\n《政府信息公开申请延期答复告知书》可在办理进度页面下载。\n",
		app.Number, days, dueOn.Chinese())
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "政府信息公开申请延期答复", app), Body: b.String()}
}

// Answered is the mail sent when the answer letter is issued: that it was
// issued, and where to read it and any released files.
func Answered(a *models.Agency, app *models.Application, issuedOn models.Date, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "本机关已于%s对您提交的政府信息公开申请（申请编号 %s）作出答复。", issuedOn.Chinese(), app.Number)
	switch app.Delivery {
	case models.DeliveryPost:
		b.WriteString("答复书将通过邮政企业寄送至您提供的邮寄地址。")
	case models.DeliveryPickup:
		b.WriteString("请携带有效身份证件到本机关政府信息公开工作机构领取答复书。")
	}
	b.WriteString("答复书及公开的政府信息可在办理进度页面查看和下载。\n" +
		"如对答复不服，可以依法申请行政复议或者提起行政诉讼，具体期限和途径见答复书。\n")
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "政府信息公开申请已答复", app), Body: b.String()}
}

// QueryCodeReminder is the mail sent to the address on record when the
// applicant asks for a lost query code.
func QueryCodeReminder(a *models.Agency, app *models.Application, queryCode, trackURL string) Message {
	var b strings.Builder
	b.WriteString("您好：\n\n")
	fmt.Fprintf(&b, "有人在%s政府信息公开申请平台为申请编号 %s 申请找回查询码。\n\n查询码：%s\n\n", a.Name, app.Number, queryCode)
	b.WriteString("如果不是您本人操作，请忽略本邮件；查询码没有改变，只有知道查询码的人才能查看办理进度。\n")
	footer(&b, a, trackURL)
	return Message{Subject: subject(a, "找回查询码", app), Body: b.String()}
}

// QueryCodeSMS is the text message sent to the phone on record when the
// applicant asks for a lost query code. It is short (one or two SMS parts)
// and names the agency, as SMS rules in China require a signature.
func QueryCodeSMS(a *models.Agency, app *models.Application, queryCode string) string {
	return fmt.Sprintf("【%s】您的政府信息公开申请（编号%s）的查询码为%s。如非本人操作请忽略，请勿告知他人。", a.Name, app.Number, queryCode)
}
