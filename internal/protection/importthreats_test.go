package protection_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// The example of docs/import-json.md imports; a file with one bad threat
// imports nothing and names the threat and its field.
func TestImportThreats(t *testing.T) {
	doc, err := os.ReadFile("../../docs/import-json.md")
	if err != nil || !bytes.Contains(doc, protection.ThreatsExample) {
		t.Fatal("docs/import-json.md does not show the example of threats as tested")
	}
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		inc := storetest.Incident()
		inc.Victims = nil
		if err := st.CreateIncident(f.ctx, "doc", &inc); err != nil {
			t.Fatal(err)
		}
		file := strings.NewReplacer("PERSON-ID", f.person.ID, "IQ-2020-0042", inc.Code).Replace(string(protection.ThreatsExample))
		count := func() int {
			_, n, err := f.svc.Threats.List(f.ctx, f.member, "", 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, bad := range []struct{ file, want string }{
			{second(file, `{"occurred_on": "2020-01-15", "delivery": "in_person", "severity": "death", "persons": ["nobody"]}`), "threat 2: persons"},
			{second(file, `{"occurred_on": "2999-01-15", "delivery": "in_person", "severity": "death", "persons": ["`+f.person.ID+`"]}`), "threat 2: occurred_on: record.error.future"},
			{strings.Replace(file, `"said"`, `"sayd"`, 1), `threat 1: no field "sayd"`},
			{strings.Replace(file, `"rasd-threats"`, `"rasd-incidents"`, 1), "format"},
		} {
			forms, err := protection.ReadThreats(strings.NewReader(bad.file))
			if err == nil {
				_, err = f.svc.ImportThreats(f.ctx, f.member, forms, f.seal)
			}
			if err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("want %q, got %v", bad.want, err)
			}
			if n := count(); n != 0 {
				t.Fatalf("%d threats stored from a bad file", n)
			}
		}
		forms, err := protection.ReadThreats(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.ImportThreats(f.ctx, f.member, forms, f.seal); err != nil || n != 1 || count() != 1 {
			t.Fatalf("imported %d, %v", n, err)
		}
		list, _, _ := f.svc.Threats.List(f.ctx, f.member, "", 10, 0)
		if th := list[0]; th.Said != "" || len(th.Persons) != 0 || len(th.Incidents) != 1 || th.Incidents[0] != inc.ID {
			t.Errorf("stored: %+v", th)
		}
		if ps, err := f.links().ThreatPersons(f.ctx, list[0].ID); err != nil || len(ps) != 1 || ps[0] != f.person.ID {
			t.Errorf("sealed persons: %v %v", ps, err)
		}
		if _, err := f.svc.ImportThreats(f.ctx, f.coord, forms, f.seal); err == nil {
			t.Error("a non-member imported threats")
		}
	})
}

// second adds threat to the file's list, after its first.
func second(file, threat string) string {
	i := strings.LastIndex(file, "]}")
	return file[:i] + ", " + threat + file[i:]
}

func FuzzReadThreats(f *testing.F) {
	f.Add(string(protection.ThreatsExample))
	f.Add(`{"format": "rasd-threats", "version": 1, "threats": [{"persons": 3}]}`)
	f.Add(`{"format": "rasd-threats", "version": 1, "threats": [{"said": ["a"]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		forms, err := protection.ReadThreats(strings.NewReader(s))
		if err == nil && forms == nil && strings.Contains(s, `"threats": [{`) {
			t.Errorf("no forms and no error for %q", s)
		}
	})
}
