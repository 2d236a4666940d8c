package notify

import (
	"fmt"
	"strings"
	"testing"

	"gongkai/models"
)

func TestDigestText(t *testing.T) {
	a := &models.Agency{Name: "铁岭市民政局"}
	d := models.Digest{Day: models.MustParseDate("2026-02-10"), Kind: models.DigestOffice}
	for i := range DigestListMax + 5 {
		d.Overdue = append(d.Overdue, models.DigestItem{Number: fmt.Sprintf("TLMZ-2026-%06d", i+1), Title: "低保资金发放情况",
			DueOn: models.MustParseDate("2026-02-09"), Late: 1,
			Sections: []models.DigestSection{{SectionID: 1, Role: models.RoleLead, InternalDueOn: models.MustParseDate("2026-02-02")}}})
	}
	d.DueSoon = []models.DigestItem{{Number: "TLMZ-2026-000100", Title: strings.Repeat("很长的标题", 10), DueOn: models.MustParseDate("2026-02-10")}}
	d.Expired = []models.DigestItem{{Number: "TLMZ-2026-000200", Title: "补正未果", Expiry: models.EventCorrectionExpired, On: models.MustParseDate("2026-02-09")}}
	m := Digest(a, "张三", d, 5, func(int64) string { return "社会救助科" }, "https://gk.example/staff")
	for _, want := range []string{"张三，您好", "一、已超过答复期限（35件）", "30. TLMZ-2026-000030", "……另有5件", "社会救助科（主办，内部办理期限2026年2月2日）",
		"二、临近答复期限（5个工作日内到期）（1件）", "今天到期；承办：尚未分办", "很长的标题很长的标题很长的标题很长的标题很长的标题很长的标…",
		"三、期限届满已由系统处理（1件）", "2026年2月9日补正期限届满", "https://gk.example/staff"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	if strings.Contains(m.Body, "TLMZ-2026-000031") {
		t.Error("the list is not cut at 30")
	}
	if m.Subject != "【铁岭市民政局】政府信息公开申请办理提醒（2026年2月10日）：已超期35件、临近到期1件、期限届满1件" {
		t.Errorf("subject %q", m.Subject)
	}
	d.Kind = models.DigestSectional
	if m := Digest(a, "李四", d, 5, func(int64) string { return "" }, ""); !strings.Contains(m.Body, "您所在科室承办（主办或协办）的") {
		t.Errorf("section digest:\n%s", m.Body)
	}
}
