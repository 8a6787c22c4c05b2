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

// Fail records a failure from addr.
func (c *Clients) Fail(addr string, now time.Time) {
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
}

// Reset forgets a client after a successful login.
func (c *Clients) Reset(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, c.id(addr))
}
