package handlers

import (
	"bytes"
	"context"
	"errors"
	"html"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

func TestApplyFormRenders(t *testing.T) {
	app := newCitizenApp(t)
	r := app.visitor(t).get(t, "/apply")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	for _, f := range models.ApplicationFormFields {
		if !strings.Contains(r.Body, `name="`+f+`"`) {
			t.Errorf("form lacks field %q", f)
		}
		if !strings.Contains(r.Body, `id="f-`+f+`"`) {
			t.Errorf("field %q has no id f-%s for the error summary to link to", f, f)
		}
	}
	for _, want := range []string{
		`enctype="multipart/form-data"`, "novalidate", `href="/privacy"`, `name="form_token"`,
		"自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
		"居民身份证", "港澳台居民居住证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "护照",
		"纸质", "电子", "邮寄", "电子邮件", "自行领取", "在线下载", "申请无需说明用途",
		`accept=".pdf,.jpg,.jpeg,.png`, "/static/js/citizen.js?v=",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// The purpose is never marked required.
	purpose := r.Body[strings.Index(r.Body, `for="f-purpose"`):]
	purpose = purpose[:strings.Index(purpose, "</label>")]
	if strings.Contains(purpose, "必填") {
		t.Errorf("purpose is marked required: %s", purpose)
	}
	// Two visits get different one-time tokens.
	if a, b := formTokenOf(t, r.Body), formTokenOf(t, app.visitor(t).get(t, "/apply").Body); a == b {
		t.Error("two forms share a token")
	}
}

// TestApplyValidation submits the form with one thing wrong at a time and
// checks the status, the message next to the field, the summary link to it,
// and that everything typed comes back.
func TestApplyValidation(t *testing.T) {
	app := newCitizenApp(t)
	org := withFields(personFields(), formField{"applicant_type", "organisation"}, formField{"org_kind", "legal"},
		formField{"org_name", "辽宁某某律师事务所"}, formField{"credit_code", testCreditCode}, formField{"legal_rep", "李四"}, formField{"contact_person", "王五"})
	agent := withFields(personFields(), formField{"has_agent", "1"}, formField{"agent_name", "赵律师"}, formField{"agent_id_type", "resident_id"},
		formField{"agent_id_number", testAgentID}, formField{"agent_phone", testAgentPhone})
	poa := []fileUpload{{"power_of_attorney", "授权委托书.pdf", testPDF("委托")}}
	long := func(n int) string { return strings.Repeat("文", n) }
	for _, tc := range []struct {
		name   string
		fields []formField
		files  []fileUpload
		field  string
		want   string
	}{
		{"applicant type", withFields(personFields(), formField{"applicant_type", ""}), nil, "applicant_type", "请选择申请人类型"},
		{"name", withFields(personFields(), formField{"name", ""}), nil, "name", "请填写申请人姓名"},
		{"document type", withFields(personFields(), formField{"id_type", ""}), nil, "id_type", "请选择证件类型"},
		{"resident ID check digit", withFields(personFields(), formField{"id_number", "110101199003074478"}), nil, "id_number", "校验"},
		{"passport", withFields(personFields(), formField{"id_type", "passport"}, formField{"id_number", "E1"}), nil, "id_number", "护照号码"},
		{"organisation kind", withFields(org, formField{"org_kind", ""}), nil, "org_kind", "请选择法人或其他组织的类型"},
		{"organisation name", withFields(org, formField{"org_name", ""}), nil, "org_name", "请填写法人或其他组织的名称"},
		{"credit code", withFields(org, formField{"credit_code", "91211200MA0QX1234A"}), nil, "credit_code", "统一社会信用代码校验位不正确"},
		{"legal representative", withFields(org, formField{"legal_rep", ""}), nil, "legal_rep", "法定代表人或负责人"},
		{"contact person", withFields(org, formField{"contact_person", ""}), nil, "contact_person", "请填写联系人姓名"},
		{"agent name", withFields(agent, formField{"agent_name", ""}), poa, "agent_name", "请填写委托代理人姓名"},
		{"agent document type", withFields(agent, formField{"agent_id_type", ""}), poa, "agent_id_type", "请选择证件类型"},
		{"agent document number", withFields(agent, formField{"agent_id_number", "123"}), poa, "agent_id_number", "公民身份号码"},
		{"agent phone", withFields(agent, formField{"agent_phone", "12"}), poa, "agent_phone", "委托代理人的联系电话格式不正确"},
		{"power of attorney", agent, nil, "power_of_attorney", "授权委托书"},
		{"nothing requested", withFields(personFields(), formField{"title", ""}, formField{"description", ""}), nil, "title", "至少填写"},
		{"title too long", withFields(personFields(), formField{"title", long(201)}), nil, "title", "最多200个字"},
		{"document number too long", withFields(personFields(), formField{"doc_number", long(101)}), nil, "doc_number", "最多100个字"},
		{"description too long", withFields(personFields(), formField{"description", long(5001)}), nil, "description", "最多5000个字"},
		{"purpose too long", withFields(personFields(), formField{"purpose", long(1001)}), nil, "purpose", "最多1000个字"},
		{"form wanted", withFields(personFields(), formField{"form_wanted", ""}), nil, "form_wanted", "纸质或电子"},
		{"delivery", withFields(personFields(), formField{"delivery", ""}), nil, "delivery", "请选择获取信息的方式"},
		{"paper online", withFields(personFields(), formField{"form_wanted", "paper"}), nil, "delivery", "纸质形式只能邮寄或自行领取"},
		{"phone", withFields(personFields(), formField{"phone", "12345"}), nil, "phone", "联系电话格式不正确"},
		{"email", withFields(personFields(), formField{"email", "zhangsan@"}), nil, "email", "电子邮箱格式不正确"},
		{"email for email delivery", withFields(personFields(), formField{"email", ""}, formField{"delivery", "email"}), nil, "email", "请填写电子邮箱"},
		{"address for post", withFields(personFields(), formField{"delivery", "post"}, formField{"post_code", "112000"}), nil, "address", "请填写邮寄地址"},
		{"post code for post", withFields(personFields(), formField{"delivery", "post"}, formField{"address", testAddress}, formField{"post_code", "1120"}), nil, "post_code", "6位数字"},
		{"identity proof not an image", personFields(), []fileUpload{{"identity_proof", "身份证.jpg", []byte("GIF89a not a jpeg")}}, "identity_proof", "不是PDF、JPEG或PNG格式"},
		{"supporting file empty", personFields(), []fileUpload{{"supporting", "空.pdf", nil}}, "supporting", "空文件"},
		{"supporting file too big", personFields(), []fileUpload{{"supporting", "大.pdf", append(testPDF("大"), make([]byte, models.MaxUploadBytes)...)}}, "supporting", "超过了10MB"},
		{"unprintable name", withFields(personFields(), formField{"name", "张\U00030EDD"}), nil, "name", "无法在回执和告知书中打印"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := app.visitor(t)
			r := v.apply(t, tc.fields, tc.files)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			body := html.UnescapeString(r.Body)
			next := `<p class="field-error" id="e-` + tc.field + `"><span class="visually-hidden">错误：</span>`
			i := strings.Index(body, next)
			if i < 0 {
				t.Fatalf("no message next to %s:\n%s", tc.field, snippetOf(body[strings.Index(body, "<main"):]))
			}
			msg := body[i+len(next):]
			if msg = msg[:strings.Index(msg, "</p>")]; !strings.Contains(msg, tc.want) {
				t.Errorf("message next to %s = %q, want %q", tc.field, msg, tc.want)
			}
			if !strings.Contains(body, `<li><a href="#f-`+tc.field+`">`) {
				t.Errorf("error summary has no link to #f-%s", tc.field)
			}
			if !strings.Contains(body, `id="error-summary"`) || !strings.Contains(body, "<title>错误：") {
				t.Error("no error summary or error title")
			}
			for _, f := range tc.fields {
				if f.v == "" || f.k == "description" || f.k == "purpose" {
					continue
				}
				if !strings.Contains(body, `value="`+f.v+`"`) && !strings.Contains(body, `value="`+f.v+`" checked`) {
					t.Errorf("typed %s=%q not re-displayed", f.k, f.v)
				}
			}
			if d := valueOf(tc.fields, "description"); d != "" && !strings.Contains(body, ">"+d+"</textarea>") {
				t.Errorf("description not re-displayed")
			}
		})
	}
	var n int
	app.store.DB().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
	if n != 0 {
		t.Errorf("%d applications stored from invalid forms", n)
	}
}

func valueOf(fields []formField, k string) string {
	for _, f := range fields {
		if f.k == k {
			return f.v
		}
	}
	return ""
}

// TestApplyFailedSubmissionKeepsEverything: a submission with a wrong
// field keeps every typed value and every uploaded file; the next
// submission of the same form needs no file chosen again, and a ticked
// file is dropped.
func TestApplyFailedSubmissionKeepsEverything(t *testing.T) {
	eachCitizenApp(t, testApplyFailedSubmissionKeepsEverything)
}

func testApplyFailedSubmissionKeepsEverything(t *testing.T, app *citizenApp) {
	v := app.visitor(t)
	form := v.get(t, "/apply")
	token := formTokenOf(t, form.Body)
	fields := withFields(personFields(), formField{"phone", "0000"}, formField{"has_agent", "1"}, formField{"agent_name", "赵律师"},
		formField{"agent_id_type", "passport"}, formField{"agent_id_number", "E12345678"}, formField{"purpose", "用于学术研究"},
		formField{"doc_number", "铁民发〔2025〕3号"}, formField{"delivery", "post"}, formField{"address", testAddress}, formField{"post_code", "112000"})
	files := []fileUpload{
		{"identity_proof", "身份证正面.jpg", testJPEG(t)},
		{"power_of_attorney", "授权委托书.pdf", testPDF("委托")},
		{"supporting", "说明.pdf", testPDF("说明")},
		{"supporting", "病毒.exe", []byte("MZ\x90\x00")},
	}
	r := v.postMultipart(t, "/apply", withToken(fields, token), files)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{
		`value="0000"`, `value="张三"`, `value="` + testIDNumber + `"`, `value="赵律师"`, `value="E12345678"`,
		`value="铁民发〔2025〕3号"`, `value="` + testAddress + `"`, `value="112000"`, ">用于学术研究</textarea>",
		">" + testDescription + "</textarea>", `name="has_agent" value="1" checked`,
		`value="post" checked`, `value="electronic" checked`, `value="person" checked`, `<option value="passport" selected>`,
		"已上传：身份证正面.jpg（", "已上传：授权委托书.pdf（", "已上传：说明.pdf（",
		"病毒.exe", "不是PDF、JPEG或PNG格式",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("re-displayed form lacks %q", want)
		}
	}
	if strings.Contains(body, "已上传：病毒.exe") {
		t.Error("the refused file was kept")
	}
	if got := formTokenOf(t, body); got != token {
		t.Errorf("the form's token changed: %q → %q", token, got)
	}
	staged, err := app.store.StagedUploads(context.Background(), token)
	if err != nil || len(staged) != 3 {
		t.Fatalf("staged = %d files, %v; want 3", len(staged), err)
	}
	var supporting int64
	for _, s := range staged {
		if s.Kind == models.AttachSupporting {
			supporting = s.ID
		}
	}

	// Fix the phone, drop the supporting file, choose no file again.
	fields = withFields(fields, formField{"phone", testPhone}, formField{"remove_upload", strconv.FormatInt(supporting, 10)})
	r = v.postMultipart(t, "/apply", withToken(fields, token), nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected submission: status %d:\n%s", r.StatusCode, snippetOf(r.Body))
	}
	got := appByNumberOf(t, app, v.follow(t, r).Body)
	atts, _ := app.store.Attachments(context.Background(), got.ID)
	kinds := map[models.AttachmentKind]string{}
	for _, a := range atts {
		kinds[a.Kind] = a.Filename
	}
	if len(atts) != 2 || kinds[models.AttachIdentityProof] != "身份证正面.jpg" || kinds[models.AttachPowerOfAttorney] != "授权委托书.pdf" {
		t.Errorf("application files = %v, want the identity proof and the power of attorney", kinds)
	}
	applicant, _ := app.store.Applicant(context.Background(), app.agency.ID, got.ApplicantID)
	if applicant.AgentName != "赵律师" || applicant.Address != testAddress || applicant.PostCode != "112000" {
		t.Errorf("applicant = %+v", applicant)
	}
	if got.Purpose != "用于学术研究" || !strings.HasPrefix(got.Description, "文号：铁民发〔2025〕3号\n") {
		t.Errorf("purpose %q description %q", got.Purpose, got.Description)
	}
	if left, _ := app.store.StagedUploads(context.Background(), token); len(left) != 0 {
		t.Errorf("%d staged files left after submission", len(left))
	}
}

