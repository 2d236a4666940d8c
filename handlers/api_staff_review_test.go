package handlers

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongkai/models"
)

// reviewFindings reads answer.review.findings of an answer as objects.
func reviewFindings(a staffAnswer) []map[string]any {
	var out []map[string]any
	for _, f := range a.list("answer", "review", "findings") {
		out = append(out, f.(map[string]any))
	}
	return out
}

// reviewSources reads answer.review.sources of an answer as objects.
func reviewSources(a staffAnswer) []map[string]any {
	var out []map[string]any
	for _, s := range a.list("answer", "review", "sources") {
		out = append(out, s.(map[string]any))
	}
	return out
}

// openFindings counts the open findings of an answer's review.
func openFindings(a staffAnswer) int {
	n := 0
	for _, f := range reviewFindings(a) {
		if f["open"] == true {
			n++
		}
	}
	return n
}

// jsonID reads a JSON number field as an id.
func jsonID(m map[string]any, key string) int64 {
	f, _ := m[key].(float64)
	return int64(f)
}

// b64File is a file of a staff API request.
func b64File(name string, content []byte) map[string]any {
	return map[string]any{"filename": name, "content": base64.StdEncoding.EncodeToString(content)}
}

// TestStaffAPIContributionAndReview takes an answer through the assisting
// section's contribution and the confidentiality review with tokens only:
// 养老服务科 contributes; 社会救助科 drafts an answer whose text names a
// telephone number and whose files are a list with an ID number and an
// image without a text layer; the reviewer sends the first draft back,
// then on the second clears the text's finding, replaces the list by a
// redacted version and attests the image, and only then completes the
// review; the letter releases the redacted list and the image. Every step
// is also refused once (the wrong role, a state that does not admit it,
// a bad field), the release is refused while a finding is open, every
// answer is checked against openapi.json, and the audit trail names the
// token.
func TestStaffAPIContributionAndReview(t *testing.T) {
	eachOffice(t, func(t *testing.T, app *citizenApp, u officeUsers) {
		s, base, ctx := app.store, app.srv.URL, context.Background()
		team := newAnswerTeam(t, s, u)
		clerk, _ := mustToken(t, s, u.clerk, "公开办办公系统", time.Time{})
		head, _ := mustToken(t, s, u.head, "负责人工具", time.Time{})
		secA, _ := mustToken(t, s, u.secA, "社会救助科工具", time.Time{})
		secB, secBTok := mustToken(t, s, u.secB, "养老服务科工具", time.Time{})
		secHead, _ := mustToken(t, s, team.sectionHead, "科长工具", time.Time{})
		reviewer, reviewerTok := mustToken(t, s, team.reviewer, "保密审查工具", time.Time{})

		a, _ := submitOnline(t, app, "临时救助对象名单", testIDNumber)
		number := a.Number
		appPath := "/api/v1/staff/applications/" + number
		staffCall(t, base, "POST", appPath+"/confirm", clerk, map[string]any{"received_on": s.Today().String()})
		r := staffCall(t, base, "POST", appPath+"/route", clerk, map[string]any{"lead": map[string]any{"section_id": u.sectionA.ID},
			"assisting": []any{map[string]any{"section_id": u.sectionB.ID}}})
		if r.status != 200 {
			t.Fatalf("route: %d %s", r.status, r.raw)
		}

		// Contribution: not the clerk's (403), not the lead section's
		// (409, as the page says), and the page's field checks (422).
		contribPath := appPath + "/answer/contribution"
		contribution := map[string]any{"contribution": "本科室未掌握临时救助对象的信息。"}
		if r := staffCall(t, base, "POST", contribPath, clerk, contribution); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("contribution by the clerk: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", contribPath, secA, contribution); r.status != 409 || !strings.Contains(r.str("error", "message"), "不是本申请的协办科室") {
			t.Errorf("contribution by the lead section: %d %s", r.status, r.raw)
		}
		for _, tc := range []struct {
			name, field string
			body        map[string]any
		}{
			{"no text", "contribution", map[string]any{}},
			{"another section", "section_id", map[string]any{"section_id": u.sectionA.ID, "contribution": "x"}},
			{"not a PDF", "files[0]", map[string]any{"contribution": "x", "files": []any{b64File("x.pdf", []byte("MZ not a pdf"))}}},
			{"a misspelt field", "text", map[string]any{"text": "x"}},
		} {
			if r := staffCall(t, base, "POST", contribPath, secB, tc.body); r.status != 422 || r.field(tc.field) == "" {
				t.Errorf("contribution, %s: %d %s", tc.name, r.status, r.raw)
			}
		}
		contribution["files"] = []any{b64File("养老服务科说明.pdf", answerTextPDF(t, "说明", "本科室未掌握相关信息。"))}
		r = staffCall(t, base, "POST", contribPath, secB, contribution)
		if r.status != 200 || r.str("answer", "stage") != string(models.StageDrafting) {
			t.Fatalf("contribution: %d %s", r.status, r.raw)
		}
		ans, err := s.Answer(ctx, mustApp(t, s, number), mustEvents(t, s, number))
		if err != nil {
			t.Fatal(err)
		}
		if w := ans.Working; w == nil || len(w.Contributions) != 1 || w.Contributions[0].SectionID != u.sectionB.ID ||
			w.Contributions[0].Text != "本科室未掌握临时救助对象的信息。" || len(w.Contributions[0].Files) != 1 {
			t.Fatalf("the working copy after the contribution: %+v", ans.Working)
		}
		if n := countEntries(auditByToken(t, s, secBTok), models.AuditApplicationStep, number); n != 1 {
			t.Errorf("contribution entries with the section's token: %d, want 1", n)
		}

		// The lead section drafts and submits; the section head approves.
		draft := map[string]any{"outcome": string(models.OutcomeDisclose), "method": "online",
			"reasons": "经查，所申请的信息属于公开范围。", "extra_basis": "咨询电话024-72222222", "submit": true,
			"files": []any{
				b64File("名单.pdf", answerTextPDF(t, "名单", "救助对象王五，身份证号码"+answerPlantedID+"。")),
				b64File("签批单.png", sealPNG(t, 40, 40)),
			}}
		submit := func() {
			t.Helper()
			if r := staffCall(t, base, "POST", appPath+"/answer/draft", secA, draft); r.status != 200 || r.str("answer", "stage") != string(models.StageSectionHead) {
				t.Fatalf("submit the draft: %d %s", r.status, r.raw)
			}
			if r := staffCall(t, base, "POST", appPath+"/answer/section-approval", secHead, map[string]any{"decision": "approve"}); r.status != 200 ||
				r.str("answer", "stage") != string(models.StageReview) {
				t.Fatalf("section approval: %d %s", r.status, r.raw)
			}
		}
		submit()

		// The review: the findings are in the application, masked; the
		// reviewer's action only.
		reviewPath := appPath + "/answer/review"
		r = staffCall(t, base, "GET", appPath, reviewer, nil)
		if r.status != 200 || openFindings(r) != 2 || len(r.list("answer", "review_blockers")) != 3 || strings.Contains(r.raw, answerPlantedID) ||
			!strings.Contains(r.raw, models.MaskIDNumber(answerPlantedID)) {
			t.Fatalf("the application in review: %d %s", r.status, r.raw)
		}
		firstSeq := jsonID(r.body["answer"].(map[string]any)["review"].(map[string]any), "draft_seq")
		if r := staffCall(t, base, "POST", reviewPath, secA, map[string]any{"action": "complete"}); r.status != 403 || r.code() != "forbidden" {
			t.Errorf("review by a section handler: %d %s", r.status, r.raw)
		}
		for _, tc := range []struct {
			name, field string
			body        map[string]any
		}{
			{"no action", "action", map[string]any{}},
			{"an unknown action", "action", map[string]any{"action": "approve"}},
			{"send back without a comment", "comment", map[string]any{"action": "send_back"}},
			{"clear without a finding", "finding_id", map[string]any{"action": "clear_finding", "reason": "x"}},
			{"attest without a file", "file_id", map[string]any{"action": "attest_file", "statement": "x"}},
			{"a misspelt field", "finding", map[string]any{"action": "clear_finding", "finding": 1}},
		} {
			if r := staffCall(t, base, "POST", reviewPath, reviewer, tc.body); r.status != 422 || r.field(tc.field) == "" {
				t.Errorf("review, %s: %d %s", tc.name, r.status, r.raw)
			}
		}

		// The first draft goes back to the lead section, which submits
		// it again with the same files.
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "send_back", "comment": "请核对附件中的个人信息。"})
		if r.status != 200 || r.str("answer", "stage") != string(models.StageDrafting) || r.str("answer", "return_comment") != "请核对附件中的个人信息。" {
			t.Fatalf("send back: %d %s", r.status, r.raw)
		}
		var keep []any
		for _, f := range r.list("answer", "files") {
			keep = append(keep, f.(map[string]any)["id"])
		}
		if len(keep) != 2 {
			t.Fatalf("working copy files after the send-back: %v", keep)
		}
		delete(draft, "files")
		draft["file_ids"] = keep
		submit()

		// Complete, final approval and issuing are refused while anything
		// is open.
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "complete"})
		if r.status != 409 || r.code() != "conflict" || !strings.Contains(r.str("error", "message"), "保密审查尚有3项未处理，不能发布") {
			t.Errorf("complete with open findings: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", appPath+"/answer/final-approval", head, map[string]any{"decision": "approve"}); r.status != 409 {
			t.Errorf("final approval in review: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", appPath+"/answer/issue", clerk, map[string]any{}); r.status != 409 || r.code() != "conflict" {
			t.Errorf("issue with open findings: %d %s", r.status, r.raw)
		}

		r = staffCall(t, base, "GET", appPath, reviewer, nil)
		rv := r.body["answer"].(map[string]any)["review"].(map[string]any)
		seq := jsonID(rv, "draft_seq")
		if seq == firstSeq {
			t.Fatalf("the resubmitted draft has the first draft's seq %d", seq)
		}
		var textFinding, fileFinding, pdfID, pngID int64
		for _, f := range reviewFindings(r) {
			if strings.HasPrefix(f["place"].(string), "答复正文") {
				textFinding = jsonID(f, "id")
			} else {
				fileFinding = jsonID(f, "id")
			}
		}
		for _, src := range reviewSources(r) {
			switch src["filename"] {
			case "名单.pdf":
				pdfID = jsonID(src, "file_id")
			case "签批单.png":
				pngID = jsonID(src, "file_id")
				if src["needs_attestation"] != true || src["text_layer"] != "none" {
					t.Errorf("the image source: %v", src)
				}
			}
		}
		if textFinding == 0 || fileFinding == 0 || pdfID == 0 || pngID == 0 {
			t.Fatalf("review of the second draft: %s", r.raw)
		}

		// Clear the text's finding: a reason is needed; a decision on the
		// first draft is a conflict; an unknown finding is not found.
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "clear_finding", "finding_id": textFinding}); r.status != 422 || r.field("reason") == "" {
			t.Errorf("clear without a reason: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "clear_finding", "finding_id": textFinding,
			"reason": "本机关对外公布的咨询电话", "draft_seq": firstSeq}); r.status != 409 || !strings.Contains(r.str("error", "message"), "答复稿已经更新") {
			t.Errorf("clear on the first draft: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "clear_finding", "finding_id": 99, "reason": "x"}); r.status != 404 {
			t.Errorf("clear an unknown finding: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "clear_finding", "finding_id": textFinding,
			"reason": "本机关对外公布的咨询电话", "draft_seq": seq})
		if r.status != 200 || openFindings(r) != 1 {
			t.Fatalf("clear: %d %s", r.status, r.raw)
		}
		for _, f := range reviewFindings(r) {
			if jsonID(f, "id") == textFinding && (f["decision"] != "cleared" || f["decided"].(map[string]any)["by"] != team.reviewer.DisplayName) {
				t.Errorf("the cleared finding: %v", f)
			}
		}

		// Replace the list: the file is checked like an upload; the
		// redacted version is scanned and closes the finding.
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "replace_file", "file_id": pdfID}); r.status != 422 || r.field("file") == "" {
			t.Errorf("replace without a file: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "replace_file", "file_id": pdfID,
			"file": map[string]any{"filename": "名单.pdf", "content": "%%%"}}); r.status != 422 || r.field("file") == "" {
			t.Errorf("replace with bad base64: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "replace_file", "file_id": pdfID,
			"file": b64File("名单（已遮盖）.pdf", answerTextPDF(t, "名单", "救助对象王五，身份证号码已遮盖。"))})
		if r.status != 200 || openFindings(r) != 0 || len(r.list("answer", "review_blockers")) != 1 {
			t.Fatalf("replace: %d %s", r.status, r.raw)
		}
		replaced := false
		for _, src := range reviewSources(r) {
			replaced = replaced || (src["filename"] == "名单（已遮盖）.pdf" && jsonID(src, "replaces") == pdfID && src["current"] == true)
		}
		if !replaced {
			t.Errorf("the redacted file is not among the sources: %s", r.raw)
		}

		// The image is still to be attested.
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "complete"}); r.status != 409 || !strings.Contains(r.str("error", "message"), "须由审查员逐页审阅后确认") {
			t.Errorf("complete with the image unattested: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "attest_file", "file_id": pngID}); r.status != 422 || r.field("statement") == "" {
			t.Errorf("attest without a statement: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "attest_file", "file_id": pngID, "statement": "已逐页人工审阅，未发现不得公开的内容"})
		if r.status != 200 || len(r.list("answer", "review_blockers")) != 0 {
			t.Fatalf("attest: %d %s", r.status, r.raw)
		}

		// Complete: the answer goes to the office head, who approves; the
		// letter releases the redacted list and the image.
		r = staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "complete"})
		if r.status != 200 || r.str("answer", "stage") != string(models.StageOfficeHead) || len(r.list("events")) != 1 {
			t.Fatalf("complete: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", reviewPath, reviewer, map[string]any{"action": "complete"}); r.status != 409 || r.code() != "conflict" {
			t.Errorf("complete twice: %d %s", r.status, r.raw)
		}
		if r := staffCall(t, base, "POST", appPath+"/answer/final-approval", head, map[string]any{"decision": "approve"}); r.status != 200 {
			t.Fatalf("final approval: %d %s", r.status, r.raw)
		}
		r = staffCall(t, base, "POST", appPath+"/answer/issue", clerk, map[string]any{})
		var released []string
		for _, f := range r.list("released_files") {
			released = append(released, f.(map[string]any)["filename"].(string))
		}
		if r.status != 200 || fmt.Sprint(released) != fmt.Sprint([]string{"名单（已遮盖）.pdf", "签批单.png"}) {
			t.Fatalf("issue: %d released %v: %s", r.status, released, r.raw)
		}

		// The review's steps are audited in the reviewer's name with the
		// token: the send-back, the clearing, the replacement, the
		// attestation and the completion.
		var steps []string
		for _, e := range auditByToken(t, s, reviewerTok) {
			if e.Action == models.AuditApplicationStep && e.ObjectID == number {
				steps = append(steps, fmt.Sprint(e.After))
			}
		}
		if len(steps) != 5 {
			t.Errorf("review steps audited with the reviewer's token: %d, want 5: %v", len(steps), steps)
		}
		for _, want := range []string{"cleared", "replaced", "attested"} {
			if !strings.Contains(strings.Join(steps, "\n"), want) {
				t.Errorf("no audit entry of the review %s with the token: %v", want, steps)
			}
		}
	})
}
