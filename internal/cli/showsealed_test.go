package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
)

// sealedData is a data directory holding restrictedFile, imported by
// admin, a protection member, and zainab, an account that is not one. It
// returns the restricted incident's code.
func sealedData(t *testing.T) (dir, code string) {
	t.Helper()
	dir = newData(t)
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(restrictedFile), 0o600)
	t.Setenv("RASD_NEW_PASSWORD", "zainab password 1")
	for _, args := range [][]string{
		{"user", "add", "--data", dir, "--role", "protection", "zainab"},
		{"keys", "grant", "--data", dir, "--user", "admin", "--compartment", "protection"},
		{"import", "--data", dir, "--format", "json", "--member", "admin", f},
	} {
		t.Setenv("RASD_USER_PASSWORD", "first admin password")
		if c, out, stderr := run(t, args...); c != 0 {
			t.Fatalf("%v: %s%s", args, out, stderr)
		}
	}
	st := openSQL(t, dir)
	defer st.Close()
	if err := st.SQL().QueryRow(`SELECT code FROM incidents WHERE visibility = 'restricted'`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return dir, code
}

// readEntries are the audit log's read:record entries.
func readEntries(t *testing.T, dir string) []audit.Entry {
	t.Helper()
	st := openSQL(t, dir)
	defer st.Close()
	var out []audit.Entry
	err := st.AuditEntries(context.Background(), func(e audit.Entry) error {
		if e.Action == "read:record" {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestShowSealed: show prints a restricted incident without its sealed
// text and says how to open it; --member a member opens the text and the
// victim's name, each opening audited; a wrong password, a non-member, a
// disabled member or an unknown account open nothing and audit no read.
func TestShowSealed(t *testing.T) {
	dir, code := sealedData(t)
	show := func(want int, extra ...string) (string, string) {
		t.Helper()
		c, out, stderr := run(t, append([]string{"show", "--data", dir, code}, extra...)...)
		if c != want {
			t.Fatalf("show %v: exit %d, want %d: %s%s", extra, c, want, out, stderr)
		}
		if want != 0 && strings.Contains(out+stderr, "Importcanary") {
			t.Errorf("show %v refused, yet printed sealed text: %s%s", extra, out, stderr)
		}
		return out, stderr
	}
	out, _ := show(0)
	if strings.Contains(out, "Importcanary") || !strings.Contains(out, "Sealed:") || !strings.Contains(out, "--member MEMBER") ||
		!strings.Contains(out, "(name sealed)") || !strings.Contains(out, "Killing") && !strings.Contains(out, "killing") {
		t.Errorf("show without --member:\n%s", out)
	}
	if _, stderr := show(0, "--json"); !strings.Contains(stderr, "--member MEMBER") {
		t.Errorf("show --json without --member says nothing of the sealed text: %s", stderr)
	}
	t.Setenv("RASD_ACTOR", "admin") // names who writes; opens nothing
	if out, _ := show(0); strings.Contains(out, "Importcanary") {
		t.Error("RASD_ACTOR alone opened the sealed text")
	}
	if n := len(readEntries(t, dir)); n != 0 {
		t.Fatalf("showing without --member audited %d reads", n)
	}

	t.Setenv("RASD_USER_PASSWORD", "a wrong password")
	if _, stderr := show(1, "--member", "admin"); !strings.Contains(stderr, "does not open") || !strings.Contains(stderr, "RASD_USER_PASSWORD") {
		t.Errorf("wrong password: %s", stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	if _, stderr := show(1, "--member", "zainab"); !strings.Contains(stderr, "not a member of the protection compartment") ||
		!strings.Contains(stderr, "rasd keys grant") {
		t.Errorf("non-member: %s", stderr)
	}
	if _, stderr := show(1, "--member", "nobody"); !strings.Contains(stderr, `no account "nobody"`) {
		t.Errorf("unknown account: %s", stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	run(t, "user", "disable", "--data", dir, "admin")
	if _, stderr := show(1, "--member", "admin"); !strings.Contains(stderr, "admin is disabled") {
		t.Errorf("disabled member: %s", stderr)
	}
	if c, out, stderr := run(t, "user", "enable", "--data", dir, "admin"); c != 0 {
		t.Fatalf("enable: %s%s", out, stderr)
	}
	if n := len(readEntries(t, dir)); n != 0 {
		t.Fatalf("refused openings audited %d reads", n)
	}

	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	out, _ = show(0, "--member", "admin")
	for _, want := range []string{"Importcanary summary", "Importcanary narrative", "Cryptolocale", "Importcanary Victimname", "opened with the key of admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("show --member admin misses %q:\n%s", want, out)
		}
	}
	r := readEntries(t, dir)
	if len(r) != 2 || r[0].Actor != "admin" || r[0].Kind != "incident" || r[1].Kind != "person" {
		t.Errorf("audit of the openings: %+v", r)
	}
	if out, _ := show(0, "--member", "admin", "--json"); !strings.Contains(out, "Importcanary narrative") {
		t.Errorf("show --json --member admin: %s", out)
	}
	if c, out, _ := run(t, "audit", "verify", "--data", dir); c != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after the reads: %s", out)
	}
}

// TestShowSealedAuditFirst: the audit entry of an opening is written
// before anything is decrypted or printed: when the audit log refuses it,
// show fails and prints no sealed text.
func TestShowSealedAuditFirst(t *testing.T) {
	dir, code := sealedData(t)
	st := openSQL(t, dir)
	if _, err := st.SQL().Exec(`CREATE TRIGGER refuse_reads BEFORE INSERT ON audit_log WHEN NEW.action = 'read:record'
		BEGIN SELECT RAISE(ABORT, 'the audit log refuses reads'); END`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	c, out, stderr := run(t, "show", "--data", dir, code, "--member", "admin")
	if c != 1 || strings.Contains(out+stderr, "Importcanary") || !strings.Contains(stderr, "refuses reads") {
		t.Errorf("show with the audit refusing: exit %d\n%s%s", c, out, stderr)
	}
	c, out, stderr = run(t, "search", "--data", dir, code, "--member", "admin")
	if c != 1 || strings.Contains(out+stderr, "Importcanary") {
		t.Errorf("search with the audit refusing: exit %d\n%s%s", c, out, stderr)
	}
}

// TestSearchSealed: search never finds sealed text; a restricted hit
// (found by its code) shows "(sealed)", or with --member a member its opened
// summary, each opening audited.
func TestSearchSealed(t *testing.T) {
	dir, code := sealedData(t)
	search := func(want int, q string, extra ...string) (string, string) {
		t.Helper()
		c, out, stderr := run(t, append([]string{"search", "--data", dir, q}, extra...)...)
		if c != want {
			t.Fatalf("search %q %v: exit %d, want %d: %s%s", q, extra, c, want, out, stderr)
		}
		return out, stderr
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if out, _ := search(0, "Importcanary", "--member", "admin"); strings.Contains(out, code) {
		t.Errorf("search finds the sealed text: %s", out)
	}
	out, stderr := search(0, code)
	if !strings.Contains(out, code) || !strings.Contains(out, "(sealed)") || strings.Contains(out, "Importcanary") ||
		!strings.Contains(stderr, "--member MEMBER") {
		t.Errorf("search without --member: %s%s", out, stderr)
	}
	if n := len(readEntries(t, dir)); n != 0 {
		t.Fatalf("search audited %d reads", n)
	}
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	if out, stderr := search(1, code, "--member", "zainab"); strings.Contains(out, "Importcanary") || !strings.Contains(stderr, "not a member") {
		t.Errorf("search as a non-member: %s%s", out, stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	out, _ = search(0, code, "--member", "admin")
	if !strings.Contains(out, "Importcanary summary") || strings.Contains(out, "(sealed)") {
		t.Errorf("search --member admin: %s", out)
	}
	if r := readEntries(t, dir); len(r) != 1 || r[0].Actor != "admin" || r[0].Kind != "incident" {
		t.Errorf("audit of the opening: %+v", r)
	}
	// An open hit needs no key: no password is asked, nothing audited.
	t.Setenv("RASD_USER_PASSWORD", "a wrong password")
	if out, _ := search(0, "open case", "--member", "admin"); !strings.Contains(out, "An open case") {
		t.Errorf("search of an open incident --member admin: %s", out)
	}
}
