package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSealedSaidTamper: what a source said about a restricted incident,
// sealed, verifies as stored; the sealed text of one put in another's
// place (both decrypt for a member) is named by verify, for a source as
// for an information. Put back, it verifies again.
func testSealedSaidTamper(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	rs := memberSealer(t, ctx, s)
	inc := Incident()
	inc.Visibility, inc.Victims = model.VisibilityRestricted, nil
	if err := rs.Incident(&inc); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, "rana", &inc); err != nil {
		t.Fatal(err)
	}
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "Tamperlabel"}
	info := model.Information{IncidentID: inc.ID, Credibility: 2, Summary: "Tampersummary", Key: rs}
	if err := s.AddSourceInformation(ctx, "rana", &src, &info); err != nil {
		t.Fatal(err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("sealed source and information as stored: %v", err)
	}
	box := func(kind, id string) []byte {
		var b []byte
		if err := o.SQL.QueryRow(rebind(s, `SELECT box FROM sealed_fields WHERE kind = ? AND record_id = ? AND field_group = 'record'`),
			kind, id).Scan(&b); err != nil {
			t.Fatalf("the sealed text of %s %s: %v", kind, id, err)
		}
		return b
	}
	boxes := map[string][]byte{store.KindSource: box(store.KindSource, src.ID), store.KindInformation: box(store.KindInformation, info.ID)}
	setBox := func(kind, id string, b []byte) {
		exec(t, o.SQL, rebind(s, `UPDATE sealed_fields SET box = ? WHERE kind = ? AND record_id = ? AND field_group = 'record'`), b, kind, id)
	}
	for _, c := range []struct{ kind, id, other string }{
		{store.KindSource, src.ID, store.KindInformation},
		{store.KindInformation, info.ID, store.KindSource},
	} {
		setBox(c.kind, c.id, boxes[c.other])
		var re *store.RecordError
		if _, err := store.VerifyAudit(ctx, s, AuditKey); !errors.As(err, &re) || re.Kind != c.kind || re.ID != c.id || re.History {
			t.Errorf("the %s's sealed text replaced: %v, want the %s named", c.kind, err, c.kind)
		}
		setBox(c.kind, c.id, boxes[c.kind])
	}
}
