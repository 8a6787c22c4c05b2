package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// importSample puts jsonFile's two incidents into the data directory.
func importSample(t *testing.T, dir string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(jsonFile), 0o600)
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
}

// TestRestoreDrill is the drill an organisation should run for real: make
// data, back it up, lose the machine, restore on another, and check that
// everything is there and the audit log is intact.
func TestRestoreDrill(t *testing.T) {
	ctx := context.Background()
	dir := newData(t)
	identity := filepath.Join(dir, backup.IdentityFile)
	if info, err := os.Stat(identity); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("init did not write the backup identity 0600: %v %v", info, err)
	}
	importSample(t, dir)
	// Evidence travels in the backup too (as the ciphertext it is stored as).
	jpg, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "photo.jpg")
	os.WriteFile(photo, jpg, 0o600)
	if code, _, stderr := run(t, "evidence", "add", "--data", dir, "--incident", "IQ-2019-0001", photo); code != 0 {
		t.Fatalf("evidence add: %s", stderr)
	}

	out := filepath.Join(t.TempDir(), "drill.rasdbackup")
	code, stdout, stderr := run(t, "backup", "--data", dir, "--out", out)
	if code != 0 || !strings.Contains(stdout, "Backup written") {
		t.Fatalf("backup: %d %s %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "WARNING") || !strings.Contains(stderr, backup.IdentityFile) {
		t.Errorf("no warning about the identity left in the data directory: %q", stderr)
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(out)
	for _, plain := range []string{"Dahamat", "الدهامات", "SQLite format 3", "rasd-keyring-1", "manifest.json"} {
		if bytes.Contains(raw, []byte(plain)) {
			t.Errorf("%q in the clear in the backup", plain)
		}
	}
	for _, d := range []string{dir, filepath.Dir(out)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("left behind: %s", filepath.Join(d, e.Name()))
			}
		}
	}
	if code, _, stderr := run(t, "backup", "--data", dir, "--out", out); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing file: %d %s", code, stderr)
	}

	// The administrator moves the identity offline; then the machine is lost.
	offline := filepath.Join(t.TempDir(), "usb-stick", backup.IdentityFile)
	os.MkdirAll(filepath.Dir(offline), 0o700)
	if err := os.Rename(identity, offline); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "backup", "--data", dir, "--out", out+".2"); code != 0 || strings.Contains(stderr, "WARNING") {
		t.Errorf("backup with the identity offline: %d %q", code, stderr)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}

	newDir := filepath.Join(t.TempDir(), "new-machine", "data")
	code, stdout, stderr = run(t, "restore", "--identity", offline, "--data", newDir, out)
	if code != 0 || !strings.Contains(stdout, "Restored") {
		t.Fatalf("restore: %d %s %s", code, stdout, stderr)
	}
	if info, _ := os.Stat(newDir); info.Mode().Perm() != 0o700 {
		t.Errorf("restored directory mode %v", info.Mode().Perm())
	}
	if fileExists(filepath.Join(newDir, backup.IdentityFile)) {
		t.Error("the backup carried the identity that decrypts it")
	}
	m := regexp.MustCompile(`audit log up to entry (\d+)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("restore did not report the audit head: %s", stdout)
	}
	wantSeq, _ := strconv.ParseInt(m[1], 10, 64)

	for _, q := range []string{"amjad", "journalist"} {
		if code, out, _ := run(t, "search", "--data", newDir, q); code != 0 || !strings.Contains(out, "IQ-") {
			t.Errorf("search %q after restore: %d %s", q, code, out)
		}
	}
	if code, out, stderr := run(t, "evidence", "verify", "--data", newDir); code != 0 || !strings.Contains(out, "1 original") {
		t.Errorf("evidence verify after restore: %d %s %s", code, out, stderr)
	}
	if code, out, _ := run(t, "audit", "verify", "--data", newDir); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after restore: %d %s", code, out)
	}
	keys, err := keyring.Unlock(newDir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(newDir, sqlite.FileName), keys.Derive("database"), keys.Derive("audit"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inc, err := st.GetIncidentByCode(ctx, "IQ-2019-0001")
	if err != nil || !strings.Contains(inc.SummaryEN, "Amjad") {
		t.Errorf("incident after restore: %v %v", inc, err)
	}
	n, err := store.VerifyAudit(ctx, st, keys.Derive("audit"))
	if err != nil || n != wantSeq || n < 2 {
		t.Errorf("VerifyAudit after restore: %d entries, %v (manifest head %d)", n, err, wantSeq)
	}

	if code, _, stderr := run(t, "restore", "--identity", offline, "--data", newDir, out); code != 1 || !strings.Contains(stderr, "initialised") {
		t.Errorf("restore over restored data: %d %s", code, stderr)
	}
	tampered := filepath.Join(t.TempDir(), "tampered")
	raw[len(raw)/2] ^= 0x20
	os.WriteFile(tampered, raw, 0o600)
	other := filepath.Join(t.TempDir(), "other")
	if code, _, stderr := run(t, "restore", "--identity", offline, "--data", other, tampered); code != 1 || !strings.Contains(stderr, "signature does not verify") {
		t.Errorf("restore of a modified backup: %d %s", code, stderr)
	}
	if fileExists(other) {
		t.Error("a refused restore created the data directory")
	}
}

// TestBackupToOtherRecipient: --recipient replaces the default recipients,
// and a plain age-keygen identity does not name the signer, so the restore
// asks for it before decrypting anything.
func TestBackupToOtherRecipient(t *testing.T) {
	dir := newData(t)
	importSample(t, dir)
	id, _ := age.GenerateX25519Identity()
	idFile := filepath.Join(t.TempDir(), "key.txt")
	os.WriteFile(idFile, []byte("# created by age-keygen\n"+id.String()+"\n"), 0o600)
	out := filepath.Join(t.TempDir(), "b")
	if code, stdout, stderr := run(t, "backup", "--data", dir, "--out", out, "--recipient", id.Recipient().String()); code != 0 || !strings.Contains(stdout, id.Recipient().String()) {
		t.Fatalf("backup: %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "restore", "--identity", filepath.Join(dir, backup.IdentityFile), "--data", filepath.Join(t.TempDir(), "a"), out); code != 1 || !strings.Contains(stderr, "other recipients") {
		t.Errorf("restore with the default identity: %d %s", code, stderr)
	}
	target := filepath.Join(t.TempDir(), "b")
	code, _, stderr := run(t, "restore", "--identity", idFile, "--data", target, out)
	if code != 1 || !strings.Contains(stderr, "not signed by a key you trust") || !strings.Contains(stderr, "--signer") {
		t.Fatalf("restore without a trusted signer: %d %s", code, stderr)
	}
	signer, _ := os.ReadFile(filepath.Join(dir, backup.SignerFile))
	if code, _, stderr := run(t, "restore", "--identity", idFile, "--signer", strings.TrimSpace(string(signer)), "--data", target, out); code != 0 {
		t.Fatalf("restore with --signer: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "backup", "--data", dir, "--out", out+"x", "--recipient", "AGE-SECRET-KEY-1XYZ"); code != 2 || strings.Contains(stderr, "XYZ") {
		t.Errorf("a secret key as recipient: %d %s", code, stderr)
	}
}

func TestBackupRefusesPostgres(t *testing.T) {
	code, _, stderr := run(t, "backup", "--data", t.TempDir(), "--db", "postgres://rasd@localhost/rasd", "--out", filepath.Join(t.TempDir(), "b"))
	if code != 1 || !strings.Contains(stderr, "pg_dump") {
		t.Errorf("backup of a PostgreSQL deployment: %d %s", code, stderr)
	}
}

func TestBackupWithoutRecipients(t *testing.T) {
	dir := newData(t)
	os.Remove(filepath.Join(dir, backup.RecipientsFile))
	code, _, stderr := run(t, "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b"))
	if code != 1 || !strings.Contains(stderr, "--recipient") {
		t.Errorf("backup without recipients: %d %s", code, stderr)
	}
}
