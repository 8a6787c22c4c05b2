// Package svgenc holds the small pieces every server-drawn SVG (charts, the
// governorate map) writes with: escaped text, safe links and short numbers.
package svgenc

import (
	"encoding/xml"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Escape escapes s for XML text and attributes; characters XML cannot
// hold become U+FFFD.
func Escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// SafeHref keeps relative and http(s) links, and drops any other scheme
// (javascript:, data:) or an unparsable one.
func SafeHref(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if s == "" || err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https":
		return s
	}
	return ""
}

// Num writes a coordinate with at most two decimals (0 for NaN or ±Inf).
func Num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
