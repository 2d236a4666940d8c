package models

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckReceiptDate(t *testing.T) {
	today := MustParseDate("2026-02-10")
	submitted := MustParseDate("2026-02-05")
	for _, tc := range []struct {
		name   string
		on     string
		reason string
		field  string // "" when valid
	}{
		{"today", "2026-02-10", "", ""},
		{"earlier with a reason", "2026-02-06", "2月6日已电话确认，今日补登", ""},
		{"the submission day with a reason", "2026-02-05", "当日确认，次日登记", ""},
		{"earlier without a reason", "2026-02-06", "  ", FieldDateReason},
		{"future", "2026-02-11", "", FieldReceivedOn},
		{"before submission", "2026-02-04", "补登", FieldReceivedOn},
		{"missing", "", "", FieldReceivedOn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var on Date
			if tc.on != "" {
				on = MustParseDate(tc.on)
			}
			err := CheckReceiptDate(on, submitted, today, tc.reason)
			got := ""
			for f := range fieldsOf(t, err) {
				got = f
			}
			if got != tc.field {
				t.Errorf("error field = %q (%v), want %q", got, err, tc.field)
			}
		})
	}
}

func TestChannelRules(t *testing.T) {
	for _, tc := range []struct {
		ch        Channel
		confirm   bool
		scan      bool
		ruleHas   string
		staffList bool
	}{
		{ChannelOnline, true, false, "第（三）项", false},
		{ChannelInPerson, false, true, "以提交之日", true},
		{ChannelMail, false, true, "签收之日", true},
		{ChannelLetter, true, true, "确认之日", true},
		{ChannelFax, true, true, "双方确认之日", true},
		{ChannelEmail, true, false, "双方确认之日", true},
		{ChannelOral, false, false, "以提交之日", true},
	} {
		t.Run(string(tc.ch), func(t *testing.T) {
			if got := tc.ch.ConfirmedWithApplicant(); got != tc.confirm {
				t.Errorf("ConfirmedWithApplicant = %v", got)
			}
			if got := tc.ch.NeedsScan(); got != tc.scan {
				t.Errorf("NeedsScan = %v", got)
			}
			if !strings.Contains(tc.ch.ReceiptRule(), tc.ruleHas) {
				t.Errorf("ReceiptRule = %q, want it to contain %q", tc.ch.ReceiptRule(), tc.ruleHas)
			}
			if got := slices.Contains(StaffChannels, tc.ch); got != tc.staffList {
				t.Errorf("in StaffChannels = %v", got)
			}
		})
	}
}

