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
	"github.com/rasd-project/rasd/internal/vocab"
)

// orgForm is the organisation form as typed.
type orgForm struct {
	ID, Version    string
	NameAR, NameEN string
	Kind, Status   string
	Notes          string
	Visibility     string
}

func orgFormOf(o *model.Organisation) orgForm {
	return orgForm{ID: o.ID, Version: strconv.Itoa(o.Version), NameAR: o.NameAR, NameEN: o.NameEN,
		Kind: o.Kind, Status: o.Status, Notes: o.Notes, Visibility: o.Visibility}
}

func readOrgForm(r *http.Request) (orgForm, error) {
	if err := r.ParseForm(); err != nil {
		return orgForm{}, errBadForm
	}
	v := r.PostForm
	return orgForm{ID: r.PathValue("id"), Version: v.Get("version"), NameAR: v.Get("name_ar"),
		NameEN: v.Get("name_en"), Kind: v.Get("kind"), Status: v.Get("status"), Notes: v.Get("notes"),
		Visibility: v.Get("visibility")}, nil
}

// apply checks the form and, when every field is right, writes it into o.
func (f orgForm) apply(u *model.User, o *model.Organisation) map[string]string {
	errs := map[string]string{}
	nameAR, nameEN := strings.TrimSpace(f.NameAR), strings.TrimSpace(f.NameEN)
	notes := strings.TrimSpace(strings.ReplaceAll(f.Notes, "\r\n", "\n"))
	if nameAR == "" && nameEN == "" {
		errs["name_ar"] = "org.error.name"
	}
	peopleLine(errs, "name_ar", nameAR, peopleMaxName)
	peopleLine(errs, "name_en", nameEN, peopleMaxName)
	peopleText(errs, "notes", notes, peopleMaxNotes)
	peopleCode(errs, "kind", vocab.OrganisationKind, f.Kind, true)
	peopleCode(errs, "status", vocab.OrganisationStatus, f.Status, true)
	peopleCode(errs, "visibility", vocab.Visibility, f.Visibility, true)
	if errs["visibility"] == "" && !access.CanSetVisibility(u, f.Visibility) {
		errs["visibility"] = "people.error.code"
	}
	if len(errs) > 0 {
		return errs
	}
	o.NameAR, o.NameEN, o.Kind, o.Status, o.Notes, o.Visibility = nameAR, nameEN, f.Kind, f.Status, notes, f.Visibility
	return nil
}

// orgFields are the organisation's fields as its history page shows them.
var orgFields = peopleFields{prefix: "org.",
	order: []string{"name_ar", "name_en", "kind", "status", "visibility", "notes"},
	vocabs: map[string]string{"kind": vocab.OrganisationKind, "status": vocab.OrganisationStatus,
		"visibility": vocab.Visibility}}

func (s *Server) organisations(req *request) error {
	q := strings.TrimSpace(req.r.URL.Query().Get("q"))
	page := peoplePageNum(req.r)
	list, total, err := s.st.Organisations().List(req.r.Context(), store.ListFilter{Query: q,
		Visible: access.Visible(req.user), Limit: peoplePerPage, Offset: (page - 1) * peoplePerPage})
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "organisations", map[string]any{"Orgs": list, "Total": total, "Q": q,
		"Pager": newPeoplePager("/organisations", q, page, total), "CanCreate": access.CanCreate(req.user)})
	return nil
}

// visibleOrg loads the organisation of the path: 404 alike for a missing
// one and one the user may not see; with edit, 403 for one the user sees
// but may not change.
func (s *Server) visibleOrg(req *request, edit bool) (*model.Organisation, error) {
	return loadVisible(req, edit, s.st.Organisations().Get, func(o *model.Organisation) (string, string) { return o.Visibility, o.CreatedBy })
}

func (s *Server) organisation(req *request) error {
	o, err := s.visibleOrg(req, false)
	if err != nil {
		return err
	}
	sealed, err := s.openOrganisation(req, o)
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "organisation", map[string]any{"Org": o, "Sealed": sealed,
		"Notes": paragraphs(o.Notes), "CanEdit": access.CanEdit(req.user, o.Visibility, o.CreatedBy)})
	return nil
}

