package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
)

// DemoPassphrase unlocks demo data directories when RASD_PASSPHRASE is not
// set. Demo data is fictional; never put real records in a demo directory.
const DemoPassphrase = "rasd-demo-passphrase"

func runDemo(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "demo", "")
	cfg.Register(fs)
	n := fs.Int("incidents", 300, "number of fictional incidents to generate")
	seed := fs.Int64("seed", 1, "random seed (the same seed gives the same data)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *n < 0 {
		return fmt.Errorf("%w: --incidents must be 0 or more", ErrUsage)
	}
	if _, ok := os.LookupEnv("RASD_PASSPHRASE"); !ok && cfg.KeyFile == "" {
		os.Setenv("RASD_PASSPHRASE", DemoPassphrase)
		fmt.Fprintf(io.Stderr, "Demo passphrase: %s (set RASD_PASSPHRASE to choose another)\n", DemoPassphrase)
	}
	if err := initData(ctx, io, &cfg); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	gen := demo.New(demo.Options{Incidents: *n, Seed: *seed})
	report, done := progress(io, *n, "generating")
	defer done()
	// Batches keep memory flat for large samples; each is all-or-nothing.
	const batch = 5000
	stored := 0
	for stored < *n {
		incs := make([]model.Incident, 0, min(batch, *n-stored))
		for len(incs) < cap(incs) {
			inc, ok := gen.Next()
			if !ok {
				break
			}
			incs = append(incs, inc)
		}
		if len(incs) == 0 {
			break
		}
		base := stored
		if _, err := st.ImportIncidents(ctx, "demo", incs, func(d int) { report(base + d) }); err != nil {
			return err
		}
		stored += len(incs)
	}
	done()
	fmt.Fprintf(io.Stdout, "Created %d fictional incidents in %s.\nTry: rasd search --data %s بغداد\n", stored, cfg.DataDir, cfg.DataDir)
	return nil
}
