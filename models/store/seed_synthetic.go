package store

// Synthetic data for load tests and the annual report's scale target
// (issue 10): `portal seed` fills a database with realistic applications
// over several years, written straight with SQL in large transactions and
// multi-row prepared INSERTs so that a million applications take minutes,
// not hours. Each application's row is derived from its ledger by the same
// function the store uses on every append (derive), so status, dates,
// outcome, section and clock agree with models.Lifecycle and
// models.ComputeClock over the ledger. Personal data is encrypted as
// always; each fake applicant's identity is encrypted once and reused by
// all of its applications.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"gongkai/models"
)

// SyntheticSource is the source recorded on every seeded application; any
// other source marks a real application.
const SyntheticSource = "seed"

// SyntheticOptions say what SeedSynthetic generates.
type SyntheticOptions struct {
	AgencyID     int64 // 0: the first agency
	Applications int
	// FromYear and ToYear bound the submission dates (inclusive); none is
	// after yesterday.
	FromYear, ToYear int
	// Seed makes a run reproducible; 0 picks one at random.
	Seed uint64
	// Force generates even though the agency has real applications.
	Force bool
	// CatalogPerYear is how many catalog entries each year gets (0: 150).
	CatalogPerYear int
	// Progress, when set, is called after each committed batch.
	Progress func(done, total int)
}

// SyntheticResult counts what SeedSynthetic wrote.
type SyntheticResult struct {
	AgencyID       int64
	Applications   int
	Applicants     int // fake applicants (identities), each with several applications
	Events         int
	Remedies       int // reconsiderations and lawsuits
	CatalogEntries int
	// Simplified counts applications whose generated ledger the rules
	// refused and that got a plain one instead (none expected).
	Simplified int
	// QueryCode is the query code of every seeded application.
	QueryCode string
	Seed      uint64
	Duration  time.Duration
}

// syntheticBatch is how many applications one transaction writes.
const syntheticBatch = 20000

