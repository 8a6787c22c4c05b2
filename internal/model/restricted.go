package model

import "time"

// Compartments group restricted fields; each has its own key, wrapped to
// its members (package keys).
const (
	CompartmentSources    = "sources"    // source identities and contacts
	CompartmentProtection = "protection" // persons' contacts, whereabouts, relocation, protection notes
)

// Compartments lists every compartment.
var Compartments = []string{CompartmentSources, CompartmentProtection}

// MemberRecovery is the member name of the organisation recovery key.
const MemberRecovery = "recovery"

// Field groups: the restricted part of a record, sealed as one.
const (
	GroupPersonProtection = "protection" // a person's PersonProtection
	GroupSourceIdentity   = "identity"   // a source's SourceIdentity
	// GroupRecord is the identifying text of a restricted incident,
	// person or organisation (keys.IncidentText, the Sealed fields of
	// package kinds), and of what sources said about a restricted incident
	// (InformationText, SourceText), sealed in the protection
	// compartment; the record's columns keep only structured fields.
	GroupRecord = "record"
)

// Wrap is a compartment key encrypted to one member's public key (or the
// recovery key). Only the current version of a compartment has wraps.
type Wrap struct {
	Compartment string
	Version     int
	Member      string // a user ID, or MemberRecovery
	Wrapped     []byte
	CreatedAt   time.Time
	CreatedBy   string
}

// Sealed is the restricted field group of one record: Box is the fields
// encrypted under a random data key, WrappedKey that data key encrypted
// under version KeyVersion of the compartment key. The store keeps only
// these bytes; package keys makes and opens them.
type Sealed struct {
	Kind, RecordID, Group string
	Compartment           string
	KeyVersion            int
	WrappedKey            []byte
	Box                   []byte
	UpdatedAt             time.Time
	UpdatedBy             string
}

// PersonProtection is what only the protection compartment reads about a
// person. It is never stored in the clear nor kept in the history.
type PersonProtection struct {
	Contacts    string `json:"contacts,omitempty"`    // phones, messengers, e-mail
	Whereabouts string `json:"whereabouts,omitempty"` // where they are now
	Relocation  string `json:"relocation,omitempty"`  // relocation details
	Notes       string `json:"notes,omitempty"`       // protection notes
}

// SourceIdentity is who a source is and how to reach them: only the
// sources compartment reads it.
type SourceIdentity struct {
	Name     string `json:"name,omitempty"`
	Contacts string `json:"contacts,omitempty"`
}

// SealedText is how a restricted incident's or person's text reaches the
// store sealed (docs/keys.md, "Restricted records"); never serialised.
type SealedText struct {
	// Seal, set by package keys when it took the text out of the
	// record's columns, seals that text for the record's ID, or returns
	// stored (the group already stored) if that holds the same text. The
	// store calls it inside the transaction that writes the record.
	Seal func(id string, stored *Sealed) (*Sealed, error)
	// Sealed is what the store wrote (or kept) for the record.
	Sealed *Sealed
	// Unseal says a member's key prepared the record (package keys): only
	// then may a sealed record stop being restricted, its text moving
	// into the columns and its sealed group destroyed.
	Unseal bool
	// Key is that member's key, for what sources said about an incident:
	// the store seals its information's summaries and its sources' labels
	// with it when the incident becomes restricted, and opens them back
	// into the columns when it stops being restricted.
	Key RecordKey
}

// RecordKey seals and opens restricted records' text (group GroupRecord)
// with the protection compartment key a member opened (package keys'
// RecordSealer). The store uses it for what is said about a restricted
// incident, whose rows it reads and writes itself.
type RecordKey interface {
	// SealRecord seals v as the record group of kind/id.
	SealRecord(kind, id string, v any) (*Sealed, error)
	// OpenRecord opens a record group into v.
	OpenRecord(s *Sealed, v any) error
}

// InformationText is the sealed part of information about a restricted
// incident.
type InformationText struct {
	Summary string `json:"summary,omitempty"`
}

// SourceText is the sealed part of a source that told us about a
// restricted incident.
type SourceText struct {
	Label string `json:"label,omitempty"`
}
