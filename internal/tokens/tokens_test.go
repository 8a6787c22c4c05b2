package tokens

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func newUser(t *testing.T, st store.Store, name, role string) *model.User {
	t.Helper()
	u := &model.User{Username: name, Role: role, Lang: "en", PasswordHash: account.HashPassword("correct horse battery")}
	if err := st.CreateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestTokenLife(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
		s := New(st, make([]byte, 32), func() time.Time { return now })
		u := newUser(t, st, "dana", model.RoleAnalyst)
		other := newUser(t, st, "omar", model.RoleAnalyst)

		secret, tk, err := s.Create(ctx, u, "my script", model.ScopeRead, 30)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, Prefix) || strings.Contains(tk.SecretHash, secret[len(Prefix):]) {
			t.Fatalf("secret %q, hash %q", secret, tk.SecretHash)
		}
		got, _, err := s.Authenticate(ctx, secret, false, "GET /api/v1/incidents")
		if err != nil || got.ID != u.ID {
			t.Fatalf("read with a read token: %v %v", got, err)
		}
		if _, _, err := s.Authenticate(ctx, secret, true, "POST /api/v1/incidents"); !errors.Is(err, ErrScope) {
			t.Fatalf("write with a read token: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, secret+"x", false, "x"); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("a wrong secret: %v", err)
		}
		// Another user cannot revoke it, and learns nothing.
		if err := s.Revoke(ctx, other, tk.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked by another: %v", err)
		}
		if err := s.Revoke(ctx, u, tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, secret, false, "x"); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("a revoked token: %v", err)
		}
		list, err := s.List(ctx, u)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].LastUsedAt == nil {
			t.Fatalf("list: %+v %v", list, err)
		}

		// Expiry.
		secret2, _, err := s.Create(ctx, u, "short", model.ScopeReadWrite, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, secret2, true, "x"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(25 * time.Hour)
		if _, _, err := s.Authenticate(ctx, secret2, true, "x"); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("an expired token: %v", err)
		}

		// A disabled account's tokens open nothing.
		secret3, _, _ := s.Create(ctx, u, "third", model.ScopeRead, 5)
		u.Disabled = true
		if err := st.UpdateUser(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, secret3, false, "x"); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("a disabled account's token: %v", err)
		}

		// Uses are audited.
		uses := 0
		st.AuditEntries(ctx, func(e audit.Entry) error {
			if strings.HasPrefix(e.Action, "token:use") {
				uses++
			}
			return nil
		})
		if uses != 2 {
			t.Fatalf("%d uses audited, want 2", uses)
		}
	})
}

func TestTokenInput(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		s := New(st, make([]byte, 32), nil)
		u := newUser(t, st, "dana", model.RoleDocumenter)
		for _, c := range []struct {
			name, scope string
			days        int
			field       string
		}{
			{"", model.ScopeRead, 30, "name"},
			{strings.Repeat("n", MaxNameLen+1), model.ScopeRead, 30, "name"},
			{"a\nb", model.ScopeRead, 30, "name"},
			{"ok", "admin", 30, "scope"},
			{"ok", model.ScopeRead, 0, "days"},
			{"ok", model.ScopeRead, MaxDays + 1, "days"},
		} {
			_, _, err := s.Create(ctx, u, c.name, c.scope, c.days)
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != c.field {
				t.Errorf("%+v: %v, want an error on %s", c, err, c.field)
			}
		}
		if l, _ := s.List(ctx, u); len(l) != 0 {
			t.Fatalf("%d tokens stored from bad input", len(l))
		}
	})
}

func TestRateLimit(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 10, 0, 5, 0, time.UTC)
		s := New(st, make([]byte, 32), func() time.Time { return now })
		s.PerMinute = 3
		u := newUser(t, st, "dana", model.RoleAnalyst)
		secret, _, err := s.Create(ctx, u, "x", model.ScopeRead, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, _, err := s.Authenticate(ctx, secret, false, "x"); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		if _, _, err := s.Authenticate(ctx, secret, false, "x"); !errors.Is(err, ErrRateLimited) {
			t.Fatalf("4th request: %v", err)
		}
		now = now.Add(time.Minute)
		if _, _, err := s.Authenticate(ctx, secret, false, "x"); err != nil {
			t.Fatalf("next minute: %v", err)
		}
	})
}

// TestTamperedTokenRefused: a token row written outside rasd (here, a
// read-write scope given to a read token) opens nothing.
func TestTamperedTokenRefused(t *testing.T) {
	ctx := context.Background()
	st, db := teststores.PostgresWithDB(t)
	s := New(st, make([]byte, 32), nil)
	u := newUser(t, st, "dana", model.RoleAnalyst)
	secret, tk, err := s.Create(ctx, u, "x", model.ScopeRead, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE api_tokens SET scope = 'read-write' WHERE id = $1`, tk.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, secret, true, "x"); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("a tampered token: %v", err)
	}
}
