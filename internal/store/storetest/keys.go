package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// FastKDF makes sealing users' keys cheap in this test binary (the costs
// are stored with each sealed key, so opening is unaffected).
func FastKDF(t testing.TB) { kdf.LowerForTests() }

// KeyUser creates an account with a key pair sealed under password.
func KeyUser(t testing.TB, ctx context.Context, s store.Store, name, role, password string) *model.User {
	t.Helper()
	u := &model.User{Username: name, Role: role, Lang: "en", PasswordHash: "$argon2id$test"}
	if err := keys.NewUserKey(u, password); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, "admin", u); err != nil {
		t.Fatal(err)
	}
	return u
}

// FirstMember makes a protection officer with a key pair, makes them the
// first member of the protection compartment (which creates its key) and
// returns their account and unsealed key.
func FirstMember(t testing.TB, ctx context.Context, s store.Store, name, password string) (*model.User, keys.Identity) {
	t.Helper()
	u := KeyUser(t, ctx, s, name, model.RoleProtection, password)
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, model.CompartmentProtection, u); err != nil {
		t.Fatal(err)
	}
	return u, Identity(t, ctx, s, u, password)
}

// Identity unseals u's key with password.
func Identity(t testing.TB, ctx context.Context, s store.Store, u *model.User, password string) keys.Identity {
	t.Helper()
	fresh, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := keys.Unseal(fresh, password)
	if err != nil {
		t.Fatalf("unseal %s: %v", u.Username, err)
	}
	return keys.UserIdentity(fresh, priv)
}

func wrapOf(t *testing.T, ctx context.Context, s store.Store, compartment, member string) *model.Wrap {
	_, wraps, err := s.Compartment(ctx, compartment)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range wraps {
		if w.Member == member {
			return &w
		}
	}
	return nil
}

// testKeysStore checks the store's side: versions, conflicts, deletion.
func testKeysStore(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	if _, _, err := s.Compartment(ctx, model.CompartmentSources); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown compartment: %v", err)
	}
	w := model.Wrap{Compartment: model.CompartmentSources, Version: 2, Member: "u1", Wrapped: []byte("w")}
	if err := s.PutWrap(ctx, "a", w); err == nil {
		t.Error("a compartment was created at version 2")
	}
	w.Version = 1
	if err := s.PutWrap(ctx, "a", w); err != nil {
		t.Fatal(err)
	}
	r := model.Sealed{Kind: store.KindSource, RecordID: "s1", Group: model.GroupSourceIdentity,
		Compartment: model.CompartmentSources, KeyVersion: 2, WrappedKey: []byte("k"), Box: []byte("b")}
	if err := s.PutSealed(ctx, "a", &r); !errors.Is(err, store.ErrConflict) {
		t.Errorf("sealed under a version that does not exist: %v", err)
	}
	r.KeyVersion = 1
	if err := s.PutSealed(ctx, "a", &r); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSealed(ctx, store.KindSource, "s1", model.GroupSourceIdentity)
	if err != nil || !bytes.Equal(got.Box, r.Box) || got.KeyVersion != 1 || got.UpdatedBy != "a" {
		t.Fatalf("GetSealed = %+v, %v", got, err)
	}
	// Rotation must cover exactly the compartment's records.
	next := model.Wrap{Compartment: model.CompartmentSources, Version: 2, Member: "u1", Wrapped: []byte("w2")}
	if err := s.RotateCompartment(ctx, "a", model.CompartmentSources, 1, []model.Wrap{next}, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("rotation that forgot a record: %v", err)
	}
	r2 := r
	r2.KeyVersion, r2.Box = 2, []byte("b2")
	if err := s.RotateCompartment(ctx, "a", model.CompartmentSources, 1, []model.Wrap{next}, []model.Sealed{r2}); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateCompartment(ctx, "a", model.CompartmentSources, 1, []model.Wrap{next}, []model.Sealed{r2}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second rotation from the same version: %v", err)
	}
	v, wraps, _ := s.Compartment(ctx, model.CompartmentSources)
	got, _ = s.GetSealed(ctx, store.KindSource, "s1", model.GroupSourceIdentity)
	if v != 2 || len(wraps) != 1 || string(wraps[0].Wrapped) != "w2" || string(got.Box) != "b2" || got.KeyVersion != 2 {
		t.Errorf("after rotation: v%d %+v %+v", v, wraps, got)
	}
	// The recovery key: replacing it drops the wraps to the old one.
	if _, err := s.RecoveryKey(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecoveryKey before any: %v", err)
	}
	s.SetRecoveryKey(ctx, "a", []byte("pub1"))
	s.PutWrap(ctx, "a", model.Wrap{Compartment: model.CompartmentSources, Version: 2, Member: model.MemberRecovery, Wrapped: []byte("r")})
	if err := s.SetRecoveryKey(ctx, "a", []byte("pub2")); err != nil {
		t.Fatal(err)
	}
	if pub, _ := s.RecoveryKey(ctx); string(pub) != "pub2" || wrapOf(t, ctx, s, model.CompartmentSources, model.MemberRecovery) != nil {
		t.Errorf("recovery key %q, or a wrap to the old key survived", pub)
	}
	if list, err := s.ListSealed(ctx, model.CompartmentSources); err != nil || len(list) != 1 {
		t.Errorf("ListSealed = %d, %v", len(list), err)
	}
	countSealed(t, ctx, s, 1)
	if err := s.DeleteSealed(ctx, "a", store.KindSource, "s1", model.GroupSourceIdentity); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSealed(ctx, store.KindSource, "s1", model.GroupSourceIdentity); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if n := count(t, o.SQL, "sealed_fields"); n != 0 {
		t.Errorf("%d sealed rows after delete: the data key survived", n)
	}
	countSealed(t, ctx, s, 0)
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Error(err)
	}
}

