package opendata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/redact"
)

func write(t *testing.T, w func(*bytes.Buffer) Writer, ps []redact.Public) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := WriteAll(w(&b), slices.Values(ps)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newJSON(b *bytes.Buffer) Writer      { return NewJSON(b) }
func newJSONLines(b *bytes.Buffer) Writer { return NewJSONLines(b) }
func newGeoJSON(b *bytes.Buffer) Writer   { return NewGeoJSON(b) }

// leaves lists the paths of every value in a decoded JSON object, as the
// dictionary names them ("place.admin1", "victims[].role").
func leaves(prefix string, v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			leaves(prefix+k+".", e, out)
		}
	case []any:
		if len(v) > 0 {
			if _, obj := v[0].(map[string]any); obj {
				for _, e := range v {
					leaves(strings.TrimSuffix(prefix, ".")+"[].", e, out)
				}
				return
			}
		}
		out[strings.TrimSuffix(prefix, ".")] = true
	default:
		out[strings.TrimSuffix(prefix, ".")] = true
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkFields asserts a decoded record has exactly the dictionary's fields.
func checkFields(t *testing.T, obj map[string]any) {
	t.Helper()
	got := map[string]bool{}
	leaves("", obj, got)
	want := map[string]bool{}
	for _, f := range Dictionary(FormatJSON) {
		want[f.Name] = true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fields %v\nwant %v", sortedKeys(got), sortedKeys(want))
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := samples(t)
	out := write(t, newJSON, in)
	var got []redact.Public
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
	var objs []map[string]any
	if err := json.Unmarshal(out, &objs); err != nil {
		t.Fatal(err)
	}
	checkFields(t, objs[0]) // a killing with a named victim: every field present
	if empty := write(t, newJSON, nil); string(empty) != "[\n]\n" {
		t.Errorf("empty array: %q", empty)
	}
}

func TestJSONLines(t *testing.T) {
	in := samples(t)
	sc := bufio.NewScanner(bytes.NewReader(write(t, newJSONLines, in)))
	var got []redact.Public
	for sc.Scan() {
		var p redact.Public
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, p)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
}

func TestGeoJSON(t *testing.T) {
	in := samples(t)
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			ID       string
			Geometry *struct {
				Type        string
				Coordinates []float64
			}
			Properties redact.Public
		}
	}
	out := write(t, newGeoJSON, in)
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(in) {
		t.Fatalf("type %q, %d features", fc.Type, len(fc.Features))
	}
	for i, f := range fc.Features {
		p := in[i]
		if f.Type != "Feature" || f.ID != p.Code || !reflect.DeepEqual(f.Properties, p) {
			t.Errorf("feature %d: %+v", i, f)
		}
		switch {
		case p.Place.Lat == nil && f.Geometry != nil:
			t.Errorf("%s: a point at the country level", p.Code)
		case p.Place.Lat != nil && (f.Geometry == nil || f.Geometry.Type != "Point" ||
			!slices.Equal(f.Geometry.Coordinates, []float64{*p.Place.Lon, *p.Place.Lat})):
			t.Errorf("%s: geometry %+v, want Point [%v %v]", p.Code, f.Geometry, *p.Place.Lon, *p.Place.Lat)
		}
	}
	var raw struct {
		Features []struct{ Properties map[string]any }
	}
	json.Unmarshal(out, &raw)
	checkFields(t, raw.Features[0].Properties)
	if empty := write(t, newGeoJSON, nil); json.Unmarshal(empty, &fc) != nil || len(fc.Features) != 0 {
		t.Errorf("empty collection: %q", empty)
	}
}

func TestJSONHostile(t *testing.T) {
	p := hostile(t)
	for name, w := range map[string]func(*bytes.Buffer) Writer{"json": newJSON, "jsonl": newJSONLines, "geojson": newGeoJSON} {
		out := write(t, w, []redact.Public{p})
		if bytes.Contains(out, []byte("<b>")) {
			t.Errorf("%s: HTML not escaped", name)
		}
		var got []redact.Public
		switch name {
		case "json":
			json.Unmarshal(out, &got)
		case "jsonl":
			var one redact.Public
			json.Unmarshal(out, &one)
			got = append(got, one)
		case "geojson":
			var fc struct {
				Features []struct{ Properties redact.Public }
			}
			json.Unmarshal(out, &fc)
			for _, f := range fc.Features {
				got = append(got, f.Properties)
			}
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], p) {
			t.Errorf("%s: hostile text changed:\n got %+v\nwant %+v", name, got, p)
		}
	}
}