// SeedSynthetic writes opts.Applications synthetic applications with
// their applicants, ledgers and section assignments, dated catalog entries
// for each year, and table 二 figures for each past year, and records one
// audit entry. Applicant kinds, channels and outcomes follow realistic
// proportions; in every year each of the 24 outcomes (so each of table
// 三's 21 rows) and each applicant kind occurs; a share of applications
// has corrections, consultations, fees, extensions or a delivered and
// archived answer, a few have reconsiderations or lawsuits. The agency
// must hold no real applications unless opts.Force. Run it with the portal
// stopped: it numbers applications from the counters it reads at the
// start.
func (s *Store) SeedSynthetic(ctx context.Context, opts SyntheticOptions) (*SyntheticResult, error) {
	start := time.Now()
	today := s.Today()
	if opts.Applications < 1 || opts.Applications > 20_000_000 {
		return nil, models.Errorf(models.EINVALID, "申请数应在1至20000000之间。")
	}
	if opts.FromYear < 2000 || opts.FromYear > opts.ToYear || opts.ToYear > today.Year() {
		return nil, models.Errorf(models.EINVALID, "年份范围应在2000年至%d年之间，例如2023-2026。", today.Year())
	}
	first, last := models.NewDate(opts.FromYear, 1, 1), models.NewDate(opts.ToYear, 12, 31)
	if yesterday := today.AddDays(-1); yesterday.Before(last) {
		last = yesterday
	}
	if last.Before(first) {
		return nil, models.Errorf(models.EINVALID, "年份范围内没有今天以前的日期。")
	}
	var agency *models.Agency
	var err error
	if opts.AgencyID != 0 {
		agency, err = s.Agency(ctx, opts.AgencyID)
	} else {
		var all []*models.Agency
		if all, err = s.Agencies(ctx); err == nil && len(all) == 0 {
			err = models.Errorf(models.ENOTFOUND, "尚未建立任何机关。")
		} else if err == nil {
			agency = all[0]
		}
	}
	if err != nil {
		return nil, err
	}
	var real int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE agency_id = ? AND source <> ?`,
		agency.ID, SyntheticSource).Scan(&real); err != nil {
		return nil, fmt.Errorf("seed synthetic: %w", err)
	}
	if real > 0 && !opts.Force {
		return nil, models.Errorf(models.ECONFLICT, "%s已有%d件真实申请，为免混淆，不生成模拟数据（确需生成请使用 -force）。", agency.Name, real)
	}
	sections, err := s.Sections(ctx, agency.ID)
	if err != nil {
		return nil, err
	}
	if len(sections) == 0 {
		return nil, models.Errorf(models.ECONFLICT, "%s没有科室，无法分办模拟申请。", agency.Name)
	}
	cal, rules, err := s.clockInputs(ctx, agency.ID)
	if err != nil {
		return nil, err
	}
	if opts.Seed == 0 {
		opts.Seed = rand.Uint64()
	}
	if opts.CatalogPerYear <= 0 {
		opts.CatalogPerYear = 150
	}
	g := &synth{
		s: s, rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), agency: agency, cal: cal, rules: rules, today: today,
		code: models.NewQueryCode(),
	}
	for _, sec := range sections {
		g.sections = append(g.sections, sec.ID)
	}
	res := &SyntheticResult{AgencyID: agency.ID, Seed: opts.Seed, QueryCode: g.code}
	if err := g.prepare(ctx, opts, first, last); err != nil {
		return nil, err
	}
	res.Applicants = len(g.people)
	for done := 0; done < len(g.dates); done += syntheticBatch {
		n := min(syntheticBatch, len(g.dates)-done)
		if err := s.withTx(ctx, func(tx *sql.Tx) error { return g.writeBatch(ctx, tx, done, n, res) }); err != nil {
			return nil, fmt.Errorf("seed synthetic: %w", err)
		}
		res.Applications += n
		if opts.Progress != nil {
			opts.Progress(done+n, len(g.dates))
		}
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := g.writeSequences(ctx, tx); err != nil {
			return err
		}
		if res.CatalogEntries, err = g.writeCatalog(ctx, tx, opts); err != nil {
			return err
		}
		if err := g.writeFigures(ctx, tx, opts); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agency.ID, Action: models.AuditSyntheticSeeded,
			ObjectType: models.AuditObjectAgency, ObjectID: agency.Code, After: models.AuditData(map[string]any{
				"applications": res.Applications, "events": res.Events, "remedies": res.Remedies,
				"catalog_entries": res.CatalogEntries, "from": opts.FromYear, "to": opts.ToYear, "seed": strconv.FormatUint(opts.Seed, 10)})})
	})
	if err != nil {
		return nil, fmt.Errorf("seed synthetic: %w", err)
	}
	res.Simplified = g.fallbacks
	res.Duration = time.Since(start)
	return res, nil
}

// synth generates the synthetic data.
type synth struct {
	s        *Store
	rng      *rand.Rand
	agency   *models.Agency
	cal      *models.Calendar
	rules    models.ClockRules
	today    models.Date
	sections []int64
	code     string // the query code of every application
	codeEnc  []byte

	dates  []models.Date // submission dates, in order
	forced map[int]int   // application index → index in models.Outcomes it must end with
	people []synthPerson
	seqs   map[int]int // year → last application number used

	nextApplicant, nextApplication int64
	fallbacks                      int
}

// synthPerson is a fake applicant: the identity encrypted once.
type synthPerson struct {
	kind                                        models.ApplicantKind
	name, idType, idMasked, creditCode, legal   string
	contact, phoneMasked, matchHash             string
	idEnc, phoneEnc, emailEnc, addrEnc, postEnc []byte
}

// weighted picks an index by weight.
func (g *synth) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.rng.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// Proportions, per mille, from the published reports of municipal civil
// affairs bureaus: mostly natural persons; about a third disclosed, a
// third 无法提供 (mostly not held), the rest spread thin.
var (
	synthKindWeights    = []int{880, 45, 5, 5, 30, 35} // models.ApplicantKinds order
	synthChannels       = []models.Channel{models.ChannelOnline, models.ChannelMail, models.ChannelInPerson, models.ChannelLetter, models.ChannelEmail, models.ChannelFax, models.ChannelOral}
	synthChannelWeights = []int{550, 200, 150, 40, 30, 10, 20}
	// synthOutcomeWeights follows models.Outcomes.
	synthOutcomeWeights = []int{
		100, 250, 80, // proactive, disclose, partial
		3, 5, 3, 20, 10, 10, 5, 4, // withheld
		220, 30, 40, 10, // unavailable: not held, not ours, create, unclear
		40, 30, 10, 5, 15, // not processed
		30, 5, 50, 25, // other: no correction, fee unpaid, withdrawn, other
	}
)

// prepare draws the submission dates, the applicants and the counters.
func (g *synth) prepare(ctx context.Context, opts SyntheticOptions, first, last models.Date) error {
	if len(synthOutcomeWeights) != len(models.Outcomes) {
		return fmt.Errorf("synthetic outcome weights: %d, want %d", len(synthOutcomeWeights), len(models.Outcomes))
	}
	span := last.DaysSince(first) + 1
	g.dates = make([]models.Date, opts.Applications)
	for i := range g.dates {
		g.dates[i] = first.AddDays(g.rng.IntN(span))
	}
	slices.SortFunc(g.dates, func(a, b models.Date) int { return a.Compare(b) })
	// In every year, the first applications submitted from 1 February on
	// end with each outcome once, in each applicant column in turn, so
	// that every row and column of table 三 is filled.
	g.forced = map[int]int{}
	forcedIn := map[int]int{}
	for i, d := range g.dates {
		y := d.Year()
		if d.Month() >= time.February && forcedIn[y] < len(models.Outcomes) && d.Before(g.today.AddDays(-90)) {
			g.forced[i] = forcedIn[y]
			forcedIn[y]++
		}
	}

	k := g.s.keys
	g.codeEnc = k.EncryptString(g.code, ctxQueryCode)
	n := min(max(opts.Applications/4, 12), 20000)
	g.people = make([]synthPerson, n)
	for i := range g.people {
		kind := models.ApplicantKinds[g.weighted(synthKindWeights)]
		if i < len(models.ApplicantKinds) {
			kind = models.ApplicantKinds[i]
		}
		g.people[i] = g.person(i, kind)
	}

	g.seqs = map[int]int{}
	rows, err := g.s.db.QueryContext(ctx, `SELECT year, last_value FROM sequences WHERE agency_id = ? AND name = ?`,
		g.agency.ID, seqApplications)
	if err != nil {
		return fmt.Errorf("seed synthetic: %w", err)
	}
	for rows.Next() {
		var y, v int
		if err := rows.Scan(&y, &v); err != nil {
			rows.Close()
			return fmt.Errorf("seed synthetic: %w", err)
		}
		g.seqs[y] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("seed synthetic: %w", err)
	}
	for _, t := range []struct {
		table string
		next  *int64
	}{{"applicants", &g.nextApplicant}, {"applications", &g.nextApplication}} {
		var maxID sql.NullInt64
		if err := g.s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM `+t.table).Scan(&maxID); err != nil {
			return fmt.Errorf("seed synthetic: %w", err)
		}
		*t.next = maxID.Int64 + 1
	}
	return nil
}

