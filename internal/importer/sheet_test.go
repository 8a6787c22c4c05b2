package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rasd-project/rasd/internal/model"
)

const partnerMapping = `{
  "format": "rasd-sheet-mapping", "version": 1, "system": "partner-x",
  "date_formats": ["DD/MM/YYYY"],
  "columns": [
    {"column": "Ref", "field": "external.id"},
    {"column": "Date of event", "field": "date.start"},
    {"column": "Violation", "field": "type", "values": {"assassination": "killing", "abduction": "kidnapping"}},
    {"column": "Province", "field": "place.admin1"},
    {"column": "Lat", "field": "place.lat"},
    {"column": "Long", "field": "place.lon"},
    {"column": "Dead", "field": "fatalities"},
    {"column": "Description", "field": "summary_en"},
    {"column": "Perpetrator", "field": "perpetrator.type", "values": {"unknown gunmen": "unknown"}},
    {"column": "Keywords", "field": "tags", "split": ","}
  ],
  "defaults": {"verification": "reported"}
}`

var partnerHeader = []string{"Ref", "Date of event", "Violation", "Province", "Lat", "Long", "Dead", "Description", "Perpetrator", "Keywords", "Notes"}

func mapping(t testing.TB, s string) *Mapping {
	t.Helper()
	m, err := ReadMapping(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func csvOf(rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func readSheet(t testing.TB, format string, data []byte, m *Mapping) ([]*model.Incident, error) {
	t.Helper()
	s, err := OpenSheet(bytes.NewReader(data), "partner."+format, format, m.Sheet)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	f, err := ReadSheet(s, m, "partner."+format)
	if err != nil {
		return nil, err
	}
	var out []*model.Incident
	err = f.Each(func(inc *model.Incident) error { out = append(out, inc); return nil })
	if err == nil && len(out) != f.Len() {
		t.Errorf("Len %d, Each gave %d", f.Len(), len(out))
	}
	return out, err
}

// A partner's CSV, in its own words and both languages, becomes incidents.
func TestSheetCSV(t *testing.T) {
	data := csvOf(partnerHeader,
		[]string{"P-1", "25/10/2019", "Assassination", "Baghdad", "", "", "1", "An activist was shot.", "Unknown gunmen", "tishreen, protest", "x"},
		[]string{"", "", "", "", "", "", "", "", "", "", ""}, // blank rows are skipped
		[]string{"P-2", "03/11/2019", "خطف أو اختطاف", "البصرة", "", "", "0", "Abducted after a protest.", "", "", ""},
		[]string{"P-3", "04/11/2019", "kidnapping", "", "36.335", "43.1189", "", "Taken from his home.", "militia", "", ""})
	incs, err := readSheet(t, "csv", []byte(data), mapping(t, partnerMapping))
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 3 {
		t.Fatalf("%d incidents", len(incs))
	}
	a, b, c := incs[0], incs[1], incs[2]
	if a.Type != "killing" || a.Date.Start != "2019-10-25" || a.Place.Admin1 != "IQ-BG" || a.Fatalities != 1 ||
		a.Perpetrators[0].Type != "unknown" || strings.Join(a.Tags, "|") != "tishreen|protest" || a.External.ID != "P-1" ||
		a.External.System != "partner-x" || a.External.Original["Notes"] != "x" {
		t.Errorf("first row: %+v", a)
	}
	if b.Type != "kidnapping" || b.Place.Admin1 != "IQ-BA" {
		t.Errorf("Arabic labels: type %q admin1 %q", b.Type, b.Place.Admin1)
	}
	if c.Place.Admin1 != "IQ-NI" || !c.Place.Derived || c.Perpetrators[0].Type != "militia" {
		t.Errorf("coordinates only: %+v", c.Place)
	}
}

func xlsxOf(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func anyRow(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// An XLSX with real date and number cells reads the same.
func TestSheetXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Ref", "Date of event", "Violation", "Province", "Lat", "Long", "Dead", "Description", "Perpetrator", "Keywords"})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // a date cell, shown as m/d/yy
	f.SetSheetRow("Sheet1", "A2", &[]any{"P-1", 43763, "assassination", "Nineveh", 36.335, 43.1189, 2})
	f.SetCellStyle("Sheet1", "B2", "B2", style)
	var buf bytes.Buffer
	f.WriteTo(&buf)
	incs, err := readSheet(t, "xlsx", buf.Bytes(), mapping(t, partnerMapping))
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].Date.Start != "2019-10-25" || incs[0].Fatalities != 2 || *incs[0].Place.Lat != 36.335 || incs[0].Place.Derived {
		t.Fatalf("%+v", incs[0])
	}
}

// Every problem is reported with its row and column, and no incident
// comes out of a file with one.
func TestSheetErrors(t *testing.T) {
	ok := []string{"P-1", "25/10/2019", "assassination", "Baghdad", "", "", "1", "", "", "", ""}
	row := func(edit func(r []string)) []string { r := append([]string(nil), ok...); edit(r); return r }
	for _, tc := range []struct {
		name string
		data string
		want []string
	}{
		{"bad date and unknown type", csvOf(partnerHeader, ok,
			row(func(r []string) { r[0], r[1] = "P-2", "2019/31/12" }),
			row(func(r []string) { r[0], r[2] = "P-3", "massacre" })),
			[]string{`row 3: column B (Date of event): "2019/31/12" is not a date`, `row 4: column C (Violation): "massacre" is not a incident_type`}},
		{"unknown governorate", csvOf(partnerHeader, row(func(r []string) { r[3] = "Gotham" })), []string{`row 2: column D (Province): "Gotham" is not a governorate`}},
		{"no place at all", csvOf(partnerHeader, row(func(r []string) { r[3] = "" })), []string{`row 2: column D (Province): missing`}},
		{"coordinates outside", csvOf(partnerHeader, row(func(r []string) { r[3], r[4], r[5] = "", "29.37", "47.98" })), []string{`row 2: column D (Province): no governorate, and lat 29.37`}},
		{"killing without deaths", csvOf(partnerHeader, row(func(r []string) { r[6] = "0" })), []string{`row 2: column G (Dead): a killing needs at least 1 fatality`}},
		{"words for a number", csvOf(partnerHeader, row(func(r []string) { r[6] = "dozens" })), []string{`row 2: column G (Dead): "dozens" is not a whole number`}},
		{"duplicate reference", csvOf(partnerHeader, ok, ok), []string{`row 3: column Ref: "P-1" is also on row 2`}},
		{"missing column", csvOf(partnerHeader[:3], ok[:3]), []string{`row 1: the mapping names column "Province", "Lat", "Long", "Dead", "Description", "Perpetrator", "Keywords", which the header row (row 1) does not have; it has "Ref", "Date of event", "Violation"`}},
		{"header twice", csvOf(append(partnerHeader, "ref")), []string{`column "ref" appears twice (columns A and L)`}},
		{"no rows", csvOf(partnerHeader), []string{"has no rows below the header row"}},
		{"empty", "", []string{"has no header row"}},
		{"a million columns", strings.Repeat("c,", 1_000_000) + "c\n", []string{"the header row has 1000001 columns; rasd reads sheets of at most 1024"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			incs, err := readSheet(t, "csv", []byte(tc.data), mapping(t, partnerMapping))
			if err == nil {
				t.Fatalf("accepted %d incidents", len(incs))
			}
			if incs != nil {
				t.Error("incidents came out of a bad file")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant %q", err, w)
				}
			}
		})
	}
}

// A mapping naming what does not exist is refused with its column and field.
func TestMappingErrors(t *testing.T) {
	base := `{"format": "rasd-sheet-mapping", "version": 1, "columns": [{"column": "Date", "field": "date.start"}, {"column": "Gov", "field": "place.admin1"}, %s]}`
	for _, tc := range []struct{ name, col, want string }{
		{"unknown field", `{"column": "Type", "field": "incident_type"}`, `columns[2] ("Type"): field "incident_type" is not a field rasd imports`},
		{"victims", `{"column": "Type", "field": "type"}, {"column": "Victim", "field": "victims"}`, `victims are not imported from spreadsheets`},
		{"bad code", `{"column": "Type", "field": "type", "values": {"assassination": "murder"}}`, `values["assassination"]: "murder" is not a known incident_type`},
		{"field twice", `{"column": "Type", "field": "type"}, {"column": "Kind", "field": "type"}`, `field type is also the field of column "Type"`},
		{"column twice", `{"column": "Type", "field": "type"}, {"column": "type", "field": "summary_en"}`, `the column is mapped twice`},
		{"bad format", `{"column": "Type", "field": "type"}, {"column": "End", "field": "date.end", "date_formats": ["%d/%m/%Y"]}`, `"%" is not understood`},
		{"no type", `{"column": "Notes", "field": "summary_en"}`, `no column or default gives the incident type`},
		{"lat alone", `{"column": "Type", "field": "type"}, {"column": "Lat", "field": "place.lat"}`, `place.lat and place.lon go together`},
		{"id without system", `{"column": "Type", "field": "type"}, {"column": "Ref", "field": "external.id"}`, `needs the mapping's system`},
		{"unknown key", `{"column": "Type", "field": "type", "value": {}}`, `unknown field "value"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMapping(strings.NewReader(strings.Replace(base, "%s", tc.col, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want %q", err, tc.want)
			}
		})
	}
	if _, err := ReadMapping(strings.NewReader(`{"format": "x"}`)); err == nil {
		t.Error("wrong format accepted")
	}
}

// An XLSX that unpacks to more than the limit is refused before it is
// unpacked, naming the reason; so is one too wide to be a sheet of
// incidents.
func TestSheetXLSXLimits(t *testing.T) {
	defer func(u int64) { MaxSheetUnzip = u }(MaxSheetUnzip)
	MaxSheetUnzip = 4 << 20
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	ok := xlsxOf(t, anyRow(partnerHeader))
	zr, _ := zip.NewReader(bytes.NewReader(ok), int64(len(ok)))
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if f.Name == "xl/worksheets/sheet1.xml" {
			w.Write(bytes.Repeat([]byte(" "), 32<<20)) // 32 MB of spaces, a few KB packed
			continue
		}
		r, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(r)
		w.Write(b.Bytes())
	}
	zw.Close()
	if bomb.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes packed", bomb.Len())
	}
	_, err := readSheet(t, "xlsx", bomb.Bytes(), mapping(t, partnerMapping))
	if err == nil || !strings.Contains(err.Error(), "zip bomb") {
		t.Errorf("zip bomb: %v", err)
	}
	wide := make([]any, maxColumns+1)
	for i := range wide {
		wide[i] = "c"
	}
	_, err = readSheet(t, "xlsx", xlsxOf(t, wide), mapping(t, partnerMapping))
	if err == nil || !strings.Contains(err.Error(), "at most 1024") {
		t.Errorf("wide sheet: %v", err)
	}
	_, err = readSheet(t, "xlsx", []byte("PK\x03\x04 not really"), mapping(t, partnerMapping))
	var e *Error
	if err == nil || errors.As(err, &e) || !strings.Contains(err.Error(), "not a readable XLSX") {
		t.Errorf("broken file: %v", err)
	}
}

func TestDateFormats(t *testing.T) {
	for _, tc := range []struct{ format, in, want string }{
		{"DD/MM/YYYY", "25/10/2019", "2019-10-25"},
		{"MM/DD/YYYY", "10/25/2019", "2019-10-25"},
		{"D MMMM YYYY", "5 October 2019", "2019-10-05"},
		{"DD-MMM-YYYY", "05-Oct-2019", "2019-10-05"},
		{"YYYY.MM.DD", "2019.10.05", "2019-10-05"},
	} {
		got, err := parseSheetDate(tc.in, []string{tc.format}, false)
		if err != nil || got != tc.want {
			t.Errorf("%s %s: %q %v", tc.format, tc.in, got, err)
		}
	}
	for _, bad := range []string{"DD/MM", "YYYY-MM-DD-DD", "dd/mm/yyyy", "%Y"} {
		if _, err := goLayout(bad); err == nil {
			t.Errorf("format %q accepted", bad)
		}
	}
	if _, err := parseSheetDate("43763", []string{"DD/MM/YYYY"}, false); err == nil {
		t.Error("a day number read from a CSV")
	}
}

// An XLSX whose worksheet unpacks to more than excelize keeps in memory by
// default (16 MB) is still read from memory: no copy of it, in the clear,
// in the temporary directory while it is open.
func TestSheetXLSXNoTemporaryFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const rows = 45000 // of about 400 bytes of XML: 18 MB
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(&x, `<row r="%d">`, r)
		for c, v := range []string{fmt.Sprint("P-", r), "Basra", strings.Repeat("shot near the police station ", 10)} {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			fmt.Fprintf(&x, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, v)
		}
		x.WriteString(`</row>`)
	}
	x.WriteString(`</sheetData></worksheet>`)
	if x.Len() <= 16<<20 {
		t.Fatalf("the worksheet is %d bytes unpacked, want more than 16 MB", x.Len())
	}
	var big bytes.Buffer
	zw := zip.NewWriter(&big)
	small := xlsxOf(t, anyRow([]string{"x"}))
	zr, _ := zip.NewReader(bytes.NewReader(small), int64(len(small)))
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if f.Name == "xl/worksheets/sheet1.xml" {
			w.Write([]byte(x.String()))
			continue
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	zw.Close()

	s, err := OpenSheet(bytes.NewReader(big.Bytes()), "big.xlsx", "xlsx", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	if err := s.Rows(func(row int, cells []string) error {
		if n++; n == 1 {
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("while the sheet is read, the temporary directory holds %d files: %s…", len(left), left[0].Name())
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != rows {
		t.Errorf("%d rows read, want %d", n, rows)
	}
}
