package handlers

// The dashboard (issue 8) on the staff start page: for the roles that may
// view it (ActionViewDashboard), the figures of their scope — the agency
// for the office, their sections for a section's staff — from
// store.Dashboard, with two charts drawn here as SVG on the server (no
// script), each with a title, a description that reads out every value,
// and a visible table of the same figures.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// DashboardView is the dashboard as the start page shows it.
type DashboardView struct {
	*store.DashboardView
	Sectional   bool // the user's sections only
	DueSoonDays int
	// Statuses are the counts by status: the open ones now (待确认 for the
	// office only: it is in no section), then those closed this year.
	Statuses []StatusRow
	Sections []SectionRow
	Overdue  []WorkRow
	DueSoon  []WorkRow
	Pending  []PendingRow // as the intake inbox shows them
	Months   BarChart
	Outcomes BarChart
	// AverageDays is this year's average answer time, "—" without answers.
	AverageDays string
	// CanCalendar links the calendar warning to the calendar page
	// (administrators); CanConfirm links the waiting applications to the
	// intake inbox.
	CanCalendar bool
	CanConfirm  bool
	// HistoryTime is when this year's figures and the charts were
	// computed (they may be up to a minute old; see store.Dashboard).
	HistoryTime string
}

// StatusRow is one line of the status table.
type StatusRow struct {
	Label string
	Count int
}

// SectionRow is one line of the section table.
type SectionRow struct {
	Name string
	models.SectionLoad
	AverageDays string
}

