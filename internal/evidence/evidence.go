// Package evidence keeps evidence files: photos, documents, recordings
// attached to an incident or a person. A file is hashed (SHA-256) and
// encrypted while it streams in, stored under a random name in the data
// directory's evidence/ folder and never changed again; its metadata and
// chain of custody are in the store, its hash only keyed and sealed
// (hash.go). Working copies for sharing are made on demand with location
// and device metadata removed (see strip*.go).
package evidence

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vault"
)

// DirName is the evidence folder inside the data directory.
const DirName = "evidence"

// DefaultMaxSize bounds one file (a few minutes of phone video).
const DefaultMaxSize = 200 << 20

// ErrTooLarge and ErrType refuse a file at intake; nothing is kept.
var (
	ErrTooLarge = errors.New("the file is larger than the evidence size limit: split the recording or ask the administrator to raise --evidence-max")
	ErrType     = errors.New("this type of file is not accepted as evidence: accepted are images, PDF, plain text, Office and OpenDocument files, audio and video")
	ErrEmpty    = errors.New("the file is empty")
	// ErrScript refuses a program or script, whatever its name: errors
	// that wrap it also wrap ErrType.
	ErrScript = errors.New("this file holds a program or script, which is never taken in as evidence, whatever its name; " +
		"if the program itself is evidence (malware sent to someone), give it to your security contact instead")
	// ErrUpload wraps a failure to read what was sent (connection cut,
	// malformed form): the sender's side, not the store's.
	ErrUpload = errors.New("the upload was interrupted or malformed: send the file again")
)

// DamagedError says a stored original does not decrypt or no longer
// matches the hash taken at intake.
type DamagedError struct {
	ID, Blob, Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("evidence %s (file %s/%s/%s) is damaged or was modified: %s; restore that file from a backup",
		e.ID, DirName, e.Blob[:2], e.Blob[2:], e.Reason)
}

// Service stores and reads evidence files.
type Service struct {
	dir     string
	st      store.Store
	fileKEK []byte // wraps each file's random key
	nameKey []byte // seals original file names and SHA-256 hashes
	hashKey []byte // keys the hash the database compares (hash.go)
	// MaxSize is the largest file accepted, in bytes.
	MaxSize int64
}

// New opens the evidence folder of dataDir. key is the keyring's
// Derive("evidence").
func New(dataDir string, st store.Store, key []byte) (*Service, error) {
	if len(key) != 32 {
		return nil, errors.New("evidence: a 32-byte key is required")
	}
	dir := filepath.Join(dataDir, DirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence folder: %w", err)
	}
	sub := func(p string) []byte {
		k, err := hkdf.Key(sha256.New, key, nil, "rasd evidence "+p, 32)
		if err != nil {
			panic(err)
		}
		return k
	}
	return &Service{dir: dir, st: st, fileKEK: sub("file keys"), nameKey: sub("names"), hashKey: sub("sha256 hmac"),
		MaxSize: DefaultMaxSize}, nil
}

// Add takes in one file for the record parentKind/parentID: it detects
// the type from the content, refuses what is not allowed or too large,
// and streams the rest through SHA-256 and encryption into a temporary
// file (ciphertext only, plaintext never touches the disk), which becomes
// the stored original before the metadata row commits. The original name
// is kept only sealed in the row.
func (s *Service) Add(ctx context.Context, actor, parentKind, parentID, name string, r io.Reader) (*model.Evidence, error) {
	name, _ = CleanName(name)
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrUpload, err)
	}
	head = head[:n]
	if n == 0 {
		return nil, ErrEmpty
	}
	typ := Detect(head)
	if what, ok := Programs[typ]; ok {
		return nil, fmt.Errorf("%w: %w (this one looks like %s)", ErrType, ErrScript, what)
	}
	if _, ok := Allowed[typ]; !ok {
		return nil, fmt.Errorf("%w (this one looks like %s)", ErrType, typ)
	}
	blob := newBlobName()
	f, err := s.createTemp(blob)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w, err := age.Encrypt(f, recipient{s.fileKEK, blob})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	var seen io.Writer = h
	scan := &scriptScanner{}
	if typ == "text/plain" { // script past the first bytes: read it all
		seen = io.MultiWriter(h, scan)
	}
	src := &sourceReader{r: io.LimitReader(io.MultiReader(bytes.NewReader(head), r), s.MaxSize+1)}
	size, err := io.Copy(w, io.TeeReader(src, seen))
	if src.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUpload, src.err)
	}
	if err != nil {
		return nil, fmt.Errorf("writing the evidence file (is the disk full?): %w", err)
	}
	if size > s.MaxSize {
		return nil, ErrTooLarge
	}
	if scan.found != "" {
		return nil, fmt.Errorf("%w: %w (this one holds %s)", ErrType, ErrScript, Programs[scan.found])
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := s.commitTemp(f, blob); err != nil {
		return nil, fmt.Errorf("storing the evidence file: %w", err)
	}
	committed = true
	sum := h.Sum(nil)
	e := &model.Evidence{ParentKind: parentKind, ParentID: parentID, Blob: blob, HashMAC: s.hashMAC(blob, sum),
		SHA256Sealed: s.sealHash(blob, hex.EncodeToString(sum)), Size: size, Type: typ,
		NameSealed: vault.Seal(s.nameKey, []byte(name), "evidence name "+blob)}
	if err := s.st.CreateEvidence(ctx, actor, e); err != nil {
		os.Remove(s.path(blob)) // no row, no file; a crash here leaves an orphan that Clean removes
		return nil, err
	}
	return e, nil
}

