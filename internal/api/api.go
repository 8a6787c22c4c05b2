// Package api is rasd's JSON API under /api/v1 (docs/api.md): thin, like
// the web — it reads a request, calls the domain services (incidents,
// people, stats, vocab) as the token's user, and writes JSON. Every
// request carries a personal access token (package tokens); every error
// is an RFC 9457 problem. The OpenAPI document (openapi.json, embedded)
// describes every route, and the tests validate every answer against it.
package api

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/tokens"
)

// OpenAPI is the API's OpenAPI 3.1 document, served at /api/openapi.json
// and kept, equal, in docs/openapi.json (a test compares them).
//
//go:embed openapi.json
var OpenAPI []byte

// maxBody bounds a request body: a record is far smaller.
const maxBody = 1 << 20

// Options configure an API.
type Options struct {
	Store     store.Store
	Tokens    *tokens.Service
	Incidents *incidents.Service
	People    *people.People
	Now       func() time.Time
	Logger    *slog.Logger
}

// API answers the routes of Routes.
type API struct {
	o Options
}

// New makes the API.
func New(o Options) *API {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &API{o: o}
}

// Route is one route of the API: Write says it changes records (a
// read-write token's), Public that it needs no token (the document).
type Route struct {
	Pattern string // "GET /api/v1/incidents/{id}"
	Write   bool
	Public  bool
	h       func(*call) error
}

// call is one request: its user, as the token says.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	ctx  context.Context
	user *model.User
}

// Routes lists every route, in the order of the document.
func (a *API) Routes() []Route {
	rs := []Route{
		{Pattern: "GET /api/openapi.json", Public: true, h: a.document},
		{Pattern: "GET /api/v1/incidents", h: a.listIncidents},
		{Pattern: "POST /api/v1/incidents", Write: true, h: a.createIncident},
		{Pattern: "GET /api/v1/incidents/{id}", h: a.getIncident},
		{Pattern: "PUT /api/v1/incidents/{id}", Write: true, h: a.updateIncident},
		{Pattern: "GET /api/v1/search", h: a.search},
		{Pattern: "GET /api/v1/statistics", h: a.statistics},
		{Pattern: "GET /api/v1/vocabularies", h: a.vocabularies},
		{Pattern: "GET /api/v1/vocabularies/{name}", h: a.vocabulary},
		{Pattern: "GET /api/v1/gazetteer", h: a.gazetteer},
	}
	return append(rs, a.recordRoutes()...)
}

// Handler serves rt: the token, then the route, then any error as a
// problem. Logs name the route, never the path, query or token.
func (a *API) Handler(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, ctx: r.Context()}
		defer func() {
			if p := recover(); p != nil {
				a.o.Logger.Error("api panic", "route", rt.Pattern)
				a.fail(c, rt, errors.New("internal error"))
			}
		}()
		if !rt.Public {
			u, err := a.authenticate(r, rt)
			if err != nil {
				a.fail(c, rt, err)
				return
			}
			c.user = u
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := rt.h(c); err != nil {
			a.fail(c, rt, err)
		}
	})
}

// authenticate reads "Authorization: Bearer TOKEN".
func (a *API) authenticate(r *http.Request, rt Route) (*model.User, error) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, tokens.ErrUnauthorized
	}
	u, _, err := a.o.Tokens.Authenticate(r.Context(), strings.TrimSpace(secret), rt.Write, rt.Pattern)
	return u, err
}

func (a *API) document(c *call) error {
	c.w.Header().Set("Content-Type", "application/json")
	_, err := c.w.Write(OpenAPI)
	return err
}
