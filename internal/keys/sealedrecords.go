package keys

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Restricted records (docs/keys.md, "Restricted records"): the
// identifying free text of an incident, person or organisation whose
// visibility is "restricted" is sealed as the record's field group "record" in the
// protection compartment; its columns keep only the structured fields
// that counting and lists need.

// IncidentText is the sealed part of a restricted incident.
type IncidentText struct {
	SummaryEN    string            `json:"summary_en,omitempty"`
	SummaryAR    string            `json:"summary_ar,omitempty"`
	NarrativeEN  string            `json:"narrative_en,omitempty"`
	NarrativeAR  string            `json:"narrative_ar,omitempty"`
	Locality     string            `json:"locality,omitempty"`
	Lat          *float64          `json:"lat,omitempty"`
	Lon          *float64          `json:"lon,omitempty"`
	Perpetrators []PerpetratorText `json:"perpetrators,omitempty"` // by position
	Tags         []string          `json:"tags,omitempty"`
	Original     map[string]string `json:"original,omitempty"` // External.Original
}

// PerpetratorText is a perpetrator's free text; its type stays in the clear.
type PerpetratorText struct {
	Group         string `json:"group,omitempty"`
	ModusOperandi string `json:"modus_operandi,omitempty"`
}

// ErrRestrictedNeedsKey is returned when a restricted record is written
// without a member's key.
var ErrRestrictedNeedsKey = errors.New("a restricted record's text is sealed in the protection compartment: write it as a member of that compartment")

// takeIncidentText moves the sealed part out of inc, leaving its columns empty.
func takeIncidentText(inc *model.Incident) IncidentText {
	t := IncidentText{SummaryEN: inc.SummaryEN, SummaryAR: inc.SummaryAR, NarrativeEN: inc.NarrativeEN,
		NarrativeAR: inc.NarrativeAR, Locality: inc.Place.Locality, Lat: inc.Place.Lat, Lon: inc.Place.Lon, Tags: inc.Tags}
	inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR = "", "", "", ""
	inc.Place.Locality, inc.Place.Lat, inc.Place.Lon, inc.Tags = "", nil, nil, nil
	for i := range inc.Perpetrators {
		p := &inc.Perpetrators[i]
		t.Perpetrators = append(t.Perpetrators, PerpetratorText{Group: p.Group, ModusOperandi: p.ModusOperandi})
		p.Group, p.ModusOperandi = "", ""
	}
	if inc.External != nil && inc.External.Original != nil {
		t.Original = inc.External.Original
		e := *inc.External
		e.Original = nil
		inc.External = &e
	}
	return t
}

// PutIncidentText puts sealed text back into inc (after Open).
func PutIncidentText(inc *model.Incident, t IncidentText) {
	inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR = t.SummaryEN, t.SummaryAR, t.NarrativeEN, t.NarrativeAR
	inc.Place.Locality, inc.Place.Lat, inc.Place.Lon, inc.Tags = t.Locality, t.Lat, t.Lon, t.Tags
	for i := range inc.Perpetrators {
		if i < len(t.Perpetrators) {
			inc.Perpetrators[i].Group, inc.Perpetrators[i].ModusOperandi = t.Perpetrators[i].Group, t.Perpetrators[i].ModusOperandi
		}
	}
	if t.Original != nil {
		e := model.External{Original: t.Original}
		if inc.External != nil {
			e.System, e.ID = inc.External.System, inc.External.ID
		}
		inc.External = &e
	}
}

// Restricted reports whether writing inc needs a RecordSealer: it, or a
// person it creates inline, is restricted.
func Restricted(inc *model.Incident) bool {
	if inc.Visibility == model.VisibilityRestricted {
		return true
	}
	for _, v := range inc.Victims {
		if v.Person != nil && v.Person.Visibility == model.VisibilityRestricted {
			return true
		}
	}
	return false
}

// RecordSealer seals restricted records' text with the protection
// compartment key a member opened. Close it when the write is done.
type RecordSealer struct {
	key     []byte
	version int
	plain   [][]byte // overwritten by Close
}

// NewRecordSealer opens the protection compartment key with by.
func NewRecordSealer(ctx context.Context, st store.Keys, by Identity) (*RecordSealer, error) {
	key, v, _, err := by.open(ctx, st, model.CompartmentProtection)
	if err != nil {
		return nil, err
	}
	return &RecordSealer{key: key, version: v}, nil
}

// Close overwrites the compartment key.
func (s *RecordSealer) Close() {
	if s != nil {
		clear(s.key)
		s.key = nil
		for _, p := range s.plain {
			clear(p)
		}
		s.plain = nil
	}
}

