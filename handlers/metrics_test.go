package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func getWithToken(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetricsBehindToken(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newCitizenAppOn(t, s, clock, Config{MetricsToken: "metrics-secret-token"})
		agency := storetest.DefaultAgency(t, s)
		sub := storetest.MustSubmit(t, s, agency.ID, "指标测试")
		// One application past its due date: received long ago.
		if _, err := s.AppendEvent(t.Context(), agency.ID, sub.Application.ID, models.Event{Kind: models.EventConfirmed,
			On: models.MustParseDate("2026-01-05"), ActorKind: models.ActorStaff,
			Data: models.EventData{Channel: models.ChannelOnline, Reason: "测试：补登记"}}, 0); err != nil {
			t.Fatal(err)
		}
		storetest.MustSubmit(t, s, agency.ID, "待确认")
		http.Get(app.srv.URL + "/")
		http.Get(app.srv.URL + "/track?number=TLMZ-2026-000001&id=110101199003074477")

		if code, _ := getWithToken(t, app.srv.URL+"/metrics", ""); code != http.StatusUnauthorized {
			t.Errorf("no token: %d, want 401", code)
		}
		if code, _ := getWithToken(t, app.srv.URL+"/metrics", "wrong"); code != http.StatusUnauthorized {
			t.Errorf("wrong token: %d, want 401", code)
		}
		// A request is counted after its response went out, so the scrape
		// may briefly precede the count: poll.
		var code int
		var body string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			code, body = getWithToken(t, app.srv.URL+"/metrics", "metrics-secret-token")
			if code != 200 {
				t.Fatalf("metrics: %d %s", code, body)
			}
			if strings.Contains(body, `route="/",status="200"} 1`) {
				break
			}
		}
		for _, want := range []string{
			`gongkai_http_requests_total{method="GET",route="/",status="200"} 1`,
			`gongkai_http_request_duration_seconds_bucket{route="/",le="+Inf"} 1`,
			`gongkai_applications{agency="TLMZ",status="pending"} 1`,
			`gongkai_applications{agency="TLMZ",status="processing"} 1`,
			`gongkai_applications_overdue{agency="TLMZ"} 1`,
			`gongkai_db_connections{state="open"}`,
			`go_goroutines `,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		for _, secret := range []string{"110101199003074477", "TLMZ-2026-000001", sub.QueryCode} {
			if strings.Contains(body, secret) {
				t.Errorf("metrics contain %q", secret)
			}
		}
	})
}

func TestMetricsClosedWithoutToken(t *testing.T) {
	app := newCitizenApp(t)
	if code, _ := getWithToken(t, app.srv.URL+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("metrics without a configured token: %d, want 404", code)
	}
	// The separate listener serves them to whoever reaches its address.
	srv := httptest.NewServer(app.h.MetricsHandler())
	defer srv.Close()
	code, body := getWithToken(t, srv.URL+"/metrics", "")
	if code != 200 || !strings.Contains(body, "# TYPE gongkai_http_requests_total counter") {
		t.Errorf("metrics listener: %d\n%s", code, body)
	}
}
