package audit

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

// The example of c2sp.org/signed-note, "NoteKey keys": this verifier key
// verifies this note.
const (
	specVKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
	specNote = "This is an example message.\n\n" +
		"— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

func TestSpecVector(t *testing.T) {
	v, err := ParseNoteKey(specVKey)
	if err != nil {
		t.Fatal(err)
	}
	if v.String() != specVKey {
		t.Errorf("verifier key written back as %s", v)
	}
	text, err := OpenNote([]byte(specNote), v)
	if err != nil || text != "This is an example message.\n" {
		t.Fatalf("OpenNote = %q, %v", text, err)
	}
	changed := strings.Replace(specNote, "example message", "example massage", 1)
	if _, err := OpenNote([]byte(changed), v); err == nil || errors.Is(err, ErrNoSignature) {
		t.Errorf("a changed note: err = %v, want a failed signature", err)
	}
}

func testSigner(t *testing.T, name string) *Signer {
	seed := sha256.Sum256([]byte("note test " + name))
	s, err := NewSigner(name, ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignAndOpen(t *testing.T) {
	s := testSigner(t, "rasd-audit/test")
	c := Checkpoint{Origin: "rasd-audit/test", Size: 20852163, Root: sha256.Sum256([]byte("root"))}
	note, err := s.Sign(c.Text())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(note, "rasd-audit/test\n20852163\n") || !strings.Contains(note, "\n\n— rasd-audit/test ") {
		t.Fatalf("note format:\n%s", note)
	}
	v, err := ParseNoteKey(s.NoteKey().String())
	if err != nil {
		t.Fatal(err)
	}
	text, err := OpenNote([]byte(note), v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseCheckpoint(text)
	if err != nil || got != c {
		t.Fatalf("ParseCheckpoint = %+v, %v; want %+v", got, err, c)
	}
	// A witness's cosignature after ours is ignored, not an error.
	other := testSigner(t, "witness.example/w1")
	cosigned := note + strings.SplitN(must(other.Sign(c.Text())), "\n\n", 2)[1]
	if _, err := OpenNote([]byte(cosigned), v); err != nil {
		t.Errorf("note with a second, unknown signature: %v", err)
	}
	// Signed by someone else only: nothing vouches for it.
	if _, err := OpenNote([]byte(must(other.Sign(c.Text()))), v); !errors.Is(err, ErrNoSignature) {
		t.Errorf("note signed by another key: err = %v, want ErrNoSignature", err)
	}
	for _, bad := range []string{
		strings.Replace(note, "20852163", "20852164", 1),
		strings.Replace(note, "\n\n", "\n", 1),
		strings.TrimSuffix(note, "\n"),
		"rasd\x01" + note,
	} {
		if _, err := OpenNote([]byte(bad), v); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func TestParseCheckpointRefuses(t *testing.T) {
	for _, text := range []string{
		"origin\n12\n",
		"origin\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
		"origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
		"origin\n12\nnot base64\n",
		"origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
	} {
		if _, err := ParseCheckpoint(text); err == nil {
			t.Errorf("parsed %q", text)
		}
	}
	// The spec's example checkpoint, extension lines allowed.
	c, err := ParseCheckpoint("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n")
	if err != nil || c.Size != 20852163 || c.Origin != "example.com/behind-the-sofa" {
		t.Errorf("spec example: %+v, %v", c, err)
	}
}

func TestKeyNames(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	for _, name := range []string{"", "has space", "a+b", "tab\tname"} {
		if _, err := NewSigner(name, key); err == nil {
			t.Errorf("key name %q accepted", name)
		}
	}
}
