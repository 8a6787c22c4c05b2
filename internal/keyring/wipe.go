package keyring

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Destroy crypto-erases the data directory's key material: the keyring (and
// any copy an interrupted write left behind) is overwritten with random
// bytes, synced and removed, and the failed-unlock counter with it. Every
// key derived from the master key (database, audit, backup signing) is gone
// with it, so the encrypted database can no longer be read by anyone,
// whatever passphrase they know. It returns the paths it destroyed, and
// ErrNoKeyring if there was no keyring to destroy.
//
// Overwriting in place is what a program can do; flash wear-levelling and
// copy-on-write file systems may keep old blocks, which is why the keyring
// is small and its slots are themselves encrypted (see SECURITY.md).
func Destroy(dir string) ([]string, error) {
	var done []string
	had := Exists(dir)
	paths := []string{filepath.Join(dir, FileName)}
	// Leftovers of an interrupted write (see write) hold the master key
	// wrapped exactly like the keyring itself.
	tmps, _ := filepath.Glob(filepath.Join(dir, ".keyring-*"))
	paths = append(paths, tmps...)
	paths = append(paths, filepath.Join(dir, GuardFile))
	var errs []error
	for _, p := range paths {
		err := Shred(p)
		switch {
		case err == nil:
			done = append(done, p)
		case errors.Is(err, fs.ErrNotExist):
		default:
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return done, err
	}
	if !had {
		return done, ErrNoKeyring
	}
	markWiped(dir)
	return done, nil
}

// WipedFile is left in a data directory whose keyring Destroy erased, so
// that the next command says what happened instead of "not initialised".
// It holds only the time of the wipe.
const WipedFile = "rasd.wiped"

func markWiped(dir string) {
	os.WriteFile(filepath.Join(dir, WipedFile), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600)
	syncDir(dir)
}

// Wiped reports whether dir's keyring was destroyed (and no new one made
// since), and when.
func Wiped(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, WipedFile))
	return err == nil && !Exists(dir)
}

// WipedAt returns the time written by the wipe, or "" if unknown.
func WipedAt(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, WipedFile))
	if err != nil {
		return ""
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02 15:04 UTC")
}

// Shred overwrites the file at path with random bytes of the same length,
// syncs it to disk, then removes it and syncs its directory. The overwrite
// reaches the file's blocks on ordinary file systems; see Destroy for the
// limits.
func Shred(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("shred %s: not a regular file", path)
	}
	buf := make([]byte, 64*1024)
	for left := info.Size(); left > 0; {
		n := int(min(left, int64(len(buf))))
		rand.Read(buf[:n])
		if _, err := f.Write(buf[:n]); err != nil {
			f.Close()
			return fmt.Errorf("shred %s: %w", path, err)
		}
		left -= int64(n)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("shred %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("shred %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("shred %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a removal or rename in dir durable; where directories
// cannot be synced (some systems), it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
