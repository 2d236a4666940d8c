package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// These tests run the real binary as separate processes: a crash is a
// SIGKILL, two instances are two processes on one database.

var portalBinary struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildPortal builds this command once per test run.
func buildPortal(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the portal binary; skipped with -short")
	}
	portalBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "gongkai-portal-bin")
		if err != nil {
			portalBinary.err = err
			return
		}
		portalBinary.path = filepath.Join(dir, "portal")
		cmd := exec.Command("go", "build", "-o", portalBinary.path, ".")
		portalBinary.out, portalBinary.err = cmd.CombinedOutput()
	})
	if portalBinary.err != nil {
		t.Fatalf("go build: %v\n%s", portalBinary.err, portalBinary.out)
	}
	return portalBinary.path
}

// process is a running portal.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
}

var urlRE = regexp.MustCompile(`正在运行：(http://\S+/)`)

func startProcess(t *testing.T, bin string, env []string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-time.After(60 * time.Second):
		t.Fatalf("portal did not start:\n%s", p.stderr)
	}
	return p
}

func runCLI(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("portal %v: %v\n%s", args, err, out)
	}
	return string(out)
}

var keyRE = regexp.MustCompile(`gkp_[A-Za-z0-9_-]{43}`)

// submitter files applications through the JSON API as fast as it can
// and records every number the portal acknowledged.
type submitter struct {
	mu    sync.Mutex
	acked []string
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startSubmitting(key string, workers int, urls ...string) *submitter {
	s := &submitter{stop: make(chan struct{})}
	body, _ := json.Marshal(map[string]string{"applicant_type": "person", "name": "张三", "id_type": "resident_id",
		"id_number": "110101199003074477", "phone": "13812345678", "title": "压力测试申请",
		"form_wanted": "electronic", "delivery": "online"})
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < workers; w++ {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-s.stop:
					return
				default:
				}
				url := urls[(w+i)%len(urls)]
				req, _ := http.NewRequest("POST", url+"api/v1/applications", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					time.Sleep(5 * time.Millisecond)
					continue
				}
				var out struct{ Number string }
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && json.Unmarshal(b, &out) == nil && out.Number != "" {
					s.mu.Lock()
					s.acked = append(s.acked, out.Number)
					s.mu.Unlock()
				}
			}
		}()
	}
	return s
}

func (s *submitter) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.acked) }

func (s *submitter) finish() []string {
	close(s.stop)
	s.wg.Wait()
	return s.acked
}

// waitAcked waits until at least n applications were acknowledged.
func waitAcked(t *testing.T, s *submitter, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for s.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d applications acknowledged in 60 s", s.count())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storedNumbers reads every application number from the database.
func storedNumbers(t *testing.T, dsn string) []string {
	t.Helper()
	keys, err := models.NewKeyring(storetest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query(`SELECT number FROM applications ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// checkContiguous asserts that the stored numbers are 1..N of one year,
// with no gap and no duplicate, and that every acknowledged number is
// among them.
func checkContiguous(t *testing.T, stored, acked []string) {
	t.Helper()
	have := map[string]bool{}
	for i, n := range stored {
		if have[n] {
			t.Errorf("number %s stored twice", n)
		}
		have[n] = true
		if want := fmt.Sprintf("-%06d", i+1); !strings.HasSuffix(n, want) {
			t.Errorf("stored numbers have a gap or are out of order at %d: %s", i+1, n)
			break
		}
	}
	lost := 0
	for _, n := range acked {
		if !have[n] {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged application %s is not in the database", n)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged applications lost", lost, len(acked))
	}
}

func portalEnv(dsn string) []string {
	return []string{"PORTAL_ADDR=127.0.0.1:0", "PORTAL_DB=" + dsn, "PORTAL_SECRET_KEY=" + string(storetest.Secret),
		"PORTAL_LOG_LEVEL=warn"}
}

// TestCrashLosesNoAcknowledgedApplication drives submissions at full
// speed, SIGKILLs the portal mid-run, restarts it, and finds every
// application whose number was returned. A killed process does not lose
// the operating system's page cache, so this proves that no number is
// returned before its commit (and that a crash leaves no gap); that the
// commit is on disk is what TestDurabilitySettings asserts.
func TestCrashLosesNoAcknowledgedApplication(t *testing.T) {
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			bin := buildPortal(t)
			dsn := storetest.DSN(t, d)
			env := portalEnv(dsn)
			key := keyRE.FindString(runCLI(t, bin, env, "api-client", "create", "-name", "压力测试平台", "-rate", "100000"))
			if key == "" {
				t.Fatal("no API key printed")
			}
			p := startProcess(t, bin, env)
			sub := startSubmitting(key, 16, p.url)
			waitAcked(t, sub, 200)
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			p.cmd.Wait()
			acked := sub.finish()
			t.Logf("%d applications acknowledged before the SIGKILL", len(acked))

			// Restart on the same database: it must come up and hold every
			// acknowledged application.
			p2 := startProcess(t, bin, env)
			if resp, err := http.Get(p2.url + "readyz"); err != nil || resp.StatusCode != 200 {
				t.Fatalf("restarted portal not ready: %v %v", resp, err)
			}
			p2.cmd.Process.Signal(syscall.SIGTERM)
			p2.cmd.Wait()
			checkContiguous(t, storedNumbers(t, dsn), acked)
		})
	}
}

// TestTwoProcessesOnOneMariaDB starts two portals on one fresh MariaDB
// database at once (concurrent migration and seeding), files applications
// through both, and checks that numbers have no gap or duplicate and that
// each daily job ran once.
func TestTwoProcessesOnOneMariaDB(t *testing.T) {
	if os.Getenv(storetest.MySQLEnv) == "" {
		t.Skip("two-instance test needs " + storetest.MySQLEnv + " (see .ci/run)")
	}
	bin := buildPortal(t)
	dsn := storetest.DSN(t, store.MySQL)
	env := portalEnv(dsn)
	var wg sync.WaitGroup
	procs := make([]*process, 2)
	for i := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); procs[i] = startProcess(t, bin, env) }()
	}
	wg.Wait()
	key := keyRE.FindString(runCLI(t, bin, env, "api-client", "create", "-name", "双实例测试", "-rate", "100000"))
	sub := startSubmitting(key, 16, procs[0].url, procs[1].url)
	waitAcked(t, sub, 300)
	acked := sub.finish()
	stored := storedNumbers(t, dsn)
	if len(stored) != len(acked) {
		t.Errorf("%d stored, %d acknowledged: every acknowledged submission is stored once", len(stored), len(acked))
	}
	sort.Strings(acked)
	checkContiguous(t, stored, acked)

	// Both processes tried the daily jobs at start; each ran once today.
	keys, _ := models.NewKeyring(storetest.Secret)
	st, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query(`SELECT name, COUNT(*) FROM job_runs GROUP BY name, day`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	jobs := 0
	for rows.Next() {
		var name string
		var n int
		rows.Scan(&name, &n)
		jobs++
		if n != 1 {
			t.Errorf("job %s ran %d times today on two processes, want once", name, n)
		}
	}
	if jobs == 0 {
		t.Error("no daily job ran")
	}
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("graceful stop: %v\n%s", err, p.stderr)
		}
	}
}
