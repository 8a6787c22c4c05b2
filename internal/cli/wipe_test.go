package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// runIn is run with stdin reading input.
func runIn(t *testing.T, input string, args ...string) (int, string, string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "stdin")
	os.WriteFile(f, []byte(input), 0o600)
	in, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out, errb bytes.Buffer
	code := Main(context.Background(), IO{Stdin: in, Stdout: &out, Stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestWipe(t *testing.T) {
	ctx := context.Background()
	dir := newData(t)
	importSample(t, dir)
	ring := filepath.Join(dir, keyring.FileName)
	oldKeys, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatal(err)
	}

	for _, answer := range []string{"", "destroy", "yes\n", "DESTROY \n", "dat\n"} {
		if code, _, stderr := runIn(t, answer, "wipe", "--data", dir); code != 1 || !strings.Contains(stderr, "nothing was destroyed") {
			t.Errorf("wipe answered %q: %d %s", answer, code, stderr)
		}
	}
	if !keyring.Exists(dir) {
		t.Fatal("an unconfirmed wipe destroyed the keyring")
	}

	code, out, stderr := runIn(t, "DESTROY\n", "wipe", "--data", dir)
	if code != 0 || !strings.Contains(out, ring) || !strings.Contains(out, backup.IdentityFile) {
		t.Fatalf("wipe: %d %s %s", code, out, stderr)
	}
	if want := wipeMessage(dir, true, false, false); !strings.HasSuffix(out, want) {
		t.Errorf("the wipe says:\n%s\nwant it to end:\n%s", out, want)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), sqlite.FileName) && e.Name() != keyring.WipedFile {
			t.Errorf("left after the wipe: %s", e.Name())
		}
	}

	// The old passphrase opens nothing, with a clear message.
	code, _, stderr = run(t, "search", "--data", dir, "amjad")
	if code != 1 || !strings.Contains(stderr, "WIPED") || !strings.Contains(stderr, "--force-new") {
		t.Errorf("search after wipe: %d %s", code, stderr)
	}
	if _, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("a test passphrase")}); !errors.Is(err, keyring.ErrNoKeyring) {
		t.Errorf("unlock after wipe: %v", err)
	}
	// No plain byte of the records is in what is left.
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		for _, canary := range []string{"Dahamat", "الدهامات", "journalist", "SQLite format 3"} {
			if bytes.Contains(b, []byte(canary)) {
				t.Errorf("%q in the clear in %s", canary, e.Name())
			}
		}
	}
	// What the wipe destroyed was the only way in: the old database opens
	// with the old keys (which no one can derive any more) and no others.
	db := filepath.Join(dir, sqlite.FileName)
	if st, err := sqlite.Open(ctx, db, oldKeys.Derive("database"), oldKeys.Derive("audit")); err != nil {
		t.Errorf("the wiped database no longer opens even with its key, so this test proves nothing: %v", err)
	} else {
		st.Close()
	}

	if code, _, stderr := run(t, "wipe", "--data", dir, "--yes-destroy-all-keys"); code != 1 || !strings.Contains(stderr, "nothing to wipe") {
		t.Errorf("second wipe: %d %s", code, stderr)
	}

	// Starting again needs --force-new, which moves the old files aside.
	code, _, stderr = run(t, "init", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "--force-new") || !strings.Contains(stderr, "WIPED") || keyring.Exists(dir) {
		t.Fatalf("init over a wiped directory: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "init", "--data", dir, "--force-new"); code != 0 {
		t.Fatalf("init --force-new: %d %s", code, stderr)
	}
	old, _ := filepath.Glob(db + ".old-*")
	if len(old) == 0 {
		t.Fatal("the old database was not moved aside")
	}
	if code, out, _ := run(t, "search", "--data", dir, "amjad"); code != 0 || strings.Contains(out, "IQ-") {
		t.Errorf("the fresh directory has old records: %d %s", code, out)
	}
	keys, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(ctx, old[0], keys.Derive("database"), keys.Derive("audit")); !errors.Is(err, sqlite.ErrWrongKey) {
		t.Errorf("the old database opened with the new keyring (same passphrase): %v", err)
	}
}

func TestWipeConfirmWithName(t *testing.T) {
	dir := newData(t)
	if code, out, stderr := runIn(t, filepath.Base(dir)+"\n", "wipe", "--data", dir); code != 0 || keyring.Exists(dir) {
		t.Fatalf("wipe confirmed by name: %d %s %s", code, out, stderr)
	}
	dir2 := newData(t)
	if code, _, stderr := run(t, "wipe", "--data", dir2, "--yes-destroy-all-keys"); code != 0 || keyring.Exists(dir2) {
		t.Fatalf("wipe --yes-destroy-all-keys: %d %s", code, stderr)
	}
}

