package justice_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// cpjRows are incidents of a CPJ import, keyed as CPJ's rows are.
func cpjRows(keys ...string) store.Records {
	return func(yield func(*model.Incident) error) error {
		for _, k := range keys {
			inc := storetest.Incident()
			inc.External = &model.External{System: "cpj", ID: k}
			if err := yield(&inc); err != nil {
				return err
			}
		}
		return nil
	}
}

// dump is every cell of every table, in the order the catalogue scan reads
// them: equal dumps are the same rows.
func dump(t *testing.T, st store.Store) []string {
	t.Helper()
	db := st.(interface{ SQL() *sql.DB }).SQL()
	var out []string
	storetest.EveryCell(t, db, func(c storetest.Cell) {
		out = append(out, fmt.Sprintf("%s.%s=%x", c.Table, c.Column, c.Value))
	})
	return out
}

// The judicial steps of a CPJ import are stored in its transaction: a
// failure after some of them were added leaves every table as it was,
// the incidents of the import included; the same import without the
// failure stores incidents and steps together.
func TestCPJStepsAllOrNothing(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := justice.New(st, now)
		importCPJ := func(classes map[string]string, keys ...string) (*justice.CPJImport, error) {
			p, err := svc.PrepareCPJ(ctx, classes)
			if err != nil {
				return nil, err
			}
			_, err = st.ImportEachThen(ctx, "importer", len(keys), cpjRows(keys...), nil, p.Then)
			return p, err
		}
		if p, err := importCPJ(map[string]string{"1": "partial"}, "1"); err != nil || p.Added() != 2 {
			t.Fatalf("the first import: %v", err)
		}
		before := dump(t, st)
		// Rows 2 and 3 add their steps, then row 9 has no incident: the
		// import fails after steps were written in its transaction.
		p, err := importCPJ(map[string]string{"1": "partial", "2": "partial", "3": "full_justice", "9": "complete"}, "1", "2", "3")
		if err == nil || !strings.Contains(err.Error(), "CPJ row 9") || p.Added() == 0 {
			t.Fatalf("the failing import: %v, %d steps added before it failed", err, p.Added())
		}
		if after := dump(t, st); !slices.Equal(before, after) {
			t.Errorf("a failed import left %d cells where there were %d, or changed some", len(after), len(before))
		}
		p, err = importCPJ(map[string]string{"1": "partial", "2": "partial", "3": "full_justice"}, "1", "2", "3")
		if err != nil || p.Added() != 5 {
			t.Fatalf("the import without its failure: %v, %d steps", err, p.Added())
		}
		if _, n, _ := svc.Steps.Store.List(ctx, all); n != 7 {
			t.Errorf("%d steps stored, want 2 + 5", n)
		}
	})
}
