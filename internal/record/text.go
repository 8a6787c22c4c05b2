package record

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Sealed lists the names of the fields sealed when a record is restricted.
func (k *Kind[T]) Sealed() []string {
	var out []string
	for _, f := range k.Fields {
		if f.Sealed {
			out = append(out, f.Name)
		}
	}
	return out
}

// TakeText moves r's sealed fields out of it, leaving them empty, and
// returns them as one JSON object (only the fields that hold something),
// ready to be sealed as the record's field group (docs/keys.md).
func (k *Kind[T]) TakeText(r *T) []byte {
	text := map[string]any{}
	for _, f := range k.Fields {
		if !f.Sealed {
			continue
		}
		v := reflect.ValueOf(k.Get(r, f.Name))
		if !v.IsZero() && !(v.Kind() == reflect.Slice && v.Len() == 0) {
			text[f.Name] = v.Interface()
		}
		k.Set(r, f.Name, reflect.Zero(v.Type()).Interface())
	}
	b, err := json.Marshal(text)
	if err != nil {
		panic(err) // strings and lists of strings always marshal
	}
	return b
}

// PutText puts sealed text (as TakeText made it, after opening) back into r.
func (k *Kind[T]) PutText(r *T, text []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		return fmt.Errorf("%s sealed text: %w", k.Name, err)
	}
	for name, raw := range m {
		f, ok := k.Field(name)
		if !ok || !f.Sealed {
			continue // a field since removed: its text stays sealed, never shown as another
		}
		v := reflect.New(f.Input.goType())
		if err := json.Unmarshal(raw, v.Interface()); err != nil {
			return fmt.Errorf("%s sealed text, field %s: %w", k.Name, name, err)
		}
		k.Set(r, name, v.Elem().Interface())
	}
	return nil
}

// ClearText names the first sealed field of r that holds text, or "":
// what must be empty in the record's columns once its text is sealed.
func (k *Kind[T]) ClearText(r *T) string {
	for _, f := range k.Fields {
		if !f.Sealed {
			continue
		}
		v := reflect.ValueOf(k.Get(r, f.Name))
		if !v.IsZero() && !(v.Kind() == reflect.Slice && v.Len() == 0) {
			return f.Name
		}
	}
	return ""
}

// SearchText is the text r is found by: its Search fields, joined.
func (k *Kind[T]) SearchText(r *T) string {
	var parts []string
	for _, f := range k.Fields {
		if !f.Search {
			continue
		}
		switch v := k.Get(r, f.Name).(type) {
		case string:
			if v != "" {
				parts = append(parts, v)
			}
		case []string:
			parts = append(parts, v...)
		}
	}
	return strings.Join(parts, " ")
}
