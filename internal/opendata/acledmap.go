package opendata

import (
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The ACLED export is the inverse of rasd's ACLED import
// (docs/import-acled.md) where one exists, and never claims what rasd
// does not know: types ACLED does not code are left out of the file, and
// torture is not turned into sexual violence (see docs/open-data.md).

// acledEvent is ACLED's event type and sub-event type for a rasd type.
type acledEvent struct{ disorder, event, sub string }

const (
	vac = "Violence against civilians"
	sd  = "Strategic developments"
	pv  = "Political violence"
)

var acledEvents = map[string]acledEvent{
	"killing":                {pv, vac, "Attack"},
	"attempted_killing":      {pv, vac, "Attack"},
	"assault":                {pv, vac, "Attack"},
	"torture":                {pv, vac, "Attack"},
	"kidnapping":             {pv, vac, "Abduction/forced disappearance"},
	"enforced_disappearance": {pv, vac, "Abduction/forced disappearance"},
	"arbitrary_detention":    {sd, sd, "Arrests"},
	"attack_on_property":     {sd, sd, "Looting/property destruction"},
	// death_threat, smear_incitement, legal_harassment and
	// forced_displacement have no ACLED event type.
}

// acledCountry is what ACLED writes for a country rasd has a gazetteer of.
type acledCountry struct{ name, iso, region string }

var acledCountries = map[string]acledCountry{"IQ": {"Iraq", "368", "Middle East"}}

// acledAdmin1 is ACLED's spelling of each governorate (all of them are
// read back by rasd's importer through the gazetteer aliases).
var acledAdmin1 = map[string]string{
	"IQ-AN": "Al Anbar", "IQ-AR": "Erbil", "IQ-BA": "Basrah", "IQ-BB": "Babil", "IQ-BG": "Baghdad",
	"IQ-DA": "Duhok", "IQ-DI": "Diyala", "IQ-DQ": "Dhi-Qar", "IQ-KA": "Kerbala", "IQ-KI": "Kirkuk",
	"IQ-MA": "Maysan", "IQ-MU": "Muthanna", "IQ-NA": "Najaf", "IQ-NI": "Ninewa", "IQ-QA": "Qadissiya",
	"IQ-SD": "Salah al-Din", "IQ-SU": "Sulaymaniyah", "IQ-WA": "Wassit",
}

// acledActor is the actor rasd writes for a perpetrator type: ACLED's own
// name for unidentified armed groups, otherwise rasd's label, and the
// inter code that the importer maps back to the same type where it can.
type acledActor struct {
	name  string // "" = the type's English label
	inter int
}

var acledActors = map[string]acledActor{
	"unidentified_gunmen": {"Unidentified Armed Group", 3},
	"security_forces":     {"", 1},
	"militia":             {"", 3},
	"political_party":     {"", 3}, // ACLED's political militias; read back as militia
	"tribal":              {"", 4}, // identity militia
	"unknown":             {"", 0}, // no inter code: type not known
}

// acledVictims is the associated actor ACLED-style for a victim role.
var acledVictims = map[string]string{
	"activist": "Activists", "protest_organiser": "Activists", "journalist": "Journalists",
	"media_worker": "Journalists", "blogger": "Journalists", "hrd": "Human Rights Defenders",
	"lawyer": "Lawyers", "ngo_staff": "NGO Workers", "trade_unionist": "Labor Group",
}

func actorName(perpType, country string) (string, int) {
	a := acledActors[perpType]
	name := a.name
	if name == "" {
		t, _ := vocab.Get(vocab.PerpetratorType).Lookup(perpType)
		name = t.EN
	}
	return name + " (" + country + ")", a.inter
}

// interaction combines two inter codes as ACLED does: the smaller first,
// an actor alone followed by 0.
func interaction(a, b int) string {
	switch {
	case a == 0 && b == 0:
		return "0"
	case a == 0 || b == 0:
		return strconv.Itoa(max(a, b) * 10)
	}
	return strconv.Itoa(min(a, b)*10 + max(a, b))
}

// acledDate returns ACLED's event_date, time_precision and a note for
// notes when the date says more than those two can: the middle of the
// recorded span (ACLED gives mid-week and mid-month dates), 1 for a known
// day, 2 for a week or an estimated day, 3 for a month or a year.
func acledDate(d redact.Date) (date string, precision int, note string, ok bool) {
	start, err := time.Parse(time.DateOnly, d.Start)
	if err != nil {
		return "", 0, "", false
	}
	end, err := time.Parse(time.DateOnly, d.End)
	if err != nil || end.Before(start) {
		end = start
	}
	mid := start.AddDate(0, 0, int(end.Sub(start).Hours()/24)/2)
	var notes []string
	switch d.Precision {
	case "day":
		precision = 1
		if d.Estimated {
			precision = 2
		}
	case "week":
		precision = 2
	case "month":
		precision = 3
	default:
		precision = 3
		notes = append(notes, "Only the year "+d.Start[:4]+" is known.")
	}
	if d.Estimated {
		notes = append(notes, "The date is estimated.")
	}
	return mid.Format(time.DateOnly), precision, strings.Join(notes, " "), true
}

// acledGeo is ACLED's geo_precision for rasd's.
var acledGeo = map[string]string{"exact": "1", "near": "2", "district": "2", "governorate": "3"}
