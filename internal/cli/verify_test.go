package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAfterImportNotStuck: after an import every incident is reported, so
// stats counts none and publish lists none; both say why and how to go
// on, and 'rasd verify' takes the web's verification steps, checking every
// code before changing any.
func TestAfterImportNotStuck(t *testing.T) {
	dir := newData(t)
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	code, out, stderr := run(t, "stats", "--data", dir, "--type", "killing")
	if code != 0 || !strings.Contains(out, "No incidents counted") ||
		!strings.Contains(stderr, "Not counted: 1 incident matching is only reported") ||
		!strings.Contains(stderr, "rasd stats --data "+dir+" --type killing --min-verification reported --receipt") ||
		!strings.Contains(stderr, "rasd verify CODE") {
		t.Errorf("stats after import: %d\n%s\n%s", code, out, stderr)
	}
	if _, _, stderr := run(t, "stats", "--data", dir, "--min-verification", "reported"); strings.Contains(stderr, "Not counted") {
		t.Errorf("stats counting reported still says some are not counted: %s", stderr)
	}
	site := filepath.Join(t.TempDir(), "site")
	code, out, _ = run(t, "publish", "--data", dir, "--out", site)
	if code != 0 || !strings.Contains(out, "none of the 2 stored is public") || !strings.Contains(out, "Not counted: 2 incidents matching are only reported") {
		t.Errorf("publish after import: %d\n%s", code, out)
	}

	t.Setenv("RASD_NEW_PASSWORD", "huda's password 1")
	run(t, "user", "add", "--data", dir, "--role", "analyst", "huda")
	run(t, "user", "add", "--data", dir, "--role", "documenter", "sara")
	verify := func(want int, args ...string) string {
		t.Helper()
		code, out, stderr := run(t, append([]string{"verify", "--data", dir}, args...)...)
		if code != want {
			t.Fatalf("rasd verify %v: exit %d, want %d\n%s%s", args, code, want, out, stderr)
		}
		return out + stderr
	}
	both := []string{"IQ-2019-0001", "IQ-2020-0001"}
	verify(2, append(both, "--status", "corroborated")...)
	verify(2, "--status", "corroborated", "--account", "huda")
	verify(2, append(both, "--status", "corroborated", "--account", "huda", "--said", "two cars")...)
	t.Setenv("RASD_USER_PASSWORD", "not huda's")
	if out := verify(1, append(both, "--status", "corroborated", "--account", "huda")...); !strings.Contains(out, "password") {
		t.Errorf("wrong password: %s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "huda's password 1")
	if out := verify(1, append(both, "--status", "corroborated", "--account", "sara")...); !strings.Contains(out, "analyst or coordinator") {
		t.Errorf("a documenter: %s", out)
	}
	if out := verify(1, "IQ-2019-0001", "IQ-2099-0001", "--status", "corroborated", "--account", "huda"); !strings.Contains(out, "no incident has the code IQ-2099-0001") {
		t.Errorf("an unknown code: %s", out)
	}
	if out := verify(1, append(both, "--status", "verified", "--account", "huda")...); !strings.Contains(out, "one step at a time") {
		t.Errorf("a skipped step: %s", out)
	}
	if out := verify(1, append(both, "--status", "corroborated", "--account", "huda", "--source", "Al-Mada", "--source-type", "rumour")...); !strings.Contains(out, "source.type") {
		t.Errorf("a bad source type: %s", out)
	}
	if _, out, _ := run(t, "stats", "--data", dir); !strings.Contains(out, "No incidents counted") {
		t.Fatalf("a refused verify changed something: %s", out)
	}
	out = verify(0, append(both, "--status", "corroborated", "--account", "huda", "--source", "Al-Mada, 26 October 2019",
		"--source-type", "media", "--reliability", "B", "--credibility", "2", "--said", "Two cars followed him.")...)
	if !strings.Contains(out, "IQ-2019-0001: corroborated") || !strings.Contains(out, "IQ-2020-0001: corroborated") {
		t.Errorf("verify: %s", out)
	}
	code, out, stderr = run(t, "stats", "--data", dir)
	if code != 0 || !strings.Contains(out, "At least 2 incidents") || strings.Contains(stderr, "Not counted") {
		t.Errorf("stats after verify: %s%s", out, stderr)
	}
	_, out, _ = run(t, "show", "--data", dir, "IQ-2019-0001")
	if !strings.Contains(out, "Al-Mada, 26 October 2019") || !strings.Contains(out, "Two cars followed him.") || !strings.Contains(out, "huda") {
		t.Errorf("show after verify lacks the source or who verified:\n%s", out)
	}
}

// TestShowMessages: 'rasd show' of an unknown code does not offer that
// code as its own example, and --lang ar labels the fields in Arabic.
func TestShowMessages(t *testing.T) {
	dir := newData(t)
	importJSON(t, dir, jsonFile)
	for code, want := range map[string]string{
		"IQ-2019-0042":  "no incident has the code IQ-2019-0042; 'rasd search IQ-2019' lists",
		"IQ-2019-0001x": `"IQ-2019-0001x" is not an incident code`,
		"amjad":         "like IQ-2019-0042",
	} {
		c, out, stderr := run(t, "show", "--data", dir, code)
		if c != 1 || out != "" || !strings.Contains(stderr, want) || strings.Count(stderr, code) != 1 {
			t.Errorf("show %s: %d %q", code, c, stderr)
		}
	}
	_, out, _ := run(t, "show", "--data", dir, "--lang", "ar", "IQ-2019-0001")
	for _, want := range []string{"الرمز:", "النوع:", "قتل", "حالة التحقق:", "سجل التغييرات:"} {
		if !strings.Contains(out, want) {
			t.Errorf("show --lang ar lacks %q:\n%s", want, out)
		}
	}
	for _, english := range []string{"Code:", "Type:", "History:", "Verification:"} {
		if strings.Contains(out, english) {
			t.Errorf("show --lang ar has the English label %q:\n%s", english, out)
		}
	}
	if _, out, _ := run(t, "show", "--data", dir, "IQ-2019-0001"); !strings.Contains(out, "Code:") || !strings.Contains(out, "History:") {
		t.Errorf("show in English:\n%s", out)
	}
}

// TestVerifyRestricted: the source a step on a restricted incident rests
// on is sealed with its text, so the verifier must be a protection
// member; a non-member's step changes nothing, a member's seals the
// source, which only a member's key opens.
func TestVerifyRestricted(t *testing.T) {
	dir, code := sealedData(t)
	t.Setenv("RASD_NEW_PASSWORD", "huda password 12")
	run(t, "user", "add", "--data", dir, "--role", "coordinator", "huda")
	t.Setenv("RASD_USER_PASSWORD", "huda password 12")
	args := []string{"verify", "--data", dir, code, "--status", "corroborated", "--account", "huda",
		"--source", "Witness W-7 in Nasiriyah", "--source-type", "eyewitness"}
	if c, out, stderr := run(t, args...); c != 1 || !strings.Contains(stderr, "not a member of the protection compartment") || out != "" {
		t.Fatalf("a non-member's step: %d %q %q", c, out, stderr)
	}
	if _, out, _ := run(t, "show", "--data", dir, code); !strings.Contains(out, "Reported") || strings.Contains(out, "Sources:") {
		t.Fatalf("a refused step changed the incident:\n%s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if c, _, stderr := run(t, "keys", "grant", "--data", dir, "--member", "admin", "--user", "huda", "--compartment", "protection"); c != 0 {
		t.Fatal(stderr)
	}
	t.Setenv("RASD_USER_PASSWORD", "huda password 12")
	if c, out, stderr := run(t, args...); c != 0 || !strings.Contains(out, code+": corroborated") {
		t.Fatalf("a member's step: %d %q %q", c, out, stderr)
	}
	_, out, _ := run(t, "show", "--data", dir, code)
	if !strings.Contains(out, "Corroborated") || strings.Contains(out, "Witness W-7") || !strings.Contains(out, "(sealed)") {
		t.Errorf("the source is not sealed:\n%s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if _, out, _ := run(t, "show", "--data", dir, code, "--member", "admin"); !strings.Contains(out, "Witness W-7 in Nasiriyah") {
		t.Errorf("a member does not read the sealed source:\n%s", out)
	}
}
