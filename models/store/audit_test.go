package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// writeAudit appends n entries as a staff actor.
func writeAudit(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := models.NewContextWithActor(context.Background(), models.Actor{UserID: 1, Name: "系统管理员（admin）", ClientIP: "192.0.2.10", AgencyID: 1})
	for i := 0; i < n; i++ {
		if err := s.RecordAudit(ctx, models.AuditEntry{Action: models.AuditApplicationViewed,
			ObjectType: models.AuditObjectApplication, ObjectID: fmt.Sprintf("TLMZ-2026-%06d", i+1),
			After: models.AuditData(map[string]any{"i": i})}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditTrailRecordsAndVerifies(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		if r, err := s.VerifyAudit(ctx); err != nil || !r.OK() || r.Rows != 0 {
			t.Fatalf("empty trail: %+v %v", r, err)
		}
		writeAudit(t, s, 3)
		entries, total, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: 1})
		if err != nil || total != 3 || len(entries) != 3 {
			t.Fatalf("entries = %d/%d, %v", len(entries), total, err)
		}
		e := entries[0] // newest first
		if e.ID != 3 || e.ActorID != 1 || e.ClientIP != "192.0.2.10" || e.ActorName != "系统管理员（admin）" ||
			!e.OccurredAt.Equal(clock.Now().UTC().Truncate(time.Microsecond)) || e.PrevMAC != entries[1].MAC {
			t.Errorf("entry = %+v", e)
		}
		r, err := s.VerifyAudit(ctx)
		if err != nil || !r.OK() || r.Rows != 3 || r.LastID != 3 || r.LastMAC != e.MAC {
			t.Errorf("verify = %+v %v", r, err)
		}
	})
}

func TestAuditFilters(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		writeAudit(t, s, 2)
		clock.Advance(48 * time.Hour) // 2026-02-12
		other := models.NewContextWithActor(ctx, models.Actor{UserID: 2, Name: "李四（lisi）", AgencyID: 1})
		for i := 0; i < 120; i++ {
			if err := s.RecordAudit(other, models.AuditEntry{Action: models.AuditUserUpdated, ObjectType: models.AuditObjectUser, ObjectID: "5"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordAudit(ctx, models.AuditEntry{AgencyID: 2, Action: models.AuditUserUpdated}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			f    store.AuditFilter
			want int
		}{
			{"agency", store.AuditFilter{AgencyID: 1}, 122},
			{"other agency", store.AuditFilter{AgencyID: 2}, 1},
			{"actor", store.AuditFilter{AgencyID: 1, ActorID: 1}, 2},
			{"system", store.AuditFilter{AgencyID: 2, ActorID: -1}, 1},
			{"action", store.AuditFilter{AgencyID: 1, Action: string(models.AuditApplicationViewed)}, 2},
			{"object", store.AuditFilter{AgencyID: 1, ObjectType: models.AuditObjectApplication, ObjectID: "TLMZ-2026-000002"}, 1},
			{"from", store.AuditFilter{AgencyID: 1, From: models.MustParseDate("2026-02-11")}, 120},
			{"to", store.AuditFilter{AgencyID: 1, To: models.MustParseDate("2026-02-10")}, 2},
			{"range", store.AuditFilter{AgencyID: 1, From: models.MustParseDate("2026-02-12"), To: models.MustParseDate("2026-02-12")}, 120},
		} {
			_, total, err := s.AuditEntries(ctx, tc.f)
			if err != nil || total != tc.want {
				t.Errorf("%s: total %d, %v; want %d", tc.name, total, err, tc.want)
			}
		}
		page3, total, err := s.AuditEntries(ctx, store.AuditFilter{AgencyID: 1, Page: 3, PerPage: 50})
		if err != nil || total != 122 || len(page3) != 22 || page3[len(page3)-1].ID != 1 {
			t.Errorf("page 3: %d rows of %d, %v", len(page3), total, err)
		}
	})
}

// TestConcurrentAuditWriters: writers in parallel (on MySQL, several
// connections, as several portal processes) keep one unbroken chain.
func TestConcurrentAuditWriters(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		// A second store on the same database stands for a second process.
		s2 := reopen(t, s, s.Keys())
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			st := s
			if i%2 == 1 {
				st = s2
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- st.RecordAudit(context.Background(), models.AuditEntry{AgencyID: 1, Action: models.AuditLogout})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := s.VerifyAudit(context.Background())
		if err != nil || !r.OK() || r.Rows != 40 {
			t.Errorf("verify after concurrent writes: %+v %v", r.Break, err)
		}
	})
}

