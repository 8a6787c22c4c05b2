package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
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

// clientAddr is the connection's address, used only as a key of the
// in-memory login counter (hashed there), never stored or logged.
func clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}

// login checks the password. Every refusal says the same thing, so the
// page does not reveal whether a name exists or is locked.
func (s *Server) login(req *request) error {
	ctx, now, addr := req.r.Context(), s.now(), clientAddr(req.r)
	name := strings.TrimSpace(req.r.PostFormValue("username"))
	pw := req.r.PostFormValue("password")
	refuse := func(failures int) error {
		s.sleep(req, account.Delay(failures))
		s.render(req, http.StatusUnauthorized, "login", map[string]any{"Error": "login.refused", "Username": name})
		return nil
	}
	clientFails := s.clients.Failures(addr, now)
	if clientFails >= 2*account.LockAfter {
		return refuse(clientFails)
	}
	u, err := s.st.GetUserByName(ctx, name)
	if err != nil || u.Disabled {
		account.VerifyUnknown(pw)
		s.clients.Fail(addr, now)
		return refuse(clientFails + 1)
	}
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		account.VerifyUnknown(pw)
		s.clients.Fail(addr, now)
		return refuse(max(u.FailedLogins, clientFails+1))
	}
	if !account.VerifyPassword(u.PasswordHash, pw) {
		s.recordFailure(req, u)
		return refuse(max(u.FailedLogins, clientFails+1))
	}
	if err := s.st.SetLoginState(ctx, u.ID, u.FailedLogins, nil); err != nil {
		return err
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
		s.held.put(req.sess.TokenHash, u.ID, priv, req.sess.ExpiresAt, now)
	}
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	return errRedirect("/login/totp")
}

// recordFailure counts a wrong password or code against the account and
// the client, and locks the account after too many.
func (s *Server) recordFailure(req *request, u *model.User) {
	now := s.now()
	u.FailedLogins++
	var until *time.Time
	if u.FailedLogins >= account.LockAfter {
		t := now.Add(account.LockFor)
		until = &t
		s.log.Warn("account locked after repeated failures") // no name: logs hold no personal data
	}
	s.st.SetLoginState(req.r.Context(), u.ID, u.FailedLogins, until)
	s.clients.Fail(clientAddr(req.r), now)
}

func (s *Server) totpForm(req *request) error {
	if !req.user.Enrolled() {
		return errRedirect("/enrol")
	}
	s.render(req, http.StatusOK, "totp", map[string]any{})
	return nil
}

// totp accepts a current code once, or an unused recovery code.
func (s *Server) totp(req *request) error {
	ctx, u := req.r.Context(), req.user
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	if u.LockedUntil != nil && s.now().Before(*u.LockedUntil) {
		return s.endHalfway(req)
	}
	ok := false
	if rc := strings.TrimSpace(req.r.PostFormValue("recovery")); rc != "" {
		used, err := s.st.UseRecoveryCode(ctx, u.ID, account.HashRecoveryCode(rc))
		if err != nil {
			return err
		}
		ok = used
	} else {
		secret, err := vault.Open(s.totpKey, u.TOTPSealed, "totp "+u.ID)
		if err != nil {
			return err
		}
		if step, match := account.MatchTOTP(string(secret), req.r.PostFormValue("code"), s.now()); match {
			ok, err = s.st.UseTOTPStep(ctx, u.ID, step)
			if err != nil {
				return err
			}
		}
	}
	if !ok {
		s.recordFailure(req, u)
		s.sleep(req, account.Delay(u.FailedLogins))
		s.render(req, http.StatusUnauthorized, "totp", map[string]any{"Error": "totp.refused"})
		return nil
	}
	if err := s.st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return err
	}
	s.clients.Reset(clientAddr(req.r))
	if err := s.startSession(req, u, true); err != nil {
		return err
	}
	return errRedirect(s.homePath())
}

// endHalfway signs a half-signed-in browser out (locked account).
func (s *Server) endHalfway(req *request) error {
	s.held.drop(req.sess.TokenHash)
	s.st.DeleteSession(req.r.Context(), req.sess.TokenHash)
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
		return err
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

func (s *Server) logout(req *request) error {
	s.held.drop(req.sess.TokenHash)
	s.st.DeleteSession(req.r.Context(), req.sess.TokenHash)
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
