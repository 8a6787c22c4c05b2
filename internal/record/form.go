package record

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Form is a record's form as typed: text, so that a refused value comes
// back to the person exactly as they entered it. Values are keyed by the
// fields' names, which are also the inputs' names.
type Form struct {
	ID, Version string
	Values      url.Values
}

// Get returns the typed text of a field.
func (f Form) Get(field string) string { return f.Values.Get(field) }

// Has reports whether a multiple-choice field has code picked.
func (f Form) Has(field, code string) bool { return slices.Contains(f.Values[field], code) }

// Checked reports whether a yes/no field is ticked.
func (f Form) Checked(field string) bool { return f.Values.Get(field) != "" }

// ReadForm takes a submitted form's values for k's fields; id is the
// record's (from the path, "" for a new one).
func (k *Kind[T]) ReadForm(id string, posted url.Values) Form {
	f := Form{ID: id, Version: posted.Get("version"), Values: url.Values{}}
	for _, fd := range k.Fields {
		if vs, ok := posted[fd.Name]; ok && !fd.Hidden {
			f.Values[fd.Name] = slices.Clone(vs)
		}
	}
	return f
}

// FormOf fills a form from a stored record.
func (k *Kind[T]) FormOf(r *T) Form {
	f := Form{ID: k.ID(r), Version: strconv.Itoa(k.Meta(r).Version), Values: url.Values{}}
	for _, fd := range k.Fields {
		switch v := k.Get(r, fd.Name).(type) {
		case string:
			if v != "" {
				f.Values.Set(fd.Name, v)
			}
		case []string:
			if fd.Input == Lines || fd.Input == Refs {
				if len(v) > 0 {
					f.Values.Set(fd.Name, strings.Join(v, "\n"))
				}
			} else if len(v) > 0 {
				f.Values[fd.Name] = slices.Clone(v)
			}
		case int:
			if v != 0 {
				f.Values.Set(fd.Name, strconv.Itoa(v))
			}
		case bool:
			if v {
				f.Values.Set(fd.Name, "on")
			}
		}
	}
	return f
}

// Apply reads the form into r and validates the result (Validate): when
// a field is refused, r is untouched and the refusals are returned.
// Fields the form does not show (Hidden) keep their values.
func (k *Kind[T]) Apply(f Form, r *T, now time.Time) Errors {
	next := *r
	errs := Errors{}
	for _, fd := range k.Fields {
		if fd.Hidden {
			continue
		}
		v, ok := parse(fd, f.Values[fd.Name])
		if !ok {
			errs.Add(fd.Name, parseError(fd.Input))
			continue
		}
		k.Set(&next, fd.Name, v)
	}
	for field, key := range k.Validate(&next, now) {
		errs.Add(field, key)
	}
	if len(errs) == 0 {
		*r = next
	}
	return errs
}

func parseError(in Input) string {
	switch in {
	case Year:
		return ErrYear
	case Date:
		return ErrDate
	}
	return ErrNumber
}

// parse turns typed text into a field's value; ok is false for text that
// is not a value of the field's kind at all (letters in a year).
func parse(f Field, typed []string) (any, bool) {
	first := ""
	if len(typed) > 0 {
		first = typed[0]
	}
	switch f.Input {
	case Lines, Refs:
		return lines(first), true
	case Codes:
		var picked []string
		for _, code := range vocab.Get(f.Vocab).Codes() { // the vocabulary's order, once each
			if slices.Contains(typed, code) {
				picked = append(picked, code)
			}
		}
		for _, c := range typed {
			if !slices.Contains(picked, c) {
				picked = append(picked, c) // unknown: kept, so that Validate refuses it
			}
		}
		return picked, true
	case Year, Count:
		s := Digits(first)
		if s == "" {
			return 0, true
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	case Bool:
		return first != "", true
	case Date:
		return Digits(first), true
	case Textarea:
		return strings.TrimSpace(strings.ReplaceAll(first, "\r\n", "\n")), true
	}
	return strings.TrimSpace(first), true
}

// lines splits a one-per-line text, trimming, dropping empty and repeated
// lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// Digits reads Arabic-Indic and Persian digits as ASCII digits, so that
// "١٩٩٠" typed on an Arabic keyboard is the year 1990, and trims spaces.
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, strings.TrimSpace(s))
}
