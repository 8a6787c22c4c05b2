// Package redacttest fills records with canaries for the leak tests of
// everything that publishes (redact, opendata): a field added to a record
// later starts out as a canary, so a leak of it fails those tests.
package redacttest

import (
	"fmt"
	"reflect"
	"time"
)

// Fill sets every string in v (fields, list items, map keys and
// values, at any depth) to "CANARY" and its path, and makes lists two
// long: whatever model.Incident gains later starts out as a canary.
func Fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("CANARY" + path)
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem() != reflect.TypeFor[time.Time]() {
			v.Set(reflect.New(v.Type().Elem()))
			Fill(v.Elem(), path)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			Fill(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			Fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		Fill(k, path+".key")
		Fill(e, path+".value")
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}
