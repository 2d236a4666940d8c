package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// longInput is typed into text fields: far wider than any VARCHAR column
// (MariaDB refuses an over-wide value in strict mode, where SQLite stores
// it), yet well within the body limits.
var longInput = strings.Repeat("长", 5000)

// plausibleValue is what a probe puts in a form's empty text field while
// another field carries longInput, so that the long value gets past the
// other fields' checks and reaches the rules and the database.
func plausibleValue(name, today string, n int) string {
	switch {
	case name == "date" || strings.HasSuffix(name, "_on") || strings.HasSuffix(name, "_date"):
		return today
	case strings.Contains(name, "email"):
		return "probe" + strconv.Itoa(n) + "@example.gov.cn"
	case strings.Contains(name, "phone"):
		return testPhone
	case strings.Contains(name, "id_number"):
		return testIDNumber
	case name == "post_code":
		return "112000"
	case name == "url" || name == "website":
		return "https://www.example.gov.cn/"
	case name == "username":
		return "probe" + strconv.Itoa(n)
	case name == "sort_order" || name == "days_count" || name == "amount":
		return "1"
	}
	return "测试" + strconv.Itoa(n)
}

// TestSecurityLongInput (ASVS 5.1.3), on SQLite and MariaDB: 5,000
// characters in the text fields of every staff form a walk as a user with
// every role finds (on applications at several stages), of the application
// form and of the applicant's other forms never cause a server error. Each
// form is posted with every text field long at once, and then once per
// text field with that field long and the others at their shown value (or
// a plausible one), so that the long value gets past the other checks to
// the rules and the database. A calendar preview a post answers with is
// confirmed too, and a whole year is imported with a long notice and a long
// holiday name. A refusal is a 422 with a Chinese message; an acceptance
// (for the fields with no set width) is fine.
func TestSecurityLongInput(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{})
		today := s.Today().String()
		n := 0
		checked := 0
		check := func(what string, r citizenResponse) {
			t.Helper()
			checked++
			switch {
			case r.StatusCode >= 500:
				t.Errorf("%s: %d\n%s", what, r.StatusCode, lastLines(w.logs.String(), 2))
			case r.StatusCode == http.StatusUnprocessableEntity && !strings.Contains(r.Body, `class="field-error`) &&
				!strings.Contains(r.Body, `id="error-summary"`) && !strings.Contains(r.Body, "内容过长："):
				t.Errorf("%s: 422 without a Chinese message:\n%s", what, staffExcerpt(r.Body))
			}
		}
		// post checks a response, and when it is a preview to confirm (the
		// calendar's), also the confirmation as the preview carries it.
		post := func(v *visitor, what string, r citizenResponse) {
			t.Helper()
			check(what, r)
			if r.StatusCode != http.StatusOK {
				return
			}
			for _, sf := range formsOf(w.srv.URL+"/staff", r.Body) {
				if sf.method == "POST" && strings.HasSuffix(sf.action, "/save") {
					check(what+", then "+sf.action, v.submitForm(t, sf, func(string) string { return "" }))
				}
			}
		}
		probe := func(v *visitor, page string, body string, f htmlForm) {
			t.Helper()
			shown := fieldValues(body)
			post(v, "POST "+f.action+" (all long, form on "+page+")", v.submitForm(t, f, func(string) string { return longInput }))
			for _, long := range f.text {
				post(v, "POST "+f.action+" ("+long+" long, form on "+page+")", v.submitForm(t, f, func(name string) string {
					n++
					switch {
					case name == long:
						return longInput
					case shown[name] != "":
						return shown[name]
					}
					return plausibleValue(name, today, n)
				}))
			}
		}

		// The application form: everything long, then each field long in
		// an otherwise valid application.
		v := w.visitor(t)
		page := v.get(t, "/apply")
		f, ok := formWithAction(formsOf(w.srv.URL+"/apply", page.Body), "/apply")
		if !ok || len(f.text) < 10 {
			t.Fatalf("the application form has %d text fields", len(f.text))
		}
		check("POST /apply (all long)", v.submitForm(t, f, func(string) string { return longInput }))
		// Each field long in an otherwise valid application of the kind
		// that uses it (a person, an organisation, a person with an agent).
		org := withFields(personFields(), formField{"applicant_type", "organisation"}, formField{"org_kind", "legal"},
			formField{"org_name", "辽宁某某律师事务所"}, formField{"credit_code", testCreditCode}, formField{"legal_rep", "李四"},
			formField{"contact_person", "王五"})
		agent := withFields(personFields(), formField{"has_agent", "1"}, formField{"agent_name", "赵律师"},
			formField{"agent_id_type", "resident_id"}, formField{"agent_id_number", testAgentID}, formField{"agent_phone", testAgentPhone})
		poa := []fileUpload{{"power_of_attorney", "授权委托书.pdf", testPDF("委托")}}
		for _, long := range f.text {
			base, files := personFields(), []fileUpload(nil)
			switch {
			case slices.Contains([]string{"org_name", "credit_code", "legal_rep", "contact_person"}, long):
				base = org
			case strings.HasPrefix(long, "agent_"):
				base, files = agent, poa
			}
			check("POST /apply ("+long+" long)", v.apply(t, withFields(base, formField{long, longInput}), files))
		}

		// Applications at several stages, so that the walk finds the step
		// forms of each: received, routed to section A, answered.
		fresh, _ := w.visitor(t).submitted(t, personFields(), nil)
		routed, routedCode := w.visitor(t).submitted(t, personFields(), nil)
		answered, _ := w.visitor(t).submitted(t, personFields(), nil)
		clerk := w.office(t, w.team.clerk)
		for _, number := range []string{routed, answered} {
			clerk.mustStep(t, number, "confirm", url.Values{"received_on": {today}})
			clerk.mustStep(t, number, "route", url.Values{"section_id": {itoa(w.team.sectionA.ID)}, "role": {"lead"}})
		}
		w.office(t, w.team.secA).mustPostFiles(t, "/staff/applications/"+answered+"/answer/draft", draftFormFields(models.OutcomeNotHeld), nil)
		signOff(t, w.citizenApp, w.team, answered)

		// The applicant's other forms, signed in to the routed application.
		applicant := w.visitor(t)
		if r := applicant.post(t, "/track", lookupForm(routed, routedCode)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("look-up: %d", r.StatusCode)
		}
		for _, p := range []string{"/track", "/track/lost", "/track/status", "/track/withdraw"} {
			r := applicant.get(t, p+"?again=1")
			for _, cf := range formsOf(w.srv.URL+p, r.Body) {
				if cf.method == "POST" && len(cf.text) > 0 && !strings.HasSuffix(cf.action, "/signout") {
					probe(applicant, p, r.Body, cf)
				}
			}
		}

		// Every staff form.
		omni := w.office(t, w.omni)
		start := []string{"/staff"}
		for _, number := range []string{fresh, routed, answered} {
			start = append(start, "/staff/applications/"+number)
		}
		posted := 0
		for _, c := range omni.crawl(t, start, []string{"/staff"}, 2, 150) {
			if !strings.HasPrefix(c.resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, sf := range formsOf(w.srv.URL+c.url, c.resp.Body) {
				if sf.method != "POST" || len(sf.text) == 0 || skipFormXSS(sf.action) {
					continue
				}
				probe(omni.visitor, c.url, c.resp.Body, sf)
				posted++
			}
		}
		// A whole year imported, previewed and saved, with a long notice
		// and with a long holiday name: the walk's plausible text is not a
		// calendar, so these are posted by hand.
		cal, err := s.Calendar(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		days := cal.Days(2026)
		longName := slices.Clone(days)
		longName[0].Name = longInput
		for _, tc := range []struct {
			what, days, notice string
		}{
			{"notice long", models.FormatCalendarText(days), longInput},
			{"a holiday's name long", models.FormatCalendarText(longName), "国办发明电〔2025〕7号"},
		} {
			form := url.Values{"year": {"2026"}, "days": {tc.days}, "notice": {tc.notice}}
			post(omni.visitor, "POST /staff/admin/calendar/import ("+tc.what+")", omni.send(t, "/staff/admin/calendar/import", form))
		}
		t.Logf("posted %d staff forms, %d requests in all", posted, checked)
		if posted < 25 {
			t.Errorf("posted only %d staff forms with text fields: did the walk reach the staff pages?", posted)
		}
	})
}
