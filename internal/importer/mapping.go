package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Mapping says how a partner's spreadsheet becomes incidents: which
// column holds which field, what their words mean in rasd's vocabularies,
// how they write dates. It is the documented JSON file of
// docs/spreadsheets.md.
type Mapping struct {
	Format      string            `json:"format"`  // MappingFormat
	Version     int               `json:"version"` // MappingVersion
	Sheet       string            `json:"sheet,omitempty"`
	HeaderRow   int               `json:"header_row,omitempty"` // 1-based; 0 = 1
	Country     string            `json:"country,omitempty"`    // "" = IQ
	System      string            `json:"system,omitempty"`     // external.system of an external.id column
	DateFormats []string          `json:"date_formats,omitempty"`
	Columns     []Column          `json:"columns"`
	Defaults    map[string]string `json:"defaults,omitempty"` // field → value for rows that leave it empty
}

// Column maps one column of the sheet to a field.
type Column struct {
	Column      string            `json:"column"` // the header cell's text
	Field       string            `json:"field"`
	Values      map[string]string `json:"values,omitempty"`       // the partner's word → rasd's code
	DateFormats []string          `json:"date_formats,omitempty"` // for date fields; else the mapping's
	Split       string            `json:"split,omitempty"`        // tags: the separator, default ";"
}

// Mapping file identifiers.
const (
	MappingFormat  = "rasd-sheet-mapping"
	MappingVersion = 1
)

// Limits on a mapping, far above any real one.
const (
	maxMappingBytes = 1 << 20
	maxColumns      = 1024 // a sheet's header row, and a mapping's columns
)

// fieldKind is how a field's cells are read.
type fieldKind int

const (
	kindText fieldKind = iota
	kindCode           // a vocabulary code, or a label in either language
	kindDate
	kindInt
	kindLat
	kindLon
	kindAdmin1
	kindTags
	kindBool // yes/no, true/false, 1/0, نعم/لا
)

type fieldSpec struct {
	kind  fieldKind
	vocab string // kindCode
}

// sheetFields are the fields a column may fill (docs/spreadsheets.md).
var sheetFields = map[string]fieldSpec{
	"external.id":         {kind: kindText},
	"type":                {kindCode, vocab.IncidentType},
	"date.start":          {kind: kindDate},
	"date.end":            {kind: kindDate},
	"date.precision":      {kindCode, vocab.DatePrecision},
	"date.estimated":      {kind: kindBool},
	"place.derived":       {kind: kindBool}, // checked: the coordinates must lie in the governorate
	"place.admin1":        {kind: kindAdmin1},
	"place.district":      {kind: kindText},
	"place.locality":      {kind: kindText},
	"place.lat":           {kind: kindLat},
	"place.lon":           {kind: kindLon},
	"place.geo_precision": {kindCode, vocab.GeoPrecision},
	"fatalities":          {kind: kindInt},
	"summary_en":          {kind: kindText},
	"summary_ar":          {kind: kindText},
	"narrative_en":        {kind: kindText},
	"narrative_ar":        {kind: kindText},
	"verification":        {kindCode, vocab.VerificationStatus},
	"motive_link":         {kindCode, vocab.MotiveLink},
	"visibility":          {kindCode, vocab.Visibility},
	"perpetrator.type":    {kindCode, vocab.PerpetratorType},
	"perpetrator.group":   {kind: kindText},
	"perpetrator.modus":   {kind: kindText},
	"tags":                {kind: kindTags},
	"place.country":       {kind: kindText},
	"ignore":              {kind: kindText}, // a column read and dropped
}

// notMappable are names of fields a sheet may not fill, with why.
var notMappable = map[string]string{
	"perpetrator.unknown":  "is not a field; use perpetrator.type",
	"victims":              "victims are not imported from spreadsheets (they hold persons; use the JSON import)",
	"sources":              "sources are not imported from spreadsheets",
	"consent":              "consent is recorded in rasd, not imported",
	"merged_into":          "merges are made in rasd, not imported",
	"external.system":      "is the mapping's \"system\", not a column",
	"perpetrators[0].type": "write perpetrator.type",
}

