package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestDurabilitySettings: an application counts as accepted only once it
// is on disk. Every pooled connection runs SQLite with synchronous=FULL in
// WAL mode; MySQL's InnoDB flushes its log at every commit.
func TestDurabilitySettings(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		// Hold several connections at once so that the pool opens more
		// than one, and check each.
		const n = 4
		conns := make([]*sql.Conn, n)
		for i := range conns {
			c, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			conns[i] = c
		}
		for i, c := range conns {
			switch s.Dialect() {
			case store.SQLite:
				var sync, fk int
				var journal string
				c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
				c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal)
				c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
				if sync != 2 || journal != "wal" || fk != 1 {
					t.Errorf("connection %d: synchronous=%d journal_mode=%s foreign_keys=%d; want 2 (FULL), wal, 1", i, sync, journal, fk)
				}
			case store.MySQL:
				var flush int
				if err := c.QueryRowContext(ctx, `SELECT @@innodb_flush_log_at_trx_commit`).Scan(&flush); err != nil {
					t.Fatal(err)
				}
				if flush != 1 {
					t.Errorf("connection %d: innodb_flush_log_at_trx_commit=%d, want 1", i, flush)
				}
			}
		}
	})
}

// TestCommitFailureGivesNoNumber: when the commit of a submission fails,
// the submitter gets an error and no number, nothing is stored, and the
// number is not used up.
func TestCommitFailureGivesNoNumber(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		s.SetCommitHook(storetest.FailCommit(s))
		var wg sync.WaitGroup
		errs := make([]error, 5)
		subs := make([]*store.Submitted, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				subs[i], errs[i] = s.SubmitApplication(ctx, &store.NewApplication{AgencyID: agency.ID,
					Applicant:   models.Applicant{Kind: models.ApplicantPerson, Name: "张三"},
					Application: models.Application{Channel: models.ChannelOnline, Title: "提交失败测试"},
					ActorKind:   models.ActorApplicant})
			}()
		}
		wg.Wait()
		for i := range errs {
			if errs[i] == nil || subs[i] != nil {
				t.Errorf("submission %d: %v, %v; want an error and no number", i, subs[i], errs[i])
			}
		}
		s.SetCommitHook(nil)
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM applications`).Scan(&n); err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("applications stored after failed commits: %d", n)
		}
		sub := storetest.MustSubmit(t, s, agency.ID, "之后的申请")
		if !strings.HasSuffix(sub.Application.Number, "-000001") {
			t.Errorf("next number %s: a failed commit must not use up a number", sub.Application.Number)
		}
	})
}
