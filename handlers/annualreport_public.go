package handlers

import (
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// annualReportRoutes registers the public pages of the 政府信息公开工作年度报告
// (条例第四十九条、第五十条): every published report with its PDF and XLSX and
// its correction history.
//
//	/annual-reports                     every published report, newest year first
//	/annual-reports/{year}              → the year's current version
//	/annual-reports/{year}/v{n}         version n as a web page
//	/annual-reports/{year}/v{n}.pdf     its PDF, as published (locked)
//	/annual-reports/{year}/v{n}.xlsx    its XLSX, as published (locked)
func (h *Handler) annualReportRoutes(r *gin.Engine) {
	r.GET("/annual-reports", h.wrap(h.showAnnualReports))
	r.GET("/annual-reports/:year", h.wrap(h.currentAnnualReport))
	r.GET("/annual-reports/:year/:version", h.wrap(h.annualReportVersion))
}

// annualReportYear is one year on the public list: its version in force
// and the versions it corrected.
type annualReportYear struct {
	Year    int
	Title   string
	Current reportVersion
	Earlier []reportVersion // newest first
}

// AnnualReportsPage is the data of /annual-reports.
type AnnualReportsPage struct {
	BasePage
	Years []annualReportYear
}

// showAnnualReports serves GET /annual-reports.
func (h *Handler) showAnnualReports(c *gin.Context) error {
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	all, err := h.store.PublishedAnnualReports(c.Request.Context(), a.ID)
	if err != nil {
		return err
	}
	p := AnnualReportsPage{BasePage: h.basePage(c, "annual-reports")}
	for _, v := range all {
		// Newest year first and, within a year, the current version first.
		if n := len(p.Years); n > 0 && p.Years[n-1].Year == v.Year {
			p.Years[n-1].Earlier = append(p.Years[n-1].Earlier, reportVersionOf(v))
			continue
		}
		p.Years = append(p.Years, annualReportYear{Year: v.Year, Title: models.ReportTitle(v.AgencyName, v.Year), Current: reportVersionOf(v)})
	}
	return h.renderPage(c, http.StatusOK, "annualreports/index", p)
}

// publicReportYear reads the year of a public URL; anything else is not
// found.
func publicReportYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < models.FirstReportYear {
		return 0, errNotFound
	}
	return y, nil
}

// currentAnnualReport serves GET /annual-reports/{year}: a stable address
// for a year's report, sent on to the version in force.
func (h *Handler) currentAnnualReport(c *gin.Context) error {
	year, err := publicReportYear(c.Param("year"))
	if err != nil {
		return err
	}
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	p, err := h.store.PublishedAnnualReport(c.Request.Context(), a.ID, year, 0)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusFound, reportVersionURL(year, p.Version, ""))
	return nil
}

// versionRe matches the last segment of a version's address: v2, v2.pdf,
// v2.xlsx.
var versionRe = regexp.MustCompile(`^v([1-9][0-9]{0,3})(?:\.(` + store.ReportPDF + `|` + store.ReportXLSX + `))?$`)

// AnnualReportPage is the data of a published version's page.
type AnnualReportPage struct {
	BasePage
	Title    string
	Version  reportVersion
	Current  *reportVersion // the version in force, when this one was corrected
	Sections []reportSection
}

// annualReportVersion serves GET /annual-reports/{year}/v{n}[.pdf|.xlsx]:
// a published version as a page built from its snapshot, or its files
// exactly as they were stored when it was published.
func (h *Handler) annualReportVersion(c *gin.Context) error {
	year, err := publicReportYear(c.Param("year"))
	if err != nil {
		return err
	}
	m := versionRe.FindStringSubmatch(c.Param("version"))
	if m == nil {
		return errNotFound
	}
	version, _ := strconv.Atoi(m[1])
	a, err := h.agency(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if kind := m[2]; kind != "" {
		name, contentType, content, err := h.store.AnnualReportFile(ctx, a.ID, year, version, kind)
		if err != nil {
			return err
		}
		// A version never changes once published: caches may keep it.
		c.Header("Cache-Control", "public, max-age=86400")
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		c.Data(http.StatusOK, contentType, content)
		return nil
	}
	p, err := h.store.PublishedAnnualReport(ctx, a.ID, year, version)
	if err != nil {
		return err
	}
	page := AnnualReportPage{BasePage: h.basePage(c, "annual-reports"), Title: models.ReportTitle(p.AgencyName, year),
		Version: reportVersionOf(*p)}
	page.Sections, _ = reportSections(*p.Report, fmt.Sprintf("v%d", version), nil)
	if !p.Current() {
		cur, err := h.store.PublishedAnnualReport(ctx, a.ID, year, 0)
		if err != nil {
			return err
		}
		v := reportVersionOf(*cur)
		page.Current = &v
	}
	return h.renderPage(c, http.StatusOK, "annualreports/show", page)
}
