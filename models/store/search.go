package store

// Staff search and the case register (台账, issue 8). Both run one WHERE
// built by searchWhere, which always starts with the agency and the
// user's scope: a section user's search can only reach applications
// assigned to their sections, however the criteria are chosen.
//
// Each criterion is served by an index: the number by its unique index (a
// whole number, or a range for its beginning), the applicant by
// applicants_name (the beginning of the name) and applications_applicant,
// the section and the user's scope by an EXISTS on application_sections'
// primary key (a probe per row read), the dates by applications_received
// and applications_closed_stats; searchOrder picks an order the chosen
// index already holds. A page counts its matches only up to
// models.SearchCountCap. The request text is matched with LIKE
// '%…%': neither engine can index a search inside Chinese text without a
// word list (MariaDB's full-text parser splits on spaces), so a text
// search reads the rows the other criteria leave, newest first, and stops
// when the page is full.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"gongkai/models"
)

// searchOrder returns how a search is ordered, latest first: by receipt
// date when it asks for a receipt period, by closing date when it asks for
// a closing period (the dates' indexes then give the order as they select
// the rows), else by number, which the agency's unique index (agency_id,
// year, seq) holds, so that a page reads its rows backwards from the
// newest instead of sorting the agency's history. On MySQL a list of a
// section's applications is told to use that index: left alone, MariaDB
// reads all the section's applications and sorts them (100 ms instead of
// 1 ms at 200,000 applications).
func (s *Store) searchOrder(q models.ApplicationQuery, scope models.AccessScope) (from, order string) {
	switch {
	case !q.ReceivedFrom.IsZero() || !q.ReceivedTo.IsZero():
		return "applications a", "a.received_on DESC, a.year DESC, a.seq DESC"
	case !q.ClosedFrom.IsZero() || !q.ClosedTo.IsZero():
		return "applications a", "a.closed_on DESC, a.year DESC, a.seq DESC"
	}
	from = "applications a"
	if s.dialect == MySQL && (!scope.Agency || q.SectionID != 0) && q.Number == "" && q.Applicant == "" {
		from += " FORCE INDEX (applications_seq)"
	}
	return from, "a.year DESC, a.seq DESC"
}

// SearchRow is an application in a page of search results.
type SearchRow struct {
	App           *models.Application
	ApplicantName string // in clear: the page masks it
	ApplicantKind models.ApplicantKind
}

// SearchResult is one page of a search.
type SearchResult struct {
	Rows []SearchRow
	// Total is the number of matches, counted up to models.SearchCountCap;
	// More is set when there are more than that.
	Total       int
	More        bool
	Page, Pages int
}

