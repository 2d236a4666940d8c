package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"

	"gongkai/models"
)

// CaseFileTitle is the title of the case file's cover sheet.
const CaseFileTitle = "政府信息公开申请案卷"

// Titles of the parts of a case file the case file renders itself.
const (
	CaseApplicationTitle = "政府信息公开申请登记表"
	CaseReviewTitle      = "保密审查记录"
	CaseTimelineTitle    = "办理过程记录"
)

// CaseFile is one application's file (案卷), for archiving (条例第四十五条:
// 登记、审核、办理、答复、归档) and for a reconsideration or a lawsuit: a
// cover sheet with the table of contents, the application, every notice and
// letter in order, the confidentiality review record and the timeline. The
// caller passes plain values; nothing is looked up here.
type CaseFile struct {
	Agency      models.Agency
	Application models.Application
	Applicant   models.Applicant
	// FullIdentity prints the applicant's identity and contact numbers in
	// full, for a reconsideration body or a court; otherwise they are
	// masked (个人信息保护法第五十一条). The caller audits the choice.
	FullIdentity bool
	// SectionName is the lead section (主办科室).
	SectionName string
	// ArchivedOn is the 归档 date; zero while the case is not archived.
	ArchivedOn models.Date
	// Documents are the notices and letters sent, in the order sent.
	Documents []CaseDocument
	// Reviews are the confidentiality reviews, one per reviewed draft.
	Reviews []models.Review
	// Events are the application's ledger.
	Events []models.Event
	// Names resolves the staff user IDs in events and reviews, and
	// Sections the section IDs; either may be nil.
	Names    map[int64]string
	Sections map[int64]string
	// Location is the agency's time zone for times of day.
	Location *time.Location
	// CreatedAt is the date printed on the cover and in the parts the case
	// file renders itself.
	CreatedAt time.Time
}

// CaseDocument is a notice or letter of the case: the PDF as it was issued
// (preferred: the case file keeps the very document the applicant got), or
// its letter data when no PDF is kept.
type CaseDocument struct {
	Title  string // e.g. 政府信息公开申请补正告知书
	Number string // e.g. 铁民公开〔2026〕第13号; optional
	Date   models.Date
	PDF    []byte
	Letter *Letter
}

// casePart is one rendered part of the case file.
type casePart struct {
	title, number string
	date          models.Date
	pdf           []byte
	pages         int
}

// WriteCaseFile writes the case file as one PDF to out: the parts are
// rendered or taken as issued, counted, listed on the cover with their
// pages, merged with pdfcpu and bookmarked.
func WriteCaseFile(out io.Writer, c CaseFile) error {
	var parts []casePart
	add := func(title, number string, date models.Date, pdf []byte) error {
		n, err := api.PageCount(bytes.NewReader(pdf), pdfConfig())
		if err != nil {
			return fmt.Errorf("reports: case file: %s: %w", title, err)
		}
		parts = append(parts, casePart{title: title, number: number, date: date, pdf: pdf, pages: n})
		return nil
	}
	render := func(l Letter) ([]byte, error) {
		var buf bytes.Buffer
		if err := WriteLetter(&buf, l); err != nil {
			return nil, fmt.Errorf("reports: case file: %s: %w", l.Title, err)
		}
		return buf.Bytes(), nil
	}

	app, err := render(c.applicationLetter())
	if err != nil {
		return err
	}
	if err := add(CaseApplicationTitle, c.Application.Number, models.DateOf(c.Application.SubmittedAt, c.loc()), app); err != nil {
		return err
	}
	for _, d := range c.Documents {
		pdf := d.PDF
		if pdf == nil && d.Letter != nil {
			if pdf, err = render(*d.Letter); err != nil {
				return err
			}
		}
		if pdf == nil {
			return fmt.Errorf("reports: case file: %s has neither a PDF nor letter data", d.Title)
		}
		if err := add(d.Title, d.Number, d.Date, pdf); err != nil {
			return err
		}
	}
	review, err := render(c.reviewLetter())
	if err != nil {
		return err
	}
	if err := add(CaseReviewTitle, "", models.Date{}, review); err != nil {
		return err
	}
	timeline, err := render(c.timelineLetter())
	if err != nil {
		return err
	}
	if err := add(CaseTimelineTitle, "", models.Date{}, timeline); err != nil {
		return err
	}

	// The cover lists the parts with their pages, which depend on the
	// cover's own length: lay it out until its page count is stable.
	coverPages := 1
	var cover []byte
	for range 4 {
		if cover, err = render(c.coverLetter(parts, coverPages)); err != nil {
			return err
		}
		n, err := api.PageCount(bytes.NewReader(cover), pdfConfig())
		if err != nil {
			return fmt.Errorf("reports: case file: cover: %w", err)
		}
		if n == coverPages {
			break
		}
		coverPages = n
	}

	readers := []io.ReadSeeker{bytes.NewReader(cover)}
	bookmarks := []pdfcpu.Bookmark{{Title: CaseFileTitle, PageFrom: 1}}
	page := coverPages + 1
	for _, p := range parts {
		readers = append(readers, bytes.NewReader(p.pdf))
		bookmarks = append(bookmarks, pdfcpu.Bookmark{Title: p.title, PageFrom: page})
		page += p.pages
	}
	var merged bytes.Buffer
	if err := api.MergeRaw(readers, &merged, false, pdfConfig()); err != nil {
		return fmt.Errorf("reports: case file: merge: %w", err)
	}
	if err := api.AddBookmarks(bytes.NewReader(merged.Bytes()), out, bookmarks, true, pdfConfig()); err != nil {
		return fmt.Errorf("reports: case file: bookmarks: %w", err)
	}
	return nil
}

