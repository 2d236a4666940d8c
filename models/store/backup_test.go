package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestBackupDuringWrites takes a backup while submitters write at full
// speed: the copy passes integrity_check and holds every application
// acknowledged (committed) before the backup began.
func TestBackupDuringWrites(t *testing.T) {
	s, _ := storetest.Open(t, store.SQLite, storetest.Options{})
	ctx := context.Background()
	agency := storetest.DefaultAgency(t, s)

	var (
		mu        sync.Mutex
		acked     []string // numbers returned to submitters, in order
		stop      atomic.Bool
		wg        sync.WaitGroup
		submitErr atomic.Value
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				sub, err := s.SubmitApplication(ctx, &store.NewApplication{AgencyID: agency.ID,
					Applicant:   models.Applicant{Kind: models.ApplicantPerson, Name: "备份测试"},
					Application: models.Application{Channel: models.ChannelOnline, Title: "备份期间提交"},
					ActorKind:   models.ActorApplicant})
				if err != nil {
					submitErr.Store(err)
					return
				}
				mu.Lock()
				acked = append(acked, sub.Application.Number)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.BackupTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if err, _ := submitErr.Load().(error); err != nil {
		t.Fatalf("submitting during the backup: %v", err)
	}
	if len(before) == 0 {
		t.Fatal("no application was acknowledged before the backup: the test proves nothing")
	}

	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v (%v), want 0600", info.Mode().Perm(), err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	have := map[string]bool{}
	rows, err := db.Query(`SELECT number FROM applications`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		have[n] = true
	}
	rows.Close()
	for _, n := range before {
		if !have[n] {
			t.Errorf("backup lacks %s, acknowledged before the backup began", n)
		}
	}
	t.Logf("%d applications acknowledged before the backup, %d in it", len(before), len(have))

	// A second backup to the same file is refused rather than overwriting.
	if err := s.BackupTo(ctx, path); err == nil {
		t.Error("backup over an existing file succeeded")
	}
}
