package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

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
