// Package export writes incidents as CSV, XLSX or JSON for other tools,
// one at a time as the store reads them, so memory stays flat however
// many there are. What is written is what the reader may see (the caller
// passes incidents.Service.Each); the rules are in docs/exports.md.
package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Formats are the formats Write knows.
var Formats = []string{"csv", "xlsx", "json"}

// ContentType is the media type of a format, for downloads.
func ContentType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json"
}

// Source hands over the incidents to write, in order.
type Source func(fn func(*model.Incident) error) error

// Write writes every incident of src to w in format, returning how many.
func Write(w io.Writer, format string, src Source) (int, error) {
	switch format {
	case "csv":
		return writeCSV(w, src)
	case "xlsx":
		return writeXLSX(w, src)
	case "json":
		return writeJSON(w, src)
	}
	return 0, fmt.Errorf("format %q: use csv, xlsx or json", format)
}

// column is one column of the CSV and XLSX exports: a field's value, and
// for coded fields its labels in English and Arabic beside it.
type column struct {
	name string
	get  func(*model.Incident) string
}

func vocabColumns(name, vocabulary string, get func(*model.Incident) string) []column {
	label := func(lang string) func(*model.Incident) string {
		return func(inc *model.Incident) string {
			code := get(inc)
			if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
				return t.Label(lang)
			}
			return ""
		}
	}
	return []column{{name, get}, {name + "_en", label("en")}, {name + "_ar", label("ar")}}
}

func placeColumns(name string, get func(*model.Incident) string) []column {
	label := func(lang string) func(*model.Incident) string {
		return func(inc *model.Incident) string {
			code := get(inc)
			if p, ok := vocab.Admin1(code); ok {
				return p.Label(lang)
			}
			if g := vocab.GazetteerFor(inc.Place.Country); g != nil {
				if p, ok := g.Lookup(code); ok {
					return p.Label(lang)
				}
			}
			return ""
		}
	}
	return []column{{name, get}, {name + "_en", label("en")}, {name + "_ar", label("ar")}}
}

func perp(inc *model.Incident) model.Perpetrator {
	if len(inc.Perpetrators) == 0 {
		return model.Perpetrator{}
	}
	return inc.Perpetrators[0]
}

func coord(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// columns are the export's columns, in order (docs/exports.md).
var columns = func() []column {
	var c []column
	add := func(cs ...column) { c = append(c, cs...) }
	add(column{"code", func(i *model.Incident) string { return i.Code }})
	add(vocabColumns("type", vocab.IncidentType, func(i *model.Incident) string { return i.Type })...)
	add(column{"date_start", func(i *model.Incident) string { return i.Date.Start }},
		column{"date_end", func(i *model.Incident) string { return i.Date.End }})
	add(vocabColumns("date_precision", vocab.DatePrecision, func(i *model.Incident) string { return i.Date.Precision })...)
	add(column{"date_estimated", func(i *model.Incident) string { return yes(i.Date.Estimated) }})
	add(column{"country", func(i *model.Incident) string { return i.Place.Country }})
	add(placeColumns("admin1", func(i *model.Incident) string { return i.Place.Admin1 })...)
	add(placeColumns("district", func(i *model.Incident) string { return i.Place.District })...)
	add(column{"locality", func(i *model.Incident) string { return i.Place.Locality }},
		column{"lat", func(i *model.Incident) string { return coord(i.Place.Lat) }},
		column{"lon", func(i *model.Incident) string { return coord(i.Place.Lon) }})
	add(vocabColumns("geo_precision", vocab.GeoPrecision, func(i *model.Incident) string { return i.Place.GeoPrecision })...)
	add(column{"place_derived", func(i *model.Incident) string { return yes(i.Place.Derived) }},
		column{"fatalities", func(i *model.Incident) string { return strconv.Itoa(i.Fatalities) }})
	add(vocabColumns("perpetrator_type", vocab.PerpetratorType, func(i *model.Incident) string { return perp(i).Type })...)
	add(column{"perpetrator_group", func(i *model.Incident) string { return perp(i).Group }},
		column{"perpetrator_modus", func(i *model.Incident) string { return perp(i).ModusOperandi }},
		column{"perpetrators", func(i *model.Incident) string { return strconv.Itoa(len(i.Perpetrators)) }})
	add(vocabColumns("verification", vocab.VerificationStatus, func(i *model.Incident) string { return i.Verification })...)
	add(vocabColumns("motive_link", vocab.MotiveLink, func(i *model.Incident) string { return i.MotiveLink })...)
	add(vocabColumns("visibility", vocab.Visibility, func(i *model.Incident) string { return i.Visibility })...)
	add(column{"summary_en", func(i *model.Incident) string { return i.SummaryEN }},
		column{"summary_ar", func(i *model.Incident) string { return i.SummaryAR }},
		column{"narrative_en", func(i *model.Incident) string { return i.NarrativeEN }},
		column{"narrative_ar", func(i *model.Incident) string { return i.NarrativeAR }},
		column{"tags", func(i *model.Incident) string { return strings.Join(i.Tags, "; ") }},
		column{"external_system", func(i *model.Incident) string {
			if i.External == nil {
				return ""
			}
			return i.External.System
		}},
		column{"external_id", func(i *model.Incident) string {
			if i.External == nil {
				return ""
			}
			return i.External.ID
		}},
		column{"updated_at", func(i *model.Incident) string { return i.UpdatedAt.UTC().Format(time.RFC3339) }})
	return c
}()

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Header is the export's header row.
func Header() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.name
	}
	return out
}

// row fills out (of len(columns)) with inc's cells.
func row(inc *model.Incident, out []string) {
	for i, c := range columns {
		out[i] = c.get(inc)
	}
}
