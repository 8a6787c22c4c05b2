package importer

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// The excerpt is 16 rows of CPJ's export (shared/data/real, attributed in
// docs/import-cpj.md), one of them the empty kind the export holds.
func TestCPJExcerpt(t *testing.T) {
	f, err := os.Open("testdata/cpj_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, skipped, err := CPJ(f, "cpj_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 15 || !slices.Equal(skipped, []int{17}) {
		t.Fatalf("%d records, skipped %v", len(recs), skipped)
	}
	byName := map[string]CPJRecord{}
	for _, r := range recs {
		byName[r.Incident.Victims[0].Person.NameLatin] = r
	}
	for _, c := range []struct {
		name, country, admin1, role, motive, impunity, perp string
		tags                                                []string
	}{
		{"Kawa Garmyane", "IQ", "IQ-SU", "journalist", "confirmed", "partial", "", []string{"murder", "threatened_before"}},
		{"Abdel Karim al-Rubai", "IQ", "IQ-BG", "journalist", "confirmed", "complete", "militia", []string{"murder", "threatened_before"}},
		{"Ahmad Kareem", "IQ", "IQ-NI", "journalist", "confirmed", "", "security_forces", []string{"crossfire"}},
		{"Khaled Mohammad Nofan", "IQ", "IQ-KI", "media_worker", "", "", "", nil},
		{"Abdel Majid al-Mehmedawi", "IQ", "IQ-BG", "journalist", "unconfirmed", "", "", nil},
		{"Alejandro Zenón Fonseca Estrada", "MX", "", "journalist", "confirmed", "complete", "unknown", []string{"murder"}},
	} {
		r, ok := byName[c.name]
		if !ok {
			t.Errorf("%s: not read", c.name)
			continue
		}
		inc := r.Incident
		perp := ""
		if len(inc.Perpetrators) > 0 {
			perp = inc.Perpetrators[0].Type
		}
		if inc.Type != "killing" || inc.Place.Country != c.country || inc.Place.Admin1 != c.admin1 ||
			inc.Victims[0].Role != c.role || inc.Victims[0].Outcome != "killed" || inc.MotiveLink != c.motive ||
			r.Impunity != c.impunity || perp != c.perp || !slices.Equal(inc.Tags, c.tags) ||
			inc.Date.Precision != "year" || inc.External.System != "cpj" || inc.Fatalities != 1 {
			t.Errorf("%s: %+v %+v impunity %q tags %v", c.name, inc.Place, inc.Victims[0], r.Impunity, inc.Tags)
		}
	}
	keys := map[string]bool{}
	for _, r := range recs {
		keys[r.Incident.External.ID] = true
	}
	if len(keys) != 15 || len(byName) != 14 { // two are Unidentified
		t.Errorf("%d keys, %d distinct names", len(keys), len(byName))
	}
}

func TestCPJDuplicatesGetTheirOwnKey(t *testing.T) {
	head := strings.Join(CPJRequired, ",") + "\n"
	row := "2006,Unidentified,Iraq,Journalist,Murder,Confirmed,Complete Impunity\n"
	recs, _, err := CPJ(strings.NewReader(head+row+row), "x.csv")
	if err != nil || len(recs) != 2 || recs[0].Incident.External.ID == recs[1].Incident.External.ID {
		t.Fatalf("%v %v", recs, err)
	}
}

// Every unknown value of a mapped column is listed, with its lines, and
// nothing is returned.
func TestCPJUnknownValues(t *testing.T) {
	head := strings.Join(append(slices.Clone(CPJRequired), "sourcesOfFire", "threatened"), ",") + "\n"
	rows := head +
		"2006,A,Iraq,Journalist,Murder,Confirmed,Complete Impunity,Political Group,Yes\n" + // line 2, fine
		"2006,B,Atlantis,Journalist,Poisoned,Confirmed,Complete Impunity,Aliens,Maybe\n" + // 3
		"2007,C,Atlantis,Blogger,Murder,Likely,Some Impunity,Political Group,No\n" + // 4
		"20x6,D,Iraq,Journalist,Murder,Confirmed,,,\n" // 5
	recs, _, err := CPJ(strings.NewReader(rows), "bad.csv")
	if recs != nil || err == nil {
		t.Fatalf("accepted: %v", recs)
	}
	msg := err.Error()
	for _, want := range []string{
		`bad.csv: line 3: column country: unknown value "Atlantis" on lines 3, 4`,
		`line 3: column typeOfDeath: unknown value "Poisoned" on line 3`,
		`line 3: column sourcesOfFire: unknown value "Aliens"`,
		`line 3: column threatened: unknown value "Maybe"`,
		`line 4: column type: unknown value "Blogger"`,
		`line 4: column motiveConfirmed: unknown value "Likely"`,
		`line 4: column impunityMurder: unknown value "Some Impunity"`,
		`line 5: column year: unknown value "20x6"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 {
		t.Errorf("first problem %v", e)
	}
}

func TestCPJHeader(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty"},
		{"year,fullName\n", "missing required columns country"},
		{strings.Join(CPJRequired, ",") + ",shoeSize\n", `unknown columns "shoeSize"`},
		{strings.Join(CPJRequired, ",") + ",year\n", `column "year" appears twice`},
	} {
		_, _, err := CPJ(strings.NewReader(c.in), "h.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}
