package backup

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/keyring"
)

// RestoreOptions say who may have signed a backup and what decrypts it.
type RestoreOptions struct {
	// Trusted are the signer keys accepted; a backup signed by any other
	// key is refused before it is decrypted.
	Trusted []ed25519.PublicKey
	// Identities are tried to decrypt the backup.
	Identities []age.Identity
	// Progress, if not nil, is told how many bytes of how many are done
	// (the file is read twice: to check its signature, then to decrypt;
	// the total counts both).
	Progress func(done, total int64)
}

// SignerError is ErrUntrusted with the key that did sign the backup, for
// the operator to compare with the one they kept.
type SignerError struct {
	Signer string
}

func (e *SignerError) Error() string {
	return fmt.Sprintf("%v: it is signed by %s. If that is the signing key of your data directory (compare it with the 'rasd backup signer' line of your backup identity file, or the backup-signing.pub you kept), name it with --signer", ErrUntrusted, e.Signer)
}

func (e *SignerError) Unwrap() error { return ErrUntrusted }

// ReadHeader reads the clear part of the backup in r (size bytes long) and
// returns it with its length in bytes. Nothing it returns is authenticated
// yet: see Verify.
func ReadHeader(r io.ReaderAt, size int64) (Header, int64, error) {
	var h Header
	buf := make([]byte, min(size, int64(len(Magic)+1+maxHeaderLine)))
	if _, err := r.ReadAt(buf, 0); err != nil && !errors.Is(err, io.EOF) {
		return h, 0, err
	}
	rest, ok := bytes.CutPrefix(buf, []byte(Magic+"\n"))
	if !ok {
		return h, 0, ErrNotBackup
	}
	line, _, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return h, 0, fmt.Errorf("%w: its header line is missing or too long", ErrNotBackup)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || dec.More() {
		return h, 0, fmt.Errorf("%w: its header is damaged", ErrSignature)
	}
	if h.Version > formatVersion {
		return h, 0, fmt.Errorf("this backup says it has format version %d; this rasd reads version %d: use a newer rasd (or the file was modified)", h.Version, formatVersion)
	}
	if h.Version != formatVersion {
		return h, 0, fmt.Errorf("%w: its header is damaged", ErrSignature)
	}
	if _, err := ParseSigner(h.Signer); err != nil {
		return h, 0, fmt.Errorf("%w: its header is damaged", ErrSignature)
	}
	prefix := int64(len(Magic) + 1 + len(line) + 1)
	if size < prefix+sigSize {
		return h, 0, fmt.Errorf("%w (the file is too short)", ErrSignature)
	}
	return h, prefix, nil
}

// Verify checks that the backup in r is whole, unmodified and signed by one
// of trusted, without decrypting anything.
func Verify(r io.ReaderAt, size int64, trusted []ed25519.PublicKey) (Header, error) {
	h, _, err := ReadHeader(r, size)
	if err != nil {
		return h, err
	}
	_, err = verify(context.Background(), r, size, h, trusted, nil)
	return h, err
}

// verify returns the SHA-512 of the signed part after checking the
// signature over it.
func verify(ctx context.Context, r io.ReaderAt, size int64, h Header, trusted []ed25519.PublicKey, progress func(int64)) ([]byte, error) {
	pub, err := ParseSigner(h.Signer)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(trusted, func(k ed25519.PublicKey) bool { return k.Equal(pub) }) {
		return nil, &SignerError{Signer: h.Signer}
	}
	d := sha512.New()
	if _, err := io.Copy(d, &counter{ctx: ctx, r: io.NewSectionReader(r, 0, size-sigSize), fn: progress}); err != nil {
		return nil, err
	}
	sig := make([]byte, sigSize)
	if _, err := r.ReadAt(sig, size-sigSize); err != nil {
		return nil, err
	}
	digest := d.Sum(nil)
	if err := ed25519.VerifyWithOptions(pub, digest, sig, &ed25519.Options{Hash: crypto.SHA512, Context: sigContext}); err != nil {
		return nil, ErrSignature
	}
	return digest, nil
}

// Restore brings the backup file at path back as the new data directory
// dir (see Unpack), which starts with a clean failed-unlock count.
// Cancelling ctx stops it, leaving nothing behind.
func Restore(ctx context.Context, path, dir string, opt RestoreOptions) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Manifest{}, err
	}
	m, err := unpack(ctx, f, info.Size(), dir, opt)
	if err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if err := keyring.ResetFailures(dir); err != nil {
		return m, err
	}
	return m, nil
}

// Unpack checks the backup in r (size bytes long) and writes its members
// into the new data directory dir. It refuses a directory that exists and
// is not empty. The signature is checked before anything is decrypted;
// each member's SHA-256 is checked against the manifest; members are
// written into a temporary directory beside dir (mode 0700, files 0600)
// that becomes dir only once all of it checked out, so a failed restore
// leaves nothing behind.
func Unpack(r io.ReaderAt, size int64, dir string, opt RestoreOptions) (Manifest, error) {
	return unpack(context.Background(), r, size, dir, opt)
}

