package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testCommitmentTotals: the running totals of commitments by visibility
// and status (migration 0039, docs/counting.md, "Commitment figures") are
// a full recount of the commitments after every kind of write — create,
// a status changed, a visibility changed, an edit that moves neither,
// a stale update refused, a draft stored from a report and one refused
// whole — and the counts the store gives each reader are theirs; the
// migration that adds them fills them from the commitments stored before.
func testCommitmentTotals(t *testing.T, ctx context.Context, o Opened) {
	cs := store.Of[model.Commitment](o.Store, kinds.Commitment)
	check := func(step string) {
		t.Helper()
		kept, counted := commitmentTotals(t, o)
		if !maps.Equal(kept, counted) {
			t.Fatalf("after %s: the totals kept %v, a recount %v", step, kept, counted)
		}
		for _, v := range []store.Visible{
			{Levels: []string{"public"}}, {Levels: []string{"public", "internal"}},
			{Levels: []string{"public", "internal"}, OwnedBy: "dina"}, {OwnedBy: "omar"},
			{Levels: []string{"public", "internal", "restricted"}, OwnedBy: "dina"},
		} {
			counts, err := o.Store.CommitmentCounts(ctx, v, "2026-12-07")
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, c := range counts {
				sum += c.N
			}
			if _, n, err := cs.List(ctx, store.ListFilter{Visible: v, Limit: 1}); err != nil || n != sum {
				t.Errorf("after %s, for %+v: counted %d (%+v), listed %d, %v", step, v, sum, counts, n, err)
			}
		}
	}
	check("nothing")
	made := map[string]*model.Commitment{}
	for _, c := range []struct {
		name, actor string
		c           model.Commitment
	}{
		{"open", "dina", model.Commitment{MadeOn: "2020-01-12", DeadlineDuration: "3m", Visibility: "public"}},
		{"kept", "dina", model.Commitment{MadeOn: "2020-01-12", DeadlineDuration: "1y", Visibility: "internal",
			StatusHistory: []string{"2020-05-01 fulfilled"}}},
		{"dina's", "dina", model.Commitment{MadeOn: "2020-07-01", DeadlineDuration: "1m", Visibility: "restricted"}},
		{"omar's", "omar", model.Commitment{MadeOn: "2020-07-01", Visibility: "restricted"}},
	} {
		c.c.AuthorityType, c.c.Kind = "prime_minister", "investigation"
		if err := cs.Create(ctx, c.actor, &c.c); err != nil {
			t.Fatal(err)
		}
		made[c.name] = &c.c
	}
	check("creating")
	update := func(name string, change func(*model.Commitment)) {
		t.Helper()
		c := made[name]
		change(c)
		if err := cs.Update(ctx, "analyst", c); err != nil {
			t.Fatal(err)
		}
		check("an update of " + name)
	}
	update("open", func(c *model.Commitment) { c.StatusHistory = []string{"2020-06-01 broken"} })
	update("open", func(c *model.Commitment) { c.StatusHistory = nil })
	update("kept", func(c *model.Commitment) { c.Visibility = "public" })
	update("kept", func(c *model.Commitment) { c.Authority = "Office of the Prime Minister" })
	update("open", func(c *model.Commitment) { c.Visibility = "restricted" })
	stale := *made["kept"]
	stale.Version, stale.StatusHistory = 1, []string{"2020-06-01 withdrawn"}
	if err := cs.Update(ctx, "analyst", &stale); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a stale update: %v, want ErrConflict", err)
	}
	check("a stale update")

	draft := func(fail bool) error {
		c := &model.Commitment{AuthorityType: "governor", Kind: "investigation", MadeOn: "2021-03-01",
			DeadlineDuration: "30d", Visibility: "public"}
		inc := Incident()
		d := &store.Draft{Incident: &inc, Records: []store.DraftRecord{{Kind: kinds.Commitment.Name, Record: c,
			Link: func(ids store.DraftIDs) error { c.Incidents = []string{ids.Incident}; return nil }}}}
		if fail {
			d.Records = append(d.Records, store.DraftRecord{Kind: kinds.Commitment.Name, Record: &model.Commitment{},
				Link: func(store.DraftIDs) error { return fmt.Errorf("refused") }})
		}
		return o.Store.CreateDraft(ctx, "dina", d)
	}
	if err := draft(false); err != nil {
		t.Fatal(err)
	}
	check("a draft stored from a report")
	before, _ := commitmentTotals(t, o)
	if err := draft(true); err == nil {
		t.Fatal("a draft whose second record is refused was stored")
	}
	if after, _ := commitmentTotals(t, o); !maps.Equal(before, after) {
		t.Fatalf("a refused draft moved the totals: %v, then %v", before, after)
	}
	check("a refused draft")

	// A database from before the totals gets them from its commitments
	// when a store first opens it (migration 0039).
	if o.Reopen == nil {
		return
	}
	last, _ := commitmentTotals(t, o)
	exec(t, o.SQL, `DROP TABLE commitment_totals`)
	exec(t, o.SQL, `DROP INDEX commitments_overdue`)
	exec(t, o.SQL, `CREATE INDEX commitments_status_due ON commitments (status, due_on, visibility)`)
	exec(t, o.SQL, `DELETE FROM schema_migrations WHERE name = 'commitment_totals'`)
	up, err := o.Reopen()
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer up.Close()
	if kept, counted := commitmentTotals(t, o); !maps.Equal(kept, counted) || !maps.Equal(kept, last) {
		t.Fatalf("after the upgrade: the totals kept %v, a recount %v", kept, counted)
	}
}

// commitmentTotals are the totals kept (the rows of commitment_totals
// above zero) and the same counted again from the commitments.
func commitmentTotals(t *testing.T, o Opened) (kept, counted map[string]int) {
	t.Helper()
	read := func(q string) map[string]int {
		rows, err := o.SQL.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var vis, status, by string
			var n int
			if err := rows.Scan(&vis, &status, &by, &n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				out[vis+" "+status+" "+by] = n
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return read(`SELECT visibility, status, created_by, n FROM commitment_totals`),
		read(`SELECT visibility, status, CASE WHEN visibility = 'restricted' THEN created_by ELSE '' END, COUNT(*)
			FROM commitments GROUP BY 1, 2, 3`)
}
