package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/store"
)

// importFile is a file to import: how many records it holds, what reads
// them, each time anew, and its first restricted record, if it is known
// before the import.
type importFile struct {
	n          int
	records    store.Records
	restricted *incidents.RestrictedError
	close      func() error
	// note is said before the import; prepare, when set, runs once the
	// store is open and before the import, and returns what the import
	// adds in its transaction (the judicial steps of a CPJ import) and
	// what to say of it after.
	note    string
	prepare func(ctx context.Context, st store.Store) (then store.ImportThen, said func() string, err error)
}

// importFormats open a file of each format, once: a JSON file is read
// into memory and its envelope checked, its incidents decoded one at a
// time as they are imported; an ACLED file is counted, then read again
// from its start for each run of the import. Either way reading runs on
// its own goroutine, beside the store's writing, and the records are
// never all held in memory decoded.
var importFormats = map[string]func(name string) (importFile, error){
	"json": func(name string) (importFile, error) {
		f, err := os.Open(name)
		if err != nil {
			return importFile{}, err
		}
		defer f.Close()
		jf, err := importer.ReadJSON(f, name)
		if err != nil {
			return importFile{}, err
		}
		file := importFile{n: jf.Len(), records: jf.Each, close: func() error { return nil }}
		if num, ext := jf.First(keys.Restricted); num > 0 {
			file.restricted = &incidents.RestrictedError{Num: num, External: ext}
		}
		return file, nil
	},
	// CPJ's export: every record internal (docs/import-cpj.md).
	"cpj": openCPJ,
	// The ACLED importer makes every record internal: none is restricted.
	"acled": func(name string) (importFile, error) {
		src, err := rereadable(name)
		if err != nil {
			return importFile{}, err
		}
		r, err := src.again()
		if err != nil {
			src.close()
			return importFile{}, err
		}
		return importFile{n: importer.CountCSV(r), close: src.close,
			records: func(yield func(*model.Incident) error) error {
				r, err := src.again()
				if err != nil {
					return err
				}
				return importer.EachACLED(r, name, yield)
			}}, nil
	},
}

// rereadFile is a file opened once and read from its start as often as
// needed: a regular file by seeking back, anything else (a pipe, as in
// 'zcat x.gz | rasd import … /dev/stdin') from a copy in memory, as it
// cannot be read twice.
type rereadFile struct {
	again func() (io.Reader, error)
	close func() error
}

func rereadable(name string) (rereadFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return rereadFile{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return rereadFile{}, err
	}
	if fi.Mode().IsRegular() {
		return rereadFile{close: f.Close, again: func() (io.Reader, error) {
			_, err := f.Seek(0, io.SeekStart)
			return f, err
		}}, nil
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return rereadFile{}, fmt.Errorf("cannot read %s: %w", name, err)
	}
	return rereadFile{close: func() error { return nil }, again: func() (io.Reader, error) {
		return bytes.NewReader(data), nil
	}}, nil
}

