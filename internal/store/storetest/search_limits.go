package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// searches are every way the store takes a free-text query.
func searches(s store.Store) map[string]func(ctx context.Context, q string) error {
	vis := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	return map[string]func(ctx context.Context, q string) error{
		"SearchIncidents": func(ctx context.Context, q string) error { _, err := s.SearchIncidents(ctx, q, 10); return err },
		"SearchPersons":   func(ctx context.Context, q string) error { _, err := s.Persons().Search(ctx, q, 10); return err },
		"ListIncidents": func(ctx context.Context, q string) error {
			_, _, err := s.ListIncidents(ctx, store.IncidentFilter{Query: q, Visible: vis})
			return err
		},
		"ListPersons": func(ctx context.Context, q string) error {
			_, _, err := s.Persons().List(ctx, store.ListFilter{Query: q, Visible: vis})
			return err
		},
		"ListOrganisations": func(ctx context.Context, q string) error {
			_, _, err := s.Organisations().List(ctx, store.ListFilter{Query: q, Visible: vis})
			return err
		},
	}
}

// words are n distinct words.
func words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%dx", i)
	}
	return strings.Join(w, " ")
}

// testSearchLimits: a search of more than store.MaxQueryTerms words or
// store.MaxQueryLen characters is refused with store.ErrQueryTooLong by
// every search, before it reaches a query engine (300 words made SQLite's
// expression tree too deep: a 500); one at the limits works, and a word
// repeated counts once.
func testSearchLimits(t *testing.T, ctx context.Context, o Opened) {
	mustCreate(t, ctx, o.Store, Incident())
	long := strings.Repeat("ن", store.MaxQueryLen+1)
	for name, search := range searches(o.Store) {
		for _, q := range []string{words(300), words(store.MaxQueryTerms + 1), long, strings.Repeat("a ", store.MaxQueryLen)} {
			if err := search(ctx, q); !errors.Is(err, store.ErrQueryTooLong) {
				t.Errorf("%s of %d words, %d bytes: %v, want ErrQueryTooLong", name, len(strings.Fields(q)), len(q), err)
			}
		}
		for _, q := range []string{words(store.MaxQueryTerms), strings.Repeat("ن", store.MaxQueryLen),
			strings.Repeat("amjad ", store.MaxQueryLen/6), strings.Repeat(`"' OR `, 40)} {
			if err := search(ctx, q); err != nil {
				t.Errorf("%s of %d words, %d bytes: %v", name, len(strings.Fields(q)), len(q), err)
			}
		}
	}
	if !strings.Contains(store.ErrQueryTooLong.Error(), fmt.Sprint(store.MaxQueryTerms)) ||
		!strings.Contains(store.ErrQueryTooLong.Error(), fmt.Sprint(store.MaxQueryLen)) {
		t.Errorf("%q does not say the limits", store.ErrQueryTooLong)
	}
}
