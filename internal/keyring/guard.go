package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// GuardFile, next to the keyring, holds the optional failed-unlock limit
// (rasd init --wipe-after N) and the count of failed unlocks in a row. It
// is plain JSON: it must be readable before the keyring opens.
//
// The guard stops someone who tries passphrases through rasd itself (at a
// checkpoint, or on a machine left unlocked). It cannot stop someone who
// copies the keyring first and guesses offline; that is what the Argon2id
// cost and a strong passphrase are for.
const GuardFile = "rasd.unlock-guard"

// ErrDestroyed means the failed-unlock limit was reached and the keyring
// has been destroyed.
var ErrDestroyed = errors.New("the keyring has now been destroyed, as this data directory was set up to do after that many failed unlocks in a row (rasd init --wipe-after): its data can no longer be read by anyone; restore it from a backup")

type guard struct {
	WipeAfter int `json:"wipe_after"`
	Failures  int `json:"failures"`
}

// SetWipeAfter makes the keyring in dir destroy itself (see Destroy) after
// n failed unlocks in a row; n = 0 turns that off. The count starts at 0.
func SetWipeAfter(dir string, n int) error {
	if n < 0 {
		return fmt.Errorf("wipe-after must be 0 (off) or more, not %d", n)
	}
	if n == 0 {
		if err := os.Remove(filepath.Join(dir, GuardFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return writeGuard(dir, guard{WipeAfter: n})
}

// WipeAfter returns dir's failed-unlock limit (0 when off) and the failures
// counted so far.
func WipeAfter(dir string) (limit, failures int, err error) {
	g, err := readGuard(dir)
	return g.WipeAfter, g.Failures, err
}

// ResetFailures sets the failed-unlock count to 0 (after a successful
// unlock, or when a data directory is restored from a backup).
func ResetFailures(dir string) error {
	g, err := readGuard(dir)
	if err != nil {
		return err
	}
	if g.Failures == 0 {
		return nil // nothing to write: unlocking must work on read-only media
	}
	g.Failures = 0
	return writeGuard(dir, g)
}

// unlockFailed counts a failed unlock and returns the error Unlock reports;
// at the limit it destroys the keyring.
func unlockFailed(dir string) error {
	g, err := readGuard(dir)
	if err != nil {
		return errors.Join(ErrWrongPassphrase, err)
	}
	if g.WipeAfter == 0 {
		return ErrWrongPassphrase
	}
	g.Failures++
	if g.Failures >= g.WipeAfter {
		if _, err := Destroy(dir); err != nil && !errors.Is(err, ErrNoKeyring) {
			return fmt.Errorf("%w; failed attempt %d of %d, but destroying the keyring failed: %v", ErrWrongPassphrase, g.Failures, g.WipeAfter, err)
		}
		return fmt.Errorf("%w\n%w", ErrWrongPassphrase, ErrDestroyed)
	}
	if err := writeGuard(dir, g); err != nil {
		return errors.Join(ErrWrongPassphrase, fmt.Errorf("counting the failed attempt: %w", err))
	}
	return fmt.Errorf("%w (failed attempt %d of %d in a row: at %d the keyring is destroyed)", ErrWrongPassphrase, g.Failures, g.WipeAfter, g.WipeAfter)
}

func readGuard(dir string) (guard, error) {
	var g guard
	path := filepath.Join(dir, GuardFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return g, nil
	}
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(b, &g); err != nil || g.WipeAfter < 0 || g.Failures < 0 {
		return guard{}, fmt.Errorf("%s is damaged: fix it (%s) or delete it to turn --wipe-after off", path, `{"wipe_after": 5, "failures": 0}`)
	}
	return g, nil
}

func writeGuard(dir string, g guard) error {
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".unlock-guard-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, GuardFile))
}
