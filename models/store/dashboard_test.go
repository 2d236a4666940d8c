package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// overviewData is the hand-built dataset of the dashboard, search and
// reminder tests, on the store's default day (Tuesday 2026-02-10; the
// Spring Festival holiday runs 02-15 to 02-23, 02-14 is a 调休 working
// day, so the fifth working day after today is 02-24).
type overviewData struct {
	s1, s2, s3 int64
	numbers    map[string]string // key → application number
}

func buildOverview(t *testing.T, s *store.Store) *overviewData {
	t.Helper()
	ctx := context.Background()
	ag := storetest.DefaultAgency(t, s)
	sections, err := s.Sections(ctx, ag.ID)
	if err != nil || len(sections) < 3 {
		t.Fatalf("sections: %v %v", sections, err)
	}
	o := &overviewData{s1: sections[0].ID, s2: sections[1].ID, s3: sections[2].ID, numbers: map[string]string{}}
	d := models.MustParseDate
	at := func(day string) time.Time { return d(day).Time(storetest.Shanghai).Add(9 * time.Hour) }
	rows := []struct {
		key string
		row storetest.Row
	}{
		{"P1", storetest.Row{ApplicantName: "赵一", Status: models.StatusPending, SubmittedAt: at("2026-02-10"), Title: "低保名单"}},
		{"P2", storetest.Row{ApplicantName: "钱二", Status: models.StatusPending, SubmittedAt: at("2026-02-04"), Title: "养老补贴"}},
		{"P3", storetest.Row{ApplicantName: "孙三", Status: models.StatusPending, SubmittedAt: at("2026-01-20"), Title: "婚姻登记", Channel: models.ChannelFax}},
		{"A", storetest.Row{ApplicantName: "李四", Status: models.StatusProcessing, ReceivedOn: d("2026-01-09"), DueOn: d("2026-02-09"), Lead: o.s1, Title: "低保资金发放情况"}},
		{"B", storetest.Row{ApplicantName: "周五", Status: models.StatusProcessing, ReceivedOn: d("2026-01-27"), DueOn: d("2026-02-24"), Lead: o.s1, Assist: []int64{o.s2}, Title: "临时救助标准"}},
		{"C", storetest.Row{ApplicantName: "吴六", Status: models.StatusProcessing, ReceivedOn: d("2026-02-09"), DueOn: d("2026-03-10"), Lead: o.s2, Title: "社会组织年检结果",
			ApplicantKind: models.ApplicantCommercial}},
		{"D", storetest.Row{ApplicantName: "郑七", Status: models.StatusConsulting, ReceivedOn: d("2026-01-20"), DueOn: d("2026-02-12"), Lead: o.s2, Title: "殡葬服务收费"}},
		{"E", storetest.Row{ApplicantName: "王八", Status: models.StatusCorrecting, ReceivedOn: d("2026-02-02"), Title: "不明确的申请"}},
		{"F", storetest.Row{ApplicantName: "冯九", Status: models.StatusProcessing, ReceivedOn: d("2026-01-12"), DueOn: d("2026-02-10"), Title: "福利彩票公益金", Channel: models.ChannelMail}},
		{"G", storetest.Row{ApplicantName: "陈十", Status: models.StatusAnswered, ReceivedOn: d("2026-01-05"), DueOn: d("2026-02-02"), ClosedOn: d("2026-01-30"),
			Outcome: models.OutcomeDisclose, Lead: o.s1, Title: "低保审批流程"}},
		{"H", storetest.Row{ApplicantName: "褚十一", Status: models.StatusArchived, ReceivedOn: d("2026-01-06"), DueOn: d("2026-02-03"), ClosedOn: d("2026-02-06"),
			Outcome: models.OutcomePartial, Lead: o.s2, Title: "儿童福利机构名单"}},
		{"I", storetest.Row{ApplicantName: "卫十二", Status: models.StatusTerminated, ReceivedOn: d("2026-01-12"), ClosedOn: d("2026-02-03"),
			Outcome: models.OutcomeNoCorrection, Lead: o.s1, Title: "补正未果"}},
		{"J", storetest.Row{ApplicantName: "蒋十三", Status: models.StatusWithdrawn, SubmittedAt: at("2026-01-14"), ClosedOn: d("2026-01-15"),
			Outcome: models.OutcomeWithdrawn, Title: "撤回的申请"}},
		{"K", storetest.Row{ApplicantName: "陈十", Status: models.StatusAnswered, ReceivedOn: d("2025-11-20"), DueOn: d("2025-12-18"), ClosedOn: d("2025-12-20"),
			Outcome: models.OutcomeDisclose, Lead: o.s1, Title: "去年的低保申请"}},
		{"L", storetest.Row{ApplicantName: "沈十四", Status: models.StatusProcessing, ReceivedOn: d("2026-01-26"), DueOn: d("2026-02-24"), Lead: o.s3, Warning: true, Title: "地名命名"}},
		{"M", storetest.Row{ApplicantName: "韩十五", Status: models.StatusAnswered, ReceivedOn: d("2025-02-15"), DueOn: d("2025-03-20"), ClosedOn: d("2025-03-20"),
			Outcome: models.OutcomeNotHeld, Lead: o.s1, Title: "更早的申请"}},
	}
	var list []storetest.Row
	for _, r := range rows {
		list = append(list, r.row)
	}
	for i, n := range storetest.InsertRows(t, s, ag.ID, list) {
		o.numbers[rows[i].key] = n
	}
	// 2026 becomes unchecked: L's due date carries the warning.
	if _, err := s.DB().ExecContext(ctx, `UPDATE calendar_years SET status = 'unconfirmed', source = '测试' WHERE year = 2026`); err != nil {
		t.Fatal(err)
	}
	return o
}

