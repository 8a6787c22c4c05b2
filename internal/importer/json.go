package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

// JSON import format identifiers (docs/import-json.md).
const (
	JSONFormat  = "rasd-incidents"
	JSONVersion = 1
)

const envelopeHint = `the file must hold one JSON object {"format": "rasd-incidents", "version": 1, "incidents": [...]}`

// JSONFile is a file in rasd's documented JSON import format
// (docs/import-json.md) whose envelope has been read and checked; its
// incidents are decoded, given their defaults and checked against the
// vocabularies and gazetteer one at a time, by Each, so that they need not
// all be held in memory at once. Problems name the incident, its line and
// the field path.
type JSONFile struct {
	name  string
	raws  []json.RawMessage // the incidents, undecoded
	lines []int             // the line where each starts
}

// ReadJSON reads a JSON import file and checks its envelope: UTF-8, the
// format and version, and the list of incidents, each complete JSON.
func ReadJSON(r io.Reader, name string) (*JSONFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("cannot read the file: %w", err)}
	}
	if err := notUTF8Text(data[:min(len(data), 4096)]); err != nil {
		return nil, &Error{File: name, Line: 1, Err: err}
	}
	// Notepad writes a byte-order mark; encoding/json would choke on it.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	// encoding/json silently turns invalid bytes into U+FFFD: an Arabic
	// file saved as Windows-1256 would lose every name without an error.
	if !utf8.Valid(data) {
		bad := 0 // the first invalid byte
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			bad += size
		}
		return nil, &Error{File: name, Line: 1 + bytes.Count(data[:bad], []byte("\n")), Err: errors.New("is not UTF-8 text; save the file as UTF-8")}
	}
	raws, lines, err := readEnvelope(data, name)
	if err != nil {
		return nil, err
	}
	return &JSONFile{name: name, raws: raws, lines: lines}, nil
}

// Len is how many incidents the file holds.
func (f *JSONFile) Len() int { return len(f.raws) }

// First returns the number (1-based) and external reference of the first
// incident for which match is true, or 0. It decodes only what decides
// whether a record is restricted: the incident's visibility and its
// inline victims', as they are given, before defaults (which only ever
// make a record internal). Incidents that do not decode are skipped: Each
// reports them.
func (f *JSONFile) First(match func(*model.Incident) bool) (int, *model.External) {
	var sk struct {
		Visibility string `json:"visibility"`
		Victims    []struct {
			Person *struct {
				Visibility string `json:"visibility"`
			} `json:"person"`
		} `json:"victims"`
		External *model.External `json:"external"`
	}
	for i, raw := range f.raws {
		sk.Visibility, sk.Victims, sk.External = "", nil, nil
		if json.Unmarshal(raw, &sk) != nil {
			continue
		}
		inc := model.Incident{Visibility: sk.Visibility, External: sk.External}
		for _, v := range sk.Victims {
			if v.Person != nil {
				inc.Victims = append(inc.Victims, model.Victim{Person: &model.Person{Visibility: v.Person.Visibility}})
			}
		}
		if match(&inc) {
			return i + 1, inc.External
		}
	}
	return 0, nil
}

// Each decodes and checks the incidents in order, defaults applied, and
// hands each to fn as a new value, as EachACLED does: after the first
// problem it calls fn no more but reads on to report up to maxErrors
// problems together. An error from fn stops it and is returned as it is.
// Each may be called again, and decodes the incidents again.
func (f *JSONFile) Each(fn func(*model.Incident) error) error {
	var c collector
	seen := map[[2]string]int{} // external system and ID → incident number
	for i, raw := range f.raws {
		rec, line := i+1, f.lines[i]
		at := func(e *Error) { e.File, e.Record, e.Line = f.name, rec, line }
		inc, err := decodeIncident(raw)
		if err == nil {
			incidents.ApplyDefaults(&inc)
			err = incidents.Validate(&inc)
		}
		if err != nil {
			c.addAll(err, at)
			if c.full {
				break
			}
			continue
		}
		if x := inc.External; x != nil {
			k := [2]string{x.System, x.ID}
			if prev, dup := seen[k]; dup {
				c.add(&Error{File: f.name, Record: rec, Line: line, Field: "external.id",
					Err: fmt.Errorf("%s %q is also incident %d; an outside record may appear only once per file", x.System, x.ID, prev)})
				continue
			}
			seen[k] = rec
		}
		if len(c.list) == 0 {
			if err := fn(&inc); err != nil {
				return err
			}
		}
	}
	return c.err()
}

