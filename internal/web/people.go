package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// registerPeople declares the person and organisation pages: record
// kinds (package kinds), drawn by kindPages.
func (s *Server) registerPeople() {
	writers := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	persons := &kindPages[model.Person]{s: s, svc: s.people.Persons, list: "persons", view: "person",
		form: "person_form", countKey: "persons.count", extra: s.personExtra}
	persons.register(writers)
	s.registerMerges(persons, writers)
	orgs := &kindPages[model.Organisation]{s: s, svc: s.people.Organisations, list: "organisations",
		view: "organisation", form: "organisation_form", countKey: "orgs.count"}
	orgs.register(writers)
}

// peoplePerPage is the length of a person or organisation list page.
const peoplePerPage = 50

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
	places map[string]bool   // fields that hold a governorate code
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
				Old: peopleValue(lang, pf.vocabs, pf.places, c.Field, purgedValue(lang, c, c.Old)),
				New: peopleValue(lang, pf.vocabs, pf.places, c.Field, purgedValue(lang, c, c.New))})
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
func peopleValue(lang string, vocabs map[string]string, places map[string]bool, field string, v any) string {
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
		if places[field] {
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
			parts = append(parts, peopleValue(lang, vocabs, places, field, e))
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
