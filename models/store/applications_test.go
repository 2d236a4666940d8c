package store_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestNumberingUnderConcurrency: 50 concurrent submitters get 50 distinct
// numbers with no gaps, on each engine.
func TestNumberingUnderConcurrency(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		const n = 50
		numbers := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sub, err := s.SubmitApplication(context.Background(), &store.NewApplication{
					AgencyID:  agency.ID,
					Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "并发测试"},
					Application: models.Application{Channel: models.ChannelOnline, Title: fmt.Sprintf("申请%d", i),
						FormWanted: models.FormElectronic, Delivery: models.DeliveryOnline},
					ActorKind: models.ActorApplicant,
				})
				if err != nil {
					errs[i] = err
					return
				}
				numbers[i] = sub.Application.Number
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("submitter %d: %v", i, err)
			}
		}
		sort.Strings(numbers)
		for i, got := range numbers {
			if want := models.ApplicationNumber("TLMZ", 2026, i+1); got != want {
				t.Fatalf("numbers[%d] = %s, want %s (all: %v)", i, got, want, numbers)
			}
		}
	})
}

func TestSubmitAndLookUp(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sub := storetest.MustSubmit(t, s, agency.ID, "2025年度城乡低保资金发放情况")
		app := sub.Application
		if app.Number != "TLMZ-2026-000001" {
			t.Errorf("number = %s, want TLMZ-2026-000001", app.Number)
		}
		if app.Status != models.StatusPending {
			t.Errorf("status = %s, want pending", app.Status)
		}
		got, err := s.LookUpApplication(ctx, strings.ToLower(app.Number), strings.ToLower(sub.QueryCode))
		if err != nil {
			t.Fatalf("look up with the right code: %v", err)
		}
		if got.ID != app.ID || got.Title != app.Title {
			t.Errorf("look up = %+v, want application %d", got, app.ID)
		}
		for _, tc := range []struct{ name, number, code string }{
			{"wrong code", app.Number, "ABCDE-FGHJK"},
			{"unknown number", "TLMZ-2026-999999", sub.QueryCode},
			{"empty code", app.Number, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.LookUpApplication(ctx, tc.number, tc.code)
				if models.ErrorCode(err) != models.ENOTFOUND {
					t.Fatalf("error = %v, want not found", err)
				}
				if msg := models.ErrorMessage(err); msg != "申请编号或查询码不正确。" {
					t.Errorf("message = %q: must not reveal whether the number exists", msg)
				}
			})
		}
		events, err := s.Events(ctx, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Kind != models.EventSubmitted || events[0].Data.Channel != models.ChannelOnline {
			t.Errorf("ledger = %+v, want one submitted event", events)
		}
		code, err := s.QueryCode(ctx, app.ID)
		if err != nil || code != sub.QueryCode {
			t.Errorf("QueryCode = %q, %v; want %q", code, err, sub.QueryCode)
		}
	})
}

func TestIdempotentSubmission(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		agency := storetest.DefaultAgency(t, s)
		submit := func() *store.Submitted {
			sub, err := s.SubmitApplication(context.Background(), &store.NewApplication{
				AgencyID:       agency.ID,
				Applicant:      models.Applicant{Kind: models.ApplicantPerson, Name: "李四"},
				Application:    models.Application{Channel: models.ChannelOnline, Title: "重复提交测试"},
				IdempotencyKey: "form-token-1",
				ActorKind:      models.ActorApplicant,
			})
			if err != nil {
				t.Fatal(err)
			}
			return sub
		}
		first, second := submit(), submit()
		if second.Application.Number != first.Application.Number || !second.Duplicate {
			t.Errorf("second submission = %s (duplicate %v), want %s again", second.Application.Number, second.Duplicate, first.Application.Number)
		}
		if second.QueryCode != first.QueryCode {
			t.Errorf("second submission's code differs: the applicant would hold a code that does not work")
		}
		var n int
		s.DB().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
		if n != 1 {
			t.Errorf("applications stored = %d, want 1", n)
		}
	})
}

