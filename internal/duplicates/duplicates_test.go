package duplicates_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func init() { kdf.LowerForTests() }

func incident(date, precision, admin1, district, victim, summary string) model.Incident {
	inc := storetest.Incident()
	inc.Date = model.Date{Start: date, End: date, Precision: precision}
	inc.Place = model.Place{Country: "IQ", Admin1: admin1, District: district}
	inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN = summary, "", ""
	inc.Victims = nil
	if victim != "" {
		inc.Victims = []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{NameLatin: victim}}}
		if victim[0] >= 0x80 {
			inc.Victims[0].Person = &model.Person{NameAR: victim}
		}
	}
	return inc
}

func TestScore(t *testing.T) {
	base := incident("2019-12-08", "day", "IQ-BA", "", "Tahsin Osama", "Journalist Tahsin Osama shot dead in Basra")
	for _, tc := range []struct {
		name string
		b    model.Incident
		same bool
	}{
		{"other spelling, a day later", incident("2019-12-09", "day", "IQ-BA", "", "Tahseen Usama", "Reporter Tahseen Usama killed by gunmen in Basra"), true},
		{"Arabic, month precision", incident("2019-12-01", "month", "IQ-BA", "", "تحسين أسامة", "اغتيال الصحفي تحسين أسامة في البصرة"), true},
		{"same day and place, another victim", incident("2019-12-08", "day", "IQ-BA", "", "Ali Hassan", "Journalist Ali Hassan shot dead in Basra"), false},
		{"same victim, a week later", incident("2019-12-15", "day", "IQ-BA", "", "Tahsin Osama", "Journalist Tahsin Osama shot dead in Basra"), false},
		{"same victim, another governorate", incident("2019-12-08", "day", "IQ-BG", "", "Tahsin Osama", "Journalist Tahsin Osama shot dead"), false},
	} {
		s, why := duplicates.Score(&base, &tc.b)
		if got := s >= duplicates.DefaultMin; got != tc.same {
			t.Errorf("%s: score %.2f %v, probable = %v, want %v", tc.name, s, why, got, tc.same)
		}
		if back, _ := duplicates.Score(&tc.b, &base); math.Abs(back-s) > 1e-9 {
			t.Errorf("%s: not symmetric: %.3f, %.3f", tc.name, s, back)
		}
		if len(why) == 0 {
			t.Errorf("%s: no reasons", tc.name)
		}
	}
}

// TestFind lists the probable pairs of a store on both backends, never
// one with a restricted incident, and refuses a minimum outside 0–1.
func TestFind(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		create := func(inc model.Incident) model.Incident {
			if err := st.CreateIncident(ctx, "tester", &inc); err != nil {
				t.Fatal(err)
			}
			return inc
		}
		a := create(incident("2019-12-08", "day", "IQ-BA", "", "Tahsin Osama", "Journalist Tahsin Osama shot dead in Basra"))
		b := create(incident("2019-12-09", "day", "IQ-BA", "", "Tahseen Usama", "Reporter Tahseen Usama killed in Basra"))
		create(incident("2019-12-08", "day", "IQ-BA", "", "Ali Hassan", "Journalist Ali Hassan wounded in Basra"))
		create(incident("2020-03-01", "day", "IQ-BG", "", "Tahsin Osama", "Another event"))
		secret := incident("2019-12-08", "day", "IQ-BA", "", "", "")
		secret.Visibility = model.VisibilityRestricted
		create(secret)
		pairs, err := duplicates.Find(ctx, st, duplicates.DefaultMin)
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != 1 || pairs[0].CodeA != a.Code || pairs[0].CodeB != b.Code {
			t.Fatalf("pairs = %v, want %s ~ %s only", pairs, a.Code, b.Code)
		}
		// On save: the same pair, from the one incident.
		fresh := incident("2019-12-09", "day", "IQ-BA", "", "Tahseen Usama", "Reporter Tahseen Usama killed in Basra")
		if ps, err := duplicates.For(ctx, st, &fresh, duplicates.DefaultMin); err != nil || len(ps) != 2 {
			t.Errorf("For(an unsaved copy) = %v, %v: want the two stored reports", ps, err)
		}
		if ps, err := duplicates.For(ctx, st, &a, duplicates.DefaultMin); err != nil || len(ps) != 1 || ps[0].B != b.ID {
			t.Errorf("For(%s) = %v, %v: want %s only", a.Code, ps, err, b.Code)
		}
		// Found to be two events: never proposed again.
		if err := st.MarkDistinct(ctx, "analyst", b.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if ps, err := duplicates.For(ctx, st, &a, duplicates.DefaultMin); err != nil || len(ps) != 0 {
			t.Errorf("For after distinct = %v, %v: want none", ps, err)
		}
		if ps, err := duplicates.Find(ctx, st, duplicates.DefaultMin); err != nil || len(ps) != 0 {
			t.Errorf("Find after distinct = %v, %v: want none", ps, err)
		}
		for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
			if _, err := duplicates.Find(ctx, st, bad); !errors.Is(err, duplicates.ErrMinScore) {
				t.Errorf("Find(min %v) = %v, want ErrMinScore", bad, err)
			}
		}
	})
}

// TestKeptPairs: Refresh keeps an incident's pairs for the queue, Keep
// replaces them all with the probable ones only, on both backends.
func TestKeptPairs(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		a := incident("2019-12-08", "day", "IQ-BA", "", "Tahsin Osama", "Journalist Tahsin Osama shot dead in Basra")
		b := incident("2019-12-09", "day", "IQ-BA", "", "Tahseen Usama", "Reporter Tahseen Usama killed in Basra")
		for _, inc := range []*model.Incident{&a, &b} {
			if err := st.CreateIncident(ctx, "tester", inc); err != nil {
				t.Fatal(err)
			}
		}
		open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
		kept := func() []store.ScoredPair {
			t.Helper()
			ps, _, err := st.ListDuplicatePairs(ctx, open, 10)
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		if ps := kept(); len(ps) != 0 {
			t.Fatalf("kept before any search: %v", ps)
		}
		if _, err := duplicates.Refresh(ctx, st, &b); err != nil {
			t.Fatal(err)
		}
		if ps := kept(); len(ps) != 1 || store.PairKey(ps[0].A, ps[0].B) != store.PairKey(a.ID, b.ID) {
			t.Errorf("after Refresh(b): %v, want a~b", ps)
		}
		if err := duplicates.Keep(ctx, st, []duplicates.Pair{{A: a.ID, B: b.ID, Score: 0.5}}); err != nil {
			t.Fatal(err)
		}
		if ps := kept(); len(ps) != 0 {
			t.Errorf("Keep of a pair scoring 0.5: %v, want it left out", ps)
		}
	})
}
