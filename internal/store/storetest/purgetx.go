package storetest

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSealPurgeRollsBack: the purge is part of the sealing transaction.
// A seal that fails after it (the compartment was rotated meanwhile)
// leaves the history exactly as it was, and no audit entry.
func testSealPurgeRollsBack(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	r := plantClear(t, ctx, s)
	rs := memberSealer(t, ctx, s)
	before := versionRows(t, o.SQL)
	r.inc.Visibility, r.inc.Victims[0].Person = model.VisibilityRestricted, nil
	if err := rs.Incident(&r.inc); err != nil {
		t.Fatal(err)
	}
	seal := r.inc.Seal
	r.inc.Seal = func(id string, stored *model.Sealed) (*model.Sealed, error) {
		sd, err := seal(id, stored)
		if err != nil {
			return nil, err
		}
		stale := *sd
		stale.KeyVersion++ // as if sealed under a key rotated since
		return &stale, nil
	}
	if err := s.UpdateIncident(ctx, "rana", &r.inc); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("sealing under a stale key version: %v, want ErrConflict", err)
	}
	if after := versionRows(t, o.SQL); !reflect.DeepEqual(before, after) {
		t.Errorf("a failed seal changed the history:\nbefore %v\nafter  %v", before, after)
	}
	if n := versionDigests(t, ctx, s)["purge:history/"+r.inc.ID]; n != "" {
		t.Errorf("a failed seal left a purge:history entry by %q", n)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify: %v", err)
	}
	// Tried again with the current key, it seals and purges.
	inc, err := s.GetIncident(ctx, r.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	inc.Visibility = model.VisibilityRestricted
	if err := rs.Incident(inc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", inc); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(ctx, store.KindIncident, inc.ID); len(h) != 3 || !h[1].Purged {
		t.Errorf("sealed on the second try: %d versions, v2 purged %v", len(h), len(h) > 1 && h[1].Purged)
	}
}

// testPurgeHistoryOfSealed: a record sealed before sealing purged the
// history (simulated by putting the old rows back) is purged by
// PurgeHistory; a record without sealed text is refused.
func testPurgeHistoryOfSealed(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	r := plantClear(t, ctx, s)
	before := versionRows(t, o.SQL)
	r.seal(t, ctx, s, memberSealer(t, ctx, s))
	q := `UPDATE versions SET snapshot = ?, changes = ? WHERE kind = ? AND record_id = ? AND version = ?`
	if s.Backend() == "postgres" {
		q = `UPDATE versions SET snapshot = $1, changes = $2 WHERE kind = $3 AND record_id = $4 AND version = $5`
	}
	for _, v := range before {
		if _, err := o.SQL.Exec(q, v[3], v[4], v[0], v[1], v[2]); err != nil {
			t.Fatal(err)
		}
	}
	if len(HistoryCanaries(t, o.SQL)) == 0 {
		t.Fatal("the control failed: the old rows put back hold no canary")
	}
	for kind, id := range r.ids() {
		if n, err := s.PurgeHistory(ctx, "rana", kind, id); n != 2 || err != nil {
			t.Errorf("purge the %s's history: %d versions, %v; want 2", kind, n, err)
		}
	}
	for _, bad := range HistoryCanaries(t, o.SQL) {
		t.Errorf("after PurgeHistory, the versions table holds %s", bad)
	}
	other := model.Organisation{NameEN: "Open Org", Kind: "ngo", Status: "active"}
	if err := s.Organisations().Create(ctx, "doc", &other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeHistory(ctx, "rana", store.KindOrganisation, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purge a record without sealed text: %v, want ErrNotFound", err)
	}
	if _, err := s.PurgeHistory(ctx, "rana", store.KindSource, other.ID); err == nil {
		t.Error("purge a source: no error")
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify: %v", err)
	}
}

// versionRows is the whole versions table: kind, record_id, version,
// snapshot, changes per row, in order.
func versionRows(t *testing.T, db *sql.DB) [][5]any {
	t.Helper()
	rows, err := db.Query(`SELECT kind, record_id, version, snapshot, changes FROM versions ORDER BY kind, record_id, version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][5]any
	for rows.Next() {
		var kind, id, snap, changes string
		var v int
		if err := rows.Scan(&kind, &id, &v, &snap, &changes); err != nil {
			t.Fatal(err)
		}
		out = append(out, [5]any{kind, id, v, snap, changes})
	}
	return out
}
