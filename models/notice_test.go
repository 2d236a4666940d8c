package models

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFeeFenAtTierEdges checks the amounts a fee notice states at the
// edges of the tiers of 国办函〔2020〕109号 (rules.md §2.2, §2.3), and that the
// bands a notice prints add up to them.
func TestFeeFenAtTierEdges(t *testing.T) {
	for _, tc := range []struct {
		method FeeMethod
		units  int
		fen    int64
		bands  []FeeBand
	}{
		// 按件: the n-th application of the month.
		{FeePerItem, 10, 0, nil},
		{FeePerItem, 11, 100_00, []FeeBand{{From: 11, To: 30, Count: 1, RateFen: 100_00, AmountFen: 100_00}}},
		{FeePerItem, 30, 100_00, []FeeBand{{From: 11, To: 30, Count: 1, RateFen: 100_00, AmountFen: 100_00}}},
		{FeePerItem, 31, 200_00, []FeeBand{{From: 31, To: 40, Count: 1, RateFen: 200_00, AmountFen: 200_00}}},
		{FeePerItem, 45, 300_00, []FeeBand{{From: 41, To: 50, Count: 1, RateFen: 300_00, AmountFen: 300_00}}},
		// 按量: pages.
		{FeePerPage, 30, 0, nil},
		{FeePerPage, 31, 10_00, []FeeBand{{From: 31, To: 100, Count: 1, RateFen: 10_00, AmountFen: 10_00}}},
		{FeePerPage, 100, 700_00, []FeeBand{{From: 31, To: 100, Count: 70, RateFen: 10_00, AmountFen: 700_00}}},
		{FeePerPage, 101, 720_00, []FeeBand{{From: 31, To: 100, Count: 70, RateFen: 10_00, AmountFen: 700_00},
			{From: 101, To: 200, Count: 1, RateFen: 20_00, AmountFen: 20_00}}},
		{FeePerPage, 250, 4700_00, []FeeBand{{From: 31, To: 100, Count: 70, RateFen: 10_00, AmountFen: 700_00},
			{From: 101, To: 200, Count: 100, RateFen: 20_00, AmountFen: 2000_00},
			{From: 201, To: 0, Count: 50, RateFen: 40_00, AmountFen: 2000_00}}},
	} {
		if got := FeeFen(tc.method, tc.units); got != tc.fen {
			t.Errorf("FeeFen(%s, %d) = %s, want %s", tc.method, tc.units, FormatYuan(got), FormatYuan(tc.fen))
		}
		bands := FeeBands(tc.method, tc.units)
		if !slices.Equal(bands, tc.bands) {
			t.Errorf("FeeBands(%s, %d) = %+v, want %+v", tc.method, tc.units, bands, tc.bands)
		}
		var sum int64
		for _, b := range bands {
			sum += b.AmountFen
		}
		if sum != tc.fen {
			t.Errorf("bands of %s %d add up to %d, want %d", tc.method, tc.units, sum, tc.fen)
		}
	}
	// 45 applications in one month cost 5500元 in all (rules.md §2.2): the
	// per-application fees of the 11th to the 45th add up to it.
	var month int64
	for n := 1; n <= 45; n++ {
		month += FeeFen(FeePerItem, n)
	}
	if month != FeePerItemTotalFen(45) || month != 5500_00 {
		t.Errorf("45 applications: %s, want 5500.00元", FormatYuan(month))
	}
	for _, m := range []FeeMethod{FeePerItem, FeePerPage} {
		if !strings.Contains(FeeStandard(m), m.Label()) {
			t.Errorf("FeeStandard(%s) does not name the method", m)
		}
	}
}

func TestNoticeNumber(t *testing.T) {
	if got := NoticeNumber("铁民公开", 2026, 12); got != "铁民公开〔2026〕第12号" {
		t.Errorf("NoticeNumber = %q", got)
	}
	if got := NoticeNumber(" ", 2026, 1); got != "政府信息公开〔2026〕第1号" {
		t.Errorf("NoticeNumber without prefix = %q", got)
	}
}

func TestNoticeKinds(t *testing.T) {
	for _, k := range NoticeKinds {
		if !strings.HasPrefix(k.Title(), "政府信息公开申请") {
			t.Errorf("%s: title %q", k, k.Title())
		}
		if k.Label() == "" {
			t.Errorf("%s: no label", k)
		}
		others := k == NoticeConsultThirdParty || k == NoticeConsultCoProducer
		if k.ToApplicant() == others {
			t.Errorf("%s: ToApplicant = %v", k, k.ToApplicant())
		}
	}
	if !NoticeFee.StartsPeriod() || !NoticeConsultThirdParty.StartsPeriod() || NoticeCorrection.StartsPeriod() {
		t.Error("StartsPeriod wrong")
	}
}

