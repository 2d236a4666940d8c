package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai/models"
)

// Staff accounts. Every change an administrator makes is written to the
// audit trail in the same transaction (auditTx), with the account before
// and after; passwords and their hashes never appear there.

// userAudit is what the trail records of an account.
func userAudit(u *models.User) map[string]any {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	return map[string]any{
		"username": u.Username, "display_name": u.DisplayName, "roles": roles,
		"section_ids": u.SectionIDs, "active": u.Active, "must_change_password": u.MustChangePassword,
	}
}

// normaliseAccount sorts and de-duplicates roles and sections, so the
// stored rows and the audit entries do not depend on form order.
func normaliseAccount(u *models.User) {
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	slices.Sort(u.Roles)
	u.Roles = slices.Compact(u.Roles)
	slices.Sort(u.SectionIDs)
	u.SectionIDs = slices.Compact(u.SectionIDs)
}

// CreateUser stores a staff user with a bcrypt hash of password, and the
// user's roles and sections, and records it in the audit trail (actor from
// the context; the system for commands).
func (s *Store) CreateUser(ctx context.Context, u *models.User, password string) error {
	normaliseAccount(u)
	if err := models.ValidateUsername(u.Username); err != nil {
		return err
	}
	if err := models.ValidateStaffAccount(u.DisplayName, u.Roles, u.SectionIDs); err != nil {
		return err
	}
	if err := models.ValidatePassword(u.Username, password); err != nil {
		return err
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := checkSections(ctx, tx, u.AgencyID, u.SectionIDs); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (agency_id, username, display_name, password_hash, active,
			must_change_password, failed_logins, password_changed_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			u.AgencyID, u.Username, u.DisplayName, hash, true, u.MustChangePassword, now, now, now)
		if isUniqueViolation(err) {
			return models.Invalid(models.FieldError{Field: "username", Message: "该用户名已被使用。"})
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := insertUserRoles(ctx, tx, u); err != nil {
			return err
		}
		u.PasswordHash, u.Active, u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = hash, true, now, now, now
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditUserCreated,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(u.ID), After: models.AuditData(userAudit(u))})
	})
}

// checkSections refuses sections that are not the agency's.
func checkSections(ctx context.Context, tx *sql.Tx, agencyID int64, ids []int64) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sections WHERE agency_id = ? AND id = ?`, agencyID, id).Scan(&n); err != nil {
			return fmt.Errorf("check section %d: %w", id, err)
		}
		if n == 0 {
			return models.Invalid(models.FieldError{Field: "sections", Message: "所选科室不存在。"})
		}
	}
	return nil
}

func insertUserRoles(ctx context.Context, tx *sql.Tx, u *models.User) error {
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("add role %s: %w", r, err)
		}
	}
	for _, sid := range u.SectionIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_sections (user_id, section_id) VALUES (?, ?)`, u.ID, sid); err != nil {
			return fmt.Errorf("add section %d: %w", sid, err)
		}
	}
	return nil
}

const userColumns = `id, agency_id, username, display_name, password_hash, active, must_change_password,
	failed_logins, locked_until, last_login_at, password_changed_at, created_at, updated_at`

