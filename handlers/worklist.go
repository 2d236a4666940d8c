package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// WorkRow is one application of a worklist.
type WorkRow struct {
	App      *models.Application
	Sections []WorkSection
	Overdue  bool
	// Mine is the internal due date of the user's own section (section
	// scope), the one they work to.
	Mine models.Date
}

// WorkSection is a section on a worklist row.
type WorkSection struct {
	Name          string
	Role          string
	InternalDueOn models.Date
}

// WorklistPage is the data of the worklist.
type WorklistPage struct {
	BasePage
	Sectional bool // the user sees only their sections' applications
	Heading   string
	Rows      []WorkRow
	// Total is how many the whole list has; First and Last number the
	// rows shown (1-based); PrevURL and NextURL page through it.
	Total, First, Last int
	PrevURL, NextURL   string
}

// worklistPageSize is how many applications one page of the worklist shows.
const worklistPageSize = 100

// showWorklist serves GET /staff/worklist: the open applications in the
// user's scope (models.ScopeOf): a section's staff see those assigned to
// their sections, 主办 or 协办, with their internal due dates; the office
// sees all of them. The soonest statutory due date comes first.
func (h *Handler) showWorklist(c *gin.Context) error {
	ctx := c.Request.Context()
	u := staffUser(c)
	scope := models.ScopeOf(u, models.ActionSearchApplications)
	pageNo, err := strconv.Atoi(c.DefaultQuery("page", "1"))
	if err != nil || pageNo < 1 {
		pageNo = 1
	}
	offset := (pageNo - 1) * worklistPageSize
	items, total, err := h.store.WorklistPage(ctx, u.AgencyID, scope, offset, worklistPageSize)
	if err != nil {
		return err
	}
	sections, err := h.store.Sections(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	names := sectionNames(sections)
	page := WorklistPage{BasePage: h.basePage(c, "worklist"), Sectional: !scope.Agency, Heading: "办理中的申请",
		Total: total, First: offset + 1, Last: offset + len(items)}
	if pageNo > 1 {
		page.PrevURL = withQuery("/staff/worklist", pageValues(nil, pageNo-1))
	}
	if offset+len(items) < total {
		page.NextURL = withQuery("/staff/worklist", pageValues(nil, pageNo+1))
	}
	if page.Sectional {
		page.Heading = "本科室申请"
	}
	today := h.store.Today()
	for _, it := range items {
		row := workRow(it, names, today)
		if page.Sectional {
			for _, s := range it.Sections {
				if containsID(u.SectionIDs, s.SectionID) && (row.Mine.IsZero() || s.InternalDueOn.Before(row.Mine)) {
					row.Mine = s.InternalDueOn
				}
			}
		}
		page.Rows = append(page.Rows, row)
	}
	return h.renderPage(c, http.StatusOK, "staff/worklist", page)
}

func workRow(it store.WorkItem, names map[int64]string, today models.Date) WorkRow {
	row := WorkRow{App: it.App, Overdue: !it.App.DueOn.IsZero() && today.After(it.App.DueOn)}
	for _, s := range it.Sections {
		name := names[s.SectionID]
		if name == "" {
			name = "科室" + strconv.FormatInt(s.SectionID, 10)
		}
		row.Sections = append(row.Sections, WorkSection{Name: name, Role: s.Role.Label(), InternalDueOn: s.InternalDueOn})
	}
	return row
}

// JobsPage is the data of the job runs page.
type JobsPage struct {
	BasePage
	Runs []models.JobRun
}

// showJobs serves GET /staff/admin/jobs: the latest runs of the daily jobs
// (expiries, clocks, purges), for administrators.
func (h *Handler) showJobs(c *gin.Context) error {
	runs, err := h.store.JobRuns(c.Request.Context(), 60)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/jobs", JobsPage{BasePage: h.basePage(c, "jobs"), Runs: runs})
}

// JobName returns a job's name in Chinese.
func (JobsPage) JobName(name string) string {
	switch name {
	case store.DailyJobName:
		return "每日期限处理（期限届满、重新计算答复期限、清理暂存文件）"
	case store.ReminderJobName:
		return "每日提醒邮件（临近到期、已逾期、待确认和已处理的到期事项）"
	}
	return name
}
