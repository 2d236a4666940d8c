package store_test

import (
	"context"
	"testing"
	"time"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestFirstAgencySeesEveryEdit: the cached agency row is used only while
// it is current: an edit made through this store or through another one
// on the same database (another portal process) is seen at the next read.
func TestFirstAgencySeesEveryEdit(t *testing.T) {
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			clock := storetest.NewClock(time.Date(2026, 2, 10, 9, 30, 0, 0, storetest.Shanghai))
			open := func() *store.Store {
				s, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: storetest.Keys(t), Location: storetest.Shanghai, Now: clock.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			ctx := context.Background()
			one := open()
			if _, err := one.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := one.Seed(ctx); err != nil {
				t.Fatal(err)
			}
			two := open()
			for i, c := range []struct {
				by    *store.Store
				phone string
			}{{one, "024-11111111"}, {one, "024-22222222"}, {two, "024-33333333"}} {
				if _, err := one.FirstAgency(ctx); err != nil { // fill the cache
					t.Fatal(err)
				}
				a, err := c.by.FirstAgency(ctx)
				if err != nil {
					t.Fatal(err)
				}
				a.Phone = c.phone
				if c.by == two {
					clock.Advance(time.Second) // another process writes a later updated_at
				}
				if err := c.by.UpdateAgency(ctx, a); err != nil {
					t.Fatal(err)
				}
				got, err := one.FirstAgency(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got.Phone != c.phone {
					t.Errorf("edit %d: phone %q, want %q", i, got.Phone, c.phone)
				}
				got.Phone = "changed by the caller"
				if again, _ := one.FirstAgency(ctx); again.Phone != c.phone {
					t.Errorf("edit %d: a caller's change leaked into the cache: %q", i, again.Phone)
				}
			}
		})
	}
}
