package web

import (
	"html/template"
	"time"

	"github.com/rasd-project/rasd/internal/bidi"
	"github.com/rasd-project/rasd/internal/locale"
)

// isolateLTR wraps every bidi.LTRRun of escaped text in <bdi dir="ltr"> on a
// right-to-left page (docs/web.md); a left-to-right page needs nothing.
func isolateLTR(escaped, lang string) string {
	if locale.Dir(lang) != "rtl" {
		return escaped
	}
	return bidi.LTRRun.ReplaceAllString(escaped, `<bdi dir="ltr" class="nowrap">$0</bdi>`)
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
