package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestSealedIncidentSources: what a source said about a restricted
// incident, added on its page by a member, is sealed (label and summary
// columns empty), shown opened to the member and as "(sealed)" to a
// coordinator who holds no key and may not add any; made internal by the
// member, it is back in the columns.
func TestSealedIncidentSources(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	h.user("sami", model.RoleCoordinator)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "rana")
	signIn(t, h, oc, "sami")
	grant(t, h, member, model.CompartmentProtection)
	f := newForm()
	f.Visibility, f.SummaryEN = "restricted", "Restricted incident"
	id := mc.save("/incidents", incidentValues(f))
	path := "/incidents/" + id
	said := func() url.Values { // a new form each time: post adds the client's CSRF token
		return url.Values{"source_type": {"eyewitness"}, "reliability": {"B"}, "credibility": {"2"},
			"label": {"Weblabelcanary S-9"}, "info_summary": {"Websaidcanary saw two cars."}}
	}

	resp, body := oc.post(path+"/information", said())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "what its sources said") {
		t.Fatalf("a non-member adds information to a restricted incident: %d", resp.StatusCode)
	}
	if infos, _ := h.st.ListInformation(context.Background(), id); len(infos) != 0 {
		t.Fatalf("refused, yet stored: %+v", infos)
	}
	if resp, _ := mc.post(path+"/information", said()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the member adds information: %d", resp.StatusCode)
	}
	infos, err := h.st.ListInformation(context.Background(), id)
	if err != nil || len(infos) != 1 {
		t.Fatalf("information: %+v, %v", infos, err)
	}
	src, err := h.st.GetSource(context.Background(), infos[0].SourceID)
	if err != nil || src.Label != "" || !src.Sealed || infos[0].Summary != "" || !infos[0].Sealed {
		t.Fatalf("stored in the clear: %+v %+v, %v", infos[0], src, err)
	}

	n := len(reads(h))
	_, body = mc.get(path)
	for _, want := range []string{"Weblabelcanary S-9", "Websaidcanary saw two cars.", "opened with your key"} {
		if !strings.Contains(body, want) {
			t.Errorf("the member's page misses %q", want)
		}
	}
	if r := reads(h); len(r) != n+3 { // the incident, the information, the source
		t.Errorf("the member's page wrote %d read entries, want 3", len(r)-n)
	}
	resp, body = oc.get(path)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "canary") || strings.Count(body, "(sealed)") < 2 ||
		!strings.Contains(body, "you hold no key") {
		t.Errorf("the non-member's page: %d, sealed %d times", resp.StatusCode, strings.Count(body, "(sealed)"))
	}

	// Made internal by the member: the source's text is back in the columns.
	f.Visibility, f.Version = "internal", 1
	mc.save(path, incidentValues(f))
	infos, _ = h.st.ListInformation(context.Background(), id)
	src, _ = h.st.GetSource(context.Background(), infos[0].SourceID)
	if infos[0].Summary != "Websaidcanary saw two cars." || src.Label != "Weblabelcanary S-9" || infos[0].Sealed || src.Sealed {
		t.Errorf("after unsealing: %+v %+v", infos[0], src)
	}
}
