package stats_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
	"github.com/rasd-project/rasd/internal/vocab"
)

var all = store.Visible{Levels: []string{"public", "internal", "restricted"}}

func open(t testing.TB) store.Store { return teststores.SQLite(t) }

func TestCounted(t *testing.T) {
	for min, want := range map[string][]string{
		"":             {"corroborated", "verified"},
		"reported":     {"reported", "corroborated", "verified"},
		"corroborated": {"corroborated", "verified"},
		"verified":     {"verified"},
	} {
		if got, err := stats.Counted(min); err != nil || !slices.Equal(got, want) {
			t.Errorf("Counted(%q) = %v, %v; want %v", min, got, err, want)
		}
	}
	for _, min := range []string{"disputed", "rejected", "confirmed", "Verified"} {
		if _, err := stats.Counted(min); err == nil {
			t.Errorf("threshold %q accepted", min)
		}
	}
}

func TestStoreQuery(t *testing.T) {
	q := stats.Query{Window: stats.Between("2020-03-05", "2020-06-15"), Types: []string{"killing"},
		Governorates: []string{"IQ-BG"}, Roles: []string{"journalist"}, Outcomes: []string{"killed"},
		Perpetrators: []string{"militia"}, MinVerification: "verified", By: stats.ByGovernorate}
	got, err := q.Store()
	want := store.CountQuery{Verification: []string{"verified"}, From: "2020-03-05", To: "2020-06-15",
		Bounds: []store.StartBound{
			{Precision: "week", To: "2020-06-09"},                      // its seventh day by 15 June
			{Precision: "month", From: "2020-04-01", To: "2020-05-31"}, // April or May
			{Precision: "year", From: "2021-01-01", To: "2019-12-31"}}, // no year fits
		Types: []string{"killing"}, Admin1: []string{"IQ-BG"}, PerpetratorTypes: []string{"militia"},
		VictimRoles: []string{"journalist"}, Outcomes: []string{"killed"}, By: "admin1"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Store() =\n%+v, %v\nwant\n%+v", got, err, want)
	}
	// Whole months and years need no bound of their own.
	got, _ = stats.Query{Window: stats.Between("2020-01-01", "2020-12-31"), By: stats.ByMonth}.InGroup("").Store()
	want = store.CountQuery{Verification: []string{"corroborated", "verified"}, From: "2020-01-01", To: "2020-12-31",
		Bounds: []store.StartBound{{Precision: "week", To: "2020-12-25"}}, By: "month", OnlyGroup: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Store() =\n%+v\nwant\n%+v", got, want)
	}
	// The reader goes to the store as it is: it decides which restricted
	// incidents count.
	if got, _ := (stats.Query{Reader: store.Visible{Levels: []string{"public"}, OwnedBy: "u"}}).Store(); !reflect.DeepEqual(got.Reader,
		store.Visible{Levels: []string{"public"}, OwnedBy: "u"}) {
		t.Errorf("the reader did not reach the store: %+v", got.Reader)
	}
	// A year of 2019 began before October.
	got, _ = stats.Query{Window: stats.Since("2019-10-01")}.Store()
	if got.From != "2019-10-01" || got.To != "" || !reflect.DeepEqual(got.Bounds, []store.StartBound{{Precision: "year", From: "2020-01-01"}}) {
		t.Errorf("since 1 October 2019: %+v", got)
	}
	got, _ = stats.Query{Window: stats.Since("2019-10-02")}.Store()
	if !reflect.DeepEqual(got.Bounds, []store.StartBound{{Precision: "month", From: "2019-11-01"}, {Precision: "year", From: "2020-01-01"}}) {
		t.Errorf("since 2 October 2019: %+v", got.Bounds)
	}
	for _, bad := range []stats.Query{
		{MinVerification: "disputed"}, {Window: stats.Since("2019/10/01")}, {Types: []string{"murder"}},
		{Governorates: []string{"Baghdad"}}, {Roles: []string{"poet"}}, {Outcomes: []string{"dead"}},
		{Perpetrators: []string{"aliens"}}, {By: "week"}, stats.Query{}.InGroup("killing"),
	} {
		if _, err := bad.Store(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// The dataset of the store contract (storetest.StatsDataset), counted
// here too. The numbers are worked out by hand; see the dataset's comment.
func TestCountDataset(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	storetest.CreateStatsDataset(t, ctx, s)
	march := stats.Between("2020-03-01", "2020-03-31")
	for _, tc := range []struct {
		q    stats.Query
		want stats.Figure
	}{
		{stats.Query{Window: march}, stats.Figure{Incidents: 6, Victims: 7, Fatalities: 5, Approximate: 3}},
		{stats.Query{Window: march, MinVerification: "reported"}, stats.Figure{Incidents: 7, Victims: 8, Fatalities: 6, Approximate: 3}},
		{stats.Query{Window: march, MinVerification: "verified"}, stats.Figure{Incidents: 1, Victims: 2, Fatalities: 1}},
		{stats.Query{Window: stats.Between("2020-03-01", "2020-03-15")}, stats.Figure{Incidents: 2, Victims: 3, Fatalities: 1}},
		{stats.Query{Window: march, Outcomes: []string{"killed"}}, stats.Figure{Incidents: 2, Victims: 3, Fatalities: 3}},
		{stats.Query{Window: march, Roles: []string{"journalist"}, Outcomes: []string{"killed"}}, stats.Figure{Incidents: 1, Victims: 1, Fatalities: 2}},
	} {
		tc.q.Reader = all // h is restricted
		res, err := stats.Count(ctx, s, tc.q)
		if err != nil || res.Total != tc.want {
			t.Errorf("%+v: %+v, %v; want %+v", tc.q, res.Total, err, tc.want)
		}
	}
	res, err := stats.Count(ctx, s, stats.Query{Window: stats.Between("2020-01-01", "2020-12-31"), By: stats.ByMonth, Reader: all})
	wantGroups := []stats.Group{
		{Key: "2020-02", Figure: stats.Figure{Incidents: 1, Victims: 1, Fatalities: 1}},
		{Key: "2020-03", Figure: stats.Figure{Incidents: 6, Victims: 7, Fatalities: 5, Approximate: 3}},
		{Key: "2020-04", Figure: stats.Figure{Incidents: 1, Victims: 2, Approximate: 1}},
	}
	if err != nil || !reflect.DeepEqual(res.Groups, wantGroups) || res.Unplaced != (stats.Figure{Incidents: 4, Victims: 4, Approximate: 4}) ||
		res.Total != (stats.Figure{Incidents: 12, Victims: 14, Fatalities: 6, Approximate: 8}) {
		t.Errorf("2020 by month: %+v, %v", res, err)
	}
}

// TestSQLFollowsTheRules counts the dataset in every window between pairs
// of days around its edges, in SQL, and checks the answer against the
// rules written in Go (Window.Contains, Month) one incident at a time.
func TestSQLFollowsTheRules(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	byLabel := storetest.CreateStatsDataset(t, ctx, s)
	var counted []model.Incident
	for _, d := range storetest.StatsDataset() {
		if inc := byLabel[d.Label]; inc.MergedInto == "" && (inc.Verification == "corroborated" || inc.Verification == "verified") {
			counted = append(counted, inc)
		}
	}
	var days []string
	for d := time.Date(2019, 12, 25, 0, 0, 0, 0, time.UTC); d.Year() < 2021 || d.Day() < 8; d = d.AddDate(0, 0, 1) {
		if d.Day() <= 3 || d.Day() >= 25 || d.Month() == 3 {
			days = append(days, d.Format("2006-01-02"))
		}
	}
	r := mrand.New(mrand.NewPCG(1, 2))
	for range 250 {
		a, b := days[r.IntN(len(days))], days[r.IntN(len(days))]
		w := stats.Between(min(a, b), max(a, b))
		switch r.IntN(5) {
		case 0:
			w.From = ""
		case 1:
			w.To = ""
		}
		res, err := stats.Count(ctx, s, stats.Query{Window: w, By: stats.ByMonth, Reader: all})
		if err != nil {
			t.Fatal(err)
		}
		want, months := 0, map[string]int{}
		for _, inc := range counted {
			if w.Contains(inc.Date) {
				want++
				months[stats.Month(inc.Date)]++
			}
		}
		got := map[string]int{}
		for _, g := range res.Groups {
			got[g.Key] = g.Incidents
		}
		if res.Unplaced.Incidents > 0 {
			got[""] = res.Unplaced.Incidents
		}
		if res.Total.Incidents != want || !reflect.DeepEqual(got, months) {
			t.Errorf("window %+v: %d incidents by month %v; the rules say %d, %v", w, res.Total.Incidents, got, want, months)
		}
	}
}

// TestReceiptAgreesWithCount asks random questions of a demo sample (with
// some incidents merged into others), for readers who may see more or
// fewer restricted incidents, and checks that every figure equals its
// receipt, that the groups add up to the total, and that both follow the
// rules written in Go.
func TestReceiptAgreesWithCount(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	incs := demo.Incidents(demo.Options{Incidents: 400, Seed: 7,
		From: time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)})
	if _, err := s.ImportIncidents(ctx, "test", incs, nil); err != nil {
		t.Fatal(err)
	}
	hits, _, err := s.ListIncidents(ctx, store.IncidentFilter{Visible: all, Sort: "code", Asc: true, Limit: 1000})
	if err != nil || len(hits) != len(incs) {
		t.Fatalf("listed %d of %d incidents, %v", len(hits), len(incs), err)
	}
	stored := make([]*model.Incident, len(hits))
	for i, h := range hits {
		if stored[i], err = s.GetIncident(ctx, h.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 40; i++ { // every tenth of the first 400 is a duplicate of its neighbour
		inc := stored[i*10]
		inc.MergedInto = stored[i*10+1].ID
		if err := s.UpdateIncident(ctx, "test", inc); err != nil {
			t.Fatal(err)
		}
	}

	r := mrand.New(mrand.NewPCG(3, 4))
	some := func(codes []string, most int) []string {
		var out []string
		if r.IntN(2) == 0 {
			return nil // half the questions do not filter on this
		}
		for range 1 + r.IntN(most) {
			if c := codes[r.IntN(len(codes))]; !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		return out
	}
	day := func() string {
		return time.Date(2019, 9, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900)).Format("2006-01-02")
	}
	var govs []string
	for _, p := range vocab.GazetteerFor("IQ").Governorates() {
		govs = append(govs, p.Code)
	}
	bys := []string{"", stats.ByType, stats.ByGovernorate, stats.ByMonth}
	readers := []store.Visible{all, {}, {Levels: []string{"public"}}, {Levels: []string{"public", "internal"}, OwnedBy: "someone else"},
		{Levels: []string{"public", "internal"}, OwnedBy: "test"}, {Levels: []string{"restricted"}}}
	restricted := 0
	for _, inc := range stored {
		if inc.Visibility == "restricted" && inc.MergedInto == "" {
			restricted++
		}
	}
	if restricted < 10 {
		t.Fatalf("only %d restricted incidents in the sample: the readers would not differ", restricted)
	}
	nonzero := 0
	for n := range 100 {
		q := stats.Query{
			MinVerification: []string{"reported", "corroborated", "verified"}[r.IntN(3)],
			Types:           some(vocab.Get(vocab.IncidentType).Codes(), 2),
			Governorates:    some(govs, 2),
			Perpetrators:    some(vocab.Get(vocab.PerpetratorType).Codes(), 1),
			Roles:           some(vocab.Get(vocab.VictimRole).Codes(), 2),
			Outcomes:        some(vocab.Get(vocab.Outcome).Codes(), 2),
			By:              bys[r.IntN(len(bys))],
			Reader:          readers[r.IntN(len(readers))],
		}
		if a, b := day(), day(); r.IntN(4) > 0 {
			q.Window = stats.Between(min(a, b), max(a, b))
		} else {
			q.Window = stats.Since(a)
		}
		name := fmt.Sprintf("query %d %+v", n, q)
		res, err := stats.Count(ctx, s, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rc, err := stats.Receipt(ctx, s, q, all, 0, 0)
		if err != nil {
			t.Fatalf("%s: receipt: %v", name, err)
		}
		if res.Total.Incidents > 0 {
			nonzero++
		}
		var sum stats.Figure
		for _, row := range rc.Incidents {
			sum.Incidents++
			sum.Victims += row.Victims
			sum.Fatalities += row.Fatalities
			if row.Date.Estimated || row.Date.Precision != "day" {
				sum.Approximate++
			}
		}
		if sum != res.Total || rc.Total != res.Total.Incidents || rc.Withheld != 0 {
			t.Errorf("%s: count %+v, receipt %+v (total %d, withheld %d)", name, res.Total, sum, rc.Total, rc.Withheld)
		}
		if want := reference(stored, q); want != res.Total {
			t.Errorf("%s: count %+v, the rules say %+v", name, res.Total, want)
		}
		groups := res.Unplaced
		for _, g := range res.Groups {
			groups.Incidents += g.Incidents
			groups.Victims += g.Victims
			groups.Fatalities += g.Fatalities
			groups.Approximate += g.Approximate
			if q.By == "" {
				continue
			}
			rg, err := stats.Receipt(ctx, s, q.InGroup(g.Key), all, 0, 0)
			if err != nil || rg.Total != g.Incidents || len(rg.Incidents) != g.Incidents {
				t.Errorf("%s: group %s counts %d, its receipt lists %d (total %d), %v", name, g.Key, g.Incidents, len(rg.Incidents), rg.Total, err)
			}
		}
		if q.By != "" && groups != res.Total {
			t.Errorf("%s: the groups add up to %+v, the total is %+v", name, groups, res.Total)
		}
		public, err := stats.Receipt(ctx, s, q, store.Visible{Levels: []string{"public"}}, 0, 0)
		if err != nil || public.Total != res.Total.Incidents || len(public.Incidents)+public.Withheld != public.Total {
			t.Errorf("%s: public receipt lists %d, withholds %d of %d, %v", name, len(public.Incidents), public.Withheld, public.Total, err)
		}
		for _, row := range public.Incidents {
			if row.Visibility != "public" {
				t.Errorf("%s: the public receipt lists %s (%s)", name, row.Code, row.Visibility)
			}
		}
	}
	if nonzero < 20 {
		t.Errorf("only %d of the random queries counted anything: the test asks too narrow questions", nonzero)
	}
}

// reference counts q over incs one incident at a time, from the rules.
func reference(incs []*model.Incident, q stats.Query) stats.Figure {
	counted, _ := stats.Counted(q.MinVerification)
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	var f stats.Figure
	for _, inc := range incs {
		mayList := slices.Contains(q.Reader.Levels, "restricted") || q.Reader.OwnedBy != "" && q.Reader.OwnedBy == inc.CreatedBy
		if inc.Visibility == "restricted" && !mayList {
			continue // docs/counting.md, "What a figure may reveal"
		}
		if inc.MergedInto != "" || !slices.Contains(counted, inc.Verification) || !q.Window.Contains(inc.Date) ||
			!in(q.Types, inc.Type) || !in(q.Governorates, inc.Place.Admin1) {
			continue
		}
		if len(q.Perpetrators) > 0 && !slices.ContainsFunc(inc.Perpetrators, func(p model.Perpetrator) bool { return in(q.Perpetrators, p.Type) }) {
			continue
		}
		persons := map[string]bool{}
		for _, v := range inc.Victims {
			if in(q.Roles, v.Role) && in(q.Outcomes, v.Outcome) {
				persons[v.PersonID] = true
			}
		}
		if (len(q.Roles) > 0 || len(q.Outcomes) > 0) && len(persons) == 0 {
			continue
		}
		f.Incidents++
		f.Victims += len(persons)
		f.Fatalities += inc.Fatalities
		if inc.Date.Estimated || inc.Date.Precision != "day" {
			f.Approximate++
		}
	}
	return f
}
