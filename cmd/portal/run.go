package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// usage is printed for -h and unknown commands.
const usage = `用法 (usage): portal [command] [flags]

commands:
  serve         run the web portal (default)
  migrate       apply pending database migrations and exit
  create-admin  create a system administrator (-username, -name)
  healthcheck   exit 0 if the portal at PORTAL_ADDR is ready
  calendar      list | import FILE | confirm YEAR: manage the working-day calendar
  deadline      compute a statutory due date (-received DATE …)
  api-client    create -name NAME [-rate N] | list | revoke ID: JSON API keys of integrating platforms
  backup        write a consistent online copy of the SQLite database (backup [FILE])
  audit         verify [-anchor ID:MAC]: check the audit trail for tampering
  seed          [-n 1000] [-years 2023-2026] [-force]: generate synthetic applications (load tests)
  report        -year 2025 [-pdf FILE] [-xlsx FILE]: compile the annual report and write it
  jobs          run [-force] [NAME]: run the daily jobs once (expiries, clocks, purges)

Configuration is read from PORTAL_* environment variables; see README.md.
`

// run is the whole program; main only wires the process to it, so tests can
// call it with their own environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || (len(args) > 0 && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "配置错误 (configuration error): %v\n", err)
		return 2
	}
	log := newLogger(cfg, stderr)

	var code int
	switch cmd {
	case "serve":
		code = serve(ctx, cfg, log, stdout)
	case "migrate":
		code = migrate(ctx, cfg, log, stdout)
	case "create-admin":
		code = createAdmin(ctx, cfg, log, args, stdin, stdout, stderr)
	case "healthcheck":
		code = healthcheck(ctx, cfg, stdout, stderr)
	case "calendar":
		code = calendarCommand(ctx, cfg, log, args, stdout, stderr)
	case "api-client":
		code = apiClientCommand(ctx, cfg, log, args, stdout, stderr)
	case "backup":
		code = backupCommand(ctx, cfg, log, args, stdout, stderr)
	case "deadline":
		code = deadlineCommand(ctx, cfg, log, args, stdout, stderr)
	case "audit":
		code = auditCommand(ctx, cfg, log, args, stdout, stderr)
	case "seed":
		code = seedCommand(ctx, cfg, log, args, stdout, stderr)
	case "report":
		code = reportCommand(ctx, cfg, log, args, stdout, stderr)
	case "jobs":
		code = jobsCommand(ctx, cfg, log, args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	return code
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
