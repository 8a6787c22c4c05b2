package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/sheetmaps"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
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
	sheetProblems    = 200 // problems listed by the dry run
	sheetWords       = 40  // unmapped words asked per column
	sheetMaxPreview  = 30  // a header row further down is not shown
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
	return w.run(nil, true, req.r.PostForm.Get("action"))
}

func newMapping() *importer.Mapping {
	return &importer.Mapping{Format: importer.MappingFormat, Version: importer.MappingVersion}
}

// sheetWork is one request of the mapping step.
type sheetWork struct {
	s   *Server
	req *request
	hs  *heldSheet
	p   sheetPage
}

func (w *sheetWork) open(sheetName string) (importer.Sheet, error) {
	return importer.OpenSheetLimited(bytes.NewReader(w.hs.data), w.hs.name, w.hs.format, sheetName, importer.MemoryLimits)
}

// run draws the mapping page for m (nil: from the form when fromForm,
// else the header's suggestions); with check, it checks the mapping and
// dry-runs it; action "save" saves it, "import" imports the sheet when
// the dry run is clean.
func (w *sheetWork) run(m *importer.Mapping, check bool, action string) error {
	ctx := w.req.r.Context()
	p := &w.p
	p.ID, p.Name, p.Format = w.hs.id, w.hs.name, w.hs.format
	var form url.Values
	if m == nil && check {
		form = w.req.r.PostForm
		m = newMapping()
		m.Sheet = strings.TrimSpace(form.Get("sheet"))
		m.HeaderRow = formInt(form.Get("header_row"))
	}
	if m == nil {
		m = newMapping()
	}
	sheet, err := w.open(m.Sheet)
	if err != nil {
		p.MappingErrors = append(p.MappingErrors, err.Error())
		m.Sheet = ""
		if sheet, err = w.open(""); err != nil {
			return err
		}
	}
	defer sheet.Close()
	if p.Rows, err = importer.Preview(sheet, min(max(sheetPreviewRows, m.HeaderRow+2), sheetMaxPreview)); err != nil {
		return err
	}
	header := headerOf(p.Rows, max(m.HeaderRow, 1))
	if header == nil {
		p.MappingErrors = append(p.MappingErrors, i18n.T(w.req.lang, "sheets.error.header_row", max(m.HeaderRow, 1)))
	}
	switch {
	case form != nil:
		mappingFromForm(m, form, header)
	case !check: // the first view: the suggestions
		for i, f := range importer.Suggest(header) {
			if f != "" {
				m.Columns = append(m.Columns, importer.Column{Column: header[i], Field: f})
			}
		}
		p.Suggested = true
	default: // a saved mapping: its columns this sheet lacks are said
		for _, c := range m.Columns {
			if columnIndex(header, c.Column) < 0 {
				p.MappingErrors = append(p.MappingErrors, i18n.T(w.req.lang, "sheets.error.missing_column", c.Column))
			}
		}
	}
	p.fill(m, header, w.req.lang)
	if check {
		w.check(sheet, m, action)
	}
	if action == "import" && p.Clean {
		done, err := w.importSheet(sheet, m)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	if action == "save" && p.MappingOK {
		if err := sheetmaps.New(w.s.st, w.s.now).Save(ctx, w.req.user.Username, p.SaveName, m); err != nil {
			if !errors.Is(err, sheetmaps.ErrName) {
				return err
			}
			p.SaveError = true
		} else {
			p.Saved = strings.TrimSpace(p.SaveName)
		}
	}
	w.req.w.Header().Set("Cache-Control", "no-store") // the page shows the sheet's cells
	status := http.StatusOK
	if check && !p.Clean {
		status = http.StatusUnprocessableEntity
	}
	w.s.render(w.req, status, "sheet", p)
	return nil
}

// check checks m as a mapping file is checked, then reads every row
// through it (the dry run), keeping the problems and the first
// incidents.
func (w *sheetWork) check(sheet importer.Sheet, m *importer.Mapping, action string) {
	p := &w.p
	p.Checked = true
	if len(p.MappingErrors) > 0 {
		return
	}
	if err := m.Check(); err != nil {
		p.MappingErrors = strings.Split(strings.TrimPrefix(err.Error(), "mapping: "), "; ")
		return
	}
	p.MappingOK = true
	if words, err := importer.Unmatched(sheet, m, sheetWords); err == nil {
		p.addWords(words)
	}
	sf, err := importer.ReadSheetUpTo(sheet, m, w.hs.name, sheetProblems)
	if err != nil {
		p.Problems = sheetProblemsOf(err)
		return
	}
	p.Count = sf.Len()
	errEnough := errors.New("enough")
	sf.Each(func(inc *model.Incident) error {
		if len(p.Sample) == sheetSampleRows {
			return errEnough
		}
		p.Sample = append(p.Sample, *inc)
		return nil
	})
	p.Clean = true
}

// importSheet imports the checked sheet in one transaction, as the
// command line does. Restricted rows are sealed with the user's key in
// the protection compartment; without it nothing is imported. It says
// whether it drew the page.
func (w *sheetWork) importSheet(sheet importer.Sheet, m *importer.Mapping) (bool, error) {
	p := &w.p
	ctx := w.req.r.Context()
	sf, err := importer.ReadSheetUpTo(sheet, m, w.hs.name, sheetProblems)
	if err != nil {
		p.Clean, p.Problems = false, sheetProblemsOf(err)
		return false, nil
	}
	var rs *keys.RecordSealer
	sealer := func() bool {
		var errKey string
		rs, errKey, err = w.s.recordSealer(w.req, true)
		if errKey != "" {
			p.Clean, p.ImportError = false, errKey
			return false
		}
		return err == nil
	}
	if num, _ := sf.First(keys.Restricted); num > 0 && !sealer() {
		return false, err
	}
	res, err := w.s.incidents.Import(ctx, w.req.user.Username, sf.Len(), sf.Each, rs, nil)
	var restricted *incidents.RestrictedError
	if rs == nil && (errors.As(err, &restricted) || errors.Is(err, store.ErrUnsealNeedsMember)) {
		if !sealer() {
			return false, err
		}
		res, err = w.s.incidents.Import(ctx, w.req.user.Username, sf.Len(), sf.Each, rs, nil)
	}
	if rs != nil {
		rs.Close()
	}
	var refused *incidents.RecordError
	var problem *importer.Error
	switch {
	case errors.As(err, &problem), errors.As(err, &refused):
		p.Clean, p.Problems = false, sheetProblemsOf(err)
		return false, nil
	case err != nil:
		return false, err
	}
	w.s.sheets.drop(w.hs.id)
	w.s.render(w.req, http.StatusOK, "sheet_done", &sheetDone{Name: w.hs.name, Result: res})
	return true, nil
}

type sheetDone struct {
	Name   string
	Result store.ImportResult
}

// sheetPage is what sheet.html shows.
type sheetPage struct {
	ID, Name, Format string
	Rows             []importer.PreviewRow
	Width            int // cells in the widest preview row
	Sheet            string
	HeaderRow        int
	System           string
	DateFormats      string
	Columns          []sheetColumn
	Fields           []option
	Defaults         map[string]string
	Suggested        bool
	Checked, Clean   bool
	MappingOK        bool
	MappingErrors    []string
	Problems         []sheetProblem
	Count            int
	Sample           []model.Incident
	SaveName, Saved  string
	SaveError        bool
	ImportError      string
}

// sheetColumn is one column of the header row in the mapping form.
type sheetColumn struct {
	Index          int
	Letter, Header string
	Field          string
	Vocab          string // what its values are coded in ("" none)
	Values         []sheetValue
	Choices        []option
}

type sheetValue struct{ Word, Code string }

type sheetProblem struct {
	Row                   int
	Column, Field, Detail string
}

// The defaults the form offers: the fields a partner's sheet most often
// leaves to the organisation.
var sheetDefaults = []struct{ Field, Vocab string }{
	{"type", vocab.IncidentType}, {"verification", vocab.VerificationStatus}, {"visibility", vocab.Visibility},
}

// fill sets the page's form from m over header.
func (p *sheetPage) fill(m *importer.Mapping, header []string, lang string) {
	p.Sheet, p.HeaderRow, p.System = m.Sheet, max(m.HeaderRow, 1), m.System
	p.DateFormats = strings.Join(m.DateFormats, ", ")
	p.Defaults = m.Defaults
	for _, r := range p.Rows {
		p.Width = max(p.Width, len(r.Cells))
	}
	for _, f := range importer.MappableFields() {
		p.Fields = append(p.Fields, option{Code: f, Label: i18n.T(lang, "sheets.field."+f)})
	}
	for i, h := range header {
		c := sheetColumn{Index: i, Letter: columnLetter(i), Header: h}
		for _, mc := range m.Columns {
			if sameColumn(mc.Column, h) {
				c.Field = mc.Field
				for word, code := range mc.Values {
					c.Values = append(c.Values, sheetValue{word, code})
				}
			}
		}
		if c.Vocab = importer.ValueVocab(c.Field); c.Vocab != "" {
			c.Choices = valueChoices(c.Vocab, lang)
		}
		p.Columns = append(p.Columns, c)
	}
}

// addWords adds the sheet's unmapped words to their columns' values.
func (p *sheetPage) addWords(words map[string][]string) {
	for i := range p.Columns {
		for _, w := range words[p.Columns[i].Header] {
			p.Columns[i].Values = append(p.Columns[i].Values, sheetValue{Word: w})
		}
	}
}

func valueChoices(v, lang string) []option {
	if v != importer.Admin1Values {
		return options(v, lang)
	}
	var out []option
	for _, g := range vocab.GazetteerFor("IQ").Governorates() {
		out = append(out, option{Code: g.Code, Label: g.Label(lang)})
	}
	return out
}

// mappingFromForm reads the mapping form: field.I is the field of
// header column I, word.I.J and code.I.J its values, default.F the
// defaults.
func mappingFromForm(m *importer.Mapping, f url.Values, header []string) {
	m.System = strings.TrimSpace(f.Get("system"))
	for _, d := range strings.Split(f.Get("date_formats"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			m.DateFormats = append(m.DateFormats, d)
		}
	}
	for _, d := range sheetDefaults {
		if v := f.Get("default." + d.Field); v != "" {
			if m.Defaults == nil {
				m.Defaults = map[string]string{}
			}
			m.Defaults[d.Field] = v
		}
	}
	for i, h := range header {
		field := f.Get("field." + itoa(i))
		if field == "" || strings.TrimSpace(h) == "" {
			continue
		}
		c := importer.Column{Column: h, Field: field}
		if importer.ValueVocab(field) != "" {
			for j := 0; ; j++ {
				word, ok := f["word."+itoa(i)+"."+itoa(j)]
				if !ok {
					break
				}
				if code := f.Get("code." + itoa(i) + "." + itoa(j)); code != "" && len(word) == 1 && word[0] != "" {
					if c.Values == nil {
						c.Values = map[string]string{}
					}
					c.Values[word[0]] = code
				}
			}
		}
		m.Columns = append(m.Columns, c)
	}
}

// sheetProblemsOf lists an import's problems for the page.
func sheetProblemsOf(err error) []sheetProblem {
	var list importer.ErrorList
	var one *importer.Error
	var refused *incidents.RecordError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = importer.ErrorList{one}
	case errors.As(err, &refused):
		return []sheetProblem{{Detail: refused.Error()}}
	default:
		return []sheetProblem{{Detail: err.Error()}}
	}
	out := make([]sheetProblem, len(list))
	for i, e := range list {
		out[i] = sheetProblem{Row: e.Row, Column: e.Field, Field: e.MapField, Detail: e.Err.Error()}
		if e.Err == nil {
			out[i].Detail = e.Error()
		}
	}
	return out
}

func headerOf(rows []importer.PreviewRow, row int) []string {
	for _, r := range rows {
		if r.Row == row {
			return r.Cells
		}
	}
	return nil
}

func sameColumn(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

func columnIndex(header []string, name string) int {
	for i, h := range header {
		if sameColumn(h, name) {
			return i
		}
	}
	return -1
}

// columnLetter is a spreadsheet's name of column i (A, B, … AA).
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

// formInt reads a whole number of a form: 0 when empty, -1 when not one
// (which Mapping.Check refuses, naming the key).
func formInt(s string) int {
	if s = strings.TrimSpace(s); s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
