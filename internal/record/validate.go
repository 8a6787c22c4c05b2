package record

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Errors are the refused fields of a record, each with the message key
// that says what is wrong (package i18n translates it). Empty: accepted.
type Errors map[string]string

// Add refuses field with key, keeping the first reason given.
func (e Errors) Add(field, key string) {
	if _, ok := e[field]; !ok {
		e[field] = key
	}
}

// Fields lists the refused fields in order, for messages.
func (e Errors) Fields() []string {
	out := make([]string, 0, len(e))
	for f := range e {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Error describes the refusal in English, for the command line and
// imports: "name_ar: record.error.required; …" (keys, so that a caller
// with a catalogue can say it better).
func (e Errors) Error() string {
	parts := make([]string, 0, len(e))
	for _, f := range e.Fields() {
		parts = append(parts, f+": "+e[f])
	}
	return strings.Join(parts, "; ")
}

// Err returns e as an error, or nil when nothing was refused.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Message keys of the refusals each field's description implies.
const (
	ErrRequired = "record.error.required"
	ErrTooLong  = "record.error.too_long"
	ErrCode     = "record.error.code"
	ErrYear     = "record.error.year"
	ErrNumber   = "record.error.number"
	ErrDate     = "record.error.date"
	ErrFuture   = "record.error.future"
	ErrControl  = "record.error.control" // bidi or other control characters in one line
)

// Validate checks every field of r against its description and the
// kind's Check, as of now (years and dates may not be in the future). It
// is the one validation of a kind: forms, imports and the API all call it.
func (k *Kind[T]) Validate(r *T, now time.Time) Errors {
	errs := Errors{}
	for _, f := range k.Fields {
		k.validateField(f, k.Get(r, f.Name), now, errs)
	}
	if k.Check != nil {
		k.Check(r, errs)
	}
	return errs
}

func (k *Kind[T]) validateField(f Field, v any, now time.Time, errs Errors) {
	switch x := v.(type) {
	case string:
		if x == "" {
			if f.Required {
				errs.Add(f.Name, ErrRequired)
			}
			return
		}
		checkString(f, x, now, errs)
	case []string:
		if len(x) == 0 && f.Required {
			errs.Add(f.Name, ErrRequired)
		}
		for _, s := range x {
			if f.Input == Refs {
				checkString(Field{Name: f.Name, Input: Ref}, s, now, errs)
				continue
			}
			if f.Input == Codes {
				if !vocab.Get(f.Vocab).Has(s) {
					errs.Add(f.Name, ErrCode)
				}
				continue
			}
			checkString(f, s, now, errs)
		}
		if f.Input == Codes && !inVocabOrder(f.Vocab, x) {
			errs.Add(f.Name, ErrCode) // Apply keeps codes in order, once each; a caller must too
		}
	case int:
		switch {
		case x == 0 && f.Required && f.Input == Year:
			errs.Add(f.Name, ErrRequired)
		case f.Input == Year && x != 0 && (x < 1900 || x > now.Year()):
			errs.Add(f.Name, ErrYear)
		case x < 0:
			errs.Add(f.Name, ErrNumber)
		}
	case bool:
	default:
		panic(fmt.Sprintf("record: field %s.%s holds %T", k.Name, f.Name, v))
	}
}

// checkString checks one non-empty string value of field f.
func checkString(f Field, s string, now time.Time, errs Errors) {
	if !utf8.ValidString(s) {
		errs.Add(f.Name, ErrControl)
		return
	}
	switch f.Input {
	case Code:
		if !vocab.Get(f.Vocab).Has(s) {
			errs.Add(f.Name, ErrCode)
		}
	case Admin1:
		if _, ok := vocab.Admin1(s); !ok {
			errs.Add(f.Name, ErrCode)
		}
	case Date:
		d, err := time.Parse(time.DateOnly, s)
		switch {
		case err != nil:
			errs.Add(f.Name, ErrDate)
		case d.After(now):
			errs.Add(f.Name, ErrFuture)
		}
	case Text, Lines, Ref:
		if utf8.RuneCountInString(s) > f.limit() {
			errs.Add(f.Name, ErrTooLong)
		}
		if strings.IndexFunc(s, lineControl) >= 0 {
			errs.Add(f.Name, ErrControl)
		}
	case Textarea:
		if utf8.RuneCountInString(s) > f.limit() {
			errs.Add(f.Name, ErrTooLong)
		}
	}
}

func (f Field) limit() int {
	switch {
	case f.Max > 0:
		return f.Max
	case f.Input == Textarea:
		return MaxText
	}
	return MaxLine
}

// lineControl reports characters that have no place in one line of text:
// line breaks and other controls, and the bidirectional overrides and
// isolates that make "statement\u202Efdp.bat" read as "statementtab.pdf".
func lineControl(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// inVocabOrder reports whether codes are in their vocabulary's order,
// each once.
func inVocabOrder(name string, codes []string) bool {
	all := vocab.Get(name).Codes()
	last := -1
	for _, c := range codes {
		i := slices.Index(all, c)
		if i <= last {
			return false
		}
		last = i
	}
	return true
}
