package web

import (
	"net/http"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Restricted records (docs/keys.md, "Restricted records"): the text of a
// restricted incident, person or organisation is sealed in the protection
// compartment. Its page opens it for a member (each opening an audit
// entry, as keys.Open does); whoever else may see the record sees its structured
// fields and a notice. Writing one needs a member's key.

// Notices of a record page about its sealed text.
const (
	sealedOpened = "sealedrecords.opened"
	sealedNoKey  = "sealedrecords.no_key"
)

// openSealed opens a restricted record's sealed text with fill, if the
// viewer is a member whose key the server holds, and says what the page
// tells them: "" for a record without sealed text.
func (s *Server) openSealed(req *request, kind, id, visibility string, fill func(keys.Identity) error) (string, error) {
	if visibility != model.VisibilityRestricted {
		return "", nil
	}
	if exists, err := keys.Exists(req.r.Context(), s.st, kind, id, model.GroupRecord); err != nil || !exists {
		return "", err
	}
	return s.openWithKey(req, fill)
}

// openWithKey opens sealed text that exists with fill, as openSealed.
func (s *Server) openWithKey(req *request, fill func(keys.Identity) error) (string, error) {
	member, err := keys.IsMember(req.r.Context(), s.st, model.CompartmentProtection, req.user.ID)
	if err != nil || !member {
		return sealedNoKey, err
	}
	by, ok := s.identity(req)
	if !ok {
		return "restricted.sign_in_again", nil
	}
	defer by.Zero()
	return sealedOpened, fill(by)
}

// openIncident fills in a restricted incident's text and the names of its
// restricted victims the viewer may see (as 'rasd show --member' does).
func (s *Server) openIncident(req *request, inc *model.Incident) (string, error) {
	return s.openIncidentSaid(req, inc, nil, nil)
}

// openIncidentSaid is openIncident that also opens what the incident's
// sources said (infos, and their sources srcs by ID), for its page.
func (s *Server) openIncidentSaid(req *request, inc *model.Incident, infos []model.Information, srcs map[string]*model.Source) (string, error) {
	ctx, actor := req.r.Context(), req.user.Username
	see := func(p *model.Person) bool { return access.CanSee(req.user, p.Visibility, p.CreatedBy) }
	sealed, err := keys.IncidentSealed(ctx, s.st, inc, see)
	if err != nil {
		return "", err
	}
	if !sealed && !keys.InformationSealed(infos, srcs) {
		return "", nil
	}
	return s.openWithKey(req, func(by keys.Identity) error {
		if _, err := keys.OpenIncidentAll(ctx, s.st, actor, by, inc, see); err != nil {
			return err
		}
		_, err := keys.OpenInformation(ctx, s.st, actor, by, infos, srcs)
		return err
	})
}

func (s *Server) openPerson(req *request, p *model.Person) (string, error) {
	ctx, actor := req.r.Context(), req.user.Username
	return s.openSealed(req, store.KindPerson, p.ID, p.Visibility, func(by keys.Identity) error {
		_, err := keys.OpenPerson(ctx, s.st, actor, by, p)
		return err
	})
}

func (s *Server) openOrganisation(req *request, o *model.Organisation) (string, error) {
	ctx, actor := req.r.Context(), req.user.Username
	return s.openSealed(req, store.KindOrganisation, o.ID, o.Visibility, func(by keys.Identity) error {
		_, err := keys.OpenOrganisation(ctx, s.st, actor, by, o)
		return err
	})
}

// openForEdit opens a record for its edit form: a record whose text the
// user cannot open cannot be edited (saving would lose the text).
func openForEdit(notice string, err error) error {
	if err != nil {
		return err
	}
	if notice != "" && notice != sealedOpened {
		return &httpError{http.StatusForbidden, notice}
	}
	return nil
}

// recordSealer is the sealer a write needs: none when nothing restricted
// is written, else the protection compartment key opened with the user's
// held key. errKey says why the user cannot write it.
func (s *Server) recordSealer(req *request, need bool) (rs *keys.RecordSealer, errKey string, err error) {
	if !need {
		return nil, "", nil
	}
	ctx := req.r.Context()
	member, err := keys.IsMember(ctx, s.st, model.CompartmentProtection, req.user.ID)
	if err != nil || !member {
		return nil, "sealedrecords.error.need_key", err
	}
	by, ok := s.identity(req)
	if !ok {
		return nil, "restricted.sign_in_again", nil
	}
	defer by.Zero()
	rs, err = keys.NewRecordSealer(ctx, s.st, by)
	return rs, "", err
}
