package models

// Audit actions and the object type of staff API tokens (issue 11). A
// token acts with its user's roles, so creating one is as sensitive as a
// password change: both its creation and its revocation are recorded, in
// the same transaction as the write. What a token does is recorded like
// the same action on a page, with the actor named as acting through the
// token (APIActorName).
const (
	AuditAPITokenCreated AuditAction = "api_token.created"
	AuditAPITokenRevoked AuditAction = "api_token.revoked"

	AuditObjectAPIToken = "api_token" // object id: the token's id
)

// APITokenAuditActions lists the actions of this file in the order an
// audit filter offers them.
var APITokenAuditActions = []AuditAction{AuditAPITokenCreated, AuditAPITokenRevoked}

// APITokenAuditLabel returns an action of this file in Chinese, or "" for
// another action.
func APITokenAuditLabel(a AuditAction) string {
	switch a {
	case AuditAPITokenCreated:
		return "创建API令牌"
	case AuditAPITokenRevoked:
		return "吊销API令牌"
	}
	return ""
}

// APITokenObjectLabel returns the object type of this file in Chinese, or
// "" for another type.
func APITokenObjectLabel(t string) string {
	if t == AuditObjectAPIToken {
		return "API令牌"
	}
	return ""
}
