package protection

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// The records of people at risk a news report tells of, prepared for an
// accepted draft (docs/extract.md, "Accepting a draft"): checked and sealed
// as Save checks and seals them, for members of the compartment only, and
// stored with the draft's incident in one transaction.

// ReportThreat prepares a threat from form f, about the draft's incident,
// against the draft's victim number victim (from 0), or, with victim < 0,
// against the persons f names.
func (s *Service) ReportThreat(ctx context.Context, u *model.User, f record.Form, victim int, seal records.Sealer) (store.DraftRecord, record.Errors, error) {
	var later []string
	if victim >= 0 {
		later = []string{"persons"}
	}
	return s.Threats.Draft(ctx, u, f, seal, func(t *model.Threat, ids store.DraftIDs) error {
		if victim >= 0 {
			if victim >= len(ids.Persons) {
				return fmt.Errorf("threat: the draft has no victim %d", victim+1)
			}
			if !slices.Contains(t.Persons, ids.Persons[victim]) {
				t.Persons = append(t.Persons, ids.Persons[victim])
			}
		}
		t.Incidents = append(t.Incidents, ids.Incident)
		return nil
	}, later...)
}

// ReportList prepares a hit list from form f and an entry for each name
// written on it, in order: the list first, its entries after it.
func (s *Service) ReportList(ctx context.Context, u *model.User, f record.Form, names []string, seal records.Sealer) ([]store.DraftRecord, record.Errors, error) {
	l, errs, err := s.Lists.Draft(ctx, u, f, seal, nil)
	if err != nil || len(errs) > 0 {
		return nil, errs, err
	}
	list := l.Record.(*model.HitList)
	out := []store.DraftRecord{l}
	for i, name := range names {
		ef := record.Form{Values: url.Values{"name_written": {name}, "seq": {strconv.Itoa(i + 1)}}}
		e, errs, err := s.Entries.Draft(ctx, u, ef, seal, func(e *model.HitListEntry, _ store.DraftIDs) error {
			e.List = list.ID // stored before it, in the same transaction
			return nil
		}, "list_id")
		if err != nil || len(errs) > 0 {
			(&store.Draft{Records: out}).Close()
			return nil, prefixed(errs, fmt.Sprintf("names[%d].", i)), err
		}
		out = append(out, e)
	}
	return out, nil, nil
}

// prefixed names an entry's refused fields after its place on the list.
func prefixed(errs record.Errors, prefix string) record.Errors {
	out := record.Errors{}
	for k, v := range errs {
		out[prefix+k] = v
	}
	return out
}
