package keys

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// errNoCompartment says a compartment was never granted to anyone.
var errNoCompartment = errors.New("the compartment has no key yet: grant it to its first member ('rasd keys grant')")

// ErrNotMember is returned when an identity holds no wrap of a compartment.
var ErrNotMember = errors.New("not a member of this compartment: a member must grant it first ('rasd keys grant')")

// Identity is who opens compartment keys: a signed-in user with their
// unsealed private key, or the organisation recovery key.
type Identity struct {
	Member string // a user ID, or model.MemberRecovery
	priv   []byte
}

// UserIdentity is u holding the private key Unseal gave.
func UserIdentity(u *model.User, priv []byte) Identity { return Identity{Member: u.ID, priv: priv} }

// RecoveryIdentity is the organisation recovery private key (32 bytes,
// X25519), e.g. as 'rasd keys recover' rebuilt it from its shares.
func RecoveryIdentity(priv []byte) Identity {
	return Identity{Member: model.MemberRecovery, priv: priv}
}

// Zero overwrites the private key the identity holds.
func (id Identity) Zero() { clear(id.priv) }

// NewRecoveryKey makes an organisation recovery key pair. Keep the private
// key only as shares; give the public key to SetRecoveryKey.
func NewRecoveryKey() (priv, pub []byte, err error) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	return k.Bytes(), k.PublicKey().Bytes(), nil
}

func wrapAD(compartment string, version int, member string) []byte {
	return ad("rasd compartment key v1", compartment, strconv.Itoa(version), member)
}

func checkCompartment(name string) error {
	if !slices.Contains(model.Compartments, name) {
		return fmt.Errorf("no compartment %q: use one of %v", name, model.Compartments)
	}
	return nil
}

// open unwraps the compartment's current key with id.
func (id Identity) open(ctx context.Context, st store.Keys, compartment string) ([]byte, int, []model.Wrap, error) {
	v, wraps, err := st.Compartment(ctx, compartment)
	if errors.Is(err, store.ErrNotFound) {
		return nil, 0, nil, fmt.Errorf("compartment %s: %w", compartment, errNoCompartment)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	i := slices.IndexFunc(wraps, func(w model.Wrap) bool { return w.Member == id.Member })
	if i < 0 || len(id.priv) == 0 {
		return nil, 0, nil, fmt.Errorf("compartment %s: %w", compartment, ErrNotMember)
	}
	priv, err := ecdh.X25519().NewPrivateKey(id.priv)
	if err != nil {
		return nil, 0, nil, err
	}
	key, err := unwrapWith(priv, wraps[i].Wrapped, wrapAD(compartment, v, id.Member))
	if err != nil {
		return nil, 0, nil, fmt.Errorf("compartment %s key of %s: %w", compartment, id.Member, err)
	}
	return key, v, wraps, nil
}

// IsMember reports whether the user holds a wrap of the compartment.
func IsMember(ctx context.Context, st store.Keys, compartment, userID string) (bool, error) {
	_, wraps, err := st.Compartment(ctx, compartment)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return slices.ContainsFunc(wraps, func(w model.Wrap) bool { return w.Member == userID }), err
}

// wrapFor wraps a compartment key to a member's public key.
func wrapFor(compartment string, version int, member string, pub, key []byte, actor string) (model.Wrap, error) {
	b, err := wrapTo(pub, key, wrapAD(compartment, version, member))
	if err != nil {
		return model.Wrap{}, fmt.Errorf("wrap %s to %s: %w", compartment, member, err)
	}
	return model.Wrap{Compartment: compartment, Version: version, Member: member, Wrapped: b, CreatedBy: actor}, nil
}

// Grant makes user to a member of compartment. by must be a member (or
// the recovery key), except for the very first grant, which creates the
// compartment's key. The recovery key, if configured and not yet holding
// a wrap, gets one too.
func Grant(ctx context.Context, st store.Store, actor string, by Identity, compartment string, to *model.User) error {
	if err := checkCompartment(compartment); err != nil {
		return err
	}
	key, v, wraps, err := by.openOrCreate(ctx, st, compartment)
	if err != nil {
		return err
	}
	defer clear(key)
	return GrantWithKey(ctx, st, actor, compartment, key, v, to, wraps)
}

// openOrCreate is open, or a new key at version 1 if the compartment was
// never granted.
func (id Identity) openOrCreate(ctx context.Context, st store.Keys, compartment string) ([]byte, int, []model.Wrap, error) {
	key, v, wraps, err := id.open(ctx, st, compartment)
	if errors.Is(err, errNoCompartment) {
		return newKey(), 1, nil, nil
	}
	return key, v, wraps, err
}

// GrantWithKey wraps an already opened compartment key (version v) to
// user to, and to the recovery key if it has no wrap among have. Use it
// after RecoveryUnwrap to re-grant compartments to a new administrator.
func GrantWithKey(ctx context.Context, st store.Store, actor, compartment string, key []byte, v int, to *model.User, have []model.Wrap) error {
	ws, err := grantWraps(ctx, st, actor, compartment, key, v, to, have)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if err := st.PutWrap(ctx, actor, w); err != nil {
			return err
		}
	}
	return nil
}

