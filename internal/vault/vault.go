// Package vault seals small secrets with XChaCha20-Poly1305: a random
// 192-bit nonce per message, so one key can seal many values safely, and
// associated data binding each sealed value to what it is for.
package vault

import (
	"crypto/rand"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrOpen means a sealed value did not authenticate: wrong key, wrong
// purpose, or modified bytes. It never returns partial plaintext.
var ErrOpen = errors.New("sealed value does not open: wrong key, or the bytes were modified")

// Seal encrypts plain under a 32-byte key, bound to ad.
func Seal(key, plain []byte, ad string) []byte {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic("vault: " + err.Error()) // a key of the wrong size is a programming error
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plain, []byte(ad))
}

// Open decrypts what Seal produced with the same key and ad.
func Open(key, sealed []byte, ad string) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	out, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(ad))
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}