// appByNumberOf reads the number on an acknowledgement page and loads the
// application.
func appByNumberOf(t *testing.T, app *citizenApp, ack string) *models.Application {
	t.Helper()
	m := numberRE.FindStringSubmatch(ack)
	if m == nil {
		t.Fatalf("no number on the page:\n%s", snippetOf(ack))
	}
	a, err := app.store.ApplicationByNumber(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestApplyAgentAndOrganisation files an application for a law firm
// through an agent, by post.
func TestApplyAgentAndOrganisation(t *testing.T) {
	app := newCitizenApp(t)
	v := app.visitor(t)
	fields := withFields(personFields(), formField{"applicant_type", "organisation"}, formField{"org_kind", "legal"},
		formField{"org_name", "辽宁某某律师事务所"}, formField{"credit_code", strings.ToLower(testCreditCode)}, formField{"legal_rep", "李四"},
		formField{"contact_person", "王五"}, formField{"has_agent", "1"}, formField{"agent_name", "赵律师"}, formField{"agent_id_type", "resident_id"},
		formField{"agent_id_number", strings.ToLower(testAgentID)}, formField{"agent_phone", testAgentPhone},
		formField{"form_wanted", "paper"}, formField{"delivery", "post"}, formField{"address", testAddress}, formField{"post_code", "112000"})
	number, _ := v.submitted(t, fields, []fileUpload{{"power_of_attorney", "委托书.png", pngBytes(t)}})
	got, err := app.store.ApplicationByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := app.store.Applicant(context.Background(), app.agency.ID, got.ApplicantID)
	if a.Kind != models.ApplicantLegal || a.Name != "辽宁某某律师事务所" || a.CreditCode != testCreditCode || a.IDNumber != "" ||
		a.AgentName != "赵律师" || a.AgentIDNumber != testAgentID || a.AgentIDType != models.DocResidentID ||
		a.AgentPhone != testAgentPhone || a.LegalRep != "李四" || a.ContactPerson != "王五" {
		t.Errorf("applicant = %+v", a)
	}
	if got.FormWanted != models.FormPaper || got.Delivery != models.DeliveryPost || got.Status != models.StatusPending {
		t.Errorf("application = %+v", got)
	}
	atts, _ := app.store.Attachments(context.Background(), got.ID)
	if len(atts) != 1 || atts[0].Kind != models.AttachPowerOfAttorney || atts[0].ContentType != models.TypePNG {
		t.Errorf("attachments = %+v", atts)
	}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestApplyDoubleSubmission: the same form posted twice, one after the
// other (back and submit again) and at once (a double click), files one
// application, and every answer names it.
func TestApplyDoubleSubmission(t *testing.T) {
	eachCitizenApp(t, testApplyDoubleSubmission)
}

func testApplyDoubleSubmission(t *testing.T, app *citizenApp) {
	v := app.visitor(t)
	token := formTokenOf(t, v.get(t, "/apply").Body)
	fields := withToken(personFields(), token)
	files := []fileUpload{{"identity_proof", "身份证.jpg", testJPEG(t)}}

	var wg sync.WaitGroup
	results := make([]citizenResponse, 4)
	for i := range results {
		wg.Go(func() { results[i] = app.visitor(t).postMultipart(t, "/apply", fields, files) })
	}
	wg.Wait()
	for i, r := range results {
		if r.StatusCode != http.StatusSeeOther {
			app.h.WaitNotifications()
			t.Fatalf("post %d: status %d; logs:\n%s", i, r.StatusCode, app.logs.String())
		}
	}
	first := v.postMultipart(t, "/apply", fields, files)
	ack := v.follow(t, first)
	if !strings.Contains(ack.Body, "此前已经提交过，没有重复提交") {
		t.Errorf("repeat submission not explained:\n%s", snippetOf(ack.Body))
	}
	var n, files2 int
	app.store.DB().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
	app.store.DB().QueryRow(`SELECT COUNT(*) FROM attachments`).Scan(&files2)
	if n != 1 || files2 != 1 {
		t.Errorf("%d applications and %d files after 5 posts of one form, want 1 and 1", n, files2)
	}
	app.h.WaitNotifications()
	if mails := app.out.Mails(); len(mails) != 1 {
		t.Errorf("%d acknowledgement mails, want 1", len(mails))
	}
}

// TestAcknowledgement: the number and code are shown once, mailed, and the
// receipt PDF is downloadable and reads back with the Chinese fields.
func TestAcknowledgement(t *testing.T) {
	app := newCitizenApp(t)
	v := app.visitor(t)
	r := v.apply(t, personFields(), []fileUpload{{"identity_proof", "身份证.jpg", testJPEG(t)}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/apply/done" {
		t.Fatalf("submit: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	for _, c := range r.Cookies() {
		if strings.Contains(c.Value, testIDNumber) || (c.Name == ackCookie && c.Path != "/apply/done") {
			t.Errorf("cookie %s: path %q value %q", c.Name, c.Path, c.Value)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s is not HttpOnly + SameSite=Lax", c.Name)
		}
	}
	ack := v.follow(t, r)
	number := numberRE.FindStringSubmatch(ack.Body)
	code := codeRE.FindStringSubmatch(ack.Body)
	if number == nil || code == nil {
		t.Fatalf("acknowledgement lacks number or code:\n%s", snippetOf(ack.Body))
	}
	if strings.Contains(ack.Header.Get("Location"), code[1]) || ack.Header.Get("Cache-Control") != "no-store" {
		t.Error("acknowledgement is cacheable")
	}
	for _, want := range []string{"待确认", "第三十一条", "z*******@example.com", `href="/track/receipt"`, "只在此页面显示这一次"} {
		if !strings.Contains(ack.Body, want) {
			t.Errorf("acknowledgement lacks %q", want)
		}
	}
	// Shown once: the second visit goes to the tracking page, which never
	// shows the code.
	again := v.get(t, "/apply/done")
	if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != "/track/status" {
		t.Fatalf("second visit: %d → %q", again.StatusCode, again.Header.Get("Location"))
	}
	status := v.follow(t, again)
	if !strings.Contains(status.Body, number[1]) || strings.Contains(status.Body, code[1]) {
		t.Error("tracking page must show the number and never the code")
	}

	app.h.WaitNotifications()
	mails := app.out.Mails()
	if len(mails) != 1 || mails[0].to != testEmail || !strings.Contains(mails[0].body, number[1]) ||
		!strings.Contains(mails[0].body, code[1]) || !strings.Contains(mails[0].body, "https://gongkai.example.gov.cn/track") {
		t.Errorf("mails = %+v", mails)
	}

	pdf := v.get(t, "/track/receipt")
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Fatalf("receipt: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	if cd := pdf.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if strings.Contains(pdf.Body, code[1]) {
		t.Error("the receipt carries the query code")
	}
	text := pdfText(t, []byte(pdf.Body))
	for _, want := range []string{"政府信息公开申请提交回执", number[1], "张三", "2025年度城乡低保资金发放情况",
		"1101**********4477", "138****5678", "身份证.jpg", "待确认", "双方确认之日为收到申请之日", "铁岭市民政局"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt text lacks %q", want)
		}
	}
}

// pdfText returns the text of a PDF with white space removed, skipping the
// test when poppler's pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found: install poppler-utils to read the receipt back")
	}
	path := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// TestApplyOverBodyLimit: files that together pass the request limit do not
// cost the applicant what they typed; the form comes back with a message.
func TestApplyOverBodyLimit(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newCitizenAppOn(t, s, clock, Config{MaxBodyBytes: 256 << 10})
	v := app.visitor(t)
	big := append(testPDF("大"), make([]byte, 300<<10)...)
	r := v.apply(t, personFields(), []fileUpload{{"supporting", "扫描件.pdf", big}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422:\n%s", r.StatusCode, snippetOf(r.Body))
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{"合计超过了上限", `value="张三"`, `value="` + testIDNumber + `"`, `value="` + testPhone + `"`,
		">" + testDescription + "</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
}

// failingMailer fails the way an SMTP server does, quoting the recipient.
type failingMailer struct{}

func (failingMailer) SendMail(_ context.Context, to, _, _ string) error {
	return errors.New("smtp: RCPT TO: 550 5.1.1 <" + to + ">: Recipient address rejected")
}

// TestMailFailureIsLoggedMasked: a mail that fails does not fail the
// submission, and the log line masks the address the server quoted.
func TestMailFailureIsLoggedMasked(t *testing.T) {
	s, clock := storetest.Open(t, store.SQLite, storetest.Options{})
	app := newCitizenAppOn(t, s, clock, Config{})
	app.h.cfg.Mailer = failingMailer{}
	app.visitor(t).submitted(t, personFields(), nil)
	app.h.WaitNotifications()
	logs := app.logs.String()
	if !strings.Contains(logs, "notification not sent") || !strings.Contains(logs, "z*******@example.com") || strings.Contains(logs, testEmail) {
		t.Errorf("logs:\n%s", logs)
	}
}

func TestFormToken(t *testing.T) {
	app := newCitizenApp(t)
	tok := app.h.formToken()
	if len(tok) > 64 {
		t.Errorf("token %q is %d characters; applications.idempotency_key holds 64", tok, len(tok))
	}
	if got := app.h.checkFormToken(tok); got != tok {
		t.Errorf("an issued token was replaced")
	}
	flip := func(c byte) string {
		if c == 'a' {
			return "b"
		}
		return "a"
	}
	for _, forged := range []string{"", "abc", tok[:len(tok)-1] + flip(tok[len(tok)-1]), flip(tok[0]) + tok[1:]} {
		if got := app.h.checkFormToken(forged); got == forged {
			t.Errorf("forged token %q accepted", forged)
		}
	}
}
