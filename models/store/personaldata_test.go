package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestPersonalDataNotInClear stores an application with every kind of
// personal data the citizen area takes — identity and phone numbers of the
// applicant and the agent, e-mail and postal address, staged files, a
// correction, rate-limit buckets keyed by phone and address — and reads
// every column of every table back as raw bytes: none of the values may be
// there in clear, on either engine.
func TestPersonalDataNotInClear(t *testing.T) {
	const (
		id, agentID       = "110101199003074477", "11010519491231002X"
		phone, agentPhone = "13812345678", "13900001111"
		email, address    = "zhangsan@example.com", "辽宁省铁岭市银州区某某路88号"
	)
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		token := models.NewToken(24)
		stage(t, s, agency.ID, token, models.AttachIdentityProof, "身份证.pdf")
		sub, err := s.SubmitStaged(ctx, &store.NewApplication{
			AgencyID: agency.ID,
			Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID, IDNumber: id,
				Phone: phone, Email: email, Address: address, PostCode: "112000",
				AgentName: "赵律师", AgentIDType: models.DocResidentID, AgentIDNumber: agentID, AgentPhone: agentPhone},
			Application: models.Application{Channel: models.ChannelOnline, Source: "portal", Title: "低保",
				FormWanted: models.FormPaper, Delivery: models.DeliveryPost},
			ActorKind: models.ActorApplicant,
		}, token)
		if err != nil {
			t.Fatal(err)
		}
		stage(t, s, agency.ID, models.NewToken(24), models.AttachSupporting, "未提交.pdf")
		for _, v := range []string{phone, email, "203.0.113.9"} {
			if _, err := s.RateLimitHit(ctx, s.RateBucket("resend-contact", v), store.RateLimit{Max: 3, Window: time.Hour, Lockout: time.Hour}); err != nil {
				t.Fatal(err)
			}
		}
		requestCorrection(t, s, agency.ID, sub.Application.ID)
		if _, err := s.SubmitCorrection(ctx, store.Correction{AgencyID: agency.ID, ApplicationID: sub.Application.ID,
			Description: "2025年度"}); err != nil {
			t.Fatal(err)
		}

		dump := dumpAll(t, s)
		for _, want := range []string{"1101**********4477", "138****5678", sub.Application.Number} {
			if !strings.Contains(dump, want) {
				t.Fatalf("the dump lacks %q: it does not read the data", want)
			}
		}
		for _, secret := range []string{id, agentID, phone, agentPhone, email, address, sub.QueryCode, "203.0.113.9",
			stagedPDF} {
			if strings.Contains(dump, secret) {
				t.Errorf("%q is stored in clear", secret)
			}
		}
	})
}

// dumpAll returns every value of every table as text.
func dumpAll(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if s.Dialect() == store.MySQL {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()`
	}
	rows, err := s.DB().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := s.DB().QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			for _, v := range vals {
				b.Write(v)
				b.WriteByte('|')
			}
		}
		rows.Close()
	}
	return b.String()
}
