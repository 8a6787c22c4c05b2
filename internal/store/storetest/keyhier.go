package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testKeyHierarchy runs the key hierarchy end to end on the backend:
// grant, seal, open, a non-member's refusal, revocation against a member
// who kept everything, password change and reset, recovery.
func testKeyHierarchy(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	prot, grp := model.CompartmentProtection, model.GroupPersonProtection
	alice := KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	bob := KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	carol := KeyUser(t, ctx, s, "carol", model.RoleAnalyst, "carol password 1")
	recPriv, recPub, err := keys.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryKey(ctx, "admin", recPub); err != nil {
		t.Fatal(err)
	}
	a := Identity(t, ctx, s, alice, "alice password 1")
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, prot, alice); err != nil {
		t.Fatalf("first grant creates the compartment: %v", err)
	}
	if err := keys.Grant(ctx, s, "carol", Identity(t, ctx, s, carol, "carol password 1"), prot, carol); !errors.Is(err, keys.ErrNotMember) {
		t.Errorf("a non-member granted herself: %v", err)
	}
	if err := keys.Grant(ctx, s, "alice", a, prot, bob); err != nil {
		t.Fatal(err)
	}
	if wrapOf(t, ctx, s, prot, model.MemberRecovery) == nil {
		t.Error("the recovery key holds no wrap")
	}
	p := model.Person{NameLatin: "Protected Person"}
	if err := s.Persons().Create(ctx, "alice", &p); err != nil {
		t.Fatal(err)
	}
	secret := model.PersonProtection{Contacts: "+964 770 555 0199", Whereabouts: "Erbil", Relocation: "Amman, flat 4", Notes: "threatened twice"}
	if err := keys.Seal(ctx, s, "alice", a, store.KindPerson, p.ID, grp, secret); err != nil {
		t.Fatal(err)
	}
	var got model.PersonProtection
	b := Identity(t, ctx, s, bob, "bob password 12")
	if found, err := keys.Open(ctx, s, "bob", b, store.KindPerson, p.ID, grp, &got); err != nil || !found || got != secret {
		t.Fatalf("member reads %+v, %v, %v", got, found, err)
	}
	if !lastAudit(t, ctx, s, "bob", "read:"+grp, p.ID) {
		t.Error("the read left no audit entry")
	}
	c := Identity(t, ctx, s, carol, "carol password 1")
	if _, err := keys.Open(ctx, s, "carol", c, store.KindPerson, p.ID, grp, &got); !errors.Is(err, keys.ErrNotMember) {
		t.Errorf("non-member: %v", err)
	}

	// A DBA's view: the sealed row is ciphertext.
	row, _ := s.GetSealed(ctx, store.KindPerson, p.ID, grp)
	for _, part := range [][]byte{row.Box, row.WrappedKey} {
		if bytes.Contains(part, []byte("Amman")) || bytes.Contains(part, []byte("0199")) {
			t.Fatal("plaintext in the sealed row")
		}
	}

	// Flip one byte of each ciphertext: an error, never content.
	flip := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }
	k, v, err := keys.CompartmentKey(ctx, s, a, prot)
	if err != nil || v != 1 {
		t.Fatal(v, err)
	}
	for name, r := range map[string]model.Sealed{
		"box":          {Kind: row.Kind, RecordID: row.RecordID, Group: row.Group, Compartment: prot, KeyVersion: 1, WrappedKey: row.WrappedKey, Box: flip(row.Box, len(row.Box)/2)},
		"wrapped key":  {Kind: row.Kind, RecordID: row.RecordID, Group: row.Group, Compartment: prot, KeyVersion: 1, WrappedKey: flip(row.WrappedKey, 30), Box: row.Box},
		"other record": {Kind: row.Kind, RecordID: "someone-else", Group: row.Group, Compartment: prot, KeyVersion: 1, WrappedKey: row.WrappedKey, Box: row.Box},
	} {
		if plain, err := keys.OpenWithKey(k, &r); !errors.Is(err, keys.ErrDecrypt) || plain != nil {
			t.Errorf("%s flipped: %q, %v", name, plain, err)
		}
	}
	if plain, err := keys.OpenWithKey(k, row); err != nil || !strings.Contains(string(plain), "Amman") {
		t.Fatalf("unflipped: %v", err)
	}
	bw := wrapOf(t, ctx, s, prot, bob.ID)
	bob2 := *bob
	bob2.SealedKey = flip(bob.SealedKey, len(bob.SealedKey)-3)
	if _, err := keys.Unseal(&bob2, "bob password 12"); err == nil {
		t.Error("a flipped sealed user key opened")
	}
	if err := s.PutWrap(ctx, "dba", model.Wrap{Compartment: prot, Version: 1, Member: bob.ID, Wrapped: flip(bw.Wrapped, 40)}); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Open(ctx, s, "bob", b, store.KindPerson, p.ID, grp, &got); !errors.Is(err, keys.ErrDecrypt) {
		t.Errorf("flipped compartment wrap: %v", err)
	}
	s.PutWrap(ctx, "dba", *bw)

	// Bob keeps his compartment key, his wrap and his password, then is
	// revoked: nothing he holds opens the rotated records.
	oldKey, _, err := keys.CompartmentKey(ctx, s, b, prot)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Revoke(ctx, s, "alice", a, prot, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Open(ctx, s, "bob", Identity(t, ctx, s, bob, "bob password 12"), store.KindPerson, p.ID, grp, &got); !errors.Is(err, keys.ErrNotMember) {
		t.Errorf("revoked member: %v", err)
	}
	row2, _ := s.GetSealed(ctx, store.KindPerson, p.ID, grp)
	if plain, err := keys.OpenWithKey(oldKey, row2); err == nil {
		t.Errorf("the old compartment key opened a rotated record: %q", plain)
	}
	if row2.KeyVersion != 2 || bytes.Equal(row2.Box, row.Box) {
		t.Error("the record was not re-keyed")
	}
	s.PutWrap(ctx, "dba", model.Wrap{Compartment: prot, Version: 2, Member: bob.ID, Wrapped: bw.Wrapped}) // his old wrap, put back
	if _, err := keys.Open(ctx, s, "bob", b, store.KindPerson, p.ID, grp, &got); err == nil {
		t.Error("the revoked member's old wrap, put back, opened the rotated compartment")
	}
	if found, err := keys.Open(ctx, s, "alice", a, store.KindPerson, p.ID, grp, &got); err != nil || !found || got != secret {
		t.Fatalf("remaining member after rotation: %+v, %v", got, err)
	}

	// Password change re-seals; the old password no longer opens.
	cur, _ := s.GetUser(ctx, alice.ID)
	if err := keys.ChangePassword(cur, "alice password 1", "alice password 2"); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateUser(ctx, "alice", cur); err != nil {
		t.Fatal(err)
	}
	cur, _ = s.GetUser(ctx, alice.ID)
	if _, err := keys.Unseal(cur, "alice password 1"); !errors.Is(err, keys.ErrWrongPassword) {
		t.Errorf("old password after change: %v", err)
	}
	a2 := Identity(t, ctx, s, alice, "alice password 2")
	if _, err := keys.Open(ctx, s, "alice", a2, store.KindPerson, p.ID, grp, &got); err != nil {
		t.Errorf("grant lost on password change: %v", err)
	}

	// Recovery: the recovery key re-grants to a new administrator.
	dave := KeyUser(t, ctx, s, "dave", model.RoleAdmin, "dave password 1")
	rk, rv, err := keys.RecoveryUnwrap(ctx, s, recPriv, prot)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.GrantWithKey(ctx, s, "recovery", prot, rk, rv, dave, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Open(ctx, s, "dave", Identity(t, ctx, s, dave, "dave password 1"), store.KindPerson, p.ID, grp, &got); err != nil || got != secret {
		t.Errorf("recovered grant: %v", err)
	}

	// An admin reset gives a new key pair: the old grants are gone.
	cur, _ = s.GetUser(ctx, alice.ID)
	if err := keys.NewUserKey(cur, "alice password 3"); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateUser(ctx, "admin", cur); err != nil {
		t.Fatal(err)
	}
	if ok, _ := keys.IsMember(ctx, s, prot, alice.ID); ok {
		t.Error("a reset account kept its grant")
	}

	// Deleting the record deletes its sealed fields and data key.
	exec(t, o.SQL, `DELETE FROM persons WHERE id = '`+p.ID+`'`)
	if ok, _ := keys.Exists(ctx, s, store.KindPerson, p.ID, grp); ok {
		t.Error("the sealed fields outlived their record")
	}
	// rasd deletes no record itself: verify names this one.
	var re *store.RecordError
	if _, err := store.VerifyAudit(ctx, s, AuditKey); !errors.As(err, &re) || re.ID != p.ID {
		t.Errorf("VerifyAudit after a person's row was deleted: %v", err)
	}
}

func lastAudit(t *testing.T, ctx context.Context, s store.Store, actor, action, id string) bool {
	found := false
	s.AuditEntries(ctx, func(e audit.Entry) error {
		found = e.Actor == actor && e.Action == action && e.RecordID == id
		return nil
	})
	return found
}
