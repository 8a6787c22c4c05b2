package importer

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/incidents"
)

func TestParseACLEDFixture(t *testing.T) {
	f, err := os.Open("testdata/acled_shuffled.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	incs, err := ParseACLED(f, "acled_shuffled.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 5 {
		t.Fatalf("got %d incidents, want 5", len(incs))
	}
	type want struct {
		id, typ, start, end, precision, admin1, geo, perp, group string
		fatalities                                               int
	}
	for i, w := range []want{
		{"IRQ9001", "killing", "2019-12-08", "2019-12-08", "day", "IQ-BA", "exact", "unidentified_gunmen", "Unidentified Armed Group (Iraq)", 1},
		{"IRQ9002", "assault", "2019-10-22", "2019-10-28", "week", "IQ-BG", "exact", "security_forces", "Police Forces of Iraq (2018-)", 0},
		{"IRQ9003", "arbitrary_detention", "2020-01-01", "2020-01-31", "month", "IQ-DQ", "governorate", "security_forces", "Police Forces of Iraq (2018-)", 0},
		{"IRQ9004", "attack_on_property", "2020-03-02", "2020-03-02", "day", "IQ-SD", "", "unidentified_gunmen", "Unidentified Armed Group (Iraq)", 0},
		{"IRQ9005", "kidnapping", "2020-04-10", "2020-04-10", "day", "IQ-SU", "exact", "unidentified_gunmen", "Unidentified Armed Group (Iraq)", 0},
	} {
		inc := incs[i]
		got := want{inc.External.ID, inc.Type, inc.Date.Start, inc.Date.End, inc.Date.Precision, inc.Place.Admin1,
			inc.Place.GeoPrecision, inc.Perpetrators[0].Type, inc.Perpetrators[0].Group, inc.Fatalities}
		if got != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+1, got, w)
		}
		if inc.Place.Country != "IQ" || inc.Verification != "reported" || inc.Visibility != "internal" || inc.External.System != "acled" {
			t.Errorf("row %d: defaults: %+v", i+1, inc)
		}
		if err := incidents.Validate(&inc); err != nil {
			t.Errorf("row %d does not validate: %v", i+1, err)
		}
	}
	a := incs[0]
	if !strings.HasPrefix(a.NarrativeEN, `On 8 December 2019, unidentified gunmen on a motorcycle shot dead a protest organiser, known as "Abu Ali"`) ||
		!strings.Contains(a.NarrativeEN, "\nHe had received threats") {
		t.Errorf("multi-line quoted notes: %q", a.NarrativeEN)
	}
	if strings.Contains(a.SummaryEN, "\n") || !strings.HasPrefix(a.SummaryEN, "On 8 December 2019") {
		t.Errorf("summary: %q", a.SummaryEN)
	}
	if a.Place.Lat == nil || *a.Place.Lat != 30.5085 || *a.Place.Lon != 47.7804 || a.Place.District != "Al-Basrah" || a.Place.Locality != "Basrah" {
		t.Errorf("place: %+v", a.Place)
	}
	if strings.Join(a.Tags, "|") != "local administrators|women targeted: activists" {
		t.Errorf("tags: %q", a.Tags)
	}
	if o := a.External.Original; len(o) != 22 || o["admin1"] != "Basrah" || o["source"] != "Shafaq News" || o["tags"] != "local administrators; women targeted: activists ;" {
		t.Errorf("original values: %d columns %v", len(o), o)
	}
	if _, bom := a.External.Original["\uFEFFnotes"]; bom {
		t.Error("byte-order mark kept in a column name")
	}
	if incs[3].Place.Lat != nil {
		t.Error("blank coordinates became a point")
	}
}

