package handlers

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestNoPersonalDataInClear runs the citizen features end to end — a
// failed submission with files, a submission by an agent with postal
// delivery, look-ups right and wrong, a lost-code request by phone and by
// e-mail, a correction — with the default log-only mail and SMS senders,
// then greps the SQLite database file, its write-ahead log and every log
// line of the run for the identity and phone numbers typed. None may
// appear in clear (个人信息保护法第五十一条; rules.md §7.3).
func TestNoPersonalDataInClear(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := startCitizenApp(t, s, clock, Config{}, nil)
	ctx := context.Background()
	v := app.visitor(t)

	fields := withFields(personFields(), formField{"has_agent", "1"}, formField{"agent_name", "赵律师"}, formField{"agent_id_type", "resident_id"},
		formField{"agent_id_number", testAgentID}, formField{"agent_phone", testAgentPhone}, formField{"delivery", "post"},
		formField{"address", testAddress}, formField{"post_code", "112000"})
	files := []fileUpload{
		{"identity_proof", "身份证" + testIDNumber + ".jpg", testJPEG(t)},
		{"power_of_attorney", "委托书.pdf", testPDF("委托书 " + testIDNumber)},
	}
	// First without the phone: refused, files staged.
	form := v.get(t, "/apply")
	token := formTokenOf(t, form.Body)
	if r := v.postMultipart(t, "/apply", withToken(withFields(fields, formField{"phone", ""}), token), files); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("first attempt: %d", r.StatusCode)
	}
	r := v.postMultipart(t, "/apply", withToken(fields, token), nil)
	ack := v.follow(t, r)
	number := numberRE.FindStringSubmatch(ack.Body)[1]
	code := codeRE.FindStringSubmatch(ack.Body)[1]
	v.get(t, "/track/receipt")

	w := app.visitor(t)
	w.post(t, "/track", lookupForm(number, wrongCode(code)))
	w.post(t, "/track", lookupForm(number, code))
	app.visitor(t).post(t, "/track/lost", url.Values{"number": {number}, "contact": {testPhone}})
	app.visitor(t).post(t, "/track/lost", url.Values{"number": {number}, "contact": {testEmail}})
	app.visitor(t).post(t, "/track/lost", url.Values{"number": {number}, "contact": {testAgentPhone}})

	a, _ := app.store.ApplicationByNumber(ctx, number)
	today := app.store.Today()
	for _, e := range []models.Event{
		{Kind: models.EventConfirmed, On: today, ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}},
		{Kind: models.EventCorrectionRequested, On: today, ActorKind: models.ActorStaff, Data: models.EventData{
			Items: []string{"请写明年份"}, DueOn: models.MustParseDate("2026-03-04")}},
	} {
		if _, err := app.store.AppendEvent(ctx, app.agency.ID, a.ID, e, 0); err != nil {
			t.Fatal(err)
		}
	}
	page := w.get(t, "/track/status")
	w.postMultipart(t, "/track/correction", []formField{{"form_token", formTokenOf(t, page.Body)}, {"correction", "2025年度"}},
		[]fileUpload{{"correction_files", "补充" + testPhone + ".pdf", testPDF("补充")}})
	app.h.WaitNotifications()

	// Checkpoint the WAL? No: grep the WAL as it is, and the main file.
	path := store.SQLitePath(app.store.DSN())
	var db []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		db = append(db, b...)
	}
	if len(db) == 0 {
		t.Fatal("read nothing from the database files")
	}
	// The grep reads the right bytes: masked values and names are there.
	for _, want := range []string{"1101**********4477", "138****5678", "赵律师", number} {
		if !strings.Contains(string(db), want) {
			t.Fatalf("database files lack %q: the grep is not looking at the data", want)
		}
	}
	logs := app.logs.String()
	if !strings.Contains(logs, "sms not sent") || !strings.Contains(logs, "mail not sent") {
		t.Fatalf("the log-only senders did not run:\n%s", logs)
	}
	for _, secret := range []string{testIDNumber, testAgentID, testPhone, testAgentPhone, testEmail, testAddress, code,
		strings.ReplaceAll(code, "-", "")} {
		if strings.Contains(string(db), secret) {
			t.Errorf("the database file holds %q in clear", secret)
		}
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q:\n%s", secret, logs)
		}
	}
}
