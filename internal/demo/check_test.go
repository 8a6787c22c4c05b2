package demo

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Checks of one generated incident against the vocabularies, the gazetteer
// and the consistency rules the generator promises.

func has(t *testing.T, voc, code, what string) {
	t.Helper()
	if !vocab.Get(voc).Has(code) {
		t.Errorf("%s %q is not in vocabulary %s", what, code, voc)
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func checkDate(t *testing.T, d model.Date, from, to time.Time) {
	t.Helper()
	has(t, vocab.DatePrecision, d.Precision, "date precision")
	s, e := day(t, d.Start), day(t, d.End)
	if e.Before(s) || s.Before(from) || e.After(to) {
		t.Errorf("date %+v: want %s <= start <= end <= %s", d, from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	var want time.Time
	switch d.Precision {
	case "day":
		want = s
	case "week":
		want = s.AddDate(0, 0, 6)
		if s.Weekday() != time.Monday {
			t.Errorf("week %+v does not start on a Monday", d)
		}
	case "month":
		want = s.AddDate(0, 1, -1)
		if s.Day() != 1 {
			t.Errorf("month %+v does not start on the 1st", d)
		}
	case "year":
		want = s.AddDate(1, 0, -1)
		if s.YearDay() != 1 {
			t.Errorf("year %+v does not start on 1 January", d)
		}
	}
	if !e.Equal(want) {
		t.Errorf("%s date %+v: end should be %s", d.Precision, d, want.Format(time.DateOnly))
	}
}

// outcomesFor lists the outcomes each type may produce.
var outcomesFor = map[string]string{
	"killing": "killed injured", "attempted_killing": "injured unharmed",
	"kidnapping": "abducted released missing", "forced_displacement": "fled",
	"enforced_disappearance": "missing released", "death_threat": "unharmed fled",
}

func checkIncident(t *testing.T, inc model.Incident) {
	t.Helper()
	has(t, vocab.IncidentType, inc.Type, "type")
	if inc.ID != "" || inc.Code != "" || inc.Meta != (model.Meta{}) {
		t.Errorf("ID, Code and Meta must be left to the store: %q %q %+v", inc.ID, inc.Code, inc.Meta)
	}
	p := inc.Place
	g, ok := vocab.Admin1(p.Admin1)
	if p.Country != "IQ" || !ok {
		t.Errorf("place %+v: unknown country or governorate", p)
	}
	has(t, vocab.GeoPrecision, p.GeoPrecision, "geo precision")
	centre := g
	if p.District != "" {
		found := false
		for _, d := range vocab.GazetteerFor("IQ").Districts(p.Admin1) {
			if d.Code == p.District {
				found, centre = true, d
			}
		}
		if !found {
			t.Errorf("district %s is not in %s", p.District, p.Admin1)
		}
	}
	if p.Lat == nil || p.Lon == nil || math.Abs(*p.Lat-centre.Lat) > 0.06 || math.Abs(*p.Lon-centre.Lon) > 0.06 {
		t.Errorf("coordinates of %+v are not near %s", p, centre.EN)
	}
	if len(inc.Perpetrators) == 0 {
		t.Error("no perpetrator")
	}
	for _, pp := range inc.Perpetrators {
		has(t, vocab.PerpetratorType, pp.Type, "perpetrator type")
		if pp.Group != "" && !strings.HasPrefix(pp.Group, "Fictional ") {
			t.Errorf("group %q is not obviously fictional", pp.Group)
		}
	}
	if n := len(inc.Victims); n < 1 || n > 3 {
		t.Errorf("%d victims, want 1–3", n)
	}
	killed := 0
	for j, v := range inc.Victims {
		has(t, vocab.Outcome, v.Outcome, "outcome")
		has(t, vocab.VictimRole, v.Role, "victim role")
		if allowed, ok := outcomesFor[inc.Type]; ok && !strings.Contains(allowed, v.Outcome) {
			t.Errorf("%s with outcome %s", inc.Type, v.Outcome)
		}
		if v.Outcome == "killed" {
			killed++
		} else if j == 0 && inc.Type == "killing" {
			t.Error("a killing whose first victim was not killed")
		}
		pe := v.Person
		if pe == nil || pe.NameAR == "" || pe.NameLatin == "" || !isArabic(pe.NameAR) || isArabic(pe.NameLatin) {
			t.Fatalf("victim %d: person %+v lacks an Arabic or a Latin name", j, pe)
		}
		has(t, vocab.Gender, pe.Gender, "gender")
		has(t, vocab.PersonStatus, pe.Status, "person status")
		has(t, vocab.Visibility, pe.Visibility, "person visibility")
		if pe.RiskLevel != "" {
			has(t, vocab.RiskLevel, pe.RiskLevel, "risk level")
		}
		if len(pe.Roles) != 1 || pe.Roles[0] != v.Role {
			t.Errorf("person roles %v, victim role %s", pe.Roles, v.Role)
		}
		if _, ok := vocab.Admin1(pe.HomeAdmin1); !ok {
			t.Errorf("home governorate %q", pe.HomeAdmin1)
		}
	}
	if inc.Fatalities != killed {
		t.Errorf("fatalities %d, killed %d", inc.Fatalities, killed)
	}
	has(t, vocab.VerificationStatus, inc.Verification, "verification")
	if inc.MotiveLink != "" {
		has(t, vocab.MotiveLink, inc.MotiveLink, "motive link")
	}
	has(t, vocab.Visibility, inc.Visibility, "visibility")
	if inc.Consent && inc.Visibility != model.VisibilityPublic {
		t.Error("consent on a record that is not public")
	}
	if len(inc.Tags) < 2 || inc.Tags[0] != "demo" || inc.Tags[1] != "fictional" {
		t.Errorf("tags %v lack demo, fictional", inc.Tags)
	}
	if !isArabic(inc.SummaryAR) || inc.SummaryEN == "" || isArabic(inc.SummaryEN) {
		t.Errorf("summaries %q / %q", inc.SummaryEN, inc.SummaryAR)
	}
	if (inc.NarrativeEN == "") != (inc.NarrativeAR == "") {
		t.Error("a narrative in one language only")
	}
}

func isArabic(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x600 && r <= 0x6ff })
}