func (c CaseFile) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

func (c CaseFile) today() models.Date { return models.DateOf(c.CreatedAt, c.loc()) }

func (c CaseFile) name(id int64) string {
	if n := c.Names[id]; n != "" {
		return n
	}
	if id == 0 {
		return ""
	}
	return fmt.Sprintf("用户%d", id)
}

// letter returns a letter of the case file's own with the agency's
// letterhead, no recipient and no seal.
func (c CaseFile) letter(title string, body []Block) Letter {
	return Letter{Agency: c.Agency, Title: title, Body: body, SignOff: c.Agency.Name, Date: c.today(),
		CreatedAt: c.CreatedAt, Subject: title + " " + c.Application.Number}
}

// identity returns a value in full or masked, as the case file is made.
func (c CaseFile) identity(v string, mask func(string) string) string {
	if c.FullIdentity || v == "" {
		return v
	}
	return mask(v)
}

// coverLetter is the cover sheet: the case at a glance and the table of
// contents with the case file's page numbers.
func (c CaseFile) coverLetter(parts []casePart, coverPages int) Letter {
	app, a := c.Application, c.Applicant
	outcome, closed := "（尚未办结）", "（尚未办结）"
	if app.Outcome != "" {
		outcome = app.Outcome.Label()
	}
	if !app.ClosedOn.IsZero() {
		closed = app.ClosedOn.Chinese()
	}
	archived := "（尚未归档）"
	if !c.ArchivedOn.IsZero() {
		archived = c.ArchivedOn.Chinese()
	}
	received := "（尚未确认收到）"
	if !app.ReceivedOn.IsZero() {
		received = app.ReceivedOn.Chinese()
	}
	name := a.Name
	if !c.FullIdentity && !a.Kind.IsOrganisation() {
		name = models.MaskName(a.Name)
	}
	total := coverPages
	for _, p := range parts {
		total += p.pages
	}
	facts := Table{
		{"申请编号", app.Number},
		{"申请人", name + "（" + applicantType(a) + "）"},
		{"所需政府信息", app.Title},
		{"提交日期", models.DateOf(app.SubmittedAt, c.loc()).Chinese()},
		{"收到申请日期", received},
		{"办结日期", closed},
		{"办理结果", outcome},
		{"承办科室", orDash(c.SectionName)},
		{"归档日期", archived},
		{"卷内文件", fmt.Sprintf("%d份，共%d页", len(parts), total)},
	}
	var toc Table
	page := coverPages + 1
	for i, p := range parts {
		what := p.title
		var meta []string
		if p.number != "" {
			meta = append(meta, p.number)
		}
		if !p.date.IsZero() {
			meta = append(meta, p.date.Chinese())
		}
		if len(meta) > 0 {
			what += "（" + strings.Join(meta, "，") + "）"
		}
		pages := fmt.Sprintf("第%d页", page)
		if p.pages > 1 {
			pages = fmt.Sprintf("第%d—%d页", page, page+p.pages-1)
		}
		toc = append(toc, Field{fmt.Sprintf("%d", i+1), what + "　" + pages})
		page += p.pages
	}
	body := []Block{facts, Paragraph("卷内文件目录")}
	if len(toc) > 0 {
		body = append(body, toc)
	}
	note := "本案卷依照《中华人民共和国政府信息公开条例》第四十五条的规定整理。"
	if c.FullIdentity {
		note += "本案卷载有申请人完整的身份和联系信息，仅供行政复议、行政诉讼使用，请妥善保管。"
	} else {
		note += "申请人的身份证件号码和联系方式已作遮盖处理。"
	}
	body = append(body, Paragraph(note))
	return c.letter(CaseFileTitle, body)
}

