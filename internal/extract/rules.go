package extract

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rasd-project/rasd/internal/locale"
)

// The rules and word lists, one directory per language: adding a language
// or a keyword is adding or editing a data file (docs/extract.md).
//
//go:embed data
var dataFS embed.FS

// pattern is one date expression of dates.json: its words and slots (#d day,
// #m month number, #y year, #n any number, @month, @weekday, @unit), and how
// it resolves.
type pattern struct {
	P          string  `json:"p"`
	Kind       string  `json:"kind"`   // absolute, dmy, month, year, last_month, offset, weekday
	Unit       string  `json:"unit"`   // offset: day, week, month, year
	N          int     `json:"n"`      // offset without #n
	Sign       int     `json:"sign"`   // offset with #n: +1 or -1
	Anchor     string  `json:"anchor"` // "previous": from the date mentioned before, else the publication date
	Confidence float64 `json:"confidence"`
	words      []string
}

// rawRules is the union of a language's data files.
type rawRules struct {
	Months        map[string][]string `json:"months"`
	Weekdays      map[string][]string `json:"weekdays"`
	Units         map[string][]string `json:"units"`
	DatePatterns  []pattern           `json:"date_patterns"`
	Published     []string            `json:"published_markers"`
	Numbers       map[string]int      `json:"numbers"`
	Abbreviations []string            `json:"abbreviations"`
	IncidentTypes map[string][]string `json:"incident_types"`
	Roles         map[string][]string `json:"roles"`
	RoleAdjs      []string            `json:"role_adjectives"`
	Outcomes      map[string][]string `json:"outcomes"`
	TypeOutcomes  map[string]string   `json:"type_outcomes"`
	Perpetrators  map[string][]string `json:"perpetrators"`
	Vehicles      []string            `json:"vehicles"`
	ClaimNouns    map[string][]string `json:"claim_nouns"`
	ClaimSubjects []string            `json:"claim_subjects"`
	ClaimMarkers  []string            `json:"claim_markers"`
	ClaimEvents   map[string][]string `json:"claim_events"`
	ClaimLinks    []string            `json:"claim_links"`
	Multipliers   map[string]int      `json:"multipliers"`
	AttrBefore    []string            `json:"attribution_before"`
	AttrSubject   []string            `json:"attribution_subject"`
	Relocation    []string            `json:"relocation"`
	Threat        []string            `json:"threat"`
	HitList       []string            `json:"hit_list"`
	Promise       []string            `json:"promise"`
	Deadline      []string            `json:"deadline"`
	Committee     []string            `json:"committee"`
	CommitteeVerb []string            `json:"committee_verbs"`
	Particles     []string            `json:"name_particles"`
	NameStop      []string            `json:"name_stop"`
	Titles        []string            `json:"titles"`
	VictimVerbs   []string            `json:"victim_verbs"`
	PlaceStop     []string            `json:"place_stop"`
	Relatives     []string            `json:"relative_pronouns"`
	Authorities   map[string][]string `json:"authorities"`
}

// rules is a language's data, compiled for matching.
type rules struct {
	// arabic: the text is in Arabic script, which has no capital letters
	// to find names by.
	arabic                                 bool
	lang                                   string
	months, weekdays, units                *matcher
	patterns                               []pattern
	patternIndex                           map[string][]int // by first word; "#" for a number slot
	published                              *matcher
	numbers, multipliers                   map[string]int
	abbrev                                 map[string]bool
	types, roles, outcomes, perps          *matcher
	roleAdjs, vehicles, claimNouns         *matcher
	claimSubjects, claimMarkers            *matcher
	claimEvents, authorities               *matcher
	claimLinks                             map[string]bool
	attrBefore, attrSubject                *matcher
	relocation, threat, hitList, promise   *matcher
	committee, committeeVerb, victimVerbs  *matcher
	deadline                               []pattern
	typeOutcomes                           map[string]string
	particles, nameStop, titles, placeStop map[string]bool
	relatives                              map[string]bool
}

var (
	rulesOnce sync.Once
	allRules  map[string]*rules
	rulesErr  error
)