// sealer seals v for the ID the store gives the record. When the stored
// group already holds the same text under the current key, it is kept:
// re-importing an unchanged record changes nothing.
func (s *RecordSealer) sealer(kind string, v any) (func(string, *model.Sealed) (*model.Sealed, error), error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s.plain = append(s.plain, plain)
	// The store may call it again when it retries its transaction.
	return func(id string, stored *model.Sealed) (*model.Sealed, error) {
		if s == nil || s.key == nil {
			return nil, fmt.Errorf("%s %s: %w", kind, id, ErrRestrictedNeedsKey)
		}
		if stored != nil && stored.Compartment == model.CompartmentProtection && stored.KeyVersion == s.version &&
			stored.Kind == kind && stored.RecordID == id && stored.Group == model.GroupRecord {
			old, err := openWith(s.key, stored)
			same := err == nil && sameText(old, plain)
			clear(old)
			if same {
				return stored, nil
			}
		}
		r := sealWith(s.key, model.CompartmentProtection, s.version, kind, id, model.GroupRecord, plain)
		return &r, nil
	}, nil
}

// SealRecord implements model.RecordKey: it seals v as the record group
// of kind/id under the compartment key s holds.
func (s *RecordSealer) SealRecord(kind, id string, v any) (*model.Sealed, error) {
	if s == nil || s.key == nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, ErrRestrictedNeedsKey)
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	r := sealWith(s.key, model.CompartmentProtection, s.version, kind, id, model.GroupRecord, plain)
	return &r, nil
}

// OpenRecord implements model.RecordKey: it opens a record group sealed
// under the key version s holds into v. The store calls it to move text
// back into the columns (nothing is shown), so it writes no read entry.
func (s *RecordSealer) OpenRecord(r *model.Sealed, v any) error {
	if s == nil || s.key == nil {
		return ErrRestrictedNeedsKey
	}
	if r.Compartment != model.CompartmentProtection || r.Group != model.GroupRecord {
		return fmt.Errorf("%s %s %s: not a record group of the protection compartment", r.Kind, r.RecordID, r.Group)
	}
	if r.KeyVersion != s.version {
		return fmt.Errorf("%s %s: sealed under key version %d, the compartment is at %d: %w", r.Kind, r.RecordID, r.KeyVersion, s.version, store.ErrConflict)
	}
	plain, err := openWith(s.key, r)
	if err != nil {
		return err
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%s %s: %w", r.Kind, r.RecordID, err)
	}
	return nil
}

// Incident prepares inc (and the persons it creates inline) for the
// store: a restricted one has its text taken out of the columns and
// sealed when the store writes it. s may be nil (no member's key):
// then a restricted record is refused with ErrRestrictedNeedsKey.
func (s *RecordSealer) Incident(inc *model.Incident) error {
	for i := range inc.Victims { // persons written inline; the store only links the others
		if p := inc.Victims[i].Person; p != nil && p.ID == "" && inc.Victims[i].PersonID == "" {
			if err := s.Person(p); err != nil {
				return fmt.Errorf("victims[%d].person: %w", i, err)
			}
		}
	}
	inc.Seal, inc.Unseal, inc.Key = nil, s != nil, nil
	if s != nil {
		inc.Key = s // what its sources said is sealed and unsealed with it
	}
	if inc.Visibility != model.VisibilityRestricted {
		return nil
	}
	if s == nil {
		return ErrRestrictedNeedsKey
	}
	var err error
	inc.Seal, err = s.sealer(store.KindIncident, takeIncidentText(inc))
	return err
}

// Person prepares p for the store, as Incident.
func (s *RecordSealer) Person(p *model.Person) error { return SealRecord(s, kinds.Person, p) }

// Organisation prepares o for the store, as Incident.
func (s *RecordSealer) Organisation(o *model.Organisation) error {
	return SealRecord(s, kinds.Organisation, o)
}

// OpenIncident fills a restricted incident's sealed text in, appending
// an audit entry as Open does. found is false for a record without
// sealed text (not restricted, or stored before sealing existed).
func OpenIncident(ctx context.Context, st store.Store, actor string, by Identity, inc *model.Incident) (found bool, err error) {
	if inc.Visibility != model.VisibilityRestricted {
		return false, nil
	}
	var t IncidentText
	if found, err = Open(ctx, st, actor, by, store.KindIncident, inc.ID, model.GroupRecord, &t); found && err == nil {
		PutIncidentText(inc, t)
	}
	return found, err
}

// OpenPerson fills a restricted person's sealed text in, as OpenIncident.
func OpenPerson(ctx context.Context, st store.Store, actor string, by Identity, p *model.Person) (bool, error) {
	return OpenRecord(ctx, st, actor, by, kinds.Person, p)
}

// OpenOrganisation fills a restricted organisation's sealed text in, as OpenIncident.
func OpenOrganisation(ctx context.Context, st store.Store, actor string, by Identity, o *model.Organisation) (bool, error) {
	return OpenRecord(ctx, st, actor, by, kinds.Organisation, o)
}
