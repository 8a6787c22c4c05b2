package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/duplicates"
)

func init() {
	commands["duplicates"] = command{"list pairs of incidents that are probably one event, with scores and reasons (docs/duplicates.md)", runDuplicates}
}

func runDuplicates(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "duplicates", "[--format text|json] [--min-score S]")
	cfg.Register(fs)
	format := fs.String("format", "text", "output: text or json")
	min := fs.Float64("min-score", duplicates.DefaultMin, "list pairs scoring at least this, from 0 to 1")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q", ErrUsage, pos[0])
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format text or json (got %q)", ErrUsage, *format)
	}
	if *min < 0 || *min > 1 || *min != *min {
		return fmt.Errorf("%w: --min-score %v: %v", ErrUsage, *min, duplicates.ErrMinScore)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	pairs, err := duplicates.Find(ctx, st, *min)
	if err != nil {
		return err
	}
	if *min <= duplicates.DefaultMin { // all the probable pairs: the review queue's from now on
		if err := duplicates.Keep(ctx, st, pairs); err != nil {
			return err
		}
	}
	if *format == "json" {
		type out struct {
			A       string   `json:"a"`
			B       string   `json:"b"`
			Score   float64  `json:"score"`
			Reasons []string `json:"reasons"`
		}
		list := make([]out, 0, len(pairs))
		for _, p := range pairs {
			list = append(list, out{p.CodeA, p.CodeB, p.Score, p.Reasons})
		}
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(pairs) == 0 {
		fmt.Fprintf(io.Stdout, "No pair of incidents scores %.2f or more.\n", *min)
		return nil
	}
	fmt.Fprintf(io.Stdout, "%d probable duplicate pairs (score ≥ %.2f; restricted incidents are never compared):\n", len(pairs), *min)
	for _, p := range pairs {
		fmt.Fprintf(io.Stdout, "%s ~ %s  %.2f  %s\n", p.CodeA, p.CodeB, p.Score, strings.Join(p.Reasons, "; "))
	}
	return nil
}
