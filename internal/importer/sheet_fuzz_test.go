package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

// A mapping is accepted only if it is complete and names real fields and
// codes; whatever the input, ReadMapping returns an error or a mapping
// that Check accepts, and never panics.
func FuzzReadMapping(f *testing.F) {
	f.Add([]byte(partnerMapping))
	f.Add([]byte(`{"format": "rasd-sheet-mapping", "version": 1, "columns": [{"column": "D", "field": "date.start", "date_formats": ["DD/MM/YYYY"]}, {"column": "G", "field": "place.admin1", "values": {"x": "IQ-BG"}}], "defaults": {"type": "killing"}}`))
	f.Add([]byte(`{"format": "rasd-sheet-mapping"}`))
	f.Add([]byte("\uFEFF{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadMapping(bytes.NewReader(data))
		if err != nil {
			if m != nil && m.Check() == nil {
				t.Fatalf("refused %v but Check accepts it", err)
			}
			return
		}
		if err := m.Check(); err != nil {
			t.Fatalf("accepted, but Check: %v", err)
		}
		for _, c := range m.Columns {
			if _, ok := sheetFields[c.Field]; !ok {
				t.Fatalf("accepted field %q", c.Field)
			}
		}
	})
}

// Whatever the cells, a sheet gives all its incidents, each valid, or
// none and an error.
func FuzzSheetCSV(f *testing.F) {
	f.Add(csvOf(partnerHeader, []string{"P-1", "25/10/2019", "Assassination", "Baghdad", "", "", "1", "Shot.", "Unknown gunmen", "a,b", ""}))
	f.Add(csvOf(partnerHeader, []string{"P-1", "1/1/2020", "اختطاف", "", "33.3", "44.4", "", "", "", "", ""}))
	f.Add("Ref,Ref\n1,2\n")
	f.Add("\uFEFFRef\n\"unterminated\n")
	m := mapping(f, partnerMapping)
	f.Fuzz(func(t *testing.T, data string) {
		fuzzSheet(t, "csv", []byte(data), m)
	})
}

// The same for XLSX bytes: a broken zip, a broken workbook or odd cells
// give an error, never a panic or an invalid incident.
func FuzzSheetXLSX(f *testing.F) {
	f.Add(xlsxOf(f, anyRow(partnerHeader), anyRow([]string{"P-1", "25/10/2019", "Assassination", "Baghdad", "", "", "1", "Shot.", "", "", ""})))
	f.Add(xlsxOf(f, anyRow(partnerHeader), []any{"P-1", 43763, "killing", "IQ-NI", 36.3, 43.1, 3}))
	f.Add([]byte("PK\x03\x04"))
	m := mapping(f, partnerMapping)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzSheet(t, "xlsx", data, m)
	})
}

func fuzzSheet(t *testing.T, format string, data []byte, m *Mapping) {
	var incs []*model.Incident
	s, err := OpenSheet(bytes.NewReader(data), "fuzz", format, "")
	if err == nil {
		defer s.Close()
		var sf *SheetFile
		if sf, err = ReadSheet(s, m, "fuzz"); err == nil {
			err = sf.Each(func(inc *model.Incident) error { incs = append(incs, inc); return nil })
		}
	}
	if err != nil {
		if !strings.Contains(err.Error(), "fuzz") {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	for i, inc := range incs {
		if err := incidents.Validate(inc); err != nil {
			t.Fatalf("incident %d came out invalid: %v", i+1, err)
		}
	}
}