func scanUserRow(row interface{ Scan(...any) error }) (*models.User, error) {
	var u models.User
	err := row.Scan(&u.ID, &u.AgencyID, &u.Username, &u.DisplayName, &u.PasswordHash, &u.Active,
		&u.MustChangePassword, &u.FailedLogins, scanTime{&u.LockedUntil}, scanTime{&u.LastLoginAt},
		scanTime{&u.PasswordChangedAt}, scanTime{&u.CreatedAt}, scanTime{&u.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	return &u, nil
}

func (s *Store) scanUser(ctx context.Context, q queryer, row *sql.Row) (*models.User, error) {
	u, err := scanUserRow(row)
	if err != nil {
		return nil, err
	}
	if err := s.loadUserRoles(ctx, q, u); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) loadUserRoles(ctx context.Context, q queryer, u *models.User) error {
	rows, err := q.QueryContext(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, u.ID)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	u.Roles = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return err
		}
		u.Roles = append(u.Roles, models.Role(r))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	srows, err := q.QueryContext(ctx, `SELECT section_id FROM user_sections WHERE user_id = ? ORDER BY section_id`, u.ID)
	if err != nil {
		return fmt.Errorf("load sections: %w", err)
	}
	defer srows.Close()
	u.SectionIDs = nil
	for srows.Next() {
		var id int64
		if err := srows.Scan(&id); err != nil {
			return err
		}
		u.SectionIDs = append(u.SectionIDs, id)
	}
	return srows.Err()
}

// User returns the user with the given id.
func (s *Store) User(ctx context.Context, id int64) (*models.User, error) {
	return s.scanUser(ctx, s.db, s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// AgencyUser returns a user of an agency: an administrator reaches only
// the accounts of the agency.
func (s *Store) AgencyUser(ctx context.Context, agencyID, id int64) (*models.User, error) {
	return s.scanUser(ctx, s.db, s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE agency_id = ? AND id = ?`, agencyID, id))
}

// UserByUsername returns the user with the given login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (*models.User, error) {
	return s.scanUser(ctx, s.db, s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
}

// Users lists an agency's staff accounts by username, with their roles and
// sections.
func (s *Store) Users(ctx context.Context, agencyID int64) ([]*models.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE agency_id = ? ORDER BY username`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var out []*models.User
	byID := map[int64]*models.User{}
	for rows.Next() {
		u, err := scanUserRow(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rrows, err := s.db.QueryContext(ctx, `SELECT r.user_id, r.role FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE u.agency_id = ? ORDER BY r.user_id, r.role`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list user roles: %w", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var id int64
		var r string
		if err := rrows.Scan(&id, &r); err != nil {
			return nil, err
		}
		if u := byID[id]; u != nil {
			u.Roles = append(u.Roles, models.Role(r))
		}
	}
	if err := rrows.Err(); err != nil {
		return nil, err
	}
	srows, err := s.db.QueryContext(ctx, `SELECT us.user_id, us.section_id FROM user_sections us JOIN users u ON u.id = us.user_id
		WHERE u.agency_id = ? ORDER BY us.user_id, us.section_id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("list user sections: %w", err)
	}
	defer srows.Close()
	for srows.Next() {
		var id, sid int64
		if err := srows.Scan(&id, &sid); err != nil {
			return nil, err
		}
		if u := byID[id]; u != nil {
			u.SectionIDs = append(u.SectionIDs, sid)
		}
	}
	return out, srows.Err()
}

// CountUsers returns how many staff users an agency has.
func (s *Store) CountUsers(ctx context.Context, agencyID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE agency_id = ?`, agencyID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// lockUser reads a user of an agency inside tx, locking the row on MySQL.
func (s *Store) lockUser(ctx context.Context, tx *sql.Tx, agencyID, id int64) (*models.User, error) {
	return s.scanUser(ctx, tx, tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE agency_id = ? AND id = ?`+s.forUpdate(), agencyID, id))
}

// keepAnAdmin refuses a change that would leave an agency without an
// active administrator: nobody could then manage accounts or the calendar.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, agencyID int64) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.agency_id = ? AND u.active = ? AND r.role = ?`, agencyID, true, string(models.RoleAdmin)).Scan(&n)
	if err != nil {
		return fmt.Errorf("count administrators: %w", err)
	}
	if n == 0 {
		return models.Errorf(models.ECONFLICT, "每个机关至少须保留一名在用的系统管理员，本次修改未保存。")
	}
	return nil
}

// UpdateUser saves an account's name, roles and sections (not its
// username, password or status, which have their own methods).
func (s *Store) UpdateUser(ctx context.Context, u *models.User) error {
	normaliseAccount(u)
	if err := models.ValidateStaffAccount(u.DisplayName, u.Roles, u.SectionIDs); err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.lockUser(ctx, tx, u.AgencyID, u.ID)
		if err != nil {
			return err
		}
		if err := checkSections(ctx, tx, u.AgencyID, u.SectionIDs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?`, u.DisplayName, now, u.ID); err != nil {
			return fmt.Errorf("update user %d: %w", u.ID, err)
		}
		for _, q := range []string{`DELETE FROM user_roles WHERE user_id = ?`, `DELETE FROM user_sections WHERE user_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, u.ID); err != nil {
				return fmt.Errorf("update user %d: %w", u.ID, err)
			}
		}
		if err := insertUserRoles(ctx, tx, u); err != nil {
			return err
		}
		if err := keepAnAdmin(ctx, tx, u.AgencyID); err != nil {
			return err
		}
		next := *old
		next.DisplayName, next.Roles, next.SectionIDs = u.DisplayName, u.Roles, u.SectionIDs
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditUserUpdated,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(u.ID),
			Before: models.AuditData(userAudit(old)), After: models.AuditData(userAudit(&next))})
	})
}

// SetUserActive deactivates or reactivates an account. Deactivating ends
// the user's sessions at once; an account is deactivated, never deleted,
// so the audit trail and the ledger keep naming a real account.
func (s *Store) SetUserActive(ctx context.Context, agencyID, id int64, active bool) error {
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.lockUser(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if old.Active == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET active = ?, updated_at = ? WHERE id = ?`, active, now, id); err != nil {
			return fmt.Errorf("set user %d active: %w", id, err)
		}
		action := models.AuditUserActivated
		if !active {
			action = models.AuditUserDeactivated
			if err := deleteUserSessionsTx(ctx, tx, id); err != nil {
				return err
			}
			if err := revokeUserTokensTx(ctx, tx, id, now); err != nil {
				return err
			}
			if err := keepAnAdmin(ctx, tx, agencyID); err != nil {
				return err
			}
		}
		next := *old
		next.Active = active
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: action,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(id),
			Before: models.AuditData(userAudit(old)), After: models.AuditData(userAudit(&next))})
	})
}

// ResetPassword gives an account a new random password that must be
// changed at the next login, lifts any lockout and ends the user's
// sessions. It returns the password, to show once to the administrator.
func (s *Store) ResetPassword(ctx context.Context, agencyID, id int64) (string, error) {
	password := models.NewPassword(12)
	hash, err := models.HashPassword(password)
	if err != nil {
		return "", err
	}
	now := s.nowUTC()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.lockUser(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?,
			failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, hash, true, now, now, id); err != nil {
			return fmt.Errorf("reset password of user %d: %w", id, err)
		}
		if err := deleteUserSessionsTx(ctx, tx, id); err != nil {
			return err
		}
		if err := revokeUserTokensTx(ctx, tx, id, now); err != nil {
			return err
		}
		next := *old
		next.MustChangePassword = true
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditUserPasswordReset,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(id),
			Before: models.AuditData(userAudit(old)), After: models.AuditData(userAudit(&next))})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// UnlockUser lifts a lockout after repeated login failures.
func (s *Store) UnlockUser(ctx context.Context, agencyID, id int64) error {
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		old, err := s.lockUser(ctx, tx, agencyID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, now, id); err != nil {
			return fmt.Errorf("unlock user %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: agencyID, Action: models.AuditUserUnlocked,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(id),
			Before: models.AuditData(map[string]any{"failed_logins": old.FailedLogins, "locked_until": old.LockedUntil}),
			After:  models.AuditData(map[string]any{"failed_logins": 0})})
	})
}

// ChangePassword is a user changing their own password: the current one
// must be right and the new one must differ from it and pass
// ValidatePassword. It clears the forced-change flag and ends every
// session of the user; the caller starts a new one.
func (s *Store) ChangePassword(ctx context.Context, userID int64, current, next string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if !models.CheckPassword(u.PasswordHash, current) {
		return models.Invalid(models.FieldError{Field: "current_password", Message: "当前密码不正确。"})
	}
	if err := models.ValidatePassword(u.Username, next); err != nil {
		return models.Invalid(models.FieldError{Field: "new_password", Message: models.FieldErrors(err)["password"]})
	}
	if next == current {
		return models.Invalid(models.FieldError{Field: "new_password", Message: "新密码不能与当前密码相同。"})
	}
	hash, err := models.HashPassword(next)
	if err != nil {
		return err
	}
	now := s.nowUTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?,
			updated_at = ? WHERE id = ? AND password_hash = ?`, hash, false, now, now, userID, u.PasswordHash)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return models.Errorf(models.ECONFLICT, "密码刚刚被修改，请重新登录后再试。")
		}
		if err := deleteUserSessionsTx(ctx, tx, userID); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditPasswordChanged,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(userID),
			Before: models.AuditData(map[string]any{"must_change_password": u.MustChangePassword}),
			After:  models.AuditData(map[string]any{"must_change_password": false})})
	})
}

