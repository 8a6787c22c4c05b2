package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// rasd export writes XLSX that rasd import reads back into a new data
// directory with the documented export mapping.
func TestExportImportXLSX(t *testing.T) {
	src := newData(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(jsonFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", src, "--format", "json", in); code != 0 {
		t.Fatal(stderr)
	}
	xlsx := filepath.Join(t.TempDir(), "out.xlsx")
	code, _, stderr := run(t, "export", "--data", src, "--format", "xlsx", "--out", xlsx, "--asc")
	if code != 0 || !strings.Contains(stderr, "Exported 2 incidents") {
		t.Fatalf("export: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "export", "--data", src, "--format", "xlsx", "--out", xlsx); code == 0 {
		t.Errorf("export overwrote a file: %s", stderr)
	}
	if code, out, _ := run(t, "export", "--data", src, "--format", "csv", "--gov", "IQ-DQ"); code != 0 || !strings.Contains(out, "IQ-2019-0001") || strings.Contains(out, "IQ-2020-0001") {
		t.Errorf("filtered CSV export: %d\n%s", code, out)
	}
	if code, _, stderr := run(t, "export", "--data", src, "--format", "csv", "--type", "massacre"); code != 2 || !strings.Contains(stderr, "--type") {
		t.Errorf("unknown type: %d %s", code, stderr)
	}
	dst := newData(t)
	code, out, stderr := run(t, "import", "--data", dst, "--format", "xlsx", "--mapping", "../../docs/examples/export-mapping.json", xlsx)
	if code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	_, a, _ := run(t, "export", "--data", src, "--format", "csv", "--asc")
	_, b, _ := run(t, "export", "--data", dst, "--format", "csv", "--asc")
	// The same records, but for codes, external references and times.
	strip := func(s string) [][]string {
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			recs[i] = r[1 : len(r)-3]
		}
		return recs
	}
	if ra, rb := strip(a), strip(b); len(ra) != 3 || !reflect.DeepEqual(ra, rb) {
		t.Errorf("after the round trip\n%q\nwant\n%q", rb, ra)
	}
	if code, _, stderr := run(t, "import", "--data", dst, "--format", "xlsx", xlsx); code != 2 || !strings.Contains(stderr, "--mapping") {
		t.Errorf("xlsx without a mapping: %d %s", code, stderr)
	}
}

// A sheet with one bad row is refused whole, the database file untouched,
// the problem named by row and column.
func TestBadSheetLeavesStoreUnchanged(t *testing.T) {
	dir := newData(t)
	db := filepath.Join(dir, sqlite.FileName)
	before, _ := os.ReadFile(db)
	sheet := filepath.Join(t.TempDir(), "partner.csv")
	os.WriteFile(sheet, []byte("Date,Type,Governorate\n25/10/2019,killing,Baghdad\n26/10/2019,massacre,Basra\n"), 0o600)
	mapping := filepath.Join(t.TempDir(), "m.json")
	os.WriteFile(mapping, []byte(`{"format": "rasd-sheet-mapping", "version": 1, "date_formats": ["DD/MM/YYYY"],
		"columns": [{"column": "Date", "field": "date.start"}, {"column": "Type", "field": "type"}, {"column": "Governorate", "field": "place.admin1"}],
		"defaults": {"fatalities": "1"}}`), 0o600)
	code, _, stderr := run(t, "import", "--data", dir, "--format", "csv", "--mapping", mapping, sheet)
	if code != 1 || !strings.Contains(stderr, "row 3: column B (Type)") || !strings.Contains(stderr, "Nothing was imported") {
		t.Fatalf("bad sheet: %d\n%s", code, stderr)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("a refused sheet changed the database file")
	}
	os.WriteFile(mapping, []byte(`{"format": "rasd-sheet-mapping", "version": 1, "columns": [{"column": "Datum", "field": "date.start"}, {"column": "Type", "field": "type"}, {"column": "Governorate", "field": "place.admin1"}]}`), 0o600)
	code, _, stderr = run(t, "import", "--data", dir, "--format", "csv", "--mapping", mapping, sheet)
	if code != 1 || !strings.Contains(stderr, `names column "Datum"`) {
		t.Errorf("missing column: %d\n%s", code, stderr)
	}
}
