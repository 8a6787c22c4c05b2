package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vault"
)

const enrolCookie = "rasd_enrol"

func (s *Server) loginForm(req *request) error {
	if req.sess != nil && req.sess.Verified {
		return errRedirect(s.homePath())
	}
	s.render(req, http.StatusOK, "login", map[string]any{})
	return nil
}

// login checks the password. Every refusal says the same thing after
// the same work, so the page does not reveal whether a name exists, is
// disabled or is locked.
func (s *Server) login(req *request) error {
	ctx := req.r.Context()
	name := strings.TrimSpace(req.r.PostFormValue("username"))
	pw := req.r.PostFormValue("password")
	refused := func() error {
		s.render(req, http.StatusUnauthorized, "login", map[string]any{"Error": "login.refused", "Username": name})
		return nil
	}
	u, err := s.st.GetUserByName(ctx, name)
	s.logRefused(err) // a tampered account is refused like an unknown one
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrTampered) {
		return fmt.Errorf("sign-in: read the account: %w", err)
	}
	// A disabled account is answered as no account. What keeps it out is
	// the route policy (authorise), which every later request goes through.
	if err != nil || !access.Active(u) {
		if err := s.refuseUnknown(req, name, pw); err != nil {
			return err
		}
		return refused()
	}
	ok, _, err := s.check(req, u, func() (bool, error) { return account.VerifyPassword(u.PasswordHash, pw), nil },
		func() { account.VerifyUnknown(pw) })
	if err != nil {
		return err
	}
	if !ok {
		return refused()
	}
	priv, err := s.unsealKey(ctx, u, pw)
	if err != nil {
		// Signing in still works; restricted fields stay closed.
		s.log.Warn("the account's private key did not open with its password", slog.String("error", err.Error()))
	}
	if err := s.startSession(req, u, false); err != nil {
		clear(priv)
		return err
	}
	if priv != nil {
		s.held.put(req.sess.TokenHash, u.ID, priv, req.sess.ExpiresAt, s.now())
	}
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	return errRedirect("/login/totp")
}

// check runs a password or code check for u under the lockout rule
// (account.Lockout). The attempt is counted before the check, in one
// statement, so that attempts in parallel are all counted and none is
// checked once one has reached the limit; a locked account's check does
// not run, instead (if given) spends the time it would have; a right
// answer takes its attempt back. A refusal waits as long as the failures
// call for. locked says the account is locked now (before this attempt,
// or by it).
func (s *Server) check(req *request, u *model.User, verify func() (bool, error), instead func()) (ok, locked bool, err error) {
	ctx := req.r.Context()
	failures, admitted, err := s.st.CountLoginAttempt(ctx, u.ID, s.now(), account.LockAfter, account.LockFor)
	if err != nil {
		return false, false, fmt.Errorf("count the sign-in attempt: %w", err)
	}
	if admitted {
		if ok, err = verify(); err != nil {
			return false, false, err // the attempt stays counted
		}
	} else if instead != nil {
		instead()
	}
	if ok {
		if err := s.st.UncountLoginAttempt(ctx, u.ID, account.LockAfter); err != nil {
			return false, false, fmt.Errorf("take back the sign-in attempt: %w", err)
		}
		return true, false, nil
	}
	locked = !admitted || failures >= account.LockAfter
	if admitted && locked {
		s.log.Warn("account locked after repeated failures") // no name: logs hold no personal data
	}
	s.slowDown(req, failures)
	return false, locked, nil
}

// refuseUnknown answers a sign-in for a name that is no account (or a
// disabled one) as check answers an account's wrong password: the same
// store statement (on no row), one password check, and the delay the
// name's own count calls for (account.Unknown), so that neither the
// answer nor its time tells the two apart.
func (s *Server) refuseUnknown(req *request, name, pw string) error {
	now := s.now()
	if _, _, err := s.st.CountLoginAttempt(req.r.Context(), "", now, account.LockAfter, account.LockFor); err != nil &&
		!errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sign-in: %w", err)
	}
	l, _ := s.unknown.Attempt(name, now)
	account.VerifyUnknown(pw)
	s.slowDown(req, l.Failures)
	return nil
}

// slowDown makes a refused attempt wait as long as the account's failures
// or its client's call for. The client's count only ever slows (see
// account.Clients): it never refuses.
func (s *Server) slowDown(req *request, failures int) {
	client := s.clients.Fail(clientAddr(req.r, s.opts.TrustedProxies), s.now())
	s.sleep(req, account.Delay(max(failures, client)))
}

func (s *Server) totpForm(req *request) error {
	if !req.user.Enrolled() {
		return errRedirect("/enrol")
	}
	s.render(req, http.StatusOK, "totp", map[string]any{})
	return nil
}

// totp accepts a current code once, or an unused recovery code; each try
// counts towards the account's lockout as a password does.
func (s *Server) totp(req *request) error {
	ctx, u := req.r.Context(), req.user
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	ok, locked, err := s.check(req, u, func() (bool, error) { return s.secondFactor(req, u) }, nil)
	if err != nil {
		return err
	}
	if locked {
		return s.endHalfway(req)
	}
	if !ok {
		s.render(req, http.StatusUnauthorized, "totp", map[string]any{"Error": "totp.refused"})
		return nil
	}
	if err := s.st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return fmt.Errorf("sign-in: reset the failure count: %w", err)
	}
	s.clients.Reset(clientAddr(req.r, s.opts.TrustedProxies))
	if err := s.startSession(req, u, true); err != nil {
		return err
	}
	return errRedirect(s.homePath())
}

