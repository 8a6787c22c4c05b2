// Package redact is rasd's one decision on what of a record may leave the
// organisation: the public portal, open data files, feeds and the memorial
// all publish a Public (or a Memorial), never a model record.
//
// It works by allowlist. Public is its own type holding only fields that
// may be published, each copied on purpose by Incident; a field added to
// model.Incident later is not published until someone adds it here. Codes
// are copied only when they are terms of their vocabulary, so free text
// typed into a code field does not leak either.
//
// The rules (docs/open-data.md explains why):
//
//   - Only incidents with visibility public are published; never a merged
//     duplicate, a rejected one, or one below Options.MinVerification.
//   - The place is coarsened to the governorate (its gazetteer point)
//     unless the record carries a publication tag (GeoTag) allowing more,
//     and the incident has publication consent.
//   - The incident's own summaries are published only when it has
//     publication consent and they mention nothing withheld (names of
//     victims who are not published, aliases, a perpetrator group or modus
//     operandi, a withheld locality or district); otherwise a neutral
//     summary is generated from type, date and governorate. Narratives
//     never leave.
//   - Perpetrators are published as types only, never as group names.
//   - A victim's name is published only when the incident is public and
//     has publication consent and the person is public and consented to
//     the name being published. Aliases never leave.
//   - Tags are published only when they start with an allowed prefix.
package redact

