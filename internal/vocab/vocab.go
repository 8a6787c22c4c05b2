// Package vocab holds rasd's controlled vocabularies and gazetteers. They
// are data files embedded in the binary: every entry has a stable code, an
// English and an Arabic label, and where it comes from (HURIDOCS, ACLED,
// CPJ, SDG 16.10.1); labels in other languages are in data/labels (see
// labels.go). Adding a country is adding a gazetteer file.
package vocab

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed data/vocabularies*.json data/gazetteer/*.csv
var files embed.FS

// Term is one entry of a vocabulary.
type Term struct {
	Code string `json:"code"`
	EN   string `json:"en"`
	AR   string `json:"ar"`
	// Rank orders terms where the order means something: seriousness of an
	// incident type (SDG 16.10.1, 1 = most serious), strength of a
	// verification status, height of a risk level.
	Rank       int    `json:"rank,omitempty"`
	Ref        string `json:"ref,omitempty"`
	vocabulary string // its vocabulary's name, for its labels in other languages
}

// Label returns the term's label in lang, or in the fallback language.
func (t Term) Label(lang string) string { l, _ := t.LabelIn(lang); return l }

// LabelIn returns the term's label in lang and whether it is in lang
// (false: it is the fallback language's).
func (t Term) LabelIn(lang string) (string, bool) {
	return labelIn(lang, termKey(t.vocabulary, t.Code), t.AR, t.EN)
}

// Vocabulary is an ordered list of terms with lookup by code.
type Vocabulary struct {
	Name  string
	Terms []Term
	index map[string]int
}

// Lookup returns the term with the given code.
func (v *Vocabulary) Lookup(code string) (Term, bool) {
	i, ok := v.index[code]
	if !ok {
		return Term{}, false
	}
	return v.Terms[i], true
}

// Has reports whether code is a term of v.
func (v *Vocabulary) Has(code string) bool { _, ok := v.index[code]; return ok }

// Codes lists the codes in their defined order.
func (v *Vocabulary) Codes() []string {
	out := make([]string, len(v.Terms))
	for i, t := range v.Terms {
		out[i] = t.Code
	}
	return out
}

// Check returns an error naming the vocabulary and its codes when code is
// not one of them.
func (v *Vocabulary) Check(code string) error {
	if v.Has(code) {
		return nil
	}
	return fmt.Errorf("%q is not a known %s (use one of %v)", code, v.Name, v.Codes())
}

// Names of the vocabularies.
const (
	IncidentType       = "incident_type"
	PerpetratorType    = "perpetrator_type"
	VictimRole         = "victim_role"
	Outcome            = "outcome"
	VerificationStatus = "verification_status"
	MotiveLink         = "motive_link"
	Visibility         = "visibility"
	SourceType         = "source_type"
	Reliability        = "reliability"
	Credibility        = "credibility"
	DatePrecision      = "date_precision"
	GeoPrecision       = "geo_precision"
	Gender             = "gender"
	PersonStatus       = "person_status"
	RiskLevel          = "risk_level"
	OrganisationKind   = "organisation_kind"
	OrganisationStatus = "organisation_status"
	ThreatDelivery     = "threat_delivery"
	ThreatSeverity     = "threat_severity"
	ProtectionMeasure  = "protection_measure"
	MeasureStatus      = "measure_status"
	CaseStatus         = "case_status"
	CheckInChannel     = "checkin_channel"
	CheckInResult      = "checkin_result"
	ListOutcome        = "list_outcome"
	AuthorityType      = "authority_type"
	CommitmentKind     = "commitment_kind"
	CommitmentStatus   = "commitment_status"
	JudicialStep       = "judicial_step"
	JudicialRole       = "judicial_role"
	AppealOutcome      = "appeal_outcome"
)

var all map[string]*Vocabulary

func init() {
	// vocabularies.json, and a file of its own for each area's
	// vocabularies (vocabularies-accountability.json).
	names, err := fs.Glob(files, "data/vocabularies*.json")
	if err != nil {
		panic(err)
	}
	all = map[string]*Vocabulary{}
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			panic(err)
		}
		m, err := parseVocabularies(raw)
		if err != nil {
			panic("vocab: embedded " + name + ": " + err.Error())
		}
		for k, v := range m {
			if all[k] != nil {
				panic("vocab: vocabulary " + k + " defined twice")
			}
			all[k] = v
		}
	}
}

func parseVocabularies(raw []byte) (map[string]*Vocabulary, error) {
	var byName map[string][]Term
	if err := json.Unmarshal(raw, &byName); err != nil {
		return nil, err
	}
	out := make(map[string]*Vocabulary, len(byName))
	for name, terms := range byName {
		v := &Vocabulary{Name: name, Terms: terms, index: make(map[string]int, len(terms))}
		for i, t := range terms {
			terms[i].vocabulary = name
			if t.Code == "" || t.EN == "" || t.AR == "" {
				return nil, fmt.Errorf("%s entry %d: code, en and ar are all required", name, i+1)
			}
			if _, dup := v.index[t.Code]; dup {
				return nil, fmt.Errorf("%s: code %q appears twice", name, t.Code)
			}
			v.index[t.Code] = i
		}
		out[name] = v
	}
	return out, nil
}

// Get returns the named vocabulary; it panics on an unknown name, which is
// a programming error.
func Get(name string) *Vocabulary {
	v, ok := all[name]
	if !ok {
		panic("vocab: no vocabulary " + name)
	}
	return v
}

// Names lists every vocabulary's name, sorted.
func Names() []string {
	out := make([]string, 0, len(all))
	for n := range all {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
