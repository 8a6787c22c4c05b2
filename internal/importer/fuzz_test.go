package importer

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/incidents"
)

// checkResult is the property both parsers keep: all incidents or none,
// errors that say where, and nothing that incidents.Validate would refuse.
func checkResult(t *testing.T, n int, err error, validate func(i int) error) {
	if err != nil {
		if n != 0 {
			t.Fatalf("%d incidents returned with error %v", n, err)
		}
		var e *Error
		if !errors.As(err, &e) || e.File != "fuzz" {
			t.Fatalf("error %T does not name the file: %v", err, err)
		}
		return
	}
	for i := range n {
		if err := validate(i); err != nil {
			t.Fatalf("incident %d was returned but fails incidents.Validate: %v", i+1, err)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	if doc, err := os.ReadFile("../../docs/import-json.md"); err == nil {
		if _, after, ok := strings.Cut(string(doc), "```json\n{"); ok {
			if block, _, ok := strings.Cut(after, "```"); ok {
				f.Add([]byte("{" + block))
			}
		}
	}
	f.Add([]byte(fileJSON(incidentJSON(f, nil))))
	f.Add([]byte(fileJSON(incidentJSON(f, func(m map[string]any) {
		m["date"] = map[string]any{"start": "2019-10-25", "precision": "week"}
		m["place"] = map[string]any{"country": "IQ", "admin1": "IQ-NI"}
		m["perpetrators"] = []any{map[string]any{"group": "x"}}
		m["tags"] = []any{"a", " a", ""}
	}))))
	f.Add([]byte(fileJSON()))
	f.Add([]byte(`{"format":"rasd-incidents","version":1,"incidents":[{"type":"killing","date":{"start":"2019-02-29"}}]}`))
	f.Add([]byte(`{"format":"rasd-incidents","version":1,"incidents":[{"victims":[{"person":null}],"place":{"lat":1e400}}]}`))
	f.Add([]byte(`[1, {"a": "\ud800"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		incs, err := ParseJSON(bytes.NewReader(data), "fuzz")
		checkResult(t, len(incs), err, func(i int) error { return incidents.Validate(&incs[i]) })
	})
}

func FuzzParseACLED(f *testing.F) {
	if b, err := os.ReadFile("testdata/acled_shuffled.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(acledCSV(minHeader, minRow("IRQ1", ""), minRow("IRQ2", "time_precision=3"), minRow("IRQ3", "sub_event_type=Abduction/forced disappearance"))))
	f.Add([]byte(acledCSV(minHeader, minRow("IRQ1", "notes=a\nb \"c\""), minRow("IRQ2", "latitude="))))
	f.Add([]byte("\uFEFFadmin1,country,event_type,event_date,event_id_cnty\r\nNinewa,Iraq,Explosions/Remote violence,01 June 2017,IRQ7\r\n"))
	f.Add([]byte("event_id_cnty,event_date,event_type,country,admin1,fatalities\nX,2019-01-01,Riots,Iraq,Basra,\"9\"\"\n"))
	f.Add([]byte("id,year,adm_1\n1,2014,Maysān  province\n"))
	f.Add([]byte(utf16LE("\uFEFF" + acledCSV(minHeader, minRow("IRQ1", "")))))
	f.Add([]byte(acledCSV(minHeader, minRow("IRQ1", "notes=No injuries. Later two were wounded."))))
	f.Fuzz(func(t *testing.T, data []byte) {
		incs, err := ParseACLED(bytes.NewReader(data), "fuzz")
		if n := CountCSV(bytes.NewReader(data)); err == nil && n != len(incs) {
			t.Fatalf("CountCSV = %d for a file of %d records", n, len(incs))
		}
		checkResult(t, len(incs), err, func(i int) error {
			if x := incs[i].External; x == nil || x.System != "acled" || x.ID == "" {
				t.Fatalf("incident %d lacks its ACLED key: %+v", i+1, x)
			}
			return incidents.Validate(&incs[i])
		})
	})
}

func FuzzParseCPJ(f *testing.F) {
	if b, err := os.ReadFile("testdata/cpj_excerpt.csv"); err == nil {
		f.Add(b)
	}
	head := strings.Join(CPJRequired, ",") + ",sourcesOfFire,threatened,locality,gender\n"
	f.Add([]byte(head + "2006,Unidentified,Iraq,Journalist,Murder,Confirmed,Complete Impunity,\"Political Group, Criminal Group\",Yes,\"Kalar, Sulaymaniyah\",Female\n"))
	f.Add([]byte(head + "2006,Unidentified,Iraq,Journalist,Murder,Confirmed,,,,,\n2006,Unidentified,Iraq,Journalist,Murder,Confirmed,,,,,\n"))
	f.Add([]byte(head + ",,,,,,,,,,1585\n"))
	f.Add([]byte("\uFEFF" + head + "1899,\xff,Iraq,Journalist,Murder,Confirmed,,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, skipped, err := CPJ(bytes.NewReader(data), "fuzz")
		checkResult(t, len(recs), err, func(i int) error {
			inc := &recs[i].Incident
			if x := inc.External; x == nil || x.System != "cpj" || x.ID == "" {
				t.Fatalf("record %d lacks its CPJ key: %+v", i+1, x)
			}
			incidents.ApplyDefaults(inc)
			return incidents.Validate(inc)
		})
		keys := map[string]bool{}
		for _, r := range recs {
			if keys[r.Incident.External.ID] {
				t.Fatalf("two records with key %q", r.Incident.External.ID)
			}
			keys[r.Incident.External.ID] = true
		}
		if err == nil && len(recs)+len(skipped) != CountCSV(bytes.NewReader(data)) {
			t.Fatalf("%d records and %d skipped in a file of %d", len(recs), len(skipped), CountCSV(bytes.NewReader(data)))
		}
	})
}
