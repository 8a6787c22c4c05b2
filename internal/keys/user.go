package keys

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/binary"
	"errors"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/model"
)

// ErrWrongPassword is returned when a password does not open a user's key.
var ErrWrongPassword = errors.New("the password does not open this account's key")

// ErrNoUserKey is returned for an account that has no key pair yet.
var ErrNoUserKey = errors.New("this account has no key pair yet: it gets one at its next sign-in")

const (
	sealedV1   = 1
	saltSize   = 16
	sealedHead = 1 + 4 + 4 + 1 + saltSize
)

func userAD(userID string) []byte { return ad("rasd user key v1", userID) }

// NewUserKey gives u a new key pair, the private half sealed under
// password with its own Argon2id salt. On an existing account this is a
// password reset: the old private key becomes unrecoverable, and the
// store drops the account's compartment grants when the user is saved.
// The sealed key is bound to u.ID: for a new account NewUserKey sets it,
// and CreateUser keeps it.
func NewUserKey(u *model.User, password string) error {
	if u.ID == "" {
		u.ID = uuid.Must(uuid.NewV7()).String()
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	u.PublicKey = priv.PublicKey().Bytes()
	u.SealedKey = sealPrivate(u.ID, priv.Bytes(), password)
	return nil
}

func sealPrivate(userID string, priv []byte, password string) []byte {
	salt := make([]byte, saltSize)
	rand.Read(salt)
	p := kdf.Argon2id() // stored in head, so later changes lock no one out
	head := make([]byte, 0, sealedHead)
	head = append(head, sealedV1)
	head = binary.BigEndian.AppendUint32(head, p.Time)
	head = binary.BigEndian.AppendUint32(head, p.MemoryKiB)
	head = append(head, p.Threads)
	head = append(head, salt...)
	k := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keySize)
	defer clear(k)
	return append(head, seal(k, priv, append(userAD(userID), head...))...)
}

// Unseal opens u's private key with password. The caller zeroes the
// returned bytes (clear) when done with them.
func Unseal(u *model.User, password string) ([]byte, error) {
	b := u.SealedKey
	if len(u.PublicKey) == 0 || len(b) == 0 {
		return nil, ErrNoUserKey
	}
	if len(b) < sealedHead || b[0] != sealedV1 {
		return nil, ErrDecrypt
	}
	t, m, th := binary.BigEndian.Uint32(b[1:5]), binary.BigEndian.Uint32(b[5:9]), b[9]
	if t == 0 || t > 20 || m > 1<<21 || th == 0 {
		return nil, ErrDecrypt // refuse costs nobody set, before spending them
	}
	k := argon2.IDKey([]byte(password), b[10:sealedHead], t, m, th, keySize)
	defer clear(k)
	priv, err := open(k, b[sealedHead:], append(userAD(u.ID), b[:sealedHead]...))
	if err != nil {
		return nil, ErrWrongPassword
	}
	key, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil || string(key.PublicKey().Bytes()) != string(u.PublicKey) {
		clear(priv)
		return nil, ErrDecrypt
	}
	return priv, nil
}

// ChangePassword re-seals u's private key under newPassword. The key pair
// and the grants stay; the old password no longer opens it.
func ChangePassword(u *model.User, oldPassword, newPassword string) error {
	priv, err := Unseal(u, oldPassword)
	if err != nil {
		return err
	}
	defer clear(priv)
	u.SealedKey = sealPrivate(u.ID, priv, newPassword)
	u.PasswordHash = account.HashPassword(newPassword)
	return nil
}
