package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Restricted records keep their text sealed in the protection compartment
// (docs/keys.md, "Restricted records"). 'rasd show' and 'rasd search' open
// it only when --member is given on the command line: RASD_ACTOR alone
// names who writes, while reading sealed text is a deliberate act, each
// opening an audit entry.

// sealedWho says who opens sealed text from the command line, and how.
const sealedWho = "a member of the protection compartment; password from RASD_USER_PASSWORD or asked; " +
	"each opening is recorded in the audit log"

// memberOpensUsage is the help of --member for the commands that read.
const memberOpensUsage = "the `account` whose key opens restricted incidents' sealed text: " + sealedWho + "; RASD_ACTOR alone opens nothing"

// protectionMember opens the private key of name, who must be an enabled
// (see unlockUser) member of the protection compartment: membership is checked before the
// password is asked, and a refusal says what to do instead.
func protectionMember(ctx context.Context, io IO, st store.Store, name string) (keys.Identity, error) {
	u, err := userNamed(ctx, st, name, "give a member of the protection compartment with --member ('rasd keys list' shows them)")
	if err != nil {
		return keys.Identity{}, err
	}
	ok, err := keys.IsMember(ctx, st, model.CompartmentProtection, u.ID)
	if err != nil {
		return keys.Identity{}, err
	}
	if !ok {
		return keys.Identity{}, fmt.Errorf("%s is not a member of the protection compartment, whose key opens sealed text: "+
			"give a member with --member ('rasd keys list' shows them), or have one grant it "+
			"(rasd keys grant --member MEMBER --user %s --compartment protection)", name, name)
	}
	return unlockUser(ctx, io, st, u)
}

// openSummaries fills in the sealed summaries of restricted hits as actor
// when open is set (--member was given), each opening audited, before
// anything is printed; it returns the IDs of the hits left sealed.
func openSummaries(ctx context.Context, io IO, st store.Store, actor string, open bool, hits []store.IncidentHit) (map[string]bool, error) {
	sealed := map[string]bool{}
	for _, h := range hits {
		if h.Visibility != model.VisibilityRestricted {
			continue
		}
		ok, err := keys.Exists(ctx, st, store.KindIncident, h.ID, model.GroupRecord)
		if err != nil {
			return nil, err
		}
		if ok {
			sealed[h.ID] = true
		}
	}
	if !open || len(sealed) == 0 {
		return sealed, nil
	}
	by, err := protectionMember(ctx, io, st, actor)
	if err != nil {
		return nil, fmt.Errorf("%d matches are sealed and were not opened: %w", len(sealed), err)
	}
	defer by.Zero()
	opened := 0
	for i := range hits {
		h := &hits[i]
		if !sealed[h.ID] {
			continue
		}
		inc := model.Incident{ID: h.ID, Visibility: h.Visibility}
		if _, err := keys.OpenIncident(ctx, st, actor, by, &inc); err != nil {
			return nil, fmt.Errorf("%s: %w", h.Code, err)
		}
		h.SummaryEN, h.SummaryAR = inc.SummaryEN, inc.SummaryAR
		delete(sealed, h.ID)
		opened++
	}
	fmt.Fprintf(io.Stderr, "Sealed summaries opened with the key of %s: %d; each opening is recorded in the audit log.\n", actor, opened)
	return sealed, nil
}
