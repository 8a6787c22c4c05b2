package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/keyring"
)

// TestWebPanicWipeThenRestart is the command-line side of the web panic
// action: what serve hands the web server destroys what rasd wipe does,
// and afterwards serve, init and recovery say plainly that the data was
// destroyed and how to start again.
func TestWebPanicWipeThenRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	shares := filepath.Join(t.TempDir(), "shares")
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	if code, _, stderr := run(t, "init", "--data", dir, "--recovery-out", shares); code != 0 {
		t.Fatal(stderr)
	}
	importSample(t, dir)
	if panicWipe("") != nil {
		t.Error("a server without a data directory offers the panic action")
	}
	if err := panicWipe(dir)(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{keyring.FileName, backup.IdentityFile, backup.SignerFile, backup.RecipientsFile} {
		if fileExists(filepath.Join(dir, name)) {
			t.Errorf("%s survived the panic wipe", name)
		}
	}
	code, _, stderr := run(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "WIPED") || !strings.Contains(stderr, "init --force-new") || !strings.Contains(stderr, "rasd restore") {
		t.Errorf("serve after the wipe: %d %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(shares, "*.txt"))
	t.Setenv("RASD_NEW_PASSPHRASE", "a new passphrase")
	if code, _, stderr := run(t, "keys", "recover", "--data", dir, "--share", files[0], "--share", files[1]); code != 1 || !strings.Contains(stderr, "WIPED") ||
		!strings.Contains(stderr, "Recovery shares open only a backup made before the wipe") {
		t.Errorf("recovery shares after the wipe: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "init", "--data", dir); code != 1 || !strings.Contains(stderr, "WIPED") || !strings.Contains(stderr, "--force-new") {
		t.Errorf("init after the wipe: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "init", "--data", dir, "--force-new", "--recovery-shares", "0"); code != 0 {
		t.Fatalf("init --force-new: %s", stderr)
	}
	if keyring.Wiped(dir) {
		t.Error("a fresh directory still reports it was wiped")
	}
	if code, out, _ := run(t, "search", "--data", dir, "amjad"); code != 0 || strings.Contains(out, "IQ-") {
		t.Errorf("fresh directory: %d %s", code, out)
	}
}
