package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

var dupSerial int // makes each pair's external id its own

// dupIncidents stores an incident, the same event reported again by a
// partner (Arabic only, a day later, the district unknown), and a
// restricted report of it by someone else: the pair of the first two is
// proposed, never one with the restricted one.
func dupIncidents(t *testing.T, h *harness) (first, second, secret *model.Incident) {
	t.Helper()
	ctx := context.Background()
	a := storetest.Incident()
	a.SummaryAR, a.Victims = "", a.Victims[:1]
	a.Victims[0].Person = &model.Person{NameLatin: "Tahsin Osama"}
	dupSerial++
	a.External = &model.External{System: "acled", ID: fmt.Sprintf("IRQ4100%d", dupSerial)}
	year := 2018 + dupSerial%8 // each pair a year of its own: pairs never pair with each other
	a.Date = model.Date{Start: fmt.Sprintf("%d-12-08", year), End: fmt.Sprintf("%d-12-08", year), Precision: "day"}
	b := storetest.Incident()
	b.Date = model.Date{Start: fmt.Sprintf("%d-12-09", year), End: fmt.Sprintf("%d-12-09", year), Precision: "day"}
	b.SummaryEN, b.NarrativeEN, b.Victims = "", "", b.Victims[:1]
	b.Victims[0].Person = &model.Person{NameAR: "تحسين أسامة"}
	b.Place = model.Place{Country: "IQ", Admin1: "IQ-DQ"}
	s := storetest.Incident()
	s.Visibility, s.Date = model.VisibilityRestricted, a.Date
	for i, inc := range []*model.Incident{&a, &b, &s} {
		by := "noor"
		if i == 2 {
			by = "huda"
		}
		if err := h.st.CreateIncident(ctx, by, inc); err != nil {
			t.Fatal(err)
		}
	}
	// Stored as an import stores them: the queue shows them once found,
	// as rasd duplicates finds them.
	pairs, err := duplicates.Find(ctx, h.st, duplicates.DefaultMin)
	if err == nil {
		err = duplicates.Keep(ctx, h.st, pairs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &a, &b, &s
}

// TestDuplicateReview: the queue lists the probable pair with its
// reasons, the comparison shows both side by side in English and Arabic,
// merging counts the pair once and says so on both pages, undoing it
// restores it, "not the same event" is remembered, the bad cases answer
// 422 with a clear message and change nothing, a documenter may not
// decide, and a restricted incident is never proposed nor revealed.
func TestDuplicateReview(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	analyst := h.user("ali", model.RoleAnalyst)
	c := h.as(analyst)
	a, b, secret := dupIncidents(t, h)
	compare := "/incidents/" + a.ID + "/duplicates?with=" + b.ID

	_, body := c.get("/duplicates")
	peopleWant(t, "queue", body, "Probable duplicate incidents", a.Code, b.Code, "a day apart", compare)
	peopleRefuse(t, "queue", body, secret.Code)
	_, body = c.get("/incidents/" + a.ID)
	peopleWant(t, "incident page", body, "probably the same event as 1 other incident", compare)

	_, body = c.get(compare)
	peopleWant(t, "comparison", body, "Side by side", "Tahsin Osama", "تحسين أسامة", "acled "+a.External.ID,
		"1 of 1 victims alike", "Merge "+b.Code+" into "+a.Code, "Not the same event")
	setLang(t, h, analyst, "ar")
	_, body = c.get(compare)
	peopleWant(t, "comparison in Arabic", body, `dir="rtl"`, "جنبًا إلى جنب", "بفارق يوم واحد", "ليس الحدث نفسه")
	setLang(t, h, analyst, "en")

	post := func(id string, form url.Values) (*http.Response, string) {
		return c.post("/incidents/"+id+"/duplicates", form)
	}
	for _, tc := range []struct {
		id   string
		form url.Values
		want string
	}{
		{a.ID, url.Values{"decision": {"merge"}}, "Choose the other incident"},
		{a.ID, url.Values{"decision": {"merge"}, "with": {a.ID}}, "cannot be merged into itself"},
		{a.ID, url.Values{"decision": {"merge"}, "with": {secret.ID}}, "There is no such incident"},
		{a.ID, url.Values{"decision": {"merge"}, "with": {"no-such-incident"}}, "There is no such incident"},
		{a.ID, url.Values{"decision": {"unmerge"}}, "not merged into another"},
		{a.ID, url.Values{"decision": {"shred"}, "with": {b.ID}}, "Choose merge"},
	} {
		resp, body := post(tc.id, tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, resp.StatusCode)
		}
		peopleWant(t, tc.want, body, tc.want, "Nothing was changed.")
		peopleRefuse(t, tc.want, body, secret.Code)
	}
	if resp, _ := h.as(h.user("doc", model.RoleDocumenter)).post("/incidents/"+a.ID+"/duplicates",
		url.Values{"decision": {"merge"}, "with": {b.ID}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a documenter merging: %d, want 403", resp.StatusCode)
	}

	resp, _ := post(a.ID, url.Values{"decision": {"merge"}, "with": {b.ID}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetIncident(ctx, b.ID); got.MergedInto != a.ID {
		t.Fatalf("after the merge %s is merged into %q", b.Code, got.MergedInto)
	}
	_, body = c.get("/incidents/" + b.ID)
	peopleWant(t, "merged page", body, "This record is a duplicate, merged into:", a.Code)
	_, body = c.get("/incidents/" + a.ID + "/duplicates")
	peopleWant(t, "kept incident", body, "Merged into this incident:", b.Code)
	_, body = c.get("/duplicates")
	peopleRefuse(t, "queue after the merge", body, compare)
	resp, body = post(b.ID, url.Values{"decision": {"merge"}, "with": {a.ID}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("merging the pair again: %d", resp.StatusCode)
	}
	peopleWant(t, "merging again", body, "already merged")

	if resp, _ := post(b.ID, url.Values{"decision": {"unmerge"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmerge: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetIncident(ctx, b.ID); got.MergedInto != "" {
		t.Fatalf("after undoing, %s is still merged", b.Code)
	}
	resp, _ = post(a.ID, url.Values{"decision": {"distinct"}, "with": {b.ID}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("distinct: %d", resp.StatusCode)
	}
	_, body = c.get(resp.Header.Get("Location"))
	peopleWant(t, "queue after distinct", body, "will not be proposed again", "No pair of incidents is proposed")
	_, body = c.get("/incidents/" + a.ID)
	peopleRefuse(t, "incident after distinct", body, "probably the same event as")
}

// setLang makes u's pages come in lang.
func setLang(t *testing.T, h *harness, u *model.User, lang string) {
	t.Helper()
	fresh, err := h.st.GetUser(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Lang = lang
	if err := h.st.UpdateUser(context.Background(), "test", fresh); err != nil {
		t.Fatal(err)
	}
}