// acledCSV builds a file from a header and rows, fields separated by "|"
// for readability; "\n" inside a field is written quoted.
func acledCSV(header string, rows ...string) string {
	var b strings.Builder
	for _, line := range append([]string{header}, rows...) {
		fields := strings.Split(line, "|")
		for i, f := range fields {
			if strings.ContainsAny(f, ",\"\n") {
				fields[i] = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(fields, ",") + "\n")
	}
	return b.String()
}

const minHeader = "event_id_cnty|event_date|event_type|sub_event_type|country|admin1|fatalities|latitude|longitude|notes|inter1|time_precision|year|iso|geo_precision"

func minRow(id, edit string) string {
	f := map[string]string{"event_id_cnty": id, "event_date": "2019-12-08", "event_type": "Violence against civilians",
		"sub_event_type": "Attack", "country": "Iraq", "admin1": "Baghdad", "fatalities": "1", "latitude": "33.3",
		"longitude": "44.4", "notes": "Shot dead.", "inter1": "", "time_precision": "1", "year": "", "iso": "", "geo_precision": ""}
	if edit != "" {
		k, v, _ := strings.Cut(edit, "=")
		f[k] = v
	}
	var out []string
	for _, col := range strings.Split(minHeader, "|") {
		out = append(out, f[col])
	}
	return strings.Join(out, "|")
}

func TestParseACLEDErrors(t *testing.T) {
	ok := minRow("IRQ1", "")
	bad := func(edit string) string { return acledCSV(minHeader, ok, minRow("IRQ2", edit)) }
	for _, tc := range []struct {
		name, in     string
		line         int
		column, want string
	}{
		{"empty", "", 0, "", "the file is empty"},
		{"missing required column", acledCSV("event_id_cnty|event_date|event_type|country", "IRQ1|2019-12-08|Protests|Iraq"), 1, "", "missing required columns admin1"},
		{"duplicate column", acledCSV("event_id_cnty|event_date|event_type|country|admin1|Admin1", "a|b|c|d|e|f"), 1, "", `column "admin1" appears twice (columns 5 and 6)`},
		{"unknown column", acledCSV(minHeader+"|fatalites", ok+"|1"), 1, "", "unknown columns fatalites"},
		{"unnamed column", acledCSV(minHeader+"|", ok+"|"), 1, "", "column 16 has no name"},
		{"unknown event type", bad("event_type=Massacre"), 3, "event_type", `"Massacre" is not an ACLED event type`},
		{"unmapped event", bad("event_type=Battles"), 3, "sub_event_type", "not a sub-event type of Battles"},
		{"bad date", bad("event_date=12/08/2019"), 3, "event_date", "is not a date"},
		{"impossible date", bad("event_date=2019-02-30"), 3, "event_date", "is not a date"},
		{"future date", bad("event_date=2999-01-01"), 3, "event_date", "in the future"},
		{"year mismatch", bad("year=2018"), 3, "year", "does not match event_date"},
		{"bad time precision", bad("time_precision=4"), 3, "time_precision", "must be 1 (day), 2 (week) or 3 (month)"},
		{"unknown admin1", bad("admin1=Mosul"), 3, "admin1", `"Mosul" is not a governorate of Iraq`},
		{"empty admin1", bad("admin1="), 3, "admin1", "is empty"},
		{"negative fatalities", bad("fatalities=-1"), 3, "fatalities", "whole number"},
		{"fractional fatalities", bad("fatalities=2.5"), 3, "fatalities", "whole number"},
		{"worded fatalities", bad("fatalities=dozens"), 3, "fatalities", "whole number"},
		{"bad latitude", bad("latitude=33,3"), 3, "latitude", "decimal degrees"},
		{"latitude out of range", bad("latitude=95"), 3, "latitude", "between -90 and 90"},
		{"NaN latitude", bad("latitude=NaN"), 3, "latitude", "decimal degrees"},
		{"infinite longitude", bad("longitude=Inf"), 3, "longitude", "decimal degrees"},
		{"latitude alone", bad("longitude="), 3, "longitude", "give both or neither"},
		{"swapped coordinates", acledCSV(minHeader, ok, strings.Replace(minRow("IRQ2", ""), "33.3|44.4", "44.4|33.3", 1)), 3, "latitude", "swapped"},
		{"other country", bad("country=Syria"), 3, "country", "only for Iraq"},
		{"iso mismatch", bad("iso=760"), 3, "iso", "368 is Iraq"},
		{"bad geo precision", bad("geo_precision=0"), 3, "geo_precision", "must be 1 (town)"},
		{"bad inter", bad("inter1=Gunmen"), 3, "inter1", "not an ACLED actor type"},
		{"empty id", bad("event_id_cnty="), 3, "event_id_cnty", "is empty"},
		{"duplicate id", acledCSV(minHeader, ok, ok), 3, "event_id_cnty", `"IRQ1" is also on line 2`},
		{"invalid utf-8", bad("notes=\xe4\xf3\xd1"), 3, "notes", "not valid UTF-8"},
		{"notes too long", bad("notes=" + strings.Repeat("x", 20001)), 3, "notes", "longer than 20000 characters"},
		{"too few fields", acledCSV(minHeader, ok, "IRQ2|2019-12-08"), 3, "", "different number of columns"},
		{"utf-16 with a byte-order mark", utf16LE("\uFEFF" + acledCSV(minHeader, ok)), 1, "", "is UTF-16 text (\"Unicode text\"), not UTF-8; save the file as UTF-8"},
		{"utf-16 without one", utf16LE(acledCSV(minHeader, ok)), 1, "", "UTF-16 without a byte-order mark, or a binary file"},
		{"a spreadsheet", "PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", 1, "", "save the file as UTF-8"},
		{"bare quote", acledCSV(minHeader, ok) + "IRQ2,2019\"x,\n", 3, "", "must be in double quotes"},
		{"direction control in location", acledCSV(minHeader+"|location", ok+"|Basra", minRow("IRQ2", "")+"|statement\u202efdp.bat"), 3, "location", "U+202E"},
		{"direction control in actor", acledCSV(minHeader+"|actor1", ok+"|", minRow("IRQ2", "")+"|\u2067Militia"), 3, "actor1", "U+2067"},
		{"after multi-line notes", acledCSV(minHeader, minRow("IRQ1", "notes=one\ntwo\nthree"), minRow("IRQ2", "admin1=Nowhere")), 5, "admin1", "Nowhere"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			incs, err := ParseACLED(strings.NewReader(tc.in), "acled.csv")
			if err == nil {
				t.Fatalf("accepted, %d incidents", len(incs))
			}
			if incs != nil {
				t.Error("incidents returned with an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error: %v", err, err)
			}
			if e.File != "acled.csv" || e.Line != tc.line || e.Field != tc.column || e.Record != 0 || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("got  line %d column %q: %v\nwant line %d column %q containing %q", e.Line, e.Field, err, tc.line, tc.column, tc.want)
			}
		})
	}
}

