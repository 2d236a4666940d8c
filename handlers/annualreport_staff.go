package handlers

// The office's pages of the 政府信息公开工作年度报告 (条例第四十九条、第五十条;
// 国办公开办函〔2021〕30号; issue 10): the report of a year computed from
// the ledger and shown as the official tables with every failed check on
// its cell; the figures the office enters for table 二; the narrative of
// sections 一、五、六; the first year's opening balance and the cases from
// before go-live; preview downloads; and publishing and correcting (更正)
// by the 信息发布员. The counting rules and checks are in
// models/annualreport.go, the storage and the locked versions in
// models/store/annualreport.go.
//
// The year is a query parameter (?year=2025) or a form field, not a path
// parameter, as on the catalog's pages: the route matrix test
// (TestStaffRouteMatrix) exercises every route as it is, and without a
// year every page opens the report due now, the previous year's.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// Bodies of the legacy import: the workbook with the form around it.
const (
	maxLegacyImportFile = 16 << 20
	maxLegacyImportBody = maxLegacyImportFile + 1<<20
)

// annualReportStaffRoutes are the report's routes. Compiling, entering
// figures and text, the opening balance and the legacy import need
// ActionCompileReport (公开办经办、公开办负责人、信息发布员); publishing and
// correcting, which decide what the public reads, need ActionPublishReport
// (信息发布员).
var annualReportStaffRoutes = []staffRoute{
	{"GET", "/staff/reports", need(models.ActionCompileReport), (*Handler).staffReport},
	{"GET", "/staff/reports/preview.pdf", need(models.ActionCompileReport), (*Handler).staffReportPreviewPDF},
	{"GET", "/staff/reports/preview.xlsx", need(models.ActionCompileReport), (*Handler).staffReportPreviewXLSX},
	{"GET", "/staff/reports/figures", need(models.ActionCompileReport), (*Handler).staffReportFigures},
	{"POST", "/staff/reports/figures", need(models.ActionCompileReport), (*Handler).staffReportSaveFigures},
	{"GET", "/staff/reports/narrative", need(models.ActionCompileReport), (*Handler).staffReportNarrative},
	{"POST", "/staff/reports/narrative", need(models.ActionCompileReport), (*Handler).staffReportSaveNarrative},
	{"GET", "/staff/reports/opening", need(models.ActionCompileReport), (*Handler).staffReportOpening},
	{"POST", "/staff/reports/opening", need(models.ActionCompileReport), (*Handler).staffReportSaveOpening},
	{"POST", "/staff/reports/opening/delete", need(models.ActionCompileReport), (*Handler).staffReportDeleteOpening},
	{"GET", "/staff/reports/legacy", need(models.ActionCompileReport), (*Handler).staffReportLegacy},
	{"POST", "/staff/reports/legacy", access{action: models.ActionCompileReport, maxBody: maxLegacyImportBody}, (*Handler).staffReportImportLegacy},
	{"GET", "/staff/reports/legacy/template", need(models.ActionCompileReport), (*Handler).staffReportLegacyTemplate},
	{"GET", "/staff/reports/legacy/export", need(models.ActionCompileReport), (*Handler).staffReportLegacyExport},
	{"POST", "/staff/reports/publish", need(models.ActionPublishReport), (*Handler).staffReportPublish},
	{"POST", "/staff/reports/correct", need(models.ActionPublishReport), (*Handler).staffReportCorrect},
}

func init() { registerStaffRoutes(annualReportStaffRoutes...) }

