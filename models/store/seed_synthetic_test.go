package store_test

import (
	"context"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestSeedSynthetic generates a few thousand applications and checks that
// every row agrees with its ledger (models.Lifecycle and the clock), that
// every row and column of table 三 is filled in each year with the
// identities holding, that personal data is encrypted and readable, that
// numbering continues after the seeded numbers, and that a database with
// real applications is refused without Force.
func TestSeedSynthetic(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, storetest.Shanghai))
		agency := storetest.DefaultAgency(t, s)
		res, err := s.SeedSynthetic(ctx, store.SyntheticOptions{Applications: 3000, FromYear: 2024, ToYear: 2026, Seed: 11, CatalogPerYear: 20})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applications != 3000 || res.Simplified != 0 || res.Events < 5*3000 || res.Remedies == 0 || res.CatalogEntries == 0 {
			t.Errorf("result = %+v", res)
		}

		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := s.ClockRules(ctx, agency.ID)
		if err != nil {
			t.Fatal(err)
		}
		today := s.Today()
		var ids []int64
		rows, err := s.DB().Query(`SELECT id FROM applications WHERE agency_id = ? ORDER BY id`, agency.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		statuses := map[models.Status]int{}
		for i, id := range ids {
			if i%7 != 0 { // a sample keeps the MariaDB run short
				continue
			}
			app, err := s.Application(ctx, agency.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			events, err := s.Events(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			life, err := models.Lifecycle(events)
			if err != nil {
				t.Fatalf("%s: ledger refused: %v", app.Number, err)
			}
			statuses[life.Status]++
			if life.Status != app.Status || life.ReceivedOn != app.ReceivedOn || life.ClosedOn != app.ClosedOn ||
				life.Outcome != app.Outcome || life.SectionID != app.SectionID || app.Version != len(events) {
				t.Errorf("%s: row %s %v %v %s %d v%d, ledger %s %v %v %s %d (%d events)", app.Number, app.Status, app.ReceivedOn,
					app.ClosedOn, app.Outcome, app.SectionID, app.Version, life.Status, life.ReceivedOn, life.ClosedOn,
					life.Outcome, life.SectionID, len(events))
			}
			if clk, err := models.ComputeClock(events, cal, rules, today); err == nil && clk.DueOn != app.DueOn {
				t.Errorf("%s: due %v, clock says %v", app.Number, app.DueOn, clk.DueOn)
			}
			if i%70 == 0 {
				a, err := s.Applicant(ctx, agency.ID, app.ApplicantID)
				if err != nil {
					t.Fatal(err)
				}
				if a.Kind == models.ApplicantPerson {
					if _, err := models.ValidateResidentID(a.IDNumber, today); err != nil {
						t.Errorf("%s: fake ID number %s: %v", app.Number, a.IDNumber, err)
					}
				} else if _, err := models.ValidateCreditCode(a.CreditCode); err != nil {
					t.Errorf("%s: fake credit code %s: %v", app.Number, a.CreditCode, err)
				}
			}
		}
		for _, st := range []models.Status{models.StatusAnswered, models.StatusArchived, models.StatusWithdrawn, models.StatusTerminated, models.StatusProcessing} {
			if statuses[st] == 0 {
				t.Errorf("no sampled application is %s: %v", st, statuses)
			}
		}
		var clear int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM applicants WHERE agency_id = ? AND id_number_masked <> '' AND id_number_enc IS NULL`, agency.ID).Scan(&clear); err != nil || clear != 0 {
			t.Errorf("applicants with an ID number but no ciphertext: %d, %v", clear, err)
		}

		for _, year := range []int{2024, 2025} {
			var reports [2]models.AnnualReport
			for i, path := range paths {
				reports[i] = mustCompute(t, s, agency.ID, year, path)
			}
			if reports[0].Table3 != reports[1].Table3 || reports[0].Table4 != reports[1].Table4 {
				t.Errorf("%d: the two paths differ on seeded data", year)
			}
			r, v, err := s.CompileAnnualReport(ctx, agency.ID, year)
			if err != nil {
				t.Fatal(err)
			}
			for _, info := range models.ReportRows {
				if r.Table3[models.Table3Index(info.Row)][models.Table3TotalCol] == 0 {
					t.Errorf("%d: row %s%s empty", year, info.Group, info.Label)
				}
			}
			for c := range models.ApplicantColumns {
				if r.Table3[models.Table3New][c] == 0 {
					t.Errorf("%d: column %s empty", year, models.ApplicantKinds[c].Label())
				}
			}
			if r.Table2.Catalog.Rules.Issued == 0 || r.Table2.Catalog.Normative.Issued == 0 || r.Table2.Figures.Licensing == 0 {
				t.Errorf("%d: table 二 = %+v", year, r.Table2)
			}
			for _, x := range v {
				if x.Table != 0 { // only the narrative, which the office writes
					t.Errorf("%d: %s", year, x.Message)
				}
			}
		}

		// Numbering continues after the seeded numbers.
		sub := storetest.MustSubmit(t, s, agency.ID, "真实申请")
		var maxSeq int
		if err := s.DB().QueryRow(`SELECT MAX(seq) FROM applications WHERE agency_id = ? AND year = 2026 AND source = ?`,
			agency.ID, store.SyntheticSource).Scan(&maxSeq); err != nil {
			t.Fatal(err)
		}
		if want := models.ApplicationNumber(agency.Code, 2026, maxSeq+1); sub.Application.Number != want {
			t.Errorf("next number %s, want %s", sub.Application.Number, want)
		}
		// Now the agency has a real application.
		if _, err := s.SeedSynthetic(ctx, store.SyntheticOptions{Applications: 10, FromYear: 2026, ToYear: 2026}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("seed beside a real application: %v", err)
		}
		if _, err := s.SeedSynthetic(ctx, store.SyntheticOptions{Applications: 10, FromYear: 2026, ToYear: 2026, Force: true}); err != nil {
			t.Errorf("seed with force: %v", err)
		}
		if got := auditCount(t, s, models.AuditSyntheticSeeded); got[models.AuditSyntheticSeeded] != 2 {
			t.Errorf("audit = %v", got)
		}
	})
}
