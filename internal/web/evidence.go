package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Who may have what of an evidence file (docs/evidence.md):
//   - its page (hash, type, size, custody): whoever may see the record it
//     is attached to, the admin included (custody is an audit matter);
//   - the working copy: the roles that handle cases (not the admin, who
//     reads no content without a grant), when they see the record;
//   - the original, with its location and device metadata: analysts (who
//     verify), protection officers and coordinators; a documenter only for
//     files they took in themselves, so no documenter learns where and
//     with what device another's source recorded something.
var (
	evidenceReaders  = onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	originalsOfOther = []string{model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator}
)

// registerEvidence declares the evidence routes.
func (s *Server) registerEvidence() {
	s.route("POST /incidents/{id}/evidence", uploads(evidenceReaders), s.evidenceUpload(store.KindIncident))
	s.route("POST /persons/{id}/evidence", uploads(evidenceReaders), s.evidenceUpload(store.KindPerson))
	s.route("GET /evidence/{id}", signedIn, s.evidencePage)
	s.route("GET /evidence/{id}/copy", evidenceReaders, s.evidenceCopy)
	s.route("GET /evidence/{id}/original", evidenceReaders, s.evidenceOriginal)
}

// mayHaveOriginal applies the rule above.
func mayHaveOriginal(u *model.User, e *model.Evidence) bool {
	return slices.Contains(originalsOfOther, u.Role) || (access.CanCreate(u) && e.CreatedBy == u.Username)
}

