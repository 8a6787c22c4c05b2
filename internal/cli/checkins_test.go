package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// The demo has overdue check-ins: 'rasd checkins due' lists them by code
// alone and exits 3; a non-member learns nothing; 'rasd risk list' lists
// the cases by code.
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
}
