package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Verdict is what a password or code checked under the lockout rule
// (account.Lockout) came to.
type Verdict struct {
	OK bool
	// Locked: the account is locked now, before this attempt or by it.
	Locked bool
	// JustLocked: this attempt locked it (worth a log line, without the
	// name).
	JustLocked bool
	// Failures is the count a refusal's delay follows (account.Delay).
	Failures int
	// RightWhileLocked: the account was locked, so nothing was counted
	// and the password was not accepted, but it was the right one. Only
	// an emergency action of a user already signed in may act on it (the
	// panic wipe): a sign-in never does.
	RightWhileLocked bool
}

// check runs verify for u under the lockout rule. The attempt is counted
// before the check, in one statement, so that attempts in parallel are
// all counted and none is checked once one has reached the limit; a
// locked account's check does not run, and instead (if given) spends the
// time it would have; a right answer takes its attempt back.
func (s *Service) check(ctx context.Context, u *model.User, verify func() (bool, error), instead func() bool) (Verdict, error) {
	failures, admitted, err := s.st.CountLoginAttempt(ctx, u.ID, s.now(), account.LockAfter, account.LockFor)
	if err != nil {
		return Verdict{}, fmt.Errorf("count the sign-in attempt: %w", err)
	}
	var v Verdict
	if admitted {
		if v.OK, err = verify(); err != nil {
			return Verdict{}, err // the attempt stays counted
		}
	} else if instead != nil {
		v.RightWhileLocked = instead()
	}
	if v.OK {
		if err := s.st.UncountLoginAttempt(ctx, u.ID, account.LockAfter); err != nil {
			return Verdict{}, fmt.Errorf("take back the sign-in attempt: %w", err)
		}
		return v, nil
	}
	v.Locked = !admitted || failures >= account.LockAfter
	v.JustLocked = admitted && v.Locked
	v.Failures = failures
	return v, nil
}

// checkPassword is check of u's password pw. While the account is locked
// a password is still hashed, so that the answer takes as long: a dummy
// one, or with whileLocked u's, to say whether pw was right
// (Verdict.RightWhileLocked).
func (s *Service) checkPassword(ctx context.Context, u *model.User, pw string, whileLocked bool) (Verdict, error) {
	instead := func() bool { account.VerifyUnknown(pw); return false }
	if whileLocked {
		instead = func() bool { return account.VerifyPassword(u.PasswordHash, pw) }
	}
	return s.check(ctx, u, func() (bool, error) { return account.VerifyPassword(u.PasswordHash, pw), nil }, instead)
}

// ConfirmPassword checks the password of u, signed in, before an
// emergency action, under the sign-in's lockout rule; while the account
// is locked (someone guessing at the sign-in page) Verdict.RightWhileLocked
// says whether it was right, so that the action can still be taken.
func (s *Service) ConfirmPassword(ctx context.Context, u *model.User, pw string) (Verdict, error) {
	return s.checkPassword(ctx, u, pw, true)
}

// SignIn is the first step of signing in: a name and a password.
type SignIn struct {
	Verdict
	// User is the account, once its password is accepted.
	User *model.User
	// Key is its private key, opened with the password (the caller
	// holds it for the session and zeroes it), or nil and KeyErr says
	// why: signing in works without it, restricted fields stay closed.
	Key    []byte
	KeyErr error
	// Tampered: the name's account fails its integrity check and was
	// refused like an unknown name (the store audited it; the caller may
	// log that, without the name).
	Tampered bool
}

