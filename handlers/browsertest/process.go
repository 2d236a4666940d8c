package browsertest

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// killLeftovers kills the Chromium helper processes (zygote, network service,
// renderers) that still run with profile as their --user-data-dir after the
// main process has gone. chromedp does this for the profiles it creates, but
// not for one we pass in; a helper that lives on writes into the profile and
// makes t.TempDir's removal fail with "directory not empty". The profile path
// is unique to the test, so only processes this test started match.
func killLeftovers(profile string) {
	want := []byte("--user-data-dir=" + profile + "\x00")
	deadline := time.Now().Add(2 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		found := 0
		entries, _ := os.ReadDir("/proc") // not Linux: nothing to do
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
			if err != nil || !bytes.Contains(cmdline, want) {
				continue
			}
			found++
			if p, err := os.FindProcess(pid); err == nil {
				_ = p.Kill()
			}
		}
		if found == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}