func TestRegistrationValidate(t *testing.T) {
	today := MustParseDate("2026-02-10")
	base := func() Registration {
		return Registration{Form: validPersonForm(), Channel: ChannelMail, ReceivedOn: today, Scans: 1}
	}
	for _, tc := range []struct {
		name    string
		edit    func(r *Registration)
		errs    []string // error fields, sorted
		missing []string // parts of the missing particulars, in order
	}{
		{"complete mail application", func(r *Registration) {}, nil, nil},
		{"no identity number: registered, asked for by correction", func(r *Registration) {
			r.Form.IDType, r.Form.IDNumber = "", ""
		}, nil, []string{"身份证明"}},
		{"no phone but an address", func(r *Registration) {
			r.Form.Phone, r.Form.Delivery, r.Form.FormWanted = "", DeliveryPost, FormPaper
			r.Form.Address, r.Form.PostCode = "铁岭市银州区某路1号", "112000"
		}, nil, []string{"联系电话"}},
		{"no contact at all, no form, no way", func(r *Registration) {
			r.Form.Phone, r.Form.FormWanted, r.Form.Delivery = "", "", ""
		}, nil, []string{"联系方式", "形式", "获取信息的方式"}},
		{"post without address", func(r *Registration) {
			r.Form.Delivery, r.Form.FormWanted = DeliveryPost, FormPaper
		}, nil, []string{"邮寄地址"}},
		{"organisation without credit code", func(r *Registration) {
			r.Form = validOrgForm()
			r.Form.CreditCode, r.Form.LegalRep = "", ""
		}, nil, []string{"统一社会信用代码", "法定代表人"}},
		{"agent without power of attorney", func(r *Registration) {
			r.Form.HasAgent, r.Form.AgentName, r.Form.AgentIDType, r.Form.AgentIDNumber = true, "李四", DocResidentID, "110101199003074477"
		}, nil, []string{"授权委托书"}},
		{"a wrong identity number is an error", func(r *Registration) { r.Form.IDNumber = "110101199003074478" },
			[]string{FieldIDNumber}, nil},
		{"a number without its type is checked", func(r *Registration) { r.Form.IDType = "" },
			[]string{FieldIDType}, nil},
		{"no name", func(r *Registration) { r.Form.Name = "" }, []string{FieldName}, nil},
		{"nothing identifying the information", func(r *Registration) { r.Form.Title = "" }, []string{FieldTitle}, nil},
		{"no channel", func(r *Registration) { r.Channel = "" }, []string{FieldChannel}, nil},
		{"online is not registered by staff", func(r *Registration) { r.Channel = ChannelOnline }, []string{FieldChannel}, nil},
		{"no scan of a letter", func(r *Registration) { r.Scans = 0 }, []string{FieldScan}, nil},
		{"oral needs no scan", func(r *Registration) { r.Channel, r.Scans = ChannelOral, 0 }, nil, nil},
		{"unconfirmed letter", func(r *Registration) { r.Channel, r.Unconfirmed = ChannelLetter, true }, nil, nil},
		{"unconfirmed letter that arrived earlier needs no reason", func(r *Registration) {
			r.Channel, r.Unconfirmed, r.ReceivedOn = ChannelLetter, true, MustParseDate("2026-02-09")
		}, nil, nil},
		{"unconfirmed is only for letters, fax, e-mail", func(r *Registration) { r.Unconfirmed = true },
			[]string{FieldUnconfirmed}, nil},
		{"signed for earlier, explained", func(r *Registration) {
			r.ReceivedOn, r.DateReason = MustParseDate("2026-02-09"), "昨日签收，今日登记"
		}, nil, nil},
		{"signed for earlier, unexplained", func(r *Registration) { r.ReceivedOn = MustParseDate("2026-02-09") },
			[]string{FieldDateReason}, nil},
		{"future receipt", func(r *Registration) { r.ReceivedOn = MustParseDate("2026-02-11") },
			[]string{FieldReceivedOn}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			tc.edit(&r)
			missing, err := r.Validate(today)
			var errs []string
			for f := range fieldsOf(t, err) {
				errs = append(errs, f)
			}
			slices.Sort(errs)
			if !slices.Equal(errs, tc.errs) {
				t.Fatalf("errors %v (%v), want %v", errs, err, tc.errs)
			}
			if len(missing) != len(tc.missing) {
				t.Fatalf("missing = %q, want %d items like %q", missing, len(tc.missing), tc.missing)
			}
			for i, m := range tc.missing {
				if !strings.Contains(missing[i], m) {
					t.Errorf("missing[%d] = %q, want it to mention %q", i, missing[i], m)
				}
			}
		})
	}
	t.Run("application carries the channel", func(t *testing.T) {
		r := base()
		if _, err := r.Validate(today); err != nil {
			t.Fatal(err)
		}
		if app := r.Application(); app.Channel != ChannelMail || app.Source != "staff" {
			t.Errorf("application channel %q source %q", app.Channel, app.Source)
		}
	})
}

func TestMissingParticularsOfOnlineApplication(t *testing.T) {
	f := validPersonForm()
	if err := f.Validate(formToday); err != nil {
		t.Fatal(err)
	}
	a, app := f.Applicant(), f.Application()
	if got := MissingParticulars(&a, &app); len(got) != 0 {
		t.Errorf("a complete online application lacks %q", got)
	}
}

