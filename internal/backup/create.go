package backup

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
)

// Source is an open data directory to back up. Package instance makes one
// (Instance.BackupSource); it is handed in rather than imported, because
// instance sets up and destroys the backup keys through this package.
type Source struct {
	Dir     string        // the data directory
	Keys    *keyring.Keys // its unlocked keys: they derive the signing key
	Backend string        // the store's backend, recorded in the manifest
	// Snapshot copies the database, as one consistent state and encrypted
	// as the original is, into a new file at dst, and returns the audit
	// head of that state.
	Snapshot func(ctx context.Context, dst string) (audit.Head, error)
}

// CreateOptions say where a backup goes and whom it is encrypted to.
type CreateOptions struct {
	Out         string          // a new file; never overwritten
	Recipients  []age.Recipient // age public keys that can decrypt it
	RasdVersion string          // recorded in the manifest
	// Progress, if not nil, is told how many member bytes of how many are
	// written.
	Progress func(done, total int64)
}

// CheckOut refuses a backup file name that is taken: rasd never overwrites
// a backup.
func CheckOut(out string) error {
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name (rasd never overwrites a backup)", out)
	}
	return nil
}

// Create writes a backup of src to the new file opt.Out: the keyring, a
// snapshot of the database, the backup recipients, signer and unlock guard
// files, and the evidence files, signed with the data directory's signing
// key. The snapshot is taken in a hidden folder of the data directory
// (encrypted as the database is) and removed afterwards; the backup is
// written to a hidden file beside opt.Out that takes its name only once
// complete and synced, so a failed backup leaves nothing behind.
func Create(ctx context.Context, src Source, opt CreateOptions) (Manifest, error) {
	if err := CheckOut(opt.Out); err != nil {
		return Manifest{}, err
	}
	if len(opt.Recipients) == 0 {
		return Manifest{}, errors.New("backup: no recipients to encrypt to")
	}
	if src.Snapshot == nil || src.Keys == nil {
		return Manifest{}, errors.New("backup: no open data directory to back up")
	}
	signer := SigningKey(src.Keys)
	if err := WriteSigner(src.Dir, signer.Public().(ed25519.PublicKey)); err != nil {
		return Manifest{}, err
	}
	work, err := os.MkdirTemp(src.Dir, ".backup-*")
	if err != nil {
		return Manifest{}, err
	}
	defer os.RemoveAll(work)
	snap := filepath.Join(work, store.SQLiteFile)
	head, err := src.Snapshot(ctx, snap)
	if err != nil {
		return Manifest{}, err
	}
	files := []File{
		{Name: keyring.FileName, Path: filepath.Join(src.Dir, keyring.FileName)},
		{Name: store.SQLiteFile, Path: snap},
	}
	for _, name := range []string{RecipientsFile, SignerFile, keyring.GuardFile} {
		if p := filepath.Join(src.Dir, name); exists(p) {
			files = append(files, File{Name: name, Path: p})
		}
	}
	// Evidence files are listed after the snapshot: every file the
	// snapshot's rows name is already in place (a file is stored before
	// its row). They are ciphertext already, under the keyring's key.
	ev, err := evidenceFiles(src.Dir)
	if err != nil {
		return Manifest{}, err
	}
	files = append(files, ev...)
	m := Manifest{
		Created:     time.Now(),
		RasdVersion: opt.RasdVersion,
		Backend:     src.Backend,
		AuditHead:   AuditHead{Seq: head.Seq, Hash: head.Hash},
	}
	return writeNewFile(opt.Out, m, files, signer, opt.Recipients, opt.Progress)
}

// writeNewFile writes the backup to a hidden temporary file beside out
// (0600), then renames it to out if out is still free.
func writeNewFile(out string, m Manifest, files []File, key ed25519.PrivateKey, recipients []age.Recipient, progress func(done, total int64)) (Manifest, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return m, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return m, err
	}
	m, err = Write(tmp, m, files, key, recipients, progress)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return m, fmt.Errorf("%w\nNo backup was written", err)
	}
	if exists(out) {
		return m, fmt.Errorf("%s appeared while the backup was being written; not replacing it", out)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return m, err
	}
	syncDir(filepath.Dir(out))
	return m, nil
}

// evidenceFiles lists the stored evidence files of a data directory as
// backup members named evidence/…, leaving out unfinished uploads.
func evidenceFiles(dataDir string) ([]File, error) {
	root := filepath.Join(dataDir, evidence.DirName)
	var out []File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == root {
			return fs.SkipDir // no evidence yet
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dataDir, path)
			if err != nil {
				return err
			}
			out = append(out, File{Name: filepath.ToSlash(rel), Path: path})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing evidence files: %w", err)
	}
	return out, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
