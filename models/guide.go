package models

// The 政府信息公开指南 (disclosure guide). 条例第十二条 requires every agency
// to publish one and keep it current: the classification and arrangement
// of its information and how to obtain it, and the disclosure office's
// name, address, hours, phone, fax and online contact (rules.md §1.8). The
// guide also explains how to apply, the deadlines, the fees and the
// remedies.
//
// Nothing in the guide is typed by hand: BuildGuide writes it from the
// agency profile (Agency), the agency's clock settings (ClockRules), its
// catalog categories and 索引号 rule, the channels and their receipt rules
// (Channel.ReceiptRule) and the fee tiers of fee.go. Changing any of those
// changes the guide the next time it is shown.

import (
	"fmt"
	"strings"
)

// Remedy periods named in the guide and in decisions (rules.md §1.11): an
// application for administrative reconsideration within 60 days of knowing
// of the act (行政复议法（2023年修订）第二十条, read in a secondary source), a
// lawsuit within 6 months (行政诉讼法第四十六条).
const (
	ReconsiderationDays = 60
	LitigationMonths    = 6
)

// Guide is the generated guide.
type Guide struct {
	Title     string // e.g. 铁岭市民政局政府信息公开指南
	Agency    string
	Intro     []string
	Sections  []GuideSection
	UpdatedOn Date // the day the content last changed
}

// GuideSection is a part of the guide (一、…) or of a part (（一）…).
type GuideSection struct {
	ID          string // anchor, e.g. "apply"
	Heading     string
	Blocks      []GuideBlock
	Subsections []GuideSection
}

// GuideBlockKind is how a block is laid out.
type GuideBlockKind string

// Block kinds.
const (
	GuideParagraph GuideBlockKind = "paragraph"
	GuideList      GuideBlockKind = "list"   // numbered items
	GuideFields    GuideBlockKind = "fields" // label and value pairs
)

// GuideBlock is a paragraph, a numbered list, or a list of labelled values.
type GuideBlock struct {
	Kind   GuideBlockKind
	Text   string
	Items  []string
	Fields []GuideField
}

// GuideField is a labelled value, e.g. 联系电话 and the number.
type GuideField struct {
	Label string
	Value string
}

// IsParagraph, IsList and IsFields let templates switch on the kind.
func (b GuideBlock) IsParagraph() bool { return b.Kind == GuideParagraph }

// IsList reports whether the block is a numbered list.
func (b GuideBlock) IsList() bool { return b.Kind == GuideList }

// IsFields reports whether the block is a list of labelled values.
func (b GuideBlock) IsFields() bool { return b.Kind == GuideFields }

// GuideInput is what the guide is built from besides the agency profile.
type GuideInput struct {
	Rules      ClockRules
	Categories CatalogCategories
	Index      IndexRule
	// PortalURL is the portal's public address (https://…), or "" when not
	// configured; the guide then names the pages by their paths.
	PortalURL string
	// UpdatedOn is the day the guide's sources last changed, printed in
	// the guide; zero to leave it out.
	UpdatedOn Date
}

func para(format string, args ...any) GuideBlock {
	return GuideBlock{Kind: GuideParagraph, Text: fmt.Sprintf(format, args...)}
}

func list(items ...string) GuideBlock { return GuideBlock{Kind: GuideList, Items: items} }

// orNone returns s, or a statement that the agency has none.
func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return strings.TrimSpace(s)
}

