package model

// Commitment is an official response to an attack: a statement, a
// committee, a promise to a family, with its deadline and what became of
// it (docs/counting.md, "Commitments and deadlines").
type Commitment struct {
	ID            string `json:"id"`
	AuthorityType string `json:"authority_type"` // vocab authority_type
	Authority     string `json:"authority"`      // its name: "the Prime Minister's office"
	MadeOn        string `json:"made_on"`        // YYYY-MM-DD
	Kind          string `json:"kind"`           // vocab commitment_kind
	PromiseAR     string `json:"promise_ar,omitempty"`
	PromiseEN     string `json:"promise_en,omitempty"`
	// The deadline: a day, or a duration from MadeOn ("3m"), not both.
	DeadlineDate     string   `json:"deadline_date,omitempty"`
	DeadlineDuration string   `json:"deadline_duration,omitempty"`
	Incidents        []string `json:"incidents,omitempty"` // incident IDs
	Persons          []string `json:"persons,omitempty"`   // person IDs
	Sources          []string `json:"sources,omitempty"`   // where it was said: a citation or address a line
	// StatusHistory is "YYYY-MM-DD status [note]" a line, oldest first.
	StatusHistory []string `json:"status_history,omitempty"`
	Visibility    string   `json:"visibility"`

	SealedText `json:"-"`
	Meta
}

// Committee is an investigative committee formed after an attack.
type Committee struct {
	ID         string   `json:"id"`
	NameAR     string   `json:"name_ar,omitempty"`
	NameEN     string   `json:"name_en,omitempty"`
	FormedType string   `json:"formed_by_type"` // vocab authority_type
	FormedBy   string   `json:"formed_by,omitempty"`
	FormedOn   string   `json:"formed_on"`
	Mandate    string   `json:"mandate,omitempty"`
	Incidents  []string `json:"incidents,omitempty"`
	Reported   bool     `json:"reported"`
	ReportedOn string   `json:"reported_on,omitempty"`
	Findings   string   `json:"findings,omitempty"`
	Sources    []string `json:"sources,omitempty"`
	Visibility string   `json:"visibility"`

	SealedText `json:"-"`
	Meta
}

// JudicialStep is one dated step of an incident's judicial track,
// concerning the case or one person (docs/counting.md, "Impunity").
type JudicialStep struct {
	ID         string   `json:"id"`
	Incident   string   `json:"incident"`
	Step       string   `json:"step"` // vocab judicial_step
	Date       string   `json:"date"`
	Person     string   `json:"person,omitempty"` // a person record, where there is one
	Who        string   `json:"who,omitempty"`    // else a label: "the gunman", "suspect 2"
	Role       string   `json:"role,omitempty"`   // vocab judicial_role
	Outcome    string   `json:"outcome,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	Sources    []string `json:"sources,omitempty"`
	Visibility string   `json:"visibility"`

	SealedText `json:"-"`
	Meta
}
