package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSealedInformation: what sources said about a restricted incident is
// sealed on every path — added by a member, refused without one, sealed
// when the incident becomes restricted (its history purged), sealed later
// by SealInformation, unsealed when the incident stops being restricted —
// and a member reads it back.
func testSealedInformation(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	rs := memberSealer(t, ctx, s)
	by := Identity(t, ctx, s, mustUser(t, ctx, s, "rana"), "rana password 1")
	restricted := Incident()
	restricted.Visibility, restricted.Victims = model.VisibilityRestricted, nil
	if err := rs.Incident(&restricted); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, "rana", &restricted); err != nil {
		t.Fatal(err)
	}

	// Without a member's key: refused, nothing stored.
	before := state(t, o)
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "Refusedlabel"}
	info := model.Information{IncidentID: restricted.ID, Credibility: 2, Summary: "Refusedsummary"}
	if err := s.AddSourceInformation(ctx, "doc", &src, &info); !errors.Is(err, store.ErrSealNeedsMember) {
		t.Fatalf("information about a restricted incident without a key: %v, want ErrSealNeedsMember", err)
	}
	if after := state(t, o); after != before {
		t.Errorf("a refused information changed the store:\nbefore %s\nafter  %s", before, after)
	}

	// A member adds it: sealed, read back empty, opened by a member.
	src = model.Source{Type: "eyewitness", Reliability: "B", Label: "Sealedlabel"}
	info = model.Information{IncidentID: restricted.ID, Credibility: 2, Summary: "Sealedsummary", Key: rs}
	if err := s.AddSourceInformation(ctx, "rana", &src, &info); err != nil {
		t.Fatal(err)
	}
	infos, srcs := said(t, ctx, s, restricted.ID)
	if len(infos) != 1 || !infos[0].Sealed || infos[0].Summary != "" || !srcs[src.ID].Sealed || srcs[src.ID].Label != "" {
		t.Fatalf("read back: %+v %+v; want sealed and empty", infos, srcs[src.ID])
	}
	if !keys.InformationSealed(infos, srcs) {
		t.Error("InformationSealed is false")
	}
	if n, err := keys.OpenInformation(ctx, s, "rana", by, infos, srcs); err != nil || n != 2 ||
		infos[0].Summary != "Sealedsummary" || srcs[src.ID].Label != "Sealedlabel" {
		t.Fatalf("a member opens %d: %v %q %q", n, err, infos[0].Summary, srcs[src.ID].Label)
	}
	if !lastAudit(t, ctx, s, "rana", "read:record", src.ID) {
		t.Error("opening the source's label wrote no read:record entry")
	}

	// A source told us about an internal incident, in the clear; telling
	// us about the restricted one too seals its label (a member's key),
	// and needs one.
	open := Incident()
	open.Victims = nil
	if err := s.CreateIncident(ctx, "doc", &open); err != nil {
		t.Fatal(err)
	}
	shared := model.Source{Type: "eyewitness", Reliability: "C", Label: "Sharedlabel"}
	if err := s.AddSourceInformation(ctx, "doc", &shared, &model.Information{IncidentID: open.ID, Credibility: 3, Summary: "Opensummary"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddInformation(ctx, "doc", &model.Information{IncidentID: restricted.ID, SourceID: shared.ID, Credibility: 3}); !errors.Is(err, store.ErrSealNeedsMember) {
		t.Errorf("a clear source's information about a restricted incident without a key: %v", err)
	}
	if err := s.AddInformation(ctx, "rana", &model.Information{IncidentID: restricted.ID, SourceID: shared.ID, Credibility: 3, Key: rs}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetSource(ctx, shared.ID); err != nil || !got.Sealed || got.Label != "" {
		t.Errorf("the shared source after telling about a restricted incident: %+v, %v", got, err)
	}

	// An internal incident with information, restricted by a member.
	late := Incident()
	late.Victims = nil
	if err := s.CreateIncident(ctx, "doc", &late); err != nil {
		t.Fatal(err)
	}
	lsrc := model.Source{Type: "eyewitness", Reliability: "B", Label: "Latelabel"}
	linfo := model.Information{IncidentID: late.ID, Credibility: 2, Summary: "Latesummary"}
	if err := s.AddSourceInformation(ctx, "doc", &lsrc, &linfo); err != nil {
		t.Fatal(err)
	}
	late.Visibility = model.VisibilityRestricted
	if err := rs.Incident(&late); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", &late); err != nil {
		t.Fatal(err)
	}
	digests := versionDigests(t, ctx, s)
	for kind, id := range map[string]string{store.KindSource: lsrc.ID, store.KindInformation: linfo.ID} {
		checkSealedHistory(t, ctx, s, kind, id, digests)
	}
	if found, _ := ScanCatalogue(t, o.SQL, ScanNeedles("Latelabel", "Latesummary", "Sealedlabel", "Sealedsummary", "Sharedlabel")); len(found) > 0 {
		t.Errorf("in the clear: %v", found)
	}

	// Made internal again by a member: back in the columns; the shared
	// source, which also told us about the other restricted incident, stays sealed.
	if err := s.AddInformation(ctx, "rana", &model.Information{IncidentID: late.ID, SourceID: shared.ID, Credibility: 4, Key: rs}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetIncident(ctx, late.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.OpenIncident(ctx, s, "rana", by, got); err != nil {
		t.Fatal(err)
	}
	got.Visibility = model.VisibilityInternal
	var nobody *keys.RecordSealer
	if err := nobody.Incident(got); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "doc", got); !errors.Is(err, store.ErrUnsealNeedsMember) {
		t.Fatalf("unsealing without a key: %v", err)
	}
	if err := rs.Incident(got); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", got); err != nil {
		t.Fatal(err)
	}
	infos, srcs = said(t, ctx, s, late.ID)
	if len(infos) != 2 || infos[0].Sealed || infos[0].Summary != "Latesummary" || srcs[lsrc.ID].Sealed || srcs[lsrc.ID].Label != "Latelabel" {
		t.Errorf("after unsealing: %+v %+v", infos, srcs[lsrc.ID])
	}
	if !srcs[shared.ID].Sealed || srcs[shared.ID].Label != "" {
		t.Errorf("the source of another restricted incident was unsealed: %+v", srcs[shared.ID])
	}
	if h, err := s.History(ctx, store.KindInformation, linfo.ID); err != nil || len(h) != 3 || h[2].Action != "unseal" {
		t.Errorf("information history after unsealing: %+v, %v", h, err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify: %v", err)
	}
}

// testSealInformationLater: information stored in the clear about an
// incident restricted before sealing existed is sealed by SealInformation.
func testSealInformationLater(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	rs := memberSealer(t, ctx, s)
	inc := Incident()
	inc.Victims = nil
	if err := s.CreateIncident(ctx, "doc", &inc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SealInformation(ctx, "rana", inc.ID, rs); err == nil {
		t.Error("SealInformation of an internal incident: no error")
	}
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "Oldlabelcanary"}
	info := model.Information{IncidentID: inc.ID, Credibility: 2, Summary: "Oldsummarycanary"}
	if err := s.AddSourceInformation(ctx, "doc", &src, &info); err != nil {
		t.Fatal(err)
	}
	// As an older rasd left it: restricted by a member, its own text
	// sealed, what its sources said left in the clear (without the key,
	// the store does not seal it). Written through the store, as that
	// release wrote it: a version and its audit entry, which verify checks.
	inc.Visibility = model.VisibilityRestricted
	if err := rs.Incident(&inc); err != nil {
		t.Fatal(err)
	}
	inc.Key = nil
	if err := s.UpdateIncident(ctx, "rana", &inc); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetSource(ctx, src.ID); err != nil || got.Sealed || got.Label != src.Label {
		t.Fatalf("the control failed: the source before SealInformation: %+v, %v; want its label in the clear", got, err)
	}
	if n, err := s.SealInformation(ctx, "rana", inc.ID, rs); err != nil || n != 2 {
		t.Fatalf("SealInformation: %d, %v; want 2 (summary, label)", n, err)
	}
	if n, err := s.SealInformation(ctx, "rana", inc.ID, rs); err != nil || n != 0 {
		t.Errorf("SealInformation again: %d, %v; want 0", n, err)
	}
	if found, _ := ScanCatalogue(t, o.SQL, ScanNeedles("Oldlabelcanary", "Oldsummarycanary")); len(found) > 0 {
		t.Errorf("in the clear: %v", found)
	}
	digests := versionDigests(t, ctx, s)
	for kind, id := range map[string]string{store.KindSource: src.ID, store.KindInformation: info.ID} {
		checkSealedHistory(t, ctx, s, kind, id, digests)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify: %v", err)
	}
}

// checkSealedHistory: a row sealed after it was kept in the clear has two
// versions, the first purged (its digest kept), the second the seal.
func checkSealedHistory(t *testing.T, ctx context.Context, s store.Store, kind, id string, digests map[string]string) {
	t.Helper()
	h, err := s.History(ctx, kind, id)
	if err != nil || len(h) != 2 {
		t.Fatalf("%s history: %d versions, %v; want 2", kind, len(h), err)
	}
	if !h[0].Purged || h[1].Purged || h[1].Action != "seal" {
		t.Errorf("%s history: v1 purged %v, v2 purged %v action %q", kind, h[0].Purged, h[1].Purged, h[1].Action)
	}
	var snap map[string]any
	json.Unmarshal(h[0].Snapshot, &snap)
	if d := digests[fmt.Sprintf("%s/%s/1", kind, id)]; d == "" || snap["scrubbed_sha256"] != d {
		t.Errorf("%s v1: scrubbed_sha256 %v, audit digest %q", kind, snap["scrubbed_sha256"], d)
	}
	field := map[string]string{store.KindSource: "label", store.KindInformation: "summary"}[kind]
	named := false
	for _, c := range h[1].Changes {
		if c.Field == field {
			named = c.Purged && c.Old == nil && c.New == nil
		}
	}
	if !named {
		t.Errorf("%s v2 changes: %+v; want %s named, purged, without values", kind, h[1].Changes, field)
	}
}

// said lists an incident's information and their sources by ID.
func said(t *testing.T, ctx context.Context, s store.Store, incID string) ([]model.Information, map[string]*model.Source) {
	t.Helper()
	infos, err := s.ListInformation(ctx, incID)
	if err != nil {
		t.Fatal(err)
	}
	srcs := map[string]*model.Source{}
	for _, in := range infos {
		if srcs[in.SourceID], err = s.GetSource(ctx, in.SourceID); err != nil {
			t.Fatal(err)
		}
	}
	return infos, srcs
}

func mustUser(t *testing.T, ctx context.Context, s store.Store, name string) *model.User {
	t.Helper()
	u, err := s.GetUserByName(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// testSealInformationRace: information added while a member makes its
// incident restricted is sealed either way: by the one adding it (the
// incident is restricted by then) or by the one restricting (it sees it).
func testSealInformationRace(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	rs := memberSealer(t, ctx, s)
	for round := range 20 {
		inc := Incident()
		inc.Victims = nil
		if err := s.CreateIncident(ctx, "doc", &inc); err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprintf("Racecanary%d", round)
		done := make(chan error, 1)
		go func() {
			src := model.Source{Type: "eyewitness", Reliability: "B", Label: text}
			done <- s.AddSourceInformation(ctx, "doc", &src, &model.Information{IncidentID: inc.ID, Credibility: 2, Summary: text, Key: rs})
		}()
		inc.Visibility = model.VisibilityRestricted
		if err := rs.Incident(&inc); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateIncident(ctx, "rana", &inc); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if found, _ := ScanCatalogue(t, o.SQL, ScanNeedles(text)); len(found) > 0 {
			t.Fatalf("round %d: in the clear: %v", round, found)
		}
	}
}
