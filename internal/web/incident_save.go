package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
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
	incidents.ApplyDefaults(inc)
	st.errs.addValidation(incidents.Validate(inc))
	s.checkIncident(req, inc, old, st.errs)
	// A restricted record, or one that was (unsealing it), needs a key.
	rs, errKey, err := s.recordSealer(req, keys.Restricted(inc) || old != nil && old.Visibility == model.VisibilityRestricted)
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
	if err := rs.Incident(inc); err != nil {
		return err
	}
	ctx, actor, notice := req.r.Context(), req.user.Username, "created"
	if old == nil {
		err = s.st.CreateIncident(ctx, actor, inc)
	} else {
		err, notice = s.st.UpdateIncident(ctx, actor, inc), "saved"
	}
	if errors.Is(err, store.ErrConflict) {
		return s.incidentConflict(req, st)
	}
	if err != nil {
		return err
	}
	return errRedirect("/incidents/" + inc.ID + "?notice=" + notice)
}

// checkIncident applies the rules that depend on who is writing; the
// rules on values are incidents.Validate's.
func (s *Server) checkIncident(req *request, inc, old *model.Incident, errs *formErrors) {
	u, createdBy, status := req.user, req.user.Username, ""
	var had []string // persons already victims of the stored incident
	if old != nil {
		createdBy, status = old.CreatedBy, old.Verification
		for _, v := range old.Victims {
			had = append(had, v.PersonID)
		}
	}
	if inc.Verification != "reported" && inc.Verification != status && !access.CanVerify(u) {
		errs.add("verification", "form.error.verify_forbidden")
	}
	if vocab.Get(vocab.Visibility).Has(inc.Visibility) {
		switch {
		case !access.CanSetVisibility(u, inc.Visibility):
			errs.add("visibility", "form.error.forbidden_value")
		case !access.CanSee(u, inc.Visibility, createdBy):
			errs.add("visibility", "form.error.visibility_lockout")
		}
	}
	for i, v := range inc.Victims {
		if v.Person != nil || v.PersonID == "" || slices.Contains(had, v.PersonID) {
			continue
		}
		p, err := s.st.Persons().Get(req.r.Context(), v.PersonID)
		if err != nil || !access.CanSee(u, p.Visibility, p.CreatedBy) {
			errs.add(fmtField("vic", i, "person"), "form.error.person_unknown")
		}
	}
}

// incidentConflict draws the form again after someone else saved the
// incident first: the user's input is kept, the fields the other change
// touched are named, and the form now carries the current version, so
// saving again deliberately replaces it.
func (s *Server) incidentConflict(req *request, st formState) error {
	ctx := req.r.Context()
	cur, err := s.st.GetIncident(ctx, st.inc.ID)
	if err != nil {
		return err
	}
	if !access.CanSee(req.user, cur.Visibility, cur.CreatedBy) {
		return errNotFound
	}
	versions, err := s.st.History(ctx, store.KindIncident, cur.ID)
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

// verificationChoices are the statuses u may pick in the form: all for a
// verifier; otherwise "reported", or keeping the current status.
func verificationChoices(u *model.User, current string) []string {
	if access.CanVerify(u) {
		return vocab.Get(vocab.VerificationStatus).Codes()
	}
	out := []string{"reported"}
	if current != "" && current != "reported" {
		out = append(out, current)
	}
	return out
}