func TestMonthlyOrdinalAndVolume(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			panic(err)
		}
		return t
	}
	apps := []*Application{
		{ID: 1, SubmittedAt: at("2026-01-31 23:59")}, // January
		{ID: 2, SubmittedAt: at("2026-02-01 00:00")},
		{ID: 3, SubmittedAt: at("2026-02-03 10:00")},
		{ID: 5, SubmittedAt: at("2026-02-03 10:00")}, // same instant: ids order them
		{ID: 4, SubmittedAt: at("2026-02-03 10:00")},
		{ID: 6, SubmittedAt: at("2026-03-01 08:00")}, // March
		{ID: 7, SubmittedAt: at("2025-01-20 08:00")}, // more than a year before
	}
	byID := map[int64]*Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	// The ordinal orders by instant (then id); the volume counts by day,
	// the day's applications included.
	for _, tc := range []struct {
		id          int64
		ordinal     int
		month, year int
	}{
		{1, 1, 1, 1}, {2, 1, 1, 2}, {3, 2, 4, 5}, {4, 3, 4, 5}, {5, 4, 4, 5}, {6, 1, 1, 6},
	} {
		app := byID[tc.id]
		if got := MonthlyOrdinal(app, apps, loc); got != tc.ordinal {
			t.Errorf("application %d: ordinal %d, want %d", tc.id, got, tc.ordinal)
		}
		m, y := ApplicantVolume(app, apps, loc)
		if m != tc.month || y != tc.year {
			t.Errorf("application %d: volume %d this month, %d this year, want %d, %d", tc.id, m, y, tc.month, tc.year)
		}
	}
	// The application itself counts even when the list lacks it.
	if got := MonthlyOrdinal(&Application{ID: 99, SubmittedAt: at("2026-04-01 09:00")}, apps, loc); got != 1 {
		t.Errorf("alone: ordinal %d, want 1", got)
	}
}

func TestLedgerViews(t *testing.T) {
	l := &ledgerBuilder{}
	receipt("2026-03-02")(l)
	if PendingExtensionRequest(l.events) != nil {
		t.Error("pending extension without a request")
	}
	l.add(EventExtensionRequested, "2026-03-03", EventData{Days: 10, Reason: "甲"})
	l.add(EventExtensionRejected, "2026-03-04", EventData{Comment: "不同意"})
	if PendingExtensionRequest(l.events) != nil {
		t.Error("a rejected request is pending")
	}
	l.add(EventExtensionRequested, "2026-03-05", EventData{Days: 15, Reason: "乙"})
	if p := PendingExtensionRequest(l.events); p == nil || p.Data.Reason != "乙" {
		t.Errorf("pending = %+v, want the second request", p)
	}
	a := l.consult("2026-03-05", "甲公司")
	b := l.consult("2026-03-05", "乙局")
	l.delivered(a, "2026-03-05")
	l.replied(a, "2026-03-06")
	l.delivered(b, "2026-03-05")
	l.consultExpired(b, "2026-03-27")
	open := UnansweredConsultations(l.events)
	if len(open) != 1 || open[0].Seq != b {
		t.Errorf("unanswered = %+v, want only the expired one", open)
	}
	if e := LastEvent(l.events, EventConsultationSent); e == nil || e.Seq != b {
		t.Errorf("LastEvent = %+v", e)
	}
	if LastEvent(l.events, EventFeePaid) != nil {
		t.Error("LastEvent found a kind not there")
	}
}

func TestCheckPastDate(t *testing.T) {
	today := MustParseDate("2026-03-10")
	if err := CheckPastDate("on", "缴费日期", today, today); err != nil {
		t.Error(err)
	}
	if err := CheckPastDate("on", "缴费日期", today.AddDays(1), today); FieldErrors(err)["on"] == "" {
		t.Errorf("future accepted: %v", err)
	}
	if err := CheckPastDate("on", "缴费日期", Date{}, today); FieldErrors(err)["on"] != "请填写缴费日期。" {
		t.Errorf("missing: %v", err)
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"4700": 470000, "4700.5": 470050, "4,700.00元": 470000, " 0.05 ": 5, "200.00元": 20000} {
		if got, err := ParseYuan(in); err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.234", "abc", ".5", "1e3"} {
		if _, err := ParseYuan(in); err == nil {
			t.Errorf("ParseYuan(%q) accepted", in)
		}
	}
}
