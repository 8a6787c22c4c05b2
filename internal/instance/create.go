package instance

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// CreateOptions are the choices of a new data directory beyond its
// configuration.
type CreateOptions struct {
	ForceNew  bool // move aside what a lost or wiped keyring left behind
	WipeAfter int  // failed unlocks in a row that destroy the keyring; 0: off
	// RecoveryShares > 0 makes a recovery key split into that many
	// shares, RecoveryThreshold of which recover; they are written as
	// files into RecoveryOut if set, or returned to be shown.
	RecoveryShares, RecoveryThreshold int
	RecoveryOut                       string
}

// Created is what Create did that a person must be told. Create returns
// it even when it fails part-way, filled in as far as it got: files moved
// aside or a key file made are worth knowing either way.
type Created struct {
	Moved     []Moved   // leftovers of a lost keyring, moved aside
	KeyFile   string    // the key file Create made ("" if none)
	Recovery  *Recovery // the recovery key's shares (nil without one)
	Keyring   string    // the keyring file, to keep a copy of with the backups
	Recipient string    // the age public key backups are encrypted to
	Identity  string    // the file that decrypts backups: to be moved offline
	WipeAfter int
}

// Moved is a file moved aside by Create.
type Moved struct {
	Name string // its name in the data directory
	To   string // where it is now
}

// leftovers are the files a data directory keeps after its keyring is
// destroyed (rasd wipe) or lost. A new keyring must not silently adopt
// them: the old database would not open with it, and the old backup
// identity may be the only key to the old backups.
var leftovers = []string{
	sqlite.FileName, sqlite.FileName + "-wal", sqlite.FileName + "-shm", sqlite.FileName + "-journal",
	backup.IdentityFile, backup.RecipientsFile, backup.SignerFile, keyring.GuardFile, keyring.WipedFile,
	audit.CheckpointFile,
}

// Create makes cfg's data directory: its keyring (with a new key file if
// cfg names one that does not exist, or the passphrase ask returns), an
// empty store, the unlock guard, the recovery key and its shares, and the
// backup keys. It returns the instance, open.
func Create(ctx context.Context, cfg config.Config, opt CreateOptions, ask Passphrase) (*Instance, *Created, error) {
	c := &Created{}
	if err := checkCreate(cfg, opt); err != nil {
		return nil, c, err
	}
	dir := cfg.DataDir
	var found []string
	for _, name := range leftovers {
		if exists(filepath.Join(dir, name)) {
			found = append(found, name)
		}
	}
	if len(found) > 0 && !opt.ForceNew {
		return nil, c, fmt.Errorf("%s has no keyring but still holds %s: it was wiped, or its keyring was lost.\n"+
			"Nothing can read the old database without its old keyring. If you have a backup, restore it into a new\n"+
			"directory (rasd restore). To start afresh here, run 'rasd init --force-new': the old files are moved aside\n"+
			"(renamed *.old-DATE), not read", dir, strings.Join(found, ", "))
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, name := range found {
		from := filepath.Join(dir, name)
		to := from + ".old-" + stamp
		if err := os.Rename(from, to); err != nil {
			return nil, c, err
		}
		c.Moved = append(c.Moved, Moved{Name: name, To: to})
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, c, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, c, err
	}
	if cfg.KeyFile != "" {
		made, err := newKeyFile(cfg.KeyFile)
		if err != nil {
			return nil, c, err
		}
		if made {
			c.KeyFile = cfg.KeyFile
		}
	}
	sec, err := secret(cfg, ask, true)
	if err != nil {
		return nil, c, err
	}
	keys, err := keyring.Create(dir, sec)
	if err != nil {
		return nil, c, err
	}
	in, err := open(ctx, cfg, keys, true)
	if err != nil {
		return nil, c, err
	}
	if err := setUp(ctx, in, opt, c); err != nil {
		in.Close()
		return nil, c, err
	}
	return in, c, nil
}

// checkCreate refuses, before anything is written, options that cannot
// work and a directory that is not free to create.
func checkCreate(cfg config.Config, opt CreateOptions) error {
	if err := validate(cfg); err != nil {
		return err
	}
	if opt.WipeAfter < 0 {
		return optionErr("--wipe-after must be 0 (off) or more")
	}
	if opt.RecoveryShares != 0 && (opt.RecoveryShares < 0 || opt.RecoveryShares > keyring.MaxShares ||
		opt.RecoveryThreshold < 1 || opt.RecoveryThreshold > opt.RecoveryShares) {
		return optionErr("need 1 ≤ --recovery-threshold ≤ --recovery-shares ≤ %d (or --recovery-shares 0 for none)", keyring.MaxShares)
	}
	if keyring.Exists(cfg.DataDir) {
		return fmt.Errorf("%s is already initialised; choose another --data directory", cfg.DataDir)
	}
	if keyring.Wiped(cfg.DataDir) && !opt.ForceNew {
		return WipedError(cfg.DataDir)
	}
	if opt.RecoveryShares > 0 {
		return CheckRecoveryOut(cfg.DataDir, opt.RecoveryOut)
	}
	return nil
}

// setUp gives a new instance its unlock guard, recovery key and backup
// keys, noting in c what a person must be told.
func setUp(ctx context.Context, in *Instance, opt CreateOptions, c *Created) error {
	if opt.WipeAfter > 0 {
		if err := keyring.SetWipeAfter(in.Dir, opt.WipeAfter); err != nil {
			return err
		}
		c.WipeAfter = opt.WipeAfter
	}
	if opt.RecoveryShares > 0 {
		r, err := in.AddRecovery(ctx, opt.RecoveryThreshold, opt.RecoveryShares, opt.RecoveryOut)
		c.Recovery = r
		if err != nil {
			return err
		}
	}
	rcpt, err := backup.Setup(in.Dir, backup.SigningKey(in.Keys).Public().(ed25519.PublicKey))
	if err != nil {
		return fmt.Errorf("creating the backup keys: %w", err)
	}
	c.Keyring = filepath.Join(in.Dir, keyring.FileName)
	c.Recipient = rcpt
	c.Identity = filepath.Join(in.Dir, backup.IdentityFile)
	return nil
}

// newKeyFile writes 32 random bytes (hex) to path unless it exists, and
// says whether it did.
func newKeyFile(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		return false, fmt.Errorf("key file: %w", err)
	}
	return true, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
