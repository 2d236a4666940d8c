package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// staffAnswer is an answer of the staff API.
type staffAnswer struct {
	status int
	body   map[string]any
	header http.Header
	raw    string
}

func (a staffAnswer) code() string { return errorCode(a.body) }

// field returns the message of a field error.
func (a staffAnswer) field(name string) string {
	e, _ := a.body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// str reads a string at a path of object keys.
func (a staffAnswer) str(path ...string) string {
	var v any = a.body
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

// list reads an array at a path of object keys.
func (a staffAnswer) list(path ...string) []any {
	var v any = a.body
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	l, _ := v.([]any)
	return l
}

// numbers lists the "number" of each object of a list.
func numbersOf(items []any) []string {
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		s, _ := m["number"].(string)
		out = append(out, s)
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// staffCall sends a staff API request with a token (none when "") and a
// JSON body (none when nil), and checks the answer against the OpenAPI
// document: its status is documented for the operation and its body
// validates against the documented schema, with no undocumented field.
func staffCall(t *testing.T, base, method, path, token string, body any) staffAnswer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := staffAnswer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s %s: answer is not JSON (%d): %s", method, path, resp.StatusCode, raw)
	}
	a.body, _ = v.(map[string]any)
	checkOpenAPIAnswer(t, method, path, resp.StatusCode, v)
	return a
}

var openAPIDoc struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

var numberInPath = regexp.MustCompile(`/[A-Za-z]+-\d{4}-\d{6}`)

// checkOpenAPIAnswer checks an answer against the operation's documented
// response for its status.
func checkOpenAPIAnswer(t *testing.T, method, path string, status int, v any) {
	t.Helper()
	openAPIDoc.once.Do(func() { openAPIDoc.doc, openAPIDoc.err = openapi3.NewLoader().LoadFromData(openAPIDocument) })
	if openAPIDoc.err != nil {
		t.Fatalf("load openapi.json: %v", openAPIDoc.err)
	}
	tmpl := numberInPath.ReplaceAllString(path, "/{number}")
	item := openAPIDoc.doc.Paths.Value(tmpl)
	if item == nil || item.GetOperation(method) == nil {
		t.Errorf("%s %s is not in openapi.json", method, tmpl)
		return
	}
	ref := item.GetOperation(method).Responses.Status(status)
	if ref == nil || ref.Value == nil {
		t.Errorf("%s %s answered %d, which openapi.json does not document", method, tmpl, status)
		return
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		t.Errorf("%s %s %d: no JSON schema documented", method, tmpl, status)
		return
	}
	if err := mt.Schema.Value.VisitJSON(v); err != nil {
		t.Errorf("%s %s %d: the answer does not match openapi.json: %v", method, tmpl, status, err)
	}
	if extra := undocumented(mt.Schema.Value, v, ""); len(extra) > 0 {
		t.Errorf("%s %s %d: fields missing from openapi.json: %v", method, tmpl, status, extra)
	}
}

// undocumented lists the object keys of v that schema does not describe.
func undocumented(schema *openapi3.Schema, v any, at string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if len(schema.Properties) == 0 {
			return nil // a free-form object (the field errors)
		}
		for k, x := range v {
			p := schema.Properties[k]
			if p == nil || p.Value == nil {
				out = append(out, at+"."+k)
				continue
			}
			out = append(out, undocumented(p.Value, x, at+"."+k)...)
		}
	case []any:
		if schema.Items != nil && schema.Items.Value != nil {
			for _, x := range v {
				out = append(out, undocumented(schema.Items.Value, x, at+"[]")...)
			}
		}
	}
	sort.Strings(out)
	return out
}

// mustToken gives u a staff API token valid until expires (zero: none).
func mustToken(t *testing.T, s *store.Store, u *models.User, name string, expires time.Time) (string, *models.APIToken) {
	t.Helper()
	key, tok, err := s.CreateAPIToken(context.Background(), u, name, expires)
	if err != nil {
		t.Fatalf("create token for %s: %v", u.Username, err)
	}
	return key, tok
}

