package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// listFlag is a flag that may be repeated or given comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

type statsFlags struct {
	since, until, last, today, minVerif, by, group, format, lang string
	types, govs, roles, perps, outcomes                          listFlag
	receipt, public                                              bool
}

func runStats(ctx context.Context, io IO, args []string) error {
	if len(args) > 0 && args[0] == "impunity" {
		return runStatsImpunity(ctx, io, args[1:])
	}
	if len(args) > 0 && args[0] == "atrisk" {
		return runStatsAtRisk(ctx, io, args[1:])
	}
	var cfg config.Config
	var f statsFlags
	fs := flags(io, "stats", "")
	cfg.Register(fs)
	fs.StringVar(&f.since, "since", "", "count incidents from this day on (YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "count incidents up to this day (YYYY-MM-DD)")
	fs.StringVar(&f.last, "last", "", "count the last N days, weeks, months or years up to --today, e.g. 365d or 12m")
	fs.StringVar(&f.today, "today", "", "the day --last counts back from (YYYY-MM-DD; default today)")
	fs.Var(&f.types, "type", "incident type code, e.g. killing (repeat or separate with commas)")
	fs.Var(&f.govs, "governorate", "governorate: ISO code (IQ-BG) or name (Baghdad, بغداد) (repeatable)")
	fs.Var(&f.roles, "role", "count only victims of this role, e.g. journalist (repeatable)")
	fs.Var(&f.perps, "perpetrator", "perpetrator type, e.g. militia (repeatable)")
	fs.Var(&f.outcomes, "outcome", "count only victims with this outcome, e.g. killed (repeatable)")
	fs.StringVar(&f.minVerif, "min-verification", stats.DefaultThreshold, "least verification status counted: reported, corroborated or verified")
	fs.StringVar(&f.by, "by", "", "break the figure down by type, governorate or month")
	fs.StringVar(&f.group, "group", "", "with --by: only this row (a type code, governorate or YYYY-MM; 'unplaced' for the unplaced)")
	fs.StringVar(&f.format, "format", "text", "output: text, json or csv")
	fs.BoolVar(&f.receipt, "receipt", false, "also list the incidents behind the figure (with csv: list only them)")
	fs.BoolVar(&f.public, "public", false, "list only public incidents in the receipt, as the public portal does (the others are counted, not listed)")
	cfg.RegisterMember(fs, "viewer", "count as this `account` would see the figures: its restricted incidents (or all, for a protection officer or coordinator) "+
		"count too; without --viewer, no restricted incident counts and the figures may be shown to anyone (docs/counting.md). RASD_ACTOR alone counts none")
	fs.StringVar(&f.lang, "lang", "en", langUsage+" (sentences in ar or en; labels in any)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; filters are flags, e.g. --type killing --since 2019-10-01", ErrUsage, pos[0])
	}
	q, err := f.query(time.Now())
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if f.format != "text" && f.format != "json" && f.format != "csv" {
		return fmt.Errorf("%w: --format text, json or csv (got %q)", ErrUsage, f.format)
	}
	if err := checkLang(f.lang); err != nil {
		return err
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
	res, err := stats.Count(ctx, st, q)
	if err != nil {
		return err
	}
	var rc *store.Receipt
	if f.receipt {
		show := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
		if f.public {
			show = store.Visible{Levels: []string{model.VisibilityPublic}}
		}
		r, err := stats.Receipt(ctx, st, q, show, 0, 0)
		if err != nil {
			return err
		}
		rc = &r
	}
	if f.minVerif != "reported" {
		if err := sayBelow(ctx, io.Stderr, st, q, "rasd stats "+strings.Join(statsArgs(args), " ")); err != nil {
			return err
		}
	}
	switch f.format {
	case "json":
		return writeStatsJSON(io.Stdout, res, rc, f.lang)
	case "csv":
		return writeStatsCSV(io.Stdout, res, rc, f.lang)
	}
	writeStatsText(io.Stdout, res, rc, f.lang)
	return nil
}

// statsArgs are the arguments of 'rasd stats' without its verification
// and receipt flags, to say how to list what was not counted.
func statsArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(a, "=")
		switch name {
		case "min-verification", "format":
			if !hasValue {
				i++
			}
			continue
		case "receipt", "public":
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// statsReader is what the account name may list, the reader `rasd stats
// --viewer` counts for (docs/counting.md, "What a figure may reveal"). No
// password is asked: whoever holds the data directory's passphrase reads
// every incident's structured fields anyway (SECURITY.md), and --viewer only
// chooses whose figures to show.
func statsReader(ctx context.Context, st store.Store, name string) (store.Visible, error) {
	u, err := userNamed(ctx, st, name, "give an account with --viewer ('rasd user list' shows them), or leave --viewer out to count no restricted incident")
	if err != nil {
		return store.Visible{}, err
	}
	return access.Visible(u), nil
}

// query turns the flags into a stats.Query (the flags are stats.Params,
// as the dashboard's URL parameters are); now is the default --today.
func (f *statsFlags) query(now time.Time) (stats.Query, error) {
	p := stats.Params{Since: f.since, Until: f.until, Last: f.last, Today: f.today,
		Types: f.types, Governorates: f.govs, Roles: f.roles, Perpetrators: f.perps, Outcomes: f.outcomes,
		MinVerification: f.minVerif, By: f.by, Group: f.group}
	q, err := p.Query(now)
	var pe *stats.ParamError
	if errors.As(err, &pe) {
		return q, fmt.Errorf("--%s: %v", pe.Param, pe.Err)
	}
	return q, err
}

func writeStatsText(w io.Writer, res stats.Result, rc *store.Receipt, lang string) {
	ar := locale.Arabic(locale.Wording(lang))
	fmt.Fprintln(w, stats.Sentence(res, lang))
	if res.Query.By != "" {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		head := map[string]string{stats.ByType: "TYPE", stats.ByGovernorate: "GOVERNORATE", stats.ByMonth: "MONTH"}[res.Query.By]
		fmt.Fprintf(tw, "%s\tINCIDENTS\tVICTIMS\tFATALITIES\tAPPROXIMATE\n", head)
		row := func(label string, f stats.Figure) {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", label, f.Incidents, f.Victims, f.Fatalities, f.Approximate)
		}
		for _, g := range res.Groups {
			row(stats.GroupLabel(res.Query.By, g.Key, lang), g.Figure)
		}
		if res.Unplaced.Incidents > 0 {
			row(stats.GroupLabel(res.Query.By, "", lang), res.Unplaced)
		}
		row(pick(ar, "Total", "المجموع"), res.Total)
		tw.Flush()
	}
	fmt.Fprintln(w, "\n"+stats.CountedPhrase(res, lang))
	if rc == nil {
		return
	}
	switch {
	case ar && rc.Withheld > 0:
		fmt.Fprintf(w, "\nالحوادث التي يستند إليها هذا الرقم: %d، منها %d غير علنية (محسوبة وغير مدرجة):\n", rc.Total, rc.Withheld)
	case ar:
		fmt.Fprintf(w, "\nالحوادث التي يستند إليها هذا الرقم: %d:\n", rc.Total)
	case rc.Withheld > 0:
		fmt.Fprintf(w, "\nReceipt: the %d incidents behind this figure, %d of them not public (counted, not listed):\n", rc.Total, rc.Withheld)
	default:
		fmt.Fprintf(w, "\nReceipt: the %d incidents behind this figure:\n", rc.Total)
	}
	if len(rc.Incidents) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tDATE\tTYPE\tGOVERNORATE\tVERIFICATION\tVICTIMS\tFATALITIES")
	for _, r := range rc.Incidents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", r.Code, receiptDate(r.Date, lang), label(vocab.IncidentType, r.Type, lang),
			admin1Label(r.Admin1, lang), label(vocab.VerificationStatus, r.Verification, lang), r.Victims, r.Fatalities)
	}
	tw.Flush()
}

