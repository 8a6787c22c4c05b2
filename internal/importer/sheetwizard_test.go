package importer

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// Preview shows the first rows that are not empty, with their numbers,
// and an XLSX's date cells as the spreadsheet program shows them.
func TestPreview(t *testing.T) {
	data := xlsxOf(t, anyRow(partnerHeader), anyRow(make([]string, len(partnerHeader))),
		[]any{"P-1", time.Date(2019, 10, 25, 0, 0, 0, 0, time.UTC), "Assassination"},
		[]any{"P-2"}, []any{"P-3"})
	s, err := OpenSheetLimited(bytes.NewReader(data), "p.xlsx", "xlsx", "", MemoryLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := Preview(s, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprint(r.Row, r.Cells[0]))
	}
	if strings.Join(got, "|") != "1Ref|3P-1|4P-2" {
		t.Errorf("preview rows %q", got)
	}
	if d := rows[1].Cells[1]; !strings.Contains(d, "25") || d == "43763" {
		t.Errorf("a date cell previewed as %q, want it as a date", d)
	}
	wide := strings.Repeat("c,", 2000) + "c\n"
	cs, _ := OpenSheetLimited(strings.NewReader(wide), "w.csv", "csv", "", MemoryLimits)
	if _, err := Preview(cs, 3); err == nil || !strings.Contains(err.Error(), "1024") {
		t.Errorf("a sheet of 2001 columns previewed: %v", err)
	}
}

// Unmatched lists each coded column's words that nothing covers yet,
// once each, whatever their case; a code, a label in either language or
// a mapped word is covered.
func TestUnmatched(t *testing.T) {
	data := csvOf(partnerHeader,
		[]string{"P-1", "25/10/2019", "Assassination", "Baghdad Belts"},
		[]string{"P-2", "25/10/2019", "ASSASSINATION", "البصرة"},
		[]string{"P-3", "25/10/2019", "خطف أو اختطاف", "Baghdad"},
		[]string{"P-4", "25/10/2019", "Massacre", "Atlantis", "", "", "", "", "Militia"},
		[]string{"P-5", "25/10/2019", "killing", "IQ-BG", "", "", "", "", "Unknown gunmen"})
	m := mapping(t, partnerMapping)
	m.Columns[2].Values = nil // Violation: nothing mapped yet
	s, _ := OpenSheet(strings.NewReader(data), "p.csv", "csv", "")
	got, err := Unmatched(s, m, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"Violation": {"Assassination", "Massacre"}, "Province": {"Baghdad Belts", "Atlantis"}}
	if len(got) != len(want) || !slices.Equal(got["Violation"], want["Violation"]) || !slices.Equal(got["Province"], want["Province"]) {
		t.Errorf("unmatched %q, want %q", got, want)
	}
	if got, _ := Unmatched(s, m, 1); len(got["Violation"]) != 1 {
		t.Errorf("perColumn 1: %q", got)
	}
	m.Columns = append(m.Columns, Column{Column: "Missing", Field: "summary_ar"})
	if _, err := Unmatched(s, m, 10); err == nil || !strings.Contains(err.Error(), `"Missing"`) {
		t.Errorf("a mapping naming a column the sheet lacks: %v", err)
	}
}

// A sheet kept in memory (the web wizard's) is refused past its limits:
// a larger file, an XLSX that would unpack past them (never to a
// temporary file); and ReadSheetUpTo lists more problems than ReadSheet.
func TestSheetMemoryLimits(t *testing.T) {
	lim := Limits{File: 1 << 10, Unzip: 1 << 20}
	big := csvOf(partnerHeader) + strings.Repeat("P-1,25/10/2019,killing,Baghdad\n", 100)
	s, _ := OpenSheetLimited(strings.NewReader(big), "big.csv", "csv", "", lim)
	var se *sizeError
	if _, err := Preview(s, 1000); !errors.As(err, &se) || !strings.Contains(err.Error(), "split the file") {
		t.Errorf("a CSV over the limit: %v", err)
	}
	rows := [][]any{anyRow(partnerHeader)}
	for i := range 3000 {
		rows = append(rows, []any{fmt.Sprint("P-", i), "25/10/2019", "killing", "Baghdad", "", "", "", fmt.Sprint(i, strings.Repeat("x", 500))})
	}
	data := xlsxOf(t, rows...)
	if int64(len(data)) > MemoryLimits.File {
		t.Fatalf("the test sheet is %d bytes packed", len(data))
	}
	if _, err := OpenSheetLimited(bytes.NewReader(data), "big.xlsx", "xlsx", "", Limits{File: MemoryLimits.File, Unzip: 1 << 20}); err == nil || !strings.Contains(err.Error(), "zip bomb") {
		t.Errorf("an XLSX unpacking past the limit: %v", err)
	}
	var bad []string
	for i := range 50 {
		bad = append(bad, fmt.Sprintf("P-%d,32/10/2019,killing,Baghdad\n", i))
	}
	sheet := csvOf(partnerHeader) + strings.Join(bad, "")
	cs, _ := OpenSheet(strings.NewReader(sheet), "bad.csv", "csv", "")
	m := mapping(t, partnerMapping)
	_, err := ReadSheet(cs, m, "bad.csv")
	var few, many ErrorList
	errors.As(err, &few)
	_, err = ReadSheetUpTo(cs, m, "bad.csv", 200)
	errors.As(err, &many)
	if len(few) != maxErrors+1 || len(many) != 50 {
		t.Errorf("problems: ReadSheet %d, ReadSheetUpTo %d; want %d and 50", len(few), len(many), maxErrors+1)
	}
	if many[0].Row != 2 || many[0].MapField != "date.start" || !strings.HasPrefix(many[0].Field, "B ") {
		t.Errorf("a problem names row %d, column %q, field %q", many[0].Row, many[0].Field, many[0].MapField)
	}
}
