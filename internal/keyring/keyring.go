// Package keyring keeps the data directory's master key. The master key is
// random; it is stored only wrapped (XChaCha20-Poly1305) under keys derived
// from a passphrase (Argon2id) or a key file, one "slot" each, so that a
// passphrase can change without re-encrypting the database and destroying
// this file erases every copy of the data at once (crypto-erasure).
package keyring

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/vault"
)

// FileName is the keyring's name inside the data directory.
const FileName = "rasd.keyring"

// ErrWrongPassphrase means no slot opened with what was given.
var ErrWrongPassphrase = errors.New("wrong passphrase or key file: the keyring did not open (check RASD_PASSPHRASE or --key-file)")

// ErrNoKeyring means the data directory has no keyring: it was never
// initialised, or it was wiped (see Destroy).
var ErrNoKeyring = errors.New("no keyring (" + FileName + ") in the data directory: this data directory was wiped or never initialised. Run 'rasd init' (or 'rasd demo') to start one, or 'rasd restore' to bring one back from a backup")

// Params are a passphrase slot's Argon2id costs (package kdf sets those
// of new slots).
type Params = kdf.Params

type slot struct {
	Kind    string `json:"kind"` // "passphrase", "keyfile" or "recovery"
	Params  Params `json:"params,omitzero"`
	Salt    []byte `json:"salt"`
	Wrapped []byte `json:"wrapped"` // nonce || ciphertext of the master key
}

type file struct {
	Format  string    `json:"format"`
	Created time.Time `json:"created"`
	Slots   []slot    `json:"slots"`
	// Recovery is the recovery key's public half (see recovery.go).
	Recovery *recoveryInfo `json:"recovery,omitempty"`
}

const format = "rasd-keyring-1"

// Keys is an unlocked keyring.
type Keys struct {
	master []byte
}

// Secret is what unlocks a slot: a passphrase or the bytes of a key file.
type Secret struct {
	Passphrase []byte
	KeyFile    []byte
}

func (s Secret) kind() string {
	if s.KeyFile != nil {
		return "keyfile"
	}
	return "passphrase"
}

func kek(s Secret, sl slot) []byte {
	if sl.Kind == "keyfile" {
		k, err := hkdf.Key(sha256.New, s.KeyFile, sl.Salt, "rasd keyfile kek", 32)
		if err != nil {
			panic(err)
		}
		return k
	}
	p := sl.Params
	return argon2.IDKey(s.Passphrase, sl.Salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

func newSlot(master []byte, s Secret) slot {
	sl := slot{Kind: s.kind(), Salt: make([]byte, 16)}
	rand.Read(sl.Salt)
	if sl.Kind == "passphrase" {
		sl.Params = kdf.Argon2id()
	}
	sl.Wrapped = vault.Seal(kek(s, sl), master, format+" "+sl.Kind)
	return sl
}

// Create makes a new keyring in dir with one slot for s. It refuses to
// overwrite an existing keyring.
func Create(dir string, s Secret) (*Keys, error) {
	if s.KeyFile == nil {
		if err := CheckPassphrase(s.Passphrase); err != nil {
			return nil, err
		}
	}
	master := make([]byte, 32)
	rand.Read(master)
	f := file{Format: format, Created: time.Now().UTC(), Slots: []slot{newSlot(master, s)}}
	if err := write(dir, f, false); err != nil {
		return nil, err
	}
	return &Keys{master: master}, nil
}

// Unlock opens the keyring in dir with s. If dir has a failed-unlock
// limit (see SetWipeAfter), a failure is counted and the keyring destroyed
// at the limit; a success resets the count.
func Unlock(dir string, s Secret) (*Keys, error) {
	f, err := read(dir)
	if err != nil {
		return nil, err
	}
	for _, sl := range f.Slots {
		if sl.Kind != s.kind() {
			continue
		}
		if m, err := vault.Open(kek(s, sl), sl.Wrapped, format+" "+sl.Kind); err == nil && len(m) == 32 {
			if err := ResetFailures(dir); err != nil {
				return nil, fmt.Errorf("resetting the failed-unlock count: %w", err)
			}
			return &Keys{master: m}, nil
		}
	}
	return nil, unlockFailed(dir)
}

// AddSlot lets s unlock the keyring too (e.g. a key file for unattended
// start, or a new passphrase before the old slot is removed).
func (k *Keys) AddSlot(dir string, s Secret) error {
	f, err := read(dir)
	if err != nil {
		return err
	}
	f.Slots = append(f.Slots, newSlot(k.master, s))
	return write(dir, f, true)
}

// Exists reports whether dir holds a keyring.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, FileName))
	return err == nil
}

// Derive returns a 32-byte key for one purpose ("database", "audit", …),
// so that no two uses share a key.
func (k *Keys) Derive(purpose string) []byte {
	out, err := hkdf.Key(sha256.New, k.master, nil, "rasd "+purpose, 32)
	if err != nil {
		panic(err)
	}
	return out
}

func read(dir string) (file, error) {
	var f file
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return f, ErrNoKeyring
	}
	if err != nil {
		return f, err
	}
	if err := json.Unmarshal(b, &f); err != nil || f.Format != format {
		return f, fmt.Errorf("keyring %s is damaged or not a rasd keyring: restore it from a backup", filepath.Join(dir, FileName))
	}
	return f, nil
}

// write replaces the keyring atomically: a torn write must never leave the
// only copy of the master key half-written.
func write(dir string, f file, replace bool) error {
	path := filepath.Join(dir, FileName)
	if !replace && Exists(dir) {
		return fmt.Errorf("%s already exists: this data directory is initialised", path)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".keyring-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
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
	return os.Rename(tmp.Name(), path)
}
