package web

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// The list's download holds what the list shows, every page, with the
// list's filters, and nothing the user may not see.
func TestIncidentExportDownload(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i, gov := range []string{"IQ-BG", "IQ-BA", "IQ-NI"} {
		inc := &model.Incident{Type: "assault", Date: model.Date{Start: "2020-01-0" + string(rune('1'+i)), End: "2020-01-0" + string(rune('1'+i)), Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: gov}, Perpetrators: []model.Perpetrator{{Type: "unknown"}},
			SummaryEN: "=cmd|' /C calc'!A0 at " + gov, Verification: "reported", Visibility: "internal"}
		if err := h.st.CreateIncident(ctx, "someone", inc); err != nil {
			t.Fatal(err)
		}
	}
	c := h.as(h.user("dina", model.RoleDocumenter))
	_, body := c.get("/incidents?gov=IQ-BA")
	if !strings.Contains(body, `/incidents/export?format=xlsx&amp;gov=IQ-BA`) {
		t.Fatalf("no download link with the list's filter on the list:\n%s", body)
	}
	resp, data := c.get("/incidents/export?format=csv&gov=IQ-BA")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if !strings.Contains(data, "type_ar") || strings.Count(data, "\n") != 2 || !strings.Contains(data, "'=cmd") || strings.Contains(data, "IQ-NI") {
		t.Errorf("export of one governorate:\n%s", data)
	}
	if resp, _ := c.get("/incidents/export?format=pdf"); resp.StatusCode != 400 {
		t.Errorf("unknown format: %d", resp.StatusCode)
	}
	// Without a session, nothing.
	if resp, data := h.anonymous().get("/incidents/export?format=json"); resp.StatusCode == 200 && strings.Contains(data, "IQ-BA") {
		t.Errorf("anonymous export: %d", resp.StatusCode)
	}
}
