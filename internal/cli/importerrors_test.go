package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestImportRefusalsCLI: a UTF-16 or binary ACLED file is told to be
// saved as UTF-8, and a field over its limit (docs/limits.md) is refused
// with its line and column; nothing is imported either way.
func TestImportRefusalsCLI(t *testing.T) {
	dir := newData(t)
	csv := "event_id_cnty,event_date,event_type,sub_event_type,country,admin1,fatalities,notes\n" +
		"IRQ1,2019-12-08,Violence against civilians,Attack,Iraq,Baghdad,0,An activist was beaten.\n"
	var u16 []byte
	for _, u := range utf16.Encode([]rune("\uFEFF" + csv)) {
		u16 = append(u16, byte(u), byte(u>>8))
	}
	long := csv + "IRQ2,2019-12-09,Violence against civilians,Attack,Iraq,Baghdad,0," + strings.Repeat("x", 20001) + "\n"
	for _, tc := range []struct {
		name string
		body []byte
		want []string
	}{
		{"utf-16", u16, []string{"line 1", "UTF-16", "save the file as UTF-8"}},
		{"binary", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), []string{"line 1", "not text", "save the file as UTF-8"}},
		{"notes too long", []byte(long), []string{"line 3", "notes", "longer than 20000 characters (it has 20001"}},
	} {
		f := filepath.Join(t.TempDir(), "events.csv")
		os.WriteFile(f, tc.body, 0o600)
		code, out, stderr := run(t, "import", "--data", dir, "--format", "acled", f)
		if code != 1 || !strings.Contains(stderr, "Nothing was imported") {
			t.Errorf("%s: exit %d %q %q", tc.name, code, out, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: the refusal lacks %q: %s", tc.name, w, stderr)
			}
		}
		if strings.Contains(stderr, "missing required columns") || len(stderr) > 2000 {
			t.Errorf("%s: misleading or long refusal: %.300s", tc.name, stderr)
		}
	}
	if _, out, _ := run(t, "search", "--data", dir, "activist"); strings.Contains(out, "IQ-") {
		t.Errorf("a refused import stored something: %s", out)
	}
}
