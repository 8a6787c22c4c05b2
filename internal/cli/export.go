package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/export"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// runExport writes the incidents the list's filters select, as they are
// read (docs/exports.md). The command line reads as the operator:
// restricted text stays sealed, and is written empty.
func runExport(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "export", "--format csv|xlsx|json [--out FILE] [filters]")
	cfg.Register(fs)
	format := fs.String("format", "", "csv, xlsx or json")
	out := fs.String("out", "", "file to write (default: standard output)")
	var f store.IncidentFilter
	var types, statuses string
	fs.StringVar(&f.Query, "q", "", "words the incidents must contain")
	fs.StringVar(&types, "type", "", "incident types, comma-separated codes")
	fs.StringVar(&f.Admin1, "gov", "", "governorate code, e.g. IQ-BG")
	fs.StringVar(&f.From, "from", "", "first day, YYYY-MM-DD")
	fs.StringVar(&f.To, "to", "", "last day, YYYY-MM-DD")
	fs.StringVar(&statuses, "status", "", "verification statuses, comma-separated")
	fs.StringVar(&f.PerpetratorType, "perp", "", "perpetrator type")
	fs.StringVar(&f.VictimRole, "role", "", "victim role")
	level := fs.String("visibility", "", "keep only this visibility (public, internal, restricted)")
	fs.StringVar(&f.Sort, "sort", "date", "date, code, updated, type or admin1")
	fs.BoolVar(&f.Asc, "asc", false, "oldest first")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; filters are flags", ErrUsage, pos[0])
	}
	if !slices.Contains(export.Formats, *format) {
		return fmt.Errorf("%w: give --format csv, xlsx or json", ErrUsage)
	}
	f.Types, f.Verification = splitList(types), splitList(statuses)
	if err := checkExportFilter(f, *level); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	w := io.Stdout
	if *out != "" {
		file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	svc := incidents.New(st, nil)
	n, err := export.Write(w, *format, func(fn func(*model.Incident) error) error {
		return svc.Each(ctx, incidents.Operator, f, *level, fn)
	})
	if err != nil {
		if *out != "" {
			os.Remove(*out) // no half file that looks whole
		}
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(io.Stderr, "Exported %d incidents.\n", n)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkExportFilter refuses codes that match nothing, which would
// export an empty file without a word.
func checkExportFilter(f store.IncidentFilter, level string) error {
	for _, t := range f.Types {
		if err := vocab.Get(vocab.IncidentType).Check(t); err != nil {
			return fmt.Errorf("--type: %v", err)
		}
	}
	for _, s := range f.Verification {
		if err := vocab.Get(vocab.VerificationStatus).Check(s); err != nil {
			return fmt.Errorf("--status: %v", err)
		}
	}
	if f.Admin1 != "" {
		if _, ok := vocab.Admin1(f.Admin1); !ok {
			return fmt.Errorf("--gov: %q is not a governorate code, e.g. IQ-BG", f.Admin1)
		}
	}
	if level != "" {
		if err := vocab.Get(vocab.Visibility).Check(level); err != nil {
			return fmt.Errorf("--visibility: %v", err)
		}
	}
	return nil
}
