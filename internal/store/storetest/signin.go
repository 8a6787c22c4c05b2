package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testLoginAttempts: the store counts attempts by the rule of
// account.Lockout, step by step through a lock, its end, a right answer
// and the lock again; an unknown account is ErrNotFound.
func testLoginAttempts(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := &model.User{Username: "counted", Role: model.RoleAnalyst, PasswordHash: "x"}
	if err := s.CreateUser(ctx, "admin", u); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 10, 0, 0, 700_000_000, time.UTC)
	var want account.Lockout
	check := func(step string) {
		t.Helper()
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var until time.Time
		if got.LockedUntil != nil {
			until = *got.LockedUntil
		}
		if got.FailedLogins != want.Failures || !until.Equal(want.LockedUntil) {
			t.Fatalf("%s: stored %d, locked until %v; the rule says %d, %v", step, got.FailedLogins, until, want.Failures, want.LockedUntil)
		}
	}
	attempt := func(step string, at time.Time) bool {
		t.Helper()
		var wantOK bool
		want, wantOK = want.Attempt(at)
		n, ok, err := s.CountLoginAttempt(ctx, u.ID, at, account.LockAfter, account.LockFor)
		if err != nil || n != want.Failures || ok != wantOK {
			t.Fatalf("%s: CountLoginAttempt = %d, %v, %v; the rule says %d, %v", step, n, ok, err, want.Failures, wantOK)
		}
		check(step)
		return ok
	}
	release := func(step string) {
		t.Helper()
		want = want.Release()
		if err := s.UncountLoginAttempt(ctx, u.ID, account.LockAfter); err != nil {
			t.Fatal(err)
		}
		check(step)
	}
	for i := range account.LockAfter - 1 {
		attempt(fmt.Sprint("attempt ", i+1), now)
	}
	attempt("attempt at the limit", now)
	release("right password at the limit")
	attempt("attempt at the limit again", now)
	if attempt("attempt while locked", now.Add(account.LockFor-time.Second)) {
		t.Fatal("an attempt was admitted while the account was locked")
	}
	attempt("first attempt after the lock", now.Add(account.LockFor))
	release("right password after the lock")
	attempt("wrong password after that", now.Add(account.LockFor+time.Minute))
	if err := s.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	want = account.Lockout{}
	check("reset")
	release("release with nothing counted")
	if _, _, err := s.CountLoginAttempt(ctx, "no such id", now, account.LockAfter, account.LockFor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CountLoginAttempt of no account: %v, want ErrNotFound", err)
	}
}

// testLoginAttemptsParallel: 32 attempts at once are each counted;
// exactly LockAfter of them are admitted, and none after.
func testLoginAttemptsParallel(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := &model.User{Username: "hammered", Role: model.RoleAnalyst, PasswordHash: "x"}
	if err := s.CreateUser(ctx, "admin", u); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		admitted int
		errs     []error
	)
	for range 32 {
		wg.Go(func() {
			_, ok, err := s.CountLoginAttempt(ctx, u.ID, now, account.LockAfter, account.LockFor)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				admitted++
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if admitted != account.LockAfter || got.FailedLogins != account.LockAfter || got.LockedUntil == nil {
		t.Errorf("32 attempts at once: %d admitted, %d counted, locked until %v; want %d, %d, locked",
			admitted, got.FailedLogins, got.LockedUntil, account.LockAfter, account.LockAfter)
	}
	if _, ok, err := s.CountLoginAttempt(ctx, u.ID, now, account.LockAfter, account.LockFor); ok || err != nil {
		t.Errorf("an attempt after them: admitted %v, %v", ok, err)
	}
}

// testRecoveryCodeOnce: parallel uses of one recovery code give exactly
// one success, and a parallel use of another code is not lost.
func testRecoveryCodeOnce(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	const rounds, racers = 10, 8
	var codes []string
	for r := range rounds {
		codes = append(codes, fmt.Sprintf("code-%d", r), fmt.Sprintf("other-%d", r))
	}
	u := &model.User{Username: "recovering", Role: model.RoleAnalyst, PasswordHash: "x", RecoveryCodes: codes}
	if err := s.CreateUser(ctx, "admin", u); err != nil {
		t.Fatal(err)
	}
	for r := range rounds {
		var (
			wg        sync.WaitGroup
			mu        sync.Mutex
			successes int
			otherUsed bool
			errs      []error
		)
		for i := range racers + 1 {
			code := fmt.Sprintf("code-%d", r)
			if i == racers {
				code = fmt.Sprintf("other-%d", r)
			}
			wg.Go(func() {
				used, err := s.UseRecoveryCode(ctx, u.ID, code)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				if used && i < racers {
					successes++
				}
				otherUsed = otherUsed || used && i == racers
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("round %d: %v", r, errs)
		}
		if successes != 1 || !otherUsed {
			t.Fatalf("round %d: %d parallel uses of one code succeeded %d times (want 1); a use of another code in parallel succeeded: %v",
				r, racers, successes, otherUsed)
		}
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil || len(got.RecoveryCodes) != 0 {
		t.Errorf("after using every code once: %d left, %v", len(got.RecoveryCodes), err)
	}
}
