package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// env builds a getenv for run from pairs.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var urlLine = regexp.MustCompile(`正在运行：(http://\S+/)`)

// startPortal runs `portal serve` in the background and returns its URL and
// output; the portal stops when the test ends.
func startPortal(t *testing.T, getenv func(string) string) (url string, stdout *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), stdout, stderr) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlLine.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("portal exited with %d:\n%s\n%s", code, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("portal did not start:\n%s", stderr)
	}
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { stop() })
	return url, stdout, stop
}

func TestFirstRunSeedsOnceAndServesHome(t *testing.T) {
	dir := t.TempDir()
	getenv := env("PORTAL_ADDR", "127.0.0.1:0", "PORTAL_DB", "sqlite:"+filepath.Join(dir, "data", "gongkai.db"))
	url, out, stop := startPortal(t, getenv)
	first := out.String()
	if !strings.Contains(first, "用户名 (username)：admin") || !regexp.MustCompile(`初始密码 \(password\)：\S{16}`).MatchString(first) {
		t.Errorf("first run must print the admin login once:\n%s", first)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "铁岭市民政局") {
		t.Errorf("home page: %d\n%s", resp.StatusCode, body)
	}
	if code := stop(); code != 0 {
		t.Errorf("graceful stop exited %d", code)
	}
	// The generated secret is private to the owner.
	info, err := os.Stat(filepath.Join(dir, "data", "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode = %v, want 0600", info.Mode().Perm())
	}
	if info, err := os.Stat(filepath.Join(dir, "data", "gongkai.db")); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("database file mode = %v (%v), want no access for group and others", info.Mode().Perm(), err)
	}

	// A second start neither reseeds nor prints a password.
	_, out2, _ := startPortal(t, getenv)
	if strings.Contains(out2.String(), "初始密码") {
		t.Errorf("second start printed a password again:\n%s", out2)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	dir := t.TempDir()
	url, _, _ := startPortal(t, env("PORTAL_ADDR", "127.0.0.1:0", "PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db")))
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"healthcheck"}, env("PORTAL_ADDR", addr, "PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db")),
		nil, &stdout, &stderr); code != 0 {
		t.Errorf("healthcheck = %d, %s", code, stderr.String())
	}
	// Nothing listens on port 1.
	if code := run(context.Background(), []string{"healthcheck"}, env("PORTAL_ADDR", "127.0.0.1:1", "PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db")),
		nil, &stdout, &stderr); code == 0 {
		t.Error("healthcheck against nothing exited 0")
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(string) string
		want string
	}{
		{"mysql needs a secret", env("PORTAL_DB", "mysql:u:p@tcp(127.0.0.1:3306)/x"), "PORTAL_SECRET_KEY"},
		{"short secret", env("PORTAL_SECRET_KEY", "short"), "at least 32"},
		{"bad database url", env("PORTAL_DB", "postgres://x"), "PORTAL_DB"},
		{"bad address", env("PORTAL_ADDR", "nonsense"), "PORTAL_ADDR"},
		{"bad time zone", env("PORTAL_TIMEZONE", "Mars/Olympus"), "PORTAL_TIMEZONE"},
		{"secret and file", env("PORTAL_SECRET_KEY", strings.Repeat("x", 40), "PORTAL_SECRET_KEY_FILE", "/nope"), "not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"migrate"}, tc.env, nil, &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tc.want)
			}
		})
	}
}

func TestSecretFromFileAndRedactedLog(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	secret := "file-secret-0123456789-0123456789-abcdefgh"
	os.WriteFile(secretFile, []byte(secret+"\n"), 0o600)
	var stdout, stderr bytes.Buffer
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(dir, "db", "g.db"), "PORTAL_SECRET_KEY_FILE", secretFile,
		"PORTAL_SMTP_PASSWORD", "smtp-pass-xyz")
	cfg, err := loadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.Secret) != secret {
		t.Errorf("secret from file = %q", cfg.Secret)
	}
	newLogger(cfg, &stderr).Info("config", "config", cfg)
	if strings.Contains(stderr.String(), secret) || strings.Contains(stderr.String(), "smtp-pass-xyz") {
		t.Errorf("log shows a secret:\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "db", "secret.key")); err == nil {
		t.Error("a secret file was generated although PORTAL_SECRET_KEY_FILE was set")
	}
	_ = stdout
}

