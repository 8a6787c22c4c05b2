package redact

import (
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// NamePublished reports whether person's name may be published with inc:
// only when the incident is public and has publication consent, and the
// person is public and consented to the name being published. Any one
// missing withholds the name. Aliases are never published.
func NamePublished(inc *model.Incident, person *model.Person) bool {
	return inc != nil && person != nil &&
		inc.Visibility == model.VisibilityPublic && inc.Consent &&
		person.Visibility == model.VisibilityPublic && person.Consent
}

// victims lists inc's victims as published, each person once (a person
// listed twice in one incident is one victim, as SDG 16.10.1 counts).
func victims(inc *model.Incident) []Victim {
	out := []Victim{}
	seen := map[string]bool{}
	for _, v := range inc.Victims {
		id := v.PersonID
		if id == "" && v.Person != nil {
			id = v.Person.ID
		}
		if id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		out = append(out, victim(inc, &v))
	}
	return out
}

func victim(inc *model.Incident, v *model.Victim) Victim {
	out := Victim{Role: term(vocab.VictimRole, v.Role), Outcome: term(vocab.Outcome, v.Outcome)}
	if NamePublished(inc, v.Person) {
		out.NameAR = oneLine(v.Person.NameAR)
		out.NameLatin = oneLine(v.Person.NameLatin)
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ") }

// Memorial is one person killed, as the public memorial shows them: a
// name only with consent (see NamePublished), otherwise an unnamed entry
// with the role ("a journalist, killed in Basra governorate, December
// 2019"), which still counts.
type Memorial struct {
	NameAR    string `json:"name_ar"`
	NameLatin string `json:"name_latin"`
	Role      string `json:"role"`     // vocab victim_role, or ""
	Incident  string `json:"incident"` // the incident's code
	Type      string `json:"type"`     // the incident's type
	// Date is the incident's date, the date of death as far as it is
	// known (and no more precisely).
	Date       Date   `json:"date"`
	Place      Place  `json:"place"` // as the incident is published
	MotiveLink string `json:"motive_link"`
}

// Person returns the memorial entry of victim v of inc, and false when the
// incident may not be published (see Incident) or v was not killed in it.
// v must be one of inc.Victims, with Person filled in (as
// store.GetIncident returns it); without it the entry is unnamed.
func Person(inc *model.Incident, v *model.Victim, opts Options) (Memorial, bool) {
	if v == nil || v.Outcome != "killed" {
		return Memorial{}, false
	}
	p, ok := Incident(inc, opts)
	if !ok {
		return Memorial{}, false
	}
	return memorial(&p, inc, v), true
}

// Memorials returns the memorial entries of every victim killed in inc,
// each person once; none when the incident may not be published.
func Memorials(inc *model.Incident, opts Options) []Memorial {
	p, ok := Incident(inc, opts)
	if !ok {
		return nil
	}
	var out []Memorial
	seen := map[string]bool{}
	for i := range inc.Victims {
		v := &inc.Victims[i]
		id := v.PersonID
		if id == "" && v.Person != nil {
			id = v.Person.ID
		}
		if v.Outcome != "killed" || id != "" && seen[id] {
			continue
		}
		seen[id] = id != ""
		out = append(out, memorial(&p, inc, v))
	}
	return out
}

func memorial(p *Public, inc *model.Incident, v *model.Victim) Memorial {
	pv := victim(inc, v)
	return Memorial{
		NameAR: pv.NameAR, NameLatin: pv.NameLatin, Role: pv.Role,
		Incident: p.Code, Type: p.Type, Date: p.Date, Place: p.Place, MotiveLink: p.MotiveLink,
	}
}
