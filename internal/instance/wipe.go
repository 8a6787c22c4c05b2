package instance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// Wiped is what Wipe destroyed and what it left, for the person who
// pressed the button (rasd wipe prints it; the web panic action shows that
// it happened).
type Wiped struct {
	// Destroyed are the files overwritten with random bytes, synced and
	// deleted.
	Destroyed []string
	// KeyringDestroyed says that the master key, and every key derived
	// from it, is gone.
	KeyringDestroyed bool
	// RecoveryM of RecoveryN shares recovered the keyring before the wipe
	// (0 without a recovery key): they now open only older copies of it.
	RecoveryM, RecoveryN int
	// Database and Evidence are the embedded database and the evidence
	// folder, left in place under destroyed keys ("" if absent).
	Database, Evidence string
}

// CheckWipe refuses a directory with nothing to wipe: neither a keyring
// nor a backup identity.
func CheckWipe(dir string) error {
	if !keyring.Exists(dir) && !exists(filepath.Join(dir, backup.IdentityFile)) {
		return fmt.Errorf("%s: nothing to wipe: %w", dir, keyring.ErrNoKeyring)
	}
	return nil
}

// Wipe crypto-erases dir: the keyring (keyring.Destroy), the backup
// identity that decrypts every backup, and the files that tie this machine
// to the organisation's backups and signing key. rasd wipe and the web
// panic action both call it. It asks for nothing: whoever can call it can
// destroy. With an error, some key material may remain; what was
// destroyed is in the result either way.
func Wipe(dir string) (Wiped, error) {
	var w Wiped
	w.RecoveryM, w.RecoveryN, _ = keyring.RecoveryThreshold(dir) // read now: the wipe destroys it
	destroyed, kerr := keyring.Destroy(dir)
	if errors.Is(kerr, keyring.ErrNoKeyring) {
		kerr = nil
	}
	var errs []error
	if kerr != nil {
		errs = append(errs, kerr)
	}
	// The audit checkpoints name this directory's log and are signed by its
	// key: kept, they would tie the machine to checkpoints published.
	paths := []string{backup.IdentityFile, backup.SignerFile, backup.RecipientsFile, audit.CheckpointFile, audit.CheckpointFile + ".lock"}
	for _, pattern := range []string{audit.CheckpointFile + ".replaced-*", ".checkpoint-*"} {
		more, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range more {
			paths = append(paths, filepath.Base(m))
		}
	}
	for _, name := range paths {
		p := filepath.Join(dir, name)
		switch err := keyring.Shred(p); {
		case err == nil:
			destroyed = append(destroyed, p)
		case !errors.Is(err, os.ErrNotExist):
			errs = append(errs, err)
		}
	}
	w.Destroyed = destroyed
	w.KeyringDestroyed = slices.Contains(destroyed, filepath.Join(dir, keyring.FileName))
	if p := filepath.Join(dir, sqlite.FileName); exists(p) {
		w.Database = p
	}
	if p := filepath.Join(dir, evidence.DirName); exists(p) {
		w.Evidence = p
	}
	return w, errors.Join(errs...)
}
