package cli

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestKillClockWhateverTheSpeed runs killClock against simulated imports
// whose time changes as the machine's load does (each commits at nine
// tenths of its run): most imports must be killed, and kills must still
// reach the end of an import (its commit), whether the first, timed
// import ran slower than the others, the machine slowed down after it,
// or its load comes and goes.
func TestKillClockWhateverTheSpeed(t *testing.T) {
	for _, sc := range []struct {
		name string
		wall func(i int) time.Duration // import i's time
	}{
		{"steady", func(int) time.Duration { return time.Second }},
		{"the timed import under load", func(i int) time.Duration {
			if i == 0 {
				return 5 * time.Second
			}
			return time.Second
		}},
		{"load from the second import on", func(i int) time.Duration {
			if i == 0 {
				return time.Second
			}
			return 3 * time.Second
		}},
		{"slower as the database grows", func(i int) time.Duration { return time.Second + time.Duration(i)*100*time.Millisecond }},
		{"load that comes and goes", func(i int) time.Duration { return time.Duration(1+(i/4)%3*2) * time.Second }},
	} {
		t.Run(sc.name, func(t *testing.T) {
			late := 0
			for seed := range uint64(20) {
				k := newKillClock(rand.New(rand.NewPCG(seed, 1)))
				killed, n := 0, 20
				for i := range n {
					w := sc.wall(i)
					d, whole := k.delay("kind")
					if whole || d >= w {
						k.ran("kind", w, false, true)
						continue
					}
					killed++
					if d > w*2/3 {
						late++
					}
					k.ran("kind", d, true, d >= w*9/10)
				}
				if killed < n/2 {
					t.Errorf("seed %d: %d of %d imports killed, want most", seed, killed, n)
				}
			}
			if late < 20 {
				t.Errorf("%d imports in all were killed in the last third of their run, want 20 at least: their end (the commit) is hardly killed", late)
			}
		})
	}
}