func (s *Server) orgFormPage(req *request, status int, f orgForm, errs map[string]string, extra map[string]any) {
	data := map[string]any{"Form": f, "Errors": errs, "New": f.ID == ""}
	for k, v := range extra {
		data[k] = v
	}
	s.render(req, status, "organisation_form", data)
}

func (s *Server) newOrganisation(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	s.orgFormPage(req, http.StatusOK, orgForm{Status: "active", Visibility: model.VisibilityInternal}, nil, nil)
	return nil
}

func (s *Server) createOrganisation(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	f, err := readOrgForm(req.r)
	if err != nil {
		return err
	}
	f.ID, f.Version = "", ""
	o := &model.Organisation{}
	errs := f.apply(req.user, o)
	rs, err := s.orgSealer(req, f, nil, &errs)
	if err != nil {
		return err
	}
	defer rs.Close()
	if errs != nil {
		s.orgFormPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	if err := rs.Organisation(o); err != nil {
		return err
	}
	if err := s.st.Organisations().Create(req.r.Context(), req.user.Username, o); err != nil {
		return err
	}
	return errRedirect("/organisations/" + o.ID)
}

func (s *Server) editOrganisation(req *request) error {
	o, err := s.visibleOrg(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openOrganisation(req, o)); err != nil {
		return err
	}
	s.orgFormPage(req, http.StatusOK, orgFormOf(o), nil, nil)
	return nil
}

// updateOrganisation saves over the version the user opened; on a
// conflict it works as updatePerson does.
func (s *Server) updateOrganisation(req *request) error {
	old, err := s.visibleOrg(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(s.openOrganisation(req, old)); err != nil {
		return err
	}
	f, err := readOrgForm(req.r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(f.Version)
	if err != nil {
		return errBadForm
	}
	o := *old
	errs := f.apply(req.user, &o)
	rs, err := s.orgSealer(req, f, old, &errs)
	if err != nil {
		return err
	}
	defer rs.Close()
	if errs != nil {
		s.orgFormPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	if err := rs.Organisation(&o); err != nil {
		return err
	}
	o.Version = version
	ctx := req.r.Context()
	err = s.st.Organisations().Update(ctx, req.user.Username, &o)
	if errors.Is(err, store.ErrConflict) {
		cur, err := s.visibleOrg(req, true)
		if err != nil {
			return err
		}
		versions, err := s.st.History(ctx, store.KindOrganisation, cur.ID)
		if err != nil {
			return err
		}
		fields, actors := peopleChangedSince(req.lang, orgFields, versions, version)
		f.Version = strconv.Itoa(cur.Version)
		s.orgFormPage(req, http.StatusConflict, f, nil, map[string]any{"Conflict": true,
			"Changed": fields, "ChangedBy": actors})
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if !access.CanSee(req.user, o.Visibility, o.CreatedBy) {
		return errRedirect("/organisations")
	}
	return errRedirect("/organisations/" + o.ID)
}

// orgSealer is recordSealer for the organisation form, as personSealer.
func (s *Server) orgSealer(req *request, f orgForm, old *model.Organisation, errs *map[string]string) (*keys.RecordSealer, error) {
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

func (s *Server) organisationHistory(req *request) error {
	o, err := s.visibleOrg(req, false)
	if err != nil {
		return err
	}
	versions, err := s.st.History(req.r.Context(), store.KindOrganisation, o.ID)
	if err != nil {
		return err
	}
	name, other := o.NameAR, o.NameEN
	if !locale.ArabicScript(req.lang) && other != "" || name == "" {
		name, other = other, name
	}
	s.render(req, http.StatusOK, "people_history", map[string]any{"Name": name, "OtherName": other,
		"Back": "/organisations/" + o.ID, "Versions": peopleHistory(req.lang, orgFields, versions)})
	return nil
}
