package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
)

// mth is RFC 6962 §2.1's definition, recursively, to check Tree against.
func mth(leaves [][sha256.Size]byte) [sha256.Size]byte {
	switch n := len(leaves); n {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return leaves[0]
	default:
		k := 1
		for k*2 < n {
			k *= 2
		}
		return nodeHash(mth(leaves[:k]), mth(leaves[k:]))
	}
}

func entryN(i int) Entry {
	sum := sha256.Sum256([]byte(fmt.Sprint("entry ", i)))
	return Entry{Seq: int64(i + 1), Hash: hex.EncodeToString(sum[:])}
}

func TestTreeMatchesRFC6962(t *testing.T) {
	var tree Tree
	var leaves [][sha256.Size]byte
	for i := range 70 {
		if got, want := tree.Root(), mth(leaves); got != want {
			t.Fatalf("root of %d leaves = %x, want %x", i, got, want)
		}
		again, err := TreeFrom(tree.Size(), tree.Nodes())
		if err != nil || again.Root() != tree.Root() {
			t.Fatalf("stored and rebuilt tree of %d leaves differs: %v", i, err)
		}
		l, err := LeafHash(entryN(i))
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, l)
		tree.Append(l)
	}
}

// An RFC 6962 leaf is the SHA-256 of 0x00 and the data; a node of 0x01
// and its children: a leaf can never pass for a node.
func TestLeafAndNodeDomains(t *testing.T) {
	e := entryN(1)
	raw, _ := hex.DecodeString(e.Hash)
	l, _ := LeafHash(e)
	if l != sha256.Sum256(append([]byte{0}, raw...)) {
		t.Fatal("leaf hash is not SHA-256(0x00 || entry hash)")
	}
	if _, err := LeafHash(Entry{Seq: 3, Hash: "zz"}); err == nil {
		t.Error("a hash that is not hex made a leaf")
	}
	if _, err := TreeFrom(3, []string{hex.EncodeToString(raw)}); err == nil {
		t.Error("a tree of 3 leaves was rebuilt from 1 subtree root")
	}
}

func TestRecordLeafBindsEveryField(t *testing.T) {
	d := sha256.Sum256([]byte(`{"code":"IQ-2019-0001"}`))
	base := RecordLeaf("incident", "0190", "2026-12-07T12:00:00Z", d)
	other := sha256.Sum256([]byte(`{"code":"IQ-2019-0002"}`))
	for name, l := range map[string][32]byte{
		"kind":   RecordLeaf("person", "0190", "2026-12-07T12:00:00Z", d),
		"id":     RecordLeaf("incident", "0191", "2026-12-07T12:00:00Z", d),
		"at":     RecordLeaf("incident", "0190", "2026-12-07T12:00:01Z", d),
		"digest": RecordLeaf("incident", "0190", "2026-12-07T12:00:00Z", other),
		"shift":  RecordLeaf("incident0", "190", "2026-12-07T12:00:00Z", d),
	} {
		if l == base {
			t.Errorf("changing the %s leaves the leaf as it was", name)
		}
	}
	if RecordLeaf("incident", "0190", "2026-12-07T12:00:00Z", d) != base {
		t.Error("the same record gives another leaf")
	}
}
