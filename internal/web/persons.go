package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// personIncidentsShown bounds the incident list on a person's page.
const personIncidentsShown = 200

// persons lists the persons the user may see, newest first, optionally
// found by name or alias (normalised full-text search).
func (s *Server) persons(req *request) error {
	q := strings.TrimSpace(req.r.URL.Query().Get("q"))
	page := peoplePageNum(req.r)
	list, total, err := s.st.Persons().List(req.r.Context(), store.ListFilter{Query: q,
		Visible: access.Visible(req.user), Limit: peoplePerPage, Offset: (page - 1) * peoplePerPage})
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "persons", map[string]any{"Persons": list, "Total": total, "Q": q,
		"Pager": newPeoplePager("/persons", q, page, total), "CanCreate": access.CanCreate(req.user)})
	return nil
}

// visiblePerson loads the person of the path: 404 alike for a missing
// person and one the user may not see; with edit, 403 for one the user
// sees but may not change.
func (s *Server) visiblePerson(req *request, edit bool) (*model.Person, error) {
	return loadVisible(req, edit, s.st.Persons().Get, func(p *model.Person) (string, string) { return p.Visibility, p.CreatedBy })
}

func (s *Server) person(req *request) error {
	p, err := s.visiblePerson(req, false)
	if err != nil {
		return err
	}
	incs, n, err := s.st.ListIncidents(req.r.Context(), store.IncidentFilter{PersonID: p.ID,
		Visible: access.Visible(req.user), Limit: personIncidentsShown})
	if err != nil {
		return err
	}
	sealed, err := s.openPerson(req, p)
	if err != nil {
		return err
	}
	restricted, err := s.restrictedState(req, store.KindPerson, p.ID, model.GroupPersonProtection, "/persons/"+p.ID+"/protection")
	if err != nil {
		return err
	}
	ev, err := s.evidenceSection(req, store.KindPerson, p.ID, p.Visibility, p.CreatedBy)
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "person", map[string]any{"Person": p, "Incidents": incs, "NIncidents": n,
		"More": n > len(incs), "CanEdit": access.CanEdit(req.user, p.Visibility, p.CreatedBy), "Restricted": restricted, "Evidence": ev, "Sealed": sealed})
	return nil
}

// personFormPage shows the person form, with refused fields or a conflict.
func (s *Server) personFormPage(req *request, status int, f personForm, errs map[string]string, extra map[string]any) {
	data := map[string]any{"Form": f, "Errors": errs, "New": f.ID == ""}
	for k, v := range extra {
		data[k] = v
	}
	s.render(req, status, "person_form", data)
}

func (s *Server) newPerson(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	s.personFormPage(req, http.StatusOK, personForm{Visibility: model.VisibilityInternal}, nil, nil)
	return nil
}

func (s *Server) createPerson(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	f, err := readPersonForm(req.r)
	if err != nil {
		return err
	}
	f.ID, f.Version = "", ""
	p := &model.Person{}
	errs := f.apply(req.user, p, s.now().Year())
	rs, err := s.personSealer(req, f, nil, &errs)
	if err != nil {
		return err
	}
	defer rs.Close()
	if errs != nil {
		s.personFormPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	if err := rs.Person(p); err != nil {
		return err
	}
	if err := s.st.Persons().Create(req.r.Context(), req.user.Username, p); err != nil {
		return err
	}
	return errRedirect("/persons/" + p.ID)
}

func (s *Server) editPerson(req *request) error {
	p, err := s.visiblePerson(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openPerson(req, p)); err != nil {
		return err
	}
	s.personFormPage(req, http.StatusOK, personFormOf(p), nil, nil)
	return nil
}

// updatePerson saves the form over the version the user opened. When
// someone saved in between, nothing is saved: the form comes back with
// what the user typed, what changed meanwhile and by whom, and the new
// version, so that saving again is a deliberate choice.
func (s *Server) updatePerson(req *request) error {
	old, err := s.visiblePerson(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openPerson(req, old)); err != nil {
		return err
	}
	f, err := readPersonForm(req.r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(f.Version)
	if err != nil {
		return errBadForm
	}
	p := *old
	errs := f.apply(req.user, &p, s.now().Year())
	rs, err := s.personSealer(req, f, old, &errs)
	if err != nil {
		return err
	}
	defer rs.Close()
	if errs != nil {
		s.personFormPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	if err := rs.Person(&p); err != nil {
		return err
	}
	p.Version = version
	ctx := req.r.Context()
	err = s.st.Persons().Update(ctx, req.user.Username, &p)
	if errors.Is(err, store.ErrConflict) {
		cur, err := s.visiblePerson(req, true)
		if err != nil {
			return err
		}
		versions, err := s.st.History(ctx, store.KindPerson, cur.ID)
		if err != nil {
			return err
		}
		fields, actors := peopleChangedSince(req.lang, personFields, versions, version)
		f.Version = strconv.Itoa(cur.Version)
		s.personFormPage(req, http.StatusConflict, f, nil, map[string]any{"Conflict": true,
			"Changed": fields, "ChangedBy": actors})
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if !access.CanSee(req.user, p.Visibility, p.CreatedBy) {
		return errRedirect("/persons") // the user just restricted it away from themselves
	}
	return errRedirect("/persons/" + p.ID)
}

// personSealer is recordSealer for the person form: a restricted person,
// or one that was, needs a member's key; without one the visibility
// field says why.
func (s *Server) personSealer(req *request, f personForm, old *model.Person, errs *map[string]string) (*keys.RecordSealer, error) {
	rs, errKey, err := s.recordSealer(req, f.Visibility == model.VisibilityRestricted ||
		old != nil && old.Visibility == model.VisibilityRestricted)
	if errKey != "" {
		if *errs == nil {
			*errs = map[string]string{}
		}
		(*errs)["visibility"] = errKey
	}
	return rs, err
}

func (s *Server) personHistory(req *request) error {
	p, err := s.visiblePerson(req, false)
	if err != nil {
		return err
	}
	versions, err := s.st.History(req.r.Context(), store.KindPerson, p.ID)
	if err != nil {
		return err
	}
	name, other := p.NameAR, p.NameLatin
	if !locale.ArabicScript(req.lang) && other != "" || name == "" {
		name, other = other, name
	}
	s.render(req, http.StatusOK, "people_history", map[string]any{"Name": name, "OtherName": other,
		"Back": "/persons/" + p.ID, "Versions": peopleHistory(req.lang, personFields, versions)})
	return nil
}
