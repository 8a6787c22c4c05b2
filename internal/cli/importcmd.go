package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// parsers read a whole file before it is imported; an ACLED file is read
// as it is imported instead (importACLED), so its entry only names the
// format.
var parsers = map[string]func(f *os.File, name string) ([]model.Incident, error){
	"json":  func(f *os.File, name string) ([]model.Incident, error) { return importer.ParseJSON(f, name) },
	"acled": nil,
}

func runImport(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "import", "FILE")
	cfg.Register(fs)
	format := fs.String("format", "", "file format: json (rasd's, see docs/import-json.md) or acled (ACLED CSV, see docs/import-acled.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	parseFile, ok := parsers[*format]
	if !ok {
		return fmt.Errorf("%w: give --format json or --format acled", ErrUsage)
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one file to import", ErrUsage)
	}
	if *format == "acled" {
		return importACLED(ctx, io, &cfg, pos[0])
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	incs, err := parseFile(f, pos[0])
	if err != nil {
		return fmt.Errorf("%w\nNothing was imported: fix the file and run the import again", err)
	}
	// A large import has the database to itself if nothing else has it open.
	st, _, err := openData(ctx, &cfg, io, sqlite.BulkImports())
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := importSealed(ctx, io, st, cfg.Actor, pos[0], incs, false)
	if errors.Is(err, store.ErrUnsealNeedsMember) {
		// The file makes a sealed record internal or public: only a member
		// may. Read the file again (the failed attempt filled IDs in).
		if incs, err = reparse(parseFile, pos[0]); err == nil {
			res, err = importSealed(ctx, io, st, cfg.Actor, pos[0], incs, true)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Imported %d records from %s: %d new, %d updated, %d unchanged.\n",
		len(incs), pos[0], res.Created, res.Updated, res.Unchanged)
	return nil
}

func reparse(parseFile func(*os.File, string) ([]model.Incident, error), name string) ([]model.Incident, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseFile(f, name)
}

// importSealed stores incs, sealing restricted records with the key of
// the --as member when the file holds any, or when unseal says it makes
// a sealed record internal or public.
func importSealed(ctx context.Context, io IO, st store.Store, actor, name string, incs []model.Incident, unseal bool) (store.ImportResult, error) {
	sealer, err := importSealer(ctx, io, st, actor, incs, unseal)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("%s: %w\nNothing was imported", name, err)
	}
	defer sealer.Close()
	for i := range incs {
		if err := sealer.Incident(&incs[i]); err != nil {
			return store.ImportResult{}, fmt.Errorf("%s: record %d: %w\nNothing was imported", name, i+1, err)
		}
	}
	report, done := progress(io, len(incs), "importing")
	res, err := st.ImportIncidents(ctx, actor, incs, report)
	done()
	if errors.Is(err, store.ErrUnsealNeedsMember) && !unseal {
		return res, err
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w\nNothing was imported: the store is as it was before", name, err)
	}
	return res, nil
}

// importSealer opens the protection compartment when the file holds a
// restricted record (or restricted inline person): their text is sealed
// (docs/keys.md, "Restricted records"), so --as must name a member, whose
// password is asked (or read from RASD_USER_PASSWORD). A nil sealer, for
// files without restricted records, seals nothing.
func importSealer(ctx context.Context, io IO, st store.Store, actor string, incs []model.Incident, unseal bool) (*keys.RecordSealer, error) {
	first := slices.IndexFunc(incs, func(inc model.Incident) bool { return keys.Restricted(&inc) })
	if first < 0 && !unseal {
		return nil, nil
	}
	how := "import as a member with --as MEMBER (password from RASD_USER_PASSWORD or asked)"
	need := fmt.Errorf("the file makes a restricted record, whose text is sealed, internal or public; %s", how)
	if first >= 0 {
		what := fmt.Sprintf("record %d", first+1)
		if e := incs[first].External; e != nil {
			what += fmt.Sprintf(" (%s %s)", e.System, e.ID)
		}
		need = fmt.Errorf("%s is restricted: its text is sealed in the protection compartment; %s", what, how)
	}
	if _, err := st.GetUserByName(ctx, actor); errors.Is(err, store.ErrNotFound) {
		return nil, need
	}
	by, err := member(ctx, io, st, actor)
	if err != nil {
		return nil, err
	}
	defer by.Zero()
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if errors.Is(err, keys.ErrNotMember) {
		return nil, fmt.Errorf("%w\n%s is not a member ('rasd keys list')", need, actor)
	}
	return rs, err
}
