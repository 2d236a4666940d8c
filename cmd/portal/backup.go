package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// backupCommand writes a consistent online copy of the embedded SQLite
// database: `portal backup FILE` (default ./data/backup-YYYYMMDD-HHMMSS.db).
// It runs beside a serving portal. Keep the secret key file with the copy.
func backupCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: portal backup [FILE]")
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	path := "./data/backup-" + time.Now().In(cfg.Location).Format("20060102-150405") + ".db"
	if len(args) == 1 {
		path = args[0]
	}
	start := time.Now()
	if err := st.BackupTo(ctx, path); err != nil {
		fmt.Fprintf(stderr, "备份失败 (backup failed): %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "已备份到 %s（用时 %s）。请将密钥文件 %s 与备份一同妥善保存。\n", path, time.Since(start).Round(time.Millisecond), cfg.SecretSource)
	return 0
}
