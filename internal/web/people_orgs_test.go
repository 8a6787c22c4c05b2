package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
)

func TestOrganisationCreateEditHistory(t *testing.T) {
	h := newHarness(t)
	noor := h.as(h.user("noor", model.RoleDocumenter))
	form := url.Values{"name_ar": {"منظمة تشرين للحقوق"}, "name_en": {"Tishreen Rights Organisation"},
		"kind": {"ngo"}, "status": {"active"}, "visibility": {"internal"}}
	id := peopleCreated(t, noor, "/organisations", form)

	_, body := noor.get("/organisations?q=" + url.QueryEscape("تشرين"))
	peopleWant(t, "search", body, "Tishreen Rights Organisation", "1 organisation.", "NGO", "Active")
	_, body = noor.get("/organisations?q=" + url.QueryEscape("حزب"))
	peopleWant(t, "search without hits", body, "0 organisations.")

	form.Set("version", "1")
	form.Set("status", "dissolved")
	form.Set("notes", "That NGO no longer exists.\r\nSeven of its founders are in Turkey.")
	if resp, body := noor.post("/organisations/"+id, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update = %d\n%s", resp.StatusCode, body)
	}
	resp, body := noor.get("/organisations/" + id)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET = %d", resp.StatusCode)
	}
	peopleWant(t, "view", body, "<bdi>منظمة تشرين للحقوق</bdi>", "Dissolved", "NGO",
		"That NGO no longer exists.<br>Seven of its founders are in Turkey.", "/organisations/"+id+"/edit")

	_, body = noor.get("/organisations/" + id + "/history")
	peopleWant(t, "history", body, "Version 2 · changed", "Status", "Active", "Dissolved", "Notes", "Turkey")

	// A stale form is refused and kept.
	form.Set("notes", "Re-founded in Erbil.")
	resp, body = noor.post("/organisations/"+id, form)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale update = %d, want 409", resp.StatusCode)
	}
	peopleWant(t, "conflict", body, "Re-founded in Erbil.</textarea>", `name="version" value="2"`)
	if o, _ := h.st.Organisations().Get(context.Background(), id); o.Version != 2 || strings.Contains(o.Notes, "Erbil") {
		t.Errorf("stale update was stored: v%d %q", o.Version, o.Notes)
	}

	// Another documenter sees it but may not change it.
	huda := h.as(h.user("huda", model.RoleDocumenter))
	_, body = huda.get("/organisations/" + id)
	peopleRefuse(t, "other documenter's view", body, "/organisations/"+id+"/edit")
	form.Set("version", "2")
	for _, resp := range []*http.Response{peopleResp(huda.get("/organisations/" + id + "/edit")), peopleResp(huda.post("/organisations/"+id, form))} {
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("other documenter edits: %d, want 403", resp.StatusCode)
		}
	}
}

func peopleResp(r *http.Response, _ string) *http.Response { return r }

func TestOrganisationFormErrorsAndRestricted(t *testing.T) {
	h := newHarness(t)
	u := h.user("zahraa", model.RoleDocumenter)
	u.Lang = "ar"
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	c := h.as(u)
	resp, body := c.post("/organisations", url.Values{"notes": {"سبعة من مؤسسيها في تركيا"}, "kind": {"militia"},
		"status": {""}, "visibility": {"internal"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST = %d, want 422", resp.StatusCode)
	}
	peopleWant(t, "refused form", body, i18n.T("ar", "org.error.name"), i18n.T("ar", "record.error.code"),
		i18n.T("ar", "record.error.required"), ">سبعة من مؤسسيها في تركيا</textarea>")

	hidden := &model.Organisation{NameAR: "شبكة سرية", Kind: "ngo", Status: "active", Visibility: model.VisibilityRestricted}
	if err := h.st.Organisations().Create(context.Background(), "zahraa", hidden); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.get("/organisations/" + hidden.ID); resp.StatusCode != http.StatusOK {
		t.Errorf("owner GET = %d, want 200", resp.StatusCode)
	}
	missing := "01900000-0000-7000-8000-000000000000"
	for _, role := range []string{model.RoleDocumenter, model.RoleAnalyst, model.RoleAdmin} {
		o := h.as(h.user("other-"+role, role))
		for _, path := range []string{"/organisations/%s", "/organisations/%s/history"} {
			resp, body := o.get(strings.Replace(path, "%s", hidden.ID, 1))
			_, want := o.get(strings.Replace(path, "%s", missing, 1))
			if resp.StatusCode != http.StatusNotFound || sameCSRF(strings.ReplaceAll(body, hidden.ID, missing)) != sameCSRF(want) {
				t.Errorf("%s GET %s = %d, want the missing record's 404", role, path, resp.StatusCode)
			}
		}
		_, body := o.get("/organisations")
		peopleRefuse(t, role+" list", body, "شبكة سرية")
	}
}
