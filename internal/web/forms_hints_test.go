package web

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/rasd-project/rasd/internal/model"
)

// exampleData is a placeholder that looks like a value (2019-10-25,
// 33.3152): a format hint (YYYY-MM-DD) is wanted instead.
var exampleData = regexp.MustCompile(`[0-9٠-٩]`)

// TestFormHints: across every page of the interface, no field shows
// example data as its placeholder, and every date is typed the same way
// (a text box with the YYYY-MM-DD hint; no native date box, which shows
// mm/dd/yyyy or the like by the browser's locale).
func TestFormHints(t *testing.T) {
	h := newHarness(t)
	for page, body := range drawEveryPage(t, h) {
		doc := parseHTML(t, body)
		for _, in := range find(doc, atom.Input, "") {
			name, _ := attr(in, "name")
			if ph, _ := attr(in, "placeholder"); exampleData.MatchString(ph) {
				t.Errorf("%s: field %s has the example %q as placeholder, not a format hint", page, name, ph)
			}
			if typ, _ := attr(in, "type"); typ == "date" {
				t.Errorf("%s: field %s is a native date box; dates are typed as YYYY-MM-DD everywhere", page, name)
			}
		}
	}
}

// TestIncidentFormRequiredMarked: before the first submit, the fields an
// incident needs are marked (a star the note explains, and required), in
// both languages.
func TestIncidentFormRequiredMarked(t *testing.T) {
	h := newHarness(t)
	for _, lang := range []string{"en", "ar"} {
		c := h.as(h.userLang("req-"+lang, model.RoleAnalyst, lang))
		_, body := c.get("/incidents/new")
		doc := parseHTML(t, body)
		marked := map[string]bool{}
		for _, l := range find(doc, atom.Label, "") {
			if len(find(l, atom.Span, "required")) == 0 {
				continue
			}
			for _, f := range append(find(l, atom.Input, ""), find(l, atom.Select, "")...) {
				name, _ := attr(f, "name")
				marked[name] = true
			}
		}
		for _, name := range []string{"type", "date_start", "precision", "verification", "visibility"} {
			if !marked[name] {
				t.Errorf("%s: %s is not marked required", lang, name)
			}
		}
		for _, name := range []string{"date_end", "locality", "lat"} {
			if marked[name] {
				t.Errorf("%s: %s is marked required but may be left empty", lang, name)
			}
		}
		if !strings.Contains(textOf(doc), "*") || !hasText(doc, "form.required_note", lang) {
			t.Errorf("%s: no note saying what the star means", lang)
		}
	}
}

func hasText(doc *html.Node, key, lang string) bool {
	p := &page{Lang: lang}
	return strings.Contains(textOf(doc), strings.Join(strings.Fields(p.T(key)), " "))
}
