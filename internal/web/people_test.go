package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// peoplePerson stores a person as actor, straight into the store.
func peoplePerson(t *testing.T, h *harness, actor string, p model.Person) *model.Person {
	t.Helper()
	if p.Visibility == "" {
		p.Visibility = model.VisibilityInternal
	}
	if err := h.st.Persons().Create(context.Background(), actor, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// peopleWant fails unless body holds every one of want (HTML-escaped).
func peopleWant(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, html.EscapeString(w)) && !strings.Contains(body, w) {
			t.Errorf("%s: %q is missing", what, w)
		}
	}
}

// peopleRefuse fails if body holds any of bad.
func peopleRefuse(t *testing.T, what, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("%s: %q must not be shown", what, b)
		}
	}
}

// peopleCreated posts a new record's form and returns its ID.
func peopleCreated(t *testing.T, c *client, path string, form url.Values) string {
	t.Helper()
	resp, body := c.post(path, form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, path+"/") {
		t.Fatalf("POST %s = %d → %q\n%s", path, resp.StatusCode, loc, body)
	}
	return strings.TrimPrefix(loc, path+"/")
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestPersonsListAndSearchArabic(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("ali", model.RoleAnalyst))
	peoplePerson(t, h, "noor", model.Person{NameAR: "أمجد الدليمي", NameLatin: "Amjad al-Dulaimi",
		Roles: []string{"journalist", "hrd"}, Status: "displaced", HomeAdmin1: "IQ-BG"})
	peoplePerson(t, h, "noor", model.Person{NameAR: "امجد كاظم"}) // typed without hamza
	peoplePerson(t, h, "noor", model.Person{NameAR: "زينب حسين"})
	peoplePerson(t, h, "huda", model.Person{NameAR: "أمجد السري", Visibility: model.VisibilityRestricted})

	resp, body := c.get("/persons")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /persons = %d", resp.StatusCode)
	}
	peopleWant(t, "list", body, "أمجد الدليمي", "Amjad al-Dulaimi", "امجد كاظم", "زينب حسين",
		"Journalist, Human rights defender", "Internally displaced", "Baghdad", "3 persons.")
	peopleRefuse(t, "list", body, "السري")

	for _, q := range []string{"امجد", "أمجد", "إمجد"} {
		_, body = c.get("/persons?q=" + url.QueryEscape(q))
		peopleWant(t, "search "+q, body, "الدليمي", "كاظم", "2 persons.", "<mark>")
		peopleRefuse(t, "search "+q, body, "زينب", "السري")
	}
	_, body = c.get("/persons?q=" + url.QueryEscape("الدليمى")) // alef maqsura for yaa
	peopleWant(t, "search by family name", body, "Amjad al-Dulaimi", "1 person.")
}

func TestPersonsPages(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("ali", model.RoleAnalyst))
	first := peoplePerson(t, h, "noor", model.Person{NameLatin: "Oldest Person"})
	for range peoplePerPage {
		peoplePerson(t, h, "noor", model.Person{NameLatin: "Someone Else"})
	}
	_, body := c.get("/persons")
	peopleWant(t, "page 1", body, "Page 1 of 2", `href="/persons?page=2"`, "51 persons.")
	peopleRefuse(t, "page 1", body, first.NameLatin)
	if n := strings.Count(body, "Someone Else"); n != peoplePerPage {
		t.Errorf("page 1 shows %d persons, want %d", n, peoplePerPage)
	}
	_, body = c.get("/persons?page=2")
	peopleWant(t, "page 2", body, "Page 2 of 2", first.NameLatin, `href="/persons"`)
	if n := strings.Count(body, "Someone Else"); n != 0 {
		t.Errorf("page 2 shows %d other persons, want 0", n)
	}
}

