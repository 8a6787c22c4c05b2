package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vault"
)

// Enrolment errors.
var (
	ErrNotEnrolled     = errors.New("the account has no authenticator yet: set one up first")
	ErrEnrolled        = errors.New("the account has an authenticator already")
	ErrEnrolmentOpened = errors.New("the authenticator offered is not this account's, or was changed: start again")
	errNoTOTPKey       = errors.New("accounts: no TOTP key (Options.TOTPKey)")
)

// Enrolment is an authenticator secret offered to an account, not yet
// confirmed: Pending is the secret sealed to the account, for the caller
// to keep until the user gives a code from it (Enrol).
type Enrolment struct {
	Secret, URI string
	Pending     []byte
}

// NewEnrolment offers u, which has no authenticator yet, a TOTP secret.
func (s *Service) NewEnrolment(u *model.User) (Enrolment, error) {
	if u.Enrolled() {
		return Enrolment{}, ErrEnrolled
	}
	if len(s.totpKey) == 0 {
		return Enrolment{}, errNoTOTPKey
	}
	secret, uri, err := account.NewTOTP(totpIssuer, u.Username)
	if err != nil {
		return Enrolment{}, fmt.Errorf("make an authenticator secret: %w", err)
	}
	return Enrolment{Secret: secret, URI: uri, Pending: vault.Seal(s.totpKey, []byte(secret), "enrol "+u.ID)}, nil
}

// totpIssuer names rasd in authenticator apps.
const totpIssuer = "rasd"

// EnrolmentURI is the otpauth:// URI of a pending secret, to draw its QR
// code again after a wrong code.
func (s *Service) EnrolmentURI(u *model.User, secret string) string {
	return account.TOTPURI(totpIssuer, u.Username, secret)
}

// PendingSecret opens what NewEnrolment offered u (ErrEnrolmentOpened if
// it was offered to another account, or changed).
func (s *Service) PendingSecret(u *model.User, pending []byte) (string, error) {
	if len(s.totpKey) == 0 {
		return "", errNoTOTPKey
	}
	secret, err := vault.Open(s.totpKey, pending, "enrol "+u.ID)
	if err != nil {
		return "", ErrEnrolmentOpened
	}
	return string(secret), nil
}

// Enrol gives u the authenticator secret once code shows the user holds
// it (ok false otherwise, and nothing changes), with ten recovery codes
// returned to show once; their hashes are kept. The code's step is used.
func (s *Service) Enrol(ctx context.Context, u *model.User, secret, code string) (codes []string, ok bool, err error) {
	if u.Enrolled() {
		return nil, false, ErrEnrolled
	}
	if len(s.totpKey) == 0 {
		return nil, false, errNoTOTPKey
	}
	step, ok := account.MatchTOTP(secret, code, s.now())
	if !ok {
		return nil, false, nil
	}
	codes, hashes := account.RecoveryCodes(10)
	u.TOTPSealed = vault.Seal(s.totpKey, []byte(secret), "totp "+u.ID)
	u.TOTPLastStep, u.RecoveryCodes = step, hashes
	if err := s.st.UpdateUser(ctx, u.Username, u); err != nil {
		return nil, false, fmt.Errorf("enrolment: save the second factor: %w", err)
	}
	return codes, true, nil
}

// openTOTP opens u's TOTP secret.
func (s *Service) openTOTP(u *model.User) (string, error) {
	if len(s.totpKey) == 0 {
		return "", errNoTOTPKey
	}
	secret, err := vault.Open(s.totpKey, u.TOTPSealed, "totp "+u.ID)
	return string(secret), err
}
