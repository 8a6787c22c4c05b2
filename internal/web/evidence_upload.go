package web

import (
	"crypto/hmac"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// uploadLimit is the body limit of an upload: the file plus the form.
func (s *Server) uploadLimit() int64 {
	if s.opts.Evidence == nil {
		return 2 << 20
	}
	return s.opts.Evidence.MaxSize + 1<<20
}

// evidenceUpload takes one or more files from a multipart form whose
// first field is the CSRF token: the body is read as a stream, so the
// token is checked before any file is read, and no file is ever parsed
// into memory or a temporary file in the clear (Request.ParseMultipartForm
// would spill it to disk).
func (s *Server) evidenceUpload(kind string) handler {
	return func(req *request) error { return s.takeEvidence(req, kind) }
}

func (s *Server) takeEvidence(req *request, kind string) error {
	var parentID, back string
	switch kind {
	case store.KindIncident:
		inc, err := s.editableIncident(req)
		if err != nil {
			return err
		}
		parentID, back = inc.ID, "/incidents/"+inc.ID
	case store.KindPerson:
		p, err := s.visiblePerson(req, true)
		if err != nil {
			return err
		}
		parentID, back = p.ID, "/persons/"+p.ID
	}
	if s.opts.Evidence == nil {
		return errNotFound
	}
	mr, err := req.r.MultipartReader()
	if err != nil {
		return errBadForm // a plain form: its token was checked by wrap
	}
	tokenOK := func(tok string) bool {
		if !s.sessionCSRF(req, tok) {
			return false
		}
		// Only now: a large file on a slow link may take longer than the
		// server's read timeout.
		http.NewResponseController(req.w).SetReadDeadline(time.Now().Add(time.Hour))
		return true
	}
	var first *model.Evidence
	renamed := false
	err = readUpload(mr, tokenOK, func(name string, r io.Reader) error {
		name, changed := evidence.CleanName(name)
		renamed = renamed || changed
		e, err := s.opts.Evidence.Add(req.r.Context(), req.user.Username, kind, parentID, name, r)
		if first == nil {
			first = e
		}
		return err
	})
	if err != nil {
		return err
	}
	if first == nil {
		return &httpError{http.StatusBadRequest, "evidence.error.no_file"}
	}
	if renamed {
		return errRedirect(back + "?notice=evidence-renamed#evidence")
	}
	return errRedirect(back + "?notice=evidence#evidence")
}

// readUpload reads a streamed upload form: the CSRF token must come
// first (checked by tokenOK before any file is read), then each "file"
// part is handed to add as it streams; other fields are skipped.
func readUpload(mr *multipart.Reader, tokenOK func(string) bool, add func(name string, r io.Reader) error) error {
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return errCSRF
	}
	tok, _ := io.ReadAll(io.LimitReader(part, 256))
	if !tokenOK(string(tok)) {
		return errCSRF
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if ue := uploadError(err); ue != err {
				return ue
			}
			return errBadForm // a malformed form
		}
		if part.FormName() != "file" || part.FileName() == "" {
			continue
		}
		if err := add(uploadName(part.FileName()), part); err != nil {
			return uploadError(err)
		}
	}
}

func uploadError(err error) error {
	var mb *http.MaxBytesError
	switch {
	case errors.Is(err, evidence.ErrTooLarge), errors.As(err, &mb):
		return &httpError{http.StatusRequestEntityTooLarge, "evidence.error.too_large"}
	case errors.Is(err, evidence.ErrScript):
		return &httpError{http.StatusUnsupportedMediaType, "evidence.error.script"}
	case errors.Is(err, evidence.ErrType):
		return &httpError{http.StatusUnsupportedMediaType, "evidence.error.type"}
	case errors.Is(err, evidence.ErrEmpty):
		return &httpError{http.StatusBadRequest, "evidence.error.no_file"}
	case errors.Is(err, evidence.ErrUpload), errors.Is(err, multipart.ErrMessageTooLarge):
		return errBadForm
	}
	return err
}

// uploadName keeps the last path element of a browser's file name,
// valid UTF-8 and at most 200 bytes; it is stored sealed, never used as a
// path.
func uploadName(n string) string {
	n = filepath.Base(strings.ReplaceAll(n, "\\", "/"))
	n = strings.ToValidUTF8(n, "_")
	for len(n) > 200 {
		_, size := utf8.DecodeLastRuneInString(n)
		n = n[:len(n)-size]
	}
	return n
}

// uploads marks a policy's route as a streamed multipart upload: wrap
// leaves the CSRF check of a multipart body to the handler, which reads
// the token as the form's first field (see evidenceUpload).
func uploads(p policy) policy {
	p.upload = true
	return p
}

// sessionCSRF checks a token read by the handler.
func (s *Server) sessionCSRF(req *request, token string) bool {
	got := unmaskCSRF(token)
	return req.sess != nil && got != nil && hmac.Equal(got, s.csrfMAC(req))
}
