package evidence

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vault"
)

// A file's SHA-256 would let whoever holds the database confirm that the
// organisation holds a file they have too (a leaked photo, a witness's
// recording). So the database keeps it only in two forms that need the
// keyring (docs/evidence.md, "Hashes"):
//   - the sha256 column: HMAC-SHA256 under a key derived from
//     Derive("evidence"), of the file's internal name and its SHA-256;
//     custody entries in the audit log bind to it;
//   - sha256_sealed: the SHA-256 itself (hex), sealed with the file's name
//     key, bound to the internal name, for court use and display.
// A check recomputes the SHA-256 and compares it with both.

// hashMAC is the keyed hash kept of a file whose SHA-256 is sum. The
// internal name makes two rows of one file differ too.
func (s *Service) hashMAC(blob string, sum []byte) string {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte("rasd evidence sha256 v1\x00" + blob + "\x00"))
	m.Write(sum)
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Service) sealHash(blob, sum string) []byte {
	return vault.Seal(s.nameKey, []byte(sum), "evidence sha256 "+blob)
}

// SHA256 returns the file's SHA-256 recorded at intake (hex), for
// display, exports and court use; "" if the row's sealed hash is missing
// or does not open (an altered row: Check says so).
func (s *Service) SHA256(e *model.Evidence) string {
	if len(e.SHA256Sealed) == 0 {
		return ""
	}
	b, err := vault.Open(s.nameKey, e.SHA256Sealed, "evidence sha256 "+e.Blob)
	if err != nil {
		return ""
	}
	return string(b)
}

// mismatch says why content of n bytes hashing to sum is not the file e
// recorded at intake, "" if it is.
func (s *Service) mismatch(e *model.Evidence, sum []byte, n int64) string {
	if len(e.SHA256Sealed) == 0 {
		return "its row holds no sealed SHA-256 (taken in before hashes were keyed and not converted, or altered)"
	}
	recorded := s.SHA256(e)
	if recorded == "" {
		return "the SHA-256 sealed in its row does not open (the row was altered)"
	}
	if got := hex.EncodeToString(sum); !hmac.Equal([]byte(got), []byte(recorded)) || n != e.Size {
		return fmt.Sprintf("its content hashes to %s (%d bytes), not %s (%d bytes) as at intake", got, n, recorded, e.Size)
	}
	if !hmac.Equal([]byte(s.hashMAC(e.Blob, sum)), []byte(e.HashMAC)) {
		return "its keyed hash does not match the content (the row was altered)"
	}
	return ""
}

// KeyHashes converts the rows of evidence taken in before hashes were
// keyed, whose sha256 column still holds the plain SHA-256: each file is
// decrypted and hashed, its keyed hash made from what it holds, and the
// hash its row recorded is sealed (so that a file changed since intake
// still fails its check). The keyed hash, which anyone reading the
// database sees, never depends on what the row says: a database writer
// cannot put a guess in the row and use the conversion to test it.
// A file that cannot be read is left as it is and reported to bad: run it
// again once the file is restored. It returns how many rows it converted.
func (s *Service) KeyHashes(ctx context.Context, actor string, bad func(e model.Evidence, err error)) (int, error) {
	all, err := s.st.ListEvidence(ctx, "", "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range all {
		if len(e.SHA256Sealed) > 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
		sum, err := s.hashContent(&e)
		if err != nil {
			bad(e, err)
			continue
		}
		err = s.st.KeyEvidenceHash(ctx, actor, e.ID, e.HashMAC, s.hashMAC(e.Blob, sum), s.sealHash(e.Blob, e.HashMAC))
		if errors.Is(err, store.ErrConflict) {
			continue // another rasd converted it meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// hashContent decrypts e's file and returns the SHA-256 of what it holds,
// without comparing it with anything.
func (s *Service) hashContent(e *model.Evidence) ([]byte, error) {
	if !validBlobName(e.Blob) {
		return nil, &DamagedError{ID: e.ID, Blob: "00" + e.Blob, Reason: "its internal name is invalid"}
	}
	f, err := os.Open(s.path(e.Blob))
	if err != nil {
		return nil, &DamagedError{ID: e.ID, Blob: e.Blob, Reason: "the file is missing (" + err.Error() + ")"}
	}
	defer f.Close()
	r, err := age.Decrypt(f, recipient{s.fileKEK, e.Blob})
	if err != nil {
		return nil, &DamagedError{ID: e.ID, Blob: e.Blob, Reason: "its header does not decrypt (" + err.Error() + ")"}
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, &DamagedError{ID: e.ID, Blob: e.Blob, Reason: "it does not decrypt (" + err.Error() + ")"}
	}
	return h.Sum(nil), nil
}