var (
	synthSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	synthGiven    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强春梅海燕雪梅晓东")
	synthOrgNames = map[models.ApplicantKind][]string{
		models.ApplicantCommercial: {"铁岭市银州区", "开原市", "调兵山市", "铁岭县", "昌图县", "西丰县"},
		models.ApplicantResearch:   {"辽宁省社会科学院", "沈阳师范大学社会学研究所", "铁岭师范高等专科学校"},
		models.ApplicantNonprofit:  {"铁岭市慈善总会", "银州区社区志愿者协会", "开原市助老公益服务中心"},
		models.ApplicantLegal:      {"辽宁铁岭", "铁岭市银州区", "开原市"},
		models.ApplicantOtherOrg:   {"铁岭市银州区", "昌图县", "西丰县"},
	}
	synthOrgSuffix = map[models.ApplicantKind][]string{
		models.ApplicantCommercial: {"养老服务有限公司", "物业管理有限公司", "商贸有限公司", "建筑工程有限公司"},
		models.ApplicantResearch:   {""},
		models.ApplicantNonprofit:  {""},
		models.ApplicantLegal:      {"律师事务所", "法律服务所"},
		models.ApplicantOtherOrg:   {"村民委员会", "居民委员会", "业主委员会"},
	}
	synthAreas = []string{"211202", "211204", "211221", "211223", "211224", "211281", "211282"}
)

