package audit

import (
	"crypto/sha256"
	"encoding/binary"
)

// An import writes one entry for all the records it creates: its digest
// is the root of a Merkle tree (the checkpoint's, RFC 6962) whose leaves
// are those records, in the order the import created them. A leaf binds a
// record's kind, ID and time of creation to the digest of its version 1,
// so that 'rasd audit verify' can recompute the tree from the records as
// stored and name the one that differs (docs/audit.md, "Imports").

// RecordLeaf is the leaf hash of one record an import created:
// SHA-256(0x00 ‖ kind ‖ id ‖ at ‖ digest), each of the first three
// length-prefixed (8 bytes, big-endian) as in an entry's hash, at in
// RFC 3339 with nanoseconds (UTC), digest the 32 bytes of the SHA-256 of
// the record's version 1 as the store serialises it.
func RecordLeaf(kind, id, at string, digest [sha256.Size]byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte{0})
	var n [8]byte
	for _, s := range []string{kind, id, at} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	h.Write(digest[:])
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}
