package stats_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// killing is a murder (motive confirmed) of visibility vis in country.
func killing(t *testing.T, st store.Store, vis, country, admin1 string, tags ...string) model.Incident {
	t.Helper()
	inc := storetest.Incident()
	inc.Visibility, inc.MotiveLink, inc.Tags = vis, "confirmed", tags
	inc.Place = model.Place{Country: country, Admin1: admin1}
	inc.Victims[0].Person.Visibility = vis
	inc.Victims[1].Person.Visibility = vis
	inc.Verification = "corroborated"
	if vis == model.VisibilityRestricted {
		inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN = "", "", ""
		inc.Victims = nil
	}
	if err := st.CreateIncident(context.Background(), "dina", &inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

func step(t *testing.T, st store.Store, inc, kind, who, role, vis string) {
	t.Helper()
	s := model.JudicialStep{Incident: inc, Step: kind, Date: "2020-03-01", Who: who, Role: role, Visibility: vis}
	if err := store.Of[model.JudicialStep](st, kinds.JudicialStep).Create(context.Background(), "dina", &s); err != nil {
		t.Fatal(err)
	}
}

func TestImpunityFigures(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		a := killing(t, st, "public", "IQ", "IQ-BG")
		b := killing(t, st, "internal", "IQ", "IQ-BA")
		killing(t, st, "public", "IQ", "IQ-BG", "crossfire") // not a murder
		c := killing(t, st, "public", "SY", "")
		r := killing(t, st, "restricted", "IQ", "IQ-BG")
		step(t, st, b.ID, "trial", "", "", "internal")
		step(t, st, b.ID, "verdict_convicted", "gunman", "perpetrator", "internal")
		step(t, st, c.ID, "trial", "", "", "public")
		step(t, st, c.ID, "verdict_convicted", "gunman", "perpetrator", "public")
		step(t, st, c.ID, "no_instigator", "", "", "public")
		step(t, st, r.ID, "trial", "", "", "restricted")
		q := stats.Query{MinVerification: "reported"}
		public := store.Visible{Levels: []string{"public"}}
		today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		got, err := stats.CountImpunity(ctx, st, q, "IQ", public, today)
		if err != nil {
			t.Fatal(err)
		}
		if got.Murders != 2 || got.Complete != 1 || got.Partial != 1 || got.Justice != 0 ||
			len(got.Receipt) != 1 || got.Receipt[0].ID != a.ID || got.Withheld != 1 {
			t.Errorf("Iraq, for the public: %+v", got)
		}
		q.Reader = store.Visible{Levels: []string{"public", "internal", "restricted"}}
		got, _ = stats.CountImpunity(ctx, st, q, "", public, today)
		if got.Murders != 4 || got.Complete != 2 || got.Justice != 1 {
			t.Errorf("everywhere, for a protection officer: %+v", got)
		}
		if got.IndexWindow.From != "2016-01-01" || got.IndexWindow.To != "2025-12-31" {
			t.Errorf("index window %+v", got.IndexWindow)
		}
	})
}

