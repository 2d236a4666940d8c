package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestJobsCommand: `portal jobs run` runs the daily job once a day through
// its lease; -force runs it again; unknown names are refused.
func TestJobsCommand(t *testing.T) {
	getenv := env("PORTAL_DB", "sqlite:"+filepath.Join(t.TempDir(), "gongkai.db"))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, getenv, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("migrate = %d: %s", code, stderr.String())
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"jobs", "run"}, 0, "daily: 完成：期限届满：补正0件"},
		{[]string{"jobs", "run"}, 0, "daily: 今天已运行过"},
		{[]string{"jobs", "run", "-force", "daily"}, 0, "daily: 完成"},
		{[]string{"jobs", "run", "nightly"}, 2, `unknown job "nightly"`},
		{[]string{"jobs"}, 2, "usage: portal jobs run"},
	} {
		stdout.Reset()
		stderr.Reset()
		code := run(context.Background(), tc.args, getenv, nil, &stdout, &stderr)
		if out := stdout.String() + stderr.String(); code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v = %d, %q; want %d and %q", tc.args, code, out, tc.code, tc.want)
		}
	}
}
