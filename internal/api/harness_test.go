package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/tokens"
)

// The validator is built once: the document does not change.
var (
	validatorOnce sync.Once
	docValidator  validator.Validator
	docErr        error
)

func openAPIValidator(t testing.TB) validator.Validator {
	t.Helper()
	validatorOnce.Do(func() {
		doc, err := libopenapi.NewDocument(OpenAPI)
		if err != nil {
			docErr = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			docErr = errs[0]
			return
		}
		docValidator = v
	})
	if docErr != nil {
		t.Fatalf("the OpenAPI document: %v", docErr)
	}
	return docValidator
}

// harness is an API over a real store, with a clock and a user and
// tokens per role.
type harness struct {
	t      testing.TB
	st     store.Store
	ts     *httptest.Server
	tok    *tokens.Service
	now    time.Time
	mu     sync.Mutex
	checks int // responses validated
}

func newHarness(t testing.TB, st store.Store) *harness {
	h := &harness{t: t, st: st, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.now
	}
	h.tok = tokens.New(st, make([]byte, 32), clock)
	inc := incidents.New(st, clock)
	a := New(Options{Store: st, Tokens: h.tok, Incidents: inc, People: people.New(st, clock), Now: clock})
	mux := http.NewServeMux()
	for _, rt := range a.Routes() {
		mux.Handle(rt.Pattern, a.Handler(rt))
	}
	h.ts = httptest.NewServer(mux)
	t.Cleanup(h.ts.Close)
	return h
}

func (h *harness) user(name, role string) *model.User {
	h.t.Helper()
	u := &model.User{Username: name, Role: role, Lang: "en", PasswordHash: account.HashPassword("a long test password")}
	if err := h.st.CreateUser(context.Background(), "test", u); err != nil {
		h.t.Fatal(err)
	}
	return u
}

func (h *harness) token(u *model.User, scope string) string {
	h.t.Helper()
	secret, _, err := h.tok.Create(context.Background(), u, "test "+scope, scope, 30)
	if err != nil {
		h.t.Fatal(err)
	}
	return secret
}

// answer is a response, its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%s: %v", a.body, err)
	}
}

// problem reads a problem answer's fields at fault.
func (a answer) fields(t testing.TB) []string {
	t.Helper()
	var p problem
	a.json(t, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// do sends a request with token (none if "") and body (JSON of it, or
// raw bytes, or nil), and validates the response against the OpenAPI
// document: status, content type and body schema.
func (h *harness) do(method, path, token string, body any) answer {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, h.ts.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: b}
	h.validate(req, resp, b)
	return a
}

func (h *harness) validate(req *http.Request, resp *http.Response, body []byte) {
	h.t.Helper()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	vreq := req.Clone(context.Background())
	vreq.URL.Scheme, vreq.URL.Host = "", ""
	ok, errs := openAPIValidator(h.t).ValidateHttpResponse(vreq, resp)
	if !ok {
		var msgs []string
		for _, e := range errs {
			m := e.Message + ": " + e.Reason
			for _, se := range e.SchemaValidationErrors {
				m += "\n\t\t" + se.FieldPath + ": " + se.Reason
			}
			msgs = append(msgs, m)
		}
		h.t.Errorf("%s %s → %d does not match the OpenAPI document:\n\t%s\n\tbody: %.400s", req.Method, req.URL.Path,
			resp.StatusCode, strings.Join(msgs, "\n\t"), body)
	}
	h.mu.Lock()
	h.checks++
	h.mu.Unlock()
}
