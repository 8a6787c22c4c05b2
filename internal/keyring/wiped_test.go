package keyring

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDestroyLeavesWipedMarker(t *testing.T) {
	dir := t.TempDir()
	if Wiped(dir) {
		t.Fatal("an empty directory reports a wipe")
	}
	if _, err := Create(dir, Secret{Passphrase: []byte("correct horse battery")}); err != nil {
		t.Fatal(err)
	}
	if Wiped(dir) {
		t.Fatal("a live keyring reports a wipe")
	}
	if _, err := Destroy(dir); err != nil {
		t.Fatal(err)
	}
	if !Wiped(dir) || !strings.HasSuffix(WipedAt(dir), "UTC") {
		t.Fatalf("after Destroy: Wiped %v, WipedAt %q", Wiped(dir), WipedAt(dir))
	}
	b, _ := os.ReadFile(filepath.Join(dir, WipedFile))
	if len(b) > 40 {
		t.Errorf("the marker holds more than a time: %q", b)
	}
	// A new keyring in the same place is not "wiped".
	if _, err := Create(dir, Secret{Passphrase: []byte("correct horse battery")}); err != nil {
		t.Fatal(err)
	}
	if Wiped(dir) {
		t.Error("a new keyring still reports the old wipe")
	}
}