// BuildGuide writes the guide of agency a.
func BuildGuide(a Agency, in GuideInput) Guide {
	page := func(path, name string) string {
		if in.PortalURL == "" {
			return fmt.Sprintf("本平台“%s”页面", name)
		}
		return fmt.Sprintf("本平台“%s”页面（%s%s）", name, strings.TrimSuffix(in.PortalURL, "/"), path)
	}
	r := in.Rules
	g := Guide{
		Title:     a.Name + "政府信息公开指南",
		Agency:    a.Name,
		UpdatedOn: in.UpdatedOn,
		Intro: []string{
			fmt.Sprintf("为了更好地向公民、法人和其他组织提供政府信息公开服务，依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第十二条，编制本指南。本指南说明%s政府信息的分类、编排体系和获取方式，依申请公开的渠道、程序、期限和收费，以及监督和救济途径。", a.Name),
			"本指南依据本机关的机关信息和办理规则自动生成，相关信息调整时随之更新。本指南可在" + page("/guide", "政府信息公开指南") + "查阅，并可下载PDF和Excel版本。",
		},
	}
	if !in.UpdatedOn.IsZero() {
		g.Intro = append(g.Intro, "本指南内容更新于"+in.UpdatedOn.Chinese()+"。")
	}

	// 一、政府信息公开工作机构 (条例第四条、第十二条).
	internet := []string{}
	if w := strings.TrimSpace(a.Website); w != "" {
		internet = append(internet, "网站 "+w)
	}
	if in.PortalURL != "" {
		internet = append(internet, "政府信息公开申请平台 "+in.PortalURL)
	} else {
		internet = append(internet, "本平台")
	}
	if e := strings.TrimSpace(a.Email); e != "" {
		internet = append(internet, "电子邮箱 "+e)
	}
	office := GuideSection{ID: "office", Heading: "一、政府信息公开工作机构", Blocks: []GuideBlock{
		para("本机关的政府信息公开工作机构为%s，负责本机关政府信息公开的日常工作，受理政府信息公开申请，维护和更新公开的政府信息，编制本指南、政府信息公开目录和政府信息公开工作年度报告（《条例》第四条）。", a.OfficeName),
		{Kind: GuideFields, Fields: []GuideField{
			{"名称", a.OfficeName},
			{"办公地址", a.OfficeAddress},
			{"邮政编码", orNone(a.PostCode, "—")},
			{"办公时间", a.OfficeHours},
			{"联系电话", a.Phone},
			{"传真号码", orNone(a.Fax, "本机关未设政府信息公开传真")},
			{"互联网联系方式", strings.Join(internet, "；")},
		}},
	}}

	// 二、主动公开.
	var scope []string
	for _, grp := range in.Categories.Groups() {
		if grp.Item == 0 {
			labels := make([]string, len(grp.Categories))
			for i, c := range grp.Categories {
				labels[i] = c.Label
			}
			scope = append(scope, "本机关确定主动公开的其他信息："+strings.Join(labels, "、")+"。")
			continue
		}
		item := "《条例》" + grp.Name + "：" + grp.Label
		var subs []string
		for _, c := range grp.Categories {
			if c.Label != grp.Label {
				subs = append(subs, c.Label)
			}
		}
		if len(subs) > 0 {
			item += "（分为" + strings.Join(subs, "、") + "）"
		}
		scope = append(scope, item+"。")
	}
	counted := []string{}
	for _, k := range []CatalogDocKind{DocRule, DocNormative} {
		if len(in.Categories.CodesOf(k)) > 0 {
			counted = append(counted, DocKindLabel(k))
		}
	}
	arrange := []GuideBlock{
		para("本机关政府信息公开目录按上述类别编排，同一类别内按生成日期由近及远排列。每条信息列明索引号、名称、内容概述、生成日期、发布机构和类别，有文号的列明文号，并提供信息全文的附件或者链接（《条例》第十二条）。"),
		para("%s", in.Index.Describe(a.Code, yearOr(in.UpdatedOn, 2026))),
	}
	if len(counted) > 0 {
		arrange = append(arrange, para("%s列明施行日期、修改日期和废止日期，并标注现行有效、尚未施行或者已废止；政策文件与其解读材料相互链接。", strings.Join(counted, "和")))
	}
	obtain := []string{
		"登录" + page("/catalog", "政府信息公开目录") + "，按名称、内容、文号或者索引号检索，按类别、年份和效力状态筛选，在线查阅和下载信息及其附件（《条例》第二十四条）；目录可以下载为PDF和Excel文件。",
	}
	if w := strings.TrimSpace(a.Website); w != "" {
		obtain = append(obtain, "访问本机关网站（"+w+"）。")
	}
	obtain = append(obtain, "到国家档案馆、公共图书馆和政务服务场所设置的政府信息查阅场所查阅（《条例》第二十五条）。")
	proactive := GuideSection{ID: "proactive", Heading: "二、主动公开", Subsections: []GuideSection{
		{Heading: "（一）公开范围", Blocks: []GuideBlock{
			para("本机关依照《条例》第十九条、第二十条、第二十一条的规定，主动公开下列政府信息："),
			list(scope...),
		}},
		{Heading: "（二）编排体系", Blocks: arrange},
		{Heading: "（三）获取方式", Blocks: []GuideBlock{para("公民、法人和其他组织可以通过下列方式获取本机关主动公开的政府信息："), list(obtain...)}},
		{Heading: "（四）公开时限", Blocks: []GuideBlock{
			para("属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开；法律、法规对政府信息公开的期限另有规定的，从其规定（《条例》第二十六条）。"),
		}},
	}}

	// 三、依申请公开.
	addr := a.OfficeAddress
	if a.PostCode != "" {
		addr += "（邮政编码 " + a.PostCode + "）"
	}
	rule := func(c Channel) string { return c.ReceiptRule() + "。" }
	channels := []string{
		"网上申请：在" + page("/apply", "提交申请") + "填写并提交申请，提交后即获得申请编号和查询码。" + rule(ChannelOnline),
		"当面提交：在办公时间到" + a.OfficeAddress + "提交书面申请。" + rule(ChannelInPerson),
		"邮寄：寄至" + addr + "，请在信封上注明“政府信息公开申请”。" + ChannelMail.ReceiptRule() + "；" + rule(ChannelLetter),
	}
	if strings.TrimSpace(a.Fax) != "" {
		channels = append(channels, "传真：发送至"+a.Fax+"。"+rule(ChannelFax))
	}
	if strings.TrimSpace(a.Email) != "" {
		channels = append(channels, "电子邮件：发送至"+a.Email+"。"+rule(ChannelEmail))
	}
	channels = append(channels, "口头申请：采用书面形式确有困难的，可以口头提出，由"+a.OfficeName+"代为填写政府信息公开申请（《条例》第二十九条），收到申请之日与当面提交相同："+rule(ChannelOral))

	correction := fmt.Sprintf("补正：申请内容不明确的，本机关给予指导和释明，并自收到申请之日起%d个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限；答复期限自收到补正的申请之日起计算；申请人无正当理由逾期不补正的，视为放弃申请（《条例》第三十条）。", r.CorrectionNoticeDays)
	if r.AllowSecondCorrection {
		correction += "补正后申请内容仍不明确的，本机关可以说明理由后再告知补正一次。"
	}
	steps := []string{
		"登记和确认：" + a.OfficeName + "收到申请后予以登记；通过互联网、传真等方式提交的，与申请人确认收到申请，确认之日为收到申请之日（《条例》第三十一条）。",
		correction,
		fmt.Sprintf("征求意见：公开会损害第三方合法权益的，本机关书面征求第三方意见，第三方应当自收到征求意见书之日起%d个工作日内提出意见；申请公开的政府信息由两个以上行政机关共同制作的，本机关可以征求相关行政机关意见，被征求意见机关应当自收到征求意见书之日起%[1]d个工作日内提出意见，逾期未提出意见的视为同意公开。征求意见所需时间不计算在答复期限内（《条例》第三十二条至第三十四条）。", r.ConsultationDays),
		"答复：本机关根据具体情况作出答复（《条例》第三十六条），按照申请人要求的形式和本机关保存政府信息的实际情况提供信息（《条例》第四十条）。",
		"查询：通过本平台提交或者登记的申请，申请人可以凭申请编号和查询码在" + page("/track", "查询办理进度") + "随时查询办理进度，下载告知书和答复书。",
	}
	deadlines := []GuideBlock{
		para("能够当场答复的，当场予以答复。不能当场答复的，自收到申请之日起%d个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过%d个工作日（《条例》第三十三条）。", r.AnswerDays, r.ExtensionMaxDays),
		para("期限自收到申请之日的次日起计算。工作日不含星期六、星期日和法定节假日，含国务院办公厅节假日安排通知确定的调休上班日。"),
		para("申请公开政府信息的数量、频次明显超过合理范围的，本机关可以要求申请人说明理由；认为申请理由合理，但是无法在上述期限内答复的，确定延迟答复的合理期限并告知申请人（《条例》第三十五条）。"),
	}
	apply := GuideSection{ID: "apply", Heading: "三、依申请公开", Blocks: []GuideBlock{
		para("除本机关主动公开的政府信息外，公民、法人或者其他组织可以向本机关申请获取相关政府信息（《条例》第二十七条）。"),
	}, Subsections: []GuideSection{
		{Heading: "（一）受理机构", Blocks: []GuideBlock{
			para("政府信息公开申请由%s统一受理（《条例》第二十九条），办公地址、办公时间和联系方式见本指南第一部分。", a.OfficeName),
		}},
		{Heading: "（二）申请渠道和收到申请的日期", Blocks: []GuideBlock{
			para("申请应当采用包括信件、数据电文在内的书面形式（《条例》第二十九条）。可以通过下列渠道提交，收到申请之日依照《条例》第三十一条确定："),
			list(channels...),
		}},
		{Heading: "（三）申请内容", Blocks: []GuideBlock{
			para("政府信息公开申请应当包括下列内容（《条例》第二十九条第二款）："),
			list("申请人的姓名或者名称、身份证明、联系方式；",
				"申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；",
				"申请公开的政府信息的形式要求，包括获取信息的方式、途径。"),
			para("申请人无需说明申请用途。"),
		}},
		{Heading: "（四）办理程序", Blocks: []GuideBlock{list(steps...)}},
		{Heading: "（五）答复期限", Blocks: deadlines},
		{Heading: "（六）收费", Blocks: feeBlocks(r)},
		{Heading: "（七）便民服务", Blocks: []GuideBlock{
			para("申请公开政府信息的公民存在阅读困难或者视听障碍的，本机关为其提供必要的帮助（《条例》第四十三条）。咨询电话：%s。", a.Phone),
		}},
	}}

	// 四、监督和救济.
	remedies := GuideSection{ID: "remedies", Heading: "四、监督和救济", Blocks: []GuideBlock{
		para("公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）："),
		list(
			fmt.Sprintf("行政复议：自知道或者应当知道该行政行为之日起%d日内，向%s申请行政复议。", ReconsiderationDays, a.ReconsiderationBody),
			fmt.Sprintf("行政诉讼：自知道或者应当知道作出行政行为之日起%d个月内，向%s提起行政诉讼。", LitigationMonths, a.Court),
		),
		para("认为本机关未按照要求主动公开政府信息，或者对政府信息公开申请不依法答复处理的，可以向政府信息公开工作主管部门提出（《条例》第四十七条）。"),
	}}

	g.Sections = []GuideSection{office, proactive, apply, remedies}
	return g
}

