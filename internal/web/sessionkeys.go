package web

import (
	"sync"
	"time"
)

// heldKeys keeps each signed-in session's unsealed private key in server
// memory only: never in the cookie, the database or a log. The password
// unseals it at sign-in; sign-out, expiry, idleness, an ended session or
// a restart lose it (the user signs in again to read restricted fields).
// Dropped keys are overwritten. Go may have copied the bytes elsewhere in
// memory meanwhile (the garbage collector moves nothing, but the X25519
// code makes its own copies); zeroing narrows, not closes, that window.
type heldKeys struct {
	mu   sync.Mutex
	idle time.Duration
	m    map[string]*heldKey // by session token hash
}

type heldKey struct {
	userID   string
	priv     []byte
	expires  time.Time // the session's absolute end
	lastUsed time.Time
}

func newHeldKeys(idle time.Duration) *heldKeys {
	return &heldKeys{idle: idle, m: map[string]*heldKey{}}
}

// put holds priv (taking ownership) for a session, replacing what it held.
func (h *heldKeys) put(session, userID string, priv []byte, expires, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sweep(now)
	h.dropLocked(session)
	h.m[session] = &heldKey{userID: userID, priv: priv, expires: expires, lastUsed: now}
}

// get returns a copy of the session's key (the caller zeroes it), or nil.
func (h *heldKeys) get(session, userID string, now time.Time) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sweep(now)
	k := h.m[session]
	if k == nil || k.userID != userID {
		return nil
	}
	k.lastUsed = now
	return append([]byte(nil), k.priv...)
}

// move re-keys a held key to the session that replaced its session (a new
// token after the second factor).
func (h *heldKeys) move(from, to string, expires time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if k := h.m[from]; k != nil {
		delete(h.m, from)
		k.expires = expires
		h.m[to] = k
	}
}

func (h *heldKeys) drop(session string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked(session)
}

// dropUser forgets every key of a user (sessions ended by an admin).
func (h *heldKeys) dropUser(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s, k := range h.m {
		if k.userID == userID {
			h.dropLocked(s)
		}
	}
}

func (h *heldKeys) dropLocked(session string) {
	if k := h.m[session]; k != nil {
		clear(k.priv)
		delete(h.m, session)
	}
}

func (h *heldKeys) sweep(now time.Time) {
	for s, k := range h.m {
		if now.After(k.expires) || now.Sub(k.lastUsed) > h.idle {
			h.dropLocked(s)
		}
	}
}

// forget drops what the server holds for a session that ends: its key
// and its spreadsheet (sheetuploads.go).
func (s *Server) forget(session string) {
	s.held.drop(session)
	s.sheets.dropWhere(func(hs *heldSheet) bool { return hs.session == session })
}

// forgetUser is forget for every session of a user.
func (s *Server) forgetUser(userID string) {
	s.held.dropUser(userID)
	s.sheets.dropWhere(func(hs *heldSheet) bool { return hs.userID == userID })
}

// forgetOthers is forget for every session of a user but keep.
func (s *Server) forgetOthers(userID, keep string) {
	s.held.dropOthers(userID, keep)
	s.sheets.dropWhere(func(hs *heldSheet) bool { return hs.userID == userID && hs.session != keep })
}
