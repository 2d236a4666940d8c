package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// apiCall posts JSON with an optional bearer key and decodes the answer.
func apiCall(t *testing.T, url, key string, body any, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, out, resp.Header
}

func errorCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func validSubmission() APISubmission {
	return APISubmission{ApplicantType: "person", Name: "张三", IDType: "resident_id", IDNumber: "110101199003074477",
		Phone: "13812345678", Title: "2025年度城乡低保资金发放情况", FormWanted: "electronic", Delivery: "online"}
}

func TestAPISubmitAndStatus(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newCitizenAppOn(t, s, clock, Config{})
		agency := storetest.DefaultAgency(t, s)
		client := &models.APIClient{AgencyID: agency.ID, Name: "辽宁政务服务网", RatePerMinute: 100}
		key, err := s.CreateAPIClient(context.Background(), client, 0)
		if err != nil {
			t.Fatal(err)
		}
		url := app.srv.URL + "/api/v1/applications"

		// A valid submission with a PDF.
		sub := validSubmission()
		sub.Files = []APIFile{{Kind: "supporting", Filename: "说明.pdf", Content: base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n%%EOF\n"))}}
		code, out, _ := apiCall(t, url, key, sub, map[string]string{"Idempotency-Key": "req-1"})
		if code != http.StatusCreated {
			t.Fatalf("submit: %d %v", code, out)
		}
		number, qc := out["number"].(string), out["query_code"].(string)
		if !strings.HasPrefix(number, "TLMZ-") || qc == "" || out["status"] != "pending" || out["status_label"] != "待确认" {
			t.Errorf("answer = %v", out)
		}
		stored, err := s.ApplicationByNumber(context.Background(), number)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Source != "api:"+strconv.FormatInt(client.ID, 10) || stored.Channel != models.ChannelOnline {
			t.Errorf("stored source %q channel %q", stored.Source, stored.Channel)
		}
		if files, _ := s.Attachments(context.Background(), stored.ID); len(files) != 1 || files[0].ContentType != "application/pdf" {
			t.Errorf("attachments = %v", files)
		}

		// A retry with the same Idempotency-Key files nothing new.
		code, again, _ := apiCall(t, url, key, sub, map[string]string{"Idempotency-Key": "req-1"})
		if code != http.StatusOK || again["number"] != number || again["duplicate"] != true || again["query_code"] != qc {
			t.Errorf("retry: %d %v", code, again)
		}

		// Status with the right code; the code never in a URL.
		code, st, _ := apiCall(t, app.srv.URL+"/api/v1/applications/status", "", APIStatusRequest{Number: strings.ToLower(number), QueryCode: qc}, nil)
		if code != 200 || st["number"] != number || st["status_label"] != "待确认" {
			t.Fatalf("status: %d %v", code, st)
		}
		if tl, _ := st["timeline"].([]any); len(tl) != 1 {
			t.Errorf("timeline = %v, want the submission", st["timeline"])
		}

		// Wrong code and unknown number answer alike.
		for _, req := range []APIStatusRequest{{number, "AAAAA-BBBBB"}, {"TLMZ-2026-999999", qc}} {
			code, e, _ := apiCall(t, app.srv.URL+"/api/v1/applications/status", "", req, nil)
			if code != 404 || errorCode(e) != "not_found" || e["error"].(map[string]any)["message"] != "申请编号或查询码不正确。" {
				t.Errorf("status %v: %d %v", req, code, e)
			}
		}
	})
}

