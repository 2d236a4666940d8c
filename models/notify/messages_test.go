package notify_test

import (
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/notify"
)

func TestMessages(t *testing.T) {
	a := &models.Agency{Name: "铁岭市民政局", OfficeName: "铁岭市民政局办公室", Phone: "024-72826123", OfficeHours: "工作日8:30—17:00"}
	app := &models.Application{Number: "TLMZ-2026-000001", Title: "2025年度低保资金发放情况", Delivery: models.DeliveryPost}
	d := models.MustParseDate("2026-03-10")
	const url = "https://gongkai.example.gov.cn/track"
	for _, tc := range []struct {
		name string
		m    notify.Message
		want []string
	}{
		{"submitted", notify.Submitted(a, app, "ABCDE-FGHJK", url),
			[]string{"TLMZ-2026-000001", "ABCDE-FGHJK", "2025年度低保资金发放情况", "第三十一条", "双方确认", "20个工作日", "待确认"}},
		{"confirmed", notify.Confirmed(a, app, models.MustParseDate("2026-02-10"), d, url),
			[]string{"2026年2月10日", "2026年3月10日", "接收回执"}},
		{"correction requested", notify.CorrectionRequested(a, app, []string{"写明年份", "写明地区"}, d, url),
			[]string{"1. 写明年份", "2. 写明地区", "2026年3月10日前", "重新计算", "视为放弃申请", "第三十条"}},
		{"extended", notify.Extended(a, app, 20, d, url), []string{"延长20个工作日", "2026年3月10日", "第三十三条第二款"}},
		{"answered", notify.Answered(a, app, d, url), []string{"2026年3月10日", "邮政企业", "行政复议"}},
		{"query code reminder", notify.QueryCodeReminder(a, app, "ABCDE-FGHJK", url), []string{"ABCDE-FGHJK", "如果不是您本人操作"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.HasPrefix(tc.m.Subject, "【铁岭市民政局】") || !strings.Contains(tc.m.Subject, "TLMZ-2026-000001") {
				t.Errorf("subject = %q", tc.m.Subject)
			}
			for _, w := range append(tc.want, url, "024-72826123", "请勿直接回复") {
				if !strings.Contains(tc.m.Body, w) {
					t.Errorf("body lacks %q:\n%s", w, tc.m.Body)
				}
			}
			if strings.Contains(tc.m.Body, "?") {
				t.Errorf("a link carries a query string:\n%s", tc.m.Body)
			}
		})
	}
	sms := notify.QueryCodeSMS(a, app, "ABCDE-FGHJK")
	if !strings.HasPrefix(sms, "【铁岭市民政局】") || !strings.Contains(sms, "ABCDE-FGHJK") || len([]rune(sms)) > 140 {
		t.Errorf("sms = %q (%d characters)", sms, len([]rune(sms)))
	}
}
