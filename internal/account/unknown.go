package account

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// maxUnknown bounds how many names Unknown remembers (about 100 bytes
// each).
const maxUnknown = 100_000

// Unknown keeps the Lockout of names that are no account (or a disabled
// one), in memory only and as keyed hashes. A sign-in for such a name is
// refused with the delay an account with as many failures would give:
// were it answered at once, a guesser could fail a name a few times and
// tell from the growing delay that it is an account.
//
// An account keeps its count until someone signs in to it; a name here
// keeps it until the server restarts, or until maxUnknown other names
// push it out (which costs a guesser that many password checks).
type Unknown struct {
	mu  sync.Mutex
	key []byte
	m   map[string]Lockout
}

// NewUnknown makes the tracker; key hashes the names (a per-process key).
func NewUnknown(key []byte) *Unknown {
	return &Unknown{key: key, m: map[string]Lockout{}}
}

// Attempt is Lockout.Attempt for name. A check for such a name never
// passes, so there is nothing to release.
func (u *Unknown) Attempt(name string, now time.Time) (Lockout, bool) {
	m := hmac.New(sha256.New, u.key)
	m.Write([]byte(name))
	id := hex.EncodeToString(m.Sum(nil)[:16])
	u.mu.Lock()
	defer u.mu.Unlock()
	l, known := u.m[id]
	l, admitted := l.Attempt(now)
	if !known && len(u.m) >= maxUnknown {
		for k := range u.m { // any one: map order is not predictable
			delete(u.m, k)
			break
		}
	}
	u.m[id] = l
	return l, admitted
}
