package keys

import (
	"context"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// An incident's page (web) and 'rasd show' open the same sealed groups:
// the incident's own text and the names of its restricted victims. may
// picks the victims the reader may see (nil: every victim).

// IncidentSealed reports whether inc, or one of its victims may allows,
// has sealed text, without opening any: what a non-member may learn.
func IncidentSealed(ctx context.Context, st store.Keys, inc *model.Incident, may func(*model.Person) bool) (bool, error) {
	if inc.Visibility == model.VisibilityRestricted {
		if ok, err := Exists(ctx, st, store.KindIncident, inc.ID, model.GroupRecord); ok || err != nil {
			return ok, err
		}
	}
	for _, p := range restrictedVictims(inc, may) {
		if ok, err := Exists(ctx, st, store.KindPerson, p.ID, model.GroupRecord); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// OpenIncidentAll fills in inc's sealed text and the sealed names of the
// victims may allows, each opening an audit entry written before
// decryption (as Open). opened counts the groups opened; on an error
// some may have been opened (and audited) already.
func OpenIncidentAll(ctx context.Context, st store.Store, actor string, by Identity, inc *model.Incident, may func(*model.Person) bool) (opened int, err error) {
	found, err := OpenIncident(ctx, st, actor, by, inc)
	if err != nil {
		return 0, err
	}
	if found {
		opened++
	}
	for _, p := range restrictedVictims(inc, may) {
		if found, err = OpenPerson(ctx, st, actor, by, p); err != nil {
			return opened, err
		}
		if found {
			opened++
		}
	}
	return opened, nil
}

func restrictedVictims(inc *model.Incident, may func(*model.Person) bool) []*model.Person {
	var out []*model.Person
	for _, v := range inc.Victims {
		if p := v.Person; p != nil && p.Visibility == model.VisibilityRestricted && (may == nil || may(p)) {
			out = append(out, p)
		}
	}
	return out
}
