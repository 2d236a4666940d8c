package models

import (
	"slices"
	"testing"
	"time"
)

func testSections() []*Section {
	return []*Section{
		{ID: 1, Name: "办公室", Keywords: []string{"政府信息公开", "预算"}, Active: true},
		{ID: 2, Name: "社会救助科", Keywords: []string{"低保", "最低生活保障", "救助", "临时救助"}, Active: true},
		{ID: 3, Name: "养老服务科", Keywords: []string{"养老", "老年人", "高龄补贴"}, Active: true},
		{ID: 4, Name: "规划财务科", Keywords: []string{"资金", "预算"}, Active: true},
		{ID: 5, Name: "已撤销科", Keywords: []string{"低保"}, Active: false},
		{ID: 6, Name: "外事科", Keywords: []string{"ABC"}, Active: true},
	}
}

func TestSuggestSections(t *testing.T) {
	for _, tc := range []struct {
		name        string
		title, desc string
		want        []int64 // section ids in order
		scores      []int
		why         string // of the first suggestion
	}{
		{"title beats description", "2025年低保资金发放情况", "按区县汇总的养老补贴",
			[]int64{2, 4, 3}, []int{3, 3, 1}, "信息名称含“低保”"},
		{"several keywords add up", "临时救助和低保审批", "",
			[]int64{2}, []int{9}, "信息名称含“低保”“救助”“临时救助”"},
		{"description only", "一份文件", "关于高龄补贴的发放标准",
			[]int64{3}, []int{1}, "描述含“高龄补贴”"},
		{"tie keeps the sections' order", "预算", "", []int64{1, 4}, []int{3, 3}, "信息名称含“预算”"},
		{"inactive section never suggested", "低保", "", []int64{2}, []int{3}, ""},
		{"spaces and case ignored", "低 保　名单", "abc 项目", []int64{2, 6}, []int{3, 1}, ""},
		{"full-width letters fold", "ＡＢＣ文件", "", []int64{6}, []int{3}, ""},
		{"nothing matches", "道路建设", "桥梁", nil, nil, ""},
		{"empty request", "", "", nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SuggestSections(testSections(), tc.title, tc.desc)
			var ids []int64
			var scores []int
			for _, g := range got {
				ids = append(ids, g.SectionID)
				scores = append(scores, g.Score)
			}
			if !slices.Equal(ids, tc.want) || !slices.Equal(scores, tc.scores) {
				t.Fatalf("got %v scores %v, want %v scores %v", ids, scores, tc.want, tc.scores)
			}
			if tc.why != "" && got[0].Why() != tc.why {
				t.Errorf("Why = %q, want %q", got[0].Why(), tc.why)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   string
		lo, hi float64
	}{
		{"identical", "2025年低保资金发放情况", "2025年低保资金发放情况", 1, 1},
		{"punctuation and spaces ignored", "低保资金，发放情况。", "低保 资金 发放 情况", 1, 1},
		{"reworded same request", "2025年低保资金发放情况", "低保资金2025年发放明细", 0.5, 0.8},
		{"same topic, other year", "2025年低保资金发放情况", "2024年低保资金发放情况", 0.6, 0.9},
		{"unrelated", "2025年低保资金发放情况", "养老机构名录", 0, 0},
		{"one character each", "低", "低", 1, 1},
		{"empty", "", "低保", 0, 0},
		{"both empty", "", "", 0, 0},
		{"latin case folded", "ABC项目", "abc项目", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Similarity(tc.a, tc.b)
			if got < tc.lo || got > tc.hi {
				t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, got, tc.lo, tc.hi)
			}
			if back := Similarity(tc.b, tc.a); back != got {
				t.Errorf("not symmetric: %.3f and %.3f", got, back)
			}
		})
	}
	// The exact value for a small case: {低保, 保资, 资金} and {低保, 保名, 名单}
	// share one of five bigrams.
	if got := Similarity("低保资金", "低保名单"); got != 0.2 {
		t.Errorf("Similarity = %v, want 0.2", got)
	}
}

func TestRelatedApplications(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2026, 2, day, 9, 0, 0, 0, time.UTC) }
	app := &Application{ID: 10, Title: "2025年低保资金发放情况", SubmittedAt: at(10)}
	apps := []*Application{
		app,
		{ID: 1, Title: "2025年低保资金发放情况", Status: StatusAnswered, SubmittedAt: at(1)},   // mine, repeat
		{ID: 2, Title: "2025年低保资金发放情况", Status: StatusProcessing, SubmittedAt: at(2)}, // mine, still open
		{ID: 3, Title: "养老机构名录", Status: StatusAnswered, SubmittedAt: at(3)},          // mine, unrelated
		{ID: 4, Title: "低保资金2025年发放明细", Status: StatusProcessing, SubmittedAt: at(4)}, // other, similar
		{ID: 5, Title: "2025年低保资金发放情况", Status: StatusAnswered, SubmittedAt: at(5)},   // other, same
		{ID: 6, Title: "婚姻登记办理时间", Status: StatusAnswered, SubmittedAt: at(6)},        // other, unrelated
	}
	mine := map[int64]bool{1: true, 2: true, 3: true}
	got := RelatedApplications(app, apps, func(a *Application) bool { return mine[a.ID] }, 1)
	var ids []int64
	for _, r := range got {
		ids = append(ids, r.App.ID)
	}
	if want := []int64{3, 2, 1, 5}; !slices.Equal(ids, want) {
		t.Fatalf("related = %v, want %v (same applicant newest first, then the most similar other, limit 1)", ids, want)
	}
	repeat := map[int64]bool{}
	for _, r := range got {
		repeat[r.App.ID] = r.PossibleRepeat
	}
	if !repeat[1] || repeat[2] || repeat[3] || repeat[5] {
		t.Errorf("possible repeats = %v, want only the answered same request of the same applicant", repeat)
	}
}