func numbersOf(items []store.WorkItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.App.Number)
	}
	return out
}

func (o *overviewData) nums(keys ...string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, o.numbers[k])
	}
	return out
}

func statusCounts(list []models.StatusCount) map[models.Status]int {
	m := map[models.Status]int{}
	for _, sc := range list {
		m[sc.Status] = sc.Count
	}
	return m
}

// TestDashboardCounts: the dashboard of the office and of a section match
// the hand-built dataset, on both databases.
func TestDashboardCounts(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		o := buildOverview(t, s)
		ag := storetest.DefaultAgency(t, s)

		v, err := s.Dashboard(ctx, ag.ID, models.AccessScope{Agency: true})
		if err != nil {
			t.Fatal(err)
		}
		if v.Window.Today != models.MustParseDate("2026-02-10") || v.Window.SoonBefore != models.MustParseDate("2026-02-25") {
			t.Errorf("window %+v", v.Window)
		}
		if v.Open.Pending != 3 || v.Open.Open != 7 || v.Open.DueSoon != 3 || v.Open.Overdue != 1 {
			t.Errorf("office: pending %d open %d due soon %d overdue %d, want 3 7 3 1", v.Open.Pending, v.Open.Open, v.Open.DueSoon, v.Open.Overdue)
		}
		if got := statusCounts(v.Open.ByStatus); got[models.StatusPending] != 3 || got[models.StatusProcessing] != 5 ||
			got[models.StatusConsulting] != 1 || got[models.StatusCorrecting] != 1 || got[models.StatusAwaitingFee] != 0 {
			t.Errorf("office open by status %v", got)
		}
		if got := statusCounts(v.ClosedThisYear); got[models.StatusAnswered] != 1 || got[models.StatusArchived] != 1 ||
			got[models.StatusTerminated] != 1 || got[models.StatusWithdrawn] != 1 {
			t.Errorf("office closed this year %v", got)
		}
		if v.Answers != (models.AnswerTime{Count: 2, Days: 19 + 23}) {
			t.Errorf("office answers %+v, want 2 answers, 42 days", v.Answers)
		}
		loads := map[int64]models.SectionLoad{}
		var order []int64
		for _, l := range v.Sections {
			loads[l.SectionID] = l
			order = append(order, l.SectionID)
		}
		want := map[int64]models.SectionLoad{
			0:    {SectionID: 0, Lead: 2, DueSoon: 1},
			o.s1: {SectionID: o.s1, Lead: 2, DueSoon: 1, Overdue: 1, Answers: models.AnswerTime{Count: 1, Days: 19}},
			o.s2: {SectionID: o.s2, Lead: 2, Assist: 1, Answers: models.AnswerTime{Count: 1, Days: 23}},
			o.s3: {SectionID: o.s3, Lead: 1, DueSoon: 1},
		}
		for id, w := range want {
			if loads[id] != w {
				t.Errorf("office section %d: %+v, want %+v", id, loads[id], w)
			}
		}
		if order[0] != 0 || order[1] != o.s1 {
			t.Errorf("section order %v: the unassigned row first, then the agency's order", order)
		}
		waits := map[string]int{}
		for _, b := range v.Waits {
			waits[b.Label] = b.Count
		}
		if waits["0–1个工作日"] != 1 || waits["2–3个工作日"] != 0 || waits["4–5个工作日"] != 1 || waits["6个工作日以上"] != 1 {
			t.Errorf("waits %v", v.Waits)
		}
		if len(v.Pending) != 3 || v.Pending[0].Number != o.numbers["P3"] || v.Waited[v.Pending[2].ID] != 0 || v.Waited[v.Pending[1].ID] != 4 {
			t.Errorf("pending list %v, waited %v", v.Pending, v.Waited)
		}
		months := map[string]int{}
		for _, m := range v.Months {
			months[m.Label()] = m.Count
		}
		if len(v.Months) != 12 || months["2025年3月"] != 0 || months["2025年11月"] != 1 || months["2026年1月"] != 8 || months["2026年2月"] != 2 {
			t.Errorf("months %v", v.Months)
		}
		outcomes := map[string]int{}
		for _, g := range v.Outcomes {
			outcomes[g.Label] = g.Count
		}
		if outcomes["予以公开"] != 1 || outcomes["部分公开"] != 1 || outcomes["其他处理"] != 2 || outcomes["无法提供"] != 0 {
			t.Errorf("outcomes %v", v.Outcomes)
		}
		if len(v.Calendar) != 1 || v.Calendar[0] != (models.CalendarDependence{Year: 2026, Source: "测试", Count: 1}) {
			t.Errorf("calendar %+v", v.Calendar)
		}
		if got := numbersOf(v.Overdue); !slices.Equal(got, o.nums("A")) {
			t.Errorf("overdue list %v", got)
		}
		if got := numbersOf(v.DueSoon); !slices.Equal(got, o.nums("F", "B", "L")) {
			t.Errorf("due-soon list %v, want F, B, L", got)
		}
		if it := v.DueSoon[1]; len(it.Sections) != 2 || it.Sections[0].SectionID != o.s1 || it.Sections[1].Role != models.RoleAssist {
			t.Errorf("B's sections %+v", it.Sections)
		}

		// A section's staff: only what is assigned to their section (B as
		// 协办, C, D, and the closed H).
		v, err = s.Dashboard(ctx, ag.ID, models.AccessScope{SectionIDs: []int64{o.s2}})
		if err != nil {
			t.Fatal(err)
		}
		if v.Open.Pending != 0 || v.Open.Open != 3 || v.Open.DueSoon != 1 || v.Open.Overdue != 0 {
			t.Errorf("section: pending %d open %d due soon %d overdue %d, want 0 3 1 0", v.Open.Pending, v.Open.Open, v.Open.DueSoon, v.Open.Overdue)
		}
		if got := statusCounts(v.ClosedThisYear); got[models.StatusArchived] != 1 || got[models.StatusAnswered] != 0 {
			t.Errorf("section closed %v", got)
		}
		if len(v.Sections) != 1 || v.Sections[0] != (models.SectionLoad{SectionID: o.s2, Lead: 2, Assist: 1,
			Answers: models.AnswerTime{Count: 1, Days: 23}}) {
			t.Errorf("section loads %+v", v.Sections)
		}
		if v.Answers != (models.AnswerTime{Count: 1, Days: 23}) || len(v.Pending) != 0 || v.Waits != nil || len(v.Calendar) != 0 {
			t.Errorf("section answers %+v, pending %v, waits %v, calendar %v", v.Answers, v.Pending, v.Waits, v.Calendar)
		}
		months = map[string]int{}
		for _, m := range v.Months {
			months[m.Label()] = m.Count
		}
		if months["2026年1月"] != 3 || months["2026年2月"] != 1 || months["2025年11月"] != 0 {
			t.Errorf("section months %v", v.Months)
		}
		if len(v.Overdue) != 0 || !slices.Equal(numbersOf(v.DueSoon), o.nums("B")) {
			t.Errorf("section lists %v %v", numbersOf(v.Overdue), numbersOf(v.DueSoon))
		}

		// Nobody's scope: nothing.
		if v, err := s.Dashboard(ctx, ag.ID, models.AccessScope{}); err != nil || v.Open.Open != 0 || v.Sections != nil {
			t.Errorf("empty scope: %+v %v", v, err)
		}
	})
}

