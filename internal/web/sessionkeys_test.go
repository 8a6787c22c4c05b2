package web

import (
	"bytes"
	"testing"
	"time"
)

// TestHeldKeysExpireAndZero: a held key is gone, and its bytes
// overwritten, once its session idles out, expires, signs out or has its
// sessions ended; it follows its session to a new token.
func TestHeldKeysExpireAndZero(t *testing.T) {
	now := time.Now()
	h := newHeldKeys(30 * time.Minute)
	key := func() []byte { return bytes.Repeat([]byte{7}, 32) }
	zeroed := func(b []byte) bool { return bytes.Equal(b, make([]byte, 32)) }

	idle := key()
	h.put("s1", "u1", idle, now.Add(time.Hour), now)
	if got := h.get("s1", "u2", now); got != nil {
		t.Error("another user's session read the key")
	}
	if got := h.get("s1", "u1", now.Add(29*time.Minute)); !bytes.Equal(got, key()) {
		t.Fatal("the key is not held")
	}
	if h.get("s1", "u1", now.Add(60*time.Minute)) != nil || !zeroed(idle) {
		t.Error("an idle key was kept or not zeroed")
	}

	expired := key()
	h.put("s2", "u1", expired, now.Add(time.Minute), now)
	if h.get("s2", "u1", now.Add(2*time.Minute)) != nil || !zeroed(expired) {
		t.Error("an expired key was kept or not zeroed")
	}

	moved := key()
	h.put("s3", "u1", moved, now.Add(time.Hour), now)
	h.move("s3", "s4", now.Add(time.Hour))
	if h.get("s3", "u1", now) != nil || h.get("s4", "u1", now) == nil {
		t.Error("the key did not follow its session")
	}
	h.drop("s4")
	if !zeroed(moved) || len(h.m) != 0 {
		t.Error("sign-out left the key")
	}

	a, b := key(), key()
	h.put("s5", "u1", a, now.Add(time.Hour), now)
	h.put("s6", "u2", b, now.Add(time.Hour), now)
	h.dropUser("u1")
	if !zeroed(a) || zeroed(b) || len(h.m) != 1 {
		t.Error("ending a user's sessions dropped the wrong keys")
	}
}
