package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSealedRotated: revoking a member re-encrypts every sealed record of
// the compartment without a new version; verify allows that, and a
// version written after it, but not sealed text swapped outside rasd.
func testSealedRotated(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	r := plantClear(t, ctx, s)
	_, by := FirstMember(t, ctx, s, "rana", "rana password 1")
	rs, err := keys.NewRecordSealer(ctx, s, by)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rs.Close)
	r.seal(t, ctx, s, rs)
	bob := KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	if err := keys.Grant(ctx, s, "rana", by, model.CompartmentProtection, bob); err != nil {
		t.Fatal(err)
	}
	if err := keys.Revoke(ctx, s, "rana", by, model.CompartmentProtection, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("after the rotation: %v", err)
	}
	inc, err := s.GetIncident(ctx, r.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	inc.Fatalities = 3
	if err := s.UpdateIncident(ctx, "rana", inc); err != nil {
		t.Fatal(err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("after a version written since the rotation: %v", err)
	}
	// The person's sealed text put in the incident's place: both still
	// decrypt for nobody but a member, but the incident's is not its own.
	exec(t, o.SQL, `UPDATE sealed_fields SET box = (SELECT box FROM sealed_fields WHERE kind = 'person' AND field_group = 'record')
		WHERE kind = 'incident' AND field_group = 'record'`)
	var re *store.RecordError
	if _, err := store.VerifyAudit(ctx, s, AuditKey); !errors.As(err, &re) || re.ID != inc.ID || re.History {
		t.Errorf("sealed text swapped: %v, want the incident named", err)
	}
}
