package web

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The mapping step's page (sheet.html) and its form: what each header
// column maps to, the words of coded columns, the defaults.

// sheetPage is what sheet.html shows.
type sheetPage struct {
	ID, Name, Format string
	Rows             []importer.PreviewRow
	Width            int // cells in the widest preview row
	Sheet            string
	HeaderRow        int
	System           string
	DateFormats      string
	Columns          []sheetColumn
	// The columns previewed and mapped on this page, [ColFrom, ColTo);
	// PrevCols and NextCols start the pages before and after (-1: none).
	ColFrom, ColTo       int
	PrevCols, NextCols   int
	FromLetter, ToLetter string
	Fields               []option
	Defaults             map[string]string
	Suggested            bool
	Checked, Clean       bool
	MappingOK            bool
	MappingErrors        []string
	Problems             []sheetProblem
	Count                int
	Sample               []model.Incident
	SaveName, Saved      string
	SaveError            bool
	ImportError          string
}

// sheetColumn is one column of the header row in the mapping form.
type sheetColumn struct {
	Index          int
	Letter, Header string
	Field          string
	Vocab          string // what its values are coded in ("" none)
	Values         []sheetValue
	Choices        []option
	Shown          bool // on this page; else its choices ride in hidden inputs
}

type sheetValue struct{ Word, Code string }

type sheetProblem struct {
	Row                   int
	Column, Field, Detail string
}

// The defaults the form offers: the fields a partner's sheet most often
// leaves to the organisation.
var sheetDefaults = []struct{ Field, Vocab string }{
	{"type", vocab.IncidentType}, {"verification", vocab.VerificationStatus}, {"visibility", vocab.Visibility},
}

// fill sets the page's form from m over header.
func (p *sheetPage) fill(m *importer.Mapping, header []string, lang string) {
	p.Sheet, p.HeaderRow, p.System = m.Sheet, max(m.HeaderRow, 1), m.System
	p.DateFormats = strings.Join(m.DateFormats, ", ")
	p.Defaults = m.Defaults
	for i, r := range p.Rows {
		p.Width = max(p.Width, len(r.Cells))
		cells := make([]string, len(r.Cells)) // a copy: header shares r.Cells
		for j, c := range r.Cells {
			cells[j] = shortCell(c)
		}
		p.Rows[i].Cells = cells
	}
	for _, f := range importer.MappableFields() {
		p.Fields = append(p.Fields, option{Code: f, Label: i18n.T(lang, "sheets.field."+f)})
	}
	for i, h := range header {
		c := sheetColumn{Index: i, Letter: columnLetter(i), Header: h}
		for _, mc := range m.Columns {
			if sameColumn(mc.Column, h) {
				c.Field = mc.Field
				for word, code := range mc.Values {
					c.Values = append(c.Values, sheetValue{word, code})
				}
			}
		}
		if c.Vocab = importer.ValueVocab(c.Field); c.Vocab != "" {
			c.Choices = valueChoices(c.Vocab, lang)
		}
		p.Columns = append(p.Columns, c)
	}
}

// window picks the page of columns shown: the one a "cols" button asks
// for, else the one the form was on ("at"), else the first; the preview's
// cells are cut to it.
func (p *sheetPage) window(form url.Values) {
	from := 0
	if form != nil {
		from = formInt(form.Get("at"))
		if form.Has("cols") {
			from = formInt(form.Get("cols"))
		}
	}
	n := len(p.Columns)
	from = min(max(from, 0), max(n-1, 0)) / sheetLightColumns * sheetLightColumns
	to := min(from+sheetLightColumns, n)
	p.ColFrom, p.ColTo, p.PrevCols, p.NextCols = from, to, -1, -1
	if to > from {
		p.FromLetter, p.ToLetter = columnLetter(from), columnLetter(to-1)
	}
	if from > 0 {
		p.PrevCols = from - sheetLightColumns
	}
	if to < n {
		p.NextCols = to
	}
	for i := range p.Columns {
		p.Columns[i].Shown = i >= from && i < to
	}
	for i, r := range p.Rows {
		p.Rows[i].Cells = r.Cells[min(from, len(r.Cells)):min(from+sheetLightColumns, len(r.Cells))]
	}
}

// addWords adds the sheet's unmapped words to their columns' values.
func (p *sheetPage) addWords(words map[string][]string) {
	for i := range p.Columns {
		for _, w := range words[p.Columns[i].Header] {
			p.Columns[i].Values = append(p.Columns[i].Values, sheetValue{Word: w})
		}
	}
}

func valueChoices(v, lang string) []option {
	if v != importer.Admin1Values {
		return options(v, lang)
	}
	var out []option
	for _, g := range vocab.GazetteerFor("IQ").Governorates() {
		out = append(out, option{Code: g.Code, Label: g.Label(lang)})
	}
	return out
}

