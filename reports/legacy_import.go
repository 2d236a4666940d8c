package reports

// Applications handled before the portal went live, as a spreadsheet: the
// office lists them (open and closed, with their outcome rows) so that the
// first year's annual report counts them like applications (issue 10). The
// workbook written here is both the template and the export of what was
// imported; the importer reads it back row by row, names every problem by
// row and column in Chinese, and returns nothing unless every row is
// right. The store replaces the previous import with the rows
// (store.ImportLegacyCases).

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"gongkai/models"
)

// LegacySheet is the name of the sheet listing the cases.
const LegacySheet = "上线前申请"

// legacyGuideSheet explains the columns and lists the accepted values.
const legacyGuideSheet = "填写说明"

// Legacy spreadsheet column keys.
const (
	legacyRef       = "ref"
	legacyApplicant = "applicant"
	legacyReceived  = "received_on"
	legacyClosed    = "closed_on"
	legacyOutcome   = "outcome"
	legacyNote      = "note"
)

// legacyColumns are the sheet's columns in order. 备注 is for the office
// and not imported.
var legacyColumns = []struct {
	key, title string
	required   bool
	width      float64
}{
	{legacyRef, "编号", true, 22},
	{legacyApplicant, "申请人类型", true, 14},
	{legacyReceived, "收到申请日期", true, 14},
	{legacyClosed, "办结日期", true, 14},
	{legacyOutcome, "办理结果", true, 60},
	{legacyNote, "备注", false, 30},
}

// MaxLegacyRows caps the data rows of one import.
const MaxLegacyRows = 100000

// legacyHeaderSearchRows is how far down the importer looks for the
// header row.
const legacyHeaderSearchRows = 10

// LegacyOutcomeLabel is how the sheet writes an outcome: its table 三 row,
// group and item, e.g. （三）不予公开 1.属于国家秘密.
func LegacyOutcomeLabel(o models.Outcome) string {
	info := o.Row().Info()
	if info.Label == "" {
		return info.Group
	}
	return info.Group + " " + info.Label
}

