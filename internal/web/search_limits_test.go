package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// TestSearchTooLong: a search over the store's limits is a 400 that says
// the limits, on every page that searches (it was a 500: SQLite refused
// the query, or its FTS5 panicked), and the person finder of the incident
// form says so instead of "no one found".
func TestSearchTooLong(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("ana", model.RoleAnalyst))
	w := make([]string, 300)
	for i := range w {
		w[i] = fmt.Sprintf("word%d", i)
	}
	long := url.QueryEscape(strings.Join(w, " "))
	limits := []string{fmt.Sprint(store.MaxQueryTerms), fmt.Sprint(store.MaxQueryLen)}
	for _, p := range []string{"/search?q=", "/incidents?q=", "/persons?q=", "/organisations?q="} {
		resp, body := c.get(p + long)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s300 words: %d, want 400", p, resp.StatusCode)
			continue
		}
		for _, want := range limits {
			if !strings.Contains(body, want) {
				t.Errorf("%s300 words: the page does not say the limit %s", p, want)
			}
		}
		if resp, _ := c.get(p + url.QueryEscape(strings.Join(w[:store.MaxQueryTerms], " "))); resp.StatusCode != http.StatusOK {
			t.Errorf("%s%d words: %d", p, store.MaxQueryTerms, resp.StatusCode)
		}
	}
	doc := h.as(h.user("doc", model.RoleDocumenter))
	_, body := doc.post("/incidents", url.Values{"action": {"find"}, "find": {strings.Join(w, " ")}})
	if !strings.Contains(body, limits[0]) || !strings.Contains(body, limits[1]) {
		t.Error("the incident form's person finder does not say the search is too long")
	}
}
