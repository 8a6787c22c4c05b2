package account

import (
	"testing"
	"time"
)

// TestLockoutRule: LockAfter attempts are checked, the one that reaches
// the limit locks, nothing is counted or checked while locked, a right
// answer takes its attempt back (and a lock it set), and after the lock
// one attempt is checked before the next lock.
func TestLockoutRule(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var l Lockout
	var ok bool
	for i := 1; i < LockAfter; i++ {
		if l, ok = l.Attempt(now); !ok || l.Failures != i || !l.LockedUntil.IsZero() {
			t.Fatalf("attempt %d: %+v, %v", i, l, ok)
		}
	}
	held := l
	if l, ok = l.Attempt(now); !ok || l.Failures != LockAfter || !l.LockedUntil.Equal(now.Add(LockFor)) {
		t.Fatalf("attempt at the limit: %+v, %v; want checked and locked", l, ok)
	}
	if r := l.Release(); r != held {
		t.Errorf("releasing the attempt that locked: %+v, want %+v", r, held)
	}
	for range 3 {
		if l2, ok := l.Attempt(now.Add(LockFor - time.Second)); ok || l2 != l {
			t.Fatalf("attempt while locked: %+v, %v; want refused and nothing counted", l2, ok)
		}
	}
	later := now.Add(LockFor)
	l, ok = l.Attempt(later)
	if !ok || l.Failures != LockAfter || !l.LockedUntil.Equal(later.Add(LockFor)) {
		t.Fatalf("first attempt after the lock: %+v, %v; want checked, locked again", l, ok)
	}
	if r := l.Release(); r.Failures != LockAfter-1 || !r.LockedUntil.IsZero() {
		t.Errorf("a right password after the lock: %+v, want unlocked", r)
	}
	if r := (Lockout{}).Release(); r.Failures != 0 {
		t.Errorf("release of nothing: %+v", r)
	}
	// Sub-second times are cut as the store cuts them.
	if l, _ := (Lockout{Failures: LockAfter - 1}).Attempt(now.Add(900 * time.Millisecond)); !l.LockedUntil.Equal(now.Add(LockFor)) {
		t.Errorf("lock until %v, want whole seconds", l.LockedUntil)
	}
}

// TestUnknownNamesCountLikeAccounts: a name that is no account goes
// through the same states as an account that never gets a right answer,
// each name on its own.
func TestUnknownNamesCountLikeAccounts(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	u := NewUnknown([]byte("k"))
	var account Lockout
	for i := range 2*LockAfter + 5 {
		at := now.Add(time.Duration(i) * 4 * time.Minute) // passes a lock's end on the way
		want, wantOK := account.Attempt(at)
		account = want
		got, ok := u.Attempt("ghost", at)
		if got != want || ok != wantOK {
			t.Fatalf("attempt %d: unknown name %+v %v, account %+v %v", i, got, ok, want, wantOK)
		}
	}
	if got, _ := u.Attempt("another ghost", now); got.Failures != 1 {
		t.Errorf("a second name shares the first's count: %+v", got)
	}
}

func TestUnknownIsBounded(t *testing.T) {
	u := NewUnknown([]byte("k"))
	now := time.Now()
	for i := range maxUnknown + 10 {
		u.Attempt(string(rune(i)), now)
	}
	if len(u.m) > maxUnknown {
		t.Errorf("%d names kept, bound %d", len(u.m), maxUnknown)
	}
}
