package redact

import (
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

func TestNamePublished(t *testing.T) {
	// Every combination: only all four together publish the name.
	for _, incVis := range []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted} {
		for _, incConsent := range []bool{true, false} {
			for _, perVis := range []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted, ""} {
				for _, perConsent := range []bool{true, false} {
					inc := base()
					inc.Visibility, inc.Consent = incVis, incConsent
					per := inc.Victims[0].Person
					per.Visibility, per.Consent = perVis, perConsent
					want := incVis == model.VisibilityPublic && incConsent && perVis == model.VisibilityPublic && perConsent
					if got := NamePublished(inc, per); got != want {
						t.Errorf("incident %s consent %v, person %q consent %v: %v, want %v", incVis, incConsent, perVis, perConsent, got, want)
					}
					p, ok := Incident(inc, Options{})
					if ok && (p.Victims[0].NameLatin != "") != want {
						t.Errorf("incident %s consent %v, person %q consent %v: victim %+v", incVis, incConsent, perVis, perConsent, p.Victims[0])
					}
				}
			}
		}
	}
	if NamePublished(base(), nil) || NamePublished(nil, &model.Person{}) {
		t.Error("nil published")
	}
}

func TestPerson(t *testing.T) {
	inc := base()
	inc.Tags = append(inc.Tags, "publish:district")
	inc.Victims = append(inc.Victims,
		model.Victim{PersonID: "p2", Role: "journalist", Outcome: "killed", Person: &model.Person{ID: "p2", NameLatin: "Not Consented", Visibility: "public"}},
		model.Victim{PersonID: "p3", Role: "activist", Outcome: "injured", Person: &model.Person{ID: "p3", NameLatin: "Injured Person", Visibility: "public", Consent: true}},
		model.Victim{PersonID: "p1", Role: "activist", Outcome: "killed", Person: inc.Victims[0].Person},
	)
	inc.Fatalities = 2
	m, ok := Person(inc, &inc.Victims[0], Options{})
	if !ok || m.NameLatin != "Samer Hamid" || m.NameAR != "سامر حميد" || m.Role != "protest_organiser" || m.Incident != "IQ-2019-0042" ||
		m.Type != "killing" || m.Date.Start != "2019-12-08" || m.Date.Precision != "day" || m.Place.District != "IQG02Q02" || m.MotiveLink != "confirmed" {
		t.Errorf("named entry %+v, %v", m, ok)
	}
	if m, ok := Person(inc, &inc.Victims[1], Options{}); !ok || m.NameLatin != "" || m.NameAR != "" || m.Role != "journalist" {
		t.Errorf("unnamed entry %+v, %v", m, ok)
	}
	if _, ok := Person(inc, &inc.Victims[2], Options{}); ok {
		t.Error("an injured victim is on the memorial")
	}
	if _, ok := Person(inc, nil, Options{}); ok {
		t.Error("nil victim")
	}
	ms := Memorials(inc, Options{})
	if len(ms) != 2 || ms[0].NameLatin != "Samer Hamid" || ms[1].Role != "journalist" {
		t.Errorf("memorials %+v", ms)
	}
	inc.Visibility = model.VisibilityInternal
	if _, ok := Person(inc, &inc.Victims[0], Options{}); ok {
		t.Error("victim of an internal incident on the memorial")
	}
	if ms := Memorials(inc, Options{}); ms != nil {
		t.Errorf("memorials of an internal incident: %+v", ms)
	}
}
