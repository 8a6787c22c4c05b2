package keyring

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/kdf"
)

func init() { kdf.LowerForTests() }

func TestCreateUnlock(t *testing.T) {
	dir := t.TempDir()
	k, err := Create(dir, Secret{Passphrase: []byte("correct horse battery")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(dir, Secret{Passphrase: []byte("another passphrase")}); err == nil {
		t.Error("Create overwrote an existing keyring")
	}
	k2, err := Unlock(dir, Secret{Passphrase: []byte("correct horse battery")})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.Derive("database"), k2.Derive("database")) {
		t.Error("unlocked keys differ from created keys")
	}
	if bytes.Equal(k.Derive("database"), k.Derive("audit")) {
		t.Error("two purposes share a key")
	}
	if _, err := Unlock(dir, Secret{Passphrase: []byte("wrong horse battery")}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: err = %v", err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, FileName))
	if bytes.Contains(raw, k.master) {
		t.Error("master key stored in the clear")
	}
	if info, _ := os.Stat(filepath.Join(dir, FileName)); info.Mode().Perm() != 0o600 {
		t.Errorf("keyring mode %v, want 0600", info.Mode().Perm())
	}
}

func TestKeyFileSlot(t *testing.T) {
	dir := t.TempDir()
	k, err := Create(dir, Secret{Passphrase: []byte("a long passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	kf := bytes.Repeat([]byte("k"), 64)
	if err := k.AddSlot(dir, Secret{KeyFile: kf}); err != nil {
		t.Fatal(err)
	}
	k2, err := Unlock(dir, Secret{KeyFile: kf})
	if err != nil || !bytes.Equal(k2.master, k.master) {
		t.Fatalf("unlock with key file: %v", err)
	}
	if _, err := Unlock(dir, Secret{KeyFile: bytes.Repeat([]byte("x"), 64)}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong key file: err = %v", err)
	}
	if _, err := Unlock(dir, Secret{Passphrase: []byte("a long passphrase")}); err != nil {
		t.Errorf("passphrase slot lost after adding a key file: %v", err)
	}
}

func TestDamagedAndMissing(t *testing.T) {
	dir := t.TempDir()
	if _, err := Unlock(dir, Secret{Passphrase: []byte("whatever123")}); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("missing keyring: err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, FileName), []byte("{not json"), 0o600)
	if _, err := Unlock(dir, Secret{Passphrase: []byte("whatever123")}); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("damaged keyring: err = %v, want a damage message", err)
	}
	if _, err := Create(t.TempDir(), Secret{Passphrase: []byte("short")}); err == nil {
		t.Error("accepted a 5-character passphrase")
	}
}

func TestFlippedWrappedKey(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir, Secret{Passphrase: []byte("a long passphrase")}); err != nil {
		t.Fatal(err)
	}
	f, _ := read(dir)
	f.Slots[0].Wrapped[30] ^= 0x01
	write(dir, f, true)
	if _, err := Unlock(dir, Secret{Passphrase: []byte("a long passphrase")}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("modified wrapped key: err = %v, want refusal", err)
	}
}
