package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestCounterWindowsStartAtTheFirstHit: a bucket's window lasts its length
// from its first hit, on both backends. Windows counted from the Unix
// epoch ended every day's count at midnight UTC, when a name that is no
// account lost its count of failed sign-ins and an account kept its own
// (TestUnknownNameSlowsLikeAccount failed when run just before midnight).
func TestCounterWindowsStartAtTheFirstHit(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		c := st.(store.Counters)
		first := time.Date(2026, 12, 7, 23, 59, 0, 0, time.UTC)
		for i, step := range []struct {
			after time.Duration
			want  int
		}{
			{0, 1},
			{2 * time.Minute, 2},  // past midnight UTC: the same window
			{23 * time.Hour, 3},   // still inside the day from the first hit
			{24 * time.Hour, 1},   // a day after the first hit: a new window
			{47 * time.Hour, 2},   // inside the second window
			{48*time.Hour + 1, 1}, // and the third
		} {
			n, err := c.Hit(ctx, "name test", first.Add(step.after), 24*time.Hour)
			if err != nil || n != step.want {
				t.Fatalf("hit %d, %v after the first: %d, %v; want %d", i, step.after, n, err, step.want)
			}
			if got, err := c.HitCount(ctx, "name test", first.Add(step.after), 24*time.Hour); err != nil || got != step.want {
				t.Errorf("count after hit %d: %d, %v; want %d", i, got, err, step.want)
			}
		}
		if n, _ := c.HitCount(ctx, "name test", first.Add(72*time.Hour), 24*time.Hour); n != 0 {
			t.Errorf("count a window after the last hit's: %d, want 0", n)
		}
	})
}
