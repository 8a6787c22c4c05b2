package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// readAhead is how many records of a file are read ahead of the store.
const readAhead = 256

// importACLED imports an ACLED CSV file while reading it: a file of a
// million rows is never held in memory whole, and reading and checking it
// runs on one core while the store writes on another. It is still all or
// nothing: a bad row, found however late, rolls the import's transaction
// back, and the file's problems are reported as a whole-file parse would.
func importACLED(ctx context.Context, io IO, cfg *config.Config, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	n := importer.CountCSV(f)
	f.Close()
	// A large import has the database to itself if nothing else has it open.
	st, _, err := openData(ctx, cfg, io, sqlite.BulkImports())
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := importEach(ctx, io, st, cfg.Actor, name, n, false)
	if errors.Is(err, store.ErrUnsealNeedsMember) {
		// The file makes a sealed record internal: only a member may.
		res, err = importEach(ctx, io, st, cfg.Actor, name, n, true)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Imported %d records from %s: %d new, %d updated, %d unchanged.\n",
		res.Created+res.Updated+res.Unchanged, name, res.Created, res.Updated, res.Unchanged)
	return nil
}

// importEach reads name and imports its n records as it goes; unseal
// opens the protection compartment (see importSealer) first.
func importEach(ctx context.Context, io IO, st store.Store, actor, name string, n int, unseal bool) (store.ImportResult, error) {
	// The ACLED importer makes every record internal, never restricted: a
	// sealer is needed only to unseal.
	sealer, err := importSealer(ctx, io, st, actor, nil, unseal)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("%s: %w\nNothing was imported", name, err)
	}
	defer sealer.Close()
	records := func(yield func(*model.Incident) error) error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		num := 0
		return importer.EachACLED(f, name, func(inc *model.Incident) error {
			num++
			if err := sealer.Incident(inc); err != nil {
				return fmt.Errorf("record %d: %w", num, err)
			}
			return yield(inc)
		})
	}
	report, done := progress(io, n, "importing")
	res, err := st.ImportEach(ctx, actor, n, store.ReadAhead(records, readAhead), report)
	done()
	var problem *importer.Error
	switch {
	case errors.Is(err, store.ErrUnsealNeedsMember) && !unseal:
		return res, err
	case errors.As(err, &problem):
		return res, fmt.Errorf("%w\nNothing was imported: fix the file and run the import again", err)
	case err != nil:
		return res, fmt.Errorf("%s: %w\nNothing was imported: the store is as it was before", name, err)
	}
	return res, nil
}
