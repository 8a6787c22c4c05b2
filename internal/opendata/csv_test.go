package opendata

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/redact"
)

func writeCSV(t *testing.T, ps []redact.Public, opt CSVOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := WriteAll(NewCSV(&b, opt), slices.Values(ps)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fromCSV reads a row back into a Public: the inverse of the columns.
func fromCSV(t *testing.T, header, row []string) redact.Public {
	t.Helper()
	col := map[string]string{}
	for i, h := range header {
		col[h] = row[i]
	}
	split := func(s string) []string {
		if s == "" {
			return []string{}
		}
		return strings.Split(s, "; ")
	}
	num := func(s string) *float64 {
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return &f
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	p := redact.Public{
		Code: col["code"], Type: col["type"],
		Date: redact.Date{Start: col["date_start"], End: col["date_end"], Precision: col["date_precision"], Estimated: col["date_estimated"] == "true"},
		Place: redact.Place{Country: col["country"], Admin1: col["admin1"], Admin1EN: col["admin1_en"], Admin1AR: col["admin1_ar"],
			District: col["district"], DistrictEN: col["district_en"], DistrictAR: col["district_ar"], Locality: col["locality"],
			Lat: num(col["latitude"]), Lon: num(col["longitude"]), GeoPrecision: col["geo_precision"]},
		Perpetrators: split(col["perpetrator_types"]), VictimCount: atoi(col["victim_count"]), Victims: []redact.Victim{},
		Fatalities: atoi(col["fatalities"]), SummaryEN: col["summary_en"], SummaryAR: col["summary_ar"],
		GeneratedEN: col["summary_en_generated"] == "true", GeneratedAR: col["summary_ar_generated"] == "true",
		Verification: col["verification"], MotiveLink: col["motive_link"], Tags: split(col["tags"]), SourceSystem: col["source_system"],
	}
	if p.VictimCount > 0 {
		roles, outcomes := strings.Split(col["victim_roles"], "; "), strings.Split(col["victim_outcomes"], "; ")
		ar, latin := strings.Split(col["victim_names_ar"], "; "), strings.Split(col["victim_names_latin"], "; ")
		for i := range p.VictimCount {
			p.Victims = append(p.Victims, redact.Victim{Role: roles[i], Outcome: outcomes[i], NameAR: ar[i], NameLatin: latin[i]})
		}
	}
	if u := col["updated"]; u != "" {
		var err error
		if p.Updated, err = time.Parse(time.RFC3339, u); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestCSVRoundTrip(t *testing.T) {
	in := samples(t)
	out := writeCSV(t, in, CSVOptions{})
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], columnNames(FormatCSV)) {
		t.Fatalf("header %q", recs[0])
	}
	if len(recs) != len(in)+1 {
		t.Fatalf("%d rows for %d records", len(recs)-1, len(in))
	}
	for i, p := range in {
		if got := fromCSV(t, recs[0], recs[i+1]); !reflect.DeepEqual(got, p) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+1, got, p)
		}
	}
}

func TestCSVEmptyAndBOM(t *testing.T) {
	out := writeCSV(t, nil, CSVOptions{BOM: true})
	if !bytes.HasPrefix(out, []byte("\uFEFFcode,type,")) || bytes.Count(out, []byte("\n")) != 1 {
		t.Errorf("empty export with BOM: %q", out)
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"":                       "",
		"=cmd|' /C calc'!A0":     "'=cmd|' /C calc'!A0",
		"+SUM(A1)":               "'+SUM(A1)",
		"-2+3":                   "'-2+3",
		"@SUM(A1)":               "'@SUM(A1)",
		"\t=1":                   "'\t=1",
		"\r=1":                   "'\r=1",
		"  =1":                   "'  =1",
		"＝1":                     "'＝1",
		"a=b":                    "a=b",
		"bell\x07 and nul\x00":   "bell and nul",
		"line\nbreak \"quoted\"": "line\nbreak \"quoted\"",
		"مرحبا =1":               "مرحبا =1",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile is a record whose every text carries something a spreadsheet,
// CSV reader or XML parser might trip on.
func hostile(t testing.TB) redact.Public {
	p := samples(t)[1] // precise: locality published
	p.Code = "IQ-2019-0666"
	p.SummaryEN = "=cmd|' /C calc'!A0\nsecond line, \"quoted\" & <b>tag</b>"
	p.SummaryAR = "+١ سطر\r\nثانٍ; مع \"اقتباس\""
	p.Place.Locality = "@HYPERLINK(\"http://evil\")"
	p.Tags = []string{"public:-x", "public:a;b"}
	p.Victims[0].NameLatin = "-Huda; Karim"
	return p
}

func TestCSVHostile(t *testing.T) {
	p := hostile(t)
	recs, err := csv.NewReader(bytes.NewReader(writeCSV(t, []redact.Public{p}, CSVOptions{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := fromCSV(t, recs[0], recs[1])
	checks := []struct{ got, want string }{
		{got.SummaryEN, "'" + p.SummaryEN},
		{got.SummaryAR, "'" + strings.ReplaceAll(p.SummaryAR, "\r\n", "\n")}, // csv reads CRLF in a field as LF
		{got.Place.Locality, "'" + p.Place.Locality},
		{recs[1][slices.Index(recs[0], "tags")], "public:-x; public:a,b"},
		{got.Victims[0].NameLatin, "'-Huda, Karim"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if len(got.Victims) != len(p.Victims) {
		t.Errorf("a ';' in a name broke the victim lists: %+v", got.Victims)
	}
}
