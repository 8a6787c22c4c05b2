package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// rlo is RIGHT-TO-LEFT OVERRIDE: "statement" + rlo + "fdp.bat" shows as
// "statementtab.pdf".
const rlo, pdfCtl, rli, pdiCtl = "\u202e", "\u202c", "\u2067", "\u2069"

const bidiMessage = "invisible direction control"

// TestBidiSingleLineFieldsRefused: every single-line field of every form
// refuses direction controls beside the field, and nothing is stored.
func TestBidiSingleLineFieldsRefused(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	c := h.as(doc)
	inc := h.mkIncident("doc", nil)
	f := newForm()
	f.Locality = "statement" + rlo + "fdp.bat"
	resp, body := c.post("/incidents", incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, bidiMessage) {
		t.Errorf("incident locality: %d, no message", resp.StatusCode)
	}
	f = newForm()
	f.Victims = []victimRow{{NameLatin: "Ali" + rli + "x", Outcome: "injured"}}
	if resp, body := c.post("/incidents", incidentValues(f)); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, bidiMessage) {
		t.Errorf("victim name: %d, no message", resp.StatusCode)
	}
	for _, tc := range []struct {
		path  string
		form  url.Values
		field string
	}{
		{"/persons", url.Values{"name_ar": {"حيدر"}, "name_latin": {"Haidar" + rlo}, "visibility": {"internal"}}, "name_latin"},
		{"/persons", url.Values{"name_ar": {"حيدر"}, "aliases": {"ok\nAbu" + rlo + "x"}, "visibility": {"internal"}}, "aliases"},
		{"/persons", url.Values{"name_ar": {"حيدر"}, "affiliations": {rli + "NGO"}, "visibility": {"internal"}}, "affiliations"},
		{"/organisations", url.Values{"name_en": {"NGO" + rlo}, "kind": {"ngo"}, "status": {"active"}, "visibility": {"internal"}}, "name_en"},
		{"/incidents/" + inc.ID + "/information", url.Values{"source_type": {"eyewitness"}, "reliability": {"B"}, "credibility": {"2"},
			"label": {"S-" + rlo + "7"}}, "label"},
	} {
		resp, body := c.post(tc.path, tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, bidiMessage) {
			t.Errorf("%s %s: %d, no message", tc.path, tc.field, resp.StatusCode)
		}
	}
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	if _, n, _ := h.st.ListIncidents(context.Background(), store.IncidentFilter{Visible: all}); n != 1 {
		t.Errorf("%d incidents stored, want the 1 made directly", n)
	}
	if _, n, _ := h.st.Persons().List(context.Background(), store.ListFilter{Visible: all}); n != 0 {
		t.Errorf("%d persons stored", n)
	}
	if _, n, _ := h.st.Organisations().List(context.Background(), store.ListFilter{Visible: all}); n != 0 {
		t.Errorf("%d organisations stored", n)
	}
	if info, _ := h.st.ListInformation(context.Background(), inc.ID); len(info) != 0 {
		t.Errorf("%d pieces of information stored", len(info))
	}
}

// TestBidiNarrativeBalanced: a narrative keeps its direction controls,
// but each paragraph is drawn on its own, closing what it opened, so an
// override cannot run past its paragraph; a list's summary likewise.
func TestBidiNarrativeBalanced(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("doc", model.RoleDocumenter))
	f := newForm()
	f.NarrativeEN = "He sent statement" + rlo + "fdp.bat\nThen he left.\u2029" + rli + "Isolated" + pdiCtl + pdiCtl + " and " + pdfCtl + "done"
	f.SummaryEN = "Summary " + rlo + "reversed"
	id := c.save("/incidents", incidentValues(f))
	if got := h.incident(id); got.NarrativeEN != f.NarrativeEN {
		t.Fatalf("the narrative was changed when stored: %+q", got.NarrativeEN)
	}
	_, body := c.get("/incidents/" + id)
	body = html.UnescapeString(body)
	for _, want := range []string{
		`<p dir="auto">He sent statement` + rlo + "fdp.bat" + pdfCtl + "</p>",
		`<p dir="auto">Then he left.</p>`,
		`<p dir="auto">` + rli + "Isolated" + pdiCtl + " and done</p>",
		"Summary " + rlo + "reversed" + pdfCtl + "</p>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the incident page lacks %+q", want)
		}
	}
	_, body = c.get("/incidents")
	if !strings.Contains(html.UnescapeString(body), "Summary "+rlo+"reversed"+pdfCtl) {
		t.Error("the list's summary is not balanced")
	}
}

// TestBidiEvidenceName: direction controls are removed from an uploaded
// file's name, and the page says so.
func TestBidiEvidenceName(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	c := h.as(doc)
	inc := h.mkIncident("doc", nil)
	resp, _ := c.upload("/incidents/"+inc.ID+"/evidence", c.csrf(), map[string][]byte{"photo" + rlo + "gpj.exe": gpsJPEG(t)})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	list, _ := h.st.ListEvidence(context.Background(), store.KindIncident, inc.ID)
	if len(list) != 1 || h.ev.Name(&list[0]) != "photogpj.exe" {
		t.Fatalf("stored %d files, name %+q", len(list), h.ev.Name(&list[0]))
	}
	_, body := c.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "direction control") {
		t.Error("the page does not say that the name was changed")
	}
}

// TestBidiSourceName: a source's name is one line too.
func TestBidiSourceName(t *testing.T) {
	h := newHarness(t)
	member := h.user("lina", model.RoleAnalyst)
	mc := h.anonymous()
	signIn(t, h, mc, "lina")
	grant(t, h, member, model.CompartmentSources)
	src := &model.Source{Type: "witness", Reliability: "B", Label: "S-7"}
	if err := h.st.CreateSource(context.Background(), "lina", src); err != nil {
		t.Fatal(err)
	}
	path := "/sources/" + src.ID + "/identity"
	resp, body := mc.post(path, url.Values{"name": {"Ali" + rlo + "x"}, "contacts": {"Signal " + rli + "+964" + pdiCtl}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, bidiMessage) {
		t.Errorf("name: %d, no message", resp.StatusCode)
	}
	if resp, _ := mc.post(path, url.Values{"name": {"Ali"}, "contacts": {"Signal " + rli + "+964" + pdiCtl}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("contacts, several lines of text, refused: %d", resp.StatusCode)
	}
}
