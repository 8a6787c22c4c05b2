package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// incidentValues writes a form as a browser would post it.
func incidentValues(f *incidentForm) url.Values {
	v := url.Values{"type": {f.Type}, "date_start": {f.DateStart}, "date_end": {f.DateEnd}, "precision": {f.Precision},
		"admin1": {f.Admin1}, "district": {f.District}, "locality": {f.Locality}, "lat": {f.Lat}, "lon": {f.Lon},
		"geo_precision": {f.GeoPrecision}, "fatalities": {f.Fatalities}, "summary_en": {f.SummaryEN},
		"summary_ar": {f.SummaryAR}, "narrative_en": {f.NarrativeEN}, "narrative_ar": {f.NarrativeAR},
		"verification": {f.Verification}, "motive_link": {f.MotiveLink}, "visibility": {f.Visibility},
		"tags": {f.Tags}, "find": {f.Find}, "version": {fmt.Sprint(f.Version)}, "action": {"save"}}
	if f.Estimated {
		v.Set("estimated", "1")
	}
	if f.Consent {
		v.Set("consent", "1")
	}
	f = f.withEmptyRows()
	for i, p := range f.Perps {
		k := fmt.Sprintf("perp.%d.", i)
		v.Set(k+"type", p.Type)
		v.Set(k+"group", p.Group)
		v.Set(k+"modus", p.Modus)
	}
	for i, r := range f.Victims {
		k := fmt.Sprintf("vic.%d.", i)
		v.Set(k+"person", r.Person)
		v.Set(k+"name_ar", r.NameAR)
		v.Set(k+"name_latin", r.NameLatin)
		v.Set(k+"gender", r.Gender)
		v.Set(k+"birth_year", r.BirthYear)
		v.Set(k+"role", r.Role)
		v.Set(k+"outcome", r.Outcome)
	}
	return v
}

func newForm() *incidentForm {
	f := newIncidentForm()
	f.Type, f.DateStart, f.Admin1, f.Fatalities = "assault", "2019-10-25", "IQ-BG", "0"
	return f
}

// save posts an incident form that must be accepted, returning the ID.
func (c *client) save(path string, form url.Values) string {
	t := c.h.t
	t.Helper()
	resp, _ := c.post(path, form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("save: %d → %q", resp.StatusCode, loc)
	}
	return strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/incidents/")
}

func TestIncidentCreateWithVictims(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("zainab", model.RoleDocumenter))
	f := newForm()
	f.Type, f.Fatalities, f.District, f.Locality, f.Lat, f.Lon = "killing", "1", "IQG08Q06", "ساحة التحرير", "33.3152", "44.3661"
	f.Perps = []perpRow{{Type: "unidentified_gunmen", Modus: "سيارة مظللة بلا لوحات"}}
	f.Victims = []victimRow{
		{NameAR: "صفاء السراي", NameLatin: "Safaa al-Sarai", Gender: "male", BirthYear: "١٩٩٣", Role: "activist", Outcome: "killed"},
		{NameAR: "أمجد الدهامات", Role: "hrd", Outcome: "injured"},
	}
	f.SummaryAR, f.Tags = "اغتيال ناشط قرب ساحة التحرير.", "protests، october-2019"
	id := c.save("/incidents", incidentValues(f))
	inc := h.incident(id)
	if len(inc.Victims) != 2 || inc.Victims[0].Person.BirthYear != 1993 || inc.Victims[1].Outcome != "injured" ||
		inc.CreatedBy != "zainab" || !slices.Equal(inc.Tags, []string{"protests", "october-2019"}) || *inc.Place.Lat != 33.3152 {
		t.Fatalf("stored: %+v", inc)
	}
	resp, body := c.get("/incidents/" + id)
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	for _, want := range []string{"<bdi>صفاء السراي</bdi>", "<bdi>أمجد الدهامات</bdi>", "/persons/" + inc.Victims[0].PersonID,
		"Al-Risafa", "33.3152, 44.3661", "Unidentified gunmen", "Human rights defender", "Injured", "سيارة مظللة بلا لوحات"} {
		if !strings.Contains(body, want) {
			t.Errorf("the incident page lacks %q", want)
		}
	}
}

