// Package notify reaches applicants by e-mail and text message: an SMTP
// sender, log-only senders for deployments without a mail server or an SMS
// gateway, and the Chinese texts of the messages applicants receive.
//
// Like models it uses the standard library only. Senders never log a
// message's body or a full address: a body may carry a query code, and an
// address is personal data (个人信息保护法第五十一条).
package notify

import (
	"context"
	"log/slog"
	"unicode/utf8"

	"gongkai/models"
)

// LogMailer stands in for a mail server: it logs that a mail would have
// gone out, to a masked address, and sends nothing. gongkai uses it when
// PORTAL_SMTP_ADDR is unset, so a test or demo deployment needs no mail
// server; the applicant still sees the number and query code on screen.
type LogMailer struct {
	Log *slog.Logger
}

// SendMail logs the mail's masked recipient and subject.
func (m LogMailer) SendMail(ctx context.Context, to, subject, body string) error {
	log := m.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail not sent: no SMTP server configured (PORTAL_SMTP_ADDR)",
		"to", models.MaskEmail(to), "subject", subject, "body_chars", utf8.RuneCountInString(body))
	return nil
}

// LogSMS stands in for an SMS gateway: it logs that a text would have gone
// out, to a masked number, and sends nothing. A gateway is an
// agency-specific contract; plug one in through handlers.SMSSender.
type LogSMS struct {
	Log *slog.Logger
}

// SendSMS logs the masked number and the length of the text.
func (s LogSMS) SendSMS(ctx context.Context, phone, text string) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "sms not sent: no SMS gateway configured",
		"to", models.MaskPhone(phone), "text_chars", utf8.RuneCountInString(text))
	return nil
}
