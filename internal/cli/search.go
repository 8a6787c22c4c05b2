package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/vocab"
)

func runSearch(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "search", "[--member MEMBER] QUERY")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", memberOpensUsage)
	readsEnv(fs, "RASD_USER_PASSWORD")
	limit := fs.Int("limit", 50, "most results to print")
	lang := fs.String("lang", "en", langUsage+" (summaries in ar or en; labels in any)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give a search query, e.g. rasd search امجد", ErrUsage)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	hits, err := incidents.New(st, nil).Search(ctx, incidents.Operator, strings.Join(pos, " "), *limit)
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		fmt.Fprintln(io.Stderr, "No incident matches.")
		return nil
	}
	sealed, err := openSummaries(ctx, io, st, cfg.Member, cfg.Member != "", hits)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CODE\tDATE\tTYPE\tGOVERNORATE\tSUMMARY")
	for _, h := range hits {
		summary := h.SummaryEN
		if locale.Arabic(*lang) && h.SummaryAR != "" || summary == "" {
			summary = h.SummaryAR
		}
		if sealed[h.ID] {
			summary = "(sealed)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", h.Code, dateLabel(h.DateStart, h.Precision),
			label(vocab.IncidentType, h.Type, *lang), admin1Label(h.Admin1, *lang), clip(summary, 90))
	}
	w.Flush()
	if n := len(sealed); n > 0 {
		fmt.Fprintf(io.Stderr, "Restricted matches shown as (sealed): %d. Their summaries are sealed, and search never finds sealed text;"+
			" --member MEMBER opens them (%s).\n", n, sealedWho)
	}
	if len(hits) == *limit {
		fmt.Fprintf(io.Stderr, "Showing the first %d matches; use --limit for more.\n", *limit)
	}
	return nil
}

func label(vocabulary, code, lang string) string {
	if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
		return t.Label(lang)
	}
	return code
}

func admin1Label(code, lang string) string {
	if p, ok := vocab.Admin1(code); ok {
		return p.Label(lang)
	}
	return code
}

// dateLabel shows only what is known: 2019-12 for a month-precision date.
func dateLabel(start, precision string) string {
	switch {
	case precision == "month" && len(start) >= 7:
		return start[:7]
	case precision == "year" && len(start) >= 4:
		return start[:4]
	case precision == "week":
		return "week of " + start
	}
	return start
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
