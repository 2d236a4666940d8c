package store_test

import (
	"context"
	"fmt"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// BenchmarkSubmitParallel measures durable submissions from concurrent
// clients (b.SetParallelism × GOMAXPROCS goroutines) with and without group
// commit on SQLite, and on MySQL when configured:
//
//	go test -run '^$' -bench SubmitParallel -benchtime 3s ./models/store
func BenchmarkSubmitParallel(b *testing.B) {
	for _, c := range []struct {
		name    string
		dialect store.Dialect
		noGroup bool
	}{
		{"sqlite/group-commit", store.SQLite, false},
		{"sqlite/commit-each", store.SQLite, true},
		{"mysql", store.MySQL, false},
	} {
		for _, par := range []int{8, 32} {
			b.Run(fmt.Sprintf("%s/clients=%d", c.name, par*2), func(b *testing.B) {
				dsn := storetest.DSN(b, c.dialect)
				s, err := store.Open(context.Background(), store.Config{DSN: dsn, Keys: storetest.Keys(b),
					Location: storetest.Shanghai, NoGroupCommit: c.noGroup, MaxOpenConns: 64})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				ctx := context.Background()
				s.Migrate(ctx)
				s.Seed(ctx)
				agency := storetest.DefaultAgency(b, s)
				b.SetParallelism(par)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						_, err := s.SubmitApplication(ctx, &store.NewApplication{AgencyID: agency.ID,
							Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID,
								IDNumber: "110101199003074477", Phone: "13812345678"},
							Application: models.Application{Channel: models.ChannelOnline, Title: "2025年度城乡低保资金发放情况",
								Description: "请公开本机关2025年度城乡最低生活保障资金的发放情况。", FormWanted: models.FormElectronic,
								Delivery: models.DeliveryOnline},
							ActorKind: models.ActorApplicant})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
			})
		}
	}
}
