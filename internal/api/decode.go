package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxString is the longest string any field of a body may hold, in
// characters; the rules of each field (incidents.Validate, record.Kind)
// may allow less.
const maxString = 20000

// decode reads the body into v strictly: JSON, one value, no field the
// document does not name, every value of its field's type, no string
// longer than maxString. Each refusal names the field.
func decode(c *call, v any) error {
	if ct := c.r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return bad("Content-Type", "send the body as application/json")
	}
	body, err := io.ReadAll(c.r.Body)
	if err != nil {
		return err // a *http.MaxBytesError: 413
	}
	var loose any
	dl := json.NewDecoder(bytes.NewReader(body))
	dl.UseNumber()
	if err := dl.Decode(&loose); err != nil {
		return bad("body", "is not JSON: "+err.Error())
	}
	if dl.More() {
		return bad("body", "holds more than one JSON value")
	}
	if _, ok := loose.(map[string]any); !ok {
		return bad("body", "must be a JSON object")
	}
	if path := overlong(loose, ""); path != "" {
		return bad(path, fmt.Sprintf("is longer than %d characters", maxString))
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	err = d.Decode(v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body" // the body itself is of the wrong type
		}
		return bad(field, "must be "+jsonType(te.Type.Kind().String())+", not "+te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return bad(keyName(name), "is not a field of this record (see /api/openapi.json)")
	}
	return bad("body", err.Error())
}

// overlong returns the path of the first string in v longer than
// maxString, or "".
func overlong(v any, path string) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > maxString {
			return path
		}
	case []any:
		for i, e := range x {
			if p := overlong(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if p := overlong(e, p); p != "" {
				return p
			}
		}
	}
	return ""
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "ptr":
		return "a value"
	}
	return "a number"
}

// keyName names a key of a body in a problem: an empty key as "" (a
// problem must name its field).
func keyName(k string) string {
	if k == "" {
		return `""`
	}
	return k
}