func unpack(ctx context.Context, r io.ReaderAt, size int64, dir string, opt RestoreOptions) (Manifest, error) {
	var m Manifest
	if err := checkTarget(dir); err != nil {
		return m, err
	}
	h, prefix, err := ReadHeader(r, size)
	if err != nil {
		return m, err
	}
	var done int64
	step := func(n int64) {
		done += n
		if opt.Progress != nil {
			opt.Progress(done, 2*(size-sigSize))
		}
	}
	digest, err := verify(ctx, r, size, h, opt.Trusted, step)
	if err != nil {
		return m, err
	}

	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return m, err
	}
	tmp, err := os.MkdirTemp(parent, ".rasd-restore-*")
	if err != nil {
		return m, err
	}
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o700); err != nil {
		return m, err
	}

	// The second pass hashes what it reads again, so a file swapped or
	// changed after the signature check cannot slip through.
	d := sha512.New()
	body := io.TeeReader(&counter{ctx: ctx, r: io.NewSectionReader(r, 0, size-sigSize), fn: step}, d)
	if _, err := io.CopyN(io.Discard, body, prefix); err != nil {
		return m, err
	}
	plain, err := age.Decrypt(body, opt.Identities...)
	if err != nil {
		if _, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
			return m, ErrNoMatch
		}
		return m, fmt.Errorf("decrypting the backup: %w", err)
	}
	if m, err = extract(plain, tmp, h); err != nil {
		return m, err
	}
	// Reading to the end makes age check the last chunk: a cut-short
	// ciphertext fails here.
	if _, err := io.Copy(io.Discard, plain); err != nil {
		return m, fmt.Errorf("decrypting the backup: %w", err)
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return m, err
	}
	if !bytes.Equal(d.Sum(nil), digest) {
		return m, errors.New("the backup file changed while it was being restored. Nothing was restored")
	}

	syncDir(tmp)
	if err := checkTarget(dir); err != nil {
		return m, err
	}
	os.Remove(dir) // an empty directory given as the target
	if err := os.Rename(tmp, dir); err != nil {
		return m, err
	}
	committed = true
	syncDir(parent)
	return m, nil
}

// extract reads the archive: the manifest, then each member it lists, in
// order, into dir.
func extract(plain io.Reader, dir string, h Header) (Manifest, error) {
	var m Manifest
	tr := tar.NewReader(plain)
	th, err := tr.Next()
	if err != nil || th.Name != manifestName || th.Typeflag != tar.TypeReg || th.Size > maxManifest {
		return m, fmt.Errorf("%w (%s is not its first member)", ErrContent, manifestName)
	}
	dec := json.NewDecoder(tr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("%w (%s: %v)", ErrContent, manifestName, err)
	}
	if err := checkManifest(m, h); err != nil {
		return m, err
	}
	for _, mem := range m.Members {
		th, err := tr.Next()
		if err != nil {
			return m, fmt.Errorf("%w (%s is missing: %v)", ErrContent, mem.Name, err)
		}
		if th.Name != mem.Name || th.Typeflag != tar.TypeReg || th.Size != mem.Size {
			return m, fmt.Errorf("%w (found %q where %s was expected)", ErrContent, th.Name, mem.Name)
		}
		if err := writeMember(filepath.Join(dir, mem.Name), tr, mem); err != nil {
			return m, err
		}
	}
	if th, err := tr.Next(); err != io.EOF {
		name := ""
		if th != nil {
			name = th.Name
		}
		return m, fmt.Errorf("%w (an unlisted member %q follows)", ErrContent, name)
	}
	return m, nil
}

func checkManifest(m Manifest, h Header) error {
	if m.Format != manifestFormat || m.Version != formatVersion {
		return fmt.Errorf("%w (manifest format %q version %d)", ErrContent, m.Format, m.Version)
	}
	if m.Signer != h.Signer {
		return fmt.Errorf("%w (the manifest names another signer than the header)", ErrContent)
	}
	seen := map[string]bool{}
	for _, mem := range m.Members {
		if !validName(mem.Name) || seen[mem.Name] || mem.Size < 0 || len(mem.SHA256) != 2*sha256.Size {
			return fmt.Errorf("%w (bad member entry %q)", ErrContent, mem.Name)
		}
		seen[mem.Name] = true
	}
	for _, name := range required {
		if !seen[name] {
			return fmt.Errorf("%w (%s is not in it)", ErrContent, name)
		}
	}
	return nil
}

func writeMember(path string, r io.Reader, mem Member) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(f, h), r, mem.Size); err != nil {
		return fmt.Errorf("restoring %s: %w", mem.Name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != mem.SHA256 {
		return fmt.Errorf("%w (%s has SHA-256 %s, the manifest says %s)", ErrContent, mem.Name, got, mem.SHA256)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// checkTarget refuses a restore target that exists and holds anything.
func checkTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrTarget, dir, err)
	}
	for _, e := range entries {
		if slices.Contains(required, e.Name()) {
			return fmt.Errorf("%w: %s is an initialised data directory", ErrTarget, dir)
		}
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s is not empty", ErrTarget, dir)
	}
	return nil
}

// counter reports how many bytes pass through it, and stops when ctx is
// cancelled.
type counter struct {
	ctx context.Context
	r   io.Reader
	fn  func(int64)
}

func (c *counter) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if c.fn != nil && n > 0 {
		c.fn(int64(n))
	}
	return n, err
}

// syncDir makes the entries of dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
