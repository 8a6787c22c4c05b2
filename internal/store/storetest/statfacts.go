package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// testStatsFollowWrites: the counts follow every change of an incident
// that the counting rules read (victims, their roles and outcomes,
// perpetrators, verification, dates, merging), through the store's
// statistics tables, and agree with the receipts after each change.
func testStatsFollowWrites(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	victim := func(name, role, outcome string) model.Victim {
		return model.Victim{Role: role, Outcome: outcome, Person: &model.Person{NameLatin: name, Visibility: "internal"}}
	}
	inc := model.Incident{Type: "killing", Date: model.Date{Start: "2021-05-04", End: "2021-05-04", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA"}, Fatalities: 1, Verification: "verified", Visibility: "internal",
		Perpetrators: []model.Perpetrator{{Type: "militia"}, {Type: "militia"}, {Type: "unidentified_gunmen"}},
		Victims:      []model.Victim{victim("Facts One", "journalist", "killed"), victim("Facts Two", "activist", "injured")}}
	if err := s.CreateIncident(ctx, "tester", &inc); err != nil {
		t.Fatal(err)
	}
	other := model.Incident{Type: "killing", Date: model.Date{Start: "2021-05-01", End: "2021-05-01", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA"}, Verification: "verified", Visibility: "internal"}
	if err := s.CreateIncident(ctx, "tester", &other); err != nil {
		t.Fatal(err)
	}
	journalists := stats.Query{Roles: []string{"journalist"}, Window: stats.Between("2021-01-01", "2021-12-31")}
	militia := stats.Query{Perpetrators: []string{"militia"}, Window: stats.Between("2021-01-01", "2021-12-31"), By: stats.ByMonth}
	all := stats.Query{Window: stats.Between("2021-01-01", "2021-12-31")}
	check := func(step string, want map[string]StatsFigure) {
		t.Helper()
		for name, q := range map[string]stats.Query{"journalists": journalists, "militia": militia, "all": all} {
			res, err := stats.Count(ctx, s, q)
			if err != nil {
				t.Fatal(err)
			}
			if got := figure(res.Total); got != want[name] {
				t.Errorf("%s: %s = %v, want %v", step, name, got, want[name])
			}
			rc, err := stats.Receipt(ctx, s, q, seeAll, 0, 0)
			victims := 0
			for _, r := range rc.Incidents {
				victims += r.Victims
			}
			if err != nil || rc.Total != res.Total.Incidents || victims != res.Total.Victims {
				t.Errorf("%s: %s: the receipt lists %d incidents with %d victims, the figure is %v (%v)",
					step, name, rc.Total, victims, figure(res.Total), err)
			}
		}
	}
	// Two militia perpetrators count the incident and its victims once.
	check("created", map[string]StatsFigure{"journalists": {1, 1, 1, 0}, "militia": {1, 2, 1, 0}, "all": {2, 2, 1, 0}})

	get := func() {
		got, err := s.GetIncident(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		inc = *got
	}
	get()
	inc.Victims[1].Role = "journalist"
	inc.Perpetrators = []model.Perpetrator{{Type: "security_forces"}}
	if err := s.UpdateIncident(ctx, "tester", &inc); err != nil {
		t.Fatal(err)
	}
	check("roles and perpetrators changed", map[string]StatsFigure{"journalists": {1, 2, 1, 0}, "militia": {0, 0, 0, 0}, "all": {2, 2, 1, 0}})

	get()
	inc.Victims, inc.Verification = inc.Victims[:1], "reported"
	if err := s.UpdateIncident(ctx, "tester", &inc); err != nil {
		t.Fatal(err)
	}
	check("below the threshold", map[string]StatsFigure{"all": {1, 0, 0, 0}})

	get()
	inc.Verification, inc.Date = "verified", model.Date{Start: "2021-05-01", End: "2021-05-31", Precision: "month"}
	if err := s.UpdateIncident(ctx, "tester", &inc); err != nil {
		t.Fatal(err)
	}
	check("counted again, to the month", map[string]StatsFigure{"journalists": {1, 1, 1, 1}, "all": {2, 1, 1, 1}})

	get()
	inc.MergedInto = other.ID
	if err := s.UpdateIncident(ctx, "tester", &inc); err != nil {
		t.Fatal(err)
	}
	check("merged", map[string]StatsFigure{"all": {1, 0, 0, 0}})
	if rows, err := s.CountIncidents(ctx, store.CountQuery{Verification: []string{"verified"}, By: "admin1"}); err != nil ||
		len(rows) != 1 || rows[0].Key != "IQ-BA" || rows[0].Incidents != 1 {
		t.Errorf("by governorate after the merge: %+v, %v", rows, err)
	}
}

// testStatsCells: a count by type, governorate and month at once
// (stats.Cells) adds up, along each grouping, to the count by that
// grouping alone, for every query of the counting rules' cases.
func testStatsCells(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	CreateStatsDataset(t, ctx, s)
	groupings := []string{stats.ByType, stats.ByGovernorate, stats.ByMonth}
	tried := 0
	for _, tc := range StatsCases {
		q := tc.Query
		q.By, q.OnlyGroup, q.Group = "", false, ""
		cells, err := stats.Cells(ctx, s, q, groupings...)
		if err != nil {
			t.Fatalf("%s: %v", tc.Name, err)
		}
		for j, g := range groupings {
			sums := map[string]StatsFigure{}
			for _, c := range cells {
				f := sums[c.Keys[j]]
				for i, v := range figure(c.Figure) {
					f[i] += v
				}
				sums[c.Keys[j]] = f
			}
			q.By = g
			res, err := stats.Count(ctx, s, q)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]StatsFigure{}
			for _, gr := range res.Groups {
				want[gr.Key] = figure(gr.Figure)
			}
			if res.Unplaced != (stats.Figure{}) {
				want[""] = figure(res.Unplaced)
			}
			if fmt.Sprint(sums) != fmt.Sprint(want) {
				t.Errorf("%s by %s: the cells add up to %v, the count is %v", tc.Name, g, sums, want)
			}
			tried += len(want)
		}
	}
	if tried == 0 {
		t.Fatal("no case counted anything")
	}
	if _, err := stats.Cells(ctx, s, stats.Query{}, stats.ByType); err == nil {
		t.Error("cells by one grouping were accepted")
	}
}
