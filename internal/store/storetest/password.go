package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testChangePassword: the new hash and re-sealed key are saved together
// with the end of every other session of the account, and nothing of
// another account; the audit entry says "password" and holds no secret.
func testChangePassword(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	u := &model.User{Username: "pw-user", Role: model.RoleProtection, Lang: "en"}
	other := &model.User{Username: "pw-other", Role: model.RoleAnalyst, Lang: "en"}
	for _, x := range []*model.User{u, other} {
		if err := keys.NewUserKey(x, "old password 12"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, "admin", x); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	for tok, id := range map[string]string{"keep": u.ID, "end1": u.ID, "end2": u.ID, "others": other.ID} {
		if err := s.CreateSession(ctx, &model.Session{TokenHash: tok, UserID: id, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := keys.ChangePassword(u, "old password 12", "new password 34"); err != nil {
		t.Fatal(err)
	}
	n, err := s.ChangePassword(ctx, u.Username, u, "keep")
	if err != nil || n != 2 {
		t.Fatalf("ChangePassword = %d, %v; want 2 sessions ended", n, err)
	}
	for tok, want := range map[string]bool{"keep": true, "end1": false, "end2": false, "others": true} {
		_, err := s.GetSession(ctx, tok)
		if got := err == nil; got != want {
			t.Errorf("session %s kept = %v, want %v (%v)", tok, got, want, err)
		}
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Unseal(got, "old password 12"); !errors.Is(err, keys.ErrWrongPassword) {
		t.Errorf("the old password still opens the stored key: %v", err)
	}
	if priv, err := keys.Unseal(got, "new password 34"); err != nil {
		t.Errorf("the new password does not open the stored key: %v", err)
	} else {
		clear(priv)
	}
	var last audit.Entry
	s.AuditEntries(ctx, func(e audit.Entry) error { last = e; return nil })
	if last.Action != "password" || last.RecordID != u.ID || last.Actor != u.Username {
		t.Errorf("last audit entry = %+v, want action password on the account", last)
	}
	// A stale copy of the account changes nothing, sessions included.
	stale := *u
	stale.Version--
	if _, err := s.ChangePassword(ctx, u.Username, &stale, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale ChangePassword: %v, want a conflict", err)
	}
	if _, err := s.GetSession(ctx, "keep"); err != nil {
		t.Errorf("a refused change ended the session: %v", err)
	}
}

// testUpdateUserEndSessions: a change that must end an account's sessions
// (a disable, a reset) is saved with the end of every one of them, and
// nothing of another account's, in one transaction: a stale copy changes
// neither the account nor its sessions. The audit entry names the action.
func testUpdateUserEndSessions(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := &model.User{Username: "end-user", Role: model.RoleAnalyst, Lang: "en", PasswordHash: "x"}
	other := &model.User{Username: "end-other", Role: model.RoleAnalyst, Lang: "en", PasswordHash: "x"}
	for _, x := range []*model.User{u, other} {
		if err := s.CreateUser(ctx, "admin", x); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	for tok, id := range map[string]string{"end-a": u.ID, "end-b": u.ID, "end-others": other.ID} {
		if err := s.CreateSession(ctx, &model.Session{TokenHash: tok, UserID: id, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	stale := *u
	u.Disabled = true
	n, err := s.UpdateUserEndSessions(ctx, "admin", "disable", u)
	if err != nil || n != 2 {
		t.Fatalf("UpdateUserEndSessions = %d, %v; want 2 sessions ended", n, err)
	}
	for tok, want := range map[string]bool{"end-a": false, "end-b": false, "end-others": true} {
		_, err := s.GetSession(ctx, tok)
		if got := err == nil; got != want {
			t.Errorf("session %s kept = %v, want %v (%v)", tok, got, want, err)
		}
	}
	if got, err := s.GetUser(ctx, u.ID); err != nil || !got.Disabled || got.Version != 2 {
		t.Fatalf("after the disable: %+v, %v", got, err)
	}
	var last audit.Entry
	s.AuditEntries(ctx, func(e audit.Entry) error { last = e; return nil })
	if last.Action != "disable" || last.RecordID != u.ID || last.Actor != "admin" {
		t.Errorf("last audit entry = %+v, want action disable on the account", last)
	}
	// A stale copy changes nothing, sessions included.
	if err := s.CreateSession(ctx, &model.Session{TokenHash: "end-c", UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	stale.Role = model.RoleAdmin
	if _, err := s.UpdateUserEndSessions(ctx, "admin", "reset", &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale UpdateUserEndSessions: %v, want a conflict", err)
	}
	if _, err := s.GetSession(ctx, "end-c"); err != nil {
		t.Errorf("a refused change ended the session: %v", err)
	}
	if got, _ := s.GetUser(ctx, u.ID); got.Role != model.RoleAnalyst {
		t.Errorf("a refused change changed the role to %s", got.Role)
	}
}
