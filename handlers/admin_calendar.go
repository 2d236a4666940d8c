package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// The working-day calendar: an administrator views a year as a month grid,
// adds or corrects a day, imports a year (the text format of `portal
// calendar import`), and confirms a year loaded from a library against the
// State Council's notice (国务院办公厅关于部分节假日安排的通知). Every edit is
// first shown as a preview with the open applications whose due dates it
// moves, computed with models.ComputeClock against the edited calendar;
// only the confirmation saves it (store.ApplyCalendarYear, which recomputes
// the stored deadlines and records the change in the ledger and the audit
// trail).

// YearRow is one loaded year in the list.
type YearRow struct {
	models.CalendarYear
	Holidays int
	Workdays int
}

// DayCell is one square of a month grid.
type DayCell struct {
	Day     int // 0 for the padding before the 1st and after the last day
	Date    models.Date
	Weekend bool
	Kind    models.DayKind // holiday, workday (调休上班) or ""
	Name    string
}

// DayRow is a special day in the list under the grid.
type DayRow struct {
	models.CalendarDay
	Weekday string
}

// ChangeRow is a changed day in the preview.
type ChangeRow struct {
	models.CalendarDayChange
	Weekday string
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekdayCN(d models.Date) string { return weekdays[d.Weekday()] }

// MonthGrid is one month, in weeks from Monday.
type MonthGrid struct {
	Month int
	Weeks [][]DayCell
}

// CalendarPage is the data of the calendar page.
type CalendarPage struct {
	BasePage
	Years    []YearRow
	Year     int
	Selected *models.CalendarYear // nil when Year is not loaded
	Months   []MonthGrid
	Days     []DayRow

	// The forms, as typed after an error.
	DayDate, DayKind, DayName string
	ImportText, ImportNotice  string
	ImportConfirmed           bool
	ConfirmNotice             string
	Form                      FormState
}

var calendarFormOrder = []string{"date", "kind", "name", "days", "file", "notice", "confirm_notice"}

func monthGrids(cal *models.Calendar, year int) []MonthGrid {
	var out []MonthGrid
	for m := time.January; m <= time.December; m++ {
		g := MonthGrid{Month: int(m)}
		first := models.NewDate(year, m, 1)
		week := make([]DayCell, (int(first.Weekday())+6)%7) // Monday first
		for d := first; d.Month() == m && d.Year() == year; d = d.AddDays(1) {
			cell := DayCell{Day: d.Day(), Date: d, Weekend: d.IsWeekend()}
			if e, ok := cal.Holiday(d); ok {
				cell.Kind, cell.Name = e.Kind, e.Name
			}
			week = append(week, cell)
			if len(week) == 7 {
				g.Weeks = append(g.Weeks, week)
				week = nil
			}
		}
		if len(week) > 0 {
			for len(week) < 7 {
				week = append(week, DayCell{})
			}
			g.Weeks = append(g.Weeks, week)
		}
		out = append(out, g)
	}
	return out
}

// calendarPage builds the page for year.
func (h *Handler) calendarPage(c *gin.Context, year int) (CalendarPage, error) {
	page := CalendarPage{BasePage: h.basePage(c, "calendar"), Year: year}
	cal, err := h.store.Calendar(c.Request.Context())
	if err != nil {
		return page, err
	}
	for _, y := range cal.Years() {
		row := YearRow{CalendarYear: y}
		for _, d := range cal.Days(y.Year) {
			if d.Kind == models.DayHoliday {
				row.Holidays++
			} else {
				row.Workdays++
			}
		}
		page.Years = append(page.Years, row)
	}
	if y, ok := cal.Year(year); ok {
		page.Selected = &y
		page.Months = monthGrids(cal, year)
		for _, d := range cal.Days(year) {
			page.Days = append(page.Days, DayRow{CalendarDay: d, Weekday: weekdayCN(d.Day)})
		}
	}
	return page, nil
}

// showCalendar serves GET /staff/admin/calendar?year=YYYY (this year by
// default).
func (h *Handler) showCalendar(c *gin.Context) error {
	year := h.store.Today().Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 1900 && y <= 2199 {
		year = y
	}
	page, err := h.calendarPage(c, year)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/calendar/index", page)
}

// calendarError re-renders the calendar page with a form's error.
func (h *Handler) calendarError(c *gin.Context, year int, err error, fill func(*CalendarPage)) error {
	if code := models.ErrorCode(err); code != models.EINVALID && code != models.ECONFLICT && code != models.ENOTFOUND {
		return err
	}
	page, perr := h.calendarPage(c, year)
	if perr != nil {
		return perr
	}
	fill(&page)
	page.Form = formState(err, calendarFormOrder...)
	return h.renderPage(c, http.StatusUnprocessableEntity, "staff/admin/calendar/index", page)
}

// CalendarPreviewPage is the data of the preview before saving a year.
type CalendarPreviewPage struct {
	BasePage
	Preview *store.CalendarPreview
	Changes []ChangeRow
	Lines   []string // the edited year in the text format, one hidden field each
	// Kind says what is previewed: "day" (one day added or corrected) or
	// "import" (a whole year).
	Kind string
}

func (h *Handler) renderCalendarPreview(c *gin.Context, kind string, y models.CalendarYear, days []models.CalendarDay) error {
	p, err := h.store.PreviewCalendarYear(c.Request.Context(), staffUser(c).AgencyID, y, days)
	if err != nil {
		return err
	}
	page := CalendarPreviewPage{BasePage: h.basePage(c, "calendar"), Preview: p, Kind: kind}
	for _, ch := range p.Changes {
		page.Changes = append(page.Changes, ChangeRow{CalendarDayChange: ch, Weekday: weekdayCN(ch.Day)})
	}
	for _, d := range p.Days {
		page.Lines = append(page.Lines, models.FormatCalendarDay(d))
	}
	return h.renderPage(c, http.StatusOK, "staff/admin/calendar/preview", page)
}

// previewCalendarDay serves POST /staff/admin/calendar/day: one day made a
// holiday, a 调休上班 day, or an ordinary day again, shown as a preview.
func (h *Handler) previewCalendarDay(c *gin.Context) error {
	date, kind, name := formValue(c, "date"), formValue(c, "kind"), formValue(c, "name")
	fill := func(p *CalendarPage) { p.DayDate, p.DayKind, p.DayName = date, kind, name }
	year := h.store.Today().Year()
	if y, err := strconv.Atoi(c.PostForm("year")); err == nil {
		year = y
	}
	var fe []models.FieldError
	d, err := models.ParseDate(date)
	if err != nil {
		fe = append(fe, models.FieldError{Field: "date", Message: "请填写日期，格式为YYYY-MM-DD。"})
	}
	switch models.DayKind(kind) {
	case models.DayHoliday, models.DayWorkday:
		if name == "" {
			fe = append(fe, models.FieldError{Field: "name", Message: "请填写所属节日，例如“国庆节”。"})
		} else if strings.ContainsAny(name, " \t") || len([]rune(name)) > 20 {
			fe = append(fe, models.FieldError{Field: "name", Message: "节日名称不能含空格，且不超过20个字。"})
		}
	case "ordinary":
	default:
		fe = append(fe, models.FieldError{Field: "kind", Message: "请选择这一天的安排。"})
	}
	if len(fe) > 0 {
		return h.calendarError(c, year, models.Invalid(fe...), fill)
	}
	year = d.Year()
	cal, err := h.store.Calendar(c.Request.Context())
	if err != nil {
		return err
	}
	cy, ok := cal.Year(year)
	if !ok {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "date",
			Message: fmt.Sprintf("%d年的节假日安排尚未载入，请先导入该年度的全年安排。", year)}), fill)
	}
	k := models.DayKind(kind)
	if kind == "ordinary" {
		k = ""
	}
	days := models.SetCalendarDay(cal.Days(year), d, k, name)
	if _, err := cal.WithYear(cy, days); err != nil {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "date", Message: models.ErrorMessage(err)}), fill)
	}
	return h.renderCalendarPreview(c, "day", cy, days)
}