// person makes fake applicant i: a person with a resident ID number that
// passes GB 11643, or an organisation with a credit code that passes GB
// 32100, a mobile number and an address, encrypted once.
func (g *synth) person(i int, kind models.ApplicantKind) synthPerson {
	r := g.rng
	a := models.Applicant{Kind: kind, Phone: fmt.Sprintf("13%d%08d", 5+r.IntN(5), r.IntN(100000000)),
		Address: fmt.Sprintf("辽宁省铁岭市银州区模拟街%d号", 1+r.IntN(300)), PostCode: "112000"}
	if kind == models.ApplicantPerson {
		a.Name = string(synthSurnames[r.IntN(len(synthSurnames))]) + string(synthGiven[r.IntN(len(synthGiven))])
		if r.IntN(2) == 0 {
			a.Name += string(synthGiven[r.IntN(len(synthGiven))])
		}
		birth := models.NewDate(1950+r.IntN(55), time.January, 1).AddDays(r.IntN(365))
		a.IDType = models.DocResidentID
		a.IDNumber = residentID(synthAreas[r.IntN(len(synthAreas))] + birth.String()[0:4] + birth.String()[5:7] + birth.String()[8:10] + fmt.Sprintf("%03d", r.IntN(1000)))
		a.Email = fmt.Sprintf("applicant%d@example.com", i)
	} else {
		places, suffixes := synthOrgNames[kind], synthOrgSuffix[kind]
		a.Name = places[r.IntN(len(places))] + suffixes[r.IntN(len(suffixes))]
		if suffixes[0] != "" {
			a.Name = places[r.IntN(len(places))] + string(synthSurnames[r.IntN(len(synthSurnames))]) + "氏" + suffixes[r.IntN(len(suffixes))]
		}
		a.CreditCode = creditCode(fmt.Sprintf("91211200%09d", r.IntN(1000000000)))
		a.ContactPerson = string(synthSurnames[r.IntN(len(synthSurnames))]) + string(synthGiven[r.IntN(len(synthGiven))])
		a.LegalRep = a.ContactPerson
		a.Email = fmt.Sprintf("org%d@example.com", i)
	}
	k := g.s.keys
	return synthPerson{kind: kind, name: a.Name, idType: string(a.IDType), idMasked: models.MaskIDNumber(a.IDNumber),
		creditCode: a.CreditCode, legal: a.LegalRep, contact: a.ContactPerson, phoneMasked: models.MaskPhone(a.Phone),
		matchHash: ApplicantMatchHash(k, &a), idEnc: k.EncryptString(a.IDNumber, ctxIDNumber),
		phoneEnc: k.EncryptString(a.Phone, ctxPhone), emailEnc: k.EncryptString(a.Email, ctxEmail),
		addrEnc: k.EncryptString(a.Address, ctxAddress), postEnc: k.EncryptString(a.PostCode, ctxPostCode)}
}

// residentID appends the GB 11643 check character to 17 digits.
func residentID(d17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(d17[i]-'0') * weights[i]
	}
	return d17 + string("10X98765432"[sum%11])
}

// creditCode appends the GB 32100 check character to 17 characters.
func creditCode(c17 string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := range 17 {
		for v, ch := range alphabet {
			if byte(ch) == c17[i] {
				sum += v * weights[i]
			}
		}
	}
	return c17 + string(alphabet[(31-sum%31)%31])
}

// synthTitles are requests a civil affairs bureau typically receives.
var synthTitles = []string{
	"城乡居民最低生活保障资金发放名单", "特困人员救助供养资金使用情况", "临时救助审批材料", "养老机构备案及年度检查结果",
	"高龄津贴发放标准及名单", "社会组织登记及年检结果", "婚姻登记档案查询", "殡葬服务收费标准",
	"福利彩票公益金使用情况", "孤儿基本生活费发放情况", "行政区划调整的批复文件", "地名命名更名批复",
	"困难残疾人生活补贴发放明细", "社区养老服务设施建设项目资金", "流浪乞讨人员救助管理情况", "慈善募捐备案信息",
}

// synthApp is one generated application.
type synthApp struct {
	id, applicant int64
	number        string
	year, seq     int
	channel       models.Channel
	submitted     time.Time
	title         string
	events        []models.Event
	d             derived
}

// plan generates application i: its ledger up to today and the row derived
// from it.
func (g *synth) plan(i int) synthApp {
	r := g.rng
	sub := g.dates[i]
	a := synthApp{id: g.nextApplication, channel: synthChannels[g.weighted(synthChannelWeights)],
		title: synthTitles[r.IntN(len(synthTitles))]}
	g.nextApplication++
	a.year = sub.Year()
	g.seqs[a.year]++
	a.seq = g.seqs[a.year]
	a.number = models.ApplicationNumber(g.agency.Code, a.year, a.seq)
	a.submitted = sub.Time(g.s.loc).Add(time.Duration(8*3600+r.IntN(9*3600)) * time.Second).UTC()
	outcome := models.Outcomes[g.weighted(synthOutcomeWeights)].Outcome
	if k, ok := g.forced[i]; ok {
		outcome = models.Outcomes[k].Outcome
	}
	events := g.ledger(sub, a.channel, outcome, false)
	d, err := derive(events, g.cal, g.rules, g.today)
	if err != nil {
		// Not expected (a test checks); keep the data sound regardless.
		g.fallbacks++
		events = g.ledger(sub, a.channel, models.OutcomeDisclose, true)
		if d, err = derive(events, g.cal, g.rules, g.today); err != nil {
			panic(fmt.Sprintf("synthetic ledger of %s: %v", a.number, err))
		}
	}
	for j := range events {
		events[j].ApplicationID = a.id
		events[j].RecordedAt = events[j].On.Time(g.s.loc).Add(10 * time.Hour).UTC()
	}
	a.events, a.d = events, d
	return a
}

