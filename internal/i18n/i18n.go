// Package i18n translates rasd's interface. Message catalogues are data
// files, locales/LANG/*.json (one file per area of the interface, merged),
// for every language of the locale table. A complete language has every
// key of the fallback's catalogue (a test fails when one is missing); any
// other language falls back, message by message, to the fallback's, and a
// test lists what it lacks. Plural messages have one key per CLDR plural
// category of their language ("files.one", "files.other"; Arabic also
// zero, two, few, many).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/rasd-project/rasd/internal/locale"
)

//go:embed locales
var files embed.FS

var catalogues = map[string]map[string]string{}

func init() {
	for _, l := range locale.Codes() {
		m, err := load(l)
		if err != nil {
			panic("i18n: " + err.Error())
		}
		catalogues[l] = m
	}
}
func load(lang string) (map[string]string, error) {
	names, err := fs.Glob(files, path.Join("locales", lang, "*.json"))
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("%s: key %q is defined twice in %s", n, k, lang)
			}
			m[k] = v
		}
	}
	return m, nil
}

// Lang returns l if it is an interface language, otherwise the fallback.
func Lang(l string) string { return locale.Or(l) }

// Message is key's message in lang or, when lang lacks it, in the fallback
// language; in is the language it is in. A key in neither is returned as
// itself in brackets (in ""), so that it is seen, not hidden.
func Message(lang, key string) (msg, in string) {
	lang = Lang(lang)
	if msg, ok := catalogues[lang][key]; ok {
		return msg, lang
	}
	if msg, ok := catalogues[locale.Fallback][key]; ok {
		return msg, locale.Fallback
	}
	return "[" + key + "]", ""
}

// T translates key, formatting args into the message with fmt verbs (in
// the fallback language's message when lang lacks it).
func T(lang, key string, args ...any) string {
	msg, _ := Message(lang, key)
	return Format(msg, args...)
}

// Format writes args into a message with fmt verbs. A plural form may
// leave the number out ("حادثتان"): no verbs, no args.
func Format(msg string, args ...any) string {
	if len(args) > 0 && strings.Contains(msg, "%") {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether key exists in lang's catalogue.
func Has(lang, key string) bool { _, ok := catalogues[lang][key]; return ok }

// N translates a plural message for n: the key's category form, with n as
// the first argument.
func N(lang, key string, n int, args ...any) string {
	msg, _ := PluralMessage(lang, key, n)
	return Format(msg, append([]any{n}, args...)...)
}

// PluralMessage is the form of the plural message key for n, and the
// language it is in: lang's form for n's category (or its "other"), else
// the fallback language's whole message, never a mix of the two.
func PluralMessage(lang, key string, n int) (msg, in string) {
	for _, l := range []string{Lang(lang), locale.Fallback} {
		for _, k := range []string{key + "." + Plural(l, n), key + ".other"} {
			if msg, ok := catalogues[l][k]; ok {
				return msg, l
			}
		}
	}
	return "[" + key + "]", ""
}

// Plural is the CLDR plural category of n in lang.
func Plural(lang string, n int) string { return locale.Plural(lang, n) }

// Keys lists a catalogue's keys (for the completeness test).
func Keys(lang string) []string {
	out := make([]string, 0, len(catalogues[lang]))
	for k := range catalogues[lang] {
		out = append(out, k)
	}
	return out
}

// Digits writes ASCII digits as Arabic-Indic digits (٠١٢…).
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + (r - '0')
		}
		return r
	}, s)
}