func TestParseACLEDErrorFormat(t *testing.T) {
	_, err := ParseACLED(strings.NewReader(acledCSV(minHeader, minRow("IRQ1", "event_type=Massacre"))), "acled.csv")
	want := `acled.csv: line 2: column event_type: "Massacre" is not an ACLED event type (use one of ["Violence against civilians" "Explosions/Remote violence" "Battles" "Protests" "Riots" "Strategic developments"])`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestParseACLEDSmallest(t *testing.T) {
	// Required columns only, in another order, CRLF line ends and a BOM.
	in := "\uFEFFadmin1,country,event_type,event_date,event_id_cnty\r\nNinewa,Iraq,Explosions/Remote violence,01 June 2017,IRQ7\r\n"
	incs, err := ParseACLED(strings.NewReader(in), "min.csv")
	if err != nil {
		t.Fatal(err)
	}
	inc := incs[0]
	if len(incs) != 1 || inc.Type != "attack_on_property" || inc.Place.Admin1 != "IQ-NI" || inc.Date.Start != "2017-06-01" ||
		inc.Perpetrators != nil || inc.Fatalities != 0 || inc.Tags != nil || len(inc.External.Original) != 5 {
		t.Errorf("got %+v", incs)
	}
	if incs, err := ParseACLED(strings.NewReader("event_id_cnty,event_date,event_type,country,admin1\n"), "h.csv"); err != nil || len(incs) != 0 {
		t.Errorf("header only: %v, %v", incs, err)
	}
}

func TestSummarise(t *testing.T) {
	long := strings.Repeat("قتل مسلحون مجهولون ناشطاً ", 30) // about 780 runes
	s := summarise(long)
	if n := utf8.RuneCountInString(s); n > summaryRunes || n < summaryRunes-40 || !strings.HasSuffix(s, "…") || strings.HasSuffix(s, " …") {
		t.Errorf("summary of %d runes: %q", n, s)
	}
	if s := summarise(strings.Repeat("x", 400)); utf8.RuneCountInString(s) != summaryRunes {
		t.Errorf("unbroken text: %d runes", utf8.RuneCountInString(s))
	}
	if s := summarise("  short\nnote  "); s != "short note" {
		t.Errorf("short: %q", s)
	}
}

// The real third-party files are not ACLED exports: they must be refused
// with a clear message, not half-imported. Their first rows are in
// testdata/real (see its README.md); the whole files are read too when the
// shared data directory is next to this module.
func TestRealDatasetsRefused(t *testing.T) {
	paths := []string{"testdata/real/ucdp_ged_iraq_head.csv", "testdata/real/cpj_killed_head.csv"}
	for _, full := range []string{"../../../shared/data/real/ucdp_ged_iraq_1989-2018_hdx.csv", "../../../shared/data/real/cpj_killed_1992-2022.csv"} {
		if _, err := os.Stat(full); err == nil {
			paths = append(paths, full)
		}
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseACLED(strings.NewReader(string(data)), "real.csv")
			var e *Error
			if !errors.As(err, &e) || e.Line != 1 || !strings.Contains(e.Error(), "missing required columns event_id_cnty, event_date, event_type, admin1") ||
				!strings.Contains(e.Error(), "does not look like an ACLED export") {
				t.Errorf("ParseACLED: %v", err)
			}
			if _, err := ParseJSON(strings.NewReader(string(data)), "real.csv"); err == nil {
				t.Error("ParseJSON accepted a CSV file")
			}
		})
	}
}

// utf16LE is s as a spreadsheet saving "Unicode text" writes it.
func utf16LE(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}