// TestAuditTamperingInTheDatabase edits the tables directly, as someone
// with database access but without the secret would, and checks that
// VerifyAudit names the first broken row.
func TestAuditTamperingInTheDatabase(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sql     []string
		problem models.AuditProblem
		id      int64
	}{
		{"edit a field", []string{`UPDATE audit_log SET after_data = '{"i":99}' WHERE id = 3`}, models.AuditRowAltered, 3},
		{"edit the client address", []string{`UPDATE audit_log SET client_ip = '198.51.100.1' WHERE id = 2`}, models.AuditRowAltered, 2},
		{"reorder two rows", []string{
			`UPDATE audit_log SET id = 100 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 3`,
			`UPDATE audit_log SET id = 3 WHERE id = 100`}, models.AuditChainBroken, 2},
		{"delete a middle row", []string{`DELETE FROM audit_log WHERE id = 3`}, models.AuditRowMissing, 4},
		{"delete the last row", []string{`DELETE FROM audit_log WHERE id = 5`}, models.AuditTailMissing, 5},
		{"delete the last rows and move the head", []string{
			`DELETE FROM audit_log WHERE id > 3`,
			`UPDATE audit_head SET last_id = 3, mac = (SELECT mac FROM (SELECT mac FROM audit_log WHERE id = 3) AS x) WHERE id = 1`},
			models.AuditHeadMismatch, 3},
		{"insert a forged row", []string{
			`INSERT INTO audit_log (id, agency_id, occurred_at, actor_id, actor_name, client_ip, action, object_type, object_id,
				before_data, after_data, prev_mac, mac) SELECT 6, agency_id, occurred_at, actor_id, actor_name, client_ip, action,
				object_type, object_id, before_data, '{"forged":1}', mac, mac FROM audit_log WHERE id = 5`},
			models.AuditRowAltered, 6},
		{"delete the head", []string{`DELETE FROM audit_head`}, models.AuditHeadMismatch, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
				writeAudit(t, s, 5)
				for _, q := range tc.sql {
					if _, err := s.DB().Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				r, err := s.VerifyAudit(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if r.OK() {
					t.Fatal("tampering not found")
				}
				if r.Break.Problem != tc.problem || r.Break.ID != tc.id {
					t.Errorf("break = %s at %d (%s), want %s at %d", r.Break.Problem, r.Break.ID, r.Break.Message, tc.problem, tc.id)
				}
			})
		})
	}
}

// TestAuditedActionRollsBackWithItsEntry: when the entry cannot be
// written, the action is not committed either.
func TestAuditedActionRollsBackWithItsEntry(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		if _, err := s.DB().Exec(`DELETE FROM audit_head`); err != nil {
			t.Fatal(err)
		}
		agency := storetest.DefaultAgency(t, s)
		sec := &models.Section{AgencyID: agency.ID, Name: "测试科", Active: true}
		err := s.CreateSection(ctx, sec)
		if err == nil || !strings.Contains(err.Error(), "audit_head") {
			t.Fatalf("create section without an audit head: %v", err)
		}
		sections, _ := s.Sections(ctx, agency.ID)
		for _, x := range sections {
			if x.Name == "测试科" {
				t.Error("section committed without its audit entry")
			}
		}
	})
}
