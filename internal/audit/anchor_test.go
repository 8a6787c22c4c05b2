package audit

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var headKey = []byte("anchor test head key, 32 bytes!!")

// memLog is a log in memory, kept as the store keeps it.
type memLog struct {
	mu      sync.Mutex
	entries []Entry
	head    Head
	adds    int // so that entries written again differ from those deleted
}

func (l *memLog) add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.adds++
	for range n {
		last := Head{}
		if len(l.entries) > 0 {
			e := l.entries[len(l.entries)-1]
			last = Head{Seq: e.Seq, Hash: e.Hash}
		}
		e := Next(last, Entry{At: time.Unix(int64(len(l.entries)), 0), Actor: fmt.Sprint("t", l.adds), Action: "create", Kind: "incident", RecordID: "r", Version: 1})
		l.entries = append(l.entries, e)
		l.head = Seal(headKey, e)
	}
}

func (l *memLog) AuditHead(context.Context) (Head, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head, nil
}

func (l *memLog) AuditRange(_ context.Context, after, upTo int64, fn func(Entry) error) error {
	l.mu.Lock()
	entries := l.entries
	l.mu.Unlock()
	for _, e := range entries {
		if e.Seq > after && e.Seq <= upTo {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func newAnchor(t *testing.T, dir string) *Anchor {
	seed := sha256.Sum256([]byte("anchor test"))
	a, err := NewAnchor(dir, seed[:], headKey)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func rootOf(entries []Entry) [32]byte {
	var tr Tree
	for _, e := range entries {
		l, _ := LeafHash(e)
		tr.Append(l)
	}
	return tr.Root()
}

func TestAnchorAdvances(t *testing.T) {
	ctx := context.Background()
	a := newAnchor(t, t.TempDir())
	if _, err := a.Load(); !errors.Is(err, ErrNoCheckpoint) {
		t.Fatalf("Load before any write: %v", err)
	}
	log := &memLog{}
	log.add(3)
	for _, n := range []int{0, 1, 5, 0} {
		log.add(n)
		st, err := a.Advance(ctx, log)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Load()
		if err != nil {
			t.Fatal(err)
		}
		if got.Checkpoint.Size != int64(len(log.entries)) || got.Checkpoint.Root != rootOf(log.entries) || got.Note != st.Note {
			t.Fatalf("stored checkpoint %+v after %d entries", got.Checkpoint, len(log.entries))
		}
		if err := a.Check(log.head); err != nil {
			t.Fatalf("Check of the head just anchored: %v", err)
		}
	}
	text, err := OpenNote([]byte(mustLoad(t, a).Note), a.Key())
	if err != nil || !strings.HasPrefix(text, a.Origin()+"\n9\n") {
		t.Fatalf("published note %q, %v", text, err)
	}
}

func mustLoad(t *testing.T, a *Anchor) *State {
	st, err := a.Load()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Deleting the newest entries and putting back the head sealed before
// them passes the chain and the MAC, but not the checkpoint.
func TestAnchorCatchesRollback(t *testing.T) {
	ctx := context.Background()
	a := newAnchor(t, t.TempDir())
	log := &memLog{}
	log.add(4)
	oldHead := log.head
	log.add(3)
	if _, err := a.Advance(ctx, log); err != nil {
		t.Fatal(err)
	}
	log.entries, log.head = log.entries[:4], oldHead
	var ce *CheckpointError
	if err := a.Check(log.head); !errors.As(err, &ce) || ce.Size != 7 || ce.LogSize != 4 {
		t.Fatalf("Check after rollback: %v", err)
	}
	// New writes on the rolled-back log never enter the checkpoint.
	log.add(5)
	if _, err := a.Advance(ctx, log); !errors.As(err, &ce) {
		t.Fatalf("Advance over a rewritten log: %v", err)
	}
	if st := mustLoad(t, a); st.Checkpoint.Size != 7 {
		t.Fatalf("checkpoint moved to %d", st.Checkpoint.Size)
	}
	// Reset, as after restoring a database on purpose, keeps the old file.
	st, kept, err := a.Reset(ctx, log)
	if err != nil || st.Checkpoint.Size != 9 {
		t.Fatalf("Reset = %+v, %v", st, err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("the replaced checkpoint was not kept: %v", err)
	}
}

func TestAnchorRefusesForgedHead(t *testing.T) {
	a := newAnchor(t, t.TempDir())
	log := &memLog{}
	log.add(2)
	log.add(1)
	log.head.MAC = strings.Repeat("0", 64)
	if _, err := a.Advance(context.Background(), log); err == nil {
		t.Fatal("anchored a head whose MAC does not verify")
	}
	if _, err := a.Load(); !errors.Is(err, ErrNoCheckpoint) {
		t.Errorf("a checkpoint was written: %v", err)
	}
}

func TestAnchorFileTampered(t *testing.T) {
	dir := t.TempDir()
	a := newAnchor(t, dir)
	log := &memLog{}
	log.add(3)
	if _, err := a.Advance(context.Background(), log); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, CheckpointFile)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), "\\n3\\n", "\\n2\\n", 1)), 0o600)
	if _, err := a.Load(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Load of an edited checkpoint: %v", err)
	}
}

// Concurrent writers, each advancing its own anchor on one directory
// (as processes sharing a data directory do), never move the checkpoint
// back, and leave it at the head.
func TestAnchorConcurrent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	log := &memLog{}
	stop, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		var last int64
		for {
			if st, err := newAnchor(t, dir).Load(); err == nil {
				if st.Checkpoint.Size < last {
					t.Errorf("the checkpoint moved back from %d to %d", last, st.Checkpoint.Size)
				}
				last = st.Checkpoint.Size
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	var wg sync.WaitGroup
	for range 8 {
		a := newAnchor(t, dir) // one anchor per "process"
		wg.Go(func() {
			for range 20 {
				log.add(1)
				if _, err := a.Advance(ctx, log); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	<-watched
	if st := mustLoad(t, newAnchor(t, dir)); st.Checkpoint.Size != 160 || st.Checkpoint.Root != rootOf(log.entries) {
		t.Fatalf("checkpoint after concurrent advances: %+v", st.Checkpoint)
	}
}
