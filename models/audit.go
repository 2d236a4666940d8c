package models

// The audit trail. 个人信息保护法第五十一条 asks for security measures over
// personal information, and 居民身份证法第十三条、第十九条 make staff answer for
// the ID numbers they see; so every staff action and every view of unmasked
// personal data is recorded: who, when, from which address, what, on which
// object, and the object before and after.
//
// The log is append-only and tamper-evident. Each row carries the MAC of the
// previous row (PrevMAC) and its own MAC over its canonical text chained to
// that one (Keyring.AuditMAC, keyed with a key derived from the deployment
// secret), and ids are consecutive. A separate head (the last id and a MAC
// over it and the last row's MAC) marks the end of the chain. Someone who
// can write to the database but does not hold the secret cannot edit,
// reorder, insert or delete rows, or cut off the newest ones, without
// AuditVerifier noticing.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditAction names what an audit entry records. The values are stored;
// do not change them. Later features add their own.
type AuditAction string

// Audit actions.
const (
	AuditLoginSucceeded     AuditAction = "login.succeeded"
	AuditLoginFailed        AuditAction = "login.failed"
	AuditLoginLocked        AuditAction = "login.locked" // the failure that locked the account
	AuditLogout             AuditAction = "logout"
	AuditPasswordChanged    AuditAction = "password.changed"
	AuditUserCreated        AuditAction = "user.created"
	AuditUserUpdated        AuditAction = "user.updated"
	AuditUserDeactivated    AuditAction = "user.deactivated"
	AuditUserActivated      AuditAction = "user.activated"
	AuditUserPasswordReset  AuditAction = "user.password_reset"
	AuditUserUnlocked       AuditAction = "user.unlocked"
	AuditSectionCreated     AuditAction = "section.created"
	AuditSectionUpdated     AuditAction = "section.updated"
	AuditAgencyUpdated      AuditAction = "agency.updated"
	AuditCalendarSaved      AuditAction = "calendar.saved"
	AuditCalendarConfirmed  AuditAction = "calendar.confirmed"
	AuditApplicationViewed  AuditAction = "application.viewed"
	AuditPersonalDataViewed AuditAction = "application.revealed" // unmasked personal data was shown
	AuditAccessDenied       AuditAction = "access.denied"
	AuditTrailViewed        AuditAction = "audit.viewed"
	AuditTrailVerified      AuditAction = "audit.verified"

	// Intake and routing (条例第二十九条至第三十五条).
	AuditApplicationRegistered AuditAction = "application.registered" // a paper, mail, fax, e-mail or oral application
	AuditReceiptConfirmed      AuditAction = "application.confirmed"  // receipt confirmed; the clock starts
	AuditApplicationStep       AuditAction = "application.step"       // any other step recorded on the ledger (After names it)
	AuditNoticeDelivered       AuditAction = "notice.delivered"       // a notice's delivery recorded
	AuditFileDownloaded        AuditAction = "application.file"       // a notice or file of an application opened
	AuditHandoverPrinted       AuditAction = "application.handover"   // the receipt with the query code printed for the applicant
)

// AuditActions lists the actions of this package in the order the audit
// page's filter offers them.
var AuditActions = []AuditAction{
	AuditLoginSucceeded, AuditLoginFailed, AuditLoginLocked, AuditLogout, AuditPasswordChanged,
	AuditUserCreated, AuditUserUpdated, AuditUserDeactivated, AuditUserActivated, AuditUserPasswordReset,
	AuditUserUnlocked, AuditSectionCreated, AuditSectionUpdated, AuditAgencyUpdated, AuditCalendarSaved,
	AuditCalendarConfirmed, AuditApplicationViewed, AuditPersonalDataViewed, AuditAccessDenied,
	AuditTrailViewed, AuditTrailVerified,
	AuditApplicationRegistered, AuditReceiptConfirmed, AuditApplicationStep, AuditNoticeDelivered,
	AuditFileDownloaded, AuditHandoverPrinted,
}

