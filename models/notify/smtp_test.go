package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"gongkai/models/notify"
)

// sink is an in-process SMTP server (emersion/go-smtp) that keeps what it
// receives, for a real SMTP conversation in tests.
type sink struct {
	mu       sync.Mutex
	msgs     []received
	user     string // required credentials; "" accepts anonymous mail
	password string
}

type received struct {
	from, to string
	data     []byte
	tls      bool
	authed   bool
}

func (s *sink) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{sink: s, tls: isTLS}, nil
}

type session struct {
	sink     *sink
	tls      bool
	authed   bool
	from, to string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.sink.user || password != s.sink.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if s.sink.user != "" && !s.authed {
		return gosmtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error { s.to = to; return nil }

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.msgs = append(s.sink.msgs, received{from: s.from, to: s.to, data: b, tls: s.tls, authed: s.authed})
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// selfSigned returns a certificate for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

// startSink serves the sink on 127.0.0.1:0; implicit wraps the listener in
// TLS from the first byte, startTLS offers STARTTLS.
func startSink(t *testing.T, sk *sink, serverTLS *tls.Config, implicit bool) string {
	t.Helper()
	srv := gosmtp.NewServer(sk)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = slogErrorLog{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, serverTLS)
	} else {
		srv.TLSConfig = serverTLS
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

type slogErrorLog struct{}

func (slogErrorLog) Printf(string, ...any) {}
func (slogErrorLog) Println(...any)        {}

// decode parses a received message and returns its decoded subject, From
// and body.
func decode(t *testing.T, raw []byte) (subject, from, body string, h mail.Header) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, raw)
	}
	dec := new(mime.WordDecoder)
	subject, err = dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	from, _ = dec.DecodeHeader(m.Header.Get("From"))
	if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "base64" {
		t.Fatalf("Content-Transfer-Encoding = %q", cte)
	}
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, from, string(b), m.Header
}

const (
	testSubject = "【铁岭市民政局】政府信息公开申请已提交（申请编号 TLMZ-2026-000001）"
	testBody    = "您好：\n\n申请编号：TLMZ-2026-000001\n查询码：ABCDE-FGHJK\n\n这是一封很长的中文邮件，用于检查base64编码按76个字符换行后，收件方能够完整还原每一个汉字。"
)

