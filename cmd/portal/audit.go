package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// auditCommand checks the audit trail from the command line:
//
//	portal audit verify [-anchor ID:MAC]
//
// It reads every row in order and checks that ids are consecutive, that
// each row is chained to the one before (prev_mac), that each row's MAC
// matches its content under the deployment secret, and that the chain ends
// where audit_head says (so deleting the newest rows is found too). It
// prints the first broken row and exits 1; an intact trail exits 0.
//
// -anchor names a row (id and MAC) written down earlier, outside the
// database, from the output of a previous run: the trail must still hold
// that row with that MAC, which finds a database rolled back as a whole
// to an older copy.
func auditCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	const usageLine = "usage: portal audit verify [-anchor ID:MAC]"
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	anchor := fs.String("anchor", "", "ID:MAC of a row recorded earlier outside the database")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	var anchorID int64
	var anchorMAC string
	if *anchor != "" {
		id, mac, ok := strings.Cut(*anchor, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || n < 1 || len(mac) != 64 {
			fmt.Fprintln(stderr, "audit verify: -anchor wants ID:MAC, e.g. 1234:9f86d0…(64 hex digits)")
			return 2
		}
		anchorID, anchorMAC = n, strings.ToLower(mac)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	if pending, err := st.PendingMigrations(ctx); err != nil || pending > 0 {
		fmt.Fprintf(stderr, "audit verify: the database is not migrated (pending %d, %v); run portal migrate first\n", pending, err)
		return 1
	}
	report, err := st.VerifyAudit(ctx)
	if err != nil {
		log.Error("read the audit trail", "err", err)
		return 1
	}
	if !report.OK() {
		b := report.Break
		fmt.Fprintf(stdout, "审计日志校验未通过 (audit trail verification FAILED)：%s\n", b.Message)
		fmt.Fprintf(stdout, "first broken row: %d (%s); rows verified before it: %d\n", b.ID, b.Problem, report.Rows)
		if b.ID > 0 {
			if e, err := st.AuditEntry(ctx, b.ID); err == nil {
				fmt.Fprintf(stdout, "row %d as stored: %s, actor %q (id %d) from %s, %s %s %s\n", e.ID,
					e.OccurredAt.In(cfg.Location).Format("2006-01-02 15:04:05"), e.ActorName, e.ActorID, e.ClientIP,
					e.Action, e.ObjectType, e.ObjectID)
			}
		}
		return 1
	}
	if anchorID != 0 {
		e, err := st.AuditEntry(ctx, anchorID)
		if err != nil || e.MAC != anchorMAC {
			fmt.Fprintf(stdout, "审计日志校验未通过 (audit trail verification FAILED)：第%d条记录与留存的锚点不符，数据库可能被整体回退或替换。\n", anchorID)
			fmt.Fprintf(stdout, "first broken row: %d (anchor); the trail now ends at row %d\n", anchorID, report.LastID)
			return 1
		}
	}
	fmt.Fprintf(stdout, "审计日志完整 (audit trail intact)：%d rows, last row %d\n", report.Rows, report.LastID)
	if report.LastID > 0 {
		fmt.Fprintf(stdout, "anchor (write it down outside the database): %d:%s\n", report.LastID, report.LastMAC)
	}
	return 0
}
