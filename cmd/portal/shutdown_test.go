package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestGracefulShutdownFinishesInFlightRequest starts the portal, begins
// an application with a 2 MB file through the JSON API and sends its body
// slowly. Halfway, the portal gets SIGTERM: from then on new connections
// are refused, but the process waits for the upload, which completes with
// 201 and a number; then the process exits 0, and the application is in
// the database.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	bin := buildPortal(t)
	dsn := storetest.DSN(t, store.SQLite)
	env := portalEnv(dsn)
	key := keyRE.FindString(runCLI(t, bin, env, "api-client", "create", "-name", "停机测试平台", "-rate", "100"))
	if key == "" {
		t.Fatal("no API key printed")
	}
	p := startProcess(t, bin, env)
	u, err := url.Parse(p.url)
	if err != nil {
		t.Fatal(err)
	}

	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("% padding of a large scan, sent slowly\n"), 2<<20/40)...)
	pdf = append(pdf, "%%EOF\n"...)
	body, _ := json.Marshal(map[string]any{"applicant_type": "person", "name": "张三", "id_type": "resident_id",
		"id_number": "110101199003074477", "phone": "13812345678", "title": "停机时正在上传的申请",
		"form_wanted": "electronic", "delivery": "online",
		"files": []map[string]string{{"kind": "supporting", "filename": "扫描件.pdf", "content": base64.StdEncoding.EncodeToString(pdf)}}})

	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Expect: 100-continue makes the server answer once the handler starts
	// reading the body: from then on the request is in flight for certain
	// (a connection still waiting in the listen backlog when the listener
	// closes was never the server's, and the test would race with it).
	fmt.Fprintf(conn, "POST /api/v1/applications HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", u.Host, key, len(body))
	answers := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if line, err := answers.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("no 100 Continue: %q %v\n%s", line, err, p.stderr)
	}
	if blank, err := answers.ReadString('\n'); err != nil || strings.TrimSpace(blank) != "" {
		t.Fatalf("after 100 Continue: %q %v", blank, err)
	}
	half := len(body) / 2
	if _, err := conn.Write(body[:half]); err != nil {
		t.Fatal(err)
	}

	exited := make(chan error, 1)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go func() { exited <- p.cmd.Wait() }()

	// New connections are refused once the portal stops listening.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the portal still accepts connections 10 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The rest of the body, slowly; the process must wait for it.
	rest := body[half:]
	const chunks = 10
	for i := 0; i < chunks; i++ {
		select {
		case err := <-exited:
			t.Fatalf("the portal exited (%v) with a request in flight:\n%s", err, p.stderr)
		default:
		}
		part := rest[i*len(rest)/chunks : (i+1)*len(rest)/chunks]
		if _, err := conn.Write(part); err != nil {
			t.Fatalf("sending the rest of the upload after SIGTERM: %v\n%s", err, p.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(answers, nil)
	if err != nil {
		t.Fatalf("no answer to the in-flight request: %v\n%s", err, p.stderr)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var out struct{ Number string }
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &out) != nil || !strings.HasPrefix(out.Number, "TLMZ-") {
		t.Fatalf("in-flight request: %d %s", resp.StatusCode, raw)
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the portal did not exit 0: %v\n%s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the portal did not exit after its last request:\n%s", p.stderr)
	}
	stored := storedNumbers(t, dsn)
	if len(stored) != 1 || stored[0] != out.Number {
		t.Errorf("stored %v, want the application acknowledged during the shutdown, %s", stored, out.Number)
	}
}