// mappingFromForm reads the mapping form: field.I is the field of
// header column I, word.I.J and code.I.J its values, default.F the
// defaults.
func mappingFromForm(m *importer.Mapping, f url.Values, header []string) {
	m.System = strings.TrimSpace(f.Get("system"))
	for _, d := range strings.Split(f.Get("date_formats"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			m.DateFormats = append(m.DateFormats, d)
		}
	}
	for _, d := range sheetDefaults {
		if v := f.Get("default." + d.Field); v != "" {
			if m.Defaults == nil {
				m.Defaults = map[string]string{}
			}
			m.Defaults[d.Field] = v
		}
	}
	for i, h := range header {
		field := f.Get("field." + itoa(i))
		if field == "" || strings.TrimSpace(h) == "" {
			continue
		}
		c := importer.Column{Column: h, Field: field}
		if importer.ValueVocab(field) != "" {
			for j := 0; ; j++ {
				word, ok := f["word."+itoa(i)+"."+itoa(j)]
				if !ok {
					break
				}
				if code := f.Get("code." + itoa(i) + "." + itoa(j)); code != "" && len(word) == 1 && word[0] != "" {
					if c.Values == nil {
						c.Values = map[string]string{}
					}
					c.Values[word[0]] = code
				}
			}
		}
		m.Columns = append(m.Columns, c)
	}
}

// sheetProblemsOf lists an import's problems for the page.
func sheetProblemsOf(err error, lang string) []sheetProblem {
	var list importer.ErrorList
	var one *importer.Error
	var refused *incidents.RecordError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = importer.ErrorList{one}
	case errors.As(err, &refused):
		return []sheetProblem{{Detail: problemText(lang, refused)}}
	default:
		return []sheetProblem{{Detail: problemText(lang, err)}}
	}
	out := make([]sheetProblem, len(list))
	for i, e := range list {
		out[i] = sheetProblem{Row: e.Row, Column: e.Field, Field: e.MapField}
		if e.Err == nil {
			out[i].Detail = e.Error()
		} else {
			out[i].Detail = problemText(lang, e.Err)
		}
	}
	return out
}

// sheetCellKinds recognise the importer's problems with a cell by their
// wording, most specific first, with the words they quote as arguments
// (TestSheetProblemsTranslated keeps them in step with package importer).
var sheetCellKinds = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^"(.*)" is not a governorate rasd knows`), "sheets.problem.governorate"},
	{regexp.MustCompile(`^"(.*)" is not a [a-z_]+ rasd knows`), "sheets.problem.code"},
	{regexp.MustCompile(`^"(.*)" is not a date in the mapping's formats`), "sheets.problem.date"},
	{regexp.MustCompile(`^"(.*)" is not a whole number`), "sheets.problem.number"},
	{regexp.MustCompile(`^"(.*)" is not decimal degrees`), "sheets.problem.degrees"},
	{regexp.MustCompile(`^"(.*)" is not yes or no`), "sheets.problem.yes_no"},
	{regexp.MustCompile(`^"(.*)" is also on row (\d+)`), "sheets.problem.twice"},
	{regexp.MustCompile(`^stopped after (\d+) problems`), "sheets.problem.stopped"},
}

// problemText is a problem of a row in lang: the importer's problems with
// a cell and the validator's (errorKind, as the incident form says them)
// by their keys; any other in the importer's English.
func problemText(lang string, err error) string {
	msg := err.Error()
	for _, k := range sheetCellKinds {
		if m := k.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i := range args {
				args[i] = m[i+1]
			}
			return i18n.T(lang, k.key, args...)
		}
	}
	if fe := errorKind(msg); fe.Key != "form.error.invalid" {
		return i18n.T(lang, fe.Key, fe.Args...)
	}
	return msg
}

// shortCell keeps a preview's cell to sheetCellRunes characters: the
// page stays light whatever the sheet's cells hold.
func shortCell(s string) string {
	if utf8.RuneCountInString(s) <= sheetCellRunes {
		return s
	}
	return string([]rune(s)[:sheetCellRunes]) + "…"
}

func headerOf(rows []importer.PreviewRow, row int) []string {
	for _, r := range rows {
		if r.Row == row {
			return r.Cells
		}
	}
	return nil
}

func sameColumn(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

func columnIndex(header []string, name string) int {
	for i, h := range header {
		if sameColumn(h, name) {
			return i
		}
	}
	return -1
}

// columnLetter is a spreadsheet's name of column i (A, B, … AA).
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

// formInt reads a whole number of a form: 0 when empty, -1 when not one
// (which Mapping.Check refuses, naming the key).
func formInt(s string) int {
	if s = strings.TrimSpace(s); s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
