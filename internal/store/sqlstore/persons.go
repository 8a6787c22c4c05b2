package sqlstore

import (
	"encoding/json"
)

// Persons and organisations are record kinds (package kinds): their
// tables are written and read by kindTable (kinds.go).

func jsonList(s []string) string {
	b, _ := json.Marshal(orEmpty(s))
	return string(b)
}

func fromJSONList(s string) []string {
	var out []string
	json.Unmarshal([]byte(s), &out)
	if len(out) == 0 {
		return nil
	}
	return out
}
