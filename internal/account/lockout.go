package account

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Lockout rules: after SlowAfter failures each further attempt waits
// longer; after LockAfter failures the account is locked for LockFor.
const (
	SlowAfter = 3
	LockAfter = 10
	LockFor   = 30 * time.Minute
)

// Lockout is where an account stands: the attempts counted against it
// (wrong ones, and ones still being checked) and its lock. Attempt and
// Release are the rule. The store applies the same rule to accounts in one
// SQL statement each (store.Accounts.CountLoginAttempt), so that attempts
// in parallel are all counted; Unknown applies it in memory to names that
// are no account, so that they answer as an account would.
type Lockout struct {
	Failures    int
	LockedUntil time.Time // zero: not locked
}

// Attempt counts an attempt made at now, before its password or code is
// checked, and says whether it may be checked at all. A locked account
// counts nothing and checks nothing. Otherwise the attempt is counted,
// and the one that reaches LockAfter locks the account at once: attempts
// in flight beyond the limit are refused even when their password is
// right, so at most LockAfter guesses are ever checked per lock. Once a
// lock has passed, one more attempt is checked and a wrong one locks
// again. Times are whole seconds, as the store compares them.
func (l Lockout) Attempt(now time.Time) (Lockout, bool) {
	now = now.UTC().Truncate(time.Second)
	if !l.LockedUntil.IsZero() && now.Before(l.LockedUntil) {
		return l, false
	}
	n := l.Failures + 1
	if !l.LockedUntil.IsZero() {
		n = LockAfter
	}
	l = Lockout{Failures: n}
	if n >= LockAfter {
		l.LockedUntil = now.Add(LockFor)
	}
	return l, true
}

// Release takes back an admitted attempt whose check passed: it was no
// failure, and a lock it set (by reaching the limit) goes with it.
func (l Lockout) Release() Lockout {
	l.Failures = max(l.Failures-1, 0)
	if l.Failures < LockAfter {
		l.LockedUntil = time.Time{}
	}
	return l
}

// Delay is how long to make a caller wait after failures.
func Delay(failures int) time.Duration {
	if failures < SlowAfter {
		return 0
	}
	d := time.Duration(failures-SlowAfter+1) * 500 * time.Millisecond
	return min(d, 5*time.Second)
}

// Clients counts failures per client in memory only: the client's address
// is kept as a keyed hash, never stored, and forgotten after a window.
//
// The count only slows a client's failed attempts down (Delay), it never
// refuses one: every user behind a Tor exit or an organisation's proxy
// shares one address, and a count that refused would let one guesser
// there lock them all out. The per-account lockout is the control that
// bounds guessing.
type Clients struct {
	mu     sync.Mutex
	key    []byte
	window time.Duration
	m      map[string]*clientState
}

type clientState struct {
	failures int
	since    time.Time
}

// NewClients makes a per-client counter; key hashes addresses.
func NewClients(key []byte, window time.Duration) *Clients {
	return &Clients{key: key, window: window, m: map[string]*clientState{}}
}

func (c *Clients) id(addr string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(addr))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Failures returns the client's recent failures.
func (c *Clients) Failures(addr string, now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[c.id(addr)]
	if !ok || now.Sub(s.since) > c.window {
		return 0
	}
	return s.failures
}

// Fail records a failure from addr and returns its recent failures.
func (c *Clients) Fail(addr string, now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.id(addr)
	s, ok := c.m[id]
	if !ok || now.Sub(s.since) > c.window {
		s = &clientState{since: now}
		c.m[id] = s
	}
	s.failures++
	if len(c.m) > 100_000 { // bound memory under a flood: drop expired entries
		for k, v := range c.m {
			if now.Sub(v.since) > c.window {
				delete(c.m, k)
			}
		}
	}
	return s.failures
}

// Reset forgets a client after a successful login.
func (c *Clients) Reset(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, c.id(addr))
}
