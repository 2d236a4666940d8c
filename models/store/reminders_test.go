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

// recordExpiry writes an expiry event the daily job would have recorded at
// recordedAt.
func recordExpiry(t *testing.T, s *store.Store, number string, kind models.EventKind, on string, recordedAt time.Time) {
	t.Helper()
	app, err := s.ApplicationByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(context.Background(), `INSERT INTO application_events (application_id, agency_id, seq,
		kind, occurred_on, recorded_at, actor_kind, actor_id, data) VALUES (?, ?, 1, ?, ?, ?, 'system', 0, '{}')`,
		app.ID, app.AgencyID, string(kind), models.MustParseDate(on), recordedAt.UTC()); err != nil {
		t.Fatal(err)
	}
}

// TestAgencyDigest: the office's digest holds what the dataset says is
// overdue, due soon, waiting and expired; recipients are the staff who
// handle applications and have an address; a digest is claimed once a day.
func TestAgencyDigest(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		o := buildOverview(t, s)
		ag := storetest.DefaultAgency(t, s)
		since := clock.Now().Add(-24 * time.Hour)
		recordExpiry(t, s, o.numbers["I"], models.EventCorrectionExpired, "2026-02-03", clock.Now().Add(-time.Hour))
		recordExpiry(t, s, o.numbers["D"], models.EventConsultationExpired, "2026-02-02", since.Add(-time.Hour)) // reported yesterday

		d, err := s.AgencyDigest(ctx, ag.ID, since)
		if err != nil {
			t.Fatal(err)
		}
		numbers := func(items []models.DigestItem) []string {
			var out []string
			for _, it := range items {
				out = append(out, it.Number)
			}
			return out
		}
		if !slices.Equal(numbers(d.Overdue), o.nums("A")) || d.Overdue[0].Late != 1 {
			t.Errorf("overdue %+v", d.Overdue)
		}
		if !slices.Equal(numbers(d.DueSoon), o.nums("F", "B", "L")) || d.DueSoon[0].Left != 0 || d.DueSoon[1].Left != 5 ||
			len(d.DueSoon[1].Sections) != 2 || d.DueSoon[1].Sections[1].SectionID != o.s2 {
			t.Errorf("due soon %+v", d.DueSoon)
		}
		if !slices.Equal(numbers(d.Pending), o.nums("P3", "P2")) || d.Pending[1].Waited != 4 {
			t.Errorf("pending %+v (waiting more than 2 working days)", d.Pending)
		}
		if len(d.Expired) != 1 || d.Expired[0].Number != o.numbers["I"] || d.Expired[0].Expiry != models.EventCorrectionExpired ||
			d.Expired[0].On != models.MustParseDate("2026-02-03") {
			t.Errorf("expired %+v", d.Expired)
		}
		// The agency's setting moves the waiting limit.
		if err := s.SetAgencySetting(ctx, ag.ID, "reminder.pending_days", "5"); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.AgencyDigest(ctx, ag.ID, since); !slices.Equal(numbers(d.Pending), o.nums("P3")) {
			t.Errorf("pending with a 5-day limit: %v", numbers(d.Pending))
		}

		// Recipients.
		mk := func(name string, roles []models.Role, sections []int64, email string) *models.User {
			u := &models.User{AgencyID: ag.ID, Username: name, DisplayName: name, Roles: roles, SectionIDs: sections}
			if err := s.CreateUser(ctx, u, "Gongkai-2026x"); err != nil {
				t.Fatal(err)
			}
			if err := s.SetUserEmail(ctx, ag.ID, u.ID, email); err != nil {
				t.Fatal(err)
			}
			return u
		}
		clerk := mk("clerk", []models.Role{models.RoleOfficeClerk}, nil, "clerk@example.gov.cn")
		sec := mk("sec2", []models.Role{models.RoleSectionHandler}, []int64{o.s2}, "sec2@example.gov.cn")
		mk("sec1", []models.Role{models.RoleSectionHandler}, []int64{o.s1}, "")
		mk("auditor", []models.Role{models.RoleAuditor}, nil, "audit@example.gov.cn")
		gone := mk("gone", []models.Role{models.RoleOfficeHead}, nil, "gone@example.gov.cn")
		if err := s.SetUserActive(ctx, ag.ID, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		rs, err := s.ReminderRecipients(ctx, ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.User.Username+" "+r.Email+" "+string(r.Kind))
		}
		slices.Sort(got)
		if want := []string{"clerk clerk@example.gov.cn office", "sec2 sec2@example.gov.cn section"}; !slices.Equal(got, want) {
			t.Errorf("recipients %v, want %v", got, want)
		}
		if e, err := s.UserEmail(ctx, ag.ID, sec.ID); e != "sec2@example.gov.cn" || err != nil {
			t.Errorf("UserEmail = %q, %v", e, err)
		}
		// The address is stored encrypted.
		var raw []byte
		s.DB().QueryRowContext(ctx, `SELECT email_enc FROM users WHERE id = ?`, clerk.ID).Scan(&raw)
		if len(raw) == 0 || slices.Contains([]string{"clerk@example.gov.cn"}, string(raw)) {
			t.Errorf("stored address %q", raw)
		}

		// Claims: once per user and day.
		day := s.Today()
		for i, want := range []bool{true, false} {
			if ok, err := s.ClaimDigest(ctx, day, clerk, d); ok != want || err != nil {
				t.Errorf("claim %d: %v %v", i, ok, err)
			}
		}
		if err := s.ReleaseDigest(ctx, day, clerk.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimDigest(ctx, day, clerk, d); !ok {
			t.Error("a released claim cannot be taken again")
		}
		if ok, _ := s.ClaimDigest(ctx, day.AddDays(1), clerk, d); !ok {
			t.Error("the next day's claim was refused")
		}
		if n, _ := s.DigestsSent(ctx, day); n != 1 {
			t.Errorf("digests recorded today: %d", n)
		}
	})
}

// TestSetUserEmail: an invalid address is refused with the field named; a
// change is audited, masked; setting the same address again records
// nothing.
func TestSetUserEmail(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		ag := storetest.DefaultAgency(t, s)
		u := &models.User{AgencyID: ag.ID, Username: "liuyi", DisplayName: "刘一", Roles: []models.Role{models.RoleOfficeClerk}}
		if err := s.CreateUser(ctx, u, "Gongkai-2026x"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserEmail(ctx, ag.ID, u.ID, "not-an-address"); models.FieldErrors(err)["email"] == "" {
			t.Errorf("invalid address: %v", err)
		}
		count := func() int {
			_, n, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: ag.ID, Action: string(models.AuditUserEmailChanged), PerPage: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, e := range []string{"liuyi@example.gov.cn", "liuyi@example.gov.cn", ""} {
			if err := s.SetUserEmail(ctx, ag.ID, u.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(); n != 2 {
			t.Errorf("%d audit entries, want 2 (set, cleared)", n)
		}
		entries, _, _ := s.AuditEntries(ctx, store.AuditFilter{AgencyID: ag.ID, Action: string(models.AuditUserEmailChanged), PerPage: 10})
		for _, e := range entries {
			if slices.Contains([]string{e.Before, e.After}, `{"email":"liuyi@example.gov.cn"}`) {
				t.Errorf("the trail holds the address in clear: %s → %s", e.Before, e.After)
			}
		}
		if e, _ := s.UserEmail(ctx, ag.ID, u.ID); e != "" {
			t.Errorf("cleared address reads %q", e)
		}
		if err := s.SetUserEmail(ctx, ag.ID+100, u.ID, ""); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("another agency's user: %v", err)
		}
	})
}
