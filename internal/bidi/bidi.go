// Package bidi keeps the runs that must read left to right (dates and
// periods written with digits, times, ranges, codes, coordinates) in that
// order inside right-to-left text (docs/web.md, "Numbers and dates in
// right-to-left text").
package bidi

import "regexp"

// LTRRun is such a run: 2019-10-25, ٢٠١٩-١٠, 15:04, 1–15, IQ-2025-0031,
// 33.3152. Left alone, the Unicode bidirectional algorithm shows
// Arabic-Indic digits joined by a hyphen in reverse order inside Arabic
// text ("١٠-٢٠١٩"), and a line may break inside them. It matches escaped
// HTML safely: a character reference (&#34;) has no separator after its
// digits.
var LTRRun = regexp.MustCompile(`[A-Z]{2,3}-[0-9]+(?:-[0-9]+)*|[0-9٠-٩]+(?:[-–/:.][0-9٠-٩]+)+`)

// Isolate wraps every LTRRun of plain text in the Unicode isolates LRI …
// PDI, for text that cannot hold markup (SVG text, titles, attributes).
func Isolate(s string) string {
	return LTRRun.ReplaceAllString(s, "\u2066$0\u2069")
}