func TestAPIRefusals(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newCitizenAppOn(t, s, clock, Config{})
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		slow := &models.APIClient{AgencyID: agency.ID, Name: "限流测试平台", RatePerMinute: 2}
		slowKey, err := s.CreateAPIClient(ctx, slow, 0)
		if err != nil {
			t.Fatal(err)
		}
		other := &models.APIClient{AgencyID: agency.ID, Name: "另一平台", RatePerMinute: 100}
		otherKey, _ := s.CreateAPIClient(ctx, other, 0)
		revoked := &models.APIClient{AgencyID: agency.ID, Name: "已停用平台", RatePerMinute: 100}
		revokedKey, _ := s.CreateAPIClient(ctx, revoked, 0)
		if err := s.RevokeAPIClient(ctx, agency.ID, revoked.ID); err != nil {
			t.Fatal(err)
		}
		url := app.srv.URL + "/api/v1/applications"

		for _, tc := range []struct{ name, key string }{
			{"no key", ""}, {"malformed key", "not-a-key"}, {"unknown key", "gkp_" + strings.Repeat("A", 43)},
			{"revoked key", revokedKey}, {"staff token where a platform key is needed", "gks_" + strings.Repeat("B", 43)},
		} {
			code, out, h := apiCall(t, url, tc.key, validSubmission(), nil)
			if code != 401 || errorCode(out) != "unauthorized" || h.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: %d %v", tc.name, code, out)
			}
		}

		bad := validSubmission()
		bad.IDNumber = "110101199003074478" // wrong check digit
		bad.Delivery = "post"               // needs an address
		bad.Files = []APIFile{{Kind: "supporting", Filename: "x.pdf", Content: base64.StdEncoding.EncodeToString([]byte("MZ not a pdf"))}}
		code, out, _ := apiCall(t, url, otherKey, bad, nil)
		fields, _ := out["error"].(map[string]any)["fields"].(map[string]any)
		if code != 422 || errorCode(out) != "invalid" || fields["id_number"] == nil || fields["address"] == nil || fields["files[0]"] == nil {
			t.Errorf("invalid submission: %d %v", code, out)
		}
		req, _ := http.NewRequest("POST", url, strings.NewReader("{not json"))
		req.Header.Set("Authorization", "Bearer "+otherKey)
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != 422 {
			t.Errorf("malformed JSON: %d", resp.StatusCode)
		}

		// The slow platform's budget: 2 per minute, then 429 with
		// Retry-After; the other platform is not affected.
		for i := 1; i <= 3; i++ {
			code, out, h := apiCall(t, url, slowKey, validSubmission(), nil)
			if i <= 2 && code != 201 {
				t.Errorf("request %d within the budget: %d %v", i, code, out)
			}
			if i == 3 && (code != 429 || errorCode(out) != "too_many" || h.Get("Retry-After") == "") {
				t.Errorf("request over the budget: %d %v", code, out)
			}
		}
		if code, _, _ := apiCall(t, url, otherKey, validSubmission(), nil); code != 201 {
			t.Errorf("another platform during the first one's lockout: %d", code)
		}

		// Wrong query codes lock the number after five tries.
		sub := storetest.MustSubmit(t, s, agency.ID, "状态查询限流")
		var last int
		var lastOut map[string]any
		for i := 0; i < 6; i++ {
			last, lastOut, _ = apiCall(t, app.srv.URL+"/api/v1/applications/status", "", APIStatusRequest{sub.Application.Number, "WRONG-CODE1"}, nil)
		}
		if last != 429 || errorCode(lastOut) != "too_many" {
			t.Errorf("after six wrong codes: %d %v", last, lastOut)
		}
		// Locked means locked: the right code is refused too, until the end.
		if code, _, _ := apiCall(t, app.srv.URL+"/api/v1/applications/status", "", APIStatusRequest{sub.Application.Number, sub.QueryCode}, nil); code != 429 {
			t.Errorf("right code during the lockout: %d", code)
		}
	})
}

// TestOpenAPIMatchesRoutes compares the OpenAPI document with the router
// both ways, and validates it as OpenAPI 3.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	app := newTestApp(t)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+ginPath(path)] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range app.h.Routes().Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			routed[r.Method+" "+r.Path] = true
		}
	}
	var missing, stale []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(stale) > 0 {
		t.Errorf("openapi.json documents routes that do not exist: %v", stale)
	}
	resp, err := http.Get(app.srv.URL + "/api/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/openapi.json: %v %v", resp, err)
	}
	resp.Body.Close()
}

// ginPath turns an OpenAPI path template /a/{id} into Gin's /a/:id.
func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}
