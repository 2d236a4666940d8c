package store

import (
	"context"
	"fmt"

	"gongkai/models"
)

// AgencyCount is one figure per agency (and status).
type AgencyCount struct {
	Agency string // the agency code
	Status string
	Count  int
}

// StateCounts are the application figures the metrics report.
type StateCounts struct {
	ByStatus []AgencyCount
	Overdue  []AgencyCount // open applications whose due date is before today
}

// ApplicationStateCounts counts applications by agency and status, and the
// open ones past their due date. It reads the stored clock columns, which
// every ledger append and the daily recompute keep current.
func (s *Store) ApplicationStateCounts(ctx context.Context, today models.Date) (StateCounts, error) {
	var out StateCounts
	rows, err := s.db.QueryContext(ctx, `SELECT ag.code, a.status, COUNT(*) FROM applications a
		JOIN agencies ag ON ag.id = a.agency_id GROUP BY ag.code, a.status ORDER BY ag.code, a.status`)
	if err != nil {
		return out, fmt.Errorf("count applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c AgencyCount
		if err := rows.Scan(&c.Agency, &c.Status, &c.Count); err != nil {
			return out, err
		}
		out.ByStatus = append(out.ByStatus, c)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	orows, err := s.db.QueryContext(ctx, `SELECT ag.code, COUNT(*) FROM applications a
		JOIN agencies ag ON ag.id = a.agency_id
		WHERE a.status NOT IN ('pending', 'answered', 'terminated', 'withdrawn', 'archived')
		  AND a.due_on IS NOT NULL AND a.due_on < ?
		GROUP BY ag.code ORDER BY ag.code`, today)
	if err != nil {
		return out, fmt.Errorf("count overdue applications: %w", err)
	}
	defer orows.Close()
	for orows.Next() {
		var c AgencyCount
		if err := orows.Scan(&c.Agency, &c.Count); err != nil {
			return out, err
		}
		out.Overdue = append(out.Overdue, c)
	}
	return out, orows.Err()
}
