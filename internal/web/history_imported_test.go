package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestImportedIncidentHistory: an imported incident keeps no version of
// its own creation (docs/audit.md, "Imports"); its history page still
// shows version 1, and after an edit both versions and what changed.
func TestImportedIncidentHistory(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("huda", model.RoleAnalyst))
	batch := []model.Incident{{Type: "assault", Date: model.Date{Start: "2019-10-05", End: "2019-10-05", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "reported", Visibility: model.VisibilityInternal,
		SummaryEN: "An activist was beaten.", Perpetrators: []model.Perpetrator{{Type: "unknown"}},
		External: &model.External{System: "acled", ID: "IRQ77", Original: map[string]string{"event_id_cnty": "IRQ77"}}}}
	if _, err := h.st.ImportIncidents(context.Background(), "importer", batch, nil); err != nil {
		t.Fatal(err)
	}
	id := batch[0].ID
	resp, body := c.get("/incidents/" + id + "/history")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Version 1") || !strings.Contains(body, "<bdi>importer</bdi>") ||
		strings.Contains(body, "Version 2") {
		t.Fatalf("history of an imported incident: %d, want version 1 by importer:\n%s", resp.StatusCode, body)
	}
	f := formOf(h.incident(id))
	f.SummaryEN = "A journalist was beaten by men in uniform."
	c.save("/incidents/"+id, incidentValues(f))
	_, body = c.get("/incidents/" + id + "/history")
	for _, want := range []string{"Version 2", "Version 1", "Summary in English", "An activist was beaten.",
		"A journalist was beaten by men in uniform.", "<bdi>huda</bdi>", "<bdi>importer</bdi>"} {
		if !strings.Contains(body, want) {
			t.Errorf("history after the first edit lacks %q", want)
		}
	}
}
