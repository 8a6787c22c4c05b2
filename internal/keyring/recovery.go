package keyring

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/secretsharing"

	"github.com/rasd-project/rasd/internal/vault"
)

// The organisation recovery key opens the keyring when every passphrase is
// lost, and is an X25519 key pair to which other keys (compartment keys)
// can be wrapped. It exists only as m-of-n Shamir shares held by different
// people (see docs/recovery.md): the data directory keeps its public half
// and a keyring slot that only the whole key opens, never the key itself.
//
// The key is a random scalar of the Ristretto255 group, because that is
// what the secret sharing library (CIRCL's secretsharing, constant time
// on this group) splits; the slot key and the X25519 key are derived from
// its 32-byte encoding with HKDF.

// recoveryInfo is the recovery key's public record in the keyring file.
type recoveryInfo struct {
	KeyID     string    `json:"key_id"`
	Public    []byte    `json:"x25519_public"`
	Threshold int       `json:"threshold"`
	Shares    int       `json:"shares"`
	Created   time.Time `json:"created"`
}

// MaxShares bounds n: more shares than people to give them to is a
// mistake, and the share index must stay small.
const MaxShares = 16

// ErrNoRecovery means the data directory has no recovery key.
var ErrNoRecovery = errors.New("this data directory has no recovery key (it was initialised without recovery shares): recovery is not possible; restore a backup instead")

// RecoveryKey is the whole recovery key, put together from shares.
type RecoveryKey struct {
	secret []byte // the scalar's 32-byte encoding
	priv   *ecdh.PrivateKey
}

func newRecoveryKey(secret []byte) *RecoveryKey {
	seed, err := hkdf.Key(sha256.New, secret, nil, "rasd recovery x25519", 32)
	if err != nil {
		panic(err)
	}
	priv, err := ecdh.X25519().NewPrivateKey(seed)
	if err != nil {
		panic(err) // any 32 bytes are an X25519 private key
	}
	return &RecoveryKey{secret: secret, priv: priv}
}

// PrivateKey is the recovery X25519 private key, for unwrapping keys that
// were wrapped to RecoveryPublicKey.
func (r *RecoveryKey) PrivateKey() *ecdh.PrivateKey { return r.priv }

// PublicKey is the recovery X25519 public key.
func (r *RecoveryKey) PublicKey() *ecdh.PublicKey { return r.priv.PublicKey() }

// KeyID names the key on every share and in the keyring, so that shares of
// different organisations (or of a replaced key) are never mixed.
func (r *RecoveryKey) KeyID() string { return keyID(r.PublicKey().Bytes()) }

func keyID(pub []byte) string {
	sum := sha256.Sum256(append([]byte("rasd recovery key id "), pub...))
	return hex.EncodeToString(sum[:8])
}

func (r *RecoveryKey) kek(salt []byte) []byte {
	k, err := hkdf.Key(sha256.New, r.secret, salt, "rasd recovery kek", 32)
	if err != nil {
		panic(err)
	}
	return k
}

// SetupRecovery creates a new recovery key for the keyring in dir, adds a
// slot it opens, stores its public half, and returns its n shares, any m
// of which rebuild it. An earlier recovery key (and its shares) stops
// working. The shares are the only copy of the key: the caller hands them
// out and keeps none.
func (k *Keys) SetupRecovery(dir string, m, n int) ([]Share, error) {
	if n < 1 || n > MaxShares || m < 1 || m > n {
		return nil, fmt.Errorf("recovery shares: need 1 ≤ threshold ≤ shares ≤ %d (got %d of %d)", MaxShares, m, n)
	}
	f, err := read(dir)
	if err != nil {
		return nil, err
	}
	g := group.Ristretto255
	secret := g.RandomNonZeroScalar(rand.Reader)
	sb, err := secret.MarshalBinary()
	if err != nil {
		return nil, err
	}
	rk := newRecoveryKey(sb)
	// CIRCL's t is the degree: t+1 shares recover the secret.
	parts := secretsharing.New(rand.Reader, uint(m-1), secret).Share(uint(n))
	shares := make([]Share, n)
	for i, p := range parts {
		v, err := p.Value.MarshalBinary()
		if err != nil {
			return nil, err
		}
		shares[i] = Share{KeyID: rk.KeyID(), Threshold: m, Total: n, Index: i + 1}
		copy(shares[i].Value[:], v)
	}
	sl := slot{Kind: "recovery", Salt: make([]byte, 16)}
	rand.Read(sl.Salt)
	sl.Wrapped = vault.Seal(rk.kek(sl.Salt), k.master, format+" recovery "+rk.KeyID())
	f.Slots = slices.DeleteFunc(f.Slots, func(s slot) bool { return s.Kind == "recovery" })
	f.Slots = append(f.Slots, sl)
	f.Recovery = &recoveryInfo{KeyID: rk.KeyID(), Public: rk.PublicKey().Bytes(), Threshold: m, Shares: n,
		Created: time.Now().UTC()}
	if err := write(dir, f, true); err != nil {
		return nil, err
	}
	return shares, nil
}