// ledger builds an application's events in date order and cuts them at
// today: a case whose later steps would fall after today is still open.
// A simple ledger is only received, assigned and answered.
func (g *synth) ledger(sub models.Date, ch models.Channel, outcome models.Outcome, simple bool) []models.Event {
	r := g.rng
	var out []models.Event
	cur := sub
	staff := models.ActorStaff
	add := func(days int, kind models.EventKind, data models.EventData) int {
		cur = cur.AddDays(days)
		actor := staff
		if kind == models.EventSubmitted && ch == models.ChannelOnline {
			actor = models.ActorApplicant
		}
		out = append(out, models.Event{Seq: len(out) + 1, Kind: kind, On: cur, ActorKind: actor, Data: data})
		return len(out)
	}
	add(0, models.EventSubmitted, models.EventData{Channel: ch, Source: SyntheticSource})
	if !simple && r.IntN(1000) < 2 {
		add(1+r.IntN(3), models.EventWithdrawn, models.EventData{Reason: "申请人撤回（确认收到前）"})
		return g.cut(out)
	}
	// 条例第三十一条: online, fax and e-mail applications are received when
	// both sides confirm, usually within a day or two; a plain letter when
	// the office confirms with the applicant.
	wait := 0
	switch ch {
	case models.ChannelOnline, models.ChannelFax, models.ChannelEmail:
		wait = r.IntN(3)
	case models.ChannelLetter:
		wait = 1 + r.IntN(3)
	}
	add(wait, models.EventConfirmed, models.EventData{Channel: ch})
	lead := g.sections[r.IntN(len(g.sections))]
	add(r.IntN(2), models.EventAssigned, models.EventData{SectionID: lead, Role: models.RoleLead})
	if !simple && len(g.sections) > 1 && r.IntN(100) < 5 {
		assist := g.sections[r.IntN(len(g.sections))]
		if assist != lead {
			add(0, models.EventAssigned, models.EventData{SectionID: assist, Role: models.RoleAssist})
		}
	}
	if simple {
		add(5+r.IntN(10), models.EventAnswerDrafted, models.EventData{Outcome: outcome})
		add(1, models.EventAnswerIssued, models.EventData{Outcome: outcome})
		return g.cut(out)
	}

	// 条例第三十条: a correction notice within a few days of receipt.
	correct := outcome == models.OutcomeNoCorrection || outcome == models.OutcomeStillUnclear || r.IntN(100) < 8
	if correct {
		add(1+r.IntN(3), models.EventCorrectionRequested, models.EventData{
			Items: []string{"请明确所需政府信息的名称、文号或者便于查询的其他特征性描述"}, PeriodDays: 15, DueOn: cur.AddDays(15)})
		due := cur.AddDays(15)
		if outcome == models.OutcomeNoCorrection {
			cur = due
			add(1+r.IntN(5), models.EventCorrectionExpired, models.EventData{})
			return g.cut(out)
		}
		add(1+r.IntN(14), models.EventCorrected, models.EventData{})
	}
	switch outcome {
	case models.OutcomeWithdrawn:
		add(1+r.IntN(15), models.EventWithdrawn, models.EventData{Reason: "申请人书面撤回申请"})
		return g.remedies(g.cut(out), &cur)
	case models.OutcomeMass:
		// 条例第三十五条: the applicant is asked to explain first.
		add(2+r.IntN(3), models.EventExplanationRequested, models.EventData{DueOn: cur.AddDays(15)})
	}
	if r.IntN(100) < 6 {
		add(3+r.IntN(5), models.EventExtensionRequested, models.EventData{Days: 20, Reason: "需要调取档案、核对数据"})
		add(1, models.EventExtensionApproved, models.EventData{Days: 20})
	}
	if r.IntN(100) < 3 {
		sent := add(1+r.IntN(4), models.EventConsultationSent, models.EventData{Party: "相关第三方", PartyKind: models.PartyThirdParty})
		add(1+r.IntN(3), models.EventConsultationDelivered, models.EventData{Ref: sent})
		add(3+r.IntN(9), models.EventConsultationAnswered, models.EventData{Ref: sent, Opinion: "agree"})
	}
	if outcome == models.OutcomeFeeUnpaid || r.IntN(1000) < 15 {
		amount := int64(1+r.IntN(20)) * 1000 // 10 to 200 元
		add(1+r.IntN(4), models.EventFeeNoticeSent, models.EventData{FeeMethod: models.FeePerItem, Units: 1, AmountFen: amount})
		add(1+r.IntN(3), models.EventFeeNoticeDelivered, models.EventData{})
		if outcome == models.OutcomeFeeUnpaid {
			// 20 working days from the day after delivery; 45 calendar
			// days clear even the Spring Festival.
			add(45, models.EventFeeExpired, models.EventData{})
			return g.remedies(g.cut(out), &cur)
		}
		add(1+r.IntN(10), models.EventFeePaid, models.EventData{AmountFen: amount})
	}
	add(3+r.IntN(14), models.EventAnswerDrafted, models.EventData{Outcome: outcome})
	add(1+r.IntN(2), models.EventAnswerApproved, models.EventData{Stage: "office_head"})
	add(1+r.IntN(2), models.EventAnswerIssued, models.EventData{Outcome: outcome})
	add(1+r.IntN(4), models.EventAnswerDelivered, models.EventData{DeliveryMethod: models.DeliveryPost})
	if r.IntN(100) < 30 {
		add(20+r.IntN(40), models.EventArchived, models.EventData{})
	}
	return g.remedies(g.cut(out), &cur)
}

