package keys

import (
	"context"
	"slices"

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

// What sources said about a restricted incident — its information's
// summaries, their sources' labels — is sealed with its text (the store
// marks each with Sealed). The incident's page and 'rasd show' open them
// with the incident's own text.

// InformationSealed reports whether one of infos or srcs (by ID) holds
// sealed text, without opening any: what a non-member may learn.
func InformationSealed(infos []model.Information, srcs map[string]*model.Source) bool {
	for _, in := range infos {
		if in.Sealed {
			return true
		}
	}
	for _, s := range srcs {
		if s.Sealed {
			return true
		}
	}
	return false
}

// OpenInformation fills in the sealed summaries of infos and labels of
// srcs, each opening an audit entry written before decryption (as Open).
// opened counts the groups opened; on an error some may have been opened
// (and audited) already.
func OpenInformation(ctx context.Context, st store.Store, actor string, by Identity, infos []model.Information, srcs map[string]*model.Source) (opened int, err error) {
	for i := range infos {
		if !infos[i].Sealed {
			continue
		}
		var t model.InformationText
		if _, err := Open(ctx, st, actor, by, store.KindInformation, infos[i].ID, model.GroupRecord, &t); err != nil {
			return opened, err
		}
		infos[i].Summary = t.Summary
		opened++
	}
	ids := make([]string, 0, len(srcs))
	for id := range srcs {
		ids = append(ids, id)
	}
	slices.Sort(ids) // one order for the audit log
	for _, id := range ids {
		s := srcs[id]
		if !s.Sealed {
			continue
		}
		var t model.SourceText
		if _, err := Open(ctx, st, actor, by, store.KindSource, s.ID, model.GroupRecord, &t); err != nil {
			return opened, err
		}
		s.Label = t.Label
		opened++
	}
	return opened, nil
}
