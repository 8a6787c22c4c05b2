// Package backup writes and restores rasd backups: encrypted, signed
// archives of a data directory.
//
// A backup file is, byte for byte:
//
//	rasd-backup/1\n                            magic line
//	{"version":1,"signer":"ed25519:…"}\n       header (JSON), in the clear
//	age-encryption.org/v1\n…                   age ciphertext (X25519 recipients)
//	64 bytes                                   signature
//
// The signature is Ed25519ph (RFC 8032: Ed25519 over the SHA-512 of the
// message, so a backup of any size is signed in one pass) with context
// "rasd-backup/1", over every byte before it, by the header's signer. age
// hides the content but does not say who wrote it (anyone who knows the
// recipient's public key can encrypt to it); the signature does, and it is
// checked before anything is decrypted. The signer must be one the restorer
// trusts already (from the identity file rasd init wrote, or given by
// hand): a valid signature by a stranger's key proves nothing.
//
// The age plaintext is a tar archive: manifest.json first (format version,
// time, rasd version, audit head, and the name, size and SHA-256 of every
// member), then the members in the manifest's order: the keyring, the
// database (a consistent snapshot, still encrypted page by page under the
// database key) and the small files beside them.
//
// To read one with the age tool alone: strip the first two lines and the
// last 64 bytes, then age -d -i backup-identity.txt | tar x.
package backup

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
)

// Magic is the first line of every backup file (without its newline).
const Magic = "rasd-backup/1"

// formatVersion is the header's and the manifest's version.
const formatVersion = 1

// manifestFormat names the manifest's JSON format.
const manifestFormat = "rasd-backup-manifest"

// manifestName is the first member of the archive.
const manifestName = "manifest.json"

// sigContext separates rasd backup signatures from any other use of the
// same key (RFC 8032 context string).
const sigContext = "rasd-backup/1"

// Files in the data directory.
const (
	// IdentityFile is the age identity (private key) that decrypts
	// backups. rasd init writes it into the data directory for the
	// administrator to move offline; it must not stay there.
	IdentityFile = "backup-identity.txt"
	// RecipientsFile lists the age public keys backups are encrypted to,
	// one a line.
	RecipientsFile = "backup-recipients.txt"
	// SignerFile holds the public half of the backup signing key.
	SignerFile = "backup-signing.pub"
)

// signerPrefix starts a signer public key in text form.
const signerPrefix = "ed25519:"

// Limits on the parts read before they are authenticated or that are
// held in memory.
const (
	maxHeaderLine = 4096
	maxManifest   = 1 << 20
	sigSize       = ed25519.SignatureSize
)

// Errors a restore reports. Each is wrapped with detail.
var (
	ErrNotBackup = errors.New("not a rasd backup (it does not start with \"" + Magic + "\")")
	ErrSignature = errors.New("the backup's signature does not verify: the file was changed, damaged or cut short after it was made. Nothing was restored; use another copy of the backup")
	ErrUntrusted = errors.New("the backup is not signed by a key you trust")
	ErrNoMatch   = errors.New("none of the given identities can decrypt this backup: it was encrypted to other recipients (check --identity)")
	ErrContent   = errors.New("the backup's content does not match its manifest. Nothing was restored")
	ErrTarget    = errors.New("refusing to restore over existing data: restore into a new directory (--data NEWDIR)")
)

// Header is the part of a backup that is in the clear.
type Header struct {
	Version int    `json:"version"`
	Signer  string `json:"signer"` // "ed25519:" + base64 of the public key
}

// Manifest describes a backup's content. It is encrypted with it.
type Manifest struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	Created     time.Time `json:"created"`
	RasdVersion string    `json:"rasd_version"`
	Backend     string    `json:"backend"`
	Signer      string    `json:"signer"`
	AuditHead   AuditHead `json:"audit_head"`
	Members     []Member  `json:"members"`
}

// AuditHead is the audit log's head in the backed-up database: restoring
// the backup brings the log back to exactly this entry.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Member is one file of the backup.
type Member struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // hex
}

// required are the members without which a backup restores nothing usable.
var required = []string{keyring.FileName, store.SQLiteFile}

// SigningKey is the data directory's backup signing key, derived from its
// master key: it exists wherever the keyring is unlocked and is destroyed
// with it.
func SigningKey(keys *keyring.Keys) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(keys.Derive("backup signing"))
}

// FormatSigner writes a signer public key as text ("ed25519:…").
func FormatSigner(pub ed25519.PublicKey) string {
	return signerPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParseSigner reads a signer public key written by FormatSigner.
func ParseSigner(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, signerPrefix))
	if !strings.HasPrefix(s, signerPrefix) || err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not a backup signer key (ed25519: and 44 base64 characters)", s)
	}
	return ed25519.PublicKey(b), nil
}

// validName accepts a member name that can only mean a file inside the
// data directory: no "..", no absolute path, no hidden element.
func validName(name string) bool {
	if !fs.ValidPath(name) || strings.ContainsAny(name, `\:`) || len(name) > 255 || name == manifestName {
		return false
	}
	// Up to three folders deep (evidence/ab/NAME), nothing hidden.
	parts := strings.Split(name, "/")
	for _, p := range parts {
		if strings.HasPrefix(p, ".") {
			return false
		}
	}
	return len(parts) <= 3
}
