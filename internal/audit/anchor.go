package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// An Anchor keeps the log's latest signed checkpoint outside the database,
// in the data directory, and advances it after every write. Whoever can
// rewrite the database but not read the keyring can then neither delete
// the newest entries (restoring an older head, MAC and all) nor rewrite
// history and re-chain it: the log would no longer contain the checkpoint.
// The checkpoint only ever grows from the tree kept with it, so entries
// rewritten in the database never enter a checkpoint.

// CheckpointFile is the anchor's file in the data directory.
const CheckpointFile = "rasd.checkpoint"

const (
	anchorFormat = "rasd-audit-anchor/1"
	lockFile     = CheckpointFile + ".lock"
)

// ErrNoCheckpoint means the data directory holds no checkpoint yet.
var ErrNoCheckpoint = errors.New("no audit checkpoint in the data directory yet")

// Log is what an anchor reads of the audit log.
type Log interface {
	AuditHead(ctx context.Context) (Head, error)
	// AuditRange calls fn for each entry with after < seq <= upTo, in order.
	AuditRange(ctx context.Context, after, upTo int64, fn func(Entry) error) error
}

// CheckpointError says the log does not contain a checkpoint it should.
type CheckpointError struct {
	Size    int64 // the checkpoint's tree size
	LogSize int64 // the log's
	Reason  string
}

func (e *CheckpointError) Error() string {
	return fmt.Sprintf("the audit log (%d entries) does not contain the checkpoint at %d entries: %s", e.LogSize, e.Size, e.Reason)
}

// State is an anchor's stored checkpoint and the tree that extends it.
type State struct {
	Checkpoint Checkpoint
	Note       string // the signed checkpoint, for publishing
	Last       string // hash of the entry at Checkpoint.Size ("" for none)
	At         time.Time
	tree       Tree
}

type stateFile struct {
	Format     string    `json:"format"`
	Checkpoint string    `json:"checkpoint"`
	Last       string    `json:"last"`
	Tree       []string  `json:"tree"`
	At         time.Time `json:"at"`
}

// Anchor signs and keeps the checkpoints of one data directory.
type Anchor struct {
	dir     string
	signer  *Signer
	headKey []byte
	mu      sync.Mutex // with the file lock: one advance at a time
}

// NewAnchor keeps checkpoints in dir, signed with the Ed25519 key of
// seed (32 bytes, from the keyring), for a log whose head is MACed with
// headKey. The key name and origin are derived from the public key, so
// that two data directories' checkpoints are never confused.
func NewAnchor(dir string, seed, headKey []byte) (*Anchor, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, errors.New("the checkpoint signing seed must be 32 bytes")
	}
	key := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	s, err := NewSigner("rasd-audit/"+hex.EncodeToString(sum[:8]), key)
	if err != nil {
		return nil, err
	}
	return &Anchor{dir: dir, signer: s, headKey: headKey}, nil
}

// Key is the verifier key of the anchor's checkpoints, for publishing
// with them.
func (a *Anchor) Key() *NoteKey { return a.signer.NoteKey() }

// Origin names the log in its checkpoints.
func (a *Anchor) Origin() string { return a.signer.name }

func (a *Anchor) path() string { return filepath.Join(a.dir, CheckpointFile) }

// Load reads and checks the stored checkpoint; ErrNoCheckpoint if none.
func (a *Anchor) Load() (*State, error) {
	b, err := os.ReadFile(a.path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoCheckpoint
	}
	if err != nil {
		return nil, fmt.Errorf("audit checkpoint: %w", err)
	}
	damaged := func(why string) error {
		return fmt.Errorf("the audit checkpoint %s is damaged (%s): keep a copy of it (it is evidence); once 'rasd audit checkpoint --reset' has verified the log, it replaces it (docs/audit.md)", a.path(), why)
	}
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil || f.Format != anchorFormat {
		return nil, damaged("not a rasd checkpoint file")
	}
	text, err := OpenNote([]byte(f.Checkpoint), a.Key())
	if err != nil {
		return nil, damaged(err.Error())
	}
	c, err := ParseCheckpoint(text)
	if err != nil {
		return nil, damaged(err.Error())
	}
	if c.Origin != a.Origin() {
		return nil, damaged("it names another log")
	}
	t, err := TreeFrom(c.Size, f.Tree)
	if err != nil {
		return nil, damaged(err.Error())
	}
	if t.Root() != c.Root || (c.Size == 0) != (f.Last == "") {
		return nil, damaged("its tree does not match its signed root")
	}
	return &State{Checkpoint: c, Note: f.Checkpoint, Last: f.Last, At: f.At, tree: t}, nil
}

// Check refuses a write on top of head if the log no longer contains the
// stored checkpoint: its newest entries were deleted, or it was rewritten.
func (a *Anchor) Check(head Head) error {
	st, err := a.Load()
	if errors.Is(err, ErrNoCheckpoint) {
		return nil
	}
	if err != nil {
		return err
	}
	return st.contains(head)
}

