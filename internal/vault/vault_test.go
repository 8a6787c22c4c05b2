package vault

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	sealed := Seal(key, []byte("+964 770 000 0000"), "contact")
	if got, err := Open(key, sealed, "contact"); err != nil || string(got) != "+964 770 000 0000" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if bytes.Contains(sealed, []byte("964")) {
		t.Error("plaintext visible in sealed value")
	}
	for i := range sealed {
		c := bytes.Clone(sealed)
		c[i] ^= 1
		if _, err := Open(key, c, "contact"); !errors.Is(err, ErrOpen) {
			t.Fatalf("flipped byte %d: err = %v, want ErrOpen", i, err)
		}
	}
	if _, err := Open(key, sealed, "other purpose"); !errors.Is(err, ErrOpen) {
		t.Error("opened under another purpose")
	}
	if _, err := Open(bytes.Repeat([]byte{8}, 32), sealed, "contact"); !errors.Is(err, ErrOpen) {
		t.Error("opened under another key")
	}
	if _, err := Open(key, sealed[:10], "contact"); !errors.Is(err, ErrOpen) {
		t.Error("opened a truncated value")
	}
}
