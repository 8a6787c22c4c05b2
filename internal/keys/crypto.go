// Package keys holds rasd's key hierarchy (docs/keys.md): each user's
// X25519 key pair with the private half sealed under their password
// (Argon2id), compartment keys wrapped to every member's public key and to
// the organisation recovery key, and restricted field groups sealed per
// record under a random data key that is wrapped to the compartment key.
// The store only ever sees ciphertext.
//
// Primitives only, none invented: X25519 (crypto/ecdh), HKDF-SHA256
// (crypto/hkdf), XChaCha20-Poly1305 and Argon2id (golang.org/x/crypto).
// Every ciphertext is bound by associated data to where it belongs
// (record, field group, compartment, version, member), so a ciphertext
// moved to another row fails to open instead of decrypting there.
package keys

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrDecrypt is returned for every ciphertext that does not open: wrong
// key, or bytes changed. Nothing is ever returned from such a ciphertext.
var ErrDecrypt = errors.New("the ciphertext does not open: it was changed, or the key is not the one it was sealed to")

const (
	keySize = chacha20poly1305.KeySize
	nonce   = chacha20poly1305.NonceSizeX
	wrapV1  = 1
)

// ad joins the parts of an associated-data context unambiguously.
func ad(parts ...string) []byte {
	return []byte(strings.Join(parts, "\x00"))
}

func newKey() []byte {
	k := make([]byte, keySize)
	rand.Read(k)
	return k
}

// seal encrypts with XChaCha20-Poly1305 under a random nonce: nonce||ct.
func seal(key, plain, assoc []byte) []byte {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic(err) // key size is fixed by this package
	}
	out := make([]byte, nonce, nonce+len(plain)+aead.Overhead())
	rand.Read(out)
	return aead.Seal(out, out, plain, assoc)
}

func open(key, box, assoc []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil || len(box) < nonce+aead.Overhead() {
		return nil, ErrDecrypt
	}
	plain, err := aead.Open(nil, box[:nonce], box[nonce:], assoc)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

// wrapKey derives the key of a wrap from an X25519 shared secret, bound to
// both public keys.
func wrapKey(shared, ephPub, recipPub []byte) []byte {
	k, err := hkdf.Key(sha256.New, shared, append(append([]byte{}, ephPub...), recipPub...), "rasd key wrap v1", keySize)
	if err != nil {
		panic(err)
	}
	return k
}

// wrapTo encrypts secret to a public key: an ephemeral X25519 key
// agreement, HKDF-SHA256, XChaCha20-Poly1305. Format: 1 || ephemeral
// public key (32) || nonce || ciphertext.
func wrapTo(pub, secret, assoc []byte) ([]byte, error) {
	recip, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(recip)
	if err != nil {
		return nil, fmt.Errorf("key agreement: %w", err)
	}
	out := append([]byte{wrapV1}, eph.PublicKey().Bytes()...)
	return append(out, seal(wrapKey(shared, eph.PublicKey().Bytes(), pub), secret, assoc)...), nil
}

// unwrapWith opens what wrapTo made for priv's public key.
func unwrapWith(priv *ecdh.PrivateKey, blob, assoc []byte) ([]byte, error) {
	if len(blob) < 1+32 || blob[0] != wrapV1 {
		return nil, ErrDecrypt
	}
	eph, err := ecdh.X25519().NewPublicKey(blob[1:33])
	if err != nil {
		return nil, ErrDecrypt
	}
	shared, err := priv.ECDH(eph)
	if err != nil {
		return nil, ErrDecrypt
	}
	return open(wrapKey(shared, blob[1:33], priv.PublicKey().Bytes()), blob[33:], assoc)
}
