package opendata

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/rasd-project/rasd/internal/redact"
)

// jsonBase writes JSON values through a buffer with a sticky error.
type jsonBase struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	begun  bool
	closed bool
	err    error
}

func newJSONBase(w io.Writer) jsonBase {
	bw := bufio.NewWriterSize(w, 64<<10)
	return jsonBase{bw: bw, enc: json.NewEncoder(bw)}
}

func (j *jsonBase) raw(s string) {
	if j.err == nil {
		_, j.err = j.bw.WriteString(s)
	}
}

func (j *jsonBase) value(v any) {
	if j.err == nil {
		j.err = j.enc.Encode(v) // one line, ending in "\n"
	}
}

// end writes the end of the document once, and flushes.
func (j *jsonBase) end(s string) error {
	if j.closed {
		return j.err
	}
	j.closed = true
	j.raw(s)
	if j.err == nil {
		j.err = j.bw.Flush()
	}
	return j.err
}

// JSONWriter writes a JSON array of records, one record per line:
// "[\n{...},\n{...}\n]\n". Each record is a redact.Public as JSON.
type JSONWriter struct{ jsonBase }

// NewJSON returns a writer of a JSON array to w.
func NewJSON(w io.Writer) *JSONWriter { return &JSONWriter{newJSONBase(w)} }

// Write writes one record.
func (j *JSONWriter) Write(p redact.Public) error {
	switch {
	case !j.begun:
		j.begun = true
		j.raw("[\n")
	default:
		j.raw(",")
	}
	j.value(p)
	return j.err
}

// Close ends the array and flushes; closing again does nothing.
func (j *JSONWriter) Close() error {
	if !j.begun {
		j.begun = true
		j.raw("[\n")
	}
	return j.end("]\n")
}

// JSONLinesWriter writes JSON Lines (https://jsonlines.org): one record
// per line, no enclosing array, so that a reader can stream it and a file
// can be appended to and split by line.
type JSONLinesWriter struct{ jsonBase }

// NewJSONLines returns a writer of JSON Lines to w.
func NewJSONLines(w io.Writer) *JSONLinesWriter { return &JSONLinesWriter{newJSONBase(w)} }

// Write writes one record.
func (j *JSONLinesWriter) Write(p redact.Public) error {
	j.value(p)
	return j.err
}

// Close flushes.
func (j *JSONLinesWriter) Close() error { return j.end("") }

// GeoJSONWriter writes a GeoJSON FeatureCollection (RFC 7946): one
// Feature per record, its id the incident code, its geometry a Point at
// the published (coarsened) place or null at the country level, its
// properties the record as in the JSON files.
type GeoJSONWriter struct{ jsonBase }

// NewGeoJSON returns a writer of a GeoJSON FeatureCollection to w.
func NewGeoJSON(w io.Writer) *GeoJSONWriter { return &GeoJSONWriter{newJSONBase(w)} }

type feature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   *point         `json:"geometry"`
	Properties *redact.Public `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude
}

// Write writes one Feature.
func (g *GeoJSONWriter) Write(p redact.Public) error {
	if !g.begun {
		g.begun = true
		g.raw(`{"type":"FeatureCollection","features":[` + "\n")
	} else {
		g.raw(",")
	}
	f := feature{Type: "Feature", ID: p.Code, Properties: &p}
	if p.Place.Lat != nil && p.Place.Lon != nil {
		f.Geometry = &point{Type: "Point", Coordinates: [2]float64{*p.Place.Lon, *p.Place.Lat}}
	}
	g.value(f)
	return g.err
}

// Close ends the collection and flushes.
func (g *GeoJSONWriter) Close() error {
	if !g.begun {
		g.begun = true
		g.raw(`{"type":"FeatureCollection","features":[` + "\n")
	}
	return g.end("]}\n")
}
