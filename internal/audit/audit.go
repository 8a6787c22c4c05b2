// Package audit defines rasd's tamper-evident audit log: every write
// appends an entry holding the hash of the entry before it, and a head
// records the last entry under a MAC. Editing, deleting, reordering or
// truncating entries breaks the chain or disagrees with the head, and
// Verify names the first bad entry. The SHA-256 chain can be checked by
// anyone with the rows; the head's MAC needs the data directory's key, so a
// database administrator cannot rewrite history and re-seal it.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Entry is one line of the log.
type Entry struct {
	Seq      int64     // 1, 2, 3, … without gaps
	At       time.Time // UTC, microsecond precision
	Actor    string    // account name, or "cli" for the command line
	Action   string    // create, update, import, delete, read, …
	Kind     string    // incident, person, …
	RecordID string
	Version  int
	Digest   string // hex SHA-256 of the record's stored snapshot
	Prev     string // hex hash of the previous entry ("" for the first)
	Hash     string // hex hash of this entry
}

// Head is the last entry's position and hash, sealed with a MAC.
type Head struct {
	Seq  int64
	Hash string
	MAC  string
}

// Hash computes an entry's hash from its fields and the previous hash.
// Fields are length-prefixed so that no two entries encode alike.
func Hash(e Entry) string {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	put(e.At.UTC().Format(time.RFC3339Nano))
	put(e.Actor)
	put(e.Action)
	put(e.Kind)
	put(e.RecordID)
	binary.BigEndian.PutUint64(n[:], uint64(e.Version))
	h.Write(n[:])
	put(e.Digest)
	put(e.Prev)
	return hex.EncodeToString(h.Sum(nil))
}

// Next fills in e's sequence, previous hash and hash to follow head.
func Next(head Head, e Entry) Entry {
	e.Seq = head.Seq + 1
	e.Prev = head.Hash
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = Hash(e)
	return e
}

// Seal returns the head for e, MACed with key.
func Seal(key []byte, e Entry) Head {
	return Head{Seq: e.Seq, Hash: e.Hash, MAC: mac(key, e.Seq, e.Hash)}
}

func mac(key []byte, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "rasd audit head %d %s", seq, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// Error names the first entry that fails verification.
type Error struct {
	Seq    int64
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks entries one at a time, in the order they are stored.
type Verifier struct {
	key  []byte
	last Entry
	n    int64
}

// NewVerifier starts a verification with the head MAC key.
func NewVerifier(key []byte) *Verifier { return &Verifier{key: key} }

// Add checks the next stored entry.
func (v *Verifier) Add(e Entry) error {
	want := v.last.Seq + 1
	switch {
	case e.Seq != want:
		return &Error{Seq: want, Reason: fmt.Sprintf("expected entry %d, found %d (deleted or reordered)", want, e.Seq)}
	case e.Prev != v.last.Hash:
		return &Error{Seq: e.Seq, Reason: "does not follow the entry before it (deleted, reordered or rewritten)"}
	case Hash(e) != e.Hash:
		return &Error{Seq: e.Seq, Reason: "its content does not match its hash (edited)"}
	}
	v.last = e
	v.n++
	return nil
}

// Finish checks the chain's end against the sealed head and returns the
// number of entries verified.
func (v *Verifier) Finish(head Head) (int64, error) {
	if err := CheckHead(v.key, head); err != nil {
		return v.n, err
	}
	if head.Seq != v.last.Seq {
		return v.n, &Error{Seq: v.last.Seq + 1, Reason: fmt.Sprintf("the log ends at entry %d but the head says %d (truncated)", v.last.Seq, head.Seq)}
	}
	if head.Hash != v.last.Hash {
		return v.n, &Error{Seq: head.Seq, Reason: "the last entry is not the one the head sealed (rewritten)"}
	}
	return v.n, nil
}
