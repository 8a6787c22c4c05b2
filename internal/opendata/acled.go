package opendata

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/redact"
)

// ACLEDOptions tune the ACLED-compatible CSV.
type ACLEDOptions struct {
	CSVOptions
	// Source is written in ACLED's source column; "" means "rasd".
	// Name the organisation here if it wants to be credited.
	Source string
	// SourceScale is ACLED's source_scale; "" means "National".
	SourceScale string
}

// ACLEDWriter writes CSV in ACLED's export format: ACLED's columns
// (in importer.ACLEDColumns order) and codes, one row per incident
// that ACLED's categories describe. rasd's own importer reads it back
// (docs/open-data.md lists what does not survive the round trip).
type ACLEDWriter struct {
	csvBase
	opt     ACLEDOptions
	skipped int
	buf     []string // the row being written, reused
}

// acledOrder is the order rasd writes ACLED's columns in; a test checks
// it is importer.ACLEDColumns.
var acledOrder = []string{"event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
	"event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
	"inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
	"admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
	"fatalities", "tags", "timestamp"}

// NewACLED returns a writer of ACLED-format CSV to w.
func NewACLED(w io.Writer, opt ACLEDOptions) *ACLEDWriter {
	if opt.Source == "" {
		opt.Source = "rasd"
	}
	if opt.SourceScale == "" {
		opt.SourceScale = "National"
	}
	return &ACLEDWriter{csvBase: newCSVBase(w, opt.CSVOptions, acledOrder), opt: opt}
}

// Skipped says how many records were left out: types ACLED does not code
// (threats, smears, legal harassment, displacement), places outside a
// country rasd knows ACLED's names for, places published at country level
// only (ACLED requires admin1), and dates that do not parse.
func (a *ACLEDWriter) Skipped() int { return a.skipped }

// Write writes one incident, or skips it (see Skipped).
func (a *ACLEDWriter) Write(p redact.Public) error {
	row, ok := a.row(&p)
	if !ok {
		a.skipped++
		return a.err
	}
	return a.csvBase.row(row)
}

// Close flushes; an empty export still has its header.
func (a *ACLEDWriter) Close() error { return a.close() }

func (a *ACLEDWriter) row(p *redact.Public) ([]string, bool) {
	ev, ok := acledEvents[p.Type]
	country, known := acledCountries[p.Place.Country]
	admin1 := acledAdmin1[p.Place.Admin1]
	date, precision, dateNote, dated := acledDate(p.Date)
	if !ok || !known || admin1 == "" || !dated {
		return nil, false
	}
	actor1, inter1, assoc1 := "", 0, []string{}
	for i, t := range p.Perpetrators {
		name, inter := actorName(t, country.name)
		if i == 0 {
			actor1, inter1 = name, inter
		} else {
			assoc1 = append(assoc1, name)
		}
	}
	var assoc2 []string
	for _, v := range p.Victims {
		if g := acledVictims[v.Role]; g != "" && !slices.Contains(assoc2, g+" ("+country.name+")") {
			assoc2 = append(assoc2, g+" ("+country.name+")")
		}
	}
	civilianTargeting := ""
	if ev.event == vac {
		civilianTargeting = "Civilian targeting"
	}
	location := p.Place.Locality
	if location == "" {
		location = p.Place.DistrictEN
	}
	if location == "" {
		location = p.Place.Admin1EN
	}
	notes := p.SummaryEN
	if dateNote != "" {
		notes = strings.TrimSpace(notes + " " + dateNote)
	}
	timestamp := ""
	if !p.Updated.IsZero() {
		timestamp = strconv.FormatInt(p.Updated.Unix(), 10)
	}
	inter := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	row := a.buf[:0]
	row = append(row, Cell(p.Code), date, date[:4], strconv.Itoa(precision), ev.disorder, ev.event, ev.sub,
		actor1, strings.Join(assoc1, "; "), inter(inter1), "Civilians ("+country.name+")", strings.Join(assoc2, "; "), "7",
		interaction(inter1, 7), civilianTargeting, country.iso, country.region, country.name,
		admin1, Cell(p.Place.DistrictEN), "", Cell(location), decimal(p.Place.Lat), decimal(p.Place.Lon),
		acledGeo[p.Place.GeoPrecision], Cell(a.opt.Source), Cell(a.opt.SourceScale), Cell(notes),
		strconv.Itoa(p.Fatalities), Cell(list(p.Tags)), timestamp)
	a.buf = row
	return row, true
}
