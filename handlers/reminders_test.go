package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// failingFor fails the mails to one address, like a mailbox that refuses
// them, and records the others.
type failingFor struct {
	rec *recordingSender
	to  string
}

func (f failingFor) SendMail(ctx context.Context, to, subject, body string) error {
	if to == f.to {
		return fmt.Errorf("550 mailbox %s unavailable", to)
	}
	return f.rec.SendMail(ctx, to, subject, body)
}

// TestReminderJobOncePerDay: two portal processes on one database try the
// reminder job at once; each member of staff gets one digest a day with
// what concerns them, whatever runs, retries or forced runs follow; a
// failed mail is sent by the retry and only it. Both databases.
func TestReminderJobOncePerDay(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		sections, _ := s.Sections(ctx, ag.ID)
		s1, s2, s3 := sections[0].ID, sections[1].ID, sections[2].ID
		d := models.MustParseDate
		nums := storetest.InsertRows(t, s, ag.ID, []storetest.Row{
			{ApplicantName: "李四", Status: models.StatusProcessing, ReceivedOn: d("2026-01-09"), DueOn: d("2026-02-09"), Lead: s1, Title: "低保资金发放情况"},
			{ApplicantName: "周五", Status: models.StatusProcessing, ReceivedOn: d("2026-01-27"), DueOn: d("2026-02-24"), Lead: s2, Title: "临时救助标准"},
			{ApplicantName: "孙三", Status: models.StatusPending, SubmittedAt: d("2026-01-20").Time(storetest.Shanghai).Add(9 * time.Hour), Title: "婚姻登记"},
			{ApplicantName: "吴六", Status: models.StatusProcessing, ReceivedOn: d("2026-02-09"), DueOn: d("2026-03-10"), Lead: s3, Title: "不急的申请"},
		})
		overdue, soon, pending := nums[0], nums[1], nums[2]
		users := map[string]*models.User{}
		for _, u := range []struct {
			name     string
			roles    []models.Role
			sections []int64
		}{
			{"clerk", []models.Role{models.RoleOfficeClerk}, nil},
			{"sec1", []models.Role{models.RoleSectionHandler}, []int64{s1}},
			{"sec2", []models.Role{models.RoleSectionHead}, []int64{s2}},
			{"sec3", []models.Role{models.RoleSectionHandler}, []int64{s3}}, // nothing due: no mail
			{"audit", []models.Role{models.RoleAuditor}, nil},               // not a handler: no mail
		} {
			users[u.name] = mkStaffUser(t, s, u.name, u.roles, u.sections, false)
			if err := s.SetUserEmail(ctx, ag.ID, users[u.name].ID, u.name+"@tieling.example.gov.cn"); err != nil {
				t.Fatal(err)
			}
		}
		mkStaffUser(t, s, "nomail", []models.Role{models.RoleOfficeHead}, nil, false) // no address: no mail

		other, err := store.Open(ctx, store.Config{DSN: s.DSN(), Keys: s.Keys(), Location: storetest.Shanghai, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		rec := &recordingSender{}
		procs := []Reminders{{Store: s, Mailer: rec, BaseURL: "https://gk.example/"}, {Store: other, Mailer: rec, BaseURL: "https://gk.example/"}}
		tryAll := func() (ran int) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := procs[i%2]
					run, err := p.Store.RunJob(ctx, store.ReminderJobName, store.JobOptions{Holder: fmt.Sprintf("p%d", i%2)}, p.Run)
					// MariaDB may pick a process's claim as a deadlock victim
					// when all four take the lease row at once (the claim's
					// INSERT IGNORE and SELECT … FOR UPDATE, store.claimJob);
					// that process then did not run the job, like one that found
					// the lease held.
					if err != nil && !errors.Is(err, store.ErrJobHeld) && !strings.Contains(err.Error(), "Error 1213") {
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
		mailsTo := func(from int) map[string][]sentMail {
			m := map[string][]sentMail{}
			for _, ml := range rec.Mails()[from:] {
				m[ml.to] = append(m[ml.to], ml)
			}
			return m
		}
		wantOnce := func(day string, from int, who ...string) map[string][]sentMail {
			t.Helper()
			got := mailsTo(from)
			if len(got) != len(who) {
				t.Errorf("%s: mails to %d addresses, want %v", day, len(got), who)
			}
			for _, w := range who {
				if n := len(got[w+"@tieling.example.gov.cn"]); n != 1 {
					t.Errorf("%s: %s got %d digests, want 1", day, w, n)
				}
			}
			return got
		}

		// Day 1: one run, three digests.
		if ran := tryAll(); ran != 1 {
			t.Fatalf("day 1: the job ran %d times", ran)
		}
		got := wantOnce("day 1", 0, "clerk", "sec1", "sec2")
		office := got["clerk@tieling.example.gov.cn"][0]
		for _, want := range []string{overdue, soon, pending, "已超过答复期限（1件）", "临近答复期限（5个工作日内到期）（1件）", "尚待确认收到（1件）",
			"已超过1个工作日", "还剩5个工作日", "https://gk.example/staff", "测试clerk，您好"} {
			if !strings.Contains(office.body, want) {
				t.Errorf("office digest lacks %q:\n%s", want, office.body)
			}
		}
		if !strings.Contains(office.subject, "已超期1件、临近到期1件、待确认超期1件") || strings.Contains(office.body, "李四") || strings.Contains(office.body, nums[3]) {
			t.Errorf("office digest: %s\n%s", office.subject, office.body)
		}
		if b := got["sec1@tieling.example.gov.cn"][0].body; !strings.Contains(b, overdue) || strings.Contains(b, soon) || strings.Contains(b, pending) {
			t.Errorf("section 1 digest:\n%s", b)
		}
		if b := got["sec2@tieling.example.gov.cn"][0].body; strings.Contains(b, overdue) || !strings.Contains(b, soon) {
			t.Errorf("section 2 digest:\n%s", b)
		}
		// Again the same day, and forced: nobody gets a second one.
		if ran := tryAll(); ran != 0 {
			t.Errorf("day 1 again: ran %d times", ran)
		}
		run, err := other.RunJob(ctx, store.ReminderJobName, store.JobOptions{Holder: "cli", Force: true}, procs[1].Run)
		if err != nil || run == nil || !strings.Contains(run.Summary, "今天已发送过3人") {
			t.Errorf("forced run: %+v %v", run, err)
		}
		if n := len(rec.Mails()); n != 3 {
			t.Errorf("day 1: %d mails after the forced run, want 3", n)
		}

		// Day 2: one each again.
		clock.Advance(24 * time.Hour)
		if ran := tryAll(); ran != 1 {
			t.Fatalf("day 2: the job ran %d times", ran)
		}
		wantOnce("day 2", 3, "clerk", "sec1", "sec2")

		// Day 3: section 2's mailbox refuses the mail; the job fails and its
		// retry sends only that digest.
		clock.Advance(24 * time.Hour)
		bad := Reminders{Store: s, Mailer: failingFor{rec, "sec2@tieling.example.gov.cn"}, BaseURL: "https://gk.example"}
		run, err = s.RunJob(ctx, store.ReminderJobName, store.JobOptions{Holder: "p0", RetryAfter: time.Hour}, bad.Run)
		if err == nil || run == nil || run.Result != models.JobFailed || strings.Contains(run.Error, "sec2@") {
			t.Fatalf("failing run: %+v %v", run, err)
		}
		clock.Advance(61 * time.Minute)
		if ran := tryAll(); ran != 1 {
			t.Fatalf("day 3 retry: ran %d times", ran)
		}
		wantOnce("day 3", 6, "clerk", "sec1", "sec2")

		runs, err := s.JobRuns(ctx, 20)
		if err != nil {
			t.Fatal(err)
		}
		var results []string
		for _, r := range runs {
			if r.Name == store.ReminderJobName {
				results = append(results, string(r.Result))
			}
		}
		if strings.Join(results, " ") != "ok failed ok ok ok" {
			t.Errorf("reminder runs, newest first: %v", results)
		}
	})
}
