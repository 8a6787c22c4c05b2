package sqlstore

import (
	"crypto/sha256"
	"sync"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// An import's writer runs SQLite's statements on one core; what Go works
// out for each new incident beforehand (the JSON of its original columns,
// its search words, its snapshot and digest) was a fifth of the writer's
// time (BENCHMARKS.md). A preparer works out the first two on a goroutine
// of its own, ahead of the writer, and createBatch.write makes the
// snapshots on another while the chunk's statements run. The values are
// made by the same functions as the writer's own, so what is stored does
// not change (ImportChunkedAsOneByOne).

// prepareAhead is how many records the preparer works ahead of the
// writer: a lookup window and a chunk, which the writer holds before it
// writes them.
const prepareAhead = lookupWindow + createChunk

// prepared is what the preparer worked out for one incident.
type prepared struct {
	ext   [3]any   // externalCols
	words []string // incidentWords
}

// preparer holds what it worked out, until the writer takes it.
type preparer struct {
	mu   sync.Mutex
	done map[*model.Incident]*prepared
}

// preparable reports whether inc's values can be worked out before the
// writer has it: a record the writer may create in a chunk (batchable),
// without victims. Persons are resolved by the writer (a victim given by
// ID is read from the store, an inline one may be shared by two records
// and is given its ID then), and a victim's names are in the search text.
func preparable(inc *model.Incident) bool {
	return len(inc.Victims) == 0 && batchable(inc)
}

// records passes each record on through a goroutine of its own, working
// out the values of those preparable first.
func (p *preparer) records(each store.Records) store.Records {
	p.done = map[*model.Incident]*prepared{}
	return store.ReadAhead(func(yield func(*model.Incident) error) error {
		return each(func(inc *model.Incident) error {
			if preparable(inc) {
				pr := &prepared{ext: externalCols(inc), words: incidentWords(inc)}
				p.mu.Lock()
				p.done[inc] = pr
				p.mu.Unlock()
			}
			return yield(inc)
		})
	}, prepareAhead)
}

// take returns (and forgets) what was worked out for inc, if anything.
// A nil preparer has nothing.
func (p *preparer) take(inc *model.Incident) *prepared {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pr := p.done[inc]
	delete(p.done, inc)
	return pr
}

// snapshotJob makes the snapshot of each incident of a chunk and its
// digest on a goroutine of its own, while the chunk's statements run
// (which only read the incidents).
type snapshotJob struct {
	snaps    [][]byte
	sums     [][sha256.Size]byte
	done     chan struct{}
	panicked any
}

// snapshots starts a snapshotJob for incs, given their externalCols.
func snapshots(incs []*model.Incident, exts [][3]any) *snapshotJob {
	j := &snapshotJob{snaps: make([][]byte, len(incs)), sums: make([][sha256.Size]byte, len(incs)), done: make(chan struct{})}
	go func() {
		defer close(j.done)
		defer func() { j.panicked = recover() }()
		for i, inc := range incs {
			j.snaps[i] = incidentSnapshotExt(inc, exts[i])
			j.sums[i] = sha256.Sum256(j.snaps[i])
		}
	}()
	return j
}

// wait returns the snapshots and digests once made.
func (j *snapshotJob) wait() ([][]byte, [][sha256.Size]byte) {
	<-j.done
	if j.panicked != nil {
		panic(j.panicked) // in the writer, as without the goroutine
	}
	return j.snaps, j.sums
}
