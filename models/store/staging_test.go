package store_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

const stagedPDF = "%PDF-1.4\n% 身份证明\n%%EOF\n"

func stage(t *testing.T, s *store.Store, agencyID int64, token string, kind models.AttachmentKind, name string) *models.Attachment {
	t.Helper()
	a, err := models.CheckUpload(kind, name, []byte(stagedPDF+name))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StageUpload(context.Background(), agencyID, token, &a); err != nil {
		t.Fatalf("stage %s: %v", name, err)
	}
	return &a
}

func TestStagedUploadsSubmit(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		token := models.NewToken(24)
		proof := stage(t, s, agency.ID, token, models.AttachIdentityProof, "身份证.pdf")
		extra := stage(t, s, agency.ID, token, models.AttachSupporting, "说明.pdf")
		stage(t, s, agency.ID, models.NewToken(24), models.AttachSupporting, "别人的.pdf")

		got, err := s.StagedUploads(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != proof.ID || got[0].Kind != models.AttachIdentityProof || got[1].Filename != "说明.pdf" ||
			got[0].Content != nil || got[0].Size != int64(len(stagedPDF+"身份证.pdf")) {
			t.Fatalf("staged = %+v", got)
		}
		// Another form's ids remove nothing.
		if err := s.RemoveStagedUploads(ctx, models.NewToken(24), []int64{proof.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveStagedUploads(ctx, token, []int64{extra.ID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.StagedUploads(ctx, token); len(got) != 1 || got[0].ID != proof.ID {
			t.Fatalf("after removing one: %+v", got)
		}

		n := &store.NewApplication{
			AgencyID:  agency.ID,
			Applicant: models.Applicant{Kind: models.ApplicantPerson, Name: "张三", IDType: models.DocResidentID, IDNumber: "110101199003074477", Phone: "13812345678"},
			Application: models.Application{Channel: models.ChannelOnline, Source: "portal", Title: "低保名单",
				FormWanted: models.FormElectronic, Delivery: models.DeliveryOnline},
			ActorKind: models.ActorApplicant,
		}
		sub, err := s.SubmitStaged(ctx, n, token)
		if err != nil {
			t.Fatal(err)
		}
		files, err := s.Attachments(ctx, sub.Application.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 || files[0].Kind != models.AttachIdentityProof || files[0].Filename != "身份证.pdf" ||
			files[0].UploaderKind != models.ActorApplicant {
			t.Fatalf("application files = %+v", files)
		}
		full, err := s.Attachment(ctx, sub.Application.ID, files[0].ID)
		if err != nil || !bytes.Equal(full.Content, []byte(stagedPDF+"身份证.pdf")) {
			t.Fatalf("content round trip: %v", err)
		}
		if got, _ := s.StagedUploads(ctx, token); len(got) != 0 {
			t.Errorf("staged copies left after submission: %+v", got)
		}
		// The same token again: the first application, nothing new.
		again, err := s.SubmitStaged(ctx, &store.NewApplication{AgencyID: agency.ID, Applicant: n.Applicant,
			Application: n.Application, ActorKind: models.ActorApplicant}, token)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Duplicate || again.Application.Number != sub.Application.Number || again.QueryCode != sub.QueryCode {
			t.Errorf("repeat = %+v, want the first application", again)
		}
		var count int
		s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM applications`).Scan(&count)
		if count != 1 {
			t.Errorf("%d applications, want 1", count)
		}
	})
}

func TestStagedUploadsLimitAndExpiry(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		token := models.NewToken(24)
		for i := range models.MaxUploadFiles {
			stage(t, s, agency.ID, token, models.AttachSupporting, fmt.Sprintf("第%d页.pdf", i+1))
		}
		a, _ := models.CheckUpload(models.AttachSupporting, "多余.pdf", []byte(stagedPDF))
		err := s.StageUpload(ctx, agency.ID, token, &a)
		if fe := models.FieldErrors(err); fe[models.FieldSupporting] == "" {
			t.Fatalf("11th file: err %v, want a message for the supporting field", err)
		}
		clock.Advance(store.StagedUploadTTL + time.Minute)
		if got, _ := s.StagedUploads(ctx, token); len(got) != 0 {
			t.Errorf("expired files still listed: %d", len(got))
		}
		n, err := s.PurgeStagedUploads(ctx)
		if err != nil || n != int64(models.MaxUploadFiles) {
			t.Errorf("purged %d, %v; want %d", n, err, models.MaxUploadFiles)
		}
	})
}

func TestStagedUploadsEncrypted(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		token := models.NewToken(24)
		stage(t, s, agency.ID, token, models.AttachIdentityProof, "证件.pdf")
		var content []byte
		var hash string
		if err := s.DB().QueryRowContext(ctx, `SELECT content, token_hash FROM staged_uploads`).Scan(&content, &hash); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(content, []byte("%PDF")) {
			t.Error("staged content stored in clear")
		}
		if hash == token || len(hash) != 64 {
			t.Errorf("token stored as %q", hash)
		}
	})
}

// TestStagedUploadsOnceEach: the same file for the same field is staged
// once, also when two requests stage it at the same moment.
func TestStagedUploadsOnceEach(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		token := models.NewToken(24)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				a, _ := models.CheckUpload(models.AttachIdentityProof, "身份证.pdf", []byte(stagedPDF))
				if err := s.StageUpload(ctx, agency.ID, token, &a); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		// The same content for another field is another file; for the
		// same field again, it is not.
		for range 2 {
			a, _ := models.CheckUpload(models.AttachSupporting, "同一文件.pdf", []byte(stagedPDF))
			if err := s.StageUpload(ctx, agency.ID, token, &a); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.StagedUploads(ctx, token)
		if len(got) != 2 || got[0].Kind != models.AttachIdentityProof || got[1].Kind != models.AttachSupporting {
			t.Errorf("staged %+v, want one identity proof and one supporting file", got)
		}
	})
}
