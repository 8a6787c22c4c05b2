package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on a spreadsheet, which may come from anyone. An XLSX is a zip:
// its declared unpacked size is checked before anything is unpacked (the
// zip reader refuses entries longer than declared), so a zip bomb is
// refused before it costs memory. What is within the limits is unpacked
// in memory only (openXLSX).
var (
	MaxSheetBytes int64 = 256 << 20 // the file as sent
	MaxSheetUnzip int64 = 1 << 30   // an XLSX unpacked
)

// Sheet is a spreadsheet opened for reading, from its first row, as
// often as needed.
type Sheet interface {
	// Rows calls fn with each row: its number as the spreadsheet program
	// shows it (from 1) and its cells, which fn must not keep.
	Rows(fn func(row int, cells []string) error) error
	// Serials reports whether date cells come as day numbers (XLSX).
	Serials() bool
	Close() error
}

// Limits bound one opening of a spreadsheet: the file as sent, and an
// XLSX unpacked, which is all held in memory.
type Limits struct {
	File, Unzip int64
}

// MemoryLimits are the limits of a sheet a server holds in its memory
// between the web wizard's steps (docs/spreadsheets.md): an XLSX that
// would unpack to more is refused as a zip bomb is.
var MemoryLimits = Limits{File: 16 << 20, Unzip: 16 << 20}

// OpenSheet opens a spreadsheet of format "csv" or "xlsx"; sheet names
// the XLSX worksheet ("" = the first). r is read again for each Rows of a
// CSV, so it must be seekable for more than one.
func OpenSheet(r io.ReadSeeker, name, format, sheet string) (Sheet, error) {
	return OpenSheetLimited(r, name, format, sheet, Limits{File: MaxSheetBytes, Unzip: MaxSheetUnzip})
}

// OpenSheetLimited is OpenSheet within lim.
func OpenSheetLimited(r io.ReadSeeker, name, format, sheet string, lim Limits) (Sheet, error) {
	switch format {
	case "csv":
		return &csvSheet{r: r, name: name, max: lim.File}, nil
	case "xlsx":
		return openXLSX(r, name, sheet, lim)
	}
	return nil, fmt.Errorf("format %q: use csv or xlsx", format)
}

type csvSheet struct {
	r    io.ReadSeeker
	name string
	max  int64
}

func (s *csvSheet) Serials() bool { return false }
func (s *csvSheet) Close() error  { return nil }

func (s *csvSheet) Rows(fn func(int, []string) error) error {
	if _, err := s.r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	cr := csv.NewReader(&limitedReader{r: s.r, n: s.max, max: s.max, name: s.name})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var le *sizeError
			if errors.As(err, &le) {
				return le
			}
			return csvProblem(s.name, err)
		}
		line, _ := cr.FieldPos(0)
		if row == 1 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF") // Excel's "CSV UTF-8"
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

// limitedReader fails past n bytes, where io.LimitReader would end
// quietly and a cut file look whole.
type limitedReader struct {
	r      io.Reader
	n, max int64
	name   string
}

type sizeError struct {
	name string
	max  int64
}

func (e *sizeError) Error() string {
	return fmt.Sprintf("%s: larger than %d MB; split the file", e.name, e.max>>20)
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, &sizeError{l.name, l.max}
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

type xlsxSheet struct {
	f     *excelize.File
	sheet string
	name  string
}

func openXLSX(r io.Reader, name, sheet string, lim Limits) (Sheet, error) {
	data, err := io.ReadAll(&limitedReader{r: r, n: lim.File, max: lim.File, name: name})
	if err != nil {
		return nil, err
	}
	// Within the limit, every part is unpacked in memory: excelize would
	// write a worksheet over UnzipXMLSizeLimit (16 MB by default) to the
	// system's temporary directory in the clear, a copy of names taken,
	// say, from an encrypted USB stick onto the laptop's own disk.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.Unzip, UnzipXMLSizeLimit: lim.Unzip})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, fmt.Errorf("%s: unpacks to more than %d MB, which no sheet of incidents needs (a zip bomb?); nothing was read", name, lim.Unzip>>20)
		}
		return nil, fmt.Errorf("%s: not a readable XLSX file (%v); save it again as Excel Workbook (.xlsx)", name, err)
	}
	sheets := f.GetSheetList()
	switch {
	case len(sheets) == 0:
		f.Close()
		return nil, fmt.Errorf("%s: has no worksheet", name)
	case sheet == "":
		sheet = sheets[0]
	default:
		if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
			f.Close()
			return nil, fmt.Errorf("%s: has no worksheet %q (it has %q)", name, sheet, sheets)
		}
	}
	return &xlsxSheet{f: f, sheet: sheet, name: name}, nil
}

func (s *xlsxSheet) Serials() bool { return true }
func (s *xlsxSheet) Close() error  { return s.f.Close() }

func (s *xlsxSheet) Rows(fn func(int, []string) error) error { return s.rows(true, fn) }

// DisplayRows are the rows as the spreadsheet program shows them (a date
// cell as a date, not its day number): for a preview, not an import.
func (s *xlsxSheet) DisplayRows(fn func(int, []string) error) error { return s.rows(false, fn) }

func (s *xlsxSheet) rows(raw bool, fn func(int, []string) error) error {
	rows, err := s.f.Rows(s.sheet)
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	defer rows.Close()
	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return &Error{File: s.name, Row: row, Err: fmt.Errorf("cannot read the row: %v", err)}
		}
		for i, c := range cells {
			if !utf8.ValidString(c) {
				return &Error{File: s.name, Row: row, Field: columnName(i), Err: errors.New("is not valid text")}
			}
		}
		if err := fn(row, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// columnName is a spreadsheet's name of the column at index i (A, B, … AA).
func columnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
