package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	keysCommands["seal-records"] = command{"seal the text of restricted records stored in the clear, and purge it from their history (--member a member)", runSealRecords}
}

// runSealRecords seals the restricted incidents, persons and
// organisations whose text is still in their columns (stored before rasd
// sealed restricted records, or by 'rasd demo'): each is saved again, its
// text sealed in the protection compartment and purged from its earlier
// versions in the history. Records sealed already have their history
// purged too (sealed before sealing purged it). What sources said about
// restricted incidents (labels, summaries) stored in the clear before
// rasd sealed it is sealed and purged the same way.
func runSealRecords(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "keys seal-records", "--member MEMBER")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", "the `account` whose key seals: a member of the protection compartment")
	readsEnv(fs, "RASD_USER_PASSWORD")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected %q", ErrUsage, pos[0])
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	by, err := member(ctx, io, st, cfg.Member)
	if err != nil {
		return err
	}
	defer by.Zero()
	n, err := sealStored(ctx, st, cfg.Actor, by)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Sealed %d restricted incidents, %d restricted persons and %d restricted organisations"+
		" (%d, %d and %d were sealed already), and %d labels and summaries of what sources said about restricted incidents.\n"+
		"Sealed the persons that %d protection cases, threats and hit-list entries named in the clear (stored before migration 0037).\n"+
		"Their text is gone from their earlier versions in the history (also purged now from %d records sealed before).\n"+
		"Backups made before keep it: replace them (docs/keys.md, \"History\").\n",
		n.sealed[0], n.sealed[1], n.sealed[2], n.all[0]-n.sealed[0], n.all[1]-n.sealed[1], n.all[2]-n.sealed[2], n.said, n.links, n.purged)
	return nil
}

// sealCounts are, for incidents, persons and organisations in that order,
// how many sealStored sealed and how many restricted ones there are; of
// those sealed already, how many had their history purged; and how many
// sources' labels and information summaries it sealed.
type sealCounts struct {
	sealed, all [3]int
	purged      int
	said        int
	links       int // cases, threats and list entries whose persons it sealed
}

// sealStored seals, as actor with the member key by, every restricted
// incident, person and organisation whose text is still in the clear, and
// what sources said about restricted incidents, and purges the history of
// those sealed already.
func sealStored(ctx context.Context, st store.Store, actor string, by keys.Identity) (n sealCounts, err error) {
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if err != nil {
		return n, fmt.Errorf("%s: %w", actor, err)
	}
	defer rs.Close()
	restricted := store.Visible{Levels: []string{model.VisibilityRestricted}}
	list := func(off int) store.ListFilter {
		return store.ListFilter{Visible: restricted, Limit: idPage, Offset: off}
	}
	incs := incidents.New(st, nil)
	pages := [3]func(off int) ([]string, error){
		func(off int) ([]string, error) {
			page, _, err := incs.List(ctx, incidents.Operator, store.IncidentFilter{Sort: "code", Asc: true, Limit: idPage, Offset: off},
				model.VisibilityRestricted)
			return mapIDs(page, func(h store.IncidentHit) string { return h.ID }), err
		},
		func(off int) ([]string, error) {
			page, _, err := st.Persons().List(ctx, list(off))
			return mapIDs(page, func(p model.Person) string { return p.ID }), err
		},
		func(off int) ([]string, error) {
			page, _, err := st.Organisations().List(ctx, list(off))
			return mapIDs(page, func(o model.Organisation) string { return o.ID }), err
		},
	}
	var ids [3][]string
	for i, page := range pages {
		if ids[i], err = allIDs(page); err != nil {
			return n, err
		}
	}
	kinds := [3]string{store.KindIncident, store.KindPerson, store.KindOrganisation}
	for i, kind := range kinds {
		n.all[i] = len(ids[i])
		for _, id := range ids[i] {
			if ok, err := keys.Exists(ctx, st, kind, id, model.GroupRecord); err != nil || ok {
				if err != nil {
					return n, err
				}
				k, err := st.PurgeHistory(ctx, actor, kind, id)
				if err != nil {
					return n, fmt.Errorf("%s %s: purge its history: %w", kind, id, err)
				}
				if k > 0 {
					n.purged++
				}
				continue
			}
			if err := sealOne(ctx, st, incs, rs, actor, kind, id); err != nil {
				return n, err
			}
			n.sealed[i]++
		}
	}
	// Sealing an incident above sealed what its sources said; an incident
	// sealed before that existed still has it in the clear.
	for _, id := range ids[0] {
		k, err := st.SealInformation(ctx, actor, id, rs)
		if err != nil {
			return n, fmt.Errorf("incident %s: what its sources said: %w", id, err)
		}
		n.said += k
	}
	// The persons that cases, threats and list entries named in the clear
	// before they were sealed (migration 0037, docs/protection.md).
	if n.links, err = protection.New(st, nil).SealLinks(ctx, actor, rs); err != nil {
		return n, err
	}
	// The words of texts sealed now, or sealed one by one since the last
	// run (on the web), leave the search index's pages.
	if err := st.CompactSearch(ctx); err != nil {
		return n, err
	}
	return n, nil
}

// sealOne saves the record kind/id again, its text sealed by rs.
func sealOne(ctx context.Context, st store.Store, incs *incidents.Service, rs *keys.RecordSealer, actor, kind, id string) error {
	switch kind {
	case store.KindIncident:
		return incs.Seal(ctx, actor, id, rs)
	case store.KindPerson:
		return people.New(st, time.Now).Persons.Reseal(ctx, actor, id, rs)
	default:
		return people.New(st, time.Now).Organisations.Reseal(ctx, actor, id, rs)
	}
}

// idPage is how many records sealStored lists at a time.
const idPage = 500

// allIDs collects the IDs of every page that page returns, from offset 0
// until a short page.
func allIDs(page func(off int) ([]string, error)) ([]string, error) {
	var out []string
	for off := 0; ; off += idPage {
		ids, err := page(off)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
		if len(ids) < idPage {
			return out, nil
		}
	}
}

func mapIDs[T any](page []T, id func(T) string) []string {
	out := make([]string, len(page))
	for i, r := range page {
		out[i] = id(r)
	}
	return out
}
