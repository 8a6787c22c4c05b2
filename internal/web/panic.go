package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/locale"
)

// The panic action crypto-erases this instance's keys from the browser,
// for when the office is about to be raided. It must never happen by
// accident: it is an admin-only POST with a CSRF token, the admin's
// password typed again, and a phrase typed out in full. Afterwards the
// server answers every request with the "wiped" page and reads nothing.

// panicPhrases confirm a panic wipe (any language's is accepted; a
// language without one shows the fallback's).
var panicPhrases = map[string]string{"en": "DESTROY ALL DATA", "ar": "امسح كل البيانات", "ckb": "هەموو داتاکان بسڕەوە"}

func (s *Server) panicForm(req *request) error {
	s.render(req, http.StatusOK, "panic", s.panicData(req, ""))
	return nil
}

func (s *Server) panicData(req *request, errKey string) map[string]any {
	phrase, ok := panicPhrases[req.lang]
	if !ok {
		phrase = panicPhrases[locale.Fallback]
	}
	return map[string]any{"Phrase": phrase, "Error": errKey, "Available": s.opts.Wipe != nil}
}

func (s *Server) panicWipe(req *request) error {
	pw, phrase := req.r.PostFormValue("password"), req.r.PostFormValue("phrase")
	if pw == "" || strings.TrimSpace(phrase) == "" {
		s.render(req, http.StatusUnprocessableEntity, "panic", s.panicData(req, "panic.both"))
		return nil
	}
	if s.opts.Wipe == nil {
		s.render(req, http.StatusConflict, "panic", s.panicData(req, "panic.unavailable"))
		return nil
	}
	typed := strings.Join(strings.Fields(phrase), " ")
	phraseOK := slices.Contains(slices.Collect(maps.Values(panicPhrases)), typed)
	// The password is checked even when the phrase is wrong, so that the
	// answer's timing says nothing about which of the two was.
	// It counts towards the account lockout, like a sign-in. While the
	// account is locked (someone guessing at the sign-in page) it is still
	// checked, uncounted, so that the admin can wipe in an emergency; a
	// wrong one then ends the session.
	v, err := s.acc.ConfirmPassword(req.r.Context(), req.user, pw)
	if err != nil {
		return err
	}
	if !v.OK {
		s.refused(req, v)
	}
	if !v.OK && !v.RightWhileLocked {
		if v.Locked {
			// Whoever is guessing the admin's password here holds the
			// admin's session: it ends with the lockout.
			s.forget(req.sess.TokenHash)
			if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
				return err
			}
			http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
			return errRedirect("/login")
		}
		s.log.Warn("panic wipe refused: wrong password")
		s.render(req, http.StatusUnauthorized, "panic", s.panicData(req, "panic.wrong_password"))
		return nil
	}
	if !phraseOK {
		s.log.Warn("panic wipe refused: confirmation phrase not typed")
		s.render(req, http.StatusUnprocessableEntity, "panic", s.panicData(req, "panic.wrong_phrase"))
		return nil
	}
	// Stop serving data first, then destroy: no request reads the store
	// from here on, even if the destruction fails half-way.
	s.wiped.Store(true)
	s.log.Warn("panic wipe: destroying the key material") // who is not logged: logs hold no names
	err = s.opts.Wipe()
	if err != nil {
		s.log.Error("panic wipe incomplete", "error", err.Error())
	}
	s.renderWiped(req.w, req.r, err != nil)
	return nil
}

// Wiped reports whether the panic action has run.
func (s *Server) Wiped() bool { return s.wiped.Load() }

// wipedGate answers every request with the wiped page once the panic
// action has run. It touches neither the store nor the session.
func (s *Server) wipedGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.wiped.Load() {
			s.renderWiped(w, r, false)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) renderWiped(w http.ResponseWriter, r *http.Request, incomplete bool) {
	req := &request{w: w, r: r, lang: langFrom(r)}
	req.pre = "wiped" // a fixed binding: no cookie is set, no store is read
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	w.Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	s.render(req, http.StatusGone, "wiped", map[string]any{"Incomplete": incomplete})
}
