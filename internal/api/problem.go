package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/tokens"
)

// problem is an RFC 9457 problem detail. Errors, when given, name each
// field (a JSON path like "victims[0].outcome", or a query parameter)
// and what is wrong with it.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

type fieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// badInput is a request the client should correct (400): a body or a
// parameter that is not what the document says.
type badInput struct {
	status int // 0: 400
	errs   []fieldError
}

func (e *badInput) Error() string { return "bad input: " + e.errs[0].Field + ": " + e.errs[0].Detail }

func bad(field, detail string) error { return &badInput{errs: []fieldError{{field, detail}}} }

// invalid is a record the rules refused (422), field by field.
func invalid(errs ...fieldError) error {
	return &badInput{status: http.StatusUnprocessableEntity, errs: errs}
}

// recordProblems turns a kind's refused fields (message keys) into field
// errors, in field order.
func recordProblems(errs record.Errors) error {
	var out []fieldError
	for f, key := range errs {
		out = append(out, fieldError{f, i18n.T("en", key)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return invalid(out...)
}

// fail writes err as a problem.
func (a *API) fail(c *call, rt Route, err error) {
	p := problem{Status: http.StatusInternalServerError, Title: "Internal error",
		Detail: "the request could not be completed; nothing about it is in the answer"}
	var bi *badInput
	var one *incidents.Error
	var list incidents.ErrorList
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &bi):
		p.Status, p.Title, p.Errors = http.StatusBadRequest, "Bad request", bi.errs
		if bi.status != 0 {
			p.Status, p.Title = bi.status, "The record breaks a rule"
		}
		p.Detail = bi.errs[0].Field + ": " + bi.errs[0].Detail
	case errors.As(err, &tooBig):
		p.Status, p.Title, p.Detail = http.StatusRequestEntityTooLarge, "Body too large", "a request body may hold at most 1 MiB"
	case errors.Is(err, tokens.ErrUnauthorized):
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="rasd"`)
		p.Status, p.Title, p.Detail = http.StatusUnauthorized, "Token needed", err.Error()
	case errors.Is(err, tokens.ErrRateLimited):
		c.w.Header().Set("Retry-After", "60")
		p.Status, p.Title, p.Detail = http.StatusTooManyRequests, "Too many requests", err.Error()
	case errors.Is(err, tokens.ErrScope):
		p.Status, p.Title, p.Detail = http.StatusForbidden, "Beyond the token's scope", err.Error()
	case errors.Is(err, incidents.ErrForbidden), errors.Is(err, records.ErrForbidden):
		p.Status, p.Title, p.Detail = http.StatusForbidden, "Not allowed", "your role may not do this to this record"
	case errors.Is(err, store.ErrNotFound), errors.Is(err, incidents.ErrNotFound):
		p.Status, p.Title, p.Detail = http.StatusNotFound, "Not found", "no record you may see has this ID"
	case errors.Is(err, store.ErrConflict):
		p.Status, p.Title, p.Detail = http.StatusConflict, "Changed meanwhile", store.ErrConflict.Error()
	case errors.Is(err, keys.ErrRestrictedNeedsKey), errors.Is(err, store.ErrUnsealNeedsMember):
		p.Status, p.Title = http.StatusUnprocessableEntity, "The record breaks a rule"
		p.Errors = []fieldError{{"visibility", "a token holds no key: restricted records are written on the web, by a member of the protection compartment"}}
		p.Detail = p.Errors[0].Field + ": " + p.Errors[0].Detail
	case errors.As(err, &list) || errors.As(err, &one):
		if one != nil {
			list = incidents.ErrorList{one}
		}
		p.Status, p.Title = http.StatusUnprocessableEntity, "The record breaks a rule"
		for _, e := range list {
			p.Errors = append(p.Errors, fieldError{e.Field, e.Err.Error()})
		}
		p.Detail = list.Error()
	default:
		a.o.Logger.Error("api request failed", "route", rt.Pattern, "error", err.Error())
	}
	p.Type = "about:blank"
	h := c.w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", "en")
	c.w.WriteHeader(p.Status)
	json.NewEncoder(c.w).Encode(p)
}

// reply writes v as JSON with status.
func reply(c *call, status int, v any) error {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	return json.NewEncoder(c.w).Encode(v)
}
