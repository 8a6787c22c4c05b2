package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// TestSealedIncidentMemberAndNonMember: a protection member records a
// restricted incident with a victim through the form; its text is sealed
// (not in the columns), the member reads it (each opening audited), a
// coordinator who is not a member sees its structured fields and
// the no-key notice, cannot edit it nor record a restricted one, an
// administrator without grant gets 404, and the list shows its code only.
func TestSealedIncidentMemberAndNonMember(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	h.user("sami", model.RoleCoordinator) // sees restricted records, holds no key
	admin := h.user("root", model.RoleAdmin)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "rana")
	signIn(t, h, oc, "sami")
	grant(t, h, member, model.CompartmentProtection)

	f := newForm()
	f.Visibility, f.Locality, f.NarrativeEN, f.SummaryEN = "restricted", "Webcanary Hamlet", "Webcanary narrative of the attack", "Webcanary summary"
	f.Perps = []perpRow{{Type: "unidentified_gunmen", Group: "Webcanary Brigade"}}
	f.Victims = []victimRow{{NameLatin: "Webcanary Victimson", Role: "activist", Outcome: "injured"}}
	// A non-member may not record it: the visibility field says why.
	resp, body := oc.post("/incidents", incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "you hold no key of it") {
		t.Fatalf("a non-member records a restricted incident: %d", resp.StatusCode)
	}
	id := mc.save("/incidents", incidentValues(f))
	inc := h.incident(id)
	if inc.NarrativeEN != "" || inc.SummaryEN != "" || inc.Place.Locality != "" || inc.Perpetrators[0].Group != "" ||
		inc.Victims[0].Person.NameLatin != "" || inc.Victims[0].Person.Visibility != model.VisibilityRestricted {
		t.Fatalf("the columns hold the text: %+v", inc)
	}
	path := "/incidents/" + id

	_, body = mc.get(path)
	for _, want := range []string{"Webcanary narrative", "Webcanary Hamlet", "Webcanary Brigade", "Webcanary Victimson", "opened with your key"} {
		if !strings.Contains(body, want) {
			t.Errorf("the member's page misses %q", want)
		}
	}
	if r := reads(h); len(r) != 2 || r[0].Action != "read:record" || r[0].Actor != "rana" {
		t.Errorf("audit of the opening: %+v", r)
	}

	resp, body = oc.get(path)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "Webcanary") || !strings.Contains(body, "you hold no key") ||
		!strings.Contains(body, inc.Code) || !strings.Contains(body, "(name sealed)") {
		t.Errorf("the non-member's page: %d %s", resp.StatusCode, body)
	}
	if resp, body := oc.get(path + "/edit"); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Webcanary") {
		t.Errorf("a non-member edits: %d", resp.StatusCode)
	}
	if resp, _ := oc.post(path, incidentValues(f)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a non-member saves over it: %d", resp.StatusCode)
	}
	if resp, body := h.as(admin).get(path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Webcanary") {
		t.Errorf("the administrator: %d", resp.StatusCode)
	}
	if _, body := oc.get("/incidents"); !strings.Contains(body, inc.Code) || strings.Contains(body, "Webcanary") {
		t.Errorf("the non-member's list: %s", body)
	}
	if _, body := oc.get("/incidents?q=Webcanary"); strings.Contains(body, inc.Code) {
		t.Error("the search finds the restricted incident by its sealed text")
	}
	n := len(reads(h))
	// A verification step needs no key and keeps the sealed text.
	if resp, _ := oc.post(path+"/verification", url.Values{"status": {"corroborated"}, "version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("verification: %d", resp.StatusCode)
	}

	// The member edits: the form shows the opened text; the change is sealed.
	if _, body := mc.get(path + "/edit"); !strings.Contains(body, "Webcanary narrative") {
		t.Error("the edit form misses the sealed text")
	}
	f.NarrativeEN, f.Version, f.Verification = "Webcanary narrative, corrected", 2, "corroborated"
	f.Victims = nil
	mc.save(path, incidentValues(f))
	if inc := h.incident(id); inc.NarrativeEN != "" || inc.Version != 3 {
		t.Errorf("after the edit: %q v%d", inc.NarrativeEN, inc.Version)
	}
	if _, body := mc.get(path); !strings.Contains(body, "corrected") || !strings.Contains(body, "Webcanary Hamlet") {
		t.Error("the member's page after the edit")
	}
	if len(reads(h)) <= n {
		t.Error("editing opened the record without an audit entry")
	}
	// Made internal by the member, the text moves into the columns.
	f.Visibility, f.Version = "internal", 3
	mc.save(path, incidentValues(f))
	if inc := h.incident(id); inc.NarrativeEN != "Webcanary narrative, corrected" || inc.Place.Locality != "Webcanary Hamlet" {
		t.Errorf("unsealed: %+v", inc)
	}
	if _, err := h.st.GetSealed(context.Background(), store.KindIncident, id, model.GroupRecord); err == nil {
		t.Error("the unsealed incident keeps its sealed group")
	}
}

