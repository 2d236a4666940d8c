package store_test

import (
	"context"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestAccountActionsRevokeTokens: deactivating an account or an
// administrator's password reset revokes the user's API tokens for good
// (re-activating does not bring them back); the user's own password change
// keeps them.
func TestAccountActionsRevokeTokens(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		ctx := context.Background()
		agency := storetest.DefaultAgency(t, s).ID
		usable := func(u *models.User) bool {
			t.Helper()
			tokens, err := s.APITokens(ctx, u.ID)
			if err != nil || len(tokens) != 1 {
				t.Fatalf("tokens of %s: %v %v", u.Username, tokens, err)
			}
			return tokens[0].Usable(clock.Now())
		}
		newToken := func(u *models.User) {
			t.Helper()
			if _, _, err := s.CreateAPIToken(ctx, u, "对接", time.Time{}); err != nil {
				t.Fatal(err)
			}
		}

		a := mustUser(t, s, "tokdisable", []models.Role{models.RoleOfficeClerk}, nil, false)
		newToken(a)
		if err := s.SetUserActive(ctx, agency, a.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserActive(ctx, agency, a.ID, true); err != nil {
			t.Fatal(err)
		}
		if usable(a) {
			t.Error("a token outlived its account's deactivation")
		}

		b := mustUser(t, s, "tokreset", []models.Role{models.RoleOfficeClerk}, nil, false)
		newToken(b)
		if _, err := s.ResetPassword(ctx, agency, b.ID); err != nil {
			t.Fatal(err)
		}
		if usable(b) {
			t.Error("a token outlived an administrator's password reset")
		}

		c := mustUser(t, s, "tokchange", []models.Role{models.RoleOfficeClerk}, nil, false)
		newToken(c)
		if err := s.ChangePassword(ctx, c.ID, testPassword, "Gongkai-2027y"); err != nil {
			t.Fatal(err)
		}
		if !usable(c) {
			t.Error("the user's own password change revoked a token")
		}
	})
}
