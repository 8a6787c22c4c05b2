package incidents

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func TestCreateFromReport(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		doc := user("zainab", model.RoleDocumenter)
		src := func() *model.Source {
			return &model.Source{Type: "media", Reliability: "C", Label: "Report 2019-11-07"}
		}
		said := func() []model.Information {
			return []model.Information{
				{Credibility: 3, ObtainedOn: "2019-11-07", Summary: "Activist Ali Hassan was shot dead in Nasiriyah on Wednesday."},
				{Credibility: 3, ObtainedOn: "2019-11-07", Summary: "Five days later his friend fled to Istanbul."},
			}
		}
		// Bad values anywhere: nothing stored, every problem named.
		bad := newIncident(func(i *model.Incident) { i.Type = "shooting" })
		pieces := said()
		pieces[1].ObtainedOn = "2999-01-01"
		err := svc.CreateFromReport(ctx, doc, bad, &model.Source{Type: "media"}, pieces)
		var fields []string
		for _, p := range Problems(err) {
			fields = append(fields, p.Field)
		}
		if !slices.Equal(fields, []string{"type", "source.reliability", "information[1].obtained_on"}) {
			t.Fatalf("problems %v: %v", fields, err)
		}
		for _, c := range []struct {
			name string
			inc  *model.Incident
			said []model.Information
		}{
			{"restricted", newIncident(func(i *model.Incident) { i.Visibility = model.VisibilityRestricted }), said()},
			{"verified", newIncident(func(i *model.Incident) { i.Verification = "verified" }), said()},
			{"no sentence", newIncident(nil), nil},
		} {
			if err := svc.CreateFromReport(ctx, doc, c.inc, src(), c.said); err == nil {
				t.Errorf("%s: accepted", c.name)
			}
		}
		if err := svc.CreateFromReport(ctx, user("root", model.RoleAdmin), newIncident(nil), src(), said()); !errors.Is(err, ErrForbidden) {
			t.Errorf("admin: %v", err)
		}
		if n := count(t, st); n != 0 {
			t.Fatalf("%d incidents stored by refused drafts", n)
		}
		inc := newIncident(func(i *model.Incident) { i.Verification = "" })
		if err := svc.CreateFromReport(ctx, doc, inc, src(), said()); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, As(doc), inc.ID)
		if err != nil || got.Verification != "reported" {
			t.Fatalf("stored %+v %v", got, err)
		}
		infos, srcs, err := svc.Said(ctx, As(doc), got)
		if err != nil || len(infos) != 2 || len(srcs) != 1 || infos[0].SourceID != infos[1].SourceID {
			t.Fatalf("said %+v from %d sources: %v", infos, len(srcs), err)
		}
		if s := srcs[infos[0].SourceID]; s.Type != "media" || s.Reliability != "C" || infos[1].Summary != said()[1].Summary {
			t.Fatalf("source %+v, information %+v", s, infos)
		}
	})
}
