package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// staffFixture is an agency with two sections, an application routed to
// each, and one user per role (the section roles in section A).
type staffFixture struct {
	app        *staffApp
	sectionA   int64
	sectionB   int64
	appA, appB *models.Application
	users      map[models.Role]*models.User
	victim     *models.User // the account the /staff/admin/users/:id routes act on
}

// routed files an application and routes it to a section as the lead.
func routed(t *testing.T, s *store.Store, agencyID, sectionID int64, title string) *models.Application {
	t.Helper()
	ctx := context.Background()
	sub := storetest.MustSubmit(t, s, agencyID, title)
	app, err := s.AppendEvent(ctx, agencyID, sub.Application.ID, models.Event{Kind: models.EventConfirmed,
		ActorKind: models.ActorStaff, Data: models.EventData{Channel: models.ChannelOnline}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sectionID != 0 {
		if app, err = s.AppendEvent(ctx, agencyID, app.ID, models.Event{Kind: models.EventAssigned, ActorKind: models.ActorStaff,
			Data: models.EventData{SectionID: sectionID, Role: models.RoleLead}}, 0); err != nil {
			t.Fatal(err)
		}
	}
	return app
}

func newStaffFixture(t *testing.T, s *store.Store, clock *storetest.Clock) *staffFixture {
	t.Helper()
	f := &staffFixture{app: newStaffApp(t, s, clock), users: map[models.Role]*models.User{}}
	agency := storetest.DefaultAgency(t, s)
	sections, err := s.Sections(context.Background(), agency.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.sectionA, f.sectionB = sections[1].ID, sections[2].ID
	f.appA = routed(t, s, agency.ID, f.sectionA, "2025年低保资金发放情况")
	f.appB = routed(t, s, agency.ID, f.sectionB, "养老机构名录")
	for _, r := range models.Roles {
		var secs []int64
		if r.IsSectionRole() {
			secs = []int64{f.sectionA}
		}
		f.users[r] = mkStaffUser(t, s, "role-"+strings.ReplaceAll(string(r), "_", "-"), []models.Role{r}, secs, false)
	}
	f.victim = mkStaffUser(t, s, "victim", []models.Role{models.RoleOfficeClerk}, nil, false)
	return f
}

func countAudit(t *testing.T, s *store.Store, action models.AuditAction) int {
	t.Helper()
	_, n, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: 1, Action: string(action)})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStaffRouteMatrix builds the role × route matrix from the router
// itself: every route under /staff must have a rule in staffRouteTable (a
// route added without one fails here), and every cell — no session, and
// each role — is requested. A role the rule does not allow gets 403 and
// an audit entry; an allowed one never does; a section role opening
// another section's application by its number gets 403, audited with the
// number.
func TestStaffRouteMatrix(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := newStaffFixture(t, s, clock)
		routes := f.app.h.Routes().Routes()
		seen := 0
		for _, rt := range routes {
			if rt.Path != "/staff" && !strings.HasPrefix(rt.Path, "/staff/") {
				continue
			}
			seen++
			rule, ok := staffRule(rt.Method, rt.Path)
			if !ok {
				t.Errorf("%s %s has no access rule in staffRouteTable", rt.Method, rt.Path)
				continue
			}
			if !rule.public && !rule.action.Valid() {
				t.Errorf("%s %s names unknown action %q", rt.Method, rt.Path, rule.action)
			}
			// The objects the route is exercised on.
			type target struct {
				path string
				app  *models.Application // nil: not an application route
			}
			var targets []target
			switch {
			case strings.Contains(rt.Path, ":number"):
				for _, a := range []*models.Application{f.appA, f.appB} {
					targets = append(targets, target{strings.Replace(rt.Path, ":number", a.Number, 1), a})
				}
			case strings.HasPrefix(rt.Path, "/staff/admin/users/:id"):
				targets = append(targets, target{strings.Replace(rt.Path, ":id", fmt.Sprint(f.victim.ID), 1), nil})
			case strings.HasPrefix(rt.Path, "/staff/admin/sections/:id"):
				targets = append(targets, target{strings.Replace(rt.Path, ":id", fmt.Sprint(f.sectionB), 1), nil})
			case strings.Contains(rt.Path, ":"):
				t.Errorf("%s %s: the matrix does not know how to fill its parameters", rt.Method, rt.Path)
				continue
			default:
				targets = append(targets, target{rt.Path, nil})
			}
			for _, tg := range targets {
				// No session.
				anon := &staffBrowser{app: f.app}
				r := anon.do(t, rt.Method, tg.path, url.Values{})
				switch {
				case rule.public && (r.status == 403 || r.status >= 500):
					t.Errorf("anonymous %s %s: %d", rt.Method, tg.path, r.status)
				case !rule.public && (r.status != 303 || !strings.HasPrefix(r.location, "/staff/login")):
					t.Errorf("anonymous %s %s: %d %s, want the login page", rt.Method, tg.path, r.status, r.location)
				}
				for _, role := range models.Roles {
					u := f.users[role]
					b := f.app.signIn(t, u)
					denied := countAudit(t, s, models.AuditAccessDenied)
					var r staffResp
					if rt.Method == "GET" {
						r = b.get(t, tg.path)
					} else {
						r = b.post(t, tg.path, url.Values{})
					}
					cell := fmt.Sprintf("%s %s as %s", rt.Method, tg.path, role)
					if r.status >= 500 {
						t.Errorf("%s: %d\n%s", cell, r.status, staffExcerpt(r.body))
						continue
					}
					if r.status == 303 && strings.HasPrefix(r.location, "/staff/login") && rt.Path != "/staff/logout" {
						t.Errorf("%s: sent to the login page with a live session", cell)
						continue
					}
					wantAllowed := rule.public || models.CanRoute(u, rule.action)
					wantObject := ""
					if wantAllowed && tg.app != nil {
						assist := []int64(nil)
						obj := models.ApplicationObject(tg.app, assist)
						// The view comes first on every application route.
						wantAllowed = models.Can(u, models.ActionViewApplication, obj) && models.Can(u, rule.action, obj)
						wantObject = tg.app.Number
					}
					if !wantAllowed {
						if r.status != 403 {
							t.Errorf("%s: %d, want 403", cell, r.status)
							continue
						}
						if got := countAudit(t, s, models.AuditAccessDenied); got != denied+1 {
							t.Errorf("%s: refusal not audited (%d entries, want %d)", cell, got, denied+1)
							continue
						}
						e := lastStaffAudit(t, s, models.AuditAccessDenied)
						wantType, wantID := models.AuditObjectPage, rt.Path
						if wantObject != "" {
							wantType, wantID = models.AuditObjectApplication, wantObject
						}
						if e.ActorID != u.ID || e.ObjectType != wantType || e.ObjectID != wantID {
							t.Errorf("%s: denial entry = actor %d object %s %s, want %d %s %s", cell, e.ActorID, e.ObjectType, e.ObjectID, u.ID, wantType, wantID)
						}
						continue
					}
					if r.status == 403 {
						t.Errorf("%s: 403, want it allowed\n%s", cell, staffExcerpt(r.body))
					}
					// An allowed page renders; the exceptions are the login
					// page (a signed-in user goes on) and the seal (none yet).
					if exc := map[string]int{"/staff/login": 303, "/staff/admin/agency/seal": 404}; rt.Method == "GET" &&
						r.status != 200 && r.status != exc[rt.Path] {
						t.Errorf("%s: %d, want the page\n%s", cell, r.status, staffExcerpt(r.body))
					}
				}
			}
		}
		if seen != len(staffRouteTable) {
			t.Errorf("router has %d staff routes, table %d", seen, len(staffRouteTable))
		}
	})
}

// TestUnlistedStaffRouteIsRefused: the gate fails closed for a route under
// /staff that has no rule, even for an administrator.
func TestUnlistedStaffRouteIsRefused(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newStaffApp(t, s, clock)
	admin := mkStaffUser(t, s, "admin2", []models.Role{models.RoleAdmin}, nil, false)
	token, _, err := s.CreateSession(context.Background(), admin.ID, app.h.sessionPolicy())
	if err != nil {
		t.Fatal(err)
	}
	r := app.h.Routes()
	called := false
	r.Group("/staff", app.h.staffGate).GET("/forgotten", func(*gin.Context) { called = true })
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/staff/forgotten", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	r.ServeHTTP(rec, req)
	if rec.Code != 403 || called {
		t.Errorf("unlisted route: %d, handler called %v", rec.Code, called)
	}
}
