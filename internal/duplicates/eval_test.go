package duplicates_test

import (
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/model"
)

// TestDemoDuplicates measures Score on fictional incidents of package
// demo, whose generator writes every tenth event a second time as a
// partner would (demo.Options.Twice: the summary and the victims' names
// in Arabic only, a day later or only the month known, the governorate
// without district or coordinates). Every pair of one governorate is
// scored: recall of the second reports must be at least 0.9, with at
// most one false pair per 1,000 incidents (issue 16, item 5;
// docs/duplicates.md).
func TestDemoDuplicates(t *testing.T) {
	const n = 3300
	type rec struct {
		inc  model.Incident
		copy int // index of the first report, or -1
	}
	var all []rec
	for i, inc := range demo.Incidents(demo.Options{Incidents: n, Seed: 16, Twice: 11}) {
		r := rec{inc, -1}
		if slices.Contains(inc.Tags, demo.SecondReport) {
			r.copy = i - 1
		}
		all = append(all, r)
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
