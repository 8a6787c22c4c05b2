package evidence

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/vault"
)

// Files are age files (age-encryption.org/v1): a random 128-bit file key
// per file, the payload encrypted in 64 KiB ChaCha20-Poly1305 chunks
// whose nonce carries the chunk counter and a last-chunk flag (the STREAM
// construction), so a file of any size is encrypted and checked while it
// streams, and truncation, reordering or a changed byte is detected. The
// file key is wrapped by our own recipient stanza: XChaCha20-Poly1305
// under a key derived from the keyring, bound to the file's internal name,
// so one file's header cannot be grafted onto another's name.

const stanzaType = "rasd-evidence-v1"

type recipient struct {
	kek  []byte
	blob string
}

func (r recipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	return []*age.Stanza{{Type: stanzaType, Args: []string{r.blob}, Body: vault.Seal(r.kek, fileKey, stanzaType+" "+r.blob)}}, nil
}

func (r recipient) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, s := range stanzas {
		if s.Type != stanzaType || len(s.Args) != 1 || s.Args[0] != r.blob {
			continue
		}
		k, err := vault.Open(r.kek, s.Body, stanzaType+" "+r.blob)
		if err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, age.ErrIncorrectIdentity
}

// newBlobName is a random internal file name: 128 bits in hex. It says
// nothing about the file, its record or when it came in.
func newBlobName() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func validBlobName(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// path is where a blob lives: evidence/ab/cdef…, 256 directories so that
// no directory grows huge.
func (s *Service) path(blob string) string {
	return filepath.Join(s.dir, blob[:2], blob[2:])
}

const tempPrefix = ".tmp-"

// createTemp opens a temporary file in the directory the blob will live
// in, so that the final rename is atomic.
func (s *Service) createTemp(blob string) (*os.File, error) {
	dir := filepath.Dir(s.path(blob))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence directory: %w", err)
	}
	return os.OpenFile(filepath.Join(dir, tempPrefix+blob), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// commitTemp makes a fully written temporary file the blob: its data is
// flushed, then renamed, then the directory flushed, so that after a crash
// the blob is either complete or absent.
func (s *Service) commitTemp(f *os.File, blob string) error {
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), s.path(blob)); err != nil {
		return err
	}
	return syncDir(filepath.Dir(s.path(blob)))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
