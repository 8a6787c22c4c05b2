// Package tokens is the domain of the API's personal access tokens
// (docs/api.md): a user makes one in the web, scoped read or read-write,
// with an expiry, and may revoke it. Only a keyed hash of its secret is
// stored. A token acts as its user, so it never carries more than the
// user's role; it holds no key, so it opens no sealed text and no
// compartment whatever its user's memberships. Each use is rate-limited
// (in the database, shared by every server) and audited.
package tokens

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Prefix starts every token, so that one pasted somewhere it should not
// be is easy to recognise (and to scan for).
const Prefix = "rasd_"

// Limits of docs/api.md.
const (
	MaxNameLen   = 80
	MaxLiveCount = 20 // live (unexpired, unrevoked) tokens per user
	MaxDays      = 366
	// PerMinute is how many requests one token may make in a minute.
	PerMinute = 600
)

// Store is what the tokens domain needs of the store.
type Store interface {
	store.Tokens
	store.Counters
}

// Service makes, checks and revokes tokens.
type Service struct {
	st  Store
	key []byte
	now func() time.Time
	// PerMinute overrides the rate limit (tests); PerMinute if zero.
	PerMinute int
}

// New makes the service; key (32 bytes, from the keyring) keys the
// secrets' hashes, so that the database alone cannot test a guess.
func New(st Store, key []byte, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, key: key, now: now}
}

// Errors of Authenticate: the API answers 401, 403 and 429.
var (
	ErrUnauthorized = errors.New("the token is missing, unknown, expired or revoked, or its account is disabled")
	ErrScope        = errors.New("the token's scope is read: it may not write")
	ErrRateLimited  = errors.New("too many requests with this token: wait a minute")
)

// InputError is a field of a new token to correct: "name", "scope",
// "days"; Key is its message key (i18n).
type InputError struct{ Field, Key string }

func (e *InputError) Error() string { return "token " + e.Field + ": " + e.Key }

// hash is what the store keeps of a secret.
func (s *Service) hash(secret string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("rasd api token " + secret))
	return hex.EncodeToString(m.Sum(nil))
}

// Create makes a token for u, named name, with scope and an expiry days
// from now, and returns its secret, shown once and never again.
func (s *Service) Create(ctx context.Context, u *model.User, name, scope string, days int) (string, *model.Token, error) {
	if !access.Active(u) {
		return "", nil, ErrUnauthorized
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > MaxNameLen || strings.ContainsFunc(name, isControl):
		return "", nil, &InputError{"name", "tokens.error.name"}
	case scope != model.ScopeRead && scope != model.ScopeReadWrite:
		return "", nil, &InputError{"scope", "tokens.error.scope"}
	case days < 1 || days > MaxDays:
		return "", nil, &InputError{"days", "tokens.error.days"}
	}
	live, err := s.List(ctx, u)
	if err != nil {
		return "", nil, err
	}
	n := 0
	for _, t := range live {
		if Live(&t, s.now()) {
			n++
		}
	}
	if n >= MaxLiveCount {
		return "", nil, &InputError{"name", "tokens.error.too_many"}
	}
	b := make([]byte, 32)
	rand.Read(b)
	secret := Prefix + base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	t := &model.Token{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: name, SecretHash: s.hash(secret),
		Scope: scope, CreatedAt: now, ExpiresAt: now.AddDate(0, 0, days)}
	if err := s.st.CreateToken(ctx, u.Username, t); err != nil {
		return "", nil, fmt.Errorf("create the token: %w", err)
	}
	return secret, t, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// Live says whether t may be used at now.
func Live(t *model.Token, now time.Time) bool {
	return t.RevokedAt == nil && now.Before(t.ExpiresAt)
}

// List returns u's tokens, newest first (rows refused as tampered left
// out: they grant nothing).
func (s *Service) List(ctx context.Context, u *model.User) ([]model.Token, error) {
	ts, err := s.st.ListTokens(ctx, u.ID)
	if err != nil && !errors.Is(err, store.ErrTampered) {
		return nil, fmt.Errorf("list the tokens: %w", err)
	}
	return ts, nil
}

// Revoke ends u's token id for good; store.ErrNotFound if u has none
// such (another user's token looks missing).
func (s *Service) Revoke(ctx context.Context, u *model.User, id string) error {
	return s.st.RevokeToken(ctx, u.Username, u.ID, id, s.now())
}

// Authenticate finds the user of the token secret for a request that
// writes or not, and records its use (what: the route, for the audit
// log). ErrUnauthorized for a token that is unknown, malformed, expired,
// revoked, refused as tampered or whose account is disabled;
// ErrRateLimited past PerMinute requests; ErrScope for a write with a
// read token.
func (s *Service) Authenticate(ctx context.Context, secret string, write bool, what string) (*model.User, *model.Token, error) {
	if !strings.HasPrefix(secret, Prefix) || len(secret) > 100 {
		return nil, nil, ErrUnauthorized
	}
	h := s.hash(secret)
	t, u, err := s.st.TokenBySecret(ctx, h)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrTampered) {
		return nil, nil, ErrUnauthorized
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the token: %w", err)
	}
	now := s.now()
	if !hmac.Equal([]byte(t.SecretHash), []byte(h)) || !Live(t, now) || !access.Active(u) {
		return nil, nil, ErrUnauthorized
	}
	limit := s.PerMinute
	if limit == 0 {
		limit = PerMinute
	}
	n, err := s.st.Hit(ctx, "token "+t.ID, now, time.Minute)
	if err != nil {
		return nil, nil, err
	}
	if n > limit {
		return nil, nil, ErrRateLimited
	}
	if write && t.Scope != model.ScopeReadWrite {
		return nil, nil, ErrScope
	}
	if err := s.st.UseToken(ctx, u.Username, t.ID, what, now); err != nil {
		return nil, nil, fmt.Errorf("audit the token's use: %w", err)
	}
	return u, t, nil
}