func (st *State) contains(head Head) error {
	c := st.Checkpoint
	switch {
	case head.Seq < c.Size:
		return &CheckpointError{Size: c.Size, LogSize: head.Seq, Reason: fmt.Sprintf(
			"the log ends at entry %d, before the checkpoint signed %s: its newest entries were deleted or history rewritten", head.Seq, st.At.Format(time.RFC3339))}
	case head.Seq == c.Size && head.Hash != st.Last:
		return &CheckpointError{Size: c.Size, LogSize: head.Seq, Reason: fmt.Sprintf(
			"entry %d is not the one the checkpoint signed: history rewritten", c.Size)}
	}
	return nil
}

// Advance extends the stored checkpoint (or, if there is none, makes the
// first from the whole log) to the log's sealed head, and returns it. It
// fails, leaving the checkpoint as it was, if the log does not extend it.
func (a *Anchor) Advance(ctx context.Context, log Log) (*State, error) {
	unlock, err := a.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	st, err := a.Load()
	if errors.Is(err, ErrNoCheckpoint) {
		st, err = &State{}, nil
	}
	if err != nil {
		return nil, err
	}
	return a.advance(ctx, log, st)
}

// Reset replaces the stored checkpoint with one made from the whole log as
// it is now, after a restore brought back an older database on purpose.
// The old file is kept beside it. The log's chain and head must verify.
func (a *Anchor) Reset(ctx context.Context, log Log) (*State, string, error) {
	unlock, err := a.lock()
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	kept := ""
	if _, err := os.Stat(a.path()); err == nil {
		kept = a.path() + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(a.path(), kept); err != nil {
			return nil, "", fmt.Errorf("keeping the old checkpoint: %w", err)
		}
	}
	st, err := a.advance(ctx, log, &State{})
	return st, kept, err
}

func (a *Anchor) advance(ctx context.Context, log Log, st *State) (*State, error) {
	head, err := log.AuditHead(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit checkpoint: reading the head: %w", err)
	}
	if err := CheckHead(a.headKey, head); err != nil {
		return nil, err
	}
	if err := st.contains(head); err != nil {
		return nil, err
	}
	if head.Seq == st.Checkpoint.Size && st.Note != "" {
		return st, nil
	}
	tree, last, next := st.tree, st.Last, st.Checkpoint.Size+1
	err = log.AuditRange(ctx, st.Checkpoint.Size, head.Seq, func(e Entry) error {
		switch {
		case e.Seq != next:
			return &CheckpointError{Size: st.Checkpoint.Size, LogSize: head.Seq, Reason: fmt.Sprintf("entry %d is missing", next)}
		case e.Prev != last:
			return &CheckpointError{Size: st.Checkpoint.Size, LogSize: head.Seq, Reason: fmt.Sprintf(
				"entry %d does not follow the entry before it: history rewritten", e.Seq)}
		case Hash(e) != e.Hash:
			return &Error{Seq: e.Seq, Reason: "its content does not match its hash (edited)"}
		}
		leaf, err := LeafHash(e)
		if err != nil {
			return err
		}
		tree.Append(leaf)
		last, next = e.Hash, next+1
		return nil
	})
	if err != nil {
		return nil, err
	}
	if next-1 != head.Seq || last != head.Hash {
		return nil, &Error{Seq: next, Reason: fmt.Sprintf("the log ends at entry %d but the sealed head says %d (truncated or rewritten)", next-1, head.Seq)}
	}
	c := Checkpoint{Origin: a.Origin(), Size: head.Seq, Root: tree.Root()}
	note, err := a.signer.Sign(c.Text())
	if err != nil {
		return nil, err
	}
	out := &State{Checkpoint: c, Note: note, Last: last, At: time.Now().UTC().Truncate(time.Second), tree: tree}
	return out, a.store(out)
}

// store replaces the checkpoint file atomically: a crash leaves the old
// checkpoint or the new one, never part of one.
func (a *Anchor) store(st *State) error {
	b, err := json.MarshalIndent(stateFile{Format: anchorFormat, Checkpoint: st.Note, Last: st.Last,
		Tree: st.tree.Nodes(), At: st.At}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(a.dir, ".checkpoint-*")
	if err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), a.path())
	}
	if err != nil {
		return fmt.Errorf("audit checkpoint: writing %s: %w", a.path(), err)
	}
	return nil
}

// lock holds the anchor against other goroutines and, through a lock on
// a file beside it, other processes using the same data directory.
func (a *Anchor) lock() (func(), error) {
	a.mu.Lock()
	release, err := lockPath(filepath.Join(a.dir, lockFile))
	if err != nil {
		a.mu.Unlock()
		return nil, fmt.Errorf("audit checkpoint: locking: %w", err)
	}
	return func() { release(); a.mu.Unlock() }, nil
}

// CheckHead reports whether head's MAC verifies under key.
func CheckHead(key []byte, head Head) error {
	if !hmac.Equal([]byte(head.MAC), []byte(mac(key, head.Seq, head.Hash))) {
		return &Error{Seq: head.Seq, Reason: "the sealed head does not verify (head edited, or wrong key)"}
	}
	return nil
}

// Path is the checkpoint file's path.
func (a *Anchor) Path() string { return a.path() }
