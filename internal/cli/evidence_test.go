package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceCLI: add, list, verify, export (working copy and original,
// both in the chain of custody), and verify failing on a flipped byte.
func TestEvidenceCLI(t *testing.T) {
	dir := newData(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", in); code != 0 {
		t.Fatal(stderr)
	}
	jpg, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "IMG_Nasiriyah.jpg")
	os.WriteFile(src, jpg, 0o600)
	code, out, stderr := run(t, "evidence", "add", "--data", dir, "--incident", "IQ-2019-0001", src)
	sum := sha256.Sum256(jpg)
	if code != 0 || !strings.Contains(out, hex.EncodeToString(sum[:])) {
		t.Fatalf("add: %d %q %q", code, out, stderr)
	}
	id := strings.Fields(out)[0]
	// The list names the incident by its code, as it was given, not its ID.
	if code, out, _ = run(t, "evidence", "list", "--data", dir); code != 0 || !strings.Contains(out, "IMG_Nasiriyah.jpg") ||
		!strings.Contains(out, hex.EncodeToString(sum[:])) || !strings.Contains(out, id+"  IQ-2019-0001  ") {
		t.Errorf("list: %d %q", code, out)
	}
	if code, out, stderr = run(t, "evidence", "verify", "--data", dir); code != 0 || !strings.Contains(out, "1 original") {
		t.Fatalf("verify: %d %q %q", code, out, stderr)
	}
	copyOut := filepath.Join(t.TempDir(), "share.jpg")
	if code, _, stderr = run(t, "evidence", "export", id, "--data", dir, "--out", copyOut); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	if b, _ := os.ReadFile(copyOut); len(b) == 0 || bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("SecretCam")) {
		t.Error("the exported working copy kept its Exif block")
	}
	origOut := filepath.Join(t.TempDir(), "orig.jpg")
	if code, out, stderr = run(t, "evidence", "export", id, "--data", dir, "--out", origOut, "--original"); code != 0 ||
		!strings.Contains(out, hex.EncodeToString(sum[:])) {
		t.Fatalf("export --original: %s%s", out, stderr)
	}
	if b, _ := os.ReadFile(origOut); !bytes.Equal(b, jpg) {
		t.Error("the exported original differs from what was taken in")
	}
	if code, _, _ = run(t, "evidence", "export", id, "--data", dir, "--out", origOut, "--original"); code == 0 {
		t.Error("export overwrote an existing file")
	}
	// The custody names --actor (RASD_ACTOR), as every other write does.
	t.Setenv("RASD_ACTOR", "field-office")
	code, out, _ = run(t, "evidence", "show", id, "--data", dir)
	for _, want := range []string{"intake", "export-copy", "export-original", "view", "field-office", "sha256    " + hex.EncodeToString(sum[:])} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show: custody lacks %q: %s", want, out)
		}
	}
	// Flip one byte of the stored file: verify fails and names it; export
	// fails and leaves no file.
	var blob string
	filepath.WalkDir(filepath.Join(dir, "evidence"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blob = p
		}
		return nil
	})
	b, _ := os.ReadFile(blob)
	b[len(b)-20] ^= 1
	os.WriteFile(blob, b, 0o600)
	code, _, stderr = run(t, "evidence", "verify", "--data", dir)
	if code == 0 || !strings.Contains(stderr, id) || !strings.Contains(stderr, "damaged") {
		t.Errorf("verify after a flipped byte: %d %q", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.jpg")
	if code, _, stderr = run(t, "evidence", "export", id, "--data", dir, "--out", bad, "--original"); code == 0 || !strings.Contains(stderr, "damaged") {
		t.Errorf("export of a damaged file: %d %q", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a failed export left a file")
	}
	if code, _, stderr = run(t, "audit", "verify", "--data", dir); code != 0 {
		t.Errorf("audit verify after evidence custody: %s", stderr)
	}
}

// TestEvidenceKeyedOnOpen: a data directory whose evidence row keeps the
// plain SHA-256 (as before hashes were keyed) is converted the first time
// an evidence command opens it with the keyring; verify then passes.
func TestEvidenceKeyedOnOpen(t *testing.T) {
	dir := newData(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", in); code != 0 {
		t.Fatal(stderr)
	}
	jpg, _ := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	src := filepath.Join(t.TempDir(), "IMG.jpg")
	os.WriteFile(src, jpg, 0o600)
	if code, _, stderr := run(t, "evidence", "add", "--data", dir, "--incident", "IQ-2019-0001", src); code != 0 {
		t.Fatal(stderr)
	}
	sum := sha256.Sum256(jpg)
	plain := hex.EncodeToString(sum[:])
	st := openSQL(t, dir)
	if _, err := st.SQL().Exec(`UPDATE evidence SET sha256 = ?, sha256_sealed = NULL`, plain); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, stderr := run(t, "evidence", "verify", "--data", dir)
	if code != 0 || !strings.Contains(stderr, "Keyed the SHA-256 of 1 evidence file") || !strings.Contains(out, "1 original") {
		t.Fatalf("verify of an older row: %d %q %q", code, out, stderr)
	}
	st = openSQL(t, dir)
	defer st.Close()
	var col string
	if err := st.SQL().QueryRow(`SELECT sha256 FROM evidence`).Scan(&col); err != nil || col == plain || len(col) != 64 {
		t.Errorf("the sha256 column after conversion: %q, %v", col, err)
	}
	if _, _, stderr := run(t, "evidence", "verify", "--data", dir); strings.Contains(stderr, "Keyed") {
		t.Errorf("converted again: %s", stderr)
	}
}

// TestEvidenceCLIName: direction controls are removed from a file's name
// at intake, and rasd says so.
func TestEvidenceCLIName(t *testing.T) {
	dir := newData(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", in); code != 0 {
		t.Fatal(stderr)
	}
	jpg, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "photo\u202egpj.exe")
	os.WriteFile(src, jpg, 0o600)
	code, out, stderr := run(t, "evidence", "add", "--data", dir, "--incident", "IQ-2019-0001", src)
	if code != 0 || !strings.Contains(out, "direction control") {
		t.Errorf("add: %d %q %q", code, out, stderr)
	}
	if _, out, _ = run(t, "evidence", "list", "--data", dir); !strings.Contains(out, "photogpj.exe") || strings.Contains(out, "\u202e") {
		t.Errorf("list: %q", out)
	}
}

// TestEvidenceVerifyEditedHash: 'rasd evidence verify' fails, naming the
// file, when the hash recorded at intake was edited in the database; the
// file itself is untouched and still decrypts, so only the comparison
// with the recorded hash finds it.
func TestEvidenceVerifyEditedHash(t *testing.T) {
	dir := newData(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", in); code != 0 {
		t.Fatal(stderr)
	}
	src := filepath.Join(t.TempDir(), "IMG_0042.jpg")
	jpg, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(src, jpg, 0o600)
	code, out, stderr := run(t, "evidence", "add", "--data", dir, "--incident", "IQ-2019-0001", src)
	if code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	id := strings.Fields(out)[0]
	if code, _, stderr := run(t, "evidence", "verify", "--data", dir); code != 0 {
		t.Fatalf("verify before the edit: %s", stderr)
	}
	st := openSQL(t, dir)
	var recorded string
	if err := st.SQL().QueryRow(`SELECT sha256 FROM evidence WHERE id = ?`, id).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	edited := "0" + recorded[1:]
	if recorded[0] == '0' {
		edited = "1" + recorded[1:]
	}
	if _, err := st.SQL().Exec(`UPDATE evidence SET sha256 = ? WHERE id = ?`, edited, id); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, stderr = run(t, "evidence", "verify", "--data", dir)
	if code == 0 || !strings.Contains(stderr, id) {
		t.Errorf("verify after the recorded hash was edited: exit %d, %q", code, stderr)
	}
}
