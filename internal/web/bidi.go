package web

import (
	"html/template"
	"regexp"
	"time"

	"github.com/rasd-project/rasd/internal/locale"
)

// ltrRun is a run that must read left to right inside right-to-left text:
// a date or period written with digits (2019-10-25, ٢٠١٩-١٠), a time
// (15:04), an incident code (IQ-2025-0031), a coordinate (33.3152). Left
// alone, the Unicode bidi algorithm shows Arabic-Indic digits joined by a
// hyphen in reverse order ("10-2019"), and a line may break inside them.
// It matches escaped HTML safely: a character reference (&#34;) has no
// separator after its digits.
var ltrRun = regexp.MustCompile(`[A-Z]{2,3}-[0-9]+(?:-[0-9]+)*|[0-9٠-٩]+(?:[-/:.][0-9٠-٩]+)+`)

// isolateLTR wraps every ltrRun of escaped text in <bdi dir="ltr"> on a
// right-to-left page (docs/web.md); a left-to-right page needs nothing.
func isolateLTR(escaped, lang string) string {
	if locale.Dir(lang) != "rtl" {
		return escaped
	}
	return ltrRun.ReplaceAllString(escaped, `<bdi dir="ltr" class="nowrap">$0</bdi>`)
}

// DateHTML is Date in element content, its digits isolated.
func (p *page) DateHTML(ymd, precision string) template.HTML {
	return template.HTML(isolateLTR(template.HTMLEscapeString(p.Date(ymd, precision)), p.Lang))
}

// Clock is a time of day in UTC, in the page's digits.
func (p *page) Clock(t time.Time) string { return p.digits(t.UTC().Format("15:04")) }

// Sep separates items on a line: a middle dot, or with Arabic-Indic digits
// a dash, since the dot beside the digit zero (٠, itself a dot) makes both
// unreadable.
func (p *page) Sep() string {
	if p.ArabicDigits {
		return " – "
	}
	return " · "
}
