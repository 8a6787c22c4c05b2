package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/tokens"
)

// The API's personal access tokens (docs/api.md): each user makes and
// revokes their own; a new token's secret is shown once, on the answer
// to the form, and never again.

type tokenRow struct {
	model.Token
	Created, Expires, LastUsed string // YYYY-MM-DD
	Live                       bool
}

type tokensPage struct {
	Tokens        []tokenRow
	Secret        string // a token just made: shown once
	Error, Field  string
	Name, Scope   string
	Days          int
	Revoked       bool
	MaxDays, Rate int
}

func (s *Server) tokensPage(req *request) error {
	return s.showTokens(req, http.StatusOK, &tokensPage{Revoked: req.r.URL.Query().Get("revoked") != ""})
}

func (s *Server) showTokens(req *request, status int, p *tokensPage) error {
	ts, err := s.tokens.List(req.r.Context(), req.user)
	if err != nil {
		return err
	}
	day := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	for _, t := range ts {
		r := tokenRow{Token: t, Created: day(t.CreatedAt), Expires: day(t.ExpiresAt), Live: tokens.Live(&t, s.now())}
		if t.LastUsedAt != nil {
			r.LastUsed = day(*t.LastUsedAt)
		}
		p.Tokens = append(p.Tokens, r)
	}
	if p.Scope == "" {
		p.Scope = model.ScopeRead
	}
	if p.Days == 0 {
		p.Days = 90
	}
	p.MaxDays, p.Rate = tokens.MaxDays, tokens.PerMinute
	req.w.Header().Set("Cache-Control", "no-store") // the page may hold a secret
	s.render(req, status, "tokens", p)
	return nil
}

func (s *Server) createToken(req *request) error {
	f := req.r.PostForm
	p := &tokensPage{Name: f.Get("name"), Scope: f.Get("scope")}
	days, err := strconv.Atoi(f.Get("days"))
	if err != nil {
		days = -1
	}
	p.Days = days
	secret, _, err := s.tokens.Create(req.r.Context(), req.user, p.Name, p.Scope, days)
	var ie *tokens.InputError
	if errors.As(err, &ie) {
		p.Error, p.Field = ie.Key, ie.Field
		if p.Days < 1 {
			p.Days = 0
		}
		return s.showTokens(req, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return s.showTokens(req, http.StatusCreated, &tokensPage{Secret: secret})
}

func (s *Server) revokeToken(req *request) error {
	err := s.tokens.Revoke(req.r.Context(), req.user, req.r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	return errRedirect("/account/tokens?revoked=1")
}
