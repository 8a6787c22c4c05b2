package importer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// defaultDateFormats are tried when a mapping names none.
var defaultDateFormats = []string{"YYYY-MM-DD", "DD/MM/YYYY", "D/M/YYYY", "YYYY/MM/DD", "DD.MM.YYYY", "D MMMM YYYY", "D MMM YYYY"}

// dateTokens are the words of a date format, longest first.
var dateTokens = []struct{ token, layout string }{
	{"YYYY", "2006"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"}, {"DD", "02"}, {"D", "2"},
}

// goLayout turns a date format written as in a spreadsheet program
// (DD/MM/YYYY) into a Go layout, refusing what it cannot read.
func goLayout(format string) (string, error) {
	var b strings.Builder
	seen := map[byte]bool{}
	rest := format
	for rest != "" {
		matched := false
		for _, t := range dateTokens {
			if strings.HasPrefix(rest, t.token) {
				if seen[t.token[0]] {
					return "", fmt.Errorf("date format %q names %c twice", format, t.token[0])
				}
				seen[t.token[0]] = true
				b.WriteString(t.layout)
				rest = rest[len(t.token):]
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		switch c := rest[0]; c {
		case '/', '-', '.', ' ', ',':
			b.WriteByte(c)
			rest = rest[1:]
		default:
			return "", fmt.Errorf("date format %q: %q is not understood; write it with YYYY, MM or MMM, DD and separators, e.g. DD/MM/YYYY", format, rest[:1])
		}
	}
	if !seen['Y'] || !seen['M'] || !seen['D'] {
		return "", fmt.Errorf("date format %q must name the year (YYYY), month (MM) and day (DD)", format)
	}
	return b.String(), nil
}

// parseSheetDate reads a cell as a date in one of formats, or as a
// spreadsheet's day number (an XLSX date cell read raw).
func parseSheetDate(s string, formats []string, serials bool) (string, error) {
	for _, f := range formats {
		l, _ := goLayout(f) // checked with the mapping
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	if serials {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 1 && n < 2958466 {
			return excelEpoch.AddDate(0, 0, int(math.Floor(n))).Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("%q is not a date in the mapping's formats %q", s, formats)
}

// excelEpoch is day 0 of the 1900 date system, less the day of its
// fictitious 29 February 1900 (dates before March 1900 are not events
// rasd records).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