func applicantType(a models.Applicant) string {
	if a.Kind.IsOrganisation() {
		return "法人或其他组织·" + a.Kind.Label()
	}
	return "自然人"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// applicationLetter is the registration sheet (登记表) of the application.
func (c CaseFile) applicationLetter() Letter {
	app, a := c.Application, c.Applicant
	rows := Table{
		{"申请编号", app.Number},
		{"申请人", a.Name},
		{"申请人类型", applicantType(a)},
	}
	if a.Kind.IsOrganisation() {
		rows = append(rows, Field{"统一社会信用代码", a.CreditCode}, Field{"法定代表人或负责人", orDash(a.LegalRep)},
			Field{"联系人", orDash(a.ContactPerson)})
	} else if a.IDNumber != "" {
		rows = append(rows, Field{"身份证明", a.IDType.Label() + "　" + c.identity(a.IDNumber, models.MaskIDNumber)})
	}
	if a.AgentName != "" {
		agent := a.AgentName
		if a.AgentIDNumber != "" {
			agent += "（" + a.AgentIDType.Label() + "　" + c.identity(a.AgentIDNumber, models.MaskIDNumber) + "）"
		}
		rows = append(rows, Field{"委托代理人", agent})
	}
	for _, f := range []struct{ label, v string }{
		{"联系电话", c.identity(a.Phone, models.MaskPhone)},
		{"电子邮箱", c.identity(a.Email, models.MaskEmail)},
		{"通信地址", c.identity(a.Address, maskAddress)},
	} {
		if f.v != "" {
			rows = append(rows, Field{f.label, f.v})
		}
	}
	rows = append(rows, Field{"所需政府信息", app.Title})
	if app.Description != "" {
		rows = append(rows, Field{"特征性描述", app.Description})
	}
	if app.Purpose != "" {
		rows = append(rows, Field{"用途", app.Purpose})
	}
	rows = append(rows,
		Field{"信息形式", orDash(app.FormWanted.Label())},
		Field{"获取方式", orDash(app.Delivery.Label())},
		Field{"提交渠道", app.Channel.Label()},
		Field{"提交时间", app.SubmittedAt.In(c.loc()).Format("2006年1月2日 15:04")},
	)
	if !app.ReceivedOn.IsZero() {
		rows = append(rows, Field{"收到申请日期", app.ReceivedOn.Chinese() + "（" + app.Channel.ReceiptRule() + "）"})
	}
	return c.letter(CaseApplicationTitle, []Block{rows})
}

// maskAddress keeps an address's first six characters.
func maskAddress(s string) string {
	r := []rune(s)
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", min(len(r)-6, 10))
}

// reviewLetter is the confidentiality review record: per reviewed draft,
// each source with its text layer and decision, and each finding with its
// place, masked text and decision.
func (c CaseFile) reviewLetter() Letter {
	if len(c.Reviews) == 0 {
		return c.letter(CaseReviewTitle, []Block{Paragraph("本案没有经保密审查的答复稿。")})
	}
	var body []Block
	for i := range c.Reviews {
		r := &c.Reviews[i]
		body = append(body, Paragraph(fmt.Sprintf("第%d次审查（答复稿登记于办理过程记录第%d条）", i+1, r.DraftSeq)))
		var sources Table
		for _, s := range r.Sources {
			label, value := "答复正文", "已自动扫描"
			if s.Kind == models.ReviewSourceFile {
				label = "文件"
				value = s.Filename + "：" + textLayerLabel(s.TextLayer)
				if s.Replaces != 0 {
					value += "；为遮盖处理后的替换文件"
				}
				if s.ReplacedBy != 0 {
					value += "；已被替换"
				}
				if at := s.Attestation; at != nil {
					value += "；审查员确认：" + at.Statement + "（" + c.name(at.By) + "，" + c.when(at.At) + "）"
				}
			}
			sources = append(sources, Field{label, value})
		}
		body = append(body, sources)
		if len(r.Findings) == 0 {
			body = append(body, Paragraph("自动扫描未发现个人信息。"))
			continue
		}
		var findings Table
		for _, f := range r.Findings {
			v := r.Place(f) + "：" + f.Kind.Label() + " " + f.Masked + "。处理：" + f.Decision.Label()
			if f.Reason != "" {
				v += "，理由：" + f.Reason
			}
			if f.By != 0 {
				v += "（" + c.name(f.By) + "，" + c.when(f.At) + "）"
			}
			findings = append(findings, Field{fmt.Sprintf("第%d项", f.ID), v})
		}
		body = append(body, findings)
		if b := r.Blockers(); len(b) > 0 {
			body = append(body, Paragraph(fmt.Sprintf("尚有%d项未处理。", len(b))))
		}
	}
	return c.letter(CaseReviewTitle, body)
}

func textLayerLabel(t models.ReviewTextLayer) string {
	switch t {
	case models.ReviewTextScanned:
		return "已自动扫描"
	case models.ReviewTextNone:
		return "无文字层，须人工审阅"
	case models.ReviewTextUnreadable:
		return "无法读取，须人工审阅"
	}
	return string(t)
}

func (c CaseFile) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.loc()).Format("2006年1月2日 15:04")
}

