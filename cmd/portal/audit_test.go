package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

const auditSecret = "audit-command-secret-0123456789-abcdefghijkl"

// auditDB migrates a fresh database on the engine and writes n audit
// entries through the store, as the portal would. It returns the
// environment for run and the store (still open) for tampering.
func auditDB(t *testing.T, d store.Dialect, n int) (func(string) string, *store.Store) {
	t.Helper()
	dsn := storetest.DSN(t, d)
	getenv := env("PORTAL_DB", dsn, "PORTAL_SECRET_KEY", auditSecret)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr.String())
	}
	keys, err := models.NewKeyring([]byte(auditSecret))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: keys, Location: storetest.Shanghai})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := models.NewContextWithActor(context.Background(), models.Actor{UserID: 1, Name: "系统管理员（admin）", ClientIP: "192.0.2.1", AgencyID: 1})
	for i := 0; i < n; i++ {
		if err := st.RecordAudit(ctx, models.AuditEntry{Action: models.AuditApplicationViewed, ObjectType: models.AuditObjectApplication,
			ObjectID: fmt.Sprintf("TLMZ-2026-%06d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	return getenv, st
}

func auditVerify(t *testing.T, getenv func(string) string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"audit", "verify"}, args...), getenv, nil, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func engines(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range []store.Dialect{store.SQLite, store.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			if d == store.MySQL && os.Getenv(storetest.MySQLEnv) == "" {
				t.Skip("MySQL store tests need " + storetest.MySQLEnv + " (see .ci/run)")
			}
			fn(t, d)
		})
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sql   []string
		first int // 0: intact
	}{
		{"intact", nil, 0},
		{"edit a field", []string{`UPDATE audit_log SET object_id = 'TLMZ-2026-000999' WHERE id = 3`}, 3},
		{"reorder two rows", []string{
			`UPDATE audit_log SET id = 100 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 4`,
			`UPDATE audit_log SET id = 4 WHERE id = 100`}, 2},
		{"delete a middle row", []string{`DELETE FROM audit_log WHERE id = 3`}, 4},
		{"delete the last row", []string{`DELETE FROM audit_log WHERE id = 6`}, 6},
		{"delete the last rows", []string{`DELETE FROM audit_log WHERE id >= 4`}, 6},
		{"insert a forged row", []string{
			`INSERT INTO audit_log (id, agency_id, occurred_at, actor_id, actor_name, client_ip, action, object_type, object_id,
				before_data, after_data, prev_mac, mac) SELECT 7, agency_id, occurred_at, actor_id, actor_name, client_ip, action,
				object_type, 'TLMZ-2026-000777', before_data, after_data, mac, mac FROM audit_log WHERE id = 6`}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engines(t, func(t *testing.T, d store.Dialect) {
				getenv, st := auditDB(t, d, 6)
				for _, q := range tc.sql {
					if _, err := st.DB().Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				code, out := auditVerify(t, getenv)
				if tc.first == 0 {
					if code != 0 || !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "6 rows") {
						t.Errorf("intact trail: exit %d\n%s", code, out)
					}
					return
				}
				if code != 1 || !strings.Contains(out, fmt.Sprintf("first broken row: %d ", tc.first)) || !strings.Contains(out, "审计日志校验未通过") {
					t.Errorf("exit %d, want 1 and first broken row %d\n%s", code, tc.first, out)
				}
			})
		})
	}
}

// TestAuditVerifyAnchor: a database rolled back as a whole to an older copy
// has an intact chain, but not the row written down as the anchor.
func TestAuditVerifyAnchor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gongkai.db")
	getenv := env("PORTAL_DB", "sqlite:"+path, "PORTAL_SECRET_KEY", auditSecret)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatal(stderr.String())
	}
	keys, _ := models.NewKeyring([]byte(auditSecret))
	write := func(n int) {
		st, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + path, Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for i := 0; i < n; i++ {
			if err := st.RecordAudit(context.Background(), models.AuditEntry{AgencyID: 1, Action: models.AuditLogout}); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(3)
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write(2)
	code, out := auditVerify(t, getenv)
	m := regexp.MustCompile(`anchor \(write it down outside the database\): (\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.HasPrefix(m[1], "5:") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	if code, out := auditVerify(t, getenv, "-anchor", m[1]); code != 0 {
		t.Errorf("with the anchor before the rollback: exit %d\n%s", code, out)
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out := auditVerify(t, getenv); code != 0 {
		t.Fatalf("the older copy is itself intact: exit %d\n%s", code, out)
	}
	if code, out := auditVerify(t, getenv, "-anchor", m[1]); code != 1 || !strings.Contains(out, "first broken row: 5 (anchor)") {
		t.Errorf("rolled back: exit %d\n%s", code, out)
	}
	if code, _ := auditVerify(t, getenv, "-anchor", "nonsense"); code != 2 {
		t.Errorf("bad anchor: exit %d", code)
	}
	var o, e bytes.Buffer
	if code := run(context.Background(), []string{"audit"}, getenv, nil, &o, &e); code != 2 {
		t.Errorf("portal audit without verify: exit %d", code)
	}
}
