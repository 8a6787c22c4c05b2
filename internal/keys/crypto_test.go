package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/model"
)

func TestWrapRoundTripAndBinding(t *testing.T) {
	for name, wrap := range map[string]func(pub, secret, assoc []byte) ([]byte, error){"hpke": wrapTo, "v1": wrapV1To} {
		t.Run(name, func(t *testing.T) { testWrap(t, wrap) })
	}
}

// TestNewWrapsAreHPKE: new wraps are RFC 9180's, not the hand-made first
// format; a wrap of the first format still opens (TestWrapRoundTripAndBinding).
func TestNewWrapsAreHPKE(t *testing.T) {
	priv, _ := ecdh.X25519().GenerateKey(rand.Reader)
	w, err := wrapTo(priv.PublicKey().Bytes(), newKey(), ad("x"))
	if err != nil || w[0] != wrapV2 {
		t.Fatalf("a new wrap starts with %d, %v", w[0], err)
	}
	// 1 + DHKEM(X25519)'s 32-byte encapsulated key + 32 + ChaCha20-Poly1305's tag.
	if len(w) != 1+32+keySize+16 {
		t.Fatalf("a new wrap is %d bytes", len(w))
	}
}

func testWrap(t *testing.T, wrap func(pub, secret, assoc []byte) ([]byte, error)) {
	priv, _ := ecdh.X25519().GenerateKey(rand.Reader)
	other, _ := ecdh.X25519().GenerateKey(rand.Reader)
	secret := newKey()
	w, err := wrap(priv.PublicKey().Bytes(), secret, ad("ctx", "a"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := unwrapWith(priv, w, ad("ctx", "a")); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := unwrapWith(other, w, ad("ctx", "a")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("another key opened the wrap: %v", err)
	}
	if _, err := unwrapWith(priv, w, ad("ctx", "b")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("the wrap opened in another context: %v", err)
	}
	for i := range w {
		c := bytes.Clone(w)
		c[i] ^= 0x80
		if got, err := unwrapWith(priv, c, ad("ctx", "a")); err == nil {
			t.Fatalf("byte %d flipped, wrap opened to %x", i, got)
		}
	}
}

func TestUnsealWrongPasswordAndFlips(t *testing.T) {
	kdf.LowerForTests()
	u := &model.User{}
	if err := NewUserKey(u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || len(u.PublicKey) != 32 {
		t.Fatalf("NewUserKey: id %q, public key %d bytes", u.ID, len(u.PublicKey))
	}
	if _, err := Unseal(u, "wrong horse battery"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	for i := range u.SealedKey {
		c := *u
		c.SealedKey = bytes.Clone(u.SealedKey)
		c.SealedKey[i] ^= 1
		if _, err := Unseal(&c, "correct horse battery"); err == nil {
			t.Fatalf("byte %d of the sealed key flipped, and it opened", i)
		}
	}
	moved := *u
	moved.ID = "another account"
	if _, err := Unseal(&moved, "correct horse battery"); err == nil {
		t.Error("a sealed key copied to another account opened")
	}
}

// FuzzUnwrap feeds arbitrary bytes to the wrap and box parsers: they
// must refuse without panicking.
func FuzzUnwrap(f *testing.F) {
	priv, _ := ecdh.X25519().GenerateKey(rand.Reader)
	w, _ := wrapTo(priv.PublicKey().Bytes(), newKey(), ad("x"))
	w1, _ := wrapV1To(priv.PublicKey().Bytes(), newKey(), ad("x"))
	f.Add(w)
	f.Add(w1)
	f.Add([]byte{1})
	f.Add([]byte{3})
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.Equal(b, w) || bytes.Equal(b, w1) {
			return
		}
		if _, err := unwrapWith(priv, b, ad("x")); err == nil {
			t.Fatal("arbitrary bytes unwrapped")
		}
		if _, err := open(newKey(), b, nil); err == nil {
			t.Fatal("arbitrary bytes opened")
		}
	})
}
