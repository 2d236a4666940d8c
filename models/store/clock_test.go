package store_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func confirm(t *testing.T, s *store.Store, app *models.Application, on models.Date) *models.Application {
	t.Helper()
	got, err := s.AppendEvent(context.Background(), app.AgencyID, app.ID, models.Event{Kind: models.EventConfirmed, On: on,
		ActorKind: models.ActorStaff, Data: models.EventData{Channel: app.Channel}}, 0)
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	return got
}

func TestAppendEventRecomputesStoredClock(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sub := storetest.MustSubmit(t, s, agency.ID, "养老机构名录")
		app := confirm(t, s, sub.Application, models.MustParseDate("2026-02-10"))
		if app.Status != models.StatusProcessing || app.ClockState != "running" {
			t.Errorf("after confirmation: status %s, clock %s", app.Status, app.ClockState)
		}
		// 自2026年2月10日起算20个工作日，春节不计，调休计入 → 2026-03-16 (rules.md §4.3).
		if app.DueOn != models.MustParseDate("2026-03-16") || app.ReceivedOn != models.MustParseDate("2026-02-10") {
			t.Errorf("due %s received %s, want 2026-03-16 and 2026-02-10", app.DueOn, app.ReceivedOn)
		}
		stored, err := s.ApplicationByNumber(ctx, app.Number)
		if err != nil {
			t.Fatal(err)
		}
		if stored.DueOn != app.DueOn || stored.InternalDueOn.IsZero() || stored.Version != 2 {
			t.Errorf("stored row = due %s internal %s version %d", stored.DueOn, stored.InternalDueOn, stored.Version)
		}
		// A second confirmation is refused with a message staff can read,
		// and changes nothing.
		_, err = s.AppendEvent(ctx, agency.ID, app.ID, models.Event{Kind: models.EventConfirmed,
			ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}}, 0)
		if err == nil || models.ErrorMessage(err) == "" {
			t.Errorf("second confirmation: %v, want a refusal", err)
		}
		// A stale form (old version) is a conflict.
		_, err = s.AppendEvent(ctx, agency.ID, app.ID, models.Event{Kind: models.EventAssigned, ActorKind: models.ActorStaff,
			Data: models.EventData{SectionID: 1, Role: models.RoleLead}}, 1)
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("stale version: %v, want conflict", err)
		}
		events, _ := s.Events(ctx, app.ID)
		if len(events) != 2 {
			t.Errorf("ledger has %d events after refusals, want 2", len(events))
		}
		// Another agency cannot touch it.
		if _, err := s.AppendEvent(ctx, agency.ID+99, app.ID, models.Event{Kind: models.EventWithdrawn, ActorKind: models.ActorStaff}, 0); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("append under another agency: %v, want not found", err)
		}
	})
}