// A restricted person of someone else answers exactly as a missing one,
// on every route, for a documenter and for an analyst.
func TestPersonRestrictedIsNotFound(t *testing.T) {
	h := newHarness(t)
	owner := h.user("noor", model.RoleDocumenter)
	hidden := peoplePerson(t, h, "noor", model.Person{NameAR: "شاهد محمي", Visibility: model.VisibilityRestricted})
	missing := "01900000-0000-7000-8000-000000000000"
	for _, role := range []string{model.RoleDocumenter, model.RoleAnalyst} {
		c := h.as(h.user("other-"+role, role))
		for _, path := range []string{"/persons/%s", "/persons/%s/edit", "/persons/%s/history"} {
			resp, body := c.get(strings.Replace(path, "%s", hidden.ID, 1))
			want, wantBody := c.get(strings.Replace(path, "%s", missing, 1))
			if resp.StatusCode != http.StatusNotFound || want.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: status %d, missing %d, want 404", role, path, resp.StatusCode, want.StatusCode)
			}
			if sameCSRF(strings.ReplaceAll(body, hidden.ID, missing)) != sameCSRF(wantBody) {
				t.Errorf("%s %s: the page differs from a missing person's", role, path)
			}
			peopleRefuse(t, role+" "+path, body, "شاهد")
		}
		resp, _ := c.post("/persons/"+hidden.ID, url.Values{"version": {"1"}, "name_ar": {"x"}, "visibility": {"internal"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s POST: %d, want 404", role, resp.StatusCode)
		}
		_, body := c.get("/persons?q=" + url.QueryEscape("شاهد"))
		peopleRefuse(t, role+" search", body, "شاهد محمي")
	}
	for _, u := range []*model.User{owner, h.user("salam", model.RoleProtection)} {
		if resp, _ := h.as(u).get("/persons/" + hidden.ID); resp.StatusCode != http.StatusOK {
			t.Errorf("%s sees its restricted person: %d, want 200", u.Role, resp.StatusCode)
		}
	}
	if got, _ := h.st.Persons().Get(context.Background(), hidden.ID); got.Version != 1 || got.NameAR != "شاهد محمي" {
		t.Errorf("the hidden person was changed: %+v", got)
	}
}

func TestPersonEditOthersForbiddenForDocumenter(t *testing.T) {
	h := newHarness(t)
	id := peoplePerson(t, h, "noor", model.Person{NameLatin: "Ahmed Kareem", Status: "in_country"}).ID
	c := h.as(h.user("huda", model.RoleDocumenter))
	resp, body := c.get("/persons/" + id)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a documenter sees an internal person: %d", resp.StatusCode)
	}
	peopleRefuse(t, "view", body, "/persons/"+id+"/edit")
	if resp, _ := c.get("/persons/" + id + "/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET edit = %d, want 403", resp.StatusCode)
	}
	resp, _ = c.post("/persons/"+id, url.Values{"version": {"1"}, "name_latin": {"Changed"}, "visibility": {"internal"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST = %d, want 403", resp.StatusCode)
	}
	if p, _ := h.st.Persons().Get(context.Background(), id); p.NameLatin != "Ahmed Kareem" || p.Version != 1 {
		t.Errorf("the person was changed: %+v", p)
	}
	if resp, _ := h.as(h.user("ali", model.RoleAnalyst)).get("/persons/" + id + "/edit"); resp.StatusCode != http.StatusOK {
		t.Errorf("an analyst edits others' persons: %d, want 200", resp.StatusCode)
	}
	admin := h.as(h.user("root", model.RoleAdmin))
	for _, path := range []string{"/persons/new", "/persons/" + id + "/edit"} {
		if resp, _ := admin.get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("admin GET %s = %d, want 403", path, resp.StatusCode)
		}
	}
}

func TestPersonCreateAndView(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("noor", model.RoleDocumenter))
	id := peopleCreated(t, c, "/persons", url.Values{
		"name_ar": {" سجاد العراقي "}, "name_latin": {"Sajjad al-Iraqi"}, "aliases": {"أبو علي\r\n\r\nAbu Ali\nأبو علي"},
		"gender": {"male"}, "birth_year": {"١٩٩٥"}, "roles": {"hrd", "journalist"},
		"affiliations": {"Tishreen movement"}, "home_admin1": {"IQ-DQ"}, "status": {"missing"},
		"risk_level": {"critical"}, "visibility": {"internal"}, "consent": {"1"}})
	p, err := h.st.Persons().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.NameAR != "سجاد العراقي" || p.BirthYear != 1995 || !slices.Equal(p.Roles, []string{"journalist", "hrd"}) ||
		!slices.Equal(p.Aliases, []string{"أبو علي", "Abu Ali"}) || !p.Consent || p.CreatedBy != "noor" {
		t.Errorf("stored %+v", p)
	}
	mine := storetest.Incident()
	mine.Victims = []model.Victim{{PersonID: id, Role: "hrd", Outcome: "abducted"}}
	theirs := storetest.Incident()
	theirs.Victims, theirs.Visibility = []model.Victim{{PersonID: id, Outcome: "abducted"}}, model.VisibilityRestricted
	other := storetest.Incident() // does not name this person
	for i, inc := range []*model.Incident{&mine, &theirs, &other} {
		if err := h.st.CreateIncident(context.Background(), []string{"noor", "huda", "noor"}[i], inc); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := c.get("/persons/" + id)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET person = %d", resp.StatusCode)
	}
	peopleWant(t, "person page", body, "<bdi>سجاد العراقي</bdi>", "Sajjad al-Iraqi", "<bdi>Abu Ali</bdi>",
		"Male", "1995", "Journalist, Human rights defender", "Tishreen movement", "Dhi Qar", "Missing",
		"Critical", "Internal", "Incidents this person appears in", mine.Code, "(1)")
	peopleRefuse(t, "person page", body, theirs.Code, other.Code)
}

