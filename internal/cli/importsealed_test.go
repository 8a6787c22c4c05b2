package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

const restrictedFile = `{"format": "rasd-incidents", "version": 1, "incidents": [
 {"type": "death_threat", "date": {"start": "2021-05-09", "precision": "day"}, "place": {"admin1": "IQ-KA"},
  "summary_en": "An open case", "external": {"system": "test", "id": "open"}},
 {"type": "killing", "date": {"start": "2021-05-10", "precision": "day"}, "visibility": "restricted",
  "place": {"admin1": "IQ-KA", "locality": "Cryptolocale"}, "fatalities": 1,
  "summary_en": "Importcanary summary", "narrative_en": "Importcanary narrative of a hidden killing",
  "victims": [{"outcome": "killed", "role": "activist", "person": {"name_latin": "Importcanary Victimname", "visibility": "restricted"}}],
  "external": {"system": "test", "id": "secret-7"}}
]}`

// TestImportRestricted: a file with a restricted record is refused unless
// --member names a protection member (whose password opens the compartment);
// imported, its text is in no column nor in the search index.
func TestImportRestricted(t *testing.T) {
	dir := newData(t)
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(restrictedFile), 0o600)
	imp := func(want int, extra ...string) string {
		t.Helper()
		code, out, stderr := run(t, append([]string{"import", "--data", dir, "--format", "json", f}, extra...)...)
		if code != want {
			t.Fatalf("import %v: exit %d, want %d: %s%s", extra, code, want, out, stderr)
		}
		return out + stderr
	}
	if out := imp(1); !strings.Contains(out, "record 2 (test secret-7) is restricted") || !strings.Contains(out, "--member MEMBER") ||
		!strings.Contains(out, "Nothing was imported") {
		t.Errorf("without --member: %s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if out := imp(1, "--member", "admin"); !strings.Contains(out, "has no key yet") && !strings.Contains(out, "not a member") {
		t.Errorf("--member a non-member: %s", out)
	}
	if code, out, stderr := run(t, "keys", "grant", "--data", dir, "--user", "admin", "--compartment", "protection"); code != 0 {
		t.Fatalf("grant: %s%s", out, stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "a wrong password")
	imp(1, "--member", "admin")
	if code, out, _ := run(t, "search", "--data", dir, "case"); code != 0 || strings.Contains(out, "IQ-2021") {
		t.Fatalf("a refused import stored something: %s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	run(t, "user", "disable", "--data", dir, "admin")
	if out := imp(1, "--member", "admin"); !strings.Contains(out, "admin is disabled") {
		t.Errorf("--member a disabled member: %s", out)
	}
	if code, out, stderr := run(t, "user", "enable", "--data", dir, "admin"); code != 0 {
		t.Fatalf("enable: %s%s", out, stderr)
	}
	if out := imp(0, "--member", "admin"); !strings.Contains(out, "2 new") {
		t.Errorf("import as a member: %s", out)
	}
	if out := imp(0, "--member", "admin"); !strings.Contains(out, "2 unchanged") {
		t.Errorf("re-import of the same file: %s", out)
	}
	for _, q := range []string{"Importcanary", "Cryptolocale", "Victimname"} {
		if _, out, _ := run(t, "search", "--data", dir, q); strings.Contains(out, "IQ-2021") {
			t.Errorf("search %q finds the restricted record: %s", q, out)
		}
	}
	// The columns, the history and the audit log, read with the database key.
	st := openSQL(t, dir)
	var n int
	for _, q := range []string{
		`SELECT COUNT(*) FROM incidents WHERE narrative_en LIKE '%Importcanary%' OR summary_en LIKE '%Importcanary%' OR locality LIKE '%Cryptolocale%'`,
		`SELECT COUNT(*) FROM persons WHERE name_latin LIKE '%Importcanary%'`,
		`SELECT COUNT(*) FROM versions WHERE snapshot LIKE '%Importcanary%' OR snapshot LIKE '%Cryptolocale%'`,
		`SELECT COUNT(*) FROM sealed_fields WHERE field_group = 'record'`,
	} {
		if err := st.SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := strings.Contains(q, "sealed_fields"); (n != 0) != want {
			t.Errorf("%s: %d", q, n)
		}
	}
	if err := st.SQL().QueryRow(`SELECT COUNT(*) FROM incidents WHERE summary_en = 'An open case'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the open record: %d %v", n, err)
	}
	st.Close()

	// A file that makes the sealed record internal: only as a member.
	os.WriteFile(f, []byte(strings.ReplaceAll(restrictedFile, `"restricted"`, `"internal"`)), 0o600)
	if out := imp(1); !strings.Contains(out, "makes a restricted record") || !strings.Contains(out, "--member MEMBER") {
		t.Errorf("unsealing without --member: %s", out)
	}
	if out := imp(0, "--member", "admin"); !strings.Contains(out, "2 updated") && !strings.Contains(out, "1 updated") {
		t.Errorf("unsealing as a member: %s", out)
	}
	if _, out, _ := run(t, "search", "--data", dir, "Importcanary"); !strings.Contains(out, "IQ-2021") {
		t.Errorf("the unsealed record is not found by its text: %s", out)
	}
}

// TestSealRecords: restricted records stored in the clear (before sealing
// existed) are sealed by 'rasd keys seal-records' as a member.
func TestSealRecords(t *testing.T) {
	dir := newData(t)
	st := openSQL(t, dir)
	inc := storetest.Incident()
	inc.Visibility, inc.NarrativeEN = model.VisibilityRestricted, "Legacycanary narrative"
	if err := st.CreateIncident(context.Background(), "old", &inc); err != nil {
		t.Fatal(err)
	}
	org := model.Organisation{NameEN: "Legacycanary Org", Kind: "ngo", Status: "active", Notes: "Legacycanary notes",
		Visibility: model.VisibilityRestricted}
	if err := st.Organisations().Create(context.Background(), "old", &org); err != nil {
		t.Fatal(err)
	}
	st.Close()
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if code, _, _ := run(t, "keys", "seal-records", "--data", dir, "--member", "admin"); code != 1 {
		t.Errorf("seal-records by a non-member: exit %d", code)
	}
	run(t, "keys", "grant", "--data", dir, "--user", "admin", "--compartment", "protection")
	code, out, stderr := run(t, "keys", "seal-records", "--data", dir, "--member", "admin")
	if code != 0 || !strings.Contains(out, "Sealed 1 restricted incidents") ||
		!strings.Contains(out, "and 1 restricted organisations") {
		t.Fatalf("seal-records: %d %s%s", code, out, stderr)
	}
	// The history keeps every version, without the text.
	code, out, _ = run(t, "show", "--data", dir, inc.Code)
	if code != 0 || strings.Contains(out, "Legacycanary") || !strings.Contains(out, "  v2  ") ||
		!strings.Contains(out, "removed from the history") || !strings.Contains(out, "narrative_en: (sealed) → (sealed)") {
		t.Errorf("show after sealing: %d\n%s", code, out)
	}
	if code, out, stderr := run(t, "audit", "verify", "--data", dir); code != 0 {
		t.Errorf("audit verify after the purge: %s%s", out, stderr)
	}
	if _, out, _ := run(t, "keys", "seal-records", "--data", dir, "--member", "admin"); !strings.Contains(out, "Sealed 0 restricted incidents, 0 restricted persons and 0 restricted organisations (1, 0 and 1") ||
		!strings.Contains(out, "also purged now from 0 records") {
		t.Errorf("a second run: %s", out)
	}
	// A record sealed before sealing purged the history (its old version
	// put back) is purged by the next run.
	st = openSQL(t, dir)
	if _, err := st.SQL().Exec(`UPDATE versions SET snapshot = '{"narrative_en": "Legacycanary narrative"}' WHERE record_id = ? AND version = 1`, inc.ID); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, out, _ := run(t, "keys", "seal-records", "--data", dir, "--member", "admin"); !strings.Contains(out, "also purged now from 1 records sealed before") {
		t.Errorf("seal-records over a sealed record's old text: %s", out)
	}
	st = openSQL(t, dir)
	defer st.Close()
	var n int
	st.SQL().QueryRow(`SELECT COUNT(*) FROM incidents WHERE narrative_en LIKE '%Legacycanary%'`).Scan(&n)
	if n != 0 {
		t.Error("the narrative is still in its column")
	}
	st.SQL().QueryRow(`SELECT COUNT(*) FROM versions WHERE snapshot LIKE '%Legacycanary%' OR changes LIKE '%Legacycanary%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d versions still hold the sealed text", n)
	}
	st.SQL().QueryRow(`SELECT COUNT(*) FROM organisations WHERE name_en LIKE '%Legacycanary%' OR notes LIKE '%Legacycanary%'
		OR search_text LIKE '%legacycanary%'`).Scan(&n)
	if n != 0 {
		t.Error("the organisation's name or notes are still in their columns")
	}
}