func yearOr(d Date, def int) int {
	if d.IsZero() {
		return def
	}
	return d.Year()
}

// feeBlocks explains the information-processing fee (条例第四十二条,
// 国办函〔2020〕109号) with the tiers read off fee.go's functions, so the guide
// and the fee notices cannot disagree.
func feeBlocks(r ClockRules) []GuideBlock {
	blocks := []GuideBlock{
		para("本机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，本机关依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费（《条例》第四十二条），按件计收或者按量计收，对同一申请只选择一种方式，均实行超额累进计费。"),
		para("按件计收，以同一申请人一个自然月内累计申请的件数计算："),
		list(itemTierText()...),
		para("按量计收，以提供信息的页数计算："),
		list(pageTierText()...),
	}
	pay := fmt.Sprintf("本机关决定收费的，向申请人发出收费通知，说明收费的依据、标准、数额和缴纳方式。申请人应当自收到收费通知的次日起%d个工作日内缴纳费用，逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。", r.FeePaymentDays)
	if r.ExcludeFeeWait {
		pay += "等待缴费的时间不计算在答复期限内。"
	}
	return append(blocks, para("%s", pay))
}

// tier is a run of applications or pages charged at the same rate.
type tier struct {
	from, to int // to is 0 for the open-ended last tier
	fen      int64
}

