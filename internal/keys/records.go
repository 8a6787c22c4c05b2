package keys

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// CompartmentOf names the compartment whose key protects a field group.
func CompartmentOf(group string) (string, error) {
	switch group {
	case model.GroupPersonProtection, model.GroupRecord:
		return model.CompartmentProtection, nil
	case model.GroupSourceIdentity:
		return model.CompartmentSources, nil
	}
	return "", fmt.Errorf("no field group %q", group)
}

func boxAD(kind, id, group string) []byte { return ad("rasd sealed fields v1", kind, id, group) }

func dataKeyAD(compartment string, version int, kind, id, group string) []byte {
	return ad("rasd data key v1", compartment, strconv.Itoa(version), kind, id, group)
}

// sealWith seals plain under a new data key wrapped to compartment key
// (version v).
func sealWith(key []byte, compartment string, v int, kind, id, group string, plain []byte) model.Sealed {
	dk := newKey()
	defer clear(dk)
	return model.Sealed{Kind: kind, RecordID: id, Group: group, Compartment: compartment, KeyVersion: v,
		WrappedKey: seal(key, dk, dataKeyAD(compartment, v, kind, id, group)),
		Box:        seal(dk, plain, boxAD(kind, id, group))}
}

// OpenWithKey opens a sealed group with an already unwrapped compartment
// key (from CompartmentKey or RecoveryUnwrap), without an audit entry:
// for tools that must prove what a key does or does not open.
func OpenWithKey(key []byte, r *model.Sealed) ([]byte, error) { return openWith(key, r) }

// openWith opens a sealed group with its compartment key.
func openWith(key []byte, r *model.Sealed) ([]byte, error) {
	dk, err := open(key, r.WrappedKey, dataKeyAD(r.Compartment, r.KeyVersion, r.Kind, r.RecordID, r.Group))
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: data key: %w", r.Kind, r.RecordID, r.Group, err)
	}
	defer clear(dk)
	plain, err := open(dk, r.Box, boxAD(r.Kind, r.RecordID, r.Group))
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: fields: %w", r.Kind, r.RecordID, r.Group, err)
	}
	return plain, nil
}

// Seal stores v (e.g. a model.PersonProtection) as the record's sealed
// field group, under a new data key; by must be a member.
func Seal(ctx context.Context, st store.Store, actor string, by Identity, kind, id, group string, v any) error {
	compartment, err := CompartmentOf(group)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return err
	}
	defer clear(plain)
	for range 3 { // a rotation in between changes the version: seal again
		key, ver, _, err := by.open(ctx, st, compartment)
		if err != nil {
			return err
		}
		r := sealWith(key, compartment, ver, kind, id, group, plain)
		clear(key)
		if err = st.PutSealed(ctx, actor, &r); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return store.ErrConflict
}

// Exists reports whether the record has a sealed field group, without
// opening it: what a non-member may learn.
func Exists(ctx context.Context, st store.Keys, kind, id, group string) (bool, error) {
	_, err := st.GetSealed(ctx, kind, id, group)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Open reads the record's sealed field group into v, and appends an audit
// entry saying actor read it. found is false if the record has none.
func Open(ctx context.Context, st store.Store, actor string, by Identity, kind, id, group string, v any) (found bool, err error) {
	r, err := st.GetSealed(ctx, kind, id, group)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	key, ver, _, err := by.open(ctx, st, r.Compartment)
	if err != nil {
		return true, err
	}
	defer clear(key)
	if ver != r.KeyVersion {
		return true, fmt.Errorf("%s %s %s: sealed under key version %d, the compartment is at %d: reload", kind, id, group, r.KeyVersion, ver)
	}
	// The read is logged before anything is shown: no audit, no content.
	if err := st.LogRead(ctx, actor, kind, id, group); err != nil {
		return true, err
	}
	plain, err := openWith(key, r)
	if err != nil {
		return true, err
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, v); err != nil {
		return true, fmt.Errorf("%s %s %s: %w", kind, id, group, err)
	}
	return true, nil
}

// Destroy deletes a record's sealed field group and its data key.
func Destroy(ctx context.Context, st store.Keys, actor, kind, id, group string) error {
	return st.DeleteSealed(ctx, actor, kind, id, group)
}