// Label returns the action in Chinese, or the stored value for an action
// this package does not know.
func (a AuditAction) Label() string {
	switch a {
	case AuditLoginSucceeded:
		return "登录成功"
	case AuditLoginFailed:
		return "登录失败"
	case AuditLoginLocked:
		return "连续登录失败，账号被锁定"
	case AuditLogout:
		return "退出登录"
	case AuditPasswordChanged:
		return "修改本人密码"
	case AuditUserCreated:
		return "新建用户"
	case AuditUserUpdated:
		return "修改用户角色或科室"
	case AuditUserDeactivated:
		return "停用用户"
	case AuditUserActivated:
		return "启用用户"
	case AuditUserPasswordReset:
		return "重置用户密码"
	case AuditUserUnlocked:
		return "解除用户锁定"
	case AuditSectionCreated:
		return "新建科室"
	case AuditSectionUpdated:
		return "修改科室"
	case AuditAgencyUpdated:
		return "修改机关信息"
	case AuditCalendarSaved:
		return "保存节假日安排"
	case AuditCalendarConfirmed:
		return "核对确认节假日安排"
	case AuditApplicationViewed:
		return "查看申请"
	case AuditPersonalDataViewed:
		return "查看申请人完整个人信息"
	case AuditAccessDenied:
		return "越权访问被拒绝"
	case AuditTrailViewed:
		return "查阅审计日志"
	case AuditTrailVerified:
		return "校验审计日志"
	case AuditApplicationRegistered:
		return "登记申请"
	case AuditReceiptConfirmed:
		return "确认收到申请"
	case AuditApplicationStep:
		return "办理申请"
	case AuditNoticeDelivered:
		return "登记文书送达"
	case AuditFileDownloaded:
		return "下载申请的文书或文件"
	case AuditHandoverPrinted:
		return "打印含查询码的接收回执"
	}
	for _, f := range auditFeatures {
		if l := f.label(a); l != "" {
			return l
		}
	}
	return string(a)
}

// auditFeatures are the audit vocabularies other features keep beside
// their rules (the trail's vocabulary is open): their actions in filter
// order and their labels.
var auditFeatures = []struct {
	actions []AuditAction
	label   func(AuditAction) string
}{
	{CatalogAuditActions, CatalogAuditLabel},
	{AnnualReportAuditActions, AnnualReportAuditLabel},
	{RegisterAuditActions, RegisterAuditLabel},
	{APITokenAuditActions, APITokenAuditLabel},
}

// AllAuditActions lists every audit action, this file's first, then each
// feature's, for the audit page's filter.
func AllAuditActions() []AuditAction {
	out := append([]AuditAction(nil), AuditActions...)
	for _, f := range auditFeatures {
		out = append(out, f.actions...)
	}
	return out
}

// Audit object types.
const (
	AuditObjectUser         = "user"
	AuditObjectSection      = "section"
	AuditObjectAgency       = "agency"
	AuditObjectCalendarYear = "calendar_year"
	AuditObjectApplication  = "application"
	AuditObjectAuditLog     = "audit_log"
	AuditObjectPage         = "page" // a route refused before any object was loaded
)

// AuditObjectLabel returns an object type in Chinese.
func AuditObjectLabel(t string) string {
	switch t {
	case AuditObjectUser:
		return "用户"
	case AuditObjectSection:
		return "科室"
	case AuditObjectAgency:
		return "机关信息"
	case AuditObjectCalendarYear:
		return "节假日安排"
	case AuditObjectApplication:
		return "申请"
	case AuditObjectAuditLog:
		return "审计日志"
	case AuditObjectPage:
		return "页面"
	case AuditObjectCatalogEntry:
		return "公开目录条目"
	case AuditObjectAnnualReport:
		return "年度报告"
	case AuditObjectAPIToken:
		return APITokenObjectLabel(t)
	}
	return t
}

// Actor is who does something: a staff user from a client address, or the
// system (a command, a daily job). The web layer puts the signed-in user's
// Actor into the request context; store methods that write audit entries
// take it from there.
type Actor struct {
	UserID   int64
	Name     string // display name and username, as the trail shows it: 张三（zhangsan）
	ClientIP string
	AgencyID int64
}

// SystemActor is the actor of commands and jobs.
var SystemActor = Actor{Name: "系统"}

type actorKey struct{}

// NewContextWithActor returns ctx carrying a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or SystemActor and false.
func ActorFromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok {
		return SystemActor, false
	}
	return a, true
}

// ActorName formats a user as the trail names them.
func ActorName(u *User) string {
	if u == nil {
		return ""
	}
	return u.DisplayName + "（" + u.Username + "）"
}

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	ID         int64
	AgencyID   int64
	OccurredAt time.Time
	ActorID    int64 // 0 for the system or an unknown user
	ActorName  string
	ClientIP   string
	Action     AuditAction
	ObjectType string
	ObjectID   string
	Before     string // JSON from AuditData, "" when nothing existed before
	After      string // JSON from AuditData, "" when nothing exists after
	PrevMAC    string // the previous row's MAC; "" for the first row
	MAC        string
}