// remedies adds, to a few closed cases, a reconsideration (sometimes
// followed by a lawsuit) or a lawsuit, concluded or not by today.
func (g *synth) remedies(out []models.Event, cur *models.Date) []models.Event {
	r := g.rng
	if len(out) == 0 || out[len(out)-1].On.After(g.today) || r.IntN(1000) >= 8 {
		return out
	}
	on := *cur
	add := func(days int, kind models.EventKind, data models.EventData) int {
		on = on.AddDays(days)
		out = append(out, models.Event{Seq: len(out) + 1, Kind: kind, On: on, ActorKind: models.ActorStaff, Data: data})
		return len(out)
	}
	results := []models.RemedyResult{models.ResultUpheld, models.ResultUpheld, models.ResultCorrected, models.ResultOther}
	year := on.Year()
	if r.IntN(4) > 0 {
		seq := add(10+r.IntN(40), models.EventReconsiderationRecorded,
			models.EventData{CaseRef: fmt.Sprintf("铁政复〔%d〕%d号", year, 1+r.IntN(300))})
		if r.IntN(10) < 7 {
			add(30+r.IntN(50), models.EventRemedyConcluded, models.EventData{Ref: seq, Result: results[r.IntN(len(results))]})
			if r.IntN(10) < 3 {
				seq = add(5+r.IntN(10), models.EventLitigationRecorded,
					models.EventData{CaseRef: fmt.Sprintf("（%d）辽1202行初%d号", on.Year(), 1+r.IntN(200)), AfterReconsideration: true})
				if r.IntN(2) == 0 {
					add(60+r.IntN(60), models.EventRemedyConcluded, models.EventData{Ref: seq, Result: results[r.IntN(len(results))]})
				}
			}
		}
	} else {
		seq := add(15+r.IntN(60), models.EventLitigationRecorded,
			models.EventData{CaseRef: fmt.Sprintf("（%d）辽1202行初%d号", year, 1+r.IntN(200))})
		if r.IntN(2) == 0 {
			add(60+r.IntN(90), models.EventRemedyConcluded, models.EventData{Ref: seq, Result: results[r.IntN(len(results))]})
		}
	}
	return g.cut(out)
}

// cut keeps the events dated today or earlier (the ledger is in date
// order, so this is a prefix).
func (g *synth) cut(events []models.Event) []models.Event {
	for i, e := range events {
		if e.On.After(g.today) {
			return events[:i]
		}
	}
	return events
}

// Column lists of the bulk inserts.
const (
	synthApplicantCols   = `id, agency_id, kind, name, id_type, id_number_enc, id_number_masked, credit_code, legal_rep, contact_person, phone_enc, phone_masked, email_enc, address_enc, post_code_enc, agent_name, agent_id_type, match_hash, created_at`
	synthApplicantN      = 19
	synthApplicationCols = `id, agency_id, number, year, seq, applicant_id, applicant_kind, channel, source, status, submitted_at, received_on, title, description, purpose, form_wanted, delivery, query_code_hash, query_code_enc, due_on, internal_due_on, clock_state, calendar_warning, section_id, outcome, closed_on, version, created_at, updated_at`
	synthApplicationN    = 29
	synthEventCols       = `application_id, agency_id, seq, kind, occurred_on, recorded_at, actor_kind, actor_id, data`
	synthEventN          = 9
	synthSectionCols     = `application_id, agency_id, section_id, role, assigned_on, internal_due_on`
	synthSectionN        = 6
	// Rows per INSERT: under SQLite's 32766 and MySQL's 65535 placeholders.
	synthRowsPerInsert = 500
)

