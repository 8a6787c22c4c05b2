package cli

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// killClock says when TestImportSurvivesKill9 kills each import: the
// first of each kind runs whole and is timed; each later one is killed
// anywhere from its start to a little after the time a whole import
// takes now. That time changes as the machine's load does (the tests
// share it) and as the database grows, so every import corrects it: one
// that ends by itself is timed; one killed after its commit ended by
// then; one killed before its commit, later than the time known, was
// slower than that, and the clock looks further (half as far again) until
// an import ends before its kill and is timed. Timed once only, a first
// import slowed by load let most later ones end before their kill; a
// machine slowed after it had every later one killed long before its
// commit.
type killClock struct {
	rnd  *rand.Rand
	took map[string]time.Duration
}

func newKillClock(rnd *rand.Rand) *killClock {
	return &killClock{rnd: rnd, took: map[string]time.Duration{}}
}

// delay is how long the next import of kind runs before it is killed;
// whole: it is not killed (it is timed).
func (k *killClock) delay(kind string) (d time.Duration, whole bool) {
	took := k.took[kind]
	if took == 0 {
		return 0, true
	}
	return time.Duration(k.rnd.Int64N(int64(took) * 5 / 4)), false
}

// ran tells the clock how an import of kind went: how long it ran,
// whether it was killed, and whether it had committed.
func (k *killClock) ran(kind string, wall time.Duration, killed, committed bool) {
	switch took := k.took[kind]; {
	case !killed || committed:
		k.took[kind] = wall
	case wall > took:
		k.took[kind] = wall * 3 / 2
	}
}

func (k *killClock) String() string {
	var b strings.Builder
	for kind, took := range k.took {
		fmt.Fprintf(&b, "%s %v; ", kind, took.Round(time.Millisecond))
	}
	return strings.TrimSuffix(b.String(), "; ")
}
