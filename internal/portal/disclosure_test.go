package portal_test

import (
	"context"
	"sort"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/store"
)

// The filter-narrowing attack on the public site (docs/counting.md, "What
// a figure may reveal"): its figures by type, governorate and month, and
// their receipts' "counted but not published", would place a restricted
// incident if it were counted. The site must be the same, file for file
// and byte for byte, whether a restricted incident exists or not. An
// internal incident is counted openly, as the rule allows: it changes the
// figures.
func TestPortalRestrictedNotInferable(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	day := func(d string) model.Date { return model.Date{Start: d, End: d, Precision: "day"} }
	add := func(typ, gov, vis string, date model.Date) *model.Incident {
		t.Helper()
		inc := &model.Incident{Type: typ, Date: date, Place: model.Place{Country: "IQ", Admin1: gov}, Verification: "corroborated",
			Visibility: vis, Consent: true, Perpetrators: []model.Perpetrator{{Type: "militia"}},
			Victims:    []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{NameLatin: "V", Visibility: model.VisibilityInternal}}},
			Fatalities: 1}
		if err := st.CreateIncident(ctx, "tester", inc); err != nil {
			t.Fatal(err)
		}
		return inc
	}
	add("killing", "IQ-BG", model.VisibilityPublic, day("2025-06-01"))
	add("killing", "IQ-BA", model.VisibilityPublic, day("2020-01-10"))
	add("assault", "IQ-BG", model.VisibilityInternal, day("2025-09-09"))
	before := publishFiles(t, st)

	r := &model.Incident{Type: "torture", Date: day("2025-11-14"), Place: model.Place{Country: "IQ", Admin1: "IQ-NI"},
		Verification: "verified", Visibility: model.VisibilityRestricted, Consent: true,
		Perpetrators: []model.Perpetrator{{Type: "tribal"}}, Fatalities: 1,
		Victims: []model.Victim{{Role: "lawyer", Outcome: "killed", Person: &model.Person{NameLatin: "R", Visibility: model.VisibilityInternal}}}}
	if err := st.CreateIncident(ctx, "tester", r); err != nil {
		t.Fatal(err)
	}
	after := publishFiles(t, st)
	var changed []string
	for name, body := range after {
		if before[name] != body {
			changed = append(changed, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			changed = append(changed, name+" (gone)")
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		t.Errorf("%d files changed when a restricted incident was recorded, e.g. %q", len(changed), changed[:min(len(changed), 8)])
	}

	// An internal incident is counted openly: the all-time figure rises.
	add("torture", "IQ-NI", model.VisibilityInternal, day("2025-11-15"))
	internal := publishFiles(t, st)
	if got, was := figureOf(t, internal["en/index.html"], "fig-type-torture"), figureOf(t, after["en/index.html"], "fig-type-torture"); got != "1" || was != "0" {
		t.Errorf("tortures: %s with the restricted incident, %s with an internal one too; want 0 and 1", was, got)
	}
}

func publishFiles(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	dir, _ := publish(t, st, portal.Options{})
	return files(t, dir)
}