// secondFactor checks the form's recovery code, or its TOTP code, which
// is accepted once (store.UseTOTPStep).
func (s *Server) secondFactor(req *request, u *model.User) (bool, error) {
	ctx := req.r.Context()
	if rc := strings.TrimSpace(req.r.PostFormValue("recovery")); rc != "" {
		used, err := s.st.UseRecoveryCode(ctx, u.ID, account.HashRecoveryCode(rc))
		if err != nil {
			return false, fmt.Errorf("sign-in: %w", err)
		}
		return used, nil
	}
	secret, err := vault.Open(s.totpKey, u.TOTPSealed, "totp "+u.ID)
	if err != nil {
		return false, fmt.Errorf("sign-in: open the TOTP secret: %w", err)
	}
	step, match := account.MatchTOTP(string(secret), req.r.PostFormValue("code"), s.now())
	if !match {
		return false, nil
	}
	ok, err := s.st.UseTOTPStep(ctx, u.ID, step)
	if err != nil {
		return false, fmt.Errorf("sign-in: use the TOTP step: %w", err)
	}
	return ok, nil
}

// endHalfway signs a half-signed-in browser out (locked account).
func (s *Server) endHalfway(req *request) error {
	s.held.drop(req.sess.TokenHash)
	if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
		return err
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
	s.render(req, http.StatusUnauthorized, "login", map[string]any{"Error": "login.refused"})
	return nil
}

// enrolForm shows a new TOTP secret. The pending secret travels sealed in
// a cookie until the user proves they stored it by giving a code.
func (s *Server) enrolForm(req *request) error {
	if req.user.Enrolled() {
		return errRedirect("/login/totp")
	}
	secret, uri, err := account.NewTOTP("rasd", req.user.Username)
	if err != nil {
		return err
	}
	sealed := vault.Seal(s.totpKey, []byte(secret), "enrol "+req.user.ID)
	http.SetCookie(req.w, s.cookie(enrolCookie, encode(sealed), 900))
	s.render(req, http.StatusOK, "enrol", map[string]any{"Secret": groupSecret(secret), "URI": uri})
	return nil
}

func (s *Server) enrol(req *request) error {
	ctx, u := req.r.Context(), req.user
	if u.Enrolled() {
		return errRedirect("/login/totp")
	}
	c, err := req.r.Cookie(enrolCookie)
	if err != nil {
		return errRedirect("/enrol")
	}
	sealed, err := decode(c.Value)
	if err != nil {
		return errRedirect("/enrol")
	}
	secret, err := vault.Open(s.totpKey, sealed, "enrol "+u.ID)
	if err != nil {
		return errRedirect("/enrol")
	}
	step, ok := account.MatchTOTP(string(secret), req.r.PostFormValue("code"), s.now())
	if !ok {
		s.render(req, http.StatusUnauthorized, "enrol", map[string]any{"Error": "totp.refused",
			"Secret": groupSecret(string(secret)), "URI": ""})
		return nil
	}
	codes, hashes := account.RecoveryCodes(10)
	u.TOTPSealed = vault.Seal(s.totpKey, secret, "totp "+u.ID)
	u.TOTPLastStep, u.RecoveryCodes = step, hashes
	if err := s.st.UpdateUser(ctx, u.Username, u); err != nil {
		return fmt.Errorf("enrolment: save the second factor: %w", err)
	}
	http.SetCookie(req.w, s.cookie(enrolCookie, "", -1))
	if err := s.startSession(req, u, true); err != nil {
		return err
	}
	s.render(req, http.StatusOK, "recovery", map[string]any{"Codes": codes})
	return nil
}

// groupSecret writes a base32 secret in groups of four for typing.
func groupSecret(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// logout ends the session. If the store does not delete it (after
// retries), the token would stay valid: the page says so and the browser
// keeps its cookie, so that signing out can be tried again from there.
// The private key the session held is forgotten either way.
func (s *Server) logout(req *request) error {
	s.held.drop(req.sess.TokenHash)
	if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
		s.logErr("sign-out failed: the session was not ended", err)
		s.render(req, http.StatusServiceUnavailable, "error", map[string]any{"Message": "logout.failed"})
		return nil
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
	req.w.Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	return errRedirect("/login")
}

// setLang switches the interface language (and saves it for the user),
// or the digits Arabic pages use.
func (s *Server) setLang(req *request) error {
	lang := i18n.Lang(req.r.PostFormValue("lang"))
	if req.r.PostFormValue("lang") == "" {
		lang = i18n.Lang(req.lang) // a digits-only change keeps the language
	}
	http.SetCookie(req.w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 86400,
		HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode})
	if req.user != nil && req.sess != nil && req.sess.Verified && req.user.Lang != lang {
		req.user.Lang = lang
		if err := s.st.UpdateUser(req.r.Context(), req.user.Username, req.user); err != nil {
			return err
		}
	}
	if d := req.r.PostFormValue("digits"); d == "arab" || d == "latn" {
		http.SetCookie(req.w, &http.Cookie{Name: "digits", Value: d, Path: "/", MaxAge: 365 * 86400,
			HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode})
	}
	return errRedirect(s.localBack(req.r.PostFormValue("back")))
}

// localBack is back if it is a clean path of this server that a GET
// route answers, escaped for a Location header; otherwise the home page.
// Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" and
// "/\t/evil" are as off-site as "//evil": such bytes are refused, not
// cleaned, as are queries, fragments and paths that path.Clean changes.
func (s *Server) localBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || path.Clean(back) != back ||
		strings.ContainsFunc(back, func(r rune) bool { return r == '\\' || r == '?' || r == '#' || !unicode.IsPrint(r) }) {
		return s.homePath()
	}
	u := &url.URL{Path: back}
	if _, pattern := s.mux.Handler(&http.Request{Method: http.MethodGet, URL: u}); !strings.HasPrefix(pattern, "GET ") {
		return s.homePath()
	}
	return u.EscapedPath()
}
