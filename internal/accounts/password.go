package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
)

// PasswordChange is a user's change of their own password.
type PasswordChange struct {
	Current, New, Again string
	// Keep is the token hash of the session that stays signed in ("":
	// every session ends).
	Keep string
}

// PasswordChanged says what a change did.
type PasswordChanged struct {
	// Verdict is the current password's check (zero if the new password
	// was refused before it).
	Verdict
	// Changed: the new password is saved, even if an error came after.
	Changed bool
	// Ended counts the other sessions ended.
	Ended int
	// Key is the private key of an account that had no key pair before
	// (from before keys existed) and got one now; the caller holds or
	// zeroes it. Nil otherwise: the key pair does not change.
	Key []byte
}

// ChangePassword changes u's password. The new one must follow
// account.CheckPassword (account.ErrPasswordShort, ErrPasswordLong), be
// typed the same twice (ErrPasswordMismatch) and differ from the current
// one (ErrPasswordSame). The current one is checked under the sign-in's
// lockout rule: a wrong one, or any while the account is locked, is
// ErrWrongPassword with the Verdict (its delay). Then the new hash, the
// private key sealed again under the new password and the end of every
// session but c.Keep are saved in one transaction, and the failures are
// forgotten. A stale u is store.ErrConflict; a private key that does not
// open with the current password is ErrKeyBroken, and nothing changes.
func (s *Service) ChangePassword(ctx context.Context, actor string, u *model.User, c PasswordChange) (PasswordChanged, error) {
	if err := account.CheckPassword(c.New); err != nil {
		return PasswordChanged{}, err
	}
	switch {
	case c.New != c.Again:
		return PasswordChanged{}, ErrPasswordMismatch
	case c.New == c.Current:
		return PasswordChanged{}, ErrPasswordSame
	}
	v, err := s.checkPassword(ctx, u, c.Current, false)
	res := PasswordChanged{Verdict: v}
	if err != nil {
		return res, err
	}
	if !v.OK {
		return res, ErrWrongPassword
	}
	fresh := len(u.SealedKey) == 0
	if err := rekey(u, c.Current, c.New); err != nil {
		if errors.Is(err, keys.ErrWrongPassword) || errors.Is(err, keys.ErrDecrypt) {
			return res, ErrKeyBroken
		}
		return res, err
	}
	if res.Ended, err = s.st.ChangePassword(ctx, actor, u, c.Keep); err != nil {
		return res, err
	}
	res.Changed = true
	if fresh { // the account's first key pair
		if priv, err := keys.Unseal(u, c.New); err == nil {
			res.Key = priv
		}
	}
	if err := s.unlock(ctx, u); err != nil {
		return res, fmt.Errorf("password changed, but: %w", err)
	}
	return res, nil
}

// rekey sets u's new password hash and seals its private key again under
// it; an account from before keys existed gets its key pair now.
func rekey(u *model.User, current, next string) error {
	if len(u.SealedKey) == 0 {
		u.PasswordHash = account.HashPassword(next)
		return keys.NewUserKey(u, next)
	}
	return keys.ChangePassword(u, current, next)
}
