package handlers

import (
	"testing"

	"gongkai/handlers/browsertest"
)

// TestDashboardAndSearchAccessible checks the dashboard with every list
// filled (overdue, due soon, waiting for confirmation) and both charts, for
// the office and for a section, and the search with results, with
// axe-core and at 320 CSS pixels. The charts' text alternatives are
// checked by TestDashboardPage.
func TestDashboardAndSearchAccessible(t *testing.T) {
	b := browsertest.New(t)
	f := newOverviewFixture(t)
	for _, v := range []struct{ user, path string }{
		{"role-office-clerk", "/staff"},
		{"role-section-handler", "/staff"},
		{"role-office-head", "/staff/search?status=processing"},
	} {
		t.Run(v.user+" "+v.path, func(t *testing.T) {
			tab := b.NewTab(t)
			staffLogin(t, tab, f.app.srv.URL, v.user, staffPassword)
			tab.Visit(t, f.app.srv.URL+v.path)
			tab.CheckAccessible(t, v.path)
		})
	}
}
