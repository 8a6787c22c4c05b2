package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestPersonMergePages: a person's page proposes the persons possibly the
// same, with reasons; merging from it moves the person into the other and
// says so on both pages; undoing it restores them; the bad cases answer
// 422 with a clear message and change nothing; a person the user may not
// see is refused as not there.
func TestPersonMergePages(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("ali", model.RoleAnalyst))
	latin := peoplePerson(t, h, "noor", model.Person{NameLatin: "Tahsin Osama Jabbar"})
	arabic := peoplePerson(t, h, "noor", model.Person{NameAR: "تحسين أسامة جبار"})
	peoplePerson(t, h, "noor", model.Person{NameLatin: "Omar Osama Jabbar"}) // his brother
	secret := peoplePerson(t, h, "huda", model.Person{NameLatin: "Tahseen Jabbar", Visibility: model.VisibilityRestricted})

	_, body := c.get("/persons/" + latin.ID)
	peopleWant(t, "candidates", body, "Possibly the same person", "تحسين أسامة جبار", "same key thsn",
		`name="into" value="`+arabic.ID+`"`)
	peopleRefuse(t, "candidates", body, "Omar Osama", secret.ID)

	for _, tc := range []struct{ into, want string }{
		{"", "Give the ID of the person to merge into"},
		{latin.ID, "cannot be merged into itself"},
		{secret.ID, "There is no such person"},
		{"no-such-person", "There is no such person"},
	} {
		resp, body := c.post("/persons/"+latin.ID+"/merge", url.Values{"into": {tc.into}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("merge into %q: %d, want 422", tc.into, resp.StatusCode)
		}
		peopleWant(t, "merge into "+tc.into, body, tc.want, "Nothing was changed.")
	}

	resp, _ := c.post("/persons/"+latin.ID+"/merge", url.Values{"into": {arabic.ID}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/persons/"+arabic.ID {
		t.Fatalf("merge: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = c.get("/persons/" + arabic.ID)
	peopleWant(t, "into after the merge", body, "Tahsin Osama Jabbar", "Merged into this person:", "Undo this merge")
	_, body = c.get("/persons/" + latin.ID)
	peopleWant(t, "from after the merge", body, "This person was merged into")
	resp, body = c.post("/persons/"+latin.ID+"/merge", url.Values{"into": {arabic.ID}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("merging again: %d", resp.StatusCode)
	}
	peopleWant(t, "merging again", body, "already merged")

	ms, err := h.st.PersonMergesOf(t.Context(), latin.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("merges: %+v, %v", ms, err)
	}
	resp, _ = c.post("/persons/"+arabic.ID+"/unmerge", url.Values{"merge": {ms[0].ID}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmerge: %d", resp.StatusCode)
	}
	_, body = c.get("/persons/" + arabic.ID)
	peopleWant(t, "after undoing", body, "undone")
	peopleRefuse(t, "after undoing", body, "Undo this merge")
	resp, body = c.post("/persons/"+arabic.ID+"/unmerge", url.Values{"merge": {ms[0].ID}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("undoing twice: %d", resp.StatusCode)
	}
	peopleWant(t, "undoing twice", body, "already undone")
}
