package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// Responses of text are gzipped for the browsers that accept it: pages
// shrink five- to twentyfold, which is what makes them usable over a slow
// or metered link (docs/web.md, BENCHMARKS.md).
//
// Compression reveals, through a response's size, whether text an attacker
// sends (reflected in the page) repeats a secret on it (BREACH). So a page
// carries no secret that compression could reveal: the CSRF token is
// masked afresh for every response (csrf.go), and the pages that show a
// secret in full (the authenticator key, recovery codes) are never
// compressed (request.secret). The session cookie is SameSite=Strict, so a
// cross-site request is not signed in at all.

// compressible lists the media types worth compressing.
var compressible = map[string]bool{
	"text/html": true, "text/css": true, "text/plain": true, "text/csv": true,
	"application/json": true, "application/geo+json": true, "image/svg+xml": true, "application/xml": true,
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return w
}}

// compress gzips text responses for clients that accept gzip.
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if r.Method != http.MethodHead {
				w.Header().Add("Vary", "Accept-Encoding")
			}
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reads an Accept-Encoding header: gzip listed, and not with
// q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// gzipWriter decides at the response's head whether to compress it.
type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
	off     bool // a page holding a secret (request.secret)
}

func (w *gzipWriter) WriteHeader(code int) {
	if !w.decided {
		w.decide(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) decide(code int) {
	w.decided = true
	h := w.Header()
	media, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !compressible[media] {
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if w.off || code < 200 || code == http.StatusNoContent || code == http.StatusNotModified || code == http.StatusPartialContent || h.Get("Content-Encoding") != "" {
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	w.gz = gzipWriters.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
}

// Flush sends what is compressed so far.
func (w *gzipWriter) Flush() {
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.gz == nil {
		return
	}
	w.gz.Close()
	w.gz.Reset(io.Discard)
	gzipWriters.Put(w.gz)
	w.gz = nil
}

// secret marks the response as holding a secret shown in full: it is sent
// uncompressed. Call it before the response is written.
func (req *request) secret() {
	for w := req.w; w != nil; {
		if gw, ok := w.(*gzipWriter); ok {
			gw.off = true
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}