// TestSealedPersonForm: a restricted person written through the person
// form is sealed; the member reads the names, a non-member the notice.
func TestSealedPersonForm(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	h.user("sami", model.RoleProtection)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "rana")
	signIn(t, h, oc, "sami")
	grant(t, h, member, model.CompartmentProtection)
	form := func() url.Values {
		return url.Values{"name_latin": {"Personcanary Hidden"}, "aliases": {"Aliascanary"}, "visibility": {"restricted"}}
	}
	if resp, body := oc.post("/persons", form()); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "you hold no key of it") {
		t.Fatalf("a non-member records a restricted person: %d", resp.StatusCode)
	}
	resp, _ := mc.post("/persons", form())
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/persons/") {
		t.Fatalf("create: %d %q", resp.StatusCode, loc)
	}
	p, err := h.st.Persons().Get(context.Background(), strings.TrimPrefix(loc, "/persons/"))
	if err != nil || p.NameLatin != "" || p.Aliases != nil {
		t.Fatalf("the columns hold the names: %+v %v", p, err)
	}
	if _, body := mc.get(loc); !strings.Contains(body, "Personcanary Hidden") || !strings.Contains(body, "Aliascanary") {
		t.Error("the member does not read the names")
	}
	if _, body := oc.get(loc); strings.Contains(body, "Personcanary") || !strings.Contains(body, "you hold no key") {
		t.Error("the non-member's person page")
	}
	if _, body := oc.get("/persons"); strings.Contains(body, "Personcanary") || !strings.Contains(body, loc) {
		t.Error("the non-member's person list")
	}
	if resp, _ := oc.get(loc + "/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a non-member edits: %d", resp.StatusCode)
	}
	edit := url.Values{"version": {"1"}, "name_latin": {"Personcanary Renamed"}, "visibility": {"restricted"}}
	if resp, _ := mc.post(loc, edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("member edits: %d", resp.StatusCode)
	}
	if _, body := mc.get(loc); !strings.Contains(body, "Personcanary Renamed") {
		t.Error("the edit was not sealed")
	}
	if p, _ := h.st.Persons().Get(context.Background(), p.ID); p.NameLatin != "" || p.Version != 2 {
		t.Errorf("after the edit: %+v", p)
	}
}

