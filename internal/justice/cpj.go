package justice

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The judicial steps an import from CPJ adds (docs/import-cpj.md): undated,
// internal, citing CPJ and marked with the row's key, so that importing
// again adds only what is missing.
const (
	cpjCitation    = "Committee to Protect Journalists, cpj.org/data (impunityMurder)"
	cpjMark        = "cpj:"
	cpjPerpetrator = "perpetrator (CPJ)"
	cpjInstigator  = "instigator (CPJ)"
)

// cpjSteps are the steps whose derived class is CPJ's class c.
func cpjSteps(c string) []model.JudicialStep {
	trial := model.JudicialStep{Step: accountability.Trial}
	conv := func(who, role string) model.JudicialStep {
		return model.JudicialStep{Step: accountability.Convicted, Who: who, Role: role}
	}
	switch c {
	case accountability.Partial:
		return []model.JudicialStep{trial, conv(cpjPerpetrator, accountability.RolePerpetrator)}
	case accountability.Justice:
		return []model.JudicialStep{trial, conv(cpjPerpetrator, accountability.RolePerpetrator),
			conv(cpjInstigator, accountability.RoleInstigator)}
	}
	return nil
}

func stepKey(s model.JudicialStep) string { return s.Step + "/" + s.Who + "/" + s.Role }

// CPJImport is an import's judicial steps, prepared before its incidents
// are stored, and stored in the import's transaction by Then.
type CPJImport struct {
	svc     *Service
	classes map[string]string               // row key → CPJ's class
	had     map[string][]model.JudicialStep // row key → steps imported before
	added   int                             // by the last run of Then
}

// PrepareCPJ reads the steps imported before for the rows of classes (row
// key → class) and refuses the import, naming the rows, where CPJ's class
// fell so that those steps no longer fit.
func (s *Service) PrepareCPJ(ctx context.Context, classes map[string]string) (*CPJImport, error) {
	p := &CPJImport{svc: s, classes: classes, had: map[string][]model.JudicialStep{}}
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	for offset := 0; ; offset += 1000 {
		page, total, err := s.Steps.Store.List(ctx, store.ListFilter{Visible: all, Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, st := range page {
			for _, src := range st.Sources {
				if key, ok := strings.CutPrefix(src, cpjMark); ok {
					p.had[key] = append(p.had[key], st)
				}
			}
		}
		if offset+len(page) >= total || len(page) == 0 {
			break
		}
	}
	var fell []string
	for key, had := range p.had {
		c, ok := classes[key]
		if !ok {
			continue
		}
		want := cpjSteps(c)
		for _, h := range had {
			if !slices.ContainsFunc(want, func(w model.JudicialStep) bool { return stepKey(w) == stepKey(h) }) {
				fell = append(fell, fmt.Sprintf("%s (now %s)", key, orNone(c)))
				break
			}
		}
	}
	if fell != nil {
		slices.Sort(fell)
		return nil, fmt.Errorf("CPJ's impunity class of %d rows no longer fits the judicial steps imported before: %s; correct those steps by hand, then import again (docs/import-cpj.md)",
			len(fell), strings.Join(fell, "; "))
	}
	return p, nil
}

func orNone(c string) string {
	if c == "" {
		return "no class"
	}
	return c
}

// Then adds, in the import's transaction once its incidents are stored
// (store.ImportThen), the steps they do not have yet: all of them with the
// incidents, or none and no incident either.
func (p *CPJImport) Then(ctx context.Context, tx store.ImportTx) error {
	p.added = 0 // a run after an undone one starts again
	ids, err := tx.ExternalIDs(ctx, "cpj")
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(p.classes))
	for k := range p.classes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		id, ok := ids[key]
		if !ok {
			return fmt.Errorf("CPJ row %s: its incident was not imported", key)
		}
		for _, w := range cpjSteps(p.classes[key]) {
			if slices.ContainsFunc(p.had[key], func(h model.JudicialStep) bool { return stepKey(h) == stepKey(w) }) {
				continue
			}
			w.Incident, w.Visibility = id, model.VisibilityInternal
			w.Sources = []string{cpjCitation, cpjMark + key}
			if errs := kinds.JudicialStep.Validate(&w, p.svc.Now()); len(errs) > 0 {
				return fmt.Errorf("CPJ row %s: %w", key, errs)
			}
			if err := tx.AddJudicialStep(ctx, &w); err != nil {
				return fmt.Errorf("CPJ row %s: %w", key, err)
			}
			p.added++
		}
	}
	return nil
}

// Added is how many steps the last run of Then added.
func (p *CPJImport) Added() int { return p.added }
