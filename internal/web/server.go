// Package web is rasd's browser interface: server-rendered pages in Arabic
// and English that need no JavaScript, behind accounts with mandatory TOTP,
// role policies on every route and strict security headers.
package web

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/api"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/tokens"
)

// Options configure a Server.
type Options struct {
	Store store.Store
	// Active is how many requests may work at once; more wait in line
	// (admit.go). 0: one per core on SQLite, four per core on PostgreSQL.
	Active int
	// SecretKey (32 bytes, from the keyring) seals TOTP secrets and keys
	// CSRF tokens and the per-client login counter.
	SecretKey []byte
	Logger    *slog.Logger
	// IdleTimeout and MaxAge bound a session's life.
	IdleTimeout, MaxAge time.Duration
	// Now is the clock (tests move it).
	Now func() time.Time
	// Sleep slows answers after failed sign-ins (tests record instead).
	Sleep func(time.Duration)
	// Insecure drops the Secure flag from cookies, for plain-HTTP tests
	// with clients that refuse Secure cookies on http://. Never in serve.
	Insecure bool
	// Portal, if set, returns the generated public site (package portal),
	// served read-only to anyone at / (its index.html, portal.css, ar/,
	// en/ and data/); nil while it is being generated. The signed-in
	// interface then starts at /app and keeps every other path.
	Portal func() fs.FS
	// Evidence, if set, keeps evidence files (uploads, downloads).
	Evidence *evidence.Service
	// Wipe, if set, crypto-erases the instance's key material (the admin
	// panic action, see panic.go); nil disables the action.
	Wipe func() error
	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-For header is believed (clientaddr.go); none by default.
	TrustedProxies []netip.Prefix
}

// Server serves the web interface.
type Server struct {
	opts   Options
	st     store.Store
	people *people.People
	prot   *protection.Service // people at risk (docs/protection.md)
	// justice: commitments, committees, judicial steps (accountability.go)
	justice *justice.Service
	// kindPaths are where each record kind's pages are, by kind name.
	kindPaths map[string]string
	routes    []Route
	mux       *http.ServeMux
	pages     map[string]map[string]*template.Template // language → page
	acc       *accounts.Service                        // every write of an account or a session
	log       *slog.Logger
	now       func() time.Time
	totpKey   []byte      // seals TOTP secrets
	csrfKey   []byte      // keys CSRF tokens
	wiped     atomic.Bool // set by the panic action: serve nothing but the wiped page
	// rendered, when a test sets it, hears which template drew each page.
	rendered func(lang, name string)
	// held keeps sessions' unsealed private keys (sessionkeys.go).
	held *heldKeys
	// incidents reads and writes incidents by their rules.
	incidents *incidents.Service
	// tokens are the API's personal access tokens; api the API itself.
	tokens *tokens.Service
	api    *api.API
	// sheets are the import wizard's uploads (sheetuploads.go).
	sheets *heldSheets
}

// New builds a server and its routes.
func New(opts Options) (*Server, error) {
	if opts.Store == nil || len(opts.SecretKey) != 32 {
		return nil, errors.New("web: a store and a 32-byte secret key are required")
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.MaxAge == 0 {
		opts.MaxAge = 12 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = time.Sleep
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{opts: opts, st: opts.Store, mux: http.NewServeMux(), log: opts.Logger, now: opts.Now,
		held: newHeldKeys(opts.IdleTimeout), sheets: newHeldSheets(opts.Now),
		incidents: incidents.New(opts.Store, opts.Now)}
	s.people = people.New(opts.Store, func() time.Time { return s.now() })
	s.prot = protection.New(opts.Store, func() time.Time { return s.now() })
	s.justice = justice.New(opts.Store, func() time.Time { return s.now() })
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.totpKey, s.csrfKey = subkey(opts.SecretKey, "totp"), subkey(opts.SecretKey, "csrf")
	s.acc = accounts.New(opts.Store, accounts.Options{TOTPKey: s.totpKey, Now: opts.Now,
		IdleTimeout: opts.IdleTimeout, MaxAge: opts.MaxAge, Counters: opts.Store, CountKey: subkey(opts.SecretKey, "sign-in counts")})
	s.tokens = tokens.New(opts.Store, subkey(opts.SecretKey, "api tokens"), func() time.Time { return s.now() })
	s.api = api.New(api.Options{Store: opts.Store, Tokens: s.tokens, Incidents: s.incidents, People: s.people,
		Now: func() time.Time { return s.now() }, Logger: opts.Logger})
	s.register()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Pattern, s.wrap(rt))
	}
	return s, nil
}

func subkey(key []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, key, nil, "rasd web "+purpose, 32)
	if err != nil {
		panic(err)
	}
	return k
}

func encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func decode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// Handler is the whole interface with its outer middleware.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	return s.headers(s.compress(s.wipedGate(cop.Handler(s.limitBody(s.admit(s.notFoundFallback(s.mux)))))))
}

// limitBody bounds every request body: 2 MiB, or the evidence size limit
// for an evidence upload, or the wizard's for a spreadsheet.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(2 << 20)
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/evidence") &&
			(strings.HasPrefix(r.URL.Path, "/incidents/") || strings.HasPrefix(r.URL.Path, "/persons/")) {
			limit = s.uploadLimit()
		}
		if r.Method == http.MethodPost && r.URL.Path == "/import" { // a spreadsheet (sheetimport.go)
			limit = importer.MemoryLimits.File + 1<<20
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// ServeOptions say where and how to listen.
type ServeOptions struct {
	Addr              string
	CertFile, KeyFile string
	Ready             func(addr string) // called once listening
}

// Serve listens until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, o ServeOptions) error {
	srv := &http.Server{
		Handler:           s.Handler(), // bodies limited in Handler
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.errorLog(), // without client addresses
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if o.CertFile != "" {
			errc <- srv.ServeTLS(ln, o.CertFile, o.KeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
