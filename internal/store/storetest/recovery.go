package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testLogRecovery: every use of the recovery key is an audit entry,
// written together with the grants it makes, or not at all.
func testLogRecovery(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	prot := model.CompartmentProtection
	alice := KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	dave := KeyUser(t, ctx, s, "dave", model.RoleAdmin, "dave password 1")
	// sources is made before the recovery key exists, so it holds no wrap.
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, model.CompartmentSources, alice); err != nil {
		t.Fatal(err)
	}
	recPriv, recPub, err := keys.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryKey(ctx, "admin", recPub); err != nil {
		t.Fatal(err)
	}
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, prot, alice); err != nil {
		t.Fatal(err)
	}

	// Without grants, the use alone is logged.
	if err := s.LogRecovery(ctx, "operator", nil); err != nil {
		t.Fatal(err)
	}
	if got := lastEntries(t, ctx, s, 1); got[0] != [4]string{"operator", "recover:keys", "recovery-key", ""} {
		t.Errorf("audit entry = %v, want the recovery by operator", got)
	}

	grants, skipped, err := keys.RecoveryGrants(ctx, s, recPriv, "operator", dave)
	if err != nil || len(grants) != 1 || grants[0].Compartment != prot || !errors.Is(skipped[model.CompartmentSources], keys.ErrNotMember) {
		t.Fatalf("RecoveryGrants = %+v, %v, %v; want protection granted, sources skipped", grants, skipped, err)
	}
	// A grant that fails takes the entry with it.
	before := state(t, o)
	stale := grants[0]
	stale.Version++
	if err := s.LogRecovery(ctx, "operator", []model.Wrap{stale}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale grant: err = %v, want ErrConflict", err)
	}
	if after := state(t, o); after != before {
		t.Errorf("a refused recovery changed the store:\nbefore %s\nafter  %s", before, after)
	}

	if err := s.LogRecovery(ctx, "operator", grants); err != nil {
		t.Fatal(err)
	}
	want := [][4]string{{"operator", "recover:keys", "recovery-key", prot}, {"operator", "grant", "compartment:" + prot, dave.ID}}
	if got := lastEntries(t, ctx, s, 2); got[0] != want[0] || got[1] != want[1] {
		t.Errorf("audit entries = %v, want %v", got, want)
	}
	if _, _, err := keys.CompartmentKey(ctx, s, Identity(t, ctx, s, dave, "dave password 1"), prot); err != nil {
		t.Errorf("the recovered grant does not open: %v", err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Error(err)
	}
}

// lastEntries returns the last n audit entries' actor, action, kind and
// record, oldest first.
func lastEntries(t *testing.T, ctx context.Context, s store.Store, n int) [][4]string {
	t.Helper()
	var all [][4]string
	if err := s.AuditEntries(ctx, func(e audit.Entry) error {
		all = append(all, [4]string{e.Actor, e.Action, e.Kind, e.RecordID})
		return nil
	}); err != nil || len(all) < n {
		t.Fatalf("audit entries: %d, %v", len(all), err)
	}
	return all[len(all)-n:]
}
