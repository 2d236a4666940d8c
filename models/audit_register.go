package models

// Audit actions of the search, the case register and the staff's
// notification addresses (issue 8).
const (
	// AuditRegisterExported records an export of the case register (台账):
	// the search that selected it, how many rows and whether the
	// applicants' names were unmasked (个人信息保护法第五十一条).
	AuditRegisterExported AuditAction = "register.exported"
	// AuditUserEmailChanged records a change of a staff account's
	// notification address, by an administrator or the user; the trail
	// keeps it masked.
	AuditUserEmailChanged AuditAction = "user.email_changed"
)

// RegisterAuditActions lists the actions of this file in the order an
// audit filter offers them.
var RegisterAuditActions = []AuditAction{AuditRegisterExported, AuditUserEmailChanged}

// RegisterAuditLabel returns an action of this file in Chinese, or "" for
// another action.
func RegisterAuditLabel(a AuditAction) string {
	switch a {
	case AuditRegisterExported:
		return "导出申请台账"
	case AuditUserEmailChanged:
		return "修改工作人员通知邮箱"
	}
	return ""
}