// maxCalendarFile caps an imported file; a year is about 40 lines.
const maxCalendarFile = 64 << 10

// previewCalendarImport serves POST /staff/admin/calendar/import: a whole
// year in the text format, typed or uploaded, shown as a preview.
func (h *Handler) previewCalendarImport(c *gin.Context) error {
	text := c.PostForm("days")
	notice := formValue(c, "notice")
	confirmed := c.PostForm("confirmed") == "1"
	year := h.store.Today().Year()
	if y, err := strconv.Atoi(c.PostForm("year")); err == nil {
		year = y
	}
	fill := func(p *CalendarPage) { p.ImportText, p.ImportNotice, p.ImportConfirmed = text, notice, confirmed }
	if fh, err := c.FormFile("file"); err == nil {
		if fh.Size > maxCalendarFile {
			return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "file", Message: "文件过大，请不超过64 KB。"}), fill)
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(f, maxCalendarFile))
		f.Close()
		if err != nil {
			return err
		}
		text = string(b)
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "file", Message: "无法读取上传的文件。"}), fill)
	}
	if strings.TrimSpace(text) == "" {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "days", Message: "请填写或上传全年的节假日安排。"}), fill)
	}
	y, days, err := models.ParseCalendarText(strings.NewReader(text))
	if err != nil {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "days", Message: models.ErrorMessage(err)}), fill)
	}
	status := models.YearUnconfirmed
	if confirmed {
		status = models.YearConfirmed
	}
	cy := models.CalendarYear{Year: y, Status: status, Source: "系统管理员导入", NoticeRef: notice}
	cal, err := h.store.Calendar(c.Request.Context())
	if err != nil {
		return err
	}
	if _, err := cal.WithYear(cy, days); err != nil {
		return h.calendarError(c, y, models.Invalid(models.FieldError{Field: "days", Message: models.ErrorMessage(err)}), fill)
	}
	return h.renderCalendarPreview(c, "import", cy, days)
}

