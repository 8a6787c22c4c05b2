package demo

import (
	"github.com/rasd-project/rasd/internal/model"
)

// victims draws the incident's victims with inline fictional persons.
// roles is pre-allocated storage for each person's one-element Roles; year
// is the incident's year, for plausible birth years.
func (g *Generator) victims(k *kindT, gv *gov, inc *model.Incident, roles []string, year int) []model.Victim {
	r := g.r
	vs := make([]model.Victim, len(roles))
	ps := make([]model.Person, len(roles))
	for j := range vs {
		p := &ps[j]
		p.Gender = tab.genderP.pick(r)
		first := maleNames[r.IntN(len(maleNames))]
		if p.Gender == "female" || (p.Gender == "unknown" && r.IntN(2) == 0) {
			first = femaleNames[r.IntN(len(femaleNames))]
		}
		// Iraqi style: given name, father's name, family name.
		father, family := maleNames[r.IntN(len(maleNames))], familyNames[r.IntN(len(familyNames))]
		b := append(g.buf[:0], first.ar...)
		b = append(append(append(append(b, ' '), father.ar...), ' '), family.ar...)
		cut := len(b)
		b = append(append(append(append(b, first.latin...), ' '), father.latin...), ' ')
		b = append(b, family.latin...)
		s := string(b) // both scripts in one allocation
		g.buf = b
		p.NameAR, p.NameLatin = s[:cut], s[cut:]

		ri := tab.roleP.index(r)
		g.roles[j], roles[j] = ri, roleCodes[ri]
		p.Roles = roles[j : j+1 : j+1] // capped: appending must not overwrite a neighbour
		if r.IntN(100) < 85 {          // birth year unknown for the rest
			age := 18 + r.IntN(30) // mostly young protesters
			if r.IntN(5) == 0 {
				age = 35 + r.IntN(30)
			}
			p.BirthYear = year - age
		}
		outcome := k.outs.pick(r)
		if k.code == "killing" && j > 0 && r.IntN(2) == 0 {
			outcome = "injured" // the first victim of a killing is always killed
		}
		p.Status, p.RiskLevel = status(k.code, outcome, r.IntN(100))
		p.HomeAdmin1 = gv.Code
		if r.IntN(10) == 0 {
			p.HomeAdmin1 = tab.govs[r.IntN(len(tab.govs))].Code
		}
		p.Consent = inc.Consent
		switch {
		case inc.Visibility == model.VisibilityRestricted:
			p.Visibility = model.VisibilityRestricted
		case inc.Consent:
			p.Visibility = model.VisibilityPublic
		default:
			p.Visibility = model.VisibilityInternal
		}
		vs[j] = model.Victim{Person: p, Role: roles[j], Outcome: outcome}
	}
	return vs
}

// status derives a person's current status and risk level from what
// happened to them; x is a uniform draw in [0, 100).
func status(typ, outcome string, x int) (st, risk string) {
	switch outcome {
	case "killed":
		return "deceased", ""
	case "abducted", "missing":
		return "missing", "critical"
	case "fled":
		st = "displaced"
		if x < 30 {
			st = "relocated_abroad"
		}
	default:
		st = "in_country"
		if (typ == "arbitrary_detention" || typ == "torture") && outcome != "released" {
			st = "detained"
		}
	}
	switch typ {
	case "killing", "attempted_killing", "death_threat", "kidnapping", "enforced_disappearance",
		"forced_displacement":
		if x < 50 {
			return st, "critical"
		}
		return st, "high"
	}
	return st, [...]string{"low", "medium", "high"}[x%3]
}
