package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestSecuritySQLMetacharactersInert (ASVS 5.3.4, 5.3.5), on SQLite and
// MariaDB: quotes, comments, a stacked statement, LIKE's wildcards and
// backslashes (sqlPayloads)
//   - typed into every free-text field of an application are stored and
//     read back verbatim;
//   - searched for, match only the applications that contain them
//     literally (a lone % or _ finds only the titles holding one);
//   - put into every query parameter of every GET form (search, filters,
//     the audit log, the catalog) a walk of the public and staff pages
//     finds, into path parameters, and into every text field of every staff
//     form, never cause a server error (500), and no table is lost.
func TestSecuritySQLMetacharactersInert(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		w := newSecWorld(t, s, clock, Config{})
		plain, _ := w.visitor(t).submitted(t, personFields(), nil)

		// Stored verbatim.
		titles := map[string]string{} // number → title
		for _, p := range sqlPayloads {
			fields := withFields(personFields(), formField{models.FieldName, "张" + p}, formField{models.FieldTitle, "标题" + p},
				formField{models.FieldDescription, "描述" + p}, formField{models.FieldPurpose, "用途" + p})
			n, _ := w.visitor(t).submitted(t, fields, nil)
			app, err := s.ApplicationByNumber(t.Context(), n)
			if err != nil {
				t.Fatal(err)
			}
			who, err := s.Applicant(t.Context(), app.AgencyID, app.ApplicantID)
			if err != nil {
				t.Fatal(err)
			}
			if app.Title != "标题"+p || app.Description != "描述"+p || app.Purpose != "用途"+p || who.Name != "张"+p {
				t.Errorf("payload %q stored as title %q, description %q, purpose %q, name %q",
					p, app.Title, app.Description, app.Purpose, who.Name)
			}
			titles[n] = app.Title
		}
		if got := countRows(t, s, "applications"); got != len(sqlPayloads)+1 {
			t.Errorf("%d applications, want %d", got, len(sqlPayloads)+1)
		}

		// Searched for: exactly the literal matches.
		omni := w.office(t, w.omni)
		for _, p := range sqlPayloads {
			r := omni.get(t, "/staff/search?text="+url.QueryEscape(p))
			if r.StatusCode != http.StatusOK {
				t.Errorf("search for %q: %d", p, r.StatusCode)
				continue
			}
			for n, title := range titles {
				if want := strings.Contains(title, p); strings.Contains(r.Body, n) != want {
					t.Errorf("search for %q: lists %s (title %q) = %v, want %v", p, n, title, !want, want)
				}
			}
			if strings.Contains(r.Body, plain) {
				t.Errorf("search for %q lists the application without it", p)
			}
		}

		// Every query parameter, path parameter and staff form.
		checkNo500 := func(what string, r citizenResponse) {
			t.Helper()
			if r.StatusCode >= 500 {
				t.Errorf("%s: %d\n%s", what, r.StatusCode, staffExcerpt(r.Body))
			}
		}
		anon := w.visitor(t)
		staffPages := omni.crawl(t, []string{"/staff", "/staff/applications/" + plain}, []string{"/staff"}, 2, 150)
		publicPages := anon.crawl(t, []string{"/", "/catalog", "/guide", "/annual-reports", "/track"}, []string{"", "/catalog", "/guide", "/annual-reports", "/track", "/apply", "/privacy"}, 2, 60)
		getForms, params := 0, 0
		for _, set := range []struct {
			v     *visitor
			pages []crawled
		}{{omni.visitor, staffPages}, {anon, publicPages}} {
			for _, c := range set.pages {
				u, _ := url.Parse(c.url)
				// Each parameter of the page's own URL.
				for k := range u.Query() {
					for _, p := range sqlPayloads {
						q := u.Query()
						q.Set(k, p)
						params++
						checkNo500("GET "+u.Path+"?"+k+"="+p, set.v.get(t, u.Path+"?"+q.Encode()))
					}
				}
				if !strings.HasPrefix(c.resp.Header.Get("Content-Type"), "text/html") {
					continue
				}
				for _, f := range formsOf(w.srv.URL+c.url, c.resp.Body) {
					if f.method != "GET" {
						continue
					}
					getForms++
					for _, p := range sqlPayloads {
						// Text fields and the choices of selects and radios alike.
						g := f
						g.fields = slices.Clone(f.fields)
						for i := range g.fields {
							g.fields[i].v = p
						}
						checkNo500("GET form "+f.action+" with "+p, set.v.submitForm(t, g, func(string) string { return p }))
					}
				}
			}
		}
		if getForms < 8 {
			t.Errorf("only %d GET forms (search and filters) found", getForms)
		}
		t.Logf("GET forms: %d, query parameters: %d, staff pages: %d, public pages: %d", getForms, params, len(staffPages), len(publicPages))
		for _, p := range sqlPayloads {
			e := url.PathEscape(p)
			for _, path := range []string{"/staff/applications/" + e, "/staff/applications/" + e + "/files", "/staff/admin/users/" + e,
				"/catalog/entries/" + e, "/catalog/entries/1/files/" + e, "/annual-reports/" + e, "/track/notices/" + e} {
				checkNo500("GET "+path, omni.get(t, path))
			}
		}
		posted := 0
		for _, c := range staffPages {
			if !strings.HasPrefix(c.resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, f := range formsOf(w.srv.URL+c.url, c.resp.Body) {
				if f.method != "POST" || len(f.text) == 0 || skipFormXSS(f.action) {
					continue
				}
				i := 0
				checkNo500("POST "+f.action, omni.submitForm(t, f, func(string) string { i++; return sqlPayloads[i%len(sqlPayloads)] }))
				posted++
			}
		}
		if posted < 15 {
			t.Errorf("posted only %d staff forms", posted)
		}
		if got := countRows(t, s, "applications"); got < len(sqlPayloads)+1 {
			t.Errorf("%d applications after the attack, want at least %d", got, len(sqlPayloads)+1)
		}
	})
}