// bulk collects rows for one table and writes them with a prepared
// multi-row INSERT of synthRowsPerInsert rows.
type bulk struct {
	ctx  context.Context
	tx   *sql.Tx
	head string
	cols int
	full *sql.Stmt
	args []any
	rows int
	// deps are the tables this one's rows refer to: they are written first.
	deps []*bulk
}

func newBulk(ctx context.Context, tx *sql.Tx, table, cols string, n int, deps ...*bulk) *bulk {
	return &bulk{ctx: ctx, tx: tx, head: `INSERT INTO ` + table + ` (` + cols + `) VALUES `, cols: n,
		args: make([]any, 0, n*synthRowsPerInsert), deps: deps}
}

func (b *bulk) add(values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows == synthRowsPerInsert {
		return b.flush()
	}
	return nil
}

func (b *bulk) flush() error {
	if b.rows == 0 {
		return nil
	}
	for _, d := range b.deps {
		if err := d.flush(); err != nil {
			return err
		}
	}
	var err error
	if b.rows == synthRowsPerInsert {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(b.ctx, b.head+valuesList(synthRowsPerInsert, b.cols)); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.head+valuesList(b.rows, b.cols), b.args...)
	}
	b.args, b.rows = b.args[:0], 0
	return err
}

func (b *bulk) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// writeBatch generates and writes applications from..from+n.
func (g *synth) writeBatch(ctx context.Context, tx *sql.Tx, from, n int, res *SyntheticResult) error {
	agency := g.agency.ID
	applicants := newBulk(ctx, tx, "applicants", synthApplicantCols, synthApplicantN)
	applications := newBulk(ctx, tx, "applications", synthApplicationCols, synthApplicationN, applicants)
	events := newBulk(ctx, tx, "application_events", synthEventCols, synthEventN, applications)
	sections := newBulk(ctx, tx, "application_sections", synthSectionCols, synthSectionN, applications)
	all := []*bulk{applicants, applications, events, sections}
	defer func() {
		for _, b := range all {
			b.close()
		}
	}()
	for i := from; i < from+n; i++ {
		a := g.plan(i)
		p := &g.people[g.rng.IntN(len(g.people))]
		a.applicant = g.nextApplicant
		g.nextApplicant++
		if err := applicants.add(a.applicant, agency, string(p.kind), p.name, p.idType, p.idEnc, p.idMasked, p.creditCode,
			p.legal, p.contact, p.phoneEnc, p.phoneMasked, p.emailEnc, p.addrEnc, p.postEnc, "", "", p.matchHash,
			a.submitted); err != nil {
			return fmt.Errorf("insert applicants: %w", err)
		}
		d := a.d
		var section any
		if d.sectionID != 0 {
			section = d.sectionID
		}
		last := a.events[len(a.events)-1].RecordedAt
		if err := applications.add(a.id, agency, a.number, a.year, a.seq, a.applicant, string(p.kind), string(a.channel), SyntheticSource,
			string(d.status), a.submitted, d.receivedOn, a.title, "请公开"+a.title+"。", "", string(models.FormElectronic),
			string(models.DeliveryOnline), g.s.keys.QueryCodeHash(a.number, g.code), g.codeEnc, d.dueOn, d.internalDueOn,
			string(d.clockState), d.calendarWarning, section, string(d.outcome), d.closedOn, len(a.events),
			a.submitted, last); err != nil {
			return fmt.Errorf("insert applications: %w", err)
		}
		for _, e := range a.events {
			js, err := json.Marshal(e.Data)
			if err != nil {
				return err
			}
			if err := events.add(a.id, agency, e.Seq, string(e.Kind), e.On, e.RecordedAt, string(e.ActorKind), e.ActorID, string(js)); err != nil {
				return fmt.Errorf("insert events: %w", err)
			}
			switch e.Kind {
			case models.EventReconsiderationRecorded, models.EventLitigationRecorded:
				res.Remedies++
			}
		}
		res.Events += len(a.events)
		for _, sd := range d.sections {
			if err := sections.add(a.id, agency, sd.SectionID, string(sd.Role), sd.Since, sd.dueOn); err != nil {
				return fmt.Errorf("insert sections: %w", err)
			}
		}
	}
	for _, b := range all {
		if err := b.flush(); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	return nil
}

// writeSequences moves the application counters past the numbers used.
func (g *synth) writeSequences(ctx context.Context, tx *sql.Tx) error {
	for y, v := range g.seqs {
		res, err := tx.ExecContext(ctx, `UPDATE sequences SET last_value = ? WHERE agency_id = ? AND name = ? AND year = ? AND last_value < ?`,
			v, g.agency.ID, seqApplications, y, v)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		var have int
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sequences WHERE agency_id = ? AND name = ? AND year = ?`,
			g.agency.ID, seqApplications, y).Scan(&have)
		if err != nil {
			return err
		}
		if have == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (agency_id, name, year, last_value) VALUES (?, ?, ?, ?)`,
				g.agency.ID, seqApplications, y, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// synthCatalogTitles are the catalog entries' titles by category: 规章
// (few), 行政规范性文件 and other items of 条例第二十条.
var synthCatalogTitles = map[string][]string{
	models.CategoryRules:     {"铁岭市养老机构管理办法", "铁岭市殡葬管理办法"},
	models.CategoryNormative: {"关于进一步加强城乡低保管理的通知", "关于调整特困人员供养标准的通知", "关于规范临时救助工作的实施意见", "关于加强养老服务机构安全管理的通知"},
	"a20-05":                 {"养老机构设立许可决定", "社会团体成立登记决定"},
	"a20-06":                 {"社会组织行政处罚决定书", "养老机构行政处罚决定书"},
	"a20-07":                 {"城乡低保对象名单", "特困人员救助供养名单"},
	"a20-02":                 {"铁岭市民政事业发展规划", "年度工作要点"},
}

// writeCatalog adds published catalog entries with their dates in every
// year; some 行政规范性文件 and 规章 are repealed in a later year.
func (g *synth) writeCatalog(ctx context.Context, tx *sql.Tx, opts SyntheticOptions) (int, error) {
	sc, err := g.s.catalogScope(ctx, g.agency.ID)
	if err != nil {
		return 0, err
	}
	r := g.rng
	codes := []string{models.CategoryRules, models.CategoryNormative, "a20-05", "a20-06", "a20-07", "a20-02"}
	weights := []int{2, 12, 20, 20, 30, 16}
	now := g.s.nowUTC()
	n := 0
	for y := opts.FromYear; y <= opts.ToYear; y++ {
		for i := range opts.CatalogPerYear {
			code := codes[g.weighted(weights)]
			if i < 2 {
				code = codes[i] // every year issues at least one 规章 and one 行政规范性文件
			}
			generated := models.NewDate(y, 1, 1).AddDays(r.IntN(365))
			if generated.After(g.today) {
				continue
			}
			var repealed models.Date
			if (code == models.CategoryRules || code == models.CategoryNormative) && r.IntN(5) == 0 {
				repealed = generated.AddDays(200 + r.IntN(900))
				if repealed.After(g.today) {
					repealed = models.Date{}
				}
			}
			seq, err := g.s.nextValue(ctx, tx, g.agency.ID, seqCatalogIndex, y)
			if err != nil {
				return n, err
			}
			titles := synthCatalogTitles[code]
			title := fmt.Sprintf("%s（%d年第%d号）", titles[r.IntN(len(titles))], y, seq)
			if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_entries (agency_id, index_no, index_year, index_seq, title,
				summary, generated_on, publisher, category, doc_number, effective_on, repealed_on, status, published_at,
				version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				g.agency.ID, sc.settings.Index.Format(g.agency.Code, y, seq), y, seq, title, "模拟数据："+title,
				generated, g.agency.Name, code, fmt.Sprintf("铁民发〔%d〕%d号", y, seq), generated, repealed,
				string(models.CatalogPublished), now, now, now); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// writeFigures enters table 二's office figures for every year before this
// one that has none.
func (g *synth) writeFigures(ctx context.Context, tx *sql.Tx, opts SyntheticOptions) error {
	r := g.rng
	for y := opts.FromYear; y <= opts.ToYear && y < g.today.Year(); y++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO annual_report_inputs (agency_id, year, figures_set, licensing, penalties,
			enforcement, charges_fen, narrative_overview, narrative_problems, narrative_other, updated_at)
			SELECT ?, ?, 1, ?, ?, ?, ?, '', '', '', ? FROM agencies WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM annual_report_inputs WHERE agency_id = ? AND year = ?)`,
			g.agency.ID, y, 50+r.IntN(200), r.IntN(20), r.IntN(5), int64(r.IntN(500))*10000, g.s.nowUTC(),
			g.agency.ID, g.agency.ID, y); err != nil {
			return err
		}
	}
	return nil
}
