package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

// registerPeople declares the person and organisation pages (persons.go,
// orgs.go). Reading needs a session and, per record, access.CanSee;
// writing needs a creator role and, per record, access.CanEdit.
func (s *Server) registerPeople() {
	writers := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	s.route("GET /persons", signedIn, s.persons)
	s.route("GET /persons/new", writers, s.newPerson)
	s.route("POST /persons", writers, s.createPerson)
	s.route("GET /persons/{id}", signedIn, s.person)
	s.route("GET /persons/{id}/edit", writers, s.editPerson)
	s.route("POST /persons/{id}", writers, s.updatePerson)
	s.route("GET /persons/{id}/history", signedIn, s.personHistory)
	s.route("GET /organisations", signedIn, s.organisations)
	s.route("GET /organisations/new", writers, s.newOrganisation)
	s.route("POST /organisations", writers, s.createOrganisation)
	s.route("GET /organisations/{id}", signedIn, s.organisation)
	s.route("GET /organisations/{id}/edit", writers, s.editOrganisation)
	s.route("POST /organisations/{id}", writers, s.updateOrganisation)
	s.route("GET /organisations/{id}/history", signedIn, s.organisationHistory)
}

// peoplePerPage is the length of a person or organisation list page.
const peoplePerPage = 50

// Limits on typed text, so a hostile or mistaken form cannot bloat a record.
const (
	peopleMaxName  = 300
	peopleMaxNotes = 20000
)

// peoplePager is the "previous / next" bar of a list.
type peoplePager struct {
	Page, Pages int
	Prev, Next  string // links, empty at either end
}

// peoplePageNum reads the 1-based page number of a list.
func peoplePageNum(r *http.Request) int { return pageNum(r.URL.Query().Get("page")) }

// pageNum reads a page number: 1 unless it is from 1 to a million, so
// that no offset computed from it overflows.
func pageNum(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 1
	}
	return n
}

func newPeoplePager(path, q string, page, total int) peoplePager {
	pg := peoplePager{Page: page, Pages: (total + peoplePerPage - 1) / peoplePerPage}
	link := func(n int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if page > 1 {
		pg.Prev = link(min(page-1, max(pg.Pages, 1)))
	}
	if page < pg.Pages {
		pg.Next = link(page + 1)
	}
	return pg
}

// peopleLines splits a one-per-line textarea, trimming and dropping empty
// and repeated lines.
func peopleLines(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// peopleDigits reads Arabic-Indic and Persian digits as ASCII digits, so
// "١٩٩٠" typed on an Arabic keyboard is the year 1990.
func peopleDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, strings.TrimSpace(s))
}

// peopleCode checks a vocabulary code: empty passes unless required.
func peopleCode(errs map[string]string, field, vocabulary, code string, required bool) {
	switch {
	case code == "" && required:
		errs[field] = "people.error.required"
	case code != "" && !vocab.Get(vocabulary).Has(code):
		errs[field] = "people.error.code"
	}
}

// peopleText checks the length of typed text.
func peopleText(errs map[string]string, field, text string, maxLen int) {
	if utf8.RuneCountInString(text) > maxLen {
		errs[field] = "people.error.too_long"
	}
}

// peopleLine checks a single-line field (a name, alias, affiliation):
// as peopleText, and without direction controls, which make one line
// show in a misleading order (textnorm.BidiControl).
func peopleLine(errs map[string]string, field, text string, maxLen int) {
	if _, ok := textnorm.BidiControl(text); ok {
		errs[field] = "people.error.bidi"
		return
	}
	peopleText(errs, field, text, maxLen)
}

// peopleChange is one line of a history page, ready to show.
type peopleChange struct{ Field, Old, New string }

// peopleVersion is one version on a history page.
type peopleVersion struct {
	store.Version
	ActionLabel string
	Lines       []peopleChange
}

// peopleFields describes a record kind's fields for its history page.
type peopleFields struct {
	prefix string            // message-key prefix of the field labels ("person.")
	order  []string          // fields in the order the form shows them
	vocabs map[string]string // the vocabulary behind each coded field
}

// sorted returns changes in the form's order, unknown fields last.
func (pf peopleFields) sorted(changes []store.Change) []store.Change {
	rank := func(f string) int {
		if i := slices.Index(pf.order, f); i >= 0 {
			return i
		}
		return len(pf.order)
	}
	out := slices.Clone(changes)
	slices.SortStableFunc(out, func(a, b store.Change) int { return rank(a.Field) - rank(b.Field) })
	return out
}

// peopleHistory prepares a record's versions, newest first, with field
// names and values in the reader's language.
func peopleHistory(lang string, pf peopleFields, versions []store.Version) []peopleVersion {
	out := make([]peopleVersion, 0, len(versions))
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		pv := peopleVersion{Version: v, ActionLabel: peopleLabel(lang, "people.action."+v.Action, v.Action)}
		for _, c := range pf.sorted(v.Changes) {
			pv.Lines = append(pv.Lines, peopleChange{Field: peopleLabel(lang, pf.prefix+c.Field, c.Field),
				Old: peopleValue(lang, pf.vocabs, c.Field, purgedValue(lang, c, c.Old)),
				New: peopleValue(lang, pf.vocabs, c.Field, purgedValue(lang, c, c.New))})
		}
		out = append(out, pv)
	}
	return out
}

// peopleLabel translates key, or shows fallback for a key not in the
// catalogue (a field added later).
func peopleLabel(lang, key, fallback string) string {
	if i18n.Has(i18n.Lang(lang), key) {
		return i18n.T(lang, key)
	}
	return fallback
}

// peopleValue writes a value from a stored snapshot for reading.
func peopleValue(lang string, vocabs map[string]string, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return i18n.T(lang, "people.yes")
		}
		return i18n.T(lang, "people.no")
	case float64:
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if field == "home_admin1" {
			if pl, ok := vocab.Admin1(x); ok {
				return pl.Label(lang)
			}
		}
		if name, ok := vocabs[field]; ok {
			if t, ok := vocab.Get(name).Lookup(x); ok {
				return t.Label(lang)
			}
		}
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, peopleValue(lang, vocabs, field, e))
		}
		return strings.Join(parts, i18n.T(lang, "people.sep"))
	}
	return ""
}

// peopleChangedSince lists the fields (as labels) that versions after
// version `since` changed, and who changed them: what a user who opened
// the record at that version has not seen.
func peopleChangedSince(lang string, pf peopleFields, versions []store.Version, since int) (fields, actors []string) {
	seenF, seenA := map[string]bool{}, map[string]bool{}
	for _, v := range versions {
		if v.Version <= since {
			continue
		}
		if !seenA[v.Actor] {
			seenA[v.Actor] = true
			actors = append(actors, v.Actor)
		}
		for _, c := range pf.sorted(v.Changes) {
			if l := peopleLabel(lang, pf.prefix+c.Field, c.Field); !seenF[l] {
				seenF[l] = true
				fields = append(fields, l)
			}
		}
	}
	return fields, actors
}