// TestStoredClockEqualsRecomputation drives applications through random
// histories, day by day, and checks after every accepted step that the
// stored columns equal a full recomputation from the ledger.
func TestStoredClockEqualsRecomputation(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rules := models.DefaultClockRules()
		rng := rand.New(rand.NewPCG(7, 11))
		kinds := []models.EventKind{
			models.EventAssigned, models.EventCorrectionRequested, models.EventCorrected, models.EventConsultationSent,
			models.EventConsultationDelivered, models.EventConsultationAnswered, models.EventFeeNoticeSent,
			models.EventFeeNoticeDelivered, models.EventFeePaid, models.EventExtensionApproved, models.EventAnswerIssued,
			models.EventWithdrawn, models.EventExplanationRequested, models.EventExplanationReceived,
		}
		accepted := 0
		for n := 0; n < 8; n++ {
			clock.Set(time.Date(2026, 1, 5+n, 10, 0, 0, 0, storetest.Shanghai))
			app := storetest.MustSubmit(t, s, agency.ID, "随机历史").Application
			app = confirm(t, s, app, s.Today())
			consultRef := 0
			for step := 0; step < 25; step++ {
				clock.Advance(time.Duration(rng.IntN(4)) * 24 * time.Hour)
				k := kinds[rng.IntN(len(kinds))]
				e := models.Event{Kind: k, ActorKind: models.ActorStaff}
				switch k {
				case models.EventAssigned:
					e.Data = models.EventData{SectionID: 2, Role: models.RoleLead}
				case models.EventCorrectionRequested:
					e.Data = models.EventData{Items: []string{"请明确所需信息的时间范围"}, DueOn: s.Today().AddDays(21)}
				case models.EventConsultationSent:
					e.Data = models.EventData{Party: "某养老服务公司", PartyKind: models.PartyThirdParty}
				case models.EventConsultationDelivered, models.EventConsultationAnswered:
					e.Data = models.EventData{Ref: consultRef, Opinion: "agree"}
				case models.EventFeeNoticeSent:
					e.Data = models.EventData{FeeMethod: models.FeePerPage, Units: 60, AmountFen: 30000}
				case models.EventFeePaid:
					e.Data = models.EventData{AmountFen: 30000}
				case models.EventExtensionApproved:
					e.Data = models.EventData{Days: 1 + rng.IntN(20)}
				case models.EventAnswerIssued:
					e.Data = models.EventData{Outcome: models.OutcomeDisclose}
				case models.EventExplanationRequested:
					e.Data = models.EventData{DueOn: s.Today().AddDays(10)}
				}
				got, err := s.AppendEvent(ctx, agency.ID, app.ID, e, 0)
				if err != nil {
					if models.ErrorCode(err) == models.EINTERNAL {
						t.Fatalf("step %d %s: internal error %v", step, k, err)
					}
					continue // refused: an invalid sequence
				}
				accepted++
				if k == models.EventConsultationSent {
					events, _ := s.Events(ctx, app.ID)
					consultRef = events[len(events)-1].Seq
				}
				checkStoredEqualsRecomputed(t, s, cal, rules, got)
			}
		}
		if accepted < 30 {
			t.Errorf("only %d random events were accepted: the walk does not exercise the clock", accepted)
		}
	})
}

