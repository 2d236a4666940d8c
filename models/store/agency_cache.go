package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"gongkai/models"
)

// agencyCache keeps agency rows by id. Every request needs its agency, and
// the full row carries the seal image; a cached row is used while the
// database's updated_at for it is unchanged, which a primary-key read
// checks, so an edit made by another portal process is seen at once. This
// process's own edits drop the entry (UpdateAgency), since a pinned test
// clock can give two edits the same updated_at.
type agencyCache struct {
	mu   sync.Mutex
	byID map[int64]*models.Agency
}

func (c *agencyCache) get(id int64, updated time.Time) *models.Agency {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.byID[id]; a != nil && a.UpdatedAt.Equal(updated) {
		cp := *a
		return &cp
	}
	return nil
}

func (c *agencyCache) put(a *models.Agency) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[int64]*models.Agency{}
	}
	cp := *a
	c.byID[a.ID] = &cp
}

func (c *agencyCache) drop(id int64) {
	c.mu.Lock()
	delete(c.byID, id)
	c.mu.Unlock()
}

// FirstAgency returns the agency with the lowest id: the agency of a
// deployment that serves one. EUNAVAILABLE when there is none yet.
func (s *Store) FirstAgency(ctx context.Context) (*models.Agency, error) {
	var id int64
	var updated time.Time
	err := s.db.QueryRowContext(ctx, `SELECT id, updated_at FROM agencies ORDER BY id LIMIT 1`).Scan(&id, scanTime{&updated})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.EUNAVAILABLE, "系统尚未完成初始化。")
	}
	if err != nil {
		return nil, fmt.Errorf("first agency: %w", err)
	}
	if a := s.agencies.get(id, updated); a != nil {
		return a, nil
	}
	a, err := s.Agency(ctx, id)
	if err != nil {
		return nil, err
	}
	s.agencies.put(a)
	return a, nil
}
