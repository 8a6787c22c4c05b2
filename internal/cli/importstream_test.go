package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// acledFile writes an ACLED CSV of n rows, IDs IRQ1..IRQn; edit may
// change row i's admin1.
func acledFile(t *testing.T, n int, admin1 func(i int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,event_type,sub_event_type,country,admin1,fatalities,notes\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "IRQ%d,2020-01-%02d,Violence against civilians,Attack,Iraq,%s,%d,\"Row %d: an activist was shot near his home, his family said.\"\n",
			i, 1+i%28, admin1(i), i%3, i)
	}
	path := filepath.Join(t.TempDir(), "acled.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// An ACLED file is imported as it is read, in the bulk path from 1,000
// rows: it imports, imports again without duplicating, and a bad row near
// its end still leaves the store as it was, with its problem named.
func TestImportACLEDAsRead(t *testing.T) {
	dir := newData(t)
	basra := func(int) string { return "Basrah" }
	good := acledFile(t, 1500, basra)
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "acled", good); code != 0 ||
		!strings.Contains(out, "Imported 1500 records") || !strings.Contains(out, "1500 new") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "acled", good); code != 0 ||
		!strings.Contains(out, "0 new, 0 updated, 1500 unchanged") {
		t.Fatalf("import again: %d %s %s", code, out, stderr)
	}
	incidents := func() (n int) {
		st := openSQL(t, dir)
		defer st.Close()
		if err := st.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := incidents(); n != 1500 {
		t.Fatalf("%d incidents after two imports, want 1500", n)
	}

	// 1,700 rows: 200 new ones, and row 1,650 (line 1,651) is bad.
	bad := acledFile(t, 1700, func(i int) string {
		if i == 1650 {
			return "Atlantis"
		}
		return "Basrah"
	})
	code, _, stderr := run(t, "import", "--data", dir, "--format", "acled", bad)
	if code != 1 || !strings.Contains(stderr, "line 1651: column admin1") || !strings.Contains(stderr, "Nothing was imported: fix the file") {
		t.Fatalf("bad import: %d\n%s", code, stderr)
	}
	if n := incidents(); n != 1500 {
		t.Errorf("%d incidents after a refused import, want 1500", n)
	}
	if code, out, _ := run(t, "search", "--data", dir, "Row 1600"); code != 0 || strings.Contains(out, "IQ-") {
		t.Errorf("a row of the refused file was stored:\n%s", out)
	}
	if code, out, stderr := run(t, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit after a refused import: %d %s %s", code, out, stderr)
	}
	st := openSQL(t, dir)
	defer st.Close()
	var mode string
	if err := st.SQL().QueryRowContext(context.Background(), `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode after a refused bulk import = %q, %v; want wal", mode, err)
	}
}

// An ACLED file given as a pipe, which cannot be read twice, imports too.
func TestImportACLEDFromPipe(t *testing.T) {
	dir := newData(t)
	data, err := os.ReadFile(acledFile(t, 1200, func(int) string { return "Ninewa" }))
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		w.Write(data)
		w.Close()
	}()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "acled", name); code != 0 || !strings.Contains(out, "1200 new") {
		t.Fatalf("import from a pipe: %d %s %s", code, out, stderr)
	}
}

// A restricted record deep in a large JSON file is found before the
// import starts: without a member nothing is imported, and a member's
// import seals it in one run.
func TestImportRestrictedLate(t *testing.T) {
	dir := newData(t)
	var b strings.Builder
	b.WriteString(`{"format": "rasd-incidents", "version": 1, "incidents": [`)
	for i := 1; i <= 1500; i++ {
		if i > 1 {
			b.WriteString(",\n")
		}
		vis := "internal"
		if i == 1200 {
			vis = "restricted"
		}
		fmt.Fprintf(&b, `{"type": "death_threat", "date": {"start": "2021-05-09", "precision": "day"}, "place": {"admin1": "IQ-KA"},
 "summary_en": "Latecanary %d", "visibility": %q, "external": {"system": "test", "id": "r-%d"}}`, i, vis, i)
	}
	b.WriteString("]}")
	f := filepath.Join(t.TempDir(), "late.json")
	if err := os.WriteFile(f, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := importFormats["json"](f)
	if err != nil || file.restricted == nil || file.restricted.Num != 1200 || file.n != 1500 {
		t.Fatalf("opened: %+v, %v; want 1500 records, the 1200th restricted", file, err)
	}
	code, out, stderr := run(t, "import", "--data", dir, "--format", "json", f)
	if code != 1 || !strings.Contains(stderr, "record 1200 (test r-1200) is restricted") || !strings.Contains(stderr, "Nothing was imported") {
		t.Fatalf("without --member: %d %s %s", code, out, stderr)
	}
	if code, out, stderr := run(t, "keys", "grant", "--data", dir, "--user", "admin", "--compartment", "protection"); code != 0 {
		t.Fatalf("grant: %s%s", out, stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", f, "--member", "admin"); code != 0 || !strings.Contains(out, "1500 new") {
		t.Fatalf("as a member: %d %s %s", code, out, stderr)
	}
	if _, out, _ := run(t, "search", "--data", dir, "Latecanary 1200"); strings.Contains(out, "IQ-2021") {
		t.Errorf("the restricted record's summary is searchable:\n%s", out)
	}
	if _, out, _ := run(t, "search", "--data", dir, "Latecanary 1199"); !strings.Contains(out, "IQ-2021") {
		t.Errorf("an internal record is not found:\n%s", out)
	}
}