// SearchApplications returns one page of the applications in scope that
// match q, the latest number first. q must be normalised (ApplicationQuery.Normalize).
func (s *Store) SearchApplications(ctx context.Context, q models.ApplicationQuery, scope models.AccessScope) (*SearchResult, error) {
	res := &SearchResult{Page: q.Page, Pages: 1}
	if scope.None() {
		return res, nil
	}
	where, args := s.searchWhere(q, scope)
	from, order := s.searchOrder(q, scope)
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM applications a`+where+
		fmt.Sprintf(` LIMIT %d) t`, models.SearchCountCap+1), args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("search applications: count: %w", err)
	}
	if res.Total > models.SearchCountCap {
		res.Total, res.More = models.SearchCountCap, true
	}
	res.Pages = min(max(1, (res.Total+q.PerPage-1)/q.PerPage), models.SearchMaxPage)
	rows, err := s.db.QueryContext(ctx, `SELECT `+qualifiedApplicationColumns+`, p.name, p.kind
		FROM `+from+` JOIN applicants p ON p.id = a.applicant_id`+where+
		fmt.Sprintf(` ORDER BY `+order+` LIMIT %d OFFSET %d`, q.PerPage, (q.Page-1)*q.PerPage), args...)
	if err != nil {
		return nil, fmt.Errorf("search applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SearchRow
		app, err := scanApplication(rows, &r.ApplicantName, &r.ApplicantKind)
		if err != nil {
			return nil, fmt.Errorf("search applications: %w", err)
		}
		r.App = app
		res.Rows = append(res.Rows, r)
	}
	return res, rows.Err()
}

// EachRegisterRow streams the case register of the applications in scope
// that match q to fn, the latest number first, one row at a time from one cursor, so
// that the memory it takes does not grow with the number of rows. Names
// of natural persons are masked unless unmasked (models.RegisterApplicant).
// It stops at fn's first error and returns it.
func (s *Store) EachRegisterRow(ctx context.Context, q models.ApplicationQuery, scope models.AccessScope, unmasked bool,
	fn func(*models.RegisterRow) error) error {
	if scope.None() {
		return nil
	}
	sections, err := s.Sections(ctx, q.AgencyID)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(sections))
	for _, sec := range sections {
		names[sec.ID] = sec.Name
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	today := s.Today()
	where, args := s.searchWhere(q, scope)
	from, order := s.searchOrder(q, scope)
	rows, err := s.db.QueryContext(ctx, `SELECT a.number, a.received_on, p.name, p.kind, a.channel, a.title,
		a.section_id, a.status, a.due_on, a.outcome, a.closed_on
		FROM `+from+` JOIN applicants p ON p.id = a.applicant_id`+where+` ORDER BY `+order, args...)
	if err != nil {
		return fmt.Errorf("case register: %w", err)
	}
	defer rows.Close()
	var r models.RegisterRow
	for rows.Next() {
		var name string
		var section sql.NullInt64
		r = models.RegisterRow{}
		if err := rows.Scan(&r.Number, &r.ReceivedOn, &name, &r.ApplicantKind, &r.Channel, &r.Title, &section,
			&r.Status, &r.DueOn, &r.Outcome, &r.ClosedOn); err != nil {
			return fmt.Errorf("case register: %w", err)
		}
		r.Applicant = models.RegisterApplicant(r.ApplicantKind, name, unmasked)
		r.Section = names[section.Int64]
		if r.Status != models.StatusPending {
			r.DaysTaken, r.HasDays = models.DaysTaken(cal, r.ReceivedOn, r.ClosedOn, today)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// searchWhere returns the WHERE clause (with its leading space) and
// arguments that select the applications (alias a) in scope matching q.
func (s *Store) searchWhere(q models.ApplicationQuery, scope models.AccessScope) (string, []any) {
	agency := "a.agency_id = ?"
	if s.dialect == SQLite && (q.Number != "" || q.Applicant != "") {
		// SQLite, without statistics, would walk the agency's index and
		// test each row; the unary plus leaves it the number's or the
		// applicant's index, which finds the few rows directly (0.2 ms
		// instead of 200 ms at 200,000 applications).
		agency = "+a.agency_id = ?"
	}
	conds := []string{agency}
	args := []any{q.AgencyID}
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if !scope.Agency {
		add(`EXISTS (SELECT 1 FROM application_sections x WHERE x.application_id = a.id AND x.section_id IN (`+
			placeholders(len(scope.SectionIDs))+`))`, int64Args(scope.SectionIDs)...)
	}
	if q.Number != "" {
		if code, year, seq, err := models.ParseApplicationNumber(q.Number); err == nil {
			add("a.number = ?", models.ApplicationNumber(code, year, seq))
		} else {
			add("a.number >= ? AND a.number < ?", q.Number, prefixEnd(q.Number))
		}
	}
	if q.Applicant != "" {
		cond, a := s.startsWith("name", q.Applicant)
		add(`a.applicant_id IN (SELECT id FROM applicants WHERE agency_id = ? AND `+cond+`)`, append([]any{q.AgencyID}, a...)...)
	}
	if q.Text != "" {
		like := "%" + escapeLike(q.Text) + "%"
		add(`(a.title LIKE ? ESCAPE '!' OR a.description LIKE ? ESCAPE '!')`, like, like)
	}
	if q.SectionID != 0 {
		add(`EXISTS (SELECT 1 FROM application_sections y WHERE y.application_id = a.id AND y.section_id = ?)`, q.SectionID)
	}
	if q.Status != "" {
		add("a.status = ?", string(q.Status))
	}
	if q.Outcome != "" {
		add("a.outcome = ?", string(q.Outcome))
	}
	for _, r := range []struct {
		col      string
		from, to models.Date
	}{{"a.received_on", q.ReceivedFrom, q.ReceivedTo}, {"a.closed_on", q.ClosedFrom, q.ClosedTo}} {
		if !r.from.IsZero() {
			add(r.col+" >= ?", r.from)
		}
		if !r.to.IsZero() {
			add(r.col+" <= ?", r.to)
		}
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// startsWith returns a condition matching the rows whose col begins with
// prefix, in a form the engine serves from an index on col: a range of
// code points on SQLite (whose LIKE ignores case and cannot use a binary
// index), LIKE 'prefix%' on MySQL (whose collation orders text its own
// way, so a code-point range would miss rows).
func (s *Store) startsWith(col, prefix string) (string, []any) {
	if s.dialect == MySQL {
		return col + ` LIKE ? ESCAPE '!'`, []any{escapeLike(prefix) + "%"}
	}
	return col + " >= ? AND " + col + " < ?", []any{prefix, prefixEnd(prefix)}
}

// prefixEnd returns the first string after every string that begins with
// prefix, in code-point (UTF-8 byte) order: prefix with its last
// character incremented.
func prefixEnd(prefix string) string {
	r, size := utf8.DecodeLastRuneInString(prefix)
	if r == utf8.RuneError || r == utf8.MaxRune {
		return prefix + string(utf8.MaxRune)
	}
	next := r + 1
	if next >= 0xD800 && next <= 0xDFFF { // surrogates are not characters
		next = 0xE000
	}
	return prefix[:len(prefix)-size] + string(next)
}

// escapeLike escapes LIKE's wildcards with '!' (the ESCAPE character both
// engines are given).
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// qualifiedApplicationColumns is applicationColumns on the alias a, for
// queries that join other tables with columns of the same names.
var qualifiedApplicationColumns = func() string {
	cols := strings.Split(applicationColumns, ",")
	for i, c := range cols {
		cols[i] = "a." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}()