// tokenMark is how the audit trail marks an entry made with a token.
func tokenMark(tok *models.APIToken) string { return fmt.Sprintf("［API令牌#%d］", tok.ID) }

// auditByToken lists the agency's audit entries made with the token.
func auditByToken(t *testing.T, s *store.Store, tok *models.APIToken) []models.AuditEntry {
	t.Helper()
	entries, _, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: 1, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditEntry
	for _, e := range entries {
		if strings.Contains(e.ActorName, tokenMark(tok)) {
			if e.ActorID != tok.UserID {
				t.Errorf("audit entry %d names token %d but actor %d, want the token's user %d", e.ID, tok.ID, e.ActorID, tok.UserID)
			}
			out = append(out, e)
		}
	}
	return out
}

// countEntries counts the entries of an action on an object.
func countEntries(entries []models.AuditEntry, action models.AuditAction, objectID string) int {
	n := 0
	for _, e := range entries {
		if e.Action == action && e.ObjectID == objectID {
			n++
		}
	}
	return n
}

// TestStaffAPIWorkflow takes applications through every staff endpoint
// with the tokens of the people whose steps they are: the office confirms
// and routes, a section returns one and drafts the answer to the other
// (the assisting section contributing), the section head approves, the
// reviewer completes the review, the office head approves, and the office
// issues the letter. Every endpoint is also refused once (the
// contribution and the review in api_staff_review_test.go): to a role
// without the action, for another section's application, or for input
// the page would refuse. Each answer is
// checked against openapi.json, and every step is audited in the user's
// name with the token marked.
func TestStaffAPIWorkflow(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s, base, ctx := app.store, app.srv.URL, context.Background()
		team := newAnswerTeam(t, s, u)
		clerk, clerkTok := mustToken(t, s, u.clerk, "公开办办公系统", time.Time{})
		head, _ := mustToken(t, s, u.head, "负责人工具", time.Time{})
		secA, secATok := mustToken(t, s, u.secA, "社会救助科工具", time.Time{})
		secB, _ := mustToken(t, s, u.secB, "养老服务科工具", time.Time{})
		secHead, _ := mustToken(t, s, team.sectionHead, "科长工具", time.Time{})
		reviewer, _ := mustToken(t, s, team.reviewer, "保密审查工具", time.Time{})
		denied := func() int { return countAudit(t, s, models.AuditAccessDenied) }

		sub := storetest.MustSubmit(t, s, app.agency.ID, "2025年度城乡低保资金发放情况")
		number := sub.Application.Number
		other := storetest.MustSubmit(t, s, app.agency.ID, "养老机构名录").Application.Number
		appPath := "/api/v1/staff/applications/" + number

		// Inbox: the office sees the application waiting; a section may not.
		r := staffCall(t, base, "GET", "/api/v1/staff/inbox", clerk, nil)
		if r.status != 200 || !containsString(numbersOf(r.list("pending")), number) {
			t.Fatalf("inbox: %d %s", r.status, r.raw)
		}
		n := denied()
		if r := staffCall(t, base, "GET", "/api/v1/staff/inbox", secA, nil); r.status != 403 || r.code() != "forbidden" || !strings.Contains(r.str("error", "message"), "没有权限") {
			t.Errorf("inbox for a section: %d %s", r.status, r.raw)
		}
		if denied() != n+1 {
			t.Errorf("a refused token request is not audited")
		}

		// Confirm: the office head has no such grant; a date in the future
		// is refused with the page's field; the clerk confirms today.
		if r := staffCall(t, base, "POST", appPath+"/confirm", head, map[string]any{}); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("confirm by the office head: %d %s", r.status, r.raw)
		}
		tomorrow := s.Today().AddDays(1).String()
		if r := staffCall(t, base, "POST", appPath+"/confirm", clerk, map[string]any{"received_on": tomorrow}); r.status != 422 || r.field(models.FieldReceivedOn) == "" {
			t.Errorf("confirm tomorrow: %d %s", r.status, r.raw)
		}
		today := s.Today().String()
		r = staffCall(t, base, "POST", appPath+"/confirm", clerk, map[string]any{"received_on": today, "version": sub.Application.Version})
		if r.status != 200 || r.str("status") != "processing" || r.str("received_on") != s.Today().String() ||
			len(r.list("events")) != 1 || len(r.list("notices")) != 1 || r.body["can_view"] != true {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", appPath+"/confirm", clerk, map[string]any{"received_on": today}); r.status != 409 || r.code() != "conflict" {
			t.Errorf("confirm twice: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", "/api/v1/staff/applications/"+other+"/confirm", clerk, map[string]any{"unknown": 1}); r.status != 422 || r.field("unknown") == "" {
			t.Errorf("a misspelt field: %d %s", r.status, r.raw)
		}

		// Route: a section may not; an unknown section and a stale
		// version are refused; lead 社会救助科 and assisting 养老服务科
		// are recorded together.
		if r := staffCall(t, base, "POST", appPath+"/route", secA, map[string]any{"lead": map[string]any{"section_id": u.sectionA.ID}}); r.status != 403 {
			t.Errorf("route by a section: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", appPath+"/route", clerk, map[string]any{"lead": map[string]any{"section_id": 99999}}); r.status != 422 || r.field("lead.section_id") == "" {
			t.Errorf("route to an unknown section: %d %s", r.status, r.raw)
		}
		route := map[string]any{"lead": map[string]any{"section_id": u.sectionA.ID},
			"assisting": []any{map[string]any{"section_id": u.sectionB.ID}}}
		route["version"] = sub.Application.Version // moved by the confirmation
		if r := staffCall(t, base, "POST", appPath+"/route", clerk, route); r.status != 409 || r.code() != "conflict" {
			t.Errorf("route on a stale version: %d %s", r.status, r.raw)
		}
		delete(route, "version")
		r = staffCall(t, base, "POST", appPath+"/route", clerk, route)
		if r.status != 200 || len(r.list("events")) != 2 {
			t.Fatalf("route: %d %s", r.status, r.raw)
		}
		if _, events := mustApplication(t, s, number); fmt.Sprint(lastKinds(events, 2)) != fmt.Sprint([]models.EventKind{models.EventAssigned, models.EventAssigned}) {
			t.Errorf("ledger after routing: %v", lastKinds(events, 3))
		}

		// Worklist: each section sees what it works on, in its scope only.
		// (The application still awaiting confirmation is in the inbox,
		// not on a worklist.)
		for _, tc := range []struct{ name, token string }{{"lead section", secA}, {"assisting section", secB}, {"office head", head}} {
			r := staffCall(t, base, "GET", "/api/v1/staff/worklist", tc.token, nil)
			got := numbersOf(r.list("applications"))
			if r.status != 200 || !containsString(got, number) || containsString(got, other) {
				t.Errorf("worklist of the %s: %d %s", tc.name, r.status, r.raw)
			}
		}
		admin := mkStaffUser(t, s, "apiadmin", []models.Role{models.RoleAdmin}, nil, false)
		adminKey, _ := mustToken(t, s, admin, "管理员工具", time.Time{})
		if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", adminKey, nil); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("worklist for an administrator: %d %s", r.status, r.raw)
		}

		// The application: masked, with its version; another section's
		// application is refused and audited; an unknown number is 404.
		r = staffCall(t, base, "GET", appPath, secA, nil)
		if r.status != 200 || r.str("applicant", "name") != "张三" || strings.Contains(r.raw, testIDNumber) ||
			r.str("applicant", "id_number") == "" || len(r.list("sections")) != 2 || r.str("clock", "due_on") == "" {
			t.Fatalf("application: %d %s", r.status, r.raw)
		}
		n = denied()
		if r := staffCall(t, base, "GET", "/api/v1/staff/applications/"+other, secA, nil); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("another section's application: %d %s", r.status, r.raw)
		}
		if denied() != n+1 {
			t.Errorf("the refused view is not audited")
		}
		if r := staffCall(t, base, "GET", "/api/v1/staff/applications/TLMZ-2026-999999", secA, nil); r.status != 404 || r.code() != "not_found" {
			t.Errorf("unknown number: %d %s", r.status, r.raw)
		}

		// Return: a second application routed to 养老服务科, returned by
		// it; 社会救助科 cannot return it; a reason is required.
		misrouted := storetest.MustSubmit(t, s, app.agency.ID, "婚姻登记档案").Application.Number
		staffCall(t, base, "POST", "/api/v1/staff/applications/"+misrouted+"/confirm", clerk, map[string]any{"received_on": today})
		staffCall(t, base, "POST", "/api/v1/staff/applications/"+misrouted+"/route", clerk, map[string]any{"lead": map[string]any{"section_id": u.sectionB.ID}})
		retPath := "/api/v1/staff/applications/" + misrouted + "/return"
		if r := staffCall(t, base, "POST", retPath, secA, map[string]any{"reason": "不属于本科室"}); r.status != 403 {
			t.Errorf("return by another section: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", retPath, secB, map[string]any{}); r.status != 422 || r.field("reason") == "" {
			t.Errorf("return without a reason: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", retPath, secB, map[string]any{"reason": "婚姻登记档案由婚姻登记处管理，不属于本科室职责。"})
		if r.status != 200 || r.body["can_view"] != false || len(r.list("events")) != 1 {
			t.Errorf("return: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "GET", "/api/v1/staff/inbox", clerk, nil)
		if unrouted := r.list("unrouted"); !containsString(numbersOf(unrouted), misrouted) || !strings.Contains(r.raw, "婚姻登记处") {
			t.Errorf("the returned application is not back in the office's inbox with its reason: %s", r.raw)
		}

		// Draft: the assisting section may not draft; a file that is not a
		// PDF is refused by field; the lead section saves, then submits.
		draftPath := appPath + "/answer/draft"
		draft := map[string]any{"outcome": string(models.OutcomeDisclose), "method": "online", "reasons": "经查，所申请的信息属于公开范围。"}
		if r := staffCall(t, base, "POST", draftPath, secB, draft); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("draft by the assisting section: %d %s", r.status, r.raw)
		}
		bad := map[string]any{"files": []any{map[string]any{"filename": "x.pdf", "content": base64.StdEncoding.EncodeToString([]byte("MZ not a pdf"))}}}
		if r := staffCall(t, base, "POST", draftPath, secA, bad); r.status != 422 || r.field("files[0]") == "" {
			t.Errorf("draft with a bad file: %d %s", r.status, r.raw)
		}
		pdf := answerTextPDF(t, "低保资金发放情况", "2025年度城乡低保资金共发放1200万元。")
		draft["files"] = []any{map[string]any{"filename": "低保资金发放情况.pdf", "content": base64.StdEncoding.EncodeToString(pdf)}}
		r = staffCall(t, base, "POST", draftPath, secA, draft)
		if r.status != 200 || r.str("answer", "stage") != string(models.StageDrafting) || r.body["answer"].(map[string]any)["working_copy"] != true {
			t.Fatalf("save the draft: %d %s", r.status, r.raw)
		}
		files := r.list("answer", "files")
		if len(files) != 1 {
			t.Fatalf("working copy files = %v", files)
		}
		// The assisting section contributes before the lead section can
		// submit (api_staff_review_test.go tests the contribution's
		// refusals).
		if r := staffCall(t, base, "POST", appPath+"/answer/contribution", secB, map[string]any{"contribution": "本科室未掌握该资金的发放信息。"}); r.status != 200 {
			t.Fatalf("contribution: %d %s", r.status, r.raw)
		}
		delete(draft, "files")
		draft["file_ids"] = []any{files[0].(map[string]any)["id"]}
		draft["submit"] = true
		r = staffCall(t, base, "POST", draftPath, secA, draft)
		if r.status != 200 || r.str("answer", "stage") != string(models.StageSectionHead) {
			t.Fatalf("submit the draft: %d %s", r.status, r.raw)
		}

		// The section head approves; a section handler may not; a
		// decision must be approve or return.
		approvePath := appPath + "/answer/section-approval"
		if r := staffCall(t, base, "POST", approvePath, secA, map[string]any{"decision": "approve"}); r.status != 403 {
			t.Errorf("section approval by a handler: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", approvePath, secHead, map[string]any{"decision": "maybe"}); r.status != 422 || r.field("decision") == "" {
			t.Errorf("an unknown decision: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", approvePath, secHead, map[string]any{"decision": "approve"})
		if r.status != 200 || r.str("answer", "stage") != string(models.StageReview) {
			t.Fatalf("section approval: %d %s", r.status, r.raw)
		}

		// The reviewer completes the review (nothing was found; the
		// findings are api_staff_review_test.go's). Issuing before the
		// office head's sign-off is a conflict.
		if r := staffCall(t, base, "POST", appPath+"/answer/review", reviewer, map[string]any{"action": "complete"}); r.status != 200 ||
			r.str("answer", "stage") != string(models.StageOfficeHead) {
			t.Fatalf("review: %d %s", r.status, r.raw)
		}
		issuePath := appPath + "/answer/issue"
		if r := staffCall(t, base, "POST", issuePath, clerk, map[string]any{}); r.status != 409 || r.code() != "conflict" {
			t.Errorf("issue before the sign-off: %d %s", r.status, r.raw)
		}
		finalPath := appPath + "/answer/final-approval"
		if r := staffCall(t, base, "POST", finalPath, clerk, map[string]any{"decision": "approve"}); r.status != 403 {
			t.Errorf("final approval by the clerk: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", finalPath, head, map[string]any{"decision": "return"}); r.status != 422 || r.field("comment") == "" {
			t.Errorf("send back without a comment: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", finalPath, head, map[string]any{"decision": "approve"})
		if r.status != 200 || r.str("answer", "stage") != string(models.StageApproved) {
			t.Fatalf("final approval: %d %s", r.status, r.raw)
		}

		// Issue: the office head may not; the clerk issues the letter with
		// the released file.
		if r := staffCall(t, base, "POST", issuePath, head, map[string]any{}); r.status != 403 {
			t.Errorf("issue by the office head: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", issuePath, clerk, map[string]any{})
		if r.status != 200 || r.str("status") != string(models.StatusAnswered) || r.str("letter", "number") == "" ||
			len(r.list("released_files")) != 1 {
			t.Fatalf("issue: %d %s", r.status, r.raw)
		}
		if stored := mustApp(t, s, number); stored.Status != models.StatusAnswered {
			t.Errorf("stored status %s", stored.Status)
		}

		// The audit trail names the token with the user for every step:
		// the clerk's confirmation, the two routing steps and the issuing
		// of this application; the section's view, its draft (saved with
		// the file, saved again and submitted, then scanned) and the
		// refused view of another section's application.
		byClerk := auditByToken(t, s, clerkTok)
		if n := countEntries(byClerk, models.AuditReceiptConfirmed, number); n != 1 {
			t.Errorf("confirmation entries with the clerk's token: %d", n)
		}
		if n := countEntries(byClerk, models.AuditApplicationStep, number); n != 3 {
			t.Errorf("step entries with the clerk's token: %d, want routing twice and issuing", n)
		}
		bySecA := auditByToken(t, s, secATok)
		if countEntries(bySecA, models.AuditApplicationViewed, number) != 1 || countEntries(bySecA, models.AuditApplicationStep, number) != 4 ||
			countEntries(bySecA, models.AuditAccessDenied, other) != 1 {
			t.Errorf("the section's token: audited %v", bySecA)
		}
		entries, _, _ := s.AuditEntries(ctx, store.AuditFilter{AgencyID: 1, Action: string(models.AuditReceiptConfirmed), PerPage: 10})
		if len(entries) == 0 || !strings.HasPrefix(entries[0].ActorName, models.ActorName(u.clerk)) {
			t.Errorf("confirmation audited as %v, want the clerk named first", entries)
		}
	})
}

// TestStaffAPIRoleMatrix requests every staff API route with a token of
// each role: a route the role's grants do not open (models.CanRoute) is
// 403 forbidden and audited; one they open is never 401 or 403.
func TestStaffAPIRoleMatrix(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := newStaffFixture(t, s, clock)
		base := f.app.srv.URL
		keys := map[models.Role]string{}
		for _, r := range models.Roles {
			keys[r], _ = mustToken(t, s, f.users[r], "矩阵测试", time.Time{})
		}
		for _, rt := range apiStaffRouteTable {
			path := strings.Replace(rt.path, ":number", f.appA.Number, 1)
			for _, role := range models.Roles {
				u := f.users[role]
				var body any
				if rt.method == "POST" {
					body = map[string]any{}
				}
				before := countAudit(t, s, models.AuditAccessDenied)
				r := staffCall(t, base, rt.method, path, keys[role], body)
				if !models.CanRoute(u, rt.action) {
					if r.status != 403 || r.code() != "forbidden" {
						t.Errorf("%s %s as %s: %d %s, want 403", rt.method, rt.path, role, r.status, r.raw)
					}
					if countAudit(t, s, models.AuditAccessDenied) != before+1 {
						t.Errorf("%s %s as %s: the refusal is not audited", rt.method, rt.path, role)
					}
					continue
				}
				if r.status == 401 || r.status == 403 {
					t.Errorf("%s %s as %s: %d %s, but the role is granted %s", rt.method, rt.path, role, r.status, r.raw, rt.action)
				}
			}
		}
	})
}

// TestStaffAPITokenRefusals: a request without a usable token is 401 with
// the same answer whatever the reason (none, malformed, a platform's key,
// unknown, revoked, expired, its user disabled); a token follows its
// user's roles as they change; each token has its own budget.
func TestStaffAPITokenRefusals(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s, base, ctx := app.store, app.srv.URL, context.Background()
		inbox := "/api/v1/staff/inbox"
		agency := app.agency
		platform := &models.APIClient{AgencyID: agency.ID, Name: "辽宁政务服务网", RatePerMinute: 100}
		platformKey, err := s.CreateAPIClient(ctx, platform, 0)
		if err != nil {
			t.Fatal(err)
		}
		revoked, revokedTok := mustToken(t, s, u.clerk, "已吊销", time.Time{})
		if err := s.RevokeAPIToken(ctx, u.clerk, revokedTok.ID); err != nil {
			t.Fatal(err)
		}
		expiring, _ := mustToken(t, s, u.clerk, "一小时有效", s.Now().Add(time.Hour))
		if r := staffCall(t, base, "GET", inbox, expiring, nil); r.status != 200 {
			t.Fatalf("a token before its expiry: %d %s", r.status, r.raw)
		}
		app.clock.Advance(time.Hour)

		for _, tc := range []struct{ name, key string }{
			{"no token", ""}, {"malformed", "not-a-token"}, {"a platform's key", platformKey},
			{"unknown", "gks_" + strings.Repeat("A", 43)}, {"revoked", revoked}, {"expired", expiring},
		} {
			r := staffCall(t, base, "GET", inbox, tc.key, nil)
			if r.status != 401 || r.code() != "unauthorized" || r.header.Get("WWW-Authenticate") == "" || r.str("error", "message") == "" {
				t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
			}
		}

		// A disabled user's tokens stop at once.
		clerk2 := mkStaffUser(t, s, "clerk2", []models.Role{models.RoleOfficeClerk}, nil, false)
		key2, _ := mustToken(t, s, clerk2, "停用测试", time.Time{})
		if r := staffCall(t, base, "GET", inbox, key2, nil); r.status != 200 {
			t.Fatalf("before disabling: %d %s", r.status, r.raw)
		}
		if err := s.SetUserActive(ctx, agency.ID, clerk2.ID, false); err != nil {
			t.Fatal(err)
		}
		if r := staffCall(t, base, "GET", inbox, key2, nil); r.status != 401 || r.code() != "unauthorized" {
			t.Errorf("token of a disabled user: %d %s", r.status, r.raw)
		}

		// Roles changed: the clerk made office head loses the inbox
		// (403 with the code, audited) and gains the office head's steps.
		key3, _ := mustToken(t, s, u.clerk, "角色变更", time.Time{})
		if r := staffCall(t, base, "GET", inbox, key3, nil); r.status != 200 {
			t.Fatalf("clerk's inbox: %d %s", r.status, r.raw)
		}
		changed, err := s.User(ctx, u.clerk.ID)
		if err != nil {
			t.Fatal(err)
		}
		changed.Roles = []models.Role{models.RoleOfficeHead}
		if err := s.UpdateUser(ctx, changed); err != nil {
			t.Fatal(err)
		}
		before := countAudit(t, s, models.AuditAccessDenied)
		if r := staffCall(t, base, "GET", inbox, key3, nil); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("inbox after losing the role: %d %s", r.status, r.raw)
		}
		if countAudit(t, s, models.AuditAccessDenied) != before+1 {
			t.Errorf("the refusal is not audited")
		}
		if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", key3, nil); r.status != 200 {
			t.Errorf("worklist as office head: %d %s", r.status, r.raw)
		}

		// A reset password holds the tokens until the user changes it.
		if _, err := s.ResetPassword(ctx, agency.ID, u.head.ID); err != nil {
			t.Fatal(err)
		}
		headKey, _ := mustToken(t, s, u.head, "重置测试", time.Time{})
		if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", headKey, nil); r.status != 403 || !strings.Contains(r.str("error", "message"), "修改初始密码") {
			t.Errorf("token of a user who must change the password: %d %s", r.status, r.raw)
		}

		// The budget: staffTokenRatePerMinute requests a minute, then 429
		// with Retry-After for the rest of the minute; another token of
		// the same user is not affected; a minute later it works again.
		busy, _ := mustToken(t, s, u.secA, "限流测试", time.Time{})
		calm, _ := mustToken(t, s, u.secA, "另一令牌", time.Time{})
		for i := 1; i <= staffTokenRatePerMinute; i++ {
			if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", busy, nil); r.status != 200 {
				t.Fatalf("request %d within the budget: %d %s", i, r.status, r.raw)
			}
		}
		r := staffCall(t, base, "GET", "/api/v1/staff/worklist", busy, nil)
		if r.status != 429 || r.code() != "too_many" || r.header.Get("Retry-After") == "" || r.body["error"].(map[string]any)["retry_after"] == nil {
			t.Errorf("over the budget: %d %s %v", r.status, r.raw, r.header)
		}
		if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", calm, nil); r.status != 200 {
			t.Errorf("another token during the lockout: %d %s", r.status, r.raw)
		}
		app.clock.Advance(61 * time.Second)
		if r := staffCall(t, base, "GET", "/api/v1/staff/worklist", busy, nil); r.status != 200 {
			t.Errorf("after the minute: %d %s", r.status, r.raw)
		}

		// A browser's cross-site post is refused in JSON, token or not.
		req, _ := http.NewRequest("POST", base+"/api/v1/staff/applications/TLMZ-2026-000001/confirm", strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+key3)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 403 || !strings.Contains(string(raw), `"forbidden"`) {
			t.Errorf("cross-site post: %d %s", resp.StatusCode, raw)
		}
	})
}