// saveCalendar serves POST /staff/admin/calendar/save: the previewed year,
// as the preview's hidden fields carry it, saved if nobody changed the
// year since the preview.
func (h *Handler) saveCalendar(c *gin.Context) error {
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil {
		return models.Errorf(models.EINVALID, "缺少年度，请重新预览后保存。")
	}
	status := models.YearStatus(c.PostForm("status"))
	if status != models.YearConfirmed && status != models.YearUnconfirmed {
		return models.Errorf(models.EINVALID, "核对状态无效，请重新预览后保存。")
	}
	_, days, err := models.ParseCalendarText(strings.NewReader(strings.Join(c.PostFormArray("day"), "\n")))
	if err != nil && len(c.PostFormArray("day")) > 0 {
		return models.Errorf(models.EINVALID, "节假日安排无效，请重新预览后保存。")
	}
	for _, d := range days {
		if d.Day.Year() != year {
			return models.Errorf(models.EINVALID, "节假日安排与年度不符，请重新预览后保存。")
		}
	}
	cy := models.CalendarYear{Year: year, Status: status, Source: c.PostForm("source"), NoticeRef: c.PostForm("notice")}
	moved, err := h.store.ApplyCalendarYear(c.Request.Context(), staffUser(c).AgencyID, cy, days, c.PostForm("checksum"))
	if models.ErrorCode(err) == models.ECONFLICT {
		h.setFlash(c, "error", models.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/admin/calendar?year=%d", year))
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已保存%d年节假日安排，%d件办理中申请的答复期限随之变更。", year, moved))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/admin/calendar?year=%d", year))
	return nil
}

// confirmCalendar serves POST /staff/admin/calendar/confirm: a year loaded
// from a library is marked as checked against the State Council notice.
// Confirming changes no date; deadlines in the year lose their warning.
func (h *Handler) confirmCalendar(c *gin.Context) error {
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil {
		return models.Errorf(models.EINVALID, "缺少年度。")
	}
	notice := formValue(c, "confirm_notice")
	if notice == "" {
		return h.calendarError(c, year, models.Invalid(models.FieldError{Field: "confirm_notice",
			Message: "请填写核对所依据的国务院办公厅通知文号，例如“国办发明电〔2025〕7号”。"}),
			func(p *CalendarPage) {})
	}
	err = h.store.ApplyConfirmCalendarYear(c.Request.Context(), staffUser(c).AgencyID, year, notice, staffUser(c).ID)
	if err != nil {
		return h.calendarError(c, year, err, func(p *CalendarPage) { p.ConfirmNotice = notice })
	}
	h.setFlash(c, "success", fmt.Sprintf("已将%d年节假日安排标记为已核对。", year))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/admin/calendar?year=%d", year))
	return nil
}
