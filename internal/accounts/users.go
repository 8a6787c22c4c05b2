package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// MaxNameLength bounds a user name, in characters.
const MaxNameLength = 64

// CheckName says what is wrong with a new user name, or nil. A name is
// typed at every sign-in and shown in lists and the audit log: it has no
// spaces, slashes or control characters, and no invisible direction
// control that could make it show as another name.
func CheckName(name string) error {
	bad := func(msg string) error { return &InputError{Field: "name", Msg: msg} }
	if r, ok := textnorm.BidiControl(name); ok {
		return bad(fmt.Sprintf("the user name holds the invisible direction control %s, which can make it show as another name; type it again",
			textnorm.BidiName(r)))
	}
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLength ||
		strings.ContainsFunc(name, func(r rune) bool { return r == '/' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return bad(fmt.Sprintf("a user name has no spaces, slashes or control characters and at most %d characters", MaxNameLength))
	}
	return nil
}

func checkRole(role string) error {
	if !slices.Contains(model.Roles, role) {
		return &InputError{Field: "role", Msg: "role must be one of " + strings.Join(model.Roles, ", ")}
	}
	return nil
}

func checkLang(lang string) error {
	if !locale.Known(lang) {
		return &InputError{Field: "lang", Msg: fmt.Sprintf("%q is not one of rasd's languages (%s)", lang, strings.Join(locale.Codes(), ", "))}
	}
	return nil
}

// GeneratePassword makes a random password (75 bits) to show once, for a
// new or reset account whose password nobody chose.
func GeneratePassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// NewUser is what an account starts with.
type NewUser struct {
	Name, Role, Lang, Password string
}

// Create makes an account with its own key pair. Its user sets up the
// authenticator at first sign-in. A name another account has is refused
// with ErrNameTaken.
func (s *Service) Create(ctx context.Context, actor string, n NewUser) (*model.User, error) {
	if err := CheckName(n.Name); err != nil {
		return nil, err
	}
	if err := checkRole(n.Role); err != nil {
		return nil, err
	}
	if err := checkLang(n.Lang); err != nil {
		return nil, err
	}
	if err := account.CheckPassword(n.Password); err != nil {
		return nil, err
	}
	taken := func() error {
		return fmt.Errorf("%w: %q belongs to another account; choose another name", ErrNameTaken, n.Name)
	}
	if s.exists(ctx, n.Name) {
		return nil, taken()
	}
	u := &model.User{Username: n.Name, Role: n.Role, Lang: n.Lang, PasswordHash: account.HashPassword(n.Password)}
	if err := keys.NewUserKey(u, n.Password); err != nil {
		return nil, fmt.Errorf("make the account's key pair: %w", err)
	}
	if err := s.st.CreateUser(ctx, actor, u); err != nil {
		if s.exists(ctx, n.Name) { // taken meanwhile: say so, not what the database said
			return nil, taken()
		}
		return nil, err
	}
	return u, nil
}

// exists reports whether an account holds name (one refused as tampered
// holds it too).
func (s *Service) exists(ctx context.Context, name string) bool {
	_, err := s.st.GetUserByName(ctx, name)
	return err == nil || errors.Is(err, store.ErrTampered)
}

// List lists the accounts by name. Accounts refused as tampered are left
// out, and then the error matches store.ErrTampered while the list still
// holds every other account.
func (s *Service) List(ctx context.Context) ([]model.User, error) { return s.st.ListUsers(ctx) }

// User returns the account with id.
func (s *Service) User(ctx context.Context, id string) (*model.User, error) {
	return s.st.GetUser(ctx, id)
}

// ByName returns the account named name.
func (s *Service) ByName(ctx context.Context, name string) (*model.User, error) {
	return s.st.GetUserByName(ctx, name)
}

// Disable stops u from signing in and ends every session of it, in one
// transaction, and forgets its failed sign-ins. It says how many
// sessions ended.
func (s *Service) Disable(ctx context.Context, actor string, u *model.User) (int, error) {
	u.Disabled = true
	n, err := s.st.UpdateUserEndSessions(ctx, actor, "disable", u)
	if err != nil {
		return 0, fmt.Errorf("disable the account: %w", err)
	}
	return n, s.unlock(ctx, u)
}

// Enable lets u sign in again, and unlocks it.
func (s *Service) Enable(ctx context.Context, actor string, u *model.User) error {
	u.Disabled = false
	if err := s.st.UpdateUser(ctx, actor, u); err != nil {
		return fmt.Errorf("enable the account: %w", err)
	}
	return s.unlock(ctx, u)
}

// Reset gives u the password pw, a new key pair and no authenticator (its
// user sets one up at the next sign-in), ends every session of it and
// unlocks it. The old private key opened with the old password only, so
// it is lost, and the store drops u's compartment grants with it: a
// member grants them again ('rasd keys grant'). It says how many
// sessions ended.
func (s *Service) Reset(ctx context.Context, actor string, u *model.User, pw string) (int, error) {
	if err := account.CheckPassword(pw); err != nil {
		return 0, err
	}
	u.PasswordHash, u.TOTPSealed, u.TOTPLastStep, u.RecoveryCodes = account.HashPassword(pw), nil, 0, nil
	if err := keys.NewUserKey(u, pw); err != nil {
		return 0, fmt.Errorf("make the account's key pair: %w", err)
	}
	n, err := s.st.UpdateUserEndSessions(ctx, actor, "reset", u)
	if err != nil {
		return 0, fmt.Errorf("reset the account: %w", err)
	}
	return n, s.unlock(ctx, u)
}

// SetRole gives u another role. Its sessions go on under the new role:
// every request reads the account afresh.
func (s *Service) SetRole(ctx context.Context, actor string, u *model.User, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	if u.Role == role {
		return nil
	}
	u.Role = role
	if err := s.st.UpdateUser(ctx, actor, u); err != nil {
		return fmt.Errorf("change the role: %w", err)
	}
	return nil
}

// SetLanguage saves the language u's pages are shown in.
func (s *Service) SetLanguage(ctx context.Context, actor string, u *model.User, lang string) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	if u.Lang == lang {
		return nil
	}
	u.Lang = lang
	if err := s.st.UpdateUser(ctx, actor, u); err != nil {
		return fmt.Errorf("save the language: %w", err)
	}
	return nil
}

// EndSessions signs u out everywhere and says how many sessions ended.
func (s *Service) EndSessions(ctx context.Context, u *model.User) (int, error) {
	n, err := s.st.DeleteSessions(ctx, u.ID)
	if err != nil {
		return 0, fmt.Errorf("end the account's sessions: %w", err)
	}
	return n, nil
}

// unlock forgets u's failed sign-ins and its lock (outside the account's
// MAC, so without a version).
func (s *Service) unlock(ctx context.Context, u *model.User) error {
	if err := s.st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return fmt.Errorf("reset the failed sign-ins: %w", err)
	}
	return nil
}
