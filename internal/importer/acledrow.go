package importer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

const summaryRunes = 300

// ACLED names countries; rasd has gazetteers by ISO code. iso is ISO 3166-1 numeric.
var acledCountries = map[string]string{"iraq": "IQ", "368": "IQ"}

// acledRow is one record being mapped; problems go to c.
type acledRow struct {
	cols map[string]int
	rec  []string
	line int
	file string
	c    *collector
	bad  bool
}

func (r *acledRow) get(col string) string {
	if i, ok := r.cols[col]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

func (r *acledRow) fail(col string, err error) {
	r.bad = true
	r.c.add(&Error{File: r.file, Line: r.line, Field: col, Err: err, column: col != ""})
}

func (r *acledRow) incident() (model.Incident, bool) {
	names := make([]string, len(r.rec)) // in file order, for a stable error order
	for col, i := range r.cols {
		if i < len(names) {
			names[i] = col
		}
	}
	original := make(map[string]string, len(r.cols))
	for i, col := range names {
		original[col] = r.rec[i]
		if !utf8.ValidString(r.rec[i]) {
			r.fail(col, errors.New("is not valid UTF-8 text; save the file as UTF-8 (ACLED exports are)"))
		}
	}
	if r.bad {
		return model.Incident{}, false
	}
	inc := model.Incident{Verification: "reported", Visibility: model.VisibilityInternal}
	id := r.get("event_id_cnty")
	if id == "" {
		r.fail("event_id_cnty", errors.New("is empty; every ACLED event has an ID such as IRQ12345"))
	}
	inc.External = &model.External{System: "acled", ID: id, Original: original}
	inc.Date = r.date()
	fatalities := r.fatalities()
	inc.Fatalities = fatalities
	notes := strings.TrimSpace(r.get("notes"))
	inc.NarrativeEN, inc.SummaryEN = notes, summarise(notes)
	if code, col, err := acledIncidentType(r.get("event_type"), r.get("sub_event_type"), fatalities, notes); err != nil {
		r.fail(col, err)
	} else {
		inc.Type = code
	}
	inc.Place = r.place()
	inter1, inter2 := r.inter("inter1"), r.inter("inter2")
	inc.Perpetrators = acledPerpetrator(r.get("actor1"), inter1, r.get("actor2"), inter2)
	inc.Tags = incidents.TidyTags(strings.Split(r.get("tags"), ";"))
	if r.bad {
		return model.Incident{}, false
	}
	for _, e := range flatten(incidents.Validate(&inc)) {
		col, isCol := acledColumnOf(e.Field)
		r.bad = true
		r.c.add(&Error{File: r.file, Line: r.line, Field: col, Err: e.Err, column: isCol})
	}
	return inc, !r.bad
}

func (r *acledRow) date() model.Date {
	raw := r.get("event_date")
	t, err := parseACLEDDate(raw)
	if err != nil {
		r.fail("event_date", err)
		return model.Date{}
	}
	if y := r.get("year"); y != "" && y != strconv.Itoa(t.Year()) {
		r.fail("year", fmt.Errorf("%q does not match event_date %s; correct one of them", y, raw))
	}
	start, end, precision := t, t, "day"
	switch p := r.get("time_precision"); p {
	case "", "1":
	case "2": // ACLED gives the middle of the week
		start, end, precision = t.AddDate(0, 0, -3), t.AddDate(0, 0, 3), "week"
	case "3": // ACLED gives the middle of the month
		start, end = incidents.Span(t, "month")
		precision = "month"
	default:
		r.fail("time_precision", fmt.Errorf("%q must be 1 (day), 2 (week) or 3 (month)", p))
	}
	return model.Date{Start: start.Format(time.DateOnly), End: end.Format(time.DateOnly), Precision: precision}
}

// ACLED's API writes 2019-10-25; its older export tool wrote 25 October 2019.
var acledDateLayouts = []string{time.DateOnly, "2 January 2006", "2-January-2006", "2 Jan 2006", "2-Jan-2006"}

func parseACLEDDate(s string) (time.Time, error) {
	for _, l := range acledDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date; ACLED writes 2019-10-25 or 25 October 2019 (a spreadsheet program may have changed it)", s)
}

func (r *acledRow) fatalities() int {
	s := r.get("fatalities")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		r.fail("fatalities", fmt.Errorf("%q must be a whole number of reported deaths, 0 or more (blank means 0)", s))
		return 0
	}
	return n
}

