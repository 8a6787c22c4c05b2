package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// keyAdmins may open the compartment membership pages: the admin (users,
// roles, keys: docs/access.md) and the coordinator (who runs the organisation's
// protection and accountability work). The page is only a view: granting
// and revoking also need the acting user to be a member, because only a
// member's private key (held for their session) opens the compartment key
// that a grant wraps or a revocation replaces. An admin who was never
// granted a compartment can therefore not grant it to anyone, themselves
// included, and reads nothing of it.
var keyAdmins = onlyRoles(model.RoleAdmin, model.RoleCoordinator)

// mayHold says whether a role may be made a member of a compartment:
// analysts never see protection details (docs/access.md, "Compartments").
func mayHold(role, compartment string) bool {
	return !(compartment == model.CompartmentProtection && role == model.RoleAnalyst)
}

// compartmentView is one compartment as the page shows it.
type compartmentView struct {
	Name      string
	Version   int // 0: no key yet
	Members   []model.User
	Recovery  bool // the recovery key holds a wrap
	Records   int
	Member    bool // the viewer holds a wrap
	Grantable []model.User
}

func (s *Server) compartmentsPage(req *request) error {
	views, err := s.compartments(req.r.Context(), req.user.ID)
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "compartments", map[string]any{"Compartments": views,
		"KeyHeld": s.held.has(req.sess.TokenHash, req.user.ID, s.now()), "Done": req.r.URL.Query().Get("done")})
	return nil
}

func (s *Server) compartments(ctx context.Context, viewer string) ([]compartmentView, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil && !s.logRefused(err) { // refused accounts are left out
		return nil, err
	}
	var out []compartmentView
	for _, c := range model.Compartments {
		v := compartmentView{Name: c}
		version, wraps, err := s.st.Compartment(ctx, c)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		v.Version = version
		if v.Records, err = s.st.CountSealed(ctx, c); err != nil {
			return nil, err
		}
		holds := map[string]bool{}
		for _, w := range wraps {
			holds[w.Member] = true
		}
		v.Recovery, v.Member = holds[model.MemberRecovery], holds[viewer]
		for _, u := range users {
			switch {
			case holds[u.ID]:
				v.Members = append(v.Members, u)
			case !u.Disabled && len(u.PublicKey) > 0 && mayHold(u.Role, c):
				v.Grantable = append(v.Grantable, u)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// membershipForm reads and checks a grant or revoke form: a compartment
// that exists, an account, and the acting member's identity (the caller
// zeroes it). A refusal is an httpError with a message saying what to do.
func (s *Server) membershipForm(req *request) (string, *model.User, []model.Wrap, keys.Identity, error) {
	ctx := req.r.Context()
	c := req.r.PostFormValue("compartment")
	if !slices.Contains(model.Compartments, c) {
		return "", nil, nil, keys.Identity{}, errBadForm
	}
	target, err := s.st.GetUser(ctx, req.r.PostFormValue("user"))
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, nil, keys.Identity{}, &httpError{http.StatusUnprocessableEntity, "compartments.choose_user"}
	}
	if err != nil {
		return "", nil, nil, keys.Identity{}, err
	}
	_, wraps, err := s.st.Compartment(ctx, c)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, nil, keys.Identity{}, &httpError{http.StatusConflict, "compartments.no_key_yet"}
	}
	if err != nil {
		return "", nil, nil, keys.Identity{}, err
	}
	if !slices.ContainsFunc(wraps, func(w model.Wrap) bool { return w.Member == req.user.ID }) {
		return "", nil, nil, keys.Identity{}, &httpError{http.StatusForbidden, "compartments.not_member"}
	}
	by, ok := s.identity(req)
	if !ok {
		return "", nil, nil, keys.Identity{}, &httpError{http.StatusForbidden, "restricted.sign_in_again"}
	}
	return c, target, wraps, by, nil
}

// grantCompartment wraps the compartment's key to another account.
func (s *Server) grantCompartment(req *request) error {
	c, to, _, by, err := s.membershipForm(req)
	if err != nil {
		return err
	}
	defer by.Zero()
	switch {
	case to.Disabled:
		return &httpError{http.StatusUnprocessableEntity, "compartments.disabled"}
	case !mayHold(to.Role, c):
		return &httpError{http.StatusUnprocessableEntity, "compartments.analyst_protection"}
	case len(to.PublicKey) == 0:
		return &httpError{http.StatusUnprocessableEntity, "compartments.grantee_no_key"}
	}
	if err := keys.Grant(req.r.Context(), s.st, req.user.Username, by, c, to); err != nil {
		return err
	}
	return errRedirect("/admin/compartments?done=granted")
}

// revokeCompartment rotates the compartment without the account, after a
// confirmation page that says what revoking does and does not do.
func (s *Server) revokeCompartment(req *request) error {
	c, target, wraps, by, err := s.membershipForm(req)
	if err != nil {
		return err
	}
	defer by.Zero()
	if !slices.ContainsFunc(wraps, func(w model.Wrap) bool { return w.Member == target.ID }) {
		return &httpError{http.StatusUnprocessableEntity, "compartments.not_a_member"}
	}
	if !slices.ContainsFunc(wraps, func(w model.Wrap) bool { return w.Member != target.ID }) {
		return &httpError{http.StatusConflict, "compartments.last_holder"}
	}
	if req.r.PostFormValue("confirm") != "yes" {
		s.render(req, http.StatusOK, "compartment_revoke", map[string]any{"Compartment": c, "Target": target,
			"Self": target.ID == req.user.ID})
		return nil
	}
	if err := keys.Revoke(req.r.Context(), s.st, req.user.Username, by, c, target.ID); err != nil {
		s.log.Error("revocation failed; nothing was changed", slog.String("error", err.Error()))
		return &httpError{http.StatusConflict, "compartments.revoke_failed"}
	}
	return errRedirect("/admin/compartments?done=revoked")
}

// has reports whether the server still holds the session's key.
func (h *heldKeys) has(session, userID string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sweep(now)
	k := h.m[session]
	return k != nil && k.userID == userID
}