func TestWipeAfterFailedUnlocks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	t.Setenv("RASD_NEW_PASSWORD", "first admin password")
	if code, out, stderr := run(t, "init", "--data", dir, "--wipe-after", "3"); code != 0 || !strings.Contains(out, "After 3 failed unlocks") {
		t.Fatalf("init --wipe-after: %d %s %s", code, out, stderr)
	}
	try := func(pass string) (int, string) {
		t.Setenv("RASD_PASSPHRASE", pass)
		code, _, stderr := run(t, "audit", "verify", "--data", dir)
		return code, stderr
	}
	for i, want := range []string{"attempt 1 of 3", "attempt 2 of 3"} {
		if code, stderr := try("wrong guess"); code != 1 || !strings.Contains(stderr, want) {
			t.Fatalf("failure %d: %d %s", i+1, code, stderr)
		}
	}
	if code, stderr := try("a test passphrase"); code != 0 {
		t.Fatalf("right passphrase: %d %s", code, stderr)
	}
	if _, n, _ := keyring.WipeAfter(dir); n != 0 {
		t.Errorf("a successful unlock left the count at %d", n)
	}
	try("wrong guess")
	try("wrong guess")
	code, stderr := try("wrong guess")
	if code != 1 || !strings.Contains(stderr, "destroyed") || keyring.Exists(dir) {
		t.Fatalf("third failure in a row: %d %s", code, stderr)
	}
	if code, stderr := try("a test passphrase"); code != 1 || !strings.Contains(stderr, "WIPED") {
		t.Errorf("right passphrase after the wipe: %d %s", code, stderr)
	}
}

// wipeMessage is what rasd wipe must say after the list of what it
// destroyed: each sentence is a claim that docs/keys.md and
// docs/recovery.md back (and the tests of internal/keys prove for the
// restricted tier), so a change of wording is a change of claim.
func wipeMessage(dir string, sqliteFile, evidenceDir, postgres bool) string {
	s := "The master key is gone, and every key derived from it: those of the database, the audit log, the restricted\n" +
		"tier (every compartment key wrap is bound to it), evidence files, two-factor secrets and backup signing.\n"
	if sqliteFile {
		s += "Left in place: " + filepath.Join(dir, sqlite.FileName) + " and its journal files, encrypted under the destroyed key.\n" +
			"No passphrase, key file, member's password or recovery share opens them. Delete them, or start afresh with\n" +
			"'rasd init --force-new'.\n"
	}
	if evidenceDir {
		s += "Left in place: " + filepath.Join(dir, "evidence") + ", its files encrypted under a key the wipe destroyed: nothing opens them.\n"
	}
	if postgres {
		s += "PostgreSQL: the server's database is NOT erased. What rasd sealed in it (restricted fields, evidence file\n" +
			"names, two-factor secrets) no longer opens for anyone, with any member's password or recovery share, and its\n" +
			"audit log can no longer be verified. Everything else in it stays readable to whoever can read that database,\n" +
			"such as records that are not restricted, the structured fields of restricted ones, accounts and the audit log.\n" +
			"Erase it, its replicas and its dumps with the server's tools.\n"
	}
	return s + "The recovery shares (any 2 of 3) open nothing here any more. They open only a copy of the keyring made\n" +
		"before the wipe: the one in each backup (restore it with its identity file, then 'rasd keys recover'), or a\n" +
		"copy kept with a pg_dump.\n" +
		"NOT destroyed: backups already made (each carries a copy of the keyring: whoever has one, its identity file,\n" +
		"and the passphrase or 2 recovery shares can still read it), other copies of this directory or of its keyring,\n" +
		"and the keys in the memory of a rasd serve still running: stop it, or power the machine off.\n"
}

// TestWipeMessagePostgres: with --db, the wipe says what stays in the
// PostgreSQL database and what no longer opens there (and of the evidence
// folder, which a PostgreSQL deployment keeps in the data directory).
func TestWipeMessagePostgres(t *testing.T) {
	dir := newData(t)
	os.Remove(filepath.Join(dir, sqlite.FileName))
	os.Mkdir(filepath.Join(dir, "evidence"), 0o700)
	code, out, stderr := run(t, "wipe", "--data", dir, "--db", "postgres://rasd@db.example/rasd", "--yes-destroy-all-keys")
	if code != 0 {
		t.Fatalf("wipe: %d %s", code, stderr)
	}
	if want := wipeMessage(dir, false, true, true); !strings.HasSuffix(out, want) {
		t.Errorf("the wipe says:\n%s\nwant it to end:\n%s", out, want)
	}
}