func TestCorrectionItems(t *testing.T) {
	got := CorrectionItems("1. 请写明文件名称\n\n2、请提供身份证明\r\n（3）请说明所需信息的时间范围  \n   ")
	want := []string{"请写明文件名称", "请提供身份证明", "请说明所需信息的时间范围"}
	if !slices.Equal(got, want) {
		t.Errorf("CorrectionItems = %q, want %q", got, want)
	}
	if err := CheckCorrectionItems("items", nil, nil); err == nil {
		t.Error("no items accepted")
	}
	if err := CheckCorrectionItems("items", want, nil); err != nil {
		t.Errorf("items refused: %v", err)
	}
	if err := CheckCorrectionItems("items", []string{strings.Repeat("字", 501)}, nil); err == nil {
		t.Error("an overlong item accepted")
	}
	glyphs := func(s string) []rune {
		if strings.ContainsRune(s, '𠀀') {
			return []rune{'𠀀'}
		}
		return nil
	}
	if err := CheckCorrectionItems("items", []string{"请提供𠀀的证明"}, glyphs); err == nil {
		t.Error("an unprintable item accepted")
	}
}

func TestNoticeDeliveryValidate(t *testing.T) {
	d := MustParseDate
	issued, today := d("2026-03-02"), d("2026-03-10")
	for _, tc := range []struct {
		name   string
		nd     NoticeDelivery
		fields []string
	}{
		{"handed over", NoticeDelivery{Method: DeliveryPickup, On: d("2026-03-02")}, nil},
		{"posted through a postal enterprise", NoticeDelivery{Method: DeliveryPost, On: d("2026-03-03"), Ref: "xa 1234 5678 9cn", ViaPostalEnterprise: true}, nil},
		{"posted by another courier", NoticeDelivery{Method: DeliveryPost, On: d("2026-03-03"), Ref: "SF1234567890"}, []string{FieldViaPost}},
		{"posted without an item number", NoticeDelivery{Method: DeliveryPost, On: d("2026-03-03"), ViaPostalEnterprise: true}, []string{FieldDeliveryRef}},
		{"e-mail", NoticeDelivery{Method: DeliveryEmail, On: d("2026-03-10")}, nil},
		{"before the notice", NoticeDelivery{Method: DeliveryOnline, On: d("2026-03-01")}, []string{FieldDeliveredOn}},
		{"in the future", NoticeDelivery{Method: DeliveryOnline, On: d("2026-03-11")}, []string{FieldDeliveredOn}},
		{"no method, no date", NoticeDelivery{}, []string{FieldDeliveryMethod, FieldDeliveredOn}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.nd.Validate(issued, today)
			var got []string
			for f := range fieldsOf(t, err) {
				got = append(got, f)
			}
			slices.Sort(got)
			want := slices.Clone(tc.fields)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("error fields %v (%v), want %v", got, err, want)
			}
		})
	}
	nd := NoticeDelivery{Method: DeliveryPost, On: d("2026-03-03"), Ref: "xa 1234 5678 9cn", ViaPostalEnterprise: true}
	if nd.Validate(issued, today); nd.Ref != "XA123456789CN" {
		t.Errorf("Ref normalised to %q", nd.Ref)
	}
}

