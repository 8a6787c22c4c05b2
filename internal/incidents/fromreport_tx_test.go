package incidents

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// An accepted draft is one transaction: a failure injected after the
// incident, its new person, the source, what it said and a first record
// were written leaves the store as it was (the same audit log, no
// incident, person or committee); without it, all are stored, linked.
func TestCreateFromReportAllOrNothing(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		doc := user("zainab", model.RoleDocumenter)
		draft := func(fail func(store.DraftIDs) error) (*model.Incident, []store.DraftRecord) {
			inc := newIncident(func(i *model.Incident) {
				i.Verification = ""
				i.Victims = []model.Victim{{Person: &model.Person{NameLatin: "Ali Hassan"}, Role: "activist", Outcome: "injured"}}
			})
			c := &model.Committee{NameEN: "Investigative committee", FormedType: "governor", FormedOn: "2019-10-06", Visibility: model.VisibilityInternal}
			recs := []store.DraftRecord{{Kind: kinds.Committee.Name, Record: c, Link: func(ids store.DraftIDs) error {
				if ids.Incident == "" || len(ids.Persons) != 1 || ids.Persons[0] == "" {
					return errors.New("no IDs to link to")
				}
				c.Incidents = []string{ids.Incident}
				return nil
			}}}
			if fail != nil {
				recs = append(recs, store.DraftRecord{Kind: kinds.Committee.Name, Record: &model.Committee{NameEN: "x"}, Link: fail})
			}
			return inc, recs
		}
		said := []model.Information{
			{Credibility: 3, ObtainedOn: "2019-10-06", Summary: "Activist Ali Hassan was beaten near Tahrir Square."},
			{Credibility: 3, ObtainedOn: "2019-10-06", Summary: "The governor formed an investigative committee."},
		}
		src := func() *model.Source { return &model.Source{Type: "media", Reliability: "C", Label: "Report"} }
		state := func() [4]int {
			n := 0
			if err := st.AuditEntries(ctx, func(audit.Entry) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			all := store.ListFilter{Limit: 1, Visible: store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}}
			_, persons, err := st.Persons().List(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			_, committees, err := store.Of[model.Committee](st, kinds.Committee).List(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			return [4]int{n, count(t, st), persons, committees}
		}
		before := state()
		injected := errors.New("injected failure")
		for name, fail := range map[string]func(store.DraftIDs) error{
			"a link fails": func(ids store.DraftIDs) error {
				if len(ids.Records) != 1 {
					return errors.New("not midway: the first record is not stored yet")
				}
				return injected
			},
		} {
			inc, recs := draft(fail)
			if err := svc.CreateFromReport(ctx, doc, inc, src(), slices.Clone(said), recs...); !errors.Is(err, injected) {
				t.Fatalf("%s: %v", name, err)
			}
			if after := state(); after != before {
				t.Fatalf("%s: the store changed: (audit entries, incidents, persons, committees) %v, before %v", name, after, before)
			}
		}
		// A record the database refuses midway: its kind holds another type.
		inc, recs := draft(nil)
		recs = append(recs, store.DraftRecord{Kind: kinds.Committee.Name, Record: &model.Threat{}})
		if err := svc.CreateFromReport(ctx, doc, inc, src(), slices.Clone(said), recs...); err == nil {
			t.Fatal("a record of the wrong type was stored")
		}
		if after := state(); after != before {
			t.Fatalf("wrong type: the store changed: %v, before %v", after, before)
		}
		inc, recs = draft(nil)
		if err := svc.CreateFromReport(ctx, doc, inc, src(), slices.Clone(said), recs...); err != nil {
			t.Fatal(err)
		}
		after := state()
		if after[1] != before[1]+1 || after[2] != before[2]+1 || after[3] != before[3]+1 {
			t.Fatalf("stored %v, before %v", after, before)
		}
		got, err := store.Of[model.Committee](st, kinds.Committee).Get(ctx, recs[0].Record.(*model.Committee).ID)
		if err != nil || !slices.Equal(got.Incidents, []string{inc.ID}) {
			t.Fatalf("committee %+v: %v", got, err)
		}
		infos, srcs, err := svc.Said(ctx, As(doc), inc)
		if err != nil || len(infos) != 2 || len(srcs) != 1 {
			t.Fatalf("said %+v from %d sources: %v", infos, len(srcs), err)
		}
	})
}
