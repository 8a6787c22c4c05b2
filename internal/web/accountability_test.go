package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The commitments list says of each commitment, in the reader's language
// and its plural forms, what was promised, when, and how late it is.
func TestCommitmentSentences(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2020, 8, 12, 9, 0, 0, 0, time.UTC)
	doc := h.user("dina", model.RoleDocumenter)
	c := h.as(doc)
	form := func(kv ...string) url.Values {
		v := url.Values{"authority_type": {"prime_minister"}, "made_on": {"2020-01-12"}, "kind": {"investigation"},
			"promise_en": {"Results of the investigation"}, "visibility": {"internal"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	// Refused: nothing stored, the field named.
	for _, bad := range [][]string{{"deadline_date", "2020-01-01"}, {"deadline_duration", "0m"}} {
		resp, body := c.post("/commitments", form(bad...))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="err-`+bad[0]+`"`) {
			t.Errorf("%v: %d\n%s", bad, resp.StatusCode, excerpt(body, "err-"))
		}
	}
	if _, n, _ := store.Of[model.Commitment](h.st, kinds.Commitment).List(context.Background(),
		store.ListFilter{Visible: store.Visible{Levels: []string{"internal"}}}); n != 0 {
		t.Fatalf("%d commitments stored from refused forms", n)
	}
	for _, d := range []string{"3m", "6m", "2w"} { // 4 months, 1 month, 7 months overdue on 12 August
		if resp, body := c.post("/commitments", form("deadline_duration", d)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", d, resp.StatusCode, excerpt(body, "err-"))
		}
	}
	c.post("/commitments", form("deadline_duration", "1y", "status_history", "2020-05-01 broken"))
	c.post("/commitments", form("deadline_date", "2020-06-12"))                      // 2 months overdue: the dual
	c.post("/commitments", form("made_on", "2019-01-01", "deadline_duration", "1m")) // 18 months: many
	for _, want := range []struct{ lang, text string }{
		{"en", "promised results within <bdi>3 months</bdi> on <bdi>12 January 2020</bdi>; <bdi>4 months</bdi> overdue"},
		{"en", "promised results within <bdi>6 months</bdi> on <bdi>12 January 2020</bdi>; <bdi>1 month</bdi> overdue"},
		{"en", "promised results within <bdi>2 weeks</bdi> on <bdi>12 January 2020</bdi>; <bdi>6 months</bdi> overdue"},
		{"en", "promised results within <bdi>1 year</bdi> on <bdi>12 January 2020</bdi>; Broken"},
		{"ar", "وعدت بنتائج خلال <bdi>3 أشهر</bdi> في <bdi>12 كانون الثاني 2020</bdi>؛ متأخر <bdi>4 أشهر</bdi>"},
		{"ar", "وعدت بنتائج خلال <bdi>6 أشهر</bdi> في <bdi>12 كانون الثاني 2020</bdi>؛ متأخر <bdi>شهر واحد</bdi>"},
		{"ar", "وعدت بنتائج خلال <bdi>أسبوعين</bdi> في <bdi>12 كانون الثاني 2020</bdi>؛ متأخر <bdi>6 أشهر</bdi>"},
		{"en", "promised results by <bdi>12 June 2020</bdi> on <bdi>12 January 2020</bdi>; <bdi>2 months</bdi> overdue"},
		{"ar", "وعدت بنتائج بحلول <bdi>12 حزيران 2020</bdi> في <bdi>12 كانون الثاني 2020</bdi>؛ متأخر <bdi>شهرين</bdi>"},
		{"ar", "وعدت بنتائج خلال <bdi>شهر واحد</bdi> في <bdi>1 كانون الثاني 2019</bdi>؛ متأخر <bdi>18 شهراً</bdi>"},
		{"ar", "وعدت بنتائج خلال <bdi>سنة واحدة</bdi> في <bdi>12 كانون الثاني 2020</bdi>؛ نُقض"},
	} {
		c.post("/lang", url.Values{"lang": {want.lang}, "back": {"/"}})
		resp, body := c.get("/commitments")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want.text) {
			t.Errorf("%s: %d, no %q in\n%s", want.lang, resp.StatusCode, want.text, excerpt(body, "commitments"))
		}
	}
	// The dashboard's tile, counted in the store: the three most overdue
	// (18, 6 and 4 months), the others counted.
	c.post("/lang", url.Values{"lang": {"en"}, "back": {"/"}})
	_, body := c.get("/dashboard")
	tile := excerpt(body, `id="promises"`)
	for _, want := range []string{"<bdi>18 months</bdi> overdue", "<bdi>6 months</bdi> overdue", "<bdi>4 months</bdi> overdue"} {
		if !strings.Contains(tile, want) {
			t.Errorf("the tile lacks %q:\n%s", want, tile)
		}
	}
	if n := strings.Count(tile, `<li class="overdue">`); n != 3 {
		t.Errorf("the tile lists %d overdue commitments, want 3", n)
	}
}

// excerpt is body around the first of mark, for failures.
func excerpt(body, mark string) string {
	i := strings.Index(body, mark)
	if i < 0 {
		return body[:min(len(body), 600)]
	}
	return body[max(0, i-200):min(len(body), i+1200)]
}
