package audit

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Checkpoints are published as C2SP signed notes (c2sp.org/signed-note):
// the text, a blank line, then one line per signature, "— NAME
// base64(key ID || signature)". rasd signs with Ed25519 (signature type
// 0x01); the key ID is the first four bytes of SHA-256(name || 0x0A ||
// 0x01 || public key).

const sigTypeEd25519 = 0x01

// maxNote bounds a note read from a file: a checkpoint is a few hundred
// bytes, and the spec asks verifiers to accept at least 16 signatures.
const maxNote = 64 << 10

// Signer signs notes under a key name.
type Signer struct {
	name string
	key  ed25519.PrivateKey
	id   uint32
}

// NoteKey checks the signatures of one key.
type NoteKey struct {
	Name string
	ID   uint32
	Key  ed25519.PublicKey
}

// NewSigner makes a signer; the name must be a valid key name.
func NewSigner(name string, key ed25519.PrivateKey) (*Signer, error) {
	if !validKeyName(name) {
		return nil, fmt.Errorf("%q is not a note key name (non-empty, no spaces, no '+')", name)
	}
	pub := key.Public().(ed25519.PublicKey)
	return &Signer{name: name, key: key, id: keyID(name, pub)}, nil
}

func keyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', sigTypeEd25519})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func validKeyName(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || r == '+' || r < 0x20
	})
}

// NoteKey returns the verifier key of s's signatures.
func (s *Signer) NoteKey() *NoteKey {
	return &NoteKey{Name: s.name, ID: s.id, Key: s.key.Public().(ed25519.PublicKey)}
}

// Sign returns text as a signed note. text must end in a newline.
func (s *Signer) Sign(text string) (string, error) {
	if err := checkNoteText(text); err != nil {
		return "", err
	}
	sig := make([]byte, 4, 4+ed25519.SignatureSize)
	binary.BigEndian.PutUint32(sig, s.id)
	sig = append(sig, ed25519.Sign(s.key, []byte(text))...)
	return text + "\n— " + s.name + " " + base64.StdEncoding.EncodeToString(sig) + "\n", nil
}

func checkNoteText(text string) error {
	if !strings.HasSuffix(text, "\n") {
		return errors.New("a note's text must end with a newline")
	}
	if !utf8.ValidString(text) || strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\n' }) {
		return errors.New("a note must be UTF-8 without control characters but newlines")
	}
	return nil
}

// String is the verifier key in the spec's text form, NAME+ID+KEY, for
// whoever checks published checkpoints.
func (v *NoteKey) String() string {
	return fmt.Sprintf("%s+%08x+%s", v.Name, v.ID, base64.StdEncoding.EncodeToString(append([]byte{sigTypeEd25519}, v.Key...)))
}

// ParseNoteKey reads a verifier key written by String (or by any tool
// following the spec, for an Ed25519 key).
func ParseNoteKey(vkey string) (*NoteKey, error) {
	bad := func(why string) (*NoteKey, error) {
		return nil, fmt.Errorf("%q is not an Ed25519 verifier key (NAME+KEYID+BASE64): %s", vkey, why)
	}
	// The name has no '+'; the base64 may.
	name, rest, ok1 := strings.Cut(strings.TrimSpace(vkey), "+")
	hexID, b64, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 || !validKeyName(name) {
		return bad("it needs three parts separated by '+'")
	}
	parts := []string{name, hexID, b64}
	id, err := hex.DecodeString(parts[1])
	if err != nil || len(id) != 4 {
		return bad("the key ID is not 8 hexadecimal digits")
	}
	k, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(k) != 1+ed25519.PublicKeySize || k[0] != sigTypeEd25519 {
		return bad("the key is not 0x01 and 32 bytes of Ed25519 public key")
	}
	v := &NoteKey{Name: parts[0], ID: binary.BigEndian.Uint32(id), Key: ed25519.PublicKey(k[1:])}
	if keyID(v.Name, v.Key) != v.ID {
		return bad("the key ID does not match the name and key")
	}
	return v, nil
}

// ErrNoSignature means no signature line of a note came from the trusted
// key: the note may be genuine, but nothing vouches for it here.
var ErrNoSignature = errors.New("the note is not signed by this data directory's audit key")

// OpenNote checks a signed note against v and returns its text.
// Signatures by other keys are ignored, as the spec requires; a signature
// naming v's key that does not verify rejects the note.
func OpenNote(note []byte, v *NoteKey) (string, error) {
	if len(note) > maxNote {
		return "", fmt.Errorf("the note is %d bytes, more than a checkpoint can be", len(note))
	}
	s := string(note)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' }) {
		return "", errors.New("not a signed note: it must be UTF-8 without control characters but newlines")
	}
	i := strings.LastIndex(s, "\n\n")
	if i < 0 || !strings.HasSuffix(s, "\n") {
		return "", errors.New("not a signed note: no blank line before the signatures, or no final newline")
	}
	text, sigs := s[:i+1], s[i+2:]
	verified := false
	for _, line := range strings.Split(strings.TrimSuffix(sigs, "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "— ")
		name, b64, ok2 := strings.Cut(rest, " ")
		if !ok || !ok2 || !validKeyName(name) {
			return "", fmt.Errorf("not a signed note: %q is not a signature line", line)
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(sig) < 4 {
			return "", fmt.Errorf("not a signed note: the signature of %s is not base64 of a key ID and a signature", name)
		}
		if name != v.Name || binary.BigEndian.Uint32(sig) != v.ID {
			continue // another key's: a witness, or a rotated key
		}
		if !ed25519.Verify(v.Key, []byte(text), sig[4:]) {
			return "", fmt.Errorf("the signature of %s does not verify: the note was changed after it was signed", name)
		}
		verified = true
	}
	if !verified {
		return "", ErrNoSignature
	}
	return text, nil
}

// Checkpoint is a C2SP tlog-checkpoint: the log's origin, its size (the
// sequence number of its last entry) and the Merkle root at that size.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   [sha256.Size]byte
}

// Text is the checkpoint's note text.
func (c Checkpoint) Text() string {
	return c.Origin + "\n" + strconv.FormatInt(c.Size, 10) + "\n" + base64.StdEncoding.EncodeToString(c.Root[:]) + "\n"
}

// ParseCheckpoint reads a checkpoint's note text (as OpenNote returns
// it). Extension lines are allowed and ignored.
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || !strings.HasSuffix(text, "\n") {
		return Checkpoint{}, errors.New("not a checkpoint: it needs an origin, a tree size and a root hash, one a line")
	}
	for _, l := range lines {
		if l == "" {
			return Checkpoint{}, errors.New("not a checkpoint: it has an empty line")
		}
	}
	c := Checkpoint{Origin: lines[0]}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("not a checkpoint: tree size %q is not a decimal number without leading zeros", lines[1])
	}
	c.Size = n
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != sha256.Size {
		return Checkpoint{}, fmt.Errorf("not a checkpoint: root hash %q is not base64 of 32 bytes", lines[2])
	}
	copy(c.Root[:], root)
	return c, nil
}
