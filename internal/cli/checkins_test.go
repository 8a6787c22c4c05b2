package cli

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// The demo has overdue check-ins: 'rasd checkins due' lists them by code
// alone and exits 3; a non-member learns nothing; 'rasd risk list' lists
// the cases by code. On the same demo, 'rasd stats atrisk' and 'rasd
// threats import'.
func TestCheckinsDue(t *testing.T) {
	dir := t.TempDir() + "/demo"
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	if code, _, stderr := run(t, "demo", "--data", dir, "--incidents", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	code, out, stderr := run(t, "checkins", "due", "--data", dir, "--member", "protection", "--format", "json")
	if code != 3 {
		t.Fatalf("checkins due: exit %d, want 3 (overdue): %s", code, stderr)
	}
	var got struct {
		Overdue int `json:"overdue"`
		Cases   []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Overdue == 0 || len(got.Cases) < got.Overdue {
		t.Fatalf("json: %v %s", err, out)
	}
	for _, c := range got.Cases {
		if len(c) != 5 || !strings.HasPrefix(c["code"].(string), "PC-") {
			t.Errorf("a due case says more than its code and state: %v", c)
		}
	}
	for _, word := range []string{"Fictional", "city", "person", "activist", "note"} {
		if strings.Contains(out, word) {
			t.Errorf("checkins due says %q: %s", word, out)
		}
	}
	code, text, _ := run(t, "checkins", "due", "--data", dir, "--member", "protection")
	if code != 3 || !strings.Contains(text, "overdue") || !strings.Contains(text, "PC-") {
		t.Errorf("text: %d %s", code, text)
	}
	if code, out, stderr := run(t, "checkins", "due", "--data", dir, "--member", "documenter"); code != 1 || out != "" ||
		!strings.Contains(stderr, "not an enabled member") {
		t.Errorf("a non-member: %d %q %s", code, out, stderr)
	}
	if code, out, _ := run(t, "risk", "list", "--data", dir, "--member", "protection"); code != 0 ||
		!strings.HasPrefix(out, "PC-") || !strings.Contains(out, "critical") {
		t.Errorf("risk list: %d %s", code, out)
	}
	if code, _, _ := run(t, "checkins", "late", "--data", dir); code != 2 {
		t.Errorf("a wrong subcommand: exit %d", code)
	}
	t.Setenv("RASD_USER_PASSWORD", "rasd-demo-"+model.RoleProtection)
	t.Run("stats atrisk", func(t *testing.T) { testStatsAtRisk(t, dir) })
	t.Run("threats import", func(t *testing.T) { testThreatsImport(t, dir) })
}

// atRiskFigures runs 'rasd stats atrisk --format json' as the demo's
// protection member.
func atRiskFigures(t *testing.T, dir string, more ...string) (stats map[string]any, out string) {
	t.Helper()
	code, out, stderr := run(t, append([]string{"stats", "atrisk", "--data", dir, "--member", "protection", "--format", "json"}, more...)...)
	if code != 0 {
		t.Fatalf("stats atrisk: %d %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &stats); err != nil {
		t.Fatalf("stats atrisk: %v %s", err, out)
	}
	return stats, out
}

// The demo's list names nine, eight matched to persons: "at least 8";
// its threats and relocations are counted; no figure or receipt names
// anyone or any place's text; a non-member is refused.
func testStatsAtRisk(t *testing.T, dir string) {
	got, out := atRiskFigures(t, dir, "--receipt")
	if named := got["named_on_lists"].(map[string]any); named["n"] != 8.0 {
		t.Errorf("named on lists: %v, want 8", named)
	}
	for _, k := range []string{"threats", "relocated"} {
		if g := got[k].(map[string]any); g["n"] == nil && g["fewer_than_min"] == nil {
			t.Errorf("%s: %v", k, g)
		}
	}
	if r := got["receipt"].(map[string]any); len(r["named"].([]any)) != 8 {
		t.Errorf("receipt of names: %v", r["named"])
	}
	for _, word := range []string{"Fictional", "memo", "leave the square", "+964"} {
		if strings.Contains(out, word) {
			t.Errorf("stats atrisk says %q: %s", word, out)
		}
	}
	code, text, _ := run(t, "stats", "atrisk", "--data", dir, "--member", "protection")
	if code != 0 || !strings.Contains(text, "At least 8 people named on hit lists; of them") {
		t.Errorf("text: %d %s", code, text)
	}
	if code, out, stderr := run(t, "stats", "atrisk", "--data", dir, "--member", "documenter"); code != 1 || out != "" ||
		!strings.Contains(stderr, "not an enabled member") {
		t.Errorf("a non-member: %d %q %s", code, out, stderr)
	}
}

// 'rasd threats import': a good file adds its threats; a bad one names the
// threat and its field, and the database file is byte for byte what it
// was.
func testThreatsImport(t *testing.T, dir string) {
	st := openSQL(t, dir)
	persons, _, err := st.Persons().List(context.Background(), store.ListFilter{Visible: store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}, Limit: 2})
	st.Close()
	if err != nil || len(persons) < 2 {
		t.Fatalf("demo persons: %v %d", err, len(persons))
	}
	threats := func() int { // the receipt's: a total may be withheld (stats.Suppress)
		got, _ := atRiskFigures(t, dir, "--receipt")
		return len(got["receipt"].(map[string]any)["threats"].([]any))
	}
	before := threats()
	write := func(name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	threat := func(person, on string) string {
		return `{"occurred_on": "` + on + `", "delivery": "message", "severity": "intimidation", "persons": ["` + person +
			`"], "admin1": "IQ-BA", "said": "Importcanary text"}`
	}
	good := write("good.json", `{"format": "rasd-threats", "version": 1, "threats": [`+threat(persons[0].ID, "2020-03-01")+`, `+
		threat(persons[1].ID, "2020-03-02")+`]}`)
	if code, out, stderr := run(t, "threats", "import", "--data", dir, "--member", "protection", good); code != 0 ||
		!strings.Contains(out, "Imported 2 threats.") {
		t.Fatalf("a good file: %d %q %s", code, out, stderr)
	}
	if got := threats(); got != before+2 {
		t.Errorf("threats after a good file: %v, want %v", got, before+2)
	}
	db := filepath.Join(dir, sqlite.FileName)
	sum := func() [32]byte {
		b, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	was := sum()
	for _, c := range []struct{ body, want string }{
		// The second threat names no one: it is the second, and persons.
		{`{"format": "rasd-threats", "version": 1, "threats": [` + threat(persons[0].ID, "2020-03-03") + `, ` +
			threat("no-such-person", "2020-03-04") + `]}`, "threat 2: persons: Nothing you may see is recorded under this"},
		{`{"format": "rasd-threats", "version": 1, "threats": [` + threat(persons[0].ID, "2999-01-01") + `]}`,
			"threat 1: occurred_on: This date is in the future"},
		{`{"format": "rasd-threats", "version": 1, "threats": [{"occurred_on": "2020-03-05", "sayd": "x"}]}`, `threat 1: no field "sayd"`},
		{`{"format": "rasd-threats", "version": 1, "threats": [` + threat(persons[0].ID, "2020-03-03") + `,]}`, "not a file of threats"},
	} {
		code, out, stderr := run(t, "threats", "import", "--data", dir, "--member", "protection", write("bad.json", c.body))
		if code != 1 || out != "" || !strings.Contains(stderr, "bad.json") || !strings.Contains(stderr, c.want) {
			t.Errorf("a bad file (%s): exit %d, %q, %s", c.want, code, out, stderr)
		}
	}
	if sum() != was {
		t.Error("a refused file changed the database")
	}
	if got := threats(); got != before+2 {
		t.Errorf("threats after the refused files: %v, want %v", got, before+2)
	}
}
