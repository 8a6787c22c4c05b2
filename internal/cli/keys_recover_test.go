package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

func TestRecoverWithShareFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out := filepath.Join(t.TempDir(), "shares")
	t.Setenv("RASD_PASSPHRASE", "the lost passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	code, stdout, stderr := run(t, "init", "--data", dir, "--recovery-out", out, "--recovery-shares", "3", "--recovery-threshold", "2")
	if code != 0 || !strings.Contains(stdout, "DIFFERENT") || !strings.Contains(stdout, "DELETE") {
		t.Fatalf("init: %d %s %s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "rasdshare1-") {
		t.Error("init printed the shares although it wrote them to files")
	}
	files, _ := filepath.Glob(filepath.Join(out, "rasd-recovery-*-share-*-of-3.txt"))
	if len(files) != 3 {
		t.Fatalf("share files: %v", files)
	}
	for _, f := range files {
		if info, _ := os.Stat(f); info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, info.Mode().Perm())
		}
	}
	if _, _, err := keyring.RecoveryPublicKey(dir); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RASD_NEW_PASSPHRASE", "zzcanary new passphrase")

	// m−1 shares: refused, nothing changed.
	code, _, stderr = run(t, "keys", "recover", "--data", dir, "--share", files[0])
	if code != 1 || !strings.Contains(stderr, "not enough recovery shares") || !strings.Contains(stderr, "2 needed") {
		t.Fatalf("one share: %d %s", code, stderr)
	}
	// A damaged share: refused by its checksum, naming it.
	b, _ := os.ReadFile(files[1])
	bad := filepath.Join(t.TempDir(), "bad.txt")
	i := strings.Index(string(b), "rasdshare1-") + 50 // inside the value
	flipped := byte('a')
	if b[i] == 'a' {
		flipped = 'b'
	}
	os.WriteFile(bad, append(append(b[:i:i], flipped), b[i+1:]...), 0o600)
	code, _, stderr = run(t, "keys", "recover", "--data", dir, "--share", files[0], "--share", bad)
	if code != 1 || !strings.Contains(stderr, "damaged") || !strings.Contains(stderr, "checksum") {
		t.Fatalf("damaged share: %d %s", code, stderr)
	}
	// Another organisation's shares: refused.
	other := filepath.Join(t.TempDir(), "other")
	otherOut := filepath.Join(t.TempDir(), "other-shares")
	if code, _, stderr := run(t, "init", "--data", other, "--recovery-out", otherOut); code != 0 {
		t.Fatalf("init other: %s", stderr)
	}
	ofiles, _ := filepath.Glob(filepath.Join(otherOut, "*.txt"))
	code, _, stderr = run(t, "keys", "recover", "--data", dir, "--share", ofiles[0], "--share", ofiles[1])
	if code != 1 || !strings.Contains(stderr, "another organisation") {
		t.Fatalf("other organisation's shares: %d %s", code, stderr)
	}
	code, _, stderr = run(t, "keys", "recover", "--data", dir, "--share", files[0], "--share", ofiles[1])
	if code != 1 || !strings.Contains(stderr, "different recovery keys") {
		t.Fatalf("mixed shares: %d %s", code, stderr)
	}
	t.Setenv("RASD_PASSPHRASE", "the lost passphrase")
	if code, _, stderr := run(t, "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("a refused recovery changed the keyring: %s", stderr)
	}
	if got := recoveries(t, dir, "the lost passphrase"); len(got) != 0 {
		t.Errorf("refused recoveries were logged: %v", got)
	}

	// m shares: recovered; the old passphrase no longer opens, the new one does.
	code, stdout, stderr = run(t, "keys", "recover", "--data", dir, "--share", files[2], "--share", files[0])
	if code != 0 || !strings.Contains(stdout, "Recovered") {
		t.Fatalf("two shares: %d %s %s", code, stdout, stderr)
	}
	// What recovery prints (to a terminal, or a log that captures it)
	// holds neither the shares nor the new passphrase.
	for _, f := range files {
		shares, _ := keyring.ParseShares(string(must(os.ReadFile(f))))
		for _, s := range shares {
			if v := fmt.Sprintf("%x", s.Value); strings.Contains(stdout+stderr, v[:16]) {
				t.Errorf("recovery printed share %d", s.Index)
			}
		}
	}
	if strings.Contains(stdout+stderr, "zzcanary new passphrase") {
		t.Error("recovery printed the new passphrase")
	}
	if code, _, _ := run(t, "audit", "verify", "--data", dir); code != 1 {
		t.Error("the lost passphrase still opens after recovery")
	}
	t.Setenv("RASD_PASSPHRASE", "zzcanary new passphrase")
	if code, out, stderr := run(t, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("new passphrase: %d %s", code, stderr)
	}
	if got := recoveries(t, dir, "zzcanary new passphrase"); !slices.Equal(got, []string{"cli:"}) {
		t.Errorf("recovery audit entries = %v, want one by cli opening no compartment", got)
	}
}

