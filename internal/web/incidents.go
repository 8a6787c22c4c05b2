package web

import (
	"errors"
	"strings"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

// registerIncidents declares the incident pages. Writing routes admit only
// the roles that may create records; package incidents then applies the
// rules of who may see, edit and verify to the record itself.
func (s *Server) registerIncidents() {
	creators := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	s.route("GET /incidents", signedIn, s.incidentList)
	s.route("GET /incidents/new", creators, s.incidentNew)
	s.route("GET /incidents/export", signedIn, s.incidentExport)
	s.route("POST /incidents", creators, s.incidentCreate)
	s.route("GET /incidents/from-report", creators, s.reportNew)
	s.route("POST /incidents/from-report", uploads(creators), s.reportRead)
	s.route("POST /incidents/from-report/accept", creators, s.reportAccept)
	s.route("GET /incidents/{id}", signedIn, s.incidentView)
	s.route("GET /incidents/{id}/edit", creators, s.incidentEdit)
	s.route("POST /incidents/{id}", creators, s.incidentUpdate)
	s.route("GET /incidents/{id}/history", signedIn, s.incidentHistory)
	s.route("POST /incidents/{id}/information", creators, s.incidentAddInformation)
	s.route("POST /incidents/{id}/verification", creators, s.incidentVerify)
}

// visibleIncident loads the incident of the path. One the user may not see
// answers exactly like a missing one.
func (s *Server) visibleIncident(req *request) (*model.Incident, error) {
	return refused(s.incidents.Get(req.r.Context(), incidents.As(req.user), req.r.PathValue("id")))
}

// editableIncident is visibleIncident for writes: seen but not editable
// is forbidden.
func (s *Server) editableIncident(req *request) (*model.Incident, error) {
	return refused(s.incidents.GetToEdit(req.r.Context(), req.user, req.r.PathValue("id")))
}

// refused answers package incidents' refusals as every record page does:
// not found (or not visible) 404, forbidden 403.
func refused[T any](v T, err error) (T, error) {
	var zero T
	switch {
	case errors.Is(err, incidents.ErrNotFound):
		return zero, errNotFound
	case errors.Is(err, incidents.ErrForbidden):
		return zero, errForbidden
	case err != nil:
		return zero, err
	}
	return v, nil
}

// normDigits turns Arabic-Indic and Persian digits and the Arabic decimal
// separator into ASCII, as typed on Arabic keyboards.
func normDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r == '٫':
			return '.'
		case r == '٬':
			return -1
		}
		return r
	}, s)
}