// auditTimeLayout writes instants in the canonical text: UTC, microseconds
// (what both databases keep).
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// Canonical returns the text the entry's MAC covers: every stored field but
// the MAC, each prefixed with its length so that no two entries share a
// text. The id is included, so a row moved to another position no longer
// matches its MAC.
func (e *AuditEntry) Canonical() string {
	fields := []string{
		"gongkai-audit-v1",
		strconv.FormatInt(e.ID, 10),
		strconv.FormatInt(e.AgencyID, 10),
		e.OccurredAt.UTC().Format(auditTimeLayout),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorName,
		e.ClientIP,
		string(e.Action),
		e.ObjectType,
		e.ObjectID,
		e.Before,
		e.After,
		e.PrevMAC,
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte(';')
	}
	return b.String()
}

// SealAudit chains e to the row before it: it sets PrevMAC to prev and MAC
// to the keyed MAC of prev and e's canonical text. OccurredAt is truncated
// to microseconds first, as the databases store it.
func (k *Keyring) SealAudit(prev string, e *AuditEntry) {
	e.OccurredAt = e.OccurredAt.UTC().Truncate(time.Microsecond)
	e.PrevMAC = prev
	e.MAC = k.AuditMAC(prev, e.Canonical())
}

// checkAuditMAC reports whether mac is the audit MAC of (prev, row) under
// any key of the ring, so a log written before a key rotation still
// verifies.
func (k *Keyring) checkAuditMAC(prev, row, mac string) bool {
	want, err := hex.DecodeString(mac)
	if err != nil {
		return false
	}
	for _, ks := range k.all {
		m := hmac.New(sha256.New, ks.audit)
		m.Write([]byte(prev))
		m.Write([]byte{0})
		m.Write([]byte(row))
		if hmac.Equal(m.Sum(nil), want) {
			return true
		}
	}
	return false
}

// AuditHead is the end of the chain as the writers last left it: the id of
// the last row and a MAC over that id and the row's MAC. The empty head
// (0, "") is the start of a log with no rows.
type AuditHead struct {
	LastID int64
	MAC    string
}

func auditHeadText(lastID int64) string {
	return "gongkai-audit-head-v1;" + strconv.FormatInt(lastID, 10)
}

// AuditHeadFor returns the head after a row with id lastID and MAC lastMAC.
func (k *Keyring) AuditHeadFor(lastID int64, lastMAC string) AuditHead {
	return AuditHead{LastID: lastID, MAC: k.AuditMAC(lastMAC, auditHeadText(lastID))}
}

// AuditProblem classifies what verification found.
type AuditProblem string

// Problems, in Chinese for the command and the audit page.
const (
	AuditRowMissing   AuditProblem = "missing"   // ids skip: rows were deleted
	AuditChainBroken  AuditProblem = "chain"     // the row does not follow the one before: deleted, reordered or inserted rows
	AuditRowAltered   AuditProblem = "altered"   // the row's MAC does not match its content: edited or forged
	AuditTailMissing  AuditProblem = "truncated" // the newest rows are gone
	AuditHeadMismatch AuditProblem = "head"      // the head does not match the chain
)

// AuditBreak is the first problem found in the chain.
type AuditBreak struct {
	ID      int64 // the first row that fails; for a missing tail, the last row the head names
	Problem AuditProblem
	Message string // Chinese
}

// AuditReport is the result of verifying a whole log.
type AuditReport struct {
	Rows    int64  // rows read
	LastID  int64  // id of the last row read
	LastMAC string // its MAC: worth writing down outside the database as an anchor
	Head    AuditHead
	Break   *AuditBreak // nil when the chain is intact
}

// OK reports whether the log verified.
func (r AuditReport) OK() bool { return r.Break == nil }

// AuditVerifier checks a log row by row, in id order, against the head read
// before the rows. Rows written after the head was read (ids beyond it) are
// checked like the others; the head is checked at its own row.
type AuditVerifier struct {
	keys      *Keyring
	report    AuditReport
	prev      string
	headFound bool
}

// NewAuditVerifier starts a verification against head.
func NewAuditVerifier(k *Keyring, head AuditHead) *AuditVerifier {
	return &AuditVerifier{keys: k, report: AuditReport{Head: head}}
}

