package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// runStatsImpunity is 'rasd stats impunity': the impunity figures and
// index of docs/counting.md ("Impunity figures"), with their receipt.
func runStatsImpunity(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	var f statsFlags
	fs := flags(io, "stats impunity", "")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "viewer", "count as this `account` would see: its restricted records count too; without --viewer none does (docs/counting.md)")
	fs.StringVar(&f.since, "since", "", "count murders from this day on (YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "count murders up to this day (YYYY-MM-DD); the index's ten years end with its last whole year")
	fs.StringVar(&f.last, "last", "", "count the last N days, weeks, months or years, e.g. 10y")
	fs.Var(&f.govs, "governorate", "governorate: ISO code (IQ-BG) or name (repeatable)")
	fs.Var(&f.perps, "perpetrator", "perpetrator type, e.g. militia (repeatable)")
	fs.Var(&f.roles, "role", "victim role, e.g. journalist (repeatable)")
	country := fs.String("country", "", "the shares and receipt of one country (ISO 3166-1 alpha-2, e.g. IQ); the index ranks all")
	fs.StringVar(&f.minVerif, "min-verification", stats.DefaultThreshold, "least verification status counted: reported, corroborated or verified")
	fs.StringVar(&f.format, "format", "text", "output: text or json")
	fs.BoolVar(&f.receipt, "receipt", false, "also list the murders behind the figures")
	fs.BoolVar(&f.public, "public", false, "list only public murders in the receipt, as the portal does")
	fs.Lookup("as").Usage = "count as this account would see the figures (docs/counting.md); without --as no restricted record counts"
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; filters are flags, e.g. --country IQ --since 2012-01-01", ErrUsage, pos[0])
	}
	q, err := f.query(time.Now())
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("%w: --format text or json (got %q)", ErrUsage, f.format)
	}
	if c := strings.ToUpper(*country); c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		return fmt.Errorf("%w: --country is an ISO 3166-1 alpha-2 code, e.g. IQ (got %q)", ErrUsage, *country)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.Member != "" {
		if q.Reader, err = statsReader(ctx, st, cfg.Member); err != nil {
			return err
		}
	}
	show := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	if f.public {
		show = store.Visible{Levels: []string{model.VisibilityPublic}}
	}
	res, err := stats.CountImpunity(ctx, st, q, strings.ToUpper(*country), show, time.Now())
	if err != nil {
		return err
	}
	if !f.receipt {
		res.Receipt = nil
	}
	if f.format == "json" {
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		return e.Encode(res)
	}
	writeImpunityText(io.Stdout, res)
	return nil
}

func writeImpunityText(w io.Writer, r stats.Impunity) {
	where := ""
	if r.Country != "" {
		where = " in " + r.Country
	}
	fmt.Fprintf(w, "At least %d murders%s (killings with the motive confirmed; verification: %s).\n", r.Murders, where, strings.Join(r.Counted, ", "))
	share := func(n int) string {
		if r.Murders == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(r.Murders))
	}
	fmt.Fprintf(w, "Complete impunity (no one convicted): %d (%s)\n", r.Complete, share(r.Complete))
	fmt.Fprintf(w, "Partial impunity (some convicted, not all): %d (%s)\n", r.Partial, share(r.Partial))
	fmt.Fprintf(w, "Full justice: %d (%s)\n", r.Justice, share(r.Justice))
	fmt.Fprintf(w, "\nImpunity index, %s to %s: unsolved murders per million inhabitants, countries with at least %d.\n",
		r.IndexWindow.From, r.IndexWindow.To, stats.IndexMinimum)
	for _, x := range r.Index {
		switch {
		case x.Ranked:
			fmt.Fprintf(w, "  %s  %d unsolved  %.3f per million\n", x.Country, x.Unsolved, x.PerMillion)
		case x.Population == 0:
			fmt.Fprintf(w, "  %s  %d unsolved  (no population figure)\n", x.Country, x.Unsolved)
		default:
			fmt.Fprintf(w, "  %s  %d unsolved  (fewer than %d: not ranked)\n", x.Country, x.Unsolved, stats.IndexMinimum)
		}
	}
	fmt.Fprintf(w, "Population: %s.\n", r.Population)
	if r.Receipt != nil || r.Withheld > 0 {
		fmt.Fprintf(w, "\nReceipt: %d murders listed, %d counted but not listed.\n", len(r.Receipt), r.Withheld)
		for _, m := range r.Receipt {
			fmt.Fprintf(w, "  %s  %s  %s %s  %s\n", m.Code, m.Date.Start, m.Country, m.Admin1, m.Class)
		}
	}
}
