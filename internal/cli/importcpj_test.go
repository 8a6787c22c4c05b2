package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/stats"
)

// cpjCount is the independent count: straight from the CSV, the rows of
// country that CPJ calls murders, and their impunity classes.
func cpjCount(t *testing.T, file, country string) (murders, complete, partial, justice int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["country"]] != country || r[col["typeOfDeath"]] != "Murder" {
			continue
		}
		murders++
		switch r[col["impunityMurder"]] {
		case "Complete Impunity":
			complete++
		case "Partial Impunity":
			partial++
		case "Full Justice":
			justice++
		}
	}
	return
}

func checkCPJImport(t *testing.T, file string) {
	dir := newData(t)
	code, out, stderr := run(t, "import", "--data", dir, "--format", "cpj", file)
	if code != 0 || !strings.Contains(out, "Skipped") || !strings.Contains(out, "judicial steps") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	for _, country := range []string{"IQ", "MX"} {
		name := map[string]string{"IQ": "Iraq", "MX": "Mexico"}[country]
		m, c, p, j := cpjCount(t, file, name)
		code, out, stderr = run(t, "stats", "impunity", "--data", dir, "--country", country, "--min-verification", "reported", "--format", "json")
		if code != 0 {
			t.Fatalf("stats impunity: %d %s", code, stderr)
		}
		var got stats.Impunity
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Murders != m || got.Complete != c || got.Partial != p || got.Justice != j {
			t.Errorf("%s: rasd says %d murders, %d complete, %d partial, %d full justice; the CSV %d, %d, %d, %d",
				country, got.Murders, got.Complete, got.Partial, got.Justice, m, c, p, j)
		}
		if country == "IQ" && m == 0 {
			t.Error("no Iraqi murder in the file: the test proves nothing")
		}
	}
	// Again: the same incidents, updated in place, and no step twice.
	code, out, stderr = run(t, "import", "--data", dir, "--format", "cpj", file)
	if code != 0 || !strings.Contains(out, " 0 new") || !strings.Contains(out, "Added 0 judicial steps") {
		t.Fatalf("re-import: %d %q %q", code, out, stderr)
	}
	if code, out, _ := run(t, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %d %s", code, out)
	}
}

func TestImportCPJExcerpt(t *testing.T) {
	checkCPJImport(t, filepath.Join("..", "importer", "testdata", "cpj_excerpt.csv"))
}

// The whole of CPJ's export, where the shared data is (docs/import-cpj.md).
func TestImportCPJRealFile(t *testing.T) {
	file := filepath.Join("..", "..", "..", "shared", "data", "real", "cpj_killed_1992-2022.csv")
	if _, err := os.Stat(file); err != nil {
		file = "/work/shared/data/real/cpj_killed_1992-2022.csv"
	}
	if _, err := os.Stat(file); err != nil {
		t.Skip("CPJ's export is not here; TestImportCPJExcerpt covers the import")
	}
	checkCPJImport(t, file)
}
