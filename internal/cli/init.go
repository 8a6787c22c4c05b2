package cli

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
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

func runInit(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "init", "")
	cfg.Register(fs)
	admin := fs.String("admin", "admin", "name of the first administrator account (password from RASD_NEW_PASSWORD, or generated and shown once)")
	var opt initOptions
	fs.BoolVar(&opt.forceNew, "force-new", false, "start afresh in a data directory whose keyring is gone (wiped or lost): its old, unreadable files are moved aside")
	fs.IntVar(&opt.wipeAfter, "wipe-after", 0, "destroy the keyring after `N` failed unlocks in a row (passphrase or key file; 0: never). See SECURITY.md")
	fs.IntVar(&opt.recoveryShares, "recovery-shares", 3, "split the organisation recovery key into `N` shares (0: no recovery key). See docs/recovery.md")
	fs.IntVar(&opt.recoveryThreshold, "recovery-threshold", 2, "shares (`M` of N) needed to recover")
	fs.StringVar(&opt.recoveryOut, "recovery-out", "", "write the recovery shares as files into `DIR` instead of printing them")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := initDataWith(ctx, io, &cfg, opt); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	return addUser(ctx, io, st, cfg.Actor, *admin, model.RoleAdmin, "en")
}

// initOptions are rasd init's choices beyond the common flags.
type initOptions struct {
	forceNew  bool // move aside what a lost or wiped keyring left behind
	wipeAfter int  // failed unlocks in a row that destroy the keyring; 0: off
	// recoveryShares > 0 makes a recovery key split into that many shares,
	// recoveryThreshold of which recover; written to recoveryOut, or printed.
	recoveryShares, recoveryThreshold int
	recoveryOut                       string
}

// initData creates the data directory, its keyring, an empty store and the
// first backup keys.
func initData(ctx context.Context, io IO, cfg *config.Config) error {
	return initDataWith(ctx, io, cfg, initOptions{})
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

func initDataWith(ctx context.Context, io IO, cfg *config.Config, opt initOptions) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if opt.wipeAfter < 0 {
		return fmt.Errorf("%w: --wipe-after must be 0 (off) or more", ErrUsage)
	}
	if opt.recoveryShares != 0 && (opt.recoveryShares < 0 || opt.recoveryShares > keyring.MaxShares ||
		opt.recoveryThreshold < 1 || opt.recoveryThreshold > opt.recoveryShares) {
		return fmt.Errorf("%w: need 1 ≤ --recovery-threshold ≤ --recovery-shares ≤ %d (or --recovery-shares 0 for none)", ErrUsage, keyring.MaxShares)
	}
	if keyring.Exists(cfg.DataDir) {
		return fmt.Errorf("%s is already initialised; choose another --data directory", cfg.DataDir)
	}
	if keyring.Wiped(cfg.DataDir) && !opt.forceNew {
		return wipedError(cfg.DataDir)
	}
	if opt.recoveryShares > 0 {
		if err := checkRecoveryOut(cfg.DataDir, opt.recoveryOut); err != nil {
			return err
		}
	}
	var found []string
	for _, name := range leftovers {
		if fileExists(filepath.Join(cfg.DataDir, name)) {
			found = append(found, name)
		}
	}
	if len(found) > 0 && !opt.forceNew {
		return fmt.Errorf("%s has no keyring but still holds %s: it was wiped, or its keyring was lost.\n"+
			"Nothing can read the old database without its old keyring. If you have a backup, restore it into a new\n"+
			"directory (rasd restore). To start afresh here, run 'rasd init --force-new': the old files are moved aside\n"+
			"(renamed *.old-DATE), not read", cfg.DataDir, strings.Join(found, ", "))
	}
	if len(found) > 0 {
		stamp := time.Now().UTC().Format("20060102T150405Z")
		for _, name := range found {
			from := filepath.Join(cfg.DataDir, name)
			to := from + ".old-" + stamp
			if err := os.Rename(from, to); err != nil {
				return err
			}
			fmt.Fprintf(io.Stderr, "Moved the old %s aside to %s (it cannot be read without its old keyring; delete it when you are sure).\n", name, to)
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if cfg.KeyFile != "" {
		if err := newKeyFile(io, cfg.KeyFile); err != nil {
			return err
		}
	}
	sec, err := secret(cfg, io, "New passphrase for "+cfg.DataDir+": ", true)
	if err != nil {
		return err
	}
	keys, err := keyring.Create(cfg.DataDir, sec)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, keys, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if opt.wipeAfter > 0 {
		if err := keyring.SetWipeAfter(cfg.DataDir, opt.wipeAfter); err != nil {
			return err
		}
	}
	if opt.recoveryShares > 0 {
		if err := giveRecoveryShares(io, cfg.DataDir, keys, opt); err != nil {
			return err
		}
		if err := publishRecoveryKey(ctx, st, cfg.DataDir); err != nil {
			return err
		}
	}
	rcpt, err := backup.Setup(cfg.DataDir, backup.SigningKey(keys).Public().(ed25519.PublicKey))
	if err != nil {
		return fmt.Errorf("creating the backup keys: %w", err)
	}
	fmt.Fprintf(io.Stdout, "Initialised %s (%s store).\n", cfg.DataDir, st.Backend())
	fmt.Fprintf(io.Stdout, "Keep a copy of %s/%s with your backups: without it and the passphrase the data cannot be read.\n", cfg.DataDir, keyring.FileName)
	if opt.wipeAfter > 0 {
		fmt.Fprintf(io.Stdout, "After %d failed unlocks in a row the keyring destroys itself (--wipe-after).\n", opt.wipeAfter)
	}
	fmt.Fprintf(io.Stdout, "\nBackups ('rasd backup') are encrypted to %s.\n", rcpt)
	fmt.Fprintf(io.Stdout, "The key that decrypts them is %s.\n", filepath.Join(cfg.DataDir, backup.IdentityFile))
	fmt.Fprintln(io.Stdout, "MOVE IT OFFLINE NOW: copy it to a USB stick kept in a safe place (and print a paper copy),")
	fmt.Fprintln(io.Stdout, "then delete it from this machine. Left here, it lets whoever takes the machine read every backup.")
	return nil
}

// newKeyFile writes 32 random bytes (hex) to path unless it exists.
func newKeyFile(io IO, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	fmt.Fprintf(io.Stderr, "Created key file %s: anyone with it can unlock the data. Keep it off the machine when not in use.\n", path)
	return nil
}