// visibleEvidence loads the evidence file of the path's {id}: 404 when it
// does not exist or the user may not see the record it is attached to.
func (s *Server) visibleEvidence(req *request) (*model.Evidence, error) {
	if s.opts.Evidence == nil {
		return nil, errNotFound
	}
	e, err := s.st.GetEvidence(req.r.Context(), req.r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	var vis, by string
	switch e.ParentKind {
	case store.KindIncident:
		inc, err := s.st.GetIncident(req.r.Context(), e.ParentID)
		if err != nil {
			return nil, errNotFound
		}
		vis, by = inc.Visibility, inc.CreatedBy
	case store.KindPerson:
		p, err := s.st.Persons().Get(req.r.Context(), e.ParentID)
		if err != nil {
			return nil, errNotFound
		}
		vis, by = p.Visibility, p.CreatedBy
	}
	if !access.CanSee(req.user, vis, by) {
		return nil, errNotFound
	}
	return e, nil
}

// evidencePageData is what evidence.html shows.
type evidencePageData struct {
	E           *model.Evidence
	Name        string
	SHA256      string // recorded at intake, opened from its sealed form
	ParentPath  string
	Custody     []model.Custody
	CanCopy     bool // a working copy can be made and the user may have it
	NoCopyWhy   bool // the type cannot be cleaned
	CanOriginal bool
}

func (s *Server) evidencePage(req *request) error {
	e, err := s.visibleEvidence(req)
	if err != nil {
		return err
	}
	if err := s.custody(req, e, model.CustodyView); err != nil {
		return err
	}
	cs, err := s.st.Custody(req.r.Context(), e.ID)
	if err != nil {
		return err
	}
	readers := evidenceReaders.allows(req.user)
	clean := evidence.CanClean(e.Type, e.Size)
	d := &evidencePageData{E: e, Name: s.opts.Evidence.Name(e), SHA256: s.opts.Evidence.SHA256(e), Custody: cs,
		ParentPath: "/" + map[string]string{store.KindIncident: "incidents", store.KindPerson: "persons"}[e.ParentKind] + "/" + e.ParentID,
		CanCopy:    readers && clean, NoCopyWhy: !clean, CanOriginal: readers && mayHaveOriginal(req.user, e)}
	s.render(req, http.StatusOK, "evidence", d)
	return nil
}

func (s *Server) custody(req *request, e *model.Evidence, action string) error {
	return s.st.LogCustody(req.r.Context(), model.Custody{EvidenceID: e.ID, Actor: req.user.Username, Action: action})
}

// evidenceCopy sends the working copy, made now from the checked
// original.
func (s *Server) evidenceCopy(req *request) error {
	e, err := s.visibleEvidence(req)
	if err != nil {
		return err
	}
	b, err := s.opts.Evidence.WorkingCopy(e)
	if errors.Is(err, evidence.ErrCannotClean) {
		return &httpError{http.StatusNotFound, "evidence.no_copy"}
	}
	if err != nil {
		return s.damaged(err)
	}
	if err := s.custody(req, e, model.CustodyDownloadCopy); err != nil {
		return err
	}
	name := "evidence-" + e.ID[len(e.ID)-12:] + "-copy" + extension(e.Type)
	s.sendHeaders(req, e.Type, name, int64(len(b)))
	req.w.Write(b)
	return nil
}

// evidenceOriginal sends the original, byte for byte, after checking the
// whole file against its intake hash (so that a damaged file gives an
// error page, not a truncated download).
func (s *Server) evidenceOriginal(req *request) error {
	e, err := s.visibleEvidence(req)
	if err != nil {
		return err
	}
	if !mayHaveOriginal(req.user, e) {
		return errForbidden
	}
	if err := s.opts.Evidence.Check(e); err != nil {
		return s.damaged(err)
	}
	r, err := s.opts.Evidence.Open(e)
	if err != nil {
		return s.damaged(err)
	}
	defer r.Close()
	if err := s.custody(req, e, model.CustodyDownloadOrig); err != nil {
		return err
	}
	name := s.opts.Evidence.Name(e)
	if name == "" {
		name = "evidence-" + e.ID[len(e.ID)-12:] + extension(e.Type)
	}
	s.sendHeaders(req, e.Type, name, e.Size)
	if _, err := io.Copy(req.w, r); err != nil {
		s.logErr("evidence download", err) // the response is cut short; Content-Length tells the browser
	}
	return nil
}

// damaged logs a damaged file (the message names the file, no person)
// and answers with a page that says what to do.
func (s *Server) damaged(err error) error {
	var de *evidence.DamagedError
	if errors.As(err, &de) {
		s.logErr("evidence", err)
		return &httpError{http.StatusInternalServerError, "evidence.error.damaged"}
	}
	return err
}

// evidenceSection is a record page's list of evidence and upload form.
type evidenceSection struct {
	Action    string // the upload form's action
	Rows      []evidenceRow
	CanUpload bool
	MaxMiB    int64
	Notice    bool // just uploaded
	Renamed   bool // just uploaded, direction controls removed from a name (evidence.CleanName)
}

type evidenceRow struct {
	E      model.Evidence
	Name   string
	SHA256 string
}

func (s *Server) evidenceSection(req *request, kind, id, visibility, createdBy string) (*evidenceSection, error) {
	if s.opts.Evidence == nil {
		return nil, nil
	}
	list, err := s.st.ListEvidence(req.r.Context(), kind, id)
	if err != nil {
		return nil, err
	}
	sec := &evidenceSection{Action: map[string]string{store.KindIncident: "/incidents/", store.KindPerson: "/persons/"}[kind] + id + "/evidence",
		MaxMiB:    s.opts.Evidence.MaxSize >> 20,
		CanUpload: evidenceReaders.allows(req.user) && access.CanEdit(req.user, visibility, createdBy),
		Notice:    req.r.URL.Query().Get("notice") == "evidence", Renamed: req.r.URL.Query().Get("notice") == "evidence-renamed"}
	for _, e := range list {
		sec.Rows = append(sec.Rows, evidenceRow{E: e, Name: s.opts.Evidence.Name(&e), SHA256: s.opts.Evidence.SHA256(&e)})
	}
	return sec, nil
}

func (s *Server) sendHeaders(req *request, typ, name string, size int64) {
	h := req.w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" { // a name FormatMediaType cannot encode: never fall back to inline
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("Content-Security-Policy", csp+"; sandbox") // a file opened in the browser runs nothing
	// A large file on a slow link takes longer than the server's write
	// timeout.
	http.NewResponseController(req.w).SetWriteDeadline(time.Now().Add(time.Hour))
}

func extension(typ string) string {
	switch typ {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}
