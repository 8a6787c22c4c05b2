package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// The checkpoint's root is the RFC 6962 Merkle tree hash (§2.1) over the
// log's entries in sequence order, each leaf being an entry's 32-byte
// hash. A chain head alone proves only the chain up to it; a Merkle root
// at size n also lets anyone holding the entries prove that a later root
// extends it (RFC 6962 §2.1.2), which is what C2SP checkpoints are for.

// Tree is a Merkle tree kept as its compact range: the roots of the
// perfect subtrees that cover its leaves, largest first. It takes O(log n)
// space however many leaves it has, so the data directory can keep it and
// extend it with each write.
type Tree struct {
	size  int64
	nodes [][sha256.Size]byte
}

// LeafHash is RFC 6962's hash of one leaf: SHA-256(0x00 || entry hash).
func LeafHash(e Entry) ([sha256.Size]byte, error) {
	raw, err := hex.DecodeString(e.Hash)
	if err != nil || len(raw) != sha256.Size {
		return [sha256.Size]byte{}, &Error{Seq: e.Seq, Reason: "its hash is not 64 hexadecimal digits (edited)"}
	}
	return sha256.Sum256(append([]byte{0}, raw...)), nil
}

func nodeHash(l, r [sha256.Size]byte) [sha256.Size]byte {
	b := make([]byte, 0, 1+2*sha256.Size)
	b = append(b, 1)
	b = append(b, l[:]...)
	return sha256.Sum256(append(b, r[:]...))
}

// Append adds a leaf hash (LeafHash) at the tree's end.
func (t *Tree) Append(leaf [sha256.Size]byte) {
	h := leaf
	// Each trailing one bit of the size is a subtree as large as the one
	// being completed: merge them.
	for s := t.size; s&1 == 1; s >>= 1 {
		h = nodeHash(t.nodes[len(t.nodes)-1], h)
		t.nodes = t.nodes[:len(t.nodes)-1]
	}
	t.nodes = append(t.nodes, h)
	t.size++
}

// Size is the number of leaves.
func (t *Tree) Size() int64 { return t.size }

// Root is the Merkle tree hash of the leaves so far (SHA-256 of nothing
// for an empty tree).
func (t *Tree) Root() [sha256.Size]byte {
	if len(t.nodes) == 0 {
		return sha256.Sum256(nil)
	}
	r := t.nodes[len(t.nodes)-1]
	for i := len(t.nodes) - 2; i >= 0; i-- {
		r = nodeHash(t.nodes[i], r)
	}
	return r
}

// Nodes returns the compact range as hex strings, for storing.
func (t *Tree) Nodes() []string {
	out := make([]string, len(t.nodes))
	for i, n := range t.nodes {
		out[i] = hex.EncodeToString(n[:])
	}
	return out
}

// TreeFrom rebuilds a tree of size leaves from its stored compact range.
func TreeFrom(size int64, nodes []string) (Tree, error) {
	if size < 0 {
		return Tree{}, fmt.Errorf("tree size %d is negative", size)
	}
	want := 0
	for s := size; s > 0; s >>= 1 {
		want += int(s & 1)
	}
	if len(nodes) != want {
		return Tree{}, fmt.Errorf("a tree of %d leaves has %d subtree roots, not %d", size, want, len(nodes))
	}
	t := Tree{size: size, nodes: make([][sha256.Size]byte, len(nodes))}
	for i, n := range nodes {
		b, err := hex.DecodeString(n)
		if err != nil || len(b) != sha256.Size {
			return Tree{}, fmt.Errorf("subtree root %d is not a SHA-256 hash", i)
		}
		copy(t.nodes[i][:], b)
	}
	return t, nil
}
