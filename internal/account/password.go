// Package account holds what signing in needs: password hashing (Argon2id,
// RFC 9106), TOTP second factors with single-use codes, recovery codes,
// and the lockout rules.
package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/rasd-project/rasd/internal/kdf"
)

// MinPasswordLength follows NIST SP 800-63B for memorised secrets.
const MinPasswordLength = 12

// MaxPasswordLength bounds what Argon2id is given to hash.
const MaxPasswordLength = 256

// What CheckPassword says of a new password.
var (
	ErrPasswordShort = fmt.Errorf("password too short: use at least %d characters (a few unrelated words is easiest)", MinPasswordLength)
	ErrPasswordLong  = fmt.Errorf("password too long: use at most %d characters", MaxPasswordLength)
)

// CheckPassword says what is wrong with a new password (ErrPasswordShort,
// ErrPasswordLong), or nil.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return ErrPasswordShort
	}
	if utf8.RuneCountInString(pw) > MaxPasswordLength {
		return ErrPasswordLong
	}
	return nil
}

// HashPassword returns a PHC-format Argon2id hash with a random salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	p := kdf.Argon2id()
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword compares pw with a hash in constant time.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<21 || t > 20 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a user does not exist, so that a
// login for an unknown name takes as long as one for a known name.
// It is made on first use: hashing costs 64 MiB, which no command but a
// server answering a sign-in should spend.
var dummyHash = sync.OnceValue(func() string { return HashPassword("rasd dummy password for timing") })

// VerifyUnknown spends the time a real verification would.
func VerifyUnknown(pw string) { VerifyPassword(dummyHash(), pw) }