// SetPassword replaces a user's password and clears the forced-change flag
// when the user chose it (mustChange false), or sets it for a reset. It is
// for commands; the web pages use ChangePassword and ResetPassword.
func (s *Store) SetPassword(ctx context.Context, userID int64, username, password string, mustChange bool) error {
	if err := models.ValidatePassword(username, password); err != nil {
		return err
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.nowUTC()
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?,
		password_changed_at = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`,
		hash, mustChange, now, now, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return models.Errorf(models.ENOTFOUND, "未找到该用户。")
	}
	return nil
}

// LoginPolicy is the lockout rule: after MaxFailures wrong passwords in a
// row the account is locked for Lockout. The state lives in the users row,
// so every portal process sees the same count.
type LoginPolicy struct {
	MaxFailures int
	Lockout     time.Duration
}

// Login outcomes, as the audit trail records them.
const (
	LoginOK          = "ok"
	LoginUnknownUser = "unknown_user"
	LoginBadPassword = "bad_password"
	LoginLocked      = "locked" // the account was already locked
	LoginInactive    = "inactive"
)

// LoginResult says how a login attempt ended. Callers show the same
// message for every failure (models.ErrBadCredentials), so the page never
// tells whether a username exists.
type LoginResult struct {
	User      *models.User // the account the username names; nil when none
	Outcome   string       // LoginOK, LoginUnknownUser, …
	LockedNow bool         // this failure locked the account
	// PreviousLogin is when the account last logged in before this login
	// (zero for the first), so the user can spot a login that was not theirs.
	PreviousLogin time.Time
}

// dummyHash is checked against for unknown usernames so that they take as
// long as known ones and timing does not reveal which usernames exist.
var dummyHash = sync.OnceValue(func() string {
	h, err := models.HashPassword(models.NewToken(16))
	if err != nil {
		panic(err)
	}
	return h
})

// Authenticate checks a username and password under the lockout policy and
// records the attempt in the audit trail (client address and agency from
// the context's actor). A wrong password counts towards the lockout; the
// failure that reaches MaxFailures locks the account for Lockout. A locked
// or deactivated account is refused like a wrong password, after the same
// bcrypt work. On success the count is cleared and the login time kept.
func (s *Store) Authenticate(ctx context.Context, username, password string, p LoginPolicy) (*LoginResult, error) {
	ctxActor, _ := models.ActorFromContext(ctx)
	u, err := s.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if models.ErrorCode(err) == models.ENOTFOUND {
		models.CheckPassword(dummyHash(), password)
		// The typed name is not recorded: people type passwords into the
		// username field.
		err := s.RecordAudit(ctx, models.AuditEntry{AgencyID: ctxActor.AgencyID, ActorName: "（未知用户）",
			ClientIP: ctxActor.ClientIP, Action: models.AuditLoginFailed, ObjectType: models.AuditObjectUser,
			After: models.AuditData(map[string]any{"reason": LoginUnknownUser})})
		if err != nil {
			return nil, err
		}
		return &LoginResult{Outcome: LoginUnknownUser}, models.ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok := models.CheckPassword(u.PasswordHash, password)
	res := &LoginResult{User: u}
	now := s.nowUTC()
	entry := models.AuditEntry{AgencyID: u.AgencyID, ActorID: u.ID, ActorName: models.ActorName(u),
		ClientIP: ctxActor.ClientIP, ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(u.ID)}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var failed int
		var locked time.Time
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT failed_logins, locked_until, active FROM users WHERE id = ?`+s.forUpdate(), u.ID).
			Scan(&failed, scanTime{&locked}, &active); err != nil {
			return fmt.Errorf("login: %w", err)
		}
		e := entry
		switch {
		case !active:
			res.Outcome = LoginInactive
		case !locked.IsZero() && now.Before(locked):
			res.Outcome = LoginLocked
		case !ok:
			res.Outcome = LoginBadPassword
			if !locked.IsZero() { // an earlier lockout has run out: count afresh
				failed = 0
			}
			failed++
			var until any
			if failed >= p.MaxFailures {
				until, failed, res.LockedNow = now.Add(p.Lockout), 0, true
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, until, u.ID); err != nil {
				return fmt.Errorf("login: count failure: %w", err)
			}
			e.After = models.AuditData(map[string]any{"reason": LoginBadPassword, "failed_logins": failed})
			if res.LockedNow {
				e.After = models.AuditData(map[string]any{"reason": LoginBadPassword, "locked_until": until})
			}
		default:
			res.Outcome = LoginOK
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`, now, u.ID); err != nil {
				return fmt.Errorf("login: %w", err)
			}
			res.PreviousLogin = u.LastLoginAt
			u.FailedLogins, u.LockedUntil, u.LastLoginAt = 0, time.Time{}, now
		}
		switch {
		case res.Outcome == LoginOK:
			e.Action = models.AuditLoginSucceeded
		case res.LockedNow:
			e.Action = models.AuditLoginLocked
		default:
			e.Action = models.AuditLoginFailed
			if e.After == "" {
				e.After = models.AuditData(map[string]any{"reason": res.Outcome})
			}
		}
		return s.auditTx(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	if res.Outcome != LoginOK {
		return res, models.ErrBadCredentials
	}
	return res, nil
}

// RecordLogout writes the logout of a session's user to the audit trail
// and ends the session in the same transaction.
func (s *Store) RecordLogout(ctx context.Context, token string, u *models.User) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, HashSessionToken(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return s.auditTx(ctx, tx, &models.AuditEntry{AgencyID: u.AgencyID, Action: models.AuditLogout,
			ObjectType: models.AuditObjectUser, ObjectID: fmt.Sprint(u.ID)})
	})
}

// revokeUserTokensTx revokes every API token of a user inside tx: when an
// administrator deactivates the account or resets its password (a suspected
// compromise), tokens end with the sessions, and re-activating the account
// does not bring them back; the user creates new ones. A user's own
// password change keeps them (they serve other systems).
func revokeUserTokensTx(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
		now, userID); err != nil {
		return fmt.Errorf("revoke API tokens of user %d: %w", userID, err)
	}
	return nil
}
