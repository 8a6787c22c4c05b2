package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// Restricted field groups (docs/keys.md) have pages of their own, so that
// opening one is a deliberate act and each opening is one audit entry:
// the record's page only says whether the group exists.
func (s *Server) registerRestricted() {
	s.route("GET /persons/{id}/protection", signedIn, s.personProtection)
	s.route("POST /persons/{id}/protection", signedIn, s.savePersonProtection)
	s.route("GET /sources/{id}/identity", signedIn, s.sourceIdentity)
	s.route("POST /sources/{id}/identity", signedIn, s.saveSourceIdentity)
}

const maxRestrictedField = 4000

// identity is the signed-in user's key, held since sign-in; ok is false
// when the server no longer holds it (restarted): sign in again.
func (s *Server) identity(req *request) (keys.Identity, bool) {
	priv := s.held.get(req.sess.TokenHash, req.user.ID, s.now())
	if priv == nil {
		return keys.Identity{}, false
	}
	return keys.UserIdentity(req.user, priv), true
}

// restrictedState is what a record page says about a sealed group: that
// it exists, and whether the viewer holds its compartment.
type restrictedState struct {
	Exists, Member bool
	Link           string
}

func (s *Server) restrictedState(req *request, kind, id, group, link string) (restrictedState, error) {
	ctx := req.r.Context()
	compartment, err := keys.CompartmentOf(group)
	if err != nil {
		return restrictedState{}, err
	}
	exists, err := keys.Exists(ctx, s.st, kind, id, group)
	if err != nil {
		return restrictedState{}, err
	}
	member, err := keys.IsMember(ctx, s.st, compartment, req.user.ID)
	return restrictedState{Exists: exists, Member: member, Link: link}, err
}

// restrictedField is one input of a restricted page.
type restrictedField struct {
	Name, Label, Value string
}

// restrictedPage shows a sealed group to a member: opened (and the read
// audited) for GET, or as typed after a refused save.
func (s *Server) restrictedPage(req *request, status int, title, back string, canEdit bool, fields []restrictedField, errKey string) {
	s.render(req, status, "restricted", map[string]any{"Title": title, "Back": back, "Action": req.r.URL.Path,
		"CanEdit": canEdit, "Fields": fields, "Error": errKey})
}

// openGroup checks membership and opens the group into v. A non-member
// gets 403: they may know the group exists (the record page says so),
// never its content.
func (s *Server) openGroup(req *request, kind, id, group string, v any) (keys.Identity, error) {
	compartment, _ := keys.CompartmentOf(group)
	member, err := keys.IsMember(req.r.Context(), s.st, compartment, req.user.ID)
	if err != nil {
		return keys.Identity{}, err
	}
	if !member {
		return keys.Identity{}, &httpError{http.StatusForbidden, "restricted.not_member"}
	}
	by, ok := s.identity(req)
	if !ok {
		return keys.Identity{}, &httpError{http.StatusForbidden, "restricted.sign_in_again"}
	}
	if v != nil {
		if _, err := keys.Open(req.r.Context(), s.st, req.user.Username, by, kind, id, group, v); err != nil {
			by.Zero()
			if errors.Is(err, keys.ErrNotMember) {
				return keys.Identity{}, &httpError{http.StatusForbidden, "restricted.not_member"}
			}
			return keys.Identity{}, err
		}
	}
	return by, nil
}

