package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
)

var parsers = map[string]func(f *os.File, name string) ([]model.Incident, error){
	"json":  func(f *os.File, name string) ([]model.Incident, error) { return importer.ParseJSON(f, name) },
	"acled": func(f *os.File, name string) ([]model.Incident, error) { return importer.ParseACLED(f, name) },
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
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	incs, err := parseFile(f, pos[0])
	if err != nil {
		return fmt.Errorf("%w\nNothing was imported: fix the file and run the import again", err)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	report, done := progress(io, len(incs), "importing")
	res, err := st.ImportIncidents(ctx, cfg.Actor, incs, report)
	done()
	if err != nil {
		return fmt.Errorf("%s: %w\nNothing was imported: the store is as it was before", pos[0], err)
	}
	fmt.Fprintf(io.Stdout, "Imported %d records from %s: %d new, %d updated, %d unchanged.\n",
		len(incs), pos[0], res.Created, res.Updated, res.Unchanged)
	return nil
}
