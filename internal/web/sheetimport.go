package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/sheetmaps"
	"github.com/rasd-project/rasd/internal/store"
)

// The spreadsheet import wizard (docs/spreadsheets.md, "In the
// browser"): upload an XLSX or CSV file, see its first rows, map its
// columns and their words, see a dry run with every problem by row and
// column, and import all or nothing, through the same importer and
// incidents.Service.Import as 'rasd import --format xlsx|csv --mapping'.
// An import acts as the organisation, as the command line does: it may
// set any verification and visibility and update any record a partner's
// earlier sheet made, so only coordinators, who may do all of that in
// the web, import (docs/access.md).

var importers = onlyRoles(model.RoleCoordinator)

// Wizard limits: what the page previews and lists.
const (
	sheetPreviewRows = 6   // the header row and five more
	sheetSampleRows  = 10  // incidents shown by the dry run
	sheetProblems    = 100 // problems listed by the dry run (docs/web.md, "Weight")
	sheetWords       = 15  // unmapped words asked per column
	sheetCellRunes   = 80  // characters of a previewed cell
	sheetMaxPreview  = 30  // a header row further down is not shown
	// sheetLightColumns is how many columns the mapping page previews
	// and maps at a time (the others are a page away, their choices
	// kept in the form): each column's select lists every field, so a
	// page of this many weighs under 150 KB (TestSheetPageWeight)
	// however wide the sheet.
	sheetLightColumns = 20
)

func (s *Server) registerImport() {
	s.route("GET /import", importers, s.sheetsPage)
	s.route("POST /import", uploads(importers), s.sheetUpload)
	s.route("POST /import/mappings/delete", importers, s.sheetMappingDelete)
	s.route("GET /import/{id}", importers, s.sheetOpen)
	s.route("POST /import/{id}", importers, s.sheetCheck)
}

// sheetsPage is the wizard's first step: the upload form and the saved
// mappings.
type sheetsPage struct {
	Mappings       []model.SheetMapping
	Error, Detail  string
	Deleted        bool
	MaxMB, UnzipMB int
}

func (s *Server) sheetsPage(req *request) error {
	return s.showSheets(req, http.StatusOK, &sheetsPage{Deleted: req.r.URL.Query().Get("deleted") != ""})
}

func (s *Server) showSheets(req *request, status int, p *sheetsPage) error {
	list, err := sheetmaps.New(s.st, s.now).List(req.r.Context())
	if err != nil {
		return err
	}
	p.Mappings, p.MaxMB, p.UnzipMB = list, int(importer.MemoryLimits.File>>20), int(importer.MemoryLimits.Unzip>>20)
	s.render(req, status, "sheets", p)
	return nil
}

// sheetUpload takes the file as a stream, the CSRF token first, into
// memory (never a temporary file: see evidenceUpload), checks that it
// opens as a sheet within importer.MemoryLimits, holds it for the
// session and goes to the mapping step.
func (s *Server) sheetUpload(req *request) error {
	mr, err := req.r.MultipartReader()
	if err != nil {
		return errBadForm
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return errCSRF
	}
	tok, _ := io.ReadAll(io.LimitReader(part, 256))
	if !s.sessionCSRF(req, string(tok)) {
		return errCSRF
	}
	var mapping, name string
	var data []byte
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return uploadError(err)
		}
		switch part.FormName() {
		case "mapping":
			b, _ := io.ReadAll(io.LimitReader(part, 4*sheetmaps.MaxName))
			mapping = string(b)
		case "file":
			if part.FileName() == "" {
				continue
			}
			name = uploadName(part.FileName())
			if data, err = io.ReadAll(io.LimitReader(part, importer.MemoryLimits.File+1)); err != nil {
				return uploadError(err)
			}
		}
	}
	p := &sheetsPage{}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	switch {
	case name == "" || len(data) == 0:
		p.Error = "sheets.error.no_file"
	case format != "xlsx" && format != "csv":
		p.Error = "sheets.error.type"
	case int64(len(data)) > importer.MemoryLimits.File:
		p.Error = "sheets.error.too_large"
	}
	if p.Error == "" {
		sheet, err := importer.OpenSheetLimited(bytes.NewReader(data), name, format, "", importer.MemoryLimits)
		if err == nil {
			_, err = importer.Preview(sheet, 1)
			sheet.Close()
		}
		if err != nil {
			p.Error, p.Detail = "sheets.error.unreadable", err.Error()
		}
	}
	if p.Error != "" {
		clear(data)
		return s.showSheets(req, http.StatusUnprocessableEntity, p)
	}
	hs := &heldSheet{id: randomToken(), session: req.sess.TokenHash, userID: req.user.ID, name: name, format: format, data: data}
	if !s.sheets.put(hs, s.now()) {
		clear(data)
		return &httpError{http.StatusServiceUnavailable, "sheets.error.busy"}
	}
	to := "/import/" + hs.id
	if mapping != "" {
		to += "?mapping=" + url.QueryEscape(mapping)
	}
	return errRedirect(to)
}

func (s *Server) sheetMappingDelete(req *request) error {
	name := req.r.PostForm.Get("name")
	if name == "" {
		return errBadForm
	}
	if err := sheetmaps.New(s.st, s.now).Delete(req.r.Context(), req.user.Username, name); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		return err
	}
	return errRedirect("/import?deleted=1")
}

// heldSheet finds the request's sheet: one of its own session's.
func (s *Server) heldSheet(req *request) (*heldSheet, error) {
	hs := s.sheets.get(req.r.PathValue("id"), req.sess.TokenHash, s.now())
	if hs == nil {
		return nil, errNotFound
	}
	return hs, nil
}

// sheetOpen is the mapping step: the sheet's first rows and a mapping
// proposed from its header (importer.Suggest), or a saved one (then
// checked at once).
func (s *Server) sheetOpen(req *request) error {
	hs, err := s.heldSheet(req)
	if err != nil {
		return err
	}
	w := &sheetWork{s: s, req: req, hs: hs}
	if name := req.r.URL.Query().Get("mapping"); name != "" {
		m, err := sheetmaps.New(s.st, s.now).Get(req.r.Context(), name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return errNotFound
		case err != nil:
			w.p.MappingErrors = []string{err.Error()}
			m = newMapping()
		}
		w.p.SaveName = name
		return w.run(m, true, "check")
	}
	return w.run(nil, false, "")
}

// sheetCheck is every later step: the mapping form checked, with a dry
// run; saved under a name; or imported.
func (s *Server) sheetCheck(req *request) error {
	hs, err := s.heldSheet(req)
	if err != nil {
		return err
	}
	w := &sheetWork{s: s, req: req, hs: hs}
	w.p.SaveName = req.r.PostForm.Get("save_as")
	action := req.r.PostForm.Get("action")
	if req.r.PostForm.Has("cols") {
		action = "cols" // another page of columns: no dry run
	}
	return w.run(nil, true, action)
}
