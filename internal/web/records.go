package web

import (
	"context"
	"errors"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/store"
)

// registerRecords declares the routes of the record pages: incidents
// (incidents.go), persons and organisations (people.go), commitments,
// committees and judicial steps (accountability.go).
func (s *Server) registerRecords() {
	s.registerIncidents()
	s.registerDuplicates()
	s.registerPeople()
	s.registerAccountability()
	s.registerRestricted()
	s.registerAtRisk()
}

// loadVisible loads the record named by the path's {id} and applies the
// rule every record page follows: a missing record and one the user may
// not see both answer 404; with edit, one the user sees but may not
// change answers 403.
func loadVisible[T any](req *request, edit bool, load func(context.Context, string) (*T, error),
	owner func(*T) (visibility, createdBy string)) (*T, error) {
	rec, err := load(req.r.Context(), req.r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	vis, by := owner(rec)
	if !access.CanSee(req.user, vis, by) {
		return nil, errNotFound
	}
	if edit && !access.CanEdit(req.user, vis, by) {
		return nil, errForbidden
	}
	return rec, nil
}