func TestCommitmentFigures(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		inc := killing(t, st, "public", "IQ", "IQ-BG")
		cs := store.Of[model.Commitment](st, kinds.Commitment)
		for _, c := range []model.Commitment{
			{MadeOn: "2020-01-12", DeadlineDuration: "3m", Visibility: "public"},                                               // overdue
			{MadeOn: "2020-01-12", DeadlineDate: "2020-06-12", Visibility: "internal"},                                         // overdue
			{MadeOn: "2020-01-12", DeadlineDuration: "1y", Visibility: "public", StatusHistory: []string{"2020-05-01 broken"}}, // closed
			{MadeOn: "2020-06-01", DeadlineDuration: "30d", Visibility: "public", StatusHistory: []string{"2020-06-20 fulfilled"}},
			{MadeOn: "2020-07-01", Visibility: "public"}, // no deadline: open, never overdue
			{MadeOn: "2020-07-01", DeadlineDuration: "1m", Visibility: "restricted"},
		} {
			c.AuthorityType, c.Kind, c.Incidents = "prime_minister", "investigation", []string{inc.ID}
			if err := cs.Create(ctx, "dina", &c); err != nil {
				t.Fatal(err)
			}
		}
		cm := store.Of[model.Committee](st, kinds.Committee)
		for _, c := range []model.Committee{
			{NameEN: "A", FormedType: "prime_minister", FormedOn: "2020-01-15", Incidents: []string{inc.ID}, Reported: true, Visibility: "public"},
			{NameEN: "B", FormedType: "governor", FormedOn: "2020-04-01", Incidents: []string{inc.ID}, Visibility: "public"},
		} {
			if err := cm.Create(ctx, "dina", &c); err != nil {
				t.Fatal(err)
			}
		}
		step(t, st, inc.ID, "charge", "gunman", "perpetrator", "public") // 2020-03-01: after A, before B
		today := accountability.Date(2020, 8, 12)
		got, err := stats.CountCommitments(ctx, st, store.Visible{}, store.Visible{Levels: []string{"public"}}, today)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 5 || got.Open != 3 || got.Overdue != 2 || got.Broken != 1 || got.Fulfilled != 1 ||
			got.Withheld != 1 || len(got.Receipt) != 4 || got.Committees != 2 || got.Reported != 1 || got.Prosecuted != 1 {
			t.Fatalf("%+v", got)
		}
		first := got.Receipt[0]
		if !first.Overdue || first.Due != "2020-04-12" || first.DaysOverdue != 122 || first.MonthsOverdue != 4 {
			t.Errorf("most overdue first: %+v", first)
		}
		all := store.Visible{Levels: []string{"public", "internal", "restricted"}}
		if got, _ := stats.CountCommitments(ctx, st, all, all, today); got.Total != 6 || got.Overdue != 3 {
			t.Errorf("for a protection officer: %+v", got)
		}
		samePage(t, st, today)
		// A status written later moves the stored status: the first is
		// fulfilled, no longer overdue.
		page, _, _ := cs.List(ctx, store.ListFilter{Visible: all, Limit: 100})
		for _, c := range page {
			if c.DeadlineDuration == "3m" {
				c.StatusHistory = []string{"2020-08-01 fulfilled"}
				if err := cs.Update(ctx, "dina", &c); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := samePage(t, st, today); got.Overdue != 2 || got.Fulfilled != 2 {
			t.Errorf("after the update: %+v", got)
		}
	})
}

// samePage checks that the figures counted in the store are the figures
// counted in Go, for every kind of reader, on several days, and returns
// those of a protection officer on today.
func samePage(t *testing.T, st store.Store, today accountability.Day) stats.Commitments {
	t.Helper()
	ctx := context.Background()
	public := store.Visible{Levels: []string{"public"}}
	all := store.Visible{Levels: []string{"public", "internal", "restricted"}}
	var last stats.Commitments
	for _, day := range []accountability.Day{accountability.Date(2020, 4, 12), accountability.Date(2020, 4, 13), today} {
		for _, rv := range [][2]store.Visible{{{}, public}, {{}, all}, {all, all}, {{OwnedBy: "dina"}, public}, {{OwnedBy: "dina"}, all}} {
			want, err := stats.CountCommitments(ctx, st, rv[0], rv[1], day)
			if err != nil {
				t.Fatal(err)
			}
			got, err := stats.CountCommitmentsPage(ctx, st, rv[0], rv[1], day, 0)
			if err != nil {
				t.Fatal(err)
			}
			var overdue []stats.CommitmentRow
			for _, r := range want.Receipt {
				if r.Overdue {
					overdue = append(overdue, r)
				}
			}
			withheld := want.Overdue - len(overdue)
			if got.Total != want.Total || got.Open != want.Open || got.Overdue != want.Overdue || got.Fulfilled != want.Fulfilled ||
				got.Broken != want.Broken || got.Withheld != withheld || got.Committees != want.Committees ||
				got.Reported != want.Reported || got.Prosecuted != want.Prosecuted || len(got.Receipt) != len(overdue) {
				t.Fatalf("on %s for %v: counted in the store %+v, in Go %+v", day, rv, got, want)
			}
			for i := range overdue {
				if got.Receipt[i].ID != overdue[i].ID || got.Receipt[i].DaysOverdue != overdue[i].DaysOverdue {
					t.Errorf("on %s, receipt row %d: %+v, want %+v", day, i, got.Receipt[i], overdue[i])
				}
			}
			if page, _ := stats.CountCommitmentsPage(ctx, st, rv[0], rv[1], day, 1); len(overdue) > 0 && len(page.Receipt) != 1 {
				t.Errorf("a page of 1: %d rows", len(page.Receipt))
			}
			last = got
		}
	}
	return last
}

