package opendata

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/redact"
)

// CSVOptions tune the CSV files.
type CSVOptions struct {
	// BOM starts the file with a UTF-8 byte-order mark, which Excel needs
	// to show Arabic; other programs may read it as part of the first
	// column's name.
	BOM bool
}

// CSVWriter writes rasd's CSV: one row per incident, the columns of
// Dictionary(FormatCSV), lines ending in CRLF (RFC 4180).
type CSVWriter struct {
	csvBase
	buf []string // the row being written, reused
}

// NewCSV returns a writer of rasd's CSV to w.
func NewCSV(w io.Writer, opt CSVOptions) *CSVWriter {
	return &CSVWriter{csvBase: newCSVBase(w, opt, columnNames(FormatCSV)), buf: make([]string, len(fields))}
}

// Write writes one incident.
func (c *CSVWriter) Write(p redact.Public) error {
	for i, f := range fields {
		v := f.get(&p)
		if f.Kind != KindDecimal && f.Kind != KindInteger {
			v = Cell(v)
		}
		c.buf[i] = v
	}
	return c.row(c.buf)
}

// Close flushes; an empty export still has its header.
func (c *CSVWriter) Close() error { return c.close() }

// csvBase is a CSV writer with a header and a sticky error.
type csvBase struct {
	w      io.Writer
	cw     *csv.Writer
	bom    bool
	header []string
	begun  bool
	closed bool
	err    error
}

func newCSVBase(w io.Writer, opt CSVOptions, header []string) csvBase {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return csvBase{w: w, cw: cw, bom: opt.BOM, header: header}
}

func (c *csvBase) begin() {
	if c.begun || c.err != nil {
		return
	}
	c.begun = true
	if c.bom {
		if _, c.err = io.WriteString(c.w, "\uFEFF"); c.err != nil {
			return
		}
	}
	c.err = c.cw.Write(c.header)
}

func (c *csvBase) row(rec []string) error {
	c.begin()
	if c.err == nil {
		c.err = c.cw.Write(rec)
	}
	return c.err
}

func (c *csvBase) close() error {
	c.begin()
	if c.err == nil && !c.closed {
		c.closed = true
		c.cw.Flush()
		c.err = c.cw.Error()
	}
	return c.err
}

// Cell makes text safe for a spreadsheet cell: control characters other
// than line breaks and tabs are removed, and text whose first visible
// character could start a formula (= + - @, a tab or carriage return, or
// their full-width forms) gets a leading apostrophe, so that a spreadsheet
// shows "'=cmd|…" as text instead of running it (CSV injection). Numbers
// written by rasd are not passed through Cell.
func Cell(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	if hasControl(s) {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' || r == '\r' || !unicode.IsControl(r) {
				return r
			}
			return -1
		}, s)
	}
	first := strings.TrimLeft(s, " \u00a0")
	switch r, _ := utf8.DecodeRuneInString(first); r {
	case '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// hasControl reports whether s has a control character other than a line
// break or tab: C0, DEL, or C1 (UTF-8 C2 80 to C2 9F).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 && c != '\n' && c != '\t' && c != '\r', c == 0x7f:
			return true
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return true
		}
	}
	return false
}

// list joins list items with "; ", replacing a ";" inside an item with
// "," so that the list splits back into the same items.
func list(items []string) string {
	clean := make([]string, len(items))
	for i, s := range items {
		clean[i] = strings.ReplaceAll(s, ";", ",")
	}
	return strings.Join(clean, "; ")
}

func victimList(p *redact.Public, get func(redact.Victim) string) string {
	items := make([]string, len(p.Victims))
	for i, v := range p.Victims {
		items[i] = get(v)
	}
	return list(items)
}

func decimal(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
