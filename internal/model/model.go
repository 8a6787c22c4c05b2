// Package model holds rasd's records: incidents, persons, organisations,
// sources and the pieces of information they gave. The types carry no
// storage or presentation logic; codes refer to the vocabularies in
// package vocab.
package model

import "time"

// Visibility decides who may see a record.
const (
	VisibilityPublic     = "public"
	VisibilityInternal   = "internal"
	VisibilityRestricted = "restricted"
)

// Meta is the bookkeeping every stored record carries.
type Meta struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

// Date is a possibly imprecise date: Start is the first day the event may
// have happened, End the last (equal to Start for a known day). Precision
// says what is known; Estimated marks a date the documenter guessed
// (HURIDOCS MT48 "Estimate").
type Date struct {
	Start     string `json:"start"` // YYYY-MM-DD
	End       string `json:"end,omitempty"`
	Precision string `json:"precision"` // vocab date_precision
	Estimated bool   `json:"estimated,omitempty"`
}

// Place is where an incident happened. Admin1 is the governorate code
// (ISO 3166-2, e.g. IQ-BG).
type Place struct {
	Country      string   `json:"country"` // ISO 3166-1 alpha-2
	Admin1       string   `json:"admin1"`
	District     string   `json:"district,omitempty"`
	Locality     string   `json:"locality,omitempty"`
	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	GeoPrecision string   `json:"geo_precision,omitempty"` // vocab geo_precision
	// Derived: rasd found Admin1 (and District, if it was empty) from
	// Lat/Lon in the embedded boundaries; nobody wrote them.
	Derived bool `json:"derived,omitempty"`
}

// Perpetrator is who is believed to have done it.
type Perpetrator struct {
	Type          string `json:"type"` // vocab perpetrator_type
	Group         string `json:"group,omitempty"`
	ModusOperandi string `json:"modus_operandi,omitempty"`
}

// Victim links a person to an incident with what happened to them.
type Victim struct {
	PersonID string  `json:"person_id,omitempty"`
	Person   *Person `json:"person,omitempty"` // filled on read and accepted on write
	Role     string  `json:"role,omitempty"`   // vocab victim_role
	Outcome  string  `json:"outcome"`          // vocab outcome
}

// External keeps where an imported record came from, so that re-importing
// updates it, and the original values the mapping was made from.
type External struct {
	System   string            `json:"system"` // e.g. "acled"
	ID       string            `json:"id"`
	Original map[string]string `json:"original,omitempty"`
}

// Incident is what happened: one event, with its victims.
type Incident struct {
	ID           string        `json:"id"`
	Code         string        `json:"code"` // readable, e.g. IQ-2019-0042
	Type         string        `json:"type"` // vocab incident_type
	Date         Date          `json:"date"`
	Place        Place         `json:"place"`
	Perpetrators []Perpetrator `json:"perpetrators,omitempty"`
	Victims      []Victim      `json:"victims,omitempty"`
	Fatalities   int           `json:"fatalities"`
	SummaryEN    string        `json:"summary_en,omitempty"`
	SummaryAR    string        `json:"summary_ar,omitempty"`
	NarrativeEN  string        `json:"narrative_en,omitempty"`
	NarrativeAR  string        `json:"narrative_ar,omitempty"`
	Verification string        `json:"verification"` // vocab verification_status
	MotiveLink   string        `json:"motive_link,omitempty"`
	Visibility   string        `json:"visibility"`
	Consent      bool          `json:"consent"` // publication consent
	Tags         []string      `json:"tags,omitempty"`
	MergedInto   string        `json:"merged_into,omitempty"` // duplicate of this incident ID
	External     *External     `json:"external,omitempty"`

	SealedText `json:"-"` // a restricted incident's sealed text, on its way to the store
	Meta
}

// Person is an individual who appears in the records.
type Person struct {
	ID           string   `json:"id"`
	NameAR       string   `json:"name_ar,omitempty"`    // Arabic script
	NameLatin    string   `json:"name_latin,omitempty"` // Latin script
	Aliases      []string `json:"aliases,omitempty"`
	Gender       string   `json:"gender,omitempty"` // vocab gender
	BirthYear    int      `json:"birth_year,omitempty"`
	Roles        []string `json:"roles,omitempty"` // vocab victim_role
	Affiliations []string `json:"affiliations,omitempty"`
	HomeAdmin1   string   `json:"home_admin1,omitempty"`
	Status       string   `json:"status,omitempty"`        // vocab person_status
	DateOfDeath  string   `json:"date_of_death,omitempty"` // YYYY-MM-DD, for status deceased
	RiskLevel    string   `json:"risk_level,omitempty"`    // vocab risk_level
	Visibility   string   `json:"visibility"`
	Consent      bool     `json:"consent"` // consent to publish the name

	SealedText `json:"-"` // a restricted person's sealed names, on its way to the store
	Meta
}

// Organisation is an NGO, media outlet, armed group, party or state body.
type Organisation struct {
	ID         string     `json:"id"`
	NameAR     string     `json:"name_ar,omitempty"`
	NameEN     string     `json:"name_en,omitempty"`
	Kind       string     `json:"kind"`   // vocab organisation_kind
	Status     string     `json:"status"` // vocab organisation_status
	Notes      string     `json:"notes,omitempty"`
	Visibility string     `json:"visibility"`
	SealedText `json:"-"` // a restricted organisation's sealed names and notes, on its way to the store
	Meta
}

// Source is who told us. Who they are is sealed in the sources
// compartment (SourceIdentity); the label is a handle, sealed too when the
// source told us about a restricted incident.
type Source struct {
	ID          string `json:"id"`
	Type        string `json:"type"`        // vocab source_type
	Reliability string `json:"reliability"` // A–F (Admiralty scale)
	Label       string `json:"label"`       // non-identifying handle, e.g. "S-014"
	// Sealed: the source told us about a restricted incident, and its
	// label is sealed with that incident's text (SourceText; Label is
	// empty until a member opens it).
	Sealed bool `json:"-"`
	Meta
}

// Information is one piece of information a source gave about an incident.
type Information struct {
	ID          string `json:"id"`
	IncidentID  string `json:"incident_id"`
	SourceID    string `json:"source_id"`
	Credibility int    `json:"credibility"` // 1–6
	ObtainedOn  string `json:"obtained_on,omitempty"`
	Summary     string `json:"summary,omitempty"`
	// Sealed: the incident is restricted and the summary sealed with its
	// text (InformationText; Summary is empty until a member opens it).
	Sealed bool `json:"-"`
	// Key is a protection member's key, on its way to the store: needed
	// to add information with text about a restricted incident.
	Key RecordKey `json:"-"`
	Meta
}

// Grade is the Admiralty pair, e.g. "B2".
func (i Information) Grade(s Source) string {
	if s.Reliability == "" || i.Credibility == 0 {
		return ""
	}
	return s.Reliability + string(rune('0'+i.Credibility))
}
