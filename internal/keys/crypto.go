// Package keys holds rasd's key hierarchy (docs/keys.md): each user's
// X25519 key pair with the private half sealed under their password
// (Argon2id), compartment keys wrapped to every member's public key and to
// the organisation recovery key, and restricted field groups sealed per
// record under a random data key that is wrapped to the compartment key.
// The store only ever sees ciphertext.
//
// Primitives only, none invented: HPKE (RFC 9180, crypto/hpke) with
// X25519, HKDF-SHA256 and ChaCha20-Poly1305 for key wraps;
// XChaCha20-Poly1305 and Argon2id (golang.org/x/crypto) for sealed fields
// and sealed private keys.
// Every ciphertext is bound by associated data to where it belongs
// (record, field group, compartment, version, member), so a ciphertext
// moved to another row fails to open instead of decrypting there.
package keys

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/vault"
	"golang.org/x/crypto/chacha20poly1305"
)

// ErrDecrypt is returned for every ciphertext that does not open: wrong
// key, or bytes changed. Nothing is ever returned from such a ciphertext.
var ErrDecrypt = errors.New("the ciphertext does not open: it was changed, or the key is not the one it was sealed to")

const (
	keySize = chacha20poly1305.KeySize
	nonce   = chacha20poly1305.NonceSizeX
	// wrapV1 wraps were made by hand (X25519, HKDF, XChaCha20-Poly1305):
	// still opened, no longer made. wrapV2 wraps are HPKE's.
	wrapV1 = 1
	wrapV2 = 3 // 2 starts the store's keyring layer around a wrap (sqlstore/wraplayer.go)
)

// The HPKE suite of key wraps: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// ChaCha20-Poly1305 (RFC 9180's mode base).
var (
	wrapKDF  = hpke.HKDFSHA256()
	wrapAEAD = hpke.ChaCha20Poly1305()
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

// seal encrypts with XChaCha20-Poly1305 under a random nonce (package
// vault): nonce || ciphertext.
func seal(key, plain, assoc []byte) []byte { return vault.Seal(key, plain, string(assoc)) }

// open opens what seal made; every failure is ErrDecrypt.
func open(key, box, assoc []byte) ([]byte, error) {
	if len(key) != keySize {
		return nil, ErrDecrypt
	}
	plain, err := vault.Open(key, box, string(assoc))
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

// wrapTo encrypts secret to a public key with HPKE, its context bound as
// HPKE's info. Format: 3 || encapsulated key || ciphertext.
func wrapTo(pub, secret, assoc []byte) ([]byte, error) {
	recip, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	pk, err := hpke.NewDHKEMPublicKey(recip)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	ct, err := hpke.Seal(pk, wrapKDF, wrapAEAD, assoc, secret)
	if err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	return append([]byte{wrapV2}, ct...), nil
}

// unwrapWith opens what wrapTo made for priv's public key, or a wrap of
// the first format.
func unwrapWith(priv *ecdh.PrivateKey, blob, assoc []byte) ([]byte, error) {
	if len(blob) == 0 {
		return nil, ErrDecrypt
	}
	switch blob[0] {
	case wrapV2:
		k, err := hpke.NewDHKEMPrivateKey(priv)
		if err != nil {
			return nil, ErrDecrypt
		}
		secret, err := hpke.Open(k, wrapKDF, wrapAEAD, assoc, blob[1:])
		if err != nil {
			return nil, ErrDecrypt
		}
		return secret, nil
	case wrapV1:
		return unwrapV1(priv, blob, assoc)
	}
	return nil, ErrDecrypt
}

// wrapKeyV1 derives the key of a first-format wrap from an X25519 shared
// secret, bound to both public keys.
func wrapKeyV1(shared, ephPub, recipPub []byte) []byte {
	k, err := hkdf.Key(sha256.New, shared, append(append([]byte{}, ephPub...), recipPub...), "rasd key wrap v1", keySize)
	if err != nil {
		panic(err)
	}
	return k
}

// wrapV1To makes a wrap of the first format: 1 || ephemeral public key
// (32) || nonce || XChaCha20-Poly1305. Only tests make them now, to prove
// older wraps still open.
func wrapV1To(pub, secret, assoc []byte) ([]byte, error) {
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
	return append(out, seal(wrapKeyV1(shared, eph.PublicKey().Bytes(), pub), secret, assoc)...), nil
}

func unwrapV1(priv *ecdh.PrivateKey, blob, assoc []byte) ([]byte, error) {
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
	return open(wrapKeyV1(shared, blob[1:33], priv.PublicKey().Bytes()), blob[33:], assoc)
}