// saveGroup seals the form's fields, or destroys the group (and its data
// key) when every field is empty.
func (s *Server) saveGroup(req *request, by keys.Identity, kind, id, group string, v any, empty bool) error {
	defer by.Zero()
	ctx := req.r.Context()
	if empty {
		err := keys.Destroy(ctx, s.st, req.user.Username, kind, id, group)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	return keys.Seal(ctx, s.st, req.user.Username, by, kind, id, group, v)
}

// readRestricted reads the named fields of the form; ok is false if one
// is too long.
func readRestricted(req *request, names ...string) (map[string]string, bool) {
	out, ok := map[string]string{}, true
	for _, n := range names {
		v := strings.TrimSpace(req.r.PostFormValue(n))
		if utf8.RuneCountInString(v) > maxRestrictedField || !utf8.ValidString(v) {
			ok = false
		}
		out[n] = v
	}
	return out, ok
}

func protectionFields(p model.PersonProtection) []restrictedField {
	return []restrictedField{{"contacts", "restricted.contacts", p.Contacts}, {"whereabouts", "restricted.whereabouts", p.Whereabouts},
		{"relocation", "restricted.relocation", p.Relocation}, {"notes", "restricted.notes", p.Notes}}
}

func (s *Server) personProtection(req *request) error {
	p, err := s.visiblePerson(req, false)
	if err != nil {
		return err
	}
	var v model.PersonProtection
	by, err := s.openGroup(req, store.KindPerson, p.ID, model.GroupPersonProtection, &v)
	if err != nil {
		return err
	}
	by.Zero()
	canEdit := s.canEditPerson(req, p)
	s.restrictedPage(req, http.StatusOK, "restricted.protection_title", "/persons/"+p.ID, canEdit, protectionFields(v), "")
	return nil
}

func (s *Server) canEditPerson(req *request, p *model.Person) bool {
	_, err := loadVisible(req, true, func(context.Context, string) (*model.Person, error) { return p, nil },
		func(p *model.Person) (string, string) { return p.Visibility, p.CreatedBy })
	return err == nil
}

func (s *Server) savePersonProtection(req *request) error {
	p, err := s.visiblePerson(req, true)
	if err != nil {
		return err
	}
	by, err := s.openGroup(req, store.KindPerson, p.ID, model.GroupPersonProtection, nil)
	if err != nil {
		return err
	}
	f, ok := readRestricted(req, "contacts", "whereabouts", "relocation", "notes")
	v := model.PersonProtection{Contacts: f["contacts"], Whereabouts: f["whereabouts"], Relocation: f["relocation"], Notes: f["notes"]}
	if !ok {
		by.Zero()
		s.restrictedPage(req, http.StatusUnprocessableEntity, "restricted.protection_title", "/persons/"+p.ID, true, protectionFields(v), "restricted.too_long")
		return nil
	}
	if err := s.saveGroup(req, by, store.KindPerson, p.ID, model.GroupPersonProtection, v, v == model.PersonProtection{}); err != nil {
		return err
	}
	return errRedirect("/persons/" + p.ID)
}

func identityFields(v model.SourceIdentity) []restrictedField {
	return []restrictedField{{"name", "restricted.source_name", v.Name}, {"contacts", "restricted.contacts", v.Contacts}}
}

// Sources have no visibility of their own: their identity page is for
// members of the sources compartment only, whatever their role; to
// anyone else a source looks missing.
func (s *Server) source(req *request) (*model.Source, error) {
	member, err := keys.IsMember(req.r.Context(), s.st, model.CompartmentSources, req.user.ID)
	if err != nil {
		return nil, err
	}
	src, err := s.st.GetSource(req.r.Context(), req.r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) || !member {
		return nil, errNotFound
	}
	return src, err
}

func (s *Server) sourceIdentity(req *request) error {
	src, err := s.source(req)
	if err != nil {
		return err
	}
	var v model.SourceIdentity
	by, err := s.openGroup(req, store.KindSource, src.ID, model.GroupSourceIdentity, &v)
	if err != nil {
		return err
	}
	by.Zero()
	s.restrictedPage(req, http.StatusOK, "restricted.identity_title", "/", true, identityFields(v), "")
	return nil
}

func (s *Server) saveSourceIdentity(req *request) error {
	src, err := s.source(req)
	if err != nil {
		return err
	}
	by, err := s.openGroup(req, store.KindSource, src.ID, model.GroupSourceIdentity, nil)
	if err != nil {
		return err
	}
	f, ok := readRestricted(req, "name", "contacts")
	v := model.SourceIdentity{Name: f["name"], Contacts: f["contacts"]}
	errKey := ""
	if _, bidi := textnorm.BidiControl(v.Name); bidi {
		errKey = "restricted.bidi_name" // a name is one line (textnorm.BidiControl)
	}
	if !ok {
		errKey = "restricted.too_long"
	}
	if errKey != "" {
		by.Zero()
		s.restrictedPage(req, http.StatusUnprocessableEntity, "restricted.identity_title", "/", true, identityFields(v), errKey)
		return nil
	}
	if err := s.saveGroup(req, by, store.KindSource, src.ID, model.GroupSourceIdentity, v, v == model.SourceIdentity{}); err != nil {
		return err
	}
	return errRedirect(req.r.URL.Path)
}
