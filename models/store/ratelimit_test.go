package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

var fivePer15 = store.RateLimit{Max: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

func TestRateLimitLocksAndExpires(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		b := s.RateBucket("track-number", "TLMZ-2026-000001")
		for i := 1; i <= 4; i++ {
			until, err := s.RateLimitHit(ctx, b, fivePer15)
			if err != nil || !until.IsZero() {
				t.Fatalf("failure %d: until %v, err %v; want no lockout yet", i, until, err)
			}
		}
		if until, err := s.RateLimited(ctx, b); err != nil || !until.IsZero() {
			t.Fatalf("after 4 failures RateLimited = %v, %v", until, err)
		}
		until, err := s.RateLimitHit(ctx, b, fivePer15)
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Add(15 * time.Minute); !until.Equal(want) {
			t.Fatalf("5th failure: locked until %v, want %v", until, want)
		}
		got, err := s.RateLimited(ctx, b)
		if err != nil || !got.Equal(until) {
			t.Fatalf("RateLimited = %v, %v; want %v", got, err, until)
		}
		// Further failures while locked do not extend the lockout.
		clock.Advance(5 * time.Minute)
		if again, _ := s.RateLimitHit(ctx, b, fivePer15); !again.Equal(until) {
			t.Errorf("hit while locked moved the lockout to %v", again)
		}
		// A success does not lift a lockout.
		if err := s.RateLimitReset(ctx, b); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.RateLimited(ctx, b); !got.Equal(until) {
			t.Errorf("reset lifted the lockout")
		}
		clock.Advance(10*time.Minute + time.Second)
		if got, _ := s.RateLimited(ctx, b); !got.IsZero() {
			t.Errorf("still locked after the lockout: %v", got)
		}
		// A fresh budget after the lockout.
		if got, _ := s.RateLimitHit(ctx, b, fivePer15); !got.IsZero() {
			t.Errorf("first failure after the lockout locked again")
		}
		// Other buckets are untouched.
		if got, _ := s.RateLimited(ctx, s.RateBucket("track-number", "TLMZ-2026-000002")); !got.IsZero() {
			t.Error("another number is locked")
		}
	})
}

func TestRateLimitWindowSlides(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		b := s.RateBucket("track-ip", "192.0.2.7")
		for range 4 {
			s.RateLimitHit(ctx, b, fivePer15)
		}
		clock.Advance(16 * time.Minute) // the window has passed: count from zero
		for i := 1; i <= 4; i++ {
			if until, _ := s.RateLimitHit(ctx, b, fivePer15); !until.IsZero() {
				t.Fatalf("failure %d of a new window locked", i)
			}
		}
		// A reset after a success forgets the failures.
		if err := s.RateLimitReset(ctx, b); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 4; i++ {
			if until, _ := s.RateLimitHit(ctx, b, fivePer15); !until.IsZero() {
				t.Fatalf("failure %d after reset locked", i)
			}
		}
	})
}

// TestRateLimitConcurrent: failures from many goroutines (standing in for
// several portal processes) all count: exactly one of them sets the lock.
func TestRateLimitConcurrent(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		b := s.RateBucket("track-number", "TLMZ-2026-000009")
		limit := store.RateLimit{Max: 20, Window: time.Hour, Lockout: time.Hour}
		var wg sync.WaitGroup
		var mu sync.Mutex
		locked := 0
		for range 20 {
			wg.Go(func() {
				until, err := s.RateLimitHit(ctx, b, limit)
				if err != nil {
					t.Error(err)
					return
				}
				if !until.IsZero() {
					mu.Lock()
					locked++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if locked != 1 {
			t.Errorf("%d of 20 concurrent failures saw the lock set, want exactly the 20th", locked)
		}
		if until, _ := s.RateLimited(ctx, b); until.IsZero() {
			t.Error("20 failures did not lock")
		}
	})
}

func TestRateBucketIsKeyedHash(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		for _, v := range []string{"198.51.100.23", "TLMZ-2026-000001", "13812345678"} {
			b := s.RateBucket("scope", v)
			if strings.Contains(b, v) || len(b) > 100 {
				t.Errorf("bucket %q shows the value or is too long", b)
			}
			if _, err := s.RateLimitHit(ctx, b, fivePer15); err != nil {
				t.Fatal(err)
			}
		}
		if s.RateBucket("a", "x") == s.RateBucket("b", "x") {
			t.Error("scopes share buckets")
		}
		rows, err := s.DB().QueryContext(ctx, `SELECT bucket FROM rate_limits`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var b string
			rows.Scan(&b)
			for _, v := range []string{"198.51.100.23", "13812345678", "000001"} {
				if strings.Contains(b, v) {
					t.Errorf("stored bucket %q contains %q", b, v)
				}
			}
		}
		clock.Advance(time.Hour)
		if n, err := s.PurgeRateLimits(ctx, 30*time.Minute); err != nil || n != 3 {
			t.Errorf("purge = %d, %v; want 3", n, err)
		}
	})
}
