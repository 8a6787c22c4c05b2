package incidents

import (
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/vocab"
)

// TestMergeDuplicates is the contract of deciding on a pair of incidents
// proposed as duplicates (docs/duplicates.md), on both backends: a merged
// pair counts once and both keep their external ids and histories; the
// merge is undone; a pair marked distinct is remembered; the bad cases
// are refused and change nothing; the audit log verifies after them.
func TestMergeDuplicates(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		s := New(st, nil)
		analyst, doc := user("hana", model.RoleAnalyst), user("zaid", model.RoleDocumenter)
		mk := func(by *model.User, ext string, vis string) *model.Incident {
			inc := newIncident(func(i *model.Incident) {
				i.Verification, i.Visibility = "corroborated", vis
				if ext != "" {
					i.External = &model.External{System: "acled", ID: ext}
				}
			})
			if err := st.CreateIncident(ctx, by.Username, inc); err != nil {
				t.Fatal(err)
			}
			return inc
		}
		a, b := mk(doc, "IRQ1001", model.VisibilityInternal), mk(doc, "IRQ2002", model.VisibilityInternal)
		secret := mk(user("omar", model.RoleDocumenter), "", model.VisibilityRestricted)
		counted := func() int {
			rows, err := st.CountIncidents(ctx, store.CountQuery{Verification: vocab.Get(vocab.VerificationStatus).Codes(),
				Reader: store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}})
			if err != nil {
				t.Fatal(err)
			}
			return rows[0].Incidents
		}
		before := counted()
		for _, tc := range []struct {
			u          *model.User
			from, into string
			want       error
		}{
			{analyst, a.ID, a.ID, store.ErrIncidentMergeSelf},
			{analyst, a.ID, secret.ID, ErrNotFound}, // as if it did not exist
			{analyst, a.ID, "no-such-incident", ErrNotFound},
			{doc, a.ID, b.ID, ErrForbidden}, // counting decisions are a verifier's
		} {
			if _, err := s.Merge(ctx, tc.u, tc.from, tc.into); !errors.Is(err, tc.want) {
				t.Errorf("Merge(%s, %s) by %s = %v, want %v", tc.from, tc.into, tc.u.Username, err, tc.want)
			}
		}
		if ms, _ := st.IncidentMergesOf(ctx, a.ID); len(ms) != 0 || counted() != before {
			t.Fatalf("refused merges changed something: %+v", ms)
		}
		if _, err := s.Merge(ctx, analyst, b.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if got := counted(); got != before-1 {
			t.Errorf("after the merge %d incidents count, want %d: a merged pair counts once", got, before-1)
		}
		for _, pair := range [][2]string{{b.ID, a.ID}, {a.ID, b.ID}} {
			if _, err := s.Merge(ctx, analyst, pair[0], pair[1]); !errors.Is(err, store.ErrIncidentMerged) {
				t.Errorf("merging a merged pair again = %v, want ErrIncidentMerged", err)
			}
		}
		got, err := st.GetIncident(ctx, b.ID)
		if err != nil || got.MergedInto != a.ID || got.External == nil || got.External.ID != "IRQ2002" {
			t.Fatalf("merged incident = %+v, %v: want merged into %s with its external id", got, err, a.ID)
		}
		// A re-import of the merged one's external id updates it, and it stays merged.
		again := *got
		again.SummaryEN += " Updated by the source."
		if _, err := st.ImportIncidents(ctx, "importer", []model.Incident{again}, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.GetIncident(ctx, b.ID); got.MergedInto != a.ID {
			t.Errorf("a re-import undid the merge")
		}
		if ms, err := s.Merges(ctx, As(doc), a.ID); err != nil || len(ms) != 1 || ms[0].From != b.ID {
			t.Errorf("Merges = %+v, %v", ms, err)
		}
		if err := s.Unmerge(ctx, analyst, a.ID); !errors.Is(err, store.ErrNotMerged) {
			t.Errorf("undoing a merge of the kept incident = %v, want ErrNotMerged", err)
		}
		if err := s.Unmerge(ctx, analyst, b.ID); err != nil {
			t.Fatal(err)
		}
		if got := counted(); got != before {
			t.Errorf("after undoing, %d incidents count, want %d", got, before)
		}
		if err := s.Unmerge(ctx, analyst, b.ID); !errors.Is(err, store.ErrNotMerged) {
			t.Errorf("undoing twice = %v, want ErrNotMerged", err)
		}
		if err := s.TwoEvents(ctx, analyst, a.ID, secret.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("marking a pair with a hidden incident = %v, want ErrNotFound", err)
		}
		for range 2 { // marking again changes nothing
			if err := s.TwoEvents(ctx, analyst, b.ID, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		if d, err := st.DistinctPairs(ctx, a.ID); err != nil || len(d) != 1 || !d[store.PairKey(a.ID, b.ID)] {
			t.Errorf("DistinctPairs = %v, %v", d, err)
		}
		decided := 0 // audited once, by whom: marking again writes nothing
		st.AuditEntries(ctx, func(e audit.Entry) error {
			if e.Action == "distinct" && e.Kind == "incident_pair" && e.Actor == analyst.Username {
				decided++
			}
			return nil
		})
		if decided != 1 {
			t.Errorf("%d audit entries of 'not the same event', want 1", decided)
		}
		var actions []string
		vs, _ := st.History(ctx, store.KindIncident, b.ID)
		for _, v := range vs {
			actions = append(actions, v.Action)
		}
		if len(actions) < 3 || actions[len(actions)-1] != "unmerge" {
			t.Errorf("history of the merged incident: %v, want a merge and an unmerge", actions)
		}
		if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
			t.Errorf("audit verify: %v", err)
		}
	})
}