// MappableFields lists the fields a column may fill, sorted.
func MappableFields() []string {
	var out []string
	for f := range sheetFields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// ReadMapping reads and checks a mapping file: every field exists, no
// column or field is mapped twice, every value maps to a code of the
// field's vocabulary, every date format is one rasd understands, and the
// fields an incident needs (type, date.start, a place) are there. Errors
// name the column and field.
func ReadMapping(r io.Reader) (*Mapping, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxMappingBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	if len(data) > maxMappingBytes {
		return nil, fmt.Errorf("mapping: larger than %d bytes; a mapping is a short JSON file", maxMappingBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("mapping: %w; see docs/spreadsheets.md", err)
	}
	if dec.More() {
		return nil, errors.New("mapping: text after the JSON object")
	}
	return &m, m.Check()
}

// Check is ReadMapping's check of a mapping made in another way (the
// web wizard).
func (m *Mapping) Check() error {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if m.Format != MappingFormat || m.Version != MappingVersion {
		bad("format and version must be %q and %d", MappingFormat, MappingVersion)
	}
	if m.HeaderRow < 0 || m.HeaderRow > 1000 {
		bad("header_row %d: give the row of the column names, from 1 to 1000", m.HeaderRow)
	}
	if m.Country != "" && vocab.GazetteerFor(m.Country) == nil {
		bad("country %q: rasd has no gazetteer for it (use IQ)", m.Country)
	}
	if m.System != "" && !systemName(m.System) {
		bad("system %q: a short lower-case name of the partner, e.g. \"partner-x\"", m.System)
	}
	if len(m.Columns) > maxColumns {
		bad("%d columns; at most %d", len(m.Columns), maxColumns)
	}
	checkFormats := func(where string, fs []string) {
		for _, f := range fs {
			if _, err := goLayout(f); err != nil {
				bad("%s: %v", where, err)
			}
		}
	}
	checkFormats("date_formats", m.DateFormats)
	fields, columns := map[string]string{}, map[string]bool{}
	for i, c := range m.Columns {
		where := fmt.Sprintf("columns[%d] (%q)", i, c.Column)
		name := strings.TrimSpace(c.Column)
		switch {
		case name == "":
			bad("columns[%d]: no column name", i)
		case columns[strings.ToLower(name)]:
			bad("%s: the column is mapped twice", where)
		}
		columns[strings.ToLower(name)] = true
		if err := checkField(c.Field); err != nil {
			bad("%s: %v", where, err)
			continue
		}
		if prev, dup := fields[c.Field]; dup && c.Field != "ignore" {
			bad("%s: field %s is also the field of column %q", where, c.Field, prev)
		}
		fields[c.Field] = c.Column
		spec := sheetFields[c.Field]
		for from, to := range c.Values {
			if err := checkValue(spec, to); err != nil {
				bad("%s: values[%q]: %v", where, from, err)
			}
		}
		if len(c.Values) > 0 && spec.kind != kindCode && spec.kind != kindAdmin1 {
			bad("%s: values apply only to fields with a vocabulary or governorates", where)
		}
		if len(c.DateFormats) > 0 && spec.kind != kindDate {
			bad("%s: date_formats apply only to date fields", where)
		}
		checkFormats(where, c.DateFormats)
	}
	for f, v := range m.Defaults {
		if err := checkField(f); err != nil {
			bad("defaults[%q]: %v", f, err)
		} else if err := checkValue(sheetFields[f], v); err != nil {
			bad("defaults[%q]: %v", f, err)
		}
	}
	has := func(f string) bool { _, c := fields[f]; _, d := m.Defaults[f]; return c || d }
	if !has("type") {
		bad("no column or default gives the incident type (field type)")
	}
	if _, ok := fields["date.start"]; !ok {
		bad("no column gives the date (field date.start)")
	}
	if !has("place.admin1") && !has("place.lat") && !has("place.locality") && !has("place.district") {
		bad("no column gives the place: map the governorate (place.admin1), coordinates (place.lat and place.lon) or a place name")
	}
	if has("place.lat") != has("place.lon") {
		bad("place.lat and place.lon go together; map both or neither")
	}
	if _, ok := fields["external.id"]; ok && m.System == "" {
		bad("an external.id column needs the mapping's system: the partner's short name")
	}
	if errs == nil {
		return nil
	}
	return fmt.Errorf("mapping: %s", strings.Join(errs, "; "))
}

func checkField(f string) error {
	if why, no := notMappable[f]; no {
		return fmt.Errorf("field %q: %s", f, why)
	}
	if _, ok := sheetFields[f]; !ok {
		return fmt.Errorf("field %q is not a field rasd imports from a sheet (use one of %s)", f, strings.Join(MappableFields(), ", "))
	}
	return nil
}

// checkValue checks a code a mapping gives for a field.
func checkValue(spec fieldSpec, v string) error {
	switch spec.kind {
	case kindCode:
		return vocab.Get(spec.vocab).Check(v)
	case kindAdmin1:
		if _, ok := vocab.Admin1(v); !ok {
			return fmt.Errorf("%q is not a governorate code, e.g. IQ-BG", v)
		}
	}
	return nil
}

func systemName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '_')) {
			return false
		}
	}
	return true
}
