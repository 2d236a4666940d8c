package store_test

import (
	"context"
	"testing"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	my, err := store.Migrations(store.MySQL)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(my) {
		t.Fatalf("sqlite has %d migrations, mysql %d: every change needs a file in both folders", len(lite), len(my))
	}
	for i := range lite {
		if lite[i].Name != my[i].Name {
			t.Errorf("migration %d: sqlite %q, mysql %q: names must match", i+1, lite[i].Name, my[i].Name)
		}
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			s, _ := storetest.Open(t, d, storetest.Options{NoSeed: true})
			ctx := context.Background()
			pending, err := s.PendingMigrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if pending != 0 {
				t.Errorf("pending after Migrate = %d, want 0", pending)
			}
			// Running again applies nothing.
			again, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != 0 {
				t.Errorf("second Migrate applied %v, want nothing", again)
			}
			for _, table := range []string{"agencies", "agency_settings", "sections", "users", "user_roles",
				"user_sections", "sessions", "applicants", "applications", "application_events", "attachments",
				"calendar_years", "calendar_days", "notices", "sequences", "audit_log", "audit_head", "rate_limits"} {
				var n int
				if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
					t.Errorf("table %s: %v", table, err)
				}
			}
		})
	}
}

func TestPendingMigrationsOnEmptyDatabase(t *testing.T) {
	s, err := store.Open(context.Background(), store.Config{DSN: storetest.DSN(t, store.SQLite), Keys: storetest.Keys(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, _ := store.Migrations(store.SQLite)
	got, err := s.PendingMigrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != len(all) {
		t.Errorf("pending on an empty database = %d, want %d", got, len(all))
	}
}

func TestConcurrentMigrate(t *testing.T) {
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			errs := make(chan error, 4)
			for range 4 {
				go func() {
					s, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: storetest.Keys(t)})
					if err != nil {
						errs <- err
						return
					}
					defer s.Close()
					_, err = s.Migrate(context.Background())
					errs <- err
				}()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Errorf("concurrent migrate: %v", err)
				}
			}
		})
	}
}
