package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// registerAccount declares the pages every signed-in user has for their
// own account, and the compartment membership pages (compartments.go).
func (s *Server) registerAccount() {
	s.route("GET /account/password", signedIn, s.passwordForm)
	s.route("POST /account/password", signedIn, s.changePassword)
	s.route("GET /admin/compartments", keyAdmins, s.compartmentsPage)
	s.route("POST /admin/compartments/grant", keyAdmins, s.grantCompartment)
	s.route("POST /admin/compartments/revoke", keyAdmins, s.revokeCompartment)
}

func (s *Server) passwordForm(req *request) error {
	s.render(req, http.StatusOK, "password", map[string]any{"Changed": req.r.URL.Query().Get("changed") != "",
		"Min": account.MinPasswordLength})
	return nil
}

// changePassword verifies the current password under the sign-in's rules
// (lockout, slow-down, the same refusal whatever the cause), then saves
// the new hash and the private key sealed again under the new password
// and ends the account's other sessions, in one transaction. This
// session, and the key it holds, stay: the key pair does not change.
func (s *Server) changePassword(req *request) error {
	ctx, now, u := req.r.Context(), s.now(), req.user
	current, next, again := req.r.PostFormValue("current"), req.r.PostFormValue("new"), req.r.PostFormValue("again")
	show := func(status int, key string) error {
		s.render(req, status, "password", map[string]any{"Error": key, "Min": account.MinPasswordLength})
		return nil
	}
	switch {
	case utf8.RuneCountInString(next) < account.MinPasswordLength:
		return show(http.StatusUnprocessableEntity, "password.too_short")
	case account.CheckPassword(next) != nil:
		return show(http.StatusUnprocessableEntity, "password.too_long")
	case next != again:
		return show(http.StatusUnprocessableEntity, "password.mismatch")
	case next == current:
		return show(http.StatusUnprocessableEntity, "password.same")
	}
	ok, _, err := s.check(req, u, func() (bool, error) { return account.VerifyPassword(u.PasswordHash, current), nil },
		func() { account.VerifyUnknown(current) })
	if err != nil {
		return err
	}
	if !ok {
		return show(http.StatusUnauthorized, "password.refused")
	}
	fresh := len(u.SealedKey) == 0
	if err := rekey(u, current, next); err != nil {
		if errors.Is(err, keys.ErrWrongPassword) || errors.Is(err, keys.ErrDecrypt) {
			// The hash matched but the sealed key does not open: changing
			// the password now would leave the key behind for good.
			s.log.Warn("password change refused: the account's private key does not open with its password")
			return show(http.StatusConflict, "password.key_broken")
		}
		return err
	}
	ended, err := s.st.ChangePassword(ctx, u.Username, u, req.sess.TokenHash)
	if errors.Is(err, store.ErrConflict) {
		return show(http.StatusConflict, "password.conflict")
	}
	if err != nil {
		return err
	}
	s.held.dropOthers(u.ID, req.sess.TokenHash)
	if fresh { // the account's first key pair: hold it like a sign-in would
		if priv, err := keys.Unseal(u, next); err == nil {
			s.held.put(req.sess.TokenHash, u.ID, priv, req.sess.ExpiresAt, now)
		}
	}
	if err := s.st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return fmt.Errorf("password changed, but the failure count was not reset: %w", err)
	}
	s.log.Info("password changed", slog.Int("other_sessions_ended", ended)) // no name: logs hold no personal data
	return errRedirect("/account/password?changed=1")
}

// rekey sets u's new password hash and seals its private key again under
// it, as 'rasd user password' does; an account from before keys existed
// gets its key pair now.
func rekey(u *model.User, current, next string) error {
	if len(u.SealedKey) == 0 {
		u.PasswordHash = account.HashPassword(next)
		return keys.NewUserKey(u, next)
	}
	return keys.ChangePassword(u, current, next)
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