func checkStoredEqualsRecomputed(t *testing.T, s *store.Store, cal *models.Calendar, rules models.ClockRules, app *models.Application) {
	t.Helper()
	ctx := context.Background()
	stored, err := s.Application(ctx, app.AgencyID, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	life, err := models.Lifecycle(events)
	if err != nil {
		t.Fatalf("stored ledger does not replay: %v", err)
	}
	clock, err := models.ComputeClock(events, cal, rules, s.Today())
	if err != nil {
		t.Fatalf("stored ledger has no clock: %v", err)
	}
	if stored.Status != life.Status || stored.Outcome != life.Outcome || stored.ClosedOn != life.ClosedOn ||
		stored.ReceivedOn != life.ReceivedOn || stored.SectionID != life.SectionID {
		t.Errorf("%s after %s: stored status %s/%s/%s/%s/%d, recomputed %s/%s/%s/%s/%d", stored.Number, events[len(events)-1].Kind,
			stored.Status, stored.Outcome, stored.ClosedOn, stored.ReceivedOn, stored.SectionID,
			life.Status, life.Outcome, life.ClosedOn, life.ReceivedOn, life.SectionID)
	}
	if stored.DueOn != clock.DueOn || stored.InternalDueOn != clock.InternalDueOn || stored.ClockState != string(clock.State) ||
		stored.CalendarWarning != clock.Unconfirmed {
		t.Errorf("%s after %s: stored clock %s/%s/%s/%v, recomputed %s/%s/%s/%v", stored.Number, events[len(events)-1].Kind,
			stored.DueOn, stored.InternalDueOn, stored.ClockState, stored.CalendarWarning,
			clock.DueOn, clock.InternalDueOn, clock.State, clock.Unconfirmed)
	}
}

// TestCalendarChangeMovesOpenDeadlines: an administrator's correction of a
// year moves the due dates of open applications, records why on each, and
// leaves closed ones alone.
func TestCalendarChangeMovesOpenDeadlines(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		open := confirm(t, s, storetest.MustSubmit(t, s, agency.ID, "开放").Application, models.MustParseDate("2026-02-10"))
		closed := confirm(t, s, storetest.MustSubmit(t, s, agency.ID, "已答复").Application, models.MustParseDate("2026-02-10"))
		if _, err := s.AppendEvent(ctx, agency.ID, closed.ID, models.Event{Kind: models.EventAnswerIssued, ActorKind: models.ActorStaff,
			Data: models.EventData{Outcome: models.OutcomeDisclose}}, 0); err != nil {
			t.Fatal(err)
		}
		pending := storetest.MustSubmit(t, s, agency.ID, "待确认").Application

		// Add a (made-up) day off on Monday 2026-03-02 to the built-in 2026.
		_, days := models.BuiltinCalendar()
		var y2026 []models.CalendarDay
		for _, d := range days {
			if d.Day.Year() == 2026 {
				y2026 = append(y2026, d)
			}
		}
		y2026 = append(y2026, models.CalendarDay{Day: models.MustParseDate("2026-03-02"), Kind: models.DayHoliday, Name: "测试假日"})
		moved, err := s.SaveCalendarYear(ctx, models.CalendarYear{Year: 2026, Status: models.YearConfirmed, Source: "测试"}, y2026)
		if err != nil {
			t.Fatal(err)
		}
		if moved != 1 {
			t.Errorf("moved = %d, want 1 (only the open, confirmed application)", moved)
		}
		got, _ := s.Application(ctx, agency.ID, open.ID)
		if got.DueOn != models.MustParseDate("2026-03-17") {
			t.Errorf("open application due %s, want 2026-03-17", got.DueOn)
		}
		events, _ := s.Events(ctx, open.ID)
		last := events[len(events)-1]
		if last.Kind != models.EventCalendarChangeApplied || last.Data.OldDueOn != models.MustParseDate("2026-03-16") ||
			last.Data.NewDueOn != models.MustParseDate("2026-03-17") || last.ActorKind != models.ActorSystem {
			t.Errorf("last event = %+v, want calendar_change_applied 03-16 → 03-17", last)
		}
		if got, _ := s.Application(ctx, agency.ID, closed.ID); got.DueOn != closed.DueOn {
			t.Errorf("closed application's due date moved to %s", got.DueOn)
		}
		if evs, _ := s.Events(ctx, pending.ID); len(evs) != 1 {
			t.Errorf("pending application got %d events, want 1", len(evs))
		}
		// The calendar every process reads has the new day.
		cal, _ := s.Calendar(ctx)
		if ok, _ := cal.IsWorkingDay(models.MustParseDate("2026-03-02")); ok {
			t.Error("2026-03-02 is still a working day in the cached calendar")
		}
	})
}

// TestMissingCalendarYearWarns: a due date that needs a year not loaded is
// stored as unknown with the warning, never guessed.
func TestMissingCalendarYearWarns(t *testing.T) {
	storetest.Each(t, storetest.Options{Clock: storetest.NewClock(time.Date(2027, 12, 20, 9, 0, 0, 0, storetest.Shanghai))},
		func(t *testing.T, s *store.Store, _ *storetest.Clock) {
			agency := storetest.DefaultAgency(t, s)
			app := storetest.MustSubmit(t, s, agency.ID, "跨年").Application
			got := confirm(t, s, app, models.MustParseDate("2027-12-20"))
			if !got.DueOn.IsZero() || !got.CalendarWarning || got.Status != models.StatusProcessing {
				t.Errorf("due %s warning %v status %s: want no due date, the warning, and processing", got.DueOn, got.CalendarWarning, got.Status)
			}
		})
}
