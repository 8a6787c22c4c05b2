package importer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// boundColumn is a mapped column found in the header row.
type boundColumn struct {
	Column
	index   int
	spec    fieldSpec
	formats []string
	values  map[string]string // folded keys
}

// binding is a mapping matched to a sheet's header row.
type binding struct {
	m       *Mapping
	cols    []boundColumn
	header  []string
	serials bool
	file    string
}

// fold makes cell values and names match whatever their case and spacing.
func foldCell(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// bind finds every mapped column in the header; a mapping naming a
// column the sheet lacks is refused, naming the columns it has.
func (m *Mapping) bind(header []string, file string, serials bool) (*binding, error) {
	if len(header) > maxColumns {
		return nil, fmt.Errorf("the header row has %d columns; rasd reads sheets of at most %d", len(header), maxColumns)
	}
	at := map[string]int{}
	for i, h := range header {
		k := foldCell(h)
		if k == "" {
			continue
		}
		if j, dup := at[k]; dup {
			return nil, fmt.Errorf("column %q appears twice (columns %s and %s); rename one", h, columnName(j), columnName(i))
		}
		at[k] = i
	}
	b := &binding{m: m, header: append([]string(nil), header...), serials: serials, file: file}
	var missing []string
	for _, c := range m.Columns {
		i, ok := at[foldCell(c.Column)]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", c.Column))
			continue
		}
		bc := boundColumn{Column: c, index: i, spec: sheetFields[c.Field], formats: c.DateFormats, values: map[string]string{}}
		if len(bc.formats) == 0 {
			bc.formats = m.DateFormats
		}
		if len(bc.formats) == 0 {
			bc.formats = defaultDateFormats
		}
		for k, v := range c.Values {
			bc.values[foldCell(k)] = v
		}
		b.cols = append(b.cols, bc)
	}
	if missing != nil {
		var has []string
		for _, h := range header {
			if strings.TrimSpace(h) != "" {
				has = append(has, fmt.Sprintf("%q", h))
			}
		}
		return nil, fmt.Errorf("the mapping names column %s, which the header row (row %d) does not have; it has %s",
			strings.Join(missing, ", "), m.headerRow(), strings.Join(has, ", "))
	}
	return b, nil
}

func (m *Mapping) headerRow() int { return max(m.HeaderRow, 1) }

func (m *Mapping) country() string {
	if m.Country == "" {
		return "IQ"
	}
	return m.Country
}

// sheetRow turns one row into an incident; its problems name the row and
// the column they came from.
type sheetRow struct {
	b    *binding
	row  int
	errs []*Error
}

func (r *sheetRow) fail(c *boundColumn, err error) {
	field, mapField := "", ""
	if c != nil {
		field, mapField = fmt.Sprintf("%s (%s)", columnName(c.index), c.Column.Column), c.Field
	}
	r.errs = append(r.errs, &Error{File: r.b.file, Row: r.row, Field: field, MapField: mapField, Err: err, column: c != nil})
}

