// Package importer parses outside input — rasd's JSON import format and
// ACLED CSV exports — into incidents, checked by incidents.Validate. It
// stores nothing: the caller hands the incidents, one at a time as they
// are read (EachACLED, JSONFile.Each), to incidents.Service.Import, which
// keeps all of them or none, so a parser refuses the whole file when any
// record is wrong and says where.
//
// Errors are an *Error (one problem) or an ErrorList (several, at most
// maxErrors); errors.As(err, &e) with e *Error finds the first in both cases.
package importer

import (
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/errlist"
	"github.com/rasd-project/rasd/internal/incidents"
)

// maxErrors caps how many problems one parse reports: enough to fix a
// file in a few rounds, not so many that the first ones scroll away.
const maxErrors = 20

// Error is one problem in an input, with where it is.
type Error struct {
	File   string // file name as given by the caller
	Line   int    // 1-based physical line; 0 when unknown
	Record int    // JSON: 1-based index of the incident; 0 for CSV and the envelope
	Row    int    // spreadsheet: the row as the spreadsheet program numbers it
	Field  string // JSON field path (victims[0].outcome) or CSV column name
	// MapField is, in a spreadsheet, the field of the mapping the
	// column fills ("type"), for the web wizard's table of problems.
	MapField string
	Err      error
	column   bool // Field is a CSV column
}

func (e *Error) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	if e.File != "" {
		b.WriteString(e.File)
	}
	switch {
	case e.Record > 0 && e.Line > 0:
		sep()
		fmt.Fprintf(&b, "incident %d (line %d)", e.Record, e.Line)
	case e.Record > 0:
		sep()
		fmt.Fprintf(&b, "incident %d", e.Record)
	case e.Line > 0:
		sep()
		fmt.Fprintf(&b, "line %d", e.Line)
	case e.Row > 0:
		sep()
		fmt.Fprintf(&b, "row %d", e.Row)
	}
	if e.Field != "" {
		sep()
		if e.column {
			b.WriteString("column ")
		}
		b.WriteString(e.Field)
	}
	sep()
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is several problems found in one input, in input order.
type ErrorList = errlist.List[*Error]

// collector gathers problems up to max (0: maxErrors).
type collector struct {
	list ErrorList
	full bool
	max  int
}

// add records e and reports whether there is room for more.
func (c *collector) add(e *Error) bool {
	if c.full {
		return false
	}
	limit := c.max
	if limit == 0 {
		limit = maxErrors
	}
	if len(c.list) == limit {
		c.list = append(c.list, &Error{File: e.File, Err: fmt.Errorf("stopped after %d problems; fix these and import again", limit)})
		c.full = true
		return false
	}
	c.list = append(c.list, e)
	return true
}

// addAll adds each problem of err (an *Error or ErrorList of this
// package's or of incidents.Validate), placing it with at.
func (c *collector) addAll(err error, at func(*Error)) {
	for _, e := range flatten(err) {
		at(e)
		c.add(e)
	}
}

func (c *collector) err() error {
	switch len(c.list) {
	case 0:
		return nil
	case 1:
		return c.list[0]
	}
	return c.list
}

func flatten(err error) []*Error {
	switch e := err.(type) {
	case nil:
		return nil
	case *Error:
		return []*Error{e}
	case ErrorList:
		return e
	case *incidents.Error, incidents.ErrorList:
		var out []*Error
		for _, p := range incidents.Problems(e) {
			out = append(out, &Error{Field: p.Field, Err: p.Err})
		}
		return out
	}
	return []*Error{{Err: err}}
}
