// Package locale is rasd's table of languages: each one's code, own name,
// direction, script, digits and plural rules (CLDR's, from
// golang.org/x/text). Everything that depends on the language asks this
// package; no other package compares language codes (a test checks).
//
// Adding a language is a row of the table, a message catalogue
// (internal/i18n/locales/CODE) and vocabulary labels
// (internal/vocab/data/labels/CODE.json). Until it is complete, what is
// missing shows in the fallback language, marked as such.
package locale

import (
	"slices"

	"golang.org/x/text/language"
)

// Locale is one language of the interface.
type Locale struct {
	Code   string // BCP 47 language code
	Name   string // the language's own name, as the language switch shows it
	Dir    string // "rtl" or "ltr"
	Script string // ISO 15924: "Arab" or "Latn"
	// Digits are the digits a reader sees until they choose (CLDR numbering
	// systems): "latn" (0123) or "arab" (٠١٢٣). Only a language written in
	// Arabic script offers the choice.
	Digits string
	// Complete: every catalogue message is translated (a missing one fails
	// the tests), and so is the wording composed in Go (statistical
	// sentences, generated summaries). The public portal and its feeds are
	// published in complete languages only.
	Complete bool
	tag      language.Tag
	plurals  []string // CLDR plural categories of integers, in categoryOrder
}

// Fallback is the language of whatever is not translated.
const Fallback = "en"

// table lists the languages in the order they are offered.
var table = []Locale{
	{Code: "ar", Name: "العربية", Dir: "rtl", Script: "Arab", Digits: "latn", Complete: true},
	{Code: "en", Name: "English", Dir: "ltr", Script: "Latn", Digits: "latn", Complete: true},
	// Central Kurdish (Sorani), as written in Iraq: Arabic script, digits ٠١٢.
	{Code: "ckb", Name: "کوردی", Dir: "rtl", Script: "Arab", Digits: "arab"},
}

func init() {
	for i := range table {
		l := &table[i]
		l.tag = language.MustParse(l.Code)
		l.plurals = categories(l.tag)
	}
	if _, ok := find(Fallback); !ok {
		panic("locale: the fallback language is not in the table")
	}
}

func find(code string) (*Locale, bool) {
	for i := range table {
		if table[i].Code == code {
			return &table[i], true
		}
	}
	return nil, false
}

// Get returns the language of code, or the fallback's for an unknown code.
func Get(code string) Locale {
	if l, ok := find(code); ok {
		return *l
	}
	l, _ := find(Fallback)
	return *l
}

// Known reports whether code is one of the table's languages.
func Known(code string) bool { _, ok := find(code); return ok }

// Or returns code if it is a known language, otherwise the fallback.
func Or(code string) string { return Get(code).Code }

// Codes lists every language's code, in the order offered.
func Codes() []string {
	out := make([]string, len(table))
	for i, l := range table {
		out[i] = l.Code
	}
	return out
}

// CompleteCodes lists the complete languages' codes, in the order offered.
func CompleteCodes() []string {
	var out []string
	for _, l := range table {
		if l.Complete {
			out = append(out, l.Code)
		}
	}
	return out
}

// All lists the languages, in the order offered.
func All() []Locale { return slices.Clone(table) }

// Dir is the text direction of code: "rtl" or "ltr".
func Dir(code string) string { return Get(code).Dir }

// RTL reports whether code is written right to left.
func RTL(code string) bool { return Get(code).Dir == "rtl" }

// ArabicScript reports whether code is written in Arabic script (which
// has no letter case, joins its letters, and may use Arabic-Indic digits).
func ArabicScript(code string) bool { return Get(code).Script == "Arab" }

// Arabic reports whether code is Arabic, the language (not the script).
// rasd's records and vocabularies hold text in Arabic and English, and some
// wording is composed in Go in those two only: a reader of Arabic gets the
// Arabic, everyone else the English.
func Arabic(code string) bool { return code == "ar" }

// Pick returns, of a text held in Arabic and in English, the one for a
// reader of code: the Arabic for Arabic, the English (the fallback) for
// every other language (see Arabic).
func Pick(code, ar, en string) string {
	if Arabic(code) {
		return ar
	}
	return en
}

// Stored reports whether code is one of the two languages rasd holds text
// in, Arabic and English: whether Pick gives a reader of code their own.
func Stored(code string) bool { return code == "ar" || code == "en" }

// Wording is the language in which to write for code what Go composes
// rather than the catalogues (sentences stating figures, generated
// summaries): code itself if it is complete, otherwise the fallback, so
// that a sentence is never half in one language.
func Wording(code string) string {
	if l, ok := find(code); ok && l.Complete {
		return code
	}
	return Fallback
}

// ArabicDigits reports whether numbers are written with Arabic-Indic digits
// (٠١٢…) for a reader of code whose choice is choice ("arab", "latn", or ""
// for none made): only in a language written in Arabic script, and then the
// reader's choice, or the language's default.
func ArabicDigits(code, choice string) bool {
	l, ok := find(code)
	if !ok || l.Script != "Arab" {
		return false
	}
	switch choice {
	case "arab":
		return true
	case "latn":
		return false
	}
	return l.Digits == "arab"
}

// Match picks the language for an Accept-Language header: the first known
// one in the browser's order of preference, or the fallback.
func Match(acceptLanguage string) string {
	tags, q, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return Fallback
	}
	for i, t := range tags {
		base, conf := t.Base()
		if q[i] <= 0 || conf != language.Exact {
			continue // a guessed base ("*", "und") is no preference
		}
		if Known(base.String()) {
			return base.String()
		}
	}
	return Fallback
}
