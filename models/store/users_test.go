package store_test

import (
	"context"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

const testPassword = "Gongkai-2026x"

func mustUser(t *testing.T, s *store.Store, username string, roles []models.Role, sections []int64, mustChange bool) *models.User {
	t.Helper()
	u := &models.User{AgencyID: storetest.DefaultAgency(t, s).ID, Username: username, DisplayName: "用户" + username,
		Roles: roles, SectionIDs: sections, MustChangePassword: mustChange}
	if err := s.CreateUser(context.Background(), u, testPassword); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

var policy = store.LoginPolicy{MaxFailures: 3, Lockout: 15 * time.Minute}

func auditActions(t *testing.T, s *store.Store) []models.AuditAction {
	t.Helper()
	entries, _, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: 1, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditAction
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func TestAuthenticateAndLockout(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := models.NewContextWithActor(context.Background(), models.Actor{ClientIP: "192.0.2.1", AgencyID: 1})
		u := mustUser(t, s, "zhangsan", []models.Role{models.RoleOfficeClerk}, nil, false)
		if res, err := s.Authenticate(ctx, "ZhangSan ", testPassword, policy); err != nil || res.User.ID != u.ID || res.Outcome != store.LoginOK {
			t.Fatalf("good login: %+v %v", res, err)
		}
		if res, err := s.Authenticate(ctx, "nobody", testPassword, policy); !models.IsBadCredentials(err) || res.Outcome != store.LoginUnknownUser {
			t.Errorf("unknown user: %+v %v", res, err)
		}
		// Two failures, then a success clears the count.
		for i := 0; i < 2; i++ {
			if _, err := s.Authenticate(ctx, "zhangsan", "wrong-password-1", policy); !models.IsBadCredentials(err) {
				t.Fatalf("bad password: %v", err)
			}
		}
		if _, err := s.Authenticate(ctx, "zhangsan", testPassword, policy); err != nil {
			t.Fatalf("login after 2 failures: %v", err)
		}
		// Three failures in a row lock the account, also against the right
		// password, and a second process on the database sees it.
		var last *store.LoginResult
		for i := 0; i < 3; i++ {
			last, _ = s.Authenticate(ctx, "zhangsan", "wrong-password-1", policy)
		}
		if !last.LockedNow {
			t.Fatal("third failure did not lock")
		}
		other := reopen(t, s, s.Keys())
		if res, err := other.Authenticate(ctx, "zhangsan", testPassword, policy); !models.IsBadCredentials(err) || res.Outcome != store.LoginLocked {
			t.Errorf("locked account: %+v %v", res, err)
		}
		clock.Advance(15*time.Minute - time.Second)
		if _, err := s.Authenticate(ctx, "zhangsan", testPassword, policy); !models.IsBadCredentials(err) {
			t.Error("lock ended early")
		}
		clock.Advance(2 * time.Second)
		if _, err := s.Authenticate(ctx, "zhangsan", testPassword, policy); err != nil {
			t.Errorf("after the lockout: %v", err)
		}
		// After a lockout has run out, failures count from zero.
		s.Authenticate(ctx, "zhangsan", "wrong-password-1", policy)
		stored, _ := s.User(context.Background(), u.ID)
		if stored.FailedLogins != 1 || !stored.LockedUntil.IsZero() {
			t.Errorf("after a failure: failed %d, locked %v", stored.FailedLogins, stored.LockedUntil)
		}
		// A deactivated account is refused like a wrong password.
		if err := s.SetUserActive(context.Background(), u.AgencyID, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if res, err := s.Authenticate(ctx, "zhangsan", testPassword, policy); !models.IsBadCredentials(err) || res.Outcome != store.LoginInactive {
			t.Errorf("deactivated: %+v %v", res, err)
		}
		want := map[models.AuditAction]int{models.AuditLoginSucceeded: 3, models.AuditLoginFailed: 9, models.AuditLoginLocked: 1}
		got := map[models.AuditAction]int{}
		for _, a := range auditActions(t, s) {
			got[a]++
		}
		for a, n := range want {
			if got[a] != n {
				t.Errorf("%s recorded %d times, want %d", a, got[a], n)
			}
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		u := mustUser(t, s, "lisi", []models.Role{models.RoleAuditor}, nil, false)
		p := store.SessionPolicy{Idle: 30 * time.Minute, MaxAge: 2 * time.Hour}
		token, sess, err := s.CreateSession(ctx, u.ID, p)
		if err != nil || len(token) < 40 || sess.ID != store.HashSessionToken(token) {
			t.Fatalf("create = %q %+v %v", token, sess, err)
		}
		var stored int
		s.DB().QueryRow(`SELECT COUNT(*) FROM sessions WHERE id = ?`, token).Scan(&stored)
		if stored != 0 {
			t.Error("the token is stored in clear")
		}
		// Idle: each request within the idle time keeps it alive.
		for i := 0; i < 3; i++ {
			clock.Advance(29 * time.Minute)
			if _, got, err := s.SessionUser(ctx, token, p); err != nil || got.ID != u.ID {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		// Absolute: 2 hours after login it ends, however active.
		clock.Advance(29 * time.Minute) // 116 minutes
		if _, _, err := s.SessionUser(ctx, token, p); err != nil {
			t.Fatalf("at 116 minutes: %v", err)
		}
		clock.Advance(4 * time.Minute)
		if _, _, err := s.SessionUser(ctx, token, p); err != store.ErrSessionExpired {
			t.Errorf("at 120 minutes: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, token, p); err != store.ErrNoSession {
			t.Errorf("an ended session is not deleted: %v", err)
		}
		// Idle timeout.
		token, _, _ = s.CreateSession(ctx, u.ID, p)
		clock.Advance(30 * time.Minute)
		if _, _, err := s.SessionUser(ctx, token, p); err != store.ErrSessionIdle {
			t.Errorf("idle: %v", err)
		}
		// Deactivation ends sessions at once.
		token, _, _ = s.CreateSession(ctx, u.ID, p)
		if err := s.SetUserActive(ctx, u.AgencyID, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, token, p); err != store.ErrNoSession {
			t.Errorf("session of a deactivated user: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, "", p); err != store.ErrNoSession {
			t.Errorf("no token: %v", err)
		}
	})
}

func TestChangeAndResetPassword(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		u := mustUser(t, s, "wangwu", []models.Role{models.RoleReviewer}, nil, true)
		p := store.SessionPolicy{Idle: time.Hour, MaxAge: 8 * time.Hour}
		token, _, _ := s.CreateSession(ctx, u.ID, p)
		for _, tc := range []struct{ current, next, field string }{
			{"wrong", "Another-2026x", "current_password"},
			{testPassword, testPassword, "new_password"},
			{testPassword, "short1", "new_password"},
			{testPassword, "wangwu-2026x", "new_password"},
		} {
			if err := s.ChangePassword(ctx, u.ID, tc.current, tc.next); models.FieldErrors(err)[tc.field] == "" {
				t.Errorf("change %q → %q: %v, want a message on %s", tc.current, tc.next, err, tc.field)
			}
		}
		if err := s.ChangePassword(ctx, u.ID, testPassword, "Another-2026x"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.User(ctx, u.ID)
		if got.MustChangePassword || !models.CheckPassword(got.PasswordHash, "Another-2026x") {
			t.Error("password not changed")
		}
		if _, _, err := s.SessionUser(ctx, token, p); err != store.ErrNoSession {
			t.Errorf("old session survives a password change: %v", err)
		}
		password, err := s.ResetPassword(ctx, u.AgencyID, u.ID)
		if err != nil || models.ValidatePassword("", password) != nil {
			t.Fatalf("reset = %q, %v", password, err)
		}
		got, _ = s.User(ctx, u.ID)
		if !got.MustChangePassword || !models.CheckPassword(got.PasswordHash, password) {
			t.Error("reset password not stored or not forced to change")
		}
		for _, e := range mustEntries(t, s) {
			if e.Action == models.AuditUserPasswordReset && (contains(e.After, password) || contains(e.After, got.PasswordHash)) {
				t.Error("the audit trail holds the password")
			}
		}
	})
}

func mustEntries(t *testing.T, s *store.Store) []models.AuditEntry {
	t.Helper()
	e, _, err := s.AuditEntries(context.Background(), store.AuditFilter{AgencyID: 1, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func contains(s, sub string) bool {
	return sub != "" && len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestUserAdministration(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := models.NewContextWithActor(context.Background(), models.Actor{UserID: 1, Name: "系统管理员（admin）", AgencyID: 1})
		agency := storetest.DefaultAgency(t, s)
		sections, _ := s.Sections(ctx, agency.ID)
		u := mustUser(t, s, "zhaoliu", []models.Role{models.RoleSectionHandler}, []int64{sections[1].ID}, true)

		u.DisplayName = "赵六"
		u.Roles = []models.Role{models.RoleSectionHead, models.RoleSectionHandler}
		u.SectionIDs = []int64{sections[2].ID, sections[1].ID}
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, _ := s.AgencyUser(ctx, agency.ID, u.ID)
		if got.DisplayName != "赵六" || len(got.Roles) != 2 || len(got.SectionIDs) != 2 {
			t.Errorf("updated user = %+v", got)
		}
		// A section of another agency, or none for a section role, is refused.
		bad := *got
		bad.SectionIDs = []int64{99999}
		if err := s.UpdateUser(ctx, &bad); models.FieldErrors(err)["sections"] == "" {
			t.Errorf("foreign section: %v", err)
		}
		bad.SectionIDs = nil
		if err := s.UpdateUser(ctx, &bad); models.FieldErrors(err)["sections"] == "" {
			t.Errorf("no section: %v", err)
		}
		// The last active administrator can neither lose the role nor be deactivated.
		admin, _ := s.UserByUsername(ctx, "admin")
		admin.Roles = []models.Role{models.RoleAuditor}
		if err := s.UpdateUser(ctx, admin); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("removing the last admin role: %v", err)
		}
		if err := s.SetUserActive(ctx, agency.ID, admin.ID, false); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("deactivating the last admin: %v", err)
		}
		// Another agency's administrator does not reach this agency's users.
		if _, err := s.AgencyUser(ctx, agency.ID+1, u.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("cross-agency lookup: %v", err)
		}
		users, err := s.Users(ctx, agency.ID)
		if err != nil || len(users) != 2 || users[1].Username != "zhaoliu" || len(users[1].Roles) != 2 {
			t.Errorf("users = %v, %v", users, err)
		}
		// Every change is in the trail with the actor from the context.
		entries := mustEntries(t, s)
		var updated *models.AuditEntry
		for i := range entries {
			if entries[i].Action == models.AuditUserUpdated {
				updated = &entries[i]
				break
			}
		}
		if updated == nil || updated.ActorID != 1 || !contains(updated.Before, `"display_name":"用户zhaoliu"`) ||
			!contains(updated.After, `"display_name":"赵六"`) {
			t.Errorf("user.updated entry = %+v", updated)
		}
		if r, _ := s.VerifyAudit(ctx); !r.OK() {
			t.Errorf("trail broken: %+v", r.Break)
		}
	})
}

func TestSectionsAndAgencyAreAudited(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s)
		sec := &models.Section{AgencyID: agency.ID, Name: " 信息中心 ", Keywords: []string{"网站", " 网站", "", "政务公开"}, Active: true, SortOrder: 20}
		if err := s.CreateSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		if sec.Name != "信息中心" || len(sec.Keywords) != 2 {
			t.Errorf("section not normalised: %+v", sec)
		}
		sec.Active = false
		sec.Keywords = append(sec.Keywords, "数据")
		if err := s.UpdateSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Section(ctx, agency.ID, sec.ID)
		if got.Active || len(got.Keywords) != 3 {
			t.Errorf("section = %+v", got)
		}
		dup := &models.Section{AgencyID: agency.ID, Name: "办公室"}
		if err := s.CreateSection(ctx, dup); models.FieldErrors(err)["name"] == "" {
			t.Errorf("duplicate name: %v", err)
		}

		if unverified, _ := s.ProfileUnverified(ctx, agency.ID); !unverified {
			t.Error("seeded profile not marked unverified")
		}
		agency.Phone = "024-72345678"
		if err := s.UpdateAgency(ctx, agency); err != nil {
			t.Fatal(err)
		}
		if unverified, _ := s.ProfileUnverified(ctx, agency.ID); unverified {
			t.Error("saving the profile did not clear the marker")
		}
		var entry *models.AuditEntry
		for _, e := range mustEntries(t, s) {
			if e.Action == models.AuditAgencyUpdated {
				entry = &e
				break
			}
		}
		if entry == nil || !contains(entry.Before, "待核对") || contains(entry.After, "72345678") || !contains(entry.After, "024-****5678") {
			t.Errorf("agency entry = %+v", entry)
		}
	})
}
