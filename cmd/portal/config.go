package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongkai/models"
	"gongkai/models/store"
)

// Config is the effective configuration, read from the environment only.
// Every variable is documented in the README's table.
type Config struct {
	Addr    string // PORTAL_ADDR
	DB      string // PORTAL_DB
	BaseURL string // PORTAL_BASE_URL

	Secret       []byte   // PORTAL_SECRET_KEY(_FILE), or generated under the data folder
	OldSecrets   [][]byte // PORTAL_SECRET_KEY_OLD(_FILE): earlier secrets, read-only
	SecretSource string   // where the secret came from, for the log

	TimeZone string         // PORTAL_TIMEZONE
	Location *time.Location // loaded TimeZone

	Agency         string   // PORTAL_AGENCY: code of the agency public pages serve
	TrustedProxies []string // PORTAL_TRUSTED_PROXIES
	TrustedOrigins []string // PORTAL_TRUSTED_ORIGINS
	SecureCookies  bool     // PORTAL_SECURE_COOKIES

	SMTP SMTPConfig

	MetricsAddr  string // PORTAL_METRICS_ADDR: a separate listener for /metrics
	MetricsToken string // PORTAL_METRICS_TOKEN(_FILE): bearer token for /metrics on the main address

	SessionIdleTimeout time.Duration // PORTAL_SESSION_IDLE_TIMEOUT
	SessionMaxAge      time.Duration // PORTAL_SESSION_MAX_AGE
	LoginMaxFailures   int           // PORTAL_LOGIN_MAX_FAILURES
	LoginLockout       time.Duration // PORTAL_LOGIN_LOCKOUT

	LogLevel  slog.Level // PORTAL_LOG_LEVEL
	LogFormat string     // PORTAL_LOG_FORMAT: text or json
}

// SMTPConfig is the outgoing mail server; Addr empty means mail is only
// logged (without its content), never sent.
type SMTPConfig struct {
	Addr     string // PORTAL_SMTP_ADDR host:port
	Username string // PORTAL_SMTP_USERNAME
	Password string // PORTAL_SMTP_PASSWORD(_FILE)
	From     string // PORTAL_SMTP_FROM
	TLS      string // PORTAL_SMTP_TLS: starttls (default), tls, none
}

// Defaults.
const (
	defaultAddr     = "127.0.0.1:8080"
	defaultDB       = "sqlite:./data/gongkai.db"
	defaultTimeZone = "Asia/Shanghai"
	secretFileName  = "secret.key"
)