func (r *acledRow) inter(col string) int {
	n, err := interCode(r.get(col))
	if err != nil {
		r.fail(col, err)
	}
	return n
}

func (r *acledRow) place() model.Place {
	var p model.Place
	country, iso := r.get("country"), r.get("iso")
	code, ok := acledCountries[strings.ToLower(country)]
	switch {
	case !ok:
		r.fail("country", fmt.Errorf("%q: rasd has a gazetteer only for Iraq; remove rows of other countries", country))
		return p
	case iso != "" && acledCountries[iso] != code:
		r.fail("iso", fmt.Errorf("%q is not the ISO number of %s (368 is Iraq); correct country or iso", iso, country))
	}
	p.Country = code
	if gov, ok := vocab.Admin1ByName(code, r.get("admin1")); ok {
		p.Admin1 = gov.Code
	} else if r.get("admin1") == "" {
		r.fail("admin1", errors.New("is empty; give the governorate, e.g. Baghdad"))
	} else {
		var names []string
		for _, g := range vocab.GazetteerFor(code).Governorates() {
			names = append(names, g.EN)
		}
		r.fail("admin1", fmt.Errorf("%q is not a governorate of %s rasd knows (use one of %q)", r.get("admin1"), country, names))
	}
	p.District, p.Locality = r.get("admin2"), r.get("location")
	if (r.get("latitude") == "") != (r.get("longitude") == "") {
		r.fail("longitude", errors.New("latitude and longitude go together; give both or neither"))
	}
	p.Lat, p.Lon = r.coord("latitude", 90), r.coord("longitude", 180)
	switch g := r.get("geo_precision"); g {
	case "":
	case "1":
		p.GeoPrecision = "exact"
	case "2":
		p.GeoPrecision = "near"
	case "3":
		p.GeoPrecision = "governorate"
	default:
		r.fail("geo_precision", fmt.Errorf("%q must be 1 (town), 2 (near a place) or 3 (region only)", g))
	}
	return p
}

func (r *acledRow) coord(col string, limit float64) *float64 {
	s := r.get(col)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > limit {
		r.fail(col, fmt.Errorf("%q must be decimal degrees between -%v and %v, e.g. 33.3128", s, limit, limit))
		return nil
	}
	return &f
}

// summarise cuts notes to summaryRunes on one line, at a word if one ends
// near the limit.
func summarise(notes string) string {
	s := strings.Join(strings.Fields(notes), " ")
	if utf8.RuneCountInString(s) <= summaryRunes {
		return s
	}
	runes := []rune(s)[:summaryRunes-1] // room for the ellipsis
	cut := len(runes)
	for j := len(runes) - 1; j > len(runes)-40; j-- {
		if runes[j] == ' ' {
			cut = j
			break
		}
	}
	return string(runes[:cut]) + "…"
}

// acledFieldColumns names the column an incidents.Validate field path came from; the
// first matching prefix wins.
var acledFieldColumns = [][2]string{
	{"type", "event_type"}, {"date", "event_date"}, {"place.country", "country"},
	{"place.admin1", "admin1"}, {"place.district", "admin2"}, {"place.locality", "location"},
	{"place.lon", "longitude"}, {"place.lat", "latitude"}, {"place", "latitude"},
	{"fatalities", "fatalities"}, {"summary_en", "notes"}, {"narrative_en", "notes"},
	{"tags", "tags"}, {"external.id", "event_id_cnty"}, {"perpetrators", "actor1"},
}

func acledColumnOf(field string) (string, bool) {
	if col, ok := strings.CutPrefix(field, "external.original."); ok { // kept as read
		return col, true
	}
	for _, fc := range acledFieldColumns {
		if field == fc[0] || strings.HasPrefix(field, fc[0]+".") || strings.HasPrefix(field, fc[0]+"[") {
			return fc[1], true
		}
	}
	return field, false
}
