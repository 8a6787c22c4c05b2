package opendata

import (
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact"
)

// incident is a public incident with consent; edit it per case.
func incident(code, typ string, edit ...func(*model.Incident)) *model.Incident {
	lat, lon := 33.3152, 44.3661
	inc := &model.Incident{
		Code: code, Type: typ, Fatalities: 0,
		Date:         model.Date{Start: "2019-10-25", End: "2019-10-25", Precision: "day"},
		Place:        model.Place{Country: "IQ", Admin1: "IQ-BG", District: "IQG08Q06", Locality: "Tahrir Square", Lat: &lat, Lon: &lon, GeoPrecision: "exact"},
		Perpetrators: []model.Perpetrator{{Type: "unidentified_gunmen", Group: "a group"}},
		Victims: []model.Victim{{PersonID: "p1", Role: "journalist", Outcome: "injured", Person: &model.Person{
			ID: "p1", NameAR: "هدى كريم", NameLatin: "Huda Karim", Visibility: "public", Consent: true}}},
		SummaryEN: "Gunmen attacked a journalist.", SummaryAR: "هاجم مسلحون صحفية.",
		Verification: "corroborated", MotiveLink: "unconfirmed", Visibility: model.VisibilityPublic, Consent: true,
		Tags: []string{"public:tishreen", "internal"},
		Meta: model.Meta{UpdatedAt: time.Date(2020, 3, 4, 10, 0, 0, 0, time.UTC)},
	}
	if typ == "killing" {
		inc.Fatalities = 1
		inc.Victims[0].Outcome = "killed"
	}
	for _, e := range edit {
		e(inc)
	}
	return inc
}

func public(t testing.TB, inc *model.Incident) redact.Public {
	t.Helper()
	p, ok := redact.Incident(inc, redact.Options{})
	if !ok {
		t.Fatalf("%s: not published", inc.Code)
	}
	return p
}

// samples covers the shapes a record can take: every precision, every
// publication level, several perpetrators and victims, none.
func samples(t testing.TB) []redact.Public {
	incs := []*model.Incident{
		incident("IQ-2019-0001", "killing"),
		incident("IQ-2019-0002", "assault", func(i *model.Incident) {
			i.Tags = append(i.Tags, "publish:precise")
			i.Perpetrators = append(i.Perpetrators, model.Perpetrator{Type: "security_forces"})
			i.Victims = append(i.Victims, model.Victim{Role: "activist", Outcome: "unharmed",
				Person: &model.Person{NameLatin: "Withheld", Visibility: "internal"}})
		}),
		incident("IQ-2019-0003", "kidnapping", func(i *model.Incident) {
			i.Tags = append(i.Tags, "publish:district")
			i.Date = model.Date{Start: "2019-10-21", End: "2019-10-27", Precision: "week"}
		}),
		incident("IQ-2019-0004", "arbitrary_detention", func(i *model.Incident) {
			i.Consent = false
			i.Date = model.Date{Start: "2019-11-01", End: "2019-11-30", Precision: "month", Estimated: true}
			i.Perpetrators = []model.Perpetrator{{Type: "security_forces"}}
		}),
		incident("IQ-2019-0005", "attack_on_property", func(i *model.Incident) {
			i.Date = model.Date{Start: "2019-01-01", End: "2019-12-31", Precision: "year"}
			i.Perpetrators, i.Victims = nil, nil
			i.Place.Admin1 = "IQ-NI"
		}),
		incident("IQ-2019-0006", "death_threat", func(i *model.Incident) { i.Tags = []string{"publish:country"} }),
	}
	var out []redact.Public
	for _, inc := range incs {
		out = append(out, public(t, inc))
	}
	return out
}

// generated yields n distinct records without holding them.
func generated(n int, base redact.Public) iter.Seq[redact.Public] {
	return func(yield func(redact.Public) bool) {
		for i := range n {
			p := base
			p.Code = fmt.Sprintf("IQ-2019-%06d", i)
			p.Fatalities = i % 7
			if !yield(p) {
				return
			}
		}
	}
}