// TestDashboardHistoryCache: with a history TTL, this year's figures are
// reused until they are older than the TTL, then served once more while a
// background refresh recomputes them; the open work is always current; a
// new day computes at once.
func TestDashboardHistoryCache(t *testing.T) {
	storetest.Each(t, storetest.Options{DashboardHistoryTTL: time.Minute}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		office := models.AccessScope{Agency: true}
		today := models.MustParseDate("2026-02-10")
		answered := func(n int) []storetest.Row {
			rows := make([]storetest.Row, n)
			for i := range rows {
				rows[i] = storetest.Row{ApplicantName: "缓存", Status: models.StatusAnswered, ReceivedOn: models.MustParseDate("2026-01-20"),
					ClosedOn: today, Outcome: models.OutcomeDisclose}
			}
			return rows
		}
		view := func() *store.DashboardView {
			t.Helper()
			v, err := s.Dashboard(ctx, ag.ID, office)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		closed := func(v *store.DashboardView) int { return statusCounts(v.ClosedThisYear)[models.StatusAnswered] }

		storetest.InsertRows(t, s, ag.ID, answered(2))
		first := view()
		if closed(first) != 2 || !first.HistoryAsOf.Equal(clock.Now()) {
			t.Fatalf("first view: %d answered as of %v, want 2 as of now", closed(first), first.HistoryAsOf)
		}

		// Within the TTL: the history is reused, the open work is not.
		storetest.InsertRows(t, s, ag.ID, answered(3))
		storetest.InsertRows(t, s, ag.ID, []storetest.Row{{ApplicantName: "缓存", Status: models.StatusProcessing,
			ReceivedOn: today, DueOn: models.MustParseDate("2026-03-10")}})
		clock.Advance(59 * time.Second)
		v := view()
		if closed(v) != 2 || !v.HistoryAsOf.Equal(first.HistoryAsOf) {
			t.Errorf("within the TTL: %d answered as of %v, want the cached 2", closed(v), v.HistoryAsOf)
		}
		if v.Open.Open != 1 {
			t.Errorf("open work within the TTL = %d, want 1: it is never cached", v.Open.Open)
		}

		// Past the TTL: the stale figures once more, then the refreshed ones.
		clock.Advance(2 * time.Second)
		if v := view(); closed(v) != 2 {
			t.Errorf("past the TTL, first view: %d answered, want the stale 2 while refreshing", closed(v))
		}
		deadline := time.Now().Add(10 * time.Second)
		for closed(v) != 5 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			v = view()
		}
		if closed(v) != 5 || !v.HistoryAsOf.Equal(clock.Now()) {
			t.Errorf("after the refresh: %d answered as of %v, want 5 as of %v", closed(v), v.HistoryAsOf, clock.Now())
		}

		// A new day: computed at once.
		storetest.InsertRows(t, s, ag.ID, answered(1))
		clock.Set(time.Date(2026, 2, 11, 8, 0, 0, 0, storetest.Shanghai))
		if v := view(); closed(v) != 6 || !v.HistoryAsOf.Equal(clock.Now()) {
			t.Errorf("next day: %d answered as of %v, want 6 as of now", closed(v), v.HistoryAsOf)
		}
	})
}