// loadConfig reads the environment. A variable NAME_FILE, where listed,
// names a file holding the value (Docker and Kubernetes secrets).
func loadConfig(getenv func(string) string) (*Config, error) {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		Addr:      env("PORTAL_ADDR", defaultAddr),
		DB:        env("PORTAL_DB", defaultDB),
		TimeZone:  env("PORTAL_TIMEZONE", defaultTimeZone),
		Agency:    strings.ToUpper(env("PORTAL_AGENCY", "")),
		LogFormat: env("PORTAL_LOG_FORMAT", "text"),
		SMTP: SMTPConfig{
			Addr:     env("PORTAL_SMTP_ADDR", ""),
			Username: env("PORTAL_SMTP_USERNAME", ""),
			From:     env("PORTAL_SMTP_FROM", ""),
			TLS:      env("PORTAL_SMTP_TLS", "starttls"),
		},
		TrustedProxies: splitList(getenv("PORTAL_TRUSTED_PROXIES")),
		TrustedOrigins: splitList(getenv("PORTAL_TRUSTED_ORIGINS")),
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, fmt.Errorf("PORTAL_ADDR %q: want host:port", c.Addr)
	}
	c.BaseURL = strings.TrimSuffix(env("PORTAL_BASE_URL", "http://"+displayAddr(c.Addr)), "/")
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("PORTAL_TIMEZONE %q: %w", c.TimeZone, err)
	}
	c.Location = loc
	dialect, _, err := store.ParseDSN(c.DB)
	if err != nil {
		return nil, fmt.Errorf("PORTAL_DB: %w", err)
	}
	switch v := strings.ToLower(env("PORTAL_SECURE_COOKIES", "")); v {
	case "":
		c.SecureCookies = strings.HasPrefix(c.BaseURL, "https://")
	case "1", "true", "yes":
		c.SecureCookies = true
	case "0", "false", "no":
	default:
		return nil, fmt.Errorf("PORTAL_SECURE_COOKIES %q: want true or false", v)
	}
	if err := c.LogLevel.UnmarshalText([]byte(env("PORTAL_LOG_LEVEL", "info"))); err != nil {
		return nil, fmt.Errorf("PORTAL_LOG_LEVEL: %w", err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return nil, fmt.Errorf("PORTAL_LOG_FORMAT %q: want text or json", c.LogFormat)
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("PORTAL_SMTP_TLS %q: want starttls, tls or none", c.SMTP.TLS)
	}
	if c.SMTP.Password, err = secretValue(getenv, "PORTAL_SMTP_PASSWORD"); err != nil {
		return nil, err
	}
	c.MetricsAddr = env("PORTAL_METRICS_ADDR", "")
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return nil, fmt.Errorf("PORTAL_METRICS_ADDR %q: want host:port", c.MetricsAddr)
		}
	}
	if c.MetricsToken, err = secretValue(getenv, "PORTAL_METRICS_TOKEN"); err != nil {
		return nil, err
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return nil, errors.New("PORTAL_METRICS_TOKEN is too short: use at least 16 characters")
	}
	for _, d := range []struct {
		name string
		def  time.Duration
		dst  *time.Duration
	}{
		{"PORTAL_SESSION_IDLE_TIMEOUT", 30 * time.Minute, &c.SessionIdleTimeout},
		{"PORTAL_SESSION_MAX_AGE", 12 * time.Hour, &c.SessionMaxAge},
		{"PORTAL_LOGIN_LOCKOUT", 15 * time.Minute, &c.LoginLockout},
	} {
		v, err := time.ParseDuration(env(d.name, d.def.String()))
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: want a positive duration such as 30m or 12h", d.name)
		}
		*d.dst = v
	}
	if c.LoginMaxFailures, err = strconv.Atoi(env("PORTAL_LOGIN_MAX_FAILURES", "5")); err != nil || c.LoginMaxFailures < 1 {
		return nil, fmt.Errorf("PORTAL_LOGIN_MAX_FAILURES: want a whole number of at least 1")
	}

	secret, err := secretValue(getenv, "PORTAL_SECRET_KEY")
	if err != nil {
		return nil, err
	}
	switch {
	case secret != "":
		c.Secret, c.SecretSource = []byte(secret), "PORTAL_SECRET_KEY"
	case dialect == store.MySQL:
		// Several processes share a MySQL database and must share the key
		// that encrypts it: a generated local file would differ per host.
		return nil, errors.New("PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) is required with MySQL; generate one with: head -c 48 /dev/urandom | base64")
	default:
		path := filepath.Join(filepath.Dir(store.SQLitePath(c.DB)), secretFileName)
		if c.Secret, err = loadOrCreateSecret(path); err != nil {
			return nil, err
		}
		c.SecretSource = path
	}
	if len(c.Secret) < models.MinSecretLength {
		return nil, fmt.Errorf("PORTAL_SECRET_KEY is %d bytes, want at least %d", len(c.Secret), models.MinSecretLength)
	}
	old, err := secretValue(getenv, "PORTAL_SECRET_KEY_OLD")
	if err != nil {
		return nil, err
	}
	for _, s := range strings.FieldsFunc(old, func(r rune) bool { return r == ',' || r == '\n' }) {
		if s = strings.TrimSpace(s); s != "" {
			c.OldSecrets = append(c.OldSecrets, []byte(s))
		}
	}
	return c, nil
}

// secretValue reads NAME, or the file named by NAME_FILE.
func secretValue(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	file := getenv(name + "_FILE")
	if v != "" && file != "" {
		return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return strings.TrimSpace(v), nil
}

// loadOrCreateSecret reads the secret file of an embedded deployment, or
// creates it (mode 0600) on first run. Losing it makes the encrypted
// personal data unreadable: the README says to back it up with the
// database.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < models.MinSecretLength {
			return nil, fmt.Errorf("secret file %s is too short", path)
		}
		return []byte(s), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read secret file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := base64.StdEncoding.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process created it first
		return loadOrCreateSecret(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create secret file: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return []byte(secret), f.Close()
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// LogValue lists the effective configuration with secrets redacted.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("db", store.RedactDSN(c.DB)),
		slog.String("base_url", c.BaseURL),
		slog.String("secret_key", "[redacted] from "+c.SecretSource),
		slog.Int("old_secret_keys", len(c.OldSecrets)),
		slog.String("timezone", c.TimeZone),
		slog.String("agency", c.Agency),
		slog.Any("trusted_proxies", c.TrustedProxies),
		slog.Any("trusted_origins", c.TrustedOrigins),
		slog.Bool("secure_cookies", c.SecureCookies),
		slog.String("smtp_addr", c.SMTP.Addr),
		slog.String("smtp_username", c.SMTP.Username),
		slog.Bool("smtp_password_set", c.SMTP.Password != ""),
		slog.String("smtp_from", c.SMTP.From),
		slog.String("smtp_tls", c.SMTP.TLS),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Bool("metrics_token_set", c.MetricsToken != ""),
		slog.Duration("session_idle_timeout", c.SessionIdleTimeout),
		slog.Duration("session_max_age", c.SessionMaxAge),
		slog.Int("login_max_failures", c.LoginMaxFailures),
		slog.Duration("login_lockout", c.LoginLockout),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
	)
}

// openStore opens the database with the configured keys.
func openStore(ctx context.Context, c *Config) (*store.Store, error) {
	keys, err := models.NewKeyring(c.Secret, c.OldSecrets...)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, store.Config{DSN: c.DB, Keys: keys, Location: c.Location,
		DashboardHistoryTTL: time.Minute})
}