func TestPersonFormErrorsInArabic(t *testing.T) {
	h := newHarness(t)
	u := h.user("zahraa", model.RoleDocumenter)
	u.Lang = "ar"
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	c := h.as(u)
	resp, body := c.post("/persons", url.Values{"name_ar": {"  "}, "aliases": {"أبو حيدر"}, "birth_year": {"1850"},
		"gender": {"robot"}, "roles": {"journalist", "astronaut"}, "affiliations": {"نقابة الصحفيين"},
		"visibility": {"internal"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST = %d, want 422", resp.StatusCode)
	}
	peopleWant(t, "refused form", body, `dir="rtl"`, i18n.T("ar", "people.form_errors"),
		i18n.T("ar", "person.error.name"), i18n.T("ar", "record.error.year"), i18n.T("ar", "record.error.code"),
		`value="1850"`, ">أبو حيدر</textarea>", ">نقابة الصحفيين</textarea>", `value="journalist" checked`,
		`aria-describedby="err-birth_year"`)
	peopleRefuse(t, "refused form", body, "Give a name", `value="astronaut"`)
	if _, n, _ := h.st.Persons().List(context.Background(), store.ListFilter{}); n != 0 {
		t.Errorf("%d persons stored from a refused form", n)
	}
	nextYear := strconv.Itoa(h.now.Year() + 1)
	resp, body = c.post("/persons", url.Values{"name_ar": {"حيدر"}, "birth_year": {nextYear}, "visibility": {"secret"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("next year and an unknown visibility = %d, want 422", resp.StatusCode)
	}
	peopleWant(t, "second form", body, `value="حيدر"`, `value="`+nextYear+`"`, `aria-describedby="err-birth_year"`,
		`aria-describedby="err-visibility"`)
}

func TestPersonHistoryAndConflict(t *testing.T) {
	h := newHarness(t)
	noor := h.as(h.user("noor", model.RoleDocumenter))
	ali := h.as(h.user("ali", model.RoleAnalyst))
	form := url.Values{"name_latin": {"Mustafa Hassan"}, "status": {"displaced"}, "risk_level": {"medium"},
		"visibility": {"internal"}}
	id := peopleCreated(t, noor, "/persons", form)

	_, page := noor.get("/persons/" + id + "/edit") // noor opens the form…
	m := versionField.FindStringSubmatch(page)
	if m == nil || m[1] != "1" {
		t.Fatalf("edit form has no version 1: %v", m)
	}
	theirs := url.Values{"version": {"1"}, "name_latin": {"Mustafa Hassan"}, "status": {"detained"},
		"risk_level": {"high"}, "visibility": {"internal"}}
	if resp, body := ali.post("/persons/"+id, theirs); resp.StatusCode != http.StatusSeeOther { // …ali saves first
		t.Fatalf("analyst update = %d\n%s", resp.StatusCode, body)
	}
	mine := url.Values{"version": {m[1]}, "name_latin": {"Mustafa Hassan"}, "status": {"relocated_abroad"},
		"aliases": {"Abu Zaid"}, "risk_level": {"medium"}, "visibility": {"internal"}}
	resp, body := noor.post("/persons/"+id, mine)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale update = %d, want 409", resp.StatusCode)
	}
	peopleWant(t, "conflict", body, "someone else changed this record", "Changed meanwhile: Current status, Risk level",
		"<bdi>ali</bdi>", ">Abu Zaid</textarea>", `value="relocated_abroad" selected`, `name="version" value="2"`)
	if p, _ := h.st.Persons().Get(context.Background(), id); p.Status != "detained" || p.Version != 2 {
		t.Fatalf("after the conflict the store has %s v%d, want ali's detained v2", p.Status, p.Version)
	}
	mine.Set("version", "2") // noor reads the warning and saves deliberately
	if resp, _ := noor.post("/persons/"+id, mine); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save = %d", resp.StatusCode)
	}

	resp, body = noor.get("/persons/" + id + "/history")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("history = %d", resp.StatusCode)
	}
	peopleWant(t, "history", body, "Version 3 · changed", "Version 2 · changed", "Version 1 · created",
		"<bdi>ali</bdi>", "<bdi>noor</bdi>", "Current status", "Internally displaced", "Detained",
		"Relocated abroad", "Other names and nicknames", "Abu Zaid")
	if i, j := strings.Index(body, "Version 3"), strings.Index(body, "Version 1"); i < 0 || j < i {
		t.Error("history is not newest first")
	}
}