// TestNoticeBody: the common part masks the applicant, and Complete takes
// the figures from the event and the clocks, so the notice states what the
// ledger records.
func TestNoticeBody(t *testing.T) {
	d := MustParseDate
	loc := time.FixedZone("CST", 8*3600)
	ag := &Agency{Name: "铁岭市民政局", OfficeName: "政府信息公开办公室", Phone: "024-1234567", LetterPrefix: "铁民公开"}
	app := &Application{Number: "TLMZ-2026-000001", Title: "低保名单", Channel: ChannelMail,
		SubmittedAt: time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), FormWanted: FormPaper, Delivery: DeliveryPost}
	a := &Applicant{Kind: ApplicantPerson, Name: "张三", IDType: DocResidentID, IDNumber: "110101199003074477", Phone: "13812345678"}
	b := NoticeBody{Kind: NoticeExtension, Reason: "需要调取档案"}
	b.Prepare(ag, app, a, "铁民公开〔2026〕第3号", d("2026-03-20"), loc)
	if b.ApplicantID != "居民身份证　1101**********4477" || b.ApplicantPhone != "138****5678" {
		t.Errorf("applicant not masked: %q %q", b.ApplicantID, b.ApplicantPhone)
	}
	if b.SubmittedOn != d("2026-03-02") {
		t.Errorf("submitted on %s, want the day in the agency zone", b.SubmittedOn)
	}
	if !b.Registered || b.Title != "政府信息公开申请延期答复告知书" || b.Agency.Name != "铁岭市民政局" || b.Reason != "需要调取档案" {
		t.Errorf("body = %+v", b)
	}
	e := Event{Kind: EventExtensionApproved, On: d("2026-03-20"), Data: EventData{Days: 10}}
	before := Clock{ReceivedOn: d("2026-03-02"), DueOn: d("2026-03-30")}
	after := Clock{ReceivedOn: d("2026-03-02"), DueOn: d("2026-04-14"), Explanation: "……延至2026年4月14日。"}
	b.Complete(nil, e, before, after)
	if b.ExtensionDays != 10 || b.OriginalDueOn != d("2026-03-30") || b.DueOn != d("2026-04-14") || b.ReceivedOn != d("2026-03-02") {
		t.Errorf("extension body = %+v", b)
	}

	c := NoticeBody{Kind: NoticeConsultThirdParty}
	c.Prepare(ag, app, a, "n", d("2026-03-05"), loc)
	c.Complete(nil, Event{Kind: EventConsultationSent, Data: EventData{Party: "某某公司", PartyKind: PartyThirdParty}}, before, before)
	if c.Recipient != "某某公司" || c.Party != "某某公司" {
		t.Errorf("a letter to the third party is addressed to it: %+v", c)
	}
	r := NoticeBody{Kind: NoticeReceipt}
	r.Prepare(ag, app, a, "n", d("2026-03-02"), loc)
	r.Complete(nil, Event{Kind: EventConfirmed, On: d("2026-03-02")}, Clock{}, before)
	if r.DueOn != d("2026-03-30") || r.ReceivedOn != d("2026-03-02") {
		t.Errorf("receipt body = %+v", r)
	}
}

func TestNoticeBodyDelayedDeadline(t *testing.T) {
	d := MustParseDate
	ledger := []Event{
		{Seq: 1, Kind: EventSubmitted, On: d("2026-03-02")},
		{Seq: 2, Kind: EventConfirmed, On: d("2026-03-02")},
		{Seq: 3, Kind: EventExplanationRequested, On: d("2026-03-04")},
		{Seq: 4, Kind: EventExplanationReceived, On: d("2026-03-10")},
	}
	b := NoticeBody{Kind: NoticeDelayedDeadline}
	b.Complete(ledger, Event{Kind: EventDelayedDeadlineSet, On: d("2026-03-12"), Data: EventData{DueOn: d("2026-05-29"), Reason: "申请数量大"}},
		Clock{DueOn: d("2026-03-30")}, Clock{DueOn: d("2026-05-29")})
	if b.ExplanationAskedOn != d("2026-03-04") || b.ExplanationReceivedOn != d("2026-03-10") || b.DueOn != d("2026-05-29") ||
		b.OriginalDueOn != d("2026-03-30") || b.Reason != "申请数量大" {
		t.Errorf("delayed deadline body = %+v", b)
	}
}

// TestPublicExplanation: the applicant's explanation of the due date does
// not name whom the agency consulted; staff's does.
func TestPublicExplanation(t *testing.T) {
	cal := MustBuiltinCalendar(t)
	l := &ledgerBuilder{}
	receipt("2026-03-02")(l)
	l.consult("2026-03-03", "铁岭某某养老服务有限公司")
	l.add(EventConsultationSent, "2026-03-04", EventData{Party: "铁岭市财政局", PartyKind: PartyCoProducer})
	c, err := ComputeClock(l.events, cal, DefaultClockRules(), MustParseDate("2026-03-10"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"铁岭某某养老服务有限公司", "铁岭市财政局"} {
		if !strings.Contains(c.Explanation, name) || strings.Contains(c.PublicExplanation, name) {
			t.Errorf("%s: in staff's explanation %v, in the applicant's %v", name,
				strings.Contains(c.Explanation, name), strings.Contains(c.PublicExplanation, name))
		}
	}
	if !strings.Contains(c.PublicExplanation, "向第三方发出征求意见书") || !strings.Contains(c.PublicExplanation, "向有关行政机关发出征求意见书") {
		t.Errorf("public explanation: %s", c.PublicExplanation)
	}
}
