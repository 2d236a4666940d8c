package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"gongkai/models"
)

// insertEvent writes one ledger entry inside tx. The ledger is append-only:
// the store has no method that updates or deletes an event, and the unique
// (application_id, seq) key makes two writers that read the same ledger
// collide instead of both appending.
func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, agencyID int64, e *models.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("encode event data: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, agency_id, seq, kind,
		occurred_on, recorded_at, actor_kind, actor_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ApplicationID, agencyID, e.Seq, string(e.Kind), e.On, e.RecordedAt.UTC(), string(e.ActorKind), e.ActorID, string(data))
	if isUniqueViolation(err) {
		return models.Errorf(models.ECONFLICT, "该申请刚刚被其他人更新，请刷新页面后重试。")
	}
	if err != nil {
		return fmt.Errorf("insert event %s: %w", e.Kind, err)
	}
	e.ID, err = res.LastInsertId()
	return err
}

// Events returns an application's ledger in order.
func (s *Store) Events(ctx context.Context, applicationID int64) ([]models.Event, error) {
	return s.loadEvents(ctx, s.db, applicationID)
}

func (s *Store) loadEvents(ctx context.Context, q queryer, applicationID int64) ([]models.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, application_id, seq, kind, occurred_on, recorded_at, actor_kind,
		actor_id, data FROM application_events WHERE application_id = ? ORDER BY seq`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("load ledger: %w", err)
	}
	defer rows.Close()
	var out []models.Event
	for rows.Next() {
		var e models.Event
		var data string
		if err := rows.Scan(&e.ID, &e.ApplicationID, &e.Seq, &e.Kind, &e.On, scanTime{&e.RecordedAt},
			&e.ActorKind, &e.ActorID, &data); err != nil {
			return nil, fmt.Errorf("load ledger: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("load ledger: event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