// The impunity figures counted in the store (store.ImpunityFigures, kept
// with each write of an incident or a step) are the figures counted by
// reading every killing and step: for every kind of reader, with a
// country and without, after steps are added and changed and after an
// incident stops being a murder.
func TestImpunityInStore(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		a := killing(t, st, "public", "IQ", "IQ-BG")
		b := killing(t, st, "internal", "IQ", "IQ-BA")
		killing(t, st, "public", "IQ", "IQ-BG", "crossfire")
		c := killing(t, st, "public", "SY", "")
		r := killing(t, st, "restricted", "IQ", "IQ-BG")
		check := func(when string) {
			t.Helper()
			today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
			all := store.Visible{Levels: []string{"public", "internal", "restricted"}}
			public := store.Visible{Levels: []string{"public"}}
			for _, reader := range []store.Visible{{}, all, {OwnedBy: "dina"}, {OwnedBy: "someone"}} {
				for _, country := range []string{"", "IQ", "SY"} {
					q := stats.Query{MinVerification: "reported", Reader: reader}
					want, err := stats.CountImpunityByReading(ctx, st, q, country, public, today)
					if err != nil {
						t.Fatal(err)
					}
					got, err := stats.CountImpunity(ctx, st, q, country, public, today)
					if err != nil {
						t.Fatal(err)
					}
					ids := func(rows []stats.ImpunityRow) (out []string) {
						for _, r := range rows {
							out = append(out, r.ID+"/"+r.Class)
						}
						return out
					}
					if got.Murders != want.Murders || got.Complete != want.Complete || got.Partial != want.Partial ||
						got.Justice != want.Justice || got.Withheld != want.Withheld ||
						fmt.Sprint(ids(got.Receipt)) != fmt.Sprint(ids(want.Receipt)) || fmt.Sprint(got.Index) != fmt.Sprint(want.Index) {
						t.Errorf("%s, reader %v, country %q: in the store %+v\nby reading %+v", when, reader, country, got, want)
					}
				}
			}
			cq, _ := stats.Query{MinVerification: "reported", Reader: all, Types: []string{"killing"}}.Store()
			if _, err := st.ImpunityCounts(ctx, cq, "", cq); err != nil {
				t.Fatalf("%s: not counted in the store: %v", when, err)
			}
		}
		check("no steps")
		step(t, st, b.ID, "trial", "", "", "internal")
		step(t, st, b.ID, "verdict_convicted", "gunman", "perpetrator", "internal")
		step(t, st, c.ID, "trial", "", "", "public")
		step(t, st, c.ID, "verdict_convicted", "gunman", "perpetrator", "public")
		step(t, st, c.ID, "no_instigator", "", "", "public")
		step(t, st, r.ID, "trial", "", "", "restricted")
		step(t, st, a.ID, "trial", "", "", "restricted")
		step(t, st, a.ID, "verdict_convicted", "gunman", "perpetrator", "restricted")
		check("with steps")
		// The conviction overturned on appeal: complete impunity again.
		step(t, st, b.ID, "appeal", "gunman", "perpetrator", "internal")
		steps := store.Of[model.JudicialStep](st, kinds.JudicialStep)
		list, _, _ := steps.List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{"internal"}}, Field: "incident", Value: b.ID, Limit: 10})
		for _, s := range list {
			if s.Step == "appeal" {
				s.Outcome = "overturned"
				if err := steps.Update(ctx, "dina", &s); err != nil {
					t.Fatal(err)
				}
			}
		}
		// c is found to have died in crossfire: no longer a murder.
		got, err := st.GetIncident(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Tags = append(got.Tags, "crossfire")
		if err := st.UpdateIncident(ctx, "dina", got); err != nil {
			t.Fatal(err)
		}
		check("after an appeal and a new tag")
	})
}
