package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/vocab"
)

// runStatsAtRisk is 'rasd stats atrisk': the figures of people at risk
// (docs/counting.md, "Figures of people at risk"), for a member of the
// protection compartment only, whose key opens the countries of moves.
func runStatsAtRisk(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "stats atrisk", "--member ACCOUNT")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", "a member of the protection compartment, whose `account` counts the records (only members know them) "+
		"and whose key opens the countries of moves: "+sealedWho)
	format := fs.String("format", "text", "output: text or json")
	receipt := fs.Bool("receipt", false, "also list the records behind the figures, by ID and case code (for members: not to be shared)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q: rasd stats atrisk --member ACCOUNT [--format text|json] [--receipt]", ErrUsage, pos[0])
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format text or json (got %q)", ErrUsage, *format)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	u, by, err := memberKey(ctx, io, st, cfg.Member)
	if err != nil {
		return err
	}
	defer by.Zero()
	open := func(m *model.Move) error {
		_, err := keys.OpenRecord(ctx, st, u.Username, by, kinds.Move, m)
		return err
	}
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if err != nil {
		return err
	}
	defer rs.Close()
	svc := protection.New(st, nil)
	links, err := svc.Links(ctx, u, rs)
	if err != nil {
		return err
	}
	res, err := stats.CountAtRisk(ctx, st, svc, u, open, links)
	if err != nil {
		return err
	}
	if !*receipt {
		res.Receipt = nil
	}
	if *format == "json" {
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		return e.Encode(res)
	}
	writeAtRiskText(io.Stdout, res)
	return nil
}

// guarded writes a suppressed count.
func guarded(g stats.Guarded) string {
	if g.Withheld {
		return "not shown (with the table below it would give small counts away)"
	}
	if g.Hidden {
		return fmt.Sprintf("fewer than %d", stats.MinCell)
	}
	return fmt.Sprint(g.N)
}

func writeAtRiskText(w io.Writer, r stats.AtRisk) {
	table := func(title string, cells []stats.Guarded, label func(string) string) {
		fmt.Fprintf(w, "%s:\n", title)
		for _, c := range cells {
			n := fmt.Sprint(c.N)
			if c.Hidden { // under the least count shown, or hidden so as not to give one away
				n = "not shown"
			}
			fmt.Fprintf(w, "  %s\t%s\n", label(c.Key), n)
		}
	}
	term := func(v string) func(string) string {
		return func(code string) string {
			if v != "" {
				if t, ok := vocab.Get(v).Lookup(code); ok {
					return t.Label("en")
				}
			}
			if code == "" {
				return "(not known)"
			}
			return code
		}
	}
	gov := func(code string) string {
		if p, ok := vocab.Admin1(code); ok {
			return p.Label("en")
		}
		return term("")(code)
	}
	fmt.Fprintf(w, "Threats: at least %s. Counts under %d are not shown, nor any that would let one be worked out (docs/counting.md).\n", guarded(r.Threats), stats.MinCell)
	table("By how delivered", r.ByDelivery, term(vocab.ThreatDelivery))
	table("By governorate", r.ByGovernorate, gov)
	table("By month", r.ByMonth, term(""))
	table("By role of the persons threatened", r.ByRole, term(vocab.VictimRole))
	fmt.Fprintf(w, "At least %s people named on hit lists; of them %s attacked since.\n", guarded(r.Named), guarded(r.Attacked))
	table("By what became of them", r.ByOutcome, term(vocab.ListOutcome))
	fmt.Fprintf(w, "People relocated: %s.\n", guarded(r.Relocated))
	table("By country where they are now", r.ByCountry, func(code string) string { return vocab.CountryName(code, "en") })
	if tk := r.Receipt; tk != nil {
		fmt.Fprintf(w, "\nReceipt (members only): %d threats, %d people named, %d relocated.\n", len(tk.Threats), len(tk.Named), len(tk.Moved))
		for _, l := range tk.Threats {
			fmt.Fprintf(w, "  threat %s  %s  %s  %s  %v\n", l.ID, l.OccurredOn, l.Delivery, l.Admin1, l.Roles)
		}
		for _, l := range tk.Named {
			fmt.Fprintf(w, "  entry %s  %s\n", l.Entry, l.Outcome)
		}
		for _, l := range tk.Moved {
			fmt.Fprintf(w, "  case %s  moved %s  %s\n", l.Code, l.MovedOn, l.Country)
		}
	}
}
