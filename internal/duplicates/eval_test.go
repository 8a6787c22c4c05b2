package duplicates_test

import (
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/model"
)

// TestDemoDuplicates measures Score on fictional incidents (package demo)
// of which every tenth is reported a second time as a partner would: the
// victims' names in Arabic script only where the first report has them in
// Latin letters only, the Arabic summary only, a day later or only the
// month known, the governorate without district or coordinates. Every
// pair of one governorate whose dates overlap a day either side is
// scored: recall of the copies must be at least 0.9, with at most one
// false pair per 1,000 incidents (issue 16, item 5; docs/duplicates.md).
func TestDemoDuplicates(t *testing.T) {
	const n = 3000
	incs := demo.Incidents(demo.Options{Incidents: n, Seed: 16})
	type rec struct {
		inc  model.Incident
		copy int // index of the original, or -1
	}
	var all []rec
	for i, inc := range incs {
		first := inc
		first.SummaryAR, first.NarrativeAR = "", ""
		first.Victims = victims(inc.Victims, func(p *model.Person) { p.NameAR = "" })
		all = append(all, rec{first, -1})
		if i%10 != 0 {
			continue
		}
		second := inc
		second.SummaryEN, second.NarrativeEN = "", ""
		second.Victims = victims(inc.Victims, func(p *model.Person) { p.NameLatin = "" })
		second.Place = model.Place{Country: inc.Place.Country, Admin1: inc.Place.Admin1}
		if i%20 == 0 && inc.Date.Precision == "day" {
			d, _ := time.Parse(time.DateOnly, inc.Date.Start)
			next := d.AddDate(0, 0, 1).Format(time.DateOnly)
			second.Date = model.Date{Start: next, End: next, Precision: "day"}
		} else if inc.Date.Precision == "day" {
			second.Date = model.Date{Start: inc.Date.Start[:8] + "01", Precision: "month"}
		}
		all = append(all, rec{second, len(all) - 1})
	}
	truth, found, falsePairs := 0, 0, 0
	for i := range all {
		if all[i].copy >= 0 {
			truth++
		}
		for j := i + 1; j < len(all); j++ {
			a, b := &all[i].inc, &all[j].inc
			if a.Place.Admin1 != b.Place.Admin1 {
				continue
			}
			s, why := duplicates.Score(a, b)
			if s < duplicates.DefaultMin {
				if (all[j].copy == i) && testing.Verbose() {
					t.Logf("missed %.2f: %v", s, why)
				}
				continue
			}
			if all[j].copy == i || all[i].copy == j {
				found++
			} else {
				falsePairs++
				if testing.Verbose() && falsePairs <= 5 {
					t.Logf("false pair %.2f: %s | %s: %v", s, a.SummaryEN+a.SummaryAR, b.SummaryEN+b.SummaryAR, why)
				}
			}
		}
	}
	recall := float64(found) / float64(truth)
	perThousand := float64(falsePairs) / float64(len(all)) * 1000
	t.Logf("demo incidents: %d, of which %d reported twice; recall %.3f (%d found), %d false pairs (%.2f per 1,000 incidents)",
		len(all), truth, recall, found, falsePairs, perThousand)
	if recall < 0.9 || perThousand > 1 {
		t.Errorf("recall %.3f (want ≥ 0.9), %.2f false pairs per 1,000 incidents (want ≤ 1)", recall, perThousand)
	}
}

// victims copies vs with each person changed by f.
func victims(vs []model.Victim, f func(*model.Person)) []model.Victim {
	out := make([]model.Victim, len(vs))
	for i, v := range vs {
		out[i] = v
		if v.Person != nil {
			p := *v.Person
			f(&p)
			out[i].Person = &p
		}
	}
	return out
}
