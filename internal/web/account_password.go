package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/store"
)

// registerAccount declares the pages every signed-in user has for their
// own account, and the compartment membership pages (compartments.go).
func (s *Server) registerAccount() {
	s.route("GET /account/password", signedIn, s.passwordForm)
	s.route("POST /account/password", signedIn, s.changePassword)
	s.route("GET /account/tokens", signedIn, s.tokensPage)
	s.route("POST /account/tokens", signedIn, s.createToken)
	s.route("POST /account/tokens/{id}/revoke", signedIn, s.revokeToken)
	s.route("GET /admin/compartments", keyAdmins, s.compartmentsPage)
	s.route("POST /admin/compartments/grant", keyAdmins, s.grantCompartment)
	s.route("POST /admin/compartments/revoke", keyAdmins, s.revokeCompartment)
}

func (s *Server) passwordForm(req *request) error {
	s.render(req, http.StatusOK, "password", map[string]any{"Changed": req.r.URL.Query().Get("changed") != "",
		"Min": account.MinPasswordLength})
	return nil
}

// changePassword changes the signed-in user's password
// (accounts.ChangePassword: the current one checked under the sign-in's
// rules, the new hash, the re-sealed private key and the end of the
// account's other sessions in one transaction). This session, and the
// key it holds, stay: the key pair does not change.
func (s *Server) changePassword(req *request) error {
	u := req.user
	show := func(status int, key string) error {
		s.render(req, status, "password", map[string]any{"Error": key, "Min": account.MinPasswordLength})
		return nil
	}
	res, err := s.acc.ChangePassword(req.r.Context(), u.Username, u, accounts.PasswordChange{
		Current: req.r.PostFormValue("current"), New: req.r.PostFormValue("new"), Again: req.r.PostFormValue("again"),
		Keep: req.sess.TokenHash})
	if !res.Changed {
		switch {
		case errors.Is(err, account.ErrPasswordShort):
			return show(http.StatusUnprocessableEntity, "password.too_short")
		case errors.Is(err, account.ErrPasswordLong):
			return show(http.StatusUnprocessableEntity, "password.too_long")
		case errors.Is(err, accounts.ErrPasswordMismatch):
			return show(http.StatusUnprocessableEntity, "password.mismatch")
		case errors.Is(err, accounts.ErrPasswordSame):
			return show(http.StatusUnprocessableEntity, "password.same")
		case errors.Is(err, accounts.ErrWrongPassword):
			s.refused(req, res.Verdict)
			return show(http.StatusUnauthorized, "password.refused")
		case errors.Is(err, accounts.ErrKeyBroken):
			s.log.Warn("password change refused: the account's private key does not open with its password")
			return show(http.StatusConflict, "password.key_broken")
		case errors.Is(err, store.ErrConflict):
			return show(http.StatusConflict, "password.conflict")
		}
		return err
	}
	s.forgetOthers(u.ID, req.sess.TokenHash)
	if res.Key != nil { // the account's first key pair: hold it like a sign-in would
		s.held.put(req.sess.TokenHash, u.ID, res.Key, req.sess.ExpiresAt, s.now())
	}
	if err != nil {
		return err
	}
	s.log.Info("password changed", slog.Int("other_sessions_ended", res.Ended)) // no name: logs hold no personal data
	return errRedirect("/account/password?changed=1")
}

// dropOthers forgets the keys of a user's sessions but keep (the others
// were just ended).
func (h *heldKeys) dropOthers(userID, keep string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s, k := range h.m {
		if k.userID == userID && s != keep {
			h.dropLocked(s)
		}
	}
}