func (b *binding) incident(row int, cells []string) (*model.Incident, []*Error) {
	r := &sheetRow{b: b, row: row}
	inc := &model.Incident{Place: model.Place{Country: b.m.country()}}
	set := map[string]bool{}
	if b.hasField("external.id") {
		orig := map[string]string{}
		for i, h := range b.header {
			if i < len(cells) && strings.TrimSpace(h) != "" && cells[i] != "" {
				orig[h] = cells[i]
			}
		}
		inc.External = &model.External{System: b.m.System, Original: orig}
	}
	for i := range b.cols {
		c := &b.cols[i]
		v := ""
		if c.index < len(cells) {
			v = unsafeCell(strings.TrimSpace(cells[c.index]))
		}
		if v == "" {
			continue
		}
		set[c.Field] = true
		if err := r.apply(inc, c, v); err != nil {
			r.fail(c, err)
		}
	}
	for f, v := range b.m.Defaults {
		if !set[f] {
			if err := r.apply(inc, &boundColumn{Column: Column{Field: f}, spec: sheetFields[f]}, v); err != nil {
				r.fail(nil, fmt.Errorf("default of %s: %w", f, err))
			}
		}
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	incidents.ApplyDefaults(inc)
	for _, p := range incidents.Problems(incidents.Validate(inc)) {
		r.fail(b.columnOf(p.Field), p.Err)
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return inc, nil
}

func (b *binding) hasField(f string) bool {
	for _, c := range b.cols {
		if c.Field == f {
			return true
		}
	}
	return false
}

// columnOf is the column a validation problem's field came from.
func (b *binding) columnOf(path string) *boundColumn {
	field := path
	switch {
	case strings.HasPrefix(path, "perpetrators[0]."):
		field = "perpetrator." + strings.TrimPrefix(path, "perpetrators[0].")
		if field == "perpetrator.modus_operandi" {
			field = "perpetrator.modus"
		}
	case path == "place":
		field = "place.lat"
	case strings.HasPrefix(path, "tags["):
		field = "tags"
	}
	for i := range b.cols {
		if b.cols[i].Field == field {
			return &b.cols[i]
		}
	}
	return nil
}

// apply sets c's field from the cell value v.
func (r *sheetRow) apply(inc *model.Incident, c *boundColumn, v string) error {
	switch c.spec.kind {
	case kindCode:
		code, err := codeOf(c, v)
		if err != nil {
			return err
		}
		v = code
	case kindAdmin1:
		if code, ok := c.values[foldCell(v)]; ok {
			v = code
		} else if p, ok := vocab.Admin1ByName(r.b.m.country(), v); ok {
			v = p.Code
		} else {
			return fmt.Errorf("%q is not a governorate rasd knows by code or by name in English or Arabic; map it in the column's values", v)
		}
	case kindBool:
		switch foldCell(v) {
		case "yes", "true", "1", "y", "نعم":
			v = "yes"
		case "no", "false", "0", "n", "لا":
			v = ""
		default:
			return fmt.Errorf("%q is not yes or no", v)
		}
	case kindDate:
		d, err := parseSheetDate(v, c.formats, r.b.serials)
		if err != nil {
			return err
		}
		v = d
	}
	switch c.Field {
	case "external.id":
		if inc.External != nil {
			inc.External.ID = v
		}
	case "type":
		inc.Type = v
	case "date.start":
		inc.Date.Start = v
	case "date.end":
		inc.Date.End = v
	case "date.precision":
		inc.Date.Precision = v
	case "date.estimated":
		inc.Date.Estimated = v == "yes"
	case "place.derived":
		inc.Place.Derived = v == "yes" // Validate checks the coordinates agree
	case "place.country":
		inc.Place.Country = strings.ToUpper(v)
	case "place.admin1":
		inc.Place.Admin1 = v
	case "place.district":
		inc.Place.District = v
	case "place.locality":
		inc.Place.Locality = v
	case "place.lat", "place.lon":
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%q is not decimal degrees, e.g. 33.3128", v)
		}
		if c.Field == "place.lat" {
			inc.Place.Lat = &f
		} else {
			inc.Place.Lon = &f
		}
	case "place.geo_precision":
		inc.Place.GeoPrecision = v
	case "fatalities":
		n, err := strconv.Atoi(v)
		if f, ferr := strconv.ParseFloat(v, 64); err != nil && ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e9 {
			n, err = int(f), nil // a number cell read raw: "3" or "3.0"
		}
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		inc.Fatalities = n
	case "summary_en":
		inc.SummaryEN = v
	case "summary_ar":
		inc.SummaryAR = v
	case "narrative_en":
		inc.NarrativeEN = v
	case "narrative_ar":
		inc.NarrativeAR = v
	case "verification":
		inc.Verification = v
	case "motive_link":
		inc.MotiveLink = v
	case "visibility":
		inc.Visibility = v
	case "perpetrator.type", "perpetrator.group", "perpetrator.modus":
		if len(inc.Perpetrators) == 0 {
			inc.Perpetrators = []model.Perpetrator{{}}
		}
		p := &inc.Perpetrators[0]
		switch c.Field {
		case "perpetrator.type":
			p.Type = v
		case "perpetrator.group":
			p.Group = v
		default:
			p.ModusOperandi = v
		}
	case "tags":
		sep := c.Split
		if sep == "" {
			sep = ";"
		}
		inc.Tags = append(inc.Tags, strings.Split(v, sep)...)
	case "ignore":
	default:
		return errors.New("is mapped to no field") // unreachable: Check refuses it
	}
	return nil
}

// codeOf reads a vocabulary cell: the mapping's word for it, its code, or
// its label in English or Arabic, case and spacing aside.
func codeOf(c *boundColumn, v string) (string, error) {
	k := foldCell(v)
	if code, ok := c.values[k]; ok {
		return code, nil
	}
	voc := vocab.Get(c.spec.vocab)
	for _, t := range voc.Terms {
		if k == foldCell(t.Code) || k == foldCell(t.EN) || k == foldCell(t.AR) || k == foldCell(t.Label("en")) || k == foldCell(t.Label("ar")) {
			return t.Code, nil
		}
	}
	return "", fmt.Errorf("%q is not a %s rasd knows (codes %v); map it in the column's values", v, c.spec.vocab, voc.Codes())
}

// unsafeCell takes off the apostrophe an export puts before text that a
// spreadsheet program would read as a formula (export.SafeCell).
func unsafeCell(s string) string {
	if len(s) < 2 || s[0] != '\'' {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(s[1:]); r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return s[1:]
	}
	return s
}