// tiersOf groups n = 1…limit by the marginal charge cost(n); the last run
// is taken as open-ended.
func tiersOf(cost func(n int) int64, limit int) []tier {
	var ts []tier
	for n := 1; n <= limit; n++ {
		c := cost(n)
		if len(ts) > 0 && ts[len(ts)-1].fen == c {
			ts[len(ts)-1].to = n
			continue
		}
		ts = append(ts, tier{from: n, to: n, fen: c})
	}
	ts[len(ts)-1].to = 0
	return ts
}

func yuan(fen int64) string {
	if fen%100 == 0 {
		return fmt.Sprintf("%d元", fen/100)
	}
	return FormatYuan(fen)
}

func tierLines(ts []tier, unit, perUnit string) []string {
	var out []string
	for i, t := range ts {
		switch {
		case i == 0 && t.fen == 0:
			out = append(out, fmt.Sprintf("%d%s以下（含%[1]d%[2]s）的，不收费；", t.to, unit))
		case t.to == 0:
			out = append(out, fmt.Sprintf("%d%s以上的部分，每%s收费%s。", t.from, unit, perUnit, yuan(t.fen)))
		default:
			out = append(out, fmt.Sprintf("%d—%d%s（含%[2]d%[3]s）的部分，每%s收费%s；", t.from, t.to, unit, perUnit, yuan(t.fen)))
		}
	}
	return out
}

