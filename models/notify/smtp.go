package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
	"unicode/utf8"
)

// TLSMode is how the SMTP connection is protected.
type TLSMode string

// TLS modes (PORTAL_SMTP_TLS).
const (
	// StartTLS connects in plain text and upgrades with STARTTLS before
	// anything else is said; a server that does not offer it is refused
	// rather than talked to in clear.
	StartTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS sends in clear: only for a relay on the same host or network.
	// net/smtp refuses to send a password over it except to localhost.
	NoTLS TLSMode = "none"
)

// SMTPConfig says how to reach the outgoing mail server.
type SMTPConfig struct {
	Addr     string // host:port
	Username string // empty: no authentication
	Password string
	From     string // the sender address
	FromName string // the sender's display name, e.g. the agency's name
	TLS      TLSMode
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate through it); ServerName defaults to the host of Addr.
	TLSConfig *tls.Config
	// Timeout bounds one whole delivery when the context has no earlier
	// deadline; default 30 seconds.
	Timeout time.Duration
	// LocalName is the name sent with EHLO; default "localhost".
	LocalName string
}

// SMTPSender delivers plain-text mail through an SMTP server, one
// connection per message. It implements handlers.Mailer.
type SMTPSender struct {
	cfg  SMTPConfig
	host string
	from *mail.Address
	now  func() time.Time
}

// NewSMTPSender checks cfg and returns a sender.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("smtp: address %q: want host:port", cfg.Addr)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = StartTLS
	case StartTLS, ImplicitTLS, NoTLS:
	default:
		return nil, fmt.Errorf("smtp: tls mode %q: want starttls, tls or none", cfg.TLS)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || from.Name != "" {
		return nil, fmt.Errorf("smtp: sender address %q: want a bare address such as gongkai@agency.gov.cn", cfg.From)
	}
	from.Name = cfg.FromName
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.LocalName == "" {
		cfg.LocalName = "localhost"
	}
	return &SMTPSender{cfg: cfg, host: host, from: from, now: time.Now}, nil
}

// SendMail sends one message to one recipient: subject and body as UTF-8
// plain text, the subject as an RFC 2047 encoded word and the body in
// base64, which carries Chinese text through any mail relay unchanged.
func (s *SMTPSender) SendMail(ctx context.Context, to, subject, body string) error {
	rcpt, err := mail.ParseAddress(to)
	if err != nil || rcpt.Name != "" {
		return errors.New("smtp: invalid recipient address")
	}
	msg, err := s.compose(rcpt.Address, subject, body)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
	}
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", s.cfg.Addr, err)
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := s.deliver(conn, rcpt.Address, msg); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("smtp: %w (%v)", ctx.Err(), err)
		}
		return err
	}
	return nil
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	return c
}

func (s *SMTPSender) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{}
	if s.cfg.TLS == ImplicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig()}
		return td.DialContext(ctx, "tcp", s.cfg.Addr)
	}
	return d.DialContext(ctx, "tcp", s.cfg.Addr)
}

func (s *SMTPSender) deliver(conn net.Conn, to string, msg []byte) error {
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("smtp: greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.LocalName); err != nil {
		return fmt.Errorf("smtp: EHLO: %w", err)
	}
	if s.cfg.TLS == StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS; set PORTAL_SMTP_TLS=none only for a trusted local relay")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("smtp: a username is set but the server offers no authentication")
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.host)); err != nil {
			return fmt.Errorf("smtp: AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp: write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: end of message: %w", err)
	}
	return c.Quit()
}

// fromHeader writes the sender with its display name as encoded words.
func (s *SMTPSender) fromHeader() string {
	name := s.from.Name
	if name == "" {
		return "<" + s.from.Address + ">"
	}
	if enc := encodeWords(name); enc != name {
		return enc + "\r\n <" + s.from.Address + ">"
	}
	return s.from.String()
}

// encodeWords writes a header text that is not plain ASCII as RFC 2047
// encoded words ("B" encoding, UTF-8, whole characters only), one per
// folded line, each short enough that no header line exceeds 78
// characters (RFC 5322 §2.1.1). The space between two encoded words is
// not part of the text, so folding there changes nothing.
func encodeWords(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain && !strings.Contains(s, "=?") {
		return s
	}
	// 42 bytes give 56 base64 characters: "Subject: " + "=?UTF-8?B?" +
	// 56 + "?=" is 77.
	const maxBytes = 42
	var words []string
	var chunk []byte
	flush := func() {
		if len(chunk) > 0 {
			words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString(chunk)+"?=")
			chunk = chunk[:0]
		}
	}
	for _, r := range s {
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		if len(chunk)+n > maxBytes {
			flush()
		}
		chunk = append(chunk, buf[:n]...)
	}
	flush()
	return strings.Join(words, "\r\n ")
}

// compose builds the message: headers in ASCII (the subject and the
// sender's name as encoded words) and a base64 UTF-8 plain-text body.
func (s *SMTPSender) compose(to, subject, body string) ([]byte, error) {
	if strings.ContainsAny(subject, "\r\n") {
		return nil, errors.New("smtp: line break in subject")
	}
	var id [12]byte
	rand.Read(id[:])
	domain := s.from.Address[strings.LastIndexByte(s.from.Address, '@')+1:]
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", s.fromHeader())
	header("To", "<"+to+">")
	header("Subject", encodeWords(subject))
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	b.WriteString("\r\n")
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes(), nil
}
