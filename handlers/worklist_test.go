package handlers

import (
	"strings"
	"testing"

	"gongkai/models"
	"gongkai/models/store/storetest"
)

// TestWorklistPager: a long worklist shows 100 applications a page, says
// how many there are in all and which are shown, and links the pages.
func TestWorklistPager(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		ag := storetest.DefaultAgency(t, app.store)
		rows := make([]storetest.Row, 230)
		for i := range rows {
			rows[i] = storetest.Row{ApplicantName: "分页", Status: models.StatusProcessing, ReceivedOn: models.MustParseDate("2026-02-09"),
				DueOn: models.MustParseDate("2026-03-01").AddDays(i / 10), Lead: u.sectionA.ID}
		}
		storetest.InsertRows(t, app.store, ag.ID, rows)
		clerk := app.office(t, u.clerk)
		for _, c := range []struct {
			path, caption string
			prev, next    bool
		}{
			{"/staff/worklist", "共230件，本页为第1至100件", false, true},
			{"/staff/worklist?page=2", "共230件，本页为第101至200件", true, true},
			{"/staff/worklist?page=3", "共230件，本页为第201至230件", true, false},
			{"/staff/worklist?page=x", "共230件，本页为第1至100件", false, true},
		} {
			r := clerk.get(t, c.path)
			if r.StatusCode != 200 || !strings.Contains(r.Body, c.caption) {
				t.Errorf("%s: %d, want caption %q\n%s", c.path, r.StatusCode, c.caption, staffExcerpt(r.Body))
			}
			if got := strings.Contains(r.Body, `rel="prev"`); got != c.prev {
				t.Errorf("%s: previous-page link %v, want %v", c.path, got, c.prev)
			}
			if got := strings.Contains(r.Body, `rel="next"`); got != c.next {
				t.Errorf("%s: next-page link %v, want %v", c.path, got, c.next)
			}
			if n := strings.Count(r.Body, `href="/staff/applications/`); n > 100 {
				t.Errorf("%s: %d applications on one page, want at most 100", c.path, n)
			}
		}
	})
}
