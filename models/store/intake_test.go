package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// fakeRender stands for reports.WriteNotice in store tests: a PDF-shaped
// file naming the notice.
func fakeRender(b models.NoticeBody, _ []byte, _ time.Time) ([]byte, error) {
	return []byte("%PDF-1.4\n% " + b.Number + " " + string(b.Kind) + "\n%%EOF\n"), nil
}

func staffStep(agencyID, appID int64, e models.Event, notices ...models.NoticeBody) *store.Step {
	e.ActorKind, e.ActorID = models.ActorStaff, 1
	return &store.Step{AgencyID: agencyID, ApplicationID: appID, Event: e, Notices: notices, Render: fakeRender}
}

// TestRecordStepNumbersNotices: notices are numbered in one series per
// agency and year without gaps; a step refused by the ledger, or one whose
// notice cannot be rendered, leaves nothing behind and gives its number
// back.
func TestRecordStepNumbersNotices(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		a := storetest.MustSubmit(t, s, ag.ID, "低保名单").Application
		b := storetest.MustSubmit(t, s, ag.ID, "养老补贴").Application
		confirm := models.Event{Kind: models.EventConfirmed, Data: models.EventData{Channel: models.ChannelOnline}}
		res, err := s.RecordStep(ctx, staffStep(ag.ID, a.ID, confirm, models.NoticeBody{Kind: models.NoticeReceipt}))
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Notices[0]; n.Number != "铁民公开〔2026〕第1号" || n.EventSeq != 2 || !n.HasPDF() || res.App.Status != models.StatusProcessing {
			t.Errorf("first notice %+v, app %s", n, res.App.Status)
		}
		// Refused by the ledger (confirmed twice): no notice, no number used.
		if _, err := s.RecordStep(ctx, staffStep(ag.ID, a.ID, confirm, models.NoticeBody{Kind: models.NoticeReceipt})); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("second confirmation: %v", err)
		}
		// A renderer failure rolls the whole step back.
		broken := staffStep(ag.ID, b.ID, confirm, models.NoticeBody{Kind: models.NoticeReceipt})
		broken.Render = func(models.NoticeBody, []byte, time.Time) ([]byte, error) { return nil, errors.New("font") }
		if _, err := s.RecordStep(ctx, broken); err == nil {
			t.Fatal("a failed rendering was accepted")
		}
		if events, _ := s.Events(ctx, b.ID); len(events) != 1 {
			t.Errorf("the failed step left %d events", len(events))
		}
		res, err = s.RecordStep(ctx, staffStep(ag.ID, b.ID, confirm, models.NoticeBody{Kind: models.NoticeReceipt}))
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Notices[0]; n.Number != "铁民公开〔2026〕第2号" {
			t.Errorf("after rollbacks the next number is %s, want 第2号", n.Number)
		}
		// The body is on record and states what the ledger says.
		_, body, err := s.NoticeWithBody(ctx, b.ID, res.Notices[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if body.ReceivedOn != s.Today() || body.DueOn != res.Clock.DueOn || body.ApplicantID != "居民身份证　1101**********4477" ||
			body.Agency.Name != ag.Name || body.Number != res.Notices[0].Number {
			t.Errorf("body = %+v", body)
		}
		// A correction notice: the event names it.
		due, _ := s.AddWorkingDays(ctx, s.Today(), 15)
		res, err = s.RecordStep(ctx, staffStep(ag.ID, b.ID, models.Event{Kind: models.EventCorrectionRequested,
			Data: models.EventData{Items: []string{"请写明年份"}, PeriodDays: 15, DueOn: due}}, models.NoticeBody{Kind: models.NoticeCorrection}))
		if err != nil {
			t.Fatal(err)
		}
		if res.Event.Data.NoticeID != res.Notices[0].ID || res.Notices[0].Number != "铁民公开〔2026〕第3号" {
			t.Errorf("correction event %+v, notice %+v", res.Event.Data, res.Notices[0])
		}
		// Next year starts again at 1.
		clock.Set(time.Date(2027, 1, 4, 9, 0, 0, 0, storetest.Shanghai))
		c := storetest.MustSubmit(t, s, ag.ID, "新年申请").Application
		res, err = s.RecordStep(ctx, staffStep(ag.ID, c.ID, confirm, models.NoticeBody{Kind: models.NoticeReceipt}))
		if err != nil {
			t.Fatal(err)
		}
		if res.Notices[0].Number != "铁民公开〔2027〕第1号" {
			t.Errorf("2027's first notice: %s", res.Notices[0].Number)
		}
	})
}