// Add checks the next row. It returns false once the chain is broken;
// later rows need not be read.
func (v *AuditVerifier) Add(e AuditEntry) bool {
	if v.report.Break != nil {
		return false
	}
	r := &v.report
	fail := func(p AuditProblem, id int64, format string, args ...any) bool {
		r.Break = &AuditBreak{ID: id, Problem: p, Message: fmt.Sprintf(format, args...)}
		return false
	}
	switch {
	case e.ID != r.LastID+1:
		return fail(AuditRowMissing, e.ID, "第%d条记录之前缺少第%d至%d条记录：记录被删除。", e.ID, r.LastID+1, e.ID-1)
	case e.PrevMAC != v.prev:
		return fail(AuditChainBroken, e.ID, "第%d条记录与上一条记录的链接不符：记录被删除、调换顺序或插入。", e.ID)
	case !v.keys.checkAuditMAC(e.PrevMAC, e.Canonical(), e.MAC):
		return fail(AuditRowAltered, e.ID, "第%d条记录的内容与其校验值不符：记录被修改或伪造。", e.ID)
	}
	if e.ID == r.Head.LastID {
		v.headFound = true
		if !v.keys.checkAuditMAC(e.MAC, auditHeadText(e.ID), r.Head.MAC) {
			return fail(AuditHeadMismatch, e.ID, "链尾标记与第%d条记录不符：链尾标记被修改。", e.ID)
		}
	}
	r.Rows++
	r.LastID, r.LastMAC = e.ID, e.MAC
	v.prev = e.MAC
	return true
}

// Finish checks the end of the log and returns the report.
func (v *AuditVerifier) Finish() AuditReport {
	r := v.report
	if r.Break != nil {
		return r
	}
	switch {
	case r.Head.LastID == 0 && r.Head.MAC != "":
		r.Break = &AuditBreak{Problem: AuditHeadMismatch, Message: "链尾标记无效：链尾标记被修改。"}
	case r.Head.LastID == 0 && r.Rows > 0:
		r.Break = &AuditBreak{ID: 1, Problem: AuditHeadMismatch, Message: "链尾标记为空，但日志中有记录：链尾标记被重置。"}
	case r.Head.LastID > 0 && !v.headFound:
		r.Break = &AuditBreak{ID: r.Head.LastID, Problem: AuditTailMissing,
			Message: fmt.Sprintf("日志只到第%d条记录，链尾标记为第%d条：最新的记录被删除。", r.LastID, r.Head.LastID)}
	}
	return r
}

// auditMaskKinds are the findings masked in audit data: identity, phone
// and account numbers and e-mail addresses (rules.md §7.3: never in logs).
var auditMaskKinds = map[FindingKind]bool{
	FindingResidentID: true, FindingMobile: true, FindingLandline: true, FindingBankCard: true, FindingEmail: true,
}

// AuditData turns a value into the JSON an audit entry stores as its before
// or after, with object keys sorted and every identity number, phone
// number, bank card number and e-mail address inside any string (or
// number) masked, so the trail never holds them in clear. nil gives "".
func AuditData(v any) string {
	if v == nil {
		return ""
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, "unencodable audit data")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return fmt.Sprintf(`{"error":%q}`, "unencodable audit data")
	}
	out, err := json.Marshal(maskTree(tree))
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, "unencodable audit data")
	}
	return string(out)
}

func maskTree(v any) any {
	switch t := v.(type) {
	case string:
		return MaskPersonalNumbers(t)
	case json.Number:
		if m := MaskPersonalNumbers(t.String()); m != t.String() {
			return m
		}
		return t
	case []any:
		for i := range t {
			t[i] = maskTree(t[i])
		}
		return t
	case map[string]any:
		for k, x := range t {
			t[k] = maskTree(x)
		}
		return t
	}
	return v
}

// MaskPersonalNumbers masks, in free text, what the confidentiality scanner
// finds of resident ID numbers, phone numbers, bank card numbers and e-mail
// addresses, keeping the rest of the text.
func MaskPersonalNumbers(s string) string {
	fs := ScanText(s)
	if len(fs) == 0 {
		return s
	}
	var b strings.Builder
	pos := 0
	for _, f := range fs {
		if !auditMaskKinds[f.Kind] {
			continue
		}
		b.WriteString(s[pos:f.Start])
		switch f.Kind {
		case FindingMobile, FindingLandline:
			b.WriteString(MaskPhone(f.Match))
		case FindingEmail:
			b.WriteString(MaskEmail(f.Match))
		default:
			b.WriteString(MaskIDNumber(f.Match))
		}
		pos = f.End
	}
	b.WriteString(s[pos:])
	return b.String()
}
