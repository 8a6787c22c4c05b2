package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import says which persons it added are possibly the same as persons
// recorded before it, with why; and `rasd search` finds a name in other
// spellings and scripts (docs/names.md, docs/search.md).
func TestImportProposesMatchesAndSearchFindsSpellings(t *testing.T) {
	dir := newData(t)
	first := filepath.Join(t.TempDir(), "first.json")
	os.WriteFile(first, []byte(`{"format": "rasd-incidents", "version": 1, "incidents": [
 {"type": "killing", "date": {"start": "2019-12-08", "precision": "day"}, "place": {"admin1": "IQ-BA"}, "fatalities": 1,
  "summary_en": "A reporter shot dead", "victims": [{"outcome": "killed", "role": "journalist",
  "person": {"name_latin": "Tahsin Osama Jabbar"}}], "external": {"system": "test", "id": "1"}}]}`), 0o600)
	second := filepath.Join(t.TempDir(), "second.json")
	os.WriteFile(second, []byte(`{"format": "rasd-incidents", "version": 1, "incidents": [
 {"type": "killing", "date": {"start": "2019-12-09", "precision": "day"}, "place": {"admin1": "IQ-BA"}, "fatalities": 1,
  "summary_ar": "اغتيال صحفي", "victims": [{"outcome": "killed", "role": "journalist",
  "person": {"name_ar": "تحسين أسامة جبار"}}, {"outcome": "injured", "person": {"name_latin": "Omar Osama Jabbar"}}],
  "external": {"system": "other", "id": "9"}}]}`), 0o600)
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", first); code != 0 || strings.Contains(out, "possibly") {
		t.Fatalf("first import: %d %q %q", code, out, stderr)
	}
	code, out, stderr := run(t, "import", "--data", dir, "--format", "json", second)
	if code != 0 || !strings.Contains(out, "1 imported persons are possibly the same") ||
		!strings.Contains(out, "تحسين أسامة جبار ~ Tahsin Osama Jabbar") || !strings.Contains(out, "same key thsn") || strings.Contains(out, "Omar") {
		t.Fatalf("second import: %d\n%s%s", code, out, stderr)
	}
	for _, q := range []string{"Tahseen", "تحسين", "البصرة", "Basrah", "kidnapped Tahseen"} {
		code, out, _ := run(t, "search", "--data", dir, q)
		want := q != "kidnapped Tahseen"
		if found := strings.Contains(out, "IQ-2019-0001") && strings.Contains(out, "IQ-2019-0002"); code != 0 || found != want {
			t.Errorf("search %q: %d, found both %v, want %v\n%s", q, code, found, want, out)
		}
	}
	if code, _, stderr := run(t, "search", "--data", dir, "؟!..."); code == 0 || !strings.Contains(stderr, "no letters or digits") {
		t.Errorf("search of punctuation: %d %s", code, stderr)
	}
	if code, out, _ := run(t, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %d %s", code, out)
	}
}

// `rasd duplicates` lists the two imports of one killing, with reasons,
// in text and JSON, and refuses a --min-score outside 0–1.
func TestDuplicatesCommand(t *testing.T) {
	dir := newData(t)
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(`{"format": "rasd-incidents", "version": 1, "incidents": [
 {"type": "killing", "date": {"start": "2019-12-08", "precision": "day"}, "place": {"admin1": "IQ-BA"}, "fatalities": 1,
  "summary_en": "Journalist Tahsin Osama shot dead in Basra", "victims": [{"outcome": "killed", "role": "journalist",
  "person": {"name_latin": "Tahsin Osama"}}], "external": {"system": "acled", "id": "IRQ1"}},
 {"type": "killing", "date": {"start": "2019-12-09", "precision": "day"}, "place": {"admin1": "IQ-BA"}, "fatalities": 1,
  "summary_en": "Reporter Tahseen Usama killed in Basra", "victims": [{"outcome": "killed", "role": "journalist",
  "person": {"name_latin": "Tahseen Usama"}}], "external": {"system": "partner", "id": "7"}}]}`), 0o600)
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 0 || !strings.Contains(out, "2 probable duplicates of existing incidents") ||
		!strings.Contains(out, "IQ-2019-0002 ~ IQ-2019-0001") || !strings.Contains(out, "/duplicates?with=") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	// Imported again: each record updates its own incident (same external
	// id), which is not its duplicate; the two are still each other's.
	if code, out, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 0 || !strings.Contains(out, "2 probable duplicates") {
		t.Fatalf("import again: %d %s %s", code, out, stderr)
	}
	code, out, stderr := run(t, "duplicates", "--data", dir)
	if code != 0 || !strings.Contains(out, "1 probable duplicate pairs") || !strings.Contains(out, "IQ-2019-0001 ~ IQ-2019-0002") || !strings.Contains(out, "a day apart") {
		t.Errorf("duplicates: %d\n%s%s", code, out, stderr)
	}
	code, out, _ = run(t, "duplicates", "--data", dir, "--format", "json", "--min-score", "0.5")
	if code != 0 || !strings.Contains(out, `"a": "IQ-2019-0001"`) || !strings.Contains(out, `"score"`) {
		t.Errorf("duplicates json: %d\n%s", code, out)
	}
	for _, bad := range []string{"-0.1", "1.5", "x"} {
		if code, _, stderr := run(t, "duplicates", "--data", dir, "--min-score", bad); code == 0 || !strings.Contains(stderr, "min-score") {
			t.Errorf("--min-score %s: %d %s", bad, code, stderr)
		}
	}
}
