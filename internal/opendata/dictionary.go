package opendata

import (
	"fmt"
	"io"
	"strings"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Formats a data dictionary describes.
const (
	FormatCSV   = "csv"   // rasd's CSV (CSVWriter)
	FormatJSON  = "json"  // JSON, JSON Lines and GeoJSON properties
	FormatACLED = "acled" // ACLED-compatible CSV (ACLEDWriter)
)

// Kinds of value a field holds.
const (
	KindText      = "text"
	KindCode      = "code"    // a code of Vocab
	KindList      = "list"    // several values: a JSON array, or "; "-separated in CSV
	KindDate      = "date"    // YYYY-MM-DD
	KindInteger   = "integer" // whole number
	KindDecimal   = "decimal" // decimal degrees
	KindBoolean   = "boolean" // true or false
	KindTimestamp = "timestamp"
)

// Field is one column of a file, or one field of a JSON record, as the
// data dictionary describes it.
type Field struct {
	Name   string // CSV column name, or JSON path such as "place.admin1" or "victims[].role"
	Kind   string
	Vocab  string // vocabulary of the codes (package vocab), if any
	EN, AR string // what it holds
}

// Values lists the codes of the field's vocabulary with their labels in
// lang; nil without a vocabulary.
func (f Field) Values(lang string) []string {
	if f.Vocab == "" {
		return nil
	}
	var out []string
	for _, t := range vocab.Get(f.Vocab).Terms {
		if f.Vocab == vocab.VerificationStatus && t.Code == "rejected" {
			continue // never published
		}
		out = append(out, t.Code+" = "+t.Label(lang))
	}
	return out
}

// Dictionary describes the columns of a format (FormatCSV, FormatJSON or
// FormatACLED), in file order, in English and Arabic; nil for an unknown
// format. It is made from the same table the writers use, so it cannot
// drift from the files.
func Dictionary(format string) []Field {
	var out []Field
	switch format {
	case FormatCSV:
		for _, f := range fields {
			out = append(out, f.Field)
		}
	case FormatJSON:
		for _, f := range fields {
			d := f.Field
			d.Name = f.JSON
			if strings.HasPrefix(d.Name, "victims[].") {
				d.Kind = KindText
				if d.Vocab != "" {
					d.Kind = KindCode
				}
			}
			out = append(out, d)
		}
	case FormatACLED:
		out = append(out, acledFields...)
	}
	return out
}

func columnNames(format string) []string {
	var out []string
	for _, f := range Dictionary(format) {
		out = append(out, f.Name)
	}
	return out
}

// WriteDictionaryCSV writes the dictionary of a format as CSV
// (data-dictionary.csv): column, kind, vocabulary, values (code = English
// label | Arabic label, separated by "; "), description_en,
// description_ar.
func WriteDictionaryCSV(w io.Writer, format string, opt CSVOptions) error {
	c := newCSVBase(w, opt, []string{"column", "kind", "vocabulary", "values", "description_en", "description_ar"})
	en, ar := map[string][]string{}, map[string][]string{}
	for _, f := range Dictionary(format) {
		var values []string
		if f.Vocab != "" {
			if _, ok := en[f.Vocab]; !ok {
				en[f.Vocab], ar[f.Vocab] = f.Values("en"), f.Values("ar")
			}
			for i, v := range en[f.Vocab] {
				values = append(values, v+" | "+strings.SplitN(ar[f.Vocab][i], " = ", 2)[1])
			}
		}
		if err := c.row([]string{f.Name, f.Kind, f.Vocab, Cell(strings.Join(values, "; ")), Cell(f.EN), Cell(f.AR)}); err != nil {
			return err
		}
	}
	return c.close()
}

var dictionaryWords = map[string]map[string]string{
	"en": {"title": "Data dictionary", "column": "Column", "kind": "Kind", "description": "Description", "values": "Codes",
		FormatCSV: "rasd CSV", FormatJSON: "rasd JSON, JSON Lines and GeoJSON properties", FormatACLED: "ACLED-compatible CSV"},
	"ar": {"title": "قاموس البيانات", "column": "العمود", "kind": "النوع", "description": "الوصف", "values": "الرموز",
		FormatCSV: "ملف CSV من رصد", FormatJSON: "ملفات JSON وJSON Lines وخصائص GeoJSON من رصد", FormatACLED: "ملف CSV متوافق مع ACLED"},
}

// WriteDictionaryMarkdown writes the dictionary of a format as Markdown
// in lang (English or Arabic, the languages its descriptions are written
// in; any other language gets English; data-dictionary.md): a table of the
// columns, then the codes of each vocabulary used.
func WriteDictionaryMarkdown(w io.Writer, format, lang string) error {
	lang = locale.Pick(lang, "ar", "en")
	words := dictionaryWords[lang]
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n| %s | %s | %s |\n|---|---|---|\n", words["title"], words[format], words["column"], words["kind"], words["description"])
	var vocabs []Field
	for _, f := range Dictionary(format) {
		desc := locale.Pick(lang, f.AR, f.EN)
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Name, f.Kind, mdCell(desc))
		if f.Vocab != "" && !containsVocab(vocabs, f.Vocab) {
			vocabs = append(vocabs, f)
		}
	}
	for _, f := range vocabs {
		fmt.Fprintf(&b, "\n## %s `%s`\n\n", words["values"], f.Vocab)
		for _, v := range f.Values(lang) {
			code, label, _ := strings.Cut(v, " = ")
			fmt.Fprintf(&b, "- `%s`: %s\n", code, mdCell(label))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func containsVocab(fs []Field, name string) bool {
	for _, f := range fs {
		if f.Vocab == name {
			return true
		}
	}
	return false
}

// mdCell keeps text on one line of a Markdown table.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
