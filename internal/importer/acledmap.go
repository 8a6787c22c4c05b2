package importer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
)

// ACLED's event and sub-event types (docs/import-acled.md), to tell a typo
// from a known type rasd does not import.
var acledTypes = []struct {
	event string
	subs  []string
}{
	{"Violence against civilians", []string{"Sexual violence", "Attack", "Abduction/forced disappearance"}},
	{"Explosions/Remote violence", []string{"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}},
	{"Battles", []string{"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
	{"Protests", []string{"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
	{"Riots", []string{"Violent demonstration", "Mob violence"}},
	{"Strategic developments", []string{"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other"}},
}

var (
	// attemptRE finds a failed attempt on someone's life in ACLED notes.
	attemptRE = regexp.MustCompile(`(?i)\b(attempted (assassination|murder|killing)|assassination attempt|attempt(ed)? to (kill|assassinate|murder)|attempt on (his|her|their) li(fe|ves)|survived)`)
	injuryRE  = regexp.MustCompile(`(?i)\b(injur|wound|hurt)`)
	// clauseRE ends the clause before an injury word: what negates it
	// ("no injuries", "no one was hurt") comes after the last of these.
	clauseRE = regexp.MustCompile(`(?i)[.,;:!?()]|\b(but|while|although|though|however|and|whereas)\b`)
	negRE    = regexp.MustCompile(`(?i)\b(no|not|none|nobody|without|never|neither|nor)\b|n't\b`)
)

// mentionsInjury reports whether notes say that someone was hurt: an
// injury word not negated in its clause ("No injuries." and "nobody was
// hurt" say the opposite; "no deaths, but two were wounded" does not).
func mentionsInjury(notes string) bool {
	for _, m := range injuryRE.FindAllStringIndex(notes, -1) {
		before := notes[:m[0]]
		if ends := clauseRE.FindAllStringIndex(before, -1); len(ends) > 0 {
			before = before[ends[len(ends)-1][1]:]
		}
		if !negRE.MatchString(before) {
			return true
		}
	}
	return false
}

const importedScope = "rasd imports Violence against civilians, Explosions/Remote violence, Protests/Excessive force against protesters, Riots/Mob violence and Strategic developments/Arrests or Looting/property destruction"

// acledIncidentType maps an ACLED event to a rasd incident type
// (docs/import-acled.md). On failure it names the column at fault.
func acledIncidentType(event, sub string, fatalities int, notes string) (code, column string, err error) {
	ev, subs, ok := canonicalEvent(event)
	if !ok {
		var names []string
		for _, t := range acledTypes {
			names = append(names, t.event)
		}
		return "", "event_type", fmt.Errorf("%q is not an ACLED event type (use one of %q)", event, names)
	}
	sb := ""
	if sub != "" {
		for _, s := range subs {
			if strings.EqualFold(s, sub) {
				sb = s
			}
		}
		if sb == "" {
			return "", "sub_event_type", fmt.Errorf("%q is not a sub-event type of %s (use one of %q)", sub, ev, subs)
		}
	}
	killing := func(otherwise string) string {
		switch {
		case fatalities > 0:
			return "killing"
		case attemptRE.MatchString(notes):
			return "attempted_killing"
		}
		return otherwise
	}
	switch ev + "/" + sb {
	case "Violence against civilians/Attack":
		return killing("assault"), "", nil
	case "Violence against civilians/Abduction/forced disappearance":
		return "kidnapping", "", nil
	case "Violence against civilians/Sexual violence":
		return "torture", "", nil
	case "Protests/Excessive force against protesters", "Riots/Mob violence":
		if fatalities > 0 {
			return "killing", "", nil
		}
		return "assault", "", nil
	case "Strategic developments/Arrests":
		return "arbitrary_detention", "", nil
	case "Strategic developments/Looting/property destruction":
		return "attack_on_property", "", nil
	}
	if ev == "Explosions/Remote violence" { // the weapon does not change the type
		if mentionsInjury(notes) {
			return killing("assault"), "", nil
		}
		return killing("attack_on_property"), "", nil
	}
	if sb == "" {
		return "", "sub_event_type", fmt.Errorf("is needed to map %s events; give the ACLED sub-event type", ev)
	}
	return "", "sub_event_type", fmt.Errorf("ACLED %s/%s has no rasd incident type (%s); remove such rows or filter the export before importing", ev, sb, importedScope)
}

func canonicalEvent(event string) (string, []string, bool) {
	for _, t := range acledTypes {
		if strings.EqualFold(t.event, event) {
			return t.event, t.subs, true
		}
	}
	return "", nil, false
}

// ACLED inter codes (docs/import-acled.md): text by default, numbers with
// inter_numeric=TRUE. Plural spellings appear in older codebooks.
var interCodes = map[string]int{
	"": 0, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8,
	"state forces": 1, "rebel group": 2, "rebel groups": 2, "political militia": 3,
	"political militias": 3, "identity militia": 4, "identity militias": 4, "rioters": 5,
	"protesters": 6, "civilians": 7, "external/other forces": 8, "external/other force": 8,
}

func interCode(s string) (int, error) {
	if n, ok := interCodes[strings.ToLower(s)]; ok {
		return n, nil
	}
	return 0, fmt.Errorf("%q is not an ACLED actor type (use 0–8 or State forces, Rebel group, Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces)", s)
}

// armed reports whether an inter code is a group that can be a perpetrator;
// rioters, protesters and civilians are the targets in the events rasd
// imports, except in mob violence where no armed actor is named.
func armed(code int) bool { return code >= 1 && code <= 4 || code == 8 }

func perpetratorType(actor string, code int) string {
	if strings.HasPrefix(strings.ToLower(actor), "unidentified armed group") {
		return "unidentified_gunmen"
	}
	switch code {
	case 1:
		return "security_forces"
	case 2, 3:
		return "militia"
	case 4:
		return "tribal"
	}
	return "unknown"
}

// acledPerpetrator picks who did it: the first armed actor of actor1 and
// actor2 (ACLED's actor order does not say who attacked whom; in protests
// the protesters are actor1), else the first actor that is not protesters
// or civilians (rioters in mob violence), else none.
func acledPerpetrator(actor1 string, inter1 int, actor2 string, inter2 int) []model.Perpetrator {
	type actor struct {
		name string
		code int
	}
	as := []actor{{actor1, impliedInter(actor1, inter1)}, {actor2, impliedInter(actor2, inter2)}}
	for _, a := range as {
		if armed(a.code) || perpetratorType(a.name, a.code) == "unidentified_gunmen" {
			return []model.Perpetrator{{Type: perpetratorType(a.name, a.code), Group: a.name}}
		}
	}
	for _, a := range as {
		if (a.name != "" || a.code != 0) && a.code != 6 && a.code != 7 {
			return []model.Perpetrator{{Type: perpetratorType(a.name, a.code), Group: a.name}}
		}
	}
	return nil
}

// impliedInter reads ACLED's standard names of unarmed actors, such as
// "Protesters (Iraq)", when the inter column is absent or blank.
func impliedInter(actor string, code int) int {
	if code != 0 {
		return code
	}
	for prefix, c := range map[string]int{"rioters": 5, "protesters": 6, "civilians": 7} {
		if strings.HasPrefix(strings.ToLower(actor), prefix) {
			return c
		}
	}
	return 0
}