// TestSealedOrganisationForm: a restricted organisation written through
// its form is sealed; the member reads its names and notes (audited), a
// non-member who may see it by role the notice, and cannot edit it.
func TestSealedOrganisationForm(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	h.user("sami", model.RoleCoordinator)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "rana")
	signIn(t, h, oc, "sami")
	grant(t, h, member, model.CompartmentProtection)
	form := func() url.Values { // post adds the session's CSRF token
		return url.Values{"name_en": {"Orgwebcanary Collective"}, "kind": {"ngo"}, "status": {"active"},
			"notes": {"Orgwebcanary notes"}, "visibility": {"restricted"}}
	}
	if resp, body := oc.post("/organisations", form()); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "you hold no key of it") {
		t.Fatalf("a non-member records a restricted organisation: %d", resp.StatusCode)
	}
	resp, _ := mc.post("/organisations", form())
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/organisations/") {
		t.Fatalf("create: %d %q", resp.StatusCode, loc)
	}
	ctx := context.Background()
	id := strings.TrimPrefix(loc, "/organisations/")
	if o, err := h.st.Organisations().Get(ctx, id); err != nil || o.NameEN != "" || o.Notes != "" {
		t.Fatalf("the columns hold the text: %+v %v", o, err)
	}
	n := len(reads(h))
	if _, body := mc.get(loc); !strings.Contains(body, "Orgwebcanary Collective") || !strings.Contains(body, "Orgwebcanary notes") ||
		!strings.Contains(body, "opened with your key") {
		t.Error("the member does not read the organisation")
	}
	if r := reads(h); len(r) != n+1 || r[len(r)-1].Action != "read:record" || r[len(r)-1].Actor != "rana" {
		t.Errorf("audit of the opening: %+v", r)
	}
	if resp, body := oc.get(loc); resp.StatusCode != http.StatusOK || strings.Contains(body, "Orgwebcanary") ||
		!strings.Contains(body, "you hold no key") || !strings.Contains(body, "(name sealed)") {
		t.Errorf("the non-member's page: %d", resp.StatusCode)
	}
	if _, body := oc.get("/organisations"); strings.Contains(body, "Orgwebcanary") || !strings.Contains(body, loc) {
		t.Error("the non-member's organisation list")
	}
	if _, body := mc.get("/organisations?q=Orgwebcanary"); strings.Contains(body, loc) {
		t.Error("the search finds the organisation by its sealed name")
	}
	if resp, body := oc.get(loc + "/edit"); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Orgwebcanary") {
		t.Errorf("a non-member edits: %d", resp.StatusCode)
	}
	edit := func(version, visibility string) url.Values {
		return url.Values{"version": {version}, "name_en": {"Orgwebcanary Renamed"}, "kind": {"ngo"}, "status": {"active"},
			"visibility": {visibility}}
	}
	if resp, _ := oc.post(loc, edit("1", "restricted")); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a non-member saves over it: %d", resp.StatusCode)
	}
	if _, body := mc.get(loc + "/edit"); !strings.Contains(body, "Orgwebcanary notes") {
		t.Error("the member's edit form misses the sealed notes")
	}
	if resp, _ := mc.post(loc, edit("1", "restricted")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("member edits: %d", resp.StatusCode)
	}
	if o, _ := h.st.Organisations().Get(ctx, id); o.NameEN != "" || o.Version != 2 {
		t.Errorf("after the edit: %+v", o)
	}
	if _, body := mc.get(loc); !strings.Contains(body, "Orgwebcanary Renamed") {
		t.Error("the edit was not sealed")
	}
	// Made internal by the member, the text moves into the columns.
	if resp, _ := mc.post(loc, edit("2", "internal")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("member unseals: %d", resp.StatusCode)
	}
	if o, _ := h.st.Organisations().Get(ctx, id); o.NameEN != "Orgwebcanary Renamed" {
		t.Errorf("unsealed: %+v", o)
	}
	if _, err := h.st.GetSealed(ctx, store.KindOrganisation, id, model.GroupRecord); err == nil {
		t.Error("the unsealed organisation keeps its sealed group")
	}
}

// TestSealedIncidentOpenVictim: a restricted incident naming a person who
// is not restricted still tells its reader that its text was opened.
func TestSealedIncidentOpenVictim(t *testing.T) {
	h := newHarness(t)
	member := h.user("rana", model.RoleProtection)
	mc := h.anonymous()
	signIn(t, h, mc, "rana")
	grant(t, h, member, model.CompartmentProtection)
	p := model.Person{NameLatin: "Openvictim Person", Visibility: model.VisibilityInternal, Status: "active"}
	if err := h.st.Persons().Create(context.Background(), "rana", &p); err != nil {
		t.Fatal(err)
	}
	f := newForm()
	f.Visibility, f.NarrativeEN = "restricted", "Victimnotice narrative"
	f.Victims = []victimRow{{Person: p.ID, Role: "activist", Outcome: "injured"}}
	id := mc.save("/incidents", incidentValues(f))
	if _, body := mc.get("/incidents/" + id); !strings.Contains(body, "Victimnotice narrative") ||
		!strings.Contains(body, "Openvictim Person") || !strings.Contains(body, "opened with your key") {
		t.Errorf("the member's page: %s", body)
	}
}