// receiptDate shows a date at its precision ("March 2020", "week of 23
// March 2020"), a range of days if it has no usual precision, and marks an
// estimate.
func receiptDate(d model.Date, lang string) string {
	s := i18n.Date(lang, d.Start, d.Precision)
	switch d.Precision {
	case "day", "week", "month", "year":
	default:
		if d.End != "" && d.End != d.Start {
			s += " – " + i18n.Date(lang, d.End, "day")
		}
	}
	if d.Estimated {
		s += pick(locale.Arabic(locale.Wording(lang)), " (est.)", " (تقديري)")
	}
	return s
}

func pick(ar bool, en, arabic string) string {
	if ar {
		return arabic
	}
	return en
}

func writeStatsJSON(w io.Writer, res stats.Result, rc *store.Receipt, lang string) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(stats.NewJSON(res, rc, lang))
}

// writeStatsCSV writes the figure (a "total" row, then the groups and the
// unplaced) or, with a receipt, the incidents behind it.
func writeStatsCSV(w io.Writer, res stats.Result, rc *store.Receipt, lang string) error {
	cw := csv.NewWriter(w)
	itoa := strconv.Itoa
	if rc != nil {
		cw.Write([]string{"code", "id", "type", "governorate", "date_start", "date_end", "date_precision", "date_estimated",
			"verification", "visibility", "victims", "fatalities"})
		for _, r := range rc.Incidents {
			cw.Write([]string{r.Code, r.ID, r.Type, r.Admin1, r.Date.Start, r.Date.End, r.Date.Precision,
				strconv.FormatBool(r.Date.Estimated), r.Verification, r.Visibility, itoa(r.Victims), itoa(r.Fatalities)})
		}
	} else {
		cw.Write([]string{"group", "label", "incidents_at_least", "victims_at_least", "fatalities_at_least", "approximate"})
		row := func(key, label string, f stats.Figure) {
			cw.Write([]string{key, label, itoa(f.Incidents), itoa(f.Victims), itoa(f.Fatalities), itoa(f.Approximate)})
		}
		row("total", stats.Sentence(res, lang), res.Total)
		for _, g := range res.Groups {
			row(g.Key, stats.GroupLabel(res.Query.By, g.Key, lang), g.Figure)
		}
		if res.Query.By != "" && res.Unplaced.Incidents > 0 {
			row("unplaced", stats.GroupLabel(res.Query.By, "", lang), res.Unplaced)
		}
	}
	cw.Flush()
	return cw.Error()
}
