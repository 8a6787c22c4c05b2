package web

import (
	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// personIncidentsShown bounds the incident list on a person's page.
const personIncidentsShown = 200

// personExtra is what a person's page shows besides the person's fields:
// the incidents they are a victim in, their protection details (to
// members) and their evidence.
func (s *Server) personExtra(req *request, p *model.Person) (map[string]any, error) {
	incs, n, err := s.st.ListIncidents(req.r.Context(), store.IncidentFilter{PersonID: p.ID,
		Visible: access.Visible(req.user), Limit: personIncidentsShown})
	if err != nil {
		return nil, err
	}
	restricted, err := s.restrictedState(req, store.KindPerson, p.ID, model.GroupPersonProtection, "/persons/"+p.ID+"/protection")
	if err != nil {
		return nil, err
	}
	ev, err := s.evidenceSection(req, store.KindPerson, p.ID, p.Visibility, p.CreatedBy)
	if err != nil {
		return nil, err
	}
	atRisk, err := s.personAtRisk(req, p.ID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Incidents": incs, "NIncidents": n, "More": n > len(incs), "Restricted": restricted,
		"Evidence": ev, "AtRisk": atRisk}, nil
}

// visiblePerson loads the person of the path: 404 alike for a missing
// person and one the user may not see; with edit, 403 for one the user
// sees but may not change.
func (s *Server) visiblePerson(req *request, edit bool) (*model.Person, error) {
	pages := kindPages[model.Person]{s: s, svc: s.people.Persons}
	return pages.get(req, edit)
}
