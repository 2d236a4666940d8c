package models

import (
	"slices"
	"testing"
)

func TestRemedyCasesOf(t *testing.T) {
	var l ledgerBuilder
	l.submit("2026-03-02")
	l.confirm("2026-03-02")
	l.add(EventAnswerIssued, "2026-03-20", EventData{Outcome: OutcomeWithholdThirdParty})
	rc := l.add(EventReconsiderationRecorded, "2026-04-10", EventData{CaseRef: "铁政复〔2026〕12号"})
	lit := l.add(EventLitigationRecorded, "2026-06-01", EventData{AfterReconsideration: true})
	direct := l.add(EventLitigationRecorded, "2026-06-02", EventData{CaseRef: "（2026）辽1202行初5号"})
	l.add(EventRemedyConcluded, "2026-05-30", EventData{Ref: rc, Result: ResultUpheld})
	l.add(EventRemedyConcluded, "2026-12-01", EventData{Ref: direct, Result: ResultCorrected})
	l.add(EventRemedyConcluded, "2026-12-02", EventData{Ref: direct, Result: ResultOther}) // a second conclusion is ignored
	_ = lit
	if _, err := Lifecycle(l.events[:len(l.events)-1]); err != nil {
		t.Fatalf("ledger: %v", err)
	}
	got := RemedyCasesOf("TLMZ-2026-000001", l.events)
	want := []RemedyCase{
		{Ref: "铁政复〔2026〕12号", Kind: RemedyReconsideration, FiledOn: MustParseDate("2026-04-10"), Result: ResultUpheld, ConcludedOn: MustParseDate("2026-05-30")},
		{Ref: "TLMZ-2026-000001", Kind: RemedyLitigationAfterReconsideration, FiledOn: MustParseDate("2026-06-01")},
		{Ref: "（2026）辽1202行初5号", Kind: RemedyLitigation, FiledOn: MustParseDate("2026-06-02"), Result: ResultCorrected, ConcludedOn: MustParseDate("2026-12-01")},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("RemedyCasesOf =\n%+v\nwant\n%+v", got, want)
	}
	if RemedyCasesOf("x", nil) != nil {
		t.Error("no remedies should give nil")
	}
}

func TestRemedyRecordValidate(t *testing.T) {
	submitted, today := MustParseDate("2026-03-02"), MustParseDate("2026-06-30")
	ok := RemedyRecord{Kind: RemedyReconsideration, FiledOn: MustParseDate("2026-04-10"), CaseRef: " 铁政复〔2026〕12号 "}
	tests := []struct {
		name string
		edit func(r *RemedyRecord)
		want []string
	}{
		{"pending reconsideration", nil, nil},
		{"concluded lawsuit", func(r *RemedyRecord) {
			r.Kind, r.Result, r.ConcludedOn = RemedyLitigation, ResultCorrected, MustParseDate("2026-06-30")
		}, nil},
		{"no kind", func(r *RemedyRecord) { r.Kind = "" }, []string{RemedyFieldKind}},
		{"no filing date", func(r *RemedyRecord) { r.FiledOn = Date{} }, []string{RemedyFieldFiledOn}},
		{"filed in the future", func(r *RemedyRecord) { r.FiledOn = MustParseDate("2026-07-01") }, []string{RemedyFieldFiledOn}},
		{"filed before the application", func(r *RemedyRecord) { r.FiledOn = MustParseDate("2026-03-01") }, []string{RemedyFieldFiledOn}},
		{"no case number", func(r *RemedyRecord) { r.CaseRef = "  " }, []string{RemedyFieldCaseRef}},
		{"result without date", func(r *RemedyRecord) { r.Result = ResultUpheld }, []string{RemedyFieldConcludedOn}},
		{"date without result", func(r *RemedyRecord) { r.ConcludedOn = MustParseDate("2026-05-01") }, []string{RemedyFieldResult}},
		{"concluded before filed", func(r *RemedyRecord) {
			r.Result, r.ConcludedOn = ResultOther, MustParseDate("2026-04-09")
		}, []string{RemedyFieldConcludedOn}},
		{"concluded in the future", func(r *RemedyRecord) {
			r.Result, r.ConcludedOn = ResultOther, MustParseDate("2026-07-09")
		}, []string{RemedyFieldConcludedOn}},
		{"unknown result", func(r *RemedyRecord) { r.Result, r.ConcludedOn = "won", MustParseDate("2026-05-01") }, []string{RemedyFieldResult}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			if tt.edit != nil {
				tt.edit(&r)
			}
			if got := answerFields(r.Validate(submitted, today)); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRemedyRecordEvents(t *testing.T) {
	tests := []struct {
		name      string
		r         RemedyRecord
		kind      EventKind
		after     bool
		concluded bool
	}{
		{"reconsideration", RemedyRecord{Kind: RemedyReconsideration, FiledOn: MustParseDate("2026-04-10"), CaseRef: "铁政复〔2026〕12号"},
			EventReconsiderationRecorded, false, false},
		{"lawsuit", RemedyRecord{Kind: RemedyLitigation, FiledOn: MustParseDate("2026-04-10"), CaseRef: "（2026）辽1202行初5号",
			Result: ResultUpheld, ConcludedOn: MustParseDate("2026-06-10")}, EventLitigationRecorded, false, true},
		{"lawsuit after reconsideration", RemedyRecord{Kind: RemedyLitigationAfterReconsideration, FiledOn: MustParseDate("2026-04-10"), CaseRef: "x"},
			EventLitigationRecorded, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.r.FiledEvent()
			if e.Kind != tt.kind || e.Data.AfterReconsideration != tt.after || e.On != tt.r.FiledOn || e.Data.CaseRef != tt.r.CaseRef {
				t.Errorf("FiledEvent = %+v", e)
			}
			c, ok := tt.r.ConcludedEvent(1)
			if ok != tt.concluded {
				t.Fatalf("ConcludedEvent ok = %v", ok)
			}
			if ok && (c.Kind != EventRemedyConcluded || c.Data.Ref != 1 || c.Data.Result != tt.r.Result || c.On != tt.r.ConcludedOn) {
				t.Errorf("ConcludedEvent = %+v", c)
			}
			// The events round-trip into the report's value.
			e.Seq = 1
			events := []Event{e}
			if ok {
				c.Seq = 2
				events = append(events, c)
			}
			got := RemedyCasesOf("app", events)
			if len(got) != 1 || got[0].Kind != tt.r.Kind || got[0].Result != tt.r.Result {
				t.Errorf("round trip = %+v", got)
			}
		})
	}
}

func TestRemedyLabels(t *testing.T) {
	for _, k := range RemedyKinds {
		if k.Label() == "" {
			t.Errorf("%s has no label", k)
		}
	}
	for _, r := range append(RemedyResults, "") {
		if r.Label() == "" || r.Label() == string(r) && r != "" {
			t.Errorf("%q has no label", r)
		}
	}
}
