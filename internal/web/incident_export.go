package web

import (
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/export"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

// incidentExport downloads the whole list the query selects, in the
// format asked (docs/exports.md): what the user may see, as the list
// shows it, written as it is read.
func (s *Server) incidentExport(req *request) error {
	v := req.r.URL.Query()
	format := v.Get("format")
	if format == "" {
		format = "csv"
	}
	if !slices.Contains(export.Formats, format) {
		http.Error(req.w, "format must be csv, xlsx or json", http.StatusBadRequest)
		return nil
	}
	q := parseListQuery(v)
	f, fromBad, toBad := q.filter()
	if fromBad || toBad {
		http.Error(req.w, "from and to must be dates such as 2019, 2019-10 or 2019-10-25", http.StatusBadRequest)
		return nil
	}
	f.Limit, f.Offset = 0, 0
	h := req.w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": "rasd-incidents-" + s.now().UTC().Format("2006-01-02") + "." + format}))
	h.Set("Content-Security-Policy", csp+"; sandbox")
	h.Set("Cache-Control", "no-store")
	http.NewResponseController(req.w).SetWriteDeadline(time.Now().Add(time.Hour))
	n, err := export.Write(req.w, format, func(fn func(*model.Incident) error) error {
		return s.incidents.Each(req.r.Context(), incidents.As(req.user), f, q.Vis, fn)
	})
	if err != nil {
		// The status is sent; a cut download is the client's sign. No
		// filter or content in the log: only that it failed.
		s.log.Warn("export failed", "format", format, "written", n, "err", err)
	}
	return nil
}
