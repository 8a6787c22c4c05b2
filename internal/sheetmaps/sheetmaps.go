// Package sheetmaps keeps an organisation's saved column mappings of
// spreadsheet imports (docs/spreadsheets.md, "Saved mappings"): a
// mapping checked as the command line checks its file, stored by name,
// audited when saved or deleted.
package sheetmaps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// MaxName is the longest name a mapping may have, in characters.
const MaxName = 80

// ErrName is a name that is empty, too long, or holds control or
// direction characters.
var ErrName = errors.New("a mapping's name is 1 to 80 characters of text, without control or direction characters")

// Service saves and reads mappings.
type Service struct {
	st  store.SheetMappings
	now func() time.Time
}

// New is a Service over st; now is the clock (nil: time.Now).
func New(st store.SheetMappings, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// CleanName trims a name and checks it (ErrName).
func CleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxName {
		return "", ErrName
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return "", ErrName
		}
	}
	return name, nil
}

// Save checks m (importer's Mapping.Check) and stores it under name,
// replacing a mapping of that name.
func (s *Service) Save(ctx context.Context, actor, name string, m *importer.Mapping) error {
	name, err := CleanName(name)
	if err != nil {
		return err
	}
	if err := m.Check(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return s.st.SaveSheetMapping(ctx, actor, &model.SheetMapping{Name: name, JSON: data, SavedBy: actor, SavedAt: s.now()})
}

// Get reads the mapping saved as name, checked again as a file is (the
// vocabularies may have changed since it was saved).
func (s *Service) Get(ctx context.Context, name string) (*importer.Mapping, error) {
	sm, err := s.st.SheetMapping(ctx, name)
	if err != nil {
		return nil, err
	}
	return importer.ReadMapping(bytes.NewReader(sm.JSON))
}

// List lists the saved mappings by name.
func (s *Service) List(ctx context.Context) ([]model.SheetMapping, error) {
	return s.st.ListSheetMappings(ctx)
}

// Delete removes the mapping saved as name.
func (s *Service) Delete(ctx context.Context, actor, name string) error {
	return s.st.DeleteSheetMapping(ctx, actor, name)
}
