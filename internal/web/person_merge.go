package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// registerMerges declares the merge and unmerge of persons
// (docs/persons.md): writing a person, for its writers.
func (s *Server) registerMerges(persons *kindPages[model.Person], writers policy) {
	s.route("POST /persons/{id}/merge", writers, func(req *request) error { return s.personMerge(req, persons) })
	s.route("POST /persons/{id}/unmerge", writers, func(req *request) error { return s.personUnmerge(req, persons) })
}

// candidateView is a person possibly the same as the page's.
type candidateView struct {
	Link    refLink
	ID      string
	Percent string
	Names   [2]string
	Reasons []string
}

// mergeView is a merge the page's person was in, either side.
type mergeView struct {
	ID       string
	Other    refLink
	Away     bool // the page's person went into Other
	By       string
	At       string
	Undone   bool
	Aliases  []string
	Incident int // incidents it moved
}

// mergeExtra is what a person's page shows of merges: the persons
// possibly the same (with reasons), the merges it was in, and whether it
// was merged into another.
func (s *Server) mergeExtra(req *request, p *model.Person) (map[string]any, error) {
	ctx := req.r.Context()
	cands, err := s.people.Matches(ctx, req.user, p)
	if err != nil {
		return nil, err
	}
	var cv []candidateView
	for _, c := range cands {
		cv = append(cv, candidateView{Link: s.refText(req, "person", c.Person.ID), ID: c.Person.ID,
			Percent: fmt.Sprintf("%.0f%%", 100*c.Score), Names: c.Names, Reasons: c.Reasons})
	}
	ms, err := s.people.Merges(ctx, req.user, p.ID)
	if err != nil {
		return nil, err
	}
	var mv []mergeView
	var away *mergeView
	for _, m := range ms {
		v := mergeView{ID: m.ID, Away: m.From == p.ID, By: m.MergedBy, At: m.MergedAt.UTC().Format("2006-01-02 15:04"),
			Undone: m.UndoneAt != nil, Aliases: m.Aliases, Incident: len(m.Moved)}
		other := m.From
		if v.Away {
			other = m.Into
		}
		v.Other = s.refText(req, "person", other)
		if v.Away && !v.Undone && away == nil {
			away = &v
		}
		mv = append(mv, v)
	}
	return map[string]any{"Candidates": cv, "Merges": mv, "MergedAway": away}, nil
}

// personMerge merges the page's person into the one the form names.
func (s *Server) personMerge(req *request, pages *kindPages[model.Person]) error {
	p, err := s.visiblePerson(req, true)
	if err != nil {
		return err
	}
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	into := strings.TrimSpace(req.r.PostForm.Get("into"))
	if into == "" {
		return pages.viewPageWith(req, http.StatusUnprocessableEntity, map[string]any{"MergeError": "merge.error.into"})
	}
	_, err = s.people.Merge(req.r.Context(), req.user, p.ID, into)
	if err == nil {
		return errRedirect("/persons/" + into)
	}
	return s.mergeRefused(req, pages, err)
}

// personUnmerge undoes one of the page's person's merges.
func (s *Server) personUnmerge(req *request, pages *kindPages[model.Person]) error {
	p, err := s.visiblePerson(req, true)
	if err != nil {
		return err
	}
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	err = s.people.Unmerge(req.r.Context(), req.user, p.ID, req.r.PostForm.Get("merge"))
	if err == nil {
		return errRedirect("/persons/" + p.ID)
	}
	return s.mergeRefused(req, pages, err)
}

// mergeRefused shows the person's page again with why the merge or its
// undoing was refused; nothing changed.
func (s *Server) mergeRefused(req *request, pages *kindPages[model.Person], err error) error {
	key := ""
	switch {
	case errors.Is(err, store.ErrMergeSelf):
		key = "merge.error.self"
	case errors.Is(err, store.ErrMerged):
		key = "merge.error.merged"
	case errors.Is(err, store.ErrMergeUndone):
		key = "merge.error.undone"
	case errors.Is(err, people.ErrMergeRestricted):
		key = "merge.error.restricted"
	case errors.Is(err, records.ErrNotFound):
		key = "merge.error.not_found" // the same for a person not there and one not visible
	case errors.Is(err, records.ErrForbidden):
		key = "merge.error.forbidden"
	default:
		return err
	}
	return pages.viewPageWith(req, http.StatusUnprocessableEntity, map[string]any{"MergeError": key})
}
