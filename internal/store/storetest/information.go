package storetest

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSourceInformation: a source and its information are written
// together or not at all.
func testSourceInformation(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	before := state(t, o)
	entries, err := store.VerifyAudit(ctx, s, AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, info := range map[string]model.Information{
		"credibility out of range": {IncidentID: inc.ID, Credibility: 7},
		"unknown incident":         {IncidentID: "missing", Credibility: 2},
	} {
		src := model.Source{Type: "eyewitness", Reliability: "B", Label: "S-001"}
		if err := s.AddSourceInformation(ctx, "tester", &src, &info); err == nil {
			t.Errorf("%s: stored", name)
		}
		if after := state(t, o); after != before {
			t.Errorf("%s changed the store:\nbefore %s\nafter  %s", name, before, after)
		}
	}
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "S-002"}
	info := model.Information{IncidentID: inc.ID, Credibility: 2, ObtainedOn: "2019-12-09", Summary: "saw the car"}
	if err := s.AddSourceInformation(ctx, "tester", &src, &info); err != nil {
		t.Fatal(err)
	}
	infos, err := s.ListInformation(ctx, inc.ID)
	if err != nil || len(infos) != 1 || infos[0].SourceID != src.ID || infos[0].Grade(src) != "B2" {
		t.Fatalf("information = %+v, %v; want one from source %s graded B2", infos, err, src.ID)
	}
	for kind, id := range map[string]string{store.KindSource: src.ID, store.KindInformation: info.ID} {
		vs, err := s.History(ctx, kind, id)
		if err != nil || len(vs) != 1 || vs[0].Action != "create" || vs[0].Actor != "tester" {
			t.Errorf("%s history = %+v, %v; want one create by tester", kind, vs, err)
		}
	}
	if n, err := store.VerifyAudit(ctx, s, AuditKey); err != nil || n != entries+2 {
		t.Errorf("VerifyAudit = %d, %v; want %d entries (+ source, information)", n, err, entries+2)
	}
}