// languages lists the languages with rules, in order.
func languages() []string {
	loadRules()
	var out []string
	for l := range allRules {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func rulesFor(lang string) (*rules, error) {
	loadRules()
	if rulesErr != nil {
		return nil, rulesErr
	}
	r, ok := allRules[lang]
	if !ok {
		return nil, fmt.Errorf("no extraction rules for language %q (have %v)", lang, languages())
	}
	return r, nil
}

func loadRules() {
	rulesOnce.Do(func() {
		allRules = map[string]*rules{}
		dirs, err := fs.ReadDir(dataFS, "data")
		if err != nil {
			rulesErr = err
			return
		}
		for _, d := range dirs {
			if !d.IsDir() || d.Name() == "places" {
				continue
			}
			r, err := loadLang(d.Name())
			if err != nil {
				rulesErr = err
				return
			}
			allRules[d.Name()] = r
		}
		rulesErr = loadPlaces()
	})
}

func loadLang(lang string) (*rules, error) {
	files, err := fs.ReadDir(dataFS, path.Join("data", lang))
	if err != nil {
		return nil, err
	}
	var raw rawRules
	for _, f := range files {
		b, err := dataFS.ReadFile(path.Join("data", lang, f.Name()))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("extract: data/%s/%s: %w", lang, f.Name(), err)
		}
	}
	r := &rules{lang: lang, arabic: locale.ArabicScript(lang), numbers: map[string]int{}, typeOutcomes: raw.TypeOutcomes}
	r.multipliers = map[string]int{}
	for w, n := range raw.Multipliers {
		r.numbers[stemOf(lang, normWord(w))] = n
		r.multipliers[stemOf(lang, normWord(w))] = n
	}
	for w, n := range raw.Numbers {
		r.numbers[stemOf(lang, normWord(w))] = n
	}
	r.months = byNumber(lang, raw.Months)
	r.weekdays = byNumber(lang, raw.Weekdays)
	r.units = newMatcher(lang, raw.Units)
	r.published = list(lang, raw.Published)
	r.types = newMatcher(lang, raw.IncidentTypes)
	r.roles = newMatcher(lang, raw.Roles)
	r.outcomes = newMatcher(lang, raw.Outcomes)
	r.perps = newMatcher(lang, raw.Perpetrators)
	r.claimNouns = newMatcher(lang, raw.ClaimNouns)
	r.claimEvents = newMatcher(lang, raw.ClaimEvents)
	r.authorities = newMatcher(lang, raw.Authorities)
	r.claimLinks = set(lang, raw.ClaimLinks)
	for _, m := range []struct {
		dst  **matcher
		list []string
	}{{&r.roleAdjs, raw.RoleAdjs}, {&r.vehicles, raw.Vehicles}, {&r.claimSubjects, raw.ClaimSubjects},
		{&r.claimMarkers, raw.ClaimMarkers}, {&r.attrBefore, raw.AttrBefore}, {&r.attrSubject, raw.AttrSubject},
		{&r.relocation, raw.Relocation}, {&r.threat, raw.Threat}, {&r.hitList, raw.HitList}, {&r.promise, raw.Promise},
		{&r.committee, raw.Committee}, {&r.committeeVerb, raw.CommitteeVerb}, {&r.victimVerbs, raw.VictimVerbs}} {
		*m.dst = list(lang, m.list)
	}
	r.particles, r.nameStop, r.titles = set(lang, raw.Particles), set(lang, raw.NameStop), set(lang, raw.Titles)
	r.relatives = set(lang, raw.Relatives)
	r.placeStop = map[string]bool{}
	for _, p := range raw.PlaceStop {
		r.placeStop[strings.Join(patternWords(lang, p), " ")] = true
	}
	r.abbrev = map[string]bool{}
	for _, a := range raw.Abbreviations {
		r.abbrev[strings.ToLower(a)] = true
	}
	for _, p := range raw.DatePatterns {
		p.words = patternWords(lang, p.P)
		if p.Confidence == 0 {
			p.Confidence = 0.9
		}
		r.patterns = append(r.patterns, p)
	}
	r.patternIndex = map[string][]int{}
	for k, p := range r.patterns {
		first := p.words[0]
		if strings.HasPrefix(first, "#") {
			first = "#"
		}
		r.patternIndex[first] = append(r.patternIndex[first], k)
	}
	for _, d := range raw.Deadline {
		r.deadline = append(r.deadline, pattern{P: d, words: patternWords(lang, d)})
	}
	if len(r.patterns) == 0 || r.types.empty() {
		return nil, fmt.Errorf("extract: data/%s has no date patterns or incident types", lang)
	}
	return r, nil
}

func patternWords(lang, p string) []string {
	var out []string
	for _, w := range strings.Fields(p) {
		if strings.HasPrefix(w, "#") || strings.HasPrefix(w, "@") {
			out = append(out, w)
			continue
		}
		for _, t := range tokenize(lang, w) {
			out = append(out, t.stems[0])
		}
	}
	return out
}

func byNumber(lang string, m map[string][]string) *matcher {
	out := map[string][]string{}
	for k, v := range m {
		if _, err := strconv.Atoi(k); err != nil {
			panic("extract: data/" + lang + ": key " + k + " is not a number")
		}
		out[k] = v
	}
	return newMatcher(lang, out)
}

func list(lang string, l []string) *matcher { return newMatcher(lang, map[string][]string{"": l}) }

func set(lang string, l []string) map[string]bool {
	out := map[string]bool{}
	for _, w := range l {
		for _, t := range tokenize(lang, w) {
			out[t.stems[0]] = true
		}
	}
	return out
}
