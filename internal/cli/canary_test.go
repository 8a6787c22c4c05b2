package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// TestRestrictedCanaryEverywhere follows the demo's sealed protection
// details (phone numbers, safe houses, relocation plans) through a data
// directory's life — demo, search, backup — and looks for them in every
// byte that leaves the process: the database file and its WAL, every
// other file in the data directory, the temporary directory, the backup
// file, and everything the commands printed. They must be nowhere, while a
// member can still open them.
func TestRestrictedCanaryEverywhere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	var printed strings.Builder
	must := func(args ...string) {
		t.Helper()
		code, out, stderr := run(t, args...)
		printed.WriteString(out + stderr)
		if code != 0 {
			t.Fatalf("rasd %v: %d %s", args, code, stderr)
		}
	}
	must("demo", "--data", dir, "--incidents", "60", "--no-serve")
	// The demo sealed its restricted records itself: nothing left to seal.
	t.Setenv("RASD_USER_PASSWORD", "rasd-demo-"+model.RoleProtection)
	code, out, stderr := run(t, "keys", "seal-records", "--data", dir, "--member", model.RoleProtection)
	if m := regexp.MustCompile(`Sealed 0 restricted incidents, 0 restricted persons and 0 restricted organisations \(([1-9]\d*), \d+ and \d+ were sealed already\)`).
		FindStringSubmatch(out); code != 0 || m == nil {
		t.Errorf("after demo, seal-records: %d %q %q", code, out, stderr)
	}
	must("search", "--data", dir, "safe house")
	// The commands of people at risk print codes and figures, never what
	// the records say (their exit 3 says a check-in is overdue).
	for _, args := range [][]string{{"checkins", "due"}, {"risk", "list"}, {"stats", "atrisk", "--receipt"}} {
		code, out, stderr := run(t, append(args, "--data", dir, "--member", model.RoleProtection)...)
		printed.WriteString(out + stderr)
		if code != 0 && code != 3 {
			t.Fatalf("rasd %v: %d %s", args, code, stderr)
		}
	}
	must("audit", "verify", "--data", dir)
	backupFile := filepath.Join(t.TempDir(), "canary.rasdbackup")
	must("backup", "--data", dir, "--out", backupFile)

	canaries := []string{"Fictional safe house", "+964 770 000 00", "Fictional relocation plan", "threats reported by phone",
		// The demo's records of people at risk: threat text, names as a
		// list writes them, case notes, cities, contacts, check-in notes.
		"leave the square", "as the memo writes it", "Fictional case notes", "Fictional city A", "Fictional messenger handle",
		"Fictional: all well", "A fictional command"}

	// The control: the details are stored and open for a member.
	ctx := context.Background()
	k, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), k.Derive("database"), k.Derive("audit"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.GetUserByName(ctx, model.RoleProtection)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := keys.Unseal(u, "rasd-demo-"+u.Role)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.ListSealed(ctx, model.CompartmentProtection)
	if err != nil {
		t.Fatal(err)
	}
	var sealed []model.Sealed
	for _, s := range all {
		if s.Group == model.GroupPersonProtection {
			sealed = append(sealed, s)
		}
	}
	if len(sealed) == 0 {
		t.Fatal("no sealed protection details after demo")
	}
	var v model.PersonProtection
	if ok, err := keys.Open(ctx, st, u.Username, keys.UserIdentity(u, priv), store.KindPerson, sealed[0].RecordID,
		model.GroupPersonProtection, &v); !ok || err != nil || !strings.Contains(v.Whereabouts, canaries[0]) {
		t.Fatalf("the control failed: the sealed details do not open (%v, %v, %+v)", ok, err, v)
	}
	st.Close() // with the WAL as it was left

	look := func(where string, b []byte) {
		for _, c := range canaries {
			if bytes.Contains(b, []byte(c)) {
				t.Errorf("%q found in %s", c, where)
			}
		}
	}
	for _, root := range []string{dir, tmp} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				b, _ := os.ReadFile(path)
				look(path, b)
			}
			return nil
		})
	}
	b, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	look("the backup file", b)
	look("the commands' output", []byte(printed.String()))
}
