package store_test

import (
	"bytes"
	"context"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// insertNotice writes a notice row (and its PDF when pdf is not nil) the
// way the staff notice writer will, with plain SQL: the store has no notice
// writer yet.
func insertNotice(t *testing.T, s *store.Store, agencyID, appID int64, kind string, seq int, pdf []byte) int64 {
	t.Helper()
	ctx := context.Background()
	now := s.Now().UTC()
	var attID any
	if pdf != nil {
		res, err := s.DB().ExecContext(ctx, `INSERT INTO attachments (agency_id, application_id, kind, filename,
			content_type, size, sha256, content, uploader_kind, uploader_id, created_at)
			VALUES (?, ?, 'notice', '补正告知书.pdf', 'application/pdf', ?, 'x', ?, 'staff', 1, ?)`,
			agencyID, appID, len(pdf), s.Keys().Encrypt(pdf, "attachments.content"), now)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		attID = id
	}
	res, err := s.DB().ExecContext(ctx, `INSERT INTO notices (agency_id, application_id, kind, series, year, seq, number,
		title, issued_on, body, attachment_id, delivery_method, created_by, created_at)
		VALUES (?, ?, ?, 'notice', 2026, ?, ?, ?, ?, '{}', ?, 'online', 1, ?)`,
		agencyID, appID, kind, seq, "铁民公开〔2026〕第"+string(rune('0'+seq))+"号", "政府信息公开申请补正告知书",
		models.MustParseDate("2026-02-11"), attID, now)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func TestNotices(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		a := storetest.MustSubmit(t, s, agency.ID, "甲").Application
		b := storetest.MustSubmit(t, s, agency.ID, "乙").Application
		pdf := []byte("%PDF-1.4 补正告知书")
		withPDF := insertNotice(t, s, agency.ID, a.ID, "correction", 1, pdf)
		noPDF := insertNotice(t, s, agency.ID, a.ID, "correction", 2, nil)
		other := insertNotice(t, s, agency.ID, b.ID, "consultation_third_party", 3, pdf)

		list, err := s.Notices(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != withPDF || !list[0].HasPDF() || list[1].HasPDF() ||
			list[0].Title != "政府信息公开申请补正告知书" || list[0].IssuedOn != models.MustParseDate("2026-02-11") ||
			list[0].DeliveryMethod != models.DeliveryOnline || !list[0].ForApplicant() {
			t.Fatalf("notices = %+v", list)
		}
		n, f, err := s.NoticePDF(ctx, a.ID, withPDF)
		if err != nil || n.ID != withPDF || !bytes.Equal(f.Content, pdf) {
			t.Fatalf("NoticePDF = %+v, %v", n, err)
		}
		for _, tc := range []struct {
			name        string
			app, notice int64
		}{
			{"no PDF stored", a.ID, noPDF},
			{"another application's notice", a.ID, other},
			{"unknown", a.ID, 999999},
		} {
			if _, _, err := s.NoticePDF(ctx, tc.app, tc.notice); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("%s: err %v, want not found", tc.name, err)
			}
		}
		third, _ := s.Notices(ctx, b.ID)
		if len(third) != 1 || third[0].ForApplicant() {
			t.Errorf("a consultation letter to a third party is listed for the applicant: %+v", third)
		}
	})
}
