package web

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// portalPaths are the public site's paths when it is served (the layout
// of docs/portal.md): its root page and stylesheet, a directory per
// language and the open data.
var portalPaths = []string{"/{$}", "/index.html", "/portal.css", "/ar/{path...}", "/en/{path...}", "/data/{path...}"}

// errPortalNotReady answers the portal's paths while the first site is
// generated.
var errPortalNotReady = &httpError{http.StatusServiceUnavailable, "portal.not_ready"}

// portalTypes are the content types of the files a generated portal
// holds (package portal); anything else is served as bytes.
var portalTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".atom": "application/atom+xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".json": "application/json", ".jsonl": "application/jsonl", ".geojson": "application/geo+json",
	".md": "text/markdown; charset=utf-8",
}

// portal serves the generated public site (Options.Portal) read-only at
// /, with the same security headers as every page. Files only: a
// directory is served by its index.html and never listed.
func (s *Server) portal(req *request) error {
	fsys := s.opts.Portal()
	if fsys == nil {
		req.w.Header().Set("Retry-After", "60")
		return errPortalNotReady
	}
	name := strings.TrimPrefix(req.r.URL.Path, "/") // the site's layout is the URL's
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if !fs.ValidPath(name) {
		return errNotFound
	}
	f, err := fsys.Open(name)
	if err != nil {
		return errNotFound
	}
	defer f.Close()
	info, err := f.Stat()
	rs, seekable := f.(io.ReadSeeker)
	if err != nil || !info.Mode().IsRegular() || !seekable {
		return errNotFound
	}
	ct, ok := portalTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	req.w.Header().Set("Content-Type", ct)
	req.w.Header().Set("Cache-Control", "public, max-age=300")
	http.ServeContent(req.w, req.r, name, info.ModTime(), rs)
	return nil
}