// SignIn checks name and pw. Every refusal comes after the same work: a
// name that is no account, or a disabled one, is counted as an account
// would be (account.Unknown) and answered after a password check, so
// that neither the answer nor its time nor its delay tells it from an
// account's wrong password. The second factor follows (SecondFactor, or
// Enrol for an account without one).
func (s *Service) SignIn(ctx context.Context, name, pw string) (SignIn, error) {
	u, err := s.st.GetUserByName(ctx, name)
	var res SignIn
	res.Tampered = errors.Is(err, store.ErrTampered)
	if err != nil && !errors.Is(err, store.ErrNotFound) && !res.Tampered {
		return SignIn{}, fmt.Errorf("sign-in: read the account: %w", err)
	}
	// A disabled account is answered as no account. What keeps its
	// sessions out is the web's route policy (access.Active on every
	// request).
	if err != nil || !access.Active(u) {
		res.Failures, err = s.refuseUnknown(ctx, name, pw)
		return res, err
	}
	if res.Verdict, err = s.checkPassword(ctx, u, pw, false); err != nil || !res.OK {
		return res, err
	}
	res.User = u
	res.Key, res.KeyErr = s.openKey(ctx, u, pw)
	return res, nil
}

// refuseUnknown answers a name that is no account as check answers an
// account's wrong password: the same store statement (on no row), one
// password check, and the failures the name's own count calls for.
func (s *Service) refuseUnknown(ctx context.Context, name, pw string) (int, error) {
	now := s.now()
	if _, _, err := s.st.CountLoginAttempt(ctx, "", now, account.LockAfter, account.LockFor); err != nil &&
		!errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("sign-in: %w", err)
	}
	failures := 0
	if s.counters != nil {
		n, err := s.counters.Hit(ctx, unknownBucket(s.countKey, name), now, unknownWindow)
		if err != nil {
			return 0, fmt.Errorf("sign-in: %w", err)
		}
		failures = min(n, account.LockAfter) // an account's count stops at the lock
	} else {
		l, _ := s.unknown.Attempt(name, now)
		failures = l.Failures
	}
	account.VerifyUnknown(pw)
	return failures, nil
}

// unknownWindow is how long the database counts a name that is no
// account: an account keeps its count until someone signs in to it, so
// long enough that a guesser cannot tell the two apart by waiting.
const unknownWindow = 24 * time.Hour

func unknownBucket(key []byte, name string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("rasd unknown name " + name))
	return "name " + hex.EncodeToString(m.Sum(nil)[:16])
}

// openKey opens u's private key with the password just verified; an
// account from before keys existed gets its key pair now.
func (s *Service) openKey(ctx context.Context, u *model.User, pw string) ([]byte, error) {
	if len(u.SealedKey) == 0 {
		if err := keys.NewUserKey(u, pw); err != nil {
			return nil, err
		}
		if err := s.st.UpdateUser(ctx, u.Username, u); err != nil {
			return nil, err
		}
	}
	return keys.Unseal(u, pw)
}

// SecondFactor checks, for u whose password was accepted, an unused
// recovery code if one is given, else a TOTP code, which is accepted once
// (store.UseTOTPStep); each try counts towards the lockout as a password
// does. A right one completes the sign-in: the account's failures are
// forgotten.
func (s *Service) SecondFactor(ctx context.Context, u *model.User, code, recovery string) (Verdict, error) {
	if !u.Enrolled() {
		return Verdict{}, ErrNotEnrolled
	}
	v, err := s.check(ctx, u, func() (bool, error) { return s.secondFactor(ctx, u, code, recovery) }, nil)
	if err != nil || !v.OK {
		return v, err
	}
	if err := s.st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return Verdict{}, fmt.Errorf("sign-in: reset the failure count: %w", err)
	}
	return v, nil
}

func (s *Service) secondFactor(ctx context.Context, u *model.User, code, recovery string) (bool, error) {
	if recovery = strings.TrimSpace(recovery); recovery != "" {
		used, err := s.st.UseRecoveryCode(ctx, u.ID, account.HashRecoveryCode(recovery))
		if err != nil {
			return false, fmt.Errorf("sign-in: %w", err)
		}
		return used, nil
	}
	secret, err := s.openTOTP(u)
	if err != nil {
		return false, fmt.Errorf("sign-in: open the TOTP secret: %w", err)
	}
	step, match := account.MatchTOTP(secret, code, s.now())
	if !match {
		return false, nil
	}
	ok, err := s.st.UseTOTPStep(ctx, u.ID, step)
	if err != nil {
		return false, fmt.Errorf("sign-in: use the TOTP step: %w", err)
	}
	return ok, nil
}
