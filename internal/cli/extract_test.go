package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/extract"
)

const report = `BAGHDAD, 7 November 2019 — Civil activist Ali Hassan al-Saadi was shot dead on Wednesday outside a police station in Nasiriyah by gunmen in a car without plates.
Five days later, his friend Karim Jawad fled to Istanbul.
According to the Al-Amal Association, there were at least 44 kidnappings last year.`

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "report.txt")
	os.WriteFile(txt, []byte(report), 0o600)
	code, out, errs := run(t, "extract", txt)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"published 2019-11-07 (found in the text)", "Killing", "2019-11-06", "Ali Hassan al-Saadi", "Dhi Qar",
		"44 × Kidnapping", "according to the Al-Amal Association", "Karim Jawad → Istanbul (TR), 2019-11-11", "[3] According"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	html := filepath.Join(dir, "report.html")
	os.WriteFile(html, []byte("<html><script>alert('kidnapped')</script><p>"+report+"</p></html>"), 0o600)
	code, out, errs = run(t, "extract", "--format", "json", "--published", "2019-11-08", html)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	var res extract.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Published != "2019-11-08" || len(res.Incidents) != 1 || len(res.Claims) != 1 || strings.Contains(out, "alert") {
		t.Fatalf("json result %+v", res)
	}
}

func TestExtractCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "photo.jpg")
	os.WriteFile(bin, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), 0o600)
	big := filepath.Join(dir, "big.txt")
	os.WriteFile(big, []byte(strings.Repeat("a", extract.MaxBytes+1)), 0o600)
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o600)
	ok := filepath.Join(dir, "ok.txt")
	os.WriteFile(ok, []byte(report), 0o600)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"extract", bin}, 1, "not UTF-8"},
		{[]string{"extract", big}, 1, "5 MB"},
		{[]string{"extract", empty}, 1, "empty"},
		{[]string{"extract", "--published", "2999-01-01", ok}, 2, "future"},
		{[]string{"extract", "--published", "7/11/2019", ok}, 2, "YYYY-MM-DD"},
		{[]string{"extract", "--lang", "fr", ok}, 2, "--lang"},
		{[]string{"extract", "--format", "xml", ok}, 2, "--format"},
		{[]string{"extract"}, 2, "one report file"},
		{[]string{"extract", filepath.Join(dir, "missing.txt")}, 1, "no such file"},
	} {
		code, _, errs := run(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d %q, want %d saying %q", c.args, code, errs, c.code, c.says)
		}
	}
}
