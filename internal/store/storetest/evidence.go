package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
		HashMAC: "ab" + string(bytes.Repeat([]byte("0"), 62)), Size: 1 << 33, Type: "image/jpeg", NameSealed: []byte{0, 1, 2, 255}}
	if err := s.CreateEvidence(ctx, "zainab", e); err == nil {
		t.Fatal("evidence without its sealed SHA-256 was stored")
	}
	e.SHA256Sealed = []byte{7, 0, 7}
	if err := s.CreateEvidence(ctx, "zainab", e); err != nil {
		t.Fatal(err)
	}
	if e.ID == "" || e.CreatedAt.IsZero() || e.CreatedBy != "zainab" {
		t.Fatalf("CreateEvidence did not fill ID and meta: %+v", e)
	}
	other := &model.Evidence{ParentKind: store.KindPerson, ParentID: "p1", Blob: "ffff", HashMAC: "x", SHA256Sealed: []byte{8}, Type: "application/pdf", NameSealed: []byte{9}}
	if err := s.CreateEvidence(ctx, "omar", other); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEvidence(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Blob != e.Blob || got.HashMAC != e.HashMAC || !bytes.Equal(got.SHA256Sealed, e.SHA256Sealed) || got.Size != e.Size || got.Type != e.Type ||
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

// testKeyEvidenceHash: a row as rasd kept it before hashes were keyed
// (the plain SHA-256 in the row and its history) is converted in one
// transaction, its history keeping the digest of what it was; a row
// keyed already, or changed meanwhile, is a conflict. Before and after,
// verify passes; a change made since to the row, or to what the
// conversion left in the history, is named.
func testKeyEvidenceHash(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	plain := "cb834b3774f50a01d1a3867b1fb7a3e15a9d690ff29749cfa8f605427901ffdf"
	e := &model.Evidence{ParentKind: store.KindIncident, ParentID: inc.ID, Blob: "0123456789abcdef0123456789abcdef",
		HashMAC: "unused", SHA256Sealed: []byte{1}, Size: 10, Type: "image/jpeg", NameSealed: []byte{2}}
	if err := s.CreateEvidence(ctx, "zainab", e); err != nil {
		t.Fatal(err)
	}
	// As an older rasd kept it: the plain hash in its row, and in its
	// version under the name it had then, recorded so in the audit log.
	h, err := s.History(ctx, store.KindEvidence, e.ID)
	if err != nil || len(h) != 1 {
		t.Fatalf("history: %+v, %v", h, err)
	}
	old := strings.Replace(string(h[0].Snapshot), `"sha256_hmac":"unused"`, `"sha256":"`+plain+`"`, 1)
	if old == string(h[0].Snapshot) {
		t.Fatalf("the control failed: no keyed hash in %s", old)
	}
	exec(t, o.SQL, rebind(s, `UPDATE evidence SET sha256 = ?, sha256_sealed = NULL WHERE id = ?`), plain, e.ID)
	KeepAsWritten(t, o, store.KindEvidence, e.ID, 1, old)
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("the row as an older rasd kept it: %v", err)
	}
	if err := s.KeyEvidenceHash(ctx, "cli", e.ID, "something else", "mac", []byte{3}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("keying with a plain hash the row does not hold: %v", err)
	}
	mac := strings.Repeat("ef", 32)
	if err := s.KeyEvidenceHash(ctx, "cli", e.ID, plain, mac, []byte{4, 5}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEvidence(ctx, e.ID)
	if err != nil || got.HashMAC != mac || !bytes.Equal(got.SHA256Sealed, []byte{4, 5}) {
		t.Fatalf("after keying: %+v, %v", got, err)
	}
	h, err = s.History(ctx, store.KindEvidence, e.ID)
	if err != nil || len(h) != 1 {
		t.Fatalf("history: %+v, %v", h, err)
	}
	var snap map[string]any
	json.Unmarshal(h[0].Snapshot, &snap)
	sum := sha256.Sum256([]byte(old))
	if snap["sha256"] != nil || snap["sha256_hmac"] != mac || snap["scrubbed_sha256"] != hex.EncodeToString(sum[:]) ||
		strings.Contains(string(h[0].Snapshot), plain) {
		t.Errorf("the keyed version: %s", h[0].Snapshot)
	}
	if !lastAudit(t, ctx, s, "cli", "purge:history", e.ID) {
		t.Error("no purge:history audit entry")
	}
	if err := s.KeyEvidenceHash(ctx, "cli", e.ID, mac, mac, []byte{6}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("keying again: %v", err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("after keying: %v", err)
	}
	// The conversion's audit entry covers what it left, snapshots and
	// changes: a change written into the converted version is named.
	var changes string
	if err := o.SQL.QueryRow(rebind(s, `SELECT changes FROM versions WHERE kind = 'evidence' AND record_id = ?`), e.ID).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	setChanges := func(c string) {
		exec(t, o.SQL, rebind(s, `UPDATE versions SET changes = ? WHERE kind = 'evidence' AND record_id = ?`), c, e.ID)
	}
	setChanges(`[{"field":"type","old":"application/pdf","new":"image/jpeg"}]`)
	var re *store.RecordError
	if _, err := store.VerifyAudit(ctx, s, AuditKey); !errors.As(err, &re) || re.ID != e.ID || !re.History {
		t.Errorf("a change written into the keyed version: %v, want its history named", err)
	}
	setChanges(changes)
	// The row is compared with the version as the conversion left it.
	exec(t, o.SQL, rebind(s, `UPDATE evidence SET type = 'application/pdf' WHERE id = ?`), e.ID)
	if _, err := store.VerifyAudit(ctx, s, AuditKey); !errors.As(err, &re) || re.ID != e.ID || re.History {
		t.Errorf("the keyed row edited: %v, want the row named", err)
	}
	exec(t, o.SQL, rebind(s, `UPDATE evidence SET type = 'image/jpeg' WHERE id = ?`), e.ID)
}

// rebind writes q's placeholders as s's backend wants them.
func rebind(s store.Store, q string) string {
	if s.Backend() != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
