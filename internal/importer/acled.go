package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
)

// ACLEDColumns are the columns of an ACLED export (docs/import-acled.md).
var ACLEDColumns = []string{"event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
	"event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
	"inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
	"admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
	"fatalities", "tags", "timestamp"}

// ACLEDRequired are the columns without which an event cannot be placed.
var ACLEDRequired = []string{"event_id_cnty", "event_date", "event_type", "country", "admin1"}

// acledLegacy are columns of older ACLED exports and API options: kept in
// External.Original, otherwise unused.
var acledLegacy = []string{"data_id", "event_id_no_cnty", "iso3", "population_1km", "population_2km", "population_5km", "population_best"}

// EachACLED reads CSV in ACLED's export format (docs/import-acled.md),
// handing each record to fn as soon as it is read, so that a file of any
// size can be imported without being held in memory. Any subset of
// ACLED's columns in any order is accepted if it includes ACLEDRequired.
// After the first problem in the file it calls fn no more, but reads on
// to report up to maxErrors problems together, each naming the line where
// its record starts and the column; the caller, which may have stored
// what fn was given, must then undo it (an import's transaction rolls
// back). An error from fn stops the reading and is returned as it is.
func EachACLED(r io.Reader, name string, fn func(*model.Incident) error) error {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096) // a shorter file gives all it has
	if err := notUTF8Text(head); err != nil {
		return &Error{File: name, Line: 1, Err: err}
	}
	cr := csv.NewReader(br)
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &Error{File: name, Err: errors.New("the file is empty; expected an ACLED CSV export with a header row")}
		}
		return csvProblem(name, err)
	}
	cols, err := acledHeader(header)
	if err != nil {
		return &Error{File: name, Line: 1, Err: err}
	}
	var c collector
	seen := map[string]int{} // event_id_cnty → line
	for !c.full {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.add(csvProblem(name, err))
			if errors.Is(err, csv.ErrFieldCount) {
				continue // the next record is still readable
			}
			break
		}
		line, _ := cr.FieldPos(0)
		row := acledRow{cols: cols, rec: rec, line: line, file: name, c: &c}
		inc, ok := row.incident()
		if !ok {
			continue
		}
		if prev, dup := seen[inc.External.ID]; dup {
			row.fail("event_id_cnty", fmt.Errorf("%q is also on line %d; each event may appear once", inc.External.ID, prev))
			continue
		}
		// A copy: the ID is cut from the whole line's string, which a
		// key would keep alive for the rest of the file (400 MB at 10^6 rows).
		seen[strings.Clone(inc.External.ID)] = line
		if len(c.list) == 0 {
			if err := fn(&inc); err != nil {
				return err
			}
		}
	}
	return c.err()
}

// CountCSV counts the records of a CSV file after its header, reading
// only its structure: an import's size is known before it starts. A file
// that is not valid CSV gives the count up to the problem and no error:
// reading it to import reports the problem with its place.
func CountCSV(r io.Reader) int {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	n := 0
	for {
		if _, err := cr.Read(); err != nil {
			return max(n-1, 0) // less the header
		}
		n++
	}
}

func csvProblem(name string, err error) *Error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: name, Err: fmt.Errorf("cannot read the file: %w", err)}
	}
	e := &Error{File: name, Line: pe.StartLine}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		e.Err = errors.New("has a different number of columns from the header; check for an unquoted comma or a missing field")
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		e.Err = fmt.Errorf("%v (line %d, character %d); text with commas, quotes or line breaks must be in double quotes, with inner quotes doubled", pe.Err, pe.Line, pe.Column)
	default:
		e.Err = pe.Err
	}
	return e
}

// acledHeader maps column names to positions, refusing missing required,
// unknown and repeated names. A UTF-8 byte-order mark is dropped.
func acledHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var unknown []string
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			return nil, fmt.Errorf("column %d has no name; give every column its ACLED name", i+1)
		case !slices.Contains(ACLEDColumns, h) && !slices.Contains(acledLegacy, h):
			unknown = append(unknown, h)
		}
		if prev, dup := cols[h]; dup {
			return nil, fmt.Errorf("column %q appears twice (columns %d and %d); keep one", h, prev+1, i+1)
		}
		cols[h] = i
	}
	var missing []string
	for _, req := range ACLEDRequired {
		if _, ok := cols[req]; !ok {
			missing = append(missing, req)
		}
	}
	if missing != nil {
		return nil, fmt.Errorf("missing required columns %s; this does not look like an ACLED export (it needs at least %s)",
			strings.Join(missing, ", "), strings.Join(ACLEDRequired, ", "))
	}
	if unknown != nil {
		return nil, fmt.Errorf("unknown columns %s; rename them to ACLED's names (%s) or remove them",
			strings.Join(unknown, ", "), strings.Join(ACLEDColumns, ", "))
	}
	return cols, nil
}
