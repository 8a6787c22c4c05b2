package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// formState is what the incident form is drawn from.
type formState struct {
	f       *incidentForm
	inc     *model.Incident // the stored incident; nil for a new one
	errs    *formErrors
	notice  string   // message key shown above the form
	changed []string // fields someone else changed meanwhile (conflict)
	find    bool     // the person search was asked for
}

func (s *Server) incidentNew(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	return s.renderIncidentForm(req, http.StatusOK, formState{f: newIncidentForm()})
}

func (s *Server) incidentCreate(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	return s.saveIncident(req, nil)
}

func (s *Server) incidentEdit(req *request) error {
	inc, err := s.editableIncident(req)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openIncident(req, inc)); err != nil {
		return err
	}
	return s.renderIncidentForm(req, http.StatusOK, formState{f: formOf(inc), inc: inc})
}

func (s *Server) incidentUpdate(req *request) error {
	inc, err := s.editableIncident(req)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openIncident(req, inc)); err != nil {
		return err
	}
	return s.saveIncident(req, inc)
}

// saveIncident reads the posted form and stores it, or draws the form
// again with what the user typed and what is wrong with it.
func (s *Server) saveIncident(req *request, old *model.Incident) error {
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	f := readIncidentForm(req.r.PostForm)
	st := formState{f: f, inc: old, errs: newFormErrors()}
	if req.r.PostForm.Get("action") == "find" {
		st.find, st.errs, st.notice = true, nil, "form.not_saved"
		return s.renderIncidentForm(req, http.StatusOK, st)
	}
	var base model.Incident
	if old != nil {
		base = *old
		base.Version = f.Version
	}
	inc := f.incident(base, st.errs)
	if old != nil && f.DateEnd == old.Date.End && (f.DateStart != old.Date.Start || inc.Date.Precision != old.Date.Precision) {
		inc.Date.End = "" // the old end belonged to the old date: derive it again
	}
	ctx := req.r.Context()
	st.errs.addValidation(s.incidents.Check(ctx, req.user, inc, old))
	// A restricted record, or one that was (unsealing it), needs a key.
	rs, errKey, err := s.recordSealer(req, incidents.NeedsSealer(inc, old))
	if err != nil {
		return err
	}
	defer rs.Close()
	if errKey != "" {
		st.errs.add("visibility", errKey)
	}
	if !st.errs.empty() {
		return s.renderIncidentForm(req, http.StatusUnprocessableEntity, st)
	}
	notice := "created"
	if old == nil {
		err = s.incidents.Create(ctx, req.user, inc, rs)
	} else {
		err, notice = s.incidents.Update(ctx, req.user, inc, old, rs), "saved"
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		return s.incidentConflict(req, st)
	case isProblem(err): // a rule failed since Check (a linked person hidden meanwhile)
		st.errs.addValidation(err)
		return s.renderIncidentForm(req, http.StatusUnprocessableEntity, st)
	case err != nil:
		_, err = refused(inc, err)
		return err
	}
	return errRedirect("/incidents/" + inc.ID + "?notice=" + notice)
}

// isProblem reports whether err is a rule's refusal of package incidents,
// with the fields it concerns.
func isProblem(err error) bool {
	var one *incidents.Error
	var list incidents.ErrorList
	return errors.As(err, &one) || errors.As(err, &list)
}

// incidentConflict draws the form again after someone else saved the
// incident first: the user's input is kept, the fields the other change
// touched are named, and the form now carries the current version, so
// saving again deliberately replaces it.
func (s *Server) incidentConflict(req *request, st formState) error {
	ctx, as := req.r.Context(), incidents.As(req.user)
	cur, err := refused(s.incidents.Get(ctx, as, st.inc.ID))
	if err != nil {
		return err
	}
	versions, err := s.incidents.History(ctx, as, cur)
	if err != nil {
		return err
	}
	lang := i18n.Lang(req.lang)
	for _, v := range versions {
		if v.Version <= st.f.Version {
			continue
		}
		for _, c := range v.Changes {
			if l := fieldLabel(lang, c.Field); !slices.Contains(st.changed, l) {
				st.changed = append(st.changed, l)
			}
		}
	}
	st.inc, st.f.Version, st.notice, st.errs = cur, cur.Version, "form.conflict", nil
	return s.renderIncidentForm(req, http.StatusConflict, st)
}
