package web

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/importer"
)

// FuzzSheetForm: whatever the wizard's mapping form holds, reading it
// never panics, names only columns of the header, and a mapping that
// passes its check is one a saved mapping reads back (ReadMapping) and
// a sheet can be read through without a panic.
func FuzzSheetForm(f *testing.F) {
	f.Add("system=partner-x&field.0=external.id&field.1=date.start&field.2=type&word.2.0=Assassination&code.2.0=killing&field.3=place.admin1")
	f.Add("field.1=date.start&field.2=type&field.3=place.admin1&word.3.0=Belts&code.3.0=IQ-BG&default.visibility=restricted&date_formats=DD/MM/YYYY,%20YYYY")
	f.Add("field.0=victims&field.1=date.start&field.1=type&word.2.0=&code.2.0=x&word.2.1=a&word.2.1=b&header_row=-3")
	header := []string{"Ref", "Date", "Violation", "Province", ""}
	sheet := "Ref,Date,Violation,Province,\nP-1,2019-10-25,Assassination,Belts,x\nP-2,25/10/2019,killing,Baghdad,\n"
	f.Fuzz(func(t *testing.T, s string) {
		form := parseFuzzForm(s)
		m := newMapping()
		mappingFromForm(m, form, header)
		for _, c := range m.Columns {
			if columnIndex(header, c.Column) < 0 || strings.TrimSpace(c.Column) == "" {
				t.Fatalf("the mapping names column %q, not in the header", c.Column)
			}
		}
		if m.Check() != nil {
			return
		}
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importer.ReadMapping(bytes.NewReader(data)); err != nil {
			t.Fatalf("a checked mapping does not read back: %v\n%s", err, data)
		}
		sh, err := importer.OpenSheetLimited(strings.NewReader(sheet), "f.csv", "csv", "", importer.MemoryLimits)
		if err != nil {
			t.Fatal(err)
		}
		importer.Unmatched(sh, m, 5)
		importer.ReadSheetUpTo(sh, m, "f.csv", sheetProblems)
	})
}