func TestMigrateCreateAdminAndDeadline(t *testing.T) {
	dir := t.TempDir()
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("migrate = %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "00001_init.sql") {
		t.Errorf("migrate output = %q", stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"create-admin", "-username", "wanglei", "-password-stdin"}, getenv,
		strings.NewReader("Correct-horse-42\n"), &stdout, &stderr); code != 0 {
		t.Fatalf("create-admin = %d: %s", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"create-admin", "-username", "wanglei"}, getenv, nil, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "该用户名已被使用") {
		t.Errorf("duplicate create-admin = %d, %q", code, stderr.String())
	}

	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		first string // the due date line
		want  string
	}{
		{"spring festival", []string{"-received", "2026-02-10"}, 0, "2026-03-16", "春节"},
		{"rules vector 2025", []string{"-received", "2025-01-20"}, 0, "2025-02-21", ""},
		{"national day", []string{"-received", "2026-09-18"}, 0, "2026-10-22", "调休"},
		{"extension", []string{"-received", "2026-02-10", "-extend"}, 0, "2026-04-14", "延长"},
		{"no date", []string{}, 2, "", ""},
		{"beyond the calendar", []string{"-received", "2030-06-03"}, 1, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout.Reset()
			stderr.Reset()
			code := run(context.Background(), append([]string{"deadline"}, tc.args...), getenv, nil, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, stderr.String())
			}
			if tc.code != 0 {
				if tc.name == "beyond the calendar" && !strings.Contains(stderr.String(), "2030年的节假日安排尚未载入") {
					t.Errorf("stderr = %q, want the missing-year message", stderr.String())
				}
				return
			}
			first, rest, _ := strings.Cut(stdout.String(), "\n")
			if first != tc.first || !strings.Contains(rest, tc.want) {
				t.Errorf("output = %q, want first line %s and %q", stdout.String(), tc.first, tc.want)
			}
		})
	}
}

func TestCalendarCommands(t *testing.T) {
	dir := t.TempDir()
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"calendar", "list"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("calendar list = %d: %s", code, stderr.String())
	}
	for _, want := range []string{"2024", "2026", "2027", "未核对", "已核对"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("calendar list lacks %q:\n%s", want, stdout.String())
		}
	}
	// Import 2028 (made-up days for the test), then confirm it.
	file := filepath.Join(dir, "2028.txt")
	os.WriteFile(file, []byte("# test schedule\n2028-01-03 holiday 元旦\n2028-01-08 workday 元旦\n"), 0o644)
	stdout.Reset()
	if code := run(context.Background(), []string{"calendar", "import", "-notice", "测试通知", file}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("calendar import = %d: %s", code, stderr.String())
	}
	if code := run(context.Background(), []string{"calendar", "confirm", "2028"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("calendar confirm = %d: %s", code, stderr.String())
	}
	stdout.Reset()
	run(context.Background(), []string{"calendar", "list"}, getenv, nil, &stdout, &stderr)
	if !regexp.MustCompile(`2028\s+已核对`).MatchString(stdout.String()) {
		t.Errorf("2028 not confirmed:\n%s", stdout.String())
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("2028-01-03 holiday 元旦\n2029-01-01 holiday 元旦\n"), 0o644)
	stderr.Reset()
	if code := run(context.Background(), []string{"calendar", "import", bad}, getenv, nil, &stdout, &stderr); code == 0 ||
		!strings.Contains(stderr.String(), "one year per file") {
		t.Errorf("import spanning two years = %d, %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"calendar", "confirm", "2031"}, getenv, nil, &stdout, &stderr); code == 0 {
		t.Error("confirming a year that is not loaded exited 0")
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("migrate: %s", stderr.String())
	}
	out := filepath.Join(dir, "copy.db")
	if code := run(context.Background(), []string{"backup", out}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("backup = %d: %s", code, stderr.String())
	}
	if info, err := os.Stat(out); err != nil || info.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	if code := run(context.Background(), []string{"backup", out}, getenv, nil, &stdout, &stderr); code == 0 {
		t.Error("a second backup over the same file exited 0")
	}
	stderr.Reset()
	mysql := env("PORTAL_DB", "mysql:u:p@tcp(127.0.0.1:1)/x", "PORTAL_SECRET_KEY", strings.Repeat("k", 40))
	if code := run(context.Background(), []string{"backup", out + "2"}, mysql, nil, &stdout, &stderr); code == 0 {
		t.Error("backup of an unreachable MySQL exited 0")
	}
}

func TestAPIClientCommand(t *testing.T) {
	dir := t.TempDir()
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(dir, "gongkai.db"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"api-client", "create", "-name", "辽宁政务服务网", "-rate", "30"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("create = %d: %s", code, stderr.String())
	}
	key := regexp.MustCompile(`gkp_[A-Za-z0-9_-]{43}`).FindString(stdout.String())
	if key == "" {
		t.Fatalf("no key printed:\n%s", stdout.String())
	}
	stdout.Reset()
	run(context.Background(), []string{"api-client", "list"}, getenv, nil, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "辽宁政务服务网") || !strings.Contains(stdout.String(), "有效") || strings.Contains(stdout.String(), key) {
		t.Errorf("list = %q: want the platform, active, and never the key", stdout.String())
	}
	if code := run(context.Background(), []string{"api-client", "revoke", "1"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("revoke = %d: %s", code, stderr.String())
	}
	stdout.Reset()
	run(context.Background(), []string{"api-client", "list"}, getenv, nil, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "已吊销") {
		t.Errorf("after revoke: %q", stdout.String())
	}
	if code := run(context.Background(), []string{"api-client", "create", "-name", ""}, getenv, nil, &stdout, &stderr); code == 0 {
		t.Error("create without a name exited 0")
	}
}