func runImport(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "import", "FILE")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", "the `account` whose key seals the text of restricted records in the file: a member of the protection compartment")
	readsEnv(fs, "RASD_USER_PASSWORD")
	format := fs.String("format", "", "file format: json (rasd's, see docs/import-json.md), acled (ACLED CSV, see docs/import-acled.md), cpj (CPJ's killed journalists, see docs/import-cpj.md), or xlsx or csv with --mapping (see docs/spreadsheets.md)")
	mappingFile := fs.String("mapping", "", "for xlsx and csv: the column mapping, a JSON file (docs/spreadsheets.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	open, ok := importFormats[*format]
	switch {
	case (*format == "xlsx" || *format == "csv") && *mappingFile == "":
		return fmt.Errorf("%w: --format %s needs --mapping FILE (docs/spreadsheets.md)", ErrUsage, *format)
	case *format == "xlsx" || *format == "csv":
		open = func(name string) (importFile, error) { return openSheetImport(name, *format, *mappingFile) }
	case *mappingFile != "":
		return fmt.Errorf("%w: --mapping is for --format xlsx or csv", ErrUsage)
	case !ok:
		return fmt.Errorf("%w: give --format json, acled, cpj, xlsx or csv", ErrUsage)
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one file to import", ErrUsage)
	}
	name := pos[0]
	file, err := open(name)
	if err != nil {
		return fmt.Errorf("%w\nNothing was imported: fix the file and run the import again", err)
	}
	defer file.close()
	// A large import has the database to itself if nothing else has it open.
	st, _, err := openData(ctx, &cfg, io, instance.BulkImports())
	if err != nil {
		return err
	}
	defer st.Close()
	// A file known to hold a restricted record is imported by a member of
	// the protection compartment, asked for first.
	var sealer *keys.RecordSealer
	if file.restricted != nil {
		if sealer, err = importSealer(ctx, io, st, cfg.Member, file.restricted); err != nil {
			return fmt.Errorf("%s: %w\nNothing was imported", name, err)
		}
		defer sealer.Close()
	}
	fmt.Fprint(io.Stdout, file.note)
	var then store.ImportThen
	var said func() string
	if file.prepare != nil {
		if then, said, err = file.prepare(ctx, st); err != nil {
			return fmt.Errorf("%s: %w\nNothing was imported", name, err)
		}
	}
	svc := incidents.New(st, nil)
	var added []model.Person
	var read []model.Incident
	file.records = collectPersons(file.records, &added, &read)
	since := time.Now().Truncate(time.Second) // stored times may keep whole seconds only
	res, err := importEach(ctx, io, svc, cfg.Actor, name, file, sealer, then)
	var restricted *incidents.RestrictedError
	if sealer == nil && (errors.As(err, &restricted) || errors.Is(err, store.ErrUnsealNeedsMember)) {
		// The file makes a sealed record internal or public (or holds a
		// restricted record found only as it was read): only a member of
		// the protection compartment may. Import it again as one.
		if sealer, err = importSealer(ctx, io, st, cfg.Member, restricted); err != nil {
			return fmt.Errorf("%s: %w\nNothing was imported", name, err)
		}
		defer sealer.Close()
		res, err = importEach(ctx, io, svc, cfg.Actor, name, file, sealer, then)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Imported %d records from %s: %d new, %d updated, %d unchanged.\n",
		res.Created+res.Updated+res.Unchanged, name, res.Created, res.Updated, res.Unchanged)
	if said != nil {
		fmt.Fprint(io.Stdout, said())
	}
	if err := printDuplicates(ctx, io, st, read); err != nil {
		return err
	}
	return printProposals(ctx, io, st, added, since)
}

// printDuplicates says how many imported incidents probably duplicate an
// incident stored before (docs/duplicates.md).
func printDuplicates(ctx context.Context, io IO, st store.Store, read []model.Incident) error {
	pairs, complete, err := duplicates.Against(ctx, st, read, duplicates.DefaultMin)
	if err == nil {
		err = duplicates.KeepFound(ctx, st, pairs) // for the review queue
	}
	if err != nil || len(pairs) == 0 && complete {
		return err
	}
	atLeast := ""
	if !complete {
		atLeast = "at least "
	}
	fmt.Fprintf(io.Stdout, "%s%d probable duplicates of existing incidents (rasd duplicates lists them all; review each in the web, rasd serve):\n", atLeast, len(pairs))
	for _, p := range pairs[:min(len(pairs), maxListed)] {
		fmt.Fprintf(io.Stdout, "  %s ~ %s  %.2f  /incidents/%s/duplicates?with=%s  %s\n", orDash(p.CodeA), p.CodeB, p.Score, p.A, p.B,
			strings.Join(p.Reasons, "; "))
	}
	if len(pairs) > maxListed {
		fmt.Fprintf(io.Stdout, "  … and %d more\n", len(pairs)-maxListed)
	}
	return nil
}