// TestWarmDashboards: warming computes every agency's office figures into
// the cache, so the first view reuses them; without a TTL it does nothing.
func TestWarmDashboards(t *testing.T) {
	storetest.Each(t, storetest.Options{DashboardHistoryTTL: time.Minute}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		answered := storetest.Row{ApplicantName: "预热", Status: models.StatusAnswered, ReceivedOn: models.MustParseDate("2026-01-20"),
			ClosedOn: models.MustParseDate("2026-02-09"), Outcome: models.OutcomeDisclose}
		storetest.InsertRows(t, s, ag.ID, []storetest.Row{answered})
		if err := s.WarmDashboards(ctx); err != nil {
			t.Fatal(err)
		}
		warmed := clock.Now()
		storetest.InsertRows(t, s, ag.ID, []storetest.Row{answered})
		clock.Advance(10 * time.Second)
		v, err := s.Dashboard(ctx, ag.ID, models.AccessScope{Agency: true})
		if err != nil {
			t.Fatal(err)
		}
		if n := statusCounts(v.ClosedThisYear)[models.StatusAnswered]; n != 1 || !v.HistoryAsOf.Equal(warmed) {
			t.Errorf("first view after warming: %d answered as of %v, want the warmed 1 as of %v", n, v.HistoryAsOf, warmed)
		}
	})
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		if err := s.WarmDashboards(context.Background()); err != nil {
			t.Fatal(err)
		}
		v, err := s.Dashboard(context.Background(), storetest.DefaultAgency(t, s).ID, models.AccessScope{Agency: true})
		if err != nil || !v.HistoryAsOf.Equal(clock.Now()) {
			t.Errorf("without a TTL every view computes: %v, %v", v.HistoryAsOf, err)
		}
	})
}
