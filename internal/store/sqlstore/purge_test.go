package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
)

// TestScrubChanges: what a change keeps of a field that holds sealed text
// deeper down, and that a purged change stays purged when purged again.
func TestScrubChanges(t *testing.T) {
	paths := sealedPaths[store.KindIncident]
	cases := []struct{ in, want string }{
		// A perpetrator's type changed with its group: the types stay.
		{`[{"field":"perpetrators","old":[{"type":"militia","group":"G1"}],"new":[{"type":"security_forces","group":"G2"}]}]`,
			`[{"field":"perpetrators","old":[{"type":"militia"}],"new":[{"type":"security_forces"}],"purged":true}]`},
		// Imported later: the source's key stays, its original values go.
		{`[{"field":"external","new":{"system":"acled","id":"7","original":{"notes":"N"}}}]`,
			`[{"field":"external","new":{"id":"7","system":"acled"},"purged":true}]`},
		{`[{"field":"place.lat","old":33.25,"new":33.5},{"field":"place.admin1","old":"IQ-BG","new":"IQ-BA"}]`,
			`[{"field":"place.lat","purged":true},{"field":"place.admin1","old":"IQ-BG","new":"IQ-BA"}]`},
		{`[{"field":"narrative_en","purged":true},{"field":"perpetrators","old":[{"type":"militia"}],"new":[],"purged":true}]`,
			`[{"field":"narrative_en","purged":true},{"field":"perpetrators","old":[{"type":"militia"}],"new":[],"purged":true}]`},
		// Nothing sealed: untouched.
		{`[{"field":"tagsx","old":"a"},{"field":"perpetrators","old":[{"type":"militia"}]}]`,
			`[{"field":"tagsx","old":"a"},{"field":"perpetrators","old":[{"type":"militia"}]}]`},
	}
	for _, c := range cases {
		var cs []store.Change
		if err := decodeJSON([]byte(c.in), &cs); err != nil {
			t.Fatal(err)
		}
		scrubChanges(paths, cs)
		got, _ := json.Marshal(cs)
		var a, b any
		json.Unmarshal(got, &a)
		json.Unmarshal([]byte(c.want), &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("scrub %s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
