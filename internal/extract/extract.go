// Package extract reads a news report, in Arabic or English, and proposes
// draft records from its text alone: incidents with their type, date,
// place, victims and perpetrators; aggregate claims attributed to whoever
// made them; and protection and accountability facts. Every proposed value
// carries the sentences it came from and a confidence. Nothing here stores
// anything: a documenter accepts proposals elsewhere. The rules and word
// lists are data files (data/LANG/*.json, data/places); docs/extract.md
// says what is and is not recognised.
package extract

import (
	"fmt"
	"strings"
	"time"
)

// Trace is where a value came from and how sure the rule that found it is
// (0–1).
type Trace struct {
	Sentences  []int   `json:"sentences"`
	Confidence float64 `json:"confidence"`
}

// Input is a report to read.
type Input struct {
	Text      []byte
	Format    string // FormatAuto, FormatText, FormatHTML
	Lang      string // "ar", "en", or "" / "auto" to detect
	Published string // YYYY-MM-DD, or "" to find it in the text
	Now       time.Time
}

// Result is everything proposed from one report.
type Result struct {
	Lang           string         `json:"lang"`
	Published      string         `json:"published,omitempty"`
	PublishedFound bool           `json:"published_found,omitempty"` // read from the text, not given
	Sentences      []Sentence     `json:"sentences"`
	Incidents      []Incident     `json:"incidents"`
	Claims         []Claim        `json:"claims"`
	Protection     Protection     `json:"protection"`
	Accountability Accountability `json:"accountability"`
	Dates          []Date         `json:"dates"`
	Places         []Place        `json:"places"`
	Warnings       []string       `json:"warnings,omitempty"`
}

// Incident is a proposed incident: one event the report tells of.
type Incident struct {
	Type         string        `json:"type"` // vocab incident_type
	Keyword      string        `json:"keyword"`
	Date         *Date         `json:"date,omitempty"`
	Place        *Place        `json:"place,omitempty"`
	Victims      []Victim      `json:"victims,omitempty"`
	Perpetrators []Perpetrator `json:"perpetrators,omitempty"`
	Trace
}

// Victim is a named person the report places next to a role or an event.
// PersonID is for name matching to fill once it exists; it is empty here.
type Victim struct {
	Name     string `json:"name"`
	Role     string `json:"role,omitempty"`    // vocab victim_role
	Outcome  string `json:"outcome,omitempty"` // vocab outcome
	PersonID string `json:"person_id,omitempty"`
	Trace
}

// Perpetrator is who the report says did it, and how it describes them.
type Perpetrator struct {
	Type        string `json:"type"` // vocab perpetrator_type
	Description string `json:"description"`
	Trace
}

// Claim is a count someone published: recorded as their claim, never as
// incidents.
type Claim struct {
	Number int    `json:"number"`
	What   string `json:"what"`   // vocab incident_type
	Counts string `json:"counts"` // as written
	Period *Date  `json:"period,omitempty"`
	Source string `json:"source,omitempty"` // who says so
	Trace
}

// Protection holds proposals for the protection records (relocations,
// threats, lists); they are shown, not saved, until those records exist.
type Protection struct {
	Relocations []Relocation `json:"relocations,omitempty"`
	Threats     []Threat     `json:"threats,omitempty"`
	Lists       []HitList    `json:"lists,omitempty"`
}

// Relocation: someone left for somewhere, for their safety.
type Relocation struct {
	Person      string `json:"person,omitempty"`
	Destination *Place `json:"destination,omitempty"`
	Date        *Date  `json:"date,omitempty"`
	Trace
}

// Threat: someone was threatened.
type Threat struct {
	Target string `json:"target,omitempty"`
	Date   *Date  `json:"date,omitempty"`
	Trace
}

// HitList: a list naming people, and how many.
type HitList struct {
	Count  int    `json:"count,omitempty"`
	Who    string `json:"who,omitempty"`
	Issuer string `json:"issuer,omitempty"`
	Trace
}

// Accountability holds proposals for the accountability records
// (commitments, committees); shown, not saved, until those exist.
type Accountability struct {
	Promises   []Promise   `json:"promises,omitempty"`
	Committees []Committee `json:"committees,omitempty"`
}

// Promise: who promised what, by when.
type Promise struct {
	By string `json:"by,omitempty"`
	// AuthorityType is the kind of authority By names (vocab
	// authority_type), "" if none is recognised.
	AuthorityType string `json:"authority_type,omitempty"`
	What          string `json:"what"`
	Deadline      string `json:"deadline,omitempty"` // as written
	Due           string `json:"due,omitempty"`      // YYYY-MM-DD
	Trace
}

// Committee: a committee formed, by whom.
type Committee struct {
	Name     string `json:"name"`
	FormedBy string `json:"formed_by,omitempty"`
	// FormedByType is the kind of authority FormedBy names (vocab
	// authority_type), "" if none is recognised.
	FormedByType string `json:"formed_by_type,omitempty"`
	Date         *Date  `json:"date,omitempty"`
	Trace
}

// Extract reads a report and proposes what it holds. It fails only on bad
// input (ErrEmpty, ErrTooLarge, ErrBinary, ErrFuture, a malformed
// publication date or an unknown language).
func Extract(in Input) (*Result, error) {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	text, err := toText(in.Text, in.Format)
	if err != nil {
		return nil, err
	}
	lang := strings.ToLower(strings.TrimSpace(in.Lang))
	if lang == "" || lang == "auto" {
		lang = detectLang(text)
	}
	r, err := rulesFor(lang)
	if err != nil {
		return nil, err
	}
	today := date(now.Year(), int(now.Month()), now.Day())
	res := &Result{Lang: lang}
	var pub time.Time
	if p := strings.TrimSpace(in.Published); p != "" {
		pub, err = time.Parse(day, p)
		if err != nil {
			return nil, fmt.Errorf("the publication date %q is not a date; write it as YYYY-MM-DD, e.g. 2019-11-07", p)
		}
		if pub.After(today.AddDate(0, 0, 1)) {
			return nil, fmt.Errorf("%w: %s is after today, %s", ErrFuture, p, today.Format(day))
		}
	}
	a := newAnalysis(r, text)
	if pub.IsZero() {
		if found, ok := a.findPublished(today); ok {
			pub, res.PublishedFound = found, true
		} else {
			pub = today
			res.Warnings = append(res.Warnings, "no publication date was given or found: relative dates are counted from today")
		}
	}
	if pub.After(today.AddDate(0, 0, 1)) {
		return nil, fmt.Errorf("%w: the report says it was published on %s, after today, %s", ErrFuture, pub.Format(day), today.Format(day))
	}
	res.Published = pub.Format(day)
	a.run(pub, res)
	return res, nil
}
