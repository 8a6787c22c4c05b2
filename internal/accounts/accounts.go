// Package accounts is the domain of users and their sessions: creating,
// disabling, enabling and resetting accounts, their roles and languages,
// and the steps of signing in, each rule in one place. The web and the
// command line parse, call it and render; neither writes an account or a
// session to the store itself (nowrites_test.go holds them to that).
//
// Package account (singular) keeps the primitives it builds on: password
// hashing, TOTP, recovery codes and the lockout rule.
package accounts

import (
	"crypto/rand"
	"errors"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/store"
)

// Options configure a Service.
type Options struct {
	// TOTPKey (32 bytes) seals authenticator secrets. Only the web, which
	// signs users in, needs it.
	TOTPKey []byte
	// Now is the clock (tests move it); time.Now if nil.
	Now func() time.Time
	// IdleTimeout and MaxAge bound a session's life: 30 minutes without
	// use, 12 hours in all, if zero.
	IdleTimeout, MaxAge time.Duration
	// Counters, if set, count sign-in attempts for names that are no
	// account in the database, so that every server of one database
	// answers them alike (docs/api.md, "Several servers"); CountKey (32
	// bytes, from the keyring) hashes the names. Without, they are
	// counted in this process's memory.
	Counters store.Counters
	CountKey []byte
}

// Service applies the rules to accounts kept in a store.
type Service struct {
	st           store.Accounts
	totpKey      []byte
	now          func() time.Time
	idle, maxAge time.Duration
	unknown      *account.Unknown // names that are no account (signin.go), without Counters
	counters     store.Counters
	countKey     []byte
	clients      *account.Clients // without Counters (clients.go)
}

// New makes the service over st.
func New(st store.Accounts, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = 30 * time.Minute
	}
	if o.MaxAge == 0 {
		o.MaxAge = 12 * time.Hour
	}
	key := make([]byte, 32) // per process: the counts of unknown names need not survive a restart
	rand.Read(key)
	return &Service{st: st, totpKey: o.TOTPKey, now: o.Now, idle: o.IdleTimeout, maxAge: o.MaxAge,
		unknown: account.NewUnknown(key), counters: o.Counters, countKey: o.CountKey,
		clients: account.NewClients(key, clientWindow)}
}

// InputError is input the caller should correct; Field names it ("name",
// "role", "lang").
type InputError struct {
	Field, Msg string
}

func (e *InputError) Error() string { return e.Msg }

// ErrNameTaken is returned when a new account's name belongs to another.
var ErrNameTaken = errors.New("the user name is taken")

// ErrWrongPassword is returned when the current password given to change
// it is wrong, or the account is locked (the two are told apart by
// nobody who only tries passwords).
var ErrWrongPassword = errors.New("the current password is wrong; nothing was changed")

// ErrKeyBroken is returned when a password verifies but does not open the
// account's private key: changing it would lose the key for good, so an
// administrator resets the account instead.
var ErrKeyBroken = errors.New("the account's private key does not open with its password: nothing was changed; " +
	"an administrator resets the account ('rasd user reset')")

// The new password of a change, refused.
var (
	ErrPasswordMismatch = errors.New("the new password was not typed the same twice; nothing was changed")
	ErrPasswordSame     = errors.New("the new password is the current one; choose another")
)