// readEnvelope walks the top-level object token by token so that each
// incident's starting line is known, and returns the incidents unparsed.
func readEnvelope(data []byte, name string) (raws []json.RawMessage, lines []int, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	inList, cur := false, 0 // inside "incidents", at the incident starting at cur
	fail := func(line int, field string, err error) ([]json.RawMessage, []int, error) {
		return nil, nil, &Error{File: name, Line: line, Field: field, Err: err}
	}
	// syntax turns a decoder error into one that names the line.
	syntax := func(err error) ([]json.RawMessage, []int, error) {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off := int(se.Offset)
			if inList {
				// Offsets are unreliable once Token and Decode are mixed:
				// decode the incident alone to find the place.
				var v json.RawMessage
				if err := json.NewDecoder(bytes.NewReader(data[cur:])).Decode(&v); errors.As(err, &se) {
					off = cur + int(se.Offset)
				}
			}
			e := &Error{File: name, Line: lineAt(data, off), Err: fmt.Errorf("invalid JSON: %v; look for a missing comma, quote or bracket", se)}
			if inList {
				e.Record = len(raws) + 1
			}
			return nil, nil, e
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return fail(lineAt(data, len(data)), "", errors.New("the file ends in the middle of the JSON; it may have been cut short"))
		}
		return fail(0, "", err)
	}
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return fail(0, "", errors.New("the file is empty; "+envelopeHint))
	}
	if err != nil {
		return syntax(err)
	}
	if tok != json.Delim('{') {
		return fail(1, "", errors.New(envelopeHint))
	}
	var format string
	version, seen := 0, map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key, _ := tok.(string)
		line := lineAt(data, int(dec.InputOffset()))
		if seen[key] {
			return fail(line, key, errors.New("appears twice; keep one"))
		}
		seen[key] = true
		switch key {
		case "format":
			if err := dec.Decode(&format); err != nil {
				return fail(line, key, fmt.Errorf("must be the text %q", JSONFormat))
			}
		case "version":
			if err := dec.Decode(&version); err != nil {
				return fail(line, key, fmt.Errorf("must be the number %d", JSONVersion))
			}
		case "incidents":
			if tok, err := dec.Token(); err != nil {
				return syntax(err)
			} else if tok != json.Delim('[') {
				return fail(line, key, errors.New("must be a list [...] of incidents"))
			}
			raws, inList = []json.RawMessage{}, true
			for dec.More() {
				cur = skipSep(data, int(dec.InputOffset()))
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return syntax(err)
				}
				raws, lines = append(raws, raw), append(lines, lineAt(data, cur))
			}
			if _, err := dec.Token(); err != nil { // the closing ]
				return syntax(err)
			}
			inList = false
		default:
			return fail(line, key, fmt.Errorf("unknown field %q; %s", key, envelopeHint))
		}
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return syntax(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(lineAt(data, int(dec.InputOffset())), "", errors.New("unexpected data after the closing }; the file must hold one object"))
	}
	switch {
	case format != JSONFormat:
		return fail(0, "format", fmt.Errorf("is %q, expected %q; %s", format, JSONFormat, envelopeHint))
	case version > JSONVersion:
		return fail(0, "version", fmt.Errorf("%d is newer than this rasd understands (%d); upgrade rasd", version, JSONVersion))
	case version != JSONVersion:
		return fail(0, "version", fmt.Errorf("is %d, expected %d", version, JSONVersion))
	case raws == nil:
		return fail(0, "incidents", errors.New(`missing; add "incidents": [...]`))
	}
	return raws, lines, nil
}

// skipSep moves off past the whitespace, comma or colon before a value.
func skipSep(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	for off < len(data) && bytes.IndexByte([]byte(" \t\r\n,:"), data[off]) >= 0 {
		off++
	}
	return off
}

// lineAt is the 1-based line of the first value at or after off.
func lineAt(data []byte, off int) int {
	off = skipSep(data, off)
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
