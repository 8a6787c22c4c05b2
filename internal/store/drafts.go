package store

import (
	"context"

	"github.com/rasd-project/rasd/internal/model"
)

// Drafts stores what one accepted news report adds (docs/extract.md,
// "Accepting a draft"): all of it in one transaction, or nothing.
type Drafts interface {
	// CreateDraft stores d.Incident (its victims' new persons with it),
	// d.Source with d.Said (their IncidentID and SourceID filled in), then
	// d.Records in order. Any failure, a Link's too, leaves the store as
	// it was.
	CreateDraft(ctx context.Context, actor string, d *Draft) error
}

// Draft is an accepted draft: an incident, the report as its source, what
// the report said, and records of other kinds that point at them.
type Draft struct {
	Incident *model.Incident
	Source   *model.Source
	Said     []model.Information
	Records  []DraftRecord
}

// DraftRecord is a record of a kind of package kinds (Record is a pointer
// to it, checked and sealed as its service's Save would), stored after the
// incident. Link, when set, points it at what the transaction has stored
// so far, before it is stored; its Ref fields are kept in the clear, so a
// sealed record may be linked then.
type DraftRecord struct {
	Kind   string
	Record any
	Link   func(ids DraftIDs) error
	// Close, when set, clears the key the record is sealed with: call it
	// once the draft is stored or refused (Draft.Close).
	Close func()
}

// Close closes every record's sealing key.
func (d *Draft) Close() {
	for _, r := range d.Records {
		if r.Close != nil {
			r.Close()
		}
	}
}

// DraftIDs are the IDs a draft's transaction has given so far.
type DraftIDs struct {
	Incident string
	Persons  []string // the incident's victims' persons, in the incident's order
	Records  []string // the Records stored before, in order
}