// maxListed bounds the duplicate pairs an import's summary lists.
const maxListed = 20

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// collectPersons passes records on, keeping the names of the victims they
// add as new persons (not restricted ones: their names are sealed) and
// copies of the incidents, up to the limits of people and duplicates, for
// the import's summary. Read again, it starts over.
func collectPersons(records store.Records, added *[]model.Person, read *[]model.Incident) store.Records {
	return func(yield func(*model.Incident) error) error {
		*added, *read = (*added)[:0], (*read)[:0]
		return records(func(inc *model.Incident) error {
			if len(*read) < duplicates.MaxImportChecked && inc.Visibility != model.VisibilityRestricted {
				c := *inc
				c.Victims = slices.Clone(inc.Victims)
				for i, v := range c.Victims {
					if v.Person != nil {
						p := *v.Person
						c.Victims[i].Person = &p
					}
				}
				*read = append(*read, c)
			}
			for _, v := range inc.Victims {
				p := v.Person
				if p != nil && p.ID == "" && v.PersonID == "" && p.Visibility != model.VisibilityRestricted && len(*added) < people.MaxImportChecked {
					*added = append(*added, model.Person{NameLatin: p.NameLatin, NameAR: p.NameAR, Aliases: p.Aliases})
				}
			}
			return yield(inc)
		})
	}
}

// printProposals says which persons the import added are possibly the
// same as persons recorded before it (docs/persons.md).
func printProposals(ctx context.Context, io IO, st store.Store, added []model.Person, since time.Time) error {
	props, err := people.New(st, time.Now).ImportProposals(ctx, added, since)
	if err != nil || len(props) == 0 {
		return err
	}
	fmt.Fprintf(io.Stdout, "%d imported persons are possibly the same as persons recorded before; review them on their pages (rasd serve), where they can be merged:\n", len(props))
	for _, p := range props {
		fmt.Fprintf(io.Stdout, "  %s ~ %s (person %s, %.0f%%): %s\n", p.Names[0], p.Names[1], p.Person.ID, 100*p.Score,
			strings.Join(p.Reasons, "; "))
	}
	return nil
}

// importEach imports file as it is read, in one transaction (package
// incidents checks and seals each record). With a sealer, restricted
// records are sealed with it; without, the first stops the import with an
// *incidents.RestrictedError.
func importEach(ctx context.Context, io IO, svc *incidents.Service, actor, name string, file importFile, sealer *keys.RecordSealer, then store.ImportThen) (store.ImportResult, error) {
	report, done := progress(io, file.n, "importing")
	res, err := svc.ImportThen(ctx, actor, file.n, file.records, sealer, report, then)
	done()
	var problem *importer.Error
	var refused *incidents.RecordError
	var restricted *incidents.RestrictedError
	switch {
	case sealer == nil && (errors.As(err, &restricted) || errors.Is(err, store.ErrUnsealNeedsMember)):
		return res, err
	case errors.As(err, &problem):
		return res, fmt.Errorf("%w\nNothing was imported: fix the file and run the import again", err)
	case errors.As(err, &refused):
		return res, fmt.Errorf("%s: %w\nNothing was imported: fix the file and run the import again", name, err)
	case err != nil:
		return res, fmt.Errorf("%s: %w\nNothing was imported: the store is as it was before", name, err)
	}
	return res, nil
}

// importSealer opens the protection compartment for an import that needs
// it: restricted names the file's first restricted record, or is nil when
// the file makes a sealed record internal or public. --member must name a
// member, whose password is asked (or read from RASD_USER_PASSWORD).
func importSealer(ctx context.Context, io IO, st store.Store, name string, restricted *incidents.RestrictedError) (*keys.RecordSealer, error) {
	how := "import as a member with --member MEMBER (password from RASD_USER_PASSWORD or asked)"
	need := fmt.Errorf("the file makes a restricted record, whose text is sealed, internal or public; %s", how)
	if restricted != nil {
		need = fmt.Errorf("%s; %s", restricted.Error(), how)
	}
	if name == "" {
		return nil, need
	}
	if _, err := st.GetUserByName(ctx, name); errors.Is(err, store.ErrNotFound) {
		return nil, need
	}
	by, err := member(ctx, io, st, name)
	if err != nil {
		return nil, err
	}
	defer by.Zero()
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if errors.Is(err, keys.ErrNotMember) {
		return nil, fmt.Errorf("%w\n%s is not a member ('rasd keys list')", need, name)
	}
	return rs, err
}
