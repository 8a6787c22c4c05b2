package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	keysCommands["seal-records"] = command{"seal the text of restricted records stored before sealing existed (--as a member)", runSealRecords}
}

// runSealRecords seals the restricted incidents and persons whose text is
// still in their columns (stored before rasd sealed restricted records,
// or by 'rasd demo'): each is saved again, its text sealed in the
// protection compartment. Their earlier versions in the history are
// append-only and keep the text they had.
func runSealRecords(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "keys seal-records", "--as MEMBER")
	cfg.Register(fs)
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
	by, err := member(ctx, io, st, cfg.Actor)
	if err != nil {
		return err
	}
	defer by.Zero()
	nInc, nPer, incs, persons, err := sealStored(ctx, st, cfg.Actor, by)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Sealed %d restricted incidents and %d restricted persons (%d and %d were sealed already).\n"+
		"Their earlier versions in the history keep the text they had: the history is append-only.\n",
		nInc, nPer, incs-nInc, persons-nPer)
	return nil
}

// sealStored seals, as actor with the member key by, every restricted
// incident and person whose text is still in the clear; it says how many
// it sealed and how many restricted ones there are.
func sealStored(ctx context.Context, st store.Store, actor string, by keys.Identity) (nInc, nPer, nIncs, nPersons int, err error) {
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("%s: %w", actor, err)
	}
	defer rs.Close()
	restricted := store.Visible{Levels: []string{model.VisibilityRestricted}}
	var incs, persons []string
	for off := 0; ; off += 500 {
		page, _, err := st.ListIncidents(ctx, store.IncidentFilter{Visible: restricted, Sort: "code", Asc: true, Limit: 500, Offset: off})
		if err != nil {
			return 0, 0, 0, 0, err
		}
		for _, h := range page {
			incs = append(incs, h.ID)
		}
		if len(page) < 500 {
			break
		}
	}
	for off := 0; ; off += 500 {
		page, _, err := st.ListPersons(ctx, store.ListFilter{Visible: restricted, Limit: 500, Offset: off})
		if err != nil {
			return 0, 0, 0, 0, err
		}
		for _, p := range page {
			persons = append(persons, p.ID)
		}
		if len(page) < 500 {
			break
		}
	}
	for _, id := range incs {
		if ok, err := keys.Exists(ctx, st, store.KindIncident, id, model.GroupRecord); err != nil || ok {
			if err != nil {
				return 0, 0, 0, 0, err
			}
			continue
		}
		inc, err := st.GetIncident(ctx, id)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		if err := rs.Incident(inc); err != nil {
			return 0, 0, 0, 0, err
		}
		if err := st.UpdateIncident(ctx, actor, inc); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("incident %s: %w", inc.Code, err)
		}
		nInc++
	}
	for _, id := range persons {
		if ok, err := keys.Exists(ctx, st, store.KindPerson, id, model.GroupRecord); err != nil || ok {
			if err != nil {
				return 0, 0, 0, 0, err
			}
			continue
		}
		p, err := st.GetPerson(ctx, id)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		if err := rs.Person(p); err != nil {
			return 0, 0, 0, 0, err
		}
		if err := st.UpdatePerson(ctx, actor, p); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("person %s: %w", id, err)
		}
		nPer++
	}
	return nInc, nPer, len(incs), len(persons), nil
}
