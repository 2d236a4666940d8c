package notify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gongkai/models"
)

// DigestListMax is how many applications each list of a digest names;
// the rest are counted.
const DigestListMax = 30

// digestTitleMax shortens request titles in digests: the mail names the
// work, the portal holds the details.
const digestTitleMax = 30

// Digest is the daily reminder to a member of staff (issue 8): the
// applications past their answer deadline (条例第三十三条), those due within
// the agency's due-soon days, and for the disclosure office the
// applications waiting for confirmation (条例第三十一条) and the expiries the
// daily job applied. It names applications by number and a shortened
// title, never the applicant. sectionName names a section id; staffURL is
// PORTAL_BASE_URL + "/staff".
func Digest(a *models.Agency, name string, d models.Digest, dueSoonDays int, sectionName func(int64) string, staffURL string) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "%s，您好：\n\n", name)
	scope := "本机关"
	if d.Kind == models.DigestSectional {
		scope = "您所在科室承办（主办或协办）的"
	}
	fmt.Fprintf(&b, "截至%s，%s政府信息公开申请中%s。答复期限按《中华人民共和国政府信息公开条例》第三十三条计算，以工作日计。\n",
		d.Day.Chinese(), scope, d.Summary())
	n := 0
	section := func(title string, items []models.DigestItem, line func(models.DigestItem) string) {
		if len(items) == 0 {
			return
		}
		n++
		fmt.Fprintf(&b, "\n%s、%s（%d件）\n", chineseOrdinal(n), title, len(items))
		for i, it := range items {
			if i == DigestListMax {
				fmt.Fprintf(&b, "……另有%d件，请登录工作平台查看。\n", len(items)-DigestListMax)
				break
			}
			fmt.Fprintf(&b, "%d. %s　%s\n   %s\n", i+1, it.Number, shorten(it.Title, digestTitleMax), line(it))
		}
	}
	sections := func(it models.DigestItem) string {
		if len(it.Sections) == 0 {
			return "尚未分办"
		}
		var parts []string
		for _, s := range it.Sections {
			p := sectionName(s.SectionID) + "（" + s.Role.Label()
			if !s.InternalDueOn.IsZero() {
				p += "，内部办理期限" + s.InternalDueOn.Chinese()
			}
			parts = append(parts, p+"）")
		}
		return strings.Join(parts, "、")
	}
	section("已超过答复期限", d.Overdue, func(it models.DigestItem) string {
		return fmt.Sprintf("答复期限%s，已超过%d个工作日；承办：%s", it.DueOn.Chinese(), it.Late, sections(it))
	})
	section(fmt.Sprintf("临近答复期限（%d个工作日内到期）", dueSoonDays), d.DueSoon, func(it models.DigestItem) string {
		left := fmt.Sprintf("还剩%d个工作日", it.Left)
		if it.Left == 0 {
			left = "今天到期"
		}
		return fmt.Sprintf("答复期限%s，%s；承办：%s", it.DueOn.Chinese(), left, sections(it))
	})
	section("尚待确认收到", d.Pending, func(it models.DigestItem) string {
		return fmt.Sprintf("已提交%d个工作日，尚未确认收到（条例第三十一条：以双方确认之日为收到申请之日）", it.Waited)
	})
	section("期限届满已由系统处理", d.Expired, func(it models.DigestItem) string {
		return it.On.Chinese() + expiryText(it.Expiry)
	})
	fmt.Fprintf(&b, "\n请登录政府信息公开工作平台办理：%s\n", staffURL)
	b.WriteString("本邮件由系统每日自动发送，请勿直接回复。如不需要接收，可登录后在“修改密码”页面进入通知邮箱设置，删除通知邮箱。\n\n" + a.Name + "\n")
	subject := fmt.Sprintf("【%s】政府信息公开申请办理提醒（%s）：%s", a.Name, d.Day.Chinese(), d.Summary())
	return Message{Subject: subject, Body: b.String()}
}

// expiryText says what an expiry the daily job applied means.
func expiryText(k models.EventKind) string {
	switch k {
	case models.EventCorrectionExpired:
		return "补正期限届满，申请人未补正，按“其他处理（逾期未补正）”办结（条例第三十条）"
	case models.EventFeeExpired:
		return "缴费期限届满，申请人未缴纳信息处理费，按“其他处理（逾期未缴纳信息处理费）”办结"
	case models.EventConsultationExpired:
		return "征求意见期限届满，未收到意见，恢复计算答复期限（条例第三十二条、第三十四条）"
	}
	return "期限届满"
}

// shorten cuts s to at most n characters, marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// chineseOrdinal writes 1–10 as 一 … 十.
func chineseOrdinal(n int) string {
	const digits = "一二三四五六七八九十"
	r := []rune(digits)
	if n >= 1 && n <= len(r) {
		return string(r[n-1])
	}
	return fmt.Sprint(n)
}