// TestRegisterApplicationInOneTransaction: a registration either stores
// the application, its receipt and notice together, or nothing.
func TestRegisterApplicationInOneTransaction(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		reg := func(render store.NoticeRenderer, token string) (*store.Registered, error) {
			return s.RegisterApplication(ctx, &store.Registration{
				New: store.NewApplication{AgencyID: ag.ID, ActorKind: models.ActorStaff, ActorID: 1, SubmittedOn: s.Today(),
					Applicant:   models.Applicant{Kind: models.ApplicantPerson, Name: "李四"},
					Application: models.Application{Channel: models.ChannelMail, Source: "staff", Title: "婚姻登记档案"}},
				StagingToken: token,
				Confirm: &store.Step{Event: models.Event{Kind: models.EventConfirmed, ActorKind: models.ActorStaff, ActorID: 1,
					Data: models.EventData{Channel: models.ChannelMail}}, Notices: []models.NoticeBody{{Kind: models.NoticeReceipt}}, Render: render},
			})
		}
		failing := func(models.NoticeBody, []byte, time.Time) ([]byte, error) { return nil, errors.New("no font") }
		if _, err := reg(failing, "token-1"); err == nil {
			t.Fatal("registration with a failing receipt went through")
		}
		var n int
		s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM applications`).Scan(&n)
		if n != 0 {
			t.Errorf("%d applications left by a failed registration", n)
		}
		r, err := reg(fakeRender, "token-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.Application.Number != "TLMZ-2026-000001" || r.Application.Status != models.StatusProcessing || r.QueryCode == "" ||
			r.Step == nil || r.Step.Notices[0].Number != "铁民公开〔2026〕第1号" {
			t.Errorf("registered: %+v step %+v", r.Application, r.Step)
		}
		again, err := reg(fakeRender, "token-1")
		if err != nil || !again.Duplicate || again.Application.ID != r.Application.ID || again.QueryCode != r.QueryCode {
			t.Errorf("again: %+v, %v", again, err)
		}
		if got, err := s.LookUpApplication(ctx, r.Application.Number, r.QueryCode); err != nil || got.ID != r.Application.ID {
			t.Errorf("look-up with the code: %v", err)
		}
	})
}

// TestWorklistScope: a section's list holds the applications assigned to
// it as lead or assistant, with its internal due date; the office's holds
// every open one.
func TestWorklistScope(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		secs, _ := s.Sections(ctx, ag.ID)
		a, b, c := secs[1].ID, secs[2].ID, secs[3].ID
		mk := func(title string, routes ...models.EventData) *models.Application {
			app := storetest.MustSubmit(t, s, ag.ID, title).Application
			if _, err := s.RecordStep(ctx, staffStep(ag.ID, app.ID, models.Event{Kind: models.EventConfirmed,
				Data: models.EventData{Channel: models.ChannelOnline}})); err != nil {
				t.Fatal(err)
			}
			for _, r := range routes {
				if _, err := s.RecordStep(ctx, staffStep(ag.ID, app.ID, models.Event{Kind: models.EventAssigned, Data: r})); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := s.Application(ctx, ag.ID, app.ID)
			return got
		}
		given, _ := s.AddWorkingDays(ctx, s.Today(), 3)
		x := mk("甲", models.EventData{SectionID: a, Role: models.RoleLead, InternalDueOn: given}, models.EventData{SectionID: b, Role: models.RoleAssist})
		y := mk("乙", models.EventData{SectionID: b, Role: models.RoleLead})
		z := mk("丙")
		list := func(scope models.AccessScope) map[int64][]store.SectionWork {
			items, err := s.Worklist(ctx, ag.ID, scope)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64][]store.SectionWork{}
			for _, it := range items {
				out[it.App.ID] = it.Sections
			}
			return out
		}
		la := list(models.AccessScope{SectionIDs: []int64{a}})
		lb := list(models.AccessScope{SectionIDs: []int64{b}})
		lc := list(models.AccessScope{SectionIDs: []int64{c}})
		all := list(models.AccessScope{Agency: true})
		if len(la) != 1 || la[x.ID] == nil || len(lb) != 2 || len(lc) != 0 || len(all) != 3 || all[z.ID] != nil {
			t.Fatalf("lists: A %v, B %v, C %v, all %v", la, lb, lc, all)
		}
		secX := la[x.ID]
		if len(secX) != 2 || secX[0].SectionID != a || secX[0].Role != models.RoleLead || secX[0].InternalDueOn != given ||
			secX[1].SectionID != b || secX[1].Role != models.RoleAssist {
			t.Errorf("sections of x: %+v", secX)
		}
		clockX, _ := s.Clock(ctx, x)
		if secX[1].InternalDueOn != clockX.DefaultInternalDueOn || x.InternalDueOn != given {
			t.Errorf("assistant's date %s, want the default %s; lead's stored %s", secX[1].InternalDueOn, clockX.DefaultInternalDueOn, x.InternalDueOn)
		}
		if lb[y.ID][0].InternalDueOn != y.InternalDueOn {
			t.Errorf("y's lead date %s, stored %s", lb[y.ID][0].InternalDueOn, y.InternalDueOn)
		}
		if none, _ := s.Worklist(ctx, ag.ID, models.AccessScope{}); len(none) != 0 {
			t.Error("an empty scope lists applications")
		}
	})
}

// TestDailyJobOncePerDay: two store handles on one database (two portal
// processes) try the job at the same time; it runs once that day, again
// the next day; a failed run is retried after its back-off, by either
// process; a run whose process died is taken over when its lease expires.
func TestDailyJobOncePerDay(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s1 *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		s2, err := store.Open(ctx, store.Config{DSN: s1.DSN(), Keys: s1.Keys(), Location: storetest.Shanghai, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		var runs atomic.Int32
		job := func(ctx context.Context) (string, error) {
			runs.Add(1)
			time.Sleep(50 * time.Millisecond)
			return "做了一次", nil
		}
		tryBoth := func() (ran int) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i, s := range []*store.Store{s1, s2, s1, s2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					run, err := s.RunJob(ctx, "test", store.JobOptions{Holder: fmt.Sprintf("p%d", i%2)}, job)
					if err != nil && !errors.Is(err, store.ErrJobHeld) {
						t.Errorf("RunJob: %v", err)
					}
					if run != nil {
						mu.Lock()
						ran++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			return ran
		}
		if ran := tryBoth(); ran != 1 || runs.Load() != 1 {
			t.Fatalf("day 1: %d runs reported, job ran %d times", ran, runs.Load())
		}
		if ran := tryBoth(); ran != 0 || runs.Load() != 1 {
			t.Fatalf("day 1 again: %d runs, job ran %d times", ran, runs.Load())
		}
		clock.Advance(24 * time.Hour)
		if ran := tryBoth(); ran != 1 || runs.Load() != 2 {
			t.Fatalf("day 2: %d runs, job ran %d times", ran, runs.Load())
		}
		// Forced from the command line: runs again.
		if run, err := s2.RunJob(ctx, "test", store.JobOptions{Holder: "cli", Force: true}, job); err != nil || run == nil {
			t.Fatalf("forced: %v %v", run, err)
		}

		// A failure is recorded and retried after the back-off.
		fail := true
		flaky := func(ctx context.Context) (string, error) {
			if fail {
				return "", errors.New("database went away")
			}
			return "好了", nil
		}
		run, err := s1.RunJob(ctx, "flaky", store.JobOptions{Holder: "p0", RetryAfter: time.Hour}, flaky)
		if err == nil || run == nil || run.Result != models.JobFailed {
			t.Fatalf("failing job: %+v %v", run, err)
		}
		fail = false
		if run, err := s2.RunJob(ctx, "flaky", store.JobOptions{Holder: "p1"}, flaky); !errors.Is(err, store.ErrJobHeld) || run != nil {
			t.Fatalf("retried before the back-off: %+v %v", run, err)
		}
		clock.Advance(61 * time.Minute)
		if run, err := s2.RunJob(ctx, "flaky", store.JobOptions{Holder: "p1"}, flaky); err != nil || run == nil || run.Result != models.JobOK {
			t.Fatalf("retry: %+v %v", run, err)
		}

		// A process that died holding the lease: taken over after it expires.
		stuck := make(chan struct{})
		started := make(chan struct{})
		go s1.RunJob(context.Background(), "stuck", store.JobOptions{Holder: "dead", Lease: 10 * time.Minute},
			func(ctx context.Context) (string, error) { close(started); <-stuck; return "", nil })
		<-started
		if _, err := s2.RunJob(ctx, "stuck", store.JobOptions{Holder: "p1"}, job); !errors.Is(err, store.ErrJobHeld) {
			t.Fatalf("took a live lease: %v", err)
		}
		clock.Advance(11 * time.Minute)
		if run, err := s2.RunJob(ctx, "stuck", store.JobOptions{Holder: "p1"}, job); err != nil || run == nil {
			t.Fatalf("took over: %+v %v", run, err)
		}
		close(stuck)
		time.Sleep(100 * time.Millisecond)

		all, err := s1.JobRuns(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		results := map[string][]models.JobResult{}
		for _, r := range all {
			results[r.Name] = append(results[r.Name], r.Result)
		}
		if len(results["test"]) != 3 || len(results["flaky"]) != 2 || results["flaky"][1] != models.JobFailed {
			t.Errorf("runs: %v", results)
		}
		if st := results["stuck"]; len(st) != 2 || st[1] != models.JobAbandoned && st[0] != models.JobAbandoned {
			t.Errorf("stuck runs: %v", st)
		}
	})
}

// TestDailyJobRecomputesWithoutEvents: the daily recomputation moves a
// provisional due date (an open consultation) on the application row
// without writing anything on the ledger.
func TestDailyJobRecomputesWithoutEvents(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		app := storetest.MustSubmit(t, s, ag.ID, "低保名单").Application
		for _, e := range []models.Event{
			{Kind: models.EventConfirmed, Data: models.EventData{Channel: models.ChannelOnline}},
			{Kind: models.EventConsultationSent, Data: models.EventData{Party: "某公司", PartyKind: models.PartyThirdParty}},
		} {
			if _, err := s.RecordStep(ctx, staffStep(ag.ID, app.ID, e)); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := s.Application(ctx, ag.ID, app.ID)
		events, _ := s.Events(ctx, app.ID)
		clock.Advance(7 * 24 * time.Hour)
		summary, err := s.DailyJob(ctx)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := s.Application(ctx, ag.ID, app.ID)
		again, _ := s.Events(ctx, app.ID)
		if !after.DueOn.After(before.DueOn) || len(again) != len(events) {
			t.Errorf("due %s → %s, events %d → %d (%s)", before.DueOn, after.DueOn, len(events), len(again), summary)
		}
	})
}

// TestWorklistPages: the worklist pages through the open work in due-date
// order (unknown due dates last) and counts the whole list; a section
// scope counts only its own.
func TestWorklistPages(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		secs, _ := s.Sections(ctx, ag.ID)
		a, b := secs[1].ID, secs[2].ID
		var rows []storetest.Row
		start := models.MustParseDate("2026-03-01")
		for i := range 130 {
			r := storetest.Row{ApplicantName: "分页", Status: models.StatusProcessing, ReceivedOn: models.MustParseDate("2026-02-09"),
				DueOn: start.AddDays(i % 40), Lead: a}
			if i%10 == 0 {
				r.Status, r.DueOn = models.StatusCorrecting, models.Date{} // paused: no due date, listed last
			}
			if i >= 120 {
				r.Lead = b
			}
			rows = append(rows, r)
		}
		rows = append(rows, storetest.Row{ApplicantName: "分页", Status: models.StatusAnswered, ReceivedOn: models.MustParseDate("2026-01-05"),
			ClosedOn: models.MustParseDate("2026-02-01"), Outcome: models.OutcomeDisclose, Lead: a})
		storetest.InsertRows(t, s, ag.ID, rows)

		office := models.AccessScope{Agency: true}
		var all []store.WorkItem
		for offset := 0; ; offset += 50 {
			items, total, err := s.WorklistPage(ctx, ag.ID, office, offset, 50)
			if err != nil {
				t.Fatal(err)
			}
			if total != 130 {
				t.Fatalf("total %d, want 130 open (the answered one is not work)", total)
			}
			if len(items) == 0 {
				break
			}
			all = append(all, items...)
		}
		if len(all) != 130 {
			t.Fatalf("pages hold %d, want 130", len(all))
		}
		seen := map[int64]bool{}
		for i, it := range all {
			if seen[it.App.ID] {
				t.Fatalf("application %d on two pages", it.App.ID)
			}
			seen[it.App.ID] = true
			if i > 0 {
				prev := all[i-1].App.DueOn
				cur := it.App.DueOn
				if (prev.IsZero() && !cur.IsZero()) || (!prev.IsZero() && !cur.IsZero() && cur.Before(prev)) {
					t.Fatalf("order broken at %d: %v after %v", i, cur, prev)
				}
			}
		}
		if !all[129].App.DueOn.IsZero() || all[116].App.DueOn.IsZero() {
			t.Errorf("the 13 paused applications must come last")
		}
		items, total, err := s.WorklistPage(ctx, ag.ID, models.AccessScope{SectionIDs: []int64{b}}, 0, 100)
		if err != nil || total != 10 || len(items) != 10 {
			t.Errorf("section b: %d of %d, %v; want 10 of 10", len(items), total, err)
		}
	})
}