func TestSMTPSender(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	for _, tc := range []struct {
		name     string
		mode     notify.TLSMode
		user     string
		implicit bool
		wantTLS  bool
	}{
		{"plain relay", notify.NoTLS, "", false, false},
		{"plain with auth on localhost", notify.NoTLS, "gongkai", false, false},
		{"starttls with auth", notify.StartTLS, "gongkai", false, true},
		{"implicit tls with auth", notify.ImplicitTLS, "gongkai", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sk := &sink{user: tc.user, password: "s3cret-密码"}
			addr := startSink(t, sk, serverTLS, tc.implicit)
			s, err := notify.NewSMTPSender(notify.SMTPConfig{
				Addr: addr, Username: tc.user, Password: "s3cret-密码", From: "gongkai@tlmz.example.gov.cn",
				FromName: "铁岭市民政局", TLS: tc.mode, TLSConfig: clientTLS,
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SendMail(context.Background(), "zhangsan@example.com", testSubject, testBody); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			msgs := sk.messages()
			if len(msgs) != 1 {
				t.Fatalf("sink got %d messages", len(msgs))
			}
			m := msgs[0]
			if m.from != "gongkai@tlmz.example.gov.cn" || m.to != "zhangsan@example.com" {
				t.Errorf("envelope %s → %s", m.from, m.to)
			}
			if m.tls != tc.wantTLS || m.authed != (tc.user != "") {
				t.Errorf("tls %v authed %v, want %v %v", m.tls, m.authed, tc.wantTLS, tc.user != "")
			}
			for _, line := range strings.Split(string(m.data), "\r\n") {
				if len(line) > 78 {
					t.Errorf("line longer than 78 octets: %q", line)
				}
				for _, c := range []byte(line) {
					if c >= 0x80 {
						t.Fatalf("8-bit byte in the message: %q", line)
					}
				}
			}
			subject, from, body, h := decode(t, m.data)
			if subject != testSubject {
				t.Errorf("subject = %q", subject)
			}
			if from != "\"铁岭市民政局\" <gongkai@tlmz.example.gov.cn>" && from != "铁岭市民政局 <gongkai@tlmz.example.gov.cn>" {
				t.Errorf("From = %q", from)
			}
			if body != strings.ReplaceAll(testBody, "\n", "\r\n") {
				t.Errorf("body = %q", body)
			}
			for _, k := range []string{"Date", "Message-Id", "Mime-Version", "Auto-Submitted"} {
				if h.Get(k) == "" {
					t.Errorf("no %s header", k)
				}
			}
			if ct := h.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestSMTPSenderFailures(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	t.Run("wrong password", func(t *testing.T) {
		sk := &sink{user: "gongkai", password: "right"}
		addr := startSink(t, sk, serverTLS, false)
		s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: addr, Username: "gongkai", Password: "wrong",
			From: "a@example.gov.cn", TLS: notify.StartTLS, TLSConfig: clientTLS})
		if err := s.SendMail(context.Background(), "b@example.com", "s", "b"); err == nil || !strings.Contains(err.Error(), "AUTH") {
			t.Errorf("err = %v, want an AUTH failure", err)
		}
		if len(sk.messages()) != 0 {
			t.Error("message delivered despite failed auth")
		}
	})
	t.Run("starttls not offered", func(t *testing.T) {
		sk := &sink{}
		addr := startSink(t, sk, nil, false)
		s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: addr, From: "a@example.gov.cn", TLS: notify.StartTLS})
		if err := s.SendMail(context.Background(), "b@example.com", "s", "b"); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Errorf("err = %v, want a refusal to send in clear", err)
		}
		if len(sk.messages()) != 0 {
			t.Error("message sent in clear")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		sk := &sink{}
		addr := startSink(t, sk, serverTLS, true)
		s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: addr, From: "a@example.gov.cn", TLS: notify.ImplicitTLS})
		if err := s.SendMail(context.Background(), "b@example.com", "s", "b"); err == nil {
			t.Error("sent to a server whose certificate is not trusted")
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: addr, From: "a@example.gov.cn", TLS: notify.NoTLS, Timeout: 2 * time.Second})
		if err := s.SendMail(context.Background(), "b@example.com", "s", "b"); err == nil {
			t.Error("no error without a server")
		}
	})
	t.Run("header injection", func(t *testing.T) {
		sk := &sink{}
		addr := startSink(t, sk, nil, false)
		s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: addr, From: "a@example.gov.cn", TLS: notify.NoTLS})
		for _, tc := range []struct{ to, subject string }{
			{"b@example.com\r\nBcc: c@example.com", "s"},
			{"张三 <b@example.com>", "s"},
			{"b@example.com", "s\r\nBcc: c@example.com"},
		} {
			if err := s.SendMail(context.Background(), tc.to, tc.subject, "b"); err == nil {
				t.Errorf("SendMail(%q, %q) accepted", tc.to, tc.subject)
			}
		}
		if len(sk.messages()) != 0 {
			t.Error("a message went out")
		}
	})
	t.Run("bad config", func(t *testing.T) {
		for _, cfg := range []notify.SMTPConfig{
			{Addr: "mail.example", From: "a@example.gov.cn"},
			{Addr: "mail.example:25", From: "not an address"},
			{Addr: "mail.example:25", From: "a@example.gov.cn", TLS: "ssl"},
		} {
			if _, err := notify.NewSMTPSender(cfg); err == nil {
				t.Errorf("NewSMTPSender(%+v) accepted", cfg)
			}
		}
	})
}

func TestLogSendersMask(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	notify.LogMailer{Log: log}.SendMail(context.Background(), "zhangsan@example.com", "主题", "查询码：ABCDE-FGHJK")
	notify.LogSMS{Log: log}.SendSMS(context.Background(), "13812345678", "您的查询码为ABCDE-FGHJK")
	out := buf.String()
	for _, secret := range []string{"zhangsan@", "13812345678", "ABCDE-FGHJK", "查询码"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"z*******@example.com", "138****5678"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks the masked %q:\n%s", want, out)
		}
	}
}
