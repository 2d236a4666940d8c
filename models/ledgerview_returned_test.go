package models

import "testing"

// TestReturnedReason: the inbox shows a section's reason for returning a
// misrouted application only while that return is the latest routing step.
func TestReturnedReason(t *testing.T) {
	assigned := func(seq int) Event { return Event{Seq: seq, Kind: EventAssigned} }
	returned := func(seq int, why string) Event {
		return Event{Seq: seq, Kind: EventReturned, Data: EventData{Reason: why}}
	}
	for _, c := range []struct {
		name   string
		events []Event
		want   string
	}{
		{"never routed", []Event{{Seq: 1, Kind: EventSubmitted}}, ""},
		{"routed, not returned", []Event{assigned(2)}, ""},
		{"returned", []Event{assigned(2), returned(3, "应由养老服务科办理")}, "应由养老服务科办理"},
		{"returned, then routed again", []Event{assigned(2), returned(3, "不属本科"), assigned(4)}, ""},
		{"returned twice: the latest reason", []Event{assigned(2), returned(3, "甲"), assigned(4), returned(5, "乙")}, "乙"},
	} {
		if got := ReturnedReason(c.events); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
