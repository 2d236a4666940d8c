package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// migrate applies pending migrations (and loads the built-in calendar) and
// exits; `serve` does the same at start.
func migrate(ctx context.Context, cfg *Config, log *slog.Logger, stdout io.Writer) int {
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		log.Error("migrate", "err", err)
		return 1
	}
	if _, err := st.EnsureCalendar(ctx); err != nil {
		log.Error("load calendar", "err", err)
		return 1
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "数据库已是最新版本 (database is up to date)")
		return 0
	}
	for _, name := range applied {
		fmt.Fprintf(stdout, "applied %s\n", name)
	}
	return 0
}
