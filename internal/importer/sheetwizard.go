package importer

import (
	"errors"
	"slices"

	"github.com/rasd-project/rasd/internal/vocab"
)

// What the web wizard (docs/spreadsheets.md, "In the browser") shows
// before a mapping is complete: the first rows, and the words of coded
// columns that no code, label or mapped value covers yet.

// PreviewRow is one row of a sheet as the spreadsheet program numbers it.
type PreviewRow struct {
	Row   int
	Cells []string
}

// Preview returns the first n rows that are not empty, from the top of
// the sheet (the header row among them), as the spreadsheet program
// shows them.
func Preview(sheet Sheet, n int) ([]PreviewRow, error) {
	var out []PreviewRow
	rows := sheet.Rows
	if d, ok := sheet.(interface {
		DisplayRows(func(int, []string) error) error
	}); ok {
		rows = d.DisplayRows
	}
	err := rows(func(row int, cells []string) error {
		if len(out) == n {
			return errStop
		}
		if len(cells) > maxColumns {
			return &Error{Row: row, Err: errors.New("has more than 1024 columns; rasd reads sheets of at most 1024")}
		}
		if !blank(cells) {
			out = append(out, PreviewRow{Row: row, Cells: slices.Clone(cells)})
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// ValueVocab is what a field's cells are coded in: a vocabulary's name,
// or vocab.Admin1Vocab for governorates; "" for a field of free text,
// dates or numbers, whose column takes no values.
func ValueVocab(field string) string {
	switch spec := sheetFields[field]; spec.kind {
	case kindCode:
		return spec.vocab
	case kindAdmin1:
		return Admin1Values
	}
	return ""
}

// Admin1Values is ValueVocab's name for governorate columns.
const Admin1Values = "admin1"

// Unmatched lists, for each column m maps to a coded field, the distinct
// words of the sheet (up to perColumn each, in the order met) that are
// neither a code, nor a label in English or Arabic, nor mapped in the
// column's values: those the wizard asks the user to map. m need not be
// complete (Check), but its columns must be in the header row.
func Unmatched(sheet Sheet, m *Mapping, perColumn int) (map[string][]string, error) {
	var b *binding
	out := map[string][]string{}
	seen := map[string]bool{}
	err := sheet.Rows(func(row int, cells []string) error {
		switch {
		case row < m.headerRow():
			return nil
		case row == m.headerRow():
			var err error
			b, err = m.bind(cells, "", false)
			return err
		case len(cells) > maxColumns:
			return nil // ReadSheet names it
		}
		for i := range b.cols {
			c := &b.cols[i]
			if c.index >= len(cells) || ValueVocab(c.Field) == "" || len(out[c.Column.Column]) >= perColumn {
				continue
			}
			v := unsafeCell(cells[c.index])
			k := c.Column.Column + "\x00" + foldCell(v)
			if foldCell(v) == "" || seen[k] {
				continue
			}
			seen[k] = true
			if !knownValue(c, v, m.country()) {
				out[c.Column.Column] = append(out[c.Column.Column], v)
			}
		}
		return nil
	})
	if err == nil && b == nil {
		err = errors.New("the sheet has no header row")
	}
	return out, err
}

func knownValue(c *boundColumn, v, country string) bool {
	if c.spec.kind == kindAdmin1 {
		if _, ok := c.values[foldCell(v)]; ok {
			return true
		}
		_, ok := vocab.Admin1ByName(country, v)
		return ok
	}
	_, err := codeOf(c, v)
	return err == nil
}