// RecoveryPublicKey returns the organisation recovery X25519 public key of
// the data directory dir, and its key id. It needs no unlock: keys for
// recovery can be wrapped to it by anyone.
func RecoveryPublicKey(dir string) (*ecdh.PublicKey, string, error) {
	f, err := read(dir)
	if err != nil {
		return nil, "", err
	}
	if f.Recovery == nil {
		return nil, "", ErrNoRecovery
	}
	pub, err := ecdh.X25519().NewPublicKey(f.Recovery.Public)
	if err != nil || keyID(f.Recovery.Public) != f.Recovery.KeyID {
		return nil, "", fmt.Errorf("the recovery public key in %s is damaged: restore the keyring from a backup", FileName)
	}
	return pub, f.Recovery.KeyID, nil
}

// RecoveryThreshold returns how many shares of how many dir's recovery key
// needs (0, 0 without one).
func RecoveryThreshold(dir string) (m, n int, err error) {
	f, err := read(dir)
	if err != nil || f.Recovery == nil {
		return 0, 0, err
	}
	return f.Recovery.Threshold, f.Recovery.Shares, nil
}

// Combine rebuilds the recovery key from shares. It refuses shares of
// different keys, damaged shares (their checksum), and fewer distinct
// shares than the threshold; the result is checked against the key id
// the shares carry, which catches a share that was altered with care.
func Combine(shares []Share) (*RecoveryKey, error) {
	if len(shares) == 0 {
		return nil, errors.New("no recovery shares given")
	}
	first := shares[0]
	byIndex := map[int]Share{}
	for _, s := range shares {
		if s.KeyID != first.KeyID {
			return nil, fmt.Errorf("the shares belong to different recovery keys (key ids %s and %s): use shares of one organisation's current key only", first.KeyID, s.KeyID)
		}
		if s.Threshold != first.Threshold || s.Total != first.Total {
			return nil, fmt.Errorf("share %d of key %s disagrees with the others about how many shares are needed: it is damaged or forged", s.Index, s.KeyID)
		}
		if old, dup := byIndex[s.Index]; dup && old.Value != s.Value {
			return nil, fmt.Errorf("two different shares both claim to be share %d of key %s: one is damaged or forged", s.Index, s.KeyID)
		}
		byIndex[s.Index] = s
	}
	if len(byIndex) < first.Threshold {
		return nil, fmt.Errorf("not enough recovery shares: %d different share(s) of key %s given, %d needed. Ask more share holders for theirs", len(byIndex), first.KeyID, first.Threshold)
	}
	g := group.Ristretto255
	var parts []secretsharing.Share
	for _, s := range byIndex {
		v := g.NewScalar()
		if err := v.UnmarshalBinary(s.Value[:]); err != nil {
			return nil, fmt.Errorf("share %d of key %s is damaged (not a valid share value)", s.Index, s.KeyID)
		}
		parts = append(parts, secretsharing.Share{ID: g.NewScalar().SetUint64(uint64(s.Index)), Value: v})
	}
	secret, err := secretsharing.Recover(uint(first.Threshold-1), parts)
	if err != nil {
		return nil, err
	}
	sb, err := secret.MarshalBinary()
	if err != nil {
		return nil, err
	}
	rk := newRecoveryKey(sb)
	if rk.KeyID() != first.KeyID {
		return nil, fmt.Errorf("the shares did not combine into recovery key %s: one of them is damaged or forged. Try another combination of shares", first.KeyID)
	}
	return rk, nil
}

// UnlockRecovery opens the keyring in dir with the recovery key, after
// checking it is dir's recovery key.
func UnlockRecovery(dir string, r *RecoveryKey) (*Keys, error) {
	f, err := read(dir)
	if err != nil {
		return nil, err
	}
	if f.Recovery == nil {
		return nil, ErrNoRecovery
	}
	if f.Recovery.KeyID != r.KeyID() {
		return nil, fmt.Errorf("these shares belong to recovery key %s, but this data directory's recovery key is %s: they are another organisation's, or of a key that was replaced", r.KeyID(), f.Recovery.KeyID)
	}
	for _, sl := range f.Slots {
		if sl.Kind != "recovery" {
			continue
		}
		if m, err := vault.Open(r.kek(sl.Salt), sl.Wrapped, format+" recovery "+r.KeyID()); err == nil && len(m) == 32 {
			return &Keys{master: m}, nil
		}
	}
	return nil, fmt.Errorf("the recovery slot of %s did not open with recovery key %s: the keyring is damaged; restore it from a backup", FileName, r.KeyID())
}

// ReplacePassphrases removes every passphrase slot and adds one for s: a
// lost (or suspected known) passphrase stops opening the keyring. Key
// file and recovery slots stay.
func (k *Keys) ReplacePassphrases(dir string, s Secret) error {
	if s.KeyFile != nil {
		return errors.New("ReplacePassphrases takes a passphrase")
	}
	if err := CheckPassphrase(s.Passphrase); err != nil {
		return err
	}
	f, err := read(dir)
	if err != nil {
		return err
	}
	f.Slots = slices.DeleteFunc(f.Slots, func(s slot) bool { return s.Kind == "passphrase" })
	f.Slots = append(f.Slots, newSlot(k.master, s))
	return write(dir, f, true)
}
