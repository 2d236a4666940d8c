package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gongkai/models"
)

// The audit trail (models/audit.go): rows are chained by MACs, ids are
// consecutive, and audit_head holds the end of the chain. Writers
// serialise on the audit_head row: SELECT … FOR UPDATE on MySQL; SQLite's
// immediate transactions already run one writer at a time. The entry is
// written inside the transaction of the action it records wherever the
// store performs the action, so an action is never committed without its
// entry.

// RecordAudit appends one entry in its own transaction: for what the store
// does not do itself (a view of personal data, a refused request). Actor
// fields left empty are taken from the context's actor.
func (s *Store) RecordAudit(ctx context.Context, e models.AuditEntry) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.auditTx(ctx, tx, &e) })
}

// auditTx appends e inside tx. It fills the actor from the context when e
// names none, the time from the store's clock, and the agency from the
// actor when e has none.
func (s *Store) auditTx(ctx context.Context, tx *sql.Tx, e *models.AuditEntry) error {
	if e.ActorID == 0 && e.ActorName == "" {
		a, _ := models.ActorFromContext(ctx)
		e.ActorID, e.ActorName, e.ClientIP = a.UserID, a.Name, a.ClientIP
		if e.AgencyID == 0 {
			e.AgencyID = a.AgencyID
		}
	}
	if e.Action == "" {
		return errors.New("audit: no action")
	}
	e.OccurredAt = s.nowUTC()
	var head models.AuditHead
	err := tx.QueryRowContext(ctx, `SELECT last_id, mac FROM audit_head WHERE id = 1`+s.forUpdate()).Scan(&head.LastID, &head.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		// The head row is created by the first migration; without it the
		// trail cannot be continued, and an action that cannot be audited
		// is not performed.
		return errors.New("audit: the audit_head row is missing")
	}
	if err != nil {
		return fmt.Errorf("audit: read head: %w", err)
	}
	prev := ""
	if head.LastID > 0 {
		// A locking read on MySQL: under REPEATABLE READ a plain read would
		// use the transaction's snapshot, which may predate the row the
		// (locked, current) head names if the caller read anything before.
		if err := tx.QueryRowContext(ctx, `SELECT mac FROM audit_log WHERE id = ?`+s.forUpdate(), head.LastID).Scan(&prev); err != nil {
			return fmt.Errorf("audit: read row %d named by the head: %w", head.LastID, err)
		}
	}
	e.ID = head.LastID + 1
	s.keys.SealAudit(prev, e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, agency_id, occurred_at, actor_id, actor_name, client_ip,
		action, object_type, object_id, before_data, after_data, prev_mac, mac)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.AgencyID, e.OccurredAt, e.ActorID, e.ActorName, e.ClientIP, string(e.Action), e.ObjectType,
		e.ObjectID, e.Before, e.After, e.PrevMAC, e.MAC); err != nil {
		return fmt.Errorf("audit: insert row %d: %w", e.ID, err)
	}
	next := s.keys.AuditHeadFor(e.ID, e.MAC)
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET last_id = ?, mac = ? WHERE id = 1`, next.LastID, next.MAC); err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries for the audit page.
type AuditFilter struct {
	AgencyID   int64
	ActorID    int64  // 0: anyone; -1: the system only
	Action     string // exact action, "" for any
	ObjectType string
	ObjectID   string
	From, To   models.Date // days in the agency's time zone, both included; zero for open
	Page       int         // 1-based
	PerPage    int
}

const auditColumns = `id, agency_id, occurred_at, actor_id, actor_name, client_ip, action, object_type, object_id,
	before_data, after_data, prev_mac, mac`

func scanAudit(row interface{ Scan(...any) error }) (models.AuditEntry, error) {
	var e models.AuditEntry
	err := row.Scan(&e.ID, &e.AgencyID, scanTime{&e.OccurredAt}, &e.ActorID, &e.ActorName, &e.ClientIP, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.PrevMAC, &e.MAC)
	return e, err
}

// AuditEntries returns one page of an agency's entries matching f, newest
// first, and how many match in all.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]models.AuditEntry, int, error) {
	where := []string{"agency_id = ?"}
	args := []any{f.AgencyID}
	switch {
	case f.ActorID > 0:
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	case f.ActorID < 0:
		where = append(where, "actor_id = 0")
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.ObjectType != "" {
		where, args = append(where, "object_type = ?"), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where, args = append(where, "object_id = ?"), append(args, f.ObjectID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "occurred_at >= ?"), append(args, f.From.Time(s.loc).UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "occurred_at < ?"), append(args, f.To.AddDays(1).Time(s.loc).UTC())
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+cond+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(f.PerPage)+` OFFSET `+strconv.Itoa((f.Page-1)*f.PerPage), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	var out []models.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list audit entries: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AuditHead returns the end of the chain as the writers left it.
func (s *Store) AuditHead(ctx context.Context) (models.AuditHead, error) {
	var h models.AuditHead
	err := s.db.QueryRowContext(ctx, `SELECT last_id, mac FROM audit_head WHERE id = 1`).Scan(&h.LastID, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return h, models.Errorf(models.ECONFLICT, "审计日志的链尾标记缺失：记录被删除。")
	}
	if err != nil {
		return h, fmt.Errorf("read audit head: %w", err)
	}
	return h, nil
}

// VerifyAudit checks the whole trail: consecutive ids, each row chained to
// the one before, each row's MAC, and the head at the end. It reads the
// head first and the rows after, so entries written meanwhile do not count
// as tampering. The report names the first problem; an error means the
// trail could not be read.
func (s *Store) VerifyAudit(ctx context.Context) (models.AuditReport, error) {
	head, err := s.AuditHead(ctx)
	if models.ErrorCode(err) == models.ECONFLICT {
		return models.AuditReport{Break: &models.AuditBreak{Problem: models.AuditHeadMismatch, Message: models.ErrorMessage(err)}}, nil
	}
	if err != nil {
		return models.AuditReport{}, err
	}
	v := models.NewAuditVerifier(s.keys, head)
	// Read in pages by id so that no statement holds the table for long.
	const page = 5000
	after := int64(-1 << 62)
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id > ? ORDER BY id LIMIT `+strconv.Itoa(page), after)
		if err != nil {
			return models.AuditReport{}, fmt.Errorf("verify audit: %w", err)
		}
		n, more := 0, true
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return models.AuditReport{}, fmt.Errorf("verify audit: %w", err)
			}
			n++
			after = e.ID
			if more = v.Add(e); !more {
				break
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return models.AuditReport{}, fmt.Errorf("verify audit: %w", err)
		}
		if !more || n < page {
			break
		}
	}
	return v.Finish(), nil
}

// AuditEntry returns one entry by id, for the command that prints the row
// where verification failed.
func (s *Store) AuditEntry(ctx context.Context, id int64) (models.AuditEntry, error) {
	e, err := scanAudit(s.db.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, models.Errorf(models.ENOTFOUND, "没有第%d条审计记录。", id)
	}
	return e, err
}
