package store_test

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// BenchmarkAnnualReport measures the annual report on a seeded database:
// counting the tables by either path, compiling (tables, narrative,
// checks) as the portal does, and rendering the PDF and XLSX.
//
// By default it seeds PORTAL_BENCH_N applications (50,000) over 2023–2026
// into a fresh SQLite file, and a MariaDB database when
// PORTAL_TEST_MYSQL_DSN is set. To measure a large database seeded once
// with `portal seed`, name it in PORTAL_BENCH_DB (a PORTAL_DB value; its
// engine is the sub-benchmark's name) and the year in PORTAL_BENCH_YEAR
// (2025):
//
//	PORTAL_BENCH_DB=sqlite:/tmp/big.db go test -run '^$' -bench AnnualReport -benchtime 5x ./models/store
func BenchmarkAnnualReport(b *testing.B) {
	ctx := context.Background()
	year := 2025
	if v, err := strconv.Atoi(os.Getenv("PORTAL_BENCH_YEAR")); err == nil {
		year = v
	}
	type target struct {
		name string
		open func(b *testing.B) (*store.Store, int64)
	}
	var targets []target
	if dsn := os.Getenv("PORTAL_BENCH_DB"); dsn != "" {
		d, _, err := store.ParseDSN(dsn)
		if err != nil {
			b.Fatal(err)
		}
		targets = append(targets, target{string(d), func(b *testing.B) (*store.Store, int64) {
			s, err := store.Open(ctx, store.Config{DSN: dsn, Keys: storetest.Keys(b), Location: storetest.Shanghai})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			all, err := s.Agencies(ctx)
			if err != nil || len(all) == 0 {
				b.Fatalf("agencies: %v", err)
			}
			return s, all[0].ID
		}})
	} else {
		n := 50000
		if v, err := strconv.Atoi(os.Getenv("PORTAL_BENCH_N")); err == nil {
			n = v
		}
		for _, d := range storetest.Engines() {
			targets = append(targets, target{string(d), func(b *testing.B) (*store.Store, int64) {
				clock := storetest.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, storetest.Shanghai))
				s, _ := storetest.Open(b, d, storetest.Options{Clock: clock})
				agency := storetest.DefaultAgency(b, s)
				if _, err := s.SeedSynthetic(ctx, store.SyntheticOptions{Applications: n, FromYear: 2023, ToYear: 2026, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				return s, agency.ID
			}})
		}
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			s, agencyID := tg.open(b)
			agency, err := s.Agency(ctx, agencyID)
			if err != nil {
				b.Fatal(err)
			}
			for _, path := range []store.CountPath{store.CountAggregated, store.CountStreamed} {
				b.Run("count/"+path.String(), func(b *testing.B) {
					for b.Loop() {
						if _, err := s.ComputeAnnualReports(ctx, agencyID, year, year, path); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			var r models.AnnualReport
			b.Run("compile", func(b *testing.B) {
				for b.Loop() {
					if r, _, err = s.CompileAnnualReport(ctx, agencyID, year); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("render", func(b *testing.B) {
				for b.Loop() {
					if err := reports.WriteAnnualReportPDF(io.Discard, *agency, r, time.Now()); err != nil {
						b.Fatal(err)
					}
					if err := reports.WriteAnnualReportXLSX(io.Discard, *agency, r); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
