package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
)

// SheetFile is a spreadsheet read through a mapping and checked whole:
// every row became a valid incident. Each reads it again from the top, so
// that the incidents need not all be held in memory.
type SheetFile struct {
	sheet Sheet
	m     *Mapping
	name  string
	n     int
	max   int // problems reported at most; 0: maxErrors
}

// errStop ends a pass early, once enough problems are known.
var errStop = errors.New("stop")

// ReadSheet checks every row of sheet through m, returning an *Error or
// ErrorList (up to maxErrors, each naming its row and column) if any is
// wrong; the caller imports nothing then. Empty rows are skipped.
func ReadSheet(sheet Sheet, m *Mapping, name string) (*SheetFile, error) {
	return ReadSheetUpTo(sheet, m, name, 0)
}

// ReadSheetUpTo is ReadSheet reporting up to max problems (0: as
// ReadSheet): the web wizard's dry run lists more than a terminal should.
func ReadSheetUpTo(sheet Sheet, m *Mapping, name string, max int) (*SheetFile, error) {
	f := &SheetFile{sheet: sheet, m: m, name: name, max: max}
	n := 0
	err := f.each(func(*model.Incident) error { n++; return nil })
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, &Error{File: name, Err: fmt.Errorf("has no rows below the header row (row %d)", m.headerRow())}
	}
	f.n = n
	return f, nil
}

// Len is how many incidents the sheet holds.
func (f *SheetFile) Len() int { return f.n }

// Each calls yield with each row's incident, in order.
func (f *SheetFile) Each(yield func(*model.Incident) error) error { return f.each(yield) }

// First finds the first incident for which pred holds: its number (from
// 1) and external reference; 0 if none.
func (f *SheetFile) First(pred func(*model.Incident) bool) (int, *model.External) {
	num, found := 0, 0
	var ext *model.External
	f.each(func(inc *model.Incident) error {
		num++
		if pred(inc) {
			found, ext = num, inc.External
			return errStop
		}
		return nil
	})
	return found, ext
}

func (f *SheetFile) each(yield func(*model.Incident) error) error {
	var (
		c    = collector{max: f.max}
		b    *binding
		seen = map[string]int{} // external ID → row
	)
	err := f.sheet.Rows(func(row int, cells []string) error {
		if row < f.m.headerRow() {
			return nil
		}
		if row == f.m.headerRow() {
			var err error
			if b, err = f.m.bind(cells, f.name, f.sheet.Serials()); err != nil {
				return &Error{File: f.name, Row: row, Err: err}
			}
			return nil
		}
		if b == nil || blank(cells) {
			return nil
		}
		if len(cells) > maxColumns {
			c.add(&Error{File: f.name, Row: row, Err: fmt.Errorf("has %d cells; rasd reads sheets of at most %d columns", len(cells), maxColumns)})
			return nil
		}
		inc, errs := b.incident(row, cells)
		for _, e := range errs {
			c.add(e)
		}
		if c.full {
			return errStop
		}
		if inc == nil {
			return nil
		}
		if x := inc.External; x != nil {
			if prev, dup := seen[x.ID]; dup {
				c.add(&Error{File: f.name, Row: row, Field: b.columnOf("external.id").Column.Column, column: true,
					Err: fmt.Errorf("%q is also on row %d; each record may appear once", x.ID, prev)})
				return nil
			}
			seen[strings.Clone(x.ID)] = row // not the cell's whole row kept alive
		}
		if len(c.list) == 0 {
			return yield(inc)
		}
		return nil
	})
	switch {
	case errors.Is(err, errStop):
	case err != nil:
		return err
	case b == nil:
		return &Error{File: f.name, Err: fmt.Errorf("has no header row (row %d)", f.m.headerRow())}
	}
	return c.err()
}

func blank(cells []string) bool {
	for _, s := range cells {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