// recoveries lists the "recover:keys" audit entries of dir as actor:compartments.
func recoveries(t *testing.T, dir, passphrase string) []string {
	t.Helper()
	ctx := context.Background()
	k, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte(passphrase)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), k.Derive("database"), k.Derive("audit"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	err = st.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "recover:keys" {
			out = append(out, e.Actor+":"+e.RecordID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecoverFromPrintedSharesOnStdin(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("RASD_PASSPHRASE", "the lost passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	code, stdout, stderr := run(t, "init", "--data", dir, "--recovery-shares", "5", "--recovery-threshold", "3")
	if code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	var lines []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "rasdshare1-") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 5 {
		t.Fatalf("init printed %d shares, want 5:\n%s", len(lines), stdout)
	}
	t.Setenv("RASD_NEW_PASSPHRASE", "the new passphrase")
	if code, _, stderr := runIn(t, lines[4]+"\n"+lines[1]+"\n", "keys", "recover", "--data", dir); code != 1 || !strings.Contains(stderr, "3 needed") {
		t.Fatalf("two of five on stdin: %d %s", code, stderr)
	}
	// Shares pasted with stray spaces and text around them still parse.
	in := "from Layla: " + lines[4] + "\n  " + strings.Replace(lines[1], "-", " - ", 2) + "\nand\n" + lines[2] + "\n"
	if code, out, stderr := runIn(t, in, "keys", "recover", "--data", dir); code != 0 {
		t.Fatalf("three of five on stdin: %d %s %s", code, out, stderr)
	}
	t.Setenv("RASD_PASSPHRASE", "the new passphrase")
	if code, _, stderr := run(t, "audit", "verify", "--data", dir); code != 0 {
		t.Fatal(stderr)
	}
}

func TestInitRecoveryFlags(t *testing.T) {
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	base := t.TempDir()
	for i, args := range [][]string{
		{"--recovery-shares", "2", "--recovery-threshold", "3"},
		{"--recovery-shares", "17"},
		{"--recovery-threshold", "0"},
		{"--recovery-out", filepath.Join(base, "d3", "inside")},
	} {
		dir := filepath.Join(base, "d"+string(rune('0'+i)))
		if code, _, _ := run(t, append([]string{"init", "--data", dir}, args...)...); code != 2 || keyring.Exists(dir) {
			t.Errorf("init %v: code %d, keyring made: %v", args, code, keyring.Exists(dir))
		}
	}
	dir := filepath.Join(base, "none")
	if code, out, stderr := run(t, "init", "--data", dir, "--recovery-shares", "0"); code != 0 || strings.Contains(out, "rasdshare1-") {
		t.Fatalf("--recovery-shares 0: %d %s", code, stderr)
	}
	t.Setenv("RASD_NEW_PASSPHRASE", "the new passphrase")
	if code, _, stderr := runIn(t, "rasdshare1-x\n", "keys", "recover", "--data", dir); code != 1 || !strings.Contains(stderr, "damaged") {
		t.Errorf("recover without shares: %d %s", code, stderr)
	}
	// A directory without a recovery key gets one later, once.
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	out := filepath.Join(base, "later-shares")
	if code, stdout, stderr := run(t, "keys", "new-shares", "--data", dir, "--recovery-out", out); code != 0 || !strings.Contains(stdout, "DELETE") {
		t.Fatalf("keys new-shares: %d %s %s", code, stdout, stderr)
	}
	later, _ := filepath.Glob(filepath.Join(out, "*.txt"))
	if code, _, stderr := run(t, "keys", "recover", "--data", dir, "--share", later[0], "--share", later[2]); code != 0 {
		t.Fatalf("recover with later shares: %s", stderr)
	}
	if code, _, stderr := run(t, "keys", "new-shares", "--data", dir); code != 1 || !strings.Contains(stderr, "already has recovery key") {
		t.Errorf("second keys new-shares: %d %s", code, stderr)
	}
	if code, _, _ := run(t, "keys", "nosuch"); code != 2 {
		t.Error("unknown keys subcommand accepted")
	}
	if code, out, _ := run(t, "keys"); code != 0 || !strings.Contains(out, "recover") {
		t.Errorf("keys lists: %s", out)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRecoverGrantsCompartments: init gives the store the recovery public
// key, so a compartment made later is wrapped to it; with m shares,
// 'keys recover --grant-to' gives a new account the compartment although
// its only member's password is gone.
func TestRecoverGrantsCompartments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out := filepath.Join(t.TempDir(), "shares")
	t.Setenv("RASD_PASSPHRASE", "the lost passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	if code, _, stderr := run(t, "init", "--data", dir, "--recovery-out", out); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "rasd-recovery-*.txt"))
	must := func(want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := run(t, append(args, "--data", dir)...)
		if code != want {
			t.Fatalf("rasd %v: exit %d, want %d: %s%s", args, code, want, stdout, stderr)
		}
		return stdout + stderr
	}
	t.Setenv("RASD_NEW_PASSWORD", "zainab password 1")
	must(0, "user", "add", "--role", "protection", "zainab")
	must(0, "keys", "grant", "--user", "zainab", "--compartment", "protection")
	t.Setenv("RASD_NEW_PASSWORD", "huda password 12")
	must(0, "user", "add", "--role", "coordinator", "huda")
	must(0, "user", "reset", "zainab") // her key pair, and with it her grant, is gone
	if l := must(0, "keys", "list"); strings.Contains(l, "zainab") {
		t.Fatalf("reset kept the grant: %s", l)
	}
	t.Setenv("RASD_NEW_PASSPHRASE", "a new passphrase here")
	got := must(0, "keys", "recover", "--share", files[0], "--share", files[1], "--grant-to", "huda", "--actor", "layla")
	if !strings.Contains(got, "Granted compartment protection to huda") {
		t.Errorf("recover --grant-to: %s", got)
	}
	t.Setenv("RASD_PASSPHRASE", "a new passphrase here")
	if got := recoveries(t, dir, "a new passphrase here"); !slices.Equal(got, []string{"layla:protection,sources"}) {
		t.Errorf("recovery audit entries = %v, want one by layla granting protection and sources", got)
	}
	must(0, "audit", "verify")
	if l := must(0, "keys", "list"); !strings.Contains(l, "huda") {
		t.Errorf("huda is not a member after recovery: %s", l)
	}
	// huda, now a member, can grant with her own password.
	t.Setenv("RASD_NEW_PASSWORD", "third user password")
	must(0, "user", "add", "--role", "protection", "sara")
	t.Setenv("RASD_USER_PASSWORD", "huda password 12")
	must(0, "keys", "grant", "--member", "huda", "--user", "sara", "--compartment", "protection")
}
