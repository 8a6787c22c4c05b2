package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/backup"
)

// TestSharesAfterWipeOpenOnlyABackup is what docs/recovery.md ("After a
// wipe") decides: after a wipe the recovery shares open nothing of the
// wiped directory, but a backup made before it, restored with its
// identity file, recovers with them, restricted compartments included.
func TestSharesAfterWipeOpenOnlyABackup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	shareDir := filepath.Join(t.TempDir(), "shares")
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if code, _, stderr := run(t, "init", "--data", dir, "--recovery-out", shareDir); code != 0 {
		t.Fatal(stderr)
	}
	shares, _ := filepath.Glob(filepath.Join(shareDir, "*.txt"))
	if code, out, stderr := run(t, "keys", "grant", "--data", dir, "--user", "admin", "--compartment", "protection"); code != 0 {
		t.Fatalf("grant: %s%s", out, stderr)
	}
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(restrictedFile), 0o600)
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", "--member", "admin", f); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	sealed := func(dir string) string {
		t.Helper()
		_, out, stderr := run(t, "show", "--data", dir, "IQ-2021-0002", "--member", "admin")
		return out + stderr
	}
	if out := sealed(dir); !strings.Contains(out, "Importcanary summary") {
		t.Fatalf("the member does not read the sealed record: %s", out)
	}
	bak := filepath.Join(t.TempDir(), "before.rasdbackup")
	if code, _, stderr := run(t, "backup", "--data", dir, "--out", bak); code != 0 {
		t.Fatal(stderr)
	}
	offline := filepath.Join(t.TempDir(), backup.IdentityFile)
	if err := os.Rename(filepath.Join(dir, backup.IdentityFile), offline); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "wipe", "--data", dir, "--yes-destroy-all-keys"); code != 0 {
		t.Fatal(stderr)
	}

	t.Setenv("RASD_NEW_PASSPHRASE", "the passphrase after recovery")
	if code, _, stderr := run(t, "keys", "recover", "--data", dir, "--share", shares[0], "--share", shares[1]); code != 1 ||
		!strings.Contains(stderr, "WIPED") {
		t.Errorf("the shares on the wiped directory: %d %s", code, stderr)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if code, _, stderr := run(t, "restore", "--identity", offline, "--data", restored, bak); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	code, out, stderr := run(t, "keys", "recover", "--data", restored, "--share", shares[2], "--share", shares[0], "--grant-to", "admin")
	if code != 0 || !strings.Contains(out, "Granted compartment protection to admin with the recovery key") {
		t.Fatalf("the shares on the restored backup: %d %s %s", code, out, stderr)
	}
	t.Setenv("RASD_PASSPHRASE", "the passphrase after recovery")
	if out := sealed(restored); !strings.Contains(out, "Importcanary summary") {
		t.Errorf("after recovering the backup, the member does not read the sealed record: %s", out)
	}
}
