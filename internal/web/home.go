package web

import (
	"net/http"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/store"
)

func (s *Server) home(req *request) error {
	hits, total, err := s.st.ListIncidents(req.r.Context(), store.IncidentFilter{
		Visible: access.Visible(req.user), Sort: "updated", Limit: 15})
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "home", map[string]any{"Recent": hits, "Total": total,
		"CanCreate": access.CanCreate(req.user)})
	return nil
}

// search looks in incidents, persons and organisations at once, showing
// only what the user may see.
func (s *Server) search(req *request) error {
	ctx, q := req.r.Context(), req.r.URL.Query().Get("q")
	data := map[string]any{"Q": q}
	if q != "" {
		vis := access.Visible(req.user)
		incs, ni, err := s.st.ListIncidents(ctx, store.IncidentFilter{Query: q, Visible: vis, Limit: 25})
		if err != nil {
			return err
		}
		persons, np, err := s.st.Persons().List(ctx, store.ListFilter{Query: q, Visible: vis, Limit: 25})
		if err != nil {
			return err
		}
		orgs, no, err := s.st.Organisations().List(ctx, store.ListFilter{Query: q, Visible: vis, Limit: 25})
		if err != nil {
			return err
		}
		data["Incidents"], data["Persons"], data["Orgs"] = incs, persons, orgs
		data["NIncidents"], data["NPersons"], data["NOrgs"] = ni, np, no
	}
	s.render(req, http.StatusOK, "search", data)
	return nil
}

func (s *Server) usersPage(req *request) error {
	users, err := s.acc.List(req.r.Context())
	if err != nil && !s.logRefused(err) { // refused accounts are left out
		return err
	}
	q := req.r.URL.Query()
	s.render(req, http.StatusOK, "users", map[string]any{"Users": users, "Ended": q.Get("ended"),
		"Disabled": q.Get("disabled"), "Enabled": q.Get("enabled")})
	return nil
}

// endSessions signs a user out everywhere (accounts.EndSessions).
func (s *Server) endSessions(req *request) error {
	u, err := s.acc.User(req.r.Context(), req.r.PathValue("id"))
	if err != nil {
		s.logRefused(err)
		return errNotFound
	}
	if _, err := s.acc.EndSessions(req.r.Context(), u); err != nil {
		return err
	}
	s.forgetUser(u.ID)
	return errRedirect("/admin/users?ended=" + u.ID)
}

// setDisabled disables an account, ending its sessions, or enables it
// again (accounts.Disable, accounts.Enable; audited). An admin does not
// disable their own account here: that would shut the last door behind
// them ('rasd user disable' can).
func (s *Server) setDisabled(disable bool) func(req *request) error {
	return func(req *request) error {
		u, err := s.acc.User(req.r.Context(), req.r.PathValue("id"))
		if err != nil {
			s.logRefused(err)
			return errNotFound
		}
		switch {
		case disable && u.ID == req.user.ID:
			users, _ := s.acc.List(req.r.Context())
			s.render(req, http.StatusUnprocessableEntity, "users", map[string]any{"Users": users, "Error": "users.not_self"})
			return nil
		case disable:
			if _, err := s.acc.Disable(req.r.Context(), req.user.Username, u); err != nil {
				return err
			}
			s.forgetUser(u.ID)
			return errRedirect("/admin/users?disabled=" + u.ID)
		}
		if err := s.acc.Enable(req.r.Context(), req.user.Username, u); err != nil {
			return err
		}
		return errRedirect("/admin/users?enabled=" + u.ID)
	}
}