func TestIncidentValidationInArabic(t *testing.T) {
	h := newHarness(t)
	u := h.user("noor", model.RoleDocumenter)
	u.Lang = "ar"
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	c := h.as(u)
	f := newForm()
	f.Type, f.Lat, f.Locality, f.SummaryAR = "", "33.1", "الناصرية", "تهديد بالقتل عبر رسالة نصية."
	f.Victims = []victimRow{{NameAR: "علي", Outcome: "unharmed"}, {Role: "journalist", Outcome: "killed"}}
	resp, body := c.post("/incidents", incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		"هذا الحقل مطلوب.",                    // type
		"أدخل خط العرض وخط الطول معاً",        // lat without lon
		"أدخل اسماً (بالحروف العربية",         // second victim without a name
		"العدد أقل من عدد الضحايا المسجَّلين", // fatalities 0 with a victim killed
		`value="الناصرية"`, "تهديد بالقتل عبر رسالة نصية.", `value="33.1"`, `value="علي"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if _, n, _ := h.st.ListIncidents(context.Background(), store.IncidentFilter{Visible: store.Visible{Levels: []string{"internal"}}}); n != 0 {
		t.Errorf("%d incidents stored from an invalid form", n)
	}
}

func TestIncidentStaleVersion(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("huda", model.RoleAnalyst))
	inc := h.mkIncident("huda", nil)
	f := formOf(inc) // the form as opened, at version 1
	other := h.incident(inc.ID)
	other.SummaryEN = "Corrected by a colleague."
	if err := h.st.UpdateIncident(context.Background(), "sara", other); err != nil {
		t.Fatal(err)
	}
	f.Locality = "Karrada"
	resp, body := c.post("/incidents/"+inc.ID, incidentValues(f))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "someone else changed this incident") ||
		!strings.Contains(body, `value="Karrada"`) || !strings.Contains(body, "Summary in English") ||
		!strings.Contains(body, `name="version" value="2"`) {
		t.Fatalf("conflict: %d", resp.StatusCode)
	}
	if got := h.incident(inc.ID); got.Place.Locality != "" || got.SummaryEN != "Corrected by a colleague." {
		t.Fatal("the stale form was saved")
	}
	f.Version = 2 // saving again, deliberately
	c.save("/incidents/"+inc.ID, incidentValues(f))
	if got := h.incident(inc.ID); got.Place.Locality != "Karrada" || got.Version != 3 {
		t.Errorf("second save: %+v", got.Place)
	}
}

func TestDocumenterCannotVerify(t *testing.T) {
	h := newHarness(t)
	doc := h.as(h.user("zainab", model.RoleDocumenter))
	f := newForm()
	f.Verification = "verified"
	resp, body := doc.post("/incidents", incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Only an analyst or a coordinator") {
		t.Fatalf("documenter set verified: %d", resp.StatusCode)
	}
	f.Verification = "reported"
	id := doc.save("/incidents", incidentValues(f))
	if _, body := doc.get("/incidents/" + id); strings.Contains(body, `value="corroborated"`) {
		t.Error("the documenter is offered a verification step")
	}
	if resp, _ := doc.post("/incidents/"+id+"/verification", url.Values{"status": {"corroborated"}, "version": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("documenter corroborated: %d", resp.StatusCode)
	}
	// Editing a record an analyst verified keeps its status.
	analyst := h.as(h.user("huda", model.RoleAnalyst))
	if resp, _ := analyst.post("/incidents/"+id+"/verification", url.Values{"status": {"verified"}, "version": {"1"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("reported → verified skipped a step: %d", resp.StatusCode)
	}
	resp, _ = analyst.post("/incidents/"+id+"/verification", url.Values{"status": {"corroborated"}, "version": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || h.incident(id).Verification != "corroborated" {
		t.Fatalf("analyst corroborated: %d", resp.StatusCode)
	}
	f = formOf(h.incident(id))
	f.Locality = "Sadr City"
	doc.save("/incidents/"+id, incidentValues(f))
	if got := h.incident(id); got.Verification != "corroborated" || got.Place.Locality != "Sadr City" {
		t.Errorf("after the documenter's edit: %s, %q", got.Verification, got.Place.Locality)
	}
	_, body = analyst.get("/incidents/" + id + "/history")
	if !strings.Contains(body, "Verification status") || !strings.Contains(body, "Corroborated") || !strings.Contains(body, "Reported") {
		t.Error("the history does not show the verification step with labels")
	}
}

func TestIncidentHistory(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("huda", model.RoleAnalyst))
	inc := h.mkIncident("huda", nil)
	f := formOf(inc)
	f.SummaryEN, f.Type, f.Admin1 = "A journalist was beaten by men in uniform.", "torture", "IQ-NA"
	c.save("/incidents/"+inc.ID, incidentValues(f))
	resp, body := c.get("/incidents/" + inc.ID + "/history")
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	for _, want := range []string{"Version 2", "Summary in English", "An activist was beaten.", "A journalist was beaten by men in uniform.",
		"Torture", "Assault", "Baghdad", "Najaf", "Version 1", "<bdi>huda</bdi>", "UTC"} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	if strings.Index(body, "Version 2") > strings.Index(body, "Version 1") {
		t.Error("history is not newest first")
	}
}

func TestIncidentInformationGrade(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("zainab", model.RoleDocumenter))
	inc := h.mkIncident("zainab", nil)
	resp, body := c.post("/incidents/"+inc.ID+"/information", url.Values{"source_type": {"eyewitness"}, "credibility": {"2"},
		"label": {"S-014"}, "info_summary": {"رأى الشاهد سيارتين."}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Required.") || !strings.Contains(body, `value="S-014"`) {
		t.Fatalf("missing reliability: %d", resp.StatusCode)
	}
	resp, _ = c.post("/incidents/"+inc.ID+"/information", url.Values{"source_type": {"eyewitness"}, "reliability": {"B"},
		"credibility": {"2"}, "label": {"S-014"}, "obtained_on": {"2019-10-26"}, "info_summary": {"رأى الشاهد سيارتين."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add information: %d", resp.StatusCode)
	}
	_, body = c.get("/incidents/" + inc.ID)
	for _, want := range []string{`<strong dir="ltr">B2</strong>`, "Usually reliable", "Probably true", "Eyewitness", "<bdi>S-014</bdi>", "26 October 2019", "رأى الشاهد سيارتين."} {
		if !strings.Contains(body, want) {
			t.Errorf("the sources lack %q", want)
		}
	}
}

func TestIncidentPersonSearch(t *testing.T) {
	h := newHarness(t)
	h.user("ahmed", model.RoleDocumenter)
	c := h.as(h.user("zainab", model.RoleDocumenter))
	known := &model.Person{NameAR: "حسين عادل", NameLatin: "Hussein Adel", Visibility: model.VisibilityInternal}
	hidden := &model.Person{NameAR: "حسين مدني", Visibility: model.VisibilityRestricted}
	for _, p := range []*model.Person{known, hidden} {
		if err := h.st.Persons().Create(context.Background(), "ahmed", p); err != nil {
			t.Fatal(err)
		}
	}
	f := newForm()
	f.Locality, f.Find = "البصرة", "حسين"
	v := incidentValues(f)
	v.Set("action", "find")
	resp, body := c.post("/incidents", v)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, known.ID) || strings.Contains(body, hidden.ID) ||
		strings.Contains(body, "مدني") || !strings.Contains(body, `value="البصرة"`) || !strings.Contains(body, "Not saved yet") {
		t.Fatalf("search: %d %v %v %v %v %v", resp.StatusCode, strings.Contains(body, known.ID), strings.Contains(body, hidden.ID),
			strings.Contains(body, "مدني"), strings.Contains(body, `value="البصرة"`), strings.Contains(body, "Not saved yet"))
	}
	f.Victims = []victimRow{{Person: known.ID, Role: "lawyer", Outcome: "unharmed"}}
	id := c.save("/incidents", incidentValues(f))
	if got := h.incident(id); len(got.Victims) != 1 || got.Victims[0].PersonID != known.ID {
		t.Fatalf("victims: %+v", got.Victims)
	}
	f.Victims = []victimRow{{Person: hidden.ID, Outcome: "unharmed"}}
	if resp, _ := c.post("/incidents", incidentValues(f)); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("linked a person the user may not see: %d", resp.StatusCode)
	}
}

// A district must lie in the governorate chosen: the form refuses one of
// another governorate beside the district field, and stores nothing (the
// rule is package incidents', which imports apply as well).
func TestIncidentDistrictOfAnotherGovernorate(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("zainab", model.RoleDocumenter))
	f := newForm()
	f.District = "IQG02Q02" // Al-Basrah, in Basra; the form's governorate is Baghdad
	resp, body := c.post("/incidents", incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "This district is not in the governorate chosen.") {
		t.Fatalf("district of another governorate: %d", resp.StatusCode)
	}
	if _, n, _ := h.st.ListIncidents(context.Background(), store.IncidentFilter{Visible: store.Visible{Levels: []string{"internal"}}}); n != 0 {
		t.Errorf("%d incidents stored", n)
	}
	f.Admin1 = "IQ-BA"
	c.save("/incidents", incidentValues(f))
}

// The source form's rules, each beside its field, nothing stored.
func TestIncidentInformationRefused(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("zainab", model.RoleDocumenter))
	inc := h.mkIncident("zainab", nil)
	good := func() url.Values {
		return url.Values{"source_type": {"eyewitness"}, "reliability": {"B"}, "credibility": {"2"}, "label": {"S-014"},
			"obtained_on": {"2019-10-26"}, "info_summary": {"رأى الشاهد سيارتين."}}
	}
	for _, tc := range []struct{ field, value, want string }{
		{"source_type", "", "Required."},
		{"source_type", "oracle", "Choose one of the values offered."},
		{"reliability", "Z", "Choose one of the values offered."},
		{"credibility", "7", "Choose one of the values offered."},
		{"credibility", "two", "Choose one of the values offered."},
		{"label", "S\u202e41", "invisible direction control"},
		{"label", strings.Repeat("x", 301), "at most 300 characters"},
		{"info_summary", strings.Repeat("x", 5001), "at most 5000 characters"},
		{"obtained_on", "26/10/2019", "Not a date"},
		{"obtained_on", "2999-01-01", "This date is not plausible"},
	} {
		v := good()
		v.Set(tc.field, tc.value)
		resp, body := c.post("/incidents/"+inc.ID+"/information", v)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s=%q: %d, want 422 with %q", tc.field, tc.value, resp.StatusCode, tc.want)
		}
	}
	if infos, err := h.st.ListInformation(context.Background(), inc.ID); err != nil || len(infos) != 0 {
		t.Fatalf("stored: %v %v", infos, err)
	}
}

// An analyst, who sees restricted records only when they made them, may
// not make a colleague's incident restricted: they would lose it. That
// message, not the missing key's, is shown at the visibility field.
func TestIncidentVisibilityLockout(t *testing.T) {
	h := newHarness(t)
	h.user("zainab", model.RoleDocumenter)
	analyst := h.as(h.user("huda", model.RoleAnalyst))
	inc := h.mkIncident("zainab", nil)
	f := formOf(inc)
	f.Visibility = model.VisibilityRestricted
	resp, body := analyst.post("/incidents/"+inc.ID, incidentValues(f))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "you could no longer see the record yourself") ||
		strings.Contains(body, "protection compartment") {
		t.Fatalf("lockout: %d", resp.StatusCode)
	}
	if got := h.incident(inc.ID); got.Visibility != model.VisibilityInternal || got.Version != 1 {
		t.Errorf("stored: %s v%d", got.Visibility, got.Version)
	}
}