// TestPersonalDataEncrypted: identity numbers, phones, addresses and files
// are not readable in the raw tables, and a store with the same secret (a
// second portal process) reads them back.
func TestPersonalDataEncrypted(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		secretFile := []byte("%PDF-1.4 身份证复印件 110101199003074477")
		sub, err := s.SubmitApplication(ctx, &store.NewApplication{
			AgencyID: agency.ID,
			Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "王五", IDType: "resident_id",
				IDNumber: "110101199003074477", Phone: "13912345678", Email: "wangwu@example.cn",
				Address: "辽宁省铁岭市银州区示例路88号", PostCode: "112000",
				AgentName: "赵六", AgentIDType: "resident_id", AgentIDNumber: "11010519491231002X", AgentPhone: "13700001111"},
			Application: models.Application{Channel: models.ChannelOnline, Title: "加密测试"},
			Attachments: []models.Attachment{{Kind: models.AttachIdentityProof, Filename: "id.pdf",
				ContentType: "application/pdf", Content: secretFile}},
			ActorKind: models.ActorApplicant,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, plain := range []string{"110101199003074477", "13912345678", "wangwu@example.cn", "示例路88号",
			"11010519491231002X", "13700001111", "身份证复印件", sub.QueryCode} {
			for _, table := range []string{"applicants", "applications", "attachments", "application_events"} {
				if rawContains(t, s, table, plain) {
					t.Errorf("table %s holds %q in clear", table, plain)
				}
			}
		}
		var masked string
		s.DB().QueryRow(`SELECT id_number_masked FROM applicants`).Scan(&masked)
		if masked != models.MaskIDNumber("110101199003074477") {
			t.Errorf("masked id = %q", masked)
		}

		// A second handle on the same database with the same secret reads
		// what the first wrote (several portal processes).
		other := reopen(t, s, storetest.Keys(t))
		a, err := other.Applicant(ctx, agency.ID, sub.Application.ApplicantID)
		if err != nil {
			t.Fatal(err)
		}
		if a.IDNumber != "110101199003074477" || a.Phone != "13912345678" || a.Address != "辽宁省铁岭市银州区示例路88号" ||
			a.AgentIDNumber != "11010519491231002X" || a.Email != "wangwu@example.cn" {
			t.Errorf("decrypted applicant = %+v", a)
		}
		files, err := other.Attachments(ctx, sub.Application.ID)
		if err != nil || len(files) != 1 {
			t.Fatalf("attachments = %v, %v", files, err)
		}
		f, err := other.Attachment(ctx, sub.Application.ID, files[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Content, secretFile) {
			t.Errorf("attachment content = %q", f.Content)
		}
		// A file is found only under its own application.
		if _, err := other.Attachment(ctx, sub.Application.ID+1, files[0].ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("attachment under another application: %v, want not found", err)
		}
		// A store with a different secret cannot read the data.
		wrong, err := models.NewKeyring([]byte("another-secret-that-is-long-enough-0123456789"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reopen(t, s, wrong).Applicant(ctx, agency.ID, sub.Application.ApplicantID); err == nil {
			t.Error("a store with another secret decrypted the applicant")
		}
		// After rotation: the new secret writes, the old one still reads.
		rotated, err := models.NewKeyring([]byte("rotated-secret-that-is-long-enough-0123456789"), storetest.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := reopen(t, s, rotated).Applicant(ctx, agency.ID, sub.Application.ApplicantID); err != nil || a.Phone != "13912345678" {
			t.Errorf("rotated keyring reads old rows: %v, %v", a, err)
		}
	})
}

// rawContains reports whether any text or blob column of a table contains
// s, by scanning every row as raw bytes.
func rawContains(t *testing.T, s *store.Store, table, needle string) bool {
	t.Helper()
	rows, err := s.DB().Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			var b []byte
			switch x := v.(type) {
			case []byte:
				b = x
			case string:
				b = []byte(x)
			}
			if bytes.Contains(b, []byte(needle)) {
				return true
			}
		}
	}
	return false
}

func reopen(t *testing.T, s *store.Store, keys *models.Keyring) *store.Store {
	t.Helper()
	other, err := store.Open(context.Background(), store.Config{DSN: s.DSN(), Keys: keys, Location: storetest.Shanghai, Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}
