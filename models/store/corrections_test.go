package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// requestCorrection confirms an application and sends a correction notice,
// as staff would, and returns the application.
func requestCorrection(t *testing.T, s *store.Store, agencyID, appID int64) *models.Application {
	t.Helper()
	ctx := context.Background()
	today := s.Today()
	if _, err := s.AppendEvent(ctx, agencyID, appID, models.Event{Kind: models.EventConfirmed, On: today,
		ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}}, 0); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	app, err := s.AppendEvent(ctx, agencyID, appID, models.Event{Kind: models.EventCorrectionRequested, On: today,
		ActorKind: models.ActorStaff, Data: models.EventData{Items: []string{"请写明所需信息的年份"},
			PeriodDays: 15, DueOn: today.AddDays(21)}}, 0)
	if err != nil {
		t.Fatalf("request correction: %v", err)
	}
	if app.Status != models.StatusCorrecting {
		t.Fatalf("status = %s, want correcting", app.Status)
	}
	return app
}

func TestSubmitCorrection(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sub := storetest.MustSubmit(t, s, agency.ID, "低保资金")
		requestCorrection(t, s, agency.ID, sub.Application.ID)
		clock.Advance(48 * time.Hour) // Thursday 2026-02-12

		token := models.NewToken(24)
		stage(t, s, agency.ID, token, models.AttachSupporting, "补充说明.pdf")
		direct, _ := models.CheckUpload(models.AttachSupporting, "附表.pdf", []byte(stagedPDF+"附表"))
		app, err := s.SubmitCorrection(ctx, store.Correction{AgencyID: agency.ID, ApplicationID: sub.Application.ID,
			Description: "所需信息为2025年度的发放名单。", Files: []models.Attachment{direct}, StagingToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if app.Status != models.StatusProcessing {
			t.Errorf("status = %s, want processing", app.Status)
		}
		events, _ := s.Events(ctx, app.ID)
		last := events[len(events)-1]
		if last.Kind != models.EventCorrected || last.On != models.MustParseDate("2026-02-12") ||
			last.Data.Comment != "所需信息为2025年度的发放名单。" || last.ActorKind != models.ActorApplicant {
			t.Errorf("last event = %+v", last)
		}
		files, _ := s.Attachments(ctx, app.ID)
		var kinds []models.AttachmentKind
		for _, f := range files {
			kinds = append(kinds, f.Kind)
		}
		if len(files) != 2 || kinds[0] != models.AttachCorrection || kinds[1] != models.AttachCorrection {
			t.Fatalf("files = %v, want two correction files", kinds)
		}
		full, _ := s.Attachment(ctx, app.ID, files[1].ID)
		if !bytes.Contains(full.Content, []byte("补充说明")) {
			t.Error("staged file content not taken over")
		}
		if got, _ := s.StagedUploads(ctx, token); len(got) != 0 {
			t.Error("staged copies left")
		}
		// The clock restarts from the correction (条例第三十条).
		clk, err := s.Clock(ctx, app)
		if err != nil {
			t.Fatal(err)
		}
		if !clk.Restarted || clk.StartedOn != models.MustParseDate("2026-02-12") {
			t.Errorf("clock started %s restarted %v, want 2026-02-12", clk.StartedOn, clk.Restarted)
		}
	})
}

func TestSubmitCorrectionRefusedUnlessAwaited(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sub := storetest.MustSubmit(t, s, agency.ID, "养老补贴")
		token := models.NewToken(24)
		stage(t, s, agency.ID, token, models.AttachSupporting, "说明.pdf")
		direct, _ := models.CheckUpload(models.AttachSupporting, "附表.pdf", []byte(stagedPDF))
		_, err := s.SubmitCorrection(ctx, store.Correction{AgencyID: agency.ID, ApplicationID: sub.Application.ID,
			Description: "补正", Files: []models.Attachment{direct}, StagingToken: token})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("correction of a pending application: err %v, want conflict", err)
		}
		// Nothing changed: no event, no file, the staged file still waits.
		events, _ := s.Events(ctx, sub.Application.ID)
		files, _ := s.Attachments(ctx, sub.Application.ID)
		staged, _ := s.StagedUploads(ctx, token)
		if len(events) != 1 || len(files) != 0 || len(staged) != 1 {
			t.Errorf("after a refused correction: %d events, %d files, %d staged", len(events), len(files), len(staged))
		}
	})
}
