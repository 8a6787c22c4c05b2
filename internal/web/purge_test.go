package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestSealingPurgesHistoryPages: a member makes an internal incident and
// an internal person restricted through their forms; their history pages
// still list every version, say which fields changed, and show none of
// the former text, with a note that it was sealed and removed.
func TestSealingPurgesHistoryPages(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	mc := h.anonymous()
	signIn(t, h, mc, "rana")
	grant(t, h, member, model.CompartmentProtection)
	f := newForm()
	f.NarrativeEN, f.Locality, f.Visibility = "Historycanary narrative", "Historycanary Hamlet", "internal"
	id := mc.save("/incidents", incidentValues(f))
	f.NarrativeEN, f.Version = "Historycanary narrative, corrected", 1
	mc.save("/incidents/"+id, incidentValues(f))
	f.Visibility, f.Version = "restricted", 2
	mc.save("/incidents/"+id, incidentValues(f))

	resp, _ := mc.post("/persons", url.Values{"name_latin": {"Historycanary Person"}, "visibility": {"internal"}})
	person := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(person, "/persons/") {
		t.Fatalf("create a person: %d %q", resp.StatusCode, person)
	}
	for v, edit := range []url.Values{{"name_latin": {"Historycanary Renamed"}, "visibility": {"internal"}},
		{"name_latin": {"Historycanary Renamed"}, "visibility": {"restricted"}}} {
		edit.Set("version", []string{"1", "2"}[v])
		if resp, _ := mc.post(person, edit); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit the person (v%d): %d", v+1, resp.StatusCode)
		}
	}

	for _, page := range []struct{ path, v3, v1, field string }{
		{"/incidents/" + id + "/history", "Version 3", "Version 1", "Full account in English"},
		{person + "/history", "Version 3 · changed", "Version 1 · created", "Name in Latin script"},
	} {
		resp, body := mc.get(page.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", page.path, resp.StatusCode)
		}
		if strings.Contains(body, "Historycanary") {
			t.Errorf("%s shows the sealed text", page.path)
		}
		for _, want := range []string{page.v3, "Version 2", page.v1, page.field, "Restricted",
			"That text has since been removed from the history", "(sealed; removed from the history)"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", page.path, want)
			}
		}
		if n := strings.Count(body, "That text has since been removed"); n != 2 {
			t.Errorf("%s: %d versions say they were purged, want 2 (v1 and v2)", page.path, n)
		}
	}
}
