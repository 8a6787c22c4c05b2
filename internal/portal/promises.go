package portal

import (
	"html/template"
	"strconv"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// promisesData is the promises tracker: the public commitments with their
// sentences, and the commitment and impunity figures, counted for the
// public (docs/counting.md: public and internal records, never a
// restricted one) and listing only what is published.
type promisesData struct {
	Commitments stats.Commitments
	Impunity    stats.Impunity
	Murders     []stats.ImpunityRow // the published murders behind the figures
	Unpublished int                 // murders counted, not published
}

// writePromises writes promises/index.html in each language.
func (s *site) writePromises() error {
	public := store.Visible{Levels: []string{model.VisibilityPublic}}
	c, err := stats.CountCommitments(s.ctx, s.st, store.Visible{}, public, accountability.DayOf(s.opts.Now))
	if err != nil {
		return err
	}
	imp, err := stats.CountImpunity(s.ctx, s.st, stats.Query{MinVerification: s.opts.Threshold}, "", public, s.opts.Now)
	if err != nil {
		return err
	}
	d := promisesData{Commitments: c, Impunity: imp, Unpublished: imp.Withheld}
	for _, m := range imp.Receipt {
		if s.published[m.Code] && !s.countryOnly[m.Code] {
			d.Murders = append(d.Murders, m)
		} else {
			d.Unpublished++ // public, but redaction withheld it
		}
	}
	for _, l := range Langs {
		if err := s.render(l, "promises/index.html", "promises", s.t(l, "portal.promises.title"), d); err != nil {
			return err
		}
	}
	return nil
}

// Promise is a commitment's sentence (stats.PromiseSentence), numbers and
// dates isolated in the page's digits.
func (p *page) Promise(r stats.CommitmentRow) template.HTML {
	return template.HTML(stats.PromiseSentence(p.Lang, r, template.HTMLEscapeString, func(s string) string {
		return "<bdi>" + template.HTMLEscapeString(p.digits(s)) + "</bdi>"
	}))
}

// PromiseText is a public commitment's promise in the page's language if
// it has one, else the other.
func (p *page) PromiseText(ar, en string) string {
	if locale.Arabic(p.Lang) && ar != "" || en == "" {
		return ar
	}
	return en
}

// Share is n of total as a percentage, one decimal.
func (p *page) Share(n, total int) string {
	if total == 0 {
		return "—"
	}
	return p.digits(template.HTMLEscapeString(formatShare(n, total)))
}

func formatShare(n, total int) string {
	return strconv.FormatFloat(100*float64(n)/float64(total), 'f', 1, 64) + "%"
}
