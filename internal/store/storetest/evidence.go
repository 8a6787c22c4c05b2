package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testEvidence: evidence metadata round-trips, lists by parent, and every
// custody line is kept in order and chained into the audit log.
func testEvidence(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	e := &model.Evidence{ParentKind: store.KindIncident, ParentID: inc.ID, Blob: "0123456789abcdef0123456789abcdef",
		SHA256: "ab" + string(bytes.Repeat([]byte("0"), 62)), Size: 1 << 33, Type: "image/jpeg", NameSealed: []byte{0, 1, 2, 255}}
	if err := s.CreateEvidence(ctx, "zainab", e); err != nil {
		t.Fatal(err)
	}
	if e.ID == "" || e.CreatedAt.IsZero() || e.CreatedBy != "zainab" {
		t.Fatalf("CreateEvidence did not fill ID and meta: %+v", e)
	}
	other := &model.Evidence{ParentKind: store.KindPerson, ParentID: "p1", Blob: "ffff", SHA256: "x", Type: "application/pdf", NameSealed: []byte{9}}
	if err := s.CreateEvidence(ctx, "omar", other); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEvidence(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Blob != e.Blob || got.SHA256 != e.SHA256 || got.Size != e.Size || got.Type != e.Type ||
		!bytes.Equal(got.NameSealed, e.NameSealed) || !got.CreatedAt.Equal(e.CreatedAt) || got.ParentID != inc.ID {
		t.Errorf("GetEvidence = %+v, want %+v", got, e)
	}
	if _, err := s.GetEvidence(ctx, "no-such-id"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetEvidence(missing) = %v, want ErrNotFound", err)
	}
	list, err := s.ListEvidence(ctx, store.KindIncident, inc.ID)
	if err != nil || len(list) != 1 || list[0].ID != e.ID {
		t.Errorf("ListEvidence(incident) = %v, %v", list, err)
	}
	all, err := s.ListEvidence(ctx, "", "")
	if err != nil || len(all) != 2 || all[0].ID != e.ID || all[1].ID != other.ID {
		t.Errorf("ListEvidence(all) = %v, %v", all, err)
	}
	for _, a := range []string{model.CustodyView, model.CustodyDownloadCopy, model.CustodyExportOrig} {
		if err := s.LogCustody(ctx, model.Custody{EvidenceID: e.ID, Actor: "omar", Action: a, Note: "to court"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.LogCustody(ctx, model.Custody{EvidenceID: "missing", Actor: "omar", Action: model.CustodyView}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LogCustody(missing) = %v, want ErrNotFound", err)
	}
	cs, err := s.Custody(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{model.CustodyIntake, model.CustodyView, model.CustodyDownloadCopy, model.CustodyExportOrig}
	if len(cs) != len(want) {
		t.Fatalf("Custody = %+v, want %v", cs, want)
	}
	for i, c := range cs {
		if c.Action != want[i] || c.At.IsZero() || (i > 0 && (c.Actor != "omar" || c.Note != "to court")) {
			t.Errorf("custody line %d = %+v, want action %s", i, c, want[i])
		}
	}
	var custody int
	err = s.AuditEntries(ctx, func(a audit.Entry) error {
		if a.Kind == store.KindEvidence && a.RecordID == e.ID && len(a.Action) > 8 && a.Action[:8] == "custody " {
			custody++
		}
		return nil
	})
	if err != nil || custody != 4 {
		t.Errorf("audit log has %d custody entries for the file (%v), want 4", custody, err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit chain after evidence writes: %v", err)
	}
}
