package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestTrackRevocations: a revoked tracking session is reported revoked by
// every store on the database, others are not, the table holds only a
// hash of the id, revoking twice is harmless, and the daily job deletes the
// record once the session has ended, not before.
func TestTrackRevocations(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		// A second portal process on the same database.
		other, err := store.Open(ctx, store.Config{DSN: s.DSN(), Keys: storetest.Keys(t),
			Location: storetest.Shanghai, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()

		gone, kept := store.NewTrackSessionID(), store.NewTrackSessionID()
		if gone == kept || len(gone) < 20 || strings.ContainsAny(gone, ".|") {
			t.Fatalf("session ids %q, %q: want distinct, long, without '.' or '|'", gone, kept)
		}
		end := clock.Now().Add(4 * time.Hour)
		for i := range 2 { // the second time is a no-op, not an error
			if err := s.RevokeTrackSession(ctx, gone, end); err != nil {
				t.Fatalf("revoke %d: %v", i+1, err)
			}
		}
		for name, st := range map[string]*store.Store{"same process": s, "other process": other} {
			if r, err := st.TrackSessionRevoked(ctx, gone); err != nil || !r {
				t.Errorf("%s: revoked session reported %v, %v; want revoked", name, r, err)
			}
			if r, err := st.TrackSessionRevoked(ctx, kept); err != nil || r {
				t.Errorf("%s: live session reported %v, %v; want not revoked", name, r, err)
			}
		}
		var hash string
		if err := s.DB().QueryRowContext(ctx, `SELECT session_hash FROM track_revocations`).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if hash != store.HashSessionToken(gone) || strings.Contains(hash, gone) {
			t.Errorf("stored %q: want only the SHA-256 of the id", hash)
		}
		if err := s.RevokeTrackSession(ctx, "", end); err == nil {
			t.Errorf("revoking an empty id: no error")
		}

		// Up to the session's end the record stays, even through the daily job.
		clock.Advance(4*time.Hour - time.Second)
		if _, err := s.DailyJob(ctx); err != nil {
			t.Fatal(err)
		}
		if r, _ := other.TrackSessionRevoked(ctx, gone); !r {
			t.Fatalf("revocation purged before the session's end")
		}
		clock.Advance(time.Second)
		summary, err := s.DailyJob(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(summary, "已退出的查询会话1条") {
			t.Errorf("daily job summary %q does not count the purged revocation", summary)
		}
		if n := countTrackRevocations(t, s); n != 0 {
			t.Errorf("%d revocations left after the session's end, want 0", n)
		}
		if n, err := s.PurgeTrackRevocations(ctx); err != nil || n != 0 {
			t.Errorf("second purge: %d, %v; want 0, nil", n, err)
		}
	})
}

func countTrackRevocations(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM track_revocations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
