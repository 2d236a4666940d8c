package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func searchNumbers(t *testing.T, s *store.Store, q models.ApplicationQuery, scope models.AccessScope) []string {
	t.Helper()
	if err := q.Normalize(); err != nil {
		t.Fatalf("query %+v: %v", q, err)
	}
	res, err := s.SearchApplications(context.Background(), q, scope)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	var out []string
	for _, r := range res.Rows {
		out = append(out, r.App.Number)
	}
	return out
}

// newestFirst orders numbers as the search lists them: the latest number
// first.
func (o *overviewData) newestFirst(numbers []string) []string {
	out := slices.Clone(numbers)
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// TestSearchCriteriaAndScope: every criterion selects what the dataset
// says, and a section's staff never reach another section's applications,
// whatever they search for, on both databases.
func TestSearchCriteriaAndScope(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		o := buildOverview(t, s)
		ag := storetest.DefaultAgency(t, s)
		office := models.AccessScope{Agency: true}
		s2 := models.AccessScope{SectionIDs: []int64{o.s2}}
		d := models.MustParseDate
		q := func(q models.ApplicationQuery) models.ApplicationQuery { q.AgencyID = ag.ID; return q }
		all := o.nums("P1", "P2", "P3", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M")
		for _, tc := range []struct {
			name  string
			q     models.ApplicationQuery
			scope models.AccessScope
			want  []string
		}{
			{"everything", q(models.ApplicationQuery{}), office, all},
			{"whole number, lower case", q(models.ApplicationQuery{Number: " " + o.numbers["C"] + " "}), office, o.nums("C")},
			{"number prefix", q(models.ApplicationQuery{Number: "tlmz-2025"}), office, o.nums("K", "M")},
			{"applicant prefix", q(models.ApplicationQuery{Applicant: "陈"}), office, o.nums("G", "K")},
			{"applicant whole name", q(models.ApplicationQuery{Applicant: "褚十一"}), office, o.nums("H")},
			{"organisation", q(models.ApplicationQuery{Applicant: "吴六"}), office, o.nums("C")},
			{"text in the title", q(models.ApplicationQuery{Text: "低保"}), office, o.nums("P1", "A", "G", "K")},
			{"text with a wildcard is literal", q(models.ApplicationQuery{Text: "%"}), office, nil},
			{"section, lead or assisting", q(models.ApplicationQuery{SectionID: o.s2}), office, o.nums("B", "C", "D", "H")},
			{"status", q(models.ApplicationQuery{Status: models.StatusPending}), office, o.nums("P1", "P2", "P3")},
			{"outcome", q(models.ApplicationQuery{Outcome: models.OutcomeDisclose}), office, o.nums("G", "K")},
			// A period orders by its date, the latest first.
			{"received range", q(models.ApplicationQuery{ReceivedFrom: d("2026-01-20"), ReceivedTo: d("2026-01-27")}), office, o.nums("B", "L", "D")},
			{"closed from", q(models.ApplicationQuery{ClosedFrom: d("2026-02-01")}), office, o.nums("H", "I")},
			{"closed to", q(models.ApplicationQuery{ClosedTo: d("2025-12-31")}), office, o.nums("K", "M")},
			{"combined", q(models.ApplicationQuery{Text: "低保", Status: models.StatusAnswered, ClosedFrom: d("2026-01-01")}), office, o.nums("G")},

			// A section's staff: their section's applications only.
			{"section: everything", q(models.ApplicationQuery{}), s2, o.nums("B", "C", "D", "H")},
			{"section: another section's number", q(models.ApplicationQuery{Number: o.numbers["A"]}), s2, nil},
			{"section: another section's applicant", q(models.ApplicationQuery{Applicant: "陈"}), s2, nil},
			{"section: text", q(models.ApplicationQuery{Text: "低保"}), s2, nil},
			{"section: text in its own", q(models.ApplicationQuery{Text: "救助"}), s2, o.nums("B")},
			{"section: asking for another section", q(models.ApplicationQuery{SectionID: o.s1}), s2, o.nums("B")},
			{"section: pending is nobody's", q(models.ApplicationQuery{Status: models.StatusPending}), s2, nil},
			{"no scope", q(models.ApplicationQuery{}), models.AccessScope{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				want := tc.want
				if tc.q.ReceivedFrom.IsZero() && tc.q.ReceivedTo.IsZero() && tc.q.ClosedFrom.IsZero() && tc.q.ClosedTo.IsZero() {
					want = o.newestFirst(want)
				}
				if got := searchNumbers(t, s, tc.q, tc.scope); !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}

		// Pages.
		page := q(models.ApplicationQuery{PerPage: 5, Page: 4})
		page.Normalize()
		page.PerPage = 5
		res, err := s.SearchApplications(ctx, page, office)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 16 || res.More || res.Pages != 4 || len(res.Rows) != 1 || res.Rows[0].App.Number != o.newestFirst(all)[15] {
			t.Errorf("page 4 of 5: total %d pages %d rows %d", res.Total, res.Pages, len(res.Rows))
		}
		if r := res.Rows[0]; r.ApplicantName == "" || r.ApplicantKind != models.ApplicantPerson {
			t.Errorf("row %+v", r)
		}

		// The register: the same selection, in the same order, streamed.
		var rows []models.RegisterRow
		err = s.EachRegisterRow(ctx, q(models.ApplicationQuery{}), s2, false, func(r *models.RegisterRow) error {
			rows = append(rows, *r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Number)
		}
		if !slices.Equal(got, o.newestFirst(o.nums("B", "C", "D", "H"))) {
			t.Fatalf("section register %v", got)
		}
		byNumber := map[string]models.RegisterRow{}
		for _, r := range rows {
			byNumber[r.Number] = r
		}
		h, c := byNumber[o.numbers["H"]], byNumber[o.numbers["C"]]
		if h.Applicant != "褚**" || h.Section == "" || h.DaysTaken != 23 || !h.HasDays || h.Outcome != models.OutcomePartial ||
			h.ClosedOn != d("2026-02-06") || h.ReceivedOn != d("2026-01-06") || h.Status != models.StatusArchived {
			t.Errorf("H in the register %+v", h)
		}
		if c.Applicant != "吴六" || c.ApplicantKind != models.ApplicantCommercial || c.DaysTaken != 1 || c.DueOn != d("2026-03-10") {
			t.Errorf("C in the register %+v (an organisation's name is not masked; open: days to today)", c)
		}
		rows = nil
		if err := s.EachRegisterRow(ctx, q(models.ApplicationQuery{Status: models.StatusPending}), office, true, func(r *models.RegisterRow) error {
			rows = append(rows, *r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[2].Applicant != "赵一" || rows[2].HasDays || rows[0].Channel != models.ChannelFax { // P3, P2, P1
			t.Errorf("unmasked pending register %+v", rows)
		}
		stop := errors.New("stop")
		n := 0
		if err := s.EachRegisterRow(ctx, q(models.ApplicationQuery{}), office, false, func(*models.RegisterRow) error {
			n++
			return stop
		}); !errors.Is(err, stop) || n != 1 {
			t.Errorf("stopping: %v after %d rows", err, n)
		}
	})
}