import (
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Options tune what is published. The zero value is the safe default.
type Options struct {
	// MinVerification publishes only incidents whose verification status
	// ranks at least this one (e.g. "corroborated"), which also leaves out
	// disputed ones. "" publishes every status but rejected.
	MinVerification string
	// MaxGeo caps the place detail for every record: GeoCountry,
	// GeoGovernorate, GeoDistrict or GeoPrecise. "" leaves each record's
	// GeoTag in charge.
	MaxGeo string
	// TagPrefixes lists the tag prefixes that are published; nil means
	// DefaultTagPrefixes, an empty slice publishes no tag.
	TagPrefixes []string
	// SourceSystems lists the source systems (External.System) that may be
	// named; nil means DefaultSourceSystems, an empty slice names none.
	SourceSystems []string
}

// DefaultTagPrefixes: a tag is published only when it starts with
// "public:", e.g. "public:tishreen". Any other tag is internal.
var DefaultTagPrefixes = []string{"public:"}

// DefaultSourceSystems are the outside datasets named as the source of an
// imported record: ACLED's terms ask for attribution. A partner's system
// name is not published unless listed, as it would reveal the partner.
var DefaultSourceSystems = []string{"acled"}

// Public is what may be published of an incident.
type Public struct {
	Code         string   `json:"code"` // the readable code, e.g. IQ-2019-0042; never the internal ID
	Type         string   `json:"type"` // vocab incident_type
	Date         Date     `json:"date"`
	Place        Place    `json:"place"`
	Perpetrators []string `json:"perpetrator_types"` // vocab perpetrator_type, each once
	VictimCount  int      `json:"victim_count"`
	Victims      []Victim `json:"victims"`
	Fatalities   int      `json:"fatalities"`
	SummaryEN    string   `json:"summary_en"`
	SummaryAR    string   `json:"summary_ar"`
	// GeneratedEN and GeneratedAR say that the summary in that language
	// was generated from type, date and place instead of written.
	GeneratedEN  bool     `json:"summary_en_generated"`
	GeneratedAR  bool     `json:"summary_ar_generated"`
	Verification string   `json:"verification"` // vocab verification_status
	MotiveLink   string   `json:"motive_link"`  // vocab motive_link, or ""
	Tags         []string `json:"tags"`
	SourceSystem string   `json:"source_system"` // e.g. "acled", or ""
	// Updated is the day the record last changed (UTC midnight): the
	// time of day is not published.
	Updated time.Time `json:"updated"`
}

// Date is an incident's date as recorded: an approximate date stays
// approximate.
type Date struct {
	Start     string `json:"start"` // YYYY-MM-DD
	End       string `json:"end"`
	Precision string `json:"precision"` // day, week, month, year
	Estimated bool   `json:"estimated"`
}

// Victim is a victim as published: a name only with consent (see
// NamePublished).
type Victim struct {
	Role      string `json:"role"`    // vocab victim_role, or ""
	Outcome   string `json:"outcome"` // vocab outcome
	NameAR    string `json:"name_ar"`
	NameLatin string `json:"name_latin"`
}

// Incident returns what may be published of inc, and false when nothing
// may: the incident is not public, is merged into another, is rejected or
// below opts.MinVerification, or lacks a code, a known type or a valid
// date.
func Incident(inc *model.Incident, opts Options) (Public, bool) {
	if !publishable(inc, opts) {
		return Public{}, false
	}
	p := Public{
		Code:         inc.Code,
		Type:         inc.Type,
		Date:         Date{Start: inc.Date.Start, End: inc.Date.End, Precision: inc.Date.Precision, Estimated: inc.Date.Estimated},
		Place:        place(inc, opts),
		Perpetrators: perpetratorTypes(inc.Perpetrators),
		Fatalities:   max(inc.Fatalities, 0),
		Verification: inc.Verification,
		MotiveLink:   term(vocab.MotiveLink, inc.MotiveLink),
		Tags:         tags(inc.Tags, opts),
		Updated:      day(inc.UpdatedAt),
	}
	if p.Date.End == "" {
		p.Date.End = p.Date.Start
	}
	p.Victims = victims(inc)
	p.VictimCount = len(p.Victims)
	if x := inc.External; x != nil && slices.Contains(orDefault(opts.SourceSystems, DefaultSourceSystems), x.System) {
		p.SourceSystem = x.System
	}
	summarise(&p, inc)
	return p, true
}

// publishable is the gate: every condition must hold.
func publishable(inc *model.Incident, opts Options) bool {
	if inc == nil || inc.Visibility != model.VisibilityPublic || inc.MergedInto != "" || inc.Code == "" {
		return false
	}
	if !vocab.Get(vocab.IncidentType).Has(inc.Type) || !validDate(inc.Date) {
		return false
	}
	status, ok := vocab.Get(vocab.VerificationStatus).Lookup(inc.Verification)
	if !ok || status.Code == "rejected" {
		return false
	}
	if opts.MinVerification != "" {
		threshold, ok := vocab.Get(vocab.VerificationStatus).Lookup(opts.MinVerification)
		if !ok || status.Rank < max(threshold.Rank, 1) {
			return false // an unknown threshold publishes nothing: fail closed
		}
	}
	return true
}

func validDate(d model.Date) bool {
	if !vocab.Get(vocab.DatePrecision).Has(d.Precision) {
		return false
	}
	start, err := time.Parse(time.DateOnly, d.Start)
	if err != nil || d.End == "" {
		return err == nil
	}
	end, err := time.Parse(time.DateOnly, d.End)
	return err == nil && !end.Before(start)
}

// term returns code when it is a term of the named vocabulary, else "".
func term(name, code string) string {
	if vocab.Get(name).Has(code) {
		return code
	}
	return ""
}

func perpetratorTypes(ps []model.Perpetrator) []string {
	out := []string{}
	for _, p := range ps {
		t := term(vocab.PerpetratorType, p.Type)
		if t == "" {
			t = "unknown"
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func tags(in []string, opts Options) []string {
	prefixes := orDefault(opts.TagPrefixes, DefaultTagPrefixes)
	out := []string{}
	for _, t := range in {
		t = strings.TrimSpace(t)
		if isGeoTag(t) || slices.Contains(out, t) {
			continue
		}
		for _, p := range prefixes {
			if p != "" && strings.HasPrefix(t, p) && len(t) > len(p) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

func orDefault(s, def []string) []string {
	if s == nil {
		return def
	}
	return s
}

func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