// timelineLetter lists the ledger in plain words: every event, internal
// review steps included, with its date, details and who recorded it.
func (c CaseFile) timelineLetter() Letter {
	events := append([]models.Event(nil), c.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].Seq < events[j].Seq })
	var rows Table
	for _, e := range events {
		v := e.Kind.Label()
		if d := c.eventDetail(e); d != "" {
			v += "：" + d
		}
		who := ""
		switch e.ActorKind {
		case models.ActorApplicant:
			who = "申请人"
		case models.ActorSystem:
			who = "系统"
		case models.ActorPlatform:
			who = "对接平台"
		case models.ActorStaff:
			who = c.name(e.ActorID)
		}
		if who != "" {
			v += "（" + who + "）"
		}
		rows = append(rows, Field{fmt.Sprintf("%d. %s", e.Seq, e.On.Chinese()), v})
	}
	if len(rows) == 0 {
		return c.letter(CaseTimelineTitle, []Block{Paragraph("没有办理记录。")})
	}
	return c.letter(CaseTimelineTitle, []Block{rows})
}

// eventDetail words an event's data.
func (c CaseFile) eventDetail(e models.Event) string {
	d := e.Data
	var parts []string
	section := func(id int64) string {
		if n := c.Sections[id]; n != "" {
			return n
		}
		return fmt.Sprintf("科室%d", id)
	}
	switch e.Kind {
	case models.EventSubmitted, models.EventConfirmed:
		if d.Channel != "" {
			parts = append(parts, d.Channel.Label())
		}
	case models.EventAssigned:
		role := "主办"
		if d.Role == models.RoleAssist {
			role = "协办"
		}
		parts = append(parts, section(d.SectionID)+"（"+role+"）")
		if !d.InternalDueOn.IsZero() {
			parts = append(parts, "内部办理期限"+d.InternalDueOn.Chinese())
		}
	case models.EventReturned:
		parts = append(parts, section(d.SectionID))
	case models.EventReassigned:
		parts = append(parts, "改由"+section(d.SectionID)+"主办")
	case models.EventCorrectionRequested:
		parts = append(parts, "补正事项"+fmt.Sprint(len(d.Items))+"项，补正期限至"+d.DueOn.Chinese())
	case models.EventConsultationSent:
		parts = append(parts, "征求"+d.Party+"的意见")
	case models.EventExtensionRequested, models.EventExtensionApproved:
		parts = append(parts, fmt.Sprintf("延长%d个工作日", d.Days))
	case models.EventDelayedDeadlineSet, models.EventExplanationRequested:
		if !d.DueOn.IsZero() {
			parts = append(parts, "期限至"+d.DueOn.Chinese())
		}
	case models.EventFeeNoticeSent, models.EventFeePaid:
		if d.AmountFen > 0 {
			parts = append(parts, fmt.Sprintf("%d.%02d元", d.AmountFen/100, d.AmountFen%100))
		}
	case models.EventAnswerDrafted, models.EventAnswerIssued:
		parts = append(parts, d.Outcome.Label())
	case models.EventAnswerApproved, models.EventAnswerReturned:
		parts = append(parts, models.AnswerStage(d.Stage).Label()+"环节")
	case models.EventAnswerDelivered:
		parts = append(parts, d.DeliveryMethod.Label())
	case models.EventReconsiderationRecorded, models.EventLitigationRecorded:
		if d.CaseRef != "" {
			parts = append(parts, "案号"+d.CaseRef)
		}
		if d.AfterReconsideration {
			parts = append(parts, "复议后起诉")
		}
	case models.EventRemedyConcluded:
		parts = append(parts, d.Result.Label())
	}
	for _, s := range []string{d.Reason, d.Opinion, d.Comment} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "；")
}