// CleanName is a file name as it is kept: without Unicode direction
// controls, which can show "photo\u202egpj.exe" as "photoexe.jpg".
// changed says whether any were removed, for the caller to say so.
func CleanName(name string) (clean string, changed bool) {
	clean = textnorm.StripBidi(name)
	return clean, clean != name
}

// sourceReader remembers a read error, to tell the sender's failures
// from the disk's.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// Name returns the original file name, for display and downloads,
// without direction controls (CleanName), for names taken in before Add
// removed them.
func (s *Service) Name(e *model.Evidence) string {
	b, err := vault.Open(s.nameKey, e.NameSealed, "evidence name "+e.Blob)
	if err != nil {
		return ""
	}
	name, _ := CleanName(string(b))
	return name
}

// Open returns a reader of the original's plaintext. It fails on the
// first chunk that does not authenticate, and at the end if the content
// does not hash to what was recorded at intake; a reader that did not
// reach io.EOF has not been checked. Use Check before sending a file
// somewhere that cannot take back what it got.
func (s *Service) Open(e *model.Evidence) (io.ReadCloser, error) {
	if !validBlobName(e.Blob) {
		return nil, &DamagedError{ID: e.ID, Blob: "00" + e.Blob, Reason: "its internal name is invalid"}
	}
	f, err := os.Open(s.path(e.Blob))
	if err != nil {
		return nil, &DamagedError{ID: e.ID, Blob: e.Blob, Reason: "the file is missing (" + err.Error() + ")"}
	}
	r, err := age.Decrypt(f, recipient{s.fileKEK, e.Blob})
	if err != nil {
		f.Close()
		return nil, &DamagedError{ID: e.ID, Blob: e.Blob, Reason: "its header does not decrypt (" + err.Error() + ")"}
	}
	return &checked{f: f, r: r, s: s, e: e, h: sha256.New()}, nil
}

// checked decrypts and hashes, and turns failures into DamagedError.
type checked struct {
	f *os.File
	r io.Reader
	s *Service
	e *model.Evidence
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	n    int64
	done error
}

func (c *checked) Read(p []byte) (int, error) {
	if c.done != nil {
		return 0, c.done
	}
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	switch {
	case errors.Is(err, io.EOF):
		if why := c.s.mismatch(c.e, c.h.Sum(nil), c.n); why != "" {
			c.done = &DamagedError{ID: c.e.ID, Blob: c.e.Blob, Reason: why}
			return n, c.done
		}
		c.done = io.EOF
	case err != nil:
		c.done = &DamagedError{ID: c.e.ID, Blob: c.e.Blob, Reason: "it does not decrypt (" + err.Error() + ")"}
	}
	return n, c.done
}

func (c *checked) Close() error { return c.f.Close() }

// Check decrypts the whole original and compares its hash with the one
// taken at intake.
func (s *Service) Check(e *model.Evidence) error {
	r, err := s.Open(e)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(io.Discard, r)
	return err
}

// Verify checks every stored original and calls bad for each that fails;
// it returns how many it checked.
func (s *Service) Verify(ctx context.Context, bad func(e model.Evidence, err error)) (int, error) {
	all, err := s.st.ListEvidence(ctx, "", "")
	if err != nil {
		return 0, err
	}
	for _, e := range all {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := s.Check(&e); err != nil {
			bad(e, err)
		}
	}
	return len(all), nil
}
