package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/rasd-project/rasd/internal/importer"
)

// TestDictionaryMatchesFiles: the JSON dictionary names every field of
// redact.Public and nothing else; the CSV one the header; the ACLED one
// ACLED's columns.
func TestDictionaryMatchesFiles(t *testing.T) {
	// A record with every list non-empty, so that every leaf shows.
	p := samples(t)[0]
	var obj map[string]any
	b, _ := json.Marshal(p)
	json.Unmarshal(b, &obj)
	checkFields(t, obj)

	if got := columnNames(FormatACLED); !slices.Equal(got, importer.ACLEDColumns) || !slices.Equal(acledOrder, importer.ACLEDColumns) {
		t.Errorf("ACLED dictionary %v\nwriter %v\nwant %v", got, acledOrder, importer.ACLEDColumns)
	}
	if Dictionary("xml") != nil {
		t.Error("unknown format has a dictionary")
	}
	for _, format := range []string{FormatCSV, FormatJSON, FormatACLED} {
		seen := map[string]bool{}
		for _, f := range Dictionary(format) {
			if seen[f.Name] {
				t.Errorf("%s: %s twice", format, f.Name)
			}
			seen[f.Name] = true
			if f.EN == "" || !strings.ContainsFunc(f.AR, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
				t.Errorf("%s %s: a description is missing in English or Arabic", format, f.Name)
			}
			if (f.Kind == KindCode) != (f.Vocab != "") && f.Kind != KindList {
				t.Errorf("%s %s: kind %s with vocabulary %q", format, f.Name, f.Kind, f.Vocab)
			}
		}
	}
}

func TestDictionaryValues(t *testing.T) {
	var verification Field
	for _, f := range Dictionary(FormatCSV) {
		if f.Name == "verification" {
			verification = f
		}
	}
	en, ar := verification.Values("en"), verification.Values("ar")
	if len(en) != 4 || en[0] != "reported = Reported" || !strings.HasPrefix(ar[0], "reported = ") || slices.ContainsFunc(en, func(s string) bool {
		return strings.HasPrefix(s, "rejected")
	}) {
		t.Errorf("values %q %q", en, ar)
	}
}

func TestWriteDictionary(t *testing.T) {
	for _, format := range []string{FormatCSV, FormatJSON, FormatACLED} {
		var b bytes.Buffer
		if err := WriteDictionaryCSV(&b, format, CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		dict := Dictionary(format)
		if len(recs) != len(dict)+1 || recs[0][0] != "column" {
			t.Fatalf("%s: %d rows for %d fields", format, len(recs)-1, len(dict))
		}
		for i, f := range dict {
			if r := recs[i+1]; r[0] != f.Name || r[4] != f.EN || r[5] != f.AR {
				t.Errorf("%s row %d: %q", format, i+1, r)
			}
		}
		for _, lang := range []string{"en", "ar"} {
			b.Reset()
			if err := WriteDictionaryMarkdown(&b, format, lang); err != nil {
				t.Fatal(err)
			}
			md := b.String()
			for _, f := range dict {
				if !strings.Contains(md, "| `"+f.Name+"` |") {
					t.Errorf("%s %s markdown lacks %s", format, lang, f.Name)
				}
			}
			if format == FormatCSV && (!strings.Contains(md, "`incident_type`") || !strings.Contains(md, "- `killing`: ")) {
				t.Errorf("%s markdown lacks the codes:\n%s", lang, md)
			}
		}
	}
	var b bytes.Buffer
	WriteDictionaryMarkdown(&b, FormatCSV, "ar")
	if !strings.Contains(b.String(), "# قاموس البيانات") || !strings.Contains(b.String(), "- `killing`: قتل") {
		t.Errorf("Arabic markdown:\n%s", b.String())
	}
}

// TestDocsNameEveryColumn keeps docs/open-data.md in step with the files.
func TestDocsNameEveryColumn(t *testing.T) {
	doc, err := os.ReadFile("../../docs/open-data.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{FormatCSV, FormatACLED} {
		for _, f := range Dictionary(format) {
			if !bytes.Contains(doc, []byte("`"+f.Name+"`")) {
				t.Errorf("docs/open-data.md does not describe %s column %s", format, f.Name)
			}
		}
	}
	for _, spelling := range acledAdmin1 {
		if !bytes.Contains(doc, []byte(spelling)) {
			t.Errorf("docs/open-data.md lacks ACLED spelling %s", spelling)
		}
	}
}
