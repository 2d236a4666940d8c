package handlers

// The daily reminders (issue 8): each member of staff who handles
// applications and has a notification address gets one digest a day — the
// disclosure office everything overdue, due soon, waiting for
// confirmation and expired by the daily job; a section its own overdue
// and due-soon applications (models.DigestFor). The job runs through
// store.RunJob, whose lease lets one portal process a day run it; each
// digest is claimed in reminder_digests before it is sent, so a retry
// after a failure, or a forced run, never sends anyone a second one that
// day.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gongkai/models"
	"gongkai/models/notify"
	"gongkai/models/store"
)

// Reminders is the daily reminder job.
type Reminders struct {
	Store *store.Store
	// Mailer sends the digests; nil logs them (notify.LogMailer).
	Mailer Mailer
	// BaseURL is the portal's public URL, for the link to the staff area.
	BaseURL string
	Log     *slog.Logger
}

// Reminders returns the reminder job of the handler's store and mailer.
func (h *Handler) Reminders() Reminders {
	return Reminders{Store: h.store, Mailer: h.cfg.Mailer, BaseURL: h.cfg.BaseURL, Log: h.log}
}

// Run sends today's digests and returns a summary in Chinese (a
// store.JobFunc). A failed mail does not stop the others; the job then
// fails, and its retry sends only the digests that did not go out.
func (r Reminders) Run(ctx context.Context) (string, error) {
	mailer := r.Mailer
	if mailer == nil {
		mailer = notify.LogMailer{Log: r.Log}
	}
	since, err := r.Store.LastReminderRun(ctx)
	if err != nil {
		return "", err
	}
	if since.IsZero() {
		since = r.Store.Now().Add(-24 * time.Hour)
	}
	agencies, err := r.Store.Agencies(ctx)
	if err != nil {
		return "", err
	}
	day := r.Store.Today()
	staffURL := strings.TrimSuffix(r.BaseURL, "/") + "/staff"
	var sent, office, quiet, already, failed int
	var errs []error
	for _, a := range agencies {
		recipients, err := r.Store.ReminderRecipients(ctx, a.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Code, err))
			continue
		}
		if len(recipients) == 0 {
			continue
		}
		digest, err := r.Store.AgencyDigest(ctx, a.ID, since)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Code, err))
			continue
		}
		rules, err := r.Store.ClockRules(ctx, a.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Code, err))
			continue
		}
		sections, err := r.Store.Sections(ctx, a.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Code, err))
			continue
		}
		names := sectionNames(sections)
		name := func(id int64) string { return names[id] }
		for _, rc := range recipients {
			d := models.DigestFor(rc.User, digest)
			if d.Empty() {
				quiet++
				continue
			}
			ok, err := r.Store.ClaimDigest(ctx, day, rc.User, d)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !ok {
				already++
				continue
			}
			msg := notify.Digest(a, rc.User.DisplayName, d, rules.DueSoonDays, name, staffURL)
			if err := mailer.SendMail(ctx, rc.Email, msg.Subject, msg.Body); err != nil {
				failed++
				// The address is personal data: the error names the user only.
				errs = append(errs, fmt.Errorf("digest to user %d: %s", rc.User.ID, models.MaskPersonalNumbers(maskAddress(err.Error(), rc.Email))))
				if rerr := r.Store.ReleaseDigest(ctx, day, rc.User.ID); rerr != nil {
					errs = append(errs, rerr)
				}
				continue
			}
			sent++
			if d.Kind == models.DigestOffice {
				office++
			}
		}
	}
	summary := fmt.Sprintf("发送办理提醒邮件%d封（公开办%d封、科室%d封）；无待提醒事项%d人；今天已发送过%d人", sent, office, sent-office, quiet, already)
	if failed > 0 {
		summary += fmt.Sprintf("；发送失败%d封，稍后重试", failed)
	}
	return summary + "。", errors.Join(errs...)
}

// maskAddress replaces an address quoted in a mail server's error.
func maskAddress(s, addr string) string {
	return strings.ReplaceAll(s, addr, models.MaskEmail(addr))
}
