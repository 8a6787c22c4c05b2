package evidence

import (
	"fmt"
	"io"

	"github.com/rasd-project/rasd/internal/model"
)

// WorkingCopyMax bounds the files a working copy is made of: the copy is
// made in memory (never on disk in the clear).
const WorkingCopyMax = 50 << 20

var strippers = map[string]func([]byte) ([]byte, error){
	"image/jpeg":      StripJPEG,
	"image/png":       StripPNG,
	"application/pdf": StripPDF,
}

// CanClean says whether rasd makes working copies of files of this type.
// Other types (video, audio, HEIC, Office files…) carry metadata rasd
// cannot remove, so only the original is offered, to those who may have
// it.
func CanClean(typ string, size int64) bool {
	_, ok := strippers[typ]
	return ok && size <= WorkingCopyMax
}

// WorkingCopy decrypts and checks the original and returns a copy with
// location and device metadata removed. The original is not changed.
func (s *Service) WorkingCopy(e *model.Evidence) ([]byte, error) {
	strip, ok := strippers[e.Type]
	if !ok || e.Size > WorkingCopyMax {
		return nil, ErrCannotClean
	}
	r, err := s.Open(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	out, err := strip(b)
	if err != nil {
		return nil, fmt.Errorf("working copy of %s: %w", e.ID, err)
	}
	return out, nil
}
