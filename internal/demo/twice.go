package demo

import (
	"slices"
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
)

// SecondReport is the tag of an incident the generator wrote a second
// time (Options.Twice): the incident before it in the stream is the
// first report of the same event. The duplicate detection's quality test
// reads it; nothing in rasd scores with it.
const SecondReport = "second-report"

// reportAgain is inc as a partner's spreadsheet would report it, for
// the review of duplicates (docs/duplicates.md): its summary in Arabic
// only, no narrative, the victims' names in Arabic script only, a day
// later or only its month known (when inc is to the day), the
// governorate without district or coordinates, "reported", with an
// external id of the partner's.
func (g *Generator) reportAgain(inc model.Incident, i int) *model.Incident {
	c := inc
	c.SummaryEN, c.NarrativeEN, c.NarrativeAR = "", "", ""
	c.Victims = make([]model.Victim, len(inc.Victims))
	for j, v := range inc.Victims {
		c.Victims[j] = v
		if v.Person != nil {
			p := *v.Person
			p.NameLatin, p.Aliases = "", nil
			c.Victims[j].Person = &p
		}
	}
	c.Perpetrators = slices.Clone(inc.Perpetrators)
	c.Place = model.Place{Country: inc.Place.Country, Admin1: inc.Place.Admin1, GeoPrecision: "governorate"}
	if s, ok := parseDay(inc.Date.Start); ok && inc.Date.Precision == "day" {
		if g.r.IntN(2) == 0 && s+1 <= g.to {
			c.Date = g.formatDate(0, s+1, s+1)
		} else {
			ws, we := window(2, s)
			c.Date = g.formatDate(2, ws, we)
		}
	}
	c.Verification, c.Consent = "reported", false
	if c.Visibility == model.VisibilityPublic {
		c.Visibility = model.VisibilityInternal
	}
	c.Tags = append(slices.Clone(inc.Tags), SecondReport)
	c.External = &model.External{System: "partner", ID: "demo-" + strconv.Itoa(i)}
	return &c
}

// parseDay reads YYYY-MM-DD as days since 1970-01-01.
func parseDay(s string) (int, bool) {
	if len(s) != 10 {
		return 0, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}