// WriteLegacyCasesXLSX writes cases (none for a blank template) as the
// import workbook: the 上线前申请 sheet with a header row, one row per case
// (dates as real dates, the outcome as its table 三 row), drop-down lists
// for 申请人类型 and 办理结果, and a 填写说明 sheet.
func WriteLegacyCasesXLSX(out io.Writer, cases []models.ReportCase) error {
	f := excelize.NewFile()
	defer f.Close()
	fail := func(err error) error { return fmt.Errorf("reports: legacy cases xlsx: %w", err) }
	if err := f.SetSheetName("Sheet1", LegacySheet); err != nil {
		return fail(err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF0F3"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return fail(err)
	}
	dateFmt := catalogDateFormat
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fail(err)
	}
	for i, c := range legacyColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(LegacySheet, col, col, c.width); err != nil {
			return fail(err)
		}
		if err := f.SetCellStyle(LegacySheet, col+"1", col+"1", head); err != nil {
			return fail(err)
		}
		if err := f.SetCellValue(LegacySheet, col+"1", c.title); err != nil {
			return fail(err)
		}
	}
	for i, c := range cases {
		row := i + 2
		values := []any{c.Ref, c.Applicant.Label(), c.ReceivedOn.Time(time.UTC), nil, "", ""}
		if !c.ClosedOn.IsZero() {
			values[3], values[4] = c.ClosedOn.Time(time.UTC), LegacyOutcomeLabel(c.Outcome)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(LegacySheet, cell, &values); err != nil {
			return fail(err)
		}
		if err := f.SetCellStyle(LegacySheet, fmt.Sprintf("C%d", row), fmt.Sprintf("D%d", row), date); err != nil {
			return fail(err)
		}
	}
	if err := f.SetPanes(LegacySheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}

	// The guide: the columns, then the accepted applicant kinds and
	// outcome rows, which the drop-down lists point to.
	if _, err := f.NewSheet(legacyGuideSheet); err != nil {
		return fail(err)
	}
	guide := [][]any{
		{"列", "填写要求"},
		{"编号", "必填。原申请编号或登记号，每行不同。再次导入时以整个文件替换此前导入的全部历史申请。"},
		{"申请人类型", "必填。自然人、商业企业、科研机构、社会公益组织、法律服务机构或其他（见下方列表）。"},
		{"收到申请日期", "必填。条例第三十一条规定的收到申请之日，如2025-12-30。"},
		{"办结日期", "已办结的填写作出答复（或撤回、终止办理）之日；尚未办结的不填。"},
		{"办理结果", "已办结的必填，按年度报告表三的结果项填写（见下方列表）；尚未办结的不填。撤回申请填“（六）其他处理 3.其他”。"},
		{"备注", "选填，不导入。"},
		{},
		{"申请人类型", "办理结果"},
	}
	kinds := models.ApplicantKinds
	for i := range max(len(kinds), models.ReportRowCount) {
		row := []any{"", ""}
		if i < len(kinds) {
			row[0] = kinds[i].Label()
		}
		if i < models.ReportRowCount {
			info := models.ReportRows[i]
			row[1] = strings.TrimSpace(info.Group + " " + info.Label)
		}
		guide = append(guide, row)
	}
	for i := range guide {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(legacyGuideSheet, cell, &guide[i]); err != nil {
			return fail(err)
		}
	}
	if err := f.SetColWidth(legacyGuideSheet, "A", "A", 16); err != nil {
		return fail(err)
	}
	if err := f.SetColWidth(legacyGuideSheet, "B", "B", 90); err != nil {
		return fail(err)
	}
	first := len(guide) - max(len(kinds), models.ReportRowCount) + 1
	for _, dv := range []struct{ col, list string }{
		{"B", fmt.Sprintf("'%s'!$A$%d:$A$%d", legacyGuideSheet, first, first+len(kinds)-1)},
		{"E", fmt.Sprintf("'%s'!$B$%d:$B$%d", legacyGuideSheet, first, first+models.ReportRowCount-1)},
	} {
		v := excelize.NewDataValidation(true)
		v.Sqref = fmt.Sprintf("%s2:%s%d", dv.col, dv.col, MaxLegacyRows+1)
		v.SetSqrefDropList(dv.list)
		if err := f.AddDataValidation(LegacySheet, v); err != nil {
			return fail(err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(out); err != nil {
		return fail(err)
	}
	return nil
}

// ReadLegacyCasesXLSX reads an import workbook: the sheet 上线前申请 (or
// else the first sheet) whose header row names the columns 编号, 申请人类型,
// 收到申请日期, 办结日期 and 办理结果 in any order, within its first ten rows.
// Each non-empty row below it is one case. It checks every row against
// today (no date after it): a unique 编号; a known 申请人类型; a 收到申请日期;
// for a closed case a 办结日期 not before it and a 办理结果 naming one of the
// 21 rows of table 三 (or one of the portal's outcomes); for an open case
// neither. Dates may be real date cells or text such as 2025-12-30,
// 2025/12/30 or 2025年12月30日. When the file or any row is wrong it returns
// no cases and an EINVALID error wrapping a *models.ImportError that lists
// every problem as 第5行“办结日期”：…… (find it with errors.As).
func ReadLegacyCasesXLSX(r io.Reader, today models.Date) ([]models.ReportCase, error) {
	problems := &models.ImportError{}
	f, rows, err := openImportSheet(r, LegacySheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer rows.Close()

	var colKeys []string // column index → key, "" to ignore
	var out []models.ReportCase
	refRow := map[string]int{}
	rowNum := 0
	for rows.Next() {
		rowNum++
		// Raw values: a date cell gives its serial number whatever its
		// display format, which models.ParseSheetDate reads.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			problems.Add(models.RowError{Row: rowNum, Message: "该行无法读取。"})
			continue
		}
		if colKeys == nil {
			if keys, ok := legacyHeader(cells); ok {
				colKeys = keys
				have := map[string]bool{}
				for _, k := range keys {
					have[k] = true
				}
				var missing []string
				for _, c := range legacyColumns {
					if c.required && !have[c.key] {
						missing = append(missing, "“"+c.title+"”")
					}
				}
				if len(missing) > 0 {
					problems.Add(models.RowError{Row: rowNum, Message: "表头缺少" + strings.Join(missing, "、") + "列。请使用下载的模板填写。"})
					return nil, problems.Err()
				}
			} else if rowNum >= legacyHeaderSearchRows {
				break
			}
			continue
		}
		values := map[string]string{}
		empty := true
		for i, v := range cells {
			if i >= len(colKeys) || colKeys[i] == "" {
				continue
			}
			v = strings.TrimSpace(v)
			if v != "" {
				empty = false
			}
			values[colKeys[i]] = v
		}
		if empty {
			continue
		}
		if len(out) == MaxLegacyRows {
			problems.Add(models.RowError{Row: rowNum, Message: fmt.Sprintf("一次最多导入%d件历史申请，请分成多个文件。", MaxLegacyRows)})
			break
		}
		c, errs := parseLegacyRow(rowNum, values, today)
		if c.Ref != "" {
			if first, dup := refRow[c.Ref]; dup {
				errs = append(errs, models.RowError{Row: rowNum, Column: "编号", Message: fmt.Sprintf("与第%d行的编号相同，每件申请的编号应不同。", first)})
			} else {
				refRow[c.Ref] = rowNum
			}
		}
		for _, e := range errs {
			problems.Add(e)
		}
		out = append(out, c)
	}
	if colKeys == nil {
		problems.Add(models.RowError{Message: fmt.Sprintf("在前%d行中没有找到表头。表头应包含“编号”“申请人类型”“收到申请日期”“办结日期”“办理结果”列，请使用下载的模板填写。", legacyHeaderSearchRows)})
		return nil, problems.Err()
	}
	if err := rows.Error(); err != nil {
		problems.Add(models.RowError{Message: "读取工作表时出错，文件可能已损坏。"})
	}
	if problems.Count() > 0 {
		return nil, problems.Err()
	}
	if len(out) == 0 {
		problems.Add(models.RowError{Message: "文件中没有可导入的数据行。"})
		return nil, problems.Err()
	}
	return out, nil
}

// legacyHeader reports whether cells are the header row (they name 编号
// and 收到申请日期), and the key of each column.
func legacyHeader(cells []string) ([]string, bool) {
	keys := make([]string, len(cells))
	hits := 0
	for i, v := range cells {
		v = strings.TrimSpace(v)
		for _, c := range legacyColumns {
			if v == c.title {
				keys[i] = c.key
				if c.key == legacyRef || c.key == legacyReceived {
					hits++
				}
			}
		}
	}
	return keys, hits == 2
}

// parseLegacyRow reads one data row.
func parseLegacyRow(row int, v map[string]string, today models.Date) (models.ReportCase, []models.RowError) {
	var errs []models.RowError
	add := func(col, msg string) { errs = append(errs, models.RowError{Row: row, Column: col, Message: msg}) }
	var c models.ReportCase

	c.Ref = v[legacyRef]
	switch n := utf8.RuneCountInString(c.Ref); {
	case n == 0:
		add("编号", "请填写编号（原申请编号或登记号）。")
	case n > 100:
		add("编号", "编号过长，请不超过100个字。")
	}

	if kind, ok := legacyApplicantKind(v[legacyApplicant]); ok {
		c.Applicant = kind
	} else if v[legacyApplicant] == "" {
		add("申请人类型", "请填写申请人类型。")
	} else {
		add("申请人类型", "应为“自然人”“商业企业”“科研机构”“社会公益组织”“法律服务机构”或“其他”。")
	}

	date := func(key, title string) models.Date {
		s := v[key]
		if s == "" {
			return models.Date{}
		}
		d, err := models.ParseSheetDate(s)
		if err != nil {
			add(title, "日期格式不正确，应形如2025-12-30。")
			return models.Date{}
		}
		if d.After(today) {
			add(title, fmt.Sprintf("日期（%s）晚于今天。", d.Chinese()))
			return models.Date{}
		}
		return d
	}
	c.ReceivedOn = date(legacyReceived, "收到申请日期")
	if v[legacyReceived] == "" {
		add("收到申请日期", "请填写收到申请之日（条例第三十一条）。")
	}
	c.ClosedOn = date(legacyClosed, "办结日期")
	if !c.ClosedOn.IsZero() && !c.ReceivedOn.IsZero() && c.ClosedOn.Before(c.ReceivedOn) {
		add("办结日期", fmt.Sprintf("办结日期（%s）早于收到申请日期（%s）。", c.ClosedOn.Chinese(), c.ReceivedOn.Chinese()))
	}

	text := v[legacyOutcome]
	switch {
	case v[legacyClosed] == "" && text != "":
		add("办理结果", "尚未办结的申请（未填办结日期）不应填写办理结果；已办结的请填写办结日期。")
	case v[legacyClosed] != "" && text == "":
		add("办理结果", "已办结的申请请填写办理结果。")
	case text != "":
		if o, ok := parseLegacyOutcome(text); ok {
			c.Outcome = o
		} else {
			add("办理结果", "无法识别，请按年度报告表三的结果项填写，例如“（一）予以公开”“（三）不予公开 1.属于国家秘密”“（六）其他处理 3.其他”（见“填写说明”）。")
		}
	}
	return c, errs
}

// legacyApplicantKind reads an applicant kind: its label as table 三's
// columns print it, or its stored value.
func legacyApplicantKind(s string) (models.ApplicantKind, bool) {
	s = legacyNormalise(s)
	for _, k := range models.ApplicantKinds {
		if s == legacyNormalise(k.Label()) || s == string(k) {
			return k, true
		}
	}
	if s == "其他组织" || s == "法人或其他组织其他" {
		return models.ApplicantOtherOrg, true
	}
	return "", false
}

// legacyOutcomes maps the normalised ways of writing an outcome to the
// outcome stored: every leaf row of table 三 (group and item together, the
// item alone, the item without its number) to one outcome of that row,
// and every outcome's label and stored value to itself.
var legacyOutcomes = func() map[string]models.Outcome {
	m := map[string]models.Outcome{}
	// The outcome a row is stored as when only the row is known; the rows
	// of several outcomes take the plainest one.
	byRow := map[models.ReportRow]models.Outcome{}
	for _, o := range models.Outcomes {
		if _, ok := byRow[o.Row]; !ok {
			byRow[o.Row] = o.Outcome
		}
	}
	byRow[models.RowDisclosed] = models.OutcomeDisclose
	byRow[models.RowOtherOther] = models.OutcomeOther
	for _, info := range models.ReportRows {
		o := byRow[info.Row]
		group := legacyNormalise(info.Group)
		if info.Label == "" {
			m[group] = o
			// （一）予以公开 → 予以公开; （二）部分公开（区分处理的…） → 部分公开.
			if i := strings.Index(group, "）"); i >= 0 {
				short, _, _ := strings.Cut(group[i+len("）"):], "（")
				m[short] = o
			}
			continue
		}
		item := legacyNormalise(info.Label)
		m[group+item] = o
		m[item] = o
		m[strings.TrimLeft(item, "0123456789")] = o
	}
	for _, o := range models.Outcomes {
		m[legacyNormalise(o.Label)] = o.Outcome
		m[string(o.Outcome)] = o.Outcome
	}
	return m
}()

// parseLegacyOutcome reads an outcome as the sheet may write it.
func parseLegacyOutcome(s string) (models.Outcome, bool) {
	o, ok := legacyOutcomes[legacyNormalise(s)]
	return o, ok
}

// legacyNormalise drops spaces and the punctuation people write
// differently (、，. “” and the like) and makes brackets full-width, so
// that “（三）不予公开 1.属于国家秘密” and "(三)不予公开1、属于国家秘密" read alike.
func legacyNormalise(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '、', '，', ',', '.', '．', '·', ':', '：', '“', '”', '"', '\'', '‘', '’', '-', '—':
			continue
		case '(':
			r = '（'
		case ')':
			r = '）'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// openImportSheet opens an uploaded workbook at the sheet named sheet, or
// else its first sheet, for reading row by row. A file that is no
// workbook, has no sheet or cannot be read gives an EINVALID error whose
// *models.ImportError says so in Chinese; the caller closes both.
func openImportSheet(r io.Reader, sheet string) (*excelize.File, *excelize.Rows, error) {
	problems := &models.ImportError{}
	f, err := excelize.OpenReader(r)
	if err != nil {
		problems.Add(models.RowError{Message: "无法读取该文件：请上传Excel工作簿（.xlsx）。"})
		return nil, nil, problems.Err()
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			f.Close()
			problems.Add(models.RowError{Message: "工作簿中没有工作表。"})
			return nil, nil, problems.Err()
		}
		sheet = sheets[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		problems.Add(models.RowError{Message: "无法读取工作表“" + sheet + "”。"})
		return nil, nil, problems.Err()
	}
	return f, rows, nil
}
