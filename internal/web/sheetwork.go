package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/sheetmaps"
	"github.com/rasd-project/rasd/internal/store"
)

// The steps of the import wizard after the upload (sheetimport.go): one
// request reads the held sheet, the mapping (from the form, a saved one,
// or the header's suggestions), dry-runs it and, when asked and clean,
// imports it.

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

// run draws the mapping page for m (nil: from the posted form when
// check, else the header's suggestions); with check, it checks the
// mapping and dry-runs it; action "save" saves it, "import" imports the
// sheet when the dry run is clean.
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
	p.window(form)
	if check && action != "cols" {
		w.check(sheet, m)
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
	if p.Checked && !p.Clean {
		status = http.StatusUnprocessableEntity
	}
	w.s.render(w.req, status, "sheet", p)
	return nil
}

// check checks m as a mapping file is checked, then reads every row
// through it (the dry run), keeping the problems and the first
// incidents.
func (w *sheetWork) check(sheet importer.Sheet, m *importer.Mapping) {
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
		p.Problems = sheetProblemsOf(err, w.req.lang)
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
		p.Clean, p.Problems = false, sheetProblemsOf(err, w.req.lang)
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
	// The rows read, up to the duplicates' bound, for the summary's
	// probable duplicates (as 'rasd import' says them).
	var read []model.Incident
	rows := func(yield func(*model.Incident) error) error {
		read = read[:0]
		return sf.Each(func(inc *model.Incident) error {
			incidents.ApplyDefaults(inc) // as Import does: a precision to compare dates by
			if len(read) < duplicates.MaxImportChecked && inc.Visibility != model.VisibilityRestricted {
				read = append(read, *inc)
			}
			return yield(inc)
		})
	}
	res, err := w.s.incidents.Import(ctx, w.req.user.Username, sf.Len(), rows, rs, nil)
	var restricted *incidents.RestrictedError
	if rs == nil && (errors.As(err, &restricted) || errors.Is(err, store.ErrUnsealNeedsMember)) {
		if !sealer() {
			return false, err
		}
		res, err = w.s.incidents.Import(ctx, w.req.user.Username, sf.Len(), rows, rs, nil)
	}
	if rs != nil {
		rs.Close()
	}
	var refused *incidents.RecordError
	var problem *importer.Error
	switch {
	case errors.As(err, &problem), errors.As(err, &refused):
		p.Clean, p.Problems = false, sheetProblemsOf(err, w.req.lang)
		return false, nil
	case err != nil:
		return false, err
	}
	w.s.sheets.drop(w.hs.id)
	done := &sheetDone{Name: w.hs.name, Result: res}
	pairs, complete, err := duplicates.Against(ctx, w.s.st, read, duplicates.DefaultMin)
	if err == nil {
		err = duplicates.KeepFound(ctx, w.s.st, pairs) // for the review queue
	}
	if err != nil {
		return false, err
	}
	done.Duplicates, done.Complete = len(pairs), complete
	w.s.render(w.req, http.StatusOK, "sheet_done", done)
	return true, nil
}

type sheetDone struct {
	Name       string
	Result     store.ImportResult
	Duplicates int  // probable duplicates of incidents stored before
	Complete   bool // false: Duplicates is a lower bound
}