// dashboard computes the dashboard of the signed-in user's scope.
func (h *Handler) dashboard(c *gin.Context) (*DashboardView, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	scope := models.ScopeOf(u, models.ActionViewDashboard)
	d, err := h.store.Dashboard(ctx, u.AgencyID, scope)
	if err != nil {
		return nil, err
	}
	rules, err := h.store.ClockRules(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	sections, err := h.store.Sections(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	names := sectionNames(sections)
	v := &DashboardView{DashboardView: d, Sectional: !scope.Agency, DueSoonDays: rules.DueSoonDays,
		AverageDays: averageDays(d.Answers), CanCalendar: models.CanRoute(u, models.ActionManageCalendar),
		CanConfirm: models.CanRoute(u, models.ActionConfirmReceipt), HistoryTime: d.HistoryAsOf.In(h.store.Location()).Format("15:04")}
	for _, l := range d.Sections {
		name := names[l.SectionID]
		if l.SectionID == 0 {
			name = "尚未分办"
		}
		v.Sections = append(v.Sections, SectionRow{Name: name, SectionLoad: l, AverageDays: averageDays(l.Answers)})
	}
	for _, sc := range d.Open.ByStatus {
		if sc.Status != models.StatusPending || scope.Agency {
			v.Statuses = append(v.Statuses, StatusRow{sc.Status.Label(), sc.Count})
		}
	}
	for _, sc := range d.ClosedThisYear {
		v.Statuses = append(v.Statuses, StatusRow{sc.Status.Label() + "（本年办结）", sc.Count})
	}
	today := d.Window.Today
	for _, it := range d.Overdue {
		v.Overdue = append(v.Overdue, workRow(it, names, today))
	}
	for _, it := range d.DueSoon {
		v.DueSoon = append(v.DueSoon, workRow(it, names, today))
	}
	for _, a := range d.Pending {
		n, ok := d.Waited[a.ID]
		v.Pending = append(v.Pending, PendingRow{App: a, WaitingDays: n, Unknown: !ok})
	}
	v.Months = monthsChart(d.Months)
	v.Outcomes = outcomesChart(d.Outcomes, today.Year())
	return v, nil
}

// averageDays formats an average answer time with one decimal.
func averageDays(a models.AnswerTime) string {
	if a.Count == 0 {
		return "—"
	}
	return strconv.FormatFloat(a.Average(), 'f', 1, 64)
}

// BarChart is a bar chart drawn as SVG: its geometry in the viewBox's
// units, and the text that stands for it (Title, Description, the
// table of Bars).
type BarChart struct {
	ID          string // prefix of the element ids
	Title       string
	Description string // every value, in words (the SVG's desc)
	Category    string // what the bars are, for the table header
	Width       int
	Height      int
	PlotTop     int // y of the top of the plot area
	PlotBottom  int // y of the axis
	PlotLeft    int
	PlotRight   int
	TickX       int // right edge of the value labels
	LabelY      int // baseline of the bar labels
	SubLabelY   int // baseline of their second line
	Bars        []Bar
	Ticks       []Tick
}

// Bar is one bar with its label.
type Bar struct {
	Label      string // below the bar
	SubLabel   string // a second line below it (the year, at a year's first month)
	FullLabel  string // in the table
	Value      int
	X, Y, W, H float64
	// LabelX, ValueY place the axis label and the value above the bar.
	LabelX, ValueY float64
}

// Tick is a grid line of the value axis.
type Tick struct {
	Y     float64
	Value int
}

// Chart geometry, in the viewBox's units (the SVG scales to the width of
// its container).
const (
	chartWidth  = 640
	chartHeight = 264
	chartTop    = 24
	chartBottom = 212 // the axis; labels below it
	chartLeft   = 48
	chartRight  = 628
)

// newBarChart lays out bars for values with their labels.
func newBarChart(id, title, category string, labels, fullLabels []string, values []int) BarChart {
	ch := BarChart{ID: id, Title: title, Category: category, Width: chartWidth, Height: chartHeight,
		PlotTop: chartTop, PlotBottom: chartBottom, PlotLeft: chartLeft, PlotRight: chartRight,
		TickX: chartLeft - 8, LabelY: chartBottom + 20, SubLabelY: chartBottom + 38}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	scale := niceScale(top)
	step := scale / 4
	for v := 0; v <= scale; v += step {
		ch.Ticks = append(ch.Ticks, Tick{Y: chartBottom - float64(v)/float64(scale)*(chartBottom-chartTop), Value: v})
	}
	slot := float64(chartRight-chartLeft) / float64(len(values))
	w := slot * 0.6
	for i, v := range values {
		h := float64(v) / float64(scale) * (chartBottom - chartTop)
		x := chartLeft + slot*float64(i) + (slot-w)/2
		ch.Bars = append(ch.Bars, Bar{Label: labels[i], FullLabel: fullLabels[i], Value: v,
			X: round1(x), Y: round1(chartBottom - h), W: round1(w), H: round1(h),
			LabelX: round1(x + w/2), ValueY: round1(chartBottom - h - 6)})
	}
	return ch
}

// niceScale returns the top of the value axis: at least 4, a multiple of
// 4 so that the four grid steps are whole numbers, and the first of 1, 2
// or 5 × 10ⁿ (times 4) not below max.
func niceScale(top int) int {
	if top <= 4 {
		return 4
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if s := 4 * m * p; s >= top {
				return s
			}
		}
	}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// monthsChart draws the applications received per month.
func monthsChart(months []models.MonthCount) BarChart {
	var labels, full []string
	var values []int
	total, best := 0, -1
	for i, m := range months {
		labels = append(labels, m.ShortLabel())
		full = append(full, m.Label())
		values = append(values, m.Count)
		total += m.Count
		if best < 0 || m.Count > months[best].Count {
			best = i
		}
	}
	ch := newBarChart("chart-months", "近12个月每月收到的申请数", "月份", labels, full, values)
	for i, m := range months {
		if i == 0 || m.Month == time.January {
			ch.Bars[i].SubLabel = strconv.Itoa(m.Year) + "年"
		}
	}
	var parts []string
	for _, m := range months {
		parts = append(parts, fmt.Sprintf("%s%d件", m.Label(), m.Count))
	}
	if len(months) > 0 {
		ch.Description = fmt.Sprintf("柱状图：%s至%s，共收到申请%d件（以收到申请之日计，条例第三十一条），最多的是%s（%d件）。各月：%s。",
			months[0].Label(), months[len(months)-1].Label(), total, months[best].Label(), months[best].Count, strings.Join(parts, "，"))
	}
	return ch
}

// outcomesChart draws this year's closed cases by the report's groups.
func outcomesChart(groups []models.OutcomeGroup, year int) BarChart {
	var labels, full []string
	var values []int
	total := 0
	var parts []string
	for _, g := range groups {
		labels = append(labels, g.Label)
		full = append(full, g.Title)
		values = append(values, g.Count)
		total += g.Count
		parts = append(parts, fmt.Sprintf("%s%d件", g.Title, g.Count))
	}
	ch := newBarChart("chart-outcomes", fmt.Sprintf("%d年办结申请的办理结果", year), "办理结果", labels, full, values)
	ch.Description = fmt.Sprintf("柱状图：%d年1月1日至今办结的申请共%d件，按年度报告表三的办理结果分组：%s。", year, total, strings.Join(parts, "，"))
	return ch
}