// grantWraps makes the wraps GrantWithKey stores.
func grantWraps(ctx context.Context, st store.Keys, actor, compartment string, key []byte, v int, to *model.User, have []model.Wrap) ([]model.Wrap, error) {
	if len(to.PublicKey) == 0 {
		return nil, fmt.Errorf("%s: %w", to.Username, ErrNoUserKey)
	}
	w, err := wrapFor(compartment, v, to.ID, to.PublicKey, key, actor)
	if err != nil {
		return nil, err
	}
	pub, err := st.RecoveryKey(ctx)
	if errors.Is(err, store.ErrNotFound) || slices.ContainsFunc(have, func(w model.Wrap) bool { return w.Member == model.MemberRecovery }) {
		return []model.Wrap{w}, nil
	}
	if err != nil {
		return nil, err
	}
	rw, err := wrapFor(compartment, v, model.MemberRecovery, pub, key, actor)
	if err != nil {
		return nil, err
	}
	return []model.Wrap{w, rw}, nil
}

// CompartmentKey opens a compartment's current key with id; clear the key
// when done.
func CompartmentKey(ctx context.Context, st store.Keys, by Identity, compartment string) (key []byte, version int, err error) {
	key, version, _, err = by.open(ctx, st, compartment)
	return key, version, err
}

// RecoveryUnwrap opens a compartment's current key with the recovery
// private key; clear the key when done.
func RecoveryUnwrap(ctx context.Context, st store.Keys, recoveryPriv []byte, compartment string) (key []byte, version int, err error) {
	key, version, _, err = RecoveryIdentity(recoveryPriv).open(ctx, st, compartment)
	return key, version, err
}

// RecoveryGrants makes the wraps that grant user to every compartment
// (each as Grant does with the recovery key), for store.Keys.LogRecovery
// to store in one transaction. Compartments the recovery key cannot open
// (made before it and not granted since) are in skipped, with why.
func RecoveryGrants(ctx context.Context, st store.Keys, recoveryPriv []byte, actor string, to *model.User) (grants []model.Wrap, skipped map[string]error, err error) {
	skipped = map[string]error{}
	for _, c := range model.Compartments {
		key, v, have, err := RecoveryIdentity(recoveryPriv).openOrCreate(ctx, st, c)
		if err != nil {
			skipped[c] = err
			continue
		}
		ws, err := grantWraps(ctx, st, actor, c, key, v, to, have)
		clear(key)
		if err != nil {
			return nil, nil, err
		}
		grants = append(grants, ws...)
	}
	return grants, skipped, nil
}