// reportYear reads the year of a request: empty means the report due now
// (the previous year's, 条例第四十九条); otherwise a year from the first
// the 2019 条例 covers to the current one.
func (h *Handler) reportYear(s string) (int, error) {
	this := h.store.Today().Year()
	s = trimSpace(s)
	if s == "" {
		return this - 1, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < models.FirstReportYear || y > this {
		return 0, models.Invalid(models.FieldError{Field: store.ReportFieldYear,
			Message: fmt.Sprintf("请选择%d年至%d年之间的年度。", models.FirstReportYear, this)})
	}
	return y, nil
}

// reportYearOptions are the years the chooser offers, newest first.
func (h *Handler) reportYearOptions() []option {
	var out []option
	for y := h.store.Today().Year(); y >= models.FirstReportYear; y-- {
		out = append(out, option{"value": strconv.Itoa(y), "label": fmt.Sprintf("%d年度", y)})
	}
	return out
}

func reportURL(year int) string { return "/staff/reports?year=" + strconv.Itoa(year) }

// reportVersionURL is the public address of a published version's page
// or, with ext "pdf" or "xlsx", of its file.
func reportVersionURL(year, version int, ext string) string {
	u := fmt.Sprintf("/annual-reports/%d/v%d", year, version)
	if ext != "" {
		u += "." + ext
	}
	return u
}

// reportVersion is a published version as the pages list it.
type reportVersion struct {
	store.PublishedAnnualReport
	PageURL, PDFURL, XLSXURL string
	// PDFSizeText and XLSXSizeText are the files' sizes as the download
	// links show them, e.g. 85.2 KB.
	PDFSizeText, XLSXSizeText string
	// IsCurrent is PublishedAnnualReport.Current, as a field a template
	// reads on any value.
	IsCurrent bool
}

func reportVersionOf(p store.PublishedAnnualReport) reportVersion {
	return reportVersion{PublishedAnnualReport: p, PageURL: reportVersionURL(p.Year, p.Version, ""),
		PDFURL: reportVersionURL(p.Year, p.Version, store.ReportPDF), XLSXURL: reportVersionURL(p.Year, p.Version, store.ReportXLSX),
		PDFSizeText: models.FormatSize(p.PDFSize), XLSXSizeText: models.FormatSize(p.XLSXSize), IsCurrent: p.Current()}
}

// StaffReportPage is the data of the report page.
type StaffReportPage struct {
	BasePage
	Year      int
	YearValue string // the year as asked for, kept when it is wrong
	Years     []option
	Form      FormState
	// Nothing below is set when the year asked for is wrong.
	Title    string
	Due      string // the publication deadline, e.g. 2026年1月31日
	Overdue  bool   // the deadline passed and nothing is published
	Sections []reportSection
	Checks   []reportCheck
	// Identities are every check of the report with its result.
	Identities []reportIdentity
	// Notes are warnings that do not block publishing.
	Notes []string
	Rules []models.CountingRule

	Inputs  store.ReportInputs
	Opening *models.OpeningBalance

	Versions   []reportVersion // of this year, the current one first
	Current    *reportVersion
	CanPublish bool
	// Blocked says why the report cannot be published (or corrected) now,
	// in place of the button.
	Blocked []string
	Reason  string // a correction's reason as typed, kept after an error
}

// Compiled reports whether the page shows a report.
func (p StaffReportPage) Compiled() bool { return p.Title != "" }

// NextVersion is the version a correction would publish.
func (p StaffReportPage) NextVersion() int {
	if p.Current == nil {
		return 1
	}
	return p.Current.Version + 1
}

// reportPage compiles year's report and builds its page.
func (h *Handler) reportPage(c *gin.Context, year int) (*StaffReportPage, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	p := &StaffReportPage{BasePage: h.basePage(c, "reports"), Year: year, YearValue: strconv.Itoa(year),
		Years: h.reportYearOptions(), Rules: models.ReportCountingRules, CanPublish: models.CanRoute(u, models.ActionPublishReport)}
	agency, err := h.store.Agency(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	r, violations, err := h.store.CompileAnnualReport(ctx, u.AgencyID, year)
	if err != nil {
		return nil, err
	}
	if p.Inputs, err = h.store.ReportInputs(ctx, u.AgencyID, year); err != nil {
		return nil, err
	}
	if p.Opening, err = h.store.OpeningBalance(ctx, u.AgencyID); err != nil {
		return nil, err
	}
	all, err := h.store.PublishedAnnualReports(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	previousPublished := false
	for _, v := range all {
		switch v.Year {
		case year:
			p.Versions = append(p.Versions, reportVersionOf(v))
		case year - 1:
			previousPublished = true
		}
	}
	if len(p.Versions) > 0 {
		p.Current = &p.Versions[0]
	}
	p.Title = models.ReportTitle(agency.Name, year)
	due := models.NewDate(year+1, 1, 31)
	p.Due = due.Chinese()
	// 条例第四十九条: the report is published by 31 January.
	p.Overdue = p.Current == nil && h.store.Today().After(due)
	p.Sections, p.Checks = reportSections(r, "report", violations)
	p.Identities = reportIdentities(p.Checks, year, previousPublished, r.Opening != nil)

	if !p.Inputs.FiguresSet {
		p.Notes = append(p.Notes, "表二中由公开办填报的行政许可、行政处罚、行政强制处理决定数量和行政事业性收费金额尚未填报，目前按0计算。")
	}
	if p.Inputs.NarrativeSet {
		// The draft's second paragraph states the year's figures; a text
		// saved before the data changed may state old ones.
		draft := reportParagraphs(models.DraftNarrative(*agency, r).Overview)
		if len(draft) > 1 && !strings.Contains(r.Narrative.Overview, draft[1]) {
			p.Notes = append(p.Notes, "“"+models.ReportSectionHeadings[0]+"”中没有按当前数据生成的统计段落。如正文引用了申请件数等数字，请与表格逐一核对，或在“编辑正文”中参照系统生成的草稿修改。")
		}
	}

	if !h.store.Today().After(models.NewDate(year, 12, 31)) {
		p.Blocked = append(p.Blocked, fmt.Sprintf("%d年度尚未结束：年度报告在次年1月1日以后才能发布。", year))
	}
	if n := len(p.Checks); n > 0 {
		verb := "发布"
		if p.Current != nil {
			verb = "发布更正版本"
		}
		p.Blocked = append(p.Blocked, fmt.Sprintf("报告有%d处未通过核对，不能%s。请按“核对结果”中的提示更正数据或正文，再重新打开本页核对。", n, verb))
	}
	return p, nil
}

// staffReport serves GET /staff/reports: the report of the year asked for
// (by default the previous year's), compiled now.
func (h *Handler) staffReport(c *gin.Context) error {
	year, err := h.reportYear(c.Query("year"))
	if err != nil {
		p := StaffReportPage{BasePage: h.basePage(c, "reports"), YearValue: c.Query("year"), Years: h.reportYearOptions(),
			Form: formState(err, store.ReportFieldYear)}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/reports/index", p)
	}
	p, err := h.reportPage(c, year)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/reports/index", p)
}

// reportRefused shows the report page again after a refused publication
// or correction: the status from the error, the message in the summary.
func (h *Handler) reportRefused(c *gin.Context, year int, err error, st FormState, reason string) error {
	p, perr := h.reportPage(c, year)
	if perr != nil {
		return perr
	}
	p.Form, p.Reason = st, reason
	status := http.StatusUnprocessableEntity
	if s, ok := statusFor[models.ErrorCode(err)]; ok && s < 500 {
		status = s
	}
	return h.renderPage(c, status, "staff/reports/index", p)
}

// staffReportPublish serves POST /staff/reports/publish: the 信息发布员
// publishes the year's report as version 1, locked (条例第四十九条). A
// report that fails a check, of a year not over, or already published is
// refused with the reason on the page.
func (h *Handler) staffReportPublish(c *gin.Context) error {
	year, err := h.reportYear(c.PostForm("year"))
	if err != nil {
		return err
	}
	u := staffUser(c)
	p, err := h.store.PublishAnnualReport(c.Request.Context(), u.AgencyID, year, u.ID, reports.RenderAnnualReport)
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		return h.reportRefused(c, year, err, refusal(err, "publish"), "")
	default:
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已发布%d年度政府信息公开工作年度报告。公众可以在“政府信息公开工作年度报告”页面查看和下载。", p.Year))
	c.Redirect(http.StatusSeeOther, reportURL(year)+"#versions")
	return nil
}

// staffReportCorrect serves POST /staff/reports/correct: a corrected
// version (更正) supersedes the current one, with the reason; the earlier
// versions stay public as the correction history.
func (h *Handler) staffReportCorrect(c *gin.Context) error {
	year, err := h.reportYear(c.PostForm("year"))
	if err != nil {
		return err
	}
	u := staffUser(c)
	reason := strings.TrimSpace(c.PostForm(store.ReportFieldReason))
	p, err := h.store.CorrectAnnualReport(c.Request.Context(), u.AgencyID, year, reason, u.ID, reports.RenderAnnualReport)
	switch code := models.ErrorCode(err); {
	case code == "":
	case code == models.EINVALID && models.FieldErrors(err)[store.ReportFieldReason] != "":
		return h.reportRefused(c, year, err, formState(err, store.ReportFieldReason), reason)
	case code == models.EINVALID || code == models.ECONFLICT:
		return h.reportRefused(c, year, err, refusal(err, "publish"), reason)
	default:
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已发布%d年度报告的更正版本（第%d版），原版本仍可在更正记录中查阅。", p.Year, p.Version))
	c.Redirect(http.StatusSeeOther, reportURL(year)+"#versions")
	return nil
}

// staffReportPreview serves the compiled, unpublished report as a file:
// the same encoders as publishing, with now as the creation time.
func (h *Handler) staffReportPreview(c *gin.Context, ext string) error {
	ctx := c.Request.Context()
	year, err := h.reportYear(c.Query("year"))
	if err != nil {
		return err
	}
	u := staffUser(c)
	agency, err := h.store.Agency(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	r, _, err := h.store.CompileAnnualReport(ctx, u.AgencyID, year)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name := models.ReportTitle(agency.Name, year) + "（预览稿，未发布）." + ext
	switch ext {
	case store.ReportPDF:
		err = reports.WriteAnnualReportPDF(&buf, *agency, r, h.store.Now())
		var mg *reports.MissingGlyphsError
		if errors.As(err, &mg) {
			return models.WrapError(models.EINVALID, err, "报告中有字库无法显示的字符（"+string(mg.Runes)+"），请修改正文或机关名称后重新生成。")
		}
	default:
		err = reports.WriteAnnualReportXLSX(&buf, *agency, r)
	}
	if err != nil {
		return err
	}
	contentType := models.TypePDF
	if ext == store.ReportXLSX {
		contentType = models.TypeXLSX
	}
	serveFile(c, name, contentType, buf.Bytes())
	return nil
}

// staffReportPreviewPDF serves GET /staff/reports/preview.pdf.
func (h *Handler) staffReportPreviewPDF(c *gin.Context) error {
	return h.staffReportPreview(c, store.ReportPDF)
}

// staffReportPreviewXLSX serves GET /staff/reports/preview.xlsx.
func (h *Handler) staffReportPreviewXLSX(c *gin.Context) error {
	return h.staffReportPreview(c, store.ReportXLSX)
}

// ---------------------------------------------------------------------
// Table 二's figures.

// reportFiguresForm is the figures form as typed.
type reportFiguresForm struct {
	Licensing, Penalties, Enforcement, Charges string
}

var reportFiguresFields = []string{store.ReportFieldLicensing, store.ReportFieldPenalties, store.ReportFieldEnforcement, store.ReportFieldCharges}

// StaffReportFiguresPage is the data of the figures form.
type StaffReportFiguresPage struct {
	BasePage
	Year   int
	Title  string
	Values reportFiguresForm
	Form   FormState
	Inputs store.ReportInputs
}

func (h *Handler) figuresPage(c *gin.Context, year int) (*StaffReportFiguresPage, error) {
	u := staffUser(c)
	in, err := h.store.ReportInputs(c.Request.Context(), u.AgencyID, year)
	if err != nil {
		return nil, err
	}
	p := &StaffReportFiguresPage{BasePage: h.basePage(c, "reports"), Year: year, Inputs: in}
	if p.Agency != nil {
		p.Title = models.ReportTitle(p.Agency.Name, year)
	}
	if in.FiguresSet {
		f := in.Figures
		p.Values = reportFiguresForm{Licensing: strconv.Itoa(f.Licensing), Penalties: strconv.Itoa(f.Penalties),
			Enforcement: strconv.Itoa(f.Enforcement), Charges: models.FormatWanYuan(f.ChargesFen)}
	}
	return p, nil
}

// staffReportFigures serves GET /staff/reports/figures.
func (h *Handler) staffReportFigures(c *gin.Context) error {
	year, err := h.reportYear(c.Query("year"))
	if err != nil {
		return err
	}
	p, err := h.figuresPage(c, year)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/reports/figures", p)
}

// parseCount reads a count typed into a form: a non-negative integer.
func parseCount(field, s string) (int, *models.FieldError) {
	if s == "" {
		return 0, &models.FieldError{Field: field, Message: "请填写数量，没有的填0。"}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1e9 {
		return 0, &models.FieldError{Field: field, Message: "请填写非负整数，例如0或125。"}
	}
	return n, nil
}

// staffReportSaveFigures serves POST /staff/reports/figures: the table 二
// figures that come from other systems, the fees in 万元 read exactly
// (models.ParseWanYuan).
func (h *Handler) staffReportSaveFigures(c *gin.Context) error {
	year, err := h.reportYear(c.PostForm("year"))
	if err != nil {
		return err
	}
	v := reportFiguresForm{Licensing: formValue(c, store.ReportFieldLicensing), Penalties: formValue(c, store.ReportFieldPenalties),
		Enforcement: formValue(c, store.ReportFieldEnforcement), Charges: formValue(c, store.ReportFieldCharges)}
	var f models.ProactiveFigures
	var fe []models.FieldError
	for _, x := range []struct {
		field, s string
		n        *int
	}{
		{store.ReportFieldLicensing, v.Licensing, &f.Licensing},
		{store.ReportFieldPenalties, v.Penalties, &f.Penalties},
		{store.ReportFieldEnforcement, v.Enforcement, &f.Enforcement},
	} {
		n, e := parseCount(x.field, x.s)
		if e != nil {
			fe = append(fe, *e)
		}
		*x.n = n
	}
	if v.Charges == "" {
		fe = append(fe, models.FieldError{Field: store.ReportFieldCharges, Message: "请填写收费金额（万元），没有的填0。"})
	} else if fen, err := models.ParseWanYuan(v.Charges); err != nil {
		fe = append(fe, models.FieldError{Field: store.ReportFieldCharges, Message: models.ErrorMessage(err)})
	} else {
		f.ChargesFen = fen
	}
	if len(fe) > 0 {
		err = models.Invalid(fe...)
	} else {
		err = h.store.SaveReportFigures(c.Request.Context(), staffUser(c).AgencyID, year, f)
	}
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		p, perr := h.figuresPage(c, year)
		if perr != nil {
			return perr
		}
		p.Values, p.Form = v, formState(err, reportFiguresFields...)
		return h.renderPage(c, statusFor[models.ErrorCode(err)], "staff/reports/figures", p)
	default:
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已保存%d年度表二的填报数据。", year))
	c.Redirect(http.StatusSeeOther, reportURL(year))
	return nil
}

// ---------------------------------------------------------------------
// The narrative.

// StaffReportNarrativePage is the data of the narrative editor.
type StaffReportNarrativePage struct {
	BasePage
	Year          int
	Title         string
	Values        models.Narrative
	Draft         models.Narrative // generated from the current figures
	DraftOverview []string         // its section 一 by paragraph
	FeeStatement  string           // what section 六 starts with, generated
	Form          FormState
	Inputs        store.ReportInputs
}

// narrativePage compiles the report for its draft and fee statement; the
// values are the saved text, or the draft when none was saved.
func (h *Handler) narrativePage(c *gin.Context, year int) (*StaffReportNarrativePage, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	agency, err := h.store.Agency(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	r, _, err := h.store.CompileAnnualReport(ctx, u.AgencyID, year)
	if err != nil {
		return nil, err
	}
	in, err := h.store.ReportInputs(ctx, u.AgencyID, year)
	if err != nil {
		return nil, err
	}
	p := &StaffReportNarrativePage{BasePage: h.basePage(c, "reports"), Year: year, Title: models.ReportTitle(agency.Name, year),
		Values: r.Narrative, Draft: models.DraftNarrative(*agency, r), FeeStatement: r.FeeStatement(), Inputs: in}
	p.DraftOverview = reportParagraphs(p.Draft.Overview)
	return p, nil
}

// staffReportNarrative serves GET /staff/reports/narrative: sections 一、五
// and 六, starting from the generated draft (models.DraftNarrative).
func (h *Handler) staffReportNarrative(c *gin.Context) error {
	year, err := h.reportYear(c.Query("year"))
	if err != nil {
		return err
	}
	p, err := h.narrativePage(c, year)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/reports/narrative", p)
}

// staffReportSaveNarrative serves POST /staff/reports/narrative.
func (h *Handler) staffReportSaveNarrative(c *gin.Context) error {
	year, err := h.reportYear(c.PostForm("year"))
	if err != nil {
		return err
	}
	n := models.Narrative{Overview: c.PostForm(store.ReportFieldOverview), Problems: c.PostForm(store.ReportFieldProblems),
		Other: c.PostForm(store.ReportFieldOther)}
	err = h.store.SaveReportNarrative(c.Request.Context(), staffUser(c).AgencyID, year, n)
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		p, perr := h.narrativePage(c, year)
		if perr != nil {
			return perr
		}
		p.Values, p.Form = n, formState(err, store.ReportFieldOverview, store.ReportFieldProblems, store.ReportFieldOther)
		return h.renderPage(c, statusFor[models.ErrorCode(err)], "staff/reports/narrative", p)
	default:
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已保存%d年度报告的正文。", year))
	c.Redirect(http.StatusSeeOther, reportURL(year))
	return nil
}

// ---------------------------------------------------------------------
// The first year: the opening balance and the cases from before go-live.

// openingForm is the opening balance form as typed: the year and one
// count per applicant column, keyed by the applicant kind.
type openingForm struct {
	Year   string
	Counts map[string]string
}

// openingField is one count of the opening balance form.
type openingField struct {
	Name, Label, Value, Error string
}

// StaffReportOpeningPage is the data of the opening balance page.
type StaffReportOpeningPage struct {
	BasePage
	Opening   *models.OpeningBalance
	Values    openingForm
	Fields    []openingField
	Years     []option
	Form      FormState
	Total     int
	Legacy    int // imported cases from before go-live
	LegacyURL string
}

func (h *Handler) openingPage(c *gin.Context, v *openingForm, st FormState) (*StaffReportOpeningPage, error) {
	ctx := c.Request.Context()
	u := staffUser(c)
	o, err := h.store.OpeningBalance(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	legacy, err := h.store.LegacyCases(ctx, u.AgencyID)
	if err != nil {
		return nil, err
	}
	p := &StaffReportOpeningPage{BasePage: h.basePage(c, "reports"), Opening: o, Years: h.reportYearOptions(), Form: st,
		Legacy: len(legacy), LegacyURL: "/staff/reports/legacy"}
	if v == nil {
		v = &openingForm{Year: strconv.Itoa(h.store.Today().Year()), Counts: map[string]string{}}
		if o != nil {
			v.Year = strconv.Itoa(o.Year)
			for i, k := range models.ApplicantKinds {
				v.Counts[string(k)] = strconv.Itoa(o.Counts[i])
			}
		}
	}
	p.Values = *v
	if o != nil {
		for _, n := range o.Counts {
			p.Total += n
		}
	}
	for _, k := range models.ApplicantKinds {
		p.Fields = append(p.Fields, openingField{Name: string(k), Label: k.Label(), Value: v.Counts[string(k)], Error: st.Errors[string(k)]})
	}
	return p, nil
}

// staffReportOpening serves GET /staff/reports/opening.
func (h *Handler) staffReportOpening(c *gin.Context) error {
	p, err := h.openingPage(c, nil, FormState{})
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/reports/opening", p)
}

// staffReportSaveOpening serves POST /staff/reports/opening: the carry-over
// into the first year of use, as the last report made before the portal
// printed it under 四、结转下年度继续办理.
func (h *Handler) staffReportSaveOpening(c *gin.Context) error {
	v := openingForm{Year: formValue(c, store.ReportFieldYear), Counts: map[string]string{}}
	order := []string{store.ReportFieldYear}
	var o models.OpeningBalance
	var fe []models.FieldError
	y, err := strconv.Atoi(v.Year)
	if err != nil {
		fe = append(fe, models.FieldError{Field: store.ReportFieldYear, Message: "请选择第一年使用本平台编制年度报告的年度。"})
	}
	o.Year = y
	for i, k := range models.ApplicantKinds {
		name := string(k)
		order = append(order, name)
		v.Counts[name] = formValue(c, name)
		n, e := parseCount(name, v.Counts[name])
		if e != nil {
			fe = append(fe, *e)
		}
		o.Counts[i] = n
	}
	if len(fe) > 0 {
		err = models.Invalid(fe...)
	} else {
		err = h.store.SaveOpeningBalance(c.Request.Context(), staffUser(c).AgencyID, o)
	}
	switch models.ErrorCode(err) {
	case "":
	case models.EINVALID, models.ECONFLICT:
		st := formState(err, order...)
		if models.ErrorCode(err) == models.ECONFLICT {
			st = refusal(err, store.ReportFieldYear)
		}
		p, perr := h.openingPage(c, &v, st)
		if perr != nil {
			return perr
		}
		return h.renderPage(c, statusFor[models.ErrorCode(err)], "staff/reports/opening", p)
	default:
		return err
	}
	h.setFlash(c, "success", fmt.Sprintf("已保存%d年度的期初结转数。请核对该年度报告“二、上年结转”与补录的上线前申请是否一致。", o.Year))
	c.Redirect(http.StatusSeeOther, reportURL(o.Year))
	return nil
}

// staffReportDeleteOpening serves POST /staff/reports/opening/delete.
func (h *Handler) staffReportDeleteOpening(c *gin.Context) error {
	err := h.store.DeleteOpeningBalance(c.Request.Context(), staffUser(c).AgencyID)
	switch models.ErrorCode(err) {
	case "":
		h.setFlash(c, "success", "已删除期初结转数。")
	case models.ENOTFOUND:
		h.setFlash(c, "warning", models.ErrorMessage(err))
	case models.ECONFLICT:
		p, perr := h.openingPage(c, nil, refusal(err, "delete"))
		if perr != nil {
			return perr
		}
		return h.renderPage(c, http.StatusConflict, "staff/reports/opening", p)
	default:
		return err
	}
	c.Redirect(http.StatusSeeOther, "/staff/reports/opening")
	return nil
}

// StaffReportLegacyPage is the data of the legacy import page.
type StaffReportLegacyPage struct {
	BasePage
	Form     FormState
	Problems []models.RowError // of a refused file
	More     int
	Filename string
	// What is imported now.
	Count, Open         int
	FirstDate, LastDate models.Date // receipt dates of the first and last case
	MaxRows, MaxFileMB  int
}

func (h *Handler) legacyPage(c *gin.Context) (*StaffReportLegacyPage, error) {
	cases, err := h.store.LegacyCases(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return nil, err
	}
	p := &StaffReportLegacyPage{BasePage: h.basePage(c, "reports"), Count: len(cases), MaxRows: reports.MaxLegacyRows,
		MaxFileMB: maxLegacyImportFile >> 20}
	for i, lc := range cases {
		if lc.ClosedOn.IsZero() {
			p.Open++
		}
		if i == 0 {
			p.FirstDate = lc.ReceivedOn
		}
		p.LastDate = lc.ReceivedOn
	}
	return p, nil
}

// staffReportLegacy serves GET /staff/reports/legacy.
func (h *Handler) staffReportLegacy(c *gin.Context) error {
	p, err := h.legacyPage(c)
	if err != nil {
		return err
	}
	return h.renderPage(c, http.StatusOK, "staff/reports/legacy", p)
}

// staffReportImportLegacy serves POST /staff/reports/legacy: a workbook of
// the cases handled before go-live replaces the previous import. If any
// row is wrong nothing is imported and the page lists every problem by row
// and column.
func (h *Handler) staffReportImportLegacy(c *gin.Context) error {
	ctx := c.Request.Context()
	page, err := h.legacyPage(c)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		page.Form = formState(models.Invalid(models.FieldError{Field: "file", Message: models.ErrorMessage(err)}), "file")
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/reports/legacy", page)
	}
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart):
		return fail(models.Errorf(models.EINVALID, "请选择要导入的Excel文件（.xlsx）。"))
	case err != nil:
		return fail(models.Errorf(models.EINVALID, "无法读取上传的文件，请重新选择。"))
	case fh.Size > maxLegacyImportFile:
		return fail(models.Errorf(models.EINVALID, "文件大小为%s，超过了%d MB的限制。", models.FormatSize(fh.Size), maxLegacyImportFile>>20))
	}
	page.Filename = models.CleanFilename(fh.Filename, "")
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open legacy import: %w", err)
	}
	defer f.Close()
	cases, err := reports.ReadLegacyCasesXLSX(io.LimitReader(f, maxLegacyImportFile), h.store.Today())
	var res *store.LegacyImport
	if err == nil {
		res, err = h.store.ImportLegacyCases(ctx, staffUser(c).AgencyID, cases)
	}
	var ie *models.ImportError
	switch {
	case errors.As(err, &ie):
		page.Problems, page.More = ie.Problems, ie.More
		page.Form = FormState{Summary: []models.FieldError{{Field: "problems", Message: models.ErrorMessage(err)}}}
		return h.renderPage(c, http.StatusUnprocessableEntity, "staff/reports/legacy", page)
	case models.ErrorCode(err) == models.EINVALID:
		return fail(err)
	case err != nil:
		return err
	}
	msg := fmt.Sprintf("已导入“%s”中的%d件上线前的申请。", page.Filename, res.Imported)
	if res.Replaced > 0 {
		msg += fmt.Sprintf("此前导入的%d件已被替换。", res.Replaced)
	}
	h.setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, "/staff/reports/legacy")
	return nil
}

// staffReportLegacyTemplate serves GET /staff/reports/legacy/template: the
// blank import workbook, with its drop-down lists and 填写说明.
func (h *Handler) staffReportLegacyTemplate(c *gin.Context) error {
	var buf bytes.Buffer
	if err := reports.WriteLegacyCasesXLSX(&buf, nil); err != nil {
		return err
	}
	serveFile(c, "上线前申请导入模板.xlsx", models.TypeXLSX, buf.Bytes())
	return nil
}

// staffReportLegacyExport serves GET /staff/reports/legacy/export: the
// imported cases in the import's own layout, to correct and import again.
func (h *Handler) staffReportLegacyExport(c *gin.Context) error {
	cases, err := h.store.LegacyCases(c.Request.Context(), staffUser(c).AgencyID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteLegacyCasesXLSX(&buf, cases); err != nil {
		return err
	}
	name := fmt.Sprintf("已导入的上线前申请（导出%s）.xlsx", models.DateOf(h.store.Now(), h.cfg.Location))
	serveFile(c, name, models.TypeXLSX, buf.Bytes())
	return nil
}
