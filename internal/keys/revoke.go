package keys

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Revoke removes a member from a compartment by rotating its key: a new
// compartment key, wrapped to every remaining member and the recovery
// key, and every sealed record of the compartment re-keyed (new data key,
// sealed again, wrapped to the new compartment key), all in one
// transaction. The revoked member's wrap is gone, and nothing in the
// database opens with anything they held: a copy of the database and
// their old password give them ciphertext only. by must be a member (or
// the recovery key).
func Revoke(ctx context.Context, st store.Store, actor string, by Identity, compartment, userID string) error {
	if err := checkCompartment(compartment); err != nil {
		return err
	}
	for range 3 { // a write in between changes the version or the records: start again
		err := rotate(ctx, st, actor, by, compartment, userID)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("compartment %s kept changing during the revocation: run it again", compartment)
}

func rotate(ctx context.Context, st store.Store, actor string, by Identity, compartment, userID string) error {
	old, v, wraps, err := by.open(ctx, st, compartment)
	if err != nil {
		return err
	}
	defer clear(old)
	if !slices.ContainsFunc(wraps, func(w model.Wrap) bool { return w.Member == userID }) {
		return fmt.Errorf("%s is not a member of compartment %s", userID, compartment)
	}
	next := newKey()
	defer clear(next)
	var keep []model.Wrap
	members := []string{model.MemberRecovery} // the recovery key, if configured, always gets a wrap
	for _, w := range wraps {
		if w.Member != userID && w.Member != model.MemberRecovery {
			members = append(members, w.Member)
		}
	}
	for _, m := range members {
		var pub []byte
		if m == model.MemberRecovery {
			pub, err = st.RecoveryKey(ctx)
		} else {
			var u *model.User
			if u, err = st.GetUser(ctx, m); err == nil {
				pub = u.PublicKey
			}
		}
		// A member without a key (or gone) cannot hold a wrap; nor can one
		// whose account is refused as tampered: its public key is vouched
		// for by nobody, and failing here would let whoever forged it stop
		// every revocation.
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrTampered) || err == nil && len(pub) == 0 {
			continue
		}
		if err != nil {
			return err
		}
		nw, err := wrapFor(compartment, v+1, m, pub, next, actor)
		if err != nil {
			return err
		}
		keep = append(keep, nw)
	}
	if len(keep) == 0 {
		return fmt.Errorf("revoking the last holder of compartment %s would leave its records unreadable forever: grant it to someone else (or configure the recovery key) first", compartment)
	}
	recs, err := st.ListSealed(ctx, compartment)
	if err != nil {
		return err
	}
	for i := range recs {
		plain, err := openWith(old, &recs[i])
		if err != nil {
			return fmt.Errorf("revocation stopped, nothing changed: %w", err)
		}
		recs[i] = sealWith(next, compartment, v+1, recs[i].Kind, recs[i].RecordID, recs[i].Group, plain)
		clear(plain)
	}
	return st.RotateCompartment(ctx, actor, compartment, v, keep, recs)
}
