package model

// The records of people at risk (docs/protection.md). Every one is kept in
// the protection compartment: restricted, its identifying and locating
// text sealed, known to exist only to the compartment's members.

// Threat is one threat made against one or more persons.
type Threat struct {
	ID              string   `json:"id"`
	OccurredOn      string   `json:"occurred_on"`    // YYYY-MM-DD
	DatePrecision   string   `json:"date_precision"` // vocab date_precision
	Delivery        string   `json:"delivery"`       // vocab threat_delivery
	PerpetratorType string   `json:"perpetrator_type,omitempty"`
	Actor           string   `json:"actor,omitempty"` // who made it, as known (sealed)
	Persons         []string `json:"persons"`         // person IDs (sealed)
	Said            string   `json:"said,omitempty"`  // what was said (sealed)
	Severity        string   `json:"severity"`        // vocab threat_severity
	Admin1          string   `json:"admin1,omitempty"`
	Source          string   `json:"source,omitempty"` // who reported it (sealed)
	Reliability     string   `json:"reliability,omitempty"`
	Credibility     string   `json:"credibility,omitempty"`
	Incidents       []string `json:"incidents,omitempty"` // incidents it preceded
	Visibility      string   `json:"visibility"`
	SealedText      `json:"-"`
	Meta
}

// HitList is a document naming people as targets; its entries are
// HitListEntry records.
type HitList struct {
	ID         string   `json:"id"`
	Title      string   `json:"name"`                  // sealed
	Issuer     string   `json:"issuer,omitempty"`      // claimed issuer (sealed)
	Obtained   string   `json:"obtained,omitempty"`    // how it was obtained (sealed)
	ObtainedOn string   `json:"obtained_on,omitempty"` // YYYY-MM-DD
	AppearedOn string   `json:"appeared_on"`           // when it appeared: outcomes count from it
	Evidence   []string `json:"evidence,omitempty"`    // evidence file IDs
	Visibility string   `json:"visibility"`
	SealedText `json:"-"`
	Meta
}

// HitListEntry is one name on a hit list, in the list's order.
type HitListEntry struct {
	ID         string `json:"id"`
	List       string `json:"list_id"`
	Seq        int    `json:"seq"`              // its place on the list, from 1
	Written    string `json:"name_written"`     // the name as the list writes it (sealed)
	Person     string `json:"person,omitempty"` // sealed
	Visibility string `json:"visibility"`
	SealedText `json:"-"`
	Meta
}

// ProtectionCase is a person at risk and what is done for them.
type ProtectionCase struct {
	ID            string `json:"id"`
	Code          string `json:"code"`       // readable, never naming anyone: PC-…
	Person        string `json:"person"`     // sealed
	RiskLevel     string `json:"risk_level"` // vocab risk_level, the latest assessment's
	Status        string `json:"status"`     // vocab case_status
	Caseworker    string `json:"caseworker,omitempty"`
	OpenedOn      string `json:"opened_on"`
	CheckInEvery  int    `json:"checkin_every"`            // days
	ScheduleSince string `json:"schedule_since,omitempty"` // the day the schedule was last set
	LastCheckIn   string `json:"last_checkin,omitempty"`   // the latest check-in's day
	Notes         string `json:"notes,omitempty"`          // sealed
	Visibility    string `json:"visibility"`
	SealedText    `json:"-"`
	Meta
}

// Assessment is one dated assessment of a case's risk.
type Assessment struct {
	ID         string `json:"id"`
	Case       string `json:"case_id"`
	AssessedOn string `json:"assessed_on"`
	RiskLevel  string `json:"risk_level"`
	Assessor   string `json:"assessor,omitempty"`
	Reason     string `json:"reason,omitempty"` // sealed
	Visibility string `json:"visibility"`
	SealedText `json:"-"`
	Meta
}

// Measure is one protection measure taken for a case.
type Measure struct {
	ID         string `json:"id"`
	Case       string `json:"case_id"`
	Measure    string `json:"measure"` // vocab protection_measure
	Status     string `json:"status"`  // vocab measure_status
	StartedOn  string `json:"started_on,omitempty"`
	EndedOn    string `json:"ended_on,omitempty"`
	Note       string `json:"note,omitempty"` // sealed
	Visibility string `json:"visibility"`
	SealedText `json:"-"`
	Meta
}

// Move is where a case's person went and how to reach them there: the
// latest is where they are now. All of it is sealed but the day.
type Move struct {
	ID         string   `json:"id"`
	Case       string   `json:"case_id"`
	MovedOn    string   `json:"moved_on"`
	City       string   `json:"city"`              // sealed
	Country    string   `json:"country,omitempty"` // sealed
	Contacts   []string `json:"contacts,omitempty"`
	Note       string   `json:"note,omitempty"` // sealed
	Visibility string   `json:"visibility"`
	SealedText `json:"-"`
	Meta
}

// CheckIn is one contact with the person of a case.
type CheckIn struct {
	ID         string `json:"id"`
	Case       string `json:"case_id"`
	CheckedOn  string `json:"checked_on"`
	CheckedBy  string `json:"checked_by,omitempty"`
	Channel    string `json:"channel,omitempty"` // vocab checkin_channel
	Result     string `json:"result"`            // vocab checkin_result
	Note       string `json:"note,omitempty"`    // sealed
	Visibility string `json:"visibility"`
	SealedText `json:"-"`
	Meta
}
