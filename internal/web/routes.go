package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/rasd-project/rasd/internal/api"

	"github.com/rasd-project/rasd/internal/model"
)

// policy is who may call a route. Every route declares one; the zero
// policy is refused at registration, so nothing is reachable by accident.
type policy struct {
	name     string
	public   bool     // no session needed (login page, assets)
	halfway  bool     // password given, second factor pending (TOTP, enrolment)
	roles    []string // signed-in users with one of these roles; nil = every role
	declared bool
	upload   bool // streamed multipart body: the handler checks CSRF (see uploads)
	// token: an API route (package api), which reads no session or
	// cookie and needs no CSRF token: it checks the request's personal
	// access token itself, and answers problems, not pages.
	token bool
}

var (
	public   = policy{name: "public", public: true, declared: true}
	halfway  = policy{name: "password-verified", halfway: true, declared: true}
	signedIn = policy{name: "signed-in", declared: true}
)

// apiPolicy is an API route's: a token of any scope, a read-write one,
// or none (the OpenAPI document).
func apiPolicy(rt api.Route) policy {
	switch {
	case rt.Public:
		return policy{name: "api public", public: true, token: true, declared: true}
	case rt.Write:
		return policy{name: "api token read-write", token: true, declared: true}
	}
	return policy{name: "api token read", token: true, declared: true}
}

func onlyRoles(roles ...string) policy {
	return policy{name: fmt.Sprint("roles", roles), roles: roles, declared: true}
}

func (p policy) allows(u *model.User) bool {
	return p.roles == nil || (u != nil && slices.Contains(p.roles, u.Role))
}

// Route is one entry of the router, exported for the tests that walk it
// (authorisation matrix, headers on every route).
type Route struct {
	Pattern string // "GET /incidents/{id}"
	Policy  string
	pol     policy
	h       handler
	raw     http.Handler // an API route's whole handling
}

// Routes lists every route the server answers.
func (s *Server) Routes() []Route { return s.routes }

func (s *Server) route(pattern string, p policy, h handler) {
	if !p.declared {
		panic("web: route " + pattern + " has no policy")
	}
	s.routes = append(s.routes, Route{Pattern: pattern, Policy: p.name, pol: p, h: h})
}

// register declares every route. Handlers live in files named for what
// they serve.
func (s *Server) register() {
	s.route("GET /static/{file}", public, s.static)
	s.route("GET /login", public, s.loginForm)
	s.route("POST /login", public, s.login)
	s.route("POST /lang", public, s.setLang)
	s.route("GET /login/totp", halfway, s.totpForm)
	s.route("POST /login/totp", halfway, s.totp)
	s.route("GET /enrol", halfway, s.enrolForm)
	s.route("POST /enrol", halfway, s.enrol)
	s.route("POST /logout", signedIn, s.logout)
	if s.opts.Portal != nil {
		s.route("GET /app", signedIn, s.home) // the public portal has /
	} else {
		s.route("GET /{$}", signedIn, s.home)
	}
	s.route("GET /search", signedIn, s.search)
	s.route("GET /dashboard", signedIn, s.dashboard)
	s.route("GET /dashboard/receipt", signedIn, s.dashboardReceipt)
	s.registerRecords()
	s.registerEvidence()
	s.registerAccount()
	s.registerImport()
	for _, rt := range s.api.Routes() {
		s.routes = append(s.routes, Route{Pattern: rt.Pattern, Policy: apiPolicy(rt).name, pol: apiPolicy(rt), raw: s.api.Handler(rt)})
	}
	s.route("GET /admin/users", onlyRoles(model.RoleAdmin), s.usersPage)
	s.route("POST /admin/users/{id}/end-sessions", onlyRoles(model.RoleAdmin), s.endSessions)
	s.route("POST /admin/users/{id}/disable", onlyRoles(model.RoleAdmin), s.setDisabled(true))
	s.route("POST /admin/users/{id}/enable", onlyRoles(model.RoleAdmin), s.setDisabled(false))
	s.route("GET /admin/panic", onlyRoles(model.RoleAdmin), s.panicForm)
	s.route("POST /admin/panic", onlyRoles(model.RoleAdmin), s.panicWipe)
	if s.opts.Portal != nil { // the public site's files (docs/portal.md), none of which the application uses
		for _, p := range portalPaths {
			s.route("GET "+p, public, s.portal)
		}
	}
}

// homePath is where the signed-in interface starts: / alone, /app when
// the public portal has /.
func (s *Server) homePath() string {
	if s.opts.Portal != nil {
		return "/app"
	}
	return "/"
}