// countSealed checks CountSealed: sources holds want records, protection
// (never created) none.
func countSealed(t *testing.T, ctx context.Context, s store.Store, want int) {
	t.Helper()
	for c, w := range map[string]int{model.CompartmentSources: want, model.CompartmentProtection: 0} {
		if n, err := s.CountSealed(ctx, c); err != nil || n != w {
			t.Errorf("CountSealed(%s) = %d, %v; want %d", c, n, err, w)
		}
	}
}

// testKeyTamper: an administrator who can write to the database but has
// no keyring swaps in public keys and wraps they could control; the store
// refuses them instead of letting a grant wrap a compartment key to them.
func testKeyTamper(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	alice := KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	bob := KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	_, recPub, _ := keys.NewRecoveryKey()
	s.SetRecoveryKey(ctx, "admin", recPub)
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, model.CompartmentSources, alice); err != nil {
		t.Fatal(err)
	}
	a := Identity(t, ctx, s, alice, "alice password 1")
	if err := keys.Grant(ctx, s, "alice", a, model.CompartmentSources, bob); err != nil {
		t.Fatal(err)
	}
	integrity := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "integrity") {
			t.Errorf("%s: %v, want an integrity error", what, err)
		}
	}
	exec(t, o.SQL, `UPDATE compartment_keys SET wrapped = (SELECT wrapped FROM compartment_keys WHERE member = '`+bob.ID+`') WHERE member = '`+alice.ID+`'`)
	_, _, err := s.Compartment(ctx, model.CompartmentSources)
	integrity("a wrap swapped between members", err)
	exec(t, o.SQL, `UPDATE recovery_key SET public_key = (SELECT public_key FROM users WHERE id = '`+bob.ID+`')`)
	_, err = s.RecoveryKey(ctx)
	integrity("a recovery key swapped for a member's", err)
	exec(t, o.SQL, `UPDATE users SET sealed_key = (SELECT sealed_key FROM users WHERE id = '`+alice.ID+`') WHERE id = '`+bob.ID+`'`)
	_, err = s.GetUser(ctx, bob.ID)
	integrity("a user's sealed key swapped", err)
	exec(t, o.SQL, `UPDATE users SET public_key = (SELECT public_key FROM users WHERE id = '`+bob.ID+`') WHERE id = '`+alice.ID+`'`)
	_, err = s.GetUser(ctx, alice.ID)
	integrity("a user's public key swapped", err)
}