// itemTierText describes 按件计收 (办法第四条): fixed tiers, then bands of
// equal width whose rate rises by the same step.
func itemTierText() []string {
	ts := tiersOf(FeePerItemFen, 100)
	// The bands run from the first tier from which every tier has the
	// width and the step of the one before; the last (open) tier is only
	// compared by its rate.
	last := len(ts) - 2
	if last < 2 {
		return tierLines(ts, "件", "件")
	}
	width, step := ts[last].to-ts[last].from, ts[last].fen-ts[last-1].fen
	start := last
	for start > 0 && ts[start-1].to-ts[start-1].from == width && ts[start].fen-ts[start-1].fen == step {
		start--
	}
	if start < 1 || start >= last {
		return tierLines(ts, "件", "件")
	}
	out := tierLines(ts[:start], "件", "件")
	b0, b1 := ts[start], ts[start+1]
	out = append(out, fmt.Sprintf("%d件以上的部分，以%d件为一档，每增加一档，每件收费标准提高%s（%d—%d件每件%s，%d—%d件每件%s，依此类推）。",
		b0.from, width+1, yuan(step), b0.from, b0.to, yuan(b0.fen), b1.from, b1.to, yuan(b1.fen)))
	return out
}

// pageTierText describes 按量计收 (办法第五条).
func pageTierText() []string {
	ts := tiersOf(func(n int) int64 { return FeePerPageFen(n) - FeePerPageFen(n-1) }, 1000)
	return tierLines(ts, "页", "页")
}

// Text returns the whole guide as plain text, one block per line: for
// checks, search and the glyph check of the PDF.
func (g Guide) Text() string {
	var b strings.Builder
	b.WriteString(g.Title + "\n")
	for _, p := range g.Intro {
		b.WriteString(p + "\n")
	}
	var section func(s GuideSection)
	section = func(s GuideSection) {
		b.WriteString(s.Heading + "\n")
		for _, bl := range s.Blocks {
			b.WriteString(bl.Text)
			for i, it := range bl.Items {
				fmt.Fprintf(&b, "%d.%s\n", i+1, it)
			}
			for _, f := range bl.Fields {
				b.WriteString(f.Label + "：" + f.Value + "\n")
			}
			if bl.Text != "" {
				b.WriteString("\n")
			}
		}
		for _, sub := range s.Subsections {
			section(sub)
		}
	}
	for _, s := range g.Sections {
		section(s)
	}
	return b.String()
}
