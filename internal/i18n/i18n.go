// Package i18n translates rasd's interface. Message catalogues are data
// files, locales/LANG/*.json (one file per area of the interface, merged),
// with the same keys in every language; a test fails when a key is missing
// in any of them. Plural messages have one
// key per CLDR plural category ("files.one", "files.other"; Arabic also
// zero, two, few, many).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed locales
var files embed.FS

// Langs are the interface languages, in the order offered.
var Langs = []string{"ar", "en"}

var catalogues = map[string]map[string]string{}

func init() {
	for _, l := range Langs {
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

// Lang returns l if it is an interface language, otherwise English.
func Lang(l string) string {
	if _, ok := catalogues[l]; ok {
		return l
	}
	return "en"
}

// Dir is the text direction of a language.
func Dir(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// T translates key, formatting args into the message with fmt verbs. A
// missing key shows as itself in brackets, so it is seen, not hidden.
func T(lang, key string, args ...any) string {
	msg, ok := catalogues[Lang(lang)][key]
	if !ok {
		return "[" + key + "]"
	}
	// A plural form may leave the number out ("حادثتان"): no verbs, no args.
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
	k := key + "." + Plural(lang, n)
	if !Has(Lang(lang), k) {
		k = key + ".other"
	}
	return T(lang, k, append([]any{n}, args...)...)
}

// Plural is the CLDR plural category of n in lang.
func Plural(lang string, n int) string {
	if lang == "ar" {
		m := n % 100
		switch {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11 && m <= 99:
			return "many"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}

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
