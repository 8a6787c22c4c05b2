package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
)

func jsonWithIDs(t *testing.T, ids ...string) string {
	var incs []string
	for _, id := range ids {
		incs = append(incs, incidentJSON(t, func(m map[string]any) {
			m["external"] = map[string]any{"system": "test", "id": id}
			if id == "bad" {
				m["type"] = "massacre"
			}
		}))
	}
	return fileJSON(incs...)
}

// Each hands over the incidents before the file's first problem, then
// reports the same problems as ParseJSON; called again, it decodes the
// incidents again, as new values.
func TestJSONFileEach(t *testing.T) {
	in := jsonWithIDs(t, "1", "2", "bad", "4", "bad")
	f, err := ReadJSON(strings.NewReader(in), "in.json")
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 5 {
		t.Errorf("Len = %d, want 5", f.Len())
	}
	var got []*model.Incident
	err = f.Each(func(inc *model.Incident) error { got = append(got, inc); return nil })
	if len(got) != 2 || got[0].External.ID != "1" || got[1].External.ID != "2" {
		t.Errorf("handed over %v, want incidents 1 and 2", got)
	}
	_, parsed := ParseJSON(strings.NewReader(in), "in.json")
	if err == nil || parsed == nil || err.Error() != parsed.Error() {
		t.Errorf("Each: %v\nParseJSON: %v\nwant the same problems", err, parsed)
	}
	var again []*model.Incident
	f.Each(func(inc *model.Incident) error { again = append(again, inc); return nil })
	if len(again) != 2 || again[0] == got[0] || again[0].External.ID != "1" {
		t.Errorf("a second Each handed over %v, want new values of incidents 1 and 2", again)
	}
	stop := errors.New("the store refused it")
	calls := 0
	if err := f.Each(func(*model.Incident) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("got %v after %d calls, want the error of fn after 1", err, calls)
	}
}

// The envelope is checked by ReadJSON, before any incident is handed over.
func TestReadJSONEnvelope(t *testing.T) {
	_, err := ReadJSON(strings.NewReader(`{"format": "rasd-incidents", "version": 2, "incidents": []}`), "in.json")
	if err == nil || !strings.Contains(err.Error(), "newer than this rasd") {
		t.Errorf("version 2: %v", err)
	}
}

// First finds the first incident that is restricted itself or has a
// restricted inline victim, and names its external reference.
func TestJSONFileFirst(t *testing.T) {
	restricted := keys.Restricted
	incs := []string{
		incidentJSON(t, nil),
		`{"type": 7}`, // does not decode: skipped here, reported by Each
		incidentJSON(t, func(m map[string]any) {
			victim(m)["person"].(map[string]any)["visibility"] = "restricted"
			m["external"] = map[string]any{"system": "test", "id": "3"}
		}),
		incidentJSON(t, func(m map[string]any) { m["visibility"] = "restricted" }),
	}
	f, err := ReadJSON(strings.NewReader(fileJSON(incs...)), "in.json")
	if err != nil {
		t.Fatal(err)
	}
	if n, ext := f.First(restricted); n != 3 || ext == nil || ext.ID != "3" {
		t.Errorf("First = %d, %+v; want incident 3 (test 3)", n, ext)
	}
	f, _ = ReadJSON(strings.NewReader(fileJSON(incs[0])), "in.json")
	if n, ext := f.First(restricted); n != 0 || ext != nil {
		t.Errorf("First = %d, %+v in a file without restricted records", n, ext)
	}
}
