package keyring

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShredOverwrites keeps the file open across the shred: the open
// descriptor still reaches the same blocks after the name is gone, and
// must find random bytes of the same length there, not the old content.
func TestShredOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	orig := bytes.Repeat([]byte("master key material "), 1000)
	os.WriteFile(path, orig, 0o600)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Shred(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("shredded file still there: %v", err)
	}
	after := make([]byte, len(orig)+10)
	n, _ := f.ReadAt(after, 0)
	if n != len(orig) {
		t.Errorf("after shred the file holds %d bytes, want %d", n, len(orig))
	}
	if bytes.Contains(after[:n], []byte("master key")) || bytes.Count(after[:n], []byte{0}) > n/64 {
		t.Error("the old content (or zeros) is still in the file's blocks")
	}
}

func TestDestroy(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir, Secret{Passphrase: []byte("correct horse battery")}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".keyring-123"), []byte("interrupted write"), 0o600)
	SetWipeAfter(dir, 5)
	os.WriteFile(filepath.Join(dir, "rasd.db"), []byte("database"), 0o600)
	done, err := Destroy(dir)
	if err != nil || len(done) != 3 {
		t.Fatalf("Destroy: %v %v", done, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 || entries[0].Name() != "rasd.db" || entries[1].Name() != WipedFile {
		t.Errorf("left: %v (want the database and the wiped marker)", entries)
	}
	if _, err := Unlock(dir, Secret{Passphrase: []byte("correct horse battery")}); !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "wiped") {
		t.Errorf("unlock after Destroy: %v", err)
	}
	if _, err := Destroy(dir); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("second Destroy: %v", err)
	}
}

func TestWipeAfter(t *testing.T) {
	dir := t.TempDir()
	right, wrong := Secret{Passphrase: []byte("correct horse battery")}, Secret{Passphrase: []byte("wrong horse")}
	if _, err := Create(dir, right); err != nil {
		t.Fatal(err)
	}
	// Off by default: failures are not even counted.
	for range 5 {
		if _, err := Unlock(dir, wrong); err != ErrWrongPassphrase {
			t.Fatalf("wrong passphrase without a limit: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, GuardFile)); !errors.Is(err, os.ErrNotExist) {
		t.Error("a guard file appeared without --wipe-after")
	}
	if err := SetWipeAfter(dir, 3); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		_, err := Unlock(dir, wrong)
		if !errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrDestroyed) {
			t.Fatalf("failure %d: %v", i, err)
		}
		if _, n, _ := WipeAfter(dir); n != i {
			t.Errorf("count after %d failures: %d", i, n)
		}
	}
	if _, err := Unlock(dir, right); err != nil {
		t.Fatal(err)
	}
	if limit, n, _ := WipeAfter(dir); limit != 3 || n != 0 {
		t.Errorf("after success: limit %d count %d", limit, n)
	}
	Unlock(dir, wrong)
	Unlock(dir, wrong)
	if _, err := Unlock(dir, wrong); !errors.Is(err, ErrDestroyed) || !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("third failure in a row: %v", err)
	}
	if Exists(dir) {
		t.Fatal("the keyring survived the limit")
	}
	if _, err := Unlock(dir, right); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("unlock after the limit: %v", err)
	}
	if err := SetWipeAfter(dir, -1); err == nil {
		t.Error("a negative limit was accepted")
	}
}

func TestDamagedGuardFailsClosed(t *testing.T) {
	dir := t.TempDir()
	Create(dir, Secret{Passphrase: []byte("correct horse battery")})
	os.WriteFile(filepath.Join(dir, GuardFile), []byte("{not json"), 0o600)
	if _, err := Unlock(dir, Secret{Passphrase: []byte("wrong horse")}); !errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("wrong passphrase with a damaged guard: %v", err)
	}
	if !Exists(dir) {
		t.Error("a damaged guard destroyed the keyring")
	}
}
