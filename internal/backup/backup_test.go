package backup

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

// fixture is a data directory's worth of files and the keys to back it up.
type fixture struct {
	files   []File
	content map[string][]byte
	key     ed25519.PrivateKey
	id      *age.X25519Identity
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	f := fixture{content: map[string][]byte{
		"rasd.keyring":          []byte(`{"format":"rasd-keyring-1","slots":[]}`),
		"rasd.db":               make([]byte, 3*4096+17), // several age chunks' worth is not needed; a few pages is
		"backup-recipients.txt": []byte("# none\n"),
		"empty":                 {},
	}}
	rand.Read(f.content["rasd.db"])
	for _, name := range []string{"rasd.keyring", "rasd.db", "backup-recipients.txt", "empty"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, f.content[name], 0o644); err != nil {
			t.Fatal(err)
		}
		f.files = append(f.files, File{Name: name, Path: p})
	}
	_, f.key, _ = ed25519.GenerateKey(nil)
	f.id, _ = age.GenerateX25519Identity()
	return f
}

func (f fixture) pub() ed25519.PublicKey { return f.key.Public().(ed25519.PublicKey) }

func (f fixture) write(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	m := Manifest{Created: time.Now(), RasdVersion: "test", Backend: "sqlite", AuditHead: AuditHead{Seq: 7, Hash: "abc"}}
	if _, err := Write(&buf, m, f.files, f.key, []age.Recipient{f.id.Recipient()}, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// spy is an identity that counts how often it is asked to decrypt.
type spy struct {
	age.Identity
	calls int
}

func (s *spy) Unwrap(st []*age.Stanza) ([]byte, error) {
	s.calls++
	return s.Identity.Unwrap(st)
}

func restore(t *testing.T, b []byte, dir string, trusted ed25519.PublicKey, id age.Identity) (Manifest, error) {
	t.Helper()
	return Unpack(bytes.NewReader(b), int64(len(b)), dir, RestoreOptions{
		Trusted:    []ed25519.PublicKey{trusted},
		Identities: []age.Identity{id},
	})
}

func TestRoundTrip(t *testing.T) {
	f := newFixture(t)
	b := f.write(t)
	if !bytes.HasPrefix(b, []byte(Magic+"\n{\"version\":1,\"signer\":\""+FormatSigner(f.pub())+"\"}\nage-encryption.org/v1\n")) {
		t.Fatalf("unexpected start of file: %q", b[:200])
	}
	for name, c := range f.content {
		if len(c) > 8 && bytes.Contains(b, c[:len(c)/2]) {
			t.Errorf("%s appears in the clear in the backup", name)
		}
	}
	dir := filepath.Join(t.TempDir(), "restored")
	var progressed int64
	m, err := Unpack(bytes.NewReader(b), int64(len(b)), dir, RestoreOptions{
		Trusted:    []ed25519.PublicKey{f.pub()},
		Identities: []age.Identity{f.id},
		Progress:   func(done, total int64) { progressed = done },
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * int64(len(b)-sigSize); progressed != want {
		t.Errorf("progress ended at %d of %d", progressed, want)
	}
	if m.AuditHead.Seq != 7 || m.RasdVersion != "test" || m.Signer != FormatSigner(f.pub()) || len(m.Members) != 4 {
		t.Errorf("manifest: %+v", m)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("restored directory: %v %v", info, err)
	}
	for name, c := range f.content {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, c) {
			t.Errorf("%s restored wrong: %v", name, err)
		}
		if info, _ := os.Stat(filepath.Join(dir, name)); info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, info.Mode().Perm())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(f.content) {
		t.Errorf("restored %d files, want %d", len(entries), len(f.content))
	}
}

// TestTamper changes the backup in every part, one byte at a time, and
// expects each copy refused before anything is decrypted, with nothing
// left on disk.
func TestTamper(t *testing.T) {
	f := newFixture(t)
	b := f.write(t)
	_, prefix, err := ReadHeader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	hdrStart := int64(len(Magic) + 1)
	signerAt := int64(bytes.Index(b, []byte(signerPrefix))) + int64(len(signerPrefix)) + 5
	end := int64(len(b))
	positions := map[string]int64{
		"magic first byte":      0,
		"magic newline":         hdrStart - 1,
		"header version":        int64(bytes.Index(b, []byte(`"version":1`))) + 10,
		"header signer":         signerAt,
		"header newline":        prefix - 1,
		"ciphertext first byte": prefix,
		"age header":            prefix + 30,
		"ciphertext middle":     prefix + (end-sigSize-prefix)/2,
		"ciphertext last byte":  end - sigSize - 1,
		"signature first byte":  end - sigSize,
		"signature middle":      end - sigSize/2,
		"signature last byte":   end - 1,
	}
	for i := range 24 { // and a spread across the whole file
		positions[fmt.Sprintf("offset %d/24", i)] = end * int64(i) / 24
	}
	variants := map[string][]byte{
		"cut by one byte":     b[:len(b)-1],
		"cut to the header":   b[:prefix],
		"one byte appended":   append(bytes.Clone(b), 0),
		"empty":               {},
		"signature zeroed":    append(bytes.Clone(b[:end-sigSize]), make([]byte, sigSize)...),
		"signature truncated": b[:end-sigSize],
	}
	for what, at := range positions {
		for _, flip := range []byte{0x01, 0x80} {
			c := bytes.Clone(b)
			c[at] ^= flip
			variants[fmt.Sprintf("%s (offset %d ^%#x)", what, at, flip)] = c
		}
	}
	for what, c := range variants {
		parent := t.TempDir()
		dir := filepath.Join(parent, "restored")
		s := &spy{Identity: f.id}
		_, err := restore(t, c, dir, f.pub(), s)
		switch {
		case err == nil:
			t.Errorf("%s: restored", what)
		case !errors.Is(err, ErrSignature) && !errors.Is(err, ErrNotBackup) && !errors.Is(err, ErrUntrusted):
			t.Errorf("%s: unexpected error %v", what, err)
		}
		if s.calls != 0 {
			t.Errorf("%s: decryption was attempted before the signature was checked", what)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("%s: left %v behind", what, entries)
		}
	}
	// The untouched file still restores, so the refusals above were not
	// for some other reason.
	if _, err := restore(t, b, filepath.Join(t.TempDir(), "ok"), f.pub(), f.id); err != nil {
		t.Fatal(err)
	}
}

func TestErrorMessages(t *testing.T) {
	f := newFixture(t)
	b := f.write(t)
	c := bytes.Clone(b)
	c[len(c)/2] ^= 1
	_, err := restore(t, c, filepath.Join(t.TempDir(), "x"), f.pub(), f.id)
	if err == nil || !strings.Contains(err.Error(), "signature does not verify") || !strings.Contains(err.Error(), "Nothing was restored") {
		t.Errorf("modified backup: %v", err)
	}
	_, err = restore(t, []byte("PK\x03\x04 a zip file"), filepath.Join(t.TempDir(), "x"), f.pub(), f.id)
	if !errors.Is(err, ErrNotBackup) {
		t.Errorf("not a backup: %v", err)
	}
}

// TestForgedBySomeoneElse: anyone can encrypt to the recipient's public
// key and sign with a key of their own. Such a file is whole and validly
// signed, and must still be refused.
func TestForgedBySomeoneElse(t *testing.T) {
	f := newFixture(t)
	forger := f
	_, forger.key, _ = ed25519.GenerateKey(nil)
	b := forger.write(t)
	s := &spy{Identity: f.id}
	_, err := restore(t, b, filepath.Join(t.TempDir(), "x"), f.pub(), s)
	var se *SignerError
	if !errors.As(err, &se) || !errors.Is(err, ErrUntrusted) || se.Signer != FormatSigner(forger.pub()) || !strings.Contains(err.Error(), "--signer") {
		t.Fatalf("forged backup: %v", err)
	}
	if s.calls != 0 {
		t.Error("a backup from an untrusted signer was decrypted")
	}
	if _, err := Verify(bytes.NewReader(b), int64(len(b)), []ed25519.PublicKey{forger.pub()}); err != nil {
		t.Errorf("the forger's own key should verify its file: %v", err)
	}
}

// TestMemberHashChecked signs a backup whose manifest disagrees with a
// member, as a bug or a malicious signer might: the signature holds, the
// restore must still refuse.
func TestMemberHashChecked(t *testing.T) {
	f := newFixture(t)
	m := Manifest{Format: manifestFormat, Version: formatVersion, Created: time.Now().UTC().Truncate(time.Second), Signer: FormatSigner(f.pub())}
	var srcs []source
	for _, name := range []string{"rasd.keyring", "rasd.db"} {
		c := f.content[name]
		mem := Member{Name: name, Size: int64(len(c)), SHA256: strings.Repeat("ab", 32)}
		m.Members = append(m.Members, mem)
		srcs = append(srcs, source{mem, bytes.NewReader(c)})
	}
	var buf bytes.Buffer
	if _, err := encode(&buf, m, srcs, f.key, []age.Recipient{f.id.Recipient()}, nil); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	_, err := restore(t, buf.Bytes(), filepath.Join(parent, "x"), f.pub(), f.id)
	if !errors.Is(err, ErrContent) || !strings.Contains(err.Error(), "rasd.keyring has SHA-256") {
		t.Fatalf("mismatched member: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left %v behind", entries)
	}
}

func TestWrongIdentity(t *testing.T) {
	f := newFixture(t)
	b := f.write(t)
	other, _ := age.GenerateX25519Identity()
	if _, err := restore(t, b, filepath.Join(t.TempDir(), "x"), f.pub(), other); !errors.Is(err, ErrNoMatch) {
		t.Errorf("wrong identity: %v", err)
	}
}

func TestTargetRefused(t *testing.T) {
	f := newFixture(t)
	b := f.write(t)
	initialised := t.TempDir()
	os.WriteFile(filepath.Join(initialised, "rasd.keyring"), []byte("mine"), 0o600)
	if _, err := restore(t, b, initialised, f.pub(), f.id); !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), "initialised") {
		t.Errorf("restore over an initialised directory: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(initialised, "rasd.keyring")); string(got) != "mine" {
		t.Error("the existing keyring was changed")
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), nil, 0o600)
	if _, err := restore(t, b, other, f.pub(), f.id); !errors.Is(err, ErrTarget) {
		t.Errorf("restore into a non-empty directory: %v", err)
	}
	empty := t.TempDir()
	if _, err := restore(t, b, empty, f.pub(), f.id); err != nil {
		t.Errorf("restore into an empty directory: %v", err)
	}
}

func TestWriteRefusesIncompleteSet(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	_, err := Write(&buf, Manifest{}, f.files[1:], f.key, []age.Recipient{f.id.Recipient()}, nil)
	if err == nil || !strings.Contains(err.Error(), "rasd.keyring") {
		t.Errorf("backup without a keyring: %v", err)
	}
	bad := append([]File{{Name: "../escape", Path: f.files[0].Path}}, f.files...)
	if _, err := Write(&buf, Manifest{}, bad, f.key, []age.Recipient{f.id.Recipient()}, nil); err == nil {
		t.Error("a member name with a path was accepted")
	}
}

func TestSetup(t *testing.T) {
	dir := t.TempDir()
	_, key, _ := ed25519.GenerateKey(nil)
	pub := key.Public().(ed25519.PublicKey)
	rcpt, err := Setup(dir, pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{IdentityFile, RecipientsFile, SignerFile} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", name, info, err)
		}
	}
	idText, _ := os.ReadFile(filepath.Join(dir, IdentityFile))
	ids, signers, err := ParseIdentityFile(idText)
	if err != nil || len(ids) != 1 || len(signers) != 1 || !signers[0].Equal(pub) {
		t.Fatalf("identity file: %v %v %v", ids, signers, err)
	}
	if !strings.Contains(string(idText), "MOVE IT OFF THE MACHINE") {
		t.Error("the identity file does not say to move it offline")
	}
	rs, err := ReadRecipients(filepath.Join(dir, RecipientsFile))
	if err != nil || len(rs) != 1 || rs[0].(*age.X25519Recipient).String() != rcpt || ids[0].(*age.X25519Identity).Recipient().String() != rcpt {
		t.Errorf("recipients: %v %v", rs, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, SignerFile)); strings.TrimSpace(string(got)) != FormatSigner(pub) {
		t.Errorf("signer file: %q", got)
	}
	if _, err := Setup(dir, pub); err == nil || !errors.Is(err, fs.ErrExist) && !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second Setup: %v", err)
	}
	if _, err := ParseSigner("ed25519:AAAA"); err == nil {
		t.Error("a short signer key was accepted")
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"rasd.db": true, "evidence/ab/0123abcd": true, "evidence/ab": true,
		"": false, ".": false, "..": false, "../rasd.db": false, "/etc/passwd": false, "evidence/../../x": false,
		"evidence/.tmp-123": false, ".hidden": false, "a/b/c/d": false, `evidence\ab\x`: false, "c:x": false,
		manifestName: false, "evidence//x": false,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}
